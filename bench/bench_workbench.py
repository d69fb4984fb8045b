"""Benchmark the informaticians' workbench: CLI start-up, SPARQL, pages during runaway queries.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python bench/bench_workbench.py``.
Writes ``bench/results/workbench.json``. Wall-clock times on whatever machine runs it; other
work on the machine shows in them (the JSON records the load average).

* ``cli_query_return_1``: ``python -m kg query "RETURN 1"`` as a subprocess against a running
  server with the curated graph (target: at most 250 ms); also the number of modules it
  imports and whether ``ingest``/``networkx`` are among them (they must not be).
* ``sparql``: ``python -m kg sparql 51_resistance_to_drug`` on curated + the whole CIViC
  release, the first call (the RDF store of the served graph is built) and the calls after
  (target: at most 1 s, against 18 s before); in process: opening the kept store, and one
  query (Oxigraph parses its text on every call: the parse is part of this figure).
* ``runaway``: page queries (the named queries a click runs, on the pages' connection) while
  two console queries run away (a cartesian product, each stopped by the 10 s maximum
  timeout, on the console's connection); p95 target at most 250 ms. The same page queries
  with nothing else running give the baseline. The two whole-graph queries the pages run
  once per graph version (search pickers, resistance matrix; cached afterwards) are
  reported apart, idle and during the runaways.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import stats  # noqa: E402 - bench/ is on sys.path when a script runs

from kg.build import build_graph  # noqa: E402
from kg.queries import list_queries, load_query  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402
from kg.store.falkordb_server import THREAD_COUNT, TIMEOUT_MAX_MS  # noqa: E402

OUT = ROOT / "bench" / "results" / "workbench.json"
CIVIC = ROOT / "data" / "civic" / "01-Aug-2024"  # shipped in the repository
#: What a click in the browser runs against the store: the named queries behind the entity,
#: graph and trial pages, with the values a page passes (None: the file's example values).
PAGE_QUERIES = [
    ("20_label_counts", {}),
    ("21_node", {"id": "drug:alectinib"}),
    ("22_claims", None),
    ("23_neighbours", {"ids": ["drug:alectinib"]}),
    ("24_trial_arms", None),
    ("27_outcomes", None),
    ("30_civic_evidence_for_variant", None),
]
#: Whole-graph queries the pages run once per graph version (then cached): reported apart.
WHOLE_GRAPH_QUERIES = [
    ("25_find_nodes", {"labels": ["Drug", "Variant"], "terms": [], "limit": 5000}),
    ("26_resistance_matrix", None),
]
RUNAWAY = "MATCH (a), (b) WITH a, b WHERE a.id < b.id RETURN count(*) AS n"


def _kg(sd: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "kg", "--state-dir", str(sd), *args],
                       capture_output=True, text=True, cwd=ROOT, check=False)
    took = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"kg {' '.join(args)} failed: {r.stderr}")
    return took, r


def cli_start(sd: Path, runs: int = 20) -> dict:
    for _ in range(3):
        _kg(sd, "query", "RETURN 1")
    samples = [_kg(sd, "query", "RETURN 1")[0] for _ in range(runs)]
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, runpy; sys.argv = ['kg', '--state-dir', "
         f"{str(sd)!r}, 'query', 'RETURN 1']\ntry:\n runpy.run_module('kg', run_name="
         "'__main__')\nexcept SystemExit:\n pass\nprint(len(sys.modules), 'ingest' in "
         "sys.modules, 'networkx' in sys.modules, file=sys.stderr)"],
        capture_output=True, text=True, cwd=ROOT, check=True)
    n_modules, has_ingest, has_nx = probe.stderr.split()[-3:]
    return {**stats(samples), "best_ms": round(min(samples) * 1000, 1), "target_ms": 250,
            "modules_imported": int(n_modules), "imports_ingest": has_ingest == "True",
            "imports_networkx": has_nx == "True"}


def sparql(sd: Path, runs: int = 5) -> dict:
    first, _ = _kg(sd, "sparql", "51_resistance_to_drug", "--format", "json")
    later = [_kg(sd, "sparql", "51_resistance_to_drug", "--format", "json")[0]
             for _ in range(runs)]
    import pyoxigraph as ox

    from kg.sparql import select

    store = FalkorStore(FalkorServer(sd))
    path = sd / "sparql" / store.graph_version()
    store.close()
    opens, queries = [], []
    q = list_queries(language="sparql")[0]
    for _ in range(runs):
        t = time.perf_counter()
        rdf = ox.Store.read_only(str(path))
        opens.append(time.perf_counter() - t)
        t = time.perf_counter()
        _, rows = select(rdf, q.text, q.example_params())
        queries.append(time.perf_counter() - t)
        del rdf
    triples = sum(1 for _ in ox.Store.read_only(str(path)))
    # what the first call spends, phase by phase, in process
    from kg.exports import served_graph
    from kg.sparql import build_store, ntriples

    store = FalkorStore(FalkorServer(sd))
    t = time.perf_counter()
    eg = served_graph(store)
    read_s = time.perf_counter() - t
    store.close()
    t = time.perf_counter()
    text = ntriples(eg)
    map_s = time.perf_counter() - t
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        del text
        build_store(eg, Path(tmp) / "rdf")
    build_s = time.perf_counter() - t
    return {"first_call": stats([first]), "later_calls": stats(later), "target_ms": 1000,
            "first_call_phases_s": {"read_served_graph": round(read_s, 2),
                                    "map_to_ntriples": round(map_s, 2),
                                    "map_and_bulk_load": round(build_s, 2)},
            "open_kept_store": stats(opens), f"query_{q.name}_in_process": stats(queries),
            "rows": len(rows), "triples": triples}


def _page_run(store: FalkorStore, seconds: float,
              queries: list = PAGE_QUERIES) -> list[float]:  # noqa: B006 - read only
    texts = [(load_query(n).text, p if p is not None else load_query(n).example_params())
             for n, p in queries]
    samples: list[float] = []
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        text, params = texts[i % len(texts)]
        t = time.perf_counter()
        store.query(text, params)
        samples.append(time.perf_counter() - t)
        i += 1
    return samples


def runaway(server: FalkorServer, seconds: float = 25.0) -> dict:
    from kg.schema.errors import QueryError
    from kg.views import workbench as W

    page = FalkorStore(server)
    console = W.console_store(server.state_dir)
    idle = _page_run(page, 8.0)
    idle_whole = _page_run(page, 6.0, WHOLE_GRAPH_QUERIES)
    stop = threading.Event()
    counts = {"stopped_by_timeout": 0, "finished": 0, "other_errors": 0}

    def run_away() -> None:
        while not stop.is_set():
            try:
                W.run_cypher(console, RUNAWAY, timeout_ms=TIMEOUT_MAX_MS)
                counts["finished"] += 1
            except QueryError as exc:
                key = "stopped_by_timeout" if "timed out" in str(exc) else "other_errors"
                counts[key] += 1

    threads = [threading.Thread(target=run_away) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # both are running
    busy = _page_run(page, seconds)
    busy_whole = _page_run(page, 8.0, WHOLE_GRAPH_QUERIES)
    stop.set()
    for t in threads:
        t.join()
    page.close()
    console.close()
    return {"page_queries_idle": stats(idle), "page_queries_during_two_runaways": stats(busy),
            "target_p95_ms": 250, "page_queries": [n for n, _ in PAGE_QUERIES],
            "whole_graph_queries_idle": stats(idle_whole),
            "whole_graph_queries_during_two_runaways": stats(busy_whole),
            "whole_graph_queries": [n for n, _ in WHOLE_GRAPH_QUERIES],
            "runaway_query": RUNAWAY, "runaways": counts,
            "thread_count": THREAD_COUNT, "timeout_max_ms": TIMEOUT_MAX_MS}


def main() -> dict:
    results: dict = {"machine": f"{platform.node()} {platform.machine()} "
                                f"Python {platform.python_version()}",
                     "date": time.strftime("%Y-%m-%d"),
                     "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory() as tmp:
        curated = FalkorServer(Path(tmp) / "curated")
        s = FalkorStore(curated)
        s.load(build_graph(ROOT / "data"))
        s.close()
        results["cli_query_return_1"] = cli_start(curated.state_dir)
        curated.stop()
        if CIVIC.is_dir():
            server = FalkorServer(Path(tmp) / "civic")
            s = FalkorStore(server)
            eg = build_graph(ROOT / "data", civic_dir=CIVIC)
            s.load(eg)
            s.close()
            results["graph"] = {"nodes": eg.graph.number_of_nodes(),
                                "edges": eg.graph.number_of_edges()}
            results["sparql_curated_civic"] = sparql(server.state_dir)
            results["runaway_curated_civic"] = runaway(server)
            server.stop()
        else:
            results["skipped"] = f"no CIViC release at {CIVIC}: sparql and runaway not run"
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
