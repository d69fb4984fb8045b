"""A drug's page, efficacy first: its trials and their figures, the CNS figures, then what
variants and mechanisms do to it (direct and inherited evidence, apart).

The graph does not record which endpoint a trial declared primary, so within a trial the
figures come in a fixed clinical order: PFS, then OS, then response and the rest; within an
endpoint the comparison (hazard ratio) before the medians and rates; then by the analysis
they come from (primary, interim, final, update, post hoc), each named as the source names
it (``analysis_label``); the drug's own arm before the others. Every figure keeps its text
as published (`kg.views.trials.trial_outcomes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.views.base import MECHANISM, VARIANT, Runner, get_node
from kg.views.matrix import ALK_CONTEXT, resistance_matrix
from kg.views.trials import ANALYSIS_ORDER, not_entered, trial_arms, trial_outcomes

__all__ = ["TrialEfficacy", "ResponseRow", "DrugEfficacy", "drug_efficacy", "figure_order"]

_ENDPOINTS = ("PFS", "OS", "ORR", "DOR", "EFS", "TTP", "DCR")
_MEASURES = ("hazard_ratio", "median", "rate")


@dataclass(frozen=True)
class TrialEfficacy:
    """One trial where the drug is an arm: its arms and figures as published."""

    trial_id: str
    trial_name: str
    phase: str
    setting: str
    design: str
    drug_arms: tuple[str, ...]  # names of the arms that receive the drug
    other_arms: tuple[str, ...]
    drug_role: str  # experimental, single or control: the drug's best role in the trial
    figures: tuple[dict[str, Any], ...]  # not about the CNS, in `figure_order`
    cns: tuple[dict[str, Any], ...]  # about the CNS, in `figure_order`
    not_entered: tuple[tuple[str, str], ...]  # (what, reason)


@dataclass(frozen=True)
class ResponseRow:
    """What one variant or mechanism does to the drug: direct and inherited evidence apart."""

    subject_id: str
    subject_label: str
    subject_name: str
    direct: str  # 'resistant · 2 · B', or '' without direct evidence
    inherited: str  # 'via ALK kinase-domain mutation: sensitive · 1 · D', or ''
    status: str  # the direct state, else the inherited one


@dataclass(frozen=True)
class DrugEfficacy:
    """Everything a drug's page shows before its claims."""

    drug_id: str
    trials: tuple[TrialEfficacy, ...]
    responses: tuple[ResponseRow, ...]

    @property
    def cns(self) -> tuple[dict[str, Any], ...]:
        """Every CNS figure of the drug's trials, trial by trial."""
        return tuple(o for t in self.trials for o in t.cns)

    @property
    def n_figures(self) -> int:
        """Figures shown, CNS included."""
        return sum(len(t.figures) + len(t.cns) for t in self.trials)


def figure_order(o: Mapping[str, Any], drug_arms: frozenset[str] = frozenset()
                 ) -> tuple[Any, ...]:
    """Return the sort key of a figure on a drug's page (see the module).

    Parameters
    ----------
    o : mapping
        A row of `trial_outcomes`.
    drug_arms : frozenset of str
        Arm ids that receive the drug: their figures and comparisons come first.

    Returns
    -------
    tuple

    Examples
    --------
    >>> rows = [{"endpoint": "OS", "measure": "median", "analysis": "final"},
    ...         {"endpoint": "PFS", "measure": "median", "analysis": "final"},
    ...         {"endpoint": "PFS", "measure": "hazard_ratio", "analysis": "final"},
    ...         {"endpoint": "PFS", "measure": "hazard_ratio", "analysis": "primary"}]
    >>> [(r["endpoint"], r["measure"], r["analysis"]) for r in sorted(rows, key=figure_order)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('PFS', 'hazard_ratio', 'primary'), ('PFS', 'hazard_ratio', 'final'),
     ('PFS', 'median', 'final'), ('OS', 'median', 'final')]
    """
    ep = str(o.get("endpoint") or "")
    measure = str(o.get("measure") or "")
    analysis = str(o.get("analysis") or "")
    arms = {o.get("arm_id"), o.get("experimental_arm_id"), o.get("comparator_arm_id")}
    return (_ENDPOINTS.index(ep) if ep in _ENDPOINTS else len(_ENDPOINTS),
            _MEASURES.index(measure) if measure in _MEASURES else len(_MEASURES),
            ANALYSIS_ORDER.index(analysis) if analysis in ANALYSIS_ORDER
            else len(ANALYSIS_ORDER),
            0 if arms & drug_arms else 1, str(o.get("outcome_id") or ""))


def drug_efficacy(run: Runner, drug_id: str, *, source: str = "both",
                  as_of: str | None = None) -> DrugEfficacy:
    """Return a drug's trials with their figures, its CNS figures and its variant evidence.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    drug_id : str
        The drug's node id.
    source : {'both', 'curated', 'civic'}
        Which claims count for the variant evidence.
    as_of : str, optional
        An "as of" date (``YYYY-MM-DD`` or ``letter``): trials, figures and claims
        published after it are left out.

    Returns
    -------
    DrugEfficacy
        Trials where the drug is an experimental or single arm first, then as a control;
        variant and mechanism rows with direct evidence first.

    Raises
    ------
    ValueError
        `as_of` is not a date.
    """
    arms = trial_arms(run, as_of=as_of)
    by_trial: dict[str, list[dict[str, Any]]] = {}
    for a in arms:
        by_trial.setdefault(a["trial_id"], []).append(a)
    figures = trial_outcomes(run, as_of=as_of)
    role_rank = {"experimental": 0, "single": 0, "control": 1}
    trials = []
    for tid, rows in by_trial.items():
        mine = [a for a in rows if drug_id in (a.get("treatment_ids") or [])]
        if not mine:
            continue
        ids = frozenset(a["arm_id"] for a in mine)
        figs = sorted((o for o in figures if o["trial_id"] == tid),
                      key=lambda o: figure_order(o, ids))
        node = get_node(run, tid)
        first = rows[0]
        role = min((a.get("role") or "" for a in mine), key=lambda r: role_rank.get(r, 2))
        trials.append(TrialEfficacy(
            trial_id=tid, trial_name=str(first["trial_name"] or tid),
            phase=str(first.get("phase") or ""), setting=str(first.get("setting") or ""),
            design=str(first.get("design") or ""),
            drug_arms=tuple(str(a["arm_name"]) for a in mine),
            other_arms=tuple(str(a["arm_name"]) for a in rows if a not in mine),
            drug_role=role, figures=tuple(o for o in figs if not o["cns"]),
            cns=tuple(o for o in figs if o["cns"]),
            not_entered=tuple(not_entered((node or {}).get("props") or {}))))
    trials.sort(key=lambda t: (role_rank.get(t.drug_role, 2), t.trial_name.lower()))
    m = resistance_matrix(run, source=source, subjects=(VARIANT, MECHANISM), gene=ALK_CONTEXT,
                          as_of=as_of)
    responses = []
    for sid, label, name in m.rows:
        cell = m.cell(sid, drug_id)
        if cell is None:
            continue
        direct = f"{cell.status} · {cell.n} · {cell.best_level}" if cell.n else ""
        inh = cell.inherited.text if cell.inherited else ""
        responses.append(ResponseRow(
            subject_id=sid, subject_label=label, subject_name=name, direct=direct,
            inherited=inh, status=cell.status or (cell.inherited.status
                                                  if cell.inherited else "")))
    responses.sort(key=lambda r: (not r.direct, r.subject_label != VARIANT,
                                  r.subject_name.lower()))
    return DrugEfficacy(drug_id=drug_id, trials=tuple(trials), responses=tuple(responses))
