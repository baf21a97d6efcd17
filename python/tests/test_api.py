"""The Python API beyond the vectors: error mapping, batch == one by one, ping-pong, fields,
stored states, and a property test (shard -> verify -> aggregate -> unshard is the plain sum).
"""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vdaf

CTX = b"python tests"
KEY = bytes(range(32))


def rand_for(v, seed: int) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    return rng.randbytes(v.NONCE_SIZE), rng.randbytes(v.RAND_SIZE)


def run_report(v, measurement, seed=0, ap=None, key=KEY, ctx=CTX):
    """One report through the whole round; returns the output shares (lists of ints)."""
    nonce, rand = rand_for(v, seed)
    ps, shares = v.shard(ctx, measurement, nonce, rand)
    states, vss = [], []
    for a in range(v.SHARES):
        st_, vs = v.verify_init(key, ctx, a, ap, nonce, ps, shares[a])
        states.append(st_)
        vss.append(vs)
    for _ in range(v.ROUNDS - 1):
        msg = v.verifier_shares_to_message(ctx, ap, vss)
        nxt = [v.verify_next(ctx, s, msg) for s in states]
        states = [x[0] for x in nxt]
        vss = [x[1] for x in nxt]
    msg = v.verifier_shares_to_message(ctx, ap, vss)
    return [v.verify_next(ctx, s, msg) for s in states]


def aggregate(v, measurements, ap=None):
    aggs = [v.agg_init(ap) for _ in range(v.SHARES)]
    for i, m in enumerate(measurements):
        outs = run_report(v, m, seed=i, ap=ap)
        aggs = [v.agg_update(ap, agg, out) for agg, out in zip(aggs, outs)]
    return v.unshard(ap, aggs, len(measurements))


# --- constants and the module ------------------------------------------------------------------


def test_constants():
    v = vdaf.Prio3Count(2)
    assert (vdaf.Prio3Count.ID, v.ID, v.SHARES) == (1, 1, 2)
    assert (v.VERIFY_KEY_SIZE, v.NONCE_SIZE) == (32, 16)
    assert v.RAND_SIZE == 64 and v.ROUNDS == 1 and v.FIELD == "Field64"
    h = vdaf.Prio3Histogram(3, 4, 2)
    assert h.RAND_SIZE == 2 * 32 * 3  # joint randomness: seed and blind per aggregator
    assert (h.MEAS_LEN, h.OUTPUT_LEN, h.PROOFS) == (4, 4, 1)
    assert vdaf.Poplar1.ID == 6 and vdaf.Poplar1(4).RAND_SIZE == 128 and vdaf.Poplar1.ROUNDS == 2
    assert vdaf.Prio3SumVecField64MultiproofHmacSha256Aes128.ID == 0xFFFF1003
    assert (vdaf.VERSION, vdaf.DRAFT) == (18, 20)
    assert issubclass(vdaf.Error, ValueError) and vdaf.Error.__module__ == "vdaf"
    assert vdaf.VerifyError.__qualname__ == "VerifyError"
    for e in (vdaf.DecodeError, vdaf.InvalidArgument, vdaf.VerifyError, vdaf.InternalError):
        assert issubclass(e, vdaf.Error)
    # §7.4.3.1: the chunk length minimising the proof length 2c + 2(p-1) + 1,
    # p = next_pow2(1 + ceil(meas_len / c)): 33 for MEAS_LEN 1000 (length 31 gives 189).
    assert vdaf.Prio3SumVec.recommended_chunk_length(1000, 1) == 33
    assert vdaf.Prio3Histogram.recommended_chunk_length(1000) == 33


def test_fields():
    p64 = 2**64 - 2**32 + 1
    p128 = 2**66 * 4611686018427387897 + 1
    p255 = 2**255 - 19
    for F, p, n in ((vdaf.Field64, p64, 8), (vdaf.Field128, p128, 16), (vdaf.Field255, p255, 32)):
        assert (F.MODULUS, F.ENCODED_SIZE) == (p, n)
        vals = [0, 1, p - 1, 12345678901234567890 % p, (p // 3)]
        enc = F.encode_vec(vals)
        assert enc == b"".join(x.to_bytes(n, "little") for x in vals)
        assert F.decode_vec(enc) == vals
        with pytest.raises(vdaf.DecodeError):
            F.decode_vec(p.to_bytes(n + 1, "little")[:n])  # p itself is not canonical
        with pytest.raises(vdaf.DecodeError):
            F.decode_vec(b"\x00" * (n + 1))
        with pytest.raises(vdaf.InvalidArgument):
            F.encode_vec([p])
        with pytest.raises(vdaf.InvalidArgument):
            F.encode_vec([-1])


# --- errors ------------------------------------------------------------------------------------


def test_bad_bytes_raise_decode_error():
    v = vdaf.Prio3Histogram(2, 4, 2)
    with pytest.raises(vdaf.DecodeError) as e:
        v.decode_public_share(b"\x01" * 63)
    assert isinstance(e.value, ValueError) and "public share" in str(e.value)
    with pytest.raises(vdaf.DecodeError):
        v.decode_input_share(0, b"")
    with pytest.raises(vdaf.DecodeError):
        v.decode_agg_param(b"\x00")
    with pytest.raises(vdaf.DecodeError):
        vdaf.Poplar1(4).decode_agg_param(b"\x00\x01")


def test_bad_measurement_raises_invalid_argument():
    cases = [
        (vdaf.Prio3Count(2), 2),
        (vdaf.Prio3Count(2), -1),
        (vdaf.Prio3Sum(2, 10), 11),
        (vdaf.Prio3SumVec(2, 3, 7, 2), [1, 8, 0]),
        (vdaf.Prio3SumVec(2, 3, 7, 2), [1, 2]),
        (vdaf.Prio3Histogram(2, 4, 2), 4),
        (vdaf.Prio3MultihotCountVec(2, 4, 2, 2), [True, True, True, False]),
        (vdaf.Prio3L1BoundSum(2, 3, 10, 2), [5, 5, 1]),
        (vdaf.Prio3SumVec(2, 3, 7, 2), "abc"),
        (vdaf.Poplar1(4), [True, False]),
    ]
    for v, m in cases:
        nonce, rand = rand_for(v, 0)
        with pytest.raises(vdaf.InvalidArgument) as e:
            v.shard(CTX, m, nonce, rand)
        assert isinstance(e.value, ValueError) and str(e.value)
    with pytest.raises(vdaf.InvalidArgument):
        vdaf.Prio3Count(1)
    with pytest.raises(vdaf.InvalidArgument):
        vdaf.Prio3Count(2).shard(CTX, 1, b"short", bytes(64))
    with pytest.raises(vdaf.InvalidArgument):
        vdaf.Prio3Count(2).agg_init((0, ()))  # Prio3's agg_param is None


def test_tampered_report_raises_verify_error():
    v = vdaf.Prio3Sum(2, 100)
    nonce, rand = rand_for(v, 1)
    ps, shares = v.shard(CTX, 42, nonce, rand)
    enc = bytearray(v.encode_input_share(shares[0]))
    enc[0] ^= 1  # change the leader's measurement share: the proof no longer verifies
    leader = v.decode_input_share(0, bytes(enc))
    st0, vs0 = v.verify_init(KEY, CTX, 0, None, nonce, ps, leader)
    st1, vs1 = v.verify_init(KEY, CTX, 1, None, nonce, ps, shares[1])
    with pytest.raises(vdaf.VerifyError) as e:
        v.verifier_shares_to_message(CTX, None, [vs0, vs1])
    assert isinstance(e.value, ValueError)
    assert e.value.reason == "proof_rejected" and e.value.proof == 0
    assert "rejected" in str(e.value)
    # Joint randomness: a message from another report does not match the state.
    h = vdaf.Prio3Histogram(2, 4, 2)
    outs = []
    for seed in (2, 3):
        nonce, rand = rand_for(h, seed)
        ps, shares = h.shard(CTX, 1, nonce, rand)
        pairs = [h.verify_init(KEY, CTX, a, None, nonce, ps, shares[a]) for a in range(2)]
        outs.append((pairs, h.verifier_shares_to_message(CTX, None, [p[1] for p in pairs])))
    with pytest.raises(vdaf.VerifyError) as e:
        h.verify_next(CTX, outs[0][0][0][0], outs[1][1])
    assert e.value.reason == "joint_rand_mismatch" and e.value.proof is None


# --- whole rounds and the property test --------------------------------------------------------


def test_round_trip_every_prio3_instance():
    cases = [
        (vdaf.Prio3Count(3), [1, 0, 1, 1], 3),
        (vdaf.Prio3Sum(2, 1000), [1000, 0, 7], 1007),
        (vdaf.Prio3SumVec(2, 3, 2**64 - 1, 16), [[2**64 - 1, 1, 0], [2**64 - 1, 2, 3]],
         [2**65 - 2, 3, 3]),
        (vdaf.Prio3Histogram(2, 5, 2), [0, 4, 4], [1, 0, 0, 0, 2]),
        (vdaf.Prio3MultihotCountVec(2, 4, 2, 2), [[True, False, False, True], [0, 0, 0, 1]],
         [1, 0, 0, 2]),
        (vdaf.Prio3L1BoundSum(2, 3, 10, 2), [[5, 4, 1], [0, 0, 10]], [5, 4, 11]),
        (vdaf.Prio3HigherDegree(2), [2, 1], 3),
        (vdaf.Prio3SumVecWithMultiproof(2, vdaf.Field64, 3, 2, 5, 1), [[5, 1], [2, 2]], [7, 3]),
        (vdaf.Prio3SumVecWithMultiproof(3, vdaf.Field128, 2, 2, 5, 1), [[5, 1]], [5, 1]),
        (vdaf.Prio3HistogramWithMultiproof(2, vdaf.Field64, 2, 3, 2), [2, 2], [0, 0, 2]),
        (vdaf.Prio3HistogramWithMultiproof(2, vdaf.Field128, 2, 3, 2), [0], [1, 0, 0]),
        (vdaf.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 2, 2**62, 4, 3),
         [[2**62, 1], [5, 0]], [2**62 + 5, 1]),
    ]
    for v, ms, expected in cases:
        assert aggregate(v, ms) == expected, type(v).__name__


def test_poplar1_round_trip_and_is_valid():
    v = vdaf.Poplar1(4)
    ms = [[True, False, True, True], [True, False, False, False], [True, False, True, True]]
    ap0 = (0, ((False,), (True,)))
    assert v.is_valid(ap0, [])
    assert aggregate(v, ms, ap0) == [0, 3]
    ap1 = (1, ((True, False), (True, True)))
    assert v.is_valid(ap1, [ap0]) and not v.is_valid(ap0, [ap0])
    assert aggregate(v, ms, ap1) == [3, 0]
    leaf = (3, ((True, False, False, False), (True, False, True, True)))
    assert v.is_leaf(3)
    assert aggregate(v, ms, leaf) == [1, 2]
    assert v.decode_agg_param(v.encode_agg_param(leaf)) == leaf


@settings(max_examples=15, deadline=None)
@given(st.lists(st.lists(st.integers(0, 15), min_size=3, max_size=3), min_size=1, max_size=4),
       st.integers(2, 4))
def test_property_sumvec_equals_plain_sum(ms, shares):
    v = vdaf.Prio3SumVec(shares, 3, 15, 2)
    assert aggregate(v, ms) == [sum(col) for col in zip(*ms)]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=5))
def test_property_histogram_equals_counts(ms):
    v = vdaf.Prio3Histogram(2, 7, 3)
    assert aggregate(v, ms) == [ms.count(i) for i in range(7)]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(0, 2**20), min_size=1, max_size=4), st.integers(1, 3))
def test_property_multiproof_field64_equals_sum(ms, proofs):
    v = vdaf.Prio3SumVecWithMultiproof(2, vdaf.Field64, proofs, 1, 2**20, 1)
    assert aggregate(v, [[m] for m in ms]) == [sum(ms)]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=6))
def test_property_count_equals_sum(ms):
    assert aggregate(vdaf.Prio3Count(2), ms) == sum(ms)


# --- batch == one by one -----------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda: vdaf.Prio3Count(2),
    lambda: vdaf.Prio3Histogram(3, 5, 2),
    lambda: vdaf.Prio3SumVecField64MultiproofHmacSha256Aes128(2, 4, 3, 2, 3),
])
def test_batch_equals_one_by_one(make):
    v = make()
    n = 11
    meas = {"Prio3Count": lambda i: i % 2, "Prio3Histogram": lambda i: i % 5}.get(
        type(v).__name__, lambda i: [i % 4, 1, 0, 3])
    reports = []
    for i in range(n):
        nonce, rand = rand_for(v, 100 + i)
        reports.append((nonce, *v.shard(CTX, meas(i), nonce, rand)))
    # Report 3 is tampered: the leader's share of another report (its proof fails).
    bad = 3
    nonces = [r[0] for r in reports]
    pss = [r[1] for r in reports]
    inputs = [[r[2][a] for r in reports] for a in range(v.SHARES)]
    inputs[0][bad] = reports[bad + 1][2][0]
    batch = [v.verify_init_batch(KEY, CTX, a, None, nonces, pss, inputs[a])
             for a in range(v.SHARES)]
    for a in range(v.SHARES):
        assert len(batch[a]) == n
        for i in range(n):
            st1, vs1 = v.verify_init(KEY, CTX, a, None, nonces[i], pss[i], inputs[a][i])
            st_b, vs_b = batch[a][i]
            assert v.encode_verifier_share(vs_b) == v.encode_verifier_share(vs1)
            assert v.encode_verify_state(st_b) == v.encode_verify_state(st1)
    msgs = v.verifier_shares_to_message_batch(CTX, None, [[x[1] for x in b] for b in batch])
    for i in range(n):
        if i == bad:
            assert isinstance(msgs[i], vdaf.VerifyError) and msgs[i].reason == "proof_rejected"
            with pytest.raises(vdaf.VerifyError):
                v.verifier_shares_to_message(CTX, None, [b[i][1] for b in batch])
        else:
            one = v.verifier_shares_to_message(CTX, None, [b[i][1] for b in batch])
            assert v.encode_verifier_message(msgs[i]) == v.encode_verifier_message(one)
    ok = [i for i in range(n) if i != bad]
    for a in range(v.SHARES):
        outs = v.verify_next_batch(CTX, [batch[a][i][0] for i in ok], [msgs[i] for i in ok])
        assert outs == [v.verify_next(CTX, batch[a][i][0], msgs[i]) for i in ok]
        assert all(isinstance(o, list) for o in outs)
    # parallel=True (vdaf::parallel on oneTBB, in tasks of 8 reports here) gives the same
    # outcomes; without oneTBB in the build it is refused.
    if vdaf.HAVE_PARALLEL:
        for a in range(v.SHARES):
            par = v.verify_init_batch(KEY, CTX, a, None, nonces, pss, inputs[a], parallel=True,
                                      grain=8)
            assert [v.encode_verifier_share(x[1]) for x in par] == \
                [v.encode_verifier_share(x[1]) for x in batch[a]]
        pm = v.verifier_shares_to_message_batch(CTX, None, [[x[1] for x in b] for b in batch],
                                                parallel=True, grain=8)
        assert [type(x) for x in pm] == [type(x) for x in msgs]
        assert isinstance(pm[bad], vdaf.VerifyError)
        po = v.verify_next_batch(CTX, [batch[0][i][0] for i in ok], [msgs[i] for i in ok],
                                 parallel=True, grain=8)
        assert po == v.verify_next_batch(CTX, [batch[0][i][0] for i in ok], [msgs[i] for i in ok])
    else:
        with pytest.raises(vdaf.InvalidArgument):
            v.verify_init_batch(KEY, CTX, 0, None, nonces, pss, inputs[0], parallel=True)
    # A missing verifier share (None) fails only its report.
    by_agg = [[x[1] for x in b] for b in batch]
    by_agg[1][0] = None
    res = v.verifier_shares_to_message_batch(CTX, None, by_agg)
    assert isinstance(res[0], vdaf.InvalidArgument)
    assert not isinstance(res[1], Exception)
    with pytest.raises(vdaf.InvalidArgument):
        v.verify_init_batch(KEY, CTX, 0, None, nonces[:2], pss, inputs[0])


# --- ping-pong and stored states ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["prio3", "poplar1"])
def test_ping_pong(kind):
    if kind == "prio3":
        v, m, ap = vdaf.Prio3Histogram(2, 4, 2), 2, None
    else:
        v, m, ap = vdaf.Poplar1(4), [True, True, False, False], (1, ((True, False), (True, True)))
    nonce, rand = rand_for(v, 7)
    ps, shares = v.shard(CTX, m, nonce, rand)
    ps_b = v.encode_public_share(ps)
    in_b = [v.encode_input_share(s) for s in shares]
    leader = v.ping_pong(KEY, CTX, ap)
    helper = type(v).PingPong(v, KEY, CTX, ap)
    ls = leader.leader_initialized(nonce, ps_b, in_b[0])
    assert ls.kind == "continued" and ls.outbound and ls.verify_round == 0
    # Stored and restored states work the same.
    ls = leader.decode_state(leader.encode_state(ls))
    hs = helper.helper_initialized(nonce, ps_b, in_b[1], ls.outbound)
    steps = 0
    while True:
        steps += 1
        assert not hs.is_rejected, hs.reason
        if hs.kind == "finished_with_outbound":
            ls = leader.leader_continued(ls, hs.outbound)
            assert ls.kind == "finished" and ls.outbound is None, ls.reason
            break
        assert hs.kind == "continued"
        ls = leader.leader_continued(ls, hs.outbound)
        assert not ls.is_rejected, ls.reason
        if ls.kind == "finished_with_outbound":
            hs = helper.helper_continued(hs, ls.outbound)
            assert hs.kind == "finished", hs.reason
            break
        hs = helper.helper_continued(hs, ls.outbound)
    assert steps == 1 and ls.is_finished and hs.is_finished
    outs = [leader.out_share(ls), helper.out_share(hs)]
    assert outs == run_report(v, m, seed=7, ap=ap)
    result = v.unshard(ap, outs, 1)
    assert result == ([0, 0, 1, 0] if kind == "prio3" else [0, 1])
    # A tampered message is a 'rejected' state, not an exception.
    bad = helper.helper_initialized(nonce, ps_b, in_b[1], b"\x00garbage")
    assert bad.is_rejected and bad.cause == "decode_error" and bad.outbound is None


def test_ping_pong_batch_equals_one_by_one():
    v = vdaf.Prio3SumVec(2, 3, 7, 2)
    leader, helper = v.ping_pong(KEY, CTX, None), v.ping_pong(KEY, CTX, None)
    n = 6
    reps = []
    for i in range(n):
        nonce, rand = rand_for(v, 200 + i)
        ps, shares = v.shard(CTX, [i % 8, 1, 7], nonce, rand)
        reps.append((nonce, v.encode_public_share(ps), [v.encode_input_share(s) for s in shares]))
    nonces = [r[0] for r in reps]
    pss = [r[1] for r in reps]
    lb = leader.leader_initialized_batch(nonces, pss, [r[2][0] for r in reps])
    ls = [leader.leader_initialized(r[0], r[1], r[2][0]) for r in reps]
    assert [s.outbound for s in lb] == [s.outbound for s in ls]
    inbound = [s.outbound for s in lb]
    inbound[2] = inbound[2][:-1]  # truncated message: that report only is rejected
    hb = helper.helper_initialized_batch(nonces, pss, [r[2][1] for r in reps], inbound)
    hs = [helper.helper_initialized(r[0], r[1], r[2][1], inbound[i]) for i, r in enumerate(reps)]
    assert [s.kind for s in hb] == [s.kind for s in hs]
    assert hb[2].is_rejected and all(s.kind == "finished_with_outbound"
                                     for i, s in enumerate(hb) if i != 2)
    assert [helper.out_share(s) for s in hb] == [helper.out_share(s) for s in hs]
    ok = [i for i in range(n) if i != 2]
    lf = leader.leader_continued_batch([lb[i] for i in ok], [hb[i].outbound for i in ok])
    assert all(s.kind == "finished" for s in lf)
    aggs = [v.merge(None, [leader.out_share(s) for s in lf]),
            v.merge(None, [helper.out_share(hb[i]) for i in ok])]
    assert v.unshard(None, aggs, len(ok)) == [sum(i % 8 for i in ok), len(ok), 7 * len(ok)]


def test_stored_verify_state_and_encodings_round_trip():
    v = vdaf.Prio3MultihotCountVec(2, 5, 3, 2)
    nonce, rand = rand_for(v, 9)
    ps, shares = v.shard(CTX, [1, 0, 1, 0, 1], nonce, rand)
    st0, vs0 = v.verify_init(KEY, CTX, 0, None, nonce, ps, shares[0])
    # The public parts of the messages are readable.
    assert len(ps.joint_rand_parts) == 2 and all(len(p) == 32 for p in ps.joint_rand_parts)
    assert shares[0].is_leader and not shares[1].is_leader and st0.agg_id == 0
    assert len(vs0.verifiers_share) == v.VERIFIER_LEN * v.PROOFS and len(vs0.joint_rand_part) == 32
    assert v.encode_verifier_share(vs0) == \
        vdaf.Field128.encode_vec(vs0.verifiers_share) + vs0.joint_rand_part
    enc = v.encode_verify_state(st0)
    st0b = v.decode_verify_state(enc)
    assert v.encode_verify_state(st0b) == enc
    with pytest.raises(vdaf.DecodeError):
        v.decode_verify_state(enc[:-1])
    with pytest.raises(vdaf.DecodeError):
        vdaf.Prio3MultihotCountVec(2, 5, 2, 2).decode_verify_state(enc)  # other parameters
    assert v.encode_public_share(v.decode_public_share(v.encode_public_share(ps))) == \
        v.encode_public_share(ps)
    for a in range(2):
        b = v.encode_input_share(shares[a])
        assert v.encode_input_share(v.decode_input_share(a, b)) == b
    assert v.encode_verifier_share(v.decode_verifier_share(st0, v.encode_verifier_share(vs0))) == \
        v.encode_verifier_share(vs0)
    assert v.encode_agg_param(None) == b"" and v.decode_agg_param(b"") is None
    share = v.agg_init(None)
    assert share == [0] * 5
    assert v.decode_agg_share(None, v.encode_agg_share(None, [1, 2, 3, 4, 5])) == [1, 2, 3, 4, 5]
    assert v.is_valid(None, []) and not v.is_valid(None, [None])


def test_xof_stream_and_fields_argument():
    seed = os.urandom(32)
    x = vdaf.XofTurboShake128(seed, b"dst", b"binder")
    a = x.next(10) + x.next(22)
    assert a == vdaf.XofTurboShake128.derive_seed(seed, b"dst", b"binder")
    with pytest.raises(vdaf.InvalidArgument):
        vdaf.XofTurboShake128.expand_into_vec(int, seed, b"", b"", 3)
    with pytest.raises(vdaf.InvalidArgument):
        vdaf.XofFixedKeyAes128(bytes(32), b"", b"")  # its seed is 16 bytes
    vals = vdaf.XofFixedKeyAes128.expand_into_vec(vdaf.Field255, bytes(16), b"d", b"b", 5)
    assert len(vals) == 5 and all(0 <= y < vdaf.Field255.MODULUS for y in vals)


def test_type_stubs_and_marker_are_shipped():
    from pathlib import Path

    pkg = Path(vdaf.__file__).parent
    assert (pkg / "py.typed").is_file()
    stub = (pkg / "_vdaf.pyi").read_text()
    for name in ("class Prio3Count", "class Poplar1", "class Field128", "class XofTurboShake128",
                 "def verify_init(", "def verifier_shares_to_message_batch(", "class PingPong"):
        assert name in stub, name


def test_readme_example_runs(capsys):
    """The example of python/README.md (and of the repository README's Python section)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for readme in (root / "python" / "README.md", root / "README.md"):
        text = readme.read_text()
        blocks = re.findall(r"```python\n(.*?)```", text, re.S)
        assert blocks, readme
        exec(compile(blocks[0], str(readme), "exec"), {})
        assert capsys.readouterr().out.splitlines()[-1] == "[16, 2, 3, 5]"
