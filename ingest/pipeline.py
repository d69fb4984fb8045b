"""Run every adapter over a data directory and collect their records.

A data directory has the shape of ``data/``: ``references.bib`` and ``curated/*.yaml``.
Third-party releases (CIViC) are added by the caller with their own paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.bibtex import BibtexAdapter
from ingest.curated import CuratedAdapter
from kg.errors import IngestError, InputProblem
from kg.records import EdgeRecord, NodeRecord

__all__ = ["Records", "collect", "DEFAULT_DATA_DIR"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@dataclass
class Records:
    """Every node and edge record the adapters yielded, with per-source metadata."""

    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)


def collect(data_dir: Path = DEFAULT_DATA_DIR, *, civic_dir: Path | None = None,
            civic_genes: Sequence[str] | None = None) -> Records:
    """Validate and read every source under `data_dir` (and a CIViC release if given).

    Parameters
    ----------
    data_dir : pathlib.Path
        Holds ``references.bib`` and ``curated/``.
    civic_dir : pathlib.Path, optional
        A CIViC monthly release directory.
    civic_genes : sequence of str, optional
        Restrict the CIViC import to these gene symbols (default: every gene).

    Returns
    -------
    Records

    Raises
    ------
    IngestError
        Any problem in any source, each with file and line.
    """
    data_dir = Path(data_dir)
    bib_path = data_dir / "references.bib"
    if not bib_path.exists():
        raise IngestError(InputProblem(str(bib_path), None, "bibliography not found"))
    bib = BibtexAdapter(bib_path)
    curated = CuratedAdapter(data_dir / "curated", bib)
    out = Records()
    for adapter in (bib, curated):
        out.nodes.extend(adapter.iter_nodes())
        out.edges.extend(adapter.iter_edges())
        out.sources[adapter.meta.name] = adapter.meta.provenance()
    if civic_dir is not None:
        from ingest.civic import CivicAdapter

        civic = CivicAdapter(Path(civic_dir), genes=civic_genes, known=list(out.nodes))
        out.nodes.extend(civic.iter_nodes())
        out.edges.extend(civic.iter_edges())
        out.sources["civic"] = civic.provenance()
    return out
