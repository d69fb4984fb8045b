"""The CIViC TSV format: file kinds, the dialect, checked tables of rows, cell splitting.

A CIViC release file is tab-separated, unquoted, strict UTF-8 (`CivicDialect`). `read_table`
decodes one file, checks its header against the columns the importer reads (a missing column
is an error; a column neither read nor known as unused is a warning), every row against the
header, the record id for uniqueness, and every cell for control characters, and returns a
`Table` of `Row` objects that know their line, with the sha256 of the bytes read. Every
problem names file, line and column; they are raised together as one `IngestError`.

The typed checks of the cells are in `ingest.civic_checks`; a whole release is read by
`ingest.civic_release.read_release`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.common import display_path
from ingest.textio import BAD_CHARS, bad_char
from kg.schema.errors import IngestError, InputProblem

__all__ = ["FILE_KINDS", "KEYS", "DIRECTIONS", "CivicDialect", "Row", "Table", "read_table",
           "split_cell", "split_commas", "split_ids", "DIGITS"]

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
#: A CIViC or NCBI id: ASCII digits.
DIGITS = re.compile(r"^[0-9]{1,12}$")


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
            bad_cell = next(((h, c) for h, c in zip(header, cells, strict=True)
                             if BAD_CHARS.search(c)), None)
            if bad_cell is not None:
                problems.append(InputProblem(
                    shown, line, f"{bad_char(bad_cell[1])} in the cell; CIViC text has none "
                    "(a damaged file?)", column=bad_cell[0]))
                continue
            row = Row(line, dict(zip(header, cells, strict=True)))
            if key is not None:
                value = row[key].strip()
                if not DIGITS.match(value):
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


def split_cell(cell: str, sep: str = ",") -> list[str]:
    """Split a CIViC list cell at a separator into its stripped, non-empty parts.

    `split_commas` and `split_ids` are this function with their separator;
    `ingest.civic_claims.split_therapies` calls it with its own.

    Parameters
    ----------
    cell : str
        The cell as read (``variant_ids``, ``aliases``, ``nct_ids``, ``therapies`` ...).
    sep : str, optional
        A regular expression: ``","`` (the default, `split_commas`) or ``"[,;]"``
        (`split_ids`: NCT ids are separated by both).

    Returns
    -------
    list of str
        The parts in their order; empty parts (a trailing separator, an empty cell) are
        dropped.

    Examples
    --------
    >>> split_commas("5, 4301,"), split_commas("")
    (['5', '4301'], [])
    >>> split_ids("NCT01970865; NCT00585195,")
    ['NCT01970865', 'NCT00585195']
    """
    return [p.strip() for p in re.split(sep, cell) if p.strip()]


#: Split a comma-separated cell (``variant_ids``, ``aliases``): `split_cell` with ``","``.
split_commas = functools.partial(split_cell, sep=",")
#: Split a cell of ids separated by commas or semicolons (``nct_ids``): `split_cell`.
split_ids = functools.partial(split_cell, sep=r"[,;]")
