"""What every page shares: the store, cached queries, URL state, links, claim cards, sidebar.

Caching has two kinds (STYLE.md section 5): `get_store` is an ``st.cache_resource`` (one
connection per process and state directory); `_query`, `cached_view` and `cached_search`
are ``st.cache_data`` keyed by the query or view name, its parameters and the graph
version, so a rebuilt graph invalidates them without any manual clearing.

The state directory is read from ``KG_STATE_DIR`` at call time (default ``var/falkordb``),
so tests can point the app at a temporary store after ``kg.store.falkordb`` was imported.

Page state lives in the URL: `bind` initialises a widget from ``st.query_params`` and the
widget's ``on_change`` writes it back, so a copied URL opens the same view. Values reach
Cypher only as query parameters, through named queries.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from kg import views as V
from kg.schema.errors import KGError
from kg.search import SearchHit, search
from kg.store import open_store

APP_ROOT = Path(__file__).resolve().parents[1]
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
}
SOURCE_KEY = "source_filter"


# -- store and cached queries -------------------------------------------------------------
def state_dir() -> str:
    """The embedded FalkorDB state directory: ``$KG_STATE_DIR`` or ``var/falkordb``."""
    return os.environ.get("KG_STATE_DIR") or str(APP_ROOT / "var" / "falkordb")


@st.cache_resource(show_spinner="Opening the evidence graph…")
def get_store(sdir: str) -> Any:
    """Open (start or reuse) the embedded FalkorDB store of a state directory, once."""
    return open_store("falkordb", state_dir=Path(sdir))


@st.cache_data(max_entries=4096, show_spinner=False)
def _query(name: str, params_json: str, version: str, sdir: str) -> list[dict[str, Any]]:
    return V.store_runner(get_store(sdir))(name, json.loads(params_json))


class Graph:
    """The open store, its version, and a cached runner for named queries and views."""

    def __init__(self, store: Any, version: str, sdir: str) -> None:
        self.store, self.version, self.sdir = store, version, sdir

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run a named query through the cache."""
        return _query(name, json.dumps(params, sort_keys=True, default=str), self.version,
                      self.sdir)

    def view(self, fn: str, **kwargs: Any) -> Any:
        """Call ``kg.views.<fn>(run, **kwargs)`` through the cache."""
        return cached_view(fn, json.dumps(kwargs, sort_keys=True, default=list),
                           self.version, self.sdir)

    def search(self, text: str, labels: Sequence[str] = ()) -> list[SearchHit]:
        """Ranked search hits, cached."""
        return cached_search(text, tuple(labels), self.version, self.sdir)


@st.cache_data(max_entries=1024, show_spinner=False)
def cached_view(fn: str, kwargs_json: str, version: str, sdir: str) -> Any:
    g = Graph(get_store(sdir), version, sdir)
    return getattr(V, fn)(g.run, **json.loads(kwargs_json))


@st.cache_data(max_entries=512, show_spinner=False)
def cached_search(text: str, labels: tuple[str, ...], version: str,
                  sdir: str) -> list[SearchHit]:
    return search(get_store(sdir), text, labels=list(labels) or None)


def graph() -> Graph:
    """Return the graph for this run, or explain (and stop the page) when there is none."""
    sdir = state_dir()
    try:
        store = get_store(sdir)
        version = store.graph_version()
    except KGError as exc:
        st.error(f"The graph database could not be opened ({sdir}): {exc}")
        st.stop()
    except Exception as exc:  # a server that went away, a refused connection
        st.error(f"The graph database at {sdir} did not answer: {exc}. "
                 "Start it with `python -m kg build` (or `make run`).")
        st.stop()
    if not version:
        st.error(f"No graph is loaded in {sdir}. Build it first: `python -m kg build` "
                 "(or `make run`).")
        st.stop()
    return Graph(store, version, sdir)


# -- URL state ---------------------------------------------------------------------------
def param(name: str, default: str | None = None) -> str | None:
    """Return a query parameter, or `default` when absent or empty."""
    value = st.query_params.get(name)
    return value if value not in (None, "") else default


def set_param(name: str, value: Any, default: Any = None) -> None:
    """Write a query parameter; remove it when it equals `default` or is empty."""
    if value in (None, "", [], ()) or value == default:
        if name in st.query_params:
            del st.query_params[name]
        return
    text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def bind(key: str, name: str, default: Any, *, options: Sequence[Any] | None = None,
         cast: Callable[[str], Any] = str, problems: list[str] | None = None,
         expect: str = "") -> Callable[[], None]:
    """Initialise widget state `key` from query parameter `name`; return its on_change.

    A value that does not parse or is not among `options` is reported in `problems`
    (the page shows it) and replaced by `default`.
    """
    raw = st.query_params.get(name)
    if raw not in (None, ""):
        try:
            value = cast(raw)
            ok = options is None or (all(v in options for v in value)
                                     if isinstance(value, list) else value in options)
        except (TypeError, ValueError):
            ok = False
        if ok:
            if st.session_state.get(key) != value:
                st.session_state[key] = value
        else:
            if problems is not None:
                wanted = expect or "a known value"
                problems.append(f"Ignored `{name}={raw}` in the URL: expected {wanted}; "
                                "showing the default instead.")
            del st.query_params[name]
            st.session_state[key] = default
    elif key not in st.session_state:
        st.session_state[key] = default

    def on_change() -> None:
        set_param(name, st.session_state.get(key), default)

    return on_change


def show_problems(problems: Iterable[str]) -> None:
    """Explain ignored URL parameters."""
    for p in problems:
        st.warning(p, icon=":material/link_off:")


def source_filter() -> str:
    """The evidence-source filter chosen in the sidebar: both, curated or civic."""
    return st.session_state.get(SOURCE_KEY, "both")


# -- links and cards ---------------------------------------------------------------------
def esc(text: Any) -> str:
    """HTML-escape any value."""
    return html.escape(str(text if text is not None else ""))


def badge(label: str) -> str:
    """A coloured label badge."""
    colour = V.LABEL_COLOURS.get(label, "#888")
    return (f'<span style="background:{colour};color:#fff;border-radius:0.4em;'
            f'padding:0.05em 0.45em;font-size:0.78em;white-space:nowrap">{esc(label)}</span>')


def link(node_id: str, text: str | None = None) -> str:
    """An in-app link to an entity page (same tab)."""
    return (f'<a href="{esc(V.entity_href(node_id))}" target="_self">'
            f'{esc(text if text is not None else node_id)}</a>')


def ext(url: str | None, text: str) -> str:
    """An external link (new tab), or '' without a URL."""
    if not url:
        return ""
    return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def page_href(page: str, **params: str) -> str:
    """Relative URL of another page with query parameters."""
    from urllib.parse import urlencode

    path = PAGES[page][3]
    return path + ("?" + urlencode(params) if params else "")


def html_block(markup: str, where: Any = None) -> None:
    """Render markup built from escaped values (in `where`, default the main area)."""
    (where or st).markdown(markup, unsafe_allow_html=True)


def reference_html(ref: V.Reference, *, locator: str | None = None,
                   own_page: bool = True) -> str:
    """A formatted reference with its DOI/PubMed links and (unless `own_page`) its page."""
    links = " · ".join(x for x in (
        ext(ref.doi_url, "DOI"), ext(ref.pmid_url, "PubMed"),
        ext(ref.url, "link") if ref.url and ref.url not in (ref.doi_url, ref.pmid_url) else "",
        link(ref.pub_id, "publication page") if ref.pub_id and own_page else "") if x)
    loc = f" — <b>locator:</b> {esc(locator)}" if locator else ""
    return f"{esc(ref.text)}{loc}" + (f" [{links}]" if links else "")


_DIRECTION = {"supports": ("#1a7f37", "supports"),
              "does_not_support": ("#cf222e", "does not support")}


def _entities(items: Sequence[dict[str, Any]]) -> str:
    return ", ".join(link(x["id"], x.get("name") or x["id"]) for x in items if x.get("id"))


def claim_html(card: V.ClaimCard, role: str | None = None) -> str:
    """One claim: statement, direction, level, source, the reference, locator and quote."""
    colour, direction = _DIRECTION.get(card.direction, ("#666", card.direction or "?"))
    src = "CIViC" if card.source == "civic" else "curated"
    head = (f"<b>{esc(card.name)}</b><br>"
            f"<small>{_entities(card.subjects) or '?'} <i>{esc(V.humanize(card.predicate))}"
            f"</i> {_entities(card.objects) or ''} · <b style='color:{colour}'>{esc(direction)}</b>"
            " · evidence level "
            f"<b>{esc(card.level_text)}</b> · {esc(src)}"
            + (f" · this page's role: {esc(role)}" if role else "")
            + f" · {link(card.id, 'claim page')}</small>")
    parts = [head]
    if card.quote:
        parts.append(f"<blockquote style='margin:0.3em 0'>“{esc(card.quote)}”</blockquote>")
    parts.append(f"<small><b>Reference:</b> {reference_html(card.reference, locator=card.locator)}"
                 "</small>")
    if card.source == "civic" and (card.source_url or card.source_record_id):
        record = (ext(card.source_url, card.source_record_id or "record")
                  or esc(card.source_record_id))
        parts.append(f"<small>CIViC record: {record}"
                     + "".join(f" · {esc(k.replace('_', ' '))}: {esc(v)}" for k, v in card.extra)
                     + "</small>")
    if card.cited:
        parts.append("<small>cites for support: " + "; ".join(
            (link(r.pub_id, r.short) if r.pub_id else esc(r.short))
            + (f" ({ext(r.best_url, 'source')})" if r.best_url else "")
            for r in card.cited) + "</small>")
    if card.outcomes:
        parts.append("<small>rests on: " + "; ".join(
            link(o["id"], f"{o.get('name') or o['id']}: {o.get('value_text') or ''}"
                 f"{' ' + o['unit'] if o.get('unit') else ''}")
            for o in card.outcomes) + "</small>")
    if card.conflicts:
        parts.append("<small><b style='color:#b35900'>Conflicting evidence:</b> " + "; ".join(
            link(k["id"], k.get("name") or k["id"]) for k in card.conflicts) + "</small>")
    if card.statement:
        label = "CIViC evidence statement" if card.source == "civic" else "Curator's note"
        if len(card.statement) > 240:
            parts.append(f"<details><summary><small>{label}</small></summary>"
                         f"<small style='color:#666'>{esc(card.statement)}</small></details>")
        else:
            parts.append(f"<small style='color:#666'>{label}: {esc(card.statement)}</small>")
    return "<br>".join(parts)


def claim_box(card: V.ClaimCard, role: str | None = None) -> None:
    """Render a claim card in a bordered container."""
    with st.container(border=True):
        html_block(claim_html(card, role))


# -- sidebar -----------------------------------------------------------------------------
def sidebar() -> None:
    """The shared sidebar: the evidence-source filter (URL ``source``) and graph facts."""
    problems: list[str] = []
    on_change = bind(SOURCE_KEY, "source", "both", options=list(V.SOURCE_FILTERS),
                     problems=problems, expect="curated, civic or both")
    with st.sidebar:
        st.radio("Evidence shown", options=list(V.SOURCE_FILTERS), key=SOURCE_KEY,
                 format_func=V.SOURCE_FILTERS.get, on_change=on_change,
                 help="Curated evidence is read from the papers by hand; CIViC evidence is "
                      "imported from CIViC evidence items, with their own levels A-E.")
        try:
            store = get_store(state_dir())
            meta = store.meta() if hasattr(store, "meta") else {}
            st.caption(f"Graph `{meta.get('version', '?')}` built {meta.get('built_at', '?')}; "
                       f"sources: {', '.join(sorted(meta.get('sources') or {})) or '?'}")
        except Exception:  # noqa: S110 - the page itself explains a missing store
            pass
    set_param("source", st.session_state.get(SOURCE_KEY), "both")
    show_problems(problems)
