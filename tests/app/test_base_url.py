"""The base-URL middleware (app_pages/_base_url.py, served by serve.py), alone and in Chromium."""

from __future__ import annotations

import asyncio
import gzip
import re

import pytest

from app_pages._base_url import BaseUrlMiddleware, base_url_script, preload_links

INDEX = b"<!doctype html><html><head><title>x</title></head><body></body></html>"


def _call(body: bytes, *, ctype: bytes = b"text/html", method: str = "GET",
          encoding: bytes | None = None, chunks: int = 1,
          head: str = "") -> tuple[list[tuple], bytes]:
    """Run the middleware around an app that answers `body`; return (headers, body) sent."""
    async def app(scope, receive, send):  # noqa: ANN001, ANN202
        headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        step = max(1, len(body) // chunks)
        parts = [body[i:i + step] for i in range(0, len(body), step)] or [b""]
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part,
                        "more_body": i < len(parts) - 1})

    sent: list[dict] = []

    async def send(message):  # noqa: ANN001, ANN202
        sent.append(message)

    async def receive():  # noqa: ANN202
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": "/entity", "headers": []}
    asyncio.run(BaseUrlMiddleware(app, base_path="", head=head)(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["headers"], out


def test_the_index_page_names_the_base_url_in_its_head():
    headers, body = _call(INDEX, chunks=3)
    assert body.startswith(b"<!doctype html><html><head><script>window.__streamlit=")
    assert body.count(b"<script>") == 1 and body.endswith(INDEX[INDEX.index(b"<title>"):])
    assert dict(headers)[b"content-length"] == str(len(body)).encode()


def test_the_app_stylesheet_follows_the_script_in_the_head():
    from app_pages._layout import STYLE

    headers, body = _call(INDEX, head=STYLE)
    script = base_url_script("")
    assert body.startswith(b"<!doctype html><html><head>" + script + STYLE.encode() + b"<title>")
    assert body.count(b"<style>") == 1
    assert dict(headers)[b"content-length"] == str(len(body)).encode()


def test_a_gzipped_index_is_unpacked_and_sent_plain():
    headers, body = _call(gzip.compress(INDEX), encoding=b"gzip")
    assert b"BACKEND_BASE_URL" in body and b"content-encoding" not in dict(headers)
    assert dict(headers)[b"content-length"] == str(len(body)).encode()


@pytest.mark.parametrize("ctype,method", [(b"application/javascript", "GET"),
                                          (b"text/html", "POST"), (b"text/html", "HEAD")])
def test_other_responses_pass_unchanged(ctype, method):
    headers, body = _call(INDEX, ctype=ctype, method=method)
    assert body == INDEX and dict(headers)[b"content-length"] == str(len(INDEX)).encode()


def test_the_base_path_is_a_quoted_constant():
    assert base_url_script("kg").endswith(b'window.location.origin + "/kg/"};</script>')
    assert b"</script><" not in base_url_script("a</script><b")[:-9]


@pytest.mark.browser
def test_a_page_below_the_root_connects_without_probing_its_own_path(chromium, civic_app_url):
    """Without the middleware Streamlit asks /entity/_stcore/health (404) first, then waits."""
    page = chromium.new_page()
    try:
        page.goto(civic_app_url + "entity?id=drug%3Aalectinib")
        page.wait_for_selector("table.kg-table", timeout=60_000)
        asked = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)"
                              ".filter(n => n.includes('_stcore/health'))")
        assert asked == [civic_app_url + "_stcore/health"], asked
        assert page.evaluate("window.__streamlit.BACKEND_BASE_URL") == civic_app_url
        # serve.py put the app's stylesheet in the head, and app.py did not add it again
        styles = page.evaluate("[...document.querySelectorAll('style')]"
                               ".filter(s => s.textContent.includes('table.kg-table'))"
                               ".map(s => s.parentElement.tagName)")
        assert styles == ["HEAD"], styles
        assert page.evaluate("getComputedStyle(document.querySelector('table.kg-table'))"
                             ".borderCollapse") == "collapse"
        # the st.html module and DOMPurify came from the head's preload (preload_links):
        # asked for before the front end asked the server anything, not once the first
        # element had arrived over the websocket
        start = page.evaluate(
            "Object.fromEntries(performance.getEntriesByType('resource')"
            ".map(r => [r.name.split('/').pop().split('.')[0], r.startTime]))")
        assert start["Html"] < start["host-config"] and start["purify"] < start["host-config"]
    finally:
        page.close()


def test_preload_links_follow_a_kind_s_imports_and_skip_the_index_s(tmp_path):
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (tmp_path / "index.html").write_text(
        '<link rel="modulepreload" crossorigin href="./static/js/react.A1.js">')
    (js / "Html.X9.js").write_text('import{t as a}from"./react.A1.js";import{t as b}from'
                                   '"./purify.es.P2.js";import"./side.S3.js";'
                                   'const lazy=()=>import("./Later.L4.js");')
    (js / "purify.es.P2.js").write_text('import"./Html.X9.js";export{}')  # a cycle
    (js / "side.S3.js").write_text("export{}")
    (js / "Later.L4.js").write_text("export{}")
    out = preload_links(("Html", "Missing"), static=tmp_path)
    assert re.findall(r'href="\./static/js/([^"]+)"', out) == [
        "Html.X9.js", "purify.es.P2.js", "side.S3.js"]  # not react (the index's), not Later
    assert preload_links(("Missing",), static=tmp_path) == ""


def _back_in_the_same_document(page, url: str, selector: str) -> None:  # noqa: ANN001
    """Go Back: the previous page (`url`, showing `selector`) in the same document."""
    page.go_back()
    page.wait_for_selector(selector, timeout=30_000)
    assert page.url == url
    assert page.evaluate("window.__kgSameDocument") == 1


@pytest.mark.browser
def test_a_link_in_the_content_opens_its_page_in_the_same_session(chromium, civic_app_url):
    """serve.py's IN_APP_LINKS: no page load; the URL, the page and Back follow the link."""
    page = chromium.new_page()
    try:
        page.goto(civic_app_url)
        page.wait_for_selector("div.kg-counts", timeout=60_000)
        page.evaluate("window.__kgSameDocument = 1")
        page.locator("ul.kg-ways a", has_text="Resistance matrix").click()
        page.wait_for_selector("table.kg-matrix", timeout=30_000)
        assert page.url == civic_app_url + "matrix"
        page.locator("table.kg-matrix tbody th a").first.click()  # a row's entity page
        page.wait_for_url("**/entity?id=*", timeout=30_000)
        page.get_by_text("Linked in the graph").wait_for(timeout=30_000)
        assert page.evaluate("window.__kgSameDocument") == 1  # the same document throughout
        _back_in_the_same_document(page, civic_app_url + "matrix", "table.kg-matrix")
    finally:
        page.close()


@pytest.mark.browser
def test_the_page_bar_opens_pages_in_the_same_session_and_marks_the_current_one(
        chromium, civic_app_url):
    """The page bar replaces Streamlit's page list: no sidebar, no page load per click."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(civic_app_url + "references")
        page.wait_for_selector("ol li", timeout=60_000)
        assert page.locator("[data-testid='stSidebar']").count() == 0
        assert page.locator("nav.kg-nav a[aria-current='page']").inner_text() == "References"
        page.evaluate("window.__kgSameDocument = 1")
        page.locator("nav.kg-nav a", has_text="Trials and outcomes").click()
        page.wait_for_selector("div.kg-chart", timeout=30_000)
        assert page.url == civic_app_url + "trials"
        page.wait_for_function("document.querySelector(\"nav.kg-nav a[aria-current='page']\")"
                               "?.innerText === 'Trials and outcomes'", timeout=30_000)
        assert page.evaluate("window.__kgSameDocument") == 1  # the same session throughout
        _back_in_the_same_document(page, civic_app_url + "references", "ol li")
    finally:
        page.close()
