"""The embedded default store: a real FalkorDB server started by our code.

The server's life cycle (`FalkorServer`: start, reuse, stop) is in
`kg.store.falkordb_server`; it is re-exported here.

`FalkorStore` talks to it over one Redis connection (``hiredis`` parses the replies). A load
goes into a staging graph and replaces the served graph with one atomic ``RENAME`` only when
complete, with its indexes built; the graph's fingerprint and counts are written, and a
snapshot to disk is started, in the same ``MULTI`` (`FalkorServer.queue_snapshot`); the load
returns once the snapshot is on disk. A read that loses its connection (the server was killed
or restarted on another port) re-reads the server state, starts the server again from its
snapshot if it is gone, reconnects once and retries; if that fails too it raises a
`StoreError` saying what happened and what to run. Small graphs load through batched,
parameterised Cypher (`kg.cypher`, the statements Neo4j runs too); large ones
(`BULK_MIN_RECORDS` and up) through ``GRAPH.BULK`` (`kg.store.falkordb_bulk`). Either way
the fingerprint is hashed while the records stream.
Read queries go through ``GRAPH.RO_QUERY`` with a timeout; their compact replies are decoded
to plain Python values in one pass (`kg.store.falkordb_decode`, shared with the quick reader
`kg.store.falkordb_resp`; `decode_value` is re-exported here).
"""

from __future__ import annotations

import contextlib
import gc
import json
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from kg.schema.errors import QueryError, StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS, QueryResult, check_query_shape
from kg.store.base import search_text as _search_text
from kg.store.falkordb_decode import (
    GraphNames,
    decode_meta,
    decode_reply,
    decode_value,
    meta_key,
    query_failure,
    text_of,
)
from kg.store.falkordb_server import DEFAULT_STATE_DIR, PROJECT_ROOT, TIMEOUT_MAX_MS, FalkorServer
from kg.store.guard import check_read_only

if TYPE_CHECKING:  # the loader's modules (networkx, the schema) load with the first load
    from kg.graph import EvidenceGraph

__all__ = ["FalkorServer", "FalkorStore", "DEFAULT_STATE_DIR", "GRAPH_NAME", "PROJECT_ROOT",
           "BULK_MIN_RECORDS", "decode_value", "search_properties"]

GRAPH_NAME = "alk_kg"
BATCH = 500
#: Graphs with at least this many nodes + edges load through ``GRAPH.BULK``.
BULK_MIN_RECORDS = 5_000
#: How long a load waits for the server to finish building the new graph's indexes.
INDEX_WAIT_S = 600.0

Progress = Callable[[int, int], None]
T = TypeVar("T")


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
        self.server = server or FalkorServer()
        self.graph_name = graph_name
        self._connect(self.server.start())

    def _connect(self, conn: dict[str, Any]) -> None:
        from falkordb import FalkorDB

        self.port = conn["port"]
        self._password = conn["password"]
        self.db = FalkorDB(host="127.0.0.1", port=conn["port"], password=conn["password"])
        self.redis = self.db.connection

    def _healing(self, fn: Callable[[], T]) -> T:
        """Run a read; on a lost connection reconnect once (restarting the server) and retry."""
        import redis

        try:
            return fn()
        except redis.ConnectionError:
            pass
        try:
            with contextlib.suppress(Exception):
                self.redis.close()
            self._connect(self.server.start())
            return fn()
        except (redis.ConnectionError, StoreError) as exc:
            raise StoreError(
                f"the FalkorDB server of {self.server.state_dir} went away and could not be "
                f"reached again ({exc}); see `python -m kg db status` and "
                f"{self.server.logfile}, then `python -m kg db start` (or `python -m kg build` "
                "if no graph is saved)") from exc

    # -- loading ---------------------------------------------------------------------------
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

    def _write(self, graph: str, cypher: str, params: dict[str, Any] | None = None) -> Any:
        return self.redis.execute_command("GRAPH.QUERY", graph, _params_header(params) + cypher,
                                          "--compact", "timeout", TIMEOUT_MAX_MS)

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

    @property
    def _meta_key(self) -> str:
        return meta_key(self.graph_name)

    # -- reading ---------------------------------------------------------------------------
    def graph_version(self) -> str:
        """Return the served graph's fingerprint, '' when nothing is loaded."""
        return text_of(self._healing(lambda: self.redis.hget(self._meta_key, "version")))

    def meta(self) -> dict[str, Any]:
        """Return what the last load recorded: version, built_at, counts, sources, method."""
        return decode_meta(self._healing(lambda: self.redis.hgetall(self._meta_key)).items())

    def explain(self, cypher: str, params: dict[str, Any] | None = None) -> list[str]:
        """Return the server's execution plan of a query (``GRAPH.EXPLAIN``), one line each.

        Parameters
        ----------
        cypher : str
            openCypher text.
        params : dict, optional
            Query parameters (the plan may depend on them).

        Returns
        -------
        list of str
            E.g. ``['Results', '    Project', '        Node By Index Scan | (n:Node)']``.

        Raises
        ------
        QueryError
            The server cannot plan the query.

        Examples
        --------
        >>> any("Index Scan" in op for op in store.explain(
        ...     "MATCH (n:Node {id: $id}) RETURN n.name", {"id": "drug:alectinib"}))
        True
        """
        import redis

        try:
            plan = self.redis.execute_command("GRAPH.EXPLAIN", self.graph_name,
                                              _params_header(params) + cypher)
        except redis.ResponseError as exc:
            raise QueryError(f"{exc} in query: {cypher.strip()}") from exc
        return [p.decode() if isinstance(p, bytes) else str(p) for p in plan]

    def query(self, cypher: str, params: dict[str, Any] | None = None, *,
              read_only: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> QueryResult:
        """Run Cypher on the served graph.

        Parameters
        ----------
        cypher : str
            openCypher as FalkorDB runs it (the named queries are portable).
        params : dict, optional
            Values for the ``$names`` of `cypher`, sent in a ``CYPHER name=value`` prefix.
        read_only : bool, optional
            True (default) sends ``GRAPH.RO_QUERY``; a write is refused before it is sent.
        timeout_ms : int, optional
            FalkorDB's per-query ``timeout`` (the server caps it at its ``TIMEOUT_MAX``).

        Returns
        -------
        QueryResult
            Plain values: nodes as ``{id, labels, properties}``, edges as ``{type,
            properties}``, paths as ``{nodes, edges}``; ``elapsed_ms`` is the server's own
            execution time.

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
        check_query_shape(cypher, params)
        import redis

        def run() -> Any:
            return self.redis.execute_command(
                "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY", self.graph_name,
                _params_header(params) + cypher, "--compact", "timeout", int(timeout_ms))

        try:
            reply = self._healing(run) if read_only else run()
        except UnicodeEncodeError as exc:  # a lone surrogate (undecodable bytes in argv)
            raise QueryError(f"the query or a parameter holds text that is not valid Unicode "
                             f"({exc.reason}: {exc.object[exc.start:exc.end]!r}); re-type it"
                             ) from exc
        except redis.ResponseError as exc:
            raise query_failure(str(exc), cypher, timeout_ms=timeout_ms) from exc
        except (redis.RedisError, ValueError) as exc:
            raise QueryError(f"FalkorDB error: {exc}") from exc
        if isinstance(reply, redis.ResponseError):
            raise QueryError(f"{reply} in query: {cypher.strip()}")
        return decode_reply(reply, GraphNames(self._names))

    def _names(self, proc: str) -> list[Any]:
        """The rows of ``CALL <proc>()`` on the served graph (see `GraphNames`)."""
        return self.redis.execute_command("GRAPH.RO_QUERY", self.graph_name, f"CALL {proc}()",
                                          "--compact")[1]

    def close(self) -> None:
        """Close the client connection (the server keeps running; see `FalkorServer.stop`)."""
        try:
            self.redis.close()
        except Exception:  # noqa: S110
            pass


def _params_header(params: dict[str, Any] | None) -> str:
    """``CYPHER name=value ...`` in front of the query text (how FalkorDB takes parameters)."""
    if not params:
        return ""
    from falkordb.helpers import stringify_param_value

    parts = []
    for key, value in params.items():
        if not key or "`" in key:
            raise QueryError(f"bad parameter name {key!r}")
        parts.append(f"`{key}`={stringify_param_value(value)}")
    return "CYPHER " + " ".join(parts) + " "


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
