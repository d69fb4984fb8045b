"""The embedded default store: a real FalkorDB server started by our code.

The server's life cycle (`FalkorServer`: start, reuse, stop) is in
`kg.store.falkordb_server`; it is re-exported here.

`FalkorStore` talks to it over one Redis connection (``hiredis`` parses the replies). Its
``load`` (`kg.store.falkordb_load`) builds a staging graph and swaps it in with one atomic
``RENAME``, then waits for the snapshot; `BULK_MIN_RECORDS` and `search_properties` are
re-exported here. A read that loses its connection (the server was killed
or restarted on another port) re-reads the server state, starts the server again from its
snapshot if it is gone, reconnects once and retries; if that fails too it raises a
`StoreError` saying what happened and what to run.
Read queries go through ``GRAPH.RO_QUERY`` with a timeout; their compact replies are decoded
to plain Python values in one pass (`kg.store.falkordb_decode`, shared with the quick reader
`kg.store.falkordb_resp`; `decode_value` is re-exported here).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from kg.schema.errors import QueryError, StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS, QueryResult, check_query_shape
from kg.store.falkordb_decode import (
    GraphNames,
    decode_meta,
    decode_reply,
    decode_value,
    meta_key,
    query_failure,
    text_of,
)
from kg.store.falkordb_load import BULK_MIN_RECORDS, FalkorLoader, search_properties
from kg.store.falkordb_server import DEFAULT_STATE_DIR, PROJECT_ROOT, TIMEOUT_MAX_MS, FalkorServer
from kg.store.guard import check_read_only

__all__ = ["FalkorServer", "FalkorStore", "DEFAULT_STATE_DIR", "GRAPH_NAME", "PROJECT_ROOT",
           "BULK_MIN_RECORDS", "decode_value", "search_properties"]

GRAPH_NAME = "alk_kg"

T = TypeVar("T")


class FalkorStore(FalkorLoader):
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

    def _write(self, graph: str, cypher: str, params: dict[str, Any] | None = None) -> Any:
        return self.redis.execute_command("GRAPH.QUERY", graph, _params_header(params) + cypher,
                                          "--compact", "timeout", TIMEOUT_MAX_MS)

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
