"""The Neo4j store, run only against a real server named by NEO4J_URI.

No Neo4j server can be installed on this project's machines; `docker-compose up neo4j`
provides one elsewhere. Without NEO4J_URI every test here is skipped, saying so.
"""

import os

import pytest

from kg.queries import list_queries

pytestmark = [
    pytest.mark.requires_neo4j,
    pytest.mark.skipif(not os.environ.get("NEO4J_URI"),
                       reason="no Neo4j server: set NEO4J_URI (docker-compose up neo4j)"),
]


@pytest.fixture(scope="module")
def neo4j_store(curated_graph):
    from kg.store.neo4j import Neo4jStore

    s = Neo4jStore.from_env()
    s.load(curated_graph)
    yield s
    s.close()


def test_counts_match_networkx(neo4j_store, curated_graph):
    assert neo4j_store.query("MATCH (n) WHERE n.kg_version IS NOT NULL RETURN count(n)").rows == [
        [curated_graph.graph.number_of_nodes()]]
    assert neo4j_store.graph_version() == curated_graph.fingerprint()


def test_named_queries_give_the_same_rows_as_falkordb(neo4j_store, store):
    for q in list_queries():
        a = store.query(q.text, q.example_params())
        b = neo4j_store.query(q.text, q.example_params())
        assert a.columns == b.columns, q.name
        assert len(a.rows) == len(b.rows), q.name


def test_read_only(neo4j_store):
    from kg.schema.errors import ReadOnlyViolation

    with pytest.raises(ReadOnlyViolation):
        neo4j_store.query("MATCH (n) DETACH DELETE n")
