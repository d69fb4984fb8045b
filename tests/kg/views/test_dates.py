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


def test_year_only_dates_kinds_and_first_work():
    rows = [{"pub_id": "P1", "year": 2019, "date": None, "claims": ["c"], "outcomes": [],
             "trials": ["t"]},
            {"pub_id": "P2", "year": 2019, "date": "2019-01-01", "claims": [],
             "outcomes": ["o"], "trials": ["t"]}]
    d = V.publication_dates(lambda name, params: rows)
    assert d.kinds == {"P1": "Publication", "c": "Claim", "t": "Trial", "P2": "Publication",
                       "o": "Outcome"}
    assert d.first["t"] == "P2" and "t" not in d.year_only  # same day: the exact date wins
    assert "c" in d.year_only and "P1" in d.year_only
    assert d.hidden(dt.date(2018, 12, 31)) == {"Publication": 2, "Claim": 1, "Trial": 1,
                                               "Outcome": 1}
    assert d.hidden(None) == {}


def test_as_of_the_letter_hides_the_2024_papers(store):
    d = V.publication_dates(V.store_runner(store))
    for pub in ("PMID:39581380", "PMID:38819031"):  # lorlatinib phase 2 final OS; CROWN 5 y
        assert d.known[pub].year == 2024
        assert not d.visible(pub, V.as_date("letter")) and d.visible(pub, None)
    assert V.as_date(None) is None and V.as_date(dt.date(2020, 1, 1)) == dt.date(2020, 1, 1)
