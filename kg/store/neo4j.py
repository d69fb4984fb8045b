"""The scale-out store: a Neo4j server reached with the official ``neo4j`` driver.

Configure with ``NEO4J_URI`` (e.g. ``bolt://localhost:7687``), ``NEO4J_USER`` and
``NEO4J_PASSWORD`` (``docker-compose.yml`` starts one). The same schema-generated, parameterised
Cypher as FalkorDB loads it (`kg.cypher`), and the named queries in ``queries/`` are portable.

Loading on Neo4j Community (one database, no rename): the new graph is written beside the old
one with every node tagged ``kg_version = <fingerprint>``; when it is complete, one final
transaction deletes the nodes of every other version and records the new version on a
``KgMeta`` node. Readers therefore never see a half-written graph *replace* the old one, but
during a load a query that does not filter on ``kg_version`` can see both versions. Nodes also
get ``search_text`` (`kg.store.base.search_text`), as on FalkorDB, so the portable search finds
the same nodes.

Every statement runs in an explicit transaction (``BEGIN`` ... ``COMMIT``): reads in ``READ``
access mode with the transaction timeout, after the read-only guard (`kg.store.guard`). The
index DDL (``CREATE INDEX name IF NOT EXISTS``) is Neo4j's own and sits behind `neo4j_ddl`.

Servers this ran against: no Neo4j server can be installed on this project's machines, so
``tests/kg/test_store_neo4j.py`` runs only when ``NEO4J_URI`` names one (skipped, saying so,
otherwise). ``tests/kg/test_store_neo4j_bolt.py`` runs the load and every portable query
through this module against FalkorDB's experimental Bolt endpoint, the closest Bolt server
that runs here, with ``neo4j_ddl=False``; ``docs/workbench.md`` lists where that server
differs from Neo4j.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kg.schema.errors import QueryError, StoreError
from kg.store.base import (
    DEFAULT_TIMEOUT_MS,
    QueryMemoryLimit,
    QueryResult,
    QuerySyntaxError,
    query_timeout,
    read_only_refusal,
    search_text,
)
from kg.store.guard import check_read_only

if TYPE_CHECKING:
    from kg.graph import EvidenceGraph

__all__ = ["Neo4jStore"]

BATCH = 1000


class Neo4jStore:
    """The `GraphStore` over a Neo4j server (or another Bolt server).

    Parameters
    ----------
    uri : str
        ``bolt://host:port`` or ``neo4j://host:port``.
    user, password : str or None
        Basic authentication; with `user` None the driver sends no credentials.
    database : str, optional
        Database name (``neo4j`` by default).
    neo4j_ddl : bool, optional
        Create the id indexes with Neo4j's DDL on load (default True). FalkorDB's Bolt
        endpoint does not understand ``CREATE INDEX <name> IF NOT EXISTS``: the Bolt test
        turns this off.
    max_message_bytes : int, optional
        Keep each load statement with its batch of rows under this many bytes (JSON size, an
        upper bound of the Bolt encoding). None (default): batches of `BATCH` rows. FalkorDB's
        Bolt endpoint drops the connection (or crashes) on a message over 4 KiB.
    escape_string_params : bool, optional
        Escape ``\\`` and ``'`` in every string parameter (default False). Only for FalkorDB's
        Bolt endpoint, which pastes string parameters into the query text as Cypher literals
        without escaping them (a value holding ``'`` fails, or defines other parameters); on
        Neo4j this would store the backslashes.
    """

    name = "neo4j"

    def __init__(self, uri: str, user: str | None, password: str | None, *,
                 database: str = "neo4j", neo4j_ddl: bool = True,
                 max_message_bytes: int | None = None,
                 escape_string_params: bool = False) -> None:
        import neo4j

        self.database = database
        self.neo4j_ddl = neo4j_ddl
        self.max_message_bytes = max_message_bytes
        self.escape_string_params = escape_string_params
        try:
            auth = (user, password or "") if user is not None else None
            self.driver = neo4j.GraphDatabase.driver(uri, auth=auth)
            self.driver.verify_connectivity()
        except Exception as exc:
            raise StoreError(f"cannot reach Neo4j at {uri}: {exc}") from exc

    @classmethod
    def from_env(cls, **_: Any) -> Neo4jStore:
        """Build from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``.

        Parameters
        ----------
        **_
            Ignored (`kg.store.open_store` passes the same keywords to every store).

        Returns
        -------
        Neo4jStore
            Connected; user and password default to ``neo4j``.

        Raises
        ------
        StoreError
            ``NEO4J_URI`` is not set or the server does not answer.
        """
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            raise StoreError("set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to use Neo4j")
        return cls(uri, os.environ.get("NEO4J_USER", "neo4j"),
                   os.environ.get("NEO4J_PASSWORD", "neo4j"))

    def _write(self, statement: str, **params: Any) -> None:
        import neo4j

        with self.driver.session(database=self.database,
                                 default_access_mode=neo4j.WRITE_ACCESS) as s:
            with s.begin_transaction() as tx:
                tx.run(statement, self._params(params)).consume()
                tx.commit()

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        return _escaped(params) if self.escape_string_params else params

    def _batches(self, statement: str, rows: list[dict[str, Any]]) -> Iterator[list[Any]]:
        """Split rows into batches of `BATCH`, each under `max_message_bytes` when set."""
        if self.max_message_bytes is None:
            for i in range(0, len(rows), BATCH):
                yield rows[i:i + BATCH]
            return
        budget = self.max_message_bytes - len(statement.encode()) - 64
        batch: list[Any] = []
        used = 0
        for row in rows:
            size = len(json.dumps(row, ensure_ascii=False, default=str).encode()) + 1
            if size > budget:
                raise StoreError(f"row {row.get('id')!r} alone is {size} bytes, above the "
                                 f"{self.max_message_bytes}-byte message limit of this server")
            if batch and (used + size > budget or len(batch) >= BATCH):
                yield batch
                batch, used = [], 0
            batch.append(row)
            used += size
        if batch:
            yield batch

    def load(self, eg: EvidenceGraph) -> dict[str, Any]:
        """Write `eg` beside the served version, then drop every other version in one step.

        Parameters
        ----------
        eg : EvidenceGraph
            The graph to write; its fingerprint tags every node it writes (``kg_version``).

        Returns
        -------
        dict
            What `GraphStore.load` returns; ``version`` is that fingerprint.

        Raises
        ------
        StoreError
            Writing the new version failed; it is deleted and the served graph is unchanged.
        """
        from kg.cypher import edge_load_statement, index_statements, node_load_statement

        t0 = time.perf_counter()
        version = eg.fingerprint()
        labels = {nid: d["label"] for nid, d in eg.graph.nodes(data=True)}
        try:
            if self.neo4j_ddl:
                for stmt in index_statements(dialect="neo4j"):
                    self._write(stmt)
            by_label: dict[str, list[dict[str, Any]]] = {}
            for n in eg.nodes():
                by_label.setdefault(n.label, []).append(
                    {"id": n.id, "props": {**n.props, "search_text": search_text(n.props),
                                           "kg_version": version}})
            self._write("MATCH (n {kg_version: $v}) DETACH DELETE n", v=version)
            for label, rows in sorted(by_label.items()):
                stmt = node_load_statement(label)
                for batch in self._batches(stmt, rows):
                    self._write(stmt, rows=batch)
            groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
            for e in eg.edges():
                groups.setdefault((e.type, labels[e.source], labels[e.target]), []).append(
                    {"id": e.id, "source": e.source, "target": e.target, "props": e.props})
            for (rtype, src, tgt), rows in sorted(groups.items()):
                # Match endpoints of the new version only.
                stmt = edge_load_statement(rtype, src, tgt).replace(
                    "{id: row.source}", "{id: row.source, kg_version: $v}").replace(
                    "{id: row.target}", "{id: row.target, kg_version: $v}")
                for batch in self._batches(stmt, rows):
                    self._write(stmt, rows=batch, v=version)
        except Exception as exc:
            try:
                self._write("MATCH (n {kg_version: $v}) DETACH DELETE n", v=version)
            except Exception:  # noqa: S110 - best effort cleanup, the original error wins
                pass
            raise StoreError(f"loading into Neo4j failed; the served graph is unchanged: "
                             f"{exc}") from exc

        import neo4j

        def swap(tx: Any) -> None:
            tx.run("MATCH (n) WHERE n.kg_version <> $v DETACH DELETE n", v=version).consume()
            tx.run("MERGE (m:KgMeta {id: 'meta'}) SET m.version = $v", v=version).consume()

        with self.driver.session(database=self.database,
                                 default_access_mode=neo4j.WRITE_ACCESS) as s:
            s.execute_write(swap)
        return {"nodes": eg.graph.number_of_nodes(), "edges": eg.graph.number_of_edges(),
                "seconds": round(time.perf_counter() - t0, 3), "version": version}

    def graph_version(self) -> str:
        """Return the served version ('' when nothing was loaded)."""
        rows = self.query("MATCH (m:KgMeta {id: 'meta'}) RETURN m.version AS v").rows
        return rows[0][0] if rows else ""

    def query(self, cypher: str, params: dict[str, Any] | None = None, *,
              read_only: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> QueryResult:
        """Run Cypher in an explicit transaction; read-only queries use READ access mode.

        Parameters
        ----------
        cypher : str
            Portable openCypher (as in ``queries/``), run as Neo4j parses it.
        params : dict, optional
            Bolt parameters (their strings escaped first when `escape_string_params`).
        read_only : bool, optional
            True (default): the read-only guard (`kg.store.guard`) checks the text before it
            is sent, and the transaction runs in ``READ`` access mode.
        timeout_ms : int, optional
            The transaction's timeout, which Neo4j enforces.

        Returns
        -------
        QueryResult
            Nodes, edges and paths as the dicts `FalkorStore.query` gives; ``elapsed_ms`` is
            measured here (the round trip included).

        Raises
        ------
        ReadOnlyViolation
            A write in a read-only query (refused here or by the server).
        QueryError
            `QuerySyntaxError`, `QueryTimeout`, `QueryMemoryLimit`, or any other error the
            server reports.
        """
        import neo4j

        if read_only:
            check_read_only(cypher)
        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        t0 = time.perf_counter()
        try:
            with self.driver.session(database=self.database, default_access_mode=mode) as s:
                with s.begin_transaction(timeout=timeout_ms / 1000) as tx:
                    res = tx.run(cypher, self._params(params or {}))
                    columns = list(res.keys())
                    rows = [[_plain(v) for v in rec.values()] for rec in res]
                    tx.commit()
        except neo4j.exceptions.Neo4jError as exc:
            raise _error(exc, cypher, read_only=read_only, timeout_ms=timeout_ms) from exc
        except neo4j.exceptions.DriverError as exc:
            raise QueryError(f"the Bolt connection failed: {exc} in query: {cypher.strip()}"
                             ) from exc
        return QueryResult(columns, rows, elapsed_ms=(time.perf_counter() - t0) * 1000)

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()


def _escaped(value: Any) -> Any:
    """Escape backslashes and single quotes in every string of a parameter value."""
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


_NEO4J_POSITION = re.compile(r"\(line (\d+), column (\d+)")


def _error(exc: Any, cypher: str, *, read_only: bool, timeout_ms: int) -> QueryError:
    """Name a Neo4j error by its status code (syntax, timeout, memory, access mode)."""
    code = getattr(exc, "code", "") or ""
    msg = getattr(exc, "message", None) or str(exc)
    query = cypher.strip()
    if "AccessMode" in code or ("write" in msg.lower() and read_only and "ClientError" in code):
        return read_only_refusal(msg)
    if "TransactionTimedOut" in code or "Terminated" in code:
        return query_timeout(cypher, timeout_ms)
    if "MemoryPoolOutOfMemory" in code or "OutOfMemory" in code:
        return QueryMemoryLimit(f"query stopped by the server's memory limit ({msg}): {query}")
    if "SyntaxError" in code:
        m = _NEO4J_POSITION.search(msg)
        line, col = (int(m[1]), int(m[2])) if m else (None, None)
        where = f" at line {line}, column {col}" if m else ""
        return QuerySyntaxError(f"syntax error{where}: {msg}", line, col)
    return QueryError(f"{code or type(exc).__name__}: {msg} in query: {query}")


def _plain(value: Any) -> Any:
    """Turn driver objects (Node, Relationship, Path) into the dicts FalkorStore returns."""
    import neo4j.graph

    if isinstance(value, neo4j.graph.Node):
        props = dict(value)
        return {"id": props.get("id"), "labels": sorted(value.labels), "properties": props,
                "element_id": value.element_id}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, "properties": dict(value), "element_id": value.element_id,
                "start": value.start_node.element_id if value.start_node else None,
                "end": value.end_node.element_id if value.end_node else None}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_plain(n) for n in value.nodes],
                "edges": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
