"""Hostile text in a real browser: URL parameters and data values render as plain text.

Debian's chromium (Playwright, never a downloaded browser) opens Search, References and an
entity page with ``<script>``, ``<img onerror>``, ``[link](...)`` and ``![img](...)`` in the
URL, and an entity page of a graph whose drug name, synonyms and claim quote hold the same
text (from a curated file). On every page: no script ran (``window.__pwned``), no link or
image to the hostile host exists, no request left for it, no exception box, and the text is
visible as typed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from tests.app.conftest import bench_browser
from tests.app.test_browser import ROOT, browser  # noqa: F401 - fixture
from tests.helpers import edit, mini_copy

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[link](https://evil.example/l)",
    "![img](https://evil.example/x.png)",
    ":material/home: :red[red] :smile: www.evil.example a@evil.example",
]
MIXED = " ".join(PAYLOADS)


@pytest.fixture(scope="module")
def apps(app_state_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Two apps: the curated graph, and a graph whose data holds the payloads."""
    from kg.build import build_graph
    from kg.store.falkordb import FalkorServer, FalkorStore

    tmp = tmp_path_factory.mktemp("hostile")
    data = mini_copy(tmp)
    yaml_text = MIXED.replace('"', '\\"')
    edit(data / "curated" / "entities.yaml", "    name: alectinib\n",
         f'    name: "alectinib {yaml_text}"\n')
    edit(data / "curated" / "entities.yaml", "synonyms: [Alecensa, CH5424802]",
         f'synonyms: [Alecensa, "{yaml_text}"]')
    edit(data / "curated" / "claims.yaml", 'quote: "alectinib has clearly',
         f'quote: "{yaml_text} alectinib has clearly')
    server = FalkorServer(tmp / "state")
    store = FalkorStore(server)
    store.load(build_graph(data))
    store.close()
    serve = bench_browser().serve
    try:
        with ExitStack() as servers:  # no --server.address: .streamlit/config.toml decides
            yield {name: servers.enter_context(serve(ROOT / "app.py", sdir, tmp / f"{name}.log",
                                                     address=None))
                   for name, sdir in (("curated", app_state_dir),
                                      ("hostile", server.state_dir))}
    finally:
        server.stop()


def _visit(page, url: str, expect: str) -> None:  # noqa: ANN001
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=30_000)
    page.wait_for_timeout(600)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate("() => window.__pwned") is None, url
    bad = page.evaluate("""() => [
        ...[...document.querySelectorAll('a[href]')].map(a => a.href)
            .filter(h => new URL(h).hostname.endsWith('evil.example')
                         || h.startsWith('mailto:')),
        ...[...document.querySelectorAll('img')].map(i => i.getAttribute('src') || '')
            .filter(s => s === 'x' || s.includes('evil.example')),
        ...[...document.querySelectorAll('script')].filter(s => s.textContent
            .includes('__pwned')).map(s => 'script'),
        ...[...document.querySelectorAll('[data-testid="stMarkdownContainer"] '
            + '.stMarkdownColoredText, [data-testid="stMarkdownContainer"] .stMarkdownBadge, '
            + '[data-testid="stMarkdownContainer"] .stMarkdownColoredBackground, '
            + '[data-testid="stMarkdownContainer"] span[aria-label="home icon"]')]
            .map(m => 'shortcode: ' + m.outerHTML.slice(0, 200)),
    ]""")
    assert bad == [], (url, bad)
    shown = page.evaluate("() => document.body.innerText").replace("\u2060", "")
    assert expect in shown, (url, expect, shown[:2000])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_url_parameters_render_as_text(apps, browser, payload):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
    hits: list[str] = []
    ctx.on("request", lambda r: hits.append(r.url)
           if (urlparse(r.url).hostname or "").endswith("evil.example") else None)
    page = ctx.new_page()
    base = apps["curated"]
    for path in (f"search?q={quote(payload)}", f"references?q={quote(payload)}",
                 f"entity?id={quote(payload)}"):
        _visit(page, base + path, payload)
    page.wait_for_timeout(500)
    assert hits == []
    ctx.close()


def test_streamlit_listens_on_loopback_only_by_default(apps):
    """.streamlit/config.toml binds 127.0.0.1: no socket of the app's port elsewhere."""
    port = apps["curated"].rsplit(":", 1)[1].strip("/")
    listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
    mine = [ln.split()[3] for ln in listening.splitlines()[1:] if ln.split()[3].endswith(
        f":{port}")]
    assert mine and all(a.startswith("127.0.0.1:") for a in mine), mine


def test_data_text_renders_as_text(apps, browser):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
    hits: list[str] = []
    ctx.on("request", lambda r: hits.append(r.url)
           if (urlparse(r.url).hostname or "").endswith("evil.example") else None)
    page = ctx.new_page()
    base = apps["hostile"]
    _visit(page, base + "entity?id=drug%3Aalectinib", f"alectinib {MIXED}")
    _visit(page, base + "search?q=alectinib", f"alectinib {MIXED}")
    _visit(page, base + "entity?id=claim%3Atest-alectinib-pfs", f"{MIXED} alectinib has")
    _visit(page, base, "Drugs")  # home lists the drug by name
    page.wait_for_timeout(500)
    assert hits == []
    ctx.close()
