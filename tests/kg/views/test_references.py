"""kg.views.references: reference formatting and the bibliography."""

from __future__ import annotations

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
    assert all("search_text" not in it.props for it in items)
    asserted = {t for s, t, d in g.edges(data=True) if d["type"] == "ASSERTED_IN"}
    for it in items:
        made = dict(it.supports).get("claims made", ())
        assert bool(made) == (it.id in asserted), it.id
    assert V.bibliography(V.store_runner(store), source="civic") == []
