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
query "<cypher>" [-p name=value ...] [--format table|csv|json] [--timeout-ms N] [--max-rows N]
    Run read-only Cypher on the served graph, under the console's rules (`kg.store.guard`):
    the read-only guard, a timeout (default 2000 ms, at most 10000) and a row cap (default
    1000, at most 100000; a note on standard error says when rows were cut).
run NAME [-p ...] [--format ...] [--timeout-ms N] [--max-rows N]
    Run a named query from ``queries/`` under the same rules.
sparql NAME|"<sparql>" [-p ...] [--format ...] [--max-rows N] [--timeout-ms N]
       [--from-sources [--data ...]]
    Run SPARQL over the RDF mapping of the served graph (Oxigraph, built once per graph
    fingerprint under ``<state dir>/sparql``; `kg.sparql`); updates are refused.
queries [--format ...]
    List the named queries with their titles.
export --format jsonl|graphml|nodelink|turtle|jsonld|bibtex|csv-nodes|csv-edges [--out FILE]
        [--from-sources [--data DIR] [--civic DIR | --no-civic] [--genes ...]]
    Export the served graph (default) or the graph assembled from the sources; standard
    error says which.
schema
    Print the schema reference (Markdown).
civic-diff OLD_DIR NEW_DIR [--format table|json] [--json-out FILE] [--ignore COLUMN ...]
    List the evidence items two CIViC releases add, remove and change (which fields).
civic fetch [--release DATE] [--base-url URL] [--force]
    Download a CIViC monthly release, check it and store it as ``data/civic/<DATE>/``.
db start|stop|status
    Manage the embedded FalkorDB server.
prep --drug D [--prior D ...] --progression intracranial|extracranial|both
     --pattern oligoprogression|systemic [--lesions N] [--alteration TEXT ...]
     [--sample tissue|plasma] [--as-of DATE] [--add ID ...] [--format markdown|pdf|json|bibtex]
     [--out FILE]
    A tumour-board evidence sheet for a scenario (kg.sheets); exit 2 names each bad field.

Exit status: 0 success, 1 query or store error, 2 invalid input.

Imports are lazy: each command imports what it uses, so ``kg query "RETURN 1"`` loads neither
the adapters nor networkx, and the read commands talk to a running embedded server through
`kg.store.falkordb_resp` (a plain socket) rather than the ``falkordb`` client and redis-py
(``make bench`` measures the start-up). This module is the top of
the data flow (sources -> ingest -> kg -> queries -> CLI/app): it is the one place in ``kg``
that calls the adapters in ``ingest``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg.schema.errors import IngestError, KGError, QueryError, StoreError

__all__ = ["main", "parse_param", "build_parser", "assemble_from_args",
           "sources_fingerprint"]

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2
#: The repository's data directory (`kg.build.DEFAULT_DATA_DIR`, without importing kg.build).
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
FORMATS = ("table", "csv", "json")


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
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read: text
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


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m kg``."""
    from kg.store.guard import ROW_CAP_DEFAULT, ROW_CAP_MAX, TIMEOUT_DEFAULT_MS, TIMEOUT_MAX_MS

    p = argparse.ArgumentParser(prog="python -m kg", description=__doc__.split("\n")[0])
    p.add_argument("--state-dir", default=None, help="embedded FalkorDB state directory "
                   "(default var/falkordb, or $KG_STATE_DIR)")
    p.add_argument("--store", choices=("falkordb", "neo4j"),
                   default=os.environ.get("KG_STORE", "falkordb"),
                   help="graph store for build/query/run/export (default falkordb, or "
                   "$KG_STORE; neo4j reads NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)")
    sub = p.add_subparsers(dest="command", required=True)

    def data_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", default=str(DATA_DIR),
                        help="directory shaped like data/ (references.bib, curated/)")
        civic = sp.add_mutually_exclusive_group()
        civic.add_argument("--civic", default=None,
                           help="CIViC monthly release directory (default: the newest "
                           "release under DATA/civic/, i.e. the shipped 01-Aug-2024)")
        civic.add_argument("--no-civic", action="store_true",
                           help="curated sources only, without CIViC")
        sp.add_argument("--genes", default=None, help="with CIViC: comma-separated genes")

    def source_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--from-sources", action="store_true",
                        help="assemble the graph from --data/--civic instead of reading the "
                        "served graph")
        data_args(sp)

    def out_args(sp: argparse.ArgumentParser, *, timeout: bool = True) -> None:
        sp.add_argument("-p", "--param", action="append", help="name=value (JSON or text)")
        sp.add_argument("--format", choices=FORMATS, default="table")
        if timeout:
            sp.add_argument("--timeout-ms", type=int, default=TIMEOUT_DEFAULT_MS,
                            help=f"server-side timeout, 1-{TIMEOUT_MAX_MS} "
                            f"(default {TIMEOUT_DEFAULT_MS})")
        sp.add_argument("--max-rows", type=int, default=ROW_CAP_DEFAULT,
                        help=f"row cap, 1-{ROW_CAP_MAX} (default {ROW_CAP_DEFAULT}); a note "
                        "on standard error says when rows were cut")

    data_args(sub.add_parser("validate", help="check every source"))
    sp = sub.add_parser("build", help="validate and load into the embedded store")
    data_args(sp)
    sp.add_argument("--if-changed", action="store_true",
                    help="skip the rebuild when the served graph was built from the same "
                    "sources and code")
    sp.add_argument("--method", choices=("auto", "bulk", "cypher"), default="auto",
                    help="FalkorDB load path: GRAPH.BULK, batched Cypher, or by size (auto)")
    sp = sub.add_parser("query", help="run read-only Cypher (the console's rules)")
    sp.add_argument("cypher")
    out_args(sp)
    sp = sub.add_parser("run", help="run a named query from queries/")
    sp.add_argument("name")
    out_args(sp)
    sp = sub.add_parser("sparql", help="run SPARQL (a queries/*.rq name or text) on the RDF "
                        "mapping of the served graph")
    sp.add_argument("query")
    source_args(sp)
    out_args(sp)
    sp = sub.add_parser("queries", help="list the named queries")
    sp.add_argument("--format", choices=FORMATS, default="table")
    sp = sub.add_parser("export", help="export the served graph (or --from-sources)")
    source_args(sp)
    sp.add_argument("--format", default="jsonl",
                    choices=("jsonl", "graphml", "nodelink", "turtle", "jsonld", "bibtex",
                             "csv-nodes", "csv-edges"))
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
    sp.add_argument("--data", default=str(DATA_DIR),
                    help="data directory; releases go to DATA/civic/<release>/")
    sp.add_argument("--force", action="store_true", help="replace a stored release")
    sp.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    sp = sub.add_parser("db", help="manage the embedded FalkorDB server")
    sp.add_argument("action", choices=("start", "stop", "status"))
    _prep_parser(sub)
    return p


def _prep_parser(sub: argparse._SubParsersAction) -> None:
    """The ``prep`` command's flags (the sheet itself: `kg.sheets.cli.run_prep`)."""
    sp = sub.add_parser("prep", help="a tumour-board evidence sheet for a patient's situation")
    sp.add_argument("--drug", help="the ALK inhibitor the disease progressed on")
    sp.add_argument("--prior", action="append", help="an ALK inhibitor received before "
                    "(repeatable)")
    sp.add_argument("--progression", help="intracranial, extracranial or both")
    sp.add_argument("--pattern", help="oligoprogression or systemic")
    sp.add_argument("--lesions", help="number of progressing lesions (oligoprogression)")
    sp.add_argument("--alteration", action="append", help="an alteration found at progression, "
                    "as free text: G1202R, 'MET amplification' (repeatable)")
    sp.add_argument("--sample", help="tissue or plasma")
    sp.add_argument("--as-of", default="", help="only evidence published by this date "
                    "(YYYY-MM-DD, or 'letter')")
    sp.add_argument("--add", action="append", help="a claim or figure id to add to the sheet "
                    "(repeatable)")
    sp.add_argument("--format", default="markdown", help="markdown (default), pdf, json or "
                    "bibtex (exactly the works the sheet cites)")
    sp.add_argument("--out", default=None, help="write to this file (required for pdf)")


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs a command; each group of commands has its own module."""
    from kg import cli_admin, cli_graph, cli_query

    return {**cli_graph.COMMANDS, **cli_query.COMMANDS, **cli_admin.COMMANDS}[name]


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
    args.standalone = argv is None  # run as a program: `_watchdog` may end the process
    try:
        return _command(args.command)(args)
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
