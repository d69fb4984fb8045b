"""kg.views.changes: what was first published after a date, newest first, each cited."""

from __future__ import annotations

import datetime as dt

import pytest

from kg import views as V


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


def test_since_the_letter_lists_the_2024_papers_figures_newest_first(store, curated_graph):
    ch = V.changes_since(_run(store), "letter")
    assert ch.since == "2020-03-09" and ch.until is None
    dates = [c.date for c in ch.items]
    assert dates == sorted(dates, reverse=True)
    # the lorlatinib phase 2 final OS paper (2024) reports figures that appear here, cited
    late = [c for c in ch.items if c.pub_id == "PMID:39581380"]
    assert late and {c.label for c in late} == {"Outcome"}
    assert all(c.when == "2024" and "Lorlatinib" in c.reference.text for c in late)
    assert all(c.name.startswith("Lorlatinib phase 2") for c in late)  # named with its trial
    for c in ch.items:
        assert c.label in V.CHANGE_KINDS and c.reference.text
        assert dt.date.fromisoformat(c.date) > V.LETTER_ACCEPTED


def test_works_of_the_letters_year_are_listed_apart(store):
    ch = V.changes_since(_run(store), "letter")
    assert ch.same_year and all(c.year_only and c.when == "2020" for c in ch.same_year)
    assert not {c.id for c in ch.same_year} & {c.id for c in ch.items}


def test_each_item_once_at_its_first_publication(store, curated_graph):
    ch = V.changes_since(_run(store), "1990-01-01")
    ids = [c.id for c in (*ch.items, *ch.same_year)]
    assert len(ids) == len(set(ids))
    dates = V.publication_dates(_run(store))
    assert all(dates.first[c.id] == c.pub_id for c in ch.items)
    # every claim of the graph that has a dated work is listed since 1990
    claims = {n for n, d in curated_graph.graph.nodes(data=True) if d["label"] == "Claim"}
    assert {c.id for c in ch.items if c.label == "Claim"} == claims & set(dates.known)


def test_until_leaves_out_what_came_later(store):
    ch = V.changes_since(_run(store), "2019-01-01", until="2023-12-31")
    assert ch.items and all(c.date <= "2023-12-31" for c in ch.items)
    assert not any(c.pub_id == "PMID:39581380" for c in ch.items)


@pytest.mark.parametrize("bad", ["", "soon", "2020-02-30"])
def test_a_bad_date_is_refused(store, bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        V.changes_since(_run(store), bad)
