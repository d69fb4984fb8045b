"""The export formats by name (`EXPORT_FORMATS`): one format of a graph as text or a file."""

from __future__ import annotations

from pathlib import Path

from kg.exports.bibtex import generate_bibtex
from kg.exports.graphml import generate_graphml
from kg.exports.nodelink import generate_nodelink
from kg.exports.rdf import generate_rdf
from kg.exports.tables import generate_csv
from kg.graph import EvidenceGraph
from kg.schema.errors import ExportError

__all__ = ["EXPORT_FORMATS", "export_text", "write_export"]


#: Export format -> (description, file suffix, MIME type).
EXPORT_FORMATS = {
    "jsonl": ("JSON Lines, one node or edge per line", "jsonl", "application/x-ndjson"),
    "graphml": ("GraphML (list properties as JSON text)", "graphml", "application/xml"),
    "nodelink": ("node-link JSON", "json", "application/json"),
    "turtle": ("RDF Turtle", "ttl", "text/turtle"),
    "jsonld": ("RDF JSON-LD", "jsonld", "application/ld+json"),
    "bibtex": ("BibTeX of the works in the graph", "bib", "application/x-bibtex"),
    "csv-nodes": ("CSV of the nodes with citation columns", "csv", "text/csv"),
    "csv-edges": ("CSV of the edges with citation columns", "csv", "text/csv"),
}


def export_text(eg: EvidenceGraph, fmt: str) -> str:
    """Return one export format of a graph as text.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to write in `fmt`.
    fmt : str
        A key of `EXPORT_FORMATS`.

    Returns
    -------
    str

    Raises
    ------
    ExportError
        `fmt` is not one of `EXPORT_FORMATS`.
    """
    if fmt == "jsonl":
        from kg.graph import generate_jsonl

        return "".join(line + "\n" for line in generate_jsonl(eg))
    if fmt == "graphml":
        return generate_graphml(eg)
    if fmt == "nodelink":
        return generate_nodelink(eg)
    if fmt in ("turtle", "jsonld"):
        return generate_rdf(eg, fmt="turtle" if fmt == "turtle" else "json-ld")
    if fmt == "bibtex":
        return generate_bibtex(eg)
    if fmt in ("csv-nodes", "csv-edges"):
        return generate_csv(eg, fmt.split("-", 1)[1])
    raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")


def write_export(eg: EvidenceGraph, fmt: str, path: Path | None) -> None:
    """Write one export format to `path` (standard output when None).

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.
    fmt : str
        A key of `EXPORT_FORMATS` (``jsonl``, ``graphml``, ``nodelink``, ``turtle``,
        ``jsonld``, ``bibtex``, ``csv-nodes``, ``csv-edges``).
    path : pathlib.Path or None
        The file to (over)write; None writes to standard output.

    Returns
    -------
    None

    Raises
    ------
    ExportError
        `fmt` is not one of the formats above.
    """
    import sys

    text = export_text(eg, fmt)
    if path is None:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")
