"""The citation check: does the work a claim cites state what the claim says?

A claim may cite works for its support (``CITES_SOURCE``: the letter's "approximately 30%
[4]" cites PROFILE 1014). For each such claim and cited work, `citation_check` sets beside
the claim what that work itself reports in the graph -- the figures reported in it and the
claims it makes -- and gives a verdict:

``supported``
    the claim rests on a figure reported in the cited work (``SUPPORTED_BY_OUTCOME``), or
    the cited work makes a claim with the same predicate and direction whose subjects and
    objects both overlap the claim's;
``not stated``
    the graph holds figures or claims of the cited work, and none of them supports the
    claim: *the cited source does not state this* (as far as the graph knows it);
``not checkable``
    the graph holds nothing the cited work reports, so nothing can be said either way.

Decision: the verdict never reads meaning into text. A figure supports a claim only when a
curator linked them; a claim of the cited work supports it only on the same predicate,
direction and overlapping subject and object. Everything else the work reports is shown
beside the claim so the reader can judge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.views.base import Runner
from kg.views.references import Reference, format_reference

__all__ = ["SUPPORTED", "NOT_STATED", "NOT_CHECKABLE", "VERDICT_TEXT", "CitedWork",
           "CitationCheck", "citation_check", "figure_text"]

SUPPORTED, NOT_STATED, NOT_CHECKABLE = "supported", "not stated", "not checkable"
#: How each verdict reads on a page or a sheet.
VERDICT_TEXT: dict[str, str] = {
    SUPPORTED: "the cited source reports what this claim rests on",
    NOT_STATED: "the cited source does not state this",
    NOT_CHECKABLE: "not checkable: the graph holds nothing that the cited source reports",
}


@dataclass(frozen=True)
class CitedWork:
    """One work a claim cites, what it reports in the graph, and the verdict."""

    id: str
    reference: Reference
    figures: tuple[dict[str, Any], ...]
    claims: tuple[dict[str, Any], ...]
    supporting: tuple[str, ...]  # ids of its figures and claims that support the claim
    verdict: str

    @property
    def verdict_text(self) -> str:
        """The verdict in words (`VERDICT_TEXT`)."""
        return VERDICT_TEXT[self.verdict]

    @property
    def flagged(self) -> bool:
        """True when the graph holds the work's figures and none supports the claim."""
        return self.verdict == NOT_STATED


@dataclass(frozen=True)
class CitationCheck:
    """A claim, the works it cites and, for each, what the work itself reports."""

    claim_id: str
    name: str
    quote: str
    locator: str
    predicate: str
    direction: str
    evidence_level: str
    asserted_in: str
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    rests_on: tuple[dict[str, Any], ...]
    cited: tuple[CitedWork, ...]

    @property
    def flagged(self) -> bool:
        """True when some cited work does not state the claim."""
        return any(w.flagged for w in self.cited)


def figure_text(f: Mapping[str, Any]) -> str:
    """Return a figure as one line: trial, name, value as published with unit and CI.

    Parameters
    ----------
    f : mapping
        A figure of ``40_citation_check`` (``trial``, ``name``, ``value_text``, ``unit``,
        ``ci_low_text``, ``ci_high_text``, ``ci_level_text``).

    Returns
    -------
    str

    Examples
    --------
    >>> figure_text({"trial": "J-ALEX", "name": "median PFS, alectinib", "value_text": "34.1",
    ...              "unit": "months", "ci_low_text": None, "ci_high_text": None})
    'J-ALEX: median PFS, alectinib: 34.1 months'
    >>> figure_text({"name": "PFS HR", "value_text": "0.37", "unit": "ratio",
    ...              "ci_low_text": "0.26", "ci_high_text": "0.52", "ci_level_text": "95%"})
    'PFS HR: 0.37 (95% CI 0.26–0.52)'
    """
    unit = f.get("unit") or ""
    unit = "" if unit in ("ratio", "") else ("%" if unit == "%" else f" {unit}")
    lo, hi = f.get("ci_low_text"), f.get("ci_high_text")
    ci = (f" ({f.get('ci_level_text') or 'level not stated'} CI {lo or '?'}–{hi or '?'})"
          if lo or hi else "")
    head = f"{f['trial']}: " if f.get("trial") else ""
    return f"{head}{f.get('name') or f.get('id')}: {f.get('value_text')}{unit}{ci}"


def _overlap(a: Iterable[str], b: Iterable[str]) -> bool:
    return bool(set(a) & set(b))


def _verdict(row: Mapping[str, Any], cited_id: str) -> tuple[tuple[str, ...], str]:
    figures, claims = row.get("figures") or [], row.get("work_claims") or []
    support = [f["id"] for f in row.get("rests_on") or [] if f.get("pub_id") == cited_id]
    claim = row.get("claim") or {}
    for wc in claims:
        if (wc.get("predicate") == claim.get("predicate")
                and wc.get("direction") == claim.get("direction")
                and _overlap(wc.get("subjects") or [], row.get("subjects") or [])
                and _overlap(wc.get("objects") or [], row.get("objects") or [])):
            support.append(wc["id"])
    if support:
        return tuple(support), SUPPORTED
    return (), NOT_STATED if (figures or claims) else NOT_CHECKABLE


def citation_check(run: Runner, *, by: str = "", claims: Sequence[str] = (),
                   cited: str = "") -> list[CitationCheck]:
    """Return, for each claim, the works it cites with what each reports and a verdict.

    Parameters
    ----------
    run : Runner
        Executes named queries (``40_citation_check``).
    by : str, optional
        Only claims made by this work (bib key or publication id); '' for any work.
    claims : sequence of str, optional
        Only these claim ids (empty: every claim of `by`).
    cited : str, optional
        Only claims citing this work (bib key or publication id); '' for any.

    Returns
    -------
    list of CitationCheck
        Sorted by claim id; a claim that cites no work has ``cited == ()`` (and is left
        out when `cited` is given). Figures and claims of a cited work come sorted by id.

    Examples
    --------
    >>> from kg.views import store_runner
    >>> [check] = citation_check(store_runner(store), claims=["claim:dubey2020-alectinib-pfs"])
    >>> [(w.reference.short, w.verdict) for w in check.cited]
    [('Nakagawa 2020', 'supported')]
    """
    rows = run("40_citation_check", {"by": by, "claims": list(claims), "cited": cited})
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["claim_id"], []).append(r)
    out = []
    for cid, rs in sorted(grouped.items()):
        c = rs[0].get("claim") or {}
        works = []
        for r in rs:
            if not r.get("cited_id"):
                continue
            support, verdict = _verdict(r, r["cited_id"])
            works.append(CitedWork(
                id=r["cited_id"],
                reference=format_reference({**(r.get("cited") or {}), "id": r["cited_id"]}),
                figures=tuple(sorted((dict(f) for f in r.get("figures") or []),
                                     key=lambda f: str(f["id"]))),
                claims=tuple(sorted((dict(x) for x in r.get("work_claims") or []),
                                    key=lambda x: str(x["id"]))),
                supporting=support, verdict=verdict))
        out.append(CitationCheck(
            claim_id=cid, name=str(c.get("name") or cid), quote=str(c.get("quote") or ""),
            locator=str(c.get("locator") or ""), predicate=str(c.get("predicate") or ""),
            direction=str(c.get("direction") or ""),
            evidence_level=str(c.get("evidence_level") or ""),
            asserted_in=str(rs[0].get("asserted_in") or ""),
            subjects=tuple(rs[0].get("subjects") or ()), objects=tuple(rs[0].get("objects") or ()),
            rests_on=tuple(dict(x) for x in rs[0].get("rests_on") or ()),
            cited=tuple(sorted(works, key=lambda w: w.id))))
    return out
