"""Test helpers: copies of the mini fixture data directory that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def mini_copy(tmp_path: Path) -> Path:
    """Copy the mini data directory (references.bib + curated/) under tmp_path; return it."""
    dest = tmp_path / "data"
    shutil.copytree(MINI, dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must occur) by `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based line of the first occurrence of `needle` in a file."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def export_hash(store) -> str:  # noqa: ANN001 - a FalkorStore (or any GraphStore)
    """The sha256 of everything the store serves: every node and edge with its properties.

    Two stores with the same export hash serve the same graph; it is computed from the
    server's answers, not from the graph's recorded version.
    """
    import hashlib
    import json

    nodes = store.query("MATCH (n) RETURN n.id, labels(n), properties(n) ORDER BY n.id",
                        timeout_ms=10_000).rows
    edges = store.query("MATCH (a)-[r]->(b) RETURN r.id, type(r), a.id, b.id, properties(r) "
                        "ORDER BY r.id", timeout_ms=10_000).rows
    text = json.dumps([store.graph_version(), nodes, edges], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
