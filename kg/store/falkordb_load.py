"""Loading a graph into FalkorDB: a staging graph, swapped in atomically, then saved.

A load (`FalkorLoader.load`, a method of `kg.store.falkordb.FalkorStore`) goes into a staging
graph and replaces the served graph with one atomic ``RENAME`` only when complete, with its
indexes built; the graph's fingerprint and counts are written, and a snapshot to disk is
started, in the same ``MULTI`` (`FalkorServer.queue_snapshot`); the load returns once the
snapshot is on disk. Small graphs load through batched, parameterised Cypher (`kg.cypher`,
the statements Neo4j runs too); large ones (`BULK_MIN_RECORDS` and up) through ``GRAPH.BULK``
(`kg.store.falkordb_bulk`). Either way the fingerprint is hashed while the records stream.
"""

from __future__ import annotations

import gc
import json
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kg.schema.errors import StoreError
from kg.store.base import search_text as _search_text
from kg.store.falkordb_decode import decode_value

if TYPE_CHECKING:  # the loader's modules (networkx, the schema) load with the first load
    from kg.graph import EvidenceGraph
    from kg.store.falkordb_server import FalkorServer

__all__ = ["FalkorLoader", "BULK_MIN_RECORDS", "search_properties"]

BATCH = 500
#: Graphs with at least this many nodes + edges load through ``GRAPH.BULK``.
BULK_MIN_RECORDS = 5_000
#: How long a load waits for the server to finish building the new graph's indexes.
INDEX_WAIT_S = 600.0

Progress = Callable[[int, int], None]


class FalkorLoader:
    """Load a graph into the server of a `FalkorStore` (a mixin of it).

    Uses what `FalkorStore` has: ``server``, ``graph_name``, ``redis`` (its connection),
    ``port`` and ``_password`` (for the bulk sender), ``_meta_key`` and ``_write`` (one
    ``GRAPH.QUERY`` on a named graph).
    """

    server: FalkorServer
    graph_name: str
    redis: Any
    port: int
    _password: str
    _meta_key: str
    _write: Callable[..., Any]

    def load(self, eg: EvidenceGraph, *, method: str = "auto", progress: Progress | None = None,
             source_fingerprint: str | None = None) -> dict[str, Any]:
        """Build `eg` under a staging name, then swap it in with one atomic RENAME.

        The served graph stays untouched until the staging graph is complete and indexed; on
        any error the staging graph is deleted and the error re-raised as `StoreError`.

        Parameters
        ----------
        eg : EvidenceGraph
            A validated graph (from `kg.build.build_graph`).
        method : {'auto', 'bulk', 'cypher'}, optional
            ``bulk`` streams ``GRAPH.BULK`` (`kg.store.falkordb_bulk`), ``cypher`` sends
            batched ``UNWIND`` statements; ``auto`` (default) takes bulk from
            `BULK_MIN_RECORDS` nodes + edges on.
        progress : callable, optional
            ``progress(records_done, records_total)``, called as batches go out.
        source_fingerprint : str, optional
            A fingerprint of the sources the graph was built from, kept in `meta` (``kg build
            --if-changed`` compares it to skip an unneeded rebuild).

        Returns
        -------
        dict
            ``{nodes, edges, seconds, version, method}``.

        Raises
        ------
        StoreError
            Any failure while loading (or an unknown `method`); the served graph is unchanged.
        """
        from kg.cypher import index_statements

        if method not in ("auto", "bulk", "cypher"):
            raise StoreError(f"unknown load method {method!r}; use auto, bulk or cypher")
        t0 = time.perf_counter()
        n_records = eg.graph.number_of_nodes() + eg.graph.number_of_edges()
        bulk = method == "bulk" or (method == "auto" and n_records >= BULK_MIN_RECORDS)
        staging = f"{self.graph_name}__staging_{secrets.token_hex(4)}"
        counts = eg.counts()
        # The load allocates many short-lived objects and no cycles: with a large graph in
        # memory, the cyclic collector's full passes would only re-walk that graph.
        collecting = gc.isenabled()
        gc.disable()
        try:
            # Indexes first, on the empty staging graph: the server keeps them up to date as
            # records arrive, on its own core, while this process encodes the next batch.
            for stmt in index_statements():
                self._write(staging, stmt)
            for label in sorted(counts["nodes"]):
                self._write(staging, f"CALL db.idx.fulltext.createNodeIndex('{label}', 'name', "
                                     "'search_text')")
            if bulk:
                version = self._bulk_load(staging, eg, progress)
            else:
                version = self._cypher_load(staging, eg, progress)
            self._wait_for_indexes(staging)
            meta = {"version": version, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                   time.gmtime()),
                    "nodes": json.dumps(dict(counts["nodes"])),
                    "edges": json.dumps(dict(counts["edges"])),
                    "sources": json.dumps(eg.sources),
                    "load_method": "bulk" if bulk else "cypher"}
            if source_fingerprint:
                meta["source_fingerprint"] = source_fingerprint
            pipe = self.redis.pipeline(transaction=True)
            pipe.rename(staging, self.graph_name)
            pipe.delete(self._meta_key)
            pipe.hset(self._meta_key, mapping=meta)
            self.server.queue_snapshot(pipe)  # BGSAVE in the same MULTI as the RENAME
            replies = pipe.execute(raise_on_error=False)
            if isinstance(replies[0], Exception):
                raise replies[0]
        except Exception as exc:
            try:
                self.redis.delete(staging)
            except Exception:  # noqa: S110 - best effort cleanup, original error wins
                pass
            if isinstance(exc, StoreError) and str(exc).startswith("loading into FalkorDB"):
                raise
            raise StoreError(self._load_failed(exc)) from exc
        finally:
            if collecting:
                gc.enable()
        self.server.wait_snapshot(self.redis, replies[-2:], graphs={self.graph_name: version})
        return {"nodes": eg.graph.number_of_nodes(), "edges": eg.graph.number_of_edges(),
                "seconds": round(time.perf_counter() - t0, 3), "version": version,
                "method": "bulk" if bulk else "cypher"}

    def _load_failed(self, exc: Exception) -> str:
        """Say truthfully what is served after a load failed before its swap."""
        import redis

        if isinstance(exc, redis.ConnectionError) or self.server.info() is None:
            return (f"loading into FalkorDB failed: the server went away ({exc}); nothing was "
                    f"swapped, and its next start serves the saved snapshot: "
                    f"{self.server.describe_saved(self.graph_name)}")
        return f"loading into FalkorDB failed; the served graph is unchanged: {exc}"

    def _cypher_load(self, graph: str, eg: EvidenceGraph, progress: Progress | None) -> str:
        """Batched ``UNWIND`` statements; return the fingerprint hashed on the way."""
        import hashlib

        from kg.cypher import edge_load_statement, node_load_statement
        from kg.graph import edge_line, node_line

        h = hashlib.sha256()
        total = eg.graph.number_of_nodes() + eg.graph.number_of_edges()
        by_label: dict[str, list[dict[str, Any]]] = {}
        labels: dict[str, str] = {}
        for n in eg.nodes():
            h.update(node_line(n).encode())
            labels[n.id] = n.label
            props = {**n.props, **search_properties(n.props)}
            by_label.setdefault(n.label, []).append({"id": n.id, "props": props})
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for e in eg.edges():
            h.update(edge_line(e).encode())
            groups.setdefault((e.type, labels[e.source], labels[e.target]), []).append(
                {"id": e.id, "source": e.source, "target": e.target, "props": e.props})
        done = 0
        for label, rows in sorted(by_label.items()):
            stmt = node_load_statement(label)
            for i in range(0, len(rows), BATCH):
                self._write(graph, stmt, {"rows": rows[i:i + BATCH]})
                done += len(rows[i:i + BATCH])
                if progress is not None:
                    progress(done, total)
        for (rtype, s, t), rows in sorted(groups.items()):
            stmt = edge_load_statement(rtype, s, t)
            for i in range(0, len(rows), BATCH):
                self._write(graph, stmt, {"rows": rows[i:i + BATCH]})
                done += len(rows[i:i + BATCH])
                if progress is not None:
                    progress(done, total)
        return h.hexdigest()[:12]

    def _bulk_load(self, graph: str, eg: EvidenceGraph, progress: Progress | None) -> str:
        import redis

        from kg.store.falkordb_bulk import bulk_load

        sender = redis.Redis(host="127.0.0.1", port=self.port, password=self._password,
                             decode_responses=True)
        try:
            return bulk_load(sender, graph, eg, progress=progress, extra=search_properties,
                             begin=False)
        finally:
            sender.close()

    def _wait_for_indexes(self, graph: str, *, timeout_s: float = INDEX_WAIT_S) -> None:
        """Return once every index of `graph` is operational (the server builds them async)."""
        deadline = time.monotonic() + timeout_s
        delay = 0.005
        while True:
            reply = self.redis.execute_command(
                "GRAPH.RO_QUERY", graph, "CALL db.indexes() YIELD label, status "
                "RETURN label, status", "--compact")
            pending = [decode_value(row[0]) for row in reply[1]
                       if decode_value(row[1]) != "OPERATIONAL"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise StoreError(f"the indexes of {', '.join(pending)} were not built within "
                                 f"{timeout_s:.0f} s")
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def search_properties(props: dict[str, Any]) -> dict[str, str]:
    """Return the properties the loader adds to a node for search.

    ``search_text`` joins the node's names, synonyms, HGVS, title, statement, quote ... (the
    full-text indexes cover it, and search snippets quote it); ``search_lower`` is its lower
    case, which the portable ``queries/25_find_nodes.cypher`` scans without lower-casing
    every node on every query.

    Parameters
    ----------
    props : dict
        The properties of a node about to be loaded.

    Returns
    -------
    dict
        ``{"search_text": ..., "search_lower": ...}`` (empty strings for an empty dict).

    Examples
    --------
    >>> search_properties({"name": "Alectinib", "synonyms": ["Alecensa"]})
    {'search_text': 'Alectinib | Alecensa', 'search_lower': 'alectinib | alecensa'}
    """
    text = _search_text(props)
    return {"search_text": text, "search_lower": text.lower()}
