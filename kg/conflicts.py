"""Conflict flags: evidence for one variant, drug and disease that points both ways.

Every Claim whose predicate is ``CONFERS_SENSITIVITY_TO`` or ``CONFERS_RESISTANCE_TO`` (curated
claims and CIViC Predictive evidence items alike) takes a *stance* on a (variant, drug,
disease) triple:

* variant: the claim's subject; a CIViC profile that is a fusion plus exactly one other variant
  (``core_variant_id``) counts as that variant, so "ALK EML4::ALK AND ALK G1202R" meets the
  curated ``ALK:p.G1202R``;
* drug: each drug of a single or "substitutes" therapy on its own; a combination or a
  sequential therapy as the set of its drugs (``drug:a+drug:b``);
* disease: the claim's disease id, matched exactly (NSCLC ``DOID:3908`` and lung
  adenocarcinoma ``DOID:3910`` are different diseases here).

Whether two stances on the same triple conflict, and how, is not decided here: the rule and
the kinds are declared in ``schema.yaml`` (``claim_semantics.conflict``) and applied by
`kg.schema.ClaimSemantics.conflict_kind`: two claims conflict exactly when both take a side
and the sides differ (``sensitivity_vs_resistance``, ``supports_vs_does_not_support``,
``opposing_negations``; ``civic_vs_curated`` whatever the pair when one side is CIViC and the
other curated). Claims with direction ``not_applicable`` take no stance. One ``Conflict``
node is made per triple, with a ``CONFLICT_SIDE`` edge to every claim that is in at least
one conflicting pair; each edge carries that claim's own citation, so both sides are cited.

A Conflict node is cited like the records it rests on: when a CIViC claim is among its sides
it has source ``civic`` and the ``source_record_id``/``source_url`` of the CIViC side with the
lowest evidence id; otherwise source ``curated`` with the ``bib_key``/``locator`` of the first
curated side. ``citations`` lists every side's citation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.graph import EvidenceGraph, assemble
from kg.schema import EdgeRecord, NodeRecord, Schema, edge_id, load_schema

__all__ = ["Stance", "ConflictGroup", "claim_stances", "find_conflicts", "conflict_records",
           "add_conflicts", "SENSITIVITY", "RESISTANCE"]

SENSITIVITY = "CONFERS_SENSITIVITY_TO"
RESISTANCE = "CONFERS_RESISTANCE_TO"
_JOINT = ("combination", "sequential")
_CITATION_KEYS = ("bib_key", "locator", "source_record_id", "source_url", "pmid")


@dataclass(frozen=True)
class Stance:
    """What one claim says about one (variant, drug, disease) triple."""

    claim_id: str
    source: str
    variant_id: str
    drug_key: str
    drug_ids: tuple[str, ...]
    disease_id: str | None
    predicate: str
    direction: str
    evidence_level: str
    props: dict[str, Any]

    @property
    def side(self) -> str:
        """'sensitive' or 'resistant': which way the claim points (`ClaimSemantics.side`)."""
        return str(load_schema().semantics.side(self.predicate, self.direction))

    @property
    def semantic(self) -> tuple[str, str, str]:
        """(predicate, direction, source): what `ClaimSemantics.conflict_kind` compares."""
        return (self.predicate, self.direction, self.source)

    @property
    def citation(self) -> str:
        """The claim's citation in one string."""
        p = self.props
        if p.get("source_record_id"):
            return f"{p['source_record_id']} {p.get('source_url', '')}".strip()
        return f"{p.get('bib_key', '?')} ({p.get('locator', '?')})"


@dataclass(frozen=True)
class ConflictGroup:
    """The conflicting stances on one (variant, drug, disease) triple."""

    variant_id: str
    drug_key: str
    drug_ids: tuple[str, ...]
    disease_id: str | None
    kind: str
    stances: tuple[Stance, ...]

    @property
    def id(self) -> str:
        """Deterministic node id: ``conflict:<variant>/<drug(s)>/<disease or any>``."""
        return f"conflict:{self.variant_id}/{self.drug_key}/{self.disease_id or 'any'}"


def claim_stances(eg: EvidenceGraph) -> list[Stance]:
    """Return the stance of every sensitivity/resistance claim on its triples.

    Parameters
    ----------
    eg : EvidenceGraph
        An assembled graph.

    Returns
    -------
    list of Stance
        One per claim and drug (or drug combination), sorted by claim id.
    """
    g = eg.graph
    sem = load_schema().semantics
    out: list[Stance] = []
    for cid, data in g.nodes(data=True):
        if data["label"] != "Claim":
            continue
        p = data["props"]
        if sem.side(str(p.get("predicate")), str(p.get("direction"))) is None:
            continue
        subject = p.get("subject_id")
        if subject not in g:
            continue
        variant = g.nodes[subject]["props"].get("core_variant_id") or subject
        drugs = sorted({t for _, t, d in g.out_edges(cid, data=True)
                        if d["type"] == "INVOLVES_THERAPY"})
        if not drugs and p.get("object_id") in g and \
                g.nodes[p["object_id"]]["label"] == "Drug":
            drugs = [p["object_id"]]
        if not drugs:
            continue
        if p.get("therapy_interaction") in _JOINT and len(drugs) > 1:
            keys = [("+".join(drugs), tuple(drugs))]
        else:
            keys = [(d, (d,)) for d in drugs]
        for key, ids in keys:
            out.append(Stance(cid, str(p.get("source")), variant, key, ids, p.get("disease_id"),
                              p["predicate"], p["direction"], str(p.get("evidence_level", "")),
                              p))
    return sorted(out, key=lambda s: (s.claim_id, s.drug_key))


def find_conflicts(eg: EvidenceGraph) -> list[ConflictGroup]:
    """Group stances by (variant, drug, disease) and keep the groups that point both ways.

    Parameters
    ----------
    eg : EvidenceGraph
        An assembled graph.

    Returns
    -------
    list of ConflictGroup
        Sorted by conflict id; each holds only the stances that are in at least one
        conflicting pair.
    """
    groups: dict[tuple[str, str, str | None], list[Stance]] = defaultdict(list)
    for s in claim_stances(eg):
        groups[(s.variant_id, s.drug_key, s.disease_id)].append(s)
    sem = load_schema().semantics
    rank = {k: i for i, k in enumerate(sem.conflict_kinds)}
    out: list[ConflictGroup] = []
    for (variant, drug_key, disease), stances in groups.items():
        involved: set[int] = set()
        kinds: set[str] = set()
        for i, a in enumerate(stances):
            for j in range(i + 1, len(stances)):
                kind = sem.conflict_kind(a.semantic, stances[j].semantic)
                if kind is not None:
                    kinds.add(kind)
                    involved.update((i, j))
        if not kinds:
            continue
        sides = tuple(stances[i] for i in sorted(involved))
        out.append(ConflictGroup(variant, drug_key, sides[0].drug_ids, disease,
                                 min(kinds, key=rank.__getitem__), sides))
    return sorted(out, key=lambda c: c.id)


def _sort_key(s: Stance) -> tuple[int, int, str]:
    num = s.claim_id.rsplit(":", 1)[-1]
    return (0 if s.source == "civic" else 1, int(num) if num.isdigit() else 0, s.claim_id)


def conflict_records(eg: EvidenceGraph, groups: Iterable[ConflictGroup]
                     ) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """Turn conflict groups into Conflict nodes and cited CONFLICT_SIDE edges.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph the groups were found in (for names).
    groups : iterable of ConflictGroup
        From `find_conflicts`.

    Returns
    -------
    nodes : list of NodeRecord
        One Conflict node per group, cited like its first stance (CIViC first).
    edges : list of EdgeRecord
        One CONFLICT_SIDE edge from each Conflict to each of its claims.
    """
    g = eg.graph

    def name(nid: str | None) -> str:
        if nid is None:
            return "any disease"
        if nid in g:
            return str(g.nodes[nid]["props"].get("name", nid))
        return nid

    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []
    for c in groups:
        first = sorted(c.stances, key=_sort_key)[0]
        fp = first.props
        sources = sorted({s.source for s in c.stances})
        licences = sorted({str(s.props.get("licence")) for s in c.stances})
        sensitive = sorted({s.claim_id for s in c.stances if s.side == "sensitive"})
        resistant = sorted({s.claim_id for s in c.stances if s.side == "resistant"})
        cite = {k: fp[k] for k in _CITATION_KEYS if fp.get(k)}
        drugs = " + ".join(name(d) for d in c.drug_ids)
        props = {
            "source": first.source, "source_version": fp.get("source_version"),
            "licence": " AND ".join(licences), **cite,
            "name": f"{name(c.variant_id)} and {drugs} in {name(c.disease_id)}: "
                    f"{len(sensitive)} sensitive vs {len(resistant)} resistant",
            "variant_id": c.variant_id, "drug_id": c.drug_key, "drug_ids": list(c.drug_ids),
            "disease_id": c.disease_id, "kind": c.kind, "sources": sources,
            "sensitive_claim_ids": sensitive, "resistant_claim_ids": resistant,
            "citations": [s.citation for s in sorted({s.claim_id: s for s in c.stances}.values(),
                                                     key=_sort_key)],
        }
        nodes.append(NodeRecord(c.id, "Conflict", {k: v for k, v in props.items()
                                                    if v is not None}, origin="<conflicts>"))
        for s in {s.claim_id: s for s in c.stances}.values():
            sp = s.props
            eprops = {"source": s.source, "source_version": sp.get("source_version"),
                      "licence": sp.get("licence"),
                      **{k: sp[k] for k in _CITATION_KEYS if sp.get(k)},
                      "side": s.side, "claim_id": s.claim_id, "direction": s.direction,
                      "evidence_level": s.evidence_level or None}
            edges.append(EdgeRecord(edge_id(c.id, "CONFLICT_SIDE", s.claim_id), c.id,
                                    s.claim_id, "CONFLICT_SIDE",
                                    {k: v for k, v in eprops.items() if v is not None},
                                    origin="<conflicts>"))
    return nodes, edges


def add_conflicts(eg: EvidenceGraph, *, schema: Schema | None = None) -> EvidenceGraph:
    """Return a new graph with a Conflict node per conflicting triple.

    Conflict nodes and CONFLICT_SIDE edges already in `eg` are dropped first, so the step is
    idempotent. `eg` itself is not modified. The records of `eg` were validated when it was
    assembled; the new Conflict nodes and CONFLICT_SIDE edges are validated here against the
    schema, as `kg.graph.assemble` would.

    Parameters
    ----------
    eg : EvidenceGraph
        An assembled graph.
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.

    Returns
    -------
    EvidenceGraph
        With `eg`'s source provenance.

    Raises
    ------
    IngestError
        A conflict record fails validation (a bug, not bad input).

    Examples
    --------
    >>> from kg.graph import assemble
    >>> eg = add_conflicts(assemble([], []))
    >>> eg.counts()["nodes"]["Conflict"]
    0
    """
    new_nodes, new_edges = conflict_records(eg, find_conflicts(eg))
    src = eg.graph
    kept = nx.MultiDiGraph()
    kept.add_nodes_from((n, d) for n, d in src.nodes(data=True) if d["label"] != "Conflict")
    kept.add_edges_from((s, t, k, d) for s, t, k, d in src.edges(keys=True, data=True)
                        if d["type"] != "CONFLICT_SIDE" and s in kept and t in kept)
    return assemble(new_nodes, new_edges, schema=schema, base=EvidenceGraph(kept, eg.sources))
