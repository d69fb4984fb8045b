"""Benchmark the CIViC import: parsing the release alone, and the full load, in one run.

Run with ``make bench`` (all benchmarks) or ``.venv/bin/python bench/bench_civic.py
[RELEASE_DIR] [--repeat N]``. Reads the 01-Aug-2024 release shipped in ``data/civic/``
beside the repository by default (it is never copied into the repository) and writes
``bench/results/civic.json``.

Measured, each `--repeat` times in the same process:

* ``parse_tsv_only``: `ingest.civic.read_release` - decode, parse and check the five TSV files
  (header check, row shapes, ids, typed fields, cross-file references); no records.
* ``full_load``: what ``python -m kg build --civic DIR`` does - read the curated data and the
  whole release (every gene), map to records, assemble and validate the graph, add conflict
  flags, and load it into a fresh embedded FalkorDB graph (batches of 500, atomic swap).
  Its stages (``stages``) are reported for the last run.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import stats  # noqa: E402 - bench/ is on sys.path when a script runs

from ingest.civic import read_release  # noqa: E402
from kg.build import build_graph  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402

OUT = ROOT / "bench" / "results" / "civic.json"
DEFAULT_RELEASE = ROOT / "data" / "civic" / "01-Aug-2024"


def main(argv: list[str] | None = None) -> dict:
    """Time parse-only and full load of a whole release; write and return the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("release", nargs="?", default=str(DEFAULT_RELEASE))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    release = Path(args.release)

    parse: list[float] = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        rel = read_release(release)
        parse.append(time.perf_counter() - t)
    rows = {k: len(t.rows) for k, t in rel.tables.items()}

    full: list[float] = []
    stages: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = FalkorServer(Path(tmp) / "falkordb")
        server.start()
        store = FalkorStore(server, graph_name="bench_civic")
        try:
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                timings: dict[str, float] = {}
                eg = build_graph(ROOT / "data", civic_dir=release, timings=timings)
                t3 = time.perf_counter()
                load_stats = store.load(eg)
                t4 = time.perf_counter()
                full.append(t4 - t0)
                stages = {"read_and_map_all_sources_s": round(timings["collect_s"], 3),
                          "assemble_and_validate_s": round(timings["assemble_s"], 3),
                          "conflict_flags_s": round(timings["derive_s"], 3),
                          "falkordb_load_s": round(t4 - t3, 3)}
            loaded = store.query("MATCH (c:Claim {source: 'civic'}) RETURN count(c) AS n").rows
        finally:
            store.redis.delete(store.graph_name, f"{store.graph_name}:meta")
            store.close()
            server.stop()
    counts = eg.counts()
    results = {
        "machine": f"{platform.node()} {platform.machine()} Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "release": rel.release,
        "rows": rows,
        "parse_tsv_only": stats(parse),
        "full_load": stats(full),
        "stages_last_run": stages,
        "graph": {"nodes": load_stats["nodes"], "edges": load_stats["edges"],
                  "civic_claims_in_store": loaded[0][0],
                  "conflicts": counts["nodes"].get("Conflict", 0)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
