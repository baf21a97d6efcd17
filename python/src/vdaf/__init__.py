"""vdaf: Python bindings of vdaf-cpp (draft-irtf-cfrg-vdaf-20).

The classes and methods carry the names of the draft's Python reference (poc/vdaf_poc):
``Prio3Count(shares).shard(ctx, measurement, nonce, rand)``, ``verify_init``,
``verifier_shares_to_message``, ``verify_next``, ``agg_init``, ``agg_update``, ``merge``,
``unshard``, ``is_valid``; field elements, output and aggregate shares and results are plain
Python ints and lists of ints; messages are opaque objects with ``encode_*``/``decode_*``
methods to and from ``bytes``. Errors are ``vdaf.Error`` (a ``ValueError``) and its subclasses
``DecodeError``, ``InvalidArgument``, ``VerifyError`` and ``InternalError``.
"""

from __future__ import annotations

from typing import Union

from ._vdaf import (
    DRAFT,
    HAVE_PARALLEL,
    LIBRARY_VERSION,
    VERSION,
    DecodeError,
    Error,
    Field64,
    Field128,
    Field255,
    IdpfBBCGGI21,
    InternalError,
    InvalidArgument,
    Poplar1,
    Prio3Count,
    Prio3HigherDegree,
    Prio3Histogram,
    Prio3HistogramWithMultiproofField64,
    Prio3HistogramWithMultiproofField128,
    Prio3L1BoundSum,
    Prio3MultihotCountVec,
    Prio3Sum,
    Prio3SumVec,
    Prio3SumVecField64MultiproofHmacSha256Aes128,
    Prio3SumVecWithMultiproofField64,
    Prio3SumVecWithMultiproofField128,
    VerifyError,
    XofFixedKeyAes128,
    XofHmacSha256Aes128,
    XofTurboShake128,
)

# The exception classes are defined by the extension module; users see them as vdaf.Error, ...
for _e in (Error, DecodeError, InvalidArgument, VerifyError, InternalError):
    _e.__module__ = __name__
del _e

__all__ = [
    "DRAFT",
    "HAVE_PARALLEL",
    "LIBRARY_VERSION",
    "VERSION",
    "DecodeError",
    "Error",
    "Field64",
    "Field128",
    "Field255",
    "IdpfBBCGGI21",
    "InternalError",
    "InvalidArgument",
    "Poplar1",
    "Prio3Count",
    "Prio3HigherDegree",
    "Prio3Histogram",
    "Prio3HistogramWithMultiproof",
    "Prio3HistogramWithMultiproofField64",
    "Prio3HistogramWithMultiproofField128",
    "Prio3L1BoundSum",
    "Prio3MultihotCountVec",
    "Prio3Sum",
    "Prio3SumVec",
    "Prio3SumVecField64MultiproofHmacSha256Aes128",
    "Prio3SumVecWithMultiproof",
    "Prio3SumVecWithMultiproofField64",
    "Prio3SumVecWithMultiproofField128",
    "VerifyError",
    "XofFixedKeyAes128",
    "XofHmacSha256Aes128",
    "XofTurboShake128",
]


def Prio3SumVecWithMultiproof(
    shares: int,
    field: type,
    num_proofs: int,
    length: int,
    max_measurement: int,
    chunk_length: int,
) -> Union[Prio3SumVecWithMultiproofField64, Prio3SumVecWithMultiproofField128]:
    """The reference's ``Prio3SumVecWithMultiproof(shares, field, num_proofs, length,
    max_measurement, chunk_length)`` (test-only, ID 0xFFFFFFFF): the Field64 or Field128 class.

    Raises InvalidArgument for another field or bad parameters.
    """
    if field is Field64:
        return Prio3SumVecWithMultiproofField64(shares, length, max_measurement, chunk_length,
                                                num_proofs)
    if field is Field128:
        return Prio3SumVecWithMultiproofField128(shares, length, max_measurement, chunk_length,
                                                 num_proofs)
    raise InvalidArgument(
        f"Prio3SumVecWithMultiproof: field must be Field64 or Field128, got {field!r}")


def Prio3HistogramWithMultiproof(
    shares: int,
    field: type,
    num_proofs: int,
    length: int,
    chunk_length: int,
) -> Union[Prio3HistogramWithMultiproofField64, Prio3HistogramWithMultiproofField128]:
    """Prio3 over the Histogram circuit with ``num_proofs`` proofs over ``field`` (Field64 or
    Field128), ID 0xFFFFFFFF: not a draft instance, the one ``bench/field_choice`` measures.

    Raises InvalidArgument for another field or bad parameters.
    """
    if field is Field64:
        return Prio3HistogramWithMultiproofField64(shares, length, chunk_length, num_proofs)
    if field is Field128:
        return Prio3HistogramWithMultiproofField128(shares, length, chunk_length, num_proofs)
    raise InvalidArgument(
        f"Prio3HistogramWithMultiproof: field must be Field64 or Field128, got {field!r}")
