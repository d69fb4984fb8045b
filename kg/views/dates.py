"""Publication dates, for the browser's "as of" date.

Every claim, figure (Outcome) and trial rests on publications: a claim on the work that
makes it, a figure and a trial on the works that report them. `publication_dates` gives
each of them the date it became known: its earliest publication's date. `visible` then
says whether it existed on a given day, so every page and the matrix can hide what was
published after it.

Decision: a work known only by its year counts as published on 1 January of that year, so
an "as of" date inside that year still shows it (the letter, accepted 9 March 2020, cites
J-ALEX's 2020 final analysis, which is known by year only). Record a work's ``date`` in
its bibliography entry for day precision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.views.base import Runner

__all__ = ["Dates", "publication_dates", "parse_as_of", "as_date", "LETTER_ACCEPTED"]

#: When the letter that started the project was accepted (../shared/sources/PROVENANCE.md:
#: "Submitted 08-Mar-2020, accepted 09-Mar-2020"): the "when the letter was written" preset.
LETTER_ACCEPTED = dt.date(2020, 3, 9)


def _date_of(year: object, date: object) -> tuple[dt.date, bool] | None:
    """(date, exact to the day) of a work, or None."""
    if isinstance(date, str):
        try:
            return dt.date.fromisoformat(date[:10]), True
        except ValueError:
            pass
    if isinstance(year, int) and 1 <= year <= 9999:
        return dt.date(year, 1, 1), False
    return None


@dataclass(frozen=True)
class Dates:
    """Node id -> the date it became known (publications, claims, figures, trials).

    ``year_only`` holds the ids whose date is only a year (counted as 1 January);
    ``kinds`` the label of each id (Publication, Claim, Outcome, Trial); ``first`` the id
    of the earliest publication of each claim, figure and trial.
    """

    known: dict[str, dt.date]
    year_only: frozenset[str] = frozenset()
    kinds: dict[str, str] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)

    def visible(self, node_id: str, as_of: dt.date | None) -> bool:
        """Return whether a node existed on `as_of` (always True without a date).

        Parameters
        ----------
        node_id : str
            A publication, claim, outcome or trial id (other nodes are always visible).
        as_of : datetime.date or None

        Returns
        -------
        bool
            False only when the node's earliest publication is after `as_of`.
        """
        if as_of is None:
            return True
        when = self.known.get(node_id)
        return when is None or when <= as_of

    def keep(self, ids: Iterable[str], as_of: dt.date | None) -> list[str]:
        """Return the ids of `ids` that existed on `as_of`, in their order.

        Parameters
        ----------
        ids : iterable of str
        as_of : datetime.date or None

        Returns
        -------
        list of str
        """
        return [i for i in ids if self.visible(i, as_of)]

    def hidden(self, as_of: dt.date | None) -> dict[str, int]:
        """Count what `as_of` hides, by kind.

        Parameters
        ----------
        as_of : datetime.date or None

        Returns
        -------
        dict
            ``{'Publication': n, 'Claim': n, 'Outcome': n, 'Trial': n}`` (kinds with
            nothing hidden are absent; empty without a date).
        """
        out: dict[str, int] = {}
        if as_of is None:
            return out
        for nid, when in self.known.items():
            if when > as_of:
                kind = self.kinds.get(nid, "")
                out[kind] = out.get(kind, 0) + 1
        return out


def publication_dates(run: Runner) -> Dates:
    """Return when each publication, claim, figure and trial became known.

    Parameters
    ----------
    run : Runner
        Executes named queries (``32_publication_dates``).

    Returns
    -------
    Dates
        A node reported in several works takes the earliest date.
    """
    known: dict[str, dt.date] = {}
    exact: dict[str, bool] = {}
    kinds: dict[str, str] = {}
    first: dict[str, str] = {}
    for r in run("32_publication_dates", {}):
        got = _date_of(r.get("year"), r.get("date"))
        if got is None:
            continue
        when, precise = got
        for kind, ids in (("Publication", [r["pub_id"]]), ("Claim", r["claims"]),
                          ("Outcome", r["outcomes"]), ("Trial", r["trials"])):
            for nid in ids:
                kinds[nid] = kind
                if nid not in known or (when, not precise) < (known[nid], not exact[nid]):
                    known[nid], exact[nid], first[nid] = when, precise, r["pub_id"]
    return Dates(known, frozenset(k for k, v in exact.items() if not v), kinds, first)


def parse_as_of(text: str | None) -> dt.date | None:
    """Parse an "as of" date from a URL or CLI: ``YYYY-MM-DD``, ``letter`` or empty.

    Parameters
    ----------
    text : str or None
        ``2020-03-09``; ``letter`` for `LETTER_ACCEPTED`; '' or None for no date.

    Returns
    -------
    datetime.date or None

    Raises
    ------
    ValueError
        The text is neither empty, ``letter`` nor an ISO date (the message says which
        form is expected).

    Examples
    --------
    >>> parse_as_of("letter"), parse_as_of("2024-01-31"), parse_as_of("")
    (datetime.date(2020, 3, 9), datetime.date(2024, 1, 31), None)
    """
    if not text:
        return None
    if text.strip().lower() == "letter":
        return LETTER_ACCEPTED
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD (or 'letter'), not {text!r}") from None


def as_date(value: dt.date | str | None) -> dt.date | None:
    """Return an "as of" date from a date, its text (`parse_as_of`) or None.

    Views take ``as_of`` as ISO text, so the app's cache keys stay plain JSON.

    Parameters
    ----------
    value : datetime.date, str or None

    Returns
    -------
    datetime.date or None

    Raises
    ------
    ValueError
        Text that `parse_as_of` refuses.

    Examples
    --------
    >>> as_date("2020-03-09") == as_date(LETTER_ACCEPTED) == as_date("letter")
    True
    """
    if value is None or isinstance(value, dt.date):
        return value
    return parse_as_of(value)
