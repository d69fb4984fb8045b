"""A read-only FalkorDB client over a plain socket, for commands that must start fast.

Importing the ``falkordb`` client (and ``redis-py`` under it, with asyncio and its parsers)
costs about three times the CPU of the rest of ``python -m kg query`` together. `FalkorReader`
speaks the few commands a read needs -- ``AUTH``, ``PING``, ``HGET``/``HGETALL`` of the graph's
metadata, ``GRAPH.RO_QUERY ... --compact timeout N`` -- over RESP2 on a socket, and decodes
FalkorDB's compact result set with the functions `kg.store.falkordb.FalkorStore` decodes it
with (`kg.store.falkordb_decode`; label, relationship-type and property-key ids resolved with
``db.labels()``, ``db.relationshipTypes()``, ``db.propertyKeys()``). Rows come back exactly as
`kg.store.falkordb.FalkorStore.query` returns them (``tests/kg/test_store_falkordb_resp.py``
compares every named query).

It only reads: the read-only guard (`kg.store.guard`) checks every text, and the command is
``GRAPH.RO_QUERY``. It never starts a server: `connect` returns None when none is running for
the state directory, and the caller falls back to `FalkorStore`.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from kg.schema.errors import QueryError, ReadOnlyViolation, StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS, QueryResult, check_query_shape
from kg.store.falkordb_decode import (
    GraphNames,
    decode_meta,
    decode_reply,
    meta_key,
    query_failure,
    text_of,
)
from kg.store.guard import check_read_only

__all__ = ["FalkorReader", "RespError", "connect", "params_header"]

GRAPH_NAME = "alk_kg"  # as kg.store.falkordb.GRAPH_NAME (not imported: it would load more)


class RespError(Exception):
    """An error reply from the server (``-ERR ...``)."""


class _Conn:
    """One RESP2 connection: send a command, read one reply."""

    def __init__(self, port: int, password: str | None, *, timeout_s: float = 30.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)
        self.file = self.sock.makefile("rb")
        if password:
            self.command("AUTH", password)

    def command(self, *args: Any) -> Any:
        parts = [f"*{len(args)}\r\n".encode()]
        for a in args:
            b = a if isinstance(a, bytes) else str(a).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(parts))
        return self._read()

    def _read(self) -> Any:
        line = self.file.readline()
        if not line:
            raise ConnectionError("the server closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RespError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)
            return data[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise ConnectionError(f"unexpected reply from the server: {line[:40]!r}")

    def close(self) -> None:
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


def _quote(v: str) -> str:
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _param(value: Any) -> str:
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_param(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"`{_key(k)}`:{_param(v)}" for k, v in value.items()) + "}"
    return str(value)


def _key(name: Any) -> str:
    text = str(name)
    if not text or "`" in text:
        raise QueryError(f"parameter or map key {text!r} cannot be empty or hold a backtick")
    return text


def params_header(params: dict[str, Any] | None) -> str:
    """Return the ``CYPHER name=value ...`` prefix carrying query parameters to FalkorDB.

    The same text the ``falkordb`` client builds: strings double-quoted with ``\\`` and ``"``
    escaped, lists and maps written out, None as ``null``.

    Parameters
    ----------
    params : dict or None
        Query parameters.

    Returns
    -------
    str
        '' without parameters.

    Raises
    ------
    QueryError
        A parameter name or map key that is empty or holds a backtick.

    Examples
    --------
    >>> params_header({"id": 'a "b"', "ids": ["x"], "n": None})
    'CYPHER `id`="a \\\\"b\\\\"" `ids`=["x"] `n`=null '
    """
    if not params:
        return ""
    return "CYPHER " + "".join(f"`{_key(k)}`={_param(v)} " for k, v in params.items())


class FalkorReader:
    """Read the served graph of a running embedded server, without the ``falkordb`` client.

    Parameters
    ----------
    port : int
        The server's port on 127.0.0.1.
    password : str or None
        Its password.
    graph_name : str, optional
        The served graph's key.

    Examples
    --------
    >>> info = store.server.info()
    >>> r = FalkorReader(info["port"], info["password"])
    >>> r.query("MATCH (d:Drug {id: $id}) RETURN d.name AS name", {"id": "drug:alectinib"}).rows
    [['alectinib']]
    >>> r.graph_version() == store.graph_version()
    True
    >>> r.close()
    """

    name = "falkordb"

    def __init__(self, port: int, password: str | None, *,
                 graph_name: str = GRAPH_NAME) -> None:
        try:
            self.conn = _Conn(port, password)
            pong = self.conn.command("PING")
        except OSError as exc:
            raise StoreError(f"FalkorDB on port {port} did not answer: {exc}") from exc
        if isinstance(pong, RespError):
            raise StoreError(f"FalkorDB refused the connection: {pong}")
        self.graph_name = graph_name
        #: Kept between queries; fetched again when a reply names an id they do not list.
        self._names = GraphNames(self._list_names)

    def graph_version(self) -> str:
        """Return the fingerprint recorded with the served graph ('' before any load)."""
        return text_of(self.conn.command("HGET", meta_key(self.graph_name), "version"))

    def meta(self) -> dict[str, Any]:
        """Return what the last load recorded: version, built_at, counts, sources."""
        flat = self.conn.command("HGETALL", meta_key(self.graph_name)) or []
        return decode_meta(zip(flat[0::2], flat[1::2], strict=True))

    def query(self, cypher: str, params: dict[str, Any] | None = None, *,
              read_only: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> QueryResult:
        """Run read-only Cypher on the served graph (``GRAPH.RO_QUERY``).

        Parameters
        ----------
        cypher : str
            A read query; the read-only guard refuses anything else before it is sent.
        params : dict, optional
            Its ``$name`` values, written by `params_header`.
        read_only : bool, optional
            Must be True: this client only reads.
        timeout_ms : int, optional
            As `FalkorStore.query` takes it.

        Returns
        -------
        QueryResult
            As `kg.store.falkordb.FalkorStore.query` gives it.

        Raises
        ------
        ReadOnlyViolation
            `read_only` is False, or the guard refused the text, or the server did.
        QueryError
            Syntax error, timeout, memory cap, or another failure.
        """
        if not read_only:
            raise ReadOnlyViolation("FalkorReader only reads; use FalkorStore to write")
        check_read_only(cypher)
        check_query_shape(cypher, params)
        reply = self._ro(params_header(params) + cypher, timeout_ms)
        if isinstance(reply, RespError) or (isinstance(reply, list) and reply
                                            and isinstance(reply[-1], RespError)):
            err = reply if isinstance(reply, RespError) else reply[-1]
            raise query_failure(str(err), cypher, timeout_ms=timeout_ms)
        return decode_reply(reply, self._names)

    def _ro(self, text: str, timeout_ms: int) -> Any:
        try:
            return self.conn.command("GRAPH.RO_QUERY", self.graph_name, text, "--compact",
                                     "timeout", int(timeout_ms))
        except OSError as exc:
            raise QueryError(f"FalkorDB error: {exc}") from exc

    def _list_names(self, proc: str) -> list[Any]:
        """The rows of ``CALL <proc>()`` on the served graph (see `GraphNames`)."""
        col = {"db.labels": "label", "db.relationshipTypes": "relationshipType",
               "db.propertyKeys": "propertyKey"}[proc]
        reply = self._ro(f"CALL {proc}() YIELD {col} RETURN {col}", DEFAULT_TIMEOUT_MS)
        if isinstance(reply, RespError) or len(reply) < 3:
            raise QueryError(f"FalkorDB did not list its {proc.removeprefix('db.')}: {reply}")
        return reply[1]

    def close(self) -> None:
        """Close the connection (the server keeps running)."""
        self.conn.close()


def connect(state_dir: str | Path | None) -> FalkorReader | None:
    """Return a reader of the server running for a state directory, or None when none runs.

    Parameters
    ----------
    state_dir : str or pathlib.Path or None
        The state directory (default ``var/falkordb`` or ``$KG_STATE_DIR``).

    Returns
    -------
    FalkorReader or None
        None when no live server is recorded there or it does not answer (the caller then
        opens `kg.store.falkordb.FalkorStore`, which starts one).
    """
    from kg.store.falkordb_server import FalkorServer

    info = FalkorServer(Path(state_dir) if state_dir else None).info()
    if info is None:
        return None
    try:
        return FalkorReader(info["port"], info.get("password"))
    except StoreError:
        return None
