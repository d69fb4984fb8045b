"""CSV of nodes and of edges, with citation columns, and its reader.

The citation columns are the formatted reference, DOI, PMID, locator and source kind of what
each record rests on (`CSV_COLUMNS`); every property also travels as JSON in the
``properties`` column, so `parse_csv` reads it back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from kg.graph import EvidenceGraph, assemble
from kg.schema.errors import ExportError
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = ["CITATION_COLUMNS", "CSV_COLUMNS", "generate_csv", "parse_csv"]

#: What a record rests on, resolved through the publication it cites (see `generate_csv`).
CITATION_COLUMNS = ("reference", "doi", "pmid", "locator", "source_kind", "source_record_id",
                    "source_url")
#: The columns of the node and of the edge CSV.
CSV_COLUMNS = {
    "nodes": ("id", "label", "name", "source", "source_version", *CITATION_COLUMNS,
              "properties"),
    "edges": ("id", "type", "source_id", "target_id", "claim_id", "direction",
              "evidence_level", "source", "source_version", *CITATION_COLUMNS, "properties"),
}


def _citations(eg: EvidenceGraph) -> Callable[[dict[str, Any], str | None], dict[str, str]]:
    """Return a function giving a record's citation columns (publications looked up once)."""
    from kg.views.references import format_reference

    by_key: dict[str, dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for n in eg.nodes():
        if n.label == "Publication":
            pub = {**n.props, "id": n.id}
            by_id[n.id] = pub
            if n.props.get("bib_key"):
                by_key[n.props["bib_key"]] = pub

    def cite(props: dict[str, Any], own_pub: str | None) -> dict[str, str]:
        pmid = props.get("pmid")
        pub = (by_id.get(own_pub) if own_pub else None) or by_key.get(props.get("bib_key") or "") \
            or (by_id.get(f"PMID:{pmid}") if pmid else None)
        ref = format_reference(pub).text if pub else (
            format_reference(None, pmid=pmid).text if pmid else "")
        kind = props.get("source_kind") or (pub or {}).get("pub_kind") \
            or ("civic record" if props.get("source") == "civic" and props.get(
                "source_record_id") else "")
        return {"reference": ref, "doi": str((pub or {}).get("doi") or ""),
                "pmid": str(pmid or (pub or {}).get("pmid") or ""),
                "locator": str(props.get("locator") or ""), "source_kind": str(kind),
                "source_record_id": str(props.get("source_record_id") or ""),
                "source_url": str(props.get("source_url") or "")}

    return cite


def generate_csv(eg: EvidenceGraph, what: str = "nodes") -> str:
    """Return the nodes (or the edges) as CSV with citation columns.

    The citation columns say what each record rests on: ``reference`` (the formatted
    reference of the cited work: a Publication's own, else the work of its ``bib_key``, else
    its PubMed id's), ``doi``, ``pmid``, ``locator`` (where in the work), ``source_kind`` (the
    record's own ``source_kind`` when recorded, else the cited work's ``pub_kind``: article,
    letter, abstract ...; ``civic record`` for a CIViC record citing no work in the graph),
    ``source_record_id`` and ``source_url`` (a third-party record). Every property also goes,
    as JSON, into ``properties``.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.
    what : {'nodes', 'edges'}
        Which records.

    Returns
    -------
    str
        CSV (RFC 4180, ``\\n`` line ends) with the header `CSV_COLUMNS` [what], rows sorted
        by id.

    Raises
    ------
    ExportError
        `what` is neither ``nodes`` nor ``edges``.

    See Also
    --------
    parse_csv
    """
    if what not in CSV_COLUMNS:
        raise ExportError(f"unknown CSV table {what!r}; known: nodes, edges")
    cite = _citations(eg)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS[what], lineterminator="\n")
    w.writeheader()
    if what == "nodes":
        for n in eg.nodes():
            p = n.props
            w.writerow({"id": n.id, "label": n.label, "name": p.get("name", ""),
                        "source": p.get("source", ""), "source_version": p.get("source_version",
                                                                               ""),
                        **cite(p, n.id if n.label == "Publication" else None),
                        "properties": json.dumps(p, sort_keys=True, ensure_ascii=False)})
    else:
        for e in eg.edges():
            p = e.props
            w.writerow({"id": e.id, "type": e.type, "source_id": e.source, "target_id": e.target,
                        "claim_id": p.get("claim_id", ""), "direction": p.get("direction", ""),
                        "evidence_level": p.get("evidence_level", ""),
                        "source": p.get("source", ""),
                        "source_version": p.get("source_version", ""), **cite(p, None),
                        "properties": json.dumps(p, sort_keys=True, ensure_ascii=False)})
    return buf.getvalue()


def parse_csv(nodes_csv: str, edges_csv: str) -> EvidenceGraph:
    """Read the node and edge CSV of `generate_csv` back into a validated graph.

    Parameters
    ----------
    nodes_csv, edges_csv : str
        The two CSV texts.

    Returns
    -------
    EvidenceGraph
        Rebuilt from the ``properties`` column (the other columns are for reading).

    Raises
    ------
    IngestError
        A record fails the schema (see `kg.graph.assemble`).
    """
    nodes = [NodeRecord(r["id"], r["label"], json.loads(r["properties"]))
             for r in csv.DictReader(io.StringIO(nodes_csv))]
    edges = [EdgeRecord(r["id"], r["source_id"], r["target_id"], r["type"],
                        json.loads(r["properties"]))
             for r in csv.DictReader(io.StringIO(edges_csv))]
    return assemble(nodes, edges)
