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
