"""End to end in a real browser: Debian's chromium driven by Playwright.

The test starts ``streamlit run app.py`` on a free port against the session's FalkorDB state
directory (curated graph), then walks search -> entity -> reference -> graph -> matrix ->
trials -> references the way a trainee would: typing, clicking links, clicking a node of the
graph. On every page it checks that no Streamlit exception box appears, and it saves a
screenshot into ``artifacts/screenshots/`` (git-ignored). Every request the browser makes
must go to the app itself: nothing may come from a CDN.

The browser is ``/usr/bin/chromium`` from Debian (the session's `chromium` fixture);
Playwright never downloads one. When it is missing the test fails and names the package to
install. The curated graph alone has no CIViC evidence, so no source filter is offered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.app.conftest import bench_browser, shrink_png

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(app_state_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served as ``make run`` does (``serve.py``), on a free port, curated graph."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with bench_browser().serve(ROOT / "app.py", app_state_dir, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium) -> object:  # noqa: ANN001
    """The session's Chromium (tests/app/conftest.py)."""
    return chromium


class Walk:
    """A browser page that records off-site requests and checks each view it lands on."""

    def __init__(self, page, base: str) -> None:  # noqa: ANN001
        self.page, self.base, self.offsite, self.n = page, base, [], 0
        host = re.match(r"https?://[^/]+", base).group(0)
        local = (host, "data:", "blob:", "about:")
        # an asset (script, style, font, image, fetch) from elsewhere is a CDN load; a
        # navigation is the user following a link to a paper, checked where it happens
        page.on("request", lambda r: None if r.url.startswith(local)
                or r.is_navigation_request() else self.offsite.append(r.url))
        SHOTS.mkdir(parents=True, exist_ok=True)

    def settle(self, *, text: str | None = None, timeout: float = 30_000) -> None:
        """Wait until the script run is over (and `text` is on the page)."""
        p = self.page
        p.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                            timeout=timeout)
        if text:
            p.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
        p.wait_for_timeout(400)
        p.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                            timeout=timeout)

    def check(self, name: str) -> Path:
        """No exception box, no error box; save a screenshot."""
        exc = self.page.locator("[data-testid='stException']")
        assert exc.count() == 0, exc.first.inner_text()
        err = self.page.locator("[data-testid='stAlertContentError']")
        assert err.count() == 0, err.first.inner_text()
        self.n += 1
        path = SHOTS / f"{self.n:02d}_{name}.png"
        self.page.screenshot(path=str(path))
        shrink_png(path)
        return path


def test_walk_search_entity_reference_graph_matrix_trials(app_url, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    w = Walk(page, app_url)

    # home: counts by label, then search from the box
    page.goto(app_url)
    w.settle(text="What the graph holds")
    # the settings: drawn on request by the link under the page bar that says what is set;
    # no CIViC evidence is loaded, so no source filter
    assert page.get_by_text("Evidence published up to").count() == 0
    page.get_by_role("link", name="Evidence: all dates").click()
    page.wait_for_url(re.compile(r"open=settings"))
    page.get_by_text("Evidence published up to").wait_for()
    assert page.get_by_text("Evidence shown").count() == 0
    page.get_by_role("link", name="Close the settings").click()
    page.wait_for_url(re.compile(r"/home$|:\d+/$"))
    w.settle(text="What the graph holds")
    assert page.get_by_text("Evidence published up to").count() == 0
    w.check("home")
    box = page.get_by_label("Search names, synonyms and claim text")
    box.fill("Alecensa")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Alecensa"))
    w.settle(text="hit")
    w.check("search")

    # search -> entity: the first hit is alectinib
    first = page.locator("ol.kg-hits li a").first
    assert first.inner_text() == "alectinib"
    first.click()
    page.wait_for_url(re.compile(r"/entity\?id=drug%3Aalectinib"))
    w.settle(text="Evidence:")
    assert page.get_by_text("Reference:").count() >= 1
    assert page.get_by_text("locator:").count() >= 1
    w.check("entity")

    # entity -> reference: a claim's publication page
    page.get_by_role("link", name="publication page").first.click()
    page.wait_for_url(re.compile(r"/entity\?id=(PMID|DOI|bib)"))
    w.settle(text="What this work supports")
    w.check("publication")

    # -> graph, opened by a shared URL (centre and depth); then click a node
    page.goto(app_url + "graph?id=ALK%3Ap.G1202R&depth=2")
    w.settle(text="Graph view")
    # the URL chose the centre: the drawing's link says so, and its select box (drawn on
    # request, open=drawing) holds it
    page.get_by_role("link", name=re.compile(r"^Drawing ALK G1202R \(Variant\): 2 hops")).click()
    page.wait_for_url(re.compile(r"open=drawing"))
    page.get_by_role("combobox", name="Centre").wait_for()
    assert page.get_by_role("combobox", name="Centre").input_value() == "ALK G1202R (Variant)"
    page.get_by_role("link", name="Close this box").click()  # closed again
    page.wait_for_url(re.compile(r"/graph\?id=ALK%3Ap\.G1202R&depth=2$"))
    w.settle()
    assert page.get_by_role("combobox", name="Centre").count() == 0
    frame_el = page.locator("iframe").first
    frame_el.wait_for()
    frame = frame_el.element_handle().content_frame()
    frame.locator("body[data-kg-ready='1']").wait_for(timeout=30_000)
    w.check("graph")
    target = frame.evaluate("""() => {
        const net = window.kgNetwork;
        const ids = net.body.data.nodes.getIds().filter(i => i !== 'ALK:p.G1202R');
        const id = ids.find(i => i === 'drug:alectinib') || ids[0];
        net.focus(id, {scale: 1.2, animation: false});
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        return {id, x: p.x, y: p.y};
    }""")
    net_box = frame.locator("#net").bounding_box()  # in the page's coordinates
    page.mouse.click(net_box["x"] + target["x"], net_box["y"] + target["y"])
    page.wait_for_url(re.compile(r"/entity\?id="), timeout=15_000)
    assert unquote(page.url.split("id=", 1)[1]) == target["id"]
    w.settle(text="Linked in the graph")
    w.check("graph_click_opened_entity")

    # -> matrix: a shared URL opens the same cell with its claims
    page.goto(app_url + "matrix?variant=ALK%3Ap.G1202R&drug=drug%3Aalectinib")
    w.settle(text="Resistance matrix")
    page.get_by_text("claim", exact=False).first.wait_for()
    assert page.get_by_text("Reference:").count() >= 1
    assert page.locator("table.kg-matrix").count() == 1
    assert page.locator("table.kg-matrix td.kg-sel").count() == 1  # the chosen cell
    w.check("matrix")

    # -> trials: forest plot and medians, plain HTML, one view of the figures at a time
    page.get_by_role("link", name="Trials and outcomes").first.click()
    page.wait_for_url(re.compile(r"/trials"))
    w.settle(text="Hazard ratios (forest plot)")
    assert page.locator("div.kg-chart").count() == 1
    w.check("trials")
    page.locator("h3.kg-h", has_text="Hazard ratios (forest plot)").evaluate(
        "el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    w.check("trials_forest_plot")

    # a plotted point links to its paper, in a new tab (offline: the request is aborted)
    ctx.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    square = page.locator("div.kg-chart a.kg-pt[target='_blank']").first
    with page.expect_popup() as popup, ctx.expect_event(
            "request", lambda r: "doi.org/" in r.url or "pubmed" in r.url) as req:
        square.click()
    assert req.value.is_navigation_request()
    popup.value.close()
    page.goto(app_url + "trials?endpoint=OS")  # the view lives in the URL
    w.settle(text="Hazard ratios (forest plot)")
    page.locator("div.kg-title", has_text="OS hazard ratio").first.wait_for(timeout=30_000)
    page.get_by_role("link", name=re.compile(r"^Median PFS and OS per arm \(\d+\)$")).click()
    page.wait_for_url(re.compile(r"/trials\?view=medians&endpoint=OS"))
    w.settle(text="medians as a table")
    assert page.locator("h3.kg-h", has_text="Median PFS and OS per arm").count() == 1
    assert page.locator("div.kg-chart a.kg-val", has_text="34.1").count() >= 1
    assert page.locator("div.kg-title", has_text="OS hazard ratio").count() == 0

    # -> references: the bibliography with a BibTeX download
    page.get_by_role("link", name="References").first.click()
    page.wait_for_url(re.compile(r"/references"))
    w.settle(text="Download BibTeX")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download BibTeX").click()
    assert "@article{" in Path(dl.value.path()).read_text(encoding="utf-8")
    w.check("references")

    # bad parameters are explained in the browser too
    page.goto(app_url + "graph?id=nope&depth=9")
    w.settle(text="Ignored")
    w.check("bad_parameters")

    assert not w.offsite, f"requests left the machine (CDN?): {w.offsite[:5]}"
    ctx.close()
    assert len(list(SHOTS.glob("*.png"))) >= 10
