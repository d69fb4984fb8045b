"""How the browser looks and where its links go: label colours, the pages, in-app URLs.

Nothing here imports Streamlit, so the graph drawing (`app_pages._graph_html`) and tests can
use it directly. `kg.views` returns node ids; the pages turn them into links with
`entity_href` and `page_href`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from app_pages._text import attr, attr_text, esc
from kg.schema import load_schema
from kg.schema.errors import SchemaError

__all__ = ["PAGES", "NAV", "LABEL_COLOURS", "page_href", "entity_href", "outcome_href",
           "nav_html"]

#: page name -> (script path relative to app.py, title, icon, url path)
PAGES: dict[str, tuple[str, str, str, str]] = {
    "home": ("app_pages/home.py", "Home", ":material/home:", "home"),
    "search": ("app_pages/search.py", "Search", ":material/search:", "search"),
    "entity": ("app_pages/entity.py", "Entity", ":material/article:", "entity"),
    "graph": ("app_pages/graph.py", "Graph view", ":material/hub:", "graph"),
    "matrix": ("app_pages/matrix.py", "Resistance matrix", ":material/grid_on:", "matrix"),
    "trials": ("app_pages/trials.py", "Trials and outcomes", ":material/monitoring:",
               "trials"),
    "references": ("app_pages/references.py", "References", ":material/menu_book:",
                   "references"),
    "changes": ("app_pages/changes.py", "What changed since …", ":material/update:",
                "changes"),
    "prep": ("app_pages/prep.py", "Tumour-board prep", ":material/assignment:", "prep"),
    "queries": ("app_pages/queries.py", "Canned queries", ":material/list_alt:", "queries"),
    "console": ("app_pages/console.py", "Console", ":material/terminal:", "console"),
}

#: The pages in the page bar, in order (`nav_html`): every page but the entity page, which is
#: opened through links (every name in the app links to it).
NAV: tuple[str, ...] = tuple(name for name in PAGES if name != "entity")

_PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#8cd17d",
            "#f1ce63"]
_FIXED = {"Drug": "#4e79a7", "Variant": "#e15759", "Gene": "#59a14f",
          "ResistanceMechanism": "#f28e2b", "Claim": "#bab0ac", "Publication": "#9c755f",
          "Trial": "#b07aa1", "Disease": "#76b7b2", "LocalTherapy": "#edc948",
          "Outcome": "#d4a6c8", "Arm": "#d7b5a6", "DiagnosticProcedure": "#86bcb6",
          "Conflict": "#ff0000", "Assertion": "#a0cbe8"}
_unknown = sorted(set(_FIXED) - set(load_schema().labels))
if _unknown:
    raise SchemaError(f"app_pages._style colours labels absent from the schema: {_unknown}")
#: One colour per schema label (fixed for the common ones, the palette for the rest).
LABEL_COLOURS: dict[str, str] = {
    label: _FIXED.get(label, _PALETTE[i % len(_PALETTE)])
    for i, label in enumerate(load_schema().labels)}


def page_href(page: str, /, **params: str) -> str:
    """Return the relative URL of another page with query parameters.

    Parameters
    ----------
    page : str
        A key of `PAGES`.
    **params : str
        Query parameters, URL-encoded in order.

    Returns
    -------
    str
        E.g. ``'matrix?drug=drug%3Aalectinib'``.

    Raises
    ------
    KeyError
        `page` is not a page of the app.

    Examples
    --------
    >>> page_href("matrix", drug="drug:alectinib")
    'matrix?drug=drug%3Aalectinib'
    """
    path = PAGES[page][3]
    return path + ("?" + urlencode(params) if params else "")


def entity_href(node_id: str) -> str:
    """Return the relative URL of a node's entity page (``entity?id=...``).

    Parameters
    ----------
    node_id : str
        Any node id; every reserved character is percent-encoded.

    Returns
    -------
    str

    Examples
    --------
    >>> entity_href("ALK:p.G1202R")
    'entity?id=ALK%3Ap.G1202R'
    """
    return PAGES["entity"][3] + "?id=" + quote(node_id, safe="")


def outcome_href(outcome: Mapping[str, Any]) -> str | None:
    """Return where a published figure links: its source, else its publication's page.

    Parameters
    ----------
    outcome : mapping
        A row of `kg.views.trial_outcomes` (``source_url``: DOI, PubMed or URL, or None;
        ``pub_id``: the publication reporting it).

    Returns
    -------
    str or None
        ``source_url``, else `entity_href` of ``pub_id``, else None.

    Examples
    --------
    >>> outcome_href({"source_url": None, "pub_id": "PMID:1"})
    'entity?id=PMID%3A1'
    """
    if outcome.get("source_url"):
        return outcome["source_url"]
    return entity_href(outcome["pub_id"]) if outcome.get("pub_id") else None


def nav_html(current: str | None, params: Mapping[str, str] | None = None,
             settings: tuple[str, str, bool] | None = None) -> str:
    """Return the page bar: one link per page of `NAV`, the current one marked.

    Parameters
    ----------
    current : str or None
        The key of `PAGES` being shown: its link gets ``aria-current="page"`` (drawn
        underlined). None (or the entity page, not in the bar) marks none.
    params : mapping of str to str, optional
        Query parameters every link carries: the settings (`app_pages._params.sticky`).
    settings : (str, str, bool), optional
        The settings' link under the bar: its label (what is set), its URL (which opens or
        closes them) and whether they are open (``aria-expanded``).

    Returns
    -------
    str
        ``<nav class="kg-nav" aria-label="Pages">`` with an ``<a>`` per page; the links are
        relative (``matrix?as_of=letter``), so the app works below a base URL. Then, with
        `settings`, ``<p class="kg-settings">`` and its link.

    Examples
    --------
    >>> html = nav_html("matrix", {"as_of": "letter"})
    >>> '<a href="matrix?as_of=letter" aria-current="page">Resistance matrix</a>' in html
    True
    >>> nav_html(None).count("aria-current"), nav_html(None).count("<a ")
    (0, 10)
    >>> nav_html(None, settings=("Evidence: all dates", "home?open=settings", False))[-51:]
    'aria-expanded="false">Evidence: all dates ▾</a></p>'
    """
    links = []
    for name in NAV:
        href = attr(page_href(name, **dict(params or {})))
        mark = ' aria-current="page"' if name == current else ""
        links.append(f'<a href="{href}"{mark}>{esc(PAGES[name][1])}</a>')
    bar = '<nav class="kg-nav" aria-label="Pages">' + "".join(links) + "</nav>"
    if settings is None:
        return bar
    label, href, is_open = settings
    # the settings' URL carries the page's own parameters (a search's words): written as
    # character references, it holds no piece of text that could read as markup or a link
    return (bar + f'<p class="kg-settings"><a href="{attr_text(href)}" aria-expanded='
            f'"{"true" if is_open else "false"}">{esc(label)} {"▴" if is_open else "▾"}</a></p>')
