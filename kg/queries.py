"""Named Cypher queries: the ``queries/*.cypher`` files and their headers.

Each file opens with a comment header::

    // title: What confers resistance to a drug?
    // description: Variants and mechanisms with a cited claim of resistance to $drug.
    // param: drug = drug:crizotinib
    // returns: subject, subject_label, claims, citations

Parameters are declared with an example value (JSON or text); `NamedQuery.example_params`
returns them, so every file can run as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.schema.errors import QueryError

__all__ = ["NamedQuery", "QUERIES_DIR", "list_queries", "load_query", "parse_query_file"]

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"
_FORBIDDEN = ("=~", "EXISTS {", "EXISTS{", "exists((")


@dataclass(frozen=True)
class NamedQuery:
    """A query file: name (file stem), header fields, text."""

    name: str
    title: str
    description: str
    text: str
    params: dict[str, Any] = field(default_factory=dict)
    returns: tuple[str, ...] = ()
    language: str = "cypher"

    def example_params(self) -> dict[str, Any]:
        """Return the example value of every declared parameter."""
        return dict(self.params)


def parse_query_file(path: Path) -> NamedQuery:
    """Parse one query file's header and body.

    Parameters
    ----------
    path : pathlib.Path
        A ``.cypher`` file (``//`` header comments) or a ``.rq`` SPARQL file (``#``).

    Returns
    -------
    NamedQuery
        Named after the file stem, with its whole text; the language follows the suffix.

    Raises
    ------
    QueryError
        No title, or a construct outside the portable subset (``=~``, ``EXISTS {}``,
        ``exists((...))``).
    """
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: dict[str, Any] = {}
    comment = "#" if path.suffix == ".rq" else "//"
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith(comment):
            continue
        body = s[len(comment):].strip()
        key, _, value = body.partition(":")
        key = key.strip().lower()
        if key == "param":
            name, _, example = value.partition("=")
            try:
                params[name.strip()] = json.loads(example.strip())
            except ValueError:
                params[name.strip()] = example.strip()
        elif key in ("title", "description", "returns"):
            header[key] = (header.get(key, "") + " " + value.strip()).strip()
    if "title" not in header:
        raise QueryError(f"{path}: the header lacks '{comment} title: ...'")
    if path.suffix == ".cypher":
        code = "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("//"))
        for bad in _FORBIDDEN:
            if bad.lower() in code.lower():
                raise QueryError(f"{path}: uses {bad!r}, outside the portable Cypher subset")
    return NamedQuery(
        name=path.stem, title=header["title"], description=header.get("description", ""),
        text=text, params=params,
        returns=tuple(c.strip() for c in header.get("returns", "").split(",") if c.strip()),
        language="sparql" if path.suffix == ".rq" else "cypher")


def list_queries(directory: Path = QUERIES_DIR, *, language: str = "cypher") -> list[NamedQuery]:
    """Return every named query of a language, sorted by file name.

    Parameters
    ----------
    directory : pathlib.Path, optional
        Where the query files live (default: the repository's ``queries/``).
    language : str, optional
        ``cypher`` (default, ``*.cypher``) or ``sparql`` (``*.rq``).

    Returns
    -------
    list of NamedQuery

    Raises
    ------
    QueryError
        A file without a title or outside the portable subset (see `parse_query_file`).
    """
    suffix = ".rq" if language == "sparql" else ".cypher"
    return [parse_query_file(p) for p in sorted(directory.glob(f"*{suffix}"))]


def load_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """Return the named query `name` (file stem, with or without the numeric prefix).

    Parameters
    ----------
    name : str
        E.g. ``20_label_counts`` or ``label_counts``.
    directory : pathlib.Path, optional
        Where the ``.cypher`` files live (default: the repository's ``queries/``).

    Returns
    -------
    NamedQuery

    Raises
    ------
    QueryError
        No such query.
    """
    for q in list_queries(directory):
        if name in (q.name, q.name.split("_", 1)[-1]):
            return q
    known = ", ".join(q.name for q in list_queries(directory))
    raise QueryError(f"no query named {name!r}; known: {known}")
