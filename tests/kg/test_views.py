"""kg.views: what the browser shows, checked against the networkx graph it was loaded from."""

from __future__ import annotations

from kg import views as V
from kg.schema import load_schema


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


def test_entity_view_lists_every_claim_about_the_entity(store, curated_graph):
    g = curated_graph.graph
    for node in ("drug:crizotinib", "ALK:p.G1202R", "HGNC:427"):
        view = V.entity_view(_run(store), node)
        shown = {c.id for items in view.claims.values() for _, c in items}
        want = {s for s, t, d in g.in_edges(node, data=True)
                if g.nodes[s]["label"] == "Claim"}
        assert want <= shown, node
        for items in view.claims.values():
            for _, card in items:
                assert card.reference.text and card.locator and card.quote
                assert card.reference.best_url or card.reference.pub_id
    assert V.entity_view(_run(store), "no:such") is None


def test_source_filter_hides_claims(store):
    both = V.entity_view(_run(store), "drug:alectinib")
    civic = V.entity_view(_run(store), "drug:alectinib", source="civic")
    assert civic.n_claims == 0 and civic.hidden_claims == both.n_claims > 0


def test_matrix_statuses_follow_the_claims(store, curated_graph):
    m = V.resistance_matrix(_run(store), subjects=("Variant", "ResistanceMechanism"))
    g = curated_graph.graph
    for cell in m.cells.values():
        preds = {g.nodes[c]["props"]["predicate"] for c in cell.claim_ids}
        if cell.status == "resistant":
            assert preds == {"CONFERS_RESISTANCE_TO"}
        elif cell.status == "sensitive":
            assert preds == {"CONFERS_SENSITIVITY_TO"}
        assert cell.best_level == min(g.nodes[c]["props"]["evidence_level"]
                                      for c in cell.claim_ids)
        assert cell.n == len(cell.claim_ids)


def test_matrix_side_logic():
    assert load_schema().semantics.side("CONFERS_RESISTANCE_TO", "supports") == "resistant"
    assert load_schema().semantics.side("CONFERS_RESISTANCE_TO", "does_not_support") == "sensitive"
    assert load_schema().semantics.side("CONFERS_SENSITIVITY_TO", "does_not_support") == "resistant"
    rows = [{"subject_id": "v", "subject_label": "Variant", "subject_name": "V",
             "subject_gene": "ALK", "drug_id": "d", "drug_name": "D", "claim_id": f"c{i}",
             "predicate": p, "direction": "supports", "evidence_level": lv, "source": src,
             "conflicts": 0}
            for i, (p, lv, src) in enumerate([("CONFERS_RESISTANCE_TO", "C", "curated"),
                                              ("CONFERS_SENSITIVITY_TO", "B", "civic")])]
    m = V.resistance_matrix(lambda name, params: rows)
    cell = m.cell("v", "d")
    assert (cell.status, cell.n, cell.best_level, cell.n_civic) == ("conflicting", 2, "B", 1)
    only = V.resistance_matrix(lambda name, params: rows, source="curated").cell("v", "d")
    assert only.status == "resistant"


def test_neighbourhood_is_capped_closest_first(store):
    full = V.neighbourhood(_run(store), "drug:crizotinib", depth=2, cap=1000)
    capped = V.neighbourhood(_run(store), "drug:crizotinib", depth=2, cap=8)
    assert not full.capped and capped.capped and len(capped.nodes) == 8
    assert capped.reachable == full.reachable
    assert capped.nodes[0]["id"] == "drug:crizotinib"
    ids = {n["id"] for n in capped.nodes}
    dropped = [n["depth"] for n in full.nodes if n["id"] not in ids]
    assert max(n["depth"] for n in capped.nodes) <= min(dropped)
    assert all(e["source"] in ids and e["target"] in ids for e in capped.edges)


def test_trial_outcomes_keep_published_text(store, curated_graph):
    outs = V.trial_outcomes(_run(store), "JapicCTI-132316")
    hr = next(o for o in outs if o["outcome_id"].endswith("pfs-irf-final-hr"))
    assert hr["display"] == "0.37 (95% CI 0.26–0.52)"
    assert hr["comparison"] == "alectinib vs crizotinib"
    rows = V.forest_rows(outs, endpoint="PFS")
    assert {r["ci_level_text"] for r in rows} >= {"95%", "99.7%"}
    assert all(r["x"] > 0 for r in rows)


def test_reference_formatting():
    r = V.format_reference({"authors": ["Kapoor, A.", "Noronha, V.", "others"], "year": 2020,
                            "title": "Authors' reply", "journal": "Cancer Res Stat Treat",
                            "volume": "3", "pages": "406"})
    assert r.text == ("Kapoor A, Noronha V, et al. Authors' reply. Cancer Res Stat Treat. "
                      "2020;3:406.")
    assert V.format_reference(None, pmid="123").pmid_url == "https://pubmed.ncbi.nlm.nih.gov/123/"
