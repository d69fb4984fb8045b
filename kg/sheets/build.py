"""Build a tumour-board sheet from the graph: only named queries, through a runner.

`prep_sheet` follows the decision path of the Dubey et al. 2020 letter (`LETTER_KEY`):

1. **Site of progression** -- the claims about the resistance mechanisms of that site
   (`SITE_CATEGORIES`: intracranial progression is the *pharmacokinetic* failure, poor CNS
   penetration; extracranial progression is acquired resistance, *on-target*, *bypass* or
   *histologic transformation*), limited to the drugs the patient received, and for
   intracranial progression the CNS figures of the arms that received the failing drug.
2. **Alterations** -- each typed alteration normalised against the graph (names, synonyms,
   HGVS: "G1202R", "ALK p.G1202R", "MET amplification", "EML4-ALK v3"; an unknown one is
   reported, never dropped), then its resistance and sensitivity evidence by drug, its own
   (*direct*) and that of the mechanisms and profiles it belongs to (*inherited*, "via ...",
   `kg.views.inherited`, the matrix's rule), with levels and conflicts; then what the graph
   says about finding it in the sample type (tissue or plasma).
3. **Drugs with evidence of activity in this situation** -- every other ALK inhibitor, and
   any drug with sensitivity evidence for an alteration, that has such evidence: sensitivity
   for the alterations, CNS figures (first when progression is intracranial), figures from
   trials that enrolled patients after a drug the patient received, and claims that the
   drug is effective or better. Alphabetical: the sheet ranks nothing.
4. **Local therapy** (oligoprogression only) -- the claims about local therapies.
5. **The letter's own statements** that bear on the scenario, each with its citation check
   (`kg.views.citations`).
6. **Added by you** -- claims and figures put in the basket from the browser.
7. **Not in the graph** -- every question the scenario raises that has no evidence.

Each claim is shown once, in the first section it belongs to; later sections name it. The
letter's own statements appear only in section 5 (the topical sections point to them).

The steps live in their own modules: `kg.sheets.resolve` finds the scenario's drugs and
alterations in the graph, `kg.sheets.evidence` gathers what the sheet draws on once,
`kg.sheets.sections` builds each section and `kg.sheets.items` turns claims and figures into
cited items. Their public names used before the split are importable from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kg.sheets.evidence import (
    DRUG_PREDICATES,
    LETTER_KEY,
    LOCAL_THERAPY,
    PROCEDURE,
    SAMPLE_TERMS,
    SITE_CATEGORIES,
    SheetEvidence,
)
from kg.sheets.items import SOURCE_KINDS, cite_key, source_kind_words
from kg.sheets.model import NOTICE, Block, Footer, Section, Sheet, Work
from kg.sheets.resolve import alk_inhibitors, normalise_alteration
from kg.sheets.scenario import Scenario
from kg.sheets.sections import (
    alterations_section,
    basket_section,
    drugs_section,
    letter_section,
    local_therapy_section,
    not_in_graph_section,
    site_section,
)
from kg.views.base import Runner

__all__ = ["LETTER_KEY", "SITE_CATEGORIES", "SAMPLE_TERMS", "SOURCE_KINDS", "prep_sheet",
           "alk_inhibitors", "normalise_alteration", "cite_key", "source_kind_words",
           "DRUG_PREDICATES", "LOCAL_THERAPY", "PROCEDURE"]


def prep_sheet(run: Runner, *, scenario: Mapping[str, Any] | Scenario,
               basket: Sequence[str] = (), graph_version: str = "",
               built_at: str = "") -> Sheet:
    """Build the tumour-board sheet of a scenario from the graph.

    Parameters
    ----------
    run : Runner
        Executes named queries (the app passes its cached runner).
    scenario : mapping or Scenario
        The scenario's fields (`Scenario.parse` checks them) or a checked `Scenario`.
    basket : sequence of str, optional
        Claim and figure ids added by the reader (section "Added by you").
    graph_version : str, optional
        The graph's fingerprint (``store.graph_version()``), recorded in the footer.
    built_at : str, optional
        When the graph was built (``store.meta()['built_at']``), recorded in the footer.

    Returns
    -------
    Sheet

    Raises
    ------
    ScenarioError
        A field is invalid, or a drug is not an ALK inhibitor the graph knows (each problem
        names its field).

    Examples
    --------
    >>> from kg.views import store_runner
    >>> sheet = prep_sheet(store_runner(store), scenario={
    ...     "drug": "alectinib", "prior": ["crizotinib"], "progression": "extracranial",
    ...     "pattern": "systemic", "alterations": ["G1202R", "ZZZ9 Q999X"]})
    >>> [a.name or f"unknown: {a.text}" for a in sheet.alterations]
    ['ALK G1202R', 'unknown: ZZZ9 Q999X']
    >>> [s.key for s in sheet.sections]  # doctest: +NORMALIZE_WHITESPACE
    ['site', 'alterations', 'drugs', 'letter', 'not_in_graph']
    """
    sc = scenario if isinstance(scenario, Scenario) else Scenario.parse(scenario)
    b = SheetEvidence(run, sc, basket)
    alterations, alt_summary, sensitive_drugs = alterations_section(b)
    # 1. site of progression (built after section 2, whose cells show all their claims)
    sections = [site_section(b), alterations]
    drugs, cands = drugs_section(b, alt_summary, sensitive_drugs)
    sections.append(drugs)
    if sc.pattern == "oligoprogression":
        sections.append(local_therapy_section(b))
    sections.append(letter_section(b, cands))
    if b.basket:
        sections.append(basket_section(b))
    sections.append(not_in_graph_section(b))

    # number the sections, and the cross-references between them
    numbers = {s.key: str(i) for i, s in enumerate(sections, 1)}
    sections = [_renumber(s, numbers) for s in sections]

    # works cited: every item's and every checked work's
    pids = {i.citation.pub_id for s in sections for i in s.items if i.citation.pub_id}
    pids |= {w.citation.pub_id for s in sections for i in s.items for w in i.checks
             if w.citation.pub_id}
    b.fetch_works(pids)
    pub_props = b.pub_props
    works = tuple(sorted((Work(id=p, key=cite_key(p, pub_props[p].get("bib_key")),
                               props=pub_props[p]) for p in pids if p in pub_props),
                         key=lambda w: w.key.lower()))
    drug_name = b.name(b.drug)
    footer = Footer(scenario=sc.to_dict(),
                    command="python -m kg prep " + " ".join(_shell(a) for a in sc.cli_args())
                    + "".join(f" --add {_shell(x)}" for x in b.basket),
                    graph_version=graph_version or "not recorded",
                    built_at=built_at or "not recorded",
                    as_of=str(b.as_of) if b.as_of else "none (all evidence in the graph)",
                    basket=tuple(b.basket))
    return Sheet(title=f"Tumour-board evidence sheet: progression on {drug_name}",
                 summary=sc.describe(), notice=NOTICE, drug=(b.drug, drug_name),
                 prior=tuple((p, b.name(p)) for p in b.prior), alterations=tuple(b.alts),
                 sections=tuple(sections), works=works, footer=footer)


def _shell(arg: str) -> str:
    return arg if re.fullmatch(r"[A-Za-z0-9_.:/=@%+-]+", arg) else "'" + arg.replace(
        "'", "'\\''") + "'"


def _renumber(s: Section, numbers: Mapping[str, str]) -> Section:
    def fix(text: str) -> str:
        for key, no in numbers.items():
            text = text.replace(f"§{key}§", no)
        return text

    blocks = tuple(Block(title=bl.title, note=bl.note, items=bl.items,
                         lines=tuple(fix(x) for x in bl.lines), depth=bl.depth)
                   for bl in s.blocks)
    return Section(key=s.key, title=f"{numbers[s.key]}. {s.title}", intro=s.intro,
                   blocks=blocks)
