"""kg.views.dates: when evidence became known, and the "as of" filter."""

from __future__ import annotations

import datetime as dt

import pytest

from kg import views as V


def test_every_claim_and_figure_gets_its_publication_year(store, curated_graph):
    d = V.publication_dates(V.store_runner(store))
    g = curated_graph.graph
    for nid, data in g.nodes(data=True):
        if data["label"] != "Claim":
            continue
        pub = next(t for _, t, e in g.out_edges(nid, data=True) if e["type"] == "ASSERTED_IN")
        year = g.nodes[pub]["props"]["year"]
        assert d.known[nid] == dt.date(year, 1, 1), nid
    # a later paper is hidden as of an earlier date, and shown without one
    late = max(d.known, key=d.known.get)
    assert not d.visible(late, d.known[late] - dt.timedelta(days=1))
    assert d.visible(late, None) and d.visible(late, d.known[late])
    assert d.visible("drug:alectinib", dt.date(1900, 1, 1))  # undated nodes stay


def test_the_earliest_work_wins():
    rows = [{"pub_id": "PMID:2", "year": 2022, "date": None, "claims": [], "outcomes": ["o"],
             "trials": ["t"]},
            {"pub_id": "PMID:1", "year": 2017, "date": "2017-06-06", "claims": [],
             "outcomes": [], "trials": ["t"]}]
    d = V.publication_dates(lambda name, params: rows)
    assert d.known["t"] == dt.date(2017, 6, 6) and d.known["o"] == dt.date(2022, 1, 1)
    assert d.keep(["o", "t", "x"], dt.date(2020, 1, 1)) == ["t", "x"]


@pytest.mark.parametrize("text", ["2020-13-01", "yesterday", "09/03/2020"])
def test_a_bad_as_of_names_the_expected_form(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        V.parse_as_of(text)
