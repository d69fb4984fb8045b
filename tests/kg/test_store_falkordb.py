"""The embedded store against a real FalkorDB server process."""

import subprocess

import pytest

from kg.graph import assemble
from kg.schema.errors import QueryError, ReadOnlyViolation, StoreError
from kg.schema.records import EdgeRecord, NodeRecord
from kg.store.falkordb import FalkorServer, FalkorStore

PROV = {"source": "curated", "source_version": "1", "licence": "CC-BY-4.0"}


def test_server_is_a_real_process_on_loopback_with_a_password(falkor_server):
    info = falkor_server.info()
    assert info is not None and len(info["password"]) >= 24
    listening = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
    mine = [ln for ln in listening.splitlines() if f"pid={info['pid']}," in ln]
    assert mine and all("127.0.0.1:" in ln for ln in mine)  # one loopback port, no Bolt
    assert len(mine) == 1
    import redis

    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=info["port"]).ping()


def test_second_start_reuses_the_running_server(falkor_server):
    again = FalkorServer(falkor_server.state_dir).start()
    assert again["reused"] is True and again["pid"] == falkor_server.info()["pid"]


def test_start_stop_status_in_a_fresh_state_dir(tmp_path):
    server = FalkorServer(tmp_path / "s")
    assert server.status().startswith("stopped")
    info = server.start()
    assert info["reused"] is False and "running" in server.status()
    assert server.stop() is True
    assert server.info() is None and server.stop() is False


def test_loaded_graph_matches_the_networkx_graph(store, curated_graph):
    res = store.query("MATCH (n) RETURN count(n) AS n")
    assert res.rows == [[curated_graph.graph.number_of_nodes()]]
    res = store.query("MATCH ()-[r]->() RETURN count(r) AS n")
    assert res.rows == [[curated_graph.graph.number_of_edges()]]
    assert store.graph_version() == curated_graph.fingerprint()


def test_parameters_and_list_properties(store, curated_graph):
    drug = next(n for n in curated_graph.nodes() if n.label == "Drug")
    res = store.query("MATCH (d:Drug {id: $id}) RETURN d.name AS name", {"id": drug.id})
    assert res.records() == [{"name": drug.props["name"]}]


def test_read_only_refuses_writes_before_and_at_the_server(store):
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        store.query("MATCH (n) DETACH DELETE n")
    with pytest.raises(ReadOnlyViolation):  # hidden from the keyword check, caught by RO_QUERY
        store.query("CALL db.idx.fulltext.drop('Drug')")
    assert store.query("MATCH (n) RETURN count(n) AS n").rows[0][0] > 0


def test_syntax_error_names_the_query(store):
    with pytest.raises(QueryError, match="MATCH \\(n RETURN n"):
        store.query("MATCH (n RETURN n")


def test_timeout_is_enforced(store):
    with pytest.raises(QueryError, match="timed out"):
        store.query("UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b "
                    "WITH a, b WHERE (a + b) % 7 = 0 RETURN count(*)", timeout_ms=5)


def test_failed_load_leaves_the_served_graph_intact(scratch_store):
    ok = assemble([NodeRecord("drug:a", "Drug", {**PROV, "name": "a"})], [])
    scratch_store.load(ok)
    before = scratch_store.graph_version()
    bad_edge = EdgeRecord("e:1", "drug:a", "drug:a", "SUPERIOR_TO",
                          {**PROV, "bib_key": "k", "locator": "l"})
    broken = assemble([NodeRecord("drug:a", "Drug", {**PROV, "name": "a"}),
                       NodeRecord("drug:b", "Drug", {**PROV, "name": "b"})], [bad_edge])
    # Sabotage the load halfway: a property value FalkorDB cannot store (a nested map).
    broken.graph.edges["drug:a", "drug:a", "e:1"]["props"]["locator"] = {"nested": {"x": 1}}
    with pytest.raises(StoreError, match="served graph is unchanged"):
        scratch_store.load(broken)
    assert scratch_store.graph_version() == before
    assert scratch_store.query("MATCH (n) RETURN n.id").rows == [["drug:a"]]
    leftovers = [g for g in scratch_store.db.list_graphs() if "staging" in g]
    assert leftovers == []


def test_store_from_a_second_client_sees_the_same_graph(falkor_server, store):
    other = FalkorStore(falkor_server)
    assert other.graph_version() == store.graph_version()
    other.close()
