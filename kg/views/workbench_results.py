"""A console result as the workbench shows it: as a graph, as table text and as files.

What the workbench pages do with the rows of a query (`kg.views.workbench.run_cypher`,
`~kg.views.workbench.run_sparql`), without Streamlit:

* `result_graph` -- the nodes and relationships in a result's rows, as a `Subgraph` the
  graph drawing takes;
* `cell_text` / `display_text` -- a cell as text, and as a reader sees it in the table;
* `result_csv` / `result_json` -- the result as files;
* `view_node_ids` / `view_export` -- the part of the served graph a result shows, as CSV,
  GraphML, Turtle and BibTeX downloads.

Nodes, relationships and paths come back from the store as dicts (`kg.store.guard`);
`cell_kind` tells which one a cell is. Every name is also importable from
`kg.views.workbench`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kg.store.guard import ConsoleResult
from kg.views.neighbourhood import Subgraph

__all__ = ["cell_kind", "result_graph", "cell_text", "display_text", "result_csv",
           "result_json", "view_node_ids", "ViewExport", "VIEW_FORMATS", "view_export"]


def cell_kind(value: Any) -> str | None:
    """Tell what a result cell is: a node, a relationship, a path, or none of them.

    Parameters
    ----------
    value : object
        A cell of a result row, or a value inside one.

    Returns
    -------
    str or None
        ``"node"`` (a dict with ``labels`` and ``properties``), ``"relationship"`` (with
        ``type``, ``properties`` and ``start``), ``"path"`` (with ``nodes`` and ``edges``);
        None for anything else.

    Examples
    --------
    >>> cell_kind({"id": "drug:x", "labels": ["Drug"], "properties": {}}), cell_kind("x")
    ('node', None)
    """
    if not isinstance(value, dict):
        return None
    if "labels" in value and "properties" in value:
        return "node"
    if "type" in value and "properties" in value and "start" in value:
        return "relationship"
    if "nodes" in value and "edges" in value:
        return "path"
    return None


def _walk(value: Any, nodes: dict[Any, dict[str, Any]], rels: list[dict[str, Any]]) -> None:
    kind = cell_kind(value)
    if kind == "node":
        key = value.get("element_id", value.get("id"))
        props = value.get("properties") or {}
        nodes.setdefault(key, {"id": str(value.get("id") or props.get("id") or key),
                               "label": (value.get("labels") or ["?"])[0],
                               "name": str(props.get("name") or value.get("id") or key)})
    elif kind == "relationship":
        rels.append(value)
    elif kind == "path":
        for v in value["nodes"] + value["edges"]:
            _walk(v, nodes, rels)
    elif isinstance(value, dict):
        for v in value.values():
            _walk(v, nodes, rels)
    elif isinstance(value, list):
        for v in value:
            _walk(v, nodes, rels)


def result_graph(result: ConsoleResult, *, cap: int = 300) -> Subgraph | None:
    """Return the nodes and relationships a result's rows hold, to draw; None when none.

    Parameters
    ----------
    result : ConsoleResult
        Rows from `run_cypher` (nodes, relationships and paths come back as dicts).
    cap : int, optional
        Most nodes drawn.

    Returns
    -------
    kg.views.Subgraph or None
        Nodes (first seen first) and the relationships between drawn nodes; the centre is
        the first node. None when the rows hold no node.
    """
    nodes: dict[Any, dict[str, Any]] = {}
    rels: list[dict[str, Any]] = []
    for row in result.rows:
        _walk(row, nodes, rels)
    if not nodes:
        return None
    kept = list(nodes.items())[:max(1, cap)]
    ids = {key: n["id"] for key, n in kept}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rels:
        s, t = ids.get(r.get("start")), ids.get(r.get("end"))
        if s is None or t is None:
            continue
        e = edges.setdefault((s, t, r["type"]), {"source": s, "target": t, "rel": r["type"],
                                                 "claims": []})
        claim = (r.get("properties") or {}).get("claim_id")
        if claim and claim not in e["claims"]:
            e["claims"].append(claim)
    drawn = tuple({**n, "depth": 0 if i == 0 else 1} for i, (_, n) in enumerate(kept))
    return Subgraph(centre=drawn[0]["id"], depth=1, nodes=drawn,
                    edges=tuple({**e, "claims": tuple(e["claims"])} for e in edges.values()),
                    reachable=len(nodes), cap=cap)


def cell_text(value: Any) -> str:
    """Return a result cell as text: strings as they are, anything else as JSON.

    Parameters
    ----------
    value : object
        A cell of a result row: text, a number, a list, or a node, relationship or path
        (dicts, see `cell_kind`).

    Returns
    -------
    str
        '' for None.

    Examples
    --------
    >>> cell_text(None), cell_text("a"), cell_text({"b": [1, 2]})
    ('', 'a', '{"b": [1, 2]}')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def display_text(value: Any) -> str:
    """Return a result cell as a reader sees it in the table: nodes and relationships short.

    Parameters
    ----------
    value : object
        A cell of a result row (`cell_kind` tells nodes, relationships and paths), or a
        list of them.

    Returns
    -------
    str
        A node as ``(Label) name [id]``, a relationship as ``[TYPE]``, a path as its nodes
        joined by arrows, lists item by item; anything else as `cell_text`.

    Examples
    --------
    >>> display_text({"id": "drug:x", "labels": ["Drug"], "properties": {"name": "x"}})
    '(Drug) x [drug:x]'
    >>> display_text({"type": "TARGETS", "properties": {}, "start": 1, "end": 2})
    '[TARGETS]'
    """
    kind = cell_kind(value)
    if kind == "node":
        props = value.get("properties") or {}
        label = (value.get("labels") or ["?"])[0]
        return f"({label}) {props.get('name') or ''} [{value.get('id')}]".replace("  ", " ")
    if kind == "relationship":
        return f"[{value['type']}]"
    if kind == "path":
        return " → ".join(display_text(n) for n in value["nodes"])
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return "; ".join(display_text(v) for v in value)
    return cell_text(value)


def result_csv(result: ConsoleResult) -> str:
    """Return a result as CSV: the header, then one line per row (JSON for non-text cells).

    Parameters
    ----------
    result : ConsoleResult
        The rows kept under the row cap.

    Returns
    -------
    str

    Examples
    --------
    >>> print(result_csv(ConsoleResult(["a", "b"], [["x, y", [1]]], 1, 10)), end="")
    a,b
    "x, y",[1]
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(result.columns)
    w.writerows([[cell_text(v) for v in row] for row in result.rows])
    return buf.getvalue()


def result_json(result: ConsoleResult) -> str:
    """Return a result as a JSON list of objects keyed by column.

    Parameters
    ----------
    result : ConsoleResult
        The rows kept under the row cap; cells keep their JSON types (`result_csv` writes
        them as JSON text).

    Returns
    -------
    str
        Indented JSON and a final line feed; a value JSON has no type for (a date) as text.

    Examples
    --------
    >>> print(result_json(ConsoleResult(["a"], [[[1]]], 1, 10)), end="")
    [
     {
      "a": [
       1
      ]
     }
    ]
    """
    return json.dumps([dict(zip(result.columns, row, strict=True)) for row in result.rows],
                      ensure_ascii=False, indent=1, default=str) + "\n"


def view_node_ids(result: ConsoleResult, known: Callable[[str], bool]) -> list[str]:
    """Return the ids of the graph's nodes a result shows, in the order they appear.

    Parameters
    ----------
    result : ConsoleResult
        The rows.
    known : callable
        Tells whether a string is the id of a node of the served graph (cells such as
        ``subject_id`` hold plain ids).

    Returns
    -------
    list of str
        Ids of returned nodes, and every text cell (or list item) that is a known node id.
    """
    seen: dict[str, None] = {}

    def visit(v: Any) -> None:
        if isinstance(v, dict):
            if cell_kind(v) == "node" and v.get("id"):
                seen[str(v["id"])] = None
            else:
                for x in v.values():
                    visit(x)
        elif isinstance(v, list):
            for x in v:
                visit(x)
        elif isinstance(v, str) and known(v):
            seen[v] = None

    for row in result.rows:
        visit(row)
    return list(seen)


@dataclass(frozen=True)
class ViewExport:
    """One download of a view: its label, file name, MIME type and text."""

    label: str
    file_name: str
    mime: str
    text: str


#: The downloads of a view: export format and button label.
VIEW_FORMATS = (("csv-nodes", "Nodes CSV"), ("csv-edges", "Edges CSV"), ("graphml", "GraphML"),
                ("turtle", "Turtle"), ("bibtex", "BibTeX"))


def view_export(eg: Any, node_ids: Iterable[str], fmt: str, *,
                stem: str = "alk_kg_view") -> ViewExport:
    """Return one download of the part of the graph a view shows.

    The part is the view's nodes and the edges among them (`kg.exports.subgraph`); its
    BibTeX holds the works those nodes and edges cite by bib key (and the works among the
    nodes).

    Parameters
    ----------
    eg : EvidenceGraph
        The served graph (`kg.exports.served_graph`).
    node_ids : iterable of str
        The view's nodes (`view_node_ids`).
    fmt : str
        A format of `VIEW_FORMATS`.
    stem : str, optional
        The file name's stem.

    Returns
    -------
    ViewExport

    Raises
    ------
    ExportError
        `fmt` is not one of `VIEW_FORMATS`.

    Examples
    --------
    >>> from kg.build import build_graph
    >>> ex = view_export(build_graph(), ["drug:alectinib", "HGNC:427"], "csv-edges")
    >>> ex.file_name, ex.text.splitlines()[1].split(",")[1]
    ('alk_kg_view_edges.csv', 'TARGETS')
    """
    from kg.exports import EXPORT_FORMATS, export_text, generate_bibtex, subgraph
    from kg.schema.errors import ExportError

    labels = dict(VIEW_FORMATS)
    if fmt not in labels:
        raise ExportError(f"unknown view download {fmt!r}; known: {', '.join(labels)}")
    part = subgraph(eg, node_ids)
    _, suffix, mime = EXPORT_FORMATS[fmt]
    if fmt == "bibtex":
        keys = {d["props"].get("bib_key") for _, d in part.graph.nodes(data=True)}
        keys |= {d["props"].get("bib_key") for *_, d in part.graph.edges(keys=True, data=True)}
        keys.discard(None)
        return ViewExport(labels[fmt], f"{stem}.bib", mime, generate_bibtex(eg, keys=keys))
    name = f"{stem}_{fmt.split('-')[1]}.csv" if fmt.startswith("csv") else f"{stem}.{suffix}"
    return ViewExport(labels[fmt], name, mime, export_text(part, fmt))
