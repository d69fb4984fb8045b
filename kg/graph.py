"""The in-memory evidence graph: a networkx MultiDiGraph assembled from adapter records.

`assemble` is the one place where records from every source meet. It merges nodes that
share an id (keeping every source in ``merged_sources``), refuses a duplicate id within one
source, checks every node and edge against the schema (label, allowed pair, required and
typed properties, provenance and citation) and every edge's endpoints, and raises one
`IngestError` listing each problem with the file:line the record came from.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

import networkx as nx

from kg.schema import Schema, load_schema
from kg.schema.errors import IngestError, InputProblem
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = [
    "EvidenceGraph",
    "assemble",
    "generate_jsonl",
    "write_jsonl",
    "parse_jsonl",
    "read_jsonl",
    "node_line",
    "edge_line",
]


def _problem(origin: str | None, message: str, record: str | None = None) -> InputProblem:
    file, line = "<record>", None
    if origin:
        file, _, rest = origin.rpartition(":")
        if rest.isdigit():
            line = int(rest)
        else:
            file = origin
    return InputProblem(file, line, message, record=record)


@dataclass
class EvidenceGraph:
    """The assembled graph plus what a store needs to load it.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Nodes keyed by id with attributes ``label`` and ``props``; edges keyed by edge id with
        ``type`` and ``props``.
    sources : dict
        Source name -> provenance (version, licence) of what was loaded.
    """

    graph: nx.MultiDiGraph
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def nodes(self) -> Iterator[NodeRecord]:
        """Yield every node as a `NodeRecord`, sorted by id."""
        for nid in sorted(self.graph.nodes):
            data = self.graph.nodes[nid]
            yield NodeRecord(nid, data["label"], data["props"])

    def edges(self) -> Iterator[EdgeRecord]:
        """Yield every edge as an `EdgeRecord`, sorted by id."""
        rows = sorted(self.graph.edges(keys=True, data=True), key=lambda e: e[2])
        for s, t, k, data in rows:
            yield EdgeRecord(k, s, t, data["type"], data["props"])

    def counts(self) -> dict[str, Counter]:
        """Return node counts by label and edge counts by type."""
        return {
            "nodes": Counter(d["label"] for _, d in self.graph.nodes(data=True)),
            "edges": Counter(d["type"] for *_, d in self.graph.edges(keys=True, data=True)),
        }

    def fingerprint(self) -> str:
        """Return a short hash of the sorted export: equal graphs, equal fingerprints.

        The FalkorDB bulk loader computes the same hash while it streams the graph
        (`kg.store.falkordb_bulk`), from the same `node_line` and `edge_line`.
        """
        import hashlib

        h = hashlib.sha256()
        for line in generate_jsonl(self):
            h.update(line.encode("utf-8"))
        return h.hexdigest()[:12]


def assemble(
    nodes: Iterable[NodeRecord],
    edges: Iterable[EdgeRecord],
    *,
    schema: Schema | None = None,
    base: EvidenceGraph | None = None,
) -> EvidenceGraph:
    """Build and validate the evidence graph from adapter records.

    This is the one place records are checked and added: the derived steps
    (`kg.conflicts.add_conflicts`) add theirs through it too, on top of a `base` graph.

    Parameters
    ----------
    nodes, edges : iterable of NodeRecord / EdgeRecord
        From every adapter, in any order.
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.
    base : EvidenceGraph, optional
        An already validated graph to add the records to; it is copied, not modified, and
        its records are not validated again. Its source provenance is kept.

    Returns
    -------
    EvidenceGraph

    Raises
    ------
    IngestError
        Every problem found: unknown label or type, disallowed pair, missing property or
        citation, duplicate id within one source, edge to a missing node.

    Examples
    --------
    >>> prov = {"source": "curated", "source_version": "1", "licence": "CC-BY-4.0"}
    >>> g = assemble([NodeRecord("HGNC:427", "Gene", {**prov, "name": "ALK"})], [])
    >>> g.graph.number_of_nodes()
    1
    """
    schema = schema or load_schema()
    problems: list[InputProblem] = []
    g = _copy(base.graph) if base is not None else nx.MultiDiGraph()
    origins: dict[str, str | None] = {}
    sources: dict[str, dict[str, str]] = dict(base.sources) if base is not None else {}
    for rec in nodes:
        props = {k: v for k, v in rec.props.items() if v is not None}
        src = str(props.get("source"))
        sources.setdefault(src, {"source_version": str(props.get("source_version")),
                                 "licence": str(props.get("licence"))})
        if rec.id in g:
            existing = g.nodes[rec.id]
            if existing["props"].get("source") == src:
                problems.append(_problem(rec.origin, f"duplicate id {rec.id!r} (first defined "
                                         f"at {origins.get(rec.id) or 'another record'})",
                                         rec.id))
                continue
            if existing["label"] != rec.label:
                problems.append(_problem(rec.origin, f"id {rec.id!r} is a {rec.label} here but "
                                         f"a {existing['label']} in source "
                                         f"{existing['props'].get('source')!r}", rec.id))
                continue
            _merge(existing["props"], props)
            continue
        for msg in schema.validate_node(rec.id, rec.label, props):
            problems.append(_problem(rec.origin, msg, rec.id))
        g.add_node(rec.id, label=rec.label, props=props)
        origins[rec.id] = rec.origin
    seen_edges: dict[str, str | None] = {}
    for e in edges:
        props = {k: v for k, v in e.props.items() if v is not None}
        if e.id in seen_edges:
            problems.append(_problem(e.origin, f"duplicate edge {e.type} {e.source} -> "
                                     f"{e.target} (id {e.id})", e.id))
            continue
        missing = [n for n in (e.source, e.target) if n not in g]
        if missing:
            problems.append(_problem(e.origin, f"{e.type} edge {e.source} -> {e.target} refers "
                                     f"to unknown node(s) {', '.join(map(repr, missing))}"))
            continue
        for msg in schema.validate_edge(e.type, g.nodes[e.source]["label"],
                                        g.nodes[e.target]["label"], props):
            problems.append(_problem(e.origin, f"{msg} ({e.source} -> {e.target})"))
        g.add_edge(e.source, e.target, key=e.id, type=e.type, props=props)
        seen_edges[e.id] = e.origin
    if problems:
        raise IngestError(problems)
    return EvidenceGraph(g, sources)


def _copy(src: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy a graph with its own property dicts (assemble merges into them in place)."""
    g = nx.MultiDiGraph()
    g.add_nodes_from((n, {"label": d["label"], "props": dict(d["props"])})
                     for n, d in src.nodes(data=True))
    g.add_edges_from((s, t, k, {"type": d["type"], "props": dict(d["props"])})
                     for s, t, k, d in src.edges(keys=True, data=True))
    return g


def _merge(existing: dict[str, Any], incoming: dict[str, Any]) -> None:
    """Merge a second source's record into a node: first source wins, lists are unioned."""
    merged = list(existing.get("merged_sources", []))
    if incoming["source"] not in merged:
        merged.append(incoming["source"])
    existing["merged_sources"] = merged
    for key, value in incoming.items():
        if key in ("source", "source_version", "licence", "merged_sources"):
            continue
        if key not in existing:
            existing[key] = value
        elif isinstance(existing[key], list) and isinstance(value, list):
            existing[key] = existing[key] + [v for v in value if v not in existing[key]]


# -- JSON Lines export ----------------------------------------------------------------------

def generate_jsonl(eg: EvidenceGraph) -> Iterator[str]:
    """Yield one JSON object per node, then per edge, sorted by id.

    Each line has ``kind`` (node|edge), ``id``, ``labels`` (nodes) or ``type`` (edges),
    ``properties``, and ``source``/``target`` for edges. Output is byte-identical for equal
    graphs.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.

    Yields
    ------
    str
        One JSON object (keys sorted, no newline) per node, then per edge.

    See Also
    --------
    parse_jsonl
    """
    for n in eg.nodes():
        yield node_line(n)
    for e in eg.edges():
        yield edge_line(e)


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def node_line(n: NodeRecord) -> str:
    """Return the export line of one node (JSON, keys sorted, no newline).

    Parameters
    ----------
    n : NodeRecord
        A node of the graph.

    Returns
    -------
    str
        ``{"id": ..., "kind": "node", "labels": [...], "properties": {...}}``.

    Examples
    --------
    >>> node_line(NodeRecord("x:1", "Drug", {"name": "x"}))
    '{"id": "x:1", "kind": "node", "labels": ["Drug"], "properties": {"name": "x"}}'
    """
    return _ENCODER.encode({"kind": "node", "id": n.id, "labels": [n.label],
                            "properties": n.props})


def edge_line(e: EdgeRecord) -> str:
    """Return the export line of one edge (JSON, keys sorted, no newline).

    Parameters
    ----------
    e : EdgeRecord
        An edge of the graph.

    Returns
    -------
    str
        With ``kind`` "edge", ``id``, ``type``, ``source``, ``target``, ``properties``.
    """
    return _ENCODER.encode({"kind": "edge", "id": e.id, "type": e.type, "source": e.source,
                            "target": e.target, "properties": e.props})


def write_jsonl(eg: EvidenceGraph, fh: TextIO) -> int:
    """Write `generate_jsonl` lines to a text handle; return the number of lines.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.
    fh : text file
        An open, writable text handle; each line gets a trailing newline.

    Returns
    -------
    int
        The number of lines written (nodes plus edges).

    See Also
    --------
    read_jsonl
    """
    count = 0
    for line in generate_jsonl(eg):
        fh.write(line + "\n")
        count += 1
    return count


def parse_jsonl(lines: Iterable[str]) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """Parse exported lines back into records (inverse of `generate_jsonl`).

    Parameters
    ----------
    lines : iterable of str
        Exported lines (a text handle works); blank lines are skipped.

    Returns
    -------
    nodes : list of NodeRecord
        In line order.
    edges : list of EdgeRecord
        In line order.

    Raises
    ------
    IngestError
        A line that is not JSON or lacks ``kind``.
    """
    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if obj["kind"] == "node":
                nodes.append(NodeRecord(obj["id"], obj["labels"][0], obj["properties"]))
            else:
                edges.append(EdgeRecord(obj["id"], obj["source"], obj["target"], obj["type"],
                                        obj["properties"]))
        except (ValueError, KeyError, IndexError) as exc:
            raise IngestError(InputProblem("<jsonl>", i, f"bad export line: {exc}")) from exc
    return nodes, edges


def read_jsonl(fh: TextIO) -> EvidenceGraph:
    """Read an export back into a validated `EvidenceGraph`.

    Parameters
    ----------
    fh : text file
        An open text handle (or any iterable of lines) written by `write_jsonl`.

    Returns
    -------
    EvidenceGraph

    Raises
    ------
    IngestError
        A line that does not parse, or a record that fails the schema.

    See Also
    --------
    write_jsonl
    """
    nodes, edges = parse_jsonl(fh)
    return assemble(nodes, edges)
