"""What a sheet draws on, gathered once, and what its sections share while it is assembled.

`SheetEvidence` resolves the scenario's drugs (each problem names its field), then runs the
named queries the sheet needs: the vocabulary, the alterations and the profiles they inherit
from, the claims about the scenario's nodes and drugs, the letter's citation checks, the
trial figures and the works they cite. The sections (`kg.sheets.sections`) read it, and record
in it which section shows each claim and what is not in the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.schema import load_schema
from kg.sheets.items import figure_item
from kg.sheets.model import Alteration, Item
from kg.sheets.resolve import is_alk_inhibitor, normalise_alteration, resolve_drug
from kg.sheets.scenario import Scenario, ScenarioError
from kg.views.base import DRUG, MECHANISM, VARIANT, Runner, checked_label, checked_rel
from kg.views.citations import citation_check
from kg.views.claims import ClaimCard, claim_cards
from kg.views.dates import publication_dates
from kg.views.inherited import variant_parents
from kg.views.trials import trial_arms, trial_outcomes

__all__ = ["LETTER_KEY", "SITE_CATEGORIES", "SAMPLE_TERMS", "LOCAL_THERAPY", "PROCEDURE",
           "DRUG_PREDICATES", "SheetEvidence", "mentions", "is_cns"]

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

LOCAL_THERAPY = checked_label("LocalTherapy")
PROCEDURE = checked_label("DiagnosticProcedure")
#: Claims that a drug works (or works better): the drugs section's claims.
DRUG_PREDICATES = tuple(checked_rel(p) for p in (
    "EFFECTIVE_IN", "SUPERIOR_TO", "NOT_SUPERIOR_TO", "ACCESS_LIMITED_IN"))
_HISTORY = ("after", "following", "naive", "naïve", "refractory", "pretreated", "previous")
_GENERATION = {"1": "first-generation", "2": "second-generation", "3": "third-generation"}


def mentions(text: str | None, terms: Iterable[str]) -> bool:
    """Return whether a text contains any of the terms, case ignored.

    Parameters
    ----------
    text : str or None
        The text searched.
    terms : iterable of str
        The terms; empty ones are ignored.

    Returns
    -------
    bool

    Examples
    --------
    >>> mentions("Cohort after crizotinib", ["Crizotinib"]), mentions(None, ["x"])
    (True, False)
    """
    low = (text or "").lower()
    return any(t and t.lower() in low for t in terms)


def is_cns(o: Mapping[str, Any]) -> bool:
    """Return whether a trial figure is about the CNS (endpoint or population).

    Parameters
    ----------
    o : mapping
        The figure (``endpoint``, ``population``).

    Returns
    -------
    bool
        True for an intracranial (``IC...``, ``CNS...``) endpoint, or a CNS or brain
        population.

    Examples
    --------
    >>> is_cns({"endpoint": "IC-ORR"}), is_cns({"endpoint": "PFS", "population": "all"})
    (True, False)
    """
    ep, pop = str(o.get("endpoint") or "").upper(), str(o.get("population") or "").lower()
    return ep.startswith(("IC", "CNS")) or "cns" in pop or "brain" in pop


class SheetEvidence:
    """The scenario's evidence, gathered once, and what the sections share.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    sc : Scenario
        The checked scenario.
    basket : sequence of str
        Claim and figure ids added by the reader (duplicates dropped).

    Raises
    ------
    ScenarioError
        A drug the scenario names is not an ALK inhibitor the graph knows, or the current
        drug is also a prior one.
    """

    def __init__(self, run: Runner, sc: Scenario, basket: Sequence[str]) -> None:
        self.run, self.sc, self.basket = run, sc, list(dict.fromkeys(basket))
        self.sem = load_schema().semantics
        vocab = run("41_prep_vocabulary", {})
        self.nodes = {r["id"]: r for r in vocab}
        self.drugs = {r["id"]: r for r in vocab if r["label"] == DRUG}
        problems: list[str] = []
        drug = resolve_drug(sc.drug, self.drugs, "drug", problems)
        prior = [resolve_drug(p, self.drugs, "prior", problems) for p in sc.prior]
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
        self._scenario_nodes()
        self._alterations()
        self._claims()
        self._figures()

    # -- gathering, in this order (each step reads what the one before found) --
    def _scenario_nodes(self) -> None:
        """The mechanisms of the site, the local therapies and the procedures of the sample."""
        sc = self.sc
        self.mechs = {i: r for i, r in self.nodes.items() if r["label"] == MECHANISM}
        site_cats = {c for site, cats in SITE_CATEGORIES.items()
                     if (site == "intracranial" and sc.intracranial)
                     or (site == "extracranial" and sc.extracranial) for c in cats}
        self.site_mechs = sorted((i for i, r in self.mechs.items()
                                  if r.get("category") in site_cats),
                                 key=lambda i: self.name(i).lower())
        self.local = sorted((i for i, r in self.nodes.items() if r["label"] == LOCAL_THERAPY),
                            key=lambda i: self.name(i).lower()) \
            if sc.pattern == "oligoprogression" else []
        self.procs = sorted((i for i, r in self.nodes.items() if r["label"] == PROCEDURE
                             and sc.sample
                             and mentions(" ".join([str(r.get("name") or ""),
                                                    *map(str, r.get("synonyms") or [])]),
                                          SAMPLE_TERMS[sc.sample])
                             and not (sc.sample == "tissue" and mentions(
                                 " ".join([str(r.get("name") or ""),
                                           *map(str, r.get("synonyms") or [])]),
                                 SAMPLE_TERMS["plasma"]))),
                            key=lambda i: self.name(i).lower())

    def _alterations(self) -> None:
        """The alterations, normalised, with the profiles and mechanisms they inherit from."""
        alts: list[Alteration] = []
        variants = []
        for text in self.sc.alterations:
            a = normalise_alteration(self.run, text)
            alts.append(a)
            if a.node_id and a.label == VARIANT:
                variants.append(a.node_id)
        inh = variant_parents(self.run, variants) if variants else None
        self.alts = [a if not (inh and a.node_id) else Alteration(
            **{**a.__dict__, "via": tuple((p.id, p.name) for p in inh.of(a.node_id))})
            for a in alts]
        self.alt_nodes = ({a.node_id for a in self.alts if a.node_id}
                          | {p for a in self.alts for p, _ in a.via})

    def _claims(self) -> None:
        """The claims about the scenario's nodes and the drugs, and the letter's checks."""
        run = self.run
        ids = sorted(set(self.site_mechs) | self.alt_nodes | set(self.local) | set(self.procs))
        self.about: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in run("42_claims_about", {"ids": ids}) if ids else []:
            self.about[r["node_id"]].append(r)
        self.alk = sorted((i for i, d in self.drugs.items() if is_alk_inhibitor(d)),
                          key=lambda i: self.name(i).lower())
        self.candidates_alk = [d for d in self.alk if d not in self.received]
        self.drug_rows = run("46_drug_claims", {"ids": sorted(set(self.alk)),
                                                "predicates": list(DRUG_PREDICATES)})
        self.checks = {c.claim_id: c for c in citation_check(run, by=LETTER_KEY)}
        basket_claims = [x for x in self.basket if x not in self.checks]
        all_ids = ({r["claim_id"] for rs in self.about.values() for r in rs}
                   | {r["claim_id"] for r in self.drug_rows} | set(self.checks)
                   | set(basket_claims))
        self.cards = {c.id: c for c in claim_cards(run, all_ids) if self.visible(c.id)}
        self.letter = {cid for cid in self.checks if cid in self.cards}

    def _figures(self) -> None:
        """The trial arms and figures, their sources, and the works the figures cite."""
        arms = trial_arms(self.run)
        self.arm_drugs = {a["arm_id"]: set(a.get("treatment_ids") or []) for a in arms}
        self.arm_name = {a["arm_id"]: str(a.get("arm_name") or "") for a in arms}
        self.setting = {a["trial_id"]: str(a.get("setting") or "") for a in arms}
        self.outcomes = [o for o in trial_outcomes(self.run) if self.visible(o["outcome_id"])]
        self.by_id = {o["outcome_id"]: o for o in self.outcomes}
        self.fsrc = {r["outcome_id"]: r for r in self.run("43_figure_sources", {"ids": []})}
        # works, fetched once for every figure's and check's reference
        self.pub_props: dict[str, dict[str, Any]] = {}
        self.fetch_works(o.get("pub_id") for o in self.outcomes)

    # -- visibility and names --
    def visible(self, node_id: str) -> bool:
        """Return whether a node was published by the as-of date (always, without one).

        Parameters
        ----------
        node_id : str
            A claim or figure id.

        Returns
        -------
        bool
            False only when its earliest publication is after the as-of date.
        """
        return self.dates is None or self.dates.visible(node_id, self.as_of)

    def name(self, node_id: str) -> str:
        """Return a node's name (its id when it has none).

        Parameters
        ----------
        node_id : str
            A node of the vocabulary (``41_prep_vocabulary``).

        Returns
        -------
        str
            Its ``name`` property, else the id itself.
        """
        return str((self.nodes.get(node_id) or {}).get("name") or node_id)

    def drug_terms(self, drug_id: str) -> list[str]:
        """Return the words that name a drug in a trial's text: name, synonyms, generation.

        Parameters
        ----------
        drug_id : str
            A drug of the graph.

        Returns
        -------
        list of str
            Its name and synonyms, and ``second-generation`` (etc.) when recorded.
        """
        d = self.drugs.get(drug_id) or {}
        terms = [str(d.get("name") or ""), *map(str, d.get("synonyms") or [])]
        gen = _GENERATION.get(str(d.get("generation") or ""))
        return [t for t in [*terms, gen or ""] if t]

    # -- figures and works --
    def figure_drugs(self, o: Mapping[str, Any]) -> set[str]:
        """Return the drugs of the arm a figure reports (its experimental arm for a comparison).

        Parameters
        ----------
        o : mapping
            A trial figure (``arm_id``, or ``experimental_arm_id`` for a comparison).

        Returns
        -------
        set of str
            Drug ids; empty when the arm is not known.
        """
        return self.arm_drugs.get(o.get("arm_id") or o.get("experimental_arm_id") or "", set())

    def after_received(self, o: Mapping[str, Any]) -> bool:
        """Return whether the figure's patients had received a drug this patient received.

        A cohort that says whom it enrolled (its arm name or population names a treatment
        history) decides; otherwise the trial's setting does.

        Parameters
        ----------
        o : mapping
            A trial figure (its arm, population and trial).

        Returns
        -------
        bool
            True when its cohort, else its trial, enrolled patients after one of `received`.
        """
        terms = [t for d in self.received for t in self.drug_terms(d)]
        if sum(1 for d in self.received if d in self.alk) >= 2:
            terms.append("≥2 ALK TKIs")
        arm_text = " ".join([self.arm_name.get(o.get("arm_id") or o.get("experimental_arm_id")
                                               or "", ""), str(o.get("population") or "")])
        if mentions(arm_text, _HISTORY):  # a cohort that says whom it enrolled decides
            return mentions(arm_text, terms)
        return mentions(self.setting.get(o["trial_id"], ""), terms)

    def fetch_works(self, pids: Iterable[str]) -> None:
        """Fetch the properties of the works not fetched yet (``44_works``) into `pub_props`.

        Parameters
        ----------
        pids : iterable of str
            Publication ids; empty ones are skipped.

        Returns
        -------
        None
        """
        want = sorted({p for p in pids if p and p not in self.pub_props})
        if want:
            for r in self.run("44_works", {"ids": want}):
                self.pub_props[r["id"]] = dict(r["pub"] or {})

    def fig(self, o: Mapping[str, Any]) -> Item:
        """Return a trial figure as a sheet item (`kg.sheets.items.figure_item`).

        Parameters
        ----------
        o : mapping
            A row of `kg.views.trials.trial_outcomes`.

        Returns
        -------
        Item
            With the figure's source record, work and trial setting.
        """
        return figure_item(o, self.fsrc.get(o["outcome_id"], {}),
                           self.pub_props.get(o.get("pub_id")),
                           self.setting.get(o["trial_id"], ""))

    # -- claims: which section shows them, in what order --
    def take(self, cids: Iterable[str], where: str) -> tuple[list[str], list[str]]:
        """Split claims into new ones (now shown in `where`) and ones shown before.

        Parameters
        ----------
        cids : iterable of str
            Claim ids, in order; the letter's own statements are left out.
        where : str
            The key of the section that shows the new ones.

        Returns
        -------
        new : list of str
            Claims no section showed yet, now recorded as shown in `where`.
        before : list of str
            Claims an earlier section shows.
        """
        new, before = [], []
        for cid in cids:
            if cid in self.letter:
                continue
            if cid in self.shown:
                before.append(cid)
            else:
                self.shown[cid] = where
                new.append(cid)
        return new, before

    def shown_before(self, cids: Sequence[str]) -> list[str]:
        """Return a line per claim an earlier section shows, naming that section.

        Parameters
        ----------
        cids : sequence of str
            Claim ids (from `take`).

        Returns
        -------
        list of str
            With ``§key§`` placeholders, numbered when the sheet is complete.
        """
        return [f"Also bearing on this, shown in section §{self.shown[c]}§: "
                f"{self.cards[c].name}" for c in cids]

    def letter_points(self, nodes: Iterable[str]) -> list[str]:
        """Return a line per statement of the letter that names one of the nodes.

        Parameters
        ----------
        nodes : iterable of str
            Node ids.

        Returns
        -------
        list of str
            Pointing to the letter's section (``§letter§``).
        """
        nodes = set(nodes)
        return [f"The letter on this (section §letter§): {self.cards[c].name}"
                for c in sorted(self.letter)
                if nodes & {x.get("id") for x in (*self.cards[c].subjects,
                                                  *self.cards[c].objects)}]

    def sort_cards(self, cids: Iterable[str]) -> list[str]:
        """Return claim ids best evidence level first, then by id.

        Parameters
        ----------
        cids : iterable of str
            Ids of claims in `cards`.

        Returns
        -------
        list of str
        """
        return sorted(cids, key=lambda c: (self.sem.level_rank(self.cards[c].evidence_level), c))

    def names_drug_outside(self, card: ClaimCard, allowed: set[str]) -> bool:
        """Return whether a claim names a drug other than the allowed ones.

        Parameters
        ----------
        card : ClaimCard
            The claim whose subjects and objects are read.
        allowed : set of str
            Drug ids it may name.

        Returns
        -------
        bool
        """
        return any(x.get("label") == DRUG and x.get("id") not in allowed
                   for x in (*card.subjects, *card.objects))

    def side(self, card: ClaimCard) -> str | None:
        """Return the side (sensitive / resistant) a claim takes, by the claim semantics.

        Parameters
        ----------
        card : ClaimCard
            The claim (its predicate and direction).

        Returns
        -------
        str or None
            None for a claim that takes no side.
        """
        return self.sem.side(card.predicate, card.direction)

    def status(self, cards: Sequence[ClaimCard]) -> str:
        """Return ``'resistant · 2 claims · best B'``: the matrix cell's rule (claim semantics).

        Parameters
        ----------
        cards : sequence of ClaimCard
            The claims of one alteration and drug.

        Returns
        -------
        str
            The state (``conflicting`` when a claim is flagged), the number of claims and the
            best evidence level.
        """
        flags = sum(len(c.conflicts) for c in cards)
        state = "conflicting" if flags else self.sem.cell_state(
            [(c.predicate, c.direction, c.source) for c in cards])
        best = min((c.evidence_level for c in cards), key=self.sem.level_rank, default="?")
        n = len(cards)
        return f"{state} · {n} claim{'s' if n != 1 else ''} · best {best or '?'}" + (
            " · flagged by a conflict" if flags else "")
