"""GraphML export and its reader.

List properties are flattened explicitly to JSON text (GraphML has no list type) and
restored on reading.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.graph import EvidenceGraph, assemble
from kg.schema import load_schema
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = ["generate_graphml", "write_graphml", "read_graphml"]


def _flat(props: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v) if isinstance(v, list) else v for k, v in props.items()}


def generate_graphml(eg: EvidenceGraph) -> str:
    """Return GraphML text; list properties become JSON text (GraphML has no lists).

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to write as GraphML.

    Returns
    -------
    str
        The GraphML document; nodes carry ``label``, edges ``type`` and are keyed by edge id.

    See Also
    --------
    write_graphml, read_graphml
    """
    g = nx.MultiDiGraph()
    for n in eg.nodes():
        g.add_node(n.id, label=n.label, **_flat(n.props))
    for e in eg.edges():
        g.add_edge(e.source, e.target, key=e.id, type=e.type, **_flat(e.props))
    return "\n".join(nx.generate_graphml(g)) + "\n"


def write_graphml(eg: EvidenceGraph, path: Path) -> None:
    """Write `generate_graphml` to a file.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to write to `path`.
    path : pathlib.Path
        The file to (over)write, UTF-8.

    Returns
    -------
    None

    See Also
    --------
    read_graphml
    """
    Path(path).write_text(generate_graphml(eg), encoding="utf-8")


def read_graphml(path: Path) -> EvidenceGraph:
    """Read a GraphML export back into a validated graph (list properties restored).

    Parameters
    ----------
    path : pathlib.Path
        A file written by `write_graphml`.

    Returns
    -------
    EvidenceGraph
        The graph as assembled from the file's nodes and edges.

    Raises
    ------
    IngestError
        A record in the file fails the schema (see `kg.graph.assemble`).

    See Also
    --------
    write_graphml
    """
    schema = load_schema()
    g = nx.read_graphml(path, force_multigraph=True)

    def unflat(label: str | None, props: dict[str, Any]) -> dict[str, Any]:
        specs = schema.node_properties(label) if label else schema.edge_properties()
        out = {}
        for k, v in props.items():
            spec = specs.get(k)
            out[k] = json.loads(v) if spec is not None and spec.type == "list[str]" else v
            if spec is not None and spec.type == "float" and isinstance(v, int):
                out[k] = float(v)
        return out

    nodes: list[NodeRecord] = []
    for n, d in g.nodes(data=True):
        d = dict(d)
        label = d.pop("label")
        nodes.append(NodeRecord(n, label, unflat(label, d)))
    edges = []
    for s, t, k, d in g.edges(keys=True, data=True):
        d = dict(d)
        rtype = d.pop("type")
        edges.append(EdgeRecord(k, s, t, rtype, unflat(None, d)))
    return assemble(nodes, edges)
