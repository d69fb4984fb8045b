"""The one small interface every graph store implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from kg.graph import EvidenceGraph

__all__ = ["GraphStore", "QueryResult", "DEFAULT_TIMEOUT_MS", "is_write_query",
           "expression_depth", "MAX_EXPRESSION_DEPTH", "MAX_QUERY_CHARS"]

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
    >>> is_write_query("load/* x */\tcsv FROM 'file:///etc/passwd' AS r RETURN r")
    True
    """
    import re

    text = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", " ",
                  cypher, flags=re.S).upper()
    if any(re.search(r"\b" + w.replace(" ", r"\s+") + r"\b", text) for w in _WRITE_WORDS):
        return True
    # LOAD CSV reads files and URLs even in a read-only query: refused in any spacing, behind
    # comments, and even where a string literal might hide it (a false alarm is harmless).
    bare = re.sub(r"/\*.*?\*/", " ", cypher, flags=re.S).upper()
    return any(re.search(r"\bLOAD(?:\s|//[^\n]*\n)+CSV\b", t) for t in (bare, cypher.upper()))


#: FalkorDB parses nested expressions in exponential time, before any timeout applies: 18
#: nested unary minus signs, brackets, function calls or CASEs take a second, 24 a minute,
#: 40 never finish, and each such query holds one of the server's two query threads. Deeper
#: queries are refused before they are sent (the named queries nest at most 5 deep).
MAX_EXPRESSION_DEPTH = 12
#: Longest query text accepted.
MAX_QUERY_CHARS = 100_000
_TOKEN = None
_NOT_OPERAND = frozenset({
    "AND", "OR", "XOR", "NOT", "IN", "IS", "RETURN", "WHERE", "WITH", "WHEN", "THEN", "ELSE",
    "CASE", "UNWIND", "STARTS", "ENDS", "CONTAINS", "SET", "MATCH", "OPTIONAL", "ORDER", "BY",
    "SKIP", "LIMIT", "DISTINCT", "CREATE", "MERGE", "DELETE", "ON", "YIELD", "CALL", "UNION",
    "ALL", "AS", "ASC", "DESC", "ASCENDING", "DESCENDING", "REMOVE", "DETACH", "FOREACH"})


def expression_depth(cypher: str) -> int:
    """Return how deeply the expressions of a query nest (brackets, prefix operators, CASE).

    Parameters
    ----------
    cypher : str
        The query text (string literals and comments are ignored).

    Returns
    -------
    int
        The deepest nesting: each open bracket or CASE, and each prefix ``-``, ``+`` or
        ``NOT`` applied to what follows it, is one level.

    Examples
    --------
    >>> expression_depth("MATCH (n) WHERE n.x IN [1, 2] RETURN n")
    1
    >>> expression_depth("RETURN 1 - 1 - 1"), expression_depth("RETURN - - - 1")
    (0, 3)
    >>> expression_depth("RETURN abs(abs(-1))"), expression_depth("RETURN '((((('")
    (3, 0)
    """
    import re

    global _TOKEN
    if _TOKEN is None:
        _TOKEN = re.compile(r"`[^`]*`|\$\w+|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[()\[\]{}]"
                            r"|[-+]|\S")
    text = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", " 0 ", cypher)
    text = re.sub(r"//[^\n]*|/\*.*?\*/", " ", text, flags=re.S)
    stack: list[int] = [0]  # the depth each open bracket (or CASE) started at
    run, deepest, operand = 0, 0, False
    for m in _TOKEN.finditer(text):
        tok = m.group()
        word = tok.upper()
        if tok in "([{" or word == "CASE":
            stack.append(stack[-1] + run + 1)
            run, operand = 0, False
        elif tok in ")]}" or word == "END":
            if len(stack) > 1:
                stack.pop()
            run, operand = 0, True
        elif (tok in "-+" and not operand) or word == "NOT":
            run += 1
            operand = False
        elif tok[0].isalnum() or tok[0] in "_$`":
            operand = word not in _NOT_OPERAND
            if operand:
                deepest = max(deepest, stack[-1] + run)
                run = 0
        else:
            operand = False
        deepest = max(deepest, stack[-1] + run)
    return deepest


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
