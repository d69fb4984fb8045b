"""The command line: ``python -m kg`` (also installed as ``kg``).

Commands
--------
validate [--data DIR] [--civic DIR | --no-civic] [--genes ALK,MET]
    Check every source; print each problem as ``file:line: what``; exit 2 when invalid.
    Without --civic the newest release under DATA/civic/ (the shipped 01-Aug-2024) is read.
build [--data DIR] [--civic DIR | --no-civic] [--genes ...] [--if-changed] [--method ...]
    Validate, assemble, and load into the embedded store (atomic swap): curated + CIViC
    by default. With ``--if-changed``, do nothing when the served graph was built from the
    same sources (`sources_fingerprint`: the data files and the code of ``kg/`` and
    ``ingest/``); ``--method`` picks FalkorDB's load path (auto, bulk or cypher).
query "<cypher>" [-p name=value ...] [--format table|json|csv] [--timeout-ms N]
    Run read-only Cypher on the served graph.
run NAME [-p ...] [--format ...]
    Run a named query from ``queries/``.
sparql NAME|"<sparql>" [-p ...] [--data DIR]
    Run SPARQL over the RDF mapping of the assembled graph (rdflib, in memory).
queries
    List the named queries with their titles.
export --format jsonl [--data DIR] [--out FILE]
    Write the assembled graph, one JSON object per line.
schema
    Print the schema reference (Markdown).
civic-diff OLD_DIR NEW_DIR [--format table|json] [--json-out FILE] [--ignore COLUMN ...]
    List the evidence items two CIViC releases add, remove and change (which fields).
civic fetch [--release DATE] [--base-url URL] [--force]
    Download a CIViC monthly release, check it and store it as ``data/civic/<DATE>/``.
db start|stop|status
    Manage the embedded FalkorDB server.

Exit status: 0 success, 1 query or store error, 2 invalid input.

This module is the top of the data flow (sources -> ingest -> kg -> queries -> CLI/app):
it is the one place in ``kg`` that calls the adapters in ``ingest``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from kg.schema.errors import IngestError, KGError, QueryError, StoreError

__all__ = ["main", "parse_param", "sources_fingerprint"]

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2


def parse_param(text: str) -> tuple[str, Any]:
    """Parse ``name=value``; the value is JSON when it parses as JSON, else a string.

    Parameters
    ----------
    text : str
        One ``-p`` argument, e.g. ``drug=drug:alectinib`` or ``limit=5``.

    Returns
    -------
    name : str
        The parameter name, stripped.
    value : object
        The parsed JSON value, or the text after ``=`` when it is not JSON.

    Raises
    ------
    QueryError
        `text` has no ``=``.

    Examples
    --------
    >>> parse_param("drug=drug:alectinib"), parse_param("limit=5")
    (('drug', 'drug:alectinib'), ('limit', 5))
    """
    if "=" not in text:
        raise QueryError(f"parameter {text!r} must look like name=value")
    name, value = text.split("=", 1)
    try:
        parsed: Any = json.loads(value)
    except ValueError:
        parsed = value
    return name.strip(), parsed


def assemble_from_args(args: argparse.Namespace):  # noqa: ANN201
    """Build the validated graph from the sources the arguments name (`kg.build.build_graph`).

    Parameters
    ----------
    args : argparse.Namespace
        With ``data``, ``civic`` and ``genes``.

    Returns
    -------
    kg.graph.EvidenceGraph
    """
    from kg.build import build_graph

    genes = [g.strip() for g in args.genes.split(",")] if getattr(args, "genes", None) else None
    return build_graph(Path(args.data), civic_dir=civic_dir_of(args), genes=genes)


def civic_dir_of(args: argparse.Namespace) -> Path | None:
    """Return the CIViC release the arguments ask for: ``--civic``, none, or the newest shipped.

    Parameters
    ----------
    args : argparse.Namespace
        With ``data``, ``civic`` and ``no_civic``.

    Returns
    -------
    pathlib.Path or None
        ``--civic DIR`` when given; None with ``--no-civic``; else the newest release under
        ``<data>/civic/`` (`kg.build.latest_civic_release`), None when there is none.
    """
    if getattr(args, "no_civic", False):
        return None
    if getattr(args, "civic", None):
        return Path(args.civic)
    from kg.build import latest_civic_release

    return latest_civic_release(Path(args.data))


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
                  indent=2)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        w.writerows([[_cell(v) for v in r] for r in rows])
    else:
        _print_table(columns, rows, out)


def _cmd_validate(args: argparse.Namespace) -> int:
    eg = assemble_from_args(args)
    counts = eg.counts()
    print(f"valid: {sum(counts['nodes'].values())} nodes, {sum(counts['edges'].values())} edges "
          f"from {', '.join(sorted(eg.sources))}")
    return EXIT_OK


def sources_fingerprint(data_dir: Path, civic_dir: Path | None = None,
                        genes: Sequence[str] | None = None, *, no_civic: bool = False) -> str:
    """Return a hash of everything a build reads: the sources and the code that maps them.

    Hashes every file under `data_dir` and `civic_dir` (relative path and bytes), the gene
    list, and every ``.py`` and ``.yaml`` file of the ``kg`` and ``ingest`` packages: equal
    fingerprints mean a rebuild would load the same graph. Reading a few MB of files takes
    milliseconds, far less than assembling the graph.

    Parameters
    ----------
    data_dir : pathlib.Path
        The curated sources (``references.bib``, ``curated/``).
    civic_dir : pathlib.Path, optional
        A CIViC release directory.
    genes : sequence of str, optional
        The ``--genes`` restriction.
    no_civic : bool, optional
        ``--no-civic``. Without it and without `civic_dir` the build takes the newest release
        under ``<data_dir>/civic/``: a choice made among files that are hashed, by code that
        is hashed, so it needs no import of the build here.

    Returns
    -------
    str
        16 hex digits.

    Examples
    --------
    >>> from kg.build import DEFAULT_DATA_DIR as data
    >>> a = sources_fingerprint(data)
    >>> a == sources_fingerprint(data), a == sources_fingerprint(data, genes=["ALK"])
    (True, False)
    """
    import hashlib

    import ingest

    h = hashlib.sha256()
    code_roots = [Path(__file__).resolve().parent, Path(ingest.__file__).resolve().parent]
    roots = [("data", Path(data_dir))] + ([("civic", Path(civic_dir))] if civic_dir else [])
    roots += [(f"code{i}", r) for i, r in enumerate(code_roots)]
    for tag, root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and (tag.startswith(("data", "civic")) or p.suffix in (".py", ".yaml")))
        for f in files:
            h.update(f"{tag}/{f.relative_to(root).as_posix()}\0".encode())
            h.update(f.read_bytes())
            h.update(b"\0")
    h.update(("genes:" + ",".join(genes or []) + f";no_civic:{no_civic}").encode())
    return h.hexdigest()[:16]


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.store import open_store

    t0 = time.perf_counter()
    genes = [g.strip() for g in args.genes.split(",")] if getattr(args, "genes", None) else None
    # The default release is chosen among the files of --data, which are hashed, by code
    # that is hashed: naming the choice is enough (and needs no import of the build).
    fingerprint = sources_fingerprint(Path(args.data), Path(args.civic) if args.civic else None,
                                      genes, no_civic=getattr(args, "no_civic", False))
    if args.if_changed:  # ask the served graph first; sources are read only when needed
        store = open_store(args.store, state_dir=args.state_dir)
        try:
            served = store.graph_version() if hasattr(store, "meta") else ""
            if served and store.meta().get("source_fingerprint") == fingerprint:
                print(f"graph {served} is up to date (sources {fingerprint} unchanged); "
                      f"not rebuilt ({time.perf_counter() - t0:.2f} s)")
                return EXIT_OK
        finally:
            store.close()
    eg = assemble_from_args(args)  # invalid sources stop here, before any store is opened
    t1 = time.perf_counter()
    store = open_store(args.store, state_dir=args.state_dir)
    try:
        kwargs: dict[str, Any] = {}
        if store.name == "falkordb":
            kwargs = {"method": args.method, "source_fingerprint": fingerprint,
                      "progress": _progress_printer() if sys.stderr.isatty() else None}
        stats = store.load(eg, **kwargs)
    finally:
        store.close()
    print(f"built graph {stats['version']}: {stats['nodes']} nodes, {stats['edges']} edges "
          f"(validate {t1 - t0:.2f} s, load {stats['seconds']:.2f} s)")
    return EXIT_OK


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


def _run_and_print(cypher: str, params: dict[str, Any], args: argparse.Namespace) -> int:
    from kg.store import open_store

    store = open_store(args.store, state_dir=args.state_dir)
    try:
        if not store.graph_version():
            raise StoreError("no graph is loaded; run `python -m kg build` first")
        res = store.query(cypher, params, read_only=True, timeout_ms=args.timeout_ms)
    finally:
        store.close()
    _emit(res.columns, res.rows, args.format, sys.stdout)
    return EXIT_OK


def _params(args: argparse.Namespace) -> dict[str, Any]:
    return dict(parse_param(p) for p in (args.param or []))


def _cmd_query(args: argparse.Namespace) -> int:
    return _run_and_print(args.cypher, _params(args), args)


def _cmd_run(args: argparse.Namespace) -> int:
    from kg.queries import load_query

    q = load_query(args.name)
    params = {**q.example_params(), **_params(args)}
    return _run_and_print(q.text, params, args)


def _cmd_sparql(args: argparse.Namespace) -> int:
    from kg.exports import run_sparql
    from kg.queries import list_queries

    named = {q.name: q for q in list_queries(language="sparql")}
    named.update({q.name.split("_", 1)[-1]: q for q in named.values()})
    q = named.get(args.query)
    text, params = (q.text, q.example_params()) if q else (args.query, {})
    params.update(_params(args))
    eg = assemble_from_args(args)
    try:
        columns, rows = run_sparql(eg, text, params)
    except Exception as exc:  # rdflib raises pyparsing errors for bad SPARQL
        raise QueryError(f"SPARQL failed: {exc} in query: {text.strip()[:200]}") from exc
    _emit(columns, rows, args.format, sys.stdout)
    return EXIT_OK


def _cmd_queries(args: argparse.Namespace) -> int:
    from kg.queries import list_queries

    for q in list_queries() + list_queries(language="sparql"):
        print(f"{q.name:34} {q.title}")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from kg.graph import write_jsonl

    eg = assemble_from_args(args)
    if args.format != "jsonl":
        from kg.exports import write_export

        write_export(eg, args.format, Path(args.out) if args.out else None)
        return EXIT_OK
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            n = write_jsonl(eg, fh)
        print(f"wrote {n} lines to {args.out}", file=sys.stderr)
    else:
        write_jsonl(eg, sys.stdout)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from kg.schema import schema_markdown

    sys.stdout.write(schema_markdown())
    return EXIT_OK


def _cmd_civic_diff(args: argparse.Namespace) -> int:
    from ingest.civic import read_evidence
    from ingest.civic_diff import diff_evidence, diff_to_json, generate_table

    old_release, old = read_evidence(Path(args.old_dir))
    new_release, new = read_evidence(Path(args.new_dir))
    diff = diff_evidence(old, new, old_release=old_release, new_release=new_release,
                         ignore=args.ignore or ())
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(diff_to_json(diff), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    if args.format == "json":
        json.dump(diff_to_json(diff), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for line in generate_table(diff):
            print(line)
    return EXIT_OK


def _cmd_civic(args: argparse.Namespace) -> int:
    from ingest.civic_fetch import fetch_release, release_name

    release = release_name(args.release)
    dest = Path(args.data) / "civic"
    print(f"fetching CIViC release {release} from {args.base_url} ...", file=sys.stderr)
    path = fetch_release(release, dest, base_url=args.base_url, force=args.force,
                         timeout=args.timeout)
    print(f"stored and checked: {path} (build with it: python -m kg build --civic {path})")
    return EXIT_OK


def _cmd_db(args: argparse.Namespace) -> int:
    from kg.store.falkordb_server import FalkorServer

    server = FalkorServer(args.state_dir)
    if args.action == "start":
        info = server.start()
        print(("reused" if info["reused"] else "started") + f": {server.status()}")
    elif args.action == "stop":
        print("stopped" if server.stop() else "not running")
    else:
        print(server.status())
    return EXIT_OK


#: `kg.build.DEFAULT_DATA_DIR`, named here so that parsing the arguments (and a ``build
#: --if-changed`` that finds nothing to do) does not import the build and its adapters.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m kg``."""
    p = argparse.ArgumentParser(prog="python -m kg", description=__doc__.split("\n")[0])
    p.add_argument("--state-dir", default=None, help="embedded FalkorDB state directory "
                   "(default var/falkordb, or $KG_STATE_DIR)")
    p.add_argument("--store", choices=("falkordb", "neo4j"),
                   default=os.environ.get("KG_STORE", "falkordb"),
                   help="graph store for build/query/run (default falkordb, or $KG_STORE; "
                   "neo4j reads NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)")
    sub = p.add_subparsers(dest="command", required=True)

    def data_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", default=str(DEFAULT_DATA_DIR),
                        help="directory shaped like data/ (references.bib, curated/)")
        civic = sp.add_mutually_exclusive_group()
        civic.add_argument("--civic", default=None,
                           help="CIViC monthly release directory (default: the newest "
                           "release under DATA/civic/, i.e. the shipped 01-Aug-2024)")
        civic.add_argument("--no-civic", action="store_true",
                           help="curated sources only, without CIViC")
        sp.add_argument("--genes", default=None, help="with CIViC: comma-separated genes")

    def out_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("-p", "--param", action="append", help="name=value (JSON or text)")
        sp.add_argument("--format", choices=("table", "json", "csv"), default="table")
        sp.add_argument("--timeout-ms", type=int, default=10_000)

    data_args(sub.add_parser("validate", help="check every source"))
    sp = sub.add_parser("build", help="validate and load into the embedded store")
    data_args(sp)
    sp.add_argument("--if-changed", action="store_true",
                    help="skip the rebuild when the served graph was built from the same "
                    "sources and code")
    sp.add_argument("--method", choices=("auto", "bulk", "cypher"), default="auto",
                    help="FalkorDB load path: GRAPH.BULK, batched Cypher, or by size (auto)")
    sp = sub.add_parser("query", help="run read-only Cypher")
    sp.add_argument("cypher")
    out_args(sp)
    sp = sub.add_parser("run", help="run a named query from queries/")
    sp.add_argument("name")
    out_args(sp)
    sp = sub.add_parser("sparql", help="run SPARQL (a queries/*.rq name or text) on the RDF "
                        "mapping of the assembled graph")
    sp.add_argument("query")
    data_args(sp)
    out_args(sp)
    sub.add_parser("queries", help="list the named queries")
    sp = sub.add_parser("export", help="export the assembled graph")
    data_args(sp)
    sp.add_argument("--format", default="jsonl",
                    choices=("jsonl", "graphml", "nodelink", "turtle", "jsonld", "bibtex"))
    sp.add_argument("--out", default=None)
    sub.add_parser("schema", help="print the schema reference")
    sp = sub.add_parser("civic-diff", help="evidence items added, removed and changed between "
                        "two CIViC releases")
    sp.add_argument("old_dir", help="the older CIViC release directory")
    sp.add_argument("new_dir", help="the newer CIViC release directory")
    sp.add_argument("--format", choices=("table", "json"), default="table")
    sp.add_argument("--json-out", default=None, help="also write the JSON diff to this file")
    sp.add_argument("--ignore", action="append", metavar="COLUMN",
                    help="a column not to compare (repeatable), e.g. last_review_date")
    sp = sub.add_parser("civic", help="manage CIViC releases (fetch a monthly release)")
    sp.add_argument("action", choices=("fetch",))
    sp.add_argument("--release", default=None,
                    help="DD-Mon-YYYY or YYYY-MM-DD (default: this month's release)")
    sp.add_argument("--base-url", default="https://civicdb.org/downloads",
                    help="download root (default: CIViC's)")
    sp.add_argument("--data", default=str(DEFAULT_DATA_DIR),
                    help="data directory; releases go to DATA/civic/<release>/")
    sp.add_argument("--force", action="store_true", help="replace a stored release")
    sp.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    sp = sub.add_parser("db", help="manage the embedded FalkorDB server")
    sp.add_argument("action", choices=("start", "stop", "status"))
    return p


_COMMANDS = {"validate": _cmd_validate, "build": _cmd_build, "query": _cmd_query,
             "run": _cmd_run, "sparql": _cmd_sparql, "queries": _cmd_queries, "export": _cmd_export,
             "schema": _cmd_schema, "db": _cmd_db, "civic-diff": _cmd_civic_diff,
             "civic": _cmd_civic}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 1 query/store error, 2 invalid input).

    Every `KGError` is caught and printed to standard error as one clean message (each
    input problem on its own ``file:line: what`` line), never as a traceback.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 success, 1 query, store, export or other `KGError`, 2 invalid input
        (`IngestError`).

    Raises
    ------
    SystemExit
        From argparse, for unknown commands or options and for ``--help``.
    """
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except IngestError as exc:
        print(f"invalid input: {len(exc.problems)} problem(s)", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except (QueryError, StoreError, KGError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
        return EXIT_OK
