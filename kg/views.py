"""What the evidence browser shows, computed from named queries; no Streamlit here.

Every function takes a *runner*: a callable ``run(query_name, params) -> list[dict]`` that
executes a named query from ``queries/``. The app passes a runner whose results are cached
by (query name, parameters, graph version); tests and benchmarks use `store_runner`.
Pages only lay out what these functions return.

Evidence sources: a claim whose ``source`` is ``'civic'`` is CIViC evidence, every other
claim is curated. `SOURCE_FILTERS` names the three views the browser offers.

The node labels and relationship types this module reasons about are named once, below,
and checked against ``kg/schema/schema.yaml`` at import (`SchemaError` if one is missing).
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from kg.queries import load_query
from kg.schema import load_schema
from kg.schema.errors import SchemaError

__all__ = [
    "Runner", "store_runner", "query_text", "SOURCE_FILTERS", "ALK_CONTEXT", "LEVEL_MEANING",
    "LABEL_COLOURS",
    "Reference", "ClaimCard", "NeighbourGroup", "EntityView", "MatrixCell", "Matrix",
    "Subgraph", "BibItem",
    "label_counts", "find_nodes", "get_node", "neighbours", "claim_cards", "entity_view",
    "format_reference", "doi_url", "pmid_url", "resistance_matrix", "matrix_genes",
    "neighbourhood",
    "trial_arms", "trial_outcomes", "forest_rows", "bibliography", "to_bibtex",
    "keep_source", "evidence_source", "humanize", "entity_href",
]

Runner = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]

_SCHEMA = load_schema()


def _L(label: str) -> str:  # noqa: N802 - a schema name, checked
    if label not in _SCHEMA.nodes:
        raise SchemaError(f"kg.views needs node label {label!r}, absent from the schema")
    return label


def _R(rtype: str) -> str:  # noqa: N802
    if rtype not in _SCHEMA.relationships:
        raise SchemaError(f"kg.views needs relationship {rtype!r}, absent from the schema")
    return rtype


CLAIM, PUBLICATION, TRIAL, OUTCOME, CONFLICT = (
    _L("Claim"), _L("Publication"), _L("Trial"), _L("Outcome"), _L("Conflict"))
VARIANT, MECHANISM, GENE, DRUG = (
    _L("Variant"), _L("ResistanceMechanism"), _L("Gene"), _L("Drug"))
RESISTANCE, SENSITIVITY = _R("CONFERS_RESISTANCE_TO"), _R("CONFERS_SENSITIVITY_TO")
ASSERTED_IN, CITES_SOURCE, REPORTED_IN = (
    _R("ASSERTED_IN"), _R("CITES_SOURCE"), _R("REPORTED_IN"))
CITES, REPLIES_TO = _R("CITES"), _R("REPLIES_TO")
CONFLICT_SIDE = _R("CONFLICT_SIDE")
COMPONENT_OF = _R("COMPONENT_OF")

# The role an entity plays in a claim, by the relationship from the claim to it.
CLAIM_ROLES: dict[str, str] = {
    _R("HAS_SUBJECT"): "subject",
    _R("HAS_MOLECULAR_PROFILE"): "subject",
    _R("HAS_OBJECT"): "object",
    _R("INVOLVES_THERAPY"): "therapy",
    _R("ABOUT_DISEASE"): "disease",
    _R("IN_TRIAL"): "trial",
    ASSERTED_IN: "made in this work",
    CITES_SOURCE: "cites this work for support",
    _R("SUPPORTED_BY_OUTCOME"): "rests on this figure",
    _R("SUPPORTED_BY"): "evidence of this assertion",
    CONFLICT_SIDE: "a side of this conflict",
}

#: The matrix's default row filter: ALK variants plus every row with curated evidence.
ALK_CONTEXT = "ALK+curated"
SOURCE_FILTERS: dict[str, str] = {
    "both": "curated and CIViC", "curated": "curated only", "civic": "CIViC only"}
#: Evidence level -> a word for the screen, from the schema's claim semantics.
LEVEL_MEANING: dict[str, str] = dict(_SCHEMA.semantics.level_short)

_PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#8cd17d",
            "#f1ce63"]
_FIXED = {"Drug": "#4e79a7", "Variant": "#e15759", "Gene": "#59a14f",
          "ResistanceMechanism": "#f28e2b", "Claim": "#bab0ac", "Publication": "#9c755f",
          "Trial": "#b07aa1", "Disease": "#76b7b2", "LocalTherapy": "#edc948",
          "Outcome": "#d4a6c8", "Arm": "#d7b5a6", "DiagnosticProcedure": "#86bcb6",
          "Conflict": "#ff0000", "Assertion": "#a0cbe8"}
#: One colour per schema label (fixed for the common ones, the palette for the rest).
LABEL_COLOURS: dict[str, str] = {
    label: _FIXED.get(label, _PALETTE[i % len(_PALETTE)])
    for i, label in enumerate(_SCHEMA.labels)}

_HIDDEN_PROPS = {"search_text", "id"}


# -- runners ----------------------------------------------------------------------------
def store_runner(store: Any) -> Runner:
    """Return a runner that executes named queries on `store`, uncached.

    Parameters
    ----------
    store : GraphStore
        An open store.

    Returns
    -------
    Runner
        ``run(name, params) -> list[dict]``.

    Examples
    --------
    >>> run = store_runner(store)
    >>> run("21_node", {"id": "drug:alectinib"})[0]["label"]
    'Drug'
    """

    def run(name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return store.query(query_text(name), dict(params)).records()

    return run


@functools.cache
def query_text(name: str) -> str:
    """Return the text of a named query, read once per process."""
    return load_query(name).text


# -- small helpers ----------------------------------------------------------------------
def evidence_source(props: Mapping[str, Any] | None) -> str:
    """Return ``'civic'`` for CIViC evidence, else ``'curated'``.

    Examples
    --------
    >>> evidence_source({"source": "civic"}), evidence_source({"source": "curated"})
    ('civic', 'curated')
    """
    return "civic" if (props or {}).get("source") == "civic" else "curated"


def keep_source(props: Mapping[str, Any] | None, source_filter: str) -> bool:
    """Return True when a claim passes the filter ``'both'``, ``'curated'`` or ``'civic'``.

    Examples
    --------
    >>> keep_source({"source": "civic"}, "curated"), keep_source({"source": "civic"}, "both")
    (False, True)
    """
    return source_filter == "both" or evidence_source(props) == source_filter


def humanize(rtype: str) -> str:
    """Turn a relationship type into words.

    Examples
    --------
    >>> humanize("CONFERS_RESISTANCE_TO")
    'confers resistance to'
    """
    return (rtype or "").replace("_", " ").lower()


def doi_url(doi: str | None) -> str | None:
    """Return the resolver URL of a DOI, or None.

    Examples
    --------
    >>> doi_url("10.4103/CRST.CRST_72_20")
    'https://doi.org/10.4103/CRST.CRST_72_20'
    """
    if not doi:
        return None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", str(doi).strip(), flags=re.I)
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}"


def pmid_url(pmid: str | int | None) -> str | None:
    """Return the PubMed URL of a PubMed id, or None.

    Examples
    --------
    >>> pmid_url("27432227")
    'https://pubmed.ncbi.nlm.nih.gov/27432227/'
    """
    if pmid is None or not str(pmid).strip().isdigit():
        return None
    return f"https://pubmed.ncbi.nlm.nih.gov/{str(pmid).strip()}/"


def _initials(given: str) -> str:
    return "".join(p[0].upper() for p in re.split(r"[\s.\-]+", given) if p)


def _author(name: str) -> str:
    name = name.strip()
    if name.lower() in ("others", "et al", "et al."):
        return "et al."
    if "," in name:
        last, given = (x.strip() for x in name.split(",", 1))
    else:
        parts = name.split()
        last, given = parts[-1], " ".join(parts[:-1])
    return f"{last} {_initials(given)}".strip()


@dataclass(frozen=True)
class Reference:
    """A formatted reference with its links."""

    text: str
    short: str
    pub_id: str | None = None
    doi_url: str | None = None
    pmid_url: str | None = None
    url: str | None = None
    bib_key: str | None = None

    @property
    def best_url(self) -> str | None:
        """The DOI link, else PubMed, else any URL."""
        return self.doi_url or self.pmid_url or self.url


def format_reference(pub: Mapping[str, Any] | None, *, pmid: str | None = None,
                     url: str | None = None) -> Reference:
    """Format a Publication's properties as a Vancouver-style reference.

    Parameters
    ----------
    pub : mapping or None
        Publication node properties (``authors``, ``year``, ``title``, ``journal``,
        ``volume``, ``pages``, ``doi``, ``pmid``, ``url``, ``name``, ``id``).
    pmid, url : str, optional
        Used when there is no publication node (a CIViC record cites a PubMed id).

    Returns
    -------
    Reference

    Examples
    --------
    >>> r = format_reference({"authors": ["Gainor, Justin F.", "Dardaei, Leila"],
    ...     "year": 2016, "title": "Molecular Mechanisms of Resistance",
    ...     "journal": "Cancer Discovery", "volume": "6", "pages": "1118--1133",
    ...     "doi": "10.1158/2159-8290.CD-16-0596", "name": "Gainor 2016"})
    >>> r.text
    'Gainor JF, Dardaei L. Molecular Mechanisms of Resistance. Cancer Discovery. 2016;6:1118-1133.'
    >>> r.doi_url
    'https://doi.org/10.1158/2159-8290.CD-16-0596'
    """
    if not pub:
        label = f"PMID {pmid}" if pmid else (url or "no publication recorded")
        return Reference(text=label, short=label, pmid_url=pmid_url(pmid), url=url)
    authors = [_author(a) for a in (pub.get("authors") or []) if str(a).strip()]
    if len(authors) > 6:
        authors = authors[:3] + ["et al."]
    who = ", ".join(a for a in authors if a != "et al.")
    if "et al." in authors:
        who = f"{who}, et al." if who else "et al."
    title = str(pub.get("title") or pub.get("name") or "").rstrip(".")
    journal = str(pub.get("journal") or "").rstrip(".")
    year = pub.get("year")
    vol, pages = pub.get("volume"), str(pub.get("pages") or "").replace("--", "-")
    where = f"{year}" if year else ""
    if vol:
        where += f";{vol}"
    if pages:
        where += f":{pages}"
    parts = [p for p in (who, title, journal, where) if p]
    text = ". ".join(parts) + "." if parts else str(pub.get("id") or "")
    text = text.replace("..", ".")
    return Reference(
        text=text, short=str(pub.get("name") or pub.get("id") or ""),
        pub_id=pub.get("id"), doi_url=doi_url(pub.get("doi")),
        pmid_url=pmid_url(pub.get("pmid") or pmid), url=pub.get("url") or url,
        bib_key=pub.get("bib_key"))


# -- basic lookups ----------------------------------------------------------------------
def label_counts(run: Runner) -> dict[str, dict[str, int]]:
    """Return node counts as ``{label: {source: n}}`` (source '' when absent).

    Parameters
    ----------
    run : Runner

    Returns
    -------
    dict
        Label -> source -> count.
    """
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in run("20_label_counts", {}):
        out[r["label"]][r["source"] or ""] = int(r["n"])
    return dict(out)


def find_nodes(run: Runner, *, labels: Sequence[str] = (), terms: Sequence[str] = (),
               limit: int = 5000) -> list[dict[str, Any]]:
    """Return nodes of the labels whose search text contains every term.

    Parameters
    ----------
    run : Runner
    labels : sequence of str
        Node labels ('' or empty: all).
    terms : sequence of str
        Words that must all occur (case-insensitive); empty matches every node.
    limit : int
        Most rows.

    Returns
    -------
    list of dict
        ``id, label, name, synonyms, source``, sorted by label and name.
    """
    return run("25_find_nodes", {"labels": list(labels), "terms": [t.lower() for t in terms],
                                 "limit": int(limit)})


def get_node(run: Runner, node_id: str) -> dict[str, Any] | None:
    """Return ``{id, label, props}`` of a node, or None when the id is unknown.

    Parameters
    ----------
    run : Runner
    node_id : str

    Returns
    -------
    dict or None
    """
    rows = run("21_node", {"id": node_id})
    return rows[0] if rows else None


def neighbours(run: Runner, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Return every relationship touching the nodes `ids` (see ``23_neighbours``).

    Parameters
    ----------
    run : Runner
    ids : sequence of str

    Returns
    -------
    list of dict
        One row per (node of `ids`, relationship), with the node at the other end.
    """
    return run("23_neighbours", {"ids": sorted(set(ids))}) if ids else []


# -- claims ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ClaimCard:
    """A claim as shown to a trainee: what, how strongly, who says so, where, in which words."""

    id: str
    name: str
    predicate: str
    direction: str
    evidence_level: str
    source: str
    subjects: tuple[dict[str, Any], ...]
    objects: tuple[dict[str, Any], ...]
    reference: Reference
    locator: str
    quote: str
    statement: str = ""
    cited: tuple[Reference, ...] = ()
    outcomes: tuple[dict[str, Any], ...] = ()
    conflicts: tuple[dict[str, Any], ...] = ()
    source_url: str | None = None
    source_record_id: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def level_text(self) -> str:
        """``'B (clinical)'``."""
        meaning = LEVEL_MEANING.get(self.evidence_level)
        return f"{self.evidence_level} ({meaning})" if meaning else (self.evidence_level or "?")


def _card(row: Mapping[str, Any]) -> ClaimCard:
    c = row["claim"] or {}
    src = evidence_source(c)
    ref = format_reference(row.get("publication"), pmid=c.get("pmid"), url=c.get("source_url"))
    cited = tuple(format_reference(x) for x in (row.get("cited") or []))
    extra = tuple((k, str(c[k])) for k in ("evidence_type", "significance",
                                           "therapy_interaction", "rating", "status",
                                           "variant_origin") if c.get(k) not in (None, ""))
    return ClaimCard(
        id=row["claim_id"], name=str(c.get("name") or row["claim_id"]),
        predicate=str(c.get("predicate") or ""), direction=str(c.get("direction") or ""),
        evidence_level=str(c.get("evidence_level") or ""), source=src,
        subjects=tuple(row.get("subjects") or ()), objects=tuple(row.get("objects") or ()),
        reference=ref, locator=str(c.get("locator") or ("CIViC evidence item"
                                                        if src == "civic" else "")),
        quote=str(c.get("quote") or ""), statement=str(c.get("statement") or ""),
        cited=cited, outcomes=tuple(row.get("outcomes") or ()),
        conflicts=tuple(row.get("conflicts") or ()), source_url=c.get("source_url"),
        source_record_id=c.get("source_record_id"), extra=extra)


def claim_cards(run: Runner, ids: Iterable[str]) -> list[ClaimCard]:
    """Return the claim cards of claim ids, sorted by evidence level then id.

    Parameters
    ----------
    run : Runner
    ids : iterable of str
        Claim ids; unknown ids are skipped.

    Returns
    -------
    list of ClaimCard
    """
    ids = sorted(set(ids))
    if not ids:
        return []
    cards = [_card(r) for r in run("22_claims", {"ids": ids})]
    return sorted(cards, key=lambda c: (c.evidence_level or "Z", c.id))


# -- entity pages ---------------------------------------------------------------------
@dataclass(frozen=True)
class NeighbourGroup:
    """Neighbours reached over one relationship type in one direction."""

    rel: str
    outgoing: bool
    description: str
    items: tuple[tuple[str, str, str], ...]  # (id, label, name)

    @property
    def heading(self) -> str:
        """``'TARGETS →'`` or ``'← RECEIVES'``."""
        return f"{self.rel} →" if self.outgoing else f"← {self.rel}"


@dataclass(frozen=True)
class EntityView:
    """Everything an entity page shows."""

    id: str
    label: str
    name: str
    summary: tuple[tuple[str, Any], ...]
    props: dict[str, Any]
    claims: dict[str, tuple[tuple[str, ClaimCard], ...]]  # predicate -> (role, card)
    hidden_claims: int
    neighbours: tuple[NeighbourGroup, ...]
    reference: Reference | None = None
    supports: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = ()
    cites: tuple[tuple[str, str, str], ...] = ()
    cited_by: tuple[tuple[str, str, str], ...] = ()
    own_claim: ClaimCard | None = None

    @property
    def n_claims(self) -> int:
        """Claims shown (after the source filter)."""
        return sum(len(v) for v in self.claims.values())


_SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "Drug": ("synonyms", "drug_class", "generation", "ncit", "chebi"),
    "Gene": ("full_name", "synonyms", "entrez_id"),
    "Variant": ("gene_symbol", "hgvs_p", "variant_type", "region", "synonyms"),
    "ResistanceMechanism": ("category", "description", "synonyms"),
    "Disease": ("synonyms",),
    "LocalTherapy": ("description", "synonyms"),
    "DiagnosticProcedure": ("description", "synonyms"),
    "Trial": ("title", "phase", "design", "setting", "registry", "registry_id", "synonyms"),
    "Publication": ("title", "journal", "year", "volume", "pages", "doi", "pmid",
                    "pub_kind"),
    "Claim": ("predicate", "direction", "evidence_level", "statement"),
    "Arm": ("role", "n_text", "regimen", "trial_id"),
    "Outcome": ("endpoint", "measure", "population", "assessment", "value_text", "unit",
                "ci_low_text", "ci_high_text", "ci_level_text", "p_value_text", "timepoint",
                "data_cutoff", "quote", "locator"),
    "Conflict": ("kind", "variant_id", "drug_id", "disease_id"),
    "Assertion": ("assertion_type", "significance", "amp_category", "summary"),
}


for _name in (*_SUMMARY_FIELDS, *_FIXED):
    _L(_name)


def _summary(label: str, props: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    fields = _SUMMARY_FIELDS.get(label) or tuple(
        k for k in sorted(props) if k not in _HIDDEN_PROPS and k != "name")
    out = []
    for k in fields:
        v = props.get(k)
        if v in (None, "", []):
            continue
        out.append((k.replace("_", " "), ", ".join(map(str, v)) if isinstance(v, list) else v))
    return tuple(out)


def entity_view(run: Runner, node_id: str, *, source: str = "both") -> EntityView | None:
    """Return what the entity page of `node_id` shows, or None when the id is unknown.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    node_id : str
        Any node id (drug, gene, variant, mechanism, trial, publication, claim ...).
    source : {'both', 'curated', 'civic'}
        Which claims to show.

    Returns
    -------
    EntityView or None
    """
    node = get_node(run, node_id)
    if node is None:
        return None
    label, props = node["label"], dict(node["props"] or {})
    rows = neighbours(run, [node_id])
    claim_roles: dict[str, list[str]] = defaultdict(list)
    groups: dict[tuple[str, bool], dict[str, tuple[str, str, str]]] = defaultdict(dict)
    for r in rows:
        outgoing = r["source_id"] == node_id
        if r["other_label"] == CLAIM and label != CLAIM:
            claim_roles[r["other_id"]].append(r["rel"])
            continue
        groups[(r["rel"], outgoing)][r["other_id"]] = (
            r["other_id"], r["other_label"], str(r["other_name"] or r["other_id"]))
    # A variant's evidence also sits on the compound variants and CIViC molecular profiles it
    # is a component of ("ALK EML4::ALK AND ALK G1202R"): show those claims too, saying so.
    via: dict[str, str] = {}
    if label == VARIANT:
        profiles = {r["other_id"]: str(r["other_name"] or r["other_id"]) for r in rows
                    if r["rel"] == COMPONENT_OF and r["source_id"] == node_id}
        for r in neighbours(run, sorted(profiles)):
            if r["other_label"] == CLAIM and r["source_id"] == r["other_id"] and (
                    r["other_id"] not in claim_roles):
                via.setdefault(r["other_id"], profiles[r["node_id"]])
                claim_roles[r["other_id"]].append(r["rel"])
    cards = {c.id: c for c in claim_cards(run, claim_roles)}
    by_pred: dict[str, list[tuple[str, ClaimCard]]] = defaultdict(list)
    hidden = 0
    for cid, rels in claim_roles.items():
        card = cards.get(cid)
        if card is None:
            continue
        if not keep_source({"source": "civic" if card.source == "civic" else "curated"},
                           source):
            hidden += 1
            continue
        role = ", ".join(sorted({CLAIM_ROLES.get(x, humanize(x)) for x in rels}))
        if cid in via:
            role += f" via {via[cid]}"
        by_pred[card.predicate or "OTHER"].append((role, card))
    claims = {p: tuple(sorted(v, key=lambda rc: (rc[1].evidence_level or "Z", rc[1].id)))
              for p, v in sorted(by_pred.items())}
    neigh = tuple(
        NeighbourGroup(rel=rel, outgoing=out,
                       description=_SCHEMA.relationships[rel].description
                       if rel in _SCHEMA.relationships else "",
                       items=tuple(sorted(items.values(), key=lambda x: (x[1], x[2].lower()))))
        for (rel, out), items in sorted(groups.items(), key=lambda kv: (not kv[0][1], kv[0][0])))
    view = EntityView(id=node_id, label=label, name=str(props.get("name") or node_id),
                      summary=_summary(label, props),
                      props={k: v for k, v in props.items() if k not in _HIDDEN_PROPS},
                      claims=claims, hidden_claims=hidden, neighbours=neigh)
    if label == PUBLICATION:
        supports: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for (rel, out), items in groups.items():
            if not out and rel in (REPORTED_IN,):
                supports[f"{humanize(rel)} here"].extend(items.values())
        for cid, rels in claim_roles.items():
            card = cards.get(cid)
            name = card.name if card else cid
            for rel in rels:
                key = {ASSERTED_IN: "claims made in this work",
                       CITES_SOURCE: "claims that cite this work for support"}.get(rel, rel)
                supports[key].append((cid, CLAIM, name))
        cites = tuple(v for (rel, out), items in groups.items() if out and rel in (
            CITES, REPLIES_TO) for v in items.values())
        cited_by = tuple(v for (rel, out), items in groups.items() if not out and rel in (
            CITES, REPLIES_TO) for v in items.values())
        view = _replace(view, reference=format_reference({**props, "id": node_id}),
                        supports=tuple((k, tuple(v)) for k, v in sorted(supports.items())),
                        cites=cites, cited_by=cited_by)
    if label == CLAIM:
        own = claim_cards(run, [node_id])
        view = _replace(view, own_claim=own[0] if own else None)
    return view


def _replace(view: EntityView, **kw: Any) -> EntityView:
    from dataclasses import replace

    return replace(view, **kw)


# -- resistance matrix ------------------------------------------------------------------
@dataclass(frozen=True)
class MatrixCell:
    """The evidence for one (variant or mechanism, drug) pair."""

    subject_id: str
    drug_id: str
    status: str  # resistant | sensitive | conflicting
    claim_ids: tuple[str, ...]
    n_resistant: int
    n_sensitive: int
    best_level: str
    n_curated: int
    n_civic: int
    n_conflict_flags: int

    @property
    def n(self) -> int:
        """Number of claims in the cell."""
        return len(self.claim_ids)

    @property
    def text(self) -> str:
        """Short cell text, e.g. ``'resistant · 2 · B'``."""
        return f"{self.status} · {self.n} · {self.best_level}"


@dataclass(frozen=True)
class Matrix:
    """Rows (variants, mechanisms, genes) × drug columns; empty cells mean no evidence.

    Columns come most-evidenced drug first (the ALK inhibitors, for this graph).
    """

    rows: tuple[tuple[str, str, str], ...]  # (id, label, name)
    cols: tuple[tuple[str, str], ...]  # (id, name)
    cells: dict[tuple[str, str], MatrixCell] = field(default_factory=dict)
    genes: tuple[str, ...] = ()  # every gene with evidence, before the gene filter

    def cell(self, subject_id: str, drug_id: str) -> MatrixCell | None:
        """Return the cell, or None (no evidence)."""
        return self.cells.get((subject_id, drug_id))


def resistance_matrix(run: Runner, *, source: str = "both",
                      subjects: Sequence[str] = (VARIANT,), gene: str = "") -> Matrix:
    """Build the variants × drugs matrix of resistance and sensitivity evidence.

    A cell's state follows the schema's claim semantics (`ClaimSemantics.cell_state`):
    *conflicting* when a pair of its claims conflicts by the one conflict rule, or a Conflict
    node flags one of its claims; *resistant* or *sensitive* when every claim with a side
    takes that side; *inconclusive* when only negations point both ways. A pair with no
    claim has no cell: *no evidence*.

    Parameters
    ----------
    run : Runner
    source : {'both', 'curated', 'civic'}
    subjects : sequence of str
        Row labels: ``Variant``, ``ResistanceMechanism``, ``Gene``.
    gene : str
        Keep only variant and gene rows of this gene symbol ('' keeps all); mechanism rows
        are always kept. `ALK_CONTEXT` keeps ALK rows plus every row with curated evidence
        (the curated claims are all about ALK-positive disease: MET amplification is there).

    Returns
    -------
    Matrix
    """
    rows = run("26_resistance_matrix", {"predicates": [RESISTANCE, SENSITIVITY]})
    curated_rows = {r["subject_id"] for r in rows if evidence_source(r) == "curated"}
    acc: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    row_meta: dict[str, tuple[str, str, str]] = {}
    col_meta: dict[str, tuple[str, str]] = {}
    for r in rows:
        if r["subject_label"] not in subjects or not keep_source(r, source):
            continue
        if gene == ALK_CONTEXT:
            if r["subject_label"] != MECHANISM and r.get("subject_gene") != "ALK" and (
                    r["subject_id"] not in curated_rows):
                continue
        elif gene and r["subject_label"] != MECHANISM and r.get("subject_gene") != gene:
            continue
        acc[(r["subject_id"], r["drug_id"])].append(r)
        row_meta[r["subject_id"]] = (r["subject_id"], r["subject_label"],
                                     str(r["subject_name"] or r["subject_id"]))
        col_meta[r["drug_id"]] = (r["drug_id"], str(r["drug_name"] or r["drug_id"]))
    cells = {}
    for key, claims in acc.items():
        sem = _SCHEMA.semantics
        sides = [sem.side(c["predicate"], c["direction"]) for c in claims]
        n_res, n_sen = sides.count("resistant"), sides.count("sensitive")
        flags = sum(int(c.get("conflicts") or 0) for c in claims)
        status = "conflicting" if flags else sem.cell_state(
            [(c["predicate"], c["direction"], evidence_source(c)) for c in claims])
        levels = sorted(str(c["evidence_level"] or "Z") for c in claims)
        cells[key] = MatrixCell(
            subject_id=key[0], drug_id=key[1], status=status,
            claim_ids=tuple(sorted({c["claim_id"] for c in claims})), n_resistant=n_res,
            n_sensitive=n_sen, best_level=levels[0] if levels else "?",
            n_curated=sum(evidence_source(c) == "curated" for c in claims),
            n_civic=sum(evidence_source(c) == "civic" for c in claims),
            n_conflict_flags=flags)
    order = {lb: i for i, lb in enumerate((VARIANT, MECHANISM, GENE))}
    rws = tuple(sorted(row_meta.values(), key=lambda x: (order.get(x[1], 9), x[2].lower())))
    per_drug = defaultdict(int)
    for _, d in cells:
        per_drug[d] += 1
    cols = tuple(sorted(col_meta.values(), key=lambda x: (-per_drug[x[0]], x[1].lower())))
    genes = tuple(sorted({str(r["subject_gene"]) for r in rows if r.get("subject_gene")}))
    return Matrix(rows=rws, cols=cols, cells=cells, genes=genes)


def matrix_genes(run: Runner) -> tuple[str, ...]:
    """Return every gene with resistance or sensitivity evidence (the matrix's gene filter).

    Parameters
    ----------
    run : Runner

    Returns
    -------
    tuple of str
        Gene symbols, sorted.
    """
    rows = run("26_resistance_matrix", {"predicates": [RESISTANCE, SENSITIVITY]})
    return tuple(sorted({str(r["subject_gene"]) for r in rows if r.get("subject_gene")}))


# -- graph neighbourhood ----------------------------------------------------------------
@dataclass(frozen=True)
class Subgraph:
    """A capped neighbourhood: nodes (closest first), merged edges, and whether it was capped."""

    centre: str
    depth: int
    nodes: tuple[dict[str, Any], ...]
    edges: tuple[dict[str, Any], ...]
    reachable: int
    cap: int

    @property
    def capped(self) -> bool:
        """True when fewer nodes are drawn than were reached."""
        return self.reachable > len(self.nodes)


def neighbourhood(run: Runner, centre: str, *, depth: int = 1, cap: int = 80,
                  labels: Sequence[str] | None = None,
                  reach_limit: int = 5000) -> Subgraph | None:
    """Return the neighbourhood of `centre` up to `depth` hops, at most `cap` nodes.

    Breadth first: nodes at fewer hops are kept before farther ones, so capping drops the
    periphery. Nodes of labels not in `labels` are neither drawn nor walked through.

    Parameters
    ----------
    run : Runner
    centre : str
        Node id.
    depth : int
        Hops, 1-3.
    cap : int
        Most nodes drawn (the centre included).
    labels : sequence of str, optional
        Labels to draw and walk through (default all).
    reach_limit : int
        Stop exploring once this many nodes were reached (``reachable`` is then a floor).

    Returns
    -------
    Subgraph or None
        None when the centre is unknown.
    """
    node = get_node(run, centre)
    if node is None:
        return None
    allowed = set(labels) if labels else None
    seen: dict[str, dict[str, Any]] = {centre: {
        "id": centre, "label": node["label"],
        "name": str((node["props"] or {}).get("name") or centre), "depth": 0}}
    frontier = [centre]
    for d in range(1, max(1, depth) + 1):
        nxt = []
        for r in neighbours(run, frontier):
            oid = r["other_id"]
            if oid in seen or (allowed is not None and r["other_label"] not in allowed):
                continue
            seen[oid] = {"id": oid, "label": r["other_label"],
                         "name": str(r["other_name"] or oid), "depth": d}
            nxt.append(oid)
        frontier = nxt
        if not frontier or len(seen) >= reach_limit:
            break
    ordered = sorted(seen.values(), key=lambda n: (n["depth"], n["label"], n["name"].lower()))
    kept = ordered[:max(1, cap)]
    kept_ids = {n["id"] for n in kept}
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in neighbours(run, sorted(kept_ids)):
        s, t = r["source_id"], r["target_id"]
        if s not in kept_ids or t not in kept_ids:
            continue
        key = (s, t, r["rel"])
        e = merged.setdefault(key, {"source": s, "target": t, "rel": r["rel"], "claims": set()})
        if r.get("claim_id"):
            e["claims"].add(r["claim_id"])
    edges = tuple({**e, "claims": tuple(sorted(e["claims"]))} for _, e in sorted(merged.items()))
    return Subgraph(centre=centre, depth=depth, nodes=tuple(kept), edges=edges,
                    reachable=len(seen), cap=cap)


# -- trials and outcomes ----------------------------------------------------------------
def trial_arms(run: Runner, trial: str = "") -> list[dict[str, Any]]:
    """Return trials × arms (experimental arms first within a trial).

    Parameters
    ----------
    run : Runner
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
    trial : str
        A trial id, or '' for every trial.

    Returns
    -------
    list of dict
        The rows of ``27_outcomes`` with added keys: ``arm_name``, ``experimental_name``,
        ``comparator_name``, ``arm_short`` (what the arm received), ``comparison`` (e.g.
        ``'alectinib vs crizotinib'``), ``ci_text`` (e.g. ``'95% CI 0.26–0.52'``),
        ``display`` (value as published with unit and CI), ``source_url`` (DOI, else
        PubMed, else URL, else the publication's page in the browser) and ``reference``
        (short name).
    """
    arm_rows = trial_arms(run, trial)
    arms = {r["arm_id"]: r["arm_name"] for r in arm_rows}
    short = {r["arm_id"]: " + ".join(r["treatments"] or []) or r["arm_name"] for r in arm_rows}
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
        r["source_url"] = (doi_url(r.get("doi")) or pmid_url(r.get("pmid")) or r.get("url")
                           or (entity_href(r["pub_id"]) if r.get("pub_id") else None))
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


# -- references -----------------------------------------------------------------------
@dataclass(frozen=True)
class BibItem:
    """One work of the bibliography with what it supports."""

    id: str
    reference: Reference
    props: dict[str, Any]
    source: str
    supports: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]
    cites: tuple[tuple[str, str], ...]
    cited_by: tuple[tuple[str, str], ...]

    @property
    def n_supported(self) -> int:
        """How many things rest on this work."""
        return sum(len(v) for _, v in self.supports)


_SUPPORT_KIND = {ASSERTED_IN: "claims made", CITES_SOURCE: "cited for support by claims",
                 REPORTED_IN: "reports"}


def bibliography(run: Runner, *, source: str = "both") -> list[BibItem]:
    """Return every publication, sorted by its formatted reference, with what it supports.

    Parameters
    ----------
    run : Runner
    source : {'both', 'curated', 'civic'}
        ``curated`` keeps works of the curated bibliography, ``civic`` those imported only
        from CIViC.

    Returns
    -------
    list of BibItem
    """
    items = []
    for r in run("28_references", {}):
        pub = dict(r["pub"] or {})
        src = "civic" if pub.get("source") == "civic" and not pub.get("bib_key") else "curated"
        if source != "both" and src != source:
            continue
        groups: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for s in r.get("supports") or []:
            groups[_SUPPORT_KIND.get(s["rel"], humanize(s["rel"]))].append(
                (s["id"], s["label"], str(s["name"] or s["id"])))
        items.append(BibItem(
            id=r["id"], reference=format_reference({**pub, "id": r["id"]}),
            props={k: v for k, v in pub.items() if k not in _HIDDEN_PROPS}, source=src,
            supports=tuple((k, tuple(sorted(set(v), key=lambda x: (x[1], x[2]))))
                           for k, v in sorted(groups.items())),
            cites=tuple((c["id"], str(c["name"] or c["id"])) for c in r.get("cites") or []),
            cited_by=tuple((c["id"], str(c["name"] or c["id"]))
                           for c in r.get("cited_by") or [])))
    return sorted(items, key=lambda b: (b.reference.text.lower(), b.id))


def to_bibtex(items: Iterable[BibItem]) -> str:
    """Write works as BibTeX, keyed by their curated bib key (else a key from the id).

    Returns
    -------
    str
        One ``@article``-style entry per work (entry type as recorded), fields sorted.

    Examples
    --------
    >>> it = BibItem(id="PMID:1", reference=format_reference({"name": "X 2020"}),
    ...              props={"bib_key": "x2020", "title": "T", "year": 2020,
    ...                     "authors": ["X, A"], "pmid": "1", "entry_type": "article"},
    ...              source="curated", supports=(), cites=(), cited_by=())
    >>> print(to_bibtex([it]))
    @article{x2020,
      author = {X, A},
      pmid = {1},
      title = {T},
      year = {2020}
    }
    <BLANKLINE>
    """
    from kg.exports import bibtex_entry

    return "\n".join(
        bibtex_entry(it.props.get("bib_key") or re.sub(r"[^A-Za-z0-9]+", "_", it.id).strip("_"),
                     dict(it.props))
        for it in items)


def entity_href(node_id: str) -> str:
    """Return the relative URL of a node's entity page (``entity?id=...``).

    Examples
    --------
    >>> entity_href("ALK:p.G1202R")
    'entity?id=ALK%3Ap.G1202R'
    """
    return "entity?id=" + quote(node_id, safe="")

