"""Cypher generated from the schema: index DDL and batched, parameterised load statements.

Labels and relationship types enter the text only from `kg.schema`; every value travels as a
parameter (``$rows``). The statements run unchanged on FalkorDB and Neo4j.
"""

from __future__ import annotations

from kg.schema import Schema, load_schema
from kg.schema.errors import SchemaError

__all__ = ["index_statements", "node_load_statement", "edge_load_statement",
           "fulltext_properties"]


def _label(schema: Schema, label: str) -> str:
    if label not in schema.nodes:
        raise SchemaError(f"unknown node label {label!r}")
    return label


def _rtype(schema: Schema, rtype: str) -> str:
    if rtype not in schema.relationships:
        raise SchemaError(f"unknown relationship type {rtype!r}")
    return rtype


def index_statements(schema: Schema | None = None, *, dialect: str = "falkordb") -> list[str]:
    """Return one id-index statement per node label.

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
        One ``CREATE INDEX`` statement per label, in label order.

    Examples
    --------
    >>> index_statements()[0]
    'CREATE INDEX FOR (n:Arm) ON (n.id)'
    >>> index_statements(dialect="neo4j")[0]
    'CREATE INDEX Arm_id IF NOT EXISTS FOR (n:Arm) ON (n.id)'
    """
    schema = schema or load_schema()
    if dialect == "neo4j":
        return [f"CREATE INDEX {label}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)"
                for label in schema.labels]
    return [f"CREATE INDEX FOR (n:{label}) ON (n.id)" for label in schema.labels]


def node_load_statement(label: str, schema: Schema | None = None) -> str:
    """Return the statement that creates a batch of nodes of one label from ``$rows``.

    Each row is ``{id: str, props: map}``.

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
    'UNWIND $rows AS row CREATE (n:Drug {id: row.id}) SET n += row.props'
    """
    label = _label(schema or load_schema(), label)
    return f"UNWIND $rows AS row CREATE (n:{label} {{id: row.id}}) SET n += row.props"


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
