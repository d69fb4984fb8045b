"""Helpers shared by the adapters: per-source metadata and figure parsing.

Adapters import from `kg` only `kg.schema`, `kg.schema.records` and `kg.schema.errors`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.schema.errors import KGError

__all__ = ["display_path", "SourceMeta", "load_meta", "parse_figure", "parse_percent",
           "sha256_of", "NOT_REACHED"]

NOT_REACHED = frozenset({"NR", "NE", "not reached", "not estimable", "NA"})
_NUMBER = re.compile(r"^[<>≤≥]?\s*-?(\d+(\.\d+)?|\.\d+)(e-?\d+)?$")


@dataclass(frozen=True)
class SourceMeta:
    """A source's metadata, read from ``ingest/<source>.yaml``.

    Attributes mirror koza's DatasetDescription: `title`, `url`, `licence` (SPDX id or URL),
    `version`, `retrieved` and, for tabular sources, the expected `columns`.
    """

    name: str
    title: str
    url: str
    licence: str
    version: str
    retrieved: str = ""
    description: str = ""
    columns: dict[str, list[str]] | None = None
    min_counts: dict[str, int] | None = None

    def provenance(self, *, version: str | None = None) -> dict[str, str]:
        """Return the provenance properties every record of this source carries."""
        return {"source": self.name, "source_version": version or self.version,
                "licence": self.licence}


_META_KEYS = {f for f in SourceMeta.__dataclass_fields__}


def display_path(path: Path | str) -> str:
    """Return `path` relative to the working directory when it lies below it, for messages."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def load_meta(name: str) -> SourceMeta:
    """Load ``ingest/<name>.yaml`` into a `SourceMeta`, refusing unknown keys.

    Parameters
    ----------
    name : str
        The adapter's stem, e.g. ``"curated"``.

    Returns
    -------
    SourceMeta

    Raises
    ------
    KGError
        The file is missing or has keys `SourceMeta` does not declare.
    """
    path = Path(__file__).with_name(f"{name}.yaml")
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(raw) - _META_KEYS
    if unknown:
        raise KGError(f"{path}: unknown metadata keys {sorted(unknown)}")
    return SourceMeta(**raw)


def parse_figure(text: str) -> float | None:
    """Parse a published figure's text into a float, or None for NR/NE.

    Parameters
    ----------
    text : str
        As published: ``"34.1"``, ``"0.37"``, ``"<0.0001"``, ``"NR"``, ``"82.9%"``.

    Returns
    -------
    float or None
        The number (a leading ``<``/``>`` is dropped: the text keeps it); None when the text
        says not reached / not estimable.

    Raises
    ------
    ValueError
        The text is not a figure.

    Examples
    --------
    >>> parse_figure("34.1"), parse_figure("<0.0001"), parse_figure("NR"), parse_figure("<.001")
    (34.1, 0.0001, None, 0.001)
    """
    t = text.strip().replace("\u2212", "-").replace("·", ".")
    if t in NOT_REACHED:
        return None
    t = t.rstrip("%").strip()
    if not _NUMBER.match(t):
        raise ValueError(f"figure text {text!r} is not a number (nor NR/NE)")
    return float(t.lstrip("<>≤≥ "))


def parse_percent(text: str) -> float:
    """Parse a CI level such as ``"95%"`` into a fraction (0.95).

    Raises
    ------
    ValueError
        Not a percentage between 0 and 100.
    """
    t = text.strip()
    if not t.endswith("%"):
        raise ValueError(f"CI level {text!r} must be a percentage such as '95%'")
    value = parse_figure(t[:-1])
    if value is None or not 0 < value < 100:
        raise ValueError(f"CI level {text!r} must lie between 0% and 100%")
    return round(value / 100, 8)


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
