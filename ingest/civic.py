"""Adapter for a CIViC monthly release directory (the ``*-...Summaries.tsv`` files).

`CivicAdapter` is the entry `kg.build` uses. It puts the CIViC modules together:

* `ingest.civic_release` reads and checks the five TSV files (`read_release`; `read_evidence`
  for ``python -m kg civic-diff``; `ingest.civic_diff` compares two releases);
* `ingest.civic_match` matches CIViC genes, variants, drugs, diseases and compound profiles
  onto the nodes the other sources hold (`CivicMatcher`);
* `ingest.civic_map` and `ingest.civic_claims` map the rows onto records (`map_release`);
* ``ingest/civic.yaml`` holds the source's metadata; the adapter checks the sha256 of the
  01-Aug-2024 files it lists and the node and edge bounds of a whole-release import
  (`ingest.common.check_sha256`, `ingest.common.check_counts`).

The names other code imports from here (`read_release`, `read_evidence`, `read_table`,
`split_therapies`, ...) are re-exported from those modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ingest.civic_claims import split_therapies
from ingest.civic_map import CivicRecords, map_release
from ingest.civic_match import EML4_ALK_VARIANTS, CivicMatcher, normalise_name
from ingest.civic_release import (
    FILE_KINDS,
    CivicDialect,
    CivicRelease,
    Table,
    find_release_files,
    read_evidence,
    read_release,
    read_table,
)
from ingest.common import SourceMeta, check_counts, check_sha256, display_path, load_meta
from kg.schema import Schema, load_schema
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = [
    "FILE_KINDS",
    "CivicDialect",
    "Table",
    "CivicRelease",
    "CivicAdapter",
    "CivicMatcher",
    "find_release_files",
    "read_table",
    "read_release",
    "read_evidence",
    "split_therapies",
    "normalise_name",
    "EML4_ALK_VARIANTS",
]


class CivicAdapter:
    """Validate a CIViC release and yield its records, merged onto known (curated) nodes.

    Parameters
    ----------
    directory : pathlib.Path
        A CIViC monthly release directory.
    genes : sequence of str, optional
        Import only evidence and assertions whose molecular profile involves a variant of
        one of these gene symbols (with the profiles, variants and genes they need). Default:
        the whole release.
    known : iterable of NodeRecord, optional
        Nodes of the other sources (curated, bibtex). CIViC genes, drugs, diseases and
        variants that match one of them take its id (matching rules in docs/civic.md).
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``; its claim semantics give the predicates.
    min_counts : dict, optional
        Minimum rows per file; defaults to ``meta.min_counts``; ``{}`` skips the check.
    meta : SourceMeta, optional
        Defaults to ``ingest/civic.yaml`` (the class attribute `meta`); a small fixture
        passes ``CivicAdapter.meta.for_fixture()`` (no sha256, row minimums or bounds).

    Raises
    ------
    IngestError
        On construction: every problem in the release (file, line, column), or a requested
        gene that is not in the release.
    ChecksumMismatch
        A file named like one `meta` lists (``01-Aug-2024-...tsv``) has other bytes.
    CountOutOfBounds
        A whole-release import yielded fewer or more nodes or edges than `meta` allows.

    Examples
    --------
    >>> civic = CivicAdapter(release_dir, genes=["ALK"])
    >>> sum(1 for n in civic.iter_nodes() if n.label == "Claim")
    144
    """

    meta = load_meta("civic")

    def __init__(self, directory: Path, *, genes: Sequence[str] | None = None,
                 known: Iterable[NodeRecord] = (), schema: Schema | None = None,
                 min_counts: dict[str, int] | None = None,
                 meta: SourceMeta | None = None) -> None:
        self.meta = meta or self.meta
        self.directory = Path(directory)
        self.schema = schema or load_schema()
        self.release = read_release(self.directory, meta=self.meta, min_counts=min_counts)
        check_sha256(self.meta, {t.path: t.sha256 for t in self.release.tables.values()})
        self.genes = [g.strip() for g in genes if g.strip()] if genes else None
        self._prov = self.meta.provenance(version=self.release.release)
        self.matcher = CivicMatcher(known, self.schema)
        self.records: CivicRecords = map_release(
            self.release, self.matcher, genes=self.genes, semantics=self.schema.semantics,
            provenance=self._prov)
        if self.genes is None:
            check_counts(self.meta, nodes=len(self.records.nodes),
                         edges=len(self.records.edges), where=display_path(self.directory))

    @property
    def n_evidence(self) -> int:
        """The number of evidence items imported (Claim nodes)."""
        return self.records.n_evidence

    @property
    def skipped_assertion_links(self) -> int:
        """Assertion -> evidence links skipped because the evidence item is not imported."""
        return self.records.skipped_assertion_links

    @property
    def warnings(self) -> list[str]:
        """What the release reader tolerated (``file:line: what``), e.g. a new column."""
        return list(self.release.warnings)

    def iter_nodes(self) -> Iterator[NodeRecord]:
        """Yield every node, sorted by id (genes, variants, profiles, claims, ...)."""
        for nid in sorted(self.records.nodes):
            yield self.records.nodes[nid]

    def iter_edges(self) -> Iterator[EdgeRecord]:
        """Yield every edge, sorted by id; each cites its CIViC record."""
        for eid in sorted(self.records.edges):
            yield self.records.edges[eid]

    def provenance(self) -> dict[str, str]:
        """Return this import's provenance: source, release, licence, directory, checksums."""
        out = {**self._prov, "release": self.release.release,
               "directory": display_path(self.directory),
               "genes": ",".join(self.genes) if self.genes else "all",
               "evidence_items": str(self.n_evidence),
               "assertion_links_skipped": str(self.skipped_assertion_links),
               "warnings": str(len(self.release.warnings))}
        for kind, t in self.release.tables.items():
            out[f"sha256_{kind}"] = t.sha256
        return out
