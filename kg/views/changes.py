"""What changed since a date: the trials, figures and claims first published after it.

Each item is listed once, at its first publication (`kg.views.dates`), newest first, with
the reference of that publication. A work known only by its year counts as published on 1
January of that year (the rule of `kg.views.dates`); an item whose date is only the year of
`since` may be before or after it, so it is listed apart ("published in that year, day not
recorded"), never silently in or out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kg.views.base import Runner
from kg.views.dates import as_date, publication_dates
from kg.views.references import Reference, bibliography
from kg.views.trials import trial_outcomes

__all__ = ["Change", "Changes", "changes_since", "CHANGE_KINDS"]

#: The kinds listed, in the order the page shows them.
CHANGE_KINDS = ("Trial", "Outcome", "Claim")


@dataclass(frozen=True)
class Change:
    """A trial, figure or claim, the date it was first published, and that publication."""

    id: str
    label: str
    name: str
    date: str  # ISO date; 1 January for a work known by its year only
    year_only: bool
    pub_id: str
    reference: Reference
    source: str  # curated or civic (the work's origin)

    @property
    def when(self) -> str:
        """``'2024'`` for a year-only date, else ``'2024-05-31'``."""
        return self.date[:4] if self.year_only else self.date


@dataclass(frozen=True)
class Changes:
    """What was first published after `since` (and up to `until`, when given)."""

    since: str
    until: str | None
    items: tuple[Change, ...]  # newest first
    same_year: tuple[Change, ...]  # dated only by the year of `since`: before or after it

    def of(self, label: str) -> tuple[Change, ...]:
        """Return the items of one kind, newest first.

        Parameters
        ----------
        label : str
            ``Trial``, ``Outcome`` or ``Claim``.

        Returns
        -------
        tuple of Change
        """
        return tuple(c for c in self.items if c.label == label)


def changes_since(run: Runner, since: str, *, until: str | None = None) -> Changes:
    """Return the trials, figures and claims first published after `since`.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    since : str
        ``YYYY-MM-DD`` or ``letter`` (the letter's acceptance date).
    until : str, optional
        An "as of" date: leave out what was published after it.

    Returns
    -------
    Changes
        Items newest first (then trials, figures, claims; then by name).

    Raises
    ------
    ValueError
        `since` or `until` is not a date.
    """
    start = as_date(since)
    if start is None:
        raise ValueError("expected a date as YYYY-MM-DD (or 'letter'), not an empty text")
    end = as_date(until)
    dates = publication_dates(run)
    works = {b.id: b for b in bibliography(run)}
    figures = {o["outcome_id"]: o["figure"] for o in trial_outcomes(run)}
    names: dict[str, tuple[str, str]] = {}
    for b in works.values():
        for _, items in b.supports:
            for nid, label, name in items:
                names.setdefault(nid, (label, name))
    after: list[Change] = []
    same: list[Change] = []
    for nid, when in dates.known.items():
        label = dates.kinds.get(nid)
        if label not in CHANGE_KINDS or nid not in names:
            continue
        year_only = nid in dates.year_only
        if end is not None and not dates.visible(nid, end):
            continue
        in_start_year = year_only and when.year == start.year
        if when <= start and not in_start_year:
            continue
        pub = works.get(dates.first.get(nid, ""))
        if pub is None:
            continue
        item = Change(id=nid, label=label,
                      name=figures.get(nid) or names[nid][1], date=when.isoformat(),
                      year_only=year_only, pub_id=pub.id, reference=pub.reference,
                      source=pub.source)
        (same if in_start_year else after).append(item)

    def key(c: Change) -> tuple[int, int, str, str]:
        return (-dt.date.fromisoformat(c.date).toordinal(), CHANGE_KINDS.index(c.label),
                c.name.lower(), c.id)

    return Changes(since=start.isoformat(), until=end.isoformat() if end else None,
                   items=tuple(sorted(after, key=key)), same_year=tuple(sorted(same, key=key)))
