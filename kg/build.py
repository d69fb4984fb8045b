"""The one build entry: collect every source, assemble the validated graph, derive.

``build_graph`` is what the CLI (`kg build`, `kg validate`, `kg export` ...), every test and
every benchmark call; nothing else types the sequence out. The stages:

1. **collect** -- run each adapter of ``ingest/`` (BibTeX, curated YAML, and a CIViC
   release when given) and gather their records and per-source provenance;
2. **assemble** -- `kg.graph.assemble` merges and validates every record against the schema;
3. **derive** -- `kg.conflicts.add_conflicts` adds the Conflict nodes the claim semantics
   call for, through the same validation.

This module is the one place in ``kg`` that imports ``ingest``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.bibtex import BibtexAdapter
from ingest.common import check_source
from ingest.curated import CuratedAdapter
from kg.conflicts import add_conflicts
from kg.graph import EvidenceGraph, assemble
from kg.schema import EdgeRecord, IngestError, InputProblem, NodeRecord

__all__ = ["Records", "collect", "build_graph", "latest_civic_release", "DEFAULT_DATA_DIR"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def latest_civic_release(data_dir: Path = DEFAULT_DATA_DIR) -> Path | None:
    """Return the newest CIViC release stored under ``<data_dir>/civic/``, or None.

    The repository ships the 01-Aug-2024 release there; ``python -m kg civic fetch`` stores
    newer ones beside it. The CLI builds curated + this release by default (``--no-civic``
    for curated only).

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        A directory shaped like ``data/``.

    Returns
    -------
    pathlib.Path or None
        The release directory whose ``DD-Mon-YYYY`` name is the latest date; None when
        there is none (e.g. a test's small data directory).

    Examples
    --------
    >>> latest_civic_release().name
    '01-Aug-2024'
    """
    import datetime as dt

    found = []
    for d in (Path(data_dir) / "civic").glob("??-???-????"):
        try:
            found.append((dt.datetime.strptime(d.name, "%d-%b-%Y"), d))
        except ValueError:
            continue
    return max(found)[1] if found else None


@dataclass
class Records:
    """Every node and edge record the adapters yielded, with per-source metadata."""

    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)


def collect(data_dir: Path = DEFAULT_DATA_DIR, *, civic_dir: Path | None = None,
            genes: Sequence[str] | None = None) -> Records:
    """Read and check every source under `data_dir` (and a CIViC release if given).

    Parameters
    ----------
    data_dir : pathlib.Path
        Holds ``references.bib`` and ``curated/``.
    civic_dir : pathlib.Path, optional
        A CIViC monthly release directory.
    genes : sequence of str, optional
        Restrict the CIViC import to these gene symbols (default: every gene).

    Returns
    -------
    Records

    Raises
    ------
    IngestError
        Any problem in any source, each with file and line; a source whose sha256 or record
        counts break its ``ingest/<source>.yaml`` (`ingest.common.check_source`).
    """
    data_dir = Path(data_dir)
    bib_path = data_dir / "references.bib"
    if not bib_path.exists():
        raise IngestError(InputProblem(str(bib_path), None, "bibliography not found"))
    bib = BibtexAdapter(bib_path)
    curated = CuratedAdapter(data_dir / "curated", bib)
    out = Records()
    for adapter, path in ((bib, bib_path), (curated, data_dir / "curated")):
        nodes, edges = list(adapter.iter_nodes()), list(adapter.iter_edges())
        check_source(adapter.meta, path, nodes=len(nodes), edges=len(edges))
        out.nodes.extend(nodes)
        out.edges.extend(edges)
        out.sources[adapter.meta.name] = adapter.meta.provenance()
    if civic_dir is not None:
        from ingest.civic import CivicAdapter

        civic = CivicAdapter(Path(civic_dir), genes=genes, known=list(out.nodes))
        out.nodes.extend(civic.iter_nodes())
        out.edges.extend(civic.iter_edges())
        out.sources["civic"] = civic.provenance()
    return out


def build_graph(data_dir: Path = DEFAULT_DATA_DIR, *, civic_dir: Path | None = None,
                genes: Sequence[str] | None = None,
                timings: dict[str, float] | None = None) -> EvidenceGraph:
    """Collect, assemble and derive: the validated graph a store loads.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        A directory shaped like ``data/`` (default: the repository's).
    civic_dir : pathlib.Path, optional
        A CIViC monthly release directory to import as well.
    genes : sequence of str, optional
        With `civic_dir`: import only these gene symbols.
    timings : dict, optional
        When given, receives the seconds each stage took: ``collect_s``, ``assemble_s``,
        ``derive_s`` (for the benchmarks).

    Returns
    -------
    EvidenceGraph
        With every source's provenance in ``sources``.

    Raises
    ------
    IngestError
        Any problem in any source, each with file and line.

    Examples
    --------
    >>> eg = build_graph()
    >>> sorted(eg.sources)[:2], eg.counts()["nodes"]["Trial"] > 0
    (['bibtex', 'curated'], True)
    """
    t0 = time.perf_counter()
    recs = collect(data_dir, civic_dir=civic_dir, genes=genes)
    t1 = time.perf_counter()
    eg = assemble(recs.nodes, recs.edges)
    eg.sources.update(recs.sources)
    t2 = time.perf_counter()
    eg = add_conflicts(eg)
    if timings is not None:
        timings.update(collect_s=t1 - t0, assemble_s=t2 - t1,
                       derive_s=time.perf_counter() - t2)
    return eg
