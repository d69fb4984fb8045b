"""app_pages._style: label colours and the in-app URLs the pages build from node ids."""

from __future__ import annotations

import re

from app_pages._style import LABEL_COLOURS, PAGES, entity_href, outcome_href, page_href
from kg.schema import load_schema


def test_every_schema_label_has_a_colour():
    assert set(LABEL_COLOURS) == set(load_schema().labels)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in LABEL_COLOURS.values())
    assert LABEL_COLOURS["Drug"] != LABEL_COLOURS["Variant"]


def test_entity_href_encodes_every_reserved_character():
    assert entity_href("ALK:p.G1202R") == "entity?id=ALK%3Ap.G1202R"
    assert entity_href("a b/c?d&e") == "entity?id=a%20b%2Fc%3Fd%26e"
    assert entity_href("").startswith(PAGES["entity"][3] + "?")


def test_page_href():
    assert page_href("matrix", variant="ALK:p.G1202R", drug="drug:alectinib") == (
        "matrix?variant=ALK%3Ap.G1202R&drug=drug%3Aalectinib")
    assert page_href("trials") == "trials"


def test_a_figure_links_its_source_else_its_publication():
    doi = "https://doi.org/10.1/x"
    assert outcome_href({"source_url": doi, "pub_id": "bib:x"}) == doi
    assert outcome_href({"source_url": None, "pub_id": "bib:x"}) == "entity?id=bib%3Ax"
    assert outcome_href({"source_url": None, "pub_id": None}) is None


def test_the_page_bar_links_every_page_but_the_entity_page_and_marks_the_current_one():
    from app_pages._style import NAV, nav_html

    html = nav_html("trials", {"as_of": "letter", "source": "civic"})
    hrefs = re.findall(r'<a href="([^"]+)"', html)
    assert [h.split("?")[0] for h in hrefs] == [PAGES[n][3] for n in NAV]
    assert "entity" not in NAV and len(NAV) == len(PAGES) - 1
    assert all(h.endswith("?as_of=letter&amp;source=civic") for h in hrefs)  # the settings
    assert html.count("aria-current") == 1
    assert '<a href="trials?as_of=letter&amp;source=civic" aria-current="page">' in html
    assert "aria-current" not in nav_html("entity") and "aria-current" not in nav_html(None)
    # a title is text, never markup
    assert "What changed since …</a>" in html and "<script" not in html
