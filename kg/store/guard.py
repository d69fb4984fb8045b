"""The read-only guard of every entry point that runs a user's text: console, ``kg query``.

The check works on *tokens*, after comments and whitespace are gone, so no spacing, case,
line break or comment between two words changes its answer, and words inside strings,
backtick-quoted names (`` `delete` ``) or after a dot (``n.set``) are never taken for
clauses. It refuses:

* every write clause: ``CREATE``, ``MERGE``, ``SET``, ``DELETE``, ``DETACH``, ``REMOVE``,
  ``DROP``, ``FOREACH``;
* ``LOAD CSV`` in any spacing (it reads files from the server's import folder and opens
  outbound connections for ``https://`` URLs);
* any ``CALL`` of a procedure outside `ALLOWED_PROCEDURES` (labels, relationship types,
  property keys, indexes, full-text query); ``CALL { ... }`` subqueries are checked like the
  rest of the text;
* administration commands at the start of a statement (``ALTER``, ``GRANT``, ``SHOW`` ...)
  and a second statement after ``;``;
* text the lexer cannot read to its end: an unterminated string, name or comment.

The server is the second wall (``GRAPH.RO_QUERY`` on FalkorDB, whose import folder is an empty
directory; ``READ`` access mode on Neo4j). `check_sparql_read_only` does the same for SPARQL:
no update operation and no ``SERVICE`` (a federated query would reach out to the network).

`check_limits` holds the console's limits: a timeout of `TIMEOUT_DEFAULT_MS` (at most
`TIMEOUT_MAX_MS`) and a row cap of `ROW_CAP_DEFAULT` (at most `ROW_CAP_MAX`);
`console_query` applies guard and limits, the rules of the browser console and ``kg query``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.schema.errors import QueryError, ReadOnlyViolation

__all__ = ["Token", "tokenize", "read_only_problem", "check_read_only", "check_sparql_read_only",
           "check_limits", "ConsoleResult", "console_query", "WRITE_CLAUSES", "ADMIN_COMMANDS",
           "ALLOWED_PROCEDURES",
           "TIMEOUT_DEFAULT_MS", "TIMEOUT_MAX_MS", "ROW_CAP_DEFAULT", "ROW_CAP_MAX"]

#: Clauses that change the graph (or, LOAD, read outside it), refused anywhere in the text.
WRITE_CLAUSES = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP",
                           "FOREACH", "LOAD"})
#: Commands refused as the first word of a statement (administration, not queries).
ADMIN_COMMANDS = frozenset({"ALTER", "GRANT", "DENY", "REVOKE", "RENAME", "START", "STOP",
                            "TERMINATE", "SHOW", "ENABLE", "USE"})
#: The read procedures a console may CALL (compared case-insensitively).
ALLOWED_PROCEDURES = ("db.labels", "db.relationshipTypes", "db.propertyKeys", "db.indexes",
                      "db.idx.fulltext.queryNodes")
_ALLOWED = {p.lower() for p in ALLOWED_PROCEDURES}

TIMEOUT_DEFAULT_MS = 2_000
TIMEOUT_MAX_MS = 10_000
ROW_CAP_DEFAULT = 1_000
ROW_CAP_MAX = 100_000

_SPARQL_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY",
                             "MOVE", "ADD"})


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, its text and where it starts (1-based line and column).

    Kinds: ``word`` (keyword or name), ``quoted`` (a backtick-quoted name), ``string``,
    ``param`` (``$name``), ``number``, ``punct`` (one character).
    """

    kind: str
    text: str
    line: int
    column: int

    @property
    def where(self) -> str:
        """``line L, column C``."""
        return f"line {self.line}, column {self.column}"


def _position(text: str, i: int) -> tuple[int, int]:
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def tokenize(text: str, *, comment: str = "//") -> list[Token]:
    """Split query text into tokens, dropping whitespace and comments.

    Parameters
    ----------
    text : str
        Cypher (``//`` and ``/* */`` comments) or SPARQL (``comment='#'``).
    comment : str, optional
        The line-comment marker: ``//`` (Cypher, default) or ``#`` (SPARQL).

    Returns
    -------
    list of Token

    Raises
    ------
    ReadOnlyViolation
        A string, a quoted name or a block comment is not closed (the text cannot be read
        to its end, so it cannot be checked).

    Examples
    --------
    >>> [t.text for t in tokenize("LOAD/* x */CSV // y\\nFROM 'a b'")]
    ['LOAD', 'CSV', 'FROM', "'a b'"]
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        start = i
        if text.startswith(comment, i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if comment == "//" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise _unreadable(text, start, "a /* comment is not closed")
            i = j + 2
            continue
        if c in "'\"" or (comment == "#" and c == "<"):
            close = ">" if c == "<" else c
            j = i + 1
            while j < n and text[j] != close:
                if text[j] == "\\":
                    j += 1
                elif close == ">" and (text[j].isspace() or text[j] in "{}|^`"):
                    break  # not an IRI: a comparison such as ?x < 3
                j += 1
            if close == ">" and (j >= n or text[j] != ">"):
                tokens.append(Token("punct", c, *_position(text, start)))
                i += 1
                continue
            if j >= n:
                raise _unreadable(text, start, f"a string opened with {c} is not closed")
            tokens.append(Token("string", text[start:j + 1], *_position(text, start)))
            i = j + 1
            continue
        if c == "`":
            j = i + 1
            while True:
                j = text.find("`", j)
                if j < 0:
                    raise _unreadable(text, start, "a `quoted name` is not closed")
                if text.startswith("``", j):
                    j += 2
                    continue
                break
            tokens.append(Token("quoted", text[i + 1:j].replace("``", "`"),
                                *_position(text, start)))
            i = j + 1
            continue
        if c == "$" or (comment == "#" and c in "?"):
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(Token("param", text[i:j], *_position(text, start)))
            i = j
            continue
        if c.isdigit():
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "._"):
                j += 1
            tokens.append(Token("number", text[i:j], *_position(text, start)))
            i = j
            continue
        if c.isalpha() or c == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(Token("word", text[i:j], *_position(text, start)))
            i = j
            continue
        tokens.append(Token("punct", c, *_position(text, start)))
        i += 1
    return tokens


def _unreadable(text: str, i: int, what: str) -> ReadOnlyViolation:
    line, col = _position(text, i)
    return ReadOnlyViolation(f"refused: {what} (line {line}, column {col}); the query cannot "
                             "be checked")


def _procedure(tokens: list[Token], i: int) -> tuple[str, int]:
    """Read a dotted procedure name starting at ``tokens[i]``; return it and the next index."""
    parts: list[str] = []
    while i < len(tokens) and tokens[i].kind in ("word", "quoted"):
        parts.append(tokens[i].text)
        if i + 1 < len(tokens) and tokens[i + 1].text == ".":
            i += 2
            continue
        i += 1
        break
    return ".".join(parts), i


def read_only_problem(cypher: str) -> str | None:
    """Return why a Cypher text is refused by the read-only guard, or None when it may run.

    Parameters
    ----------
    cypher : str
        The query text.

    Returns
    -------
    str or None
        One sentence naming the word, where it is and why (None: accepted).

    Examples
    --------
    >>> read_only_problem("MATCH (n) RETURN count(n.set) AS `delete`") is None
    True
    >>> read_only_problem("match (n)\\n  detach /* x */ delete n")
    'DETACH (line 2, column 3) is a write clause'
    >>> read_only_problem("CALL db.idx.fulltext.drop('Drug')")  # doctest: +ELLIPSIS
    'CALL db.idx.fulltext.drop (line 1, column 1): only these procedures may be called: ...'
    """
    try:
        tokens = tokenize(cypher)
    except ReadOnlyViolation as exc:
        return str(exc).removeprefix("refused: ")
    for i, tok in enumerate(tokens):
        if tok.kind == "punct" and tok.text == ";":
            if i + 1 < len(tokens):
                return f"';' ({tok.where}) starts a second statement; run one at a time"
            continue
        if tok.kind != "word":
            continue
        prev = tokens[i - 1].text if i else ""
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if prev == "." or nxt == ":":  # a property (n.set) or a map key ({set: 1})
            continue
        if prev == ":":  # a label or relationship type
            continue
        word = tok.text.upper()
        if word in WRITE_CLAUSES:
            if word == "LOAD":
                return (f"LOAD CSV ({tok.where}) reads files and URLs from the database server; "
                        "it is not allowed here")
            return f"{word} ({tok.where}) is a write clause"
        if i == 0 and word in ADMIN_COMMANDS:
            return f"{word} ({tok.where}) is an administration command, not a query"
        if word == "CALL":
            if nxt == "{":
                continue  # a subquery: its clauses are checked like the rest
            name, _ = _procedure(tokens, i + 1)
            if name.lower() not in _ALLOWED:
                return (f"CALL {name or '(no procedure)'} ({tok.where}): only these procedures "
                        f"may be called: {', '.join(ALLOWED_PROCEDURES)}")
    return None


def check_read_only(cypher: str) -> None:
    """Raise `ReadOnlyViolation` unless the read-only guard accepts a Cypher text.

    Parameters
    ----------
    cypher : str
        The query text.

    Returns
    -------
    None

    Raises
    ------
    ReadOnlyViolation
        With the reason (`read_only_problem`) and the query.

    Examples
    --------
    >>> check_read_only("MATCH (n) RETURN n.name")
    >>> check_read_only("LOAD  CSV FROM 'file:///x' AS r RETURN r")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.schema.errors.ReadOnlyViolation: refused (read-only): LOAD CSV (line 1, column 1) ...
    """
    problem = read_only_problem(cypher)
    if problem is not None:
        raise ReadOnlyViolation(f"refused (read-only): {problem}; in query: {cypher.strip()}")


def check_sparql_read_only(text: str) -> None:
    """Raise `ReadOnlyViolation` for SPARQL that updates the store or calls out (SERVICE).

    Parameters
    ----------
    text : str
        A SPARQL query.

    Returns
    -------
    None

    Raises
    ------
    ReadOnlyViolation
        An update operation (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` ...) or ``SERVICE``.

    Examples
    --------
    >>> check_sparql_read_only("SELECT ?s WHERE { ?s ?p 'INSERT DATA' } # DELETE")
    >>> check_sparql_read_only("insert data { <a:x> <a:y> 1 }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.schema.errors.ReadOnlyViolation: refused: SPARQL UPDATE (INSERT at line 1, ...
    """
    tokens = tokenize(text, comment="#")
    for i, tok in enumerate(tokens):
        if tok.kind != "word":
            continue
        if (i and tokens[i - 1].text == ":") or (i + 1 < len(tokens)
                                                 and tokens[i + 1].text == ":"):
            continue  # a prefixed name (kgs:CREATE) or its prefix
        word = tok.text.upper()
        if word in _SPARQL_UPDATES:
            raise ReadOnlyViolation(f"refused: SPARQL UPDATE ({word} at {tok.where}) is not "
                                    "allowed; only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) run")
        if word == "SERVICE":
            raise ReadOnlyViolation(f"refused: SERVICE ({tok.where}) would query another "
                                    "endpoint over the network; it is not allowed")


def check_limits(timeout_ms: int, row_cap: int) -> None:
    """Raise `QueryError` unless a console's timeout and row cap are within the limits.

    Parameters
    ----------
    timeout_ms : int
        1 to `TIMEOUT_MAX_MS` milliseconds.
    row_cap : int
        1 to `ROW_CAP_MAX` rows.

    Returns
    -------
    None

    Raises
    ------
    QueryError
        Either is out of range; the message names the limit.

    Examples
    --------
    >>> check_limits(120_000, 10)
    Traceback (most recent call last):
    ...
    kg.schema.errors.QueryError: timeout 120000 ms is out of range: use 1 to 10000 ms (default 2000)
    """
    if not isinstance(timeout_ms, int) or not 1 <= timeout_ms <= TIMEOUT_MAX_MS:
        raise QueryError(f"timeout {timeout_ms} ms is out of range: use 1 to {TIMEOUT_MAX_MS} ms "
                         f"(default {TIMEOUT_DEFAULT_MS})")
    if not isinstance(row_cap, int) or not 1 <= row_cap <= ROW_CAP_MAX:
        raise QueryError(f"row cap {row_cap} is out of range: use 1 to {ROW_CAP_MAX} rows "
                         f"(default {ROW_CAP_DEFAULT})")


@dataclass
class ConsoleResult:
    """What a console query gave: the rows kept under the row cap, and how many there were."""

    columns: list[str]
    rows: list[list[Any]]
    total_rows: int
    row_cap: int
    elapsed_ms: float | None = None

    @property
    def truncated(self) -> bool:
        """True when the row cap cut rows off."""
        return self.total_rows > len(self.rows)

    def note(self) -> str | None:
        """Say that rows were cut, and how to see them, or None when none were."""
        if not self.truncated:
            return None
        return (f"showing the first {len(self.rows):,} of {self.total_rows:,} rows (row cap "
                f"{self.row_cap:,}; raise it up to {ROW_CAP_MAX:,}, or add LIMIT/ORDER BY)")


def console_query(store: Any, cypher: str, params: dict[str, Any] | None = None, *,
                  timeout_ms: int = TIMEOUT_DEFAULT_MS,
                  row_cap: int = ROW_CAP_DEFAULT) -> ConsoleResult:
    """Run a user's Cypher under the console's rules (the browser console and ``kg query``).

    The guard (`check_read_only`) and the limits (`check_limits`) are checked before anything
    reaches the server; the store then runs the query read-only with the timeout, and the
    rows beyond the row cap are dropped (`ConsoleResult.note` says so).

    Parameters
    ----------
    store : GraphStore
        An open store with a graph loaded.
    cypher : str
        The query text.
    params : dict, optional
        Query parameters.
    timeout_ms : int, optional
        1 to `TIMEOUT_MAX_MS`; default `TIMEOUT_DEFAULT_MS`.
    row_cap : int, optional
        1 to `ROW_CAP_MAX`; default `ROW_CAP_DEFAULT`.

    Returns
    -------
    ConsoleResult

    Raises
    ------
    ReadOnlyViolation
        The guard refused the text.
    QueryError
        A limit out of range, or the query failed (`kg.store.base.QueryTimeout`,
        `kg.store.base.QueryMemoryLimit`, `kg.store.base.QuerySyntaxError` ...).

    Examples
    --------
    >>> res = console_query(store, "UNWIND range(1, 5) AS x RETURN x", row_cap=2)
    >>> res.rows, res.note()  # doctest: +ELLIPSIS
    ([[1], [2]], 'showing the first 2 of 5 rows (row cap 2; ...)')
    """
    check_read_only(cypher)
    check_limits(timeout_ms, row_cap)
    res = store.query(cypher, params or {}, read_only=True, timeout_ms=timeout_ms)
    return ConsoleResult(res.columns, res.rows[:row_cap], len(res.rows), row_cap,
                         res.elapsed_ms)
