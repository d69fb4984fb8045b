"""The quick reader (plain RESP socket) gives exactly the rows of the falkordb client."""

from __future__ import annotations

import pytest

from kg.queries import list_queries
from kg.schema.errors import QueryError, ReadOnlyViolation
from kg.store.base import QuerySyntaxError, QueryTimeout
from kg.store.falkordb_resp import FalkorReader, connect


@pytest.fixture(scope="module")
def reader(store):
    info = store.server.info()
    r = FalkorReader(info["port"], info["password"])
    yield r
    r.close()


@pytest.mark.parametrize("q", list_queries(), ids=lambda q: q.name)
def test_every_named_query_gives_the_same_rows(q, reader, store):
    want = store.query(q.text, q.example_params())
    got = reader.query(q.text, q.example_params())
    assert got.columns == want.columns and got.rows == want.rows


@pytest.mark.parametrize("cypher, params", [
    ("MATCH (v:Variant {id: 'ALK:p.G1202R'})-[r]->(d:Drug) RETURN v, r, d ORDER BY d.id", {}),
    ("MATCH p = (v:Variant {id: 'ALK:p.G1202R'})-[*1..2]-(d:Drug {id: 'drug:lorlatinib'}) "
     "RETURN p LIMIT 5", {}),
    ("RETURN 1 AS i, 1.5 AS f, true AS t, false AS n, null AS z, 'x' AS s, [1, 'a', null] AS l,"
     " {a: 1, b: [true]} AS m, point({latitude: 1.5, longitude: 2.5}) AS pt", {}),
    ("RETURN $s AS s, $l AS l, $m AS m, $n AS n, $b AS b, $f AS f",
     {"s": "Authors' reply \"quoted\" \\ back\nline ünï 😀", "l": ["a", 1, None],
      "m": {"k": "v", "n": [1, 2]}, "n": None, "b": True, "f": 0.1}),
    ("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS c ORDER BY label", {}),
    ("CALL db.labels() YIELD label RETURN label ORDER BY label", {}),
])
def test_values_of_every_kind_decode_the_same(reader, store, cypher, params):
    want = store.query(cypher, params)
    got = reader.query(cypher, params)
    assert got.columns == want.columns and got.rows == want.rows and got.rows


def test_version_and_meta(reader, store):
    assert reader.graph_version() == store.graph_version()
    assert reader.meta() == store.meta()


def test_errors_are_the_same_named_errors(reader, store):
    with pytest.raises(ReadOnlyViolation, match="DETACH"):
        reader.query("MATCH (n) DETACH DELETE n")
    with pytest.raises(ReadOnlyViolation, match="only reads"):
        reader.query("RETURN 1", read_only=False)
    with pytest.raises(QuerySyntaxError) as a:
        reader.query("MATCH (n RETURN n")
    with pytest.raises(QuerySyntaxError) as b:
        store.query("MATCH (n RETURN n")
    assert str(a.value) == str(b.value)
    with pytest.raises(QueryTimeout):
        reader.query("UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b RETURN count(*)",
                     timeout_ms=5)
    with pytest.raises(QueryError, match="not defined"):
        reader.query("RETURN m")
    assert reader.query("RETURN 1 AS one").rows == [[1]]  # the connection is still good


def test_connect_needs_a_running_server(tmp_path, store):
    assert connect(tmp_path / "nothing here") is None
    r = connect(store.server.state_dir)
    assert r is not None and r.graph_version() == store.graph_version()
    r.close()
