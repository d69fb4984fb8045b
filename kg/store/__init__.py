"""Graph stores behind one interface, chosen by canonical name.

``STORES`` maps a name to a factory; the CLI and the app ask `open_store` and never import a
concrete store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kg.schema.errors import StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS, GraphStore, QueryResult, is_write_query

__all__ = ["open_store", "STORES", "GraphStore", "QueryResult", "DEFAULT_TIMEOUT_MS",
           "is_write_query"]


def _falkordb(**kw: Any) -> GraphStore:
    from kg.store.falkordb import FalkorServer, FalkorStore

    return FalkorStore(FalkorServer(kw.get("state_dir")))


def _neo4j(**kw: Any) -> GraphStore:
    from kg.store.neo4j import Neo4jStore

    return Neo4jStore.from_env(**kw)


STORES: dict[str, Callable[..., GraphStore]] = {"falkordb": _falkordb, "neo4j": _neo4j}


def open_store(name: str = "falkordb", **kwargs: Any) -> GraphStore:
    """Open a store by its canonical name ('falkordb' or 'neo4j').

    Parameters
    ----------
    name : str, optional
        A key of `STORES`: ``falkordb`` (default) or ``neo4j``.
    **kwargs
        Passed to the store's factory (``state_dir`` for FalkorDB).

    Returns
    -------
    GraphStore
        Connected (the embedded FalkorDB server started or reused).

    Raises
    ------
    StoreError
        Unknown name, or the store cannot be reached.
    """
    if name not in STORES:
        raise StoreError(f"unknown store {name!r}; known: {', '.join(sorted(STORES))}")
    return STORES[name](**kwargs)
