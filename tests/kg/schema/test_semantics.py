"""Claim semantics (kg.schema.semantics): the one truth table, pinned.

Every unordered pair of (predicate, direction) on the drug-response axis, about one variant,
drug and disease, gives one matrix cell state and either a Conflict node or none. The matrix
(`kg.views.resistance_matrix`) and conflict detection (`kg.conflicts.add_conflicts`) are both
run on each pair, and both must agree with the table.
"""

from __future__ import annotations

import itertools

import pytest

from kg import views as V
from kg.conflicts import add_conflicts
from kg.schema import load_schema
from tests.kg.test_conflicts import RES, SENS, G


def _only_26(rows):
    """A runner serving `rows` as the matrix query's answer and nothing for other queries."""
    return lambda name, params: rows if name == "26_resistance_matrix" else []


SEM = load_schema().semantics
S, D, N = "supports", "does_not_support", "not_applicable"

#: (a, b) -> (cell state, Conflict node?). R = resistance, S = sensitivity predicate;
#: s = supports, d = does not support, n = not applicable.
TABLE = {
    ("Rs", "Rs"): ("resistant", False), ("Rs", "Rd"): ("conflicting", True),
    ("Rs", "Rn"): ("resistant", False), ("Rs", "Ss"): ("conflicting", True),
    ("Rs", "Sd"): ("resistant", False), ("Rs", "Sn"): ("resistant", False),
    ("Rd", "Rd"): ("sensitive", False), ("Rd", "Rn"): ("sensitive", False),
    ("Rd", "Ss"): ("sensitive", False), ("Rd", "Sd"): ("inconclusive", False),
    ("Rd", "Sn"): ("sensitive", False), ("Rn", "Rn"): ("inconclusive", False),
    ("Rn", "Ss"): ("sensitive", False), ("Rn", "Sd"): ("resistant", False),
    ("Rn", "Sn"): ("inconclusive", False), ("Ss", "Ss"): ("sensitive", False),
    ("Ss", "Sd"): ("conflicting", True), ("Ss", "Sn"): ("sensitive", False),
    ("Sd", "Sd"): ("resistant", False), ("Sd", "Sn"): ("resistant", False),
    ("Sn", "Sn"): ("inconclusive", False),
}
_PRED = {"R": RES, "S": SENS}
_DIR = {"s": S, "d": D, "n": N}


def _claim(code: str) -> tuple[str, str]:
    return _PRED[code[0]], _DIR[code[1]]


def test_the_table_covers_every_pair():
    codes = [p + d for p in "RS" for d in "sdn"]
    assert set(TABLE) == set(itertools.combinations_with_replacement(codes, 2))


@pytest.mark.parametrize(("pair", "expected"), sorted(TABLE.items()),
                         ids=[f"{a}-{b}" for a, b in sorted(TABLE)])
def test_matrix_and_conflicts_follow_the_one_rule(pair, expected):
    state, conflict = expected
    claims = [_claim(c) for c in pair]
    # the rule itself
    assert SEM.cell_state([(p, d, "civic") for p, d in claims]) == state
    assert (SEM.conflict_kind((*claims[0], "civic"), (*claims[1], "civic")) is not None) \
        == conflict
    # conflict detection on a built graph
    g = G()
    for i, (p, d) in enumerate(claims):
        g.claim(f"CIVIC.EID:{i + 1}", "ALK:p.G1202R", p, d, ["drug:alectinib"],
                source="civic")
    eg = add_conflicts(g.build())
    assert (eg.counts()["nodes"]["Conflict"] == 1) == conflict
    # the matrix on the same claims
    rows = [{"subject_id": "ALK:p.G1202R", "subject_label": "Variant", "subject_name": "G1202R",
             "subject_gene": "ALK", "drug_id": "drug:alectinib", "drug_name": "alectinib",
             "claim_id": f"c{i}", "predicate": p, "direction": d, "evidence_level": "C",
             "source": "civic", "conflicts": 0} for i, (p, d) in enumerate(claims)]
    assert V.resistance_matrix(_only_26(rows)).cell(
        "ALK:p.G1202R", "drug:alectinib").status == state


def test_levels_and_kinds_come_from_the_schema():
    assert SEM.level_order == ("A", "B", "C", "D", "E", "O")
    assert SEM.level_short["O"] == "expert opinion"
    assert SEM.level_rank("A") < SEM.level_rank("O") < SEM.level_rank(None)
    assert list(SEM.conflict_kinds) == ["civic_vs_curated", "sensitivity_vs_resistance",
                                        "supports_vs_does_not_support"]
    assert SEM.civic_predicate("Predictive", "Resistance") == RES
    assert SEM.civic_predicate("Prognostic", "Poor Outcome") is None


def test_the_civic_vs_curated_kind_wins_whatever_the_pair():
    assert SEM.conflict_kind((RES, S, "civic"), (SENS, S, "curated")) == "civic_vs_curated"
    assert SEM.conflict_kind((RES, S, "curated"), (RES, D, "civic")) == "civic_vs_curated"
