"""The console's rules against the real FalkorDB server: the guard, the limits, the walls.

A battery of write and side-effect forms (every clause, case and spacing variant, comments
between words, LOAD CSV from file://, https:// and the import folder, CALL of write and index
procedures) is refused, and the served graph's export is byte-identical before and after;
read queries that merely contain the words run. The row cap, the timeout, the server's memory
cap and TIMEOUT_MAX each fire with their own message; syntax errors say where.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from kg.exports import export_text, served_graph
from kg.schema.errors import QueryError, ReadOnlyViolation
from kg.store.base import QueryMemoryLimit, QuerySyntaxError, QueryTimeout, is_write_query
from kg.store.falkordb_server import QUERY_MEM_CAPACITY_MB, THREAD_COUNT, TIMEOUT_MAX_MS
from kg.store.guard import (
    ROW_CAP_DEFAULT,
    TIMEOUT_DEFAULT_MS,
    check_limits,
    console_query,
    read_only_problem,
    tokenize,
)

HTTPS = "https://127.0.0.1:{port}/x.csv"

#: (form, what the refusal names)
WRITES = [
    ("CREATE (n:Drug {id: 'x'})", "CREATE"),
    ("create (n:Drug {id: 'x'})", "CREATE"),
    ("CrEaTe (n:Drug {id: 'x'})", "CREATE"),
    ("CREATE(n)", "CREATE"),
    ("/* leading comment */ CREATE (n)", "CREATE"),
    ("MATCH (n) WITH n CREATE (m:Drug {id: 'y'})", "CREATE"),
    ("MATCH (a:Drug), (b:Drug) CREATE (a)-[:SUPERIOR_TO]->(b)", "CREATE"),
    ("CREATE INDEX FOR (n:Drug) ON (n.name)", "CREATE"),
    ("MERGE (n:Drug {id: 'x'})", "MERGE"),
    ("merge\n(n:Drug {id: 'x'})", "MERGE"),
    ("MATCH (n) SET n.name = 'x'", "SET"),
    ("MATCH (n) sEt n.name = 'x'", "SET"),
    ("MATCH (n)SET n.a=1", "SET"),
    ("MATCH (n) SET n += {name: 'x'}", "SET"),
    ("MATCH (n) SET n:Extra", "SET"),
    ("MATCH (n) DELETE n", "DELETE"),
    ("MATCH (n) WHERE n.id = 'x' DELETE n RETURN count(*)", "DELETE"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n)\nDETACH\n\tDELETE n", "DETACH"),
    ("MATCH (n) DETACH/* between */DELETE n", "DETACH"),
    ("MATCH (n) DETACH // between\n DELETE n", "DETACH"),
    ("MATCH (n:Drug) REMOVE n.name", "REMOVE"),
    ("MATCH (n:Drug) remove n:Drug", "REMOVE"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.a = x)", "FOREACH"),
    ("DROP INDEX ON :Drug(id)", "DROP"),
    ("CALL { CREATE (n:Drug {id: 'z'}) } RETURN 1", "CREATE"),
    ("MATCH (n) RETURN n UNION MATCH (m) DELETE m RETURN m", "DELETE"),
    ("RETURN 1; CREATE (n)", "second statement"),
    ("MATCH (n) RETURN n;\nMATCH (m) DETACH DELETE m", "second statement"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "LOAD CSV"),
    (f"LOAD  CSV FROM '{HTTPS}' AS r RETURN r", "LOAD CSV"),
    ("LOAD\tCSV FROM 'file://x.csv' AS r RETURN r", "LOAD CSV"),
    ("LOAD\nCSV WITH HEADERS FROM 'file://x.csv' AS r RETURN r", "LOAD CSV"),
    (f"load /* c */ csv from '{HTTPS}' as r return r", "LOAD CSV"),
    ("LOAD // c\nCSV FROM 'file:///tmp/x' AS r RETURN r", "LOAD CSV"),
    ("WITH 1 AS x LOAD CSV FROM 'file://server.json' AS r RETURN r", "LOAD CSV"),
    ("USING PERIODIC COMMIT LOAD CSV FROM 'file://x.csv' AS r CREATE (n)", "LOAD CSV"),
    ("CALL db.idx.fulltext.drop('Drug')", "CALL db.idx.fulltext.drop"),
    ("call DB.IDX.FULLTEXT.DROP('Drug')", "CALL DB.IDX.FULLTEXT.DROP"),
    ("CALL db . idx . fulltext . drop('Drug')", "CALL db.idx.fulltext.drop"),
    ("CALL `db.idx.fulltext.drop`('Drug')", "CALL db.idx.fulltext.drop"),
    ("CALL `db`.`idx`.`fulltext`.`drop`('Drug')", "CALL db.idx.fulltext.drop"),
    ("CALL db.idx.fulltext.createNodeIndex('Drug', 'name')", "createNodeIndex"),
    ("MATCH (n) CALL db.idx.fulltext.drop('Drug') RETURN n", "CALL db.idx.fulltext.drop"),
    ("CALL db.labels() YIELD label CALL db.idx.fulltext.drop(label) RETURN label", "drop"),
    ("CALL dbms.procedures()", "CALL dbms.procedures"),
    ("CALL algo.pageRank(null, null)", "CALL algo.pageRank"),
    ("CALL", "(no procedure)"),
    ("SHOW INDEXES", "administration"),
    ("GRANT ALL ON GRAPH * TO bob", "administration"),
    ("MATCH (n) RETURN 'unclosed", "not closed"),
    ("MATCH (n) /* unclosed comment DETACH DELETE n", "not closed"),
    ("MATCH (n) RETURN n.`unclosed", "not closed"),
]

READS = [
    "MATCH (n:Drug) RETURN count(n.set) AS c",
    "MATCH (n:Drug) RETURN n.name AS `delete` ORDER BY `delete` LIMIT 1",
    "MATCH (n) WHERE n.name = 'CREATE' RETURN count(n) AS c",
    "RETURN 'LOAD CSV FROM file:///etc/passwd' AS s, \"DETACH DELETE\" AS t",
    "MATCH (n:Drug) RETURN {set: 1, delete: 2, create: n.name} AS m LIMIT 1",
    "// CREATE in a comment\nMATCH (n:Drug) RETURN count(n) AS c",
    "MATCH (n:Drug) /* DETACH DELETE n */ RETURN count(n) AS c",
    "MATCH (n:Drug) WHERE n.`create` IS NULL RETURN count(n) AS c",
    "MATCH (n:Drug) RETURN n.detach, n.merge, n.remove, n.drop LIMIT 1",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType",
    "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey",
    "CALL db.indexes()",
    "CALL db.idx.fulltext.queryNodes('Drug', 'alectinib') YIELD node RETURN node.id",
    "CALL { MATCH (n:Drug) RETURN count(n) AS c } RETURN c",
    "MATCH (n:Drug) RETURN count(n) AS c;",
]


@pytest.fixture(scope="module")
def listener():
    """A TCP port on 127.0.0.1 that records every connection made to it."""
    seen: list[tuple[str, int]] = []
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = srv.accept()
            except OSError:
                continue
            seen.append(addr)
            conn.close()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1], seen
    stop.set()
    t.join(2)
    srv.close()


def _form(text: str, port: int) -> str:
    return text.replace("{port}", str(port))


def test_the_battery_has_at_least_40_forms():
    assert len(WRITES) >= 40 and len({w for w, _ in WRITES}) == len(WRITES)


@pytest.mark.parametrize("form, names", WRITES, ids=[w for w, _ in WRITES])
def test_every_write_and_side_effect_form_is_refused(store, form, names):
    problem = read_only_problem(form)
    assert problem is not None and names in problem, problem
    with pytest.raises(ReadOnlyViolation, match="refused"):
        store.query(form)
    with pytest.raises(ReadOnlyViolation):
        console_query(store, form)


def test_the_battery_leaves_the_served_graph_byte_identical(store, listener):
    port, seen = listener
    before = export_text(served_graph(store), "jsonl")
    version = store.graph_version()
    for form, _ in WRITES:
        with pytest.raises(ReadOnlyViolation):
            console_query(store, _form(form, port))
    assert export_text(served_graph(store), "jsonl") == before
    assert store.graph_version() == version
    assert seen == []  # no LOAD CSV reached out to the https:// address


@pytest.mark.parametrize("text", READS)
def test_reads_that_contain_the_words_run(store, text):
    assert read_only_problem(text) is None
    assert not is_write_query(text)
    res = console_query(store, text)
    assert res.columns


def test_the_words_inside_reads_give_the_right_answers(store, curated_graph):
    n_drugs = curated_graph.counts()["nodes"]["Drug"]
    assert store.query("MATCH (n:Drug) RETURN count(n.set) AS c").rows == [[0]]
    assert store.query("MATCH (n:Drug) WHERE n.`create` IS NULL RETURN count(n) AS c"
                       ).rows == [[n_drugs]]
    res = store.query("MATCH (n:Drug) RETURN n.name AS `delete` ORDER BY `delete` LIMIT 1")
    assert res.columns == ["delete"] and res.rows


def test_tokens_ignore_comments_strings_and_quoted_names():
    kinds = [(t.kind, t.text) for t in tokenize("MATCH /* x */ (n) // y\n"
                                                "RETURN n.`set`, 'DELETE' AS d, $p")]
    assert ("quoted", "set") in kinds and ("string", "'DELETE'") in kinds
    assert ("param", "$p") in kinds and all(t != "x" and t != "y" for _, t in kinds)


# -- the server is the second wall -----------------------------------------------------------
def test_server_limits_and_an_empty_import_folder(store):
    cfg = dict(store.redis.execute_command("GRAPH.CONFIG", "GET", "*"))
    cfg = {k.decode() if isinstance(k, bytes) else k: v for k, v in cfg.items()}
    assert cfg["TIMEOUT_MAX"] == TIMEOUT_MAX_MS
    assert cfg["THREAD_COUNT"] == THREAD_COUNT
    assert cfg["QUERY_MEM_CAPACITY"] == QUERY_MEM_CAPACITY_MB * 1024 * 1024
    folder = Path((cfg["IMPORT_FOLDER"].decode() if isinstance(cfg["IMPORT_FOLDER"], bytes)
                   else cfg["IMPORT_FOLDER"]).rstrip("/"))
    assert folder == store.server.state_dir / "import" and folder.is_dir()
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("url", ["file://server.json", "file://../server.json",
                                 "file:///etc/passwd", "file://../../../../etc/hostname"])
def test_a_load_csv_past_the_guard_reads_nothing(store, url):
    import redis

    assert (store.server.state_dir / "server.json").exists()  # there, beside the folder
    g = store.db.select_graph(store.graph_name)
    with pytest.raises(redis.ResponseError, match="Error opening CSV URI"):
        g.ro_query(f"LOAD CSV FROM '{url}' AS r RETURN r")  # the guard bypassed on purpose


def test_a_write_past_the_guard_is_refused_by_the_server(store):
    import redis

    g = store.db.select_graph(store.graph_name)
    with pytest.raises(redis.ResponseError, match="read-only"):
        g.ro_query("MATCH (n:Drug) SET n.name = 'x'")


# -- limits, each with its own message --------------------------------------------------------
def test_defaults_are_2_s_and_1000_rows():
    assert (TIMEOUT_DEFAULT_MS, ROW_CAP_DEFAULT) == (2_000, 1_000)


def test_row_cap_cuts_with_a_note(store):
    res = console_query(store, "UNWIND range(1, 2500) AS x RETURN x")
    assert len(res.rows) == 1000 and res.total_rows == 2500 and res.truncated
    assert res.note().startswith("showing the first 1,000 of 2,500 rows (row cap 1,000")
    small = console_query(store, "UNWIND range(1, 10) AS x RETURN x", row_cap=20)
    assert not small.truncated and small.note() is None


def test_timeout_fires_with_its_own_message(store):
    with pytest.raises(QueryTimeout, match=r"^query timed out after 5 ms \(the server stopped"):
        console_query(store, "UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b "
                             "WITH a, b WHERE (a + b) % 7 = 0 RETURN count(*)", timeout_ms=5)


def test_memory_cap_fires_with_the_real_reason(store):
    with pytest.raises(QueryMemoryLimit, match=r"memory cap of 256 MiB \(server said: Query's "
                                               r"mem consumption exceeded capacity\)"):
        console_query(store, "RETURN size(range(1, 100000000)) AS n", timeout_ms=10_000)
    assert store.query("RETURN 1 AS one").rows == [[1]]  # the server is fine afterwards


@pytest.mark.parametrize("timeout, rows, message", [
    (120_000, 10, "timeout 120000 ms is out of range: use 1 to 10000 ms"),
    (0, 10, "timeout 0 ms is out of range"),
    (2_000, 0, "row cap 0 is out of range: use 1 to 100000 rows"),
    (2_000, 1_000_000, "row cap 1000000 is out of range"),
])
def test_limits_out_of_range_are_refused_before_the_server(timeout, rows, message):
    with pytest.raises(QueryError, match=message):
        check_limits(timeout, rows)


def test_timeout_above_the_server_maximum_is_named_as_such(store):
    with pytest.raises(QueryError, match="above the server's maximum") as info:
        store.query("RETURN 1", timeout_ms=20_000)
    assert not isinstance(info.value, QueryTimeout)


def test_syntax_error_says_where(store):
    with pytest.raises(QuerySyntaxError) as info:
        console_query(store, "MATCH (n:Drug)\nRETURN n.name ORDER")
    err = info.value
    assert (err.line, err.column) == (2, 20)
    lines = str(err).splitlines()
    assert lines[0].startswith("syntax error at line 2, column 20:")
    assert lines[1] == "  RETURN n.name ORDER" and lines[2] == "  " + " " * 19 + "^"
