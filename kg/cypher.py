"""Cypher generated from the schema: index DDL and batched, parameterised load statements.

Labels and relationship types enter the text only from `kg.schema`; every value travels as a
parameter (``$rows``). The statements run unchanged on FalkorDB and Neo4j.

Every node carries its schema label *and* the shared label `SHARED_LABEL` (``Node``), whose
``id`` is indexed: a lookup by id alone (``MATCH (n:Node {id: $id})``) is an index seek on any
store, whatever the node's label. A query that reports a node's label takes the label that is
not the shared one (`label_of` gives the portable expression), since stores order a node's
labels differently. Edge citations (``bib_key``) are indexed per relationship type
(`citation_index_statements`), which is what ``queries/05_publication_supports.cypher`` seeks.
"""

from __future__ import annotations

from kg.schema import Schema, load_schema
from kg.schema.errors import SchemaError

__all__ = ["SHARED_LABEL", "label_of", "index_statements", "citation_index_statements",
           "citation_lookup_query",
           "node_load_statement", "edge_load_statement", "fulltext_properties"]

#: The label every node carries besides its schema label; its ``id`` is indexed.
SHARED_LABEL = "Node"


def label_of(var: str) -> str:
    """Return the portable Cypher expression for the schema label of node variable `var`.

    Parameters
    ----------
    var : str
        A node variable of the query (an identifier).

    Returns
    -------
    str
        ``[l IN labels(var) WHERE l <> 'Node'][0]``.

    Examples
    --------
    >>> label_of("n")
    "[l IN labels(n) WHERE l <> 'Node'][0]"
    """
    return f"[l IN labels({var}) WHERE l <> '{SHARED_LABEL}'][0]"


def _label(schema: Schema, label: str) -> str:
    if SHARED_LABEL in schema.nodes:
        raise SchemaError(f"the schema declares {SHARED_LABEL!r}, the loader's shared label")
    if label not in schema.nodes:
        raise SchemaError(f"unknown node label {label!r}")
    return label


def _rtype(schema: Schema, rtype: str) -> str:
    if rtype not in schema.relationships:
        raise SchemaError(f"unknown relationship type {rtype!r}")
    return rtype


def index_statements(schema: Schema | None = None, *, dialect: str = "falkordb") -> list[str]:
    """Return the index DDL a load runs: ``id`` per node label and shared, citations per type.

    On Neo4j the id index is not a uniqueness constraint: a load writes the new version beside
    the served one (see `kg.store.neo4j`); uniqueness is checked by `kg.graph.assemble`.

    Parameters
    ----------
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.
    dialect : str, optional
        ``falkordb`` (default) or ``neo4j`` (named, ``IF NOT EXISTS``); any other value
        gets the FalkorDB form.

    Returns
    -------
    list of str
        One ``CREATE INDEX`` per label in label order, then the shared label's, then
        `citation_index_statements`.

    Raises
    ------
    SchemaError
        The schema declares the shared label itself.

    Examples
    --------
    >>> index_statements()[0]
    'CREATE INDEX FOR (n:Arm) ON (n.id)'
    >>> index_statements(dialect="neo4j")[0]
    'CREATE INDEX Arm_id IF NOT EXISTS FOR (n:Arm) ON (n.id)'
    >>> 'CREATE INDEX FOR (n:Node) ON (n.id)' in index_statements()
    True
    """
    schema = schema or load_schema()
    labels = [_label(schema, label) for label in schema.labels] + [SHARED_LABEL]
    if dialect == "neo4j":
        nodes = [f"CREATE INDEX {label}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)"
                 for label in labels]
    else:
        nodes = [f"CREATE INDEX FOR (n:{label}) ON (n.id)" for label in labels]
    return nodes + citation_index_statements(schema, dialect=dialect)


def citation_index_statements(schema: Schema | None = None, *,
                              dialect: str = "falkordb") -> list[str]:
    """Return one ``bib_key`` index per relationship type (the citation of curated edges).

    Stores index a relationship property per type, so a citation lookup names every type
    (``queries/05_publication_supports.cypher``, one indexed branch per type).

    Parameters
    ----------
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.
    dialect : str, optional
        ``falkordb`` (default) or ``neo4j``.

    Returns
    -------
    list of str
        In relationship-type order.

    Examples
    --------
    >>> citation_index_statements()[0]
    'CREATE INDEX FOR ()-[r:ABOUT_DISEASE]-() ON (r.bib_key)'
    """
    schema = schema or load_schema()
    if dialect == "neo4j":
        return [f"CREATE INDEX {t}_bib_key IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.bib_key)"
                for t in schema.rel_types]
    return [f"CREATE INDEX FOR ()-[r:{t}]-() ON (r.bib_key)"
            for t in schema.rel_types]


def node_load_statement(label: str, schema: Schema | None = None) -> str:
    """Return the statement that creates a batch of nodes of one label from ``$rows``.

    Each row is ``{id: str, props: map}``; every node also gets the shared label.

    Parameters
    ----------
    label : str
        A node label of the schema.
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.

    Returns
    -------
    str
        ``UNWIND $rows ... CREATE ... SET n += row.props``.

    Raises
    ------
    SchemaError
        `label` is not in the schema.

    Examples
    --------
    >>> node_load_statement("Drug")
    'UNWIND $rows AS row CREATE (n:Drug:Node {id: row.id}) SET n += row.props'
    """
    label = _label(schema or load_schema(), label)
    return (f"UNWIND $rows AS row CREATE (n:{label}:{SHARED_LABEL} {{id: row.id}}) "
            "SET n += row.props")


def edge_load_statement(rtype: str, source_label: str, target_label: str,
                        schema: Schema | None = None) -> str:
    """Return the statement that creates a batch of edges of one type and label pair.

    Each row is ``{id, source, target, props}``.

    Parameters
    ----------
    rtype : str
        A relationship type of the schema.
    source_label, target_label : str
        The labels of the edges' endpoints (matched by ``id``).
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.

    Returns
    -------
    str
        ``UNWIND $rows ... MATCH (a) MATCH (b) CREATE (a)-[r]->(b) SET r += row.props``.

    Raises
    ------
    SchemaError
        A label or the type is not in the schema.

    Examples
    --------
    >>> edge_load_statement("TARGETS", "Drug", "Gene")  # doctest: +NORMALIZE_WHITESPACE
    'UNWIND $rows AS row MATCH (a:Drug {id: row.source}) MATCH (b:Gene {id: row.target})
     CREATE (a)-[r:TARGETS {id: row.id}]->(b) SET r += row.props'
    """
    schema = schema or load_schema()
    s, t, r = _label(schema, source_label), _label(schema, target_label), _rtype(schema, rtype)
    return (f"UNWIND $rows AS row MATCH (a:{s} {{id: row.source}}) MATCH (b:{t} {{id: row.target}})"
            f" CREATE (a)-[r:{r} {{id: row.id}}]->(b) SET r += row.props")


def fulltext_properties() -> tuple[str, ...]:
    """Return the node properties indexed for search (all string-valued)."""
    return ("name", "search_text")


def citation_lookup_query(schema: Schema | None = None) -> str:
    """Return the body of ``queries/05_publication_supports.cypher``: edges citing ``$key``.

    A ``CALL`` subquery with one ``UNION ALL`` branch per relationship type, so that each
    branch is an index seek on that type's ``bib_key`` (`citation_index_statements`); one
    projection and one sort after it. Kept short: FalkorDB's Bolt endpoint refuses messages
    of about 4 KB and more. ``tests/queries`` checks that the file holds exactly this text.

    Parameters
    ----------
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.

    Returns
    -------
    str
        Portable Cypher, ending with a newline.

    Examples
    --------
    >>> print(citation_lookup_query().splitlines()[1])
    MATCH (a)-[r:ABOUT_DISEASE {bib_key: $key}]->(b) RETURN a, r, b
    """
    schema = schema or load_schema()
    branches = "UNION ALL\n".join(f"MATCH (a)-[r:{t} {{bib_key: $key}}]->(b) RETURN a, r, b\n"
                                   for t in schema.rel_types)
    return ("CALL {\n" + branches + "}\n"
            f"RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,\n"
            f"       {label_of('a')} AS from_label, b.id AS to_id, b.name AS to_name,\n"
            f"       {label_of('b')} AS to_label, r.locator AS locator\n"
            "ORDER BY relation, from_id, to_id\n")
