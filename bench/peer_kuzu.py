"""The kuzu side of ``bench/bench_peers.py``; runs in its own virtualenv (bench/.venv-kuzu).

Usage: ``bench/.venv-kuzu/bin/python bench/peer_kuzu.py SPEC.json`` prints one JSON object.
SPEC names the node and edge CSV files (``id,label,name`` / ``src,dst,type,id``), the ids
to look up, the 2-hop centre, the path's two ends and how many runs. kuzu is embedded: one
node table ``Node`` keyed by ``id`` (its primary-key index) and one relationship table
``Rel``, loaded with ``COPY FROM``; paths use TRAIL semantics (no edge twice), as Cypher's.
This file imports nothing of the project (it runs with kuzu's interpreter only).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _stats(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"median_ms": round(statistics.median(s) * 1000, 3),
            "p95_ms": round(s[min(len(s) - 1, round(0.95 * (len(s) - 1)))] * 1000, 3),
            "n": len(s)}


def main(spec_path: str) -> dict:
    import kuzu

    spec = json.loads(Path(spec_path).read_text())
    with tempfile.TemporaryDirectory() as tmp:
        db = kuzu.Database(str(Path(tmp) / "db"))
        conn = kuzu.Connection(db)
        t0 = time.perf_counter()
        conn.execute("CREATE NODE TABLE Node(id STRING PRIMARY KEY, label STRING, name STRING)")
        conn.execute("CREATE REL TABLE Rel(FROM Node TO Node, type STRING, id STRING)")
        conn.execute(f"COPY Node FROM '{spec['nodes']}' (HEADER=true)")
        conn.execute(f"COPY Rel FROM '{spec['edges']}' (HEADER=true)")
        load_s = time.perf_counter() - t0
        n_nodes = conn.execute("MATCH (n:Node) RETURN count(n)").get_all()[0][0]
        n_edges = conn.execute("MATCH ()-[r:Rel]->() RETURN count(r)").get_all()[0][0]

        def timed(query: str, params_list: list[dict], runs: int) -> tuple[list[float], list]:
            for p in params_list[:2]:
                conn.execute(query, p).get_all()
            out, answer = [], None
            for i in range(runs):
                p = params_list[i % len(params_list)]
                t = time.perf_counter()
                answer = conn.execute(query, p).get_all()
                out.append(time.perf_counter() - t)
            return out, answer

        lookup, _ = timed("MATCH (n:Node {id: $id}) RETURN n.id, n.name",
                          [{"id": i} for i in spec["lookup_ids"]], spec["runs"])
        hop2, hop2_answer = timed(
            "MATCH (v:Node {id: $id})-[:Rel]-(m:Node)-[:Rel]-(x:Node) WHERE x.id <> $id "
            "RETURN count(DISTINCT x.id)", [{"id": spec["hop2_id"]}], spec["runs_slow"])
        path, path_answer = timed(
            "MATCH p = (v:Node {id: $v})-[:Rel* TRAIL 1..3]-(d:Node {id: $d}) "
            "RETURN count(*)", [{"v": spec["path"][0], "d": spec["path"][1]}],
            spec["runs_slow"])
    return {"version": kuzu.__version__, "load_s": round(load_s, 3),
            "nodes": n_nodes, "edges": n_edges,
            "lookup": _stats(lookup), "hop2": _stats(hop2), "hop2_answer": hop2_answer[0][0],
            "path": _stats(path), "path_answer": path_answer[0][0]}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
