"""What every view shares: the runner, the store it runs on, schema names, source filters.

Every view function takes a *runner*: a callable ``run(query_name, params) -> list[dict]``
that executes a named query from ``queries/``. The app passes a runner whose results are
cached by (query name, parameters, graph version); tests and benchmarks use `store_runner`.
`connect` opens the store a runner runs on, so the app never imports ``kg.store`` itself.

Evidence sources: a claim whose ``source`` is ``'civic'`` is CIViC evidence, every other
claim is curated. `SOURCE_FILTERS` names the three views the browser offers.

The node labels and relationship types the views reason about are named once, below, and
checked against ``kg/schema/schema.yaml`` at import (`SchemaError` if one is missing).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.queries import load_query
from kg.schema import load_schema
from kg.schema.errors import SchemaError
from kg.store import GraphStore, open_store

__all__ = [
    "Runner", "connect", "store_runner", "query_text", "checked_label", "checked_rel",
    "SOURCE_FILTERS", "HIDDEN_PROPS", "evidence_source", "keep_source", "humanize",
    "label_counts", "find_nodes", "get_node", "neighbours",
    "CLAIM", "PUBLICATION", "TRIAL", "OUTCOME", "CONFLICT", "VARIANT", "MECHANISM", "GENE",
    "DRUG", "RESISTANCE", "SENSITIVITY", "ASSERTED_IN", "CITES_SOURCE", "REPORTED_IN",
    "CITES", "REPLIES_TO", "CONFLICT_SIDE", "COMPONENT_OF",
]

Runner = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]


def checked_label(label: str) -> str:
    """Return `label` after checking that the schema declares it as a node label.

    Parameters
    ----------
    label : str
        A node label the views reason about.

    Returns
    -------
    str
        `label` itself.

    Raises
    ------
    SchemaError
        The schema has no such node label.

    Examples
    --------
    >>> checked_label("Drug")
    'Drug'
    """
    if label not in load_schema().nodes:
        raise SchemaError(f"kg.views needs node label {label!r}, absent from the schema")
    return label


def checked_rel(rtype: str) -> str:
    """Return `rtype` after checking that the schema declares it as a relationship type.

    Parameters
    ----------
    rtype : str
        A relationship type the views reason about.

    Returns
    -------
    str
        `rtype` itself.

    Raises
    ------
    SchemaError
        The schema has no such relationship type.

    Examples
    --------
    >>> checked_rel("CONFERS_RESISTANCE_TO")
    'CONFERS_RESISTANCE_TO'
    """
    if rtype not in load_schema().relationships:
        raise SchemaError(f"kg.views needs relationship {rtype!r}, absent from the schema")
    return rtype


CLAIM, PUBLICATION, TRIAL, OUTCOME, CONFLICT = (
    checked_label("Claim"), checked_label("Publication"), checked_label("Trial"),
    checked_label("Outcome"), checked_label("Conflict"))
VARIANT, MECHANISM, GENE, DRUG = (
    checked_label("Variant"), checked_label("ResistanceMechanism"), checked_label("Gene"),
    checked_label("Drug"))
RESISTANCE, SENSITIVITY = (
    checked_rel("CONFERS_RESISTANCE_TO"), checked_rel("CONFERS_SENSITIVITY_TO"))
ASSERTED_IN, CITES_SOURCE, REPORTED_IN = (
    checked_rel("ASSERTED_IN"), checked_rel("CITES_SOURCE"), checked_rel("REPORTED_IN"))
CITES, REPLIES_TO = checked_rel("CITES"), checked_rel("REPLIES_TO")
CONFLICT_SIDE = checked_rel("CONFLICT_SIDE")
COMPONENT_OF = checked_rel("COMPONENT_OF")

SOURCE_FILTERS: dict[str, str] = {
    "both": "curated and CIViC", "curated": "curated only", "civic": "CIViC only"}
#: Properties never shown to a reader (the search index's texts, the id shown apart).
HIDDEN_PROPS = frozenset({"search_text", "search_lower", "id"})


# -- the store and runners --------------------------------------------------------------
def connect(state_dir: str | Path) -> GraphStore:
    """Open (start or reuse) the embedded FalkorDB store of a state directory.

    The app calls this once per process and state directory (``st.cache_resource``), so
    pages reach the store without importing ``kg.store``.

    Parameters
    ----------
    state_dir : str or pathlib.Path
        The FalkorDB state directory (``var/falkordb`` for the app).

    Returns
    -------
    GraphStore
        The open store; a server already running for `state_dir` is reused.

    Raises
    ------
    StoreError
        The server cannot be started or reached.
    """
    return open_store("falkordb", state_dir=Path(state_dir))


def store_runner(store: Any) -> Runner:
    """Return a runner that executes named queries on `store`, uncached.

    Parameters
    ----------
    store : GraphStore
        An open store.

    Returns
    -------
    Runner
        ``run(name, params) -> list[dict]``.

    Examples
    --------
    >>> run = store_runner(store)
    >>> run("21_node", {"id": "drug:alectinib"})[0]["label"]
    'Drug'
    """

    def run(name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return store.query(query_text(name), dict(params)).records()

    return run


@functools.cache
def query_text(name: str) -> str:
    """Return the text of a named query, read once per process.

    Parameters
    ----------
    name : str
        The query's file stem in ``queries/`` (e.g. ``'21_node'``).

    Returns
    -------
    str
        The Cypher text, header included.

    Raises
    ------
    QueryError
        No such query, or a query file is malformed (header, non-portable Cypher).
    """
    return load_query(name).text


# -- small helpers ----------------------------------------------------------------------
def evidence_source(props: Mapping[str, Any] | None) -> str:
    """Return ``'civic'`` for CIViC evidence, else ``'curated'``.

    Parameters
    ----------
    props : mapping or None
        A claim's (or a query row's) properties; only ``source`` is read.

    Returns
    -------
    str
        ``'civic'`` or ``'curated'``.

    Examples
    --------
    >>> evidence_source({"source": "civic"}), evidence_source({"source": "curated"})
    ('civic', 'curated')
    """
    return "civic" if (props or {}).get("source") == "civic" else "curated"


def keep_source(props: Mapping[str, Any] | None, source_filter: str) -> bool:
    """Return True when a claim passes the filter ``'both'``, ``'curated'`` or ``'civic'``.

    Parameters
    ----------
    props : mapping or None
        The claim's properties (see `evidence_source`).
    source_filter : {'both', 'curated', 'civic'}
        A key of `SOURCE_FILTERS`.

    Returns
    -------
    bool

    Examples
    --------
    >>> keep_source({"source": "civic"}, "curated"), keep_source({"source": "civic"}, "both")
    (False, True)
    """
    return source_filter == "both" or evidence_source(props) == source_filter


def humanize(rtype: str) -> str:
    """Turn a relationship type into words.

    Parameters
    ----------
    rtype : str
        A relationship type or predicate (None and '' give '').

    Returns
    -------
    str
        Lower case, underscores as spaces.

    Examples
    --------
    >>> humanize("CONFERS_RESISTANCE_TO")
    'confers resistance to'
    """
    return (rtype or "").replace("_", " ").lower()


# -- basic lookups ----------------------------------------------------------------------
def label_counts(run: Runner) -> dict[str, dict[str, int]]:
    """Return node counts as ``{label: {source: n}}`` (source '' when absent).

    Parameters
    ----------
    run : Runner
        Executes named queries.

    Returns
    -------
    dict
        Label -> source -> count.
    """
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in run("20_label_counts", {}):
        out[r["label"]][r["source"] or ""] = int(r["n"])
    return dict(out)


def find_nodes(run: Runner, *, labels: Sequence[str] = (), terms: Sequence[str] = (),
               limit: int = 5000) -> list[dict[str, Any]]:
    """Return nodes of the labels whose search text contains every term.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    labels : sequence of str
        Node labels ('' or empty: all).
    terms : sequence of str
        Words that must all occur (case-insensitive); empty matches every node.
    limit : int
        Most rows.

    Returns
    -------
    list of dict
        ``id, label, name, synonyms, source``, sorted by label and name.
    """
    return run("25_find_nodes", {"labels": list(labels), "terms": [t.lower() for t in terms],
                                 "limit": int(limit)})


def get_node(run: Runner, node_id: str) -> dict[str, Any] | None:
    """Return ``{id, label, props}`` of a node, or None when the id is unknown.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    node_id : str
        Any node id.

    Returns
    -------
    dict or None
    """
    rows = run("21_node", {"id": node_id})
    return rows[0] if rows else None


def neighbours(run: Runner, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Return every relationship touching the nodes `ids` (see ``23_neighbours``).

    Parameters
    ----------
    run : Runner
        Executes named queries.
    ids : sequence of str
        Node ids; none gives no rows (and no query).

    Returns
    -------
    list of dict
        One row per (node of `ids`, relationship), with the node at the other end.
    """
    return run("23_neighbours", {"ids": sorted(set(ids))}) if ids else []
