"""Entity pages: a node's summary, every claim about it (by relationship), its neighbours.

A publication's page adds what rests on the work, what it cites and what cites it; a claim's
page adds the claim's own card. Claims are filtered by evidence source (`SOURCE_FILTERS`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from kg.schema import load_schema
from kg.views.base import (
    ASSERTED_IN,
    CITES,
    CITES_SOURCE,
    CLAIM,
    CONFLICT_SIDE,
    HIDDEN_PROPS,
    PUBLICATION,
    REPLIES_TO,
    REPORTED_IN,
    VARIANT,
    Runner,
    checked_label,
    checked_rel,
    get_node,
    humanize,
    keep_source,
    neighbours,
)
from kg.views.claims import ClaimCard, claim_cards
from kg.views.dates import as_date, publication_dates
from kg.views.inherited import variant_parents
from kg.views.references import Reference, format_reference

__all__ = ["CLAIM_ROLES", "NeighbourGroup", "EntityView", "entity_view"]

#: The edges by which a claim is *about* a node (its subject or CIViC molecular profile).
_ABOUT = frozenset({checked_rel("HAS_SUBJECT"), checked_rel("HAS_MOLECULAR_PROFILE")})

# The role an entity plays in a claim, by the relationship from the claim to it.
CLAIM_ROLES: dict[str, str] = {
    checked_rel("HAS_SUBJECT"): "subject",
    checked_rel("HAS_MOLECULAR_PROFILE"): "subject",
    checked_rel("HAS_OBJECT"): "object",
    checked_rel("INVOLVES_THERAPY"): "therapy",
    checked_rel("ABOUT_DISEASE"): "disease",
    checked_rel("IN_TRIAL"): "trial",
    ASSERTED_IN: "made in this work",
    CITES_SOURCE: "cites this work for support",
    checked_rel("SUPPORTED_BY_OUTCOME"): "rests on this figure",
    checked_rel("SUPPORTED_BY"): "evidence of this assertion",
    CONFLICT_SIDE: "a side of this conflict",
}


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
    hidden_by_date: int = 0  # claims and linked works, figures, trials after the "as of" date
    known_since: str | None = None  # when the node was first published (ISO), if it is dated
    after_as_of: bool = False  # the node itself was published after the "as of" date

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
for _name in _SUMMARY_FIELDS:
    checked_label(_name)


def _summary(label: str, props: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    fields = _SUMMARY_FIELDS.get(label) or tuple(
        k for k in sorted(props) if k not in HIDDEN_PROPS and k != "name")
    out = []
    for k in fields:
        v = props.get(k)
        if v in (None, "", []):
            continue
        out.append((k.replace("_", " "), ", ".join(map(str, v)) if isinstance(v, list) else v))
    return tuple(out)


def entity_view(run: Runner, node_id: str, *, source: str = "both",
                as_of: str | None = None) -> EntityView | None:
    """Return what the entity page of `node_id` shows, or None when the id is unknown.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    node_id : str
        Any node id (drug, gene, variant, mechanism, trial, publication, claim ...).
    source : {'both', 'curated', 'civic'}
        Which claims to show.
    as_of : str, optional
        An "as of" date (``YYYY-MM-DD`` or ``letter``): claims, works, figures and trials
        published after it are left out (and counted in ``hidden_by_date``).

    Returns
    -------
    EntityView or None

    Raises
    ------
    ValueError
        `as_of` is not a date.
    """
    node = get_node(run, node_id)
    if node is None:
        return None
    label, props = node["label"], dict(node["props"] or {})
    when = as_date(as_of)
    dates = publication_dates(run)
    shown: set[str] = set()
    late: set[str] = set()

    def visible(nid: str) -> bool:
        ok = dates.visible(nid, when)
        (shown if ok else late).add(nid)
        return ok

    rows = [r for r in neighbours(run, [node_id]) if visible(r["other_id"])]
    claim_roles: dict[str, list[str]] = defaultdict(list)
    groups: dict[tuple[str, bool], dict[str, tuple[str, str, str]]] = defaultdict(dict)
    for r in rows:
        outgoing = r["source_id"] == node_id
        if r["other_label"] == CLAIM and label != CLAIM:
            claim_roles[r["other_id"]].append(r["rel"])
            continue
        groups[(r["rel"], outgoing)][r["other_id"]] = (
            r["other_id"], r["other_label"], str(r["other_name"] or r["other_id"]))
    # A variant inherits the evidence of the mechanisms it is classified as and of the
    # compound mutations and CIViC molecular profiles it is a component of ("ALK EML4::ALK
    # AND ALK G1202R"): show those claims too, marked "via ..." (kg.views.inherited).
    via: dict[str, str] = {}
    if label == VARIANT:
        parents = {p.id: p.name for p in variant_parents(run, [node_id]).of(node_id)}
        for r in neighbours(run, sorted(parents)) if parents else ():
            if r["other_label"] == CLAIM and r["source_id"] == r["other_id"] and visible(
                    r["other_id"]) and (
                    r["rel"] in _ABOUT) and r["other_id"] not in claim_roles:
                via.setdefault(r["other_id"], parents[r["node_id"]])
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
            role = f"inherited via {via[cid]}: {role}"
        by_pred[card.predicate or "OTHER"].append((role, card))
    claims = {p: tuple(sorted(v, key=lambda rc: (rc[1].evidence_level or "Z", rc[1].id)))
              for p, v in sorted(by_pred.items())}
    relationships = load_schema().relationships
    neigh = tuple(
        NeighbourGroup(rel=rel, outgoing=out,
                       description=relationships[rel].description
                       if rel in relationships else "",
                       items=tuple(sorted(items.values(), key=lambda x: (x[1], x[2].lower()))))
        for (rel, out), items in sorted(groups.items(), key=lambda kv: (not kv[0][1], kv[0][0])))
    since = dates.known.get(node_id)
    view = EntityView(id=node_id, label=label, name=str(props.get("name") or node_id),
                      summary=_summary(label, props),
                      props={k: v for k, v in props.items() if k not in HIDDEN_PROPS},
                      claims=claims, hidden_claims=hidden, neighbours=neigh,
                      hidden_by_date=len(late - shown),
                      known_since=since.isoformat() if since else None,
                      after_as_of=not dates.visible(node_id, when))
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
        view = replace(view, reference=format_reference({**props, "id": node_id}),
                       supports=tuple((k, tuple(v)) for k, v in sorted(supports.items())),
                       cites=cites, cited_by=cited_by)
    if label == CLAIM:
        own = claim_cards(run, [node_id])
        view = replace(view, own_claim=own[0] if own else None)
    return view
