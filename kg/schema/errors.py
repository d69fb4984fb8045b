"""Named errors of the evidence graph.

Every error raised on purpose by `kg` and `ingest` derives from `KGError`. Input errors carry
the file, the line (or record id) and what is wrong, so the CLI can print them and exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "KGError",
    "SchemaError",
    "IngestError",
    "InputProblem",
    "StoreError",
    "QueryError",
    "ReadOnlyViolation",
    "ExportError",
    "SourceMetaError",
    "ChecksumMismatch",
    "CountOutOfBounds",
]


class KGError(Exception):
    """Base of every error this project raises on purpose."""


class SchemaError(KGError):
    """The schema file itself, or a record checked against it, is inconsistent."""


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input: where it is and what is wrong.

    Parameters
    ----------
    file : str
        Path of the input file (as given by the user, or relative to the data dir).
    line : int or None
        1-based line number, when known.
    message : str
        What is wrong, in words a curator understands.
    record : str or None
        The record id (e.g. a claim id or a CIViC evidence id), when known.
    column : str or None
        Column name for tabular inputs.
    """

    file: str
    line: int | None
    message: str
    record: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.column:
            parts.append(f"column {self.column!r}")
        if self.record:
            parts.append(f"record {self.record!r}")
        return ": ".join(parts) + f": {self.message}"


class IngestError(KGError):
    """One or more input problems; nothing was loaded.

    Parameters
    ----------
    problems : list of InputProblem
        Every problem found (validation goes on past the first one where it can).
    """

    def __init__(self, problems: list[InputProblem] | InputProblem) -> None:
        if isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: list[InputProblem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceMetaError(KGError):
    """A source's metadata file (``ingest/<source>.yaml``) is missing, unreadable or wrong."""


class ChecksumMismatch(IngestError):
    """An input file's sha256 differs from the one its source's metadata records.

    Each problem names the file, the sha256 read and the sha256 expected.
    """


class CountOutOfBounds(IngestError):
    """A source yielded fewer or more nodes or edges than its metadata's bounds allow.

    Each problem names the source, the count and the bounds.
    """


class StoreError(KGError):
    """The graph database could not be started, reached or written."""


class QueryError(KGError):
    """A query failed: syntax, unknown name, bad parameter, or timeout."""


class ReadOnlyViolation(QueryError):
    """A write was attempted through a read-only entry point (console, `kg query`)."""


class ExportError(KGError):
    """An export was asked for in a format that does not exist."""
