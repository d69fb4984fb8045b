"""kg.views.references: reference formatting and the bibliography."""

from __future__ import annotations

import pytest

from kg import views as V


def test_reference_formatting():
    r = V.format_reference({"authors": ["Kapoor, A.", "Noronha, V.", "others"], "year": 2020,
                            "title": "Authors' reply", "journal": "Cancer Res Stat Treat",
                            "volume": "3", "pages": "406"})
    assert r.text == ("Kapoor A, Noronha V, et al. Authors' reply. Cancer Res Stat Treat. "
                      "2020;3:406.")
    assert V.format_reference(None, pmid="123").pmid_url == "https://pubmed.ncbi.nlm.nih.gov/123/"


def test_bibliography_lists_every_publication_with_what_rests_on_it(store, curated_graph):
    items = V.bibliography(V.store_runner(store))
    g = curated_graph.graph
    pubs = {n for n, d in g.nodes(data=True) if d["label"] == "Publication"}
    assert {it.id for it in items} == pubs
    assert [it.reference.text.lower() for it in items] == sorted(
        it.reference.text.lower() for it in items)
    assert all("search_text" not in it.props and "search_lower" not in it.props for it in items)
    asserted = {t for s, t, d in g.edges(data=True) if d["type"] == "ASSERTED_IN"}
    for it in items:
        made = dict(it.supports).get("claims made", ())
        assert bool(made) == (it.id in asserted), it.id
    assert V.bibliography(V.store_runner(store), source="civic") == []


def test_bibliography_page_fetches_one_page_and_counts_them_all(store):
    run_log = []

    def run(name, params):
        rows = V.store_runner(store)(name, params)
        run_log.append((name, dict(params), len(rows)))
        return rows

    everything = V.bibliography(V.store_runner(store))
    first, total = V.bibliography_page(run, per_page=4)
    assert total == len(everything) and len(first) == 4
    second, _ = V.bibliography_page(run, page=2, per_page=4)
    assert not {it.id for it in first} & {it.id for it in second}
    assert run_log[-1] == ("28_references", {"source": "both", "words": [], "skip": 4,
                                             "limit": 4}, 4)  # only the page's rows
    assert {it.id: it for it in everything}[second[0].id] == second[0]
    hits, n = V.bibliography_page(run, text="Nakagawa 2020")
    assert n == len(hits) >= 1 and all("nakagawa" in it.reference.text.lower() for it in hits)
    assert V.bibliography_page(run, page=99, per_page=50) == ([], total)
    with pytest.raises(ValueError, match="at least 1"):
        V.bibliography_page(run, page=0)
