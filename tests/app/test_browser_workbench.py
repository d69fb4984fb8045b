"""The workbench in a real browser (Debian's chromium via Playwright, never a downloaded one).

Open a canned query from its URL, change its parameter, download the result as CSV (and the
part of the graph it shows); then type a console query, run it and see its graph drawn. Every
request stays on the app (no CDN). The app server and the browser are the fixtures of
``test_browser.py``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.app.test_browser import Walk, app_url, browser  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_walk_canned_query_parameter_csv_then_console_graph(app_url, browser, store):  # noqa: F811
    from kg.views import workbench as W

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    w = Walk(page, app_url)

    # a canned query opened from its URL
    page.goto(app_url + "queries?q=02_resistance_to_drug")
    w.settle(text="Canned queries")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    box = page.get_by_label("drug", exact=True)
    assert box.input_value() == "drug:crizotinib"  # the example value
    w.check("canned_query")

    # change its parameter: the URL and the table follow
    box.fill("drug:alectinib")
    box.press("Enter")
    page.wait_for_url(re.compile(r"p_drug=drug%3Aalectinib"))
    w.settle(text="Download CSV")
    w.check("canned_query_parameter")

    # download the result as CSV: the rows of the query for that parameter
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download CSV").click()
    assert dl.value.suggested_filename == "02_resistance_to_drug.csv"
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    want = store.query(W.canned_query("02_resistance_to_drug").text,
                       {"drug": "drug:alectinib"}).records()
    assert rows and sorted(r["claim_id"] for r in rows) == sorted(r["claim_id"] for r in want)

    # the part of the graph a view shows, made when its button is clicked (GraphML, Edges CSV)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Edges CSV").click()
    edges = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    named = {v for r in rows for v in r.values()} | {"drug:alectinib"}  # rows + parameter
    assert edges and all(e["source_id"] in named and e["target_id"] in named for e in edges)
    assert {"reference", "doi", "pmid", "locator", "source_kind"} <= set(edges[0])
    assert any(e["type"] == "CONFERS_RESISTANCE_TO" and e["locator"] for e in edges)

    # the console: type a query, run it, see the graph
    page.get_by_role("link", name="Console").first.click()
    page.wait_for_url(re.compile(r"/console"))
    w.settle(text="Cypher query")
    area = page.get_by_role("textbox", name="Cypher query")
    area.fill("MATCH (v:Variant {id: 'ALK:p.G1202R'})-[r:CONFERS_RESISTANCE_TO]->(d:Drug)\n"
              "RETURN v, r, d")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url(re.compile(r"/console\?.*q=MATCH"))
    w.settle(text="rows in")
    page.get_by_text("Graph", exact=True).click()  # "Show as: Table | Graph"
    w.settle(text="click a node to open its page")
    frame_el = page.locator("iframe").first
    frame_el.wait_for()
    frame = frame_el.element_handle().content_frame()
    frame.locator("body[data-kg-ready='1']").wait_for(timeout=30_000)
    drawn = frame.evaluate("() => window.kgNetwork.body.data.nodes.getIds()")
    want = {r[0] for r in store.query("MATCH (v:Variant {id: 'ALK:p.G1202R'})"
                                      "-[:CONFERS_RESISTANCE_TO]->(d:Drug) RETURN d.id").rows}
    assert set(drawn) == want | {"ALK:p.G1202R"}
    w.check("console_graph")

    # a write is refused in the browser too, with the reason as text
    area = page.get_by_role("textbox", name="Cypher query")
    area.fill("MATCH (n) DETACH DELETE n")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("Refused: the console only reads.").wait_for()
    assert page.get_by_text("DETACH (line 1, column 11) is a write clause", exact=False).count()
    assert not w.offsite, f"requests left the machine (CDN?): {w.offsite[:5]}"
    ctx.close()
