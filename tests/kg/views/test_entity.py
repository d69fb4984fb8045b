"""kg.views.entity: entity pages, checked against the networkx graph they were loaded from."""

from __future__ import annotations

from kg import views as V


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


def test_as_of_hides_later_claims_and_links(store):
    now = V.entity_view(_run(store), "ALK:p.G1202R")
    then = V.entity_view(_run(store), "ALK:p.G1202R", as_of="letter")
    ids = {c.id for items in now.claims.values() for _, c in items}
    ids_then = {c.id for items in then.claims.values() for _, c in items}
    assert "claim:lorviqua-smpc-g1202r-lorlatinib" in ids - ids_then  # the 2026 label
    assert then.hidden_by_date >= len(ids - ids_then) > 0 and now.hidden_by_date == 0
    pub = V.entity_view(_run(store), "PMID:39581380", as_of="letter")
    assert pub.after_as_of and pub.known_since == "2024-01-01"
    assert not V.entity_view(_run(store), "PMID:39581380").after_as_of
