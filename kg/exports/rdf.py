"""RDF export (Turtle, JSON-LD) and its reader, and SPARQL over the same mapping.

Every node is an IRI (public namespaces where the id has one: PubMed, DOI, HGNC, DOID,
ClinicalTrials.gov), typed with its schema label; properties are literals in the schema
namespace; every edge is a direct triple *and* an ``rdf:Statement`` carrying the edge's
citation and provenance, so nothing is lost. `rdf_triples` is the one mapping: rdflib
(`to_rdflib`) and Oxigraph (`kg.sparql`, behind `run_sparql`) both build their terms from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, unquote

from kg.graph import EvidenceGraph, assemble
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = ["KG", "KGS", "RDF_TYPE", "node_iri", "rdf_triples", "to_rdflib", "generate_rdf",
           "parse_rdf", "run_sparql"]

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
        The graph to serialise as RDF.
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
    text = to_rdflib(eg).serialize(format=fmt)
    return _canonical_jsonld(text) if fmt == "json-ld" else text


def _canonical_jsonld(text: str) -> str:
    """Return rdflib's JSON-LD with its arrays and keys in one order, whatever the hash seed.

    rdflib writes JSON-LD nodes and values in the order of its hash-based sets, so the same
    graph gave different bytes from one process to the next (``PYTHONHASHSEED``). JSON-LD
    arrays are unordered, except ``@list`` (kept as it is), so sorting them keeps the meaning.
    """
    def canon(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: canon(v, k) for k, v in value.items()}
        if isinstance(value, list):
            items = [canon(v) for v in value]
            if key == "@list":
                return items
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    return json.dumps(canon(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
        The graph to load into rdflib.

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
        One node per typed subject with a ``kgs:id``, one edge per ``rdf:Statement``.

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
