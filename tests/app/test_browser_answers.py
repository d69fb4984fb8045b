"""Issue #11 in a real browser, at 1280x800 and 390x844, on the curated + CIViC ALK graph.

Debian's chromium (Playwright; the session's `chromium` fixture) opens the app served by
``streamlit run`` (`civic_app_url`) and checks what a trainee asks for: the search forgives
(typed, with suggestions while typing and "did you mean"); G1202R x lorlatinib shows its
evidence; a drug's page puts efficacy first; the "as of" date hides a 2024 paper and links
keep it; the phone forest plot fits and shows its values; the matrix scrolls with its first
column fixed; tables fit 1280 px; no toolbar covers a control; print shows the content only;
the source filter is offered because CIViC evidence is loaded. Every view is checked for
Streamlit exceptions and saved as a small PNG in ``artifacts/screenshots/`` (``1280_*`` and
``390_*``; docs/screenshots/ holds the copies the README shows). Every request must stay on
this machine.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.app.conftest import shrink_png

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
WIDE, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


class Tab:
    """A browser tab on the app: settles after each run, checks for errors, saves shots."""

    def __init__(self, browser, base: str, viewport: dict[str, int]) -> None:  # noqa: ANN001
        self.ctx = browser.new_context(viewport=viewport)
        self.page = self.ctx.new_page()
        self.base, self.width, self.offsite = base, viewport["width"], []
        host = re.match(r"https?://[^/]+", base).group(0)
        self.page.on("request", lambda r: None if r.url.startswith(
            (host, "data:", "blob:", "about:")) or r.is_navigation_request()
            else self.offsite.append(r.url))
        SHOTS.mkdir(parents=True, exist_ok=True)

    def open(self, path: str, *, text: str | None = None) -> None:
        """Open a page of the app and wait until its script run is over (and `text` shows)."""
        self.page.goto(self.base + path)
        self.settle(text=text)

    def settle(self, *, text: str | None = None, timeout: float = 30_000) -> None:
        """Wait until the script run is over (and `text` is on the page)."""
        p = self.page
        done = "[data-testid='stApp'][data-test-script-state='notRunning']"
        p.wait_for_selector(done, timeout=timeout)
        if text:
            p.get_by_text(text, exact=False).filter(visible=True).first.wait_for(
                timeout=timeout)
        p.wait_for_timeout(300)
        p.wait_for_selector(done, timeout=timeout)

    def shot(self, name: str, *, at: str | None = None) -> Path:
        """No exception or error box; save a small PNG (`at`: a selector scrolled to the top)."""
        exc = self.page.locator("[data-testid='stException']")
        assert exc.count() == 0, exc.first.inner_text()
        err = self.page.locator("[data-testid='stAlertContentError']")
        assert err.count() == 0, err.first.inner_text()
        if at:
            self.page.locator(at).first.evaluate("el => el.scrollIntoView({block: 'start'})")
            self.page.wait_for_timeout(250)
        path = SHOTS / f"{self.width}_{name}.png"
        self.page.screenshot(path=str(path))
        shrink_png(path)
        return path

    def close(self) -> None:
        assert not self.offsite, f"requests left the machine (CDN?): {self.offsite[:5]}"
        self.ctx.close()


@pytest.fixture
def wide(chromium, civic_app_url) -> Iterator[Tab]:  # noqa: ANN001
    tab = Tab(chromium, civic_app_url, WIDE)
    yield tab
    tab.close()


@pytest.fixture
def phone(chromium, civic_app_url) -> Iterator[Tab]:  # noqa: ANN001
    tab = Tab(chromium, civic_app_url, PHONE)
    yield tab
    tab.close()


def _first_hit(tab: Tab) -> str:
    return tab.page.locator("ol.kg-hits li a").first.inner_text()


def _rect(loc) -> dict[str, float]:  # noqa: ANN001
    return loc.evaluate("el => { const r = el.getBoundingClientRect(); return {x: r.left, "
                        "y: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height}; }")


# -- 3. search that forgives -------------------------------------------------------------
def test_search_typed_with_suggestions_typos_and_acronyms(wide):
    wide.open("search", text="Type a name")
    # CIViC evidence is loaded: the settings (drawn on request) offer the source filter
    wide.page.get_by_role("link", name="Evidence: curated and CIViC, all dates").click()
    wide.page.get_by_text("Evidence shown").wait_for()
    assert wide.page.get_by_text("Evidence shown").count() == 1
    wide.page.get_by_role("link", name="Close the settings").click()
    wide.page.wait_for_url(re.compile(r"/search$"))
    wide.settle()
    box = wide.page.get_by_role("textbox", name="Search names, synonyms and text")
    box.press_sequentially("lorl", delay=40)  # no Enter: the box commits while typing
    wide.page.get_by_text("Suggestions:").wait_for(timeout=15_000)
    wide.settle()
    assert wide.page.locator("text=Suggestions:").locator("..").locator(
        "a", has_text="lorlatinib").count() >= 1
    assert "q=lorl" in wide.page.url
    wide.shot("search_suggestions")
    box.fill("alectnib")
    wide.page.get_by_text("Did you mean").wait_for(timeout=15_000)
    wide.settle()
    assert _first_hit(wide) == "alectinib"
    wide.shot("search_did_you_mean")
    box.fill("J-ALEX")
    wide.page.wait_for_function(
        "() => document.querySelector('ol.kg-hits li a')?.innerText === 'J-ALEX'",
        timeout=15_000)
    wide.settle()
    hits = wide.page.locator("ol.kg-hits li a").all_inner_texts()
    assert hits.index("J-ALEX") < hits.index("ALEX")


@pytest.mark.parametrize("query, check", [
    ("brain metastases", lambda hits, page: re.search(r"CNS|brain|intracranial", hits[0])),
    ("lorlatinib CNS", lambda hits, page: page.locator(
        "text=Named in your query:").locator("..").locator("a", has_text="lorlatinib").count()),
    ("crizotinib resistance MET", lambda hits, page: page.get_by_text(
        "3 of 3 words").count() and page.locator("text=Named in your query:").locator(
        "..").locator("a", has_text="MET").count()),
])
def test_the_issues_searches_in_the_browser(wide, query, check):
    wide.open(f"search?q={query.replace(' ', '+')}", text="best first")
    hits = wide.page.locator("ol.kg-hits li a").all_inner_texts()
    assert hits and check(hits, wide.page), (query, hits[:3])


def test_search_on_a_phone(phone):
    phone.open("search?q=brain+metastases", text="best first")
    phone.shot("search")


# -- 1. inherited evidence: G1202R x lorlatinib --------------------------------------------
@pytest.mark.parametrize("tab", ["wide", "phone"])
def test_g1202r_x_lorlatinib_shows_its_evidence(request, tab):
    t = request.getfixturevalue(tab)
    t.open("matrix?variant=ALK%3Ap.G1202R&drug=drug%3Alorlatinib", text="Direct evidence")
    page = t.page
    cell = page.locator("table.kg-matrix td.kg-sel")
    assert cell.count() == 1 and cell.inner_text().startswith("sensitive · 1 · ")
    assert page.get_by_text("Direct evidence: sensitive").count() == 1
    assert page.get_by_text("Inherited evidence:").count() == 1
    assert page.get_by_text("Lorlatinib is active against ALK G1202R").count() >= 1
    t.shot("matrix_g1202r_lorlatinib", at="table.kg-matrix")
    page.get_by_text("Direct evidence: sensitive").evaluate(
        "el => el.scrollIntoView({block: 'start'})")
    t.shot("matrix_g1202r_lorlatinib_claims")


def test_clicking_a_matrix_cell_opens_its_claims(wide):
    wide.open("matrix", text="Click a cell")
    # compounds with preclinical evidence only are left out: the matrix fits 1280 px
    wrap = wide.page.locator("div.kg-matrix-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert wide.page.locator("table.kg-matrix thead th", has_text="TAE684").count() == 0
    row = wide.page.locator("table.kg-matrix tbody tr").filter(has=wide.page.locator(
        "th.kg-sticky", has_text=re.compile(r"^ALK G1202R$")))
    row.locator("td.kg-resistant a").first.click()
    wide.page.wait_for_url(re.compile(r"matrix\?variant=ALK%3Ap\.G1202R&drug="))
    wide.settle(text="Direct evidence")
    assert wide.page.locator("td.kg-sel").count() == 1


def test_phone_matrix_scrolls_with_its_first_column_fixed(phone):
    phone.open("matrix", text="Click a cell")
    wrap = phone.page.locator("div.kg-matrix-wrap")
    first = phone.page.locator("table.kg-matrix tbody th.kg-sticky").first
    drug = phone.page.locator("table.kg-matrix thead th").nth(1)
    before, drug_before = _rect(first), _rect(drug)
    assert _rect(wrap)["r"] <= PHONE["width"]  # the matrix itself fits; its content scrolls
    wrap.evaluate("el => el.scrollBy(260, 0)")
    phone.page.wait_for_timeout(200)
    after, drug_after = _rect(first), _rect(drug)
    assert abs(after["x"] - before["x"]) < 1  # the first column stays
    assert drug_after["x"] < drug_before["x"] - 200  # the drug columns moved
    phone.shot("matrix_scrolled")


# -- 2. efficacy first on drug pages --------------------------------------------------------
@pytest.mark.parametrize("tab", ["wide", "phone"])
def test_drug_page_efficacy_first(request, tab):
    t = request.getfixturevalue(tab)
    t.open("entity?id=drug%3Aalectinib", text="Linked in the graph")
    # a section's heading (S.section); the text in the document, drawn or not yet (the
    # sections below the first screen are drawn when scrolled near: the next test)
    heads = t.page.locator("h3.kg-h").all_text_contents()
    assert heads[0].startswith("Efficacy: trials where alectinib is an arm")
    assert heads[1].startswith("CNS figures") and heads[2].startswith("What variants")
    assert t.page.get_by_text("J-ALEX: IRF-assessed median PFS, alectinib, final PFS "
                              "analysis").count() == 1
    assert t.page.get_by_text("not entered:", exact=False).count() >= 1
    t.shot("entity_drug_efficacy", at="h3.kg-h:has-text('Efficacy')")


def test_drug_page_draws_below_its_first_screen_when_scrolled_near(wide):
    """The drug page's first trial is drawn with the page; the other trials and the
    sections below wait in `div.kg-later` boxes (content-visibility: auto) until the reader
    scrolls near them, and are then drawn (app_pages._cards.later_html)."""
    page = wide.page
    wide.open("entity?id=drug%3Aalectinib", text="Linked in the graph")
    later = page.locator("div.kg-later")
    assert later.count() >= 8  # 4 more trials, CNS, variants, claims, links
    first = page.locator("table.kg-table").first
    assert first.evaluate("el => el.closest('div.kg-later') === null")  # drawn at once
    cns = page.locator("div.kg-later", has=page.locator("h3", has_text="CNS figures"))
    assert cns.count() == 1

    def drawn(loc) -> bool:
        return loc.evaluate("el => el.checkVisibility({contentVisibilityAuto: true})")

    heading = cns.locator("h3")
    assert not drawn(heading) and heading.inner_text() == ""  # skipped until near
    assert heading.text_content().startswith("CNS figures")  # but in the document
    heading.scroll_into_view_if_needed()
    page.wait_for_function("el => el.checkVisibility({contentVisibilityAuto: true})",
                           arg=heading.element_handle())
    assert heading.inner_text().startswith("CNS figures")
    assert cns.locator("table.kg-table").first.is_visible()


# -- 4. as of a date -----------------------------------------------------------------------
def test_as_of_hides_a_2024_paper_and_links_keep_it(wide):
    paper = "Final Overall Survival and Long-Term Safety of Lorlatinib"
    wide.open("references", text="Download BibTeX")
    assert wide.page.get_by_text(paper, exact=False).count() == 1  # PMID 39581380, 2024
    # the settings: the link under the page bar says what is set and draws them
    wide.page.get_by_role("link", name="Evidence: curated and CIViC, all dates").click()
    wide.page.get_by_text("when the letter was written", exact=False).first.click()
    wide.page.wait_for_url(re.compile(r"as_of=letter"))
    wide.settle(text="As of when the letter was written")
    assert wide.page.get_by_text(paper, exact=False).count() == 0
    wide.shot("references_as_of_letter")
    # the date travels with in-app links and applies to the next page too
    wide.page.locator("ol li a[href^='entity?id=']").first.click()
    wide.page.wait_for_url(re.compile(r"entity\?id=.*as_of=letter"))
    wide.settle(text="As of when the letter was written")
    wide.open("trials?as_of=letter", text="Hazard ratios")
    assert wide.page.get_by_text("Solomon 2024").count() == 0
    wide.open("trials?view=cns&as_of=letter", text="Open a figure for its verbatim quote")
    assert wide.page.get_by_text("CROWN: median time to intracranial progression").count() == 0
    assert wide.page.get_by_text("ALUR: CNS objective response rate").count() >= 1


def test_the_filter_and_date_boxes_open_their_page_in_the_same_session(wide):
    """The references' filter and the "what changed" date are forms in the page's HTML
    (no Streamlit widget): Enter opens the page with the text in its URL, in the same
    session (serve.py's in-app script), and the box keeps the text."""
    page = wide.page
    wide.open("references", text="Download BibTeX")
    total = page.locator("ol li").count()
    page.evaluate("window.__kgSameDocument = 1")
    box = page.get_by_role("searchbox", name="Filter by author, title, journal, year or key")
    box.fill("Gainor")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/references\?q=Gainor$"))
    wide.settle(text="works (")
    assert page.evaluate("window.__kgSameDocument") == 1  # no page load
    assert box.input_value() == "Gainor"
    listed = page.locator("ol li").all_inner_texts()
    assert 1 <= len(listed) < total and "Gainor" in listed[0]
    wide.open("changes", text="Published figures (")
    page.evaluate("window.__kgSameDocument = 1")
    box = page.get_by_role("searchbox", name="Published after (YYYY-MM-DD, or “letter”)")
    assert box.input_value() == "letter"
    box.fill("2023-01-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/changes\?since=2023-01-01$"))
    wide.settle(text="first published after 1 January 2023")
    assert page.evaluate("window.__kgSameDocument") == 1
    assert page.get_by_text("Final Overall Survival and Long-Term Safety of Lorlatinib",
                            exact=False).count() >= 1  # 2024


@pytest.mark.parametrize("tab", ["wide", "phone"])
def test_what_changed_since_the_letter(request, tab):
    t = request.getfixturevalue(tab)
    t.open("changes", text="Published figures (")
    assert t.page.get_by_text("Final Overall Survival and Long-Term Safety of Lorlatinib",
                              exact=False).count() >= 1
    t.shot("changes")


# -- 5. phone and print --------------------------------------------------------------------
def test_phone_forest_plot_fits_and_shows_its_values(phone):
    phone.open("trials", text="Hazard ratios (forest plot)")
    chart = phone.page.locator("div.kg-chart").first
    box = _rect(chart)
    assert box["x"] >= 0 and box["r"] <= PHONE["width"]
    values = chart.locator("a.kg-val")
    texts = values.all_inner_texts()
    assert "0.37 (95% CI 0.26–0.52)" in texts and len(texts) >= 5
    for i in range(values.count()):  # every value on screen, inside the chart
        r = _rect(values.nth(i))
        assert r["w"] > 20 and r["x"] >= box["x"] and r["r"] <= box["r"] + 0.5, texts[i]
    for i in range(chart.locator("a.kg-pt").count()):
        r = _rect(chart.locator("a.kg-pt").nth(i))
        assert box["x"] <= r["x"] and r["r"] <= box["r"] + 4
    main = phone.page.locator("[data-testid='stMain']")
    assert main.evaluate("el => el.scrollWidth <= el.clientWidth + 1")  # no sideways page
    phone.shot("trials_forest_plot", at="div.kg-chart")


def test_phone_page_bar_is_one_line_that_scrolls_sideways_by_itself(phone):
    phone.open("trials", text="Bounds not estimable")
    bar = phone.page.locator("nav.kg-nav")
    box = _rect(bar)
    assert box["x"] >= 0 and box["r"] <= PHONE["width"]
    links = bar.locator("a")
    heights = {round(_rect(links.nth(i))["y"]) for i in range(links.count())}
    assert len(heights) == 1  # one line, not five
    assert bar.evaluate("el => el.scrollWidth > el.clientWidth")  # the rest scrolls into view
    current = bar.locator("a[aria-current='page']")
    assert current.inner_text() == "Trials and outcomes"
    main = phone.page.locator("[data-testid='stMain']")
    assert main.evaluate("el => el.scrollWidth <= el.clientWidth + 1")  # no sideways page
    phone.shot("page_bar", at="nav.kg-nav")


def test_tables_fit_1280_and_blank_cells_show_a_dash(wide):
    for path, text in [("trials?view=cns", "Open a figure for its verbatim quote"),
                       ("entity?id=drug%3Aalectinib", "Linked"),
                       ("entity?id=NCT02604342", "Published figures")]:
        wide.open(path, text=text)
        # the tables shown (not the properties' table in a closed <details>)
        tables = wide.page.locator("table.kg-table:not(details:not([open]) table)")
        assert tables.count() >= 1, path
        for i in range(tables.count()):
            # drawn first: a table below the first screen may wait until scrolled near
            # (div.kg-later, app_pages._cards.later_html)
            tables.nth(i).scroll_into_view_if_needed()
            fits = tables.nth(i).evaluate(
                "el => el.checkVisibility({contentVisibilityAuto: true})"
                " && el.parentElement.scrollWidth <= el.parentElement.clientWidth + 1")
            assert fits, (path, i)
        cells = wide.page.locator("table.kg-table").evaluate_all(
            "ts => ts.flatMap(t => [...t.querySelectorAll('td')])"
            ".filter(td => td.checkVisibility()).map(td => td.textContent.trim())")
        assert cells and "None" not in cells and "" not in cells, path
    wide.shot("trial_figures", at="table.kg-table")


@pytest.mark.parametrize("tab", ["wide", "phone"])
def test_toolbars_never_cover_controls(request, tab):
    t = request.getfixturevalue(tab)
    for path, text in [("matrix", "Click a cell"),
                       ("trials?view=cns", "Open a figure for its verbatim quote"),
                       ("references", "Download BibTeX")]:
        t.open(path, text=text)
        blocks = t.page.locator("[data-testid='stMain'] [data-testid='stElementContainer']")
        for i in range(min(blocks.count(), 25)):  # hover each block: toolbars show on hover
            if blocks.nth(i).is_visible():
                blocks.nth(i).scroll_into_view_if_needed()
                blocks.nth(i).hover(timeout=5_000)
        t.page.wait_for_timeout(200)
        bars = [_rect(b) for b in t.page.locator("[data-testid='stElementToolbar']").all()
                if b.is_visible()]
        controls = [_rect(c) for c in t.page.locator(
            "[data-testid='stMain'] :is(input, button, [role='combobox'], [role='radio'])"
        ).all() if c.is_visible()]
        for b in bars:
            for c in controls:
                overlap = not (b["r"] <= c["x"] or c["r"] <= b["x"] or b["b"] <= c["y"]
                               or c["b"] <= b["y"])
                assert not overlap, (path, b, c)


def test_print_shows_the_content_without_page_bar_or_widgets(wide):
    wide.open("entity?id=drug%3Aalectinib", text="Linked in the graph")
    page = wide.page
    page.emulate_media(media="print")
    page.wait_for_timeout(200)

    def shown(sel: str) -> bool:
        return page.locator(sel).first.evaluate(
            "el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0")

    assert page.locator("[data-testid='stSidebar']").count() == 0  # no sidebar at all
    assert not shown("nav.kg-nav")  # the page bar
    assert not shown("[data-testid='stHeader']")
    assert not shown("p.kg-settings")  # the settings' link
    assert not shown("p.kg-open")  # the link to the box that adds claims to the sheet
    assert shown("table.kg-table") and shown("h1")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    # the sections drawn only when scrolled near (div.kg-later) print all the same
    printed = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for text in ("CNS figures", "What variants and mechanisms do", "Linked in the graph"):
        assert text in printed, text
    wide.shot("print_entity_drug")
    page.emulate_media(media="screen")
    wide.open("matrix?variant=ALK%3Ap.G1202R&drug=drug%3Alorlatinib", text="Direct evidence")
    page.emulate_media(media="print")
    assert not shown("nav.kg-nav") and not shown("p.kg-open")
    assert shown("table.kg-matrix")
    # a box drawn on request (the cell's claims for the sheet) does not print either
    page.emulate_media(media="screen")
    wide.open("matrix?variant=ALK%3Ap.G1202R&drug=drug%3Alorlatinib&open=claims",
              text="Close this box")
    page.emulate_media(media="print")
    assert not shown(".st-key-kg_open_claims") and shown("table.kg-matrix")


# -- screenshots of the other pages at both widths -----------------------------------------
@pytest.mark.parametrize("path, name, text", [
    ("", "home", "Entities"),
    ("entity?id=ALK%3Ap.G1202R", "entity_variant", "Linked in the graph"),
    ("graph?id=drug%3Aalectinib", "graph", "Centre's page"),
])
@pytest.mark.parametrize("tab", ["wide", "phone"])
def test_pages_at_both_widths(request, tab, path, name, text):
    t = request.getfixturevalue(tab)
    t.open(path, text=text)
    main = t.page.locator("[data-testid='stMain']")
    assert main.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), name
    t.shot(name)
