"""The graph a store serves, read back into an `EvidenceGraph`, and the part a view shows.

`served_graph` checks what it read against the store's fingerprint, so every export format
can export what the browser shows; `subgraph` keeps the part of it a view shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.graph import EvidenceGraph, assemble
from kg.schema import load_schema
from kg.schema.errors import ExportError
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = ["STORE_ONLY_PROPS", "served_graph", "subgraph"]

#: Properties a store adds for itself (search index text, Neo4j's version tag), not the graph's.
STORE_ONLY_PROPS = frozenset({"search_text", "search_lower", "kg_version"})


def served_graph(store: Any, *, check: bool = True) -> EvidenceGraph:
    """Read the graph a store serves back into a validated `EvidenceGraph`.

    Nodes are read label by label and edges type by type (labels and types from the schema),
    each with all its properties, minus what the store adds for itself
    (`STORE_ONLY_PROPS`); the source provenance comes from the store's metadata when it keeps
    some (FalkorDB).

    Parameters
    ----------
    store : GraphStore
        An open store with a graph loaded.
    check : bool, optional
        Compare the fingerprint of what was read with the store's `graph_version`.

    Returns
    -------
    EvidenceGraph
        Equal to the graph that was loaded (same fingerprint).

    Raises
    ------
    ExportError
        No graph is loaded, or what was read back differs from the loaded fingerprint.
    QueryError, StoreError
        The store failed to answer.
    """
    version = store.graph_version()
    if not version:
        raise ExportError("no graph is loaded in the store; run `python -m kg build` first, "
                          "or export with --from-sources")
    schema = load_schema()
    nodes: list[NodeRecord] = []
    for label in schema.labels:
        for nid, props in store.query(f"MATCH (n:{label}) RETURN n.id AS id, "
                                      "properties(n) AS props").rows:
            nodes.append(NodeRecord(nid, label, _graph_props(props)))
    edges: list[EdgeRecord] = []
    for rtype in schema.relationships:
        for eid, s, t, props in store.query(
                f"MATCH (a)-[r:{rtype}]->(b) RETURN r.id AS id, a.id AS s, b.id AS t, "
                "properties(r) AS props").rows:
            edges.append(EdgeRecord(eid, s, t, rtype, _graph_props(props)))
    eg = assemble(nodes, edges)
    meta = store.meta() if hasattr(store, "meta") else {}
    if isinstance(meta.get("sources"), dict):
        eg.sources = dict(meta["sources"])
    if check and eg.fingerprint() != version:
        raise ExportError(f"the graph read back from the store has fingerprint "
                          f"{eg.fingerprint()}, not the loaded {version}; rebuild it "
                          "(`python -m kg build`) or export with --from-sources")
    return eg


def _graph_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in (props or {}).items() if k not in STORE_ONLY_PROPS and k != "id"}


def subgraph(eg: EvidenceGraph, node_ids: Iterable[str]) -> EvidenceGraph:
    """Return the part of a graph a view shows: these nodes and the edges among them.

    Parameters
    ----------
    eg : EvidenceGraph
        The whole graph.
    node_ids : iterable of str
        Ids of the nodes shown; unknown ids are ignored.

    Returns
    -------
    EvidenceGraph
        The induced subgraph (a copy), with the whole graph's source provenance.

    Examples
    --------
    >>> from kg.build import build_graph
    >>> part = subgraph(build_graph(), ["drug:alectinib", "HGNC:427", "nope"])
    >>> sorted(part.graph.nodes), sorted(d["type"] for *_, d in part.graph.edges(data=True))
    (['HGNC:427', 'drug:alectinib'], ['TARGETS'])
    """
    keep = [n for n in dict.fromkeys(node_ids) if n in eg.graph]
    return EvidenceGraph(eg.graph.subgraph(keep).copy(), dict(eg.sources))
