"""The SPARQL store of the served graph: built once per fingerprint, kept, read-only."""

from __future__ import annotations

import os
import threading
import time

import pytest

from kg.schema.errors import QueryError, ReadOnlyViolation
from kg.sparql import SparqlCache, build_store, select


def test_built_once_then_reused_by_another_process_s_cache(curated_graph, tmp_path):
    calls = []

    def load():
        calls.append(1)
        return curated_graph

    version = curated_graph.fingerprint()
    first = SparqlCache(tmp_path).store(version, load)
    assert calls == [1] and (tmp_path / version / "CURRENT").exists()
    again = SparqlCache(tmp_path).store(version, load)  # as a new process would
    assert calls == [1]
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert select(first, q) == select(again, q)
    assert select(again, q)[1][0][0] == sum(1 for _ in build_store(curated_graph))


def test_a_graph_of_another_fingerprint_is_refused(curated_graph, tmp_path):
    with pytest.raises(QueryError, match="fingerprint"):
        SparqlCache(tmp_path).store("000000000000", lambda: curated_graph)
    assert not (tmp_path / "000000000000").exists()
    with pytest.raises(QueryError, match="no graph version"):
        SparqlCache(tmp_path).store("", lambda: curated_graph)


def test_old_versions_are_pruned(curated_graph, tmp_path):
    from kg.graph import assemble

    cache = SparqlCache(tmp_path, keep=2)
    prov = {"source": "curated", "source_version": "1", "licence": "CC-BY-4.0"}
    versions = []
    for i in range(3):
        from kg.schema.records import NodeRecord

        eg = assemble([NodeRecord(f"drug:d{i}", "Drug", {**prov, "name": f"d{i}"})], [])
        cache.store(eg.fingerprint(), lambda eg=eg: eg)
        versions.append(eg.fingerprint())
        time.sleep(0.02)
        os.utime(tmp_path / eg.fingerprint())
    on_disk = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert on_disk == sorted(versions)  # all three still open in this cache: kept
    fresh = SparqlCache(tmp_path, keep=1)
    eg = curated_graph
    fresh.store(eg.fingerprint(), lambda: eg)
    assert sorted(p.name for p in tmp_path.iterdir()) == [eg.fingerprint()]


def test_two_builders_at_once_leave_one_store(curated_graph, tmp_path):
    version = curated_graph.fingerprint()
    results, errors = [], []

    def build():
        try:
            s = SparqlCache(tmp_path).store(version, lambda: curated_graph)
            results.append(select(s, "ASK { ?s a <https://w3id.org/alk-evidence-kg/schema#Drug> }"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [(["result"], [[True]])] * 2
    assert [p.name for p in tmp_path.iterdir()] == [version]


def test_the_kept_store_is_read_only(curated_graph, tmp_path):
    s = SparqlCache(tmp_path).store(curated_graph.fingerprint(), lambda: curated_graph)
    with pytest.raises(ReadOnlyViolation):
        select(s, "DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(RuntimeError, match="read-write"):  # the store refuses one past the guard
        s.update("DELETE WHERE { ?s ?p ?o }")
    assert select(s, "ASK { ?s ?p ?o }")[1] == [[True]]


def test_parameters_are_values_never_query_text(curated_graph):
    s = build_store(curated_graph)
    q = "SELECT ?d WHERE { ?d <https://w3id.org/alk-evidence-kg/schema#id> ?id }"
    assert select(s, q, {"id": "drug:alectinib"})[1] == [
        ["https://w3id.org/alk-evidence-kg/node/drug%3Aalectinib"]]
    sneaky = "x\" ) } DELETE WHERE { ?s ?p ?o } #"
    assert select(s, q, {"id": sneaky})[1] == []
    with pytest.raises(QueryError, match="variable names"):
        select(s, q, {"id) } #": "x"})


_RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }")


def test_a_runaway_query_in_a_child_is_stopped_at_its_limit(curated_graph, tmp_path):
    from kg.sparql import select_limited

    cache = SparqlCache(tmp_path)
    cache.store(curated_graph.fingerprint(), lambda: curated_graph)
    path = cache.path(curated_graph.fingerprint())
    t0 = time.monotonic()
    with pytest.raises(QueryError, match="did not finish within 300 ms; stopped"):
        select_limited(path, _RUNAWAY, timeout_ms=300)
    assert time.monotonic() - t0 < 8  # the cross product alone would run for hours


def test_a_child_returns_the_same_rows_and_errors_as_in_process(curated_graph, tmp_path):
    from kg.sparql import select_limited

    cache = SparqlCache(tmp_path)
    store = cache.store(curated_graph.fingerprint(), lambda: curated_graph)
    path = cache.path(curated_graph.fingerprint())
    q = "SELECT ?id ?n WHERE { ?d a kgs:Drug ; kgs:id ?id ; kgs:name ?n } ORDER BY ?id"
    assert select_limited(path, q, timeout_ms=5000) == select(store, q)
    p = "SELECT ?n WHERE { ?d kgs:id ?id ; kgs:name ?n }"
    assert select_limited(path, p, {"id": "drug:alectinib"}, timeout_ms=5000) == \
        (["n"], [["alectinib"]])
    assert select_limited(path, q, row_cap=2, timeout_ms=5000)[1] == select(store, q)[1][:2]
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        select_limited(path, "SELECT ?x WHERE { ?x ?y }", timeout_ms=5000)
    with pytest.raises(ReadOnlyViolation):
        select_limited(path, "DELETE WHERE { ?s ?p ?o }", timeout_ms=5000)
