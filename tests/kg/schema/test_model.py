import pytest

from kg.schema import load_schema, parse_schema, schema_markdown
from kg.schema.errors import SchemaError

PROV = {"source": "curated", "source_version": "1", "licence": "CC-BY-4.0"}


def test_schema_declares_the_issue_labels_and_claim_predicates():
    s = load_schema()
    for label in ("Publication", "Trial", "Arm", "Outcome", "Drug", "Gene", "Variant",
                  "ResistanceMechanism", "Disease", "LocalTherapy", "Claim"):
        assert label in s.labels
    assert {"CONFERS_RESISTANCE_TO", "SUPERIOR_TO", "EXTENDS_BENEFIT_OF"} <= set(
        s.claim_predicates)
    assert "HAS_ARM" not in s.claim_predicates


def test_validate_node_reports_prefix_missing_and_mistyped_properties():
    s = load_schema()
    problems = s.validate_node("foo:1", "Drug", {**PROV, "synonyms": "Alecensa"})
    assert any("prefix" in p for p in problems)
    assert any("lacks required property 'name'" in p for p in problems)
    assert any("'synonyms' should be list[str]" in p for p in problems)
    assert s.validate_node("drug:x", "Drug", {**PROV, "name": "x"}) == []
    assert "unknown node label 'Protein'" in s.validate_node("x", "Protein", {})[0]


def test_outcome_nodes_must_be_cited():
    s = load_schema()
    props = {**PROV, "name": "n", "trial_id": "t", "endpoint": "PFS", "measure": "median",
             "population": "ITT", "value_text": "1"}
    problems = s.validate_node("NCT1/outcome/x", "Outcome", props)
    assert any("lacks citation property 'bib_key'" in p for p in problems)
    assert any("lacks citation property 'locator'" in p for p in problems)


def test_validate_edge_checks_pairs_and_citation():
    s = load_schema()
    cited = {**PROV, "bib_key": "k", "locator": "l"}
    assert s.validate_edge("TARGETS", "Drug", "Gene", cited) == []
    problems = s.validate_edge("TARGETS", "Gene", "Drug", dict(PROV))
    assert any("is not allowed" in p for p in problems)
    assert any("lacks citation property 'bib_key'" in p for p in problems)
    assert "unknown relationship type" in s.validate_edge("CURES", "Drug", "Disease", PROV)[0]


def test_civic_records_are_cited_by_their_own_record():
    s = load_schema()
    civic = {"source": "civic", "source_version": "01-Aug-2024", "licence": "CC0-1.0"}
    problems = s.validate_edge("CONFERS_RESISTANCE_TO", "Variant", "Drug", civic)
    assert any("source_record_id" in p for p in problems)


def test_parse_schema_rejects_a_pair_with_an_unknown_label():
    raw = {"version": "x", "provenance": {"properties": {}}, "citation": {"properties": {}},
           "nodes": {"A": {"properties": {}}},
           "relationships": {"R": {"pairs": [["A", "B"]]}}}
    with pytest.raises(SchemaError, match="unknown label"):
        parse_schema(raw)


def test_markdown_lists_every_label_and_type():
    md = schema_markdown()
    s = load_schema()
    assert all(f"### {label}" in md for label in s.labels)
    assert all(f"| {t} |" in md for t in s.rel_types)
