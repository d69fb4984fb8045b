"""The graph view's data: a capped, breadth-first neighbourhood of one node.

The page draws it (``app_pages/_graph_html.py``); here it is only nodes and merged edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kg.views.base import Runner, get_node, neighbours
from kg.views.dates import as_date, publication_dates

__all__ = ["Subgraph", "neighbourhood"]


@dataclass(frozen=True)
class Subgraph:
    """A capped neighbourhood: nodes (closest first), merged edges, and whether it was capped."""

    centre: str
    depth: int
    nodes: tuple[dict[str, Any], ...]
    edges: tuple[dict[str, Any], ...]
    reachable: int
    cap: int

    @property
    def capped(self) -> bool:
        """True when fewer nodes are drawn than were reached."""
        return self.reachable > len(self.nodes)


def neighbourhood(run: Runner, centre: str, *, depth: int = 1, cap: int = 80,
                  labels: Sequence[str] | None = None,
                  reach_limit: int = 5000, as_of: str | None = None) -> Subgraph | None:
    """Return the neighbourhood of `centre` up to `depth` hops, at most `cap` nodes.

    Breadth first: nodes at fewer hops are kept before farther ones, so capping drops the
    periphery. Nodes of labels not in `labels` are neither drawn nor walked through.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    centre : str
        Node id.
    depth : int
        Hops, 1-3.
    cap : int
        Most nodes drawn (the centre included).
    labels : sequence of str, optional
        Labels to draw and walk through (default all).
    reach_limit : int
        Stop exploring once this many nodes were reached (``reachable`` is then a floor).
    as_of : str, optional
        An "as of" date (``YYYY-MM-DD`` or ``letter``): claims, works, figures and trials
        published after it are neither drawn nor walked through.

    Returns
    -------
    Subgraph or None
        None when the centre is unknown.

    Raises
    ------
    ValueError
        `as_of` is not a date.
    """
    when = as_date(as_of)
    dates = publication_dates(run) if when is not None else None
    node = get_node(run, centre)
    if node is None:
        return None
    allowed = set(labels) if labels else None
    seen: dict[str, dict[str, Any]] = {centre: {
        "id": centre, "label": node["label"],
        "name": str((node["props"] or {}).get("name") or centre), "depth": 0}}
    frontier = [centre]
    for d in range(1, max(1, depth) + 1):
        nxt = []
        for r in neighbours(run, frontier):
            oid = r["other_id"]
            if oid in seen or (allowed is not None and r["other_label"] not in allowed):
                continue
            if dates is not None and not dates.visible(oid, when):
                continue
            seen[oid] = {"id": oid, "label": r["other_label"],
                         "name": str(r["other_name"] or oid), "depth": d}
            nxt.append(oid)
        frontier = nxt
        if not frontier or len(seen) >= reach_limit:
            break
    ordered = sorted(seen.values(), key=lambda n: (n["depth"], n["label"], n["name"].lower()))
    kept = ordered[:max(1, cap)]
    kept_ids = {n["id"] for n in kept}
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in neighbours(run, sorted(kept_ids)):
        s, t = r["source_id"], r["target_id"]
        if s not in kept_ids or t not in kept_ids:
            continue
        key = (s, t, r["rel"])
        e = merged.setdefault(key, {"source": s, "target": t, "rel": r["rel"], "claims": set()})
        if r.get("claim_id"):
            e["claims"].add(r["claim_id"])
    edges = tuple({**e, "claims": tuple(sorted(e["claims"]))} for _, e in sorted(merged.items()))
    return Subgraph(centre=centre, depth=depth, nodes=tuple(kept), edges=edges,
                    reachable=len(seen), cap=cap)
