"""The sections of a tumour-board sheet, each built from the scenario's gathered evidence.

Built in the order of `kg.sheets.build.prep_sheet`: the alterations (section 2) first, whose
cells show all their claims; then the site of progression (1), the drugs (3), local therapy
(4, oligoprogression only), the letter's own statements (5), what the reader added (6) and
what is not in the graph (7). Each claim is shown once, in the first section it belongs to
(`SheetEvidence.take`); cross-references read ``§key§`` until the sheet numbers them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from kg.sheets.evidence import LETTER_KEY, LOCAL_THERAPY, PROCEDURE, SheetEvidence, is_cns
from kg.sheets.items import checked_works, claim_item
from kg.sheets.model import Block, Section
from kg.views.base import DRUG, RESISTANCE, SENSITIVITY, VARIANT

__all__ = ["alterations_section", "site_section", "drugs_section", "local_therapy_section",
           "letter_section", "basket_section", "not_in_graph_section"]

_RESPONSE = (RESISTANCE, SENSITIVITY)


def alterations_section(b: SheetEvidence) -> tuple[Section, dict[str, list[tuple[str, str]]],
                                                   set[str]]:
    """Return section 2: each alteration, then its resistance and sensitivity evidence by drug.

    Its own (*direct*) evidence and, apart, that of the mechanisms and profiles it belongs to
    (*inherited*, "via ..."), with the cell's status; then its other claims, the letter on it
    and, for a sample type, the claims about finding alterations in it. Built first: its
    cells show all their claims.

    Parameters
    ----------
    b : SheetEvidence
        The scenario's evidence: the alterations and the claims about them and about the
        procedures of the sample; records the claims shown and what is missing.

    Returns
    -------
    section : Section
        Key ``alterations``.
    summary : dict
        Drug id -> (alteration name, status) per alteration with evidence for the drug.
    sensitive : set of str
        The drugs an alteration has sensitivity evidence for.
    """
    sc, about, cards, letter, alk = b.sc, b.about, b.cards, b.letter, b.alk
    blocks = [] if sc.alterations else [
        Block(title="No alteration was entered",
              lines=("Enter the alterations found at progression to see their evidence by "
                     "drug.",))]
    alt_summary: dict[str, list[tuple[str, str]]] = defaultdict(list)  # drug -> (alt, text)
    sensitive_drugs: set[str] = set()
    for a in b.alts:
        if a.node_id is None:
            blocks.append(Block(title=f"“{a.text}”: not found in the graph",
                                lines=(f"No variant, resistance mechanism or gene in the graph "
                                       f"is named “{a.text}” (names, synonyms, HGVS searched); "
                                       "nothing below concerns it.",)))
            b.missing.append(f"The alteration “{a.text}”: not found in the graph (it is not "
                             "assessed on this sheet)")
            continue
        match = {"name": "by name", "synonym": "by synonym",
                 "partial": f"partial match, {a.others} other node(s) match too"}[a.matched]
        via_txt = "; inherits the evidence of " + ", ".join(n for _, n in a.via) if a.via else ""
        blocks.append(Block(title=f"{a.name} (entered as “{a.text}”)",
                            note=f"{a.label} {a.node_id}, found {match}{via_txt}"))
        parent_name = dict(a.via)
        per_drug: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        other: dict[str, list[str]] = defaultdict(list)
        for node in [a.node_id, *parent_name]:
            for r in about.get(node, []):
                cid = r["claim_id"]
                if cid not in cards or cid in letter:
                    continue
                card = cards[cid]
                if card.predicate in _RESPONSE and r["rel"] != "HAS_OBJECT":
                    for d in (x["id"] for x in card.objects if x.get("label") == DRUG):
                        per_drug[d][node].append(cid)
                elif r["rel"] != "HAS_OBJECT" or node == a.node_id:
                    other[node].append(cid)
        drug_names = {d: b.name(d) for d in per_drug}
        for d in sorted(per_drug, key=lambda x: drug_names[x].lower()):
            parts, items = [], []
            direct = sorted(set(per_drug[d].get(a.node_id, [])))
            inherited = {p: sorted(set(v)) for p, v in per_drug[d].items() if p != a.node_id}
            if direct:
                status = b.status([cards[c] for c in direct])
                parts.append(f"direct: {status}")
                items += [claim_item(cards[c]) for c in b.sort_cards(direct)]
            for p, cids in sorted(inherited.items(), key=lambda kv: parent_name[kv[0]].lower()):
                parts.append(f"inherited via {parent_name[p]}: "
                             f"{b.status([cards[c] for c in cids])}")
                items += [claim_item(cards[c], via=f"via {parent_name[p]}")
                          for c in b.sort_cards(cids)]
            for cid in [*direct, *(c for v in inherited.values() for c in v)]:
                b.shown.setdefault(cid, "alterations")
            text = "; ".join(parts)
            alt_summary[d].append((a.name, text))
            if any(b.side(cards[c]) == "sensitive"
                   for c in [*direct, *(c for v in inherited.values() for c in v)]):
                sensitive_drugs.add(d)
            blocks.append(Block(title=f"{a.name} × {drug_names[d]}", note=text,
                                items=tuple(items), depth=1))
        others = [c for n in [a.node_id, *parent_name] for c in b.sort_cards(set(other[n]))]
        new, before = b.take(dict.fromkeys(others), "alterations")
        vias = {c: parent_name[n] for n in parent_name for c in other[n]}
        if new or before:
            blocks.append(Block(title=f"Other evidence about {a.name}",
                                items=tuple(claim_item(cards[c], via=(
                                    f"via {vias[c]}" if c in vias and c not in other[a.node_id]
                                    else "")) for c in new),
                                lines=tuple(b.shown_before(before)), depth=1))
        lp = b.letter_points([a.node_id, *parent_name])
        if lp:
            blocks.append(Block(title=f"The letter on {a.name}", lines=tuple(lp), depth=1))
        no_evidence = [b.name(d) for d in alk if d not in per_drug]
        if not per_drug:
            b.missing.append(f"{a.name}: no resistance or sensitivity evidence for any drug, "
                             "direct or inherited")
        elif no_evidence:
            b.missing.append(f"{a.name}: no resistance or sensitivity evidence, direct or "
                             f"inherited, for {', '.join(no_evidence)}")
    if sc.sample:
        for p in b.procs:
            cids = sorted({r["claim_id"] for r in about.get(p, []) if r["claim_id"] in cards})
            new, before = b.take(b.sort_cards(cids), "alterations")
            lines = b.shown_before(before) + b.letter_points([p])
            blocks.append(Block(title=f"Finding alterations in {sc.sample}: {b.name(p)}",
                                items=tuple(claim_item(cards[c]) for c in new),
                                lines=tuple(lines) or ("No claim in the graph about this "
                                                       "procedure.",)))
            if not new:
                b.missing.append(f"Evidence on {b.name(p)} ({sc.sample} sample), other than "
                                 "the letter's own statements: none in the graph")
        if not b.procs:
            b.missing.append(f"A diagnostic procedure on {sc.sample}: none in the graph")
    section = Section(
        key="alterations",
        title="Alterations" + (f" found in {sc.sample}" if sc.sample else ""),
        intro=("Each alteration as entered and what the graph knows it as; then its "
               "resistance and sensitivity evidence by drug: its own (direct) and, apart, "
               "that of the mechanisms and molecular profiles it belongs to (inherited, "
               "“via …”), with status, number of claims and best evidence level (A validated, "
               "B clinical, C case study, D preclinical, E inferential, O expert opinion)."),
        blocks=tuple(blocks))
    return section, alt_summary, sensitive_drugs


def site_section(b: SheetEvidence) -> Section:
    """Return section 1: the claims about the mechanisms of the site of progression.

    Limited to the drugs the patient received; for intracranial progression, also the CNS
    figures of the arms that received the failing drug. Built after section 2, whose cells
    show all their claims.

    Parameters
    ----------
    b : SheetEvidence
        The scenario's evidence: the mechanisms of the site and the CNS figures; records the
        claims shown and what is missing.

    Returns
    -------
    Section
        Key ``site``.
    """
    sc, about, cards, site_mechs = b.sc, b.about, b.cards, b.site_mechs
    received = set(b.received)
    title1 = f"Site of progression: {sc.progression}"
    blocks: list[Block] = []
    for m in site_mechs:
        cids = sorted({r["claim_id"] for r in about.get(m, []) if r["claim_id"] in cards
                       and not b.names_drug_outside(cards[r["claim_id"]], received)})
        new, before = b.take(b.sort_cards(cids), "site")
        lines = b.shown_before(before) + b.letter_points([m])
        if new or lines:
            cat = str(b.mechs[m].get("category") or "").replace("_", " ")
            blocks.append(Block(title=b.name(m), note=f"resistance mechanism ({cat})",
                                items=tuple(claim_item(cards[c]) for c in new),
                                lines=tuple(lines)))
    if sc.intracranial:
        cns = [o for o in b.outcomes if is_cns(o) and o.get("arm_id")
               and b.drug in b.arm_drugs.get(o["arm_id"], set())]
        if cns:
            blocks.append(Block(title=f"CNS figures in trial arms that received {b.name(b.drug)}",
                                items=tuple(b.fig(o) for o in cns)))
        else:
            b.missing.append(f"CNS figures for {b.name(b.drug)}: no trial arm in the graph that "
                             f"received {b.name(b.drug)} reports one")
    if not any(bl.items for bl in blocks if not bl.title.startswith("CNS figures")):
        b.missing.append(f"Claims (other than the letter's own statements) on {sc.progression} "
                         f"progression on {b.name(b.drug)}: none in the graph about the "
                         "resistance mechanisms of that site ("
                         + (", ".join(b.name(m) for m in site_mechs) or "none recorded") + ")")
    return Section(
        key="site", title=title1,
        intro=("The letter's first question: where did the disease progress? Intracranial "
               "progression is read as a failure of CNS penetration, extracranial progression "
               "as acquired resistance (ALK mutations, bypass tracks, transformation). Below: "
               "the claims about those mechanisms for the drugs this patient received"
               + (", and the CNS figures of the arms that received the failing drug"
                  if sc.intracranial else "") + "."),
        blocks=tuple(blocks))


def drugs_section(b: SheetEvidence, alt_summary: Mapping[str, list[tuple[str, str]]],
                  sensitive_drugs: set[str]) -> tuple[Section, list[str]]:
    """Return section 3: the drugs with evidence of activity in this situation.

    Every other ALK inhibitor, and any drug with sensitivity evidence for an alteration,
    that has such evidence: sensitivity for the alterations, CNS figures (first when
    progression is intracranial), figures from trials that enrolled patients after a drug
    the patient received, and claims that the drug is effective or better. Alphabetical.

    Parameters
    ----------
    b : SheetEvidence
        The scenario's evidence: the drugs' claims and the trial figures; records the claims
        shown and what is missing.
    alt_summary : mapping
        Drug id -> (alteration name, status), from `alterations_section`.
    sensitive_drugs : set of str
        The drugs an alteration has sensitivity evidence for, from `alterations_section`.

    Returns
    -------
    section : Section
        Key ``drugs``.
    candidates : list of str
        The drugs considered, by name.
    """
    sc, cards, letter, outcomes = b.sc, b.cards, b.letter, b.outcomes
    candidates_alk = b.candidates_alk
    received = set(b.received)
    blocks = []
    drug_claims: dict[str, list[str]] = defaultdict(list)
    for r in b.drug_rows:
        if r["claim_id"] in cards and r["claim_id"] not in letter:
            drug_claims[r["drug_id"]].append(r["claim_id"])
    cands = sorted((set(candidates_alk) | sensitive_drugs) - received,
                   key=lambda d: b.name(d).lower())
    received_names = ", ".join(b.name(d) for d in b.received)
    any_after = False
    for d in cands:
        cns = [o for o in outcomes if is_cns(o) and d in b.figure_drugs(o)]
        after = [o for o in outcomes if not is_cns(o) and d in b.figure_drugs(o)
                 and b.after_received(o)]
        any_after = any_after or bool(after)
        new, before = b.take(b.sort_cards(set(drug_claims.get(d, []))), "drugs")
        lines = [f"{alt}: {text}" for alt, text in alt_summary.get(d, [])
                 if d in sensitive_drugs]
        if not (cns or after or new or lines):
            if sc.intracranial and d in candidates_alk:
                b.missing.append(f"CNS figures for {b.name(d)}: none in the graph")
            continue
        info = b.drugs.get(d) or {}
        note = ", ".join(x for x in (
            str(info.get("drug_class") or ""),
            f"generation {info['generation']}" if info.get("generation") else "") if x)
        blocks.append(Block(title=b.name(d), note=note,
                            lines=tuple(lines + b.shown_before(before) + b.letter_points([d]))))
        subs = [Block(title=f"CNS figures of {b.name(d)}", items=tuple(b.fig(o) for o in cns),
                      depth=1) if cns else None,
                Block(title=f"Trial figures of {b.name(d)} in patients who had received "
                            f"{received_names}",
                      items=tuple(b.fig(o) for o in after), depth=1) if after else None,
                Block(title=f"Claims about {b.name(d)}",
                      items=tuple(claim_item(cards[c]) for c in new), depth=1) if new else None]
        if not sc.intracranial:
            subs = [subs[1], subs[2], subs[0]]
        blocks += [s for s in subs if s is not None]
        if sc.intracranial and not cns and d in candidates_alk:
            b.missing.append(f"CNS figures for {b.name(d)}: none in the graph")
    if not any_after:
        b.missing.append(f"Trial figures in patients who had received {received_names}: no "
                         "trial in the graph enrolled such patients")
    section = Section(
        key="drugs", title="Drugs with evidence of activity in this situation",
        intro=("Every other ALK inhibitor, and any drug with sensitivity evidence for an "
               "alteration above, that has evidence of activity here: sensitivity for the "
               "alterations, CNS figures"
               + (" (first, as progression is intracranial)" if sc.intracranial else "")
               + ", figures from trials that enrolled patients after a drug this patient "
                 "received (arms, medians, hazard ratios with CI, analysis), and claims that "
                 "the drug is effective or better. Listed alphabetically, not ranked; the drugs "
                 f"this patient received ({received_names}) are in sections 1 and 2."),
        blocks=tuple(blocks))
    return section, cands


def local_therapy_section(b: SheetEvidence) -> Section:
    """Return section 4 (oligoprogression only): the claims about local therapies.

    Parameters
    ----------
    b : SheetEvidence
        The scenario's evidence: the local therapies and the claims about them; records the
        claims shown and what is missing.

    Returns
    -------
    Section
        Key ``local_therapy``.
    """
    sc, about, cards = b.sc, b.about, b.cards
    blocks = []
    names_drug = False
    for lt in b.local:
        cids = sorted({r["claim_id"] for r in about.get(lt, []) if r["claim_id"] in cards})
        new, before = b.take(b.sort_cards(cids), "local_therapy")
        lines = b.shown_before(before) + b.letter_points([lt])
        names_drug = names_drug or any(
            x.get("id") == b.drug for c in [*new, *before] for x in cards[c].objects)
        if new or lines:
            blocks.append(Block(title=b.name(lt),
                                note=str(b.nodes[lt].get("description") or ""),
                                items=tuple(claim_item(cards[c]) for c in new),
                                lines=tuple(lines)))
    if not any(bl.items for bl in blocks):
        b.missing.append("Evidence (other than the letter's own statements) on local "
                         "therapy of oligoprogression: none in the graph")
    if not names_drug:
        b.missing.append(f"Local therapy while continuing {b.name(b.drug)}: no claim in the "
                         f"graph names {b.name(b.drug)}")
    return Section(
        key="local_therapy", title="Local therapy of oligoprogression",
        intro=(f"Oligoprogression with {sc.lesions} progressing "
               f"lesion{'s' if sc.lesions != 1 else ''}. The letter: local ablative "
               "therapy (SBRT) to the progressing sites, continuing the same drug. Below: "
               "every claim about a local therapy; the drug each concerns is named in it."),
        blocks=tuple(blocks))


def letter_section(b: SheetEvidence, cands: Iterable[str]) -> Section:
    """Return section 5: the letter's own statements that bear on the scenario, checked.

    A statement applies when it names a node of the scenario and none outside it; beside
    each, what the works it cites report in the graph (`kg.sheets.items.checked_works`).

    Parameters
    ----------
    b : SheetEvidence
        The scenario's evidence: the letter's statements and their citation checks; records
        the statements shown and the unsupported ones as missing.
    cands : iterable of str
        The drugs of section 3 (`drugs_section`).

    Returns
    -------
    Section
        Key ``letter``.
    """
    cards, letter, checks, alt_nodes = b.cards, b.letter, b.checks, b.alt_nodes
    site_mechs, local, mechs = b.site_mechs, b.local, b.mechs
    received = set(b.received)
    variants_all = {x.get("id") for c in letter for x in (*cards[c].subjects, *cards[c].objects)
                    if x.get("label") == VARIANT}
    scenario_nodes = (received | set(cands) | set(b.candidates_alk) | set(site_mechs)
                      | alt_nodes | set(local) | {i for i, r in b.nodes.items()
                                                 if r["label"] == PROCEDURE})
    outside = ((set(mechs) - set(site_mechs) - alt_nodes)
               | ({i for i, r in b.nodes.items() if r["label"] == LOCAL_THERAPY} - set(local))
               | (variants_all - alt_nodes))
    applies, not_applies = [], []
    for cid in sorted(letter, key=lambda c: (_natural(cards[c].locator), c)):
        card = cards[cid]
        named = {x.get("id") for x in (*card.subjects, *card.objects)}
        (applies if named & scenario_nodes and not named & outside else not_applies).append(cid)
    items = []
    for cid in applies:
        items.append(claim_item(cards[cid], checks=checked_works(checks[cid])))
        b.shown.setdefault(cid, "letter")
    letter_ref = next(iter(cards[c].reference.short for c in letter), "the letter")
    lines = []
    if not_applies:
        lines.append(f"{len(not_applies)} other statement(s) of the letter do not bear on this "
                     "scenario: " + "; ".join(cards[c].name for c in not_applies))
    for cid in applies:
        for w in checks[cid].cited:
            if w.flagged:
                b.missing.append(f"Support for the letter's “{cards[cid].name}”: the cited "
                                 f"{w.reference.short} does not state it in the graph")
    if not letter:
        b.missing.append(f"The letter's own statements ({LETTER_KEY}): none in the graph"
                         + (" as of that date" if b.as_of else ""))
    return Section(
        key="letter", title=f"The letter's own statements ({letter_ref})",
        intro=("What the letter says that bears on this scenario, at its own evidence level "
               "(O: expert opinion where so recorded). Beside each statement that cites a "
               "work: what that work itself reports in the graph, and whether it supports the "
               "statement (citation check)."),
        blocks=(Block(title="Statements that apply", items=tuple(items), lines=tuple(lines)),))


def basket_section(b: SheetEvidence) -> Section:
    """Return section 6: the claims and figures the reader added from the browser.

    Parameters
    ----------
    b : SheetEvidence
        The scenario's evidence; an id not in the graph is recorded as missing.

    Returns
    -------
    Section
        Key ``basket``; a line for each id hidden by the as-of date or not in the graph.
    """
    cards, checks = b.cards, b.checks
    items, lines = [], []
    for x in b.basket:
        if x in cards:
            items.append(claim_item(cards[x], checks=checked_works(checks[x])
                                     if x in checks else ()))
        elif x in b.by_id:
            items.append(b.fig(b.by_id[x]))
        elif b.as_of and (x in b.dates.known if b.dates else False):
            lines.append(f"“{x}”: published after {b.as_of}, hidden by the as-of date")
        else:
            lines.append(f"“{x}”: no claim or figure with this id in the graph")
            b.missing.append(f"The added item “{x}”: not in the graph")
    return Section(key="basket", title="Added by you",
                   intro="Claims and figures added from the browser's pages.",
                   blocks=(Block(title="Added items", items=tuple(items), lines=tuple(lines)),))


def not_in_graph_section(b: SheetEvidence) -> Section:
    """Return section 7: every question the scenario raises that has no evidence.

    Parameters
    ----------
    b : SheetEvidence
        The scenario's evidence, after the other sections recorded what is missing.

    Returns
    -------
    Section
        Key ``not_in_graph``; one line per missing item, in order, once each.
    """
    return Section(
        key="not_in_graph", title="Not in the graph",
        intro=("Questions this scenario raises that the graph holds no evidence for. Absence "
               "of evidence in the graph is not evidence of absence."),
        blocks=(Block(title="No evidence", lines=tuple(dict.fromkeys(b.missing)) or (
            "Nothing: every question this sheet asks has at least one item of evidence "
            "above.",)),))


def _natural(text: str) -> tuple[Any, ...]:
    """Sort key reading numbers as numbers ('paragraph 10' after 'paragraph 9')."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text or ""))
