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

It repeats the warm runs on the curated graph plus the ALK slice of the CIViC release shipped
in ``data/civic/``, and plus the whole release (every gene, about 10,000 nodes);
``--no-civic`` skips both.

``first_page_s`` is the cold start a user sees: with the graph already built from unchanged
sources, the time from launching ``make run`` (``kg build --if-changed``, then Streamlit) to
the home page rendered in Debian's chromium (its graph summary on screen). Without the
project's ``.venv`` (a run outside ``make bench``) the two commands of ``make run`` are
launched directly with this interpreter.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CIVIC, ROOT, app_test, quiet, quiet_streamlit, stats, write_result  # noqa: E402

sys.path.insert(0, str(ROOT))
from kg.build import build_graph  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
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
            quiet_streamlit()
            st.cache_data.clear()
            cold.append(_timed_run(app_test(page, params)))
        at = app_test(page, params)
        _timed_run(at)  # fill the caches of this session
        warm = [_timed_run(at) for _ in range(warm_runs)]
        out[name] = {"warm": stats(warm, digits=1)}
        if cold:
            out[name]["cold"] = stats(cold, digits=1)
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


def first_page(state_dir: Path) -> dict:
    """Seconds from launching ``make run`` to the home page rendered in chromium."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "KG_STATE_DIR": str(state_dir)}
    build = [sys.executable, "-m", "kg", "build", "--if-changed"]
    subprocess.run(build, cwd=ROOT, env=env, check=True, capture_output=True)  # built once
    if (ROOT / ".venv" / "bin" / "streamlit").exists():
        cmd, how = ["make", "--no-print-directory", "run", f"PORT={port}"], "make run"
    else:
        cmd = ["sh", "-c", " ".join(build) + f" && {sys.executable} -m streamlit run app.py "
               f"--server.port {port} --server.headless true --browser.gatherUsageStats false"]
        how = "make run's two commands"
    url = f"http://127.0.0.1:{port}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            while True:
                try:
                    page.goto(url, timeout=5_000)
                    break
                except Exception:
                    if proc.poll() is not None or time.perf_counter() - t0 > 60:
                        raise RuntimeError(f"{how} did not serve {url}") from None
                    time.sleep(0.05)
            page.get_by_text("What the graph holds").first.wait_for(timeout=60_000)
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                                   timeout=60_000)
            seconds = time.perf_counter() - t0
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
            browser.close()
    return {"first_page_s": round(seconds, 2), "how": how}


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    quiet()
    results: dict = {"method": "AppTest.run wall clock; warm = rerun of an open session, "
                               "cold = new session after st.cache_data.clear()"}
    with tempfile.TemporaryDirectory() as tmp:
        curated = Path(tmp) / "curated"
        results["graph"] = _load(curated, civic=False)
        print(f"curated graph {results['graph']}", flush=True)
        results["pages"] = measure(curated, warm_runs=15, cold_runs=3)
        FalkorServer(curated).stop()
        cold = Path(tmp) / "cold"
        try:
            results.update(first_page(cold))
            print(f"first page after {results['how']}: {results['first_page_s']} s",
                  flush=True)
        finally:
            FalkorServer(cold).stop()
        if "--no-civic" not in argv:
            civic = Path(tmp) / "civic"
            results["graph_civic_alk"] = _load(civic, civic=True, genes=["ALK"])
            print(f"curated + CIViC ALK graph {results['graph_civic_alk']}", flush=True)
            results["pages_civic_alk"] = measure(civic, warm_runs=8, cold_runs=0)
            FalkorServer(civic).stop()
            whole = Path(tmp) / "civic_all"
            results["graph_civic_all"] = _load(whole, civic=True)
            print(f"curated + whole CIViC release {results['graph_civic_all']}", flush=True)
            results["pages_civic_all"] = measure(whole, warm_runs=8, cold_runs=0)
            FalkorServer(whole).stop()
    slowest = max(v["warm"]["median_ms"] for v in results["pages"].values())
    results["budget_ms"] = 300
    results["within_budget"] = slowest <= 300
    out = write_result("app", results)
    print(f"wrote {out.relative_to(ROOT)}; slowest warm page median {slowest} ms")
    return results


if __name__ == "__main__":
    main()
