"""The resistance matrix: variants, mechanisms or genes × drugs, one cell per pair.

A cell's state comes from the schema's claim semantics (``load_schema().semantics``:
`ClaimSemantics.side` and `ClaimSemantics.cell_state`), the same rule conflict detection
uses, so the matrix and the Conflict nodes never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.schema import load_schema
from kg.views.base import (
    GENE,
    MECHANISM,
    RESISTANCE,
    SENSITIVITY,
    VARIANT,
    Runner,
    evidence_source,
    keep_source,
)

__all__ = ["ALK_CONTEXT", "MatrixCell", "Matrix", "resistance_matrix", "matrix_genes"]

#: The matrix's default row filter: ALK variants plus every row with curated evidence.
ALK_CONTEXT = "ALK+curated"


@dataclass(frozen=True)
class MatrixCell:
    """The evidence for one (variant or mechanism, drug) pair."""

    subject_id: str
    drug_id: str
    status: str  # resistant | sensitive | conflicting
    claim_ids: tuple[str, ...]
    n_resistant: int
    n_sensitive: int
    best_level: str
    n_curated: int
    n_civic: int
    n_conflict_flags: int

    @property
    def n(self) -> int:
        """Number of claims in the cell."""
        return len(self.claim_ids)

    @property
    def text(self) -> str:
        """Short cell text, e.g. ``'resistant · 2 · B'``."""
        return f"{self.status} · {self.n} · {self.best_level}"


@dataclass(frozen=True)
class Matrix:
    """Rows (variants, mechanisms, genes) × drug columns; empty cells mean no evidence.

    Columns come most-evidenced drug first (the ALK inhibitors, for this graph).
    """

    rows: tuple[tuple[str, str, str], ...]  # (id, label, name)
    cols: tuple[tuple[str, str], ...]  # (id, name)
    cells: dict[tuple[str, str], MatrixCell] = field(default_factory=dict)
    genes: tuple[str, ...] = ()  # every gene with evidence, before the gene filter

    def cell(self, subject_id: str, drug_id: str) -> MatrixCell | None:
        """Return the cell of a (row, drug) pair, or None (no evidence).

        Parameters
        ----------
        subject_id : str
            The row's node id (variant, mechanism or gene).
        drug_id : str
            The column's drug id.

        Returns
        -------
        MatrixCell or None
        """
        return self.cells.get((subject_id, drug_id))


def resistance_matrix(run: Runner, *, source: str = "both",
                      subjects: Sequence[str] = (VARIANT,), gene: str = "") -> Matrix:
    """Build the variants × drugs matrix of resistance and sensitivity evidence.

    A cell's state follows the schema's claim semantics (`ClaimSemantics.cell_state`):
    *conflicting* when a pair of its claims conflicts by the one conflict rule, or a Conflict
    node flags one of its claims; *resistant* or *sensitive* when every claim with a side
    takes that side; *inconclusive* when only negations point both ways. A pair with no
    claim has no cell: *no evidence*.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    source : {'both', 'curated', 'civic'}
        Which claims count.
    subjects : sequence of str
        Row labels: ``Variant``, ``ResistanceMechanism``, ``Gene``.
    gene : str
        Keep only variant and gene rows of this gene symbol ('' keeps all); mechanism rows
        are always kept. `ALK_CONTEXT` keeps ALK rows plus every row with curated evidence
        (the curated claims are all about ALK-positive disease: MET amplification is there).

    Returns
    -------
    Matrix
    """
    rows = run("26_resistance_matrix", {"predicates": [RESISTANCE, SENSITIVITY]})
    curated_rows = {r["subject_id"] for r in rows if evidence_source(r) == "curated"}
    acc: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    row_meta: dict[str, tuple[str, str, str]] = {}
    col_meta: dict[str, tuple[str, str]] = {}
    for r in rows:
        if r["subject_label"] not in subjects or not keep_source(r, source):
            continue
        if gene == ALK_CONTEXT:
            if r["subject_label"] != MECHANISM and r.get("subject_gene") != "ALK" and (
                    r["subject_id"] not in curated_rows):
                continue
        elif gene and r["subject_label"] != MECHANISM and r.get("subject_gene") != gene:
            continue
        acc[(r["subject_id"], r["drug_id"])].append(r)
        row_meta[r["subject_id"]] = (r["subject_id"], r["subject_label"],
                                     str(r["subject_name"] or r["subject_id"]))
        col_meta[r["drug_id"]] = (r["drug_id"], str(r["drug_name"] or r["drug_id"]))
    cells = {}
    sem = load_schema().semantics
    for key, claims in acc.items():
        sides = [sem.side(c["predicate"], c["direction"]) for c in claims]
        n_res, n_sen = sides.count("resistant"), sides.count("sensitive")
        flags = sum(int(c.get("conflicts") or 0) for c in claims)
        status = "conflicting" if flags else sem.cell_state(
            [(c["predicate"], c["direction"], evidence_source(c)) for c in claims])
        levels = sorted(str(c["evidence_level"] or "Z") for c in claims)
        cells[key] = MatrixCell(
            subject_id=key[0], drug_id=key[1], status=status,
            claim_ids=tuple(sorted({c["claim_id"] for c in claims})), n_resistant=n_res,
            n_sensitive=n_sen, best_level=levels[0] if levels else "?",
            n_curated=sum(evidence_source(c) == "curated" for c in claims),
            n_civic=sum(evidence_source(c) == "civic" for c in claims),
            n_conflict_flags=flags)
    order = {lb: i for i, lb in enumerate((VARIANT, MECHANISM, GENE))}
    rws = tuple(sorted(row_meta.values(), key=lambda x: (order.get(x[1], 9), x[2].lower())))
    per_drug = defaultdict(int)
    for _, d in cells:
        per_drug[d] += 1
    cols = tuple(sorted(col_meta.values(), key=lambda x: (-per_drug[x[0]], x[1].lower())))
    genes = tuple(sorted({str(r["subject_gene"]) for r in rows if r.get("subject_gene")}))
    return Matrix(rows=rws, cols=cols, cells=cells, genes=genes)


def matrix_genes(run: Runner) -> tuple[str, ...]:
    """Return every gene with resistance or sensitivity evidence (the matrix's gene filter).

    Parameters
    ----------
    run : Runner
        Executes named queries.

    Returns
    -------
    tuple of str
        Gene symbols, sorted.
    """
    rows = run("26_resistance_matrix", {"predicates": [RESISTANCE, SENSITIVITY]})
    return tuple(sorted({str(r["subject_gene"]) for r in rows if r.get("subject_gene")}))
