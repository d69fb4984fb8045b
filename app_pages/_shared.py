"""What every page shares: the store, cached queries, URL state, links, claim cards, sidebar.

Caching has two kinds (STYLE.md section 5): `get_store` is an ``st.cache_resource`` (one
connection per process and state directory, opened by `kg.views.connect`); `_query`,
`_cached_view` and `_cached_search` are ``st.cache_data`` keyed by the query name or the
view function's qualified name, its parameters, the graph version and the state directory,
so a rebuilt graph invalidates them without any manual clearing. Pages call a view through
`Graph.cached` with the function itself (``g.cached(V.resistance_matrix, source=...)``),
so a reader, or a tool, can follow the call.

The state directory is read from ``KG_STATE_DIR`` at call time (default ``var/falkordb``),
so tests can point the app at a temporary store after ``kg.store.falkordb`` was imported.

Page state lives in the URL: `bind` initialises a widget from ``st.query_params`` and the
widget's ``on_change`` writes it back, so a copied URL opens the same view. Values reach
Cypher only as query parameters, through named queries. The sidebar's two settings, the
evidence source (``source=``, offered only when CIViC evidence is loaded) and the "as of"
date (``as_of=YYYY-MM-DD`` or ``as_of=letter``), apply to every page; in-app links carry
them (`sticky`), so following a link keeps the date.

The search index (`kg.search.SearchIndex`) is an ``st.cache_resource`` per graph version:
built once, shared by every session, never copied.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import streamlit as st

from app_pages._basket import add_button
from app_pages._style import LABEL_COLOURS, PAGES, entity_href, outcome_href, page_href
from kg import views as V
from kg.schema.errors import KGError
from kg.search import SearchHit, SearchIndex, SearchResult

__all__ = ["APP_ROOT", "PAGES", "SOURCE_KEY", "AS_OF_KEY", "Graph", "state_dir", "get_store",
           "graph", "param", "set_param", "bind", "show_problems", "source_filter", "as_of",
           "sticky", "esc", "attr", "control_char", "badge", "link", "ext", "page_href",
           "entity_href", "outcome_href", "html_block", "reference_html", "claim_html", "claim_box",
           "sidebar"]

APP_ROOT = Path(__file__).resolve().parents[1]
SOURCE_KEY = "source_filter"
AS_OF_KEY, AS_OF_DATE_KEY = "as_of_choice", "as_of_date"
#: The "as of" choices of the sidebar (URL: none, ``as_of=letter``, ``as_of=YYYY-MM-DD``).
AS_OF_CHOICES = {"all": "today (everything)",
                 "letter": f"when the letter was written ({V.LETTER_ACCEPTED:%-d %b %Y})",
                 "date": "another date …"}
T = TypeVar("T")


# -- store and cached queries -------------------------------------------------------------
def state_dir() -> str:
    """The embedded FalkorDB state directory: ``$KG_STATE_DIR`` or ``var/falkordb``."""
    return os.environ.get("KG_STATE_DIR") or str(APP_ROOT / "var" / "falkordb")


@st.cache_resource(show_spinner="Opening the evidence graph…")
def get_store(sdir: str) -> Any:
    """Open (start or reuse) the embedded FalkorDB store of a state directory, once.

    Parameters
    ----------
    sdir : str
        The state directory (`state_dir`).

    Returns
    -------
    GraphStore
        Shared by every session and rerun of this process (`kg.views.connect`).

    Raises
    ------
    StoreError
        The server cannot be started or reached.
    """
    return V.connect(sdir)


@st.cache_data(max_entries=4096, show_spinner=False)
def _query(name: str, params_json: str, version: str, sdir: str) -> list[dict[str, Any]]:
    return V.store_runner(get_store(sdir))(name, json.loads(params_json))


def _view_key(fn: Callable[..., Any]) -> str:
    """The cache key of a view function: its module and qualified name."""
    key = f"{fn.__module__}.{fn.__qualname__}"
    if "<" in key:  # a lambda or a local function has no name of its own
        raise TypeError(f"cache a named module-level view function, not {key}")
    return key


class Graph:
    """The open store, its version, and a cached runner for named queries and views."""

    def __init__(self, store: Any, version: str, sdir: str) -> None:
        self.store, self.version, self.sdir = store, version, sdir

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run a named query through the cache.

        Parameters
        ----------
        name : str
            A query of ``queries/`` (file stem).
        params : dict
            Its parameters (JSON-serialisable).

        Returns
        -------
        list of dict
            The rows, cached per graph version.
        """
        return _query(name, json.dumps(params, sort_keys=True, default=str), self.version,
                      self.sdir)

    def cached(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Call the view ``fn(run, **kwargs)`` through the cache, keyed by graph version.

        Parameters
        ----------
        fn : callable
            A view function of `kg.views` (e.g. ``V.resistance_matrix``); the cache key is
            its qualified name, so it must be a named module-level function.
        **kwargs
            Its keyword arguments. They travel as JSON (tuples and sets become lists), so
            equal arguments share one cache entry.

        Returns
        -------
        object
            What `fn` returns (a copy, as ``st.cache_data`` gives).

        Raises
        ------
        TypeError
            `fn` is a lambda or a local function.
        """
        return _cached_view(_view_key(fn), json.dumps(kwargs, sort_keys=True, default=list),
                            self.version, self.sdir, fn)

    def search(self, text: str, labels: Sequence[str] = (), *, as_of: str | None = None,
               limit: int = 100) -> SearchResult:
        """Return ranked search hits (and the corrected query), cached.

        Parameters
        ----------
        text : str
            What the user typed.
        labels : sequence of str
            Only these node labels (empty: all).
        as_of : str, optional
            Leave out claims, works, figures and trials published after this date.
        limit : int
            At most this many hits.

        Returns
        -------
        SearchResult
        """
        return _cached_search(text, tuple(labels), self.version, self.sdir, as_of, limit)

    def suggest(self, text: str, *, as_of: str | None = None) -> list[SearchHit]:
        """Return the entities to suggest while `text` is typed.

        Parameters
        ----------
        text : str
            What is typed so far.
        as_of : str, optional
            Leave out trials and works published after this date.

        Returns
        -------
        list of SearchHit
        """
        hits = _search_index(self.version, self.sdir).suggest(text)
        if as_of:
            dates = self.cached(V.publication_dates)
            hits = [h for h in hits if dates.visible(h.id, V.as_date(as_of))]
        return hits


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached_view(key: str, kwargs_json: str, version: str, sdir: str,
                 _fn: Callable[..., Any]) -> Any:
    # `key` names `_fn` (not hashed: leading underscore) in the cache
    g = Graph(get_store(sdir), version, sdir)
    return _fn(g.run, **json.loads(kwargs_json))


@st.cache_resource(max_entries=4, show_spinner=False)
def _search_index(version: str, sdir: str) -> SearchIndex:
    """The search index of a graph version (built once, shared, never copied)."""
    return SearchIndex.build(Graph(get_store(sdir), version, sdir).run)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_search(text: str, labels: tuple[str, ...], version: str, sdir: str,
                   as_of: str | None, limit: int) -> SearchResult:
    res = _search_index(version, sdir).search(text, labels=list(labels) or None,
                                              limit=limit if not as_of else limit * 4)
    if as_of:
        dates = Graph(get_store(sdir), version, sdir).cached(V.publication_dates)
        when = V.as_date(as_of)
        res = replace(res, hits=tuple(h for h in res.hits if dates.visible(h.id, when))[:limit],
                      named=tuple(h for h in res.named if dates.visible(h.id, when)))
    return res


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
    """Return a query parameter, or `default` when absent or empty.

    Parameters
    ----------
    name : str
        The parameter's name in the URL.
    default : str, optional
        Returned when the parameter is absent or empty.

    Returns
    -------
    str or None
    """
    value = st.query_params.get(name)
    if value and control_char(value):
        show_problems([_ignored(name, value, "text without control characters")])
        return default
    return value if value not in (None, "") else default


def _ignored(name: str, raw: str, wanted: str) -> str:
    """The explanation of an ignored URL parameter, every value escaped."""
    bad = control_char(raw)
    what = f"it holds the control character {bad}" if bad else f"expected {esc(wanted)}"
    return (f"Ignored “{esc(name + '=' + raw[:200])}” in the URL: {what}; showing the "
            "default instead.")


def set_param(name: str, value: Any, default: Any = None) -> None:
    """Write a query parameter; remove it when it equals `default` or is empty.

    Parameters
    ----------
    name : str
        The parameter's name in the URL.
    value : object
        The widget's value; a list or tuple is written comma-separated.
    default : object, optional
        The value that leaves the URL clean.

    Returns
    -------
    None
    """
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

    Parameters
    ----------
    key : str
        The widget's session-state key.
    name : str
        The query parameter that holds it in the URL.
    default : object
        The value without (or instead of a bad) parameter.
    options : sequence, optional
        Allowed values (each item, for a list value); None allows any value `cast` accepts.
    cast : callable
        Parses the parameter's text (``TypeError``/``ValueError`` mean a bad value).
    problems : list of str, optional
        Receives one explanation per ignored parameter (without it, the explanation is shown
        at once).
    expect : str
        What a good value looks like, for the explanation.

    Returns
    -------
    callable
        The widget's ``on_change``: writes its value back to the URL.
    """
    raw = st.query_params.get(name)
    if raw not in (None, ""):
        try:
            value = cast(raw)
            ok = not control_char(raw) and (options is None or (
                all(v in options for v in value) if isinstance(value, list)
                else value in options))
        except (TypeError, ValueError):
            ok = False
        if ok:
            if st.session_state.get(key) != value:
                st.session_state[key] = value
        else:
            message = _ignored(name, raw, expect or "a known value")
            if problems is not None:
                problems.append(message)
            else:
                show_problems([message])
            del st.query_params[name]
            st.session_state[key] = default
    elif key not in st.session_state:
        st.session_state[key] = default

    def on_change() -> None:
        set_param(name, st.session_state.get(key), default)

    return on_change


def show_problems(problems: Iterable[str]) -> None:
    """Explain ignored URL parameters, one warning each.

    Parameters
    ----------
    problems : iterable of str
        Explanations collected by `bind`.

    Returns
    -------
    None
    """
    for p in problems:
        st.warning(p, icon=":material/link_off:")


def source_filter() -> str:
    """The evidence-source filter chosen in the sidebar: both, curated or civic."""
    return st.session_state.get(SOURCE_KEY, "both")


def as_of() -> str | None:
    """The sidebar's "as of" date as ISO text (``'2020-03-09'``), or None for everything."""
    choice = st.session_state.get(AS_OF_KEY, "all")
    if choice == "letter":
        return V.LETTER_ACCEPTED.isoformat()
    if choice == "date" and isinstance(st.session_state.get(AS_OF_DATE_KEY), dt.date):
        return st.session_state[AS_OF_DATE_KEY].isoformat()
    return None


def _as_of_param() -> str | None:
    """The "as of" date as the URL writes it: ``letter``, ``YYYY-MM-DD`` or None."""
    choice = st.session_state.get(AS_OF_KEY, "all")
    return "letter" if choice == "letter" else as_of()


def sticky() -> dict[str, str]:
    """The sidebar settings that in-app links carry: ``source`` and ``as_of`` when set.

    Returns
    -------
    dict
        Query parameters (empty when both are at their defaults).
    """
    out = {}
    if source_filter() != "both":
        out["source"] = source_filter()
    if _as_of_param():
        out["as_of"] = _as_of_param()
    return out


def _with_sticky(href: str) -> str:
    extra = sticky()
    if not extra:
        return href
    return href + ("&" if "?" in href else "?") + urlencode(extra)


# -- links and cards ---------------------------------------------------------------------
#: Characters that can start HTML or Markdown (links, images, emphasis, code, math,
#: Streamlit's :colour[...] directives), written as character references.
_MARKUP = {**{c: f"&#{ord(c)};" for c in "\\`*_[]!~$#|{}^\n\r\t"},
           "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
#: A colon before a letter: Streamlit reads ``:red[...]``, ``:red`` alone, ``:blue-badge[...]``
#: and ``:material/home:`` anywhere, even inside a word (``drug:red`` loses its "red").
_SHORTCODE = re.compile(r":(?=[A-Za-z/])")
#: Where a GFM autolink literal would begin (http://, https://, www., e-mail): a WORD JOINER
#: (U+2060, invisible) is put there so the text is not turned into a link.
_AUTOLINK = re.compile(r"(?i)(?<=http)(?=:)|(?<=https)(?=:)|(?<=www)(?=\.)|(?=@)"
                       r"|(?<=mailto)(?=:)|(?<=xmpp)(?=:)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def esc(text: Any) -> str:
    """Escape any value for HTML and Markdown alike: it shows as plain text (None gives '').

    Use it for every value from the data or the URL, in `html_block` markup and in any
    Streamlit call whose text is Markdown (``st.markdown``, ``st.caption``, ``st.warning``,
    widget labels ...). Characters that start markup become character references, line breaks
    do not start new blocks, URLs and e-mail addresses do not become links, and a colon
    before a letter (Streamlit's ``:red[...]`` and ``:material/home:``) is a character
    reference. Mid-line text only: a value at the very start of a Markdown block could still
    begin a list (``1. ``).

    Parameters
    ----------
    text : object
        Shown as text, never as markup.

    Returns
    -------
    str

    Examples
    --------
    >>> esc("[x](https://evil.example) <b> :material/home: drug:red")
    '&#91;x&#93;(https\u2060://evil.example) &lt;b&gt; &#58;material/home: drug&#58;red'
    """
    s = _AUTOLINK.sub("\u2060", str(text if text is not None else ""))
    s = s.translate({ord(k): v for k, v in _MARKUP.items()})
    return _SHORTCODE.sub("&#58;", s)


def attr(text: Any) -> str:
    """Escape a value for an HTML attribute in double quotes (an ``href``, a ``title``).

    Parameters
    ----------
    text : object
        The attribute's value (None gives '').

    Returns
    -------
    str

    Examples
    --------
    >>> attr('entity?id=a"b&c')
    'entity?id=a&quot;b&amp;c'
    """
    return html.escape(str(text if text is not None else ""), quote=True)


def control_char(text: str) -> str | None:
    """Name the first control character in `text` (``'U+0000'``), or return None.

    Parameters
    ----------
    text : str

    Returns
    -------
    str or None

    Examples
    --------
    >>> control_char("drug:alectinib\x00"), control_char("ok")
    ('U+0000', None)
    """
    m = _CONTROL.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def badge(label: str) -> str:
    """Return a node label as a badge in its colour (`LABEL_COLOURS`).

    Parameters
    ----------
    label : str
        A node label.

    Returns
    -------
    str
        An HTML ``<span>``; the label is escaped.
    """
    colour = LABEL_COLOURS.get(label, "#888")
    return (f'<span style="background:{attr(colour)};color:#fff;border-radius:0.4em;'
            f'padding:0.05em 0.45em;font-size:0.78em;white-space:nowrap">{esc(label)}</span>')


def link(node_id: str, text: str | None = None) -> str:
    """Return an in-app link to a node's entity page (same tab).

    Parameters
    ----------
    node_id : str
        The node's id.
    text : str, optional
        The link text (default the id); escaped.

    Returns
    -------
    str
        An HTML ``<a>`` to `entity_href` of the id, carrying the sidebar's settings
        (`sticky`).
    """
    return (f'<a href="{attr(_with_sticky(entity_href(node_id)))}" target="_self">'
            f'{esc(text if text is not None else node_id)}</a>')


def ext(url: str | None, text: str) -> str:
    """Return an external link (new tab), or '' without a URL.

    Parameters
    ----------
    url : str or None
        Where it goes.
    text : str
        The link text; escaped.

    Returns
    -------
    str
    """
    if not url:
        return ""
    return f'<a href="{attr(url)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def html_block(markup: str, where: Any = None) -> None:
    """Render markup built from escaped values (in `where`, default the main area).

    It goes through ``st.html`` (sanitised by DOMPurify, then set as the element's HTML),
    not ``st.markdown``: the browser's Markdown pipeline re-parses every tag into React
    elements, which made large tables and claim lists take most of a page's load time
    (docs/browser-speed.md). Empty markup shows nothing.

    Parameters
    ----------
    markup : str
        HTML whose every data value went through `esc`.
    where : container, optional
        A column or container; default the page's main area.

    Returns
    -------
    None
    """
    if not markup.strip():
        return
    if "<" not in markup:  # st.html would check a tagless string as a file path
        markup = f"<span>{markup}</span>"
    (where or st).html(markup)


def reference_html(ref: V.Reference, *, locator: str | None = None,
                   own_page: bool = True) -> str:
    """Return a formatted reference with its DOI/PubMed links and (unless `own_page`) its page.

    Parameters
    ----------
    ref : kg.views.Reference
        The reference.
    locator : str, optional
        Where in the work (page, figure, table), shown after the reference.
    own_page : bool
        Link the publication's own page in the browser (False on that page itself).

    Returns
    -------
    str
        HTML, every value escaped.
    """
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
    """Return one claim as HTML: statement, direction, level, source, reference, quote.

    Parameters
    ----------
    card : kg.views.ClaimCard
        The claim.
    role : str, optional
        The role the page's entity plays in it (e.g. ``'subject'``).

    Returns
    -------
    str
        HTML, every value escaped.
    """
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
    """Render a claim card in a bordered container.

    Parameters
    ----------
    card : kg.views.ClaimCard
        The claim.
    role : str, optional
        The role the page's entity plays in it.

    Returns
    -------
    None
    """
    with st.container(border=True):
        html_block(claim_html(card, role))
        add_button(card.id, key=f"add:{card.id}:{role or ''}")  # the tumour-board basket


# -- sidebar -----------------------------------------------------------------------------
def _civic_loaded() -> bool | None:
    """Whether the served graph holds CIViC evidence (None when there is no graph)."""
    try:
        sdir = state_dir()
        store = get_store(sdir)
        version = store.graph_version()
        if not version:
            return None
        counts = Graph(store, version, sdir).cached(V.label_counts)
    except Exception:  # the page itself explains a missing store
        return None
    return any(n for by_src in counts.values() for src, n in by_src.items() if src == "civic")


def _bind_as_of(problems: list[str]) -> bool:
    """Initialise the "as of" widgets from ``as_of=`` (``letter`` or ``YYYY-MM-DD``).

    A bad value is explained and ignored (everything is shown) but left in the URL, so a
    page that reads ``as_of`` itself (the tumour-board sheet) can name it too; returns False
    then, and the sidebar does not write the URL back on this run.
    """
    raw = st.query_params.get("as_of")
    if raw in (None, ""):
        st.session_state.setdefault(AS_OF_KEY, "all")
        return True
    try:
        when = V.parse_as_of(raw)
    except ValueError:
        problems.append(f"Ignored `as_of={raw}` in the URL: expected a date as YYYY-MM-DD, "
                        "or 'letter'; showing everything.")
        st.session_state[AS_OF_KEY] = "all"
        return False
    if raw.strip().lower() == "letter":
        st.session_state[AS_OF_KEY] = "letter"
    else:
        st.session_state[AS_OF_KEY] = "date"
        st.session_state[AS_OF_DATE_KEY] = when
    return True


def _as_of_changed() -> None:
    set_param("as_of", _as_of_param())


def _as_of_banner() -> None:
    """Say, above the page, what the "as of" date hides."""
    when = as_of()
    if not when:
        return
    try:
        sdir = state_dir()
        store = get_store(sdir)
        dates = Graph(store, store.graph_version(), sdir).cached(V.publication_dates)
        hidden = dates.hidden(V.as_date(when))
    except Exception:  # the page itself explains a missing store
        return
    what = {"Publication": "work", "Trial": "trial", "Outcome": "figure", "Claim": "claim"}
    parts = [f"{n} {what.get(k, k)}{'s' if n != 1 else ''}" for k, n in sorted(
        hidden.items(), key=lambda kv: list(what).index(kv[0]) if kv[0] in what else 9)]
    label = AS_OF_CHOICES["letter"] if st.session_state.get(AS_OF_KEY) == "letter" else when
    html_block("<div style='background:#fff4d6;border-left:4px solid #e0a800;padding:0.4em "
               "0.7em;margin-bottom:0.6em;font-size:0.92em'>"
               f"<b>As of {esc(label)}</b>: showing only what was published by "
               f"{esc(dt.date.fromisoformat(when).strftime('%-d %B %Y'))}"
               + (f"; hiding {esc(', '.join(parts))} published later" if parts else "")
               + ". Works known only by their year count as published on 1 January. "
               "Change it in the sidebar.</div>")


def sidebar() -> None:
    """The shared sidebar: the source filter (only with CIViC evidence), the "as of" date."""
    problems: list[str] = []
    civic = _civic_loaded()
    if civic is False:
        raw = st.query_params.get("source")
        if raw not in (None, "", "both"):
            problems.append(_ignored("source", raw, "nothing: no CIViC evidence is loaded, "
                                     "so every claim shown is curated")
                            if control_char(raw) else
                            f"Ignored “{esc('source=' + raw[:200])}” in the URL: no CIViC "
                            "evidence is loaded, so every claim shown is curated.")
            del st.query_params["source"]
        st.session_state[SOURCE_KEY] = "both"
        on_change = None
    else:
        on_change = bind(SOURCE_KEY, "source", "both", options=list(V.SOURCE_FILTERS),
                         problems=problems, expect="curated, civic or both")
    as_of_ok = _bind_as_of(problems)
    with st.sidebar:
        if civic is not False:
            st.radio("Evidence shown", options=list(V.SOURCE_FILTERS), key=SOURCE_KEY,
                     format_func=V.SOURCE_FILTERS.get, on_change=on_change,
                     help="Curated evidence is read from the papers by hand; CIViC evidence "
                          "is imported from CIViC evidence items, with their own levels "
                          "A-E.")
        st.radio("Evidence published up to", options=list(AS_OF_CHOICES), key=AS_OF_KEY,
                 format_func=AS_OF_CHOICES.get, on_change=_as_of_changed,
                 help="Hide every claim, figure, trial and work published after a date, on "
                      "every page and in the matrix: what could a reader know then?")
        if st.session_state.get(AS_OF_KEY) == "date":
            st.session_state.setdefault(AS_OF_DATE_KEY, V.LETTER_ACCEPTED)
            st.date_input("Date", key=AS_OF_DATE_KEY, min_value=dt.date(1990, 1, 1),
                          max_value=dt.date.today(), on_change=_as_of_changed,
                          format="YYYY-MM-DD")
        try:
            store = get_store(state_dir())
            meta = store.meta() if hasattr(store, "meta") else {}
            st.caption(f"Graph {esc(meta.get('version', '?'))} built "
                       f"{esc(meta.get('built_at', '?'))}; sources: "
                       f"{esc(', '.join(sorted(meta.get('sources') or {})) or '?')}")
        except Exception:  # noqa: S110 - the page itself explains a missing store
            pass
    set_param("source", st.session_state.get(SOURCE_KEY), "both")
    if as_of_ok:
        set_param("as_of", _as_of_param())
    show_problems(problems)
    _as_of_banner()
