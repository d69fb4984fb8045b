"""kg.views.citations: what a cited work itself reports, and the verdict beside the claim."""

from __future__ import annotations

import pytest

from kg import views as V


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


def _edges(eg, rtype):  # noqa: ANN001, ANN202
    return [(s, t, d) for s, t, d in eg.graph.edges(data=True) if d["type"] == rtype]


def _letter_pub(eg):  # noqa: ANN001, ANN202
    return next(n for n, d in eg.graph.nodes(data=True)
                if d["props"].get("bib_key") == "dubey2020letter")


def test_every_letter_claim_citing_a_work_is_checked_against_that_works_figures(
        store, curated_graph):
    """The check lists, per cited work, exactly the figures and claims the graph holds of it."""
    eg = curated_graph
    letter = _letter_pub(eg)
    made = {s for s, t, _ in _edges(eg, "ASSERTED_IN") if t == letter}
    cites = {(s, t) for s, t, _ in _edges(eg, "CITES_SOURCE") if s in made}
    checks = {c.claim_id: c for c in V.citation_check(_run(store), by="dubey2020letter")}
    assert set(checks) == made
    assert {(c.claim_id, w.id) for c in checks.values() for w in c.cited} == cites and cites
    reported = {}
    for s, t, _ in _edges(eg, "REPORTED_IN"):
        if eg.graph.nodes[s]["label"] == "Outcome":
            reported.setdefault(t, set()).add(s)
    asserted = {}
    for s, t, _ in _edges(eg, "ASSERTED_IN"):
        asserted.setdefault(t, set()).add(s)
    rests = {(s, t) for s, t, _ in _edges(eg, "SUPPORTED_BY_OUTCOME")}
    for c in checks.values():
        for w in c.cited:
            assert {f["id"] for f in w.figures} == reported.get(w.id, set())
            assert {x["id"] for x in w.claims} == asserted.get(w.id, set())
            linked = {o for (cl, o) in rests if cl == c.claim_id} & reported.get(w.id, set())
            if linked:
                assert w.verdict == V.SUPPORTED and linked <= set(w.supporting)
            elif not (w.figures or w.claims):
                assert w.verdict == V.NOT_CHECKABLE
            if w.verdict == V.NOT_STATED:
                assert w.flagged and c.flagged
                assert w.verdict_text == "the cited source does not state this"


def test_the_j_alex_figure_supports_the_letters_34_months(store):
    """The letter cites Nakagawa 2020 for the alectinib PFS; its 34.1 months is linked."""
    [check] = V.citation_check(_run(store), claims=["claim:dubey2020-alectinib-pfs"])
    [work] = check.cited
    assert work.reference.short == "Nakagawa 2020" and work.verdict == V.SUPPORTED
    support = [f for f in work.figures if f["id"] in work.supporting]
    assert [f["value_text"] for f in support] == ["34.1"]
    assert V.figure_text(support[0]).endswith(": 34.1 months")


def test_the_letters_approximately_30_percent_sits_next_to_profile_1014(store):
    """Issue #10: the letter's "approximately 30%" is set beside PROFILE 1014's own figures.

    Needs the letter's paragraph-3 statement (citing [4], Solomon 2014) in the curated data.
    """
    checks = [c for c in V.citation_check(_run(store), by="dubey2020letter")
              if "approximately 30%" in c.quote]
    assert checks, ("the letter's 'approximately 30%' statement (paragraph 3, citing [4]) is "
                    "not in data/curated/claims.yaml")
    [work] = checks[0].cited
    assert work.reference.short == "Solomon 2014"
    assert work.figures, "PROFILE 1014's own figures should be reported in Solomon 2014"
    assert work.verdict == V.NOT_STATED and checks[0].flagged


def _fake(rows):  # noqa: ANN001, ANN202
    return lambda name, params: rows if name == "40_citation_check" else []


def _row(**kw):  # noqa: ANN003, ANN202
    base = {"claim_id": "c", "claim": {"name": "C", "predicate": "EXTENDS_BENEFIT_OF",
                                      "direction": "supports", "quote": "q", "locator": "p 5",
                                      "evidence_level": "O"},
            "asserted_in": "L", "subjects": ["lt:sbrt"], "objects": ["drug:x"], "rests_on": [],
            "cited_id": "W", "cited": {"name": "W 2012", "title": "T"}, "figures": [],
            "work_claims": []}
    return {**base, **kw}


@pytest.mark.parametrize("row, verdict, supporting", [
    (_row(), V.NOT_CHECKABLE, ()),
    (_row(figures=[{"id": "o1", "name": "PFS", "value_text": "6.2"}]), V.NOT_STATED, ()),
    (_row(figures=[{"id": "o1", "name": "PFS", "value_text": "6.2"}],
          rests_on=[{"id": "o1", "pub_id": "W"}]), V.SUPPORTED, ("o1",)),
    # a figure the claim rests on, reported in another work, does not count for W
    (_row(figures=[{"id": "o1"}], rests_on=[{"id": "o2", "pub_id": "Z"}]), V.NOT_STATED, ()),
    (_row(work_claims=[{"id": "w1", "predicate": "EXTENDS_BENEFIT_OF", "direction": "supports",
                        "subjects": ["lt:sbrt"], "objects": ["drug:x"]}]),
     V.SUPPORTED, ("w1",)),
    # same predicate and object, another subject (LAT, not SBRT): not the same statement
    (_row(work_claims=[{"id": "w1", "predicate": "EXTENDS_BENEFIT_OF", "direction": "supports",
                        "subjects": ["lt:lat"], "objects": ["drug:x"]}]), V.NOT_STATED, ()),
    (_row(work_claims=[{"id": "w1", "predicate": "EXTENDS_BENEFIT_OF",
                        "direction": "does_not_support", "subjects": ["lt:sbrt"],
                        "objects": ["drug:x"]}]), V.NOT_STATED, ()),
])
def test_verdicts(row, verdict, supporting):
    [check] = V.citation_check(_fake([row]))
    [work] = check.cited
    assert (work.verdict, work.supporting) == (verdict, supporting)
    assert work.flagged == (verdict == V.NOT_STATED) == check.flagged
    assert work.verdict_text == V.VERDICT_TEXT[verdict]


def test_a_claim_citing_nothing_has_no_cited_work():
    [check] = V.citation_check(_fake([_row(cited_id=None, cited=None)]))
    assert check.cited == () and not check.flagged
