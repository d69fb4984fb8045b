"""Claim cards: a claim as a trainee reads it, with its level, citation, locator and quote.

Entity pages, matrix cells and claim pages all show claims through `claim_cards`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kg.schema import load_schema
from kg.views.base import Runner, evidence_source
from kg.views.references import Reference, format_reference

__all__ = ["LEVEL_MEANING", "ClaimCard", "claim_cards"]

#: Evidence level -> a word for the screen, from the schema's claim semantics.
LEVEL_MEANING: dict[str, str] = dict(load_schema().semantics.level_short)


@dataclass(frozen=True)
class ClaimCard:
    """A claim as shown to a trainee: what, how strongly, who says so, where, in which words."""

    id: str
    name: str
    predicate: str
    direction: str
    evidence_level: str
    source: str
    subjects: tuple[dict[str, Any], ...]
    objects: tuple[dict[str, Any], ...]
    reference: Reference
    locator: str
    quote: str
    statement: str = ""
    cited: tuple[Reference, ...] = ()
    outcomes: tuple[dict[str, Any], ...] = ()
    conflicts: tuple[dict[str, Any], ...] = ()
    source_url: str | None = None
    source_kind: str | None = None
    source_record_id: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def level_text(self) -> str:
        """``'B (clinical)'``."""
        meaning = LEVEL_MEANING.get(self.evidence_level)
        return f"{self.evidence_level} ({meaning})" if meaning else (self.evidence_level or "?")


def _card(row: Mapping[str, Any]) -> ClaimCard:
    c = row["claim"] or {}
    src = evidence_source(c)
    ref = format_reference(row.get("publication"), pmid=c.get("pmid"), url=c.get("source_url"))
    cited = tuple(format_reference(x) for x in (row.get("cited") or []))
    extra = tuple((k, str(c[k])) for k in ("evidence_type", "significance",
                                           "therapy_interaction", "rating", "status",
                                           "variant_origin") if c.get(k) not in (None, ""))
    return ClaimCard(
        id=row["claim_id"], name=str(c.get("name") or row["claim_id"]),
        predicate=str(c.get("predicate") or ""), direction=str(c.get("direction") or ""),
        evidence_level=str(c.get("evidence_level") or ""), source=src,
        subjects=tuple(row.get("subjects") or ()), objects=tuple(row.get("objects") or ()),
        reference=ref, locator=str(c.get("locator") or ("CIViC evidence item"
                                                        if src == "civic" else "")),
        quote=str(c.get("quote") or ""), statement=str(c.get("statement") or ""),
        cited=cited, outcomes=tuple(row.get("outcomes") or ()),
        conflicts=tuple(row.get("conflicts") or ()), source_url=c.get("source_url"),
        source_kind=c.get("source_kind"),
        source_record_id=c.get("source_record_id"), extra=extra)


def claim_cards(run: Runner, ids: Iterable[str]) -> list[ClaimCard]:
    """Return the claim cards of claim ids, sorted by evidence level then id.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    ids : iterable of str
        Claim ids; unknown ids are skipped.

    Returns
    -------
    list of ClaimCard
    """
    ids = sorted(set(ids))
    if not ids:
        return []
    cards = [_card(r) for r in run("22_claims", {"ids": ids})]
    return sorted(cards, key=lambda c: (c.evidence_level or "Z", c.id))
