"""The evidence after crizotinib and after second-generation ALK inhibitors (issue #10, parts 3-4).

Checks the key facts entered from data/curated/trials_after_crizotinib.yaml and
data/curated/claims_after_second_gen.yaml against the assembled graph, and that the
resistance-matrix named query shows the cited variant-level lorlatinib evidence for G1202R.
"""

from __future__ import annotations

import re

import pytest
import yaml

from ingest.bibtex import BibtexAdapter
from kg import views as V
from kg.queries import list_queries
from tests.conftest import DATA

TRIALS_FILE = DATA / "curated" / "trials_after_crizotinib.yaml"
CLAIMS_FILE = DATA / "curated" / "claims_after_second_gen.yaml"
SOURCE_KINDS = {"journal_abstract", "pmc_full_text", "regulatory_label", "congress_abstract"}
ANALYSES = {"primary", "interim", "final", "update", "post_hoc"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# trial id -> (name, {arm id: drugs}) as read in the sources (see the ledger).
TRIALS = {
    "NCT02604342": ("ALUR", {"alectinib": {"drug:alectinib"},
                             "chemotherapy": {"drug:pemetrexed", "drug:docetaxel"}}),
    "NCT01828112": ("ASCEND-5", {"ceritinib": {"drug:ceritinib"},
                                 "chemotherapy": {"drug:pemetrexed", "drug:docetaxel"}}),
    "study:alta": ("ALTA", {"brigatinib-90": {"drug:brigatinib"},
                             "brigatinib-180": {"drug:brigatinib"}}),
    "NCT01871805": ("NP28761", {"alectinib": {"drug:alectinib"}}),
    "NCT01801111": ("NP28673", {"alectinib": {"drug:alectinib"}}),
    "NCT01970865": ("Lorlatinib phase 2 (B7461001)",
                    {a: {"drug:lorlatinib"} for a in ("exp1", "exp2-3a", "exp3b", "exp4-5",
                                                      "exp3b-5")}),
}


def _yaml(path):  # noqa: ANN001, ANN202
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _props(graph, nid):  # noqa: ANN001, ANN202
    return graph.graph.nodes[nid]["props"]


def _out(graph, nid, rtype):  # noqa: ANN001, ANN202
    return [t for _, t, d in graph.graph.out_edges(nid, data=True) if d["type"] == rtype]


@pytest.mark.parametrize("trial_id", sorted(TRIALS))
def test_each_trial_after_crizotinib_has_its_arms_and_drugs(curated_graph, trial_id):
    name, arms = TRIALS[trial_id]
    assert _props(curated_graph, trial_id)["name"] == name
    got = {a.rsplit("/", 1)[1]: set(_out(curated_graph, a, "RECEIVES"))
           for a in _out(curated_graph, trial_id, "HAS_ARM")}
    assert got == arms
    for arm in _out(curated_graph, trial_id, "HAS_ARM"):
        assert _props(curated_graph, arm)["n"] > 0


def test_alur_figures_as_published(curated_graph):
    """Novello 2018 and Wolf 2022 abstracts: the primary and final PFS hazard ratios."""
    hr = {o: _props(curated_graph, o) for o in _out(curated_graph, "NCT02604342", "HAS_OUTCOME")
          if _props(curated_graph, o)["measure"] == "hazard_ratio"}
    got = {(p["assessment"], p["analysis"]): (p["value_text"], p["ci_low_text"],
                                                p["ci_high_text"]) for p in hr.values()}
    assert got == {("investigator", "primary"): ("0.15", "0.08", "0.29"),
                   ("IRC", "primary"): ("0.32", "0.17", "0.59"),
                   ("investigator", "final"): ("0.20", "0.12", "0.33")}
    cns = {_props(curated_graph, o)["arm_id"].rsplit("/", 1)[1] + "/"
           + _props(curated_graph, o)["analysis"]: _props(curated_graph, o)["value_text"]
           for o in _out(curated_graph, "NCT02604342", "HAS_OUTCOME")
           if _props(curated_graph, o)["endpoint"] == "IC-ORR"}
    assert cns == {"alectinib/primary": "54.2", "alectinib/final": "66.7",
                   "chemotherapy/final": "0"}


def test_every_new_figure_carries_quote_source_kind_url_analysis_and_cutoff(curated_graph):
    doc = _yaml(TRIALS_FILE)
    n = 0
    for trial in doc["trials"]:
        for o in trial["outcomes"]:
            p = _props(curated_graph, f"{trial['id']}/outcome/{o['id']}")
            n += 1
            assert p["source_kind"] in SOURCE_KINDS, o["id"]
            assert p["source_url"].startswith("https://"), o["id"]
            assert p["analysis"] in ANALYSES, o["id"]
            assert p["data_cutoff"] == "not stated" or ISO_DATE.match(p["data_cutoff"]), o["id"]
            # the figure is written in its verbatim sentence
            assert p["value_text"] in p["quote"], o["id"]
            for bound in ("ci_low_text", "ci_high_text"):
                if bound in p:
                    assert p[bound] in p["quote"], (o["id"], bound)
    assert n >= 20


def test_trials_without_figures_say_what_was_not_entered(curated_graph):
    for trial in _yaml(TRIALS_FILE)["trials"]:
        props = _props(curated_graph, trial["id"])
        if not trial["outcomes"]:
            assert props.get("not_entered"), trial["id"]
        whats = props.get("not_entered", [])
        reasons = props.get("not_entered_reasons", [])
        assert len(whats) == len(reasons), trial["id"]
        for what, reason in zip(whats, reasons, strict=True):
            assert what and len(reason) > 10, (what, reason)


def test_new_publications_have_doi_and_pmid_or_say_why_not():
    bib = BibtexAdapter(DATA / "references.bib").by_key
    keys = {c["key"] for t in _yaml(TRIALS_FILE)["trials"] for c in t["publications"]}
    # + alecensa2026smpc (EU label, Table 6: NP28673 and NP28761), kiura2018ascend5 (ASCEND-5
    # Japanese subset), hcrds00434alunbrig (Health Canada decision summary: ALTA ORR)
    assert len(keys) == 11
    for key in keys:
        f = bib[key].fields
        if f.get("doi") and f.get("pmid"):
            assert re.fullmatch(r"\d{7,8}", f["pmid"]), key
            assert f["doi"].startswith("10."), key
        else:  # only a work whose identifiers were not read, and it says so
            assert "no DOI or PMID was read" in f.get("note", ""), key


def test_np28673_and_np28761_figures_from_the_eu_label(curated_graph):
    """Alecensa EU SmPC section 5.1, Table 6 (alecensa2026smpc): ORR, DOR and PFS by IRC."""
    want = {"NCT01801111": {"ORR": "50.8", "DOR": "15.2", "PFS": "8.9"},
            "NCT01871805": {"ORR": "52.2", "DOR": "14.9", "PFS": "8.2"}}
    for trial, figures in want.items():
        props = [_props(curated_graph, o) for o in _out(curated_graph, trial, "HAS_OUTCOME")]
        label = [p for p in props if p["bib_key"] == "alecensa2026smpc"
                 and p["population"] != "previously treated with chemotherapy"]
        assert {p["endpoint"]: p["value_text"] for p in label} == figures, trial
        assert {p["source_kind"] for p in label} == {"regulatory_label"}
    # NP28673's label figures are a later data cut than Ou 2016 and say so
    later = [_props(curated_graph, o) for o in _out(curated_graph, "NCT01801111", "HAS_OUTCOME")
             if _props(curated_graph, o)["bib_key"] == "alecensa2026smpc"]
    assert {p["analysis"] for p in later} == {"update"}


def test_g1202r_lorlatinib_claim_is_cited_with_its_label_sentence(curated_graph):
    p = _props(curated_graph, "claim:lorviqua-smpc-g1202r-lorlatinib")
    assert (p["subject_id"], p["predicate"], p["object_id"]) == (
        "ALK:p.G1202R", "CONFERS_SENSITIVITY_TO", "drug:lorlatinib")
    assert p["bib_key"] == "lorviqua2026smpc" and p["locator"].startswith("section 5.1")
    assert p["source_kind"] == "regulatory_label" and "G1202R" in p["quote"]
    assert p["evidence_level"] == "D"  # xenografts: preclinical
    cid = "claim:lorviqua-smpc-g1202r-lorlatinib"
    edge = [d for _, t, d in curated_graph.graph.out_edges("ALK:p.G1202R", data=True)
            if t == "drug:lorlatinib" and d["props"].get("claim_id") == cid]
    assert [d["type"] for d in edge] == ["CONFERS_SENSITIVITY_TO"]


def test_new_claims_have_sources_and_do_not_repeat_claims_yaml():
    old = _yaml(DATA / "curated" / "claims.yaml")["claims"]
    new = _yaml(CLAIMS_FILE)["claims"]
    assert len(new) >= 5
    triple = lambda c: (c["subject"], c["predicate"], c.get("object"), c["cite"]["key"])  # noqa: E731
    assert not {c["id"] for c in old} & {c["id"] for c in new}
    assert not {triple(c) for c in old} & {triple(c) for c in new}
    assert not {c["quote"] for c in old} & {c["quote"] for c in new}
    for c in new:
        assert c["source_kind"] in SOURCE_KINDS and c["source_url"].startswith("https://"), c["id"]


def test_resistance_matrix_query_shows_g1202r_lorlatinib_sensitivity(store):
    """The named query behind the matrix returns the cited claim; the cell reads sensitive."""
    q = next(q for q in list_queries() if q.name == "26_resistance_matrix")
    rows = store.query(q.text, q.example_params()).records()
    hits = [r for r in rows if r["subject_id"] == "ALK:p.G1202R"
            and r["drug_id"] == "drug:lorlatinib"]
    assert {(r["claim_id"], r["predicate"], r["direction"], r["source"]) for r in hits} >= {
        ("claim:lorviqua-smpc-g1202r-lorlatinib", "CONFERS_SENSITIVITY_TO", "supports",
         "curated")}
    cell = V.resistance_matrix(V.store_runner(store)).cell("ALK:p.G1202R", "drug:lorlatinib")
    assert cell is not None and cell.status == "sensitive"
    assert "claim:lorviqua-smpc-g1202r-lorlatinib" in cell.claim_ids
