"""Adapter for ``data/references.bib``: one Publication node per BibTeX entry.

Parsed with bibtexparser v2. Problems (a block that does not parse, a duplicate key, an entry
without a title or year, a year that is not a number) are collected with their line numbers
and raised together as one `IngestError`.

Publication ids: ``PMID:<pmid>`` when the entry has a pmid, else ``DOI:<doi>``, else
``bib:<key>``. The same paper imported from CIViC by PubMed id therefore lands on the same
node.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import bibtexparser

from ingest.common import display_path, load_meta
from kg.schema.errors import IngestError, InputProblem
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = ["BibEntry", "BibtexAdapter", "parse_bibtex", "publication_id"]

_REQUIRED = ("title", "year")


@dataclass(frozen=True)
class BibEntry:
    """One parsed BibTeX entry with the line it starts on (1-based)."""

    key: str
    entry_type: str
    fields: dict[str, str]
    line: int


def _clean(value: str) -> str:
    value = re.sub(r"[{}]", "", value)
    return re.sub(r"\s+", " ", value).strip()


def publication_id(fields: dict[str, str], key: str) -> str:
    """Return the node id of a work: PMID, else DOI, else the bib key.

    Parameters
    ----------
    fields : dict of str to str
        The entry's fields, lower-case names (``pmid``, ``doi`` ...).
    key : str
        Its citation key.

    Returns
    -------
    str
        ``PMID:<pmid>``, ``DOI:<doi>`` or ``bib:<key>``.

    Examples
    --------
    >>> publication_id({"pmid": "31812890"}, "x")
    'PMID:31812890'
    >>> publication_id({"doi": "10.4103/CRST.CRST_72_20"}, "x")
    'DOI:10.4103/CRST.CRST_72_20'
    >>> publication_id({}, "x")
    'bib:x'
    """
    if fields.get("pmid"):
        return f"PMID:{fields['pmid'].strip()}"
    if fields.get("doi"):
        return f"DOI:{fields['doi'].strip()}"
    return f"bib:{key}"


def parse_bibtex(text: str, *, file: str = "references.bib") -> list[BibEntry]:
    """Parse BibTeX text into entries, or raise with every problem found.

    Parameters
    ----------
    text : str
        The file's contents.
    file : str, optional
        Name used in error messages.

    Returns
    -------
    list of BibEntry
        In file order.

    Raises
    ------
    IngestError
        Malformed blocks, duplicate keys, entries lacking title or year, non-numeric year.

    Examples
    --------
    >>> [e.key for e in parse_bibtex("@article{a, title={T}, year={2020}}")]
    ['a']
    """
    # bibtexparser logs each failed block itself; we report them with file:line instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    problems: list[InputProblem] = []
    for block in library.failed_blocks:
        kind = type(block).__name__
        line = (block.start_line or 0) + 1
        if kind == "DuplicateBlockKeyBlock":
            msg = f"duplicate citation key {getattr(block, 'key', '?')!r}"
        else:
            raw = (getattr(block, "raw", "") or "").strip().splitlines()
            head = raw[0][:60] if raw else ""
            msg = f"malformed BibTeX entry starting {head!r} (unbalanced braces or bad syntax)"
        problems.append(InputProblem(file, line, msg, record=getattr(block, "key", None)))
    entries: list[BibEntry] = []
    for entry in library.entries:
        fields = {k.lower(): _clean(str(f.value)) for k, f in entry.fields_dict.items()}
        line = entry.start_line + 1
        for name in _REQUIRED:
            if not fields.get(name):
                problems.append(InputProblem(file, line, f"entry lacks field {name!r}",
                                             record=entry.key))
        if fields.get("year") and not fields["year"].isdigit():
            problems.append(InputProblem(file, line, f"year {fields['year']!r} is not a number",
                                         record=entry.key))
        entries.append(BibEntry(entry.key, entry.entry_type.lower(), fields, line))
    if problems:
        raise IngestError(sorted(problems, key=lambda p: p.line or 0))
    return entries


def _short_name(fields: dict[str, str]) -> str:
    """'Nakagawa 2020'; without an author, the journal and year ('J Thorac Oncol 2016').

    Examples
    --------
    >>> _short_name({"author": "Nakagawa, Kazuhiko and others", "year": "2020"})
    'Nakagawa 2020'
    >>> _short_name({"journal": "Journal of Thoracic Oncology", "year": "2016"})
    'Journal of Thoracic Oncology 2016'
    """
    author = fields.get("author", "").strip()
    if not author:  # no author recorded: name the work by where it appeared, never 'Anonymous'
        where = fields.get("journal") or fields.get("booktitle") or fields.get("title", "")
        return f"{where} {fields.get('year', '')}".strip()
    first = author.split(" and ")[0]
    last = first.split(",")[0].strip() if "," in first else first.split(" ")[-1]
    return f"{last} {fields.get('year', '')}".strip()


class BibtexAdapter:
    """Yield Publication nodes from a BibTeX file.

    Parameters
    ----------
    path : pathlib.Path
        The ``.bib`` file.

    Raises
    ------
    IngestError
        On construction, when the file cannot be read or parsed (see `parse_bibtex`).
    """

    meta = load_meta("bibtex")

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problem = InputProblem(display_path(self.path), None, f"cannot read: {exc}")
            raise IngestError(problem) from exc
        self.entries = parse_bibtex(text, file=display_path(self.path))
        self.by_key = {e.key: e for e in self.entries}

    def node_id(self, key: str) -> str:
        """Return the Publication node id of a bib key.

        Parameters
        ----------
        key : str
            A citation key of the file.

        Returns
        -------
        str
            See `publication_id`.

        Raises
        ------
        KeyError
            `key` is not in the file.
        """
        entry = self.by_key[key]
        return publication_id(entry.fields, entry.key)

    def iter_nodes(self) -> Iterator[NodeRecord]:
        """Yield one Publication per entry."""
        prov = self.meta.provenance()
        for e in self.entries:
            f = e.fields
            authors = [a.strip() for a in f.get("author", "").split(" and ") if a.strip()]
            props = {
                **prov,
                "name": _short_name(f),
                "title": f["title"],
                "bib_key": e.key,
                "authors": authors,
                "year": int(f["year"]),
                "journal": f.get("journal") or f.get("booktitle"),
                "volume": f.get("volume"),
                "pages": f.get("pages"),
                "doi": f.get("doi"),
                "pmid": f.get("pmid"),
                "url": f.get("url") or (f"https://doi.org/{f['doi']}" if f.get("doi") else None),
                "entry_type": e.entry_type,
                "pub_kind": f.get("pubkind", "article"),
                "locator": "bibliographic record",
            }
            yield NodeRecord(publication_id(f, e.key), "Publication",
                             {k: v for k, v in props.items() if v is not None},
                             origin=f"{display_path(self.path)}:{e.line}")

    def iter_edges(self) -> Iterator[EdgeRecord]:
        """Yield nothing: citation links between works live in ``data/curated/citations.yaml``."""
        return iter(())
