"""``python -m kg prep``: a tumour-board sheet from the command line.

The flags mirror the browser's ``/prep`` page::

    python -m kg prep --drug alectinib --prior crizotinib --progression extracranial \\
        --pattern systemic --alteration G1202R --sample tissue --format pdf --out sheet.pdf

An invalid scenario prints one line per problem, each naming its field, and exits 2; a
missing graph exits 1 (`kg.cli.main` prints the `StoreError`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.schema.errors import StoreError

__all__ = ["EXIT_OK", "EXIT_INVALID", "run_prep", "scenario_from_args"]

EXIT_OK, EXIT_INVALID = 0, 2


def scenario_from_args(args: argparse.Namespace) -> dict:
    """Return the scenario fields of parsed ``prep`` arguments.

    Parameters
    ----------
    args : argparse.Namespace
        From the ``prep`` sub-parser of ``python -m kg``.

    Returns
    -------
    dict
        The fields `kg.sheets.Scenario.parse` reads.
    """
    return {"drug": args.drug, "prior": args.prior or [], "progression": args.progression,
            "pattern": args.pattern, "lesions": args.lesions,
            "alterations": args.alteration or [], "sample": args.sample,
            "as_of": args.as_of}


def run_prep(args: argparse.Namespace) -> int:
    """Build the sheet of the scenario in `args` on the served graph and write it.

    Parameters
    ----------
    args : argparse.Namespace
        ``drug``, ``prior``, ``progression``, ``pattern``, ``lesions``, ``alteration``,
        ``sample``, ``as_of``, ``add``, ``format``, ``out``, ``store``, ``state_dir``.

    Returns
    -------
    int
        0 when written; 2 when the scenario (or ``--format``/``--out``) is invalid, after
        printing each problem as ``field: what is wrong``.

    Raises
    ------
    StoreError
        No graph is loaded, or the store cannot be reached.
    """
    from kg.sheets import FORMATS, Scenario, ScenarioError, prep_sheet, render
    from kg.store import open_store
    from kg.views import store_runner

    problems: list[str] = []
    if args.format not in FORMATS:
        problems.append(f"format: expected one of {', '.join(FORMATS)}, not {args.format!r}")
    if args.format == "pdf" and not args.out:
        problems.append("out: a PDF is binary; give the file to write with --out FILE")
    try:
        scenario = Scenario.parse(scenario_from_args(args))
    except ScenarioError as exc:
        problems += exc.problems
        scenario = None
    if problems or scenario is None:
        return _invalid(problems)
    store = open_store(args.store, state_dir=args.state_dir)
    try:
        version = store.graph_version()
        if not version:
            raise StoreError("no graph is loaded; run `python -m kg build` first")
        meta = store.meta() if hasattr(store, "meta") else {}
        try:
            sheet = prep_sheet(store_runner(store), scenario=scenario, basket=args.add or [],
                               graph_version=version, built_at=str(meta.get("built_at") or ""))
        except ScenarioError as exc:
            return _invalid(exc.problems)
    finally:
        store.close()
    out = render(sheet, args.format)
    if args.out:
        path = Path(args.out)
        if isinstance(out, bytes):
            path.write_bytes(out)
        else:
            path.write_text(out, encoding="utf-8")
        print(f"wrote {path} ({args.format}, {len(sheet.items)} items, {len(sheet.works)} "
              "works cited)", file=sys.stderr)
    else:
        sys.stdout.write(out if isinstance(out, str) else out.decode("latin-1"))
    return EXIT_OK


def _invalid(problems: list[str]) -> int:
    print(f"invalid scenario: {len(problems)} problem(s)", file=sys.stderr)
    for p in problems:
        print(f"  {p}", file=sys.stderr)
    return EXIT_INVALID
