"""kg.views.claims: claim cards carry the claim's words, level and citation."""

from __future__ import annotations

from kg import views as V


def test_claim_cards_follow_the_curated_claims(store, curated_graph):
    g = curated_graph.graph
    ids = sorted(n for n, d in g.nodes(data=True) if d["label"] == "Claim")[:12]
    cards = V.claim_cards(V.store_runner(store), [*ids, "claim:no-such-claim", ids[0]])
    assert [c.id for c in cards] == sorted(ids, key=lambda i: (
        g.nodes[i]["props"]["evidence_level"], i))  # level first, unknown ids skipped
    for card in cards:
        props = g.nodes[card.id]["props"]
        assert (card.quote, card.predicate, card.evidence_level, card.source) == (
            props["quote"], props["predicate"], props["evidence_level"], "curated")
        assert card.level_text.startswith(f"{card.evidence_level} (")
        assert card.reference.text and card.locator == props["locator"]
    assert V.claim_cards(V.store_runner(store), []) == []


def test_a_claim_card_names_subject_object_and_reference(store):
    (card,) = V.claim_cards(V.store_runner(store), ["claim:gainor2016-g1202r-alectinib"])
    assert [s["id"] for s in card.subjects] == ["ALK:p.G1202R"]
    assert [o["id"] for o in card.objects] == ["drug:alectinib"]
    assert (card.direction, card.locator) == ("supports", "abstract")
    assert card.reference.text.startswith("Gainor JF")
    assert card.reference.best_url
