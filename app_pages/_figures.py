"""Published figures and trial arms as HTML tables, shared by the entity and trials pages.

A figure's row names it with its trial and analysis (`kg.views.figure_name`), gives the
value exactly as published, its p value and data cut-off, and its source: the reference
(DOI, else PubMed, else the publication's page), the kind of text it was read in and the
locator, with the verbatim quote one click away. Blank cells show "-".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app_pages import _basket as B
from app_pages import _shared as S
from app_pages._layout import table_html

__all__ = ["figure_rows", "figures_table", "arms_table", "trials_table", "not_entered_html",
           "figure_names", "basket_picker"]


def _source_cell(o: Mapping[str, Any], quote: bool = True) -> str:
    href = S.outcome_href(o)
    ref = o.get("reference") or o.get("pub_id") or "source"
    if href and href.startswith(("http://", "https://")):
        head = S.ext(href, ref)
    elif o.get("pub_id"):
        head = S.link(o["pub_id"], ref)
    else:
        head = S.esc(ref)
    # the source kind and the locator (once when they are the same word), and where the
    # text was read, on one line under the reference: one element (every element costs the
    # page's first drawing; docs/browser-speed.md)
    bits = list(dict.fromkeys(x for x in (o.get("kind"), o.get("locator")) if x))
    line = S.esc(" · ".join(bits))
    if o.get("read_url") and o["read_url"] != href:
        line += f" ({S.ext(o['read_url'], 'read here')})"
    out = head + (f"<small class='kg-src'>{line.strip()}</small>" if line else "")
    if quote and o.get("quote"):
        out += (f"<details><summary><small>quote</small></summary><small>“{S.esc(o['quote'])}”"
                "</small></details>")
    return out


def figure_rows(outs: Iterable[Mapping[str, Any]], *, arm: bool = True, quotes: bool = True
                ) -> list[dict[str, Any]]:
    """Return the table rows of figures (rows of `kg.views.trial_outcomes`).

    Parameters
    ----------
    outs : iterable of mapping
        Figures.
    arm : bool
        Include the "arm / comparison" column.
    quotes : bool
        Put each figure's verbatim quote in its source cell (one click to open); without,
        the quote is on the figure's own page, one link away.

    Returns
    -------
    list of dict
        Keyed by the column names of `figures_table`.
    """
    rows = []
    for o in outs:
        r = {"figure": S.link(o["outcome_id"], o.get("figure") or o["outcome_id"]),
             "value as published": o.get("display"), "p": o.get("p_value_text"),
             "cut-off": o.get("data_cutoff"), "source": _source_cell(o, quotes)}
        if arm:
            r["arm / comparison"] = o.get("comparison")
        rows.append(r)
    return rows


def figures_table(outs: Iterable[Mapping[str, Any]], *, arm: bool = True,
                  quotes: bool = True) -> str:
    """Return figures as an HTML table (see the module).

    Parameters
    ----------
    outs : iterable of mapping
        Rows of `kg.views.trial_outcomes`.
    arm : bool
        Include the "arm / comparison" column.
    quotes : bool
        Each figure's quote in its source cell (see `figure_rows`).

    Returns
    -------
    str
    """
    cols = ["figure", *(["arm / comparison"] if arm else []), "value as published", "p",
            "cut-off", "source"]
    return table_html(figure_rows(outs, arm=arm, quotes=quotes), cols,
                      html_columns=("figure", "source"),
                      nowrap=("value as published", "p", "cut-off"))


def arms_table(arms: Iterable[Mapping[str, Any]], *, trial: bool = False) -> str:
    """Return trial arms as an HTML table.

    Parameters
    ----------
    arms : iterable of mapping
        Rows of `kg.views.trial_arms`.
    trial : bool
        Start each row with its trial (linked), for a table of several trials.

    Returns
    -------
    str
    """
    rows = []
    for a in arms:
        rows.append({"trial": S.link(a["trial_id"], a["trial_name"]), "arm": a["arm_name"],
                     "role": a.get("role"), "n": a.get("n_text"),
                     "received": a.get("treatment") or ", ".join(a.get("treatments") or []),
                     "regimen": a.get("regimen"), "phase": a.get("phase"),
                     "setting": a.get("setting")})
    cols = ["arm", "role", "n", "received", "regimen"]
    if trial:
        cols = ["trial", "arm", "role", "n", "received", "phase", "setting"]
    return table_html(rows, cols, html_columns=("trial",), nowrap=("n",))


def trials_table(arms: Iterable[Mapping[str, Any]]) -> str:
    """Return several trials as an HTML table, one row per trial and its arms in one cell.

    The trials page's overview of every trial: an arm's line gives its name as the source
    words it, its n as published and its role; what each arm received and its regimen are on
    the table of one trial's arms (`arms_table`).

    Parameters
    ----------
    arms : iterable of mapping
        Rows of `kg.views.trial_arms`, a trial's arms together.

    Returns
    -------
    str
    """
    trials: dict[str, dict[str, Any]] = {}
    for a in arms:
        t = trials.setdefault(a["trial_id"], {
            "trial": S.link(a["trial_id"], a["trial_name"]), "arms": [],
            "phase": a.get("phase"), "setting": a.get("setting")})
        t["arms"].append(S.esc(a["arm_name"]) + " <small>("
                         + S.esc("; ".join(str(x) for x in (
                             f"n {a['n_text']}" if a.get("n_text") else "", a.get("role"))
                             if x)) + ")</small>")
    rows = [{**t, "arms": "<br>".join(t["arms"])} for t in trials.values()]
    return table_html(rows, ["trial", "arms", "phase", "setting"],
                      html_columns=("trial", "arms"))


def not_entered_html(items: Iterable[tuple[str, str]],
                     trial: tuple[str, str] | None = None) -> str:
    """Return a trial's figures looked for and not entered, one line each.

    Parameters
    ----------
    items : iterable of (str, str)
        (what, reason) pairs of `kg.views.not_entered`.
    trial : (str, str), optional
        The trial's (id, name): name what was not entered on one line and leave the reasons
        to the trial's page, a link away (a drug's page, which lists several trials).

    Returns
    -------
    str
        '' when there are none.

    Examples
    --------
    >>> print(not_entered_html([("median OS", "not <reached>")]))
    <div class='kg-gap'>not entered: <b>median OS</b> — not &lt;reached&gt;</div>
    >>> print(not_entered_html([("median OS", "why"), ("ORR", "")], ("NCT1", "X"))[20:])
    not entered: <b>median OS</b>; <b>ORR</b> (why: on <a href="entity?id=NCT1">X</a>'s page)</div>
    """
    items = list(items)
    if not items:
        return ""
    if trial is not None:
        return ("<div class='kg-gap'>not entered: "
                + "; ".join(f"<b>{S.esc(w)}</b>" for w, _ in items)
                + f" (why: on {S.link(*trial)}'s page)</div>")
    return ("<div class='kg-gap'>"
            + "<br>".join(f"not entered: <b>{S.esc(w)}</b>"
                          + (f" — {S.esc(r)}" if r else "") for w, r in items) + "</div>")


def figure_names(outs: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Return figure id -> its name (trial, measure, analysis), for the sheet's box."""
    return {o["outcome_id"]: o.get("figure") or o["outcome_id"] for o in outs}


def basket_picker(key: str, outs: Iterable[Mapping[str, Any]], *, page: str,
                  panel: str) -> None:
    """Let the reader choose figures of a table and add them to the tumour-board sheet.

    `app_pages._basket.picker` with the figures' names (the table is plain HTML, so its rows
    cannot be selected one by one): drawn when the URL asks for it (``open=<panel>``, the
    link of `app_pages._basket.picker_link`).

    Parameters
    ----------
    key : str
        A widget key unique on the page (the box; the button is ``<key>_add``).
    outs : iterable of mapping
        The table's figures (rows of `kg.views.trial_outcomes`).
    page, panel : str
        The page shown and the picker's name in the URL.

    Returns
    -------
    None
    """
    B.picker(key, figure_names(outs), what="figures", page=page, panel=panel)
