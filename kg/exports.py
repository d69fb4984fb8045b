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

JSON Lines lives in `kg.graph` (`write_jsonl` / `read_jsonl`). All writers are deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx

from kg.graph import EvidenceGraph, assemble
from kg.schema import load_schema
from kg.schema.errors import ExportError
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = [
    "KG", "KGS", "node_iri", "to_rdflib", "run_sparql", "generate_graphml", "write_graphml",
    "read_graphml",
    "generate_nodelink", "parse_nodelink", "generate_rdf", "parse_rdf", "bibtex_entry",
    "generate_bibtex",
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


def to_rdflib(eg: EvidenceGraph) -> Any:
    """Return the graph as an in-memory ``rdflib.Graph`` (the mapping of `generate_rdf`).

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to map.

    Returns
    -------
    rdflib.Graph
        One typed IRI per node, one direct triple plus one ``rdf:Statement`` per edge.
    """
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    kgs = Namespace(KGS)
    g = Graph()
    g.bind("kg", Namespace(KG))
    g.bind("kgs", kgs)
    for n in eg.nodes():
        s = URIRef(node_iri(n.id))
        g.add((s, RDF.type, kgs[n.label]))
        g.add((s, kgs["id"], Literal(n.id)))
        for k, v in sorted(n.props.items()):
            g.add((s, kgs[k], _literal(v)))
    for e in eg.edges():
        s, o = URIRef(node_iri(e.source)), URIRef(node_iri(e.target))
        g.add((s, kgs[e.type], o))
        st = URIRef(KG + "edge/" + quote(e.id, safe=""))
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, kgs[e.type]))
        g.add((st, RDF.object, o))
        for k, v in sorted(e.props.items()):
            g.add((st, kgs[k], _literal(v)))
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


def write_export(eg: EvidenceGraph, fmt: str, path: Path | None) -> None:
    """Write one export format to `path` (standard output when None).

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to export.
    fmt : str
        ``graphml``, ``nodelink``, ``turtle``, ``jsonld`` or ``bibtex`` (JSON Lines is
        `kg.graph.write_jsonl`).
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

    if fmt == "graphml":
        text = generate_graphml(eg)
    elif fmt == "nodelink":
        text = generate_nodelink(eg)
    elif fmt in ("turtle", "jsonld"):
        text = generate_rdf(eg, fmt="turtle" if fmt == "turtle" else "json-ld")
    elif fmt == "bibtex":
        text = generate_bibtex(eg)
    else:
        raise ExportError(f"unknown export format {fmt!r}; known: graphml, nodelink, "
                          "turtle, jsonld, bibtex")
    if path is None:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")


def run_sparql(eg: EvidenceGraph, text: str, params: dict[str, Any] | None = None,
               *, rdf: Any = None) -> tuple[list[str], list[list[Any]]]:
    """Run a SPARQL SELECT over the RDF mapping of `eg`; parameters bind ``?name`` variables.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to query (mapped with `to_rdflib` unless `rdf` is given).
    text : str
        SPARQL; prefixes ``rdf:``, ``kg:`` and ``kgs:`` are predeclared.
    params : dict, optional
        Values bound to variables of the same name (as plain literals).
    rdf : rdflib.Graph, optional
        A graph from `to_rdflib` to reuse.

    Returns
    -------
    columns : list of str
        The SELECT variables.
    rows : list of list
        One list of Python values per solution (None where a variable is unbound).
    """
    from rdflib import Literal, Namespace
    from rdflib.namespace import RDF

    g = rdf if rdf is not None else to_rdflib(eg)
    bindings = {k: Literal(v) for k, v in (params or {}).items()}
    res = g.query(text, initNs={"rdf": RDF, "kg": Namespace(KG), "kgs": Namespace(KGS)},
                  initBindings=bindings)
    columns = [str(v) for v in res.vars]
    rows = [[None if v is None else v.toPython() for v in row] for row in res]
    return columns, rows
