"""FalkorDB's bulk path: ``GRAPH.BULK`` fed straight from the assembled graph.

This is what ``falkordb-bulk-loader`` sends, without its CSV files: the graph's nodes and
edges are streamed once, sorted by id, and each record is both encoded into the binary
``GRAPH.BULK`` format and hashed into the graph's fingerprint (the same SHA-256 of the
JSON Lines export as `kg.graph.EvidenceGraph.fingerprint`), so a load needs no second pass.
A sender thread writes one batch while the next one is encoded.

The binary format (``falkordb-bulk-loader``'s ``entity_file.py``): per label or relationship
type, a header (name NUL-terminated -- ``Drug:Node`` gives a node both labels --, a uint32
property count, the property names NUL-terminated), then one record per entity: for an edge
two uint64 internal node ids first (nodes are numbered in the order they are sent), then
every property as a type byte and its value (0 null = not set, 1 bool, 2 double, 3 string
NUL-terminated, 4 int64, 5 array: int64 length and typed elements).

The first batch either creates the key (``BEGIN``) or goes into an empty graph that already
has its indexes, which the server then fills while the batches arrive (what
`kg.store.falkordb.FalkorStore.load` does: building them afterwards took longer than the
stream itself at 1M edges).
"""

from __future__ import annotations

import hashlib
import math
import queue
import struct
import threading
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from kg.cypher import SHARED_LABEL
from kg.graph import EvidenceGraph
from kg.schema.errors import StoreError

__all__ = ["bulk_load", "encode_value", "entity_header", "BATCH_BYTES"]

#: Bytes of encoded records per ``GRAPH.BULK`` call.
BATCH_BYTES = 16_000_000
_PACK_Q = struct.Struct("=Bq").pack
_PACK_D = struct.Struct("=Bd").pack
_PACK_EDGE = struct.Struct("=QQ").pack
_NULL, _TRUE, _FALSE = b"\x00", b"\x01\x01", b"\x01\x00"

Progress = Callable[[int, int], None]


def encode_value(value: Any) -> bytes:
    """Encode one property value in ``GRAPH.BULK``'s binary form.

    Parameters
    ----------
    value : str, int, float, bool, list or None
        A property value of the schema's types (None: the property is not set).

    Returns
    -------
    bytes
        A type byte followed by the value.

    Raises
    ------
    StoreError
        A type the bulk format has no encoding for, or a float that is not finite.

    Examples
    --------
    >>> encode_value("ab"), encode_value(True), encode_value(None)
    (b'\\x03ab\\x00', b'\\x01\\x01', b'\\x00')
    >>> encode_value(["x"])
    b'\\x05\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x03x\\x00'
    """
    if value.__class__ is str:
        return b"\x03" + value.encode() + b"\x00"
    if value is None:
        return _NULL
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    if isinstance(value, int):
        return _PACK_Q(4, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise StoreError(f"cannot bulk-load the non-finite number {value!r}")
        return _PACK_D(2, value)
    if isinstance(value, list | tuple):
        return _PACK_Q(5, len(value)) + b"".join(encode_value(v) for v in value)
    if isinstance(value, str):  # a str subclass
        return b"\x03" + str(value).encode() + b"\x00"
    raise StoreError(f"cannot bulk-load a {type(value).__name__} property value: {value!r}")


def entity_header(name: str, props: Iterable[str]) -> bytes:
    """Return the header of one label's (or relationship type's) block.

    Parameters
    ----------
    name : str
        ``Label`` or ``Label:Other`` for nodes, the type for edges.
    props : iterable of str
        The property names, in the order every record of the block encodes them.

    Returns
    -------
    bytes
        Name, property count (uint32), names; NUL-terminated strings.

    Examples
    --------
    >>> entity_header("T", ["id"])
    b'T\\x00\\x01\\x00\\x00\\x00id\\x00'
    """
    names = list(props)
    return (name.encode() + b"\x00" + struct.pack("=I", len(names))
            + b"".join(p.encode() + b"\x00" for p in names))


def _encode_row(values: Iterable[Any], out: list[bytes]) -> None:
    """Append the encoding of `values` to `out` (strings, the common case, inline)."""
    app = out.append
    for v in values:
        if v.__class__ is str:
            app(b"\x03")
            app(v.encode())
            app(b"\x00")
        elif v is None:
            app(_NULL)
        else:
            app(encode_value(v))


class _Block:
    """The records of one label or type within one batch."""

    __slots__ = ("header", "keys", "parts")

    def __init__(self, header: bytes, keys: tuple[str, ...]) -> None:
        self.header, self.keys, self.parts = header, keys, [header]


def _stream(eg: EvidenceGraph, hasher: Any, extra: Callable[[dict[str, Any]], dict[str, Any]],
            *, begin: bool = True) -> Iterator[tuple[list[Any], int]]:
    """Yield ``(GRAPH.BULK arguments, records in them)`` batches, hashing every record."""
    g = eg.graph
    node_keys: dict[str, set[str]] = {}
    for _, d in g.nodes(data=True):
        node_keys.setdefault(d["label"], set()).update(d["props"])
    edge_keys: dict[str, set[str]] = {}
    for *_, d in g.edges(keys=True, data=True):
        edge_keys.setdefault(d["type"], set()).update(d["props"])
    extra_keys = tuple(extra({}))
    node_order = {lb: ("id", *sorted(k - {"id"}), *extra_keys)
                  for lb, k in node_keys.items()}
    edge_order = {t: ("id", *sorted(k - {"id"})) for t, k in edge_keys.items()}
    node_props = {lb: keys[1:len(keys) - len(extra_keys)] for lb, keys in node_order.items()}
    edge_props = {t: keys[1:] for t, keys in edge_order.items()}
    internal: dict[str, int] = {}
    update = hasher.update
    encode_json = _json_encoder()

    def flush(blocks: dict[str, _Block], n_nodes: int, n_edges: int, first: bool,
              ) -> list[Any]:
        labels = [b"".join(b.parts) for k, b in blocks.items() if k[0] == "n"]
        types = [b"".join(b.parts) for k, b in blocks.items() if k[0] == "e"]
        args: list[Any] = ["BEGIN"] if first else []
        return args + [n_nodes, n_edges, len(labels), len(types), *labels, *types]

    first = begin
    blocks: dict[str, _Block] = {}
    size = count_n = 0
    # Nodes: numbered in the order they are sent, i.e. block by block within each batch.
    pending: list[tuple[str, str]] = []
    nodes = g.nodes
    for nid in sorted(nodes):
        data = nodes[nid]
        label, props = data["label"], data["props"]
        # the export line, as kg.graph.node_line writes it (tests check they agree)
        update(encode_json({"kind": "node", "id": nid, "labels": [label],
                            "properties": props}).encode())
        key = "n" + label
        b = blocks.get(key)
        if b is None:
            b = blocks[key] = _Block(entity_header(f"{label}:{SHARED_LABEL}",
                                                   node_order[label]), node_order[label])
        parts = b.parts
        before = len(parts)
        _encode_row((nid, *map(props.get, node_props[label]), *extra(props).values()), parts)
        size += sum(map(len, parts[before:]))
        pending.append((key, nid))
        count_n += 1
        if size >= BATCH_BYTES:
            _number(pending, blocks, internal)
            yield flush(blocks, count_n, 0, first), count_n
            first, blocks, size, count_n, pending = False, {}, 0, 0, []
    _number(pending, blocks, internal)
    count_e = 0
    for s, t, eid, data in sorted(g.edges(keys=True, data=True), key=itemgetter(2)):
        etype, props = data["type"], data["props"]
        # the export line, as kg.graph.edge_line writes it
        update(encode_json({"kind": "edge", "id": eid, "type": etype, "source": s,
                            "target": t, "properties": props}).encode())
        key = "e" + etype
        b = blocks.get(key)
        if b is None:
            b = blocks[key] = _Block(entity_header(etype, edge_order[etype]), edge_order[etype])
        parts = b.parts
        before = len(parts)
        parts.append(_PACK_EDGE(internal[s], internal[t]))
        _encode_row((eid, *map(props.get, edge_props[etype])), parts)
        size += sum(map(len, parts[before:]))
        count_e += 1
        if size >= BATCH_BYTES:
            yield flush(blocks, count_n, count_e, first), count_n + count_e
            first, blocks, size, count_n, count_e = False, {}, 0, 0, 0
    if count_n or count_e or (first and begin):
        yield flush(blocks, count_n, count_e, first), count_n + count_e


def _json_encoder() -> Callable[[Any], str]:
    """The encoder of the export lines (`kg.graph.node_line`, `kg.graph.edge_line`)."""
    from kg.graph import _ENCODER

    return _ENCODER.encode


def _number(pending: list[tuple[str, str]], blocks: dict[str, _Block],
            internal: dict[str, int]) -> None:
    """Give the nodes of one batch their internal ids: block order, then record order."""
    order = {key: i for i, key in enumerate(k for k in blocks if k[0] == "n")}
    start = len(internal)
    counts = dict.fromkeys(order, 0)
    for key, _ in pending:
        counts[key] += 1
    offset, base = 0, {}
    for key in sorted(order, key=order.__getitem__):
        base[key] = start + offset
        offset += counts[key]
    seen = dict.fromkeys(order, 0)
    for key, nid in pending:
        internal[nid] = base[key] + seen[key]
        seen[key] += 1


def bulk_load(redis_client: Any, graph_key: str, eg: EvidenceGraph, *,
              extra: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
              progress: Progress | None = None, begin: bool = True) -> str:
    """Fill `graph_key` from `eg` with ``GRAPH.BULK``; return the graph's fingerprint.

    Parameters
    ----------
    redis_client : redis.Redis
        A client of the FalkorDB server (used by the sender thread only, for the load).
    graph_key : str
        A key that does not exist yet (`begin`), or an empty graph, e.g. one holding only
        its indexes: the server then maintains them as the batches arrive, on its own core
        while this process encodes the next batch.
    eg : EvidenceGraph
        The validated graph.
    extra : callable, optional
        ``extra(props) -> dict`` of derived node properties (the loader's ``search_text``);
        ``extra({})`` must give the same keys.
    progress : callable, optional
        ``progress(records_sent, records_total)`` after every batch.
    begin : bool, optional
        Send ``BEGIN`` with the first batch (it creates the key; refused when it exists).

    Returns
    -------
    str
        `EvidenceGraph.fingerprint` of `eg`, computed while streaming.

    Raises
    ------
    StoreError
        The server refused a batch (the partial graph is left for the caller to delete).
    """
    total = eg.graph.number_of_nodes() + eg.graph.number_of_edges()
    hasher = hashlib.sha256()
    batches: queue.Queue[list[Any] | None] = queue.Queue(maxsize=2)
    failure: list[BaseException] = []
    sent = [0]

    def sender() -> None:
        while True:
            item = batches.get()
            if item is None:
                return
            if failure:
                continue
            try:
                redis_client.execute_command("GRAPH.BULK", graph_key, *item)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                failure.append(exc)

    thread = threading.Thread(target=sender, name="graph-bulk", daemon=True)
    thread.start()
    try:
        for args, n in _stream(eg, hasher, extra or (lambda _p: {}), begin=begin):
            if failure:
                break
            batches.put(args)
            sent[0] += n
            if progress is not None:
                progress(sent[0], total)
    finally:
        batches.put(None)
        thread.join()
    if failure:
        raise StoreError(f"GRAPH.BULK refused a batch for {graph_key}: {failure[0]}")
    return hasher.hexdigest()[:12]
