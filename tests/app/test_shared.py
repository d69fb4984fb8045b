"""app_pages._shared: views are cached by the function itself, per graph version."""

from __future__ import annotations

import pytest

from app_pages._shared import Graph, _cached_view
from kg import views as V

CALLS: list[dict] = []


def counting_view(run, *, ids):  # noqa: ANN001, ANN201 - a view: f(run, **kwargs)
    """Record the call, then return the drugs' names."""
    CALLS.append({"ids": ids})
    return [V.get_node(run, i)["props"]["name"] for i in ids]


def test_a_view_is_computed_once_per_graph_version_and_arguments(store):
    _cached_view.clear()
    CALLS.clear()
    sdir = str(store.server.state_dir)
    g = Graph(store, store.graph_version(), sdir)
    assert g.cached(counting_view, ids=("drug:alectinib",)) == ["alectinib"]
    assert g.cached(counting_view, ids=["drug:alectinib"]) == ["alectinib"]  # same JSON
    assert CALLS == [{"ids": ["drug:alectinib"]}]
    g.cached(counting_view, ids=["drug:crizotinib"])
    Graph(store, "another version", sdir).cached(counting_view, ids=["drug:alectinib"])
    assert len(CALLS) == 3
    assert g.cached(V.label_counts) == V.label_counts(V.store_runner(store))


def test_only_named_view_functions_are_cached():
    g = Graph(store=None, version="v", sdir="/nowhere")
    with pytest.raises(TypeError, match="lambda"):
        g.cached(lambda run: run)

    def local(run):  # noqa: ANN001, ANN202
        return run

    with pytest.raises(TypeError, match="locals"):
        g.cached(local)


def test_a_section_is_one_piece_of_markup_to_join_with_others():
    from app_pages._cards import note_html, section_html

    assert section_html("CNS endpoints", "<p>x</p>", caption="Open a figure") == (
        "<h3 class='kg-h'>CNS endpoints</h3><p class='kg-caption'>Open a figure</p><p>x</p>")
    assert section_html("Trials", level=1) == "<h1 class='kg-page-title'>Trials</h1>"
    assert section_html(body="<p>y</p>", level=4) == "<p>y</p>"  # no heading, no caption
    assert note_html("No CNS figures.") == "<div class='kg-note'>No CNS figures.</div>"
