//! libprio-rs (crate `prio`) side of bench/compare: times the libprio-rs benchmark grid
//! (benches/speed_tests.rs of libprio-rs) with the same inputs as vdaf-cpp's
//! bench/prio3_bench.cpp and bench/poplar1_bench.cpp, and prints one JSON line per benchmark,
//! `{"name": "<vdaf-cpp benchmark name>", "ns": <wall-clock ns per iteration>, "cpu_ns": <process
//! CPU ns per iteration>}`.
//!
//!   libprio-compare [--min-time SECS] [--filter SUBSTRING]   timing
//!   libprio-compare --build-info                              target features compiled in (JSON)
//!   libprio-compare --shares                                  encoded shares, hex, for a fixed rand,
//!                                                             and the Prio3 round's messages and result
//!
//! Inputs, as in vdaf-cpp: 2 shares, empty ctx, zero nonce and verify key (Prio3), sharding
//! randomness from the same SplitMix64 pattern, the same measurements. `Shard` rows call
//! `shard_with_random` (public through the `test-util` feature, trait
//! `prio::vdaf::test_utils::TestVectorClient`) with that fixed randomness, i.e. the same work as
//! vdaf-cpp's `shard(ctx, m, nonce, rand)`; the `shard_api` variant rows time the public
//! `Client::shard`, which also draws the randomness from `rand::rng()`, as libprio-rs' own bench
//! does.
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use num_bigint::BigUint;
use prio::codec::Encode;
use prio::dp::distributions::{DiscreteGaussian, DiscreteLaplace, PureDpDiscreteLaplace};
use prio::dp::{DifferentialPrivacyStrategy, PureDpBudget, Rational};
use prio::field::{Field128, Field255, Field64, FieldElement};
use prio::idpf::{Idpf, IdpfInput, NoCache, RingBufferCache};
use prio::vdaf::poplar1::{Poplar1, Poplar1AggregationParam, Poplar1IdpfValue};
use prio::vdaf::prio3::{Prio3Count, Prio3Histogram, Prio3MultihotCountVec, Prio3Sum, Prio3SumVec};
use prio::vdaf::test_utils::TestVectorClient;
use prio::vdaf::{
    AggregateShare, Aggregator, AggregatorWithNoise, Client, Collector, VerifyTransition,
};
use rand::{distr::Distribution, rngs::StdRng, SeedableRng};

const NONCE: [u8; 16] = [0; 16];
const VERIFY_KEY: [u8; 32] = [0; 32];
const CTX: &[u8] = b"";
const RAND_SEED: u64 = 0x5072696f33; // "Prio3", as bench/prio3_bench.cpp
const POPLAR_SEED: u64 = 0x506f706c617231; // "Poplar1", as bench/poplar1_bench.cpp
const WIDE_PREFIXES: usize = 1000; // poplar1_bench.cpp's kWidePrefixes
const WIDE_SEED: u64 = 0x77696465; // "wide", poplar1_bench.cpp's kWideSeed

/// SplitMix64, identical to the generator of vdaf-cpp's benchmarks.
struct SplitMix64(u64);
impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0u8; n];
        let mut i = 0;
        while i < n {
            let z = self.next();
            for k in 0..8 {
                if i + k < n {
                    out[i + k] = (z >> (8 * k)) as u8;
                }
            }
            i += 8;
        }
        out
    }
    fn bits(&mut self, n: usize) -> Vec<bool> {
        (0..n).map(|_| (self.next() >> 63) != 0).collect()
    }
}

/// prio3_bench.cpp's `seeded_pattern`.
fn seeded_pattern(n: usize, seed: u64) -> Vec<u8> {
    SplitMix64(seed).bytes(n)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// CPU time of this process (user + system, every thread), from clock_gettime(2)'s
/// CLOCK_PROCESS_CPUTIME_ID (Linux; no crate needed for one libc call).
fn process_cpu_seconds() -> f64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec of the platform's layout (x86_64/aarch64 Linux).
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// What this binary was compiled with, for `run` to assert: the CPU features rustc was allowed
/// to use (target-cpu=native must enable those the host has) and whether debug assertions are on.
fn build_info() {
    let f = [
        ("sse4.2", cfg!(target_feature = "sse4.2")),
        ("avx2", cfg!(target_feature = "avx2")),
        ("bmi2", cfg!(target_feature = "bmi2")),
        ("adx", cfg!(target_feature = "adx")),
        ("aes", cfg!(target_feature = "aes")),
        ("pclmulqdq", cfg!(target_feature = "pclmulqdq")),
        ("avx512f", cfg!(target_feature = "avx512f")),
        ("avx512ifma", cfg!(target_feature = "avx512ifma")),
        ("vaes", cfg!(target_feature = "vaes")),
    ];
    let on: Vec<String> = f
        .iter()
        .filter(|(_, b)| *b)
        .map(|(n, _)| format!("\"{n}\""))
        .collect();
    println!(
        "{{\"target_features\": [{}], \"debug_assertions\": {}}}",
        on.join(", "),
        cfg!(debug_assertions)
    );
}

struct Out {
    min_time: f64,
    filter: Option<String>,
}

impl Out {
    fn wants(&self, name: &str) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| name.contains(f.as_str()))
    }

    /// Times `f` (wall-clock and process CPU ns per call): repeats it until one batch lasts at
    /// least `min_time` seconds.
    fn time<R>(&self, name: &str, variant: Option<&str>, mut f: impl FnMut() -> R) {
        if !self.wants(name) {
            return;
        }
        black_box(f()); // warm-up
        let mut iters: u64 = 1;
        loop {
            let c = process_cpu_seconds();
            let t = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            let el = t.elapsed().as_secs_f64();
            let cpu = process_cpu_seconds() - c;
            if el >= self.min_time {
                let ns = el * 1e9 / iters as f64;
                let cpu_ns = cpu * 1e9 / iters as f64;
                match variant {
                    Some(v) => println!(
                        "{{\"name\": \"{name}\", \"variant\": \"{v}\", \"ns\": {ns:.1}, \"cpu_ns\": {cpu_ns:.1}, \"iterations\": {iters}}}"
                    ),
                    None => println!(
                        "{{\"name\": \"{name}\", \"ns\": {ns:.1}, \"cpu_ns\": {cpu_ns:.1}, \"iterations\": {iters}}}"
                    ),
                }
                return;
            }
            let factor = if el <= 0.0 {
                10.0
            } else {
                (self.min_time * 1.2 / el).clamp(1.5, 10.0)
            };
            iters = ((iters as f64) * factor).ceil() as u64;
        }
    }
}

/// Prio3's RAND_SIZE is private in prio: with 2 shares, 2 seeds without joint randomness, 4 with.
fn prio3_rand<V: TestVectorClient<16>>(vdaf: &V, m: &V::Measurement) -> Vec<u8> {
    for n in [4 * 32, 2 * 32] {
        let r = seeded_pattern(n, RAND_SEED);
        if vdaf.shard_with_random(CTX, m, &NONCE, &r).is_ok() {
            return r;
        }
    }
    panic!("no Prio3 rand size fits");
}

fn bench_prio3<V>(out: &Out, inst: &str, params: &str, vdaf: &V, m: &V::Measurement)
where
    V: TestVectorClient<16> + Aggregator<32, 16, AggregationParam = ()>,
{
    let rand = prio3_rand(vdaf, m);
    let (ps, shares) = vdaf.shard_with_random(CTX, m, &NONCE, &rand).unwrap();
    out.time(&format!("BM_{inst}_Shard{params}"), None, || {
        vdaf.shard_with_random(CTX, m, &NONCE, &rand).unwrap()
    });
    out.time(
        &format!("BM_{inst}_Shard{params}"),
        Some("shard_api"),
        || vdaf.shard(CTX, m, &NONCE).unwrap(),
    );
    for agg_id in 0..2 {
        out.time(
            &format!("BM_{inst}_VerifyInit{params}/agg:{agg_id}"),
            None,
            || {
                vdaf.verify_init(&VERIFY_KEY, CTX, agg_id, &(), &NONCE, &ps, &shares[agg_id])
                    .unwrap()
            },
        );
    }
}

/// prio3_bench.cpp's `RoundOneByOne`: a job of 64 copies of one report, each through
/// verify_init for both aggregators, verifier_shares_to_message and verify_next for both; ns per
/// job (so reports/s = 64e9 / ns). libprio-rs has no batch API: `run` compares vdaf-cpp's
/// `RoundBatch` with this loop too.
fn bench_prio3_round<V>(out: &Out, inst: &str, params: &str, vdaf: &V, m: &V::Measurement)
where
    V: TestVectorClient<16> + Aggregator<32, 16, AggregationParam = ()>,
{
    const JOB: usize = 64; // prio3_bench.cpp's kBatchReports
    let rand = prio3_rand(vdaf, m);
    let (ps, shares) = vdaf.shard_with_random(CTX, m, &NONCE, &rand).unwrap();
    out.time(&format!("BM_{inst}_RoundOneByOne{params}"), None, || {
        let mut accepted = 0usize;
        for _ in 0..JOB {
            let (s0, v0) = vdaf
                .verify_init(&VERIFY_KEY, CTX, 0, &(), &NONCE, &ps, &shares[0])
                .unwrap();
            let (s1, v1) = vdaf
                .verify_init(&VERIFY_KEY, CTX, 1, &(), &NONCE, &ps, &shares[1])
                .unwrap();
            let msg = vdaf.verifier_shares_to_message(CTX, &(), [v0, v1]).unwrap();
            let o0 = vdaf.verify_next(CTX, s0, msg.clone()).unwrap();
            let o1 = vdaf.verify_next(CTX, s1, msg).unwrap();
            if matches!(o0, VerifyTransition::Finish(_))
                && matches!(o1, VerifyTransition::Finish(_))
            {
                accepted += 1;
            }
            black_box((o0, o1));
        }
        assert_eq!(accepted, JOB, "{inst}: a report was rejected");
    });
}

fn print_shares<V: TestVectorClient<16>>(name: &str, vdaf: &V, m: &V::Measurement, rand: &[u8])
where
    V::PublicShare: Encode,
    V::InputShare: Encode,
{
    println!("{}", shares_json(name, vdaf, m, rand));
}

/// `{"name", "rand", "public_share", "input_shares"` (hex) of one report, without the closing
/// brace.
fn shares_json<V: TestVectorClient<16>>(
    name: &str,
    vdaf: &V,
    m: &V::Measurement,
    rand: &[u8],
) -> String
where
    V::PublicShare: Encode,
    V::InputShare: Encode,
{
    let (ps, shares) = vdaf.shard_with_random(CTX, m, &NONCE, rand).unwrap();
    let s: Vec<String> = shares
        .iter()
        .map(|s| format!("\"{}\"", hex(&s.get_encoded().unwrap())))
        .collect();
    format!(
        "{{\"name\": \"{name}\", \"rand\": \"{}\", \"public_share\": \"{}\", \"input_shares\": [{}]}}",
        hex(rand),
        hex(&ps.get_encoded().unwrap()),
        s.join(", ")
    )
}

/// A Prio3 report's shares and its whole round with the zero verify key: both verifier shares,
/// the verifier message, both aggregate shares (of this one report) and the unsharded result
/// (`{:?}`: an integer or a list of integers, which `run` reads as JSON).
fn print_prio3_round<V>(name: &str, vdaf: &V, m: &V::Measurement, rand: &[u8])
where
    V: TestVectorClient<16> + Aggregator<32, 16, AggregationParam = ()> + Collector,
    V::PublicShare: Encode,
    V::InputShare: Encode,
    V::AggregateShare: Encode,
    V::AggregateResult: std::fmt::Debug,
{
    let head = shares_json(name, vdaf, m, rand);
    let (ps, shares) = vdaf.shard_with_random(CTX, m, &NONCE, rand).unwrap();
    let mut states = Vec::new();
    let mut vshares = Vec::new();
    for agg_id in 0..2 {
        let (st, vs) = vdaf
            .verify_init(&VERIFY_KEY, CTX, agg_id, &(), &NONCE, &ps, &shares[agg_id])
            .unwrap();
        states.push(st);
        vshares.push(vs);
    }
    let vs_hex: Vec<String> = vshares
        .iter()
        .map(|v| format!("\"{}\"", hex(&v.get_encoded().unwrap())))
        .collect();
    let msg = vdaf.verifier_shares_to_message(CTX, &(), vshares).unwrap();
    let msg_hex = hex(&msg.get_encoded().unwrap());
    let mut aggs = Vec::new();
    for st in states {
        match vdaf.verify_next(CTX, st, msg.clone()).unwrap() {
            VerifyTransition::Finish(out) => aggs.push(vdaf.aggregate(&(), [out]).unwrap()),
            _ => panic!("{name}: Prio3 verification did not finish in one round"),
        }
    }
    let agg_hex: Vec<String> = aggs
        .iter()
        .map(|a| format!("\"{}\"", hex(&a.get_encoded().unwrap())))
        .collect();
    let result = vdaf.unshard(&(), aggs, 1).unwrap();
    println!(
        "{}, \"verifier_shares\": [{}], \"verifier_message\": \"{msg_hex}\", \"agg_shares\": [{}], \"result\": {:?}}}",
        &head[..head.len() - 1],
        vs_hex.join(", "),
        agg_hex.join(", "),
        result
    );
}

fn len_chunk(l: usize, c: usize) -> String {
    format!("/length:{l}/chunk:{c}")
}

fn sum_vec_measurement(len: usize) -> Vec<u128> {
    (0..len).map(|i| if i % 3 == 0 { 1 } else { 0 }).collect()
}

fn multihot_measurement(len: usize) -> Vec<bool> {
    let mut m = vec![false; len];
    m[1] = true;
    m[len - 2] = true;
    m
}

fn shares_mode() {
    let v = Prio3Count::new_count(2).unwrap();
    let r = prio3_rand(&v, &true);
    print_prio3_round("Prio3Count", &v, &true, &r);
    let v = Prio3Sum::new_sum(2, 255).unwrap();
    let m = 255 - 255 / 7;
    let r = prio3_rand(&v, &m);
    print_prio3_round("Prio3Sum/max:255", &v, &m, &r);
    let v = Prio3SumVec::new_sum_vec(2, 1, 10, 3).unwrap();
    let m = sum_vec_measurement(10);
    let r = prio3_rand(&v, &m);
    print_prio3_round("Prio3SumVec/length:10/chunk:3", &v, &m, &r);
    let v = Prio3Histogram::new_histogram(2, 10, 3).unwrap();
    let m = 10 / 3;
    let r = prio3_rand(&v, &m);
    print_prio3_round("Prio3Histogram/length:10/chunk:3", &v, &m, &r);
    let v = Prio3MultihotCountVec::new_multihot_count_vec(2, 10, 2, 3).unwrap();
    let m = multihot_measurement(10);
    let r = prio3_rand(&v, &m);
    print_prio3_round("Prio3MultihotCountVec/length:10/chunk:3", &v, &m, &r);
    for bits in [16usize, 128] {
        let v = Poplar1::new_turboshake128(bits);
        let m = IdpfInput::from_bools(&SplitMix64(POPLAR_SEED ^ bits as u64).bits(bits));
        let r = seeded_pattern(128, RAND_SEED);
        print_shares(&format!("Poplar1/bits:{bits}"), &v, &m, &r);
    }
}

/// poplar1_bench.cpp's Zipf batch: the same measurements, nonces, rands and aggregation
/// parameter (children of every (BITS−1)-bit prefix held by at least 10 of 1000 reports).
fn bench_poplar1(out: &Out, bits: usize) {
    let p = format!("/bits:{bits}");
    let shard_name = format!("BM_Poplar1_Shard{p}");
    let vi_name = |a: usize| format!("BM_Poplar1_VerifyInit{p}/zipf_batch:1000/agg:{a}");
    // poplar1_bench.cpp's wide parameter (bits 128): 1000 candidates at the last level.
    let wide_name = |a: usize| format!("BM_Poplar1_VerifyInit{p}/prefixes:{WIDE_PREFIXES}/agg:{a}");
    let wide = bits == 128;
    if !out.wants(&shard_name)
        && !out.wants(&vi_name(0))
        && !out.wants(&vi_name(1))
        && !(wide && (out.wants(&wide_name(0)) || out.wants(&wide_name(1))))
    {
        return;
    }
    let vdaf = Poplar1::new_turboshake128(bits);
    let mut rng = SplitMix64(POPLAR_SEED ^ bits as u64);
    let support: Vec<Vec<bool>> = (0..128).map(|_| rng.bits(bits)).collect();
    let mut cdf = Vec::new();
    let mut total = 0.0f64;
    for k in 1..=128u32 {
        total += (k as f64).powf(-1.03);
        cdf.push(total);
    }
    let mut measurements = Vec::new();
    let mut parents: BTreeMap<Vec<bool>, u64> = BTreeMap::new();
    for _ in 0..1000 {
        let u = rng.uniform() * cdf[cdf.len() - 1];
        let mut k = 0;
        while k + 1 < cdf.len() && cdf[k] <= u {
            k += 1;
        }
        let m = support[k].clone();
        *parents.entry(m[..bits - 1].to_vec()).or_default() += 1;
        measurements.push(m);
    }
    let mut prefixes = Vec::new();
    for (parent, count) in &parents {
        if *count < 10 {
            continue;
        }
        for b in [false, true] {
            let mut c = parent.clone();
            c.push(b);
            prefixes.push(IdpfInput::from_bools(&c));
        }
    }
    eprintln!(
        "poplar1 bits {bits}: {} prefixes at the last level",
        prefixes.len()
    );
    let agg_param = Poplar1AggregationParam::try_from_prefixes(prefixes).unwrap();
    let mut reports = Vec::new();
    for m in &measurements {
        let nonce: [u8; 16] = rng.bytes(16).try_into().unwrap();
        let rand = rng.bytes(128);
        let (ps, shares) = vdaf
            .shard_with_random(CTX, &IdpfInput::from_bools(m), &nonce, &rand)
            .unwrap();
        reports.push((nonce, ps, shares));
    }
    let nonce: [u8; 16] = rng.bytes(16).try_into().unwrap();
    let rand = rng.bytes(128);
    let m0 = IdpfInput::from_bools(&measurements[0]);
    out.time(&shard_name, None, || {
        vdaf.shard_with_random(CTX, &m0, &nonce, &rand).unwrap()
    });
    out.time(&shard_name, Some("shard_api"), || {
        vdaf.shard(CTX, &m0, &nonce).unwrap()
    });
    // The wide parameter (bits 128 only), then the Zipf batch's: verify_init of each aggregator,
    // cycling through the batch's reports.
    let wide_param = wide.then(|| {
        let mut wrng = SplitMix64(POPLAR_SEED ^ bits as u64 ^ WIDE_SEED);
        let mut cands: Vec<Vec<bool>> = vec![measurements[0].clone()];
        for _ in 1..WIDE_PREFIXES {
            cands.push(wrng.bits(bits));
        }
        cands.sort();
        cands.dedup();
        eprintln!(
            "wide parameter, bits {bits}: {} candidate prefixes",
            cands.len()
        );
        Poplar1AggregationParam::try_from_prefixes(
            cands.iter().map(|c| IdpfInput::from_bools(c)).collect(),
        )
        .unwrap()
    });
    let mut rows: Vec<(String, usize, &Poplar1AggregationParam)> = Vec::new();
    if let Some(w) = &wide_param {
        rows.extend((0..2).map(|a| (wide_name(a), a, w)));
    }
    rows.extend((0..2).map(|a| (vi_name(a), a, &agg_param)));
    for (name, agg_id, param) in rows {
        let mut i = 0;
        out.time(&name, None, || {
            let (nonce, ps, shares) = &reports[i];
            i = if i + 1 == reports.len() { 0 } else { i + 1 };
            vdaf.verify_init(&VERIFY_KEY, CTX, agg_id, param, nonce, ps, &shares[agg_id])
                .unwrap()
        });
    }
}

/// poplar1_bench.cpp's IDPF benchmarks: Gen; Eval of alpha (one prefix at the last level, no
/// cache); EvalWalk, both children of alpha's prefix at every level with one cache.
fn bench_idpf(out: &Out, bits: usize) {
    let p = format!("/bits:{bits}");
    let mut rng = SplitMix64(POPLAR_SEED ^ ((bits as u64) << 32));
    let alpha_bits = rng.bits(bits);
    let alpha = IdpfInput::from_bools(&alpha_bits);
    let inner: Vec<Poplar1IdpfValue<Field64>> = (0..bits - 1)
        .map(|_| Poplar1IdpfValue::new([Field64::one(), Field64::from(rng.next() >> 1)]))
        .collect();
    let leaf = Poplar1IdpfValue::new([Field255::one(), Field255::from(rng.next())]);
    let nonce = rng.bytes(16);
    let idpf: Idpf<Poplar1IdpfValue<Field64>, Poplar1IdpfValue<Field255>> = Idpf::new((), ());
    // prio's IDPF gen with fixed randomness is crate-private: Gen draws its two 16-byte keys
    // from rand::rng() (a thread-local userspace CSPRNG) on every iteration.
    out.time(&format!("BM_IdpfBBCGGI21_Gen{p}"), None, || {
        idpf.gen(&alpha, inner.clone(), leaf, CTX, &nonce).unwrap()
    });
    let (ps, keys) = idpf.gen(&alpha, inner.clone(), leaf, CTX, &nonce).unwrap();
    out.time(&format!("BM_IdpfBBCGGI21_Eval{p}"), None, || {
        idpf.eval(0, &ps, &keys[0], &alpha, CTX, &nonce, &mut NoCache::new())
            .unwrap()
    });
    let walk: Vec<[IdpfInput; 2]> = (0..bits)
        .map(|level| {
            let mk = |b: bool| {
                let mut v = alpha_bits[..level].to_vec();
                v.push(b);
                IdpfInput::from_bools(&v)
            };
            [mk(false), mk(true)]
        })
        .collect();
    out.time(&format!("BM_IdpfBBCGGI21_EvalWalk{p}"), None, || {
        let mut cache = RingBufferCache::new(8);
        for children in &walk {
            for c in children {
                black_box(
                    idpf.eval(0, &ps, &keys[0], c, CTX, &nonce, &mut cache)
                        .unwrap(),
                );
            }
        }
    });
}

/// The dp_noise rows (vdaf-cpp: bench/dp_bench.cpp). Discrete Gaussian: the five standard
/// deviations of libprio-rs' own `dp_noise` bench (benches/speed_tests.rs, StdRng seeded as there),
/// plus 1, 10, 100, 1000. Discrete Laplace (not in libprio-rs' bench): scale 1/epsilon
/// (sensitivity 1) for epsilon 0.1, 1, 10. Add-noise: PureDpDiscreteLaplace(epsilon 1) on a
/// Prio3SumVec(length 1000, bits 1) aggregate share of zeros, L1 sensitivity 1000 on both sides;
/// libprio-rs draws its noise from `rand::rng()` there (thread-local userspace CSPRNG).
fn bench_dp(out: &Out) {
    const RNG_SEED: u64 = 0; // benches/speed_tests.rs
    let mut rng = StdRng::seed_from_u64(RNG_SEED);
    let u128max = BigUint::from(u128::MAX);
    let stds: Vec<(&str, Rational)> = vec![
        ("(2^128-1)^2", Rational::from(u128max.pow(2))),
        ("2^64-1", Rational::from(BigUint::from(u64::MAX))),
        ("2^32-1", Rational::from(BigUint::from(u32::MAX))),
        ("5", Rational::from(BigUint::from(5u8))),
        (
            "10000/23",
            Rational::from_unsigned(10000u32, 23u32).unwrap(),
        ),
        ("1", Rational::from(BigUint::from(1u8))),
        ("10", Rational::from(BigUint::from(10u8))),
        ("100", Rational::from(BigUint::from(100u8))),
        ("1000", Rational::from(BigUint::from(1000u16))),
    ];
    for (label, std) in stds {
        let sampler = DiscreteGaussian::new(std).unwrap();
        out.time(
            &format!("BM_DpDiscreteGaussian/sigma:{label}"),
            None,
            || sampler.sample(&mut rng),
        );
    }
    for (label, n, d) in [("0.1", 10u32, 1u32), ("1", 1, 1), ("10", 1, 10)] {
        let sampler = DiscreteLaplace::new(Rational::from_unsigned(n, d).unwrap()).unwrap();
        out.time(
            &format!("BM_DpDiscreteLaplace/epsilon:{label}/sensitivity:1"),
            None,
            || sampler.sample(&mut rng),
        );
    }
    let name = "BM_DpAddNoise_Prio3SumVec/length:1000/max:1/epsilon:1";
    if out.wants(name) {
        let vdaf = Prio3SumVec::new_sum_vec(2, 1, 1000, 31).unwrap();
        let strategy = PureDpDiscreteLaplace::from_budget(
            PureDpBudget::new(Rational::from_unsigned(1u32, 1u32).unwrap()).unwrap(),
        );
        let zeros = AggregateShare::from(vec![Field128::zero(); 1000]);
        out.time(name, None, || {
            let mut share = zeros.clone();
            vdaf.add_noise_to_agg_share(&strategy, &(), &mut share, 1000)
                .unwrap();
            share
        });
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut out = Out {
        min_time: 0.2,
        filter: None,
    };
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--shares" => {
                shares_mode();
                return;
            }
            "--build-info" => {
                build_info();
                return;
            }
            "--min-time" => {
                out.min_time = args[i + 1].parse().unwrap();
                i += 1;
            }
            "--filter" => {
                out.filter = Some(args[i + 1].clone());
                i += 1;
            }
            a => panic!("unknown argument {a}"),
        }
        i += 1;
    }

    let v = Prio3Count::new_count(2).unwrap();
    bench_prio3(&out, "Prio3Count", "", &v, &true);
    bench_prio3_round(&out, "Prio3Count", "", &v, &true);
    for max in [0xffu64, 0xffff_ffff] {
        let v = Prio3Sum::new_sum(2, max).unwrap();
        bench_prio3(
            &out,
            "Prio3Sum",
            &format!("/max:{max}"),
            &v,
            &(max - max / 7),
        );
    }
    for (l, c) in [(10, 3), (100, 10), (1000, 31)] {
        let v = Prio3SumVec::new_sum_vec(2, 1, l, c).unwrap();
        bench_prio3(
            &out,
            "Prio3SumVec",
            &len_chunk(l, c),
            &v,
            &sum_vec_measurement(l),
        );
        if l == 1000 {
            bench_prio3_round(
                &out,
                "Prio3SumVec",
                &len_chunk(l, c),
                &v,
                &sum_vec_measurement(l),
            );
        }
    }
    for (l, c) in [(10, 3), (100, 10), (1000, 31), (10000, 100), (100000, 316)] {
        let v = Prio3Histogram::new_histogram(2, l, c).unwrap();
        bench_prio3(&out, "Prio3Histogram", &len_chunk(l, c), &v, &(l / 3));
        if l == 100 {
            bench_prio3_round(&out, "Prio3Histogram", &len_chunk(l, c), &v, &(l / 3));
        }
    }
    for (l, c) in [(10, 3), (100, 10), (1000, 31)] {
        let v = Prio3MultihotCountVec::new_multihot_count_vec(2, l, 2, c).unwrap();
        bench_prio3(
            &out,
            "Prio3MultihotCountVec",
            &len_chunk(l, c),
            &v,
            &multihot_measurement(l),
        );
    }
    for bits in [16, 128, 256] {
        bench_poplar1(&out, bits);
    }
    for bits in [8, 128, 2048] {
        bench_idpf(&out, bits);
    }
    bench_dp(&out);
}
