"""Benchmark the CIViC import: the bare TSV parse against the whole release loaded.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python bench/bench_civic.py
[RELEASE_DIR] [--repeat N]``. Reads the 01-Aug-2024 release shipped in ``data/civic/`` and
writes ``bench/results/civic.json``. Measured, each `--repeat` times in the same process:

* ``parse``: `ingest.civic.read_release` -- decode, parse and check the TSV files (header,
  row shapes, ids, typed fields, cross-file references); no records;
* ``build``: `kg.build.build_graph` with the release -- curated data plus every CIViC gene
  mapped to records, assembled and validated, conflict flags derived (stages of the last run
  in ``stages``);
* ``load``: `FalkorStore.load` of that graph (``GRAPH.BULK``, fingerprint while streaming,
  every index built, atomic swap);
* ``end_to_end`` = build + load: what ``python -m kg build --civic DIR`` does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CIVIC, DATA, ROOT, quiet, stats, write_result  # noqa: E402

sys.path.insert(0, str(ROOT))
from ingest.civic import read_release  # noqa: E402
from kg.build import build_graph  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402


def main(argv: list[str] | None = None) -> dict:
    """Time parse, build and load of a whole release; write and return the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("release", nargs="?", default=str(CIVIC))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    release = Path(args.release)
    quiet()

    parse: list[float] = []
    for _ in range(max(args.repeat, 5)):
        t = time.perf_counter()
        rel = read_release(release)
        parse.append(time.perf_counter() - t)
    rows = {k: len(t.rows) for k, t in rel.tables.items()}

    build, load, both = [], [], []
    stages: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = FalkorServer(Path(tmp) / "falkordb")
        server.start()
        store = FalkorStore(server, graph_name="bench_civic")
        try:
            for _ in range(args.repeat):
                timings: dict[str, float] = {}
                t0 = time.perf_counter()
                eg = build_graph(DATA, civic_dir=release, timings=timings)
                t1 = time.perf_counter()
                load_stats = store.load(eg)
                t2 = time.perf_counter()
                build.append(t1 - t0)
                load.append(t2 - t1)
                both.append(t2 - t0)
                stages = {"read_and_map_all_sources_s": round(timings["collect_s"], 3),
                          "assemble_and_validate_s": round(timings["assemble_s"], 3),
                          "conflict_flags_s": round(timings["derive_s"], 3),
                          "falkordb_load_s": round(t2 - t1, 3)}
            loaded = store.query("MATCH (c:Claim {source: 'civic'}) RETURN count(c) AS n").rows
        finally:
            store.redis.delete(store.graph_name, f"{store.graph_name}:meta")
            store.close()
            server.stop()
    counts = eg.counts()
    out = {
        "release": rel.release,
        "rows": rows,
        "parse": stats(parse, digits=1),
        "build": stats(build, digits=1),
        "load": stats(load, digits=1),
        "end_to_end": stats(both, digits=1),
        "load_method": load_stats["method"],
        "stages_last_run": stages,
        "graph": {"nodes": load_stats["nodes"], "edges": load_stats["edges"],
                  "civic_claims_in_store": loaded[0][0],
                  "conflicts": counts["nodes"].get("Conflict", 0)},
    }
    write_result("civic", out)
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
