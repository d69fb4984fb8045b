"""Read and check one CIViC monthly release: the five ``*-...Summaries.tsv`` files.

A release directory holds, for one release date (e.g. ``01-Aug-2024``, read from the file
names by `find_release_files`), ``<release>-ClinicalEvidenceSummaries.tsv``,
``-VariantSummaries.tsv``, ``-MolecularProfileSummaries.tsv``, ``-GeneSummaries.tsv`` and
``-AssertionSummaries.tsv``. Each is decoded as strict UTF-8 and parsed with `CivicDialect`
(tab, no quoting, strict) into a `Table` of `Row` objects that know their line, with the
sha256 of the bytes read. Headers are checked against ``ingest/civic.yaml`` (a missing column
is an error; a column neither read nor known as unused is a warning), rows against the header,
ids for uniqueness and typed fields for form (`read_release`). All problems name file, line
and column and are raised together as one `IngestError`. The rows are mapped by
`ingest.civic_map`; `ingest.civic.CivicAdapter` puts both together.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
]

log = logging.getLogger(__name__)

FILE_KINDS = ("ClinicalEvidenceSummaries", "VariantSummaries", "MolecularProfileSummaries",
              "GeneSummaries", "AssertionSummaries")
#: The record id column of each file kind.
KEYS = {"ClinicalEvidenceSummaries": "evidence_id", "VariantSummaries": "variant_id",
        "MolecularProfileSummaries": "molecular_profile_id", "GeneSummaries": "gene_id",
        "AssertionSummaries": "assertion_id"}
#: CIViC evidence and assertion directions -> the graph's claim directions.
DIRECTIONS = {"Supports": "supports", "Does Not Support": "does_not_support",
              "N/A": "not_applicable"}
_MAX_PROBLEMS_PER_FILE = 25
_NCT = re.compile(r"^NCT\d{8}$")


class CivicDialect(csv.Dialect):
    """The CIViC TSV dialect: tab-delimited, unquoted, one record per line."""

    delimiter = "\t"
    quoting = csv.QUOTE_NONE
    quotechar = None
    escapechar = None
    doublequote = False
    skipinitialspace = False
    lineterminator = "\n"
    strict = True


@dataclass(frozen=True)
class Row:
    """One data row of a TSV: its 1-based line number and its cells by column name.

    ``row["evidence_id"]`` is the cell of that column; `Table.origin` gives ``file:line``.
    """

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]


@dataclass(frozen=True)
class Table:
    """A parsed, checked TSV file: where it is, its header, rows, checksum and warnings."""

    path: Path
    display: str
    header: tuple[str, ...]
    rows: list[Row]
    sha256: str
    warnings: tuple[str, ...] = ()

    def origin(self, row: Row) -> str:
        """Return ``file:line`` of a row, for records and messages.

        Parameters
        ----------
        row : Row
            A row of this table.

        Returns
        -------
        str
        """
        return f"{self.display}:{row.line}"


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


def _decode(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = data.count(b"\n", 0, pos) + 1
        line_start = data.rfind(b"\n", 0, pos) + 1
        field_no = data.count(b"\t", line_start, pos)
        header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
        names = header.split("\t")
        column = names[field_no] if field_no < len(names) else f"field {field_no + 1}"
        raise IngestError(InputProblem(
            shown, line, f"byte 0x{data[pos]:02x} (file offset {pos}) is not valid UTF-8; "
            "CIViC releases are UTF-8: re-download the file or re-save it as UTF-8",
            column=column)) from exc
    return text.removeprefix("\ufeff")


def read_table(path: Path, columns: Sequence[str], *, key: str | None = None,
               unused: Sequence[str] = ()) -> Table:
    """Read and check one CIViC TSV file.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    columns : sequence of str
        Columns that must be in the header.
    key : str, optional
        A column whose values must be unique positive integers (the record id).
    unused : sequence of str, optional
        Columns the file is known to have and the importer does not read. Any column in
        neither `columns` nor `unused` is a new one: a warning in ``Table.warnings``.

    Returns
    -------
    Table

    Raises
    ------
    IngestError
        Not UTF-8, not tab-separated, a missing column, a row with too few or too many
        fields, a duplicate or non-integer key; each problem names the file, the line and
        the column.

    See Also
    --------
    read_release
    """
    shown = display_path(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(InputProblem(shown, None, f"cannot read: {exc}")) from exc
    digest = hashlib.sha256(data).hexdigest()
    text = _decode(data, shown)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, min(sys.maxsize, 1 << 28)))
    reader = csv.reader(io.StringIO(text, newline=""), dialect=CivicDialect)
    try:
        header = tuple(h.strip() for h in next(reader))
    except StopIteration:
        raise IngestError(InputProblem(shown, 1, "empty file: no header line")) from None
    except csv.Error as exc:
        raise IngestError(InputProblem(shown, 1, f"unreadable header: {exc}")) from exc
    problems: list[InputProblem] = []
    if len(header) == 1 and ("," in header[0] or ";" in header[0]):
        sep = "," if "," in header[0] else ";"
        raise IngestError(InputProblem(
            shown, 1, f"not tab-separated: the header line has no tab but "
            f"{header[0].count(sep)} {sep!r} (wrong delimiter?); CIViC releases are TSV",
            column=columns[0] if columns else None))
    missing = [c for c in columns if c not in header]
    for c in missing:
        problems.append(InputProblem(shown, 1, f"missing column {c!r} (expected by "
                                     f"ingest/civic.yaml)", column=c))
    dupes = sorted({h for h in header if header.count(h) > 1})
    for c in dupes:
        problems.append(InputProblem(shown, 1, f"column {c!r} appears twice in the header",
                                     column=c))
    warnings = tuple(
        f"{shown}:1: column {h!r} is new: neither read nor listed as unused in "
        "ingest/civic.yaml (a change of the CIViC release format?); it is not imported"
        for h in header if h not in columns and h not in unused)
    if problems:
        raise IngestError(problems)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    more = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or cells == [""]:
                continue
            if len(problems) >= _MAX_PROBLEMS_PER_FILE:
                more += 1
                continue
            if len(cells) != len(header):
                if len(cells) < len(header):
                    problems.append(InputProblem(
                        shown, line, f"row has {len(cells)} tab-separated fields, the header "
                        f"has {len(header)}: truncated row (column {header[len(cells)]!r} "
                        f"and the {len(header) - len(cells) - 1} after it are missing)",
                        column=header[len(cells)]))
                else:
                    problems.append(InputProblem(
                        shown, line, f"row has {len(cells)} tab-separated fields, the header "
                        f"has {len(header)}: a stray tab inside a field?",
                        column=f"field {len(header) + 1}"))
                continue
            row = Row(line, dict(zip(header, cells, strict=True)))
            if key is not None:
                value = row[key].strip()
                if not value.isdigit():
                    problems.append(InputProblem(shown, line, f"{key} {value!r} is not a "
                                                 "positive integer", column=key))
                    continue
                if value in seen:
                    problems.append(InputProblem(
                        shown, line, f"duplicate {key} {value} (first on line {seen[value]})",
                        record=value, column=key))
                    continue
                seen[value] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(InputProblem(shown, reader.line_num, f"unreadable row: {exc}"))
    if more:
        problems.append(InputProblem(shown, None, f"... and {more} more rows not checked "
                                     "after the first problems"))
    if problems:
        raise IngestError(problems)
    return Table(Path(path), shown, header, rows, digest, warnings)


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
    problems.extend(_check_fields(out))
    for w in out.warnings:
        log.warning("%s", w)
    if problems:
        raise IngestError(problems)
    return out


def read_evidence(directory: Path) -> tuple[str, dict[int, dict[str, str]]]:
    """Read only the evidence file of a release, checked, keyed by evidence id.

    Used by ``python -m kg civic-diff``; the header check and row checks of `read_table`
    apply (a new column is logged as a warning), the cross-file checks and minimum counts of
    `read_release` do not.

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
        As `read_table`.
    """
    meta = load_meta("civic")
    release, paths = find_release_files(Path(directory))
    kind = "ClinicalEvidenceSummaries"
    table = read_table(paths[kind], (meta.columns or {})[kind], key=KEYS[kind],
                       unused=(meta.unused_columns or {}).get(kind, []))
    for w in table.warnings:
        log.warning("%s", w)
    return release, {int(r["evidence_id"]): dict(r.cells) for r in table.rows}


def _check_fields(rel: CivicRelease) -> list[InputProblem]:
    problems: list[InputProblem] = []
    ev = rel.tables["ClinicalEvidenceSummaries"]
    mp = rel.tables["MolecularProfileSummaries"]
    vs = rel.tables["VariantSummaries"]
    genes = rel.tables["GeneSummaries"]
    as_ = rel.tables["AssertionSummaries"]
    mp_ids = {r["molecular_profile_id"] for r in mp.rows}
    v_ids = {r["variant_id"] for r in vs.rows}

    def bad(t: Table, r: Row, column: str, message: str) -> None:
        key = KEYS[next(k for k, v in rel.tables.items() if v is t)]
        problems.append(InputProblem(t.display, r.line, message, record=r[key], column=column))

    for r in ev.rows:
        if r["evidence_level"] not in ("A", "B", "C", "D", "E"):
            bad(ev, r, "evidence_level", f"evidence level {r['evidence_level']!r} is not A-E")
        if r["evidence_direction"] not in DIRECTIONS:
            bad(ev, r, "evidence_direction", f"direction {r['evidence_direction']!r} is not "
                f"one of {', '.join(DIRECTIONS)}")
        if r["rating"] and not (r["rating"].isdigit() and 1 <= int(r["rating"]) <= 5):
            bad(ev, r, "rating", f"rating {r['rating']!r} is not 1-5")
        if r["doid"] and not r["doid"].isdigit():
            bad(ev, r, "doid", f"DOID {r['doid']!r} is not a number")
        if r["molecular_profile_id"] not in mp_ids:
            rel.warnings.append(f"{ev.display}:{r.line}: EID{r['evidence_id']} names molecular "
                                f"profile {r['molecular_profile_id']}, which is not in "
                                f"{mp.display}; imported as a stub profile")
        if not r["evidence_civic_url"].startswith("http"):
            bad(ev, r, "evidence_civic_url", "no evidence URL")
        if not r["evidence_type"]:
            bad(ev, r, "evidence_type", "no evidence type")
        if not r["citation_id"]:
            bad(ev, r, "citation_id", "no citation id")
        for nct in split_ids(r["nct_ids"]):
            if not _NCT.match(nct):
                bad(ev, r, "nct_ids", f"{nct!r} is not an NCT id (NCT + 8 digits)")
    for r in mp.rows:
        ids = split_commas(r["variant_ids"])
        if not ids:
            bad(mp, r, "variant_ids", "molecular profile without variants")
        for vid in ids:
            if not vid.isdigit():
                bad(mp, r, "variant_ids", f"variant id {vid!r} is not a number")
            elif vid not in v_ids:
                rel.warnings.append(f"{mp.display}:{r.line}: molecular profile "
                                    f"{r['molecular_profile_id']} ({r['name']}) names variant "
                                    f"{vid}, which is not in {vs.display} (a CIViC 'factor'?); "
                                    "imported as a variant without a gene")
    for r in vs.rows:
        if not r["gene"].strip():
            bad(vs, r, "gene", "variant without a gene")
        if not r["variant"].strip():
            bad(vs, r, "variant", "variant without a name")
    for r in genes.rows:
        if not r["name"].strip():
            bad(genes, r, "name", "gene without a symbol")
    for r in as_.rows:
        if r["molecular_profile_id"] not in mp_ids:
            rel.warnings.append(f"{as_.display}:{r.line}: AID{r['assertion_id']} names "
                                f"molecular profile {r['molecular_profile_id']}, which is not "
                                f"in {mp.display}; imported as a stub profile")
        for e in split_commas(r["evidence_item_ids"]):
            if not e.isdigit():
                bad(as_, r, "evidence_item_ids", f"evidence id {e!r} is not a number")
    return problems



def split_commas(cell: str) -> list[str]:
    """Split a comma-separated cell into its stripped, non-empty parts.

    Parameters
    ----------
    cell : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_commas("5, 4301,"), split_commas("")
    (['5', '4301'], [])
    """
    return [p.strip() for p in cell.split(",") if p.strip()]


def split_ids(cell: str) -> list[str]:
    """Split a cell of ids separated by commas or semicolons (NCT ids use both).

    Parameters
    ----------
    cell : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_ids("NCT01970865; NCT00585195,")
    ['NCT01970865', 'NCT00585195']
    """
    return [p.strip() for p in re.split(r"[,;]", cell) if p.strip()]
