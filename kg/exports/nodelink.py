"""Node-link JSON export (``nodes``, ``links``) and its reader."""

from __future__ import annotations

import json

from kg.graph import EvidenceGraph, assemble
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = ["generate_nodelink", "parse_nodelink"]


def generate_nodelink(eg: EvidenceGraph) -> str:
    """Return node-link JSON (``nodes``, ``links``), sorted and deterministic.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to write as node-link JSON.

    Returns
    -------
    str
        JSON text, keys sorted, ending with a newline.

    See Also
    --------
    parse_nodelink
    """
    data = {
        "directed": True, "multigraph": True,
        "nodes": [{"id": n.id, "label": n.label, "properties": n.props} for n in eg.nodes()],
        "links": [{"id": e.id, "source": e.source, "target": e.target, "type": e.type,
                   "properties": e.props} for e in eg.edges()],
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def parse_nodelink(text: str) -> EvidenceGraph:
    """Parse `generate_nodelink` output back into a validated graph.

    Parameters
    ----------
    text : str
        Node-link JSON as written by `generate_nodelink`.

    Returns
    -------
    EvidenceGraph
        The graph of the ``nodes`` and ``links`` lists.

    Raises
    ------
    IngestError
        A record in the text fails the schema (see `kg.graph.assemble`).
    """
    data = json.loads(text)
    nodes = [NodeRecord(n["id"], n["label"], n["properties"]) for n in data["nodes"]]
    edges = [EdgeRecord(e["id"], e["source"], e["target"], e["type"], e["properties"])
             for e in data["links"]]
    return assemble(nodes, edges)
