"""The resistance matrix: variants, mechanisms or genes × drugs, one cell per pair.

A cell's state comes from the schema's claim semantics (``load_schema().semantics``:
`ClaimSemantics.side` and `ClaimSemantics.cell_state`), the same rule conflict detection
uses, so the matrix and the Conflict nodes never disagree.

A variant's cell has two parts that are never mixed: its *direct* evidence (claims about the
variant itself) and its *inherited* evidence (claims about the mechanisms and molecular
profiles it belongs to, `kg.views.inherited`), each with its own state, count and best
level, the inherited part naming where it comes from ("via ALK kinase-domain mutation").

Decision: CIViC's molecular profiles that combine variants ("ALK EML4::ALK AND ALK G1202R")
are rows only when asked for (row kind `PROFILE`). Every one of them is a component-of
parent of a variant row, so its evidence already shows in that variant's cells, marked
inherited and "via" the profile; as rows of their own they crowded the matrix (18 of its 63
rows on the curated + CIViC graph) and made its variants hard to find. A profile with curated
evidence (a compound mutation read from a paper, e.g. ALK:p.[L1196M;D1203N]) stays a row.

Decision: a compound whose every claim in the matrix is preclinical (levels the schema marks
``preclinical``: D laboratory, E inferential) is a column only when asked for
(``preclinical=True``, the view's default; the matrix page asks only when the reader does).
On the curated + CIViC graph six such columns (TAE684, HSP90 inhibitors, tool compounds) took
6 of the 16 columns for one to seven cells each, and pushed the matrix past a 1280 px screen;
the drugs a tumour board weighs have patient data. A row whose only evidence is for such
compounds goes with them. `Matrix.preclinical` and `Matrix.preclinical_rows` list what was left
out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.schema import load_schema
from kg.views.base import (
    COMPONENT_OF,
    GENE,
    MECHANISM,
    RESISTANCE,
    SENSITIVITY,
    VARIANT,
    Runner,
    evidence_source,
    keep_source,
)
from kg.views.dates import as_date, publication_dates
from kg.views.inherited import Inheritance, variant_parents

__all__ = ["ALK_CONTEXT", "PROFILE", "InheritedEvidence", "MatrixCell", "Matrix",
           "resistance_matrix", "matrix_genes"]

#: The matrix's default row filter: ALK variants plus every row with curated evidence.
ALK_CONTEXT = "ALK+curated"
#: A row kind, not a node label: CIViC molecular profiles combining variants (``Variant``
#: nodes with ``COMPONENT_OF`` edges from their variants) and no curated evidence. Their
#: evidence is inherited by the variants in them; they are rows only when asked for.
PROFILE = "MolecularProfile"


@dataclass(frozen=True)
class InheritedEvidence:
    """The evidence a variant's cell inherits from the groups the variant belongs to."""

    status: str  # resistant | sensitive | conflicting | inconclusive
    claim_ids: tuple[str, ...]
    via: tuple[str, ...]  # parent names, e.g. ("ALK kinase-domain mutation",)
    via_ids: tuple[str, ...]
    best_level: str
    n_resistant: int
    n_sensitive: int

    @property
    def n(self) -> int:
        """Number of inherited claims."""
        return len(self.claim_ids)

    @property
    def text(self) -> str:
        """``'via ALK kinase-domain mutation: sensitive · 1 · D'``."""
        return f"via {', '.join(self.via)}: {self.status} · {self.n} · {self.best_level}"


@dataclass(frozen=True)
class MatrixCell:
    """The evidence for one (variant or mechanism, drug) pair: direct, and inherited apart.

    A cell with only inherited evidence has ``status == ''`` and no direct claims.
    """

    subject_id: str
    drug_id: str
    status: str  # resistant | sensitive | conflicting | inconclusive | '' (no direct claim)
    claim_ids: tuple[str, ...]
    n_resistant: int
    n_sensitive: int
    best_level: str
    n_curated: int
    n_civic: int
    n_conflict_flags: int
    inherited: InheritedEvidence | None = None

    @property
    def n(self) -> int:
        """Number of direct claims in the cell."""
        return len(self.claim_ids)

    @property
    def text(self) -> str:
        """Short cell text: ``'resistant · 2 · B'``, then the inherited part if any."""
        direct = f"{self.status} · {self.n} · {self.best_level}" if self.n else ""
        parts = [direct, f"({self.inherited.text})" if self.inherited else ""]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Matrix:
    """Rows (variants, mechanisms, genes) × drug columns; empty cells mean no evidence.

    Columns come most-evidenced drug first (the ALK inhibitors, for this graph).
    """

    rows: tuple[tuple[str, str, str], ...]  # (id, label, name)
    cols: tuple[tuple[str, str], ...]  # (id, name)
    cells: dict[tuple[str, str], MatrixCell] = field(default_factory=dict)
    genes: tuple[str, ...] = ()  # every gene with evidence, before the gene filter
    #: profile rows left out because `PROFILE` was not asked for (their evidence shows,
    #: inherited, in the rows of the variants they contain)
    hidden: tuple[str, ...] = ()
    #: drug columns (id, name) left out because every claim in them is preclinical
    #: (``preclinical=False``)
    preclinical: tuple[tuple[str, str], ...] = ()
    #: rows left out with them: their only evidence was for those compounds
    preclinical_rows: tuple[str, ...] = ()

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
                      subjects: Sequence[str] = (VARIANT,), gene: str = "",
                      as_of: str | None = None, preclinical: bool = True) -> Matrix:
    """Build the variants × drugs matrix of resistance and sensitivity evidence.

    A cell's state follows the schema's claim semantics (`ClaimSemantics.cell_state`):
    *conflicting* when a pair of its claims conflicts by the one conflict rule, or a Conflict
    node flags one of its claims; *resistant* or *sensitive* when every claim with a side
    takes that side; *inconclusive* when only negations point both ways. A pair with no
    claim has no cell: *no evidence*. A variant row also receives, apart, the evidence of
    the mechanisms and profiles it belongs to (`MatrixCell.inherited`), so ALK G1202R x
    lorlatinib shows the kinase-domain-mutation evidence "via" that mechanism.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    source : {'both', 'curated', 'civic'}
        Which claims count.
    subjects : sequence of str
        Row labels: ``Variant``, ``ResistanceMechanism``, ``Gene``; and `PROFILE`, which
        adds the CIViC molecular profiles combining variants as rows (without it they are
        left out, listed in `Matrix.hidden`, and their evidence shows only as the inherited
        evidence of the variants in them).
    gene : str
        Keep only variant and gene rows of this gene symbol ('' keeps all); mechanism rows
        are always kept. `ALK_CONTEXT` keeps ALK rows plus every row with curated evidence
        (the curated claims are all about ALK-positive disease: MET amplification is there).
    as_of : str, optional
        An "as of" date (``YYYY-MM-DD`` or ``letter``): claims published after it are left
        out, direct and inherited alike (`kg.views.dates`).
    preclinical : bool
        Keep the compounds whose every claim here (direct or inherited) is at a preclinical
        level (D, E). False leaves out their columns, and the rows that had evidence only
        for them, listing both (`Matrix.preclinical`, `Matrix.preclinical_rows`).

    Returns
    -------
    Matrix

    Raises
    ------
    ValueError
        `as_of` is not a date.
    """
    rows = run("26_resistance_matrix", {"predicates": [RESISTANCE, SENSITIVITY]})
    when = as_date(as_of)
    if when is not None:
        dates = publication_dates(run)
        rows = [r for r in rows if dates.visible(r["claim_id"], when)]
    curated_rows = {r["subject_id"] for r in rows if evidence_source(r) == "curated"}
    acc: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    row_meta: dict[str, tuple[str, str, str]] = {}
    col_meta: dict[str, tuple[str, str]] = {}
    by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)

    # profiles are Variant nodes: the CIViC profiles combining variants are the parents by
    # COMPONENT_OF without curated evidence
    inh = variant_parents(run) if VARIANT in subjects or PROFILE in subjects \
        else Inheritance({}, {})
    profiles = {p.id for ps in inh.parents.values() for p in ps
                if p.relation == COMPONENT_OF and p.label == VARIANT} - curated_rows

    def keep_row(label: str, gene_symbol: str | None, subject_id: str) -> bool:
        if label == VARIANT:  # with PROFILE alone, only the profiles
            if VARIANT not in subjects and subject_id not in profiles:
                return False
        elif label not in subjects:
            return False
        if gene == ALK_CONTEXT:
            return label == MECHANISM or gene_symbol == "ALK" or subject_id in curated_rows
        return not gene or label == MECHANISM or gene_symbol == gene

    for r in rows:
        if not keep_source(r, source):
            continue
        by_subject[r["subject_id"]].append(r)
        if not keep_row(r["subject_label"], r.get("subject_gene"), r["subject_id"]):
            continue
        acc[(r["subject_id"], r["drug_id"])].append(r)
        row_meta[r["subject_id"]] = (r["subject_id"], r["subject_label"],
                                     str(r["subject_name"] or r["subject_id"]))
        col_meta[r["drug_id"]] = (r["drug_id"], str(r["drug_name"] or r["drug_id"]))
    inherited: dict[tuple[str, str], list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    covered: set[str] = set()  # profiles whose evidence a shown variant row inherits
    names = {r["subject_id"]: str(r["subject_name"] or r["subject_id"]) for r in rows}
    for vid, parents in inh.parents.items() if VARIANT in subjects else ():
        claims_of = [(p, c) for p in parents for c in by_subject.get(p.id, ())]
        if not claims_of:
            continue
        if gene == ALK_CONTEXT:
            keep = inh.genes.get(vid) == "ALK" or vid in curated_rows or any(
                evidence_source(c) == "curated" for _, c in claims_of)
        else:
            keep = not gene or inh.genes.get(vid) == gene
        if not keep:
            continue
        for p, c in claims_of:
            inherited[(vid, c["drug_id"])].append((p.id, p.name, c))
            covered.add(p.id)
            col_meta[c["drug_id"]] = (c["drug_id"], str(c["drug_name"] or c["drug_id"]))
        row_meta.setdefault(vid, (vid, VARIANT, names.get(vid) or inh.names.get(vid, vid)))
    # the profiles a shown row inherits from are rows only if PROFILE is asked for (their
    # drugs keep their columns: the inherited cells are there)
    hidden = tuple(sorted(p for p in profiles & covered if p in row_meta)) \
        if PROFILE not in subjects else ()
    for sid in hidden:
        del row_meta[sid]
        for key in [k for k in acc if k[0] == sid]:
            del acc[key]
    cells = {}
    sem = load_schema().semantics

    def summary(claims: list[dict[str, Any]]) -> tuple[str, int, int, str, int]:
        sides = [sem.side(c["predicate"], c["direction"]) for c in claims]
        flags = sum(int(c.get("conflicts") or 0) for c in claims)
        status = "conflicting" if flags else sem.cell_state(
            [(c["predicate"], c["direction"], evidence_source(c)) for c in claims])
        levels = sorted(claims, key=lambda c: sem.level_rank(c["evidence_level"]))
        best = str(levels[0]["evidence_level"] or "?") if levels else "?"
        return status, sides.count("resistant"), sides.count("sensitive"), best, flags

    for key in set(acc) | set(inherited):
        claims = acc.get(key, [])
        status, n_res, n_sen, best, flags = summary(claims) if claims else ("", 0, 0, "", 0)
        inh_part = None
        if key in inherited:
            got = inherited[key]
            i_status, i_res, i_sen, i_best, _ = summary([c for *_, c in got])
            via = {pid: pname for pid, pname, _ in got}
            inh_part = InheritedEvidence(
                status=i_status, claim_ids=tuple(sorted({c["claim_id"] for *_, c in got})),
                via=tuple(via.values()), via_ids=tuple(via), best_level=i_best,
                n_resistant=i_res, n_sensitive=i_sen)
        cells[key] = MatrixCell(
            subject_id=key[0], drug_id=key[1], status=status,
            claim_ids=tuple(sorted({c["claim_id"] for c in claims})), n_resistant=n_res,
            n_sensitive=n_sen, best_level=best,
            n_curated=sum(evidence_source(c) == "curated" for c in claims),
            n_civic=sum(evidence_source(c) == "civic" for c in claims),
            n_conflict_flags=flags, inherited=inh_part)
    left_out: tuple[tuple[str, str], ...] = ()
    rows_left_out: tuple[str, ...] = ()
    if not preclinical:
        levels: dict[str, set[str]] = defaultdict(set)
        for (_, d), claims in acc.items():
            levels[d].update(str(c["evidence_level"]) for c in claims)
        for (_, d), got in inherited.items():
            levels[d].update(str(c["evidence_level"]) for *_, c in got)
        out = {d for d, lv in levels.items() if lv and lv <= sem.preclinical_levels}
        left_out = tuple(sorted((col_meta[d] for d in out), key=lambda x: x[1].lower()))
        cells = {k: c for k, c in cells.items() if k[1] not in out}
        kept_rows = {sid for sid, _ in cells}
        rows_left_out = tuple(sorted(sid for sid in row_meta if sid not in kept_rows))
        for d in out:
            del col_meta[d]
        for sid in rows_left_out:
            del row_meta[sid]
    order = {lb: i for i, lb in enumerate((VARIANT, MECHANISM, GENE))}
    rws = tuple(sorted(row_meta.values(), key=lambda x: (order.get(x[1], 9), x[2].lower())))
    per_drug: dict[str, int] = defaultdict(int)
    for (_, d), c in cells.items():
        per_drug[d] += 1 if c.n else 0
    cols = tuple(sorted(col_meta.values(), key=lambda x: (-per_drug[x[0]], x[1].lower())))
    genes = tuple(sorted({str(r["subject_gene"]) for r in rows if r.get("subject_gene")}))
    return Matrix(rows=rws, cols=cols, cells=cells, genes=genes, hidden=hidden,
                  preclinical=left_out, preclinical_rows=rows_left_out)


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
