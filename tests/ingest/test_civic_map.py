"""The CIViC mapping and matching, on the small fixture release (tests/fixtures/civic).

Expected ids and counts are worked out here from the fixture's TSV rows (csv module) and the
mapping rules of docs/civic.md; the mapper only gets the release, a matcher and the filter.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from pathlib import Path

import pytest

from ingest.civic import CivicAdapter, CivicMatcher, read_release
from ingest.civic_map import map_release, select_records
from kg.build import build_graph
from kg.graph import write_jsonl
from kg.schema import NodeRecord, load_schema
from kg.schema.errors import IngestError
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "civic"
MINI = ROOT / "tests" / "fixtures" / "mini"
META = CivicAdapter.meta.for_fixture()
PROV = {"source": "civic", "source_version": "01-Aug-2024", "licence": "CC0-1.0"}
# sha256 of the JSONL export of tests/fixtures/mini + tests/fixtures/civic. A change of this
# value means the build's output changed: if that was meant, say so in the commit. (The
# code before the split of ingest/civic.py gave the same value.)
# Re-pinned once when the mini fixture gained the sourcing fields (source_kind, source_url,
# quote, analysis, data_cutoff) and arm treatments of issue #10 (the fixture's data changed,
# the code did not).
PINNED_EXPORT_SHA256 = "832fb916b7ed329b67655b24193f48a893848ca51203b073f5e42249ba561c1d"


def _tsv(kind: str) -> list[dict[str, str]]:
    path = FIXTURE / f"01-Aug-2024-{kind}.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def civic() -> CivicAdapter:
    return CivicAdapter(FIXTURE, meta=META)


def _nodes(adapter):
    return {n.id: n for n in adapter.iter_nodes()}


def _edges(adapter, rtype=None):
    return [e for e in adapter.iter_edges() if rtype is None or e.type == rtype]


def test_every_evidence_item_and_assertion_is_mapped(civic):
    nodes = _nodes(civic)
    evidence, assertions = _tsv("ClinicalEvidenceSummaries"), _tsv("AssertionSummaries")
    assert {n for n in nodes if nodes[n].label == "Claim"} == {
        f"CIVIC.EID:{r['evidence_id']}" for r in evidence}
    assert {n for n in nodes if nodes[n].label == "Assertion"} == {
        f"CIVIC.AID:{r['assertion_id']}" for r in assertions}
    assert civic.n_evidence == len(evidence) == 23
    # assertion -> evidence links: those to evidence of the fixture are edges, the rest skipped
    ids = {r["evidence_id"] for r in evidence}
    links = [(r["assertion_id"], e.strip()) for r in assertions
             for e in r["evidence_item_ids"].split(",")]
    assert {(e.source, e.target) for e in _edges(civic, "SUPPORTED_BY")} == {
        (f"CIVIC.AID:{a}", f"CIVIC.EID:{e}") for a, e in links if e in ids}
    assert civic.skipped_assertion_links == sum(1 for _, e in links if e not in ids) == 21
    for rec in [*civic.iter_nodes(), *civic.iter_edges()]:
        assert rec.props["source"] == "civic" and rec.props["source_version"] == "01-Aug-2024"
        assert rec.origin.startswith("tests/fixtures/civic/01-Aug-2024-")


def test_and_profiles_are_compound_variants_with_components(civic):
    nodes = _nodes(civic)
    mp = nodes["CIVIC.MP:4237"].props  # ALK EML4::ALK AND ALK G1202R
    assert mp["variant_type"] == "compound_mutation" and mp["core_variant_id"] == "ALK:p.G1202R"
    assert {e.source for e in _edges(civic, "COMPONENT_OF") if e.target == "CIVIC.MP:4237"} \
        == {"ALK:p.G1202R", "ALK:EML4-ALK"}
    assert nodes["CIVIC.EID:1345"].props["subject_id"] == "CIVIC.MP:4237"
    direct = [e for e in _edges(civic, "CONFERS_RESISTANCE_TO")
              if e.props["claim_id"] == "CIVIC.EID:1345"]
    assert [(e.source, e.target) for e in direct] == [("CIVIC.MP:4237", "drug:ceritinib")]
    # four parts, two of them missense: no single core variant
    assert "core_variant_id" not in nodes["CIVIC.MP:4329"].props
    assert {e.source for e in _edges(civic, "COMPONENT_OF") if e.target == "CIVIC.MP:4329"} \
        == {"ALK:EML4-ALK", "ALK:p.G1202R", "ALK:p.I1171N", "ALK:p.L1196M"}


def test_or_profiles_and_stubs(civic):
    nodes = _nodes(civic)
    assert nodes["CIVIC.MP:4708"].props["variant_type"] == "molecular_profile"
    assert not [e for e in civic.iter_edges() if e.source == "CIVIC.MP:4708"
                and e.type.startswith("CONFERS_")]
    assert {e.source for e in _edges(civic, "COMPONENT_OF") if e.target == "CIVIC.MP:4708"} \
        == {"CIVIC.VID:269", "ALK:fusion"}
    # a factor missing from the variant file, and a profile missing from the profile file
    assert nodes["CIVIC.VID:4945"].props["name"] == "Kataegis Positive"
    assert nodes["CIVIC.EID:12037"].props["subject_id"] == "CIVIC.VID:4945"
    assert nodes["CIVIC.MP:4566"].props["name"] == "ZFTA Fusion"
    assert [(e.source, e.target) for e in _edges(civic, "HAS_MOLECULAR_PROFILE")
            if e.source == "CIVIC.AID:87"] == [("CIVIC.AID:87", "CIVIC.MP:4566")]
    assert len(civic.warnings) == 2 and civic.provenance()["warnings"] == "2"


def test_fusions_publications_trials_and_therapies(civic):
    nodes = _nodes(civic)
    assert nodes["ALK:EML4-ALK.v3"].props["name"] == "ALK EML4::ALK e6-e20"  # e6-e20 = v3
    assert {nodes[n].props["variant_type"] for n in ("ALK:EML4-ALK", "ALK:fusion",
                                                     "CIVIC.VID:1687")} == {"fusion"}
    assert nodes["ASCO:161573"].props["pages"] == "Abstract 102"
    assert nodes["DOI:10.1182/blood-2021-148205"].props["pub_kind"] == "abstract"
    assert nodes["PMID:24675041"].props["year"] == 2014
    assert nodes["drug:2_4-pyrimidinediamine"].props["name"] == "2,4-pyrimidinediamine"
    c841 = nodes["CIVIC.EID:841"].props
    assert c841["therapy_interaction"] == "sequential" and "object_id" not in c841
    assert {e.target for e in _edges(civic, "INVOLVES_THERAPY") if e.source == "CIVIC.EID:841"} \
        == {"drug:luminespib", "drug:ceritinib", "drug:crizotinib"}
    trials = {n for n in nodes if nodes[n].label == "Trial"}
    assert trials == {t.strip() for r in _tsv("ClinicalEvidenceSummaries")
                      for t in r["nct_ids"].replace(";", ",").split(",") if t.strip()}


def test_conflicting_evidence_becomes_a_conflict_node():
    g = _mini_and_fixture_graph().graph
    cid = "conflict:ALK:p.F1174L/drug:crizotinib/DOID:769"
    c = g.nodes[cid]["props"]
    assert c["sensitive_claim_ids"] == ["CIVIC.EID:38"]
    assert c["resistant_claim_ids"] == ["CIVIC.EID:125", "CIVIC.EID:1271"]
    # F1174L with crizotinib in another disease (EID 32, resistance only) is no conflict
    assert not [n for n in g if n.startswith("conflict:ALK:p.F1174L/drug:crizotinib/DOID:0050")]


def test_gene_filter_on_the_fixture():
    variants = {r["variant_id"]: r["gene"] for r in _tsv("VariantSummaries")}
    profiles = {r["molecular_profile_id"]: [v.strip() for v in r["variant_ids"].split(",")]
                for r in _tsv("MolecularProfileSummaries")}
    want = {r["evidence_id"] for r in _tsv("ClinicalEvidenceSummaries")
            if "RET" in {variants.get(v) for v in profiles.get(r["molecular_profile_id"], [])}}
    ret = CivicAdapter(FIXTURE, meta=META, genes=["RET"])
    assert {n.id for n in ret.iter_nodes() if n.label == "Claim"} == {
        f"CIVIC.EID:{e}" for e in want} == {"CIVIC.EID:7066"}
    with pytest.raises(IngestError, match="NOTAGENE not in this release"):
        CivicAdapter(FIXTURE, meta=META, genes=["NOTAGENE"])
    sel = select_records(read_release(FIXTURE, min_counts={}), ["ALK"])
    assert sel.genes == ["ALK"] and "ROS1" in {r["gene"] for r in sel.variants}


KNOWN = [
    NodeRecord("HGNC:427", "Gene", {"name": "ALK", "synonyms": ["CD246"]}),
    NodeRecord("DOID:3908", "Disease", {"name": "non-small cell lung carcinoma"}),
    NodeRecord("disease:neuro", "Disease", {"name": "neuroblastoma"}),
    NodeRecord("drug:crizotinib", "Drug", {"name": "crizotinib", "synonyms": ["Xalkori"]}),
    NodeRecord("drug:pyr", "Drug", {"name": "2,4 pyrimidinediamine"}),
    NodeRecord("variant:f1174l", "Variant", {"name": "ALK F1174L"}),
    NodeRecord("ALK:EML4-ALK.v3", "Variant", {"name": "EML4-ALK variant 3"}),
    NodeRecord("ALK:p.[G1202R;I1171N;L1196M]", "Variant", {"name": "ALK G1202R/I1171N/L1196M"}),
]


def test_matcher_rules():
    m = CivicMatcher(KNOWN, load_schema())
    assert m.gene("ALK") == m.gene("CD246") == "HGNC:427" and m.gene("ROS1") is None
    assert m.drug("Crizotinib") == m.drug("XALKORI") == "drug:crizotinib"
    assert m.drug("2,4-pyrimidinediamine") == "drug:pyr"
    assert m.disease("Neuroblastoma") == "disease:neuro" and m.disease("Cancer") is None
    assert m.variant("ALK", "F1174L").known == "variant:f1174l"  # by name
    assert m.variant("ALK", "EML4::ALK e6-e20").known == "ALK:EML4-ALK.v3"  # canonical id
    assert m.variant("ROS1", "G2032R").canonical is None  # ROS1 is no Variant id prefix
    assert m.compound(["ALK:p.L1196M", "ALK:p.G1202R", "ALK:p.I1171N"]) == \
        "ALK:p.[G1202R;I1171N;L1196M]"
    assert m.is_known("HGNC:427", "Gene") and not m.is_known("HGNC:427", "Drug")
    # the smaller id wins a shared name, whatever the order the nodes come in
    twins = [NodeRecord("drug:b", "Drug", {"name": "X"}), NodeRecord("drug:a", "Drug",
                                                                      {"name": "x"})]
    assert CivicMatcher(twins, load_schema()).drug("X") == \
        CivicMatcher(twins[::-1], load_schema()).drug("X") == "drug:a"


def test_mapper_takes_known_ids_from_the_matcher_it_is_given():
    rel = read_release(FIXTURE, min_counts={})
    sem = load_schema().semantics
    plain = map_release(rel, CivicMatcher([], load_schema()), semantics=sem, provenance=PROV)
    merged = map_release(rel, CivicMatcher(KNOWN, load_schema()), semantics=sem,
                         provenance=PROV)
    assert {"gene:ALK", "ALK:p.F1174L", "CIVIC.MP:4329", "DOID:769"} <= set(plain.nodes)
    assert {"HGNC:427", "variant:f1174l", "ALK:p.[G1202R;I1171N;L1196M]", "drug:pyr"} <= \
        set(merged.nodes)
    assert not {"gene:ALK", "ALK:p.F1174L", "CIVIC.MP:4329"} & set(merged.nodes)
    assert merged.nodes["CIVIC.EID:11114"].props["subject_id"] == "ALK:p.[G1202R;I1171N;L1196M]"
    assert merged.nodes["CIVIC.EID:38"].props["object_id"] == "drug:crizotinib"
    # diseases with a DOID keep it; only DOID-less names are matched
    assert merged.nodes["CIVIC.EID:38"].props["disease_id"] == "DOID:769"
    assert (plain.n_evidence, plain.skipped_assertion_links) == (23, 21)
    # the same matcher, the known nodes in another order: the same records
    again = map_release(rel, CivicMatcher(KNOWN[::-1], load_schema()), semantics=sem,
                        provenance=PROV)
    assert again == merged


def _mini_and_fixture_graph():
    with pytest.MonkeyPatch.context() as mp:
        # the fixture is no whole release: build it without the whole-release checks
        mp.setattr(CivicAdapter, "meta", META)
        return build_graph(MINI, civic_dir=FIXTURE)


def test_export_of_mini_data_and_fixture_release_is_pinned():
    out = io.StringIO()
    write_jsonl(_mini_and_fixture_graph(), out)
    text = out.getvalue()
    assert Counter('"kind": "node"' in ln for ln in text.splitlines())[True] > 100
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == PINNED_EXPORT_SHA256


def test_fixture_files_are_real_release_rows(civic_release):
    for path in sorted(Path(FIXTURE).glob("*.tsv")):
        real = (civic_release / path.name).read_bytes().split(b"\n")
        lines = path.read_bytes().split(b"\n")
        assert lines[0] == real[0] and lines[-1] == b""
        assert set(lines[1:-1]) <= set(real[1:])
