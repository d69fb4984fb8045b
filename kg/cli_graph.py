"""The commands that make or write the graph: ``validate``, ``build``, ``export``, ``schema``.

``build`` loads the assembled graph into the store (atomic swap; with ``--if-changed`` only
when `kg.cli.sources_fingerprint` changed); ``export`` writes the served graph, or the one
assembled from the sources, in one of `kg.exports.EXPORT_FORMATS`. The parser and `main` are
in `kg.cli`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from kg import cli  # looked up at call time: kg.cli's names may be substituted (tests)
from kg.cli_query import print_store_notes, served_store

__all__ = ["COMMANDS"]


def _cmd_validate(args: argparse.Namespace) -> int:
    eg = cli.assemble_from_args(args)
    counts = eg.counts()
    print(f"valid: {sum(counts['nodes'].values())} nodes, {sum(counts['edges'].values())} edges "
          f"from {', '.join(sorted(eg.sources))}")
    return cli.EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.store import open_store

    t0 = time.perf_counter()
    genes = [g.strip() for g in args.genes.split(",")] if getattr(args, "genes", None) else None
    # The default release is chosen among the files of --data, which are hashed, by code
    # that is hashed: naming the choice is enough (and needs no import of the build).
    fingerprint = cli.sources_fingerprint(
        Path(args.data), Path(args.civic) if args.civic else None, genes,
        no_civic=getattr(args, "no_civic", False))
    if args.if_changed:  # ask the served graph first; sources are read only when needed
        store = open_store(args.store, state_dir=args.state_dir)
        try:
            served = store.graph_version() if hasattr(store, "meta") else ""
            if served and store.meta().get("source_fingerprint") == fingerprint:
                print(f"graph {served} is up to date (sources {fingerprint} unchanged); "
                      f"not rebuilt ({time.perf_counter() - t0:.2f} s)")
                return cli.EXIT_OK
        finally:
            store.close()
    eg = cli.assemble_from_args(args)  # invalid sources stop here, before any store is opened
    t1 = time.perf_counter()
    store = open_store(args.store, state_dir=args.state_dir)
    print_store_notes(store)
    server = getattr(store, "server", None)
    try:
        kwargs: dict[str, Any] = {}
        if store.name == "falkordb":
            kwargs = {"method": args.method, "source_fingerprint": fingerprint,
                      "progress": _progress_printer() if sys.stderr.isatty() else None}
        if server is None:
            stats = store.load(eg, **kwargs)
        else:  # one build at a time per state dir: a second one waits, then swaps its graph
            with server.lock("build", on_wait=lambda msg: print(msg, file=sys.stderr)):
                if server.drop_staging():
                    print("note: deleted the staging graph of a build that was killed",
                          file=sys.stderr)
                stats = store.load(eg, **kwargs)
    finally:
        store.close()
    saved = " and saved" if server is not None else ""
    print(f"built graph {stats['version']}: {stats['nodes']} nodes, {stats['edges']} edges "
          f"(validate {t1 - t0:.2f} s, load{saved} {stats['seconds']:.2f} s)")
    return cli.EXIT_OK


def _progress_printer():  # noqa: ANN202
    """A progress bar on standard error for large loads (a terminal only)."""
    t0 = time.perf_counter()

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\rloading [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done:,}/{total:,} records, {time.perf_counter() - t0:.1f} s")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _cmd_export(args: argparse.Namespace) -> int:
    from kg.exports import write_export

    if args.from_sources:
        eg = cli.assemble_from_args(args)
        civic = cli.civic_dir_of(args)
        what = (f"the graph assembled from {args.data}"
                + (f" and the CIViC release {civic}" if civic else " (no CIViC)")
                + f", fingerprint {eg.fingerprint()}")
    else:
        from kg.exports import served_graph

        store = served_store(args, quick=False)
        try:
            eg = served_graph(store)
        finally:
            store.close()
        what = (f"the served graph {eg.fingerprint()} (store {args.store}, sources "
                f"{', '.join(sorted(eg.sources)) or '?'})")
    write_export(eg, args.format, Path(args.out) if args.out else None)
    counts = eg.counts()
    print(f"exported {what}: {sum(counts['nodes'].values())} nodes, "
          f"{sum(counts['edges'].values())} edges as {args.format}"
          + (f" to {args.out}" if args.out else ""), file=sys.stderr)
    return cli.EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from kg.schema import schema_markdown

    sys.stdout.write(schema_markdown())
    return cli.EXIT_OK


#: The commands of this module by name (`kg.cli.main` runs them).
COMMANDS = {"validate": _cmd_validate, "build": _cmd_build, "export": _cmd_export,
            "schema": _cmd_schema}
