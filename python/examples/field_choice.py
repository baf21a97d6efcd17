#!/usr/bin/env python3
"""Field64 with several proofs against Field128 with one, for Prio3 SumVec and Histogram: time
per shard and per verification, bytes per report. The Python twin of bench/field_choice/run
(same grid, same columns), on the vdaf package:

    python field_choice.py [--out field_choice.png] [--quick] [--reps N] [--min-time SECS]
                           [--circuit SumVec|Histogram] [--proofs 2,3] [--md FILE]

For each of SumVec (length, chunk) in {(10,3), (100,10), (1000,31)} (max_measurement 1) and
Histogram (length, chunk) in {(10,3), (100,10), (1000,31), (10000,100), (100000,316)}, and for
each of Field128 x 1 proof and Field64 x each of --proofs (ID 0xFFFFFFFF, 2 aggregators, empty
ctx, zero nonce and verify key, fixed sharding randomness), and for SumVec also
Prio3SumVecField64MultiproofHmacSha256Aes128 (0xFFFF1003: Field64 x 3 proofs with
XofHmacSha256Aes128), it measures shard, each aggregator's verify_init and the whole
verification round (2 x verify_init, verifier_shares_to_message, 2 x verify_next), and counts
upload bytes (public share + both input shares), the leader's share and the verifier bytes
(both verifier shares + the message). Times are medians of --reps runs (time.perf_counter, each
run repeated until it lasts --min-time), one core; every configuration is first sharded,
verified and unsharded and checked against its measurement. --quick keeps the three smallest
sizes of each circuit and short runs (well under a minute). Each call crosses from Python into
C++, so the smallest sizes carry about a microsecond of call overhead per operation that the
C++ report does not, and "verify" includes turning both output shares (OUTPUT_LEN field
elements each) into Python ints (about half of the round at Histogram(100000), where OUTPUT_LEN is
100000). The byte columns equal the C++ report's; times are comparable with a build of the same
flags (the package is built -O2 and portable by default, bench/field_choice -O3 -march=native:
see python/README.md for VDAF_PYTHON_MARCH).

Soundness is not equal across the columns: §9.7 recommends, for circuits with joint randomness
(SumVec and Histogram have it), Field128 with one proof or Field64 with at least three.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import sys
import time

import vdaf

CTX = b""
NONCE = bytes(16)
KEY = bytes(32)
GRID = {
    "SumVec": [(10, 3), (100, 10), (1000, 31)],
    "Histogram": [(10, 3), (100, 10), (1000, 31), (10000, 100), (100000, 316)],
}


def make(circuit: str, length: int, chunk: int, field: str, proofs: int, xof: str):
    if xof == "XofHmacSha256Aes128":
        return vdaf.Prio3SumVecField64MultiproofHmacSha256Aes128(2, length, 1, chunk, proofs)
    f = vdaf.Field64 if field == "Field64" else vdaf.Field128
    if circuit == "SumVec":
        return vdaf.Prio3SumVecWithMultiproof(2, f, proofs, length, 1, chunk)
    return vdaf.Prio3HistogramWithMultiproof(2, f, proofs, length, chunk)


def measurement(circuit: str, length: int):
    if circuit == "SumVec":
        return [i % 2 for i in range(length)]
    return length // 2


def expected(circuit: str, length: int):
    if circuit == "SumVec":
        return [i % 2 for i in range(length)]
    return [1 if i == length // 2 else 0 for i in range(length)]


def timed(fn, reps: int, min_time: float) -> float:
    """Median over `reps` runs of the seconds per call; each run repeats fn until min_time."""
    n = 1
    while True:  # calibrate
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / 4 or n >= 1 << 20:
            break
        n *= 4
    n = max(1, int(n * min_time / max(dt, 1e-9)))
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        runs.append((time.perf_counter() - t0) / n)
    return statistics.median(runs)


def measure(circuit, length, chunk, field, proofs, xof, reps, min_time):
    v = make(circuit, length, chunk, field, proofs, xof)
    m = measurement(circuit, length)
    rand = bytes((7 * i) & 0xFF for i in range(v.RAND_SIZE))
    ps, shares = v.shard(CTX, m, NONCE, rand)

    def verify():
        s0, vs0 = v.verify_init(KEY, CTX, 0, None, NONCE, ps, shares[0])
        s1, vs1 = v.verify_init(KEY, CTX, 1, None, NONCE, ps, shares[1])
        msg = v.verifier_shares_to_message(CTX, None, [vs0, vs1])
        return v.verify_next(CTX, s0, msg), v.verify_next(CTX, s1, msg), (vs0, vs1, msg)

    out0, out1, (vs0, vs1, msg) = verify()
    got = v.unshard(None, [out0, out1], 1)
    if got != expected(circuit, length):
        sys.exit(f"{circuit}({length}, {chunk}) {field} x {proofs}: unshard gave a wrong result")
    row = {
        "circuit": circuit, "length": length, "chunk": chunk, "field": field, "proofs": proofs,
        "xof": xof,
        "upload_bytes": len(v.encode_public_share(ps)) + sum(
            len(v.encode_input_share(s)) for s in shares),
        "leader_bytes": len(v.encode_input_share(shares[0])),
        "verifier_bytes": len(v.encode_verifier_share(vs0)) + len(v.encode_verifier_share(vs1))
        + len(v.encode_verifier_message(msg)),
    }
    row["shard_ns"] = 1e9 * timed(lambda: v.shard(CTX, m, NONCE, rand), reps, min_time)
    row["verify_init_leader_ns"] = 1e9 * timed(
        lambda: v.verify_init(KEY, CTX, 0, None, NONCE, ps, shares[0]), reps, min_time)
    row["verify_init_helper_ns"] = 1e9 * timed(
        lambda: v.verify_init(KEY, CTX, 1, None, NONCE, ps, shares[1]), reps, min_time)
    row["verify_ns"] = 1e9 * timed(verify, reps, min_time)
    return row


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def markdown(rows, meta):
    lines = [f"Field choices (Python, vdaf {vdaf.LIBRARY_VERSION}), {meta['date']}, "
             f"{meta['cpu']}, Python {meta['python']}; median of {meta['reps']} runs, wall "
             "clock, one core. Verify = both aggregators' verify_init + "
             "verifier_shares_to_message + verify_next (whose output shares become Python "
             "ints). Bytes: upload = public share + both input shares; verifier = both "
             "verifier shares + message.", "",
             "| instance | field | proofs | XOF | shard | verify_init leader | verify_init helper "
             "| verify | upload bytes | leader share | verifier bytes |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['circuit']}({r['length']}, {r['chunk']}) | {r['field']} | {r['proofs']} | "
            f"{r['xof']} | {fmt_time(r['shard_ns'])} | {fmt_time(r['verify_init_leader_ns'])} | "
            f"{fmt_time(r['verify_init_helper_ns'])} | {fmt_time(r['verify_ns'])} | "
            f"{r['upload_bytes']} | {r['leader_bytes']} | {r['verifier_bytes']} |")
    lines += ["", "Field64 with 2 proofs is below the §9.7 recommendation for circuits with joint "
              "randomness (Field128 with 1 proof, or Field64 with at least 3): shown for the "
              "trend only. Field64 × 3 proofs with XofHmacSha256Aes128 is the instance Divvi Up "
              "(Janus) and Cloudflare (Daphne) deploy, codepoint 0xFFFF1003 (SumVec only)."]
    return "\n".join(lines) + "\n"


def plot(png, rows, title, variants):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    instances = []
    for r in rows:
        name = f"{r['circuit']}\n({r['length']},{r['chunk']})"
        if name not in instances:
            instances.append(name)
    metrics = [("shard_ns", "shard (µs)", 1e3), ("verify_ns", "verification round (µs)", 1e3),
               ("upload_bytes", "upload bytes per report", 1)]
    fig, axes = plt.subplots(len(metrics), 1, figsize=(max(8, 1.1 * len(instances)), 11))
    width = 0.8 / len(variants)
    for ax, (key, label, scale) in zip(axes, metrics):
        for k, (field, proofs, xof) in enumerate(variants):
            xs, ys = [], []
            for i, inst in enumerate(instances):
                for r in rows:
                    name = f"{r['circuit']}\n({r['length']},{r['chunk']})"
                    if name == inst and (r["field"], r["proofs"], r["xof"]) == (field, proofs, xof):
                        xs.append(i + (k - (len(variants) - 1) / 2) * width)
                        ys.append(r[key] / scale)
            hmac = ", HMAC-AES (0xFFFF1003)" if xof == "XofHmacSha256Aes128" else ""
            plural = "s" if proofs > 1 else ""
            ax.bar(xs, ys, width, label=f"{field} × {proofs} proof{plural}{hmac}")
        ax.set_yscale("log")
        ax.set_ylabel(label)
        ax.set_xticks(range(len(instances)))
        ax.set_xticklabels(instances, fontsize=8)
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    axes[0].set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="field_choice.png", help="the PNG to write")
    ap.add_argument("--md", default=None, help="also write the Markdown table here")
    ap.add_argument("--quick", action="store_true",
                    help="the three smallest sizes of each circuit, short runs (< 1 minute)")
    ap.add_argument("--reps", type=int, default=None, help="runs per timing (default 3)")
    ap.add_argument("--min-time", type=float, default=None,
                    help="seconds per run (default 0.2, 0.02 with --quick)")
    ap.add_argument("--circuit", choices=sorted(GRID), action="append",
                    help="only this circuit (repeatable)")
    ap.add_argument("--proofs", default="2,3", help="Field64 proof counts (default 2,3)")
    a = ap.parse_args()
    reps = a.reps or 3
    min_time = a.min_time or (0.02 if a.quick else 0.2)
    proofs64 = [int(p) for p in a.proofs.split(",") if p]
    variants = [("Field128", 1, "XofTurboShake128")] + [
        ("Field64", p, "XofTurboShake128") for p in proofs64]
    configs = []
    for circuit in a.circuit or ["SumVec", "Histogram"]:
        sizes = GRID[circuit][:3] if a.quick else GRID[circuit]
        for length, chunk in sizes:
            for field, proofs, xof in variants:
                configs.append((circuit, length, chunk, field, proofs, xof))
            if circuit == "SumVec":
                configs.append((circuit, length, chunk, "Field64", 3, "XofHmacSha256Aes128"))
    all_variants = variants + ([("Field64", 3, "XofHmacSha256Aes128")]
                               if any(c[5] == "XofHmacSha256Aes128" for c in configs) else [])
    rows = []
    t0 = time.perf_counter()
    for c in configs:
        print(f"{c[0]}({c[1]}, {c[2]}) {c[3]} x {c[4]} {c[5]} ...", file=sys.stderr, flush=True)
        rows.append(measure(*c, reps, min_time))
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu, "python": platform.python_version(), "reps": reps}
    table = markdown(rows, meta)
    print(table)
    if a.md:
        with open(a.md, "w") as f:
            f.write(table)
    plot(a.out, rows, f"Prio3 field choices (Python), {meta['date']}, {cpu}", all_variants)
    print(f"wrote {a.out} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
