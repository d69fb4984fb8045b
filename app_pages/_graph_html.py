"""A self-contained HTML page drawing a `kg.views.Subgraph` with vis-network.

The vis-network 9.1.2 script and stylesheet are the copies shipped inside the ``pyvis``
package: nothing is fetched from a CDN (the machines have no internet). The app serves them
as its own static files (``static/``, ``server.enableStaticServing``; `static_assets` copies
them there from pyvis), so the browser caches them instead of receiving 600 kB with every
drawing; without that folder (or in tests) they are inlined into the page. pyvis's own
template is not used because it links Bootstrap from a CDN even with
``cdn_resources='in_line'``.

Clicking a node opens its entity page: the click handler navigates the top window to
``entity?id=<node id>`` (`app_pages._style.entity_href`) resolved against the app's current
URL. Streamlit's component iframe
is sandboxed with ``allow-top-navigation-by-user-activation``, which a click provides.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import Any

from app_pages._style import LABEL_COLOURS, entity_href
from kg import views as V

__all__ = ["graph_html", "vis_assets", "static_assets", "STATIC_DIR"]

#: The app's static folder (served at ``app/static/`` with ``server.enableStaticServing``).
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
_STATIC_NAMES = ("vis-network-9.1.2.min.js", "vis-network-9.1.2.css")


def _vis_dir() -> Path:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    if not lib.is_dir():
        lib = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
    return lib


@functools.lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """Return (javascript, css) of the vis-network copy bundled with pyvis."""
    lib = _vis_dir()
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js, css


@functools.lru_cache(maxsize=1)
def static_assets() -> tuple[str, str] | None:
    """Copy vis-network into the app's static folder (once); return its relative URLs.

    Returns
    -------
    tuple of str or None
        ``('app/static/vis-network-9.1.2.min.js', 'app/static/vis-network-9.1.2.css')``,
        relative to the app's pages; None when the folder cannot be written (the page then
        inlines the files).
    """
    js, css = vis_assets()
    try:
        STATIC_DIR.mkdir(exist_ok=True)
        for name, text in zip(_STATIC_NAMES, (js, css), strict=True):
            path = STATIC_DIR / name
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return tuple(f"app/static/{n}" for n in _STATIC_NAMES)  # type: ignore[return-value]


def _wrap(text: str, width: int = 28) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    out = "\n".join(lines[:3])
    return out + ("…" if len(lines) > 3 else "")


def graph_html(sub: V.Subgraph, *, height: int = 640,
               assets: tuple[str, str] | None = None, link_params: str = "") -> str:
    """Return the HTML page for a subgraph: nodes coloured by label, edges labelled.

    Parameters
    ----------
    sub : kg.views.Subgraph
        What to draw.
    height : int
        Canvas height in pixels.
    assets : tuple of str, optional
        URLs of the vis-network script and stylesheet served by the app (`static_assets`);
        None inlines them.
    link_params : str
        Query parameters the entity links carry after the id (``'&as_of=letter'``), so a
        click keeps the settings.

    Returns
    -------
    str
        A complete HTML document; nothing in it comes from another host.
    """
    nodes: list[dict[str, Any]] = []
    for n in sub.nodes:
        colour = LABEL_COLOURS.get(n["label"], "#888888")
        centre = n["id"] == sub.centre
        nodes.append({
            "id": n["id"], "label": _wrap(n["name"]),
            "title": f"{n['label']}: {n['name']}\n{n['id']}\n(click to open its page)",
            "color": {"background": colour, "border": "#222" if centre else colour,
                      "highlight": {"background": colour, "border": "#000"}},
            "borderWidth": 3 if centre else 1, "shape": "dot",
            "size": 26 if centre else (16 if n["depth"] == 1 else 11),
            "font": {"size": 14 if centre else 12},
            "group": n["label"]})
    edges = []
    for i, e in enumerate(sub.edges):
        n_claims = len(e.get("claims") or ())
        edges.append({
            "id": i, "from": e["source"], "to": e["target"],
            "label": e["rel"] + (f" ×{n_claims}" if n_claims > 1 else ""),
            "title": e["rel"] + (f"\nclaims: {', '.join(e['claims'])}" if n_claims else ""),
            "arrows": "to", "font": {"size": 9, "align": "middle", "color": "#555"},
            "color": {"color": "#9aa0a6"}})
    legend = "".join(
        f'<span class="lg"><span class="dot" style="background:{LABEL_COLOURS[lb]}"></span>'
        f"{html.escape(lb)}</span>"
        for lb in sorted({n["label"] for n in sub.nodes}) if lb in LABEL_COLOURS)
    if assets is None:
        js, css = vis_assets()
        head = f"<style>{css}</style>\n<script>{js}</script>"
    else:
        head = (f'<link rel="stylesheet" href="{html.escape(assets[1])}">\n'
                f'<script src="{html.escape(assets[0])}"></script>')
    data = json.dumps({"nodes": nodes, "edges": edges}).replace("<", "\\u003c")
    physics = "true" if len(nodes) <= 150 else "false"
    entity_prefix = json.dumps(entity_href(""))  # "entity?id=": the node id is appended
    entity_suffix = json.dumps(link_params).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
{head}
<style>
 body {{ margin: 0; font-family: sans-serif; }}
 #net {{ width: 100%; height: {int(height)}px; border: 1px solid #ddd; border-radius: 6px; }}
 #legend {{ font-size: 12px; padding: 4px 2px; }}
 .lg {{ margin-right: 10px; white-space: nowrap; }}
 .dot {{ display: inline-block; width: 10px; height: 10px; border-radius: 50%;
        margin-right: 4px; vertical-align: middle; }}
</style>
</head><body>
<div id="legend">{legend}</div>
<div id="net" data-testid="kg-graph"></div>
<script>
 const DATA = {data};
 const ENTITY_HREF = {entity_prefix};
 const ENTITY_PARAMS = {entity_suffix};
 const container = document.getElementById("net");
 const network = new vis.Network(container,
   {{ nodes: new vis.DataSet(DATA.nodes), edges: new vis.DataSet(DATA.edges) }},
   {{ physics: {{ enabled: {physics}, solver: "forceAtlas2Based",
                  forceAtlas2Based: {{ gravitationalConstant: -90, springLength: 140,
                                       springConstant: 0.04, avoidOverlap: 0.6 }},
                  stabilization: {{ iterations: 300, fit: true }} }},
      layout: {{ randomSeed: 7, improvedLayout: true }},
      interaction: {{ hover: true, tooltipDelay: 120 }},
      edges: {{ smooth: {{ type: "continuous" }} }} }});
 network.once("stabilizationIterationsDone", () => {{
   network.setOptions({{ physics: false }});
   network.fit();
   document.body.setAttribute("data-kg-ready", "1");
 }});
 if (!{physics}) {{ document.body.setAttribute("data-kg-ready", "1"); }}
 window.kgNetwork = network;
 function openNode(id) {{
   // The iframe is sandboxed without top navigation, but same-origin: follow a link
   // created in the app's own document, so the app's window does the navigating.
   let doc = document;
   try {{ doc = window.parent.document; }} catch (e) {{ doc = document; }}
   const url = new URL(ENTITY_HREF + encodeURIComponent(id) + ENTITY_PARAMS,
                       doc.location.href);
   const a = doc.createElement("a");
   a.href = url.toString();
   a.target = "_self";
   a.rel = "opener";
   a.style.display = "none";
   doc.body.appendChild(a);
   a.click();
   a.remove();
 }}
 window.kgOpenNode = openNode;
 network.on("click", (params) => {{
   if (params.nodes && params.nodes.length) {{ openNode(params.nodes[0]); }}
 }});
</script>
</body></html>"""
