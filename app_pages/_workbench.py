"""What the two workbench pages share: the console's connection, cached runs, result display.

The console has its own connection (`console_store`, an ``st.cache_resource`` apart from the
pages' `app_pages._shared.get_store`), so a query that runs for its whole timeout does not hold
the connection the other pages use. Results are cached (`run`) by query, parameters, limits,
graph version and state directory; errors are not cached. The served graph, read back from
the store once per version (`served_graph`), backs the downloads of a view.

Every value from a result or from the user is shown as text (dataframes, code blocks,
escaped HTML), never as Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from app_pages import _shared as S
from app_pages._graph_html import graph_html
from kg.exports import EXPORT_FORMATS
from kg.schema.errors import KGError, ReadOnlyViolation
from kg.views import workbench as W

__all__ = ["console_store", "served_graph", "run", "schema_overview", "show_error",
           "show_result", "view_downloads"]


@st.cache_resource(show_spinner=False)
def console_store(sdir: str) -> Any:
    """Open the console's own connection to the store of a state directory, once.

    Parameters
    ----------
    sdir : str
        The state directory.

    Returns
    -------
    GraphStore
    """
    return W.console_store(sdir)


@st.cache_resource(max_entries=2, show_spinner="Reading the served graph for the download…")
def served_graph(version: str, sdir: str) -> Any:
    """Return the served graph of a version as an `EvidenceGraph`, read once per version.

    Parameters
    ----------
    version : str
        The graph version (the cache key).
    sdir : str
        The state directory.

    Returns
    -------
    EvidenceGraph
    """
    from kg.exports import served_graph as read_back

    return read_back(console_store(sdir))


@st.cache_data(max_entries=256, ttl=3600, show_spinner="Running the query…")
def run(kind: str, text: str, params_json: str, timeout_ms: int, row_cap: int, version: str,
        sdir: str) -> W.ConsoleResult:
    """Run a console or canned query, cached; errors propagate uncached.

    Parameters
    ----------
    kind : {'cypher', 'sparql', 'named'}
        What `text` is: Cypher, SPARQL, or the name of a canned query.
    text : str
        The query text, or the canned query's name.
    params_json : str
        Its parameters as a JSON object.
    timeout_ms, row_cap : int
        The limits.
    version, sdir : str
        The graph version and the state directory (cache keys).

    Returns
    -------
    kg.views.workbench.ConsoleResult
    """
    store = console_store(sdir)
    params = json.loads(params_json)
    if kind == "named":
        return W.run_named(store, text, params, state_dir=sdir, timeout_ms=timeout_ms,
                           row_cap=row_cap)
    if kind == "sparql":
        return W.run_sparql(store, sdir, text, params, row_cap=row_cap, timeout_ms=timeout_ms)
    return W.run_cypher(store, text, params, timeout_ms=timeout_ms, row_cap=row_cap)


@st.cache_data(max_entries=8, show_spinner=False)
def schema_overview(version: str, sdir: str) -> dict[str, list[str]]:
    """Return labels, relationship types and property keys, once per graph version.

    Parameters
    ----------
    version, sdir : str
        Cache keys.

    Returns
    -------
    dict
    """
    return W.schema_overview(console_store(sdir))


def show_error(exc: KGError) -> None:
    """Say why a query did not run: the kind of failure, then the message as text.

    Parameters
    ----------
    exc : KGError
        A refusal or a failed query.

    Returns
    -------
    None
    """
    kind = type(exc).__name__
    headline = {
        "ReadOnlyViolation": "Refused: the console only reads.",
        "QuerySyntaxError": "Syntax error.",
        "QueryTimeout": "The query ran out of time.",
        "QueryMemoryLimit": "The query used more memory than one query may.",
        "ConsoleBusy": "The console is busy.",
    }.get(kind, "The query failed.")
    if isinstance(exc, ReadOnlyViolation):
        headline = "Refused: the console only reads."
    st.error(headline, icon=":material/block:")
    st.code(str(exc), language=None, wrap_lines=True)


def show_result(result: W.ConsoleResult, *, g: S.Graph, key: str, stem: str,
                params: dict[str, Any] | None = None) -> None:
    """Show a result: a note when rows were cut, a table, a graph of its nodes, downloads.

    Parameters
    ----------
    result : kg.views.workbench.ConsoleResult
        The rows.
    g : app_pages._shared.Graph
        The served graph (version and state directory, for the view's downloads).
    key : str
        A prefix for the widgets' keys.
    stem : str
        File-name stem of the downloads.
    params : dict, optional
        The query's parameters: those naming nodes belong to the view too.

    Returns
    -------
    None
    """
    took = f" in {result.elapsed_ms:.1f} ms" if result.elapsed_ms is not None else ""
    st.caption(f"{len(result.rows):,} row{'s' if len(result.rows) != 1 else ''}{took}.")
    if result.note():
        st.warning(f"Row cap: {result.note()}.", icon=":material/content_cut:")
    sub = W.result_graph(result)
    view = "Table"
    if sub is not None:  # drawn only when shown: a hidden drawing would not fit its frame
        view = st.segmented_control("Show as", ["Table", "Graph"], default="Table",
                                    key=f"{key}_view") or "Table"
    if view == "Graph" and sub is not None:
        st.caption(f"{len(sub.nodes)} node{'s' if len(sub.nodes) != 1 else ''}, "
                   f"{len(sub.edges)} relationship{'s' if len(sub.edges) != 1 else ''} "
                   "from the rows; click a node to open its page.")
        st.iframe(graph_html(sub, height=520), height=560)
    else:
        import pandas as pd

        frame = pd.DataFrame([[W.display_text(v) for v in row] for row in result.rows],
                             columns=result.columns)
        st.dataframe(frame, hide_index=True, key=f"{key}_table")
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button("Download CSV", data=W.result_csv(result), file_name=f"{stem}.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore",
                       key=f"{key}_csv")
    c2.download_button("Download JSON", data=W.result_json(result), file_name=f"{stem}.json",
                       mime="application/json", icon=":material/download:", on_click="ignore",
                       key=f"{key}_json")
    st.caption("The part of the graph this result shows (the nodes named in its rows, the "
               "relationships among them, the works they cite):")
    shown = W.ConsoleResult(result.columns + ["(parameters)"],
                            [*result.rows, [None] * len(result.columns)
                             + [list((params or {}).values())]], 0, 0)
    view_downloads(g, key=key, stem=stem, ids=lambda eg: W.view_node_ids(
        shown, lambda x: x in eg.graph))


def view_downloads(g: S.Graph, *, key: str, stem: str,
                   ids: Callable[[Any], list[str]]) -> None:
    """Show the downloads of the part of the graph a view shows: CSV, GraphML, Turtle, BibTeX.

    Each file is made only when its button is clicked (the served graph is read once per
    version for it).

    Parameters
    ----------
    g : app_pages._shared.Graph
        The served graph's version and state directory.
    key : str
        A prefix for the buttons' keys.
    stem : str
        File-name stem.
    ids : callable
        Given the served `EvidenceGraph`, returns the ids of the view's nodes.

    Returns
    -------
    None
    """
    cols = st.columns(len(W.VIEW_FORMATS))
    for col, (fmt, label) in zip(cols, W.VIEW_FORMATS, strict=True):
        _, suffix, mime = EXPORT_FORMATS[fmt]
        name = f"{stem}_{fmt.split('-')[1]}.csv" if fmt.startswith("csv") else f"{stem}.{suffix}"
        col.download_button(label, data=_deferred(ids, fmt, stem, g.version, g.sdir),
                            file_name=name, mime=mime, on_click="ignore",
                            key=f"{key}_view_{fmt}", icon=":material/download:", width="stretch")


def _deferred(ids: Callable[[Any], list[str]], fmt: str, stem: str, version: str,
              sdir: str) -> Callable[[], str]:
    """The text of one view download, made only when the button is clicked."""

    def make() -> str:
        eg = served_graph(version, sdir)
        return W.view_export(eg, ids(eg), fmt, stem=stem).text

    return make
