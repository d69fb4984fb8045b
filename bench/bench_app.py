"""Benchmark the evidence browser: server-side render time of every page, via AppTest.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python bench/bench_app.py``. Writes
``bench/results/app.json``.

The curated graph is built into a temporary FalkorDB state directory and the app is pointed
at it with ``KG_STATE_DIR``. For each page (with the query parameters a shared URL would
carry) it measures, with ``AppTest.run`` wall-clock time (script run plus AppTest's own
bookkeeping, so an upper bound of what the server spends):

* ``warm``: reruns of an open session, caches filled - what a trainee waits for on every
  click (the target is <= 300 ms);
* ``cold``: a new session right after ``st.cache_data.clear()``, as after a graph rebuild
  (the store connection is kept: it is an ``st.cache_resource``).

With the CIViC release shipped in ``data/civic/01-Aug-2024`` it repeats the warm runs on
the curated graph plus the release's ALK slice, and plus the whole
release (every gene, about 10,000 nodes); ``--no-civic`` skips both.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import stats  # noqa: E402 - bench/ is on sys.path when a script runs

from kg.build import build_graph  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402

OUT = ROOT / "bench" / "results" / "app.json"
CIVIC = ROOT / "data" / "civic" / "01-Aug-2024"
PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "home": ("home", {}),
    "search_alectinib": ("search", {"q": "alectinib"}),
    "entity_drug": ("entity", {"id": "drug:alectinib"}),
    "entity_variant": ("entity", {"id": "ALK:p.G1202R"}),
    "entity_publication": ("entity", {"id": "PMID:27432227"}),
    "entity_trial": ("entity", {"id": "NCT02075840"}),
    "graph_depth2": ("graph", {"id": "drug:alectinib", "depth": "2"}),
    "matrix_cell": ("matrix", {"variant": "ALK:p.G1202R", "drug": "drug:alectinib"}),
    "trials": ("trials", {}),
    "references": ("references", {}),
}




def _quiet() -> None:
    """Silence Streamlit's "No runtime found" / "missing ScriptRunContext" notes."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _app(page: str, params: dict[str, str]):  # noqa: ANN202
    from streamlit.testing.v1 import AppTest

    _quiet()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"app_pages/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _timed_run(at) -> float:  # noqa: ANN001
    t = time.perf_counter()
    at.run()
    dt = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception[0].value}")
    return dt


def measure(state_dir: Path, *, warm_runs: int, cold_runs: int) -> dict:
    """Return {page: {warm: stats, cold: stats}} for the graph served from `state_dir`."""
    import streamlit as st

    os.environ["KG_STATE_DIR"] = str(state_dir)
    out: dict = {}
    for name, (page, params) in PAGES.items():
        cold = []
        for _ in range(cold_runs):
            _quiet()
            st.cache_data.clear()
            cold.append(_timed_run(_app(page, params)))
        at = _app(page, params)
        _timed_run(at)  # fill the caches of this session
        warm = [_timed_run(at) for _ in range(warm_runs)]
        out[name] = {"warm": stats(warm)}
        if cold:
            out[name]["cold"] = stats(cold)
        print(f"  {name:20} warm median {out[name]['warm']['median_ms']:7.1f} ms, "
              f"p95 {out[name]['warm']['p95_ms']:7.1f} ms"
              + (f"; cold median {out[name]['cold']['median_ms']:7.1f} ms" if cold else ""),
              flush=True)
    return out


def _load(state_dir: Path, civic: bool, genes: list[str] | None = None) -> dict[str, int]:
    eg = build_graph(ROOT / "data", civic_dir=CIVIC if civic else None,
                     genes=genes if civic else None)
    store = FalkorStore(FalkorServer(state_dir))
    store.load(eg)
    store.close()
    return {"nodes": eg.graph.number_of_nodes(), "edges": eg.graph.number_of_edges()}


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    logging.getLogger("ingest").setLevel(logging.ERROR)
    results: dict = {"machine": f"{platform.node()} {platform.machine()} "
                                f"Python {platform.python_version()}",
                     "date": time.strftime("%Y-%m-%d"),
                     "method": "AppTest.run wall clock; warm = rerun of an open session, "
                               "cold = new session after st.cache_data.clear()"}
    with tempfile.TemporaryDirectory() as tmp:
        curated = Path(tmp) / "curated"
        results["graph"] = _load(curated, civic=False)
        print(f"curated graph {results['graph']}", flush=True)
        results["pages"] = measure(curated, warm_runs=30, cold_runs=5)
        FalkorServer(curated).stop()
        if "--no-civic" not in argv and CIVIC.is_dir():
            civic = Path(tmp) / "civic"
            results["graph_civic_alk"] = _load(civic, civic=True, genes=["ALK"])
            print(f"curated + CIViC ALK graph {results['graph_civic_alk']}", flush=True)
            results["pages_civic_alk"] = measure(civic, warm_runs=15, cold_runs=0)
            FalkorServer(civic).stop()
            whole = Path(tmp) / "civic_all"
            results["graph_civic_all"] = _load(whole, civic=True)
            print(f"curated + whole CIViC release {results['graph_civic_all']}", flush=True)
            results["pages_civic_all"] = measure(whole, warm_runs=10, cold_runs=0)
            FalkorServer(whole).stop()
    slowest = max(v["warm"]["median_ms"] for v in results["pages"].values())
    results["budget_ms"] = 300
    results["within_budget"] = slowest <= 300
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}; slowest warm page median {slowest} ms")
    return results


if __name__ == "__main__":
    main()
