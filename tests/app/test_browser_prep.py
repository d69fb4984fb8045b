"""The tumour-board walk in a real browser (Debian's chromium through Playwright).

A trainee fills the scenario on /prep by hand, goes to the resistance matrix, adds a claim
of the G1202R × lorlatinib cell to the sheet (chosen by name in the box under the cell's
claims), comes back (the scenario and the basket are
kept, and written into the URL), downloads the PDF and finds the claim's citation in its
text; printing the page hides everything but the sheet. The server and the browser are
those of ``tests/app/test_browser.py``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from pypdf import PdfReader

from tests.app.test_browser import Walk, app_url, browser  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser
CLAIM = "claim:lorviqua-smpc-g1202r-lorlatinib"


def _pick(page, label: str, option: str, w: Walk, exact: bool = True) -> None:  # noqa: ANN001
    page.get_by_role("combobox", name=label).last.click()
    page.keyboard.type(option)  # long option lists are virtual: filter first
    page.get_by_role("option", name=option, exact=exact).first.click()
    w.settle()


def test_walk_scenario_basket_pdf(app_url, browser):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    w = Walk(page, app_url)

    # fill the scenario by hand
    page.goto(app_url + "prep")
    w.settle(text="To build the sheet, choose")
    _pick(page, "Progressing on", "alectinib", w)
    _pick(page, "Received before", "crizotinib", w)
    page.keyboard.press("Escape")
    page.get_by_text("extracranial", exact=True).click()
    w.settle()
    page.get_by_text("systemic", exact=True).click()
    w.settle()
    box = page.get_by_label("Alterations found (one per line)")
    box.fill("G1202R\nZZZ9 Q999X")
    box.press("Control+Enter")
    w.settle(text="ALK G1202R × lorlatinib")
    page.get_by_text("tissue", exact=True).click()
    w.settle(text="Alterations found in tissue")
    assert page.get_by_text("It does not rank treatments or recommend one").count() >= 1
    assert page.get_by_text("“ZZZ9 Q999X”: not found in the graph").count() >= 1
    query = parse_qs(urlparse(page.url).query)
    assert query == {"drug": ["alectinib"], "prior": ["crizotinib"],
                     "progression": ["extracranial"], "pattern": ["systemic"],
                     "alteration": ["G1202R", "ZZZ9 Q999X"], "sample": ["tissue"]}
    w.check("prep_scenario")

    # -> the matrix: add a claim of the G1202R x lorlatinib cell to the sheet
    page.get_by_role("link", name="Resistance matrix").first.click()
    page.wait_for_url(re.compile(r"/matrix"))
    w.settle(text="Resistance matrix")
    # the rows and the cell by name: a box drawn on request, open while both are chosen
    page.get_by_role("link", name="Rows and cell").click()
    page.wait_for_url(re.compile(r"open=rows"))
    _pick(page, "Variant or mechanism", "ALK G1202R", w)
    _pick(page, "Drug", "lorlatinib", w)
    page.get_by_text("Lorlatinib is active against ALK G1202R").first.wait_for()
    # the cell's claims are one list, and the link under them draws one box to add any of
    # them to the sheet, scrolled into view where the link was
    page.get_by_role("link", name="Add claims to the tumour-board sheet").first.click()
    page.wait_for_url(re.compile(r"open=claims#kg_open_claims$"))
    box = page.locator(".st-key-kg_open_claims")
    box.wait_for()
    page.wait_for_function("""() => { const r = document.querySelector(
        '.st-key-kg_open_claims').getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight; }""", timeout=10_000)
    _pick(page, "Claims for the tumour-board sheet", "Lorlatinib is active against ALK G1202R",
          w, exact=False)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Add 1 claim to the sheet").click()
    w.settle()
    assert box.get_by_text("1 item on the sheet").count() == 1
    w.check("matrix_added_to_sheet")

    # -> a link in the page's content (the drug's name) opens its page in the same session
    # (serve.py's in-app links): no page load, and the basket is kept
    page.evaluate("window.__kgSameDocument = 1")
    page.locator("h3.kg-h a", has_text="lorlatinib").first.click()
    page.wait_for_url(re.compile(r"/entity\?id=drug%3Alorlatinib"))
    w.settle(text="Linked in the graph")
    assert page.evaluate("window.__kgSameDocument") == 1

    # -> back to the sheet: scenario kept, the claim listed under "Added by you"
    page.get_by_role("link", name="Tumour-board prep").first.click()
    page.wait_for_url(re.compile(r"/prep\?"))
    w.settle(text="Added by you")
    query = parse_qs(urlparse(page.url).query)
    assert query["drug"] == ["alectinib"] and query["add"] == [CLAIM]
    sheet = page.locator(".prep-sheet").inner_text()
    added = sheet.split(". Added by you", 1)[1].split(". Not in the graph", 1)[0]
    assert "Lorlatinib is active against ALK G1202R" in added
    w.check("prep_with_basket")

    # the PDF: its text holds the claim's citation, the scenario and the graph's fingerprint
    with page.expect_download() as dl:
        page.get_by_role("button", name="PDF").click()
    pdf = Path(dl.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = re.sub(r"\s+", "", "".join(p.extract_text()
                                      for p in PdfReader(io.BytesIO(pdf)).pages))
    for words in ("Tumour-board evidence sheet: progression on alectinib", "Added by you",
                  "Lorlatinib is active against ALK G1202R", "[lorviqua2026smpc]",
                  "locator: section 5.1", "regulatory label", "--add " + CLAIM,
                  "“ZZZ9 Q999X” → not found in the graph"):
        assert re.sub(r"\s+", "", words) in text, words

    # printing shows the sheet alone
    page.emulate_media(media="print")
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator(".st-key-prep_controls").is_visible()
    assert not page.get_by_role("heading", name="Tumour-board prep").is_visible()
    assert page.locator(".prep-sheet").is_visible()
    w.check("prep_print")
    assert not w.offsite, f"requests left the machine (CDN?): {w.offsite[:5]}"
    ctx.close()
