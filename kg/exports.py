"""Export formats of the evidence graph, each with its reader.

* GraphML (`write_graphml` / `read_graphml`): list properties are flattened explicitly to JSON
  text (GraphML has no list type) and restored on reading.
* node-link JSON (`generate_nodelink` / `parse_nodelink`).
* RDF, Turtle or JSON-LD (`generate_rdf` / `parse_rdf`): every node is an IRI (public
  namespaces where the id has one: PubMed, DOI, HGNC, DOID, ClinicalTrials.gov), typed with its
  schema label; properties are literals in the schema namespace; every edge is a direct triple
  *and* an ``rdf:Statement`` carrying the edge's citation and provenance, so nothing is lost.
* BibTeX (`generate_bibtex`): the works in the graph that came from ``references.bib``; its
  reader is `ingest.bibtex.parse_bibtex`.
* CSV of nodes and of edges (`generate_csv`), with citation columns: the formatted reference,
  DOI, PMID, locator and source kind of what each record rests on (`CSV_COLUMNS`); every
  property also travels as JSON in the ``properties`` column, so `parse_csv` reads it back.

JSON Lines lives in `kg.graph` (`write_jsonl` / `read_jsonl`). All writers are deterministic.
`served_graph` reads the graph a store serves back into an `EvidenceGraph` (checked against
the store's fingerprint), so every format can export what the browser shows; `subgraph`
keeps the part of it a view shows. SPARQL (`run_sparql`) runs on Oxigraph (`kg.sparql`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx

from kg.graph import EvidenceGraph, assemble
from kg.schema import load_schema
from kg.schema.errors import ExportError
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = [
    "KG", "KGS", "node_iri", "rdf_triples", "to_rdflib", "run_sparql", "generate_graphml",
    "write_graphml", "read_graphml",
    "generate_nodelink", "parse_nodelink", "generate_rdf", "parse_rdf", "bibtex_entry",
    "generate_bibtex", "CSV_COLUMNS", "CITATION_COLUMNS", "generate_csv", "parse_csv",
    "served_graph", "subgraph", "EXPORT_FORMATS", "export_text",
    "write_export",
]

KG = "https://w3id.org/alk-evidence-kg/"
KGS = KG + "schema#"
_PUBLIC = {
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/",
    "DOI": "https://doi.org/",
    "HGNC": "https://identifiers.org/hgnc:",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
}


def node_iri(node_id: str) -> str:
    """Return the IRI of a node id: a public namespace where one exists, else ours.

    Parameters
    ----------
    node_id : str
        A node id of the graph (``HGNC:427``, ``PMID:...``, ``NCT...``, ``drug:...``).

    Returns
    -------
    str
        PubMed, doi.org, identifiers.org (HGNC), OBO (DOID) or ClinicalTrials.gov IRI when
        the id has one; otherwise ``https://w3id.org/alk-evidence-kg/node/<quoted id>``.

    Examples
    --------
    >>> node_iri("HGNC:427"), node_iri("NCT02075840")
    ('https://identifiers.org/hgnc:427', 'https://clinicaltrials.gov/study/NCT02075840')
    >>> node_iri("drug:alectinib")
    'https://w3id.org/alk-evidence-kg/node/drug%3Aalectinib'
    """
    prefix, _, local = node_id.partition(":")
    if prefix in _PUBLIC and local:
        return _PUBLIC[prefix] + quote(local, safe="/.()_-;")
    if node_id.startswith("NCT") and node_id[3:].isdigit():
        return "https://clinicaltrials.gov/study/" + node_id
    return KG + "node/" + quote(node_id, safe="")


# -- GraphML ---------------------------------------------------------------------------------

def _flat(props: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v) if isinstance(v, list) else v for k, v in props.items()}


def generate_graphml(eg: EvidenceGraph) -> str:
    """Return GraphML text; list properties become JSON text (GraphML has no lists).

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.

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
        The graph to export.
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


# -- node-link JSON --------------------------------------------------------------------------

def generate_nodelink(eg: EvidenceGraph) -> str:
    """Return node-link JSON (``nodes``, ``links``), sorted and deterministic.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.

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


# -- RDF -------------------------------------------------------------------------------------

def _literal(value: Any) -> Any:
    from rdflib import Literal
    from rdflib.namespace import RDF

    if isinstance(value, list):
        return Literal(json.dumps(value, ensure_ascii=False), datatype=RDF.JSON)
    return Literal(value)


def generate_rdf(eg: EvidenceGraph, *, fmt: str = "turtle") -> str:
    """Return the graph as RDF (``turtle`` or ``json-ld``).

    Edges are direct triples ``<s> kgs:TYPE <o>`` plus an ``rdf:Statement`` node
    (``kg:edge/<id>``) holding the edge's citation and provenance.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.
    fmt : str, optional
        An rdflib serialisation format: ``turtle`` (default) or ``json-ld``.

    Returns
    -------
    str
        The serialised RDF.

    See Also
    --------
    parse_rdf, to_rdflib
    """
    return to_rdflib(eg).serialize(format=fmt)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def rdf_triples(eg: EvidenceGraph, *, iri: Callable[[str], Any],
                literal: Callable[[Any], Any]) -> Iterator[tuple[Any, Any, Any]]:
    """Yield the RDF mapping of a graph as triples of terms made by the given factories.

    One mapping for every RDF consumer: rdflib (`to_rdflib`, Turtle, JSON-LD) and Oxigraph
    (`kg.sparql`) build their terms from it, so the SPARQL store and the RDF export agree.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to map.
    iri : callable
        Makes an IRI term from a string.
    literal : callable
        Makes a literal term from a property value (str, int, float, bool or list).

    Yields
    ------
    tuple
        ``(subject, predicate, object)``: per node its type, id and properties; per edge the
        direct triple and an ``rdf:Statement`` with the edge's properties.
    """
    rdf_type = iri(RDF_TYPE)
    kid = iri(KGS + "id")
    for n in eg.nodes():
        s = iri(node_iri(n.id))
        yield s, rdf_type, iri(KGS + n.label)
        yield s, kid, literal(n.id)
        for k, v in sorted(n.props.items()):
            yield s, iri(KGS + k), literal(v)
    statement, subj, pred, obj = (iri(_RDF + x) for x in ("Statement", "subject", "predicate",
                                                           "object"))
    for e in eg.edges():
        s, o, p = iri(node_iri(e.source)), iri(node_iri(e.target)), iri(KGS + e.type)
        yield s, p, o
        st = iri(KG + "edge/" + quote(e.id, safe=""))
        yield st, rdf_type, statement
        yield st, subj, s
        yield st, pred, p
        yield st, obj, o
        for k, v in sorted(e.props.items()):
            yield st, iri(KGS + k), literal(v)


def to_rdflib(eg: EvidenceGraph) -> Any:
    """Return the graph as an in-memory ``rdflib.Graph`` (the mapping of `rdf_triples`).

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to map.

    Returns
    -------
    rdflib.Graph
        One typed IRI per node, one direct triple plus one ``rdf:Statement`` per edge.
    """
    from rdflib import Graph, Namespace, URIRef

    g = Graph()
    g.bind("kg", Namespace(KG))
    g.bind("kgs", Namespace(KGS))
    for triple in rdf_triples(eg, iri=URIRef, literal=_literal):
        g.add(triple)
    return g


def parse_rdf(text: str, *, fmt: str = "turtle") -> EvidenceGraph:
    """Parse `generate_rdf` output back into a validated graph.

    Parameters
    ----------
    text : str
        RDF as written by `generate_rdf`.
    fmt : str, optional
        The rdflib format it is in: ``turtle`` (default) or ``json-ld``.

    Returns
    -------
    EvidenceGraph

    Raises
    ------
    IngestError
        A record in the text fails the schema (see `kg.graph.assemble`).
    """
    from rdflib import Graph
    from rdflib.namespace import RDF

    g = Graph()
    g.parse(data=text, format=fmt)
    iri_to_id: dict[Any, str] = {}
    nodes: list[NodeRecord] = []
    for s, _, t in g.triples((None, RDF.type, None)):
        if str(t) == str(RDF.Statement) or not str(t).startswith(KGS):
            continue
        props = {}
        node_id = None
        for _, p, o in g.triples((s, None, None)):
            name = str(p)[len(KGS):] if str(p).startswith(KGS) else None
            if name is None or not hasattr(o, "toPython") or o.__class__.__name__ != "Literal":
                continue
            value = json.loads(str(o)) if o.datatype == RDF.JSON else o.toPython()
            if name == "id":
                node_id = value
            else:
                props[name] = value
        if node_id is None:
            continue
        iri_to_id[s] = node_id
        nodes.append(NodeRecord(node_id, str(t)[len(KGS):], props))
    edges: list[EdgeRecord] = []
    for st in g.subjects(RDF.type, RDF.Statement):
        s, p, o = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        props = {}
        for _, q, v in g.triples((st, None, None)):
            if str(q).startswith(KGS):
                props[str(q)[len(KGS):]] = (json.loads(str(v)) if v.datatype == RDF.JSON
                                            else v.toPython())
        edge_id = unquote(str(st)[len(KG + "edge/"):])
        edges.append(EdgeRecord(edge_id, iri_to_id[s], iri_to_id[o], str(p)[len(KGS):], props))
    return assemble(nodes, edges)


# -- BibTeX ----------------------------------------------------------------------------------

_BIB_FIELDS = ("title", "journal", "year", "volume", "pages", "doi", "pmid", "url")


def _bib_escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def bibtex_entry(key: str, props: dict[str, Any], *, pubkind: bool = False) -> str:
    """Format one work's properties as a BibTeX entry (fields sorted, braces escaped).

    Parameters
    ----------
    key : str
        The citation key.
    props : dict
        Publication properties (``authors`` list, ``title``, ``year``, ``entry_type`` ...).
    pubkind : bool, optional
        Also write ``pub_kind`` as the project's ``pubkind`` field.

    Returns
    -------
    str
        The entry, ending with a newline; the entry type is ``entry_type`` (default
        ``article``).

    Examples
    --------
    >>> print(bibtex_entry("x2020", {"authors": ["X, A"], "title": "T {1}", "year": 2020}))
    @article{x2020,
      author = {X, A},
      title = {T \\{1\\}},
      year = {2020}
    }
    <BLANKLINE>
    """
    import re

    fields: dict[str, str] = {}
    if props.get("authors"):
        fields["author"] = " and ".join(props["authors"])
    for k in _BIB_FIELDS:
        if props.get(k) not in (None, ""):
            fields[k] = str(props[k])
    if pubkind and props.get("pub_kind"):
        fields["pubkind"] = str(props["pub_kind"])
    kind = re.sub(r"[^a-z]", "", str(props.get("entry_type") or "article").lower()) or "misc"
    body = ",\n".join(f"  {k} = {{{_bib_escape(v)}}}" for k, v in sorted(fields.items()))
    return f"@{kind}{{{key},\n{body}\n}}\n"


def generate_bibtex(eg: EvidenceGraph, *, keys: set[str] | None = None) -> str:
    """Return BibTeX for the graph's works that have a bib key (optionally only `keys`).

    Read it back with `ingest.bibtex.parse_bibtex`.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph whose Publication nodes are written.
    keys : set of str, optional
        Only these bib keys (default: every Publication with a ``bib_key``).

    Returns
    -------
    str
        The entries (see `bibtex_entry`) in node-id order, separated by blank lines;
        empty when no work has a bib key.
    """
    return "\n".join(
        bibtex_entry(n.props["bib_key"], n.props, pubkind=True) for n in eg.nodes()
        if n.label == "Publication" and n.props.get("bib_key")
        and (keys is None or n.props["bib_key"] in keys))


# -- CSV ----------------------------------------------------------------------------------

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


# -- the served graph and parts of it -----------------------------------------------------

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
        The graph to export.
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


def run_sparql(eg: EvidenceGraph | None, text: str, params: dict[str, Any] | None = None,
               *, rdf: Any = None) -> tuple[list[str], list[list[Any]]]:
    """Run a SPARQL query over the RDF mapping of `eg`; parameters bind ``?name`` variables.

    Parameters
    ----------
    eg : EvidenceGraph or None
        The graph to query (mapped into an in-memory Oxigraph store unless `rdf` is given).
    text : str
        SPARQL; prefixes ``rdf:``, ``kg:`` and ``kgs:`` are predeclared. Updates and
        ``SERVICE`` are refused.
    params : dict, optional
        Values bound to variables of the same name (as plain literals).
    rdf : pyoxigraph.Store, optional
        A store from `kg.sparql.build_store` (or the on-disk cache) to reuse.

    Returns
    -------
    columns : list of str
        The SELECT variables.
    rows : list of list
        One list of Python values per solution (None where a variable is unbound).

    Raises
    ------
    ReadOnlyViolation
        An update or a SERVICE call.
    QueryError
        The query does not parse or fails.
    """
    from kg.sparql import build_store, select

    store = rdf if rdf is not None else build_store(eg)
    return select(store, text, params)
