"""kg.views.trials: figures keep their published text; forest-plot rows."""

from __future__ import annotations

from kg import views as V


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


def test_trial_outcomes_keep_published_text(store, curated_graph):
    outs = V.trial_outcomes(_run(store), "JapicCTI-132316")
    hr = next(o for o in outs if o["outcome_id"].endswith("pfs-irf-final-hr"))
    assert hr["display"] == "0.37 (95% CI 0.26–0.52)"
    assert hr["comparison"] == "alectinib vs crizotinib"
    rows = V.forest_rows(outs, endpoint="PFS")
    assert {r["ci_level_text"] for r in rows} >= {"95%", "99.7%"}
    assert all(r["x"] > 0 for r in rows)


def test_a_figure_without_an_external_link_names_its_publication():
    # kg.views returns ids, never in-app URLs: the page links `pub_id` itself
    arm = {"trial_id": "T", "trial_name": "T", "arm_id": "a", "arm_name": "A", "role": "single",
           "treatments": ["x"]}
    fig = {"trial_id": "T", "trial_name": "T", "outcome_id": "o", "endpoint": "PFS",
           "measure": "median", "arm_id": "a", "value": 5.0, "value_text": "5.0",
           "unit": "months", "pub_id": "bib:x", "pub_name": "X 2020", "doi": None,
           "pmid": None, "url": None}
    rows = {"24_trial_arms": [arm], "27_outcomes": [fig]}
    (out,) = V.trial_outcomes(lambda name, params: rows[name])
    assert out["source_url"] is None and out["pub_id"] == "bib:x"
    assert out["display"] == "5.0 months" and out["reference"] == "X 2020"
    (linked,) = V.trial_outcomes(lambda name, params: rows[name] if name != "27_outcomes"
                                 else [{**fig, "pmid": "123"}])
    assert linked["source_url"] == "https://pubmed.ncbi.nlm.nih.gov/123/"


def test_figures_carry_trial_analysis_source_kind_and_cns(store):
    outs = V.trial_outcomes(_run(store))
    assert all(o["figure"].startswith(f"{o['trial_name']}: ") for o in outs)
    alur = [o for o in outs if o["trial_name"] == "ALUR"]
    assert alur and all(o["analysis"] and o["kind"] and o["read_url"] for o in alur)
    final = next(o for o in alur if o["analysis"] == "final")
    assert "final" in final["figure"]
    assert {o["cns"] for o in outs} == {True, False}
    assert all(o["cns"] == V.is_cns(o) for o in outs)


def test_figure_name_adds_the_analysis_only_when_missing():
    assert V.figure_name({"trial_name": "T", "outcome_name": "median PFS",
                          "analysis": "post_hoc"}) == "T: median PFS (post hoc analysis)"
    assert V.figure_name({"trial_name": "T", "outcome_name": "median PFS, primary analysis",
                          "analysis": "primary"}) == "T: median PFS, primary analysis"
    assert V.figure_name({"trial_name": "T", "outcome_name": "HR"}) == "T: HR"


def test_not_entered_both_forms():
    assert V.not_entered({}) == []
    assert V.not_entered({"not_entered": ["a: b: c", "no reason"]}) == [("a", "b: c"),
                                                                      ("no reason", "")]
    assert V.not_entered({"not_entered": ["x", "y"], "not_entered_reasons": ["1", "2"]}) == [
        ("x", "1"), ("y", "2")]


def test_as_of_hides_later_figures_and_trials(store):
    now, then = V.trial_outcomes(_run(store)), V.trial_outcomes(_run(store), as_of="letter")
    late = {o["outcome_id"] for o in now if o["pub_id"] in ("PMID:39581380", "PMID:38819031")}
    assert late and not late & {o["outcome_id"] for o in then}
    assert len(V.trial_arms(_run(store), as_of="1990-01-01")) == 0
    assert V.trial_arms(_run(store), as_of="letter")


def test_profile_1014_comparator_reads_as_one_doublet_not_three_drugs(store):
    # Solomon 2018 abstract (PubMed 29768118): "pemetrexed ... plus cisplatin ... or carboplatin"
    arms = {a["arm_id"]: a for a in V.trial_arms(_run(store), "NCT01154140")}
    chemo = arms["NCT01154140/arm/chemotherapy"]
    assert sorted(chemo["treatments"]) == ["carboplatin", "cisplatin", "pemetrexed"]
    assert chemo["treatment"] == "pemetrexed plus cisplatin or carboplatin"
    outs = V.trial_outcomes(_run(store), "NCT01154140")
    hr = next(o for o in outs if o["outcome_id"].endswith("pfs-irr-hr"))
    assert hr["comparison"] == "crizotinib vs pemetrexed plus cisplatin or carboplatin"
    assert all("+" not in o["comparison"] for o in outs)
