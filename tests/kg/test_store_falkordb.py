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


def _store_export(s):
    """Everything a store holds, as sorted JSON lines (property order ignored)."""
    import json

    nodes = s.query("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p").rows
    edges = s.query("MATCH (a)-[r]->(b) RETURN r.id, type(r), a.id, b.id, properties(r)").rows
    lines = [json.dumps(["node", i, sorted(lb), p], sort_keys=True) for i, lb, p in nodes]
    lines += [json.dumps(["edge", *row], sort_keys=True) for row in edges]
    return sorted(lines)


def test_bulk_load_gives_the_same_graph_as_the_cypher_load(falkor_server, curated_graph):
    import secrets

    exports, stats = [], []
    for method in ("cypher", "bulk"):
        s = FalkorStore(falkor_server, graph_name=f"m_{method}_{secrets.token_hex(3)}")
        try:
            stats.append(s.load(curated_graph, method=method))
            exports.append(_store_export(s))
            assert s.meta()["load_method"] == method
        finally:
            s.redis.delete(s.graph_name, f"{s.graph_name}:meta")
            s.close()
    assert [st["method"] for st in stats] == ["cypher", "bulk"]
    assert exports[0] == exports[1]
    assert len(exports[0]) == (curated_graph.graph.number_of_nodes()
                               + curated_graph.graph.number_of_edges())
    # the fingerprint hashed while streaming is the export's, on both paths
    assert stats[0]["version"] == stats[1]["version"] == curated_graph.fingerprint()


def test_every_node_has_its_label_and_the_shared_one_with_search_text(store, curated_graph):
    rows = store.query("MATCH (n) RETURN n.id, labels(n), n.search_text, n.search_lower").rows
    want = {n: d["label"] for n, d in curated_graph.graph.nodes(data=True)}
    assert {i: sorted(lb) for i, lb, *_ in rows} == {i: sorted([lb, "Node"])
                                                     for i, lb in want.items()}
    assert all(low == text.lower() for *_, text, low in rows)
    alectinib = next(r for r in rows if r[0] == "drug:alectinib")
    assert "Alecensa" in alectinib[2]


def test_indexes_are_operational_after_a_load(store):
    rows = store.query("CALL db.indexes() YIELD label, properties, status, entitytype "
                       "RETURN label, properties, status, entitytype").rows
    assert {r[2] for r in rows} == {"OPERATIONAL"}
    assert ["Node", ["id"], "OPERATIONAL", "NODE"] in rows
    assert any(r[0] == "REPORTED_IN" and "bib_key" in r[1] and r[3] == "RELATIONSHIP"
               for r in rows)


def test_nodes_edges_and_paths_decode_to_plain_values(store):
    row = store.query("MATCH p = (d:Drug {id: 'drug:alectinib'})-[r]-() "
                      "RETURN d, r, p LIMIT 1").rows[0]
    node, edge, path = row
    assert node["id"] == "drug:alectinib" and node["labels"] == ["Drug", "Node"]
    assert node["properties"]["name"] == "alectinib"
    assert isinstance(edge["type"], str) and "id" in edge["properties"]
    assert [n["id"] for n in path["nodes"]][0] == "drug:alectinib"
    assert path["edges"][0] == edge
    assert store.query("RETURN 1.5 AS x, true AS t, null AS n, [1, 'a'] AS l, "
                       "{k: 2} AS m").rows == [[1.5, True, None, [1, "a"], {"k": 2}]]


def test_a_bad_bulk_value_is_refused_and_the_served_graph_kept(scratch_store):
    ok = assemble([NodeRecord("drug:a", "Drug", {**PROV, "name": "a"})], [])
    scratch_store.load(ok, method="bulk")
    before = scratch_store.graph_version()
    bad = assemble([NodeRecord("drug:b", "Drug", {**PROV, "name": "b"})], [])
    bad.graph.nodes["drug:b"]["props"]["name"] = {"nested": 1}
    with pytest.raises(StoreError, match="served graph is unchanged.*cannot bulk-load"):
        scratch_store.load(bad, method="bulk")
    assert scratch_store.graph_version() == before
    assert [g for g in scratch_store.db.list_graphs() if "staging" in g] == []
    with pytest.raises(StoreError, match="unknown load method"):
        scratch_store.load(ok, method="fast")


@pytest.mark.parametrize("method", ["bulk", "cypher"])
def test_load_reports_progress_up_to_every_record(scratch_store, curated_graph, method):
    seen = []
    scratch_store.load(curated_graph, method=method, progress=lambda d, t: seen.append((d, t)))
    total = curated_graph.graph.number_of_nodes() + curated_graph.graph.number_of_edges()
    assert seen and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
