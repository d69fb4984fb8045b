"""Benchmark loading and querying at 10k, 100k and 1M edges (``make bench-scale``).

Run with ``make bench-scale`` or ``.venv/bin/python bench/bench_scale.py [--sizes 10k,100k]``.
Writes ``bench/results/scale.json``; ``bench/run_all.py --render`` then folds it into
``latest.json``, the README and the plot. Takes a long while at 1M (the build alone).

For each size: a synthetic CIViC release in the real schema's shape (`scale_data`: the real
release tiled, ids and gene symbols renamed per tile) is written, the graph is built with
the one build entry (`kg.build.build_graph`, curated data plus that release) and loaded into
a fresh embedded FalkorDB server (`FalkorStore.load`: ``GRAPH.BULK`` above 5,000 records,
fingerprint while streaming, every index built before the swap). Measured:

* ``load_s``: `FalkorStore.load`, wall clock (``load_cpu_s``: the CPU time this process
  spent in it, encoding and hashing; the server works on the other core);
* ``loader_peak_mb``: the memory the load adds to this process on top of the built graph it
  is handed (peak RSS during the load, reset at its start, minus the RSS at its start);
  ``process_peak_mb`` is the whole process's peak, build included;
* ``db_rss_mb``: the FalkorDB server's resident memory after the load;
* ``point_lookup_ratio``: ``21_node`` by id over ``RETURN 1``, interleaved on one connection
  (the larger of the p50 and p95 ratios);
* ``hop2_p95_ms``: distinct nodes two edges from the variant with most edges;
* ``path_p95_ms``: simple paths of 1-3 edges between ALK G1202R and lorlatinib (the peers' pair,
  from the curated data, so the same question at every size).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    CIVIC,
    DATA,
    ROOT,
    peak_mb,
    peak_reset,
    quiet,
    rss_mb,
    sample,
    stats,
    write_result,
)
from bench_core import point_lookup  # noqa: E402
from bench_peers import PATH_PAIR, Q_HOP2, Q_PATH, count_paths  # noqa: E402
from scale_data import genes_for, write_release  # noqa: E402

sys.path.insert(0, str(ROOT))
from kg.build import build_graph  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def measure(label: str, target: int, tmp: Path) -> dict:
    """Build, load and query one size; return its figures."""
    peak_reset()
    curated_edges = build_graph(DATA).graph.number_of_edges()
    tiles, genes = genes_for(CIVIC, target, curated_edges)
    release = tmp / f"civic_{label}"
    write_release(CIVIC, release, tiles)
    t = time.perf_counter()
    eg = build_graph(DATA, civic_dir=release, genes=genes)
    build_s = time.perf_counter() - t
    build_peak = peak_mb()
    n, e = eg.graph.number_of_nodes(), eg.graph.number_of_edges()
    print(f"  {label}: {tiles} tile(s), {len(genes)} genes -> {n:,} nodes, {e:,} edges "
          f"(built in {build_s:.1f} s)", flush=True)
    g = eg.graph
    hot = max((x for x, d in g.nodes(data=True) if d["label"] == "Variant"),
              key=lambda x: (g.degree(x), x))
    ids = random.Random(14).sample(sorted(g.nodes), 50)

    server = FalkorServer(tmp / f"db_{label}")
    store = FalkorStore(server, graph_name="scale")
    try:
        gc.collect()
        rss0 = rss_mb()
        peak_reset()
        t, cpu = time.perf_counter(), time.process_time()
        load = store.load(eg, method="bulk")
        load_s, load_cpu_s = time.perf_counter() - t, time.process_time() - cpu
        loader_peak = peak_mb() - rss0
        process_peak = max(peak_mb(), build_peak)
        db_rss = rss_mb(server.info()["pid"])
        pl = point_lookup(store, ids)
        hop2 = stats(sample(lambda: store.query(Q_HOP2, {"id": hot}), runs=100, budget_s=20),
                     digits=2)
        pp = {"v": PATH_PAIR[0], "d": PATH_PAIR[1]}
        path = stats(sample(lambda: store.query(Q_PATH, pp, timeout_ms=120_000), runs=50,
                            budget_s=30), digits=2)
        answers = {"hop2": store.query(Q_HOP2, {"id": hot}).rows[0][0],
                   "paths": count_paths(store, Q_PATH, pp, timeout_ms=120_000)}
    finally:
        store.close()
        server.stop()
    return {"nodes": n, "edges": e, "tiles": tiles, "genes": len(genes),
            "build_s": round(build_s, 1), "load_s": round(load_s, 2),
            "load_cpu_s": round(load_cpu_s, 2), "loadavg": round(os.getloadavg()[0], 1),
            "load_method": load["method"],
            "edges_per_s": round(e / load_s),
            "loader_peak_mb": round(loader_peak), "process_peak_mb": round(process_peak),
            "db_rss_mb": round(db_rss), "point_lookup_ratio": pl["ratio"],
            "point_lookup": pl, "hop2_centre": hot, "hop2": hop2,
            "hop2_p95_ms": hop2["p95_ms"], "path_pair": list(PATH_PAIR), "path": path,
            "path_p95_ms": path["p95_ms"], "answers": answers}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=",".join(SIZES))
    args = ap.parse_args(argv)
    quiet()
    out: dict = {"scale": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for label in args.sizes.split(","):
            out["scale"][label] = measure(label, SIZES[label], Path(tmp))
            print(f"  {label}: " + json.dumps({k: v for k, v in out["scale"][label].items()
                                               if not isinstance(v, dict)}), flush=True)
            gc.collect()
    write_result("scale", out)
    return out


if __name__ == "__main__":
    main()
