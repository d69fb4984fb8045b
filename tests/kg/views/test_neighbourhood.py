"""kg.views.neighbourhood: the graph view's capped, breadth-first neighbourhood."""

from __future__ import annotations

from kg import views as V


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


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


def test_as_of_neither_draws_nor_walks_later_nodes(store):
    run = V.store_runner(store)
    now = V.neighbourhood(run, "NCT01970865", depth=1, cap=300)
    then = V.neighbourhood(run, "NCT01970865", depth=1, cap=300, as_of="letter")
    dates = V.publication_dates(run)
    late = {n["id"] for n in now.nodes} - {n["id"] for n in then.nodes}
    assert late and all(not dates.visible(i, V.LETTER_ACCEPTED) for i in late)
