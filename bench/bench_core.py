"""Benchmark the foundation: server start, validation, load, every named query.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python bench/bench_core.py``. Writes
``bench/results/core.json``. Timings are wall-clock on whatever machine runs it; the README
table says which machine produced its figures.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import stats  # noqa: E402 - bench/ is on sys.path when a script runs

from kg.build import build_graph  # noqa: E402
from kg.queries import list_queries  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402

OUT = ROOT / "bench" / "results" / "core.json"




def main() -> dict:
    results: dict = {"machine": f"{platform.node()} {platform.machine()} "
                                f"Python {platform.python_version()}",
                     "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory() as tmp:
        starts = []
        for i in range(5):
            server = FalkorServer(Path(tmp) / f"s{i}")
            t = time.perf_counter()
            server.start()
            starts.append(time.perf_counter() - t)
            server.stop()
        results["falkordb_cold_start"] = stats(starts, digits=3)

        build = []
        for _ in range(10):
            t = time.perf_counter()
            eg = build_graph(ROOT / "data")
            build.append(time.perf_counter() - t)
        results["validate_and_assemble_curated"] = stats(build, digits=3)
        results["graph"] = {"nodes": eg.graph.number_of_nodes(),
                            "edges": eg.graph.number_of_edges()}

        server = FalkorServer(Path(tmp) / "q")
        store = FalkorStore(server)
        loads = []
        for _ in range(10):
            t = time.perf_counter()
            store.load(eg)
            loads.append(time.perf_counter() - t)
        results["load_into_falkordb"] = stats(loads, digits=3)

        queries = {}
        for q in list_queries():
            samples = []
            for _ in range(50):
                t = time.perf_counter()
                store.query(q.text, q.example_params())
                samples.append(time.perf_counter() - t)
            queries[q.name] = stats(samples, digits=3)
        results["queries"] = queries
        store.close()
        server.stop()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
