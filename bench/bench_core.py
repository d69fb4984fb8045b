"""Benchmark the foundation: server start, validation, load, every named query.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python bench/bench_core.py``. Writes
``bench/results/core.json``. Timings are wall-clock on whatever machine runs it; the README
table says which machine produced its figures.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.pipeline import collect  # noqa: E402
from kg.graph import assemble  # noqa: E402
from kg.postprocess import postprocess  # noqa: E402
from kg.queries import list_queries  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402

OUT = ROOT / "bench" / "results" / "core.json"


def _stats(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]
    return {"median_ms": round(statistics.median(s) * 1000, 3), "p95_ms": round(p95 * 1000, 3),
            "n": len(s)}


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
        results["falkordb_cold_start"] = _stats(starts)

        build = []
        for _ in range(10):
            t = time.perf_counter()
            recs = collect(ROOT / "data")
            eg = postprocess(assemble(recs.nodes, recs.edges))
            build.append(time.perf_counter() - t)
        results["validate_and_assemble_curated"] = _stats(build)
        results["graph"] = {"nodes": eg.graph.number_of_nodes(),
                            "edges": eg.graph.number_of_edges()}

        server = FalkorServer(Path(tmp) / "q")
        store = FalkorStore(server)
        loads = []
        for _ in range(10):
            t = time.perf_counter()
            store.load(eg)
            loads.append(time.perf_counter() - t)
        results["load_into_falkordb"] = _stats(loads)

        queries = {}
        for q in list_queries():
            samples = []
            for _ in range(50):
                t = time.perf_counter()
                store.query(q.text, q.example_params())
                samples.append(time.perf_counter() - t)
            queries[q.name] = _stats(samples)
        results["queries"] = queries
        store.close()
        server.stop()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
