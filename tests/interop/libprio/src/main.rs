//! libprio-rs (crate `prio` 0.18.1) side of tests/interop: runs each case it reads (one JSON
//! object per line on stdin) through libprio-rs with the given sharding randomness and prints
//! one JSON object per line on stdout with every encoded message, as hex. tests/interop/interop.cpp
//! writes the cases, computes the same with vdaf-cpp and compares field by field.
//!
//! Case (input line):
//!   {"id": 7, "instance": "Prio3SumVecField64MultiproofHmacSha256Aes128" | "Prio3L1BoundSum",
//!    "shares": 2..255, "length": n, "max": u64 (max_measurement / max_value),
//!    "chunk_length": c, "proofs": p (0xFFFF1003 only), "ctx": hex, "nonce": hex (16 bytes),
//!    "rand": hex (2·shares·32 bytes), "verify_key": hex (32 bytes), "measurement": [u64, ...],
//!    "tamper_byte": i}
//!
//! Result (output line, same "id"):
//!   "public_share", "input_shares" [S], "verifier_shares" [S], "verifier_message",
//!   "out_shares" [S], "agg_shares" [S] (aggregate of the one report), "agg_result" [decimal
//!   strings] (unshard, 1 measurement), and "tamper": the leader's input share with bit 0 of byte
//!   `tamper_byte` of its encoding flipped — {"leader_verifier_share": hex, "outcome":
//!   "accept" | "reject_message" | "reject_next"} or {"outcome": "decode_error"}.
//!   On any error of the honest run: {"id", "error": "..."} instead. "ms": the time the case
//!   took here (not compared).
//!
//! libprio-rs names = vdaf-cpp names: verify_init, verifier_shares_to_message, verify_next (prio
//! 0.18.1 already uses the draft's names; older versions said prepare_*).
use std::io::{self, BufRead, Write};
use std::time::Instant;

use prio::codec::{Encode, ParameterizedDecode};
use prio::field::Field64;
use prio::flp::gadgets::{Mul, ParallelSum};
use prio::flp::types::SumVec;
use prio::vdaf::prio3::{Prio3, Prio3L1BoundSum};
use prio::vdaf::test_utils::TestVectorClient;
use prio::vdaf::xof::XofHmacSha256Aes128;
use prio::vdaf::{Aggregator, Collector, VerifyTransition};
use serde_json::{json, Value};

/// Janus' `Prio3SumVecField64MultiproofHmacSha256Aes128` (divviup/janus core/src/vdaf.rs).
type Prio3SumVecField64MultiproofHmacSha256Aes128 =
    Prio3<SumVec<Field64, ParallelSum<Field64, Mul>>, XofHmacSha256Aes128, 32>;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("odd hex length {}", s.len()));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

fn field<'a>(c: &'a Value, k: &str) -> Result<&'a Value, String> {
    c.get(k).ok_or_else(|| format!("case lacks \"{k}\""))
}
fn u64_of(c: &Value, k: &str) -> Result<u64, String> {
    field(c, k)?
        .as_u64()
        .ok_or_else(|| format!("\"{k}\" is not a u64"))
}
fn bytes_of(c: &Value, k: &str) -> Result<Vec<u8>, String> {
    unhex(
        field(c, k)?
            .as_str()
            .ok_or_else(|| format!("\"{k}\" is not a string"))?,
    )
}
fn enc<T: Encode>(x: &T) -> Result<String, String> {
    Ok(hex(&x.get_encoded().map_err(|e| e.to_string())?))
}

/// The whole run of one report on `vdaf`; `result_str` renders the aggregate result.
fn run<V>(
    vdaf: &V,
    c: &Value,
    measurement: &V::Measurement,
    result_str: impl Fn(&V::AggregateResult) -> Vec<String>,
) -> Result<Value, String>
where
    V: TestVectorClient<16> + Aggregator<32, 16, AggregationParam = ()> + Collector,
{
    let s = vdaf.num_aggregators();
    let ctx = bytes_of(c, "ctx")?;
    let nonce: [u8; 16] = bytes_of(c, "nonce")?
        .try_into()
        .map_err(|_| "nonce is not 16 bytes")?;
    let vk: [u8; 32] = bytes_of(c, "verify_key")?
        .try_into()
        .map_err(|_| "verify_key is not 32 bytes")?;
    let rand = bytes_of(c, "rand")?;
    let e = |x: prio::vdaf::VdafError| x.to_string();

    let (public_share, input_shares) = vdaf
        .shard_with_random(&ctx, measurement, &nonce, &rand)
        .map_err(e)?;
    let mut states = Vec::with_capacity(s);
    let mut verifier_shares = Vec::with_capacity(s);
    for (j, share) in input_shares.iter().enumerate() {
        let (st, vs) = vdaf
            .verify_init(&vk, &ctx, j, &(), &nonce, &public_share, share)
            .map_err(e)?;
        states.push(st);
        verifier_shares.push(vs);
    }
    let message = vdaf
        .verifier_shares_to_message(&ctx, &(), verifier_shares.iter().cloned())
        .map_err(e)?;
    let mut out_shares = Vec::with_capacity(s);
    for st in &states {
        match vdaf
            .verify_next(&ctx, st.clone(), message.clone())
            .map_err(e)?
        {
            VerifyTransition::Finish(out) => out_shares.push(out),
            VerifyTransition::Continue(..) => return Err("Prio3 did not finish".into()),
        }
    }
    let agg_shares = out_shares
        .iter()
        .map(|o| vdaf.aggregate(&(), [o.clone()]))
        .collect::<Result<Vec<_>, _>>()
        .map_err(e)?;
    let result = vdaf.unshard(&(), agg_shares.clone(), 1).map_err(e)?;

    // Tampering: flip bit 0 of one byte of the leader's encoded input share, run verification
    // again with the other (honest) shares.
    let mut leader = input_shares[0].get_encoded().map_err(|x| x.to_string())?;
    let t = u64_of(c, "tamper_byte")? as usize;
    let tamper = if t >= leader.len() {
        json!({"outcome": "out_of_range"})
    } else {
        leader[t] ^= 1;
        match V::InputShare::get_decoded_with_param(&(vdaf, 0), &leader) {
            Err(_) => json!({"outcome": "decode_error"}),
            Ok(bad) => {
                let (st0, vs0) = vdaf
                    .verify_init(&vk, &ctx, 0, &(), &nonce, &public_share, &bad)
                    .map_err(e)?;
                let mut vss = verifier_shares.clone();
                vss[0] = vs0.clone();
                let outcome = match vdaf.verifier_shares_to_message(&ctx, &(), vss) {
                    Err(_) => "reject_message",
                    Ok(m) => {
                        let all_ok = vdaf.verify_next(&ctx, st0, m.clone()).is_ok()
                            && states[1..]
                                .iter()
                                .all(|st| vdaf.verify_next(&ctx, st.clone(), m.clone()).is_ok());
                        if all_ok {
                            "accept"
                        } else {
                            "reject_next"
                        }
                    }
                };
                json!({"leader_verifier_share": enc(&vs0)?, "outcome": outcome})
            }
        }
    };

    Ok(json!({
        "id": c["id"],
        "public_share": enc(&public_share)?,
        "input_shares": input_shares.iter().map(enc).collect::<Result<Vec<_>, _>>()?,
        "verifier_shares": verifier_shares.iter().map(enc).collect::<Result<Vec<_>, _>>()?,
        "verifier_message": enc(&message)?,
        "out_shares": out_shares.iter().map(enc).collect::<Result<Vec<_>, _>>()?,
        "agg_shares": agg_shares.iter().map(enc).collect::<Result<Vec<_>, _>>()?,
        "agg_result": result_str(&result),
        "tamper": tamper,
    }))
}

fn measurement(c: &Value) -> Result<Vec<u64>, String> {
    field(c, "measurement")?
        .as_array()
        .ok_or("measurement is not an array")?
        .iter()
        .map(|v| {
            v.as_u64()
                .ok_or_else(|| "measurement entry is not a u64".to_string())
        })
        .collect()
}

fn run_case(c: &Value) -> Result<Value, String> {
    let shares = u8::try_from(u64_of(c, "shares")?).map_err(|e| e.to_string())?;
    let length = u64_of(c, "length")? as usize;
    let max = u64_of(c, "max")?;
    let chunk = u64_of(c, "chunk_length")? as usize;
    let m = measurement(c)?;
    match field(c, "instance")?.as_str() {
        Some("Prio3SumVecField64MultiproofHmacSha256Aes128") => {
            let proofs = u8::try_from(u64_of(c, "proofs")?).map_err(|e| e.to_string())?;
            let typ = SumVec::new(max, length, chunk).map_err(|e| e.to_string())?;
            let vdaf: Prio3SumVecField64MultiproofHmacSha256Aes128 =
                Prio3::new(shares, proofs, 0xFFFF1003, typ).map_err(|e| e.to_string())?;
            run(&vdaf, c, &m, |r| r.iter().map(|x| x.to_string()).collect())
        }
        Some("Prio3L1BoundSum") => {
            let vdaf = Prio3L1BoundSum::new_l1_bound_sum(shares, u128::from(max), length, chunk)
                .map_err(|e| e.to_string())?;
            let m: Vec<u128> = m.into_iter().map(u128::from).collect();
            run(&vdaf, c, &m, |r| r.iter().map(|x| x.to_string()).collect())
        }
        other => Err(format!("unknown instance {other:?}")),
    }
}

fn main() {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        let c: Value = serde_json::from_str(&line).expect("case is not JSON");
        let t = Instant::now();
        let mut r = run_case(&c).unwrap_or_else(|err| json!({"id": c["id"], "error": err}));
        r["ms"] = json!(t.elapsed().as_secs_f64() * 1e3);
        writeln!(out, "{r}").expect("write stdout");
    }
}
