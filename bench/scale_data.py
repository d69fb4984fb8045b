"""Synthetic CIViC releases of any size in the real schema's shape, for ``bench_scale.py``.

A release is the real 01-Aug-2024 release (``data/civic/``) tiled: copy 0 is the release as
it is; copy k (k >= 1) renames what makes a record one thing -- numeric ids (gene, variant,
molecular profile, evidence, assertion; offset by k million), gene symbols (``ALK`` becomes
``ALK-T3``) and PubMed ids (offset by k * 10^8) -- and keeps what a growing database shares:
therapies (drugs), diseases and trials. So every tile has the release's own degree
distribution, and drugs, diseases and trials grow hotter with every tile. The graph is then
built by the one build entry, `kg.build.build_graph` (curated data plus the synthetic
release), so every record goes through the real adapter and the real validation; a graph
of about N edges takes whole tiles plus the genes of one more tile, chosen until their
estimated edges reach N (`genes_for`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

__all__ = ["write_release", "genes_for", "EDGES_PER_EVIDENCE", "tile_symbol"]

#: Edges a CIViC evidence item brings, measured on the real release (civic edges / items).
EDGES_PER_EVIDENCE = 6.8
_OFFSET = 1_000_000
_PMID_OFFSET = 100_000_000


def tile_symbol(symbol: str, k: int) -> str:
    """Return the gene symbol of tile `k` (tile 0 keeps the real symbol).

    Parameters
    ----------
    symbol : str
        A real gene symbol.
    k : int
        The tile number.

    Returns
    -------
    str

    Examples
    --------
    >>> tile_symbol("ALK", 0), tile_symbol("ALK", 3)
    ('ALK', 'ALK-T3')
    """
    return symbol if k == 0 else f"{symbol}-T{k}"


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    return header, [ln.split("\t") for ln in lines[1:] if ln]


def _num(cell: str, k: int) -> str:
    return str(int(cell) + k * _OFFSET) if cell.strip().isdigit() else cell


def _nums(cell: str, k: int, sep: str = ",") -> str:
    return sep.join(_num(x.strip(), k) for x in cell.split(sep)) if cell.strip() else cell


def _url(cell: str, k: int) -> str:
    head, _, tail = cell.rpartition("/")
    return f"{head}/{_num(tail, k)}" if tail.isdigit() else cell


def _tile(kind: str, header: list[str], row: list[str], k: int) -> list[str]:
    r = dict(zip(header, row, strict=True))
    if kind == "GeneSummaries":
        r["gene_id"], r["gene_civic_url"] = _num(r["gene_id"], k), _url(r["gene_civic_url"], k)
        r["name"] = tile_symbol(r["name"], k)
    elif kind == "VariantSummaries":
        r["variant_id"] = _num(r["variant_id"], k)
        r["variant_civic_url"] = _url(r["variant_civic_url"], k)
        r["gene"] = tile_symbol(r["gene"], k)
        r["single_variant_molecular_profile_id"] = _num(
            r["single_variant_molecular_profile_id"], k)
    elif kind == "MolecularProfileSummaries":
        r["molecular_profile_id"] = _num(r["molecular_profile_id"], k)
        r["variant_ids"] = _nums(r["variant_ids"], k)
    elif kind == "ClinicalEvidenceSummaries":
        r["molecular_profile_id"] = _num(r["molecular_profile_id"], k)
        r["evidence_id"] = _num(r["evidence_id"], k)
        r["evidence_civic_url"] = _url(r["evidence_civic_url"], k)
        r["molecular_profile_civic_url"] = _url(r["molecular_profile_civic_url"], k)
        cid = r["citation_id"].strip()
        if r["source_type"] == "PubMed" and cid.isdigit():
            r["citation_id"] = str(int(cid) + k * _PMID_OFFSET)
        elif cid:
            r["citation_id"] = f"{cid}-T{k}"
    elif kind == "AssertionSummaries":
        r["molecular_profile_id"] = _num(r["molecular_profile_id"], k)
        r["assertion_id"] = _num(r["assertion_id"], k)
        r["assertion_civic_url"] = _url(r["assertion_civic_url"], k)
        if "molecular_profile_civic_url" in r:
            r["molecular_profile_civic_url"] = _url(r["molecular_profile_civic_url"], k)
        r["evidence_item_ids"] = _nums(r["evidence_item_ids"], k)
    return [r[c] for c in header]


def write_release(real: Path, out: Path, tiles: int) -> dict[str, int]:
    """Write a release of `tiles` copies of the real one into `out`; return rows per file.

    Parameters
    ----------
    real : pathlib.Path
        The real release directory.
    out : pathlib.Path
        Where to write (created). The files are named ``synthetic-<tiles>x-<real name>``: the
        release name (every record's ``source_version``) says what it is, and the checksums
        ``ingest/civic.yaml`` records for the real files do not apply.
    tiles : int
        Number of copies (1 = the real release).

    Returns
    -------
    dict
        Data rows written per file kind.
    """
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for path in sorted(real.glob("*.tsv")):
        kind = path.stem.split("-")[-1]
        header, data = _read(path)
        copies = range(tiles) if kind != "VariantGroupSummaries" else range(1)
        with (out / f"synthetic-{tiles}x-{path.name}").open("w", encoding="utf-8",
                                                            newline="") as fh:
            fh.write("\t".join(header) + "\n")
            for k in copies:
                for row in data:
                    fh.write("\t".join(_tile(kind, header, row, k)) + "\n")
        rows[kind] = len(data) * len(copies)
    return rows


def gene_weights(real: Path) -> Counter:
    """Evidence items per gene symbol of the real release (items of a profile of its variants)."""
    files = {p.stem.split("-")[-1]: p for p in real.glob("*.tsv")}
    vh, vrows = _read(files["VariantSummaries"])
    gene_of = {r[vh.index("variant_id")]: r[vh.index("gene")].strip() for r in vrows}
    mh, mrows = _read(files["MolecularProfileSummaries"])
    genes_of = {r[mh.index("molecular_profile_id")]: {gene_of.get(v.strip()) for v in
                r[mh.index("variant_ids")].split(",")} - {None} for r in mrows}
    eh, erows = _read(files["ClinicalEvidenceSummaries"])
    w: Counter = Counter()
    for r in erows:
        for g in genes_of.get(r[eh.index("molecular_profile_id")], ()):
            w[g] += 1
    for g in set(gene_of.values()):
        w[g] += 0
    return w


def genes_for(real: Path, target_edges: int, base_edges: int) -> tuple[int, list[str]]:
    """Return (tiles, gene symbols) whose graph should hold about `target_edges` edges.

    Parameters
    ----------
    real : pathlib.Path
        The real release.
    target_edges : int
        Edges wanted in the whole graph.
    base_edges : int
        Edges of the curated graph alone (always loaded).

    Returns
    -------
    tiles : int
        Copies of the release to write.
    genes : list of str
        The ``--genes`` list: every gene of the full tiles, then genes of the last tile by
        symbol until their estimated edges reach the target.
    """
    w = gene_weights(real)
    per_tile = sum(w.values()) * EDGES_PER_EVIDENCE
    need = max(0.0, target_edges - base_edges)
    full = int(need // per_tile)
    rest = need - full * per_tile
    tiles = full + (1 if rest > 0 else 0)
    genes = [tile_symbol(g, k) for k in range(full) for g in sorted(w)]
    acc = 0.0
    for g in sorted(w, key=lambda s: (-w[s], s)):
        if acc >= rest:
            break
        genes.append(tile_symbol(g, full))
        acc += w[g] * EDGES_PER_EVIDENCE
    return max(tiles, 1), genes

