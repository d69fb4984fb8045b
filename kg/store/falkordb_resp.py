"""A read-only FalkorDB client over a plain socket, for commands that must start fast.

Importing the ``falkordb`` client (and ``redis-py`` under it, with asyncio and its parsers)
costs about three times the CPU of the rest of ``python -m kg query`` together. `FalkorReader`
speaks the few commands a read needs -- ``AUTH``, ``PING``, ``HGET``/``HGETALL`` of the graph's
metadata, ``GRAPH.RO_QUERY ... --compact timeout N`` -- over RESP2 on a socket, and decodes
FalkorDB's compact result set the way the ``falkordb`` client does (label, relationship-type
and property-key ids resolved with ``db.labels()``, ``db.relationshipTypes()``,
``db.propertyKeys()``). Rows come back exactly as `kg.store.falkordb.FalkorStore.query`
returns them (``tests/kg/test_store_falkordb_resp.py`` compares every named query).

It only reads: the read-only guard (`kg.store.guard`) checks every text, and the command is
``GRAPH.RO_QUERY``. It never starts a server: `connect` returns None when none is running for
the state directory, and the caller falls back to `FalkorStore`.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from kg.schema.errors import QueryError, ReadOnlyViolation, StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS, QueryResult, server_error
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
        self._names: dict[str, list[str]] = {"labels": [], "relationshipTypes": [],
                                             "propertyKeys": []}

    @property
    def _meta_key(self) -> str:
        return f"{self.graph_name}:meta"

    def graph_version(self) -> str:
        """Return the served graph's fingerprint, '' when nothing is loaded."""
        v = self.conn.command("HGET", self._meta_key, "version")
        return v.decode() if isinstance(v, bytes) else ""

    def meta(self) -> dict[str, Any]:
        """Return what the last load recorded: version, built_at, counts, sources."""
        flat = self.conn.command("HGETALL", self._meta_key) or []
        raw = {flat[i].decode(): flat[i + 1].decode() for i in range(0, len(flat), 2)}
        for k in ("nodes", "edges", "sources"):
            if k in raw:
                raw[k] = json.loads(raw[k])
        return raw

    def query(self, cypher: str, params: dict[str, Any] | None = None, *,
              read_only: bool = True, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> QueryResult:
        """Run read-only Cypher on the served graph (``GRAPH.RO_QUERY``).

        Parameters
        ----------
        cypher : str
            openCypher text; values go in `params`.
        params : dict, optional
            Query parameters.
        read_only : bool, optional
            Must be True: this client only reads.
        timeout_ms : int, optional
            Server-side timeout.

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
        reply = self._ro(params_header(params) + cypher, timeout_ms)
        if isinstance(reply, RespError) or (isinstance(reply, list) and reply
                                            and isinstance(reply[-1], RespError)):
            err = reply if isinstance(reply, RespError) else reply[-1]
            msg = str(err)
            if "read-only" in msg.lower():
                raise ReadOnlyViolation(f"refused by the server (read-only): {msg}")
            from kg.store.falkordb_server import QUERY_MEM_CAPACITY_MB

            raise server_error(msg, cypher, timeout_ms=timeout_ms,
                               memory_cap_mb=QUERY_MEM_CAPACITY_MB)
        if len(reply) == 1:  # statistics only
            return QueryResult([], [], elapsed_ms=_elapsed(reply[0]))
        header, rows, stats = reply
        columns = [h[1].decode() if isinstance(h[1], bytes) else str(h[1]) for h in header]
        return QueryResult(columns, [[self._scalar(c) for c in row] for row in rows],
                           elapsed_ms=_elapsed(stats))

    def _ro(self, text: str, timeout_ms: int) -> Any:
        try:
            return self.conn.command("GRAPH.RO_QUERY", self.graph_name, text, "--compact",
                                     "timeout", int(timeout_ms))
        except OSError as exc:
            raise QueryError(f"FalkorDB error: {exc}") from exc

    def _name(self, kind: str, idx: int) -> str:
        names = self._names[kind]
        if idx >= len(names):
            col = {"labels": "label", "relationshipTypes": "relationshipType",
                   "propertyKeys": "propertyKey"}[kind]
            reply = self._ro(f"CALL db.{kind}() YIELD {col} RETURN {col}", DEFAULT_TIMEOUT_MS)
            if isinstance(reply, RespError) or len(reply) < 3:
                raise QueryError(f"FalkorDB did not list its {kind}: {reply}")
            names[:] = [self._scalar(row[0]) for row in reply[1]]
        return names[idx]

    def _props(self, raw: list[Any]) -> dict[str, Any]:
        return {self._name("propertyKeys", p[0]): self._scalar(p[1:]) for p in raw}

    def _scalar(self, cell: list[Any]) -> Any:
        kind, value = int(cell[0]), cell[1]
        if kind == 1:
            return None
        if kind == 2:
            return value.decode() if isinstance(value, bytes) else str(value)
        if kind == 3:
            return int(value)
        if kind == 4:
            return (value.decode() if isinstance(value, bytes) else value) == "true"
        if kind == 5:
            return float(value)
        if kind == 6:
            return [self._scalar(v) for v in value]
        if kind == 7:  # edge: id, type id, source id, target id, properties
            return {"type": self._name("relationshipTypes", value[1]),
                    "properties": self._props(value[4]), "element_id": int(value[0]),
                    "start": int(value[2]), "end": int(value[3])}
        if kind == 8:  # node: id, label ids, properties
            props = self._props(value[2])
            return {"id": props.get("id"),
                    "labels": [self._name("labels", i) for i in value[1]],
                    "properties": props, "element_id": int(value[0])}
        if kind == 9:
            return {"nodes": self._scalar(value[0]), "edges": self._scalar(value[1])}
        if kind == 10:
            return {(value[i].decode() if isinstance(value[i], bytes) else str(value[i])):
                    self._scalar(value[i + 1]) for i in range(0, len(value), 2)}
        if kind == 11:
            return {"latitude": float(value[0]), "longitude": float(value[1])}
        if kind == 12:
            return [float(v) for v in value]
        raise QueryError(f"FalkorDB returned a value of type {kind} (temporal or unknown), "
                         "which the quick reader does not decode; use FalkorStore")

    def close(self) -> None:
        """Close the connection (the server keeps running)."""
        self.conn.close()


def _elapsed(stats: list[Any]) -> float | None:
    for s in stats or []:
        text = s.decode() if isinstance(s, bytes) else str(s)
        if "internal execution time" in text:
            return float(text.split(": ")[1].split(" ")[0])
    return None


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
