"""Vega-Lite specs of the trial charts, built with Altair once per graph version.

Building and validating an Altair chart costs a few hundred milliseconds; the finished spec
(a dict) is cached by graph version and selection, and pages draw it with
``st.vega_lite_chart`` (vega is bundled with Streamlit and served locally).

Every mark carries an ``href`` to its source (DOI, else PubMed, else the publication's page
in the browser). Vega opens it in the same tab: Streamlit keeps only the theme, renderer and
padding of ``usermeta.embedOptions``, so the loader's ``target`` cannot be set to a new tab.
Back returns to the same view, because the view lives in the URL.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._shared import Graph, get_store, outcome_href
from kg import views as V

CI_COLOURS = ["#1f4e9c", "#d95f02", "#7570b3", "#1b9e77", "#e7298a"]
FIELDS = ["trial_name", "comparison", "display", "p_value_text", "population", "assessment",
          "data_cutoff", "reference", "locator", "quote", "source_url", "ci_level_text"]
TOOLTIP = [alt.Tooltip("trial_name:N", title="trial"),
           alt.Tooltip("comparison:N", title="arms"),
           alt.Tooltip("display:N", title="as published"),
           alt.Tooltip("p_value_text:N", title="p"),
           alt.Tooltip("population:N"), alt.Tooltip("assessment:N"),
           alt.Tooltip("data_cutoff:N", title="data cut-off"),
           alt.Tooltip("reference:N"), alt.Tooltip("locator:N"),
           alt.Tooltip("quote:N"), alt.Tooltip("source_url:N", title="click opens")]


def _outcomes(version: str, sdir: str, trial: str) -> list[dict[str, Any]]:
    """The figures of `trial` ('' all), each with the link its marks open."""
    rows = Graph(get_store(sdir), version, sdir).cached(V.trial_outcomes)
    return [{**o, "source_url": outcome_href(o)} for o in rows
            if not trial or o["trial_id"] == trial]


def _frame(rows: list[dict[str, Any]], **extra: Any) -> pd.DataFrame:
    df = pd.DataFrame([{**{k: r.get(k) for k in FIELDS}, **{k: f(r) for k, f in extra.items()}}
                       for r in rows])
    return df.fillna({k: "" for k in ("p_value_text", "assessment", "data_cutoff", "quote",
                                       "population", "source_url")})


@st.cache_data(max_entries=256, show_spinner=False)
def forest_spec(version: str, sdir: str, trial: str, endpoint: str) -> dict[str, Any] | None:
    """Return the forest plot of one endpoint's hazard ratios (log x axis, CI bars by level).

    Parameters
    ----------
    version, sdir : str
        Graph version and state directory (the cache key; see `app_pages._shared.Graph`).
    trial : str
        A trial id, or '' for every trial.
    endpoint : str
        The endpoint whose hazard ratios are drawn (e.g. ``'PFS'``).

    Returns
    -------
    dict or None
        A Vega-Lite spec; None when no figure has a plottable estimate.
    """
    rows = V.forest_rows(_outcomes(version, sdir, trial), endpoint=endpoint)
    if not rows:
        return None
    fd = _frame(rows, row=lambda r: r["row"], x=lambda r: r["x"], lo=lambda r: r["lo"],
                hi=lambda r: r["hi"])
    lo = min([v for v in [*fd["lo"].dropna(), *fd["x"]] if v > 0] + [0.5])
    hi = max([*fd["hi"].dropna(), *fd["x"], 1.5])
    scale = alt.Scale(type="log", domain=[lo * 0.8, hi * 1.25], nice=False)
    levels = sorted(set(fd["ci_level_text"]), key=lambda x: (x != "95%", x))
    colour = alt.Color("ci_level_text:N", title="CI level",
                       scale=alt.Scale(domain=levels, range=CI_COLOURS[:len(levels)]))
    base = alt.Chart(fd).encode(y=alt.Y("row:N", sort=None, title=None,
                                        axis=alt.Axis(labelLimit=400, labelFontSize=11)))
    rules = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("lo:Q", scale=scale,
                title=f"{endpoint} hazard ratio (log scale; below 1 favours the first arm)"),
        x2="hi:Q", color=colour, href="source_url:N", tooltip=TOOLTIP)
    points = base.mark_point(filled=True, size=110, shape="square", opacity=1).encode(
        x=alt.X("x:Q", scale=scale), color=colour, href="source_url:N", tooltip=TOOLTIP)
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 4], color="#666") \
        .encode(x=alt.X("x:Q", scale=scale))
    text = alt.Chart(fd).mark_text(align="left", fontSize=12).encode(
        y=alt.Y("row:N", sort=None, axis=None), x=alt.value(0), text="display:N",
        href="source_url:N", tooltip=TOOLTIP)
    height = 34 * len(fd) + 30
    chart = alt.hconcat(
        (rules + points + one).properties(height=height, width=330),
        text.properties(height=height, width=200,
                        title=alt.TitleParams("as published", fontSize=11, anchor="start")),
        spacing=8).configure_view(strokeWidth=0).configure_legend(orient="bottom")
    return chart.to_dict(validate=False)


@st.cache_data(max_entries=256, show_spinner=False)
def medians_spec(version: str, sdir: str, trial: str) -> dict[str, Any] | None:
    """Return the dot plot of median PFS and OS per arm (months), CI bars where published.

    Parameters
    ----------
    version, sdir : str
        Graph version and state directory (the cache key; see `app_pages._shared.Graph`).
    trial : str
        A trial id, or '' for every trial.

    Returns
    -------
    dict or None
        A Vega-Lite spec; None when no median was published as a number.
    """
    med = [o for o in _outcomes(version, sdir, trial)
           if o["measure"] == "median" and o["endpoint"] in ("PFS", "OS")
           and o.get("value") is not None]
    if not med:
        return None
    plot = _frame(med, x=lambda o: o["value"], lo=lambda o: o.get("ci_low"),
                  hi=lambda o: o.get("ci_high"), endpoint=lambda o: o["endpoint"],
                  row=lambda o: f"{o['trial_name']} — {o['arm_short']}"
                  + (f" ({o['population']})" if o["population"] != "ITT" else ""))
    enc = alt.Chart(plot).encode(y=alt.Y("row:N", sort=None, title=None,
                                         axis=alt.Axis(labelLimit=360)))
    colour = alt.Color("endpoint:N", title="endpoint")
    dots = enc.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("x:Q", title="median, months (as published)"), color=colour,
        href="source_url:N", tooltip=TOOLTIP)
    bars = enc.mark_rule().encode(x="lo:Q", x2="hi:Q", color=colour, href="source_url:N",
                                  tooltip=TOOLTIP)
    return (bars + dots).properties(height=26 * len(plot) + 30).to_dict(validate=False)
