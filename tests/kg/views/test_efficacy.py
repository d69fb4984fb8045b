"""kg.views.efficacy: a drug's page, efficacy first, checked against the curated graph."""

from __future__ import annotations

from kg import views as V


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


def _trials_with_arm_of(g, drug):  # noqa: ANN001, ANN202
    """Trial ids with an arm that RECEIVES `drug`, from the networkx graph."""
    out = set()
    for t, a, d in g.edges(data=True):
        if d["type"] == "HAS_ARM" and any(
                e["type"] == "RECEIVES" and x == drug for _, x, e in g.out_edges(a, data=True)):
            out.add(t)
    return out


def test_the_trials_are_those_where_the_drug_is_an_arm(store, curated_graph):
    g = curated_graph.graph
    for drug in ("drug:alectinib", "drug:crizotinib", "drug:lorlatinib"):
        eff = V.drug_efficacy(_run(store), drug)
        assert {t.trial_id for t in eff.trials} == _trials_with_arm_of(g, drug), drug
        roles = [t.drug_role for t in eff.trials]
        assert roles == sorted(roles, key=lambda r: r == "control"), drug  # studied first


def test_alectinib_shows_j_alex_and_alex_figures_named_with_their_trial(store, curated_graph):
    eff = V.drug_efficacy(_run(store), "drug:alectinib")
    by_name = {t.trial_name: t for t in eff.trials}
    assert {"J-ALEX", "ALEX"} <= set(by_name)
    jalex = by_name["J-ALEX"]
    assert jalex.drug_arms == ("alectinib 300 mg twice daily",)
    names = [o["figure"] for o in jalex.figures]
    assert all(n.startswith("J-ALEX: ") for n in names)
    assert any(o["display"] == "34.1 months" for o in jalex.figures)  # Nakagawa 2020
    # every figure of the trial is shown once, in one of the two lists
    want = {t for s, t, d in curated_graph.graph.out_edges("JapicCTI-132316", data=True)
            if d["type"] == "HAS_OUTCOME"}
    got = [o["outcome_id"] for o in (*jalex.figures, *jalex.cns)]
    assert sorted(got) == sorted(want)
    # PFS first, and within PFS the hazard ratios first
    eps = [o["endpoint"] for o in jalex.figures]
    assert eps[0] == "PFS" and eps.index("OS") > max(i for i, e in enumerate(eps) if e == "PFS")
    pfs = [o["measure"] for o in jalex.figures if o["endpoint"] == "PFS"]
    assert pfs[0] == "hazard_ratio"


def test_cns_figures_are_apart_and_about_the_cns(store):
    eff = V.drug_efficacy(_run(store), "drug:lorlatinib")
    assert eff.cns and all(o["cns"] for o in eff.cns)
    assert not any(o["cns"] for t in eff.trials for o in t.figures)
    assert eff.n_figures == sum(len(t.figures) + len(t.cns) for t in eff.trials)


def test_not_entered_items_reach_the_trial(store):
    eff = V.drug_efficacy(_run(store), "drug:alectinib")
    alur = next(t for t in eff.trials if t.trial_name == "ALUR")
    assert alur.not_entered and all(w and r for w, r in alur.not_entered)


def test_variant_evidence_direct_and_inherited_apart(store):
    eff = V.drug_efficacy(_run(store), "drug:lorlatinib")
    g1202r = next(r for r in eff.responses if r.subject_id == "ALK:p.G1202R")
    assert g1202r.direct.startswith("sensitive · ")
    assert g1202r.inherited.startswith("via ALK kinase-domain mutation: ")
    directs = [bool(r.direct) for r in eff.responses]
    assert directs == sorted(directs, reverse=True)


def test_as_of_hides_later_trials_figures_and_claims(store):
    now = V.drug_efficacy(_run(store), "drug:lorlatinib")
    then = V.drug_efficacy(_run(store), "drug:lorlatinib", as_of="letter")
    ids = {o["outcome_id"] for t in now.trials for o in (*t.figures, *t.cns)}
    ids_then = {o["outcome_id"] for t in then.trials for o in (*t.figures, *t.cns)}
    assert ids_then < ids
    dates = V.publication_dates(_run(store))
    assert all(dates.known[i] <= V.LETTER_ACCEPTED for i in ids_then if i in dates.known)
    g1202r = next(r for r in then.responses if r.subject_id == "ALK:p.G1202R")
    assert not g1202r.direct and g1202r.inherited  # the 2026 label is hidden, Gainor 2016 not


def test_figure_order_without_analysis_or_endpoint():
    rows = [{"endpoint": "X", "measure": "rate"}, {"endpoint": "PFS", "measure": "rate"}]
    assert [r["endpoint"] for r in sorted(rows, key=V.figure_order)] == ["PFS", "X"]
