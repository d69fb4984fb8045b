"""The scale-out store: a Neo4j server reached with the official ``neo4j`` driver.

Configure with ``NEO4J_URI`` (e.g. ``bolt://localhost:7687``), ``NEO4J_USER`` and
``NEO4J_PASSWORD`` (``docker-compose.yml`` starts one). The same schema-generated, parameterised
Cypher as FalkorDB loads it (`kg.cypher`), and the named queries in ``queries/`` are portable.

Loading on Neo4j Community (one database, no rename): the new graph is written beside the old
one with every node tagged ``kg_version = <fingerprint>``; when it is complete, one final
transaction deletes the nodes of every other version and records the new version on a
``KgMeta`` node. Readers therefore never see a half-written graph *replace* the old one, but
during a load a query that does not filter on ``kg_version`` can see both versions. Read
queries run in ``READ`` access mode with a transaction timeout.

No Neo4j server can be installed on the development machines of this project: this module is
exercised by ``tests/kg/test_store_neo4j.py`` only when ``NEO4J_URI`` points at a server (the
test is skipped with that reason otherwise).
"""

from __future__ import annotations

import os
import time
from typing import Any

from kg.cypher import edge_load_statement, index_statements, node_load_statement
from kg.graph import EvidenceGraph
from kg.schema.errors import QueryError, ReadOnlyViolation, StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS, QueryResult, is_write_query

__all__ = ["Neo4jStore"]

BATCH = 1000


class Neo4jStore:
    """The `GraphStore` over a Neo4j server.

    Parameters
    ----------
    uri, user, password : str
        Connection settings.
    database : str, optional
        Database name (``neo4j`` by default).
    """

    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, *, database: str = "neo4j") -> None:
        import neo4j

        self.database = database
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
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

    def load(self, eg: EvidenceGraph) -> dict[str, Any]:
        """Write `eg` beside the served version, then drop every other version in one step.

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
            Writing the new version failed; it is deleted and the served graph is unchanged.
        """
        t0 = time.perf_counter()
        version = eg.fingerprint()
        labels = {nid: d["label"] for nid, d in eg.graph.nodes(data=True)}
        with self.driver.session(database=self.database) as s:
            for stmt in index_statements(dialect="neo4j"):
                s.run(stmt)
            by_label: dict[str, list[dict[str, Any]]] = {}
            for n in eg.nodes():
                by_label.setdefault(n.label, []).append(
                    {"id": n.id, "props": {**n.props, "kg_version": version}})
            try:
                s.run("MATCH (n {kg_version: $v}) DETACH DELETE n", v=version)
                for label, rows in sorted(by_label.items()):
                    stmt = node_load_statement(label)
                    for i in range(0, len(rows), BATCH):
                        s.run(stmt, rows=rows[i:i + BATCH])
                groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
                for e in eg.edges():
                    groups.setdefault((e.type, labels[e.source], labels[e.target]), []).append(
                        {"id": e.id, "source": e.source, "target": e.target, "props": e.props})
                for (rtype, src, tgt), rows in sorted(groups.items()):
                    # Match endpoints of the new version only.
                    stmt = edge_load_statement(rtype, src, tgt).replace(
                        "{id: row.source}", "{id: row.source, kg_version: $v}").replace(
                        "{id: row.target}", "{id: row.target, kg_version: $v}")
                    for i in range(0, len(rows), BATCH):
                        s.run(stmt, rows=rows[i:i + BATCH], v=version)
            except Exception as exc:
                s.run("MATCH (n {kg_version: $v}) DETACH DELETE n", v=version)
                raise StoreError(f"loading into Neo4j failed; the served graph is unchanged: "
                                 f"{exc}") from exc

            def swap(tx: Any) -> None:
                tx.run("MATCH (n) WHERE n.kg_version <> $v DETACH DELETE n", v=version)
                tx.run("MERGE (m:KgMeta {id: 'meta'}) SET m.version = $v", v=version)

            s.execute_write(swap)
        return {"nodes": eg.graph.number_of_nodes(), "edges": eg.graph.number_of_edges(),
                "seconds": round(time.perf_counter() - t0, 3), "version": version}

    def graph_version(self) -> str:
        """Return the served version ('' when nothing was loaded)."""
        rows = self.query("MATCH (m:KgMeta {id: 'meta'}) RETURN m.version AS v").rows
        return rows[0][0] if rows else ""

    def query(self, cypher: str, params: dict[str, Any] | None = None, *,
              read_only: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> QueryResult:
        """Run Cypher; read-only queries use READ access mode.

        Parameters
        ----------
        cypher : str
            Portable openCypher; values go in `params`.
        params : dict, optional
            Query parameters.
        read_only : bool, optional
            True (default) refuses writes before sending and runs in ``READ`` access mode.
        timeout_ms : int, optional
            Transaction timeout.

        Returns
        -------
        QueryResult

        Raises
        ------
        ReadOnlyViolation
            A write in a read-only query (refused here or by the server).
        QueryError
            Any other error the server reports.
        """
        import neo4j

        if read_only and is_write_query(cypher):
            raise ReadOnlyViolation(
                f"refused: this entry point is read-only and the query writes: {cypher.strip()}")
        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        query = neo4j.Query(cypher, timeout=timeout_ms / 1000)
        try:
            with self.driver.session(database=self.database, default_access_mode=mode) as s:
                res = s.run(query, params or {})
                columns = list(res.keys())
                rows = [[_plain(v) for v in rec.values()] for rec in res]
        except neo4j.exceptions.ClientError as exc:
            if "write" in str(exc).lower() and read_only:
                raise ReadOnlyViolation(f"refused by the server (read-only): {exc}") from exc
            raise QueryError(f"{exc} in query: {cypher.strip()}") from exc
        except neo4j.exceptions.Neo4jError as exc:
            raise QueryError(f"{exc} in query: {cypher.strip()}") from exc
        return QueryResult(columns, rows)

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()


def _plain(value: Any) -> Any:
    import neo4j.graph

    if isinstance(value, neo4j.graph.Node):
        props = dict(value)
        return {"id": props.get("id"), "labels": sorted(value.labels), "properties": props}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, "properties": dict(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
