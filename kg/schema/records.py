"""The record types every adapter yields and every store loads.

An adapter in `ingest/` exposes ``iter_nodes()`` and ``iter_edges()`` generating these frozen
records; `kg.graph` assembles them into a networkx MultiDiGraph and validates them against
`kg.schema`; the stores load them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NodeRecord", "EdgeRecord", "edge_id"]


@dataclass(frozen=True)
class NodeRecord:
    """A node: a public-namespace id, one schema label and its properties.

    Parameters
    ----------
    id : str
        CURIE-like identifier, e.g. ``HGNC:427`` or ``ALK:p.G1202R``.
    label : str
        A node label declared in ``kg/schema/schema.yaml``.
    props : dict
        Properties; must include the provenance properties (``source``,
        ``source_version``, ``licence``).
    origin : str or None
        ``file:line`` the record came from, for error messages; not stored.
    """

    id: str
    label: str
    props: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None


@dataclass(frozen=True)
class EdgeRecord:
    """An edge: deterministic id, source and target node ids, one relationship type.

    Parameters
    ----------
    id : str
        Deterministic id (see `edge_id`).
    source, target : str
        Node ids.
    type : str
        A relationship type declared in ``kg/schema/schema.yaml``.
    props : dict
        Properties; provenance plus the citation (``bib_key`` and ``locator`` for
        curated data, ``source_record_id`` and ``source_url`` for imports).
    origin : str or None
        ``file:line`` the record came from, for error messages; not stored.
    """

    id: str
    source: str
    target: str
    type: str
    props: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None


def edge_id(source: str, type_: str, target: str, *qualifiers: str) -> str:
    """Return a deterministic edge id from named fields.

    Parameters
    ----------
    source, type_, target : str
        The edge's endpoints and relationship type.
    *qualifiers : str
        Whatever distinguishes two edges between the same pair (e.g. the claim id or bib key).

    Returns
    -------
    str
        ``"e:" + the first 16 hex digits of sha256`` over the fields joined by NUL.

    Examples
    --------
    >>> edge_id("HGNC:427", "TARGETS", "drug:alectinib") == edge_id(
    ...     "HGNC:427", "TARGETS", "drug:alectinib")
    True
    """
    text = "\x00".join((source, type_, target, *qualifiers))
    return "e:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
