"""The commands that read the served graph: ``query``, ``run``, ``sparql`` and ``queries``.

Each prints its rows as a table, CSV or JSON (``--format``) under the console's rules
(`kg.store.guard`). `served_store` opens the store serving the graph (``export`` reads through
it too) and `print_store_notes` says what starting the embedded server had to repair.
The parser and `main` are in `kg.cli`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from kg import cli  # looked up at call time: kg.cli's names may be substituted (tests)
from kg.schema.errors import QueryError, StoreError

__all__ = ["COMMANDS", "served_store", "print_store_notes"]


def _print_table(columns: list[str], rows: list[list[Any]], out: TextIO) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    out.write(" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)) + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for r in cells:
        out.write(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def _emit(columns: list[str], rows: list[list[Any]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump([dict(zip(columns, r, strict=True)) for r in rows], out, ensure_ascii=False,
                  indent=2, default=str)
        out.write("\n")
    elif fmt == "csv":
        import csv

        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        w.writerows([[_cell(v) for v in r] for r in rows])
    else:
        _print_table(columns, rows, out)


def print_store_notes(store: Any) -> None:
    """Print what starting the embedded server had to repair (stale state, bad snapshot).

    Parameters
    ----------
    store : GraphStore
        An open store; one without an embedded server prints nothing.

    Returns
    -------
    None
    """
    for note in getattr(getattr(store, "server", None), "notes", None) or []:
        print(f"note: {note}", file=sys.stderr)


def served_store(args: argparse.Namespace, *, quick: bool = True) -> Any:
    """Return the store serving the graph, refusing one that serves none.

    A running embedded server is read without the falkordb client
    (`kg.store.falkordb_resp`, quick to import) when `quick`; otherwise the store is opened
    (the falkordb client decodes large results faster).

    Parameters
    ----------
    args : argparse.Namespace
        With ``store`` and ``state_dir`` (and ``from_sources`` for commands that have it).
    quick : bool, optional
        Read a running embedded server through the plain-socket reader.

    Returns
    -------
    GraphStore
        An open store with a graph loaded; the caller closes it.

    Raises
    ------
    StoreError
        No graph is loaded (the message says to build one, or to use --from-sources).
    """
    if quick and args.store == "falkordb":
        from kg.store.falkordb_resp import connect

        reader = connect(args.state_dir)
        if reader is not None:
            if reader.graph_version():
                return reader
            reader.close()
    from kg.store import open_store

    store = open_store(args.store, state_dir=args.state_dir)
    print_store_notes(store)
    if not store.graph_version():
        store.close()
        alt = " (or use --from-sources)" if hasattr(args, "from_sources") else ""
        raise StoreError(f"no graph is loaded; run `python -m kg build` first{alt}")
    return store


def _run_and_print(cypher: str, params: dict[str, Any], args: argparse.Namespace) -> int:
    from kg.store.guard import check_limits, check_read_only, console_query

    check_read_only(cypher)  # refused before any connection is opened
    check_limits(args.timeout_ms, args.max_rows)
    store = served_store(args)
    try:
        try:
            res = console_query(store, cypher, params, timeout_ms=args.timeout_ms,
                                row_cap=args.max_rows)
        except QueryError as exc:
            if not isinstance(exc.__cause__, OSError):
                raise
            # the quick reader lost its server (killed, restarted): once more through the
            # store, which re-reads the server state and starts it from its snapshot
            store.close()
            store = served_store(args, quick=False)
            res = console_query(store, cypher, params, timeout_ms=args.timeout_ms,
                                row_cap=args.max_rows)
    finally:
        store.close()
    _emit(res.columns, res.rows, args.format, sys.stdout)
    if res.note():
        print(f"note: {res.note()}", file=sys.stderr)
    return cli.EXIT_OK


def _params(args: argparse.Namespace) -> dict[str, Any]:
    return dict(cli.parse_param(p) for p in (args.param or []))


def _cmd_query(args: argparse.Namespace) -> int:
    return _run_and_print(args.cypher, _params(args), args)


def _cmd_run(args: argparse.Namespace) -> int:
    from kg.queries import load_query

    q = load_query(args.name)
    params = {**q.example_params(), **_params(args)}
    return _run_and_print(q.text, params, args)


def _state_dir(args: argparse.Namespace) -> Path:
    from kg.store.falkordb_server import DEFAULT_STATE_DIR

    return Path(args.state_dir or DEFAULT_STATE_DIR).resolve()


def _cmd_sparql(args: argparse.Namespace) -> int:
    from kg.queries import list_queries
    from kg.sparql import SparqlCache, build_store, select
    from kg.store.base import check_unicode
    from kg.store.guard import check_limits, check_sparql_read_only

    named = {q.name: q for q in list_queries(language="sparql")}
    named.update({q.name.split("_", 1)[-1]: q for q in named.values()})
    q = named.get(args.query)
    text, params = (q.text, q.example_params()) if q else (args.query, {})
    params.update(_params(args))
    check_sparql_read_only(text)
    check_unicode(text, params)
    check_limits(args.timeout_ms, args.max_rows)
    if args.from_sources:
        rdf = build_store(cli.assemble_from_args(args))
    else:
        store = served_store(args)

        def load():  # noqa: ANN202 - only when no RDF store of this version is kept yet
            from kg.exports import served_graph

            full = served_store(args, quick=False)
            try:
                return served_graph(full)
            finally:
                full.close()

        try:
            rdf = SparqlCache(_state_dir(args) / "sparql").store(store.graph_version(), load)
        finally:
            store.close()
    with _watchdog(args, "SPARQL query"):
        columns, rows = select(rdf, text, params, row_cap=args.max_rows + 1)
    _emit(columns, rows[:args.max_rows], args.format, sys.stdout)
    if len(rows) > args.max_rows:
        print(f"note: showing the first {args.max_rows:,} rows; there are more (raise "
              "--max-rows, or add LIMIT)", file=sys.stderr)
    return cli.EXIT_OK


@contextlib.contextmanager
def _watchdog(args: argparse.Namespace, what: str) -> Iterator[None]:
    """End the process (exit 1, with a message) when the block outlives ``--timeout-ms``.

    For work no server times out and Python cannot interrupt (Oxigraph evaluates a SPARQL
    aggregate in Rust: a cross product runs for hours). Only when the CLI runs as a program
    (`main` called without arguments); called in process (tests, the app), it does nothing.
    """
    if not getattr(args, "standalone", False) or not getattr(args, "timeout_ms", None):
        yield
        return
    seconds = args.timeout_ms / 1000

    def expire() -> None:
        print(f"error: {what} did not finish within {seconds:g} s (--timeout-ms); stopped",
              file=sys.stderr, flush=True)
        os._exit(cli.EXIT_ERROR)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _cmd_queries(args: argparse.Namespace) -> int:
    from kg.queries import list_queries

    rows = [[q.name, q.language, q.title]
            for q in list_queries() + list_queries(language="sparql")]
    _emit(["name", "language", "title"], rows, args.format, sys.stdout)
    return cli.EXIT_OK


#: The commands of this module by name (`kg.cli.main` runs them).
COMMANDS = {"query": _cmd_query, "run": _cmd_run, "sparql": _cmd_sparql,
            "queries": _cmd_queries}
