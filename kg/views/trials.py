"""Trials and their published figures: arms, outcomes as published, forest-plot rows.

Every figure keeps its text exactly as published (``value_text``, the CI texts); the floats
only place points on an axis. A figure's link is its DOI, else PubMed, else the source URL;
when there is none, the row still names its publication (``pub_id``) and the page links to
that publication's page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from kg.views.base import Runner
from kg.views.references import doi_url, pmid_url

__all__ = ["trial_arms", "trial_outcomes", "forest_rows", "arm_received"]


def trial_arms(run: Runner, trial: str = "") -> list[dict[str, Any]]:
    """Return trials × arms (experimental arms first within a trial).

    Parameters
    ----------
    run : Runner
        Executes named queries.
    trial : str
        A trial id, or '' for every trial.

    Returns
    -------
    list of dict
        See ``24_trial_arms``.
    """
    rows = run("24_trial_arms", {"trial": trial})
    role = {"experimental": 0, "single": 1, "control": 2}
    return sorted(rows, key=lambda r: (str(r["trial_name"]), role.get(r["role"], 3),
                                       str(r["arm_name"])))


def arm_received(arm: Mapping[str, Any]) -> str:
    """Say what an arm received: its `treatment` as the source words it, else its drugs.

    Parameters
    ----------
    arm : mapping
        A ``24_trial_arms`` row (``treatment``, ``treatments``).

    Returns
    -------
    str
        E.g. ``'pemetrexed plus cisplatin or carboplatin'`` (never the three-drug
        ``'pemetrexed + cisplatin + carboplatin'``), ``'alectinib'``, or '' when nothing is
        recorded.

    Examples
    --------
    >>> arm_received({"treatment": "pemetrexed plus cisplatin or carboplatin",
    ...               "treatments": ["pemetrexed", "cisplatin", "carboplatin"]})
    'pemetrexed plus cisplatin or carboplatin'
    >>> arm_received({"treatment": None, "treatments": ["alectinib"]})
    'alectinib'
    """
    return str(arm.get("treatment") or " + ".join(arm.get("treatments") or []))


def _ci_text(r: Mapping[str, Any]) -> str:
    lo, hi = r.get("ci_low_text"), r.get("ci_high_text")
    if not lo and not hi:
        return ""
    level = r.get("ci_level_text") or "level not stated"
    return f"{level} CI {lo or '?'}–{hi or '?'}"


def trial_outcomes(run: Runner, trial: str = "") -> list[dict[str, Any]]:
    """Return every published figure with arm names, CI text and a source link resolved.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    trial : str
        A trial id, or '' for every trial.

    Returns
    -------
    list of dict
        The rows of ``27_outcomes`` with added keys: ``arm_name``, ``experimental_name``,
        ``comparator_name``, ``arm_short`` (what the arm received), ``comparison`` (e.g.
        ``'alectinib vs crizotinib'``), ``ci_text`` (e.g. ``'95% CI 0.26–0.52'``),
        ``display`` (value as published with unit and CI), ``source_url`` (DOI, else
        PubMed, else URL, else None: the page then links to ``pub_id``, the publication's
        own page) and ``reference`` (short name).
    """
    arm_rows = trial_arms(run, trial)
    arms = {r["arm_id"]: r["arm_name"] for r in arm_rows}
    short = {r["arm_id"]: arm_received(r) or r["arm_name"] for r in arm_rows}
    out = []
    for r in run("27_outcomes", {"trial": trial}):
        r = dict(r)
        r["arm_name"] = arms.get(r.get("arm_id"), "")
        r["experimental_name"] = arms.get(r.get("experimental_arm_id"), "")
        r["comparator_name"] = arms.get(r.get("comparator_arm_id"), "")
        r["arm_short"] = short.get(r.get("arm_id"), "")
        exp, comp = (short.get(r.get("experimental_arm_id"), ""),
                     short.get(r.get("comparator_arm_id"), ""))
        r["comparison"] = f"{exp} vs {comp}" if exp else r["arm_short"]
        r["ci_text"] = _ci_text(r)
        unit = f" {r['unit']}" if r.get("unit") and r["unit"] not in ("ratio",) else ""
        if unit == " %":
            unit = "%"
        if _finite(r.get("value")) is None and r.get("value") != 0:  # NR, NE: no unit
            unit = ""
        r["display"] = (f"{r['value_text']}{unit}"
                        + (f" ({r['ci_text']})" if r["ci_text"] else ""))
        r["source_url"] = (doi_url(r.get("doi")) or pmid_url(r.get("pmid"))
                           or r.get("url") or None)
        r["reference"] = r.get("pub_name") or r.get("bib_key") or ""
        out.append(r)
    return out


def _finite(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) and f > 0 else None


def forest_rows(outcomes: Iterable[Mapping[str, Any]], *, endpoint: str | None = None,
                measure: str = "hazard_ratio") -> list[dict[str, Any]]:
    """Return the rows of a forest plot: comparison figures with a plottable estimate.

    Each row keeps the published text (``value_text``, ``ci_text``) for display and adds
    ``x``, ``lo``, ``hi`` (floats for placement only; None when a bound is NR/NE), a row
    label and ``ci_level_text``. Rows without a positive numeric estimate are left out.

    Parameters
    ----------
    outcomes : iterable of mapping
        Rows of `trial_outcomes`.
    endpoint : str, optional
        Keep only this endpoint.
    measure : str
        ``hazard_ratio`` (default) or another comparison measure.

    Returns
    -------
    list of dict
    """
    rows = []
    for o in outcomes:
        if o.get("measure") != measure or (endpoint and o.get("endpoint") != endpoint):
            continue
        x = _finite(o.get("value"))
        if x is None:
            continue
        bits = [str(o.get("trial_name") or ""), str(o.get("comparison") or "")]
        extra = [o.get("population") if o.get("population") not in (None, "ITT") else None,
                 o.get("assessment"), o.get("data_cutoff")]
        label = " — ".join(b for b in bits if b)
        if any(extra):
            label += f" ({', '.join(str(e) for e in extra if e)})"
        rows.append({**o, "x": x, "lo": _finite(o.get("ci_low")),
                     "hi": _finite(o.get("ci_high")), "row": label,
                     "ci_level_text": o.get("ci_level_text") or "level not stated"})
    return rows
