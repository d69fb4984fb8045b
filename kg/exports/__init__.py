"""Export formats of the evidence graph, each with its reader.

* GraphML (`write_graphml` / `read_graphml`, `kg.exports.graphml`): list properties are
  flattened explicitly to JSON text (GraphML has no list type) and restored on reading.
* node-link JSON (`generate_nodelink` / `parse_nodelink`, `kg.exports.nodelink`).
* RDF, Turtle or JSON-LD (`generate_rdf` / `parse_rdf`, `kg.exports.rdf`): every node is an
  IRI (public namespaces where the id has one: PubMed, DOI, HGNC, DOID, ClinicalTrials.gov),
  typed with its schema label; properties are literals in the schema namespace; every edge is
  a direct triple *and* an ``rdf:Statement`` carrying the edge's citation and provenance, so
  nothing is lost.
* BibTeX (`generate_bibtex`, `kg.exports.bibtex`): the works in the graph that came from
  ``references.bib``; its reader is `ingest.bibtex.parse_bibtex`.
* CSV of nodes and of edges (`generate_csv`, `kg.exports.tables`), with citation columns:
  the formatted reference, DOI, PMID, locator and source kind of what each record rests on
  (`CSV_COLUMNS`); every property also travels as JSON in the ``properties`` column, so
  `parse_csv` reads it back.

JSON Lines lives in `kg.graph` (`write_jsonl` / `read_jsonl`). All writers are deterministic
(JSON-LD's arrays are sorted, since rdflib writes them in hash-seed order);
`export_text` and `write_export` (`kg.exports.formats`) pick one by its `EXPORT_FORMATS` name.
`served_graph` (`kg.exports.served`) reads the graph a store serves back into an
`EvidenceGraph` (checked against the store's fingerprint), so every format can export what the
browser shows; `subgraph` keeps the part of it a view shows. SPARQL (`run_sparql`) runs on
Oxigraph (`kg.sparql`).
"""

from __future__ import annotations

from kg.exports.bibtex import bibtex_entry, generate_bibtex
from kg.exports.formats import EXPORT_FORMATS, export_text, write_export
from kg.exports.graphml import generate_graphml, read_graphml, write_graphml
from kg.exports.nodelink import generate_nodelink, parse_nodelink
from kg.exports.rdf import (
    KG,
    KGS,
    RDF_TYPE,
    generate_rdf,
    node_iri,
    parse_rdf,
    rdf_triples,
    run_sparql,
    to_rdflib,
)
from kg.exports.served import STORE_ONLY_PROPS, served_graph, subgraph
from kg.exports.tables import CITATION_COLUMNS, CSV_COLUMNS, generate_csv, parse_csv

__all__ = [
    "KG", "KGS", "node_iri", "rdf_triples", "to_rdflib", "run_sparql", "generate_graphml",
    "write_graphml", "read_graphml",
    "generate_nodelink", "parse_nodelink", "generate_rdf", "parse_rdf", "bibtex_entry",
    "generate_bibtex", "CSV_COLUMNS", "CITATION_COLUMNS", "generate_csv", "parse_csv",
    "served_graph", "subgraph", "EXPORT_FORMATS", "export_text",
    "write_export", "RDF_TYPE", "STORE_ONLY_PROPS",
]
