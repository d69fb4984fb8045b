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
from dataclasses import dataclass

from kg.views.base import Runner

__all__ = ["Dates", "publication_dates", "parse_as_of", "LETTER_ACCEPTED"]

#: When the letter that started the project was accepted (../shared/sources/PROVENANCE.md:
#: "Submitted 08-Mar-2020, accepted 09-Mar-2020"): the "when the letter was written" preset.
LETTER_ACCEPTED = dt.date(2020, 3, 9)


def _date_of(year: object, date: object) -> dt.date | None:
    if isinstance(date, str):
        try:
            return dt.date.fromisoformat(date[:10])
        except ValueError:
            pass
    if isinstance(year, int) and 1 <= year <= 9999:
        return dt.date(year, 1, 1)
    return None


@dataclass(frozen=True)
class Dates:
    """Node id -> the date it became known (publications, claims, figures, trials)."""

    known: dict[str, dt.date]

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
    for r in run("32_publication_dates", {}):
        when = _date_of(r.get("year"), r.get("date"))
        if when is None:
            continue
        for nid in [r["pub_id"], *r["claims"], *r["outcomes"], *r["trials"]]:
            if nid not in known or when < known[nid]:
                known[nid] = when
    return Dates(known)


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
