"""Each bad-input case of the curated files gives file:line and what is wrong."""

from pathlib import Path

import pytest

from ingest.bibtex import BibtexAdapter
from ingest.curated import CuratedAdapter
from kg.schema.errors import IngestError
from tests.helpers import MINI, edit, line_of, mini_copy


def _load(data: Path) -> CuratedAdapter:
    return CuratedAdapter(data / "curated", BibtexAdapter(data / "references.bib"))


def _problems(data: Path) -> list:
    with pytest.raises(IngestError) as err:
        _load(data)
    return err.value.problems


def test_mini_fixture_yields_figures_as_text_and_number():
    adapter = _load(MINI)
    outcomes = {n.id: n.props for n in adapter.iter_nodes() if n.label == "Outcome"}
    hr = outcomes["JapicCTI-132316/outcome/pfs-irf-final-hr"]
    assert (hr["value_text"], hr["value"]) == ("0.37", 0.37)
    assert (hr["ci_low_text"], hr["ci_high_text"], hr["ci_level_text"]) == ("0.26", "0.52", "95%")
    assert hr["ci_level"] == 0.95
    assert (hr["bib_key"], hr["locator"]) == ("nakagawa2020jalex", "abstract")


def test_claim_yields_reified_node_and_direct_predicate_edge():
    adapter = _load(MINI)
    edges = [e for e in adapter.iter_edges() if e.type == "SUPERIOR_TO"]
    assert len(edges) == 1
    e = edges[0]
    assert (e.source, e.target) == ("drug:alectinib", "drug:crizotinib")
    assert e.props["claim_id"] == "claim:test-alectinib-pfs"
    assert (e.props["bib_key"], e.props["locator"]) == ("dubey2020letter", "paragraph 2")


def test_unknown_citation_key(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "claims.yaml"
    edit(f, "cite: {key: dubey2020letter", "cite: {key: nobody1999")
    (p,) = _problems(data)
    assert p.file.endswith("claims.yaml")
    assert p.line == line_of(f, "- id: claim:test-alectinib-pfs")
    assert "unknown citation key 'nobody1999'" in p.message


def test_duplicate_id_across_files(tmp_path: Path):
    data = mini_copy(tmp_path)
    (data / "curated" / "more.yaml").write_text("genes:\n  - id: HGNC:427\n    name: ALK\n")
    (p,) = _problems(data)
    assert p.file.endswith("more.yaml") and p.line == 2
    assert "duplicate id 'HGNC:427'" in p.message and "entities.yaml:2" in p.message


def test_unknown_section_is_an_unknown_label(tmp_path: Path):
    data = mini_copy(tmp_path)
    (data / "curated" / "more.yaml").write_text("proteins:\n  - id: X\n")
    (p,) = _problems(data)
    assert (p.line, p.file.endswith("more.yaml")) == (1, True)
    assert "unknown section 'proteins'" in p.message


def test_unknown_relationship_type_as_predicate(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "claims.yaml"
    edit(f, "predicate: SUPERIOR_TO", "predicate: CURES")
    (p,) = _problems(data)
    assert p.line == line_of(f, "predicate: CURES")
    assert "unknown claim predicate 'CURES'" in p.message


def test_unknown_citation_type(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "citations.yaml"
    edit(f, "type: CITES", "type: PRAISES")
    (p,) = _problems(data)
    assert p.line == 2 and "type" in p.message and "CITES" in p.message


def test_missing_locator(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, "value: \"34.1\"\n        unit: months\n        cite: {key: nakagawa2020jalex, "
            "locator: abstract}", "value: \"34.1\"\n        unit: months\n        cite: "
            "{key: nakagawa2020jalex}")
    (p,) = _problems(data)
    assert p.line == line_of(f, "cite: {key: nakagawa2020jalex}")
    assert "cite.locator" in p.message and "Field required" in p.message


def test_figure_text_that_does_not_parse(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, 'value: "34.1"', 'value: "34.1 mo"')
    (p,) = _problems(data)
    assert p.line == line_of(f, 'value: "34.1 mo"')
    assert "figure text '34.1 mo' is not a number" in p.message


def test_unquoted_figure_is_refused(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, 'value: "0.37"', "value: 0.37")
    (p,) = _problems(data)
    assert p.line == line_of(f, "value: 0.37") and "valid string" in p.message


def test_ci_without_level(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, '        ci_level: "95%"\n', "")
    (p,) = _problems(data)
    assert "a CI needs its level" in p.message


def test_outcome_naming_unknown_arm(tmp_path: Path):
    data = mini_copy(tmp_path)
    edit(data / "curated" / "trials.yaml", "comparator_arm: crizotinib", "comparator_arm: chemo")
    (p,) = _problems(data)
    assert "unknown arm 'chemo'" in p.message


def test_yaml_syntax_error_has_line(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "entities.yaml"
    f.write_text(f.read_text() + "  - id: [unclosed\n")
    (p,) = _problems(data)
    assert p.file.endswith("entities.yaml") and p.line is not None and "YAML error" in p.message


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path):
    data = mini_copy(tmp_path)
    edit(data / "curated" / "trials.yaml", 'value: "34.1"', 'value: "x"')
    edit(data / "curated" / "claims.yaml", "evidence_level: A", "evidence_level: Z")
    problems = _problems(data)
    assert {Path(p.file).name for p in problems} == {"trials.yaml", "claims.yaml"}
