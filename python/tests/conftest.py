"""Shared helpers: where the vector files are, and building an instance from a file."""

from __future__ import annotations

import json
from pathlib import Path

import vdaf

REPO = Path(__file__).resolve().parents[2]
DRAFT_DIR = REPO / "test-vectors" / "draft-irtf-cfrg-vdaf-20"
EXT_DIR = REPO / "test-vectors" / "extensions"


def load(path: Path) -> dict:
    with open(path) as f:
        return json.load(f)


def instance_name(path: Path) -> str:
    """Prio3Count_bad_meas_share.json -> Prio3Count (as tools/vdaf-testvec does)."""
    return path.stem.split("_")[0]


def make_instance(name: str, j: dict):
    """The instance a vector file describes (its parameters, as the C++ replay reads them)."""
    s = j.get("shares")
    if name == "Prio3Count":
        return vdaf.Prio3Count(s)
    if name == "Prio3Sum":
        return vdaf.Prio3Sum(s, j["max_measurement"])
    if name == "Prio3SumVec":
        return vdaf.Prio3SumVec(s, j["length"], j["max_measurement"], j["chunk_length"])
    if name == "Prio3SumVecWithMultiproof":
        field = {"Field64": vdaf.Field64, "Field128": vdaf.Field128}[j.get("field", "Field64")]
        return vdaf.Prio3SumVecWithMultiproof(s, field, j.get("proofs", 3), j["length"],
                                              j["max_measurement"], j["chunk_length"])
    if name == "Prio3Histogram":
        return vdaf.Prio3Histogram(s, j["length"], j["chunk_length"])
    if name == "Prio3MultihotCountVec":
        return vdaf.Prio3MultihotCountVec(s, j["length"], j["max_weight"], j["chunk_length"])
    if name == "Prio3L1BoundSum":
        return vdaf.Prio3L1BoundSum(s, j["length"], j["max_value"], j["chunk_length"])
    if name == "Prio3HigherDegree":
        return vdaf.Prio3HigherDegree(s)
    if name == "Poplar1":
        assert s in (None, 2)
        return vdaf.Poplar1(j["bits"])
    raise AssertionError(f"unknown instance {name}")
