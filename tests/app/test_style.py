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
