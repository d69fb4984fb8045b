"""Name the server's base URL in Streamlit's index page, so a page below ``/`` connects at once.

Streamlit's front end (1.67) does not know where the server's root is. Opened at a page's
URL (``/entity?id=...``), it first asks ``/entity/_stcore/health`` and
``/entity/_stcore/host-config``, gets 404, waits a fixed 100 ms and asks again at ``/``:
100-140 ms before the websocket opens, on every page but home (measured with
``bench/browser_breakdown.py``; docs/browser-speed.md). The front end reads
``window.__streamlit.BACKEND_BASE_URL`` when its bundle loads (the documented way to embed
Streamlit), and then tries that URL alone. `BaseUrlMiddleware`, an ASGI middleware given to
``st.App`` (``serve.py``), writes that one line into the ``<head>`` of every HTML response
the server sends (the index page, which Streamlit serves for every page URL): the page's
origin plus ``server.baseUrlPath``. It adds no data and no user text, only that constant.

It can also put the app's stylesheet there (``head=``; ``serve.py`` passes
`app_pages._layout.STYLE` and sets `app_pages._layout.STYLE_IN_HEAD`, so ``app.py`` does not
add it again as an element). In the index page the stylesheet costs the browser one CSS
parse; as an ``st.html`` element it went through DOMPurify and React on every page load and
re-styled the page once drawn, about 25 ms of each page's time to content
(docs/browser-speed.md). ``streamlit run app.py`` and the page tests have no middleware and
get the stylesheet as an element, as before.

`IN_APP_LINKS` (also put in the head by ``serve.py``) keeps the reader in the same Streamlit
session when they follow a link in a page's content: the pages' HTML (`app_pages._cards.link`
and the tables) links other pages with plain ``<a href="entity?id=...">``, which the browser
follows by loading the app afresh, a new session, so the tumour-board basket (kept in the
session) was lost and every click paid a full page load. The script catches a plain left
click on such a link inside an HTML or Markdown element, writes the link's URL into the
browser's history and announces it (``popstate``), as the Back button does; Streamlit's front
end then opens that page with those query parameters in the same session, and the page
scrolls to its top; a link whose URL ends in ``#<name>`` (the links that draw a box on
request, `app_pages._params.open_href`) scrolls instead to the element of that id, or of
Streamlit's class ``st-key-<name>``, once the new run has drawn it. A form of the pages'
HTML that asks with ``method="get"`` (`app_pages._cards.form_html`: the search box on the
home page, the references' filter, the "what changed" date) is opened the same way, its
empty fields left out. Links to other
sites, links with a target, modified clicks (new tab) and links Streamlit handles itself are
left alone. Without ``serve.py`` links load the page afresh, as before.

`preload_links` (also in the head, from ``serve.py``) names the modules of ``st.html`` and of
its sanitiser DOMPurify as ``<link rel="modulepreload">``. Streamlit's front end loads an
element kind's module only when the first element of that kind arrives, after the page's
websocket has opened: on a fresh page load, fetching and compiling them fell between the
page's first elements arriving and its first drawing. Preloaded, they are fetched and compiled
while the front end starts: home 8 ms, the drug page 9 ms and the matrix 28 ms sooner (21
loads each, in turns; docs/browser-speed.md, "Eighth pass"). The benchmark's floor page,
served by ``serve.py`` too, gets the same head.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


#: The element kinds whose front-end modules `preload_links` names: ``st.html``, which every
#: page draws (with DOMPurify, which it imports). Adding the search's text box, the download
#: button and the component frame (25 modules in all) made the pages that do not draw them
#: slower (home +23 ms, references +19 ms), and was left out (docs/browser-speed.md).
PRELOADED = ("Html",)
_IMPORT = re.compile(r'(?:from|import)\s*"\./([\w.-]+\.js)"')


def preload_links(kinds: Iterable[str] = PRELOADED, static: Path | None = None) -> str:
    """Return ``<link rel="modulepreload">`` tags for the front-end modules of `kinds`.

    Each kind's module (``static/js/<kind>.<hash>.js``) and the modules it imports, found by
    reading their ``import ... from "./<file>.js"`` lines; the modules Streamlit's index page
    already preloads are left out. The hashes change with Streamlit's version, so the files
    are read from the installed package; a kind with no module there is left out (the page
    then loads it as before, when its first element arrives).

    Parameters
    ----------
    kinds : iterable of str
        Element kinds, by the name of their module (`PRELOADED`).
    static : pathlib.Path, optional
        Streamlit's ``static`` directory (that of the installed package by default).

    Returns
    -------
    str
        The tags, relative to the page (``./static/js/...``) as the index page's own are.
    """
    if static is None:
        import streamlit

        static = Path(streamlit.__file__).parent / "static"
    js = static / "static" / "js"
    index = static / "index.html"
    seen = set(re.findall(r"static/js/([\w.-]+\.js)", index.read_text())
               if index.exists() else ())
    order: list[str] = []

    def visit(name: str) -> None:
        if name in seen or not (js / name).is_file():
            return
        seen.add(name)
        order.append(name)
        for dep in _IMPORT.findall((js / name).read_text()):
            visit(dep)

    for kind in kinds:
        for path in sorted(js.glob(f"{kind}.*.js")):
            visit(path.name)
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">'
                   for name in order)


def base_url_script(base_path: str) -> bytes:
    """Return the ``<script>`` that names the server's base URL for Streamlit's front end.

    Parameters
    ----------
    base_path : str
        ``server.baseUrlPath`` (``''`` when the app is served at ``/``).

    Returns
    -------
    bytes
        One ``<script>`` element setting ``window.__streamlit.BACKEND_BASE_URL``.

    Examples
    --------
    >>> base_url_script("").decode()
    '<script>window.__streamlit={BACKEND_BASE_URL: window.location.origin + "/"};</script>'
    >>> base_url_script("/kg/").decode()
    '<script>window.__streamlit={BACKEND_BASE_URL: window.location.origin + "/kg/"};</script>'
    """
    path = "/" + "/".join(p for p in base_path.split("/") if p)
    path = path if path.endswith("/") else path + "/"
    # json.dumps quotes it as a JS string; '<' cannot occur in a URL path set by the operator,
    # and is escaped besides so the string cannot end the script element.
    literal = json.dumps(path).replace("<", "\\u003c")
    return (f"<script>window.__streamlit={{BACKEND_BASE_URL: window.location.origin + "
            f"{literal}}};</script>").encode()


#: The head script of in-app links (see the module); a constant, it carries no data.
IN_APP_LINKS = """<script>
document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey
      || e.altKey) return;
  const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
  if (!a || a.hasAttribute("target") || a.hasAttribute("download")) return;
  if (!a.closest("[data-testid='stHtml'], [data-testid='stMarkdownContainer']")) return;
  const url = new URL(a.href, window.location.href);
  const base = new URL(window.__streamlit && window.__streamlit.BACKEND_BASE_URL
                       || "/", window.location.href);
  if (url.origin !== window.location.origin || !url.pathname.startsWith(base.pathname)
      || (url.pathname === window.location.pathname && url.search === window.location.search
          && url.hash)) return;
  e.preventDefault();
  window.history.pushState(null, "", url.href);
  window.dispatchEvent(new PopStateEvent("popstate"));
  const main = document.querySelector("[data-testid='stMain']");
  if (!url.hash) { if (main) main.scrollTo(0, 0); return; }
  // a link to a part of the page that the run it starts draws (a box drawn on request,
  // "#kg_open_<name>"): scroll to it once it is there
  const id = decodeURIComponent(url.hash.slice(1)), until = performance.now() + 10000;
  const look = () => {
    const el = document.getElementById(id) || document.querySelector(".st-key-" + CSS.escape(id));
    if (el) el.scrollIntoView({block: "start"});
    else if (performance.now() < until) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
});
document.addEventListener("submit", (e) => {
  const f = e.target;
  if (e.defaultPrevented || !(f instanceof HTMLFormElement)
      || (f.getAttribute("method") || "get").toLowerCase() !== "get"
      || !f.closest("[data-testid='stHtml']")) return;
  const url = new URL(f.getAttribute("action") || "", window.location.href);
  const base = new URL(window.__streamlit && window.__streamlit.BACKEND_BASE_URL
                       || "/", window.location.href);
  if (url.origin !== window.location.origin || !url.pathname.startsWith(base.pathname)) return;
  url.search = "";
  for (const [k, v] of new FormData(f)) {
    if (typeof v === "string" && v.trim() !== "") url.searchParams.append(k, v);
  }
  e.preventDefault();
  window.history.pushState(null, "", url.href);
  window.dispatchEvent(new PopStateEvent("popstate"));
  const main = document.querySelector("[data-testid='stMain']");
  if (main) main.scrollTo(0, 0);
});
</script>"""


class BaseUrlMiddleware:
    """ASGI middleware: put `base_url_script` at the start of every HTML response's head.

    Parameters
    ----------
    app : ASGI application
        The application it wraps (Streamlit's, through ``st.App(middleware=...)``).
    base_path : str or None, optional
        ``server.baseUrlPath``; None reads Streamlit's option on each request.
    head : str, optional
        More markup for the head, after the script (a constant of the app, never data): the
        app's ``<style>`` element.
    """

    def __init__(self, app: ASGIApp, base_path: str | None = None, head: str = "") -> None:
        self.app = app
        self.base_path = base_path
        self.head = head.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass everything through; collect an HTML response's body and inject the script."""
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        held: dict[str, Any] = {}

        async def send_html(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers") or []}
                if headers.get(b"content-type", b"").startswith(b"text/html") \
                        and scope.get("method") == "GET":
                    held["start"], held["body"] = message, b""
                    return
            elif message["type"] == "http.response.body" and "start" in held:
                held["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                await self._send_injected(held["start"], held["body"], send)
                return
            await send(message)

        await self.app(scope, receive, send_html)

    async def _send_injected(self, start: Message, body: bytes, send: Send) -> None:
        headers = [(k, v) for k, v in start.get("headers") or []]
        if dict((k.lower(), v) for k, v in headers).get(b"content-encoding") == b"gzip":
            body = gzip.decompress(body)
        base_path = self.base_path
        if base_path is None:
            import streamlit as st

            base_path = st.get_option("server.baseUrlPath") or ""
        body = body.replace(b"<head>", b"<head>" + base_url_script(base_path) + self.head, 1)
        headers = [(k, v) for k, v in headers
                   if k.lower() not in (b"content-length", b"content-encoding")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})
