"""FalkorDB's compact replies (``--compact``) decoded to plain Python, for both clients.

`kg.store.falkordb.FalkorStore` (redis-py, replies already text) and the quick reader
`kg.store.falkordb_resp.FalkorReader` (a plain socket, replies as bytes) decode through the
same functions, so both give the same rows: `decode_reply` for a result set, `decode_value`
for one value, `GraphNames` for the label, relationship-type and property-key ids of nodes,
edges and paths, `decode_meta` for the graph's metadata hash, and `query_failure` for an
error reply. Importing this module stays cheap (the quick reader starts fast): no client
library, no schema.

Examples
--------
>>> from kg.cypher import SHARED_LABEL as loader_label
>>> loader_label == SHARED_LABEL
True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from kg.schema.errors import QueryError
from kg.store.base import QueryResult, read_only_refusal, server_error
from kg.store.falkordb_config import QUERY_MEM_CAPACITY_MB

__all__ = ["decode_value", "decode_reply", "decode_meta", "GraphNames", "StaleNames",
           "elapsed_ms", "meta_key", "text_of", "query_failure", "SHARED_LABEL"]

#: As `kg.cypher.SHARED_LABEL` (not imported: `kg.cypher` loads the schema, which the quick
#: reader must not wait for; the module's example checks they agree).
SHARED_LABEL = "Node"


def text_of(value: Any) -> str:
    """Return a reply's text: bytes decoded, a string as it is, anything else ''.

    Parameters
    ----------
    value : bytes or str or None
        One reply (``HGET``'s, say).

    Returns
    -------
    str

    Examples
    --------
    >>> text_of(b"1a2b"), text_of("1a2b"), text_of(None)
    ('1a2b', '1a2b', '')
    """
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, str) else ""


def _str(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def meta_key(graph_name: str) -> str:
    """Return the key of a graph's metadata hash (version, built_at, counts, sources).

    Parameters
    ----------
    graph_name : str
        The served graph's key.

    Returns
    -------
    str
        ``<graph_name>:meta``.
    """
    return f"{graph_name}:meta"


def decode_meta(pairs: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """Return a graph's metadata hash as a dict, its JSON fields parsed.

    Parameters
    ----------
    pairs : iterable of (key, value)
        The hash's fields and values, as bytes or text.

    Returns
    -------
    dict
        ``nodes``, ``edges`` and ``sources`` parsed from JSON; the rest as text.

    Examples
    --------
    >>> decode_meta([(b"version", b"1a2b"), ("nodes", '{"Drug": 3}')])
    {'version': '1a2b', 'nodes': {'Drug': 3}}
    """
    raw = {_str(k): v.decode() if isinstance(v, bytes) else v for k, v in pairs}
    for k in ("nodes", "edges", "sources"):
        if k in raw:
            raw[k] = json.loads(raw[k])
    return raw


def elapsed_ms(stats: list[Any]) -> float | None:
    """Return the server's own execution time from a reply's statistics, if it is there.

    Parameters
    ----------
    stats : list
        The statistics lines of a reply (bytes or text).

    Returns
    -------
    float or None
        Milliseconds.

    Examples
    --------
    >>> elapsed_ms([b"Cached execution: 0", b"Query internal execution time: 0.25 milliseconds"])
    0.25
    """
    for s in stats or []:
        text = _str(s)
        if "execution time" in text:
            try:
                return float(text.split(":", 1)[1].split()[0])
            except (IndexError, ValueError):
                return None
    return None


class StaleNames(QueryError):
    """A label, type or property id the fetched names do not know (the graph was reloaded)."""


class GraphNames:
    """Label, relationship-type and property-key names of a graph, fetched when first needed.

    Only nodes, edges and paths in a reply need them; most named queries return none.

    Parameters
    ----------
    fetch : callable
        ``fetch(procedure)`` runs ``CALL <procedure>()`` (``db.labels``,
        ``db.relationshipTypes``, ``db.propertyKeys``) and returns the rows of its compact
        reply, one name each.
    """

    def __init__(self, fetch: Callable[[str], list[Any]]) -> None:
        self._fetch = fetch
        self._lists: dict[str, list[str]] = {}

    def get(self, proc: str, i: int) -> str:
        """Return the name of id `i` listed by `proc`.

        Parameters
        ----------
        proc : str
            ``db.labels``, ``db.relationshipTypes`` or ``db.propertyKeys``.
        i : int
            The id in a compact reply.

        Returns
        -------
        str

        Raises
        ------
        StaleNames
            `i` is not listed (the graph was reloaded since the names were fetched).
        """
        names = self._lists.get(proc)
        if names is None:
            names = self._lists[proc] = [decode_value(row[0]) for row in self._fetch(proc)]
        if i >= len(names):
            raise StaleNames(f"the graph changed while its reply was decoded ({proc} lists no "
                             f"id {i}); run the query again")
        return names[i]

    def refresh(self) -> None:
        """Forget the fetched names (they are fetched again when next needed)."""
        self._lists.clear()

    def props(self, raw: list[Any]) -> dict[str, Any]:
        """Return the properties of a node or an edge of a compact reply.

        Parameters
        ----------
        raw : list
            ``[[key id, type code, value], ...]``.

        Returns
        -------
        dict
        """
        return {self.get("db.propertyKeys", p[0]): decode_value(p[1:], self) for p in raw}


def decode_value(tv: Any, names: GraphNames | None = None) -> Any:
    """Turn one value of a compact FalkorDB reply (``[type, value]``) into plain Python.

    Strings, integers, floats, booleans, null, lists and maps become themselves; a node
    becomes ``{id, labels, properties, element_id}`` (the shared label last), an edge
    ``{type, properties, element_id, start, end}`` (element ids: the server's internal ids),
    a path ``{nodes, edges}``, a point ``{latitude, longitude}``.

    Parameters
    ----------
    tv : list
        ``[type code, value]`` as the server sends it with ``--compact`` (text as bytes or
        str).
    names : GraphNames, optional
        Resolves label, type and property ids; required for nodes, edges and paths.

    Returns
    -------
    object

    Raises
    ------
    QueryError
        A node, edge or path without `names`, or a type code this decoder does not know.

    Examples
    --------
    >>> decode_value([10, ["a", [3, 1], "b", [6, [[2, "x"], [5, "0.5"], [1, None]]]]])
    {'a': 1, 'b': ['x', 0.5, None]}
    >>> decode_value([10, [b"a", [2, b"x"], b"t", [4, b"true"]]])
    {'a': 'x', 't': True}
    """
    t, v = tv[0], tv[1]
    if t == 2:  # string
        return v.decode() if isinstance(v, bytes) else v
    if t == 3:  # integer
        return v
    if t == 1:
        return None
    if t == 10:
        return {_str(v[i]): decode_value(v[i + 1], names) for i in range(0, len(v), 2)}
    if t == 6:
        return [decode_value(x, names) for x in v]
    if t == 5:
        return float(v)
    if t == 4:
        return v == "true" or v == b"true" or v is True
    if t in (7, 8, 9) and names is None:
        raise QueryError("a node, edge or path value needs the graph's names to decode")
    if t == 8:
        labels = [names.get("db.labels", i) for i in v[1]]
        labels.sort(key=lambda lb: lb == SHARED_LABEL)
        props = names.props(v[2])
        return {"id": props.get("id"), "labels": labels, "properties": props,
                "element_id": v[0]}
    if t == 7:
        return {"type": names.get("db.relationshipTypes", v[1]),
                "properties": names.props(v[4]), "element_id": v[0], "start": v[2],
                "end": v[3]}
    if t == 9:
        return {"nodes": decode_value(v[0], names), "edges": decode_value(v[1], names)}
    if t == 11:
        return {"latitude": float(v[0]), "longitude": float(v[1])}
    if t == 12:
        return [float(x) for x in v]
    if 13 <= t <= 16:  # datetime, date, time, duration: seconds since the epoch
        from datetime import UTC, datetime, timedelta

        if t == 16:
            return timedelta(seconds=v)
        stamp = datetime.fromtimestamp(v, tz=UTC)
        return stamp if t == 13 else stamp.date() if t == 14 else stamp.time()
    raise QueryError(f"cannot decode a FalkorDB value of type {t}: {v!r}")


def decode_reply(reply: list[Any], names: GraphNames) -> QueryResult:
    """Turn the compact reply of ``GRAPH.QUERY`` / ``GRAPH.RO_QUERY`` into a `QueryResult`.

    Parameters
    ----------
    reply : list
        ``[header, rows, statistics]``, or ``[statistics]`` for a query returning nothing.
    names : GraphNames
        The graph's names; fetched again once if the graph changed under the reply.

    Returns
    -------
    QueryResult
        ``elapsed_ms`` is the server's own execution time.

    Raises
    ------
    QueryError
        A value that cannot be decoded.
    """
    if len(reply) < 3:  # no result set: only statistics
        return QueryResult([], [], elapsed_ms=elapsed_ms(reply[-1] if reply else []))
    header, rows, stats = reply[0], reply[1], reply[2]
    columns = [_str(h[1]) if isinstance(h, list | tuple) else str(h) for h in header]
    dec = decode_value
    try:
        out = [[dec(v, names) for v in row] for row in rows]
    except StaleNames:
        names.refresh()
        out = [[dec(v, names) for v in row] for row in rows]
    return QueryResult(columns, out, elapsed_ms=elapsed_ms(stats))


def query_failure(message: str, cypher: str, *, timeout_ms: int) -> QueryError:
    """Return the named error of a FalkorDB error reply to a query.

    Parameters
    ----------
    message : str
        What the server said.
    cypher : str
        The query that failed.
    timeout_ms : int
        The timeout it ran with.

    Returns
    -------
    QueryError
        `ReadOnlyViolation` for a write refused by ``GRAPH.RO_QUERY``, else what
        `kg.store.base.server_error` makes of the message (with the server's memory cap).

    Examples
    --------
    >>> type(query_failure("graph.RO_QUERY is to be executed only on read-only queries",
    ...                    "CREATE (n)", timeout_ms=10)).__name__
    'ReadOnlyViolation'
    """
    if "read-only" in message.lower():
        return read_only_refusal(message)
    return server_error(message, cypher, timeout_ms=timeout_ms,
                        memory_cap_mb=QUERY_MEM_CAPACITY_MB)
