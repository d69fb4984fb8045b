"""The trial charts as plain HTML and CSS: a forest plot of hazard ratios, medians per arm.

No chart library: each row is two lines of HTML, the row's label, then the value exactly as
published (bold, left) and the mark on an axis drawn with positioned boxes (right). The axis
takes what is left of the width, so the chart fits any screen, a 390 px phone included, and
the values stay readable; it prints as it shows, and it costs the browser no chart engine
(issue #11, parts 5 and 7). Styles are in `app_pages._layout.STYLE` (``.kg-chart``).

Every mark and value links to its source (DOI, else PubMed: a new tab; else the
publication's page in the browser) and carries the quote, locator and cut-off as its tooltip.
Nothing here imports Streamlit; pages pass the rows of `kg.views.trial_outcomes`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg import views as V

__all__ = ["forest_html", "medians_html", "log_ticks", "CI_COLOURS", "ENDPOINT_COLOURS"]

CI_COLOURS = ["#1f4e9c", "#d95f02", "#7570b3", "#1b9e77", "#e7298a"]
ENDPOINT_COLOURS = {"PFS": "#1f4e9c", "OS": "#d95f02"}


def _esc(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def log_ticks(lo: float, hi: float) -> list[float]:
    """Return readable ticks of a log axis between lo and hi.

    Parameters
    ----------
    lo, hi : float
        The axis' ends (positive).

    Returns
    -------
    list of float

    Examples
    --------
    >>> log_ticks(0.12, 1.9)
    [0.2, 0.3, 0.5, 1.0]
    """
    out = []
    for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for m in (1, 2, 3, 5):
            t = round(m * 10.0 ** e, 6)
            if lo <= t <= hi:
                out.append(t)
    return out


def _tip(o: Mapping[str, Any]) -> str:
    """A figure's tooltip: name, value, p, cut-off, reference, locator and quote."""
    return " · ".join(str(x) for x in (
        o.get("figure"), o.get("display"), f"p {o['p_value_text']}" if o.get(
            "p_value_text") else "", f"cut-off {o['data_cutoff']}" if o.get("data_cutoff")
        else "", o.get("reference"), o.get("locator"),
        f"“{o['quote']}”" if o.get("quote") else "") if x)


def _link(o: Mapping[str, Any], inner: str, cls: str, style: str = "") -> str:
    href = o.get("source_url") or ""
    target = ' target="_blank" rel="noopener noreferrer"' if href.startswith("http") else ""
    st = f' style="{style}"' if style else ""
    if not href:
        return f'<span class="{cls}"{st}>{inner}</span>'
    return f'<a class="{cls}" href="{_esc(href)}"{target}{st}>{inner}</a>'


def _chart(rows: Sequence[str], *, ticks: Sequence[tuple[float, str]], title: str,
           legend: Sequence[tuple[str, str]], one: float | None = None) -> str:
    axis = "".join(f'<span class="kg-tick" style="left:{p:.2f}%">{_esc(t)}</span>'
                   for p, t in ticks)
    grid = "".join(f'<span class="kg-grid" style="left:{p:.2f}%"></span>' for p, _ in ticks)
    ref = f'<span class="kg-one" style="left:{one:.2f}%"></span>' if one is not None else ""
    keys = " ".join(f'<span class="kg-key"><span style="background:{c}"></span>{_esc(n)}</span>'
                    for n, c in legend)
    return (f'<div class="kg-chart"><div class="kg-rows"><div class="kg-overlay">{grid}{ref}'
            f'</div>{"".join(rows)}</div>'
            f'<div class="kg-line kg-axis"><span class="kg-val"></span>'
            f'<span class="kg-plot">{axis}</span></div>'
            f'<div class="kg-title">{_esc(title)}</div><div class="kg-legend">{keys}</div>'
            "</div>")


def _row(o: Mapping[str, Any], label: str, pos: Mapping[str, float | None],
         colour: str) -> str:
    x, lo, hi = pos["x"], pos["lo"], pos["hi"]
    marks = ""
    if lo is not None and hi is not None:
        marks += _link(o, "", "kg-ci", f"left:{lo:.2f}%;width:{max(hi - lo, 0.3):.2f}%;"
                                       f"background:{colour}")
    if x is not None:
        marks += _link(o, "", "kg-pt", f"left:{x:.2f}%;background:{colour}")
    # the tooltip once per row (hovering the label, the value or a mark shows it), not on
    # each of its three links: the quotes made most of a chart's markup
    return (f'<div class="kg-row" title="{_esc(_tip(o))}"><div class="kg-label">{_esc(label)}</div>'
            f'<div class="kg-line">{_link(o, _esc(o.get("display")), "kg-val")}'
            f'<span class="kg-plot">{marks}</span></div></div>')


def forest_html(outcomes: Iterable[Mapping[str, Any]], endpoint: str) -> str | None:
    """Return the forest plot of one endpoint's hazard ratios (log axis, CI bars by level).

    Parameters
    ----------
    outcomes : iterable of mapping
        Rows of `kg.views.trial_outcomes`, with ``source_url`` set to the link each mark
        opens (`app_pages._style.outcome_href`).
    endpoint : str
        The endpoint drawn (e.g. ``'PFS'``).

    Returns
    -------
    str or None
        HTML; None when no figure has a plottable estimate.
    """
    rows = V.forest_rows(outcomes, endpoint=endpoint)
    if not rows:
        return None
    xs = [v for r in rows for v in (r["x"], r["lo"], r["hi"]) if v]
    lo, hi = min([*xs, 0.5]) * 0.8, max([*xs, 1.5]) * 1.25
    span = math.log(hi) - math.log(lo)

    def pct(v: float | None) -> float | None:
        return None if not v else (math.log(v) - math.log(lo)) / span * 100

    levels = sorted({r["ci_level_text"] for r in rows}, key=lambda x: (x != "95%", x))
    colour = {lv: CI_COLOURS[i % len(CI_COLOURS)] for i, lv in enumerate(levels)}
    body = [_row(r, r["row"], {"x": pct(r["x"]), "lo": pct(r["lo"]), "hi": pct(r["hi"])},
                 colour[r["ci_level_text"]]) for r in rows]
    ticks = [(pct(t), f"{t:g}") for t in log_ticks(lo, hi)]
    return _chart(body, ticks=ticks, one=pct(1.0),
                  title=f"{endpoint} hazard ratio (log scale; below 1 favours the first arm)",
                  legend=[(f"{lv} CI", colour[lv]) for lv in levels])


def medians_html(outcomes: Iterable[Mapping[str, Any]]) -> str | None:
    """Return the median PFS and OS per arm (months) with their CIs where published.

    Parameters
    ----------
    outcomes : iterable of mapping
        Rows of `kg.views.trial_outcomes` (with ``source_url`` as for `forest_html`).

    Returns
    -------
    str or None
        HTML; None when no median was published. A median not reached (NR) is listed with
        its text and no mark.
    """
    med = [o for o in outcomes if o.get("measure") == "median"
           and o.get("endpoint") in ENDPOINT_COLOURS]
    if not med:
        return None
    top = max([v for o in med for v in (o.get("value"), o.get("ci_high"))
               if isinstance(v, int | float) and math.isfinite(v)] + [1.0]) * 1.05

    def pct(v: Any) -> float | None:
        return v / top * 100 if isinstance(v, int | float) and math.isfinite(v) else None

    body = [_row(o, f"{o['trial_name']} — {o['endpoint']}, {o.get('arm_short') or ''}"
                 + (f" ({o['population']})" if o.get("population") not in (None, "ITT")
                    else ""),
                 {"x": pct(o.get("value")), "lo": pct(o.get("ci_low")),
                  "hi": pct(o.get("ci_high"))}, ENDPOINT_COLOURS[o["endpoint"]])
            for o in med]
    step = 6 if top <= 40 else 12
    ticks = [(pct(t), f"{t}") for t in range(0, int(top) + 1, step)]
    return _chart(body, ticks=ticks, title="median, months (as published)",
                  legend=list(ENDPOINT_COLOURS.items()))
