"""The one small interface every graph store implements, and what the stores share.

Besides `GraphStore` and `QueryResult`: the read-only check (`is_write_query`, from the
token-based guard in `kg.store.guard`), the named query failures a console tells apart
(`QueryTimeout`, `QueryMemoryLimit`, `QuerySyntaxError`) with `server_error` turning a
server's message into one of them, and `search_text`, the text every store indexes for search.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kg.schema.errors import QueryError, ReadOnlyViolation

if TYPE_CHECKING:
    from kg.graph import EvidenceGraph

__all__ = ["GraphStore", "QueryResult", "DEFAULT_TIMEOUT_MS", "is_write_query", "QueryTimeout",
           "QueryMemoryLimit", "QuerySyntaxError", "server_error", "query_timeout",
           "read_only_refusal", "search_text",
           "SEARCH_TEXT_KEYS", "expression_depth", "check_query_shape", "check_unicode",
           "MAX_EXPRESSION_DEPTH",
           "MAX_QUERY_CHARS"]

#: The timeout of page and CLI queries that set none; the server's TIMEOUT_MAX equals it.
DEFAULT_TIMEOUT_MS = 10_000
#: Node properties joined into ``search_text`` (the full-text and portable search).
SEARCH_TEXT_KEYS = ("name", "synonyms", "hgvs_p", "title", "statement", "quote", "full_name",
                    "gene_symbol", "bib_key", "endpoint")


class QueryTimeout(QueryError):
    """The query ran longer than its timeout and the server stopped it."""


class QueryMemoryLimit(QueryError):
    """The query used more memory than the server allows one query, and was stopped."""


class QuerySyntaxError(QueryError):
    """The server could not parse the query; ``line`` and ``column`` say where (1-based)."""

    def __init__(self, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def query_timeout(cypher: str, timeout_ms: int | None) -> QueryTimeout:
    """Return the error of a query the server stopped at its timeout (any store).

    Parameters
    ----------
    cypher : str
        The query (quoted in the message).
    timeout_ms : int or None
        The timeout it ran with.

    Returns
    -------
    QueryTimeout

    Examples
    --------
    >>> print(query_timeout(" RETURN 1 ", 5))
    query timed out after 5 ms (the server stopped it): RETURN 1
    """
    return QueryTimeout(f"query timed out after {timeout_ms} ms (the server stopped it): "
                        f"{cypher.strip()}")


def read_only_refusal(message: str) -> ReadOnlyViolation:
    """Return the error of a write the server itself refused in a read-only query (any store).

    Parameters
    ----------
    message : str
        What the server said, quoted after ``refused by the server (read-only):``.

    Returns
    -------
    ReadOnlyViolation

    Examples
    --------
    >>> print(read_only_refusal("RO_QUERY is to be executed only on read-only queries"))
    refused by the server (read-only): RO_QUERY is to be executed only on read-only queries
    """
    return ReadOnlyViolation(f"refused by the server (read-only): {message}")


_SYNTAX = re.compile(r"errMsg: (?P<msg>.*?) line: (?P<line>\d+), column: (?P<col>\d+)"
                     r"(?:, offset: (?P<off>\d+))?", re.S)


def server_error(message: str, cypher: str, *, timeout_ms: int | None = None,
                 memory_cap_mb: int | None = None) -> QueryError:
    """Turn a database server's error message into the named error a user can act on.

    Parameters
    ----------
    message : str
        What the server said.
    cypher : str
        The query that failed (quoted in the message).
    timeout_ms : int, optional
        The timeout the query ran with.
    memory_cap_mb : int, optional
        The server's per-query memory cap, to name in the message.

    Returns
    -------
    QueryError
        `QueryTimeout`, `QueryMemoryLimit`, `QuerySyntaxError` (with the line, the column and
        a caret under the place), or a plain `QueryError` naming the query.

    Examples
    --------
    >>> err = server_error("errMsg: Invalid input 'R': expected ')' line: 1, column: 10, "
    ...                    "offset: 9 errCtx: MATCH (n RETURN n errCtxOffset: 9",
    ...                    "MATCH (n RETURN n")
    >>> type(err).__name__, err.line, err.column
    ('QuerySyntaxError', 1, 10)
    >>> print(err)
    syntax error at line 1, column 10: Invalid input 'R': expected ')'
      MATCH (n RETURN n
               ^
    >>> print(server_error("Query timed out", "RETURN 1", timeout_ms=5))
    query timed out after 5 ms (the server stopped it): RETURN 1
    """
    query = cypher.strip()
    low = message.lower()
    if "cannot exceed the timeout_max" in low:
        return QueryError(f"the timeout asked for ({timeout_ms} ms) is above the server's "
                          f"maximum (its TIMEOUT_MAX setting): {query}")
    if "timed out" in low:
        return query_timeout(cypher, timeout_ms)
    if "mem consumption exceeded capacity" in low or ("memory" in low and "capacity" in low):
        cap = f" of {memory_cap_mb} MiB" if memory_cap_mb else ""
        return QueryMemoryLimit(f"query stopped by the server's per-query memory cap{cap} "
                                f"(server said: {message.strip()}): {query}")
    m = _SYNTAX.search(message)
    if m:
        line, col = int(m["line"]), int(m["col"])
        lines = cypher.splitlines() or [""]
        if m["off"] is not None:  # the offset is exact; line/column may count differently
            off = min(int(m["off"]), len(cypher))
            line = cypher.count("\n", 0, off) + 1
            col = off - (cypher.rfind("\n", 0, off) + 1) + 1
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return QuerySyntaxError(f"syntax error at line {line}, column {col}: "
                                f"{m['msg'].strip()}\n  {text}\n  {' ' * (col - 1)}^",
                                line, col)
    return QueryError(f"{message.strip()} in query: {query}")


def search_text(props: dict[str, Any]) -> str:
    """Return the text a node is found by: its names, synonyms, HGVS, title, quote ...

    Parameters
    ----------
    props : dict
        The node's properties.

    Returns
    -------
    str
        The values of `SEARCH_TEXT_KEYS` present (list items one by one), joined by `` | ``.

    Examples
    --------
    >>> search_text({"name": "alectinib", "synonyms": ["Alecensa", "CH5424802"]})
    'alectinib | Alecensa | CH5424802'
    """
    parts: list[str] = []
    for key in SEARCH_TEXT_KEYS:
        v = props.get(key)
        if isinstance(v, list):
            parts.extend(str(x) for x in v)
        elif v:
            parts.append(str(v))
    return " | ".join(parts)


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
    """Return True when the read-only guard refuses a query text (see `kg.store.guard`).

    Parameters
    ----------
    cypher : str
        The query text.

    Returns
    -------
    bool
        True for a write clause, ``LOAD CSV``, a procedure outside the allow-list, a second
        statement or unreadable text, whatever the case, spacing or comments; False for a read
        query, even one whose strings, property keys or quoted names contain such words.

    Examples
    --------
    >>> is_write_query("MATCH (n) RETURN n"), is_write_query("match (n) detach delete n")
    (False, True)
    >>> is_write_query("MATCH (n) RETURN count(n.set) AS `delete`")
    False
    """
    from kg.store.guard import read_only_problem

    return read_only_problem(cypher) is not None


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


def check_unicode(text: str, params: dict[str, Any] | None = None) -> None:
    """Refuse a query whose text or parameters are not valid Unicode (cannot be sent).

    Parameters
    ----------
    text : str
        Cypher or SPARQL.
    params : dict, optional
        Its parameters.

    Returns
    -------
    None

    Raises
    ------
    QueryError
        A lone surrogate: what Python makes of undecodable bytes on a command line.

    Examples
    --------
    >>> check_unicode("RETURN 1", {"x": "ok"})
    """
    for part in (text, json.dumps(params or {}, default=str, ensure_ascii=False)):
        try:
            part.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise QueryError(f"refused: the query or a parameter holds text that is not valid "
                             f"Unicode ({exc.reason}: {exc.object[exc.start:exc.end]!r}); "
                             "re-type it") from None


def check_query_shape(cypher: str, params: dict[str, Any] | None = None) -> None:
    """Refuse, before it is sent, a query FalkorDB could not parse in time or the client send.

    Parameters
    ----------
    cypher : str
        The query text.
    params : dict, optional
        Its parameters (their text must be valid Unicode too).

    Returns
    -------
    None

    Raises
    ------
    QueryError
        Longer than `MAX_QUERY_CHARS`, expressions nesting deeper than
        `MAX_EXPRESSION_DEPTH` (`expression_depth`), or text that is not valid Unicode (a
        lone surrogate: undecodable bytes on a command line).

    Examples
    --------
    >>> try:
    ...     check_query_shape("RETURN " + "- " * 40 + "1")
    ... except QueryError as exc:
    ...     print(str(exc)[:52])
    refused: expressions nest 40 deep (brackets, CASE, p
    """
    if len(cypher) > MAX_QUERY_CHARS:
        raise QueryError(f"refused: the query has {len(cypher)} characters, more than "
                         f"{MAX_QUERY_CHARS}")
    check_unicode(cypher, params)
    depth = expression_depth(cypher)
    if depth > MAX_EXPRESSION_DEPTH:
        raise QueryError(
            f"refused: expressions nest {depth} deep (brackets, CASE, prefix - + NOT), more "
            f"than {MAX_EXPRESSION_DEPTH}; FalkorDB's parser takes minutes on such queries: "
            f"{cypher.strip()[:300]}")


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
