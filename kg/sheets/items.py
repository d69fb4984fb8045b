"""Sheet items from the graph's claims and figures, each with its citation.

`claim_item` turns a claim card (`kg.views.claims`) into an `Item` with its detail line,
quote, citation (reference and key, locator, source kind) and conflicts; `figure_item` does
the same for a trial figure; `checked_works` says, for a statement of the letter, what each
work it cites reports in the graph (`kg.views.citations`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kg.sheets.model import CheckedWork, Citation, Item
from kg.views.base import humanize
from kg.views.citations import CitationCheck, figure_text
from kg.views.claims import ClaimCard
from kg.views.references import format_reference

__all__ = ["SOURCE_KINDS", "cite_key", "source_kind_words", "claim_item", "checked_works",
           "figure_item"]

#: Source kinds (schema: Outcome/Claim ``source_kind``) in words.
SOURCE_KINDS: dict[str, str] = {
    "journal_abstract": "journal abstract", "pmc_full_text": "full text (PMC)",
    "journal_full_text": "journal full text", "regulatory_label": "regulatory label",
    "congress_abstract": "congress abstract"}
_DIRECTION = {"supports": "supports", "does_not_support": "does not support",
              "not_applicable": "no direction"}


def cite_key(pub_id: str | None, bib_key: str | None = None) -> str:
    """Return a work's citation key: its bib key, else one made from its id.

    Parameters
    ----------
    pub_id : str or None
        The publication id (``PMID:27432227``, ``DOI:...``, ``bib:...``).
    bib_key : str, optional
        The curated bib key, when the work has one.

    Returns
    -------
    str
        The same key `kg.views.to_bibtex` writes; '' without either.

    Examples
    --------
    >>> cite_key("PMID:27432227"), cite_key("PMID:1", "x2020")
    ('PMID_27432227', 'x2020')
    """
    if bib_key:
        return str(bib_key)
    return re.sub(r"[^A-Za-z0-9]+", "_", pub_id or "").strip("_")


def source_kind_words(kind: str | None, source: str = "curated") -> str:
    """Return the kind of source an item was copied from, in words.

    Parameters
    ----------
    kind : str or None
        The recorded ``source_kind`` (e.g. ``journal_abstract``).
    source : str
        ``civic`` for CIViC evidence (a curated database record), else ``curated``.

    Returns
    -------
    str

    Examples
    --------
    >>> source_kind_words("regulatory_label"), source_kind_words(None, "civic")
    ('regulatory label', 'CIViC evidence item')
    >>> source_kind_words(None)
    'source kind not recorded'
    """
    if kind:
        return SOURCE_KINDS.get(kind, str(kind).replace("_", " "))
    return "CIViC evidence item" if source == "civic" else "source kind not recorded"


def _claim_citation(card: ClaimCard) -> Citation:
    ref = card.reference
    locator = card.locator
    if card.source == "civic" and card.source_record_id:  # the evidence item itself
        locator = f"CIViC {card.source_record_id}"
    return Citation(pub_id=ref.pub_id, key=cite_key(ref.pub_id, ref.bib_key), text=ref.text,
                    short=ref.short, url=ref.best_url, locator=locator,
                    source_kind=source_kind_words(card.source_kind, card.source),
                    record_url=card.source_url)


def _claim_detail(card: ClaimCard) -> str:
    subj = ", ".join(str(x.get("name") or x.get("id")) for x in card.subjects) or "?"
    obj = ", ".join(str(x.get("name") or x.get("id")) for x in card.objects)
    what = f"{subj} {humanize(card.predicate)} {obj}".strip()
    src = "CIViC" if card.source == "civic" else "curated"
    return (f"{what} · {_DIRECTION.get(card.direction, card.direction or '?')} · "
            f"level {card.level_text} · {src}")


def claim_item(card: ClaimCard, *, via: str = "",
               checks: tuple[CheckedWork, ...] = ()) -> Item:
    """Return a claim as a sheet item, with its citation and conflicts.

    Parameters
    ----------
    card : ClaimCard
        The claim (`kg.views.claims.claim_cards`).
    via : str, optional
        ``via <mechanism or profile>`` when the claim is inherited.
    checks : tuple of CheckedWork, optional
        The citation check of a statement of the letter (`checked_works`).

    Returns
    -------
    Item
        Of kind ``claim``: the claim's name, detail line (subject, predicate, object,
        direction, level, source), quote and citation.
    """
    return Item(kind="claim", id=card.id, text=card.name, detail=_claim_detail(card),
                quote=card.quote, citation=_claim_citation(card), level=card.evidence_level,
                via=via, conflicts=tuple(str(k.get("name") or k.get("id"))
                                         for k in card.conflicts),
                source=card.source, checks=checks)


def checked_works(check: CitationCheck) -> tuple[CheckedWork, ...]:
    """Return what each work a statement cites reports in the graph, and what supports it.

    Parameters
    ----------
    check : CitationCheck
        The statement's citation check (`kg.views.citations.citation_check`).

    Returns
    -------
    tuple of CheckedWork
        One per cited work: its citation, verdict, the figures and claims it reports (one
        line each) and those of them that support the statement.
    """
    out = []
    for w in check.cited:
        reports, supporting = [], []
        for f in w.figures:
            line = f"figure: {figure_text(f)}" + (f" [{f['locator']}]" if f.get("locator")
                                                   else "")
            reports.append(line)
            if f["id"] in w.supporting:
                supporting.append(line)
        for c in w.claims:
            line = f"claim: {c.get('name') or c['id']} (level {c.get('evidence_level') or '?'})"
            reports.append(line)
            if c["id"] in w.supporting:
                supporting.append(line)
        ref = w.reference
        out.append(CheckedWork(
            citation=Citation(pub_id=w.id, key=cite_key(w.id, ref.bib_key), text=ref.text,
                              short=ref.short, url=ref.best_url, locator="",
                              source_kind=""),
            verdict=w.verdict, verdict_text=w.verdict_text, reports=tuple(reports),
            supporting=tuple(supporting)))
    return tuple(out)


def figure_item(o: Mapping[str, Any], src: Mapping[str, Any], pub: Mapping[str, Any] | None,
                setting: str) -> Item:
    """Return a trial figure as a sheet item, with its citation.

    Parameters
    ----------
    o : mapping
        The figure (a row of `kg.views.trials.trial_outcomes`).
    src : mapping
        Its source record (``43_figure_sources``: analysis, data cut-off, source kind, URL).
    pub : mapping or None
        The properties of the work it comes from, when the graph has it.
    setting : str
        The trial's setting ('' when not recorded).

    Returns
    -------
    Item
        Of kind ``figure``: trial and outcome, the figure with its comparison, population,
        assessment, p value, timepoint, analysis, data cut-off and setting, quote and
        citation.
    """
    ref = format_reference({**(pub or {}), "id": o.get("pub_id")} if pub else None)
    analysis = src.get("analysis_label") or src.get("analysis") or ""
    parts = [o.get("display") or "", o.get("comparison") or o.get("arm_name") or "",
             f"population: {o.get('population')}" if o.get("population") else "",
             f"assessment: {o.get('assessment')}" if o.get("assessment") else "",
             f"p {o['p_value_text']}" if o.get("p_value_text") else "",
             f"timepoint: {o['timepoint']}" if o.get("timepoint") else "",
             f"analysis: {analysis}" if analysis else "analysis not recorded",
             f"data cut-off: {src.get('data_cutoff') or o.get('data_cutoff')}"
             if (src.get("data_cutoff") or o.get("data_cutoff")) else "",
             f"setting: {setting}" if setting else ""]
    return Item(
        kind="figure", id=str(o["outcome_id"]),
        text=f"{o.get('trial_name')}: {o.get('outcome_name')}",
        detail=" · ".join(p for p in parts if p), quote=str(o.get("quote") or ""),
        citation=Citation(pub_id=o.get("pub_id"),
                          key=cite_key(o.get("pub_id"), (pub or {}).get("bib_key")
                                       or o.get("bib_key")),
                          text=ref.text if pub else str(o.get("reference") or ""),
                          short=ref.short if pub else str(o.get("reference") or ""),
                          url=o.get("source_url") or ref.best_url,
                          locator=str(o.get("locator") or ""),
                          source_kind=source_kind_words(src.get("source_kind")),
                          record_url=src.get("source_url")))
