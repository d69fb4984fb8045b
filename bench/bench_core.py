"""Benchmark the foundation: server start, build, cold start, every named query.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python bench/bench_core.py``. Writes
``bench/results/core.json``:

* ``db_start_s``: a new embedded FalkorDB server answering its first ping (5 starts);
* ``build_curated_s``: `kg.build.build_graph` on ``data/`` (read, validate, derive);
* ``cli_start_s``: ``python -m kg build --if-changed`` when the served graph is up to date
  (what ``make run`` does before Streamlit starts);
* every file in ``queries/`` on the curated graph plus the whole CIViC release (shipped in
  ``data/civic/``), through `FalkorStore.query` (round trip, decoding included), with its
  example parameters: up to 200 runs each (fewer when a query's runs pass 8 s);
* ``point_lookup``: ``21_node`` (by id, cycling over 50 ids) against ``RETURN 1`` on the same
  connection, interleaved run by run, so a busy machine slows both alike.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CIVIC, DATA, ROOT, quiet, sample, stats, write_result  # noqa: E402

sys.path.insert(0, str(ROOT))
from kg.build import build_graph  # noqa: E402
from kg.queries import list_queries  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402


def point_lookup(store: FalkorStore, ids: list[str], *, runs: int = 400) -> dict:
    """21_node by id against RETURN 1, interleaved; ratios of p50 and p95."""
    from kg.queries import load_query

    text = load_query("21_node").text
    base, look = [], []
    for i in range(runs + 20):
        t = time.perf_counter()
        store.query("RETURN 1")
        t1 = time.perf_counter()
        store.query(text, {"id": ids[i % len(ids)]})
        t2 = time.perf_counter()
        if i >= 20:
            base.append(t1 - t)
            look.append(t2 - t1)
    b, lk = stats(base, digits=3), stats(look, digits=3)
    r50, r95 = lk["median_ms"] / b["median_ms"], lk["p95_ms"] / b["p95_ms"]
    return {"return_1": b, "node_by_id": lk, "ratio_p50": round(r50, 2),
            "ratio_p95": round(r95, 2), "ratio": round(max(r50, r95), 2)}


def main() -> dict:
    quiet()
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        starts = []
        for i in range(5):
            server = FalkorServer(Path(tmp) / f"s{i}")
            t = time.perf_counter()
            server.start()
            starts.append(time.perf_counter() - t)
            server.stop()
        out["db_start"] = stats(starts, digits=1)

        builds = []
        for _ in range(5):
            t = time.perf_counter()
            eg = build_graph(DATA)
            builds.append(time.perf_counter() - t)
        out["build_curated"] = stats(builds, digits=1)
        out["graph_curated"] = {"nodes": eg.graph.number_of_nodes(),
                                "edges": eg.graph.number_of_edges()}

        # cold start: `kg build --if-changed` with the sources unchanged since the last build
        sd = Path(tmp) / "cli"
        cmd = [sys.executable, "-m", "kg", "--state-dir", str(sd), "build", "--if-changed"]
        first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
        assert first.stdout.startswith("built graph"), first.stdout
        cli = []
        for _ in range(3):
            t = time.perf_counter()
            r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
            cli.append(time.perf_counter() - t)
            assert "up to date" in r.stdout, r.stdout
        out["cli_start"] = stats(cli, digits=1)
        FalkorServer(sd).stop()

        server = FalkorServer(Path(tmp) / "q")
        store = FalkorStore(server)
        t = time.perf_counter()
        full = build_graph(DATA, civic_dir=CIVIC)
        out["build_curated_civic_s"] = round(time.perf_counter() - t, 2)
        load = store.load(full)
        out["graph_curated_civic"] = {"nodes": load["nodes"], "edges": load["edges"],
                                      "load_s": load["seconds"], "method": load["method"]}
        queries, pooled = {}, []
        for q in list_queries():
            params = q.example_params()
            samples = sample(lambda q=q, p=params: store.query(q.text, p), runs=200,
                             budget_s=8.0)
            pooled += samples
            rows = len(store.query(q.text, params).rows)
            queries[q.name] = {**stats(samples), "rows": rows}
            print(f"  {q.name:34} p50 {queries[q.name]['median_ms']:8.2f} ms  "
                  f"p95 {queries[q.name]['p95_ms']:8.2f} ms  rows {rows}", flush=True)
        out["queries"] = queries
        out["queries_pooled"] = stats(pooled)
        rng = random.Random(14)
        ids = rng.sample(sorted(full.graph.nodes), 50)
        out["point_lookup"] = point_lookup(store, ids)
        store.close()
        server.stop()
    write_result("core", out)
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
