"""What the workbench pages show: canned queries, console runs, result graphs, view exports."""

from __future__ import annotations

import json
import threading

import pytest

from kg.queries import QUERIES_DIR
from kg.schema.errors import QueryError, ReadOnlyViolation
from kg.views import workbench as W


def test_every_query_file_is_listed_with_its_parameters():
    listed = {q.name: q for q in W.canned_queries()}
    files = {p.stem for p in QUERIES_DIR.iterdir() if p.suffix in (".cypher", ".rq")}
    assert set(listed) == files
    q = listed["02_resistance_to_drug"]
    assert q.title and q.description and q.params == {"drug": "drug:crizotinib"}
    assert listed["51_resistance_to_drug"].language == "sparql"


def test_run_named_overrides_example_values(store):
    res = W.run_named(store, "02_resistance_to_drug", {"drug": "drug:alectinib"})
    want = store.query(W.canned_query("02_resistance_to_drug").text,
                       {"drug": "drug:alectinib"})
    assert res.columns == want.columns and res.rows == want.rows and res.rows


def test_run_named_sparql_uses_the_served_graph(store, tmp_path):
    sd = tmp_path / "state"
    res = W.run_named(store, "52_trial_figures", {"trial": "JapicCTI-132316"}, state_dir=sd)
    assert any(r[3] == "34.1" for r in res.rows)
    assert (sd / "sparql" / store.graph_version()).is_dir()
    with pytest.raises(QueryError, match="no query named"):
        W.run_named(store, "99_nothing")


def test_console_refuses_and_limits(store):
    with pytest.raises(ReadOnlyViolation):
        W.run_cypher(store, "MATCH (n) DETACH DELETE n")
    with pytest.raises(QueryError, match="out of range"):
        W.run_cypher(store, "RETURN 1", timeout_ms=60_000)
    res = W.run_cypher(store, "UNWIND range(1, 30) AS x RETURN x", row_cap=10)
    assert res.truncated and len(res.rows) == 10


def test_console_slots_are_limited(store):
    taken = [W._SLOTS.acquire(timeout=1) for _ in range(W.CONSOLE_SLOTS)]
    try:
        assert all(taken)
        with pytest.raises(W.ConsoleBusy, match="already running"):
            W.run_cypher(store, "RETURN 1")
    finally:
        for _ in taken:
            W._SLOTS.release()
    assert W.run_cypher(store, "RETURN 1 AS one").rows == [[1]]


def test_console_store_is_its_own_connection(store):
    other = W.console_store(store.server.state_dir)
    try:
        assert other is not store and other.redis is not store.redis
        assert other.graph_version() == store.graph_version()
    finally:
        other.close()


def test_schema_overview(store, curated_graph):
    o = W.schema_overview(store)
    assert set(curated_graph.counts()["nodes"]) <= set(o["labels"])
    assert "CONFERS_RESISTANCE_TO" in o["relationship_types"]
    assert {"id", "name", "locator"} <= set(o["property_keys"])


def test_result_graph_from_nodes_relationships_and_paths(store):
    res = W.run_cypher(store, "MATCH (v:Variant {id: 'ALK:p.G1202R'})-[r:CONFERS_RESISTANCE_TO]"
                              "->(d:Drug) RETURN v, r, d")
    sub = W.result_graph(res)
    ids = {n["id"] for n in sub.nodes}
    assert "ALK:p.G1202R" in ids and sub.centre == "ALK:p.G1202R"
    assert all(e["rel"] == "CONFERS_RESISTANCE_TO" and e["source"] == "ALK:p.G1202R"
               for e in sub.edges)
    assert {e["target"] for e in sub.edges} == ids - {"ALK:p.G1202R"}
    assert all(e["claims"] for e in sub.edges)  # each edge names its claim
    paths = W.run_cypher(store, "MATCH p = (v:Variant {id: 'ALK:p.G1202R'})-[*1..2]-"
                                "(d:Drug {id: 'drug:lorlatinib'}) RETURN p LIMIT 3")
    psub = W.result_graph(paths)
    assert {"ALK:p.G1202R", "drug:lorlatinib"} <= {n["id"] for n in psub.nodes}
    assert psub.edges
    scalars = W.run_cypher(store, "MATCH (d:Drug) RETURN d.id AS id")
    assert W.result_graph(scalars) is None


def test_result_files_and_view_exports(store, curated_graph):
    import io

    import pandas as pd

    res = W.run_named(store, "02_resistance_to_drug", {"drug": "drug:alectinib"})
    frame = pd.read_csv(io.StringIO(W.result_csv(res)), dtype=str, keep_default_na=False)
    assert list(frame.columns) == res.columns and len(frame) == len(res.rows)
    assert json.loads(W.result_json(res))[0] == dict(zip(res.columns, res.rows[0], strict=True))
    ids = W.view_node_ids(res, lambda x: x in curated_graph.graph)
    assert "ALK:p.G1202R" in ids and not any(i.startswith("curated") for i in ids)
    by_fmt = {fmt: W.view_export(curated_graph, ids, fmt) for fmt, _ in W.VIEW_FORMATS}
    nodes = pd.read_csv(io.StringIO(by_fmt["csv-nodes"].text), dtype=str)
    assert set(nodes["id"]) == set(ids)
    assert "<graphml" in by_fmt["graphml"].text and "@prefix" in by_fmt["turtle"].text
    from kg.exports import subgraph

    part = subgraph(curated_graph, ids)
    keys = {d["props"]["bib_key"] for *_, d in part.graph.edges(keys=True, data=True)
            if d["props"].get("bib_key")}
    assert keys and all(f"{{{k},\n" in by_fmt["bibtex"].text for k in keys)
    assert by_fmt["bibtex"].text.count("\n@") + 1 == len(keys | {
        d["props"].get("bib_key") for _, d in part.graph.nodes(data=True)} - {None})
    with pytest.raises(Exception, match="unknown view download"):
        W.view_export(curated_graph, ids, "xml")


def test_two_console_queries_at_once_both_answer(store):
    out: list[int] = []

    def go() -> None:
        out.append(W.run_cypher(store, "UNWIND range(1, 100000) AS x RETURN count(x) AS n")
                   .rows[0][0])

    ts = [threading.Thread(target=go) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out == [100000, 100000]
