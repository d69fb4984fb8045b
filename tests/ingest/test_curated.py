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
    edit(f, "data_cutoff: not stated\n        cite: {key: nakagawa2020jalex, locator: abstract}",
         "data_cutoff: not stated\n        cite: {key: nakagawa2020jalex}")
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
    edit(data / "curated" / "claims.yaml", "evidence_level: O", "evidence_level: Z")
    problems = _problems(data)
    assert {Path(p.file).name for p in problems} == {"trials.yaml", "claims.yaml"}


# -- sourcing policy (data/curated/README.md) -------------------------------------------------

def _drop_line(path: Path, needle: str, nth: int = 0) -> int:
    """Delete the nth line containing `needle`; return the line of the mapping it was in."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, ln in enumerate(lines) if needle in ln]
    i = hits[nth]
    # the outcome mapping starts at the closest '- id:' line above
    start = next(j for j in range(i, -1, -1) if lines[j].lstrip().startswith("- id:"))
    del lines[i]
    path.write_text("".join(lines), encoding="utf-8")
    return start + 1


@pytest.mark.parametrize("field", ["source_kind", "source_url", "quote", "analysis",
                                   "data_cutoff"])
def test_figure_without_its_source_field_is_refused_with_file_and_line(tmp_path: Path, field):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    start = _drop_line(f, f"        {field}:", nth=1)
    (p,) = _problems(data)
    assert p.file.endswith("trials.yaml") and p.line == start
    assert f"outcomes.1.{field}: missing; every figure needs source_kind, source_url, quote, " \
           "analysis, data_cutoff" in p.message
    assert p.record == "JapicCTI-132316"


def test_claim_without_source_kind_is_refused(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "claims.yaml"
    edit(f, "    source_kind: journal_full_text\n", "")
    (p,) = _problems(data)
    assert p.line == line_of(f, "- id: claim:test-alectinib-pfs")
    assert "claims: source_kind: missing; every claim needs source_kind and quote" in p.message


@pytest.mark.parametrize(("kind", "expect"), [
    ("news", "source_kind 'news' is refused: a news item reports a source"),
    ("press_release", "source_kind 'press_release' is refused: a press release"),
    ("website", "unknown source_kind 'website'; known: journal_abstract"),
])
def test_news_and_unknown_source_kinds_are_refused(tmp_path: Path, kind, expect):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, "source_kind: journal_abstract", f"source_kind: {kind}")
    (p,) = _problems(data)
    assert p.line == line_of(f, f"source_kind: {kind}")
    assert expect in p.message


@pytest.mark.parametrize(("url", "expect"), [
    ("https://www.prnewswire.com/x/lorbrena.html", "is on prnewswire.com, a news or press host"),
    ("https://www.onclive.com/view/crown", "is on onclive.com, a news or press host"),
    ("https://alkpositive.org/research-news/2021/7/25/x", "contains 'news'"),
    ("https://www.pfizer.com/press-release/lorbrena", "contains 'press-release'"),
])
def test_news_and_press_release_urls_are_refused(tmp_path: Path, url, expect):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    old = ("source_url: https://okayama.elsevierpure.com/en/publications/final-progression-free-"
           "survival-results-from-the-j-alex-study-of-")
    edit(f, old, f"source_url: {url}")
    (p,) = _problems(data)
    assert p.line == line_of(f, f"source_url: {url}")
    assert expect in p.message and "not sources" in p.message


def test_claim_source_url_on_a_news_host_is_refused(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "claims.yaml"
    edit(f, "https://www.crstonline.com/text.asp?2020/3/2/403/287263",
         "https://www.medscape.com/viewarticle/1")
    (p,) = _problems(data)
    assert "medscape.com, a news or press host" in p.message


@pytest.mark.parametrize(("old", "new", "expect"), [
    ("analysis: final\n        analysis_label", "analysis: 5-year\n        analysis_label",
     "unknown analysis '5-year'; known: primary, interim, final, update, post_hoc"),
    ('data_cutoff: "2018-06-30"', 'data_cutoff: "June 2018"',
     "data_cutoff 'June 2018' must be an ISO date (2018-06-30) or 'not stated'"),
])
def test_analysis_and_cutoff_vocabulary(tmp_path: Path, old, new, expect):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, old, new)
    (p,) = _problems(data)
    assert p.line == line_of(f, new.split("\n")[0]) and expect in p.message


def test_figures_carry_source_kind_url_analysis_and_cutoff():
    outcomes = {n.id: n.props for n in _load(MINI).iter_nodes() if n.label == "Outcome"}
    hr = outcomes["JapicCTI-132316/outcome/pfs-irf-final-hr"]
    assert (hr["source_kind"], hr["analysis"], hr["analysis_label"], hr["data_cutoff"]) == (
        "journal_abstract", "final", "final PFS analysis", "2018-06-30")
    assert hr["source_url"].startswith("https://okayama.elsevierpure.com/")
    median = outcomes["JapicCTI-132316/outcome/pfs-irf-final-median-alectinib"]
    assert median["data_cutoff"] == "not stated" and "analysis_label" not in median


def test_not_entered_ledger_is_loaded_onto_the_trial_node():
    trial = next(n for n in _load(MINI).iter_nodes() if n.id == "JapicCTI-132316")
    assert trial.props["not_entered"] == ["median PFS, crizotinib, primary analysis"]
    assert trial.props["not_entered_reasons"] == [
        "the primary paper's abstract was not readable past its Methods"]


def test_not_entered_needs_a_reason_and_a_known_key(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, "        key: nakagawa2020jalex\n", "        key: nobody1999\n")
    edit(f, "        reason: the primary paper's abstract was not readable past its Methods\n",
         "")
    problems = _problems(data)
    assert any("not_entered.0.reason" in p.message and "Field required" in p.message
               for p in problems)


def test_arm_with_several_drugs_must_say_how_they_combine(tmp_path: Path):
    data = mini_copy(tmp_path)
    f = data / "curated" / "trials.yaml"
    edit(f, "drugs: [drug:crizotinib]", "drugs: [drug:crizotinib, drug:alectinib]")
    (p,) = _problems(data)
    assert "arm 'crizotinib' receives 2 treatments: say how they combine in `treatment`" \
        in p.message
    assert p.line == line_of(f, "{id: crizotinib")
