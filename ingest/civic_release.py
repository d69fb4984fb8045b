"""Read and check one CIViC monthly release: the five ``*-...Summaries.tsv`` files.

A release directory holds, for one release date (e.g. ``01-Aug-2024``, read from the file
names by `find_release_files`), ``<release>-ClinicalEvidenceSummaries.tsv``,
``-VariantSummaries.tsv``, ``-MolecularProfileSummaries.tsv``, ``-GeneSummaries.tsv`` and
``-AssertionSummaries.tsv``. Each is read by `ingest.civic_tsv.read_table` (strict UTF-8,
`CivicDialect`, header checked against ``ingest/civic.yaml``: a missing column is an error, a
column neither read nor known as unused is a warning; rows against the header, ids for
uniqueness) and its typed fields are checked by `ingest.civic_checks` (`read_release`). All
problems name file, line and column and are raised together as one `IngestError`. The rows
are mapped by `ingest.civic_map`; `ingest.civic.CivicAdapter` puts both together.

The names of the TSV reader and of the checks stay importable from here, as before the
reader (`ingest.civic_tsv`) and the checks (`ingest.civic_checks`) had modules of their own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ingest.civic_checks import ENUMS, check_release, check_types
from ingest.civic_tsv import (
    DIRECTIONS,
    FILE_KINDS,
    KEYS,
    CivicDialect,
    Row,
    Table,
    read_table,
    split_commas,
    split_ids,
)
from ingest.common import SourceMeta, display_path, load_meta
from kg.schema.errors import IngestError, InputProblem

__all__ = [
    "FILE_KINDS",
    "KEYS",
    "DIRECTIONS",
    "CivicDialect",
    "Row",
    "Table",
    "CivicRelease",
    "find_release_files",
    "read_table",
    "read_release",
    "read_evidence",
    "split_commas",
    "split_ids",
    "check_types",
    "ENUMS",
]

log = logging.getLogger(__name__)


@dataclass
class CivicRelease:
    """The five checked tables of one release, with the release name and its warnings.

    `warnings` lists what was tolerated (``file:line: what``): a new column, a profile
    naming a variant the variant file lacks, evidence on a profile the profile file lacks.
    """

    directory: Path
    release: str
    tables: dict[str, Table] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def find_release_files(directory: Path) -> tuple[str, dict[str, Path]]:
    """Find the five summary files of one release in a directory.

    Parameters
    ----------
    directory : pathlib.Path
        A CIViC monthly release directory.

    Returns
    -------
    tuple of (str, dict)
        The release name (file-name prefix, e.g. ``01-Aug-2024``) and the path of each
        file kind in `FILE_KINDS`.

    Raises
    ------
    IngestError
        Not a directory, a file kind missing or present twice, or files of two releases.
    """
    directory = Path(directory)
    shown = display_path(directory)
    if not directory.is_dir():
        raise IngestError(InputProblem(shown, None, "CIViC release directory not found"))
    problems: list[InputProblem] = []
    paths: dict[str, Path] = {}
    releases: set[str] = set()
    for kind in FILE_KINDS:
        found = sorted(directory.glob(f"*-{kind}.tsv"))
        if len(found) != 1:
            what = "no" if not found else f"{len(found)}"
            problems.append(InputProblem(shown, None, f"{what} *-{kind}.tsv file(s); a release "
                                         f"directory holds exactly one of each of "
                                         f"{', '.join(FILE_KINDS)}"))
            continue
        paths[kind] = found[0]
        releases.add(found[0].name[: -len(f"-{kind}.tsv")])
    if len(releases) > 1:
        problems.append(InputProblem(shown, None, f"files of several releases: "
                                     f"{', '.join(sorted(releases))}"))
    if problems:
        raise IngestError(problems)
    return releases.pop(), paths



def read_release(directory: Path, *, meta: SourceMeta | None = None,
                 min_counts: dict[str, int] | None = None) -> CivicRelease:
    """Read and cross-check the five summary files of one CIViC release.

    Parameters
    ----------
    directory : pathlib.Path
        The release directory.
    meta : SourceMeta, optional
        Defaults to ``ingest/civic.yaml`` (expected and known unused columns, minimum row
        counts).
    min_counts : dict, optional
        Minimum data rows per file kind; defaults to ``meta.min_counts``. Pass ``{}`` to
        skip the check (small test fixtures).

    Returns
    -------
    CivicRelease
        Its `warnings` (also logged at WARNING level, so the CLI prints them on stderr) list
        the new columns and the tolerated inconsistencies.

    Raises
    ------
    IngestError
        Every problem in every file (see `read_table`), typed fields that do not parse,
        references to unknown molecular profiles or variants, and files with fewer rows
        than the minimum.
    """
    meta = meta or load_meta("civic")
    release, paths = find_release_files(Path(directory))
    out = CivicRelease(Path(directory), release)
    problems: list[InputProblem] = []
    for kind in FILE_KINDS:
        try:
            out.tables[kind] = read_table(paths[kind], (meta.columns or {}).get(kind, []),
                                          key=KEYS[kind],
                                          unused=(meta.unused_columns or {}).get(kind, []))
        except IngestError as exc:
            problems.extend(exc.problems)
    if problems:
        raise IngestError(problems)
    for kind in FILE_KINDS:
        out.warnings.extend(out.tables[kind].warnings)
    counts = meta.min_counts if min_counts is None else min_counts
    for kind, minimum in (counts or {}).items():
        t = out.tables[kind]
        if len(t.rows) < minimum:
            problems.append(InputProblem(t.display, None, f"only {len(t.rows)} data rows; a "
                                         f"whole release has at least {minimum} "
                                         "(ingest/civic.yaml min_counts): truncated file?"))
    problems.extend(check_release(out))
    for w in out.warnings:
        log.warning("%s", w)
    if problems:
        raise IngestError(problems)
    return out


def read_evidence(directory: Path) -> tuple[str, dict[int, dict[str, str]]]:
    """Read only the evidence file of a release, checked, keyed by evidence id.

    Used by ``python -m kg civic-diff``; the header check and row checks of `read_table` and
    the typed cells of `check_types` apply (a new column is logged as a warning), the
    cross-file checks and minimum counts of `read_release` do not.

    Parameters
    ----------
    directory : pathlib.Path
        A CIViC release directory.

    Returns
    -------
    tuple of (str, dict)
        The release name and ``{evidence_id: {column: value}}``.

    Raises
    ------
    IngestError
        As `read_table`, and cells of the wrong type (`check_types`).
    """
    meta = load_meta("civic")
    release, paths = find_release_files(Path(directory))
    kind = "ClinicalEvidenceSummaries"
    table = read_table(paths[kind], (meta.columns or {})[kind], key=KEYS[kind],
                       unused=(meta.unused_columns or {}).get(kind, []))
    problems = [InputProblem(table.display, r.line, message, record=r[KEYS[kind]],
                             column=column)
                for r in table.rows for column, message in check_types(kind, table.header, r)]
    if problems:
        raise IngestError(problems)
    for w in table.warnings:
        log.warning("%s", w)
    return release, {int(r["evidence_id"]): dict(r.cells) for r in table.rows}
