"""The embedded default store: a real FalkorDB server started by our code.

The server's life cycle (`FalkorServer`: start, reuse, stop) is in
`kg.store.falkordb_server`; it is re-exported here.

`FalkorStore` talks to it with the ``falkordb`` client. A load goes into a staging graph and
replaces the served graph with one atomic ``RENAME`` only when complete; the graph's
fingerprint and counts are written in the same ``MULTI``. Read queries go through
``GRAPH.RO_QUERY`` with a timeout.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import TYPE_CHECKING, Any

from kg.schema.errors import QueryError, ReadOnlyViolation, StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS, QueryResult, server_error
from kg.store.base import search_text as _search_text
from kg.store.falkordb_server import (
    DEFAULT_STATE_DIR,
    PROJECT_ROOT,
    QUERY_MEM_CAPACITY_MB,
    TIMEOUT_MAX_MS,
    FalkorServer,
)
from kg.store.guard import check_read_only

if TYPE_CHECKING:  # the schema-generated Cypher and networkx load with `load`, not at import
    from kg.graph import EvidenceGraph

__all__ = ["FalkorServer", "FalkorStore", "DEFAULT_STATE_DIR", "GRAPH_NAME", "PROJECT_ROOT"]

GRAPH_NAME = "alk_kg"
BATCH = 500


class FalkorStore:
    """The `GraphStore` over an embedded (or any reachable) FalkorDB server.

    Parameters
    ----------
    server : FalkorServer, optional
        Started (or reused) on construction; defaults to the project's state dir.
    graph_name : str, optional
        The served graph's key.

    Examples
    --------
    >>> other = FalkorStore(store.server)  # a second client of a running server
    >>> other.query("RETURN 1 AS one").rows
    [[1]]
    >>> other.graph_version() == store.graph_version()
    True
    """

    name = "falkordb"

    def __init__(self, server: FalkorServer | None = None, *, graph_name: str = GRAPH_NAME) -> None:
        from falkordb import FalkorDB

        self.server = server or FalkorServer()
        conn = self.server.start()
        self.port = conn["port"]
        self.graph_name = graph_name
        self.db = FalkorDB(host="127.0.0.1", port=conn["port"], password=conn["password"])
        self.redis = self.db.connection

    # -- loading ---------------------------------------------------------------------------
    def load(self, eg: EvidenceGraph) -> dict[str, Any]:
        """Build `eg` under a staging name, then swap it in with one atomic RENAME.

        The served graph stays untouched until the staging graph is complete; on any error
        the staging graph is deleted and the error re-raised as `StoreError`.

        Parameters
        ----------
        eg : EvidenceGraph
            A validated graph (from `kg.build.build_graph`).

        Returns
        -------
        dict
            ``{nodes, edges, seconds, version}``.

        Raises
        ------
        StoreError
            Any failure while loading; the served graph is unchanged.
        """
        from kg.cypher import edge_load_statement, index_statements, node_load_statement

        t0 = time.perf_counter()
        staging = f"{self.graph_name}__staging_{secrets.token_hex(4)}"
        g = self.db.select_graph(staging)
        version = eg.fingerprint()
        counts = eg.counts()
        try:
            for stmt in index_statements():
                g.query(stmt)
            by_label: dict[str, list[dict[str, Any]]] = {}
            for n in eg.nodes():
                props = dict(n.props)
                props["search_text"] = _search_text(props)
                by_label.setdefault(n.label, []).append({"id": n.id, "props": props})
            for label, rows in sorted(by_label.items()):
                stmt = node_load_statement(label)
                for i in range(0, len(rows), BATCH):
                    g.query(stmt, {"rows": rows[i:i + BATCH]}, timeout=TIMEOUT_MAX_MS)
            labels = {nid: d["label"] for nid, d in eg.graph.nodes(data=True)}
            groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
            for e in eg.edges():
                key = (e.type, labels[e.source], labels[e.target])
                groups.setdefault(key, []).append(
                    {"id": e.id, "source": e.source, "target": e.target, "props": e.props})
            for (rtype, s, t), rows in sorted(groups.items()):
                stmt = edge_load_statement(rtype, s, t)
                for i in range(0, len(rows), BATCH):
                    g.query(stmt, {"rows": rows[i:i + BATCH]}, timeout=TIMEOUT_MAX_MS)
            self._create_fulltext(g, sorted(by_label))
            meta = {"version": version, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                   time.gmtime()),
                    "nodes": json.dumps(dict(counts["nodes"])),
                    "edges": json.dumps(dict(counts["edges"])),
                    "sources": json.dumps(eg.sources)}
            pipe = self.redis.pipeline(transaction=True)
            pipe.rename(staging, self.graph_name)
            pipe.delete(self._meta_key)
            pipe.hset(self._meta_key, mapping=meta)
            pipe.execute()
        except Exception as exc:
            try:
                self.redis.delete(staging)
            except Exception:  # noqa: S110 - best effort cleanup, original error wins
                pass
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"loading into FalkorDB failed; the served graph is unchanged: "
                             f"{exc}") from exc
        return {"nodes": eg.graph.number_of_nodes(), "edges": eg.graph.number_of_edges(),
                "seconds": round(time.perf_counter() - t0, 3), "version": version}

    @staticmethod
    def _create_fulltext(g: Any, labels: list[str]) -> None:
        for label in labels:
            g.query(f"CALL db.idx.fulltext.createNodeIndex('{label}', 'name', 'search_text')")

    @property
    def _meta_key(self) -> str:
        return f"{self.graph_name}:meta"

    # -- reading ---------------------------------------------------------------------------
    def graph_version(self) -> str:
        """Return the served graph's fingerprint, '' when nothing is loaded."""
        v = self.redis.hget(self._meta_key, "version")
        return v.decode() if isinstance(v, bytes) else (v or "")

    def meta(self) -> dict[str, Any]:
        """Return what the last load recorded: version, built_at, counts, sources."""
        raw = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes)
               else v for k, v in self.redis.hgetall(self._meta_key).items()}
        for k in ("nodes", "edges", "sources"):
            if k in raw:
                raw[k] = json.loads(raw[k])
        return raw

    def query(self, cypher: str, params: dict[str, Any] | None = None, *,
              read_only: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> QueryResult:
        """Run Cypher on the served graph.

        Parameters
        ----------
        cypher : str
            openCypher text; values go in `params`.
        params : dict, optional
            Query parameters.
        read_only : bool, optional
            True (default) sends ``GRAPH.RO_QUERY``; a write is refused before it is sent.
        timeout_ms : int, optional
            Server-side timeout.

        Returns
        -------
        QueryResult

        Raises
        ------
        ReadOnlyViolation
            Refused by the read-only guard (`kg.store.guard`) or by the server.
        QueryError
            Syntax error (`QuerySyntaxError`, with line and column), timeout
            (`QueryTimeout`), the server's memory cap (`QueryMemoryLimit`), unknown function,
            or no graph loaded.
        """
        if read_only:
            check_read_only(cypher)
        import redis

        g = self.db.select_graph(self.graph_name)
        try:
            if read_only:
                res = g.ro_query(cypher, params, timeout=timeout_ms)
            else:
                res = g.query(cypher, params, timeout=timeout_ms)
        except redis.ResponseError as exc:
            msg = str(exc)
            if "read-only" in msg.lower() or "is to be executed only on read-only" in msg:
                raise ReadOnlyViolation(f"refused by the server (read-only): {msg}") from exc
            raise server_error(msg, cypher, timeout_ms=timeout_ms,
                               memory_cap_mb=QUERY_MEM_CAPACITY_MB) from exc
        except redis.RedisError as exc:
            raise QueryError(f"FalkorDB error: {exc}") from exc
        columns = [h[1] if isinstance(h, list | tuple) else str(h) for h in (res.header or [])]
        columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
        rows = [[_plain(v) for v in row] for row in res.result_set]
        return QueryResult(columns, rows, elapsed_ms=res.run_time_ms)

    def close(self) -> None:
        """Close the client connection (the server keeps running; see `FalkorServer.stop`)."""
        try:
            self.redis.close()
        except Exception:  # noqa: S110
            pass


def _plain(value: Any) -> Any:
    """Turn client objects (Node, Edge, Path) into plain dicts for display and JSON."""
    from falkordb import Edge, Node, Path

    if isinstance(value, Node):
        return {"id": value.properties.get("id"), "labels": list(value.labels or []),
                "properties": dict(value.properties), "element_id": value.id}
    if isinstance(value, Edge):
        return {"type": value.relation, "properties": dict(value.properties),
                "element_id": value.id, "start": value.src_node, "end": value.dest_node}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes()],
                "edges": [_plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
