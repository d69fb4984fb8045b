"""The kuzu side of ``bench/bench_peers.py``; runs in its own virtualenv (bench/.venv-kuzu).

Usage: ``bench/.venv-kuzu/bin/python bench/peer_kuzu.py SPEC.json``. SPEC names the node and
edge CSV files (``id,label,name`` / ``from,to,type,id``), the ids to look up, the 2-hop
centre and the path's two ends. kuzu is embedded: one node table ``Node`` keyed by ``id``
(its primary-key index) and one relationship table ``Rel``, loaded with ``COPY FROM``; paths
are counted as simple paths (``ACYCLIC``: no node twice), as FalkorDB's side counts them.

After loading it prints one JSON line (load time, counts), then answers commands on
standard input, one JSON object a line: ``{"q": "lookup"|"hop2"|"path", "runs": N}`` prints
``{"samples": [seconds ...], "answer": ...}``; an empty line ends it. So the caller can
interleave kuzu's runs with FalkorDB's, and both see the same load on a shared machine.
This file imports nothing of the project (it runs with kuzu's interpreter only).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

QUERIES = {
    "lookup": "MATCH (n:Node {id: $id}) RETURN n.id, n.name",
    "hop2": "MATCH (v:Node {id: $id})-[:Rel]-(m:Node)-[:Rel]-(x:Node) WHERE x <> v "
            "RETURN count(DISTINCT x)",
    "path": "MATCH p = (v:Node {id: $v})-[:Rel* 1..3]-(d:Node {id: $d}) WHERE is_acyclic(p) "
            "RETURN count(*)",
}


def serve(spec_path: str) -> None:
    import kuzu

    spec = json.loads(Path(spec_path).read_text())
    params = {"lookup": [{"id": i} for i in spec["lookup_ids"]],
              "hop2": [{"id": spec["hop2_id"]}],
              "path": [{"v": spec["path"][0], "d": spec["path"][1]}]}
    turn = dict.fromkeys(params, 0)
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
        for q, text in QUERIES.items():  # warm up
            conn.execute(text, params[q][0]).get_all()
        print(json.dumps({"version": kuzu.__version__, "load_s": round(load_s, 3),
                          "nodes": n_nodes, "edges": n_edges}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                break
            cmd = json.loads(line)
            q, out, answer = cmd["q"], [], None
            for _ in range(cmd["runs"]):
                p = params[q][turn[q] % len(params[q])]
                turn[q] += 1
                t = time.perf_counter()
                answer = conn.execute(QUERIES[q], p).get_all()
                out.append(time.perf_counter() - t)
            print(json.dumps({"samples": out, "answer": answer[0][0] if q != "lookup"
                              else len(answer)}), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])
