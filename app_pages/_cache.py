"""The store and the cached queries every page runs through (`graph`, `Graph`).

Caching has two kinds (STYLE.md section 5): `get_store` is an ``st.cache_resource`` (one
connection per process and state directory, opened by `kg.views.connect`); `_query`,
`_cached_view` and `_cached_search` are ``st.cache_data`` keyed by the query name or the
view function's qualified name, its parameters, the graph version and the state directory,
so a rebuilt graph invalidates them without any manual clearing. Pages call a view through
`Graph.cached` with the function itself (``g.cached(V.resistance_matrix, source=...)``),
so a reader, or a tool, can follow the call.

The state directory is read from ``KG_STATE_DIR`` at call time (default ``var/falkordb``),
so tests can point the app at a temporary store after ``kg.store.falkordb`` was imported.
Values reach Cypher only as query parameters, through named queries.

The search index (`kg.search.SearchIndex`) is an ``st.cache_resource`` per graph version:
built once, shared by every session, never copied.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from kg import views as V
from kg.schema.errors import KGError
from kg.search import SearchHit, SearchIndex, SearchResult

__all__ = ["APP_ROOT", "Graph", "state_dir", "get_store", "graph"]

APP_ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


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
