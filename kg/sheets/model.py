"""What a tumour-board sheet is made of: plain, frozen data, rendered elsewhere.

A `Sheet` has a heading (the scenario in words, the notice that it states evidence and
ranks nothing), numbered `Section` s of `Block` s, each block holding `Item` s (a claim or a
published figure, every one with its `Citation`: reference, locator, source kind) and plain
lines (e.g. "not in the graph" statements), the works it cites (`Work`, for BibTeX) and a
`Footer` that records how to rebuild it. `kg.sheets.export` turns it into Markdown, JSON,
BibTeX and PDF; the browser page lays it out as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Citation", "CheckedWork", "Item", "Block", "Section", "Alteration", "Work",
           "Footer", "Sheet", "NOTICE"]

#: The line every sheet shows under its title.
NOTICE = ("This sheet states the evidence the graph holds for this situation, each item with "
          "its source. It does not rank treatments or recommend one: drugs are listed in "
          "alphabetical order, and an absence of evidence is stated, not weighed.")


@dataclass(frozen=True)
class Citation:
    """Where an item comes from: the work, the place in it, and the kind of source."""

    pub_id: str | None
    key: str  # the work's bib key (also its key in the sheet's BibTeX)
    text: str  # the formatted reference
    short: str  # e.g. 'Gainor 2016'
    url: str | None  # DOI, else PubMed, else the work's URL
    locator: str  # e.g. 'abstract (Results)', 'section 5.1', 'CIViC evidence item'
    source_kind: str  # e.g. 'journal abstract', 'regulatory label', 'CIViC evidence item'
    record_url: str | None = None  # where the item was read, when recorded (label, CIViC)


@dataclass(frozen=True)
class CheckedWork:
    """The citation check of one cited work: its verdict and what it reports in the graph."""

    citation: Citation
    verdict: str  # supported | not stated | not checkable
    verdict_text: str
    reports: tuple[str, ...]  # one line per figure or claim of the work
    supporting: tuple[str, ...]  # the lines of `reports` that support the claim


@dataclass(frozen=True)
class Item:
    """One piece of evidence on the sheet: a claim or a published figure."""

    kind: str  # 'claim' or 'figure'
    id: str
    text: str  # the claim's one-line summary, or the figure's trial and name
    detail: str  # claim: subject, predicate, object, direction, level; figure: value, arms
    quote: str  # verbatim from the source
    citation: Citation
    level: str = ""  # evidence level (claims)
    via: str = ""  # inherited evidence: 'via ALK kinase-domain mutation'
    conflicts: tuple[str, ...] = ()  # the conflicts this claim is a side of
    source: str = "curated"  # curated or civic
    checks: tuple[CheckedWork, ...] = ()  # citation check, for claims citing works


@dataclass(frozen=True)
class Block:
    """A titled group of items and plain lines inside a section."""

    title: str
    note: str = ""
    items: tuple[Item, ...] = ()
    lines: tuple[str, ...] = ()
    depth: int = 0  # 0: a heading under the section; 1: under the block before it


@dataclass(frozen=True)
class Section:
    """A numbered part of the sheet, following the letter's decision path."""

    key: str  # site, alterations, drugs, local_therapy, letter, basket, not_in_graph
    title: str
    intro: str
    blocks: tuple[Block, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item of every block, in order."""
        return tuple(i for b in self.blocks for i in b.items)

    @property
    def lines(self) -> tuple[str, ...]:
        """Every plain line of every block, in order."""
        return tuple(x for b in self.blocks for x in b.lines)


@dataclass(frozen=True)
class Alteration:
    """A detected alteration as typed, and what the graph knows it as (None: unknown)."""

    text: str
    node_id: str | None
    name: str
    label: str
    matched: str  # 'name', 'synonym', 'partial' or '' (not found)
    via: tuple[tuple[str, str], ...] = ()  # (id, name) of the groups it inherits from
    others: int = 0  # other nodes matching as well (for a partial match)


@dataclass(frozen=True)
class Work:
    """A work the sheet cites, with the properties its BibTeX entry is written from."""

    id: str
    key: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Footer:
    """What it takes to rebuild the same sheet."""

    scenario: dict[str, Any]
    command: str
    graph_version: str
    built_at: str
    as_of: str
    basket: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """A tumour-board evidence sheet: scenario, sections, cited works, footer."""

    title: str
    summary: str
    notice: str
    drug: tuple[str, str]  # (id, name) of the drug the disease progressed on
    prior: tuple[tuple[str, str], ...]
    alterations: tuple[Alteration, ...]
    sections: tuple[Section, ...]
    works: tuple[Work, ...]
    footer: Footer

    def section(self, key: str) -> Section | None:
        """Return the section with this key, or None when the sheet has none.

        Parameters
        ----------
        key : str
            E.g. ``'drugs'`` or ``'not_in_graph'``.

        Returns
        -------
        Section or None
        """
        return next((s for s in self.sections if s.key == key), None)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item of the sheet, in order."""
        return tuple(i for s in self.sections for i in s.items)
