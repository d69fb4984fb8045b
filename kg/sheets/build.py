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
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.schema import load_schema
from kg.search import rank_hits, tokenize
from kg.sheets.model import (
    NOTICE,
    Alteration,
    Block,
    CheckedWork,
    Citation,
    Footer,
    Item,
    Section,
    Sheet,
    Work,
)
from kg.sheets.scenario import Scenario, ScenarioError
from kg.views.base import (
    DRUG,
    GENE,
    MECHANISM,
    RESISTANCE,
    SENSITIVITY,
    VARIANT,
    Runner,
    checked_label,
    checked_rel,
    humanize,
)
from kg.views.citations import CitationCheck, citation_check, figure_text
from kg.views.claims import ClaimCard, claim_cards
from kg.views.dates import publication_dates
from kg.views.inherited import variant_parents
from kg.views.references import format_reference
from kg.views.trials import trial_arms, trial_outcomes

__all__ = ["LETTER_KEY", "SITE_CATEGORIES", "SAMPLE_TERMS", "SOURCE_KINDS", "prep_sheet",
           "alk_inhibitors", "normalise_alteration", "cite_key", "source_kind_words"]

#: The letter whose decision path the sheet follows, and whose statements it checks.
LETTER_KEY = "dubey2020letter"
#: Which resistance-mechanism categories each site of progression points to (the letter:
#: intracranial failure is poor CNS penetration; extracranial, acquired resistance).
SITE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "intracranial": ("pharmacokinetic",),
    "extracranial": ("on_target", "off_target_bypass", "histologic_transformation"),
}
#: Words in a diagnostic procedure's name or synonyms that tie it to a sample type.
SAMPLE_TERMS: dict[str, tuple[str, ...]] = {
    "plasma": ("plasma", "liquid", "ctdna", "cfdna"),
    "tissue": ("tissue", "biopsy"),
}
#: Source kinds (schema: Outcome/Claim ``source_kind``) in words.
SOURCE_KINDS: dict[str, str] = {
    "journal_abstract": "journal abstract", "pmc_full_text": "full text (PMC)",
    "journal_full_text": "journal full text", "regulatory_label": "regulatory label",
    "congress_abstract": "congress abstract"}

LOCAL_THERAPY = checked_label("LocalTherapy")
PROCEDURE = checked_label("DiagnosticProcedure")
#: Claims that a drug works (or works better): the drugs section's claims.
DRUG_PREDICATES = tuple(checked_rel(p) for p in (
    "EFFECTIVE_IN", "SUPERIOR_TO", "NOT_SUPERIOR_TO", "ACCESS_LIMITED_IN"))
_RESPONSE = (RESISTANCE, SENSITIVITY)
_HISTORY = ("after", "following", "naive", "naïve", "refractory", "pretreated", "previous")
_GENERATION = {"1": "first-generation", "2": "second-generation", "3": "third-generation"}
_DIRECTION = {"supports": "supports", "does_not_support": "does not support",
              "not_applicable": "no direction"}


# -- small helpers ------------------------------------------------------------------------
def cite_key(pub_id: str | None, bib_key: str | None = None) -> str:
    """Return a work's citation key: its bib key, else one made from its id.

    Parameters
    ----------
    pub_id : str or None
        The publication id (``PMID:27432227``, ``DOI:...``, ``bib:...``).
    bib_key : str, optional
        The curated bib key, when the work has one.

    Returns
    -------
    str
        The same key `kg.views.to_bibtex` writes; '' without either.

    Examples
    --------
    >>> cite_key("PMID:27432227"), cite_key("PMID:1", "x2020")
    ('PMID_27432227', 'x2020')
    """
    if bib_key:
        return str(bib_key)
    return re.sub(r"[^A-Za-z0-9]+", "_", pub_id or "").strip("_")


def source_kind_words(kind: str | None, source: str = "curated") -> str:
    """Return the kind of source an item was copied from, in words.

    Parameters
    ----------
    kind : str or None
        The recorded ``source_kind`` (e.g. ``journal_abstract``).
    source : str
        ``civic`` for CIViC evidence (a curated database record), else ``curated``.

    Returns
    -------
    str

    Examples
    --------
    >>> source_kind_words("regulatory_label"), source_kind_words(None, "civic")
    ('regulatory label', 'CIViC evidence item')
    >>> source_kind_words(None)
    'source kind not recorded'
    """
    if kind:
        return SOURCE_KINDS.get(kind, str(kind).replace("_", " "))
    return "CIViC evidence item" if source == "civic" else "source kind not recorded"


def _mentions(text: str | None, terms: Iterable[str]) -> bool:
    low = (text or "").lower()
    return any(t and t.lower() in low for t in terms)


def _is_cns(o: Mapping[str, Any]) -> bool:
    ep, pop = str(o.get("endpoint") or "").upper(), str(o.get("population") or "").lower()
    return ep.startswith(("IC", "CNS")) or "cns" in pop or "brain" in pop


def _is_alk_inhibitor(d: Mapping[str, Any]) -> bool:
    return "ALK" in (d.get("targets") or []) or "alk" in str(d.get("drug_class") or "").lower()


def alk_inhibitors(run: Runner) -> list[dict[str, Any]]:
    """Return the ALK inhibitors of the graph: the drugs a scenario may name.

    A drug is an ALK inhibitor when it targets ALK (``TARGETS``) or its class says so.

    Parameters
    ----------
    run : Runner
        Executes named queries (``41_prep_vocabulary``).

    Returns
    -------
    list of dict
        ``id``, ``name``, ``synonyms``, ``generation``, sorted by name.

    Examples
    --------
    >>> from kg.views import store_runner
    >>> [d["name"] for d in alk_inhibitors(store_runner(store))]
    ['alectinib', 'brigatinib', 'ceritinib', 'crizotinib', 'lorlatinib']
    """
    rows = [r for r in run("41_prep_vocabulary", {}) if r["label"] == DRUG
            and _is_alk_inhibitor(r)]
    return sorted(({"id": r["id"], "name": str(r.get("name") or r["id"]),
                    "synonyms": list(r.get("synonyms") or []),
                    "generation": r.get("generation")} for r in rows),
                  key=lambda d: (d["name"].lower(), d["id"]))


def normalise_alteration(run: Runner, text: str) -> Alteration:
    """Find the variant, mechanism or gene a typed alteration names.

    The text is cut into tokens as the search box cuts it (`kg.search.tokenize`), the nodes
    whose search text holds every token are ranked (`kg.search.rank_hits`), and the best hit
    is taken: an exact name or synonym first (a variant before a mechanism before a gene),
    else a partial match (reported as such, with the number of other matches).

    Parameters
    ----------
    run : Runner
        Executes named queries (``45_alteration_candidates``).
    text : str
        What was typed: ``G1202R``, ``ALK p.G1202R``, ``MET amplification`` ...

    Returns
    -------
    Alteration
        ``node_id`` None when nothing in the graph matches.

    Examples
    --------
    >>> from kg.views import store_runner
    >>> a = normalise_alteration(store_runner(store), "ALK p.G1202R")
    >>> a.node_id, a.matched
    ('ALK:p.G1202R', 'name')
    >>> normalise_alteration(store_runner(store), "ZZZ9 Q999X").node_id is None
    True
    """
    terms = tokenize(text)
    rows = run("45_alteration_candidates", {"terms": terms}) if terms else []
    hits = [h for h in rank_hits(rows, text) if h.tier < 2]
    if not hits:
        return Alteration(text=text, node_id=None, name="", label="", matched="")
    order = {VARIANT: 0, MECHANISM: 1, GENE: 2}
    best_tier = min(h.tier for h in hits)
    pool = [h for h in hits if h.tier == best_tier]
    pool.sort(key=lambda h: (h.matched != "name", order.get(h.label, 3),
                             h.source == "civic", h.name.lower(), h.id))
    h = pool[0]
    return Alteration(text=text, node_id=h.id, name=h.name, label=h.label,
                      matched=h.matched if best_tier == 0 else "partial",
                      others=len(pool) - 1 if best_tier else 0)


def _resolve_drug(text: str, drugs: Mapping[str, Mapping[str, Any]], field: str,
                  problems: list[str]) -> str | None:
    want = text.strip().lower()
    found = [d for d in drugs.values() if want in (
        str(d["id"]).lower(), str(d.get("name") or "").lower(),
        *(str(s).lower() for s in d.get("synonyms") or []))]
    alk = sorted(str(d.get("name")) for d in drugs.values() if _is_alk_inhibitor(d))
    if not found:
        problems.append(f"{field}: no drug named {text!r} in the graph; ALK inhibitors in the "
                        f"graph: {', '.join(alk) or 'none'}")
        return None
    d = sorted(found, key=lambda x: (not _is_alk_inhibitor(x), str(x["id"])))[0]
    if not _is_alk_inhibitor(d):
        problems.append(f"{field}: {d.get('name')!r} is not an ALK inhibitor in the graph "
                        f"(class: {d.get('drug_class') or 'not recorded'}); ALK inhibitors: "
                        f"{', '.join(alk)}")
        return None
    return str(d["id"])


# -- the sheet ----------------------------------------------------------------------------
class _Builder:
    """Holds what the sections share while the sheet is assembled."""

    def __init__(self, run: Runner, sc: Scenario, basket: Sequence[str]) -> None:
        self.run, self.sc, self.basket = run, sc, list(dict.fromkeys(basket))
        self.sem = load_schema().semantics
        vocab = run("41_prep_vocabulary", {})
        self.nodes = {r["id"]: r for r in vocab}
        self.drugs = {r["id"]: r for r in vocab if r["label"] == DRUG}
        problems: list[str] = []
        drug = _resolve_drug(sc.drug, self.drugs, "drug", problems)
        prior = [_resolve_drug(p, self.drugs, "prior", problems) for p in sc.prior]
        if drug is not None and drug in prior:
            problems.append(f"prior: {sc.drug!r} is the current drug")
        if problems:
            raise ScenarioError(problems)
        self.drug: str = str(drug)
        self.prior: list[str] = [str(p) for p in prior]
        self.received = [self.drug, *self.prior]
        self.as_of = sc.as_of_date
        self.dates = publication_dates(run) if self.as_of else None
        self.shown: dict[str, str] = {}  # claim id -> key of the section showing it
        self.missing: list[str] = []  # "not in the graph" lines, in order
        self.pub_ids: set[str] = set()

    # -- visibility and names --
    def visible(self, node_id: str) -> bool:
        return self.dates is None or self.dates.visible(node_id, self.as_of)

    def name(self, node_id: str) -> str:
        return str((self.nodes.get(node_id) or {}).get("name") or node_id)

    def drug_terms(self, drug_id: str) -> list[str]:
        d = self.drugs.get(drug_id) or {}
        terms = [str(d.get("name") or ""), *map(str, d.get("synonyms") or [])]
        gen = _GENERATION.get(str(d.get("generation") or ""))
        return [t for t in [*terms, gen or ""] if t]


def _claim_citation(card: ClaimCard) -> Citation:
    ref = card.reference
    locator = card.locator
    if card.source == "civic" and card.source_record_id:  # the evidence item itself
        locator = f"CIViC {card.source_record_id}"
    return Citation(pub_id=ref.pub_id, key=cite_key(ref.pub_id, ref.bib_key), text=ref.text,
                    short=ref.short, url=ref.best_url, locator=locator,
                    source_kind=source_kind_words(card.source_kind, card.source),
                    record_url=card.source_url)


def _claim_detail(card: ClaimCard) -> str:
    subj = ", ".join(str(x.get("name") or x.get("id")) for x in card.subjects) or "?"
    obj = ", ".join(str(x.get("name") or x.get("id")) for x in card.objects)
    what = f"{subj} {humanize(card.predicate)} {obj}".strip()
    src = "CIViC" if card.source == "civic" else "curated"
    return (f"{what} · {_DIRECTION.get(card.direction, card.direction or '?')} · "
            f"level {card.level_text} · {src}")


def _claim_item(card: ClaimCard, *, via: str = "",
                checks: tuple[CheckedWork, ...] = ()) -> Item:
    return Item(kind="claim", id=card.id, text=card.name, detail=_claim_detail(card),
                quote=card.quote, citation=_claim_citation(card), level=card.evidence_level,
                via=via, conflicts=tuple(str(k.get("name") or k.get("id"))
                                         for k in card.conflicts),
                source=card.source, checks=checks)


def _checked_works(check: CitationCheck) -> tuple[CheckedWork, ...]:
    out = []
    for w in check.cited:
        reports, supporting = [], []
        for f in w.figures:
            line = f"figure: {figure_text(f)}" + (f" [{f['locator']}]" if f.get("locator")
                                                   else "")
            reports.append(line)
            if f["id"] in w.supporting:
                supporting.append(line)
        for c in w.claims:
            line = f"claim: {c.get('name') or c['id']} (level {c.get('evidence_level') or '?'})"
            reports.append(line)
            if c["id"] in w.supporting:
                supporting.append(line)
        ref = w.reference
        out.append(CheckedWork(
            citation=Citation(pub_id=w.id, key=cite_key(w.id, ref.bib_key), text=ref.text,
                              short=ref.short, url=ref.best_url, locator="",
                              source_kind=""),
            verdict=w.verdict, verdict_text=w.verdict_text, reports=tuple(reports),
            supporting=tuple(supporting)))
    return tuple(out)


def _figure_item(o: Mapping[str, Any], src: Mapping[str, Any], pub: Mapping[str, Any] | None,
                 setting: str) -> Item:
    ref = format_reference({**(pub or {}), "id": o.get("pub_id")} if pub else None)
    analysis = src.get("analysis_label") or src.get("analysis") or ""
    parts = [o.get("display") or "", o.get("comparison") or o.get("arm_name") or "",
             f"population: {o.get('population')}" if o.get("population") else "",
             f"assessment: {o.get('assessment')}" if o.get("assessment") else "",
             f"p {o['p_value_text']}" if o.get("p_value_text") else "",
             f"timepoint: {o['timepoint']}" if o.get("timepoint") else "",
             f"analysis: {analysis}" if analysis else "analysis not recorded",
             f"data cut-off: {src.get('data_cutoff') or o.get('data_cutoff')}"
             if (src.get("data_cutoff") or o.get("data_cutoff")) else "",
             f"setting: {setting}" if setting else ""]
    return Item(
        kind="figure", id=str(o["outcome_id"]),
        text=f"{o.get('trial_name')}: {o.get('outcome_name')}",
        detail=" · ".join(p for p in parts if p), quote=str(o.get("quote") or ""),
        citation=Citation(pub_id=o.get("pub_id"),
                          key=cite_key(o.get("pub_id"), (pub or {}).get("bib_key")
                                       or o.get("bib_key")),
                          text=ref.text if pub else str(o.get("reference") or ""),
                          short=ref.short if pub else str(o.get("reference") or ""),
                          url=o.get("source_url") or ref.best_url,
                          locator=str(o.get("locator") or ""),
                          source_kind=source_kind_words(src.get("source_kind")),
                          record_url=src.get("source_url")))


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
    b = _Builder(run, sc, basket)
    mechs = {i: r for i, r in b.nodes.items() if r["label"] == MECHANISM}
    site_cats = {c for site, cats in SITE_CATEGORIES.items()
                 if (site == "intracranial" and sc.intracranial)
                 or (site == "extracranial" and sc.extracranial) for c in cats}
    site_mechs = sorted((i for i, r in mechs.items() if r.get("category") in site_cats),
                        key=lambda i: b.name(i).lower())
    local = sorted((i for i, r in b.nodes.items() if r["label"] == LOCAL_THERAPY),
                   key=lambda i: b.name(i).lower()) if sc.pattern == "oligoprogression" else []
    procs = sorted((i for i, r in b.nodes.items() if r["label"] == PROCEDURE and sc.sample
                    and _mentions(" ".join([str(r.get("name") or ""),
                                            *map(str, r.get("synonyms") or [])]),
                                  SAMPLE_TERMS[sc.sample])
                    and not (sc.sample == "tissue" and _mentions(
                        " ".join([str(r.get("name") or ""), *map(str, r.get("synonyms") or [])]),
                        SAMPLE_TERMS["plasma"]))),
                   key=lambda i: b.name(i).lower())

    # -- alterations, normalised --
    alts: list[Alteration] = []
    variants = []
    for text in sc.alterations:
        a = normalise_alteration(run, text)
        alts.append(a)
        if a.node_id and a.label == VARIANT:
            variants.append(a.node_id)
    inh = variant_parents(run, variants) if variants else None
    alts = [a if not (inh and a.node_id) else Alteration(
        **{**a.__dict__, "via": tuple((p.id, p.name) for p in inh.of(a.node_id))})
        for a in alts]
    alt_nodes = {a.node_id for a in alts if a.node_id} | {p for a in alts for p, _ in a.via}

    # -- claims --
    ids = sorted(set(site_mechs) | alt_nodes | set(local) | set(procs))
    about: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in run("42_claims_about", {"ids": ids}) if ids else []:
        about[r["node_id"]].append(r)
    alk = sorted((i for i, d in b.drugs.items() if _is_alk_inhibitor(d)),
                 key=lambda i: b.name(i).lower())
    candidates_alk = [d for d in alk if d not in b.received]
    drug_rows = run("46_drug_claims", {"ids": sorted(set(alk)),
                                       "predicates": list(DRUG_PREDICATES)})
    checks = {c.claim_id: c for c in citation_check(run, by=LETTER_KEY)}
    basket_claims = [x for x in b.basket if x not in checks]
    all_ids = ({r["claim_id"] for rs in about.values() for r in rs}
               | {r["claim_id"] for r in drug_rows} | set(checks) | set(basket_claims))
    cards = {c.id: c for c in claim_cards(run, all_ids) if b.visible(c.id)}
    letter = {cid for cid in checks if cid in cards}

    # -- figures --
    arms = trial_arms(run)
    arm_drugs = {a["arm_id"]: set(a.get("treatment_ids") or []) for a in arms}
    arm_name = {a["arm_id"]: str(a.get("arm_name") or "") for a in arms}
    setting = {a["trial_id"]: str(a.get("setting") or "") for a in arms}
    outcomes = [o for o in trial_outcomes(run) if b.visible(o["outcome_id"])]
    by_id = {o["outcome_id"]: o for o in outcomes}
    fsrc = {r["outcome_id"]: r for r in run("43_figure_sources", {"ids": []})}

    def figure_drugs(o: Mapping[str, Any]) -> set[str]:
        return arm_drugs.get(o.get("arm_id") or o.get("experimental_arm_id") or "", set())

    def after_received(o: Mapping[str, Any]) -> bool:
        """The figure's patients had received a drug this patient received."""
        terms = [t for d in b.received for t in b.drug_terms(d)]
        if sum(1 for d in b.received if d in alk) >= 2:
            terms.append("≥2 ALK TKIs")
        arm_text = " ".join([arm_name.get(o.get("arm_id") or o.get("experimental_arm_id")
                                          or "", ""), str(o.get("population") or "")])
        if _mentions(arm_text, _HISTORY):  # a cohort that says whom it enrolled decides
            return _mentions(arm_text, terms)
        return _mentions(setting.get(o["trial_id"], ""), terms)

    # -- works, fetched once for every figure's and check's reference --
    pub_props: dict[str, dict[str, Any]] = {}

    def fetch_works(pids: Iterable[str]) -> None:
        want = sorted({p for p in pids if p and p not in pub_props})
        if want:
            for r in run("44_works", {"ids": want}):
                pub_props[r["id"]] = dict(r["pub"] or {})

    fetch_works(o.get("pub_id") for o in outcomes)

    def fig(o: Mapping[str, Any]) -> Item:
        return _figure_item(o, fsrc.get(o["outcome_id"], {}), pub_props.get(o.get("pub_id")),
                            setting.get(o["trial_id"], ""))

    sections: list[Section] = []

    def take(cids: Iterable[str], where: str) -> tuple[list[str], list[str]]:
        """Split claims into new ones (now shown in `where`) and ones shown before."""
        new, before = [], []
        for cid in cids:
            if cid in letter:
                continue
            if cid in b.shown:
                before.append(cid)
            else:
                b.shown[cid] = where
                new.append(cid)
        return new, before

    def shown_before(cids: Sequence[str]) -> list[str]:
        return [f"Also bearing on this, shown in section §{b.shown[c]}§: "
                f"{cards[c].name}" for c in cids]

    def letter_points(nodes: Iterable[str]) -> list[str]:
        nodes = set(nodes)
        return [f"The letter on this (section §letter§): {cards[c].name}"
                for c in sorted(letter) if nodes & {x.get("id") for x in
                                                    (*cards[c].subjects, *cards[c].objects)}]

    def sort_cards(cids: Iterable[str]) -> list[str]:
        return sorted(cids, key=lambda c: (b.sem.level_rank(cards[c].evidence_level), c))

    def names_drug_outside(card: ClaimCard, allowed: set[str]) -> bool:
        return any(x.get("label") == DRUG and x.get("id") not in allowed
                   for x in (*card.subjects, *card.objects))

    received = set(b.received)
    # 2. alterations ---------------------------------------------------------------------
    blocks = [] if sc.alterations else [
        Block(title="No alteration was entered",
              lines=("Enter the alterations found at progression to see their evidence by "
                     "drug.",))]
    alt_summary: dict[str, list[tuple[str, str]]] = defaultdict(list)  # drug -> (alt, text)
    sensitive_drugs: set[str] = set()
    for a in alts:
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
                status = _status(b, [cards[c] for c in direct])
                parts.append(f"direct: {status}")
                items += [_claim_item(cards[c]) for c in sort_cards(direct)]
            for p, cids in sorted(inherited.items(), key=lambda kv: parent_name[kv[0]].lower()):
                parts.append(f"inherited via {parent_name[p]}: "
                             f"{_status(b, [cards[c] for c in cids])}")
                items += [_claim_item(cards[c], via=f"via {parent_name[p]}")
                          for c in sort_cards(cids)]
            for cid in [*direct, *(c for v in inherited.values() for c in v)]:
                b.shown.setdefault(cid, "alterations")
            text = "; ".join(parts)
            alt_summary[d].append((a.name, text))
            if any(_side(b, cards[c]) == "sensitive"
                   for c in [*direct, *(c for v in inherited.values() for c in v)]):
                sensitive_drugs.add(d)
            blocks.append(Block(title=f"{a.name} × {drug_names[d]}", note=text,
                                items=tuple(items), depth=1))
        others = [c for n in [a.node_id, *parent_name] for c in sort_cards(set(other[n]))]
        new, before = take(dict.fromkeys(others), "alterations")
        vias = {c: parent_name[n] for n in parent_name for c in other[n]}
        if new or before:
            blocks.append(Block(title=f"Other evidence about {a.name}",
                                items=tuple(_claim_item(cards[c], via=(
                                    f"via {vias[c]}" if c in vias and c not in other[a.node_id]
                                    else "")) for c in new),
                                lines=tuple(shown_before(before)), depth=1))
        lp = letter_points([a.node_id, *parent_name])
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
        for p in procs:
            cids = sorted({r["claim_id"] for r in about.get(p, []) if r["claim_id"] in cards})
            new, before = take(sort_cards(cids), "alterations")
            lines = shown_before(before) + letter_points([p])
            blocks.append(Block(title=f"Finding alterations in {sc.sample}: {b.name(p)}",
                                items=tuple(_claim_item(cards[c]) for c in new),
                                lines=tuple(lines) or ("No claim in the graph about this "
                                                       "procedure.",)))
            if not new:
                b.missing.append(f"Evidence on {b.name(p)} ({sc.sample} sample), other than "
                                 "the letter's own statements: none in the graph")
        if not procs:
            b.missing.append(f"A diagnostic procedure on {sc.sample}: none in the graph")
    sections.append(Section(
        key="alterations",
        title="Alterations" + (f" found in {sc.sample}" if sc.sample else ""),
        intro=("Each alteration as entered and what the graph knows it as; then its "
               "resistance and sensitivity evidence by drug: its own (direct) and, apart, "
               "that of the mechanisms and molecular profiles it belongs to (inherited, "
               "“via …”), with status, number of claims and best evidence level (A validated, "
               "B clinical, C case study, D preclinical, E inferential, O expert opinion)."),
        blocks=tuple(blocks)))

    # 1. site of progression (built after section 2, whose cells show all their claims) ---
    title1 = f"Site of progression: {sc.progression}"
    blocks: list[Block] = []
    for m in site_mechs:
        cids = sorted({r["claim_id"] for r in about.get(m, []) if r["claim_id"] in cards
                       and not names_drug_outside(cards[r["claim_id"]], received)})
        new, before = take(sort_cards(cids), "site")
        lines = shown_before(before) + letter_points([m])
        if new or lines:
            cat = str(mechs[m].get("category") or "").replace("_", " ")
            blocks.append(Block(title=b.name(m), note=f"resistance mechanism ({cat})",
                                items=tuple(_claim_item(cards[c]) for c in new),
                                lines=tuple(lines)))
    if sc.intracranial:
        cns = [o for o in outcomes if _is_cns(o) and o.get("arm_id")
               and b.drug in arm_drugs.get(o["arm_id"], set())]
        if cns:
            blocks.append(Block(title=f"CNS figures in trial arms that received {b.name(b.drug)}",
                                items=tuple(fig(o) for o in cns)))
        else:
            b.missing.append(f"CNS figures for {b.name(b.drug)}: no trial arm in the graph that "
                             f"received {b.name(b.drug)} reports one")
    if not any(bl.items for bl in blocks if not bl.title.startswith("CNS figures")):
        b.missing.append(f"Claims (other than the letter's own statements) on {sc.progression} "
                         f"progression on {b.name(b.drug)}: none in the graph about the "
                         "resistance mechanisms of that site ("
                         + (", ".join(b.name(m) for m in site_mechs) or "none recorded") + ")")
    sections.insert(0, Section(
        key="site", title=title1,
        intro=("The letter's first question: where did the disease progress? Intracranial "
               "progression is read as a failure of CNS penetration, extracranial progression "
               "as acquired resistance (ALK mutations, bypass tracks, transformation). Below: "
               "the claims about those mechanisms for the drugs this patient received"
               + (", and the CNS figures of the arms that received the failing drug"
                  if sc.intracranial else "") + "."),
        blocks=tuple(blocks)))

    # 3. drugs -----------------------------------------------------------------------------
    blocks = []
    drug_claims: dict[str, list[str]] = defaultdict(list)
    for r in drug_rows:
        if r["claim_id"] in cards and r["claim_id"] not in letter:
            drug_claims[r["drug_id"]].append(r["claim_id"])
    cands = sorted((set(candidates_alk) | sensitive_drugs) - received,
                   key=lambda d: b.name(d).lower())
    received_names = ", ".join(b.name(d) for d in b.received)
    any_after = False
    for d in cands:
        cns = [o for o in outcomes if _is_cns(o) and d in figure_drugs(o)]
        after = [o for o in outcomes if not _is_cns(o) and d in figure_drugs(o)
                 and after_received(o)]
        any_after = any_after or bool(after)
        new, before = take(sort_cards(set(drug_claims.get(d, []))), "drugs")
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
                            lines=tuple(lines + shown_before(before) + letter_points([d]))))
        subs = [Block(title=f"CNS figures of {b.name(d)}", items=tuple(fig(o) for o in cns),
                      depth=1) if cns else None,
                Block(title=f"Trial figures of {b.name(d)} in patients who had received "
                            f"{received_names}",
                      items=tuple(fig(o) for o in after), depth=1) if after else None,
                Block(title=f"Claims about {b.name(d)}",
                      items=tuple(_claim_item(cards[c]) for c in new), depth=1) if new else None]
        if not sc.intracranial:
            subs = [subs[1], subs[2], subs[0]]
        blocks += [s for s in subs if s is not None]
        if sc.intracranial and not cns and d in candidates_alk:
            b.missing.append(f"CNS figures for {b.name(d)}: none in the graph")
    if not any_after:
        b.missing.append(f"Trial figures in patients who had received {received_names}: no "
                         "trial in the graph enrolled such patients")
    sections.append(Section(
        key="drugs", title="Drugs with evidence of activity in this situation",
        intro=("Every other ALK inhibitor, and any drug with sensitivity evidence for an "
               "alteration above, that has evidence of activity here: sensitivity for the "
               "alterations, CNS figures"
               + (" (first, as progression is intracranial)" if sc.intracranial else "")
               + ", figures from trials that enrolled patients after a drug this patient "
                 "received (arms, medians, hazard ratios with CI, analysis), and claims that "
                 "the drug is effective or better. Listed alphabetically, not ranked; the drugs "
                 f"this patient received ({received_names}) are in sections 1 and 2."),
        blocks=tuple(blocks)))

    # 4. local therapy ---------------------------------------------------------------------
    if sc.pattern == "oligoprogression":
        blocks = []
        names_drug = False
        for lt in local:
            cids = sorted({r["claim_id"] for r in about.get(lt, []) if r["claim_id"] in cards})
            new, before = take(sort_cards(cids), "local_therapy")
            lines = shown_before(before) + letter_points([lt])
            names_drug = names_drug or any(
                x.get("id") == b.drug for c in [*new, *before] for x in cards[c].objects)
            if new or lines:
                blocks.append(Block(title=b.name(lt),
                                    note=str(b.nodes[lt].get("description") or ""),
                                    items=tuple(_claim_item(cards[c]) for c in new),
                                    lines=tuple(lines)))
        if not any(bl.items for bl in blocks):
            b.missing.append("Evidence (other than the letter's own statements) on local "
                             "therapy of oligoprogression: none in the graph")
        if not names_drug:
            b.missing.append(f"Local therapy while continuing {b.name(b.drug)}: no claim in the "
                             f"graph names {b.name(b.drug)}")
        sections.append(Section(
            key="local_therapy", title="Local therapy of oligoprogression",
            intro=(f"Oligoprogression with {sc.lesions} progressing "
                   f"lesion{'s' if sc.lesions != 1 else ''}. The letter: local ablative "
                   "therapy (SBRT) to the progressing sites, continuing the same drug. Below: "
                   "every claim about a local therapy; the drug each concerns is named in it."),
            blocks=tuple(blocks)))

    # 5. the letter ----------------------------------------------------------------------
    variants_all = {x.get("id") for c in letter for x in (*cards[c].subjects, *cards[c].objects)
                    if x.get("label") == VARIANT}
    scenario_nodes = (received | set(cands) | set(candidates_alk) | set(site_mechs)
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
        items.append(_claim_item(cards[cid], checks=_checked_works(checks[cid])))
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
    sections.append(Section(
        key="letter", title=f"The letter's own statements ({letter_ref})",
        intro=("What the letter says that bears on this scenario, at its own evidence level "
               "(O: expert opinion where so recorded). Beside each statement that cites a "
               "work: what that work itself reports in the graph, and whether it supports the "
               "statement (citation check)."),
        blocks=(Block(title="Statements that apply", items=tuple(items), lines=tuple(lines)),)))

    # 6. basket ------------------------------------------------------------------------------
    if b.basket:
        items, lines = [], []
        for x in b.basket:
            if x in cards:
                items.append(_claim_item(cards[x], checks=_checked_works(checks[x])
                                         if x in checks else ()))
            elif x in by_id:
                items.append(fig(by_id[x]))
            elif b.as_of and (x in b.dates.known if b.dates else False):
                lines.append(f"“{x}”: published after {b.as_of}, hidden by the as-of date")
            else:
                lines.append(f"“{x}”: no claim or figure with this id in the graph")
                b.missing.append(f"The added item “{x}”: not in the graph")
        sections.append(Section(key="basket", title="Added by you",
                                intro="Claims and figures added from the browser's pages.",
                                blocks=(Block(title="Added items", items=tuple(items),
                                              lines=tuple(lines)),)))

    # 7. not in the graph ----------------------------------------------------------------
    sections.append(Section(
        key="not_in_graph", title="Not in the graph",
        intro=("Questions this scenario raises that the graph holds no evidence for. Absence "
               "of evidence in the graph is not evidence of absence."),
        blocks=(Block(title="No evidence", lines=tuple(dict.fromkeys(b.missing)) or (
            "Nothing: every question this sheet asks has at least one item of evidence "
            "above.",)),)))

    # number the sections, and the cross-references between them
    numbers = {s.key: str(i) for i, s in enumerate(sections, 1)}
    sections = [_renumber(s, numbers) for s in sections]

    # works cited: every item's and every checked work's
    pids = {i.citation.pub_id for s in sections for i in s.items if i.citation.pub_id}
    pids |= {w.citation.pub_id for s in sections for i in s.items for w in i.checks
             if w.citation.pub_id}
    fetch_works(pids)
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
                 prior=tuple((p, b.name(p)) for p in b.prior), alterations=tuple(alts),
                 sections=tuple(sections), works=works, footer=footer)


def _natural(text: str) -> tuple[Any, ...]:
    """Sort key reading numbers as numbers ('paragraph 10' after 'paragraph 9')."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text or ""))


def _shell(arg: str) -> str:
    return arg if re.fullmatch(r"[A-Za-z0-9_.:/=@%+-]+", arg) else "'" + arg.replace(
        "'", "'\\''") + "'"


def _side(b: _Builder, card: ClaimCard) -> str | None:
    """The side (sensitive / resistant) a claim takes, by the schema's claim semantics."""
    return b.sem.side(card.predicate, card.direction)


def _status(b: _Builder, cards: Sequence[ClaimCard]) -> str:
    """``'resistant · 2 claims · best B'`` -- the matrix cell's rule (claim semantics)."""
    flags = sum(len(c.conflicts) for c in cards)
    state = "conflicting" if flags else b.sem.cell_state(
        [(c.predicate, c.direction, c.source) for c in cards])
    best = min((c.evidence_level for c in cards), key=b.sem.level_rank, default="?")
    n = len(cards)
    return f"{state} · {n} claim{'s' if n != 1 else ''} · best {best or '?'}" + (
        " · flagged by a conflict" if flags else "")


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
