"""Vega-Lite specs of the trial charts, built once per graph version and selection.

Both charts fit any width, from a 390 px phone to a wide screen: each row takes two lines,
its label on the first (cut with an ellipsis only when it is wider than the chart) and, on
the second, the value exactly as published in bold at the left and the mark on the axis at
the right (the axis starts after the value, ``min(175 px, half the width)``). Pages draw
them with ``st.vega_lite_chart(spec, width="stretch")`` (vega is bundled with Streamlit and
served locally), so the values stay readable on a phone.

Every mark carries an ``href`` to its source (DOI, else PubMed, else the publication's page
in the browser). Vega opens it in the same tab: Streamlit keeps only the theme, renderer and
padding of ``usermeta.embedOptions``, so the loader's ``target`` cannot be set to a new tab.
Back returns to the same view, because the view lives in the URL.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from app_pages._shared import Graph, get_store, outcome_href
from kg import views as V

__all__ = ["forest_spec", "medians_spec", "ROW_STEP", "CI_COLOURS"]

CI_COLOURS = ["#1f4e9c", "#d95f02", "#7570b3", "#1b9e77", "#e7298a"]
ROW_STEP = 46  # pixels per row: a label line and a value line
FIELDS = ["trial_name", "comparison", "display", "p_value_text", "population", "assessment",
          "data_cutoff", "reference", "locator", "quote", "source_url", "ci_level_text",
          "figure"]
TOOLTIP = [{"field": "figure", "title": "figure"}, {"field": "comparison", "title": "arms"},
           {"field": "display", "title": "as published"},
           {"field": "p_value_text", "title": "p"}, {"field": "population"},
           {"field": "assessment"}, {"field": "data_cutoff", "title": "data cut-off"},
           {"field": "reference"}, {"field": "locator"}, {"field": "quote"},
           {"field": "source_url", "title": "click opens"}]


def _outcomes(version: str, sdir: str, trial: str, as_of: str | None) -> list[dict[str, Any]]:
    """The figures of `trial` ('' all), each with the link its marks open."""
    rows = Graph(get_store(sdir), version, sdir).cached(V.trial_outcomes, as_of=as_of)
    return [{**o, "source_url": outcome_href(o)} for o in rows
            if not trial or o["trial_id"] == trial]


def _clean(v: Any) -> Any:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return v


def _values(rows: Sequence[Mapping[str, Any]], **extra: Any) -> list[dict[str, Any]]:
    out = []
    for i, r in enumerate(rows):
        d = {k: ("" if r.get(k) is None else r.get(k)) for k in FIELDS}
        d.update({k: _clean(f(r)) for k, f in extra.items()})
        d["key"] = f"{i:03d}"  # one band per row, in order, even when two labels are equal
        out.append(d)
    return out


def _two_line_chart(values: list[dict[str, Any]], *, x_title: str, scale: dict[str, Any],
                    colour: dict[str, Any], rule_at: float | None = None) -> dict[str, Any]:
    """A layered chart, full width: label line, then value text and the mark on the axis."""
    y = {"field": "key", "type": "nominal", "sort": None, "axis": None}
    scale = {**scale, "range": [{"expr": "min(175, width * 0.5)"}, {"expr": "width"}]}
    x = {"field": "x", "type": "quantitative", "scale": scale, "title": x_title,
         "axis": {"grid": True, "tickCount": 6, "labelFlush": True}}
    common = {"y": y, "href": {"field": "source_url"}, "tooltip": TOOLTIP}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "text", "align": "left", "baseline": "middle", "dy": -11,
                  "fontSize": 11, "limit": {"expr": "width"}, "color": "#333"},
         "encoding": {**common, "x": {"value": 0}, "text": {"field": "row"}}},
        {"mark": {"type": "text", "align": "left", "baseline": "middle", "dy": 8,
                  "fontSize": 12, "fontWeight": "bold", "limit": {"expr": "min(170, width)"}},
         "encoding": {**common, "x": {"value": 0}, "text": {"field": "display"}}},
        {"mark": {"type": "rule", "strokeWidth": 2, "yOffset": 8},
         "encoding": {**common, "x": {**x, "field": "lo"}, "x2": {"field": "hi"},
                      "color": colour}},
        {"mark": {"type": "point", "filled": True, "shape": "square", "size": 90,
                  "yOffset": 8, "opacity": 1},
         "encoding": {**common, "x": x, "color": colour}},
    ]
    if rule_at is not None:
        layers.append({"data": {"values": [{"x": rule_at}]},
                       "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#666"},
                       "encoding": {"x": {"field": "x", "type": "quantitative"}}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values}, "width": "container", "height": {"step": ROW_STEP},
        "autosize": {"type": "fit-x", "contains": "padding"}, "layer": layers,
        "config": {"view": {"stroke": None}, "legend": {"orient": "bottom"}},
    }


@st.cache_data(max_entries=256, show_spinner=False)
def forest_spec(version: str, sdir: str, trial: str, endpoint: str,
                as_of: str | None = None) -> dict[str, Any] | None:
    """Return the forest plot of one endpoint's hazard ratios (log x axis, CI bars by level).

    Parameters
    ----------
    version, sdir : str
        Graph version and state directory (the cache key; see `app_pages._shared.Graph`).
    trial : str
        A trial id, or '' for every trial.
    endpoint : str
        The endpoint whose hazard ratios are drawn (e.g. ``'PFS'``).
    as_of : str, optional
        Leave out figures published after this date.

    Returns
    -------
    dict or None
        A Vega-Lite spec; None when no figure has a plottable estimate.
    """
    rows = V.forest_rows(_outcomes(version, sdir, trial, as_of), endpoint=endpoint)
    if not rows:
        return None
    values = _values(rows, row=lambda r: r["row"], x=lambda r: r["x"], lo=lambda r: r["lo"],
                     hi=lambda r: r["hi"])
    xs = [v[k] for v in values for k in ("x", "lo", "hi") if v[k] and v[k] > 0]
    lo, hi = min([*xs, 0.5]), max([*xs, 1.5])
    levels = sorted({v["ci_level_text"] for v in values}, key=lambda x: (x != "95%", x))
    colour = {"field": "ci_level_text", "type": "nominal", "title": "CI level",
              "scale": {"domain": levels, "range": CI_COLOURS[:len(levels)]}}
    return _two_line_chart(
        values, x_title=f"{endpoint} hazard ratio (log scale; below 1 favours the first arm)",
        scale={"type": "log", "domain": [lo * 0.8, hi * 1.25], "nice": False},
        colour=colour, rule_at=1.0)


@st.cache_data(max_entries=256, show_spinner=False)
def medians_spec(version: str, sdir: str, trial: str,
                 as_of: str | None = None) -> dict[str, Any] | None:
    """Return the dot plot of median PFS and OS per arm (months), CI bars where published.

    Parameters
    ----------
    version, sdir : str
        Graph version and state directory (the cache key; see `app_pages._shared.Graph`).
    trial : str
        A trial id, or '' for every trial.
    as_of : str, optional
        Leave out figures published after this date.

    Returns
    -------
    dict or None
        A Vega-Lite spec; None when no median was published as a number.
    """
    med = [o for o in _outcomes(version, sdir, trial, as_of)
           if o["measure"] == "median" and o["endpoint"] in ("PFS", "OS")
           and o.get("value") is not None]
    if not med:
        return None
    values = _values(
        med, x=lambda o: o["value"], lo=lambda o: o.get("ci_low"), hi=lambda o: o.get("ci_high"),
        endpoint=lambda o: o["endpoint"],
        row=lambda o: f"{o['trial_name']} — {o['endpoint']}, {o['arm_short']}"
        + (f" ({o['population']})" if o["population"] != "ITT" else ""))
    top = max([v[k] for v in values for k in ("x", "hi") if v[k]] + [1])
    colour = {"field": "endpoint", "type": "nominal", "title": "endpoint"}
    return _two_line_chart(values, x_title="median, months (as published)",
                           scale={"type": "linear", "domain": [0, top * 1.05],
                                  "nice": False}, colour=colour)
