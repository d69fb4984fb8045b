"""Trials and their published figures: arms, outcomes as published, forest-plot rows.

Every figure keeps its text exactly as published (``value_text``, the CI texts); the floats
only place points on an axis. A figure's link is its DOI, else PubMed, else the source URL;
when there is none, the row still names its publication (``pub_id``) and the page links to
that publication's page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.views.base import Runner
from kg.views.dates import as_date, publication_dates
from kg.views.references import doi_url, pmid_url

__all__ = ["trial_arms", "trial_outcomes", "forest_rows", "figure_name", "is_cns",
           "not_entered", "arm_received", "ANALYSIS_ORDER", "SOURCE_KINDS"]

#: How the analyses a figure comes from are ordered (``Outcome.analysis``).
ANALYSIS_ORDER = ("primary", "interim", "final", "update", "post_hoc")
#: A figure's source kind in words (``Outcome.source_kind``).
SOURCE_KINDS = {"journal_abstract": "abstract", "journal_full_text": "full text",
                "pmc_full_text": "PMC full text", "regulatory_label": "label",
                "congress_abstract": "congress abstract"}
_CNS_WORDS = re.compile(r"\b(cns|brain|intracranial|leptomeningeal)\b", re.I)


def trial_arms(run: Runner, trial: str = "", *, as_of: str | None = None
               ) -> list[dict[str, Any]]:
    """Return trials × arms (experimental arms first within a trial).

    Parameters
    ----------
    run : Runner
        Executes named queries.
    trial : str
        A trial id, or '' for every trial.
    as_of : str, optional
        An "as of" date (``YYYY-MM-DD`` or ``letter``): trials first reported after it are
        left out.

    Returns
    -------
    list of dict
        See ``24_trial_arms``.

    Raises
    ------
    ValueError
        `as_of` is not a date.
    """
    rows = run("24_trial_arms", {"trial": trial})
    when = as_date(as_of)
    if when is not None:
        dates = publication_dates(run)
        rows = [r for r in rows if dates.visible(r["trial_id"], when)]
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


def trial_outcomes(run: Runner, trial: str = "", *, as_of: str | None = None
                   ) -> list[dict[str, Any]]:
    """Return every published figure with arm names, CI text and a source link resolved.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    trial : str
        A trial id, or '' for every trial.
    as_of : str, optional
        An "as of" date (``YYYY-MM-DD`` or ``letter``): figures published after it are left
        out.

    Returns
    -------
    list of dict
        The rows of ``27_outcomes`` with added keys: ``arm_name``, ``experimental_name``,
        ``comparator_name``, ``arm_short`` (what the arm received), ``comparison`` (e.g.
        ``'alectinib vs crizotinib'``), ``ci_text`` (e.g. ``'95% CI 0.26–0.52'``),
        ``display`` (value as published with unit and CI), ``source_url`` (DOI, else
        PubMed, else URL, else None: the page then links to ``pub_id``, the publication's
        own page), ``reference`` (short name), ``figure`` (`figure_name`), ``kind`` (the
        source kind in words, '' when not recorded) and ``cns`` (`is_cns`).

    Raises
    ------
    ValueError
        `as_of` is not a date.
    """
    when = as_date(as_of)
    dates = publication_dates(run) if when is not None else None
    arm_rows = trial_arms(run, trial)
    arms = {r["arm_id"]: r["arm_name"] for r in arm_rows}
    short = {r["arm_id"]: arm_received(r) or r["arm_name"] for r in arm_rows}
    out = []
    for r in run("27_outcomes", {"trial": trial}):
        if dates is not None and not dates.visible(r["outcome_id"], when):
            continue
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
        r["figure"] = figure_name(r)
        r["kind"] = SOURCE_KINDS.get(r.get("source_kind") or "", r.get("source_kind") or "")
        r["cns"] = is_cns(r)
        out.append(r)
    return out


def figure_name(o: Mapping[str, Any]) -> str:
    """Name a figure with its trial and its analysis, so no two trials' figures read alike.

    Parameters
    ----------
    o : mapping
        A ``27_outcomes`` row (``trial_name``, ``outcome_name``, optionally ``analysis`` and
        ``analysis_label``).

    Returns
    -------
    str
        ``'<trial>: <figure name>'``, then the analysis in brackets unless the name already
        says it.

    Examples
    --------
    >>> figure_name({"trial_name": "ALEX", "outcome_name": "median PFS, alectinib",
    ...              "analysis": "primary"})
    'ALEX: median PFS, alectinib (primary analysis)'
    >>> figure_name({"trial_name": "J-ALEX", "outcome_name": "OS HR, final OS analysis",
    ...              "analysis": "final", "analysis_label": "final OS analysis"})
    'J-ALEX: OS HR, final OS analysis'
    """
    name = str(o.get("outcome_name") or o.get("outcome_id") or "")
    label = o.get("analysis_label") or (
        f"{str(o['analysis']).replace('_', ' ')} analysis" if o.get("analysis") else "")
    low = name.lower()
    if label and label.lower() not in low and not (
            o.get("analysis") and str(o["analysis"]).replace("_", " ") in low):
        name = f"{name} ({label})"
    trial = o.get("trial_name")
    return f"{trial}: {name}" if trial else name


def is_cns(o: Mapping[str, Any]) -> bool:
    """Say whether a figure is about the CNS: its endpoint, population or name says so.

    Parameters
    ----------
    o : mapping
        A ``27_outcomes`` row.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_cns({"endpoint": "IC-ORR"}), is_cns({"endpoint": "PFS",
    ...                                         "population": "baseline brain metastases"})
    (True, True)
    >>> is_cns({"endpoint": "PFS", "population": "ITT", "outcome_name": "median PFS"})
    False
    """
    if str(o.get("endpoint") or "").upper().startswith(("IC-", "CNS")):
        return True
    return any(_CNS_WORDS.search(str(o.get(k) or "")) for k in ("population", "outcome_name"))


def not_entered(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return a trial's figures looked for and not entered, as (what, reason) pairs.

    Parameters
    ----------
    props : mapping
        The trial's properties: ``not_entered`` as ``'what: reason'`` texts, or as the
        whats with the reasons at the same positions of ``not_entered_reasons``.

    Returns
    -------
    list of tuple
        Empty when the trial records none.

    Examples
    --------
    >>> not_entered({"not_entered": ["OS: not stated in the abstract"]})
    [('OS', 'not stated in the abstract')]
    >>> not_entered({"not_entered": ["OS"], "not_entered_reasons": ["not stated"]})
    [('OS', 'not stated')]
    """
    whats = [str(x) for x in props.get("not_entered") or []]
    reasons: Sequence[Any] = props.get("not_entered_reasons") or []
    if len(reasons) == len(whats) and reasons:
        return [(w, str(r)) for w, r in zip(whats, reasons, strict=True)]
    return [tuple(w.split(": ", 1)) if ": " in w else (w, "") for w in whats]  # type: ignore[misc]


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
    label (trial, comparison; population, assessment, analysis and cut-off in brackets) and
    ``ci_level_text``. Rows without a positive numeric estimate are left out.

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
        analysis = o.get("analysis_label") or (
            f"{str(o['analysis']).replace('_', ' ')} analysis" if o.get("analysis") else None)
        extra = [o.get("population") if o.get("population") not in (None, "ITT") else None,
                 o.get("assessment"), analysis, o.get("data_cutoff")]
        label = " — ".join(b for b in bits if b)
        if any(extra):
            label += f" ({', '.join(str(e) for e in extra if e)})"
        rows.append({**o, "x": x, "lo": _finite(o.get("ci_low")),
                     "hi": _finite(o.get("ci_high")), "row": label,
                     "ci_level_text": o.get("ci_level_text") or "level not stated"})
    return rows
