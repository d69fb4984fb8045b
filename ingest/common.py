"""Helpers shared by the adapters: per-source metadata and its checks, figure parsing.

Every source has a metadata file ``ingest/<source>.yaml`` (`SourceMeta`). Besides the title,
licence and version, it records what the source's input is expected to look like: the sha256
of its input files (`check_sha256`) and bounds on how many nodes and edges its adapter yields
(`check_counts`); `check_source` applies both after an ingest. A source may say which input
these describe (``shipped_input``, e.g. ``data/curated``): a test fixture or another data
directory is then not checked against them.

Adapters import from `kg` only `kg.schema`, `kg.schema.records` and `kg.schema.errors`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.schema.errors import (
    ChecksumMismatch,
    CountOutOfBounds,
    InputProblem,
    SourceMetaError,
)
from kg.schema.records import EdgeRecord, NodeRecord, edge_id

__all__ = ["display_path", "SourceMeta", "load_meta", "parse_figure", "parse_percent",
           "sha256_of", "check_sha256", "check_counts", "check_source", "RecordSink",
           "NOT_REACHED", "REPO_ROOT"]

NOT_REACHED = frozenset({"NR", "NE", "not reached", "not estimable", "NA"})
_NUMBER = re.compile(r"^[<>≤≥]?\s*-?(\d+(\.\d+)?|\.\d+)(e-?\d+)?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: The repository root: ``shipped_input`` paths are relative to it.
REPO_ROOT = Path(__file__).resolve().parents[1]
_BOUNDS = ("min_nodes", "max_nodes", "min_edges", "max_edges")


@dataclass(frozen=True)
class SourceMeta:
    """A source's metadata, read from ``ingest/<source>.yaml``.

    Attributes mirror koza's DatasetDescription: `title`, `url`, `licence` (SPDX id or URL),
    `version`, `retrieved` (the date the input was obtained) and, for tabular sources, the
    expected `columns` (read by the importer) and `unused_columns` (known, not read; any
    other column is reported as a warning). The checks: `sha256` maps an input file's name to
    its expected sha256; `min_nodes`, `max_nodes`, `min_edges` and `max_edges` bound the
    records the adapter yields; `min_counts` is a per-source minimum (CIViC: data rows per
    file). `shipped_input`, a path relative to the repository root, names the input that
    `sha256` and the bounds describe; empty means every input of the source.
    """

    name: str
    title: str
    url: str
    licence: str
    version: str
    retrieved: str = ""
    description: str = ""
    shipped_input: str = ""
    sha256: dict[str, str] | None = None
    min_nodes: int | None = None
    max_nodes: int | None = None
    min_edges: int | None = None
    max_edges: int | None = None
    columns: dict[str, list[str]] | None = None
    unused_columns: dict[str, list[str]] | None = None
    min_counts: dict[str, int] | None = None

    def provenance(self, *, version: str | None = None) -> dict[str, str]:
        """Return the provenance properties every record of this source carries.

        Parameters
        ----------
        version : str, optional
            The version of the input actually read (e.g. a CIViC release date); defaults to
            `version`.

        Returns
        -------
        dict of str to str
            ``source``, ``source_version`` and ``licence``.
        """
        return {"source": self.name, "source_version": version or self.version,
                "licence": self.licence}

    def describes(self, path: Path | str) -> bool:
        """Return whether `path` is the input this metadata's checks describe.

        Parameters
        ----------
        path : pathlib.Path or str
            The file or directory an adapter read.

        Returns
        -------
        bool
            True when `shipped_input` is empty or names the same path as `path`.
        """
        if not self.shipped_input:
            return True
        return Path(path).resolve() == (REPO_ROOT / self.shipped_input).resolve()

    def for_fixture(self) -> SourceMeta:
        """Return a copy without the checks that describe a whole input, for small fixtures.

        Returns
        -------
        SourceMeta
            The same metadata with no `sha256`, no count bounds and no `min_counts`.
        """
        return dataclasses.replace(self, sha256=None, min_counts=None,
                                   **dict.fromkeys(_BOUNDS))


_META_KEYS = {f for f in SourceMeta.__dataclass_fields__}


def display_path(path: Path | str) -> str:
    """Return `path` relative to the working directory when it lies below it, for messages.

    Parameters
    ----------
    path : pathlib.Path or str

    Returns
    -------
    str
        The relative path, or `path` unchanged when it lies elsewhere.
    """
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def load_meta(name: str, *, directory: Path | None = None) -> SourceMeta:
    """Load ``ingest/<name>.yaml`` into a `SourceMeta`, refusing unknown keys and bad values.

    Parameters
    ----------
    name : str
        The adapter's stem, e.g. ``"curated"``.
    directory : pathlib.Path, optional
        Where the metadata file is; defaults to ``ingest/``.

    Returns
    -------
    SourceMeta

    Raises
    ------
    SourceMetaError
        The file is missing or not YAML, has keys `SourceMeta` does not declare, a sha256
        that is not 64 hex digits, or a count bound that is not a non-negative integer (or
        a minimum above its maximum).
    """
    path = (Path(directory) if directory else Path(__file__).parent) / f"{name}.yaml"
    shown = f"ingest/{path.name}" if directory is None else display_path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SourceMetaError(f"{shown}: cannot read the source metadata: {exc}") from exc
    if not isinstance(raw, dict):
        raise SourceMetaError(f"{shown}: the source metadata must be a mapping")
    unknown = set(raw) - _META_KEYS
    if unknown:
        raise SourceMetaError(f"{shown}: unknown metadata keys {sorted(unknown)}")
    for file, digest in (raw.get("sha256") or {}).items():
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise SourceMetaError(f"{shown}: sha256 of {file!r} is {digest!r}, not 64 "
                                  "lower-case hex digits")
    for key in _BOUNDS:
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 0):
            raise SourceMetaError(f"{shown}: {key} is {value!r}, not a non-negative integer")
    for what in ("nodes", "edges"):
        low, high = raw.get(f"min_{what}"), raw.get(f"max_{what}")
        if low is not None and high is not None and low > high:
            raise SourceMetaError(f"{shown}: min_{what} {low} is above max_{what} {high}")
    return SourceMeta(**raw)


def check_sha256(meta: SourceMeta, digests: Mapping[Path, str]) -> None:
    """Check the sha256 of every input file whose name the metadata lists.

    Files the metadata does not list (another release, another data file) are not checked.

    Parameters
    ----------
    meta : SourceMeta
        The source's metadata; its `sha256` maps file names to expected digests.
    digests : mapping of pathlib.Path to str
        Each file read and the hex sha256 of the bytes read.

    Returns
    -------
    None

    Raises
    ------
    ChecksumMismatch
        One problem per file whose sha256 differs, naming the file and both digests.
    """
    expected = meta.sha256 or {}
    problems = [
        InputProblem(display_path(path), None, (
            f"sha256 {digest} differs from {expected[path.name]} recorded for {path.name} in "
            f"ingest/{meta.name}.yaml: not the file this source was written against (a "
            "damaged, truncated or edited copy?)"))
        for path, digest in sorted(digests.items())
        if path.name in expected and digest != expected[path.name]]
    if problems:
        raise ChecksumMismatch(problems)


def check_counts(meta: SourceMeta, *, nodes: int, edges: int, where: str) -> None:
    """Check that a source yielded a number of nodes and edges within its metadata's bounds.

    Parameters
    ----------
    meta : SourceMeta
        The source's metadata (`min_nodes`, `max_nodes`, `min_edges`, `max_edges`; an absent
        bound is not checked).
    nodes, edges : int
        How many node and edge records the source's adapter yielded.
    where : str
        The input read (file or directory), for the message.

    Returns
    -------
    None

    Raises
    ------
    CountOutOfBounds
        A count below its minimum or above its maximum; the message names the source, the
        count and the bound.
    """
    problems: list[InputProblem] = []
    for what, count in (("nodes", nodes), ("edges", edges)):
        low, high = getattr(meta, f"min_{what}"), getattr(meta, f"max_{what}")
        if low is not None and count < low:
            problems.append(InputProblem(where, None, (
                f"source {meta.name!r} yielded {count} {what}, fewer than min_{what} {low} in "
                f"ingest/{meta.name}.yaml: a truncated or lost input, or records dropped?")))
        if high is not None and count > high:
            problems.append(InputProblem(where, None, (
                f"source {meta.name!r} yielded {count} {what}, more than max_{what} {high} in "
                f"ingest/{meta.name}.yaml: raise the bound if the input really grew")))
    if problems:
        raise CountOutOfBounds(problems)


def check_source(meta: SourceMeta, path: Path, *, nodes: int, edges: int) -> None:
    """Apply a source's metadata checks to one ingest: listed sha256, then count bounds.

    Nothing is checked when the metadata describes another input (`SourceMeta.describes`).

    Parameters
    ----------
    meta : SourceMeta
        The source's metadata.
    path : pathlib.Path
        The file or directory the adapter read; listed file names are looked up in it (a
        directory) or beside it (a file).
    nodes, edges : int
        How many node and edge records the adapter yielded.

    Returns
    -------
    None

    Raises
    ------
    ChecksumMismatch
        A listed file whose sha256 differs (see `check_sha256`).
    CountOutOfBounds
        A count outside the bounds (see `check_counts`).
    IngestError
        A file the metadata lists is not there.
    """
    path = Path(path)
    if not meta.describes(path):
        return
    folder = path if path.is_dir() else path.parent
    missing = [InputProblem(display_path(folder / name), None, f"listed in ingest/{meta.name}"
                            ".yaml (sha256) but not found") for name in (meta.sha256 or {})
               if not (folder / name).is_file()]
    if missing:
        raise ChecksumMismatch(missing)
    check_sha256(meta, {folder / name: sha256_of(folder / name) for name in meta.sha256 or {}})
    check_counts(meta, nodes=nodes, edges=edges, where=display_path(path))


class RecordSink:
    """Collects the records an adapter maps; the first record of an id wins.

    Parameters
    ----------
    provenance : mapping of str to str
        Properties every record carries (``source``, ``source_version``, ``licence``); its
        ``source`` also goes into every edge id.

    Attributes
    ----------
    nodes : dict of str to NodeRecord
    edges : dict of str to EdgeRecord
    """

    def __init__(self, provenance: Mapping[str, str]) -> None:
        self.provenance = dict(provenance)
        self.nodes: dict[str, NodeRecord] = {}
        self.edges: dict[str, EdgeRecord] = {}

    def node(self, nid: str, label: str, props: Mapping[str, Any], origin: str) -> None:
        """Add a node unless one of that id is there; empty property values are dropped.

        Parameters
        ----------
        nid, label : str
        props : mapping
        origin : str
            ``file:line`` of the input it comes from.

        Returns
        -------
        None
        """
        if nid in self.nodes:
            return
        clean = {k: v for k, v in props.items() if v not in (None, "", [])}
        self.nodes[nid] = NodeRecord(nid, label, {**self.provenance, **clean}, origin=origin)

    def edge(self, source: str, rtype: str, target: str, cite: Mapping[str, Any], origin: str,
             **extra: Any) -> None:
        """Add an edge citing a source record, unless the same edge of that record is there.

        Parameters
        ----------
        source, rtype, target : str
        cite : mapping
            At least ``source_record_id`` (the record cited), with e.g. ``source_url``.
        origin : str
            ``file:line`` of the input it comes from.
        **extra
            Qualifiers; empty values are dropped.

        Returns
        -------
        None
        """
        eid = edge_id(source, rtype, target, self.provenance["source"],
                      cite["source_record_id"])
        if eid in self.edges:
            return
        props = {**self.provenance, **cite,
                 **{k: v for k, v in extra.items() if v not in (None, "")}}
        self.edges[eid] = EdgeRecord(eid, source, target, rtype, props, origin=origin)


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

    Parameters
    ----------
    text : str
        A percentage as published.

    Returns
    -------
    float
        The fraction, rounded to 8 decimals.

    Raises
    ------
    ValueError
        Not a percentage between 0 and 100.

    Examples
    --------
    >>> parse_percent("95%")
    0.95
    """
    t = text.strip()
    if not t.endswith("%"):
        raise ValueError(f"CI level {text!r} must be a percentage such as '95%'")
    value = parse_figure(t[:-1])
    if value is None or not 0 < value < 100:
        raise ValueError(f"CI level {text!r} must lie between 0% and 100%")
    return round(value / 100, 8)


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file's bytes.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    str
        64 lower-case hex digits.

    Raises
    ------
    OSError
        The file cannot be read.
    """
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
