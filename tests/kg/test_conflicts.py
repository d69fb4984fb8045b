"""Conflict flags (kg.conflicts): which claims conflict, how the Conflict node is cited."""

from __future__ import annotations

import pytest

from ingest.civic import CivicAdapter
from kg.conflicts import add_conflicts, claim_stances, find_conflicts
from kg.graph import assemble
from kg.schema.records import EdgeRecord, NodeRecord, edge_id

CUR = {"source": "curated", "source_version": "1", "licence": "CC-BY-4.0"}
CIV = {"source": "civic", "source_version": "01-Aug-2024", "licence": "CC0-1.0"}
SENS, RES = "CONFERS_SENSITIVITY_TO", "CONFERS_RESISTANCE_TO"


def _cite(source: str, cid: str) -> dict[str, str]:
    if source == "civic":
        n = cid.rsplit(":", 1)[1]
        return {**CIV, "source_record_id": f"EID{n}",
                "source_url": f"https://civicdb.org/links/evidence_items/{n}"}
    return {**CUR, "bib_key": f"key-{cid.rsplit(':', 1)[1]}", "locator": "abstract"}


class G:
    """A tiny graph builder: variants, drugs, diseases and claims about them."""

    def __init__(self) -> None:
        self.nodes: list[NodeRecord] = [
            NodeRecord("ALK:p.G1202R", "Variant", {**CUR, "name": "ALK G1202R"}),
            NodeRecord("ALK:EML4-ALK", "Variant", {**CIV, "name": "ALK EML4::ALK",
                                                   "variant_type": "fusion",
                                                   "source_record_id": "VID5",
                                                   "source_url": "https://civicdb.org/x"}),
            NodeRecord("CIVIC.MP:4237", "Variant", {
                **CIV, "name": "ALK EML4::ALK AND ALK G1202R", "variant_type":
                "compound_mutation", "core_variant_id": "ALK:p.G1202R",
                "source_record_id": "MPID4237", "source_url": "https://civicdb.org/y"}),
            *(NodeRecord(f"drug:{d}", "Drug", {**CUR, "name": d})
              for d in ("alectinib", "ceritinib", "crizotinib", "lorlatinib")),
            NodeRecord("DOID:3908", "Disease", {**CUR, "name": "NSCLC"}),
            NodeRecord("DOID:3910", "Disease", {**CUR, "name": "lung adenocarcinoma"}),
        ]
        self.edges: list[EdgeRecord] = []

    def claim(self, cid: str, subject: str, predicate: str, direction: str,
              drugs: list[str], disease: str | None = "DOID:3908", *,
              source: str = "curated", interaction: str | None = None) -> G:
        cite = _cite(source, cid)
        props = {**cite, "name": cid, "subject_id": subject, "predicate": predicate,
                 "direction": direction, "evidence_level": "C", "disease_id": disease,
                 "object_id": drugs[0] if len(drugs) == 1 else None,
                 "therapy_interaction": interaction}
        self.nodes.append(NodeRecord(cid, "Claim", {k: v for k, v in props.items() if v}))
        self.edges.append(EdgeRecord(edge_id(cid, "HAS_SUBJECT", subject), cid, subject,
                                     "HAS_SUBJECT", cite))
        if source == "civic":
            for d in drugs:
                self.edges.append(EdgeRecord(edge_id(cid, "INVOLVES_THERAPY", d), cid, d,
                                             "INVOLVES_THERAPY", {**cite,
                                                                  "interaction": interaction}))
        elif drugs:
            self.edges.append(EdgeRecord(edge_id(cid, "HAS_OBJECT", drugs[0]), cid, drugs[0],
                                         "HAS_OBJECT", cite))
        return self

    def build(self):
        return add_conflicts(assemble(self.nodes, self.edges))


def _conflicts(eg):
    return {n: d["props"] for n, d in eg.graph.nodes(data=True) if d["label"] == "Conflict"}


def _sides(eg, cid):
    return {t: d["props"] for _, t, d in eg.graph.out_edges(cid, data=True)}


def test_sensitivity_against_resistance_is_one_cited_conflict():
    eg = (G().claim("claim:a", "ALK:p.G1202R", SENS, "supports", ["drug:lorlatinib"])
          .claim("claim:b", "ALK:p.G1202R", RES, "supports", ["drug:lorlatinib"])
          .claim("claim:c", "ALK:p.G1202R", RES, "supports", ["drug:alectinib"]).build())
    conflicts = _conflicts(eg)
    cid = "conflict:ALK:p.G1202R/drug:lorlatinib/DOID:3908"
    assert list(conflicts) == [cid]
    c = conflicts[cid]
    assert c["kind"] == "sensitivity_vs_resistance" and c["sources"] == ["curated"]
    assert (c["variant_id"], c["drug_id"], c["drug_ids"], c["disease_id"]) == (
        "ALK:p.G1202R", "drug:lorlatinib", ["drug:lorlatinib"], "DOID:3908")
    assert c["sensitive_claim_ids"] == ["claim:a"] and c["resistant_claim_ids"] == ["claim:b"]
    # curated-only: cited like curated evidence (bib key + locator of the first side)
    assert c["source"] == "curated" and c["bib_key"] == "key-a" and c["locator"] == "abstract"
    assert c["citations"] == ["key-a (abstract)", "key-b (abstract)"]
    assert c["name"] == "ALK G1202R and lorlatinib in NSCLC: 1 sensitive vs 1 resistant"
    sides = _sides(eg, cid)
    assert {k: (v["side"], v["bib_key"]) for k, v in sides.items()} == {
        "claim:a": ("sensitive", "key-a"), "claim:b": ("resistant", "key-b")}


def test_supports_against_does_not_support_the_same_effect():
    eg = (G().claim("CIVIC.EID:1", "ALK:p.G1202R", SENS, "supports", ["drug:ceritinib"],
                    source="civic")
          .claim("CIVIC.EID:2", "ALK:p.G1202R", SENS, "does_not_support", ["drug:ceritinib"],
                 source="civic").build())
    (c,) = _conflicts(eg).values()
    assert c["kind"] == "supports_vs_does_not_support"
    assert c["sensitive_claim_ids"] == ["CIVIC.EID:1"]
    assert c["resistant_claim_ids"] == ["CIVIC.EID:2"]
    assert c["source"] == "civic" and c["source_record_id"] == "EID1"


@pytest.mark.parametrize("claims", [
    # agree: supports resistance + does not support sensitivity
    [(RES, "supports", "DOID:3908"), (SENS, "does_not_support", "DOID:3908")],
    # neither way: does not support either
    [(RES, "does_not_support", "DOID:3908"), (SENS, "does_not_support", "DOID:3908")],
    # two diseases
    [(RES, "supports", "DOID:3908"), (SENS, "supports", "DOID:3910")],
    # no stance: not applicable
    [(RES, "supports", "DOID:3908"), (SENS, "not_applicable", "DOID:3908")],
], ids=["agree", "neither", "other-disease", "not-applicable"])
def test_claims_that_do_not_conflict(claims):
    g = G()
    for i, (pred, direction, disease) in enumerate(claims):
        g.claim(f"claim:{i}", "ALK:p.G1202R", pred, direction, ["drug:alectinib"], disease)
    assert _conflicts(g.build()) == {}


def test_civic_against_curated_is_cited_by_the_civic_side():
    eg = (G().claim("claim:mine", "ALK:p.G1202R", SENS, "supports", ["drug:ceritinib"])
          .claim("CIVIC.EID:1345", "CIVIC.MP:4237", RES, "supports", ["drug:ceritinib"],
                 source="civic").build())
    (cid, c), = _conflicts(eg).items()
    # the compound profile 'EML4::ALK AND G1202R' is rolled up to G1202R
    assert cid == "conflict:ALK:p.G1202R/drug:ceritinib/DOID:3908"
    assert c["kind"] == "civic_vs_curated" and c["sources"] == ["civic", "curated"]
    assert c["source"] == "civic" and c["source_record_id"] == "EID1345"
    assert c["licence"] == "CC-BY-4.0 AND CC0-1.0"
    sides = _sides(eg, cid)
    assert sides["claim:mine"]["source"] == "curated"
    assert sides["claim:mine"]["bib_key"] == "key-mine"
    assert sides["CIVIC.EID:1345"]["source_url"].endswith("/1345")


def test_combinations_are_their_own_therapy_and_substitutes_split():
    eg = (G().claim("CIVIC.EID:1", "ALK:p.G1202R", SENS, "supports",
                    ["drug:alectinib", "drug:crizotinib"], source="civic",
                    interaction="combination")
          .claim("claim:x", "ALK:p.G1202R", RES, "supports", ["drug:alectinib"]).build())
    assert _conflicts(eg) == {}
    eg = (G().claim("CIVIC.EID:1", "ALK:p.G1202R", SENS, "supports",
                    ["drug:alectinib", "drug:crizotinib"], source="civic",
                    interaction="combination")
          .claim("CIVIC.EID:2", "ALK:p.G1202R", RES, "supports",
                 ["drug:crizotinib", "drug:alectinib"], source="civic",
                 interaction="combination").build())
    (c,) = _conflicts(eg).values()
    assert c["drug_id"] == "drug:alectinib+drug:crizotinib"
    assert c["drug_ids"] == ["drug:alectinib", "drug:crizotinib"]
    eg = (G().claim("CIVIC.EID:1", "ALK:p.G1202R", SENS, "supports",
                    ["drug:alectinib", "drug:crizotinib"], source="civic",
                    interaction="substitutes")
          .claim("claim:x", "ALK:p.G1202R", RES, "supports", ["drug:alectinib"]).build())
    assert list(_conflicts(eg)) == ["conflict:ALK:p.G1202R/drug:alectinib/DOID:3908"]


def test_add_conflicts_is_idempotent_and_keeps_sources():
    g = (G().claim("claim:a", "ALK:p.G1202R", SENS, "supports", ["drug:lorlatinib"])
         .claim("claim:b", "ALK:p.G1202R", RES, "supports", ["drug:lorlatinib"]))
    once = g.build()
    once.sources["curated"] = {"source_version": "1", "licence": "CC-BY-4.0", "extra": "kept"}
    twice = add_conflicts(once)
    assert twice.fingerprint() == once.fingerprint()
    assert twice.sources["curated"]["extra"] == "kept"
    assert twice.counts()["nodes"]["Conflict"] == 1


def test_stances_take_each_drug_once_and_skip_other_predicates():
    eg = (G().claim("claim:a", "ALK:p.G1202R", SENS, "supports", ["drug:lorlatinib"])
          .claim("claim:b", "drug:alectinib", "SUPERIOR_TO", "supports", ["drug:crizotinib"])
          .build())
    assert [(s.claim_id, s.drug_key, s.side) for s in claim_stances(eg)] == [
        ("claim:a", "drug:lorlatinib", "sensitive")]


def test_the_alk_slice_of_the_real_release(civic_release):
    civic = CivicAdapter(civic_release, genes=["ALK"])
    eg = add_conflicts(assemble(list(civic.iter_nodes()), list(civic.iter_edges())))
    got = {c.id: (c.kind, {(s.claim_id, s.side) for s in c.stances})
           for c in find_conflicts(eg)}
    assert got == {
        "conflict:ALK:EML4-ALK.v3/drug:crizotinib/DOID:3908": (
            "supports_vs_does_not_support",
            {("CIVIC.EID:1193", "sensitive"), ("CIVIC.EID:1197", "resistant")}),
        "conflict:ALK:EML4-ALK.v3/drug:tae684/DOID:3908": (
            "supports_vs_does_not_support",
            {("CIVIC.EID:1194", "sensitive"), ("CIVIC.EID:1195", "resistant")}),
        "conflict:ALK:p.F1174L/drug:crizotinib/DOID:769": (
            "sensitivity_vs_resistance",
            {("CIVIC.EID:38", "sensitive"), ("CIVIC.EID:125", "resistant"),
             ("CIVIC.EID:1271", "resistant")}),
        "conflict:ALK:p.R1275Q/drug:tae684/DOID:769": (
            "sensitivity_vs_resistance",
            {("CIVIC.EID:39", "sensitive"), ("CIVIC.EID:48", "resistant")}),
    }
    assert set(_conflicts(eg)) == set(got)
