"""The one small interface every graph store implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # annotations only: opening a store needs no networkx
    from kg.graph import EvidenceGraph

__all__ = ["GraphStore", "QueryResult", "DEFAULT_TIMEOUT_MS", "is_write_query"]

DEFAULT_TIMEOUT_MS = 10_000
_WRITE_WORDS = ("CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "LOAD CSV",
                "FOREACH")


@dataclass
class QueryResult:
    """Rows of a query with their column names, plus the server's timing if it reports one."""

    columns: list[str]
    rows: list[list[Any]]
    elapsed_ms: float | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """Return the rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def is_write_query(cypher: str) -> bool:
    """Return True when a query text contains a Cypher write clause or a procedure call.

    A cheap first line of defence for the read-only console; the real guard is the
    server's read-only execution (FalkorDB ``GRAPH.RO_QUERY``, Neo4j ``READ`` access mode).

    Parameters
    ----------
    cypher : str
        The query text; string literals and ``//`` comments are ignored.

    Returns
    -------
    bool
        True when a write word (``CREATE``, ``MERGE``, ``SET``, ``DELETE`` ...) appears as a
        whole word, in any case.

    Examples
    --------
    >>> is_write_query("MATCH (n) RETURN n"), is_write_query("match (n) detach delete n")
    (False, True)
    """
    import re

    text = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*", " ", cypher).upper()
    return any(re.search(rf"\b{w}\b", text) for w in _WRITE_WORDS)


@runtime_checkable
class GraphStore(Protocol):
    """What the CLI and the app need from a graph database.

    Implementations: `kg.store.falkordb.FalkorStore` (embedded default),
    `kg.store.neo4j.Neo4jStore` (scale-out).
    """

    name: str

    def load(self, eg: EvidenceGraph) -> dict[str, Any]:
        """Replace the served graph with `eg` atomically; return load statistics.

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
            The load failed; the served graph is unchanged.
        """
        ...

    def query(self, cypher: str, params: dict[str, Any] | None = None, *,
              read_only: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> QueryResult:
        """Run a query with parameters; read-only unless asked otherwise.

        Parameters
        ----------
        cypher : str
            Portable openCypher; values go in `params`.
        params : dict, optional
            Query parameters.
        read_only : bool, optional
            True (default) refuses writes.
        timeout_ms : int, optional
            Server-side timeout.

        Returns
        -------
        QueryResult

        Raises
        ------
        ReadOnlyViolation
            A write in a read-only query.
        QueryError
            Syntax error, timeout, or another failure of the query.
        """
        ...

    def graph_version(self) -> str:
        """Return the fingerprint of the served graph ('' when none is loaded)."""
        ...

    def close(self) -> None:
        """Release connections (does not stop an embedded server)."""
        ...
