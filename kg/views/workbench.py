"""The informaticians' workbench: canned queries, the Cypher console, SPARQL, view exports.

What the two workbench pages show, without Streamlit:

* `canned_queries` -- every file of ``queries/`` (Cypher and SPARQL) with its title,
  description, parameters and example values;
* `run_cypher` / `run_named` -- a query under the console's rules (`kg.store.guard`: the
  read-only guard, a timeout of 2 s by default and 10 s at most, a row cap of 1,000 by
  default), at most `CONSOLE_SLOTS` at a time per process, on the console's own connection
  (`console_store`), so page queries keep theirs;
* `run_sparql` -- SPARQL over the RDF mapping of the served graph (`kg.sparql`, built once
  per graph fingerprint);
* `schema_overview` -- labels, relationship types and property keys (the allow-listed read
  procedures), for the console's sidebar;
* what is done with a result's rows -- `result_graph` (a `Subgraph` the graph drawing
  takes), `cell_text` / `display_text`, `result_csv` / `result_json`, `view_node_ids` /
  `view_export` (the part of the served graph a result shows, as CSV, GraphML, Turtle and
  BibTeX downloads) -- is in `kg.views.workbench_results`; its names are importable from
  here too.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.queries import list_queries
from kg.schema.errors import QueryError
from kg.store import GraphStore, open_store
from kg.store.guard import (
    ALLOWED_PROCEDURES,
    ROW_CAP_DEFAULT,
    ROW_CAP_MAX,
    TIMEOUT_DEFAULT_MS,
    TIMEOUT_MAX_MS,
    WRITE_CLAUSES,
    ConsoleResult,
    check_limits,
    console_query,
)
from kg.views.workbench_results import (
    VIEW_FORMATS,
    ViewExport,
    cell_kind,
    cell_text,
    display_text,
    result_csv,
    result_graph,
    result_json,
    view_export,
    view_node_ids,
)

__all__ = [
    "EXAMPLE_CYPHER", "EXAMPLE_SPARQL", "CONSOLE_RULES", "ALLOWED_PROCEDURES", "CONSOLE_SLOTS",
    "CannedQuery", "canned_queries",
    "canned_query", "parse_value", "format_value", "console_store", "ConsoleBusy",
    "run_cypher", "run_named", "run_sparql", "schema_overview", "result_graph", "result_csv",
    "result_json", "cell_text", "display_text", "view_node_ids", "ViewExport", "VIEW_FORMATS",
    "view_export", "cell_kind", "ConsoleResult",
    "TIMEOUT_DEFAULT_MS", "TIMEOUT_MAX_MS", "ROW_CAP_DEFAULT", "ROW_CAP_MAX",
]

#: What the console opens with: resistance edges with their endpoints (drawn as a graph).
EXAMPLE_CYPHER = ("MATCH (v:Variant)-[r:CONFERS_RESISTANCE_TO]->(d:Drug)\n"
                  "RETURN v, r, d\nLIMIT 25")
#: What the SPARQL tab opens with.
EXAMPLE_SPARQL = ("SELECT ?drug ?name WHERE {\n  ?drug a kgs:Drug ; kgs:name ?name .\n}\n"
                  "ORDER BY ?name")
#: The console's rules in one sentence (the page and the docs say them).
CONSOLE_RULES = (
    f"only reading clauses (no {', '.join(sorted(WRITE_CLAUSES - {'LOAD'}))}); no LOAD CSV; "
    f"CALL only of {', '.join(ALLOWED_PROCEDURES)} (or a CALL {{ }} subquery that reads); one "
    f"statement at a time; a timeout of {TIMEOUT_DEFAULT_MS:,} ms by default and "
    f"{TIMEOUT_MAX_MS:,} ms at most; a row cap of {ROW_CAP_DEFAULT:,} rows by default "
    f"({ROW_CAP_MAX:,} at most), with a note when rows were cut; SPARQL: queries only, no "
    "update and no SERVICE.")
#: Console queries one process runs at once; the next one is told to wait.
CONSOLE_SLOTS = 2
_SLOTS = threading.BoundedSemaphore(CONSOLE_SLOTS)


class ConsoleBusy(QueryError):
    """Every console slot of this process is running a query."""


@dataclass(frozen=True)
class CannedQuery:
    """A query file of ``queries/`` as the canned-queries page lists it."""

    name: str
    title: str
    description: str
    language: str
    params: dict[str, Any] = field(default_factory=dict)
    returns: tuple[str, ...] = ()
    text: str = ""


def canned_queries() -> list[CannedQuery]:
    """Return every named query: the Cypher files, then the SPARQL files, by file name.

    Returns
    -------
    list of CannedQuery

    Raises
    ------
    QueryError
        A query file is malformed (see `kg.queries.parse_query_file`).

    Examples
    --------
    >>> qs = canned_queries()
    >>> qs[0].name, qs[0].language, qs[-1].language
    ('01_counts_by_label', 'cypher', 'sparql')
    """
    return [CannedQuery(q.name, q.title, q.description, q.language, dict(q.params), q.returns,
                        q.text)
            for q in list_queries() + list_queries(language="sparql")]


def canned_query(name: str) -> CannedQuery | None:
    """Return the named query with this file stem, or None.

    Parameters
    ----------
    name : str
        E.g. ``'02_resistance_to_drug'``.

    Returns
    -------
    CannedQuery or None
    """
    return next((q for q in canned_queries() if q.name == name), None)


def parse_value(text: str) -> Any:
    """Read a parameter typed into a box: JSON when it parses as JSON, else the text.

    Parameters
    ----------
    text : str
        What was typed (``drug:alectinib``, ``5``, ``["a", "b"]``).

    Returns
    -------
    object

    Examples
    --------
    >>> parse_value("drug:alectinib"), parse_value("5"), parse_value('["ALK"]')
    ('drug:alectinib', 5, ['ALK'])
    """
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read: text
        return text


def format_value(value: Any) -> str:
    """Write a parameter value into a box so that `parse_value` reads it back.

    Parameters
    ----------
    value : object
        A string stays as it is (unless it would parse as JSON); anything else is JSON.

    Returns
    -------
    str

    Examples
    --------
    >>> format_value("drug:alectinib"), format_value(5), format_value("5"), format_value([])
    ('drug:alectinib', '5', '"5"', '[]')
    """
    if isinstance(value, str) and parse_value(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


# -- running -------------------------------------------------------------------------------
def console_store(state_dir: str | Path) -> GraphStore:
    """Open the console's own connection to the store of a state directory.

    A separate client from the pages' (`kg.views.connect`): a console query that runs for
    its whole timeout holds this connection, not theirs.

    Parameters
    ----------
    state_dir : str or pathlib.Path
        The FalkorDB state directory.

    Returns
    -------
    GraphStore

    Raises
    ------
    StoreError
        The server cannot be started or reached.
    """
    return open_store("falkordb", state_dir=Path(state_dir))


@contextmanager
def _slot(wait_s: float = 0.5) -> Iterator[None]:
    """Hold one of the console's slots while the block runs; `ConsoleBusy` when none is free."""
    if not _SLOTS.acquire(timeout=wait_s):
        raise ConsoleBusy(f"{CONSOLE_SLOTS} console queries are already running in this app; "
                          "run yours when one of them has finished")
    try:
        yield
    finally:
        _SLOTS.release()


def run_cypher(store: GraphStore, text: str, params: Mapping[str, Any] | None = None, *,
               timeout_ms: int = TIMEOUT_DEFAULT_MS,
               row_cap: int = ROW_CAP_DEFAULT) -> ConsoleResult:
    """Run a user's Cypher under the console's rules, in one of the console's slots.

    Parameters
    ----------
    store : GraphStore
        The console's store (`console_store`).
    text : str
        The query.
    params : mapping, optional
        Its parameters.
    timeout_ms : int, optional
        1 to `TIMEOUT_MAX_MS`.
    row_cap : int, optional
        1 to `ROW_CAP_MAX`.

    Returns
    -------
    ConsoleResult

    Raises
    ------
    ReadOnlyViolation
        Refused by the guard.
    QueryError
        A limit out of range, every slot busy (`ConsoleBusy`), or the query failed.

    Examples
    --------
    >>> res = run_cypher(store, "MATCH (d:Drug {id: $id}) RETURN d.name AS name",
    ...                  {"id": "drug:alectinib"})
    >>> res.columns, res.rows, res.truncated
    (['name'], [['alectinib']], False)
    """
    from kg.store.guard import check_read_only

    check_read_only(text)
    check_limits(timeout_ms, row_cap)
    with _slot():
        return console_query(store, text, dict(params or {}), timeout_ms=timeout_ms,
                             row_cap=row_cap)


def run_named(store: GraphStore, name: str, params: Mapping[str, Any] | None = None, *,
              state_dir: str | Path | None = None, timeout_ms: int = TIMEOUT_DEFAULT_MS,
              row_cap: int = ROW_CAP_DEFAULT) -> ConsoleResult:
    """Run a canned query (Cypher or SPARQL) with its example values overridden by `params`.

    Parameters
    ----------
    store : GraphStore
        An open store.
    name : str
        The query's file stem.
    params : mapping, optional
        Values for its parameters (the others keep their examples).
    state_dir : str or pathlib.Path, optional
        Where the SPARQL store of the served graph is kept (needed for SPARQL files).
    timeout_ms : int, optional
        The query's timeout (Cypher or SPARQL), 1 to `TIMEOUT_MAX_MS`.
    row_cap : int, optional
        1 to `ROW_CAP_MAX`.

    Returns
    -------
    ConsoleResult

    Raises
    ------
    QueryError
        No such query, or it failed.
    """
    q = canned_query(name)
    if q is None:
        raise QueryError(f"no query named {name!r}")
    values = {**q.params, **dict(params or {})}
    if q.language == "sparql":
        if state_dir is None:
            raise QueryError("a SPARQL query needs the state directory of its store")
        return run_sparql(store, state_dir, q.text, values, row_cap=row_cap,
                          timeout_ms=timeout_ms)
    return run_cypher(store, q.text, values, timeout_ms=timeout_ms, row_cap=row_cap)


def run_sparql(store: GraphStore, state_dir: str | Path, text: str,
               params: Mapping[str, Any] | None = None, *,
               row_cap: int = ROW_CAP_DEFAULT,
               timeout_ms: int = TIMEOUT_DEFAULT_MS) -> ConsoleResult:
    """Run SPARQL over the RDF mapping of the served graph (built once per fingerprint).

    The query runs in a child process (`kg.sparql.select_limited`) ended after `timeout_ms`:
    Oxigraph cannot be interrupted inside this process, and a query that never ends must not
    hold one of the app's console slots for ever.

    Parameters
    ----------
    store : GraphStore
        The store serving the graph (its fingerprint names the RDF store).
    state_dir : str or pathlib.Path
        The RDF stores live under ``<state_dir>/sparql``.
    text : str
        The query; updates and SERVICE are refused.
    params : mapping, optional
        Values bound to variables of the same name.
    row_cap : int, optional
        1 to `ROW_CAP_MAX`.
    timeout_ms : int, optional
        1 to `TIMEOUT_MAX_MS`: the query and the reading of its rows.

    Returns
    -------
    ConsoleResult

    Raises
    ------
    ReadOnlyViolation
        An update or a SERVICE call.
    QueryError
        The query does not parse, fails or outlives `timeout_ms`, or no graph is loaded.
    """
    import time

    from kg.exports import served_graph
    from kg.sparql import select_limited

    check_limits(timeout_ms, row_cap)
    cache = _sparql_cache(Path(state_dir) / "sparql")
    version = store.graph_version()
    cache.store(version, lambda: served_graph(store))  # built once per graph version
    t0 = time.perf_counter()
    with _slot():
        columns, rows = select_limited(cache.path(version), text, dict(params or {}),
                                       row_cap=row_cap + 1, timeout_ms=timeout_ms)
    elapsed = (time.perf_counter() - t0) * 1000
    total = len(rows)
    return ConsoleResult(columns, rows[:row_cap], total, row_cap, elapsed)


_CACHES: dict[Path, Any] = {}
_CACHES_LOCK = threading.Lock()


def _sparql_cache(directory: Path) -> Any:
    from kg.sparql import SparqlCache

    with _CACHES_LOCK:
        if directory not in _CACHES:
            _CACHES[directory] = SparqlCache(directory)
        return _CACHES[directory]


def schema_overview(store: GraphStore) -> dict[str, list[str]]:
    """Return the labels, relationship types and property keys of the served graph.

    Parameters
    ----------
    store : GraphStore
        An open store; only the allow-listed read procedures are called.

    Returns
    -------
    dict
        ``{labels, relationship_types, property_keys}``, each sorted.
    """
    out = {}
    for key, proc, col in (("labels", "db.labels", "label"),
                           ("relationship_types", "db.relationshipTypes", "relationshipType"),
                           ("property_keys", "db.propertyKeys", "propertyKey")):
        rows = store.query(f"CALL {proc}() YIELD {col} RETURN {col}").rows
        out[key] = sorted(str(r[0]) for r in rows)
    return out
