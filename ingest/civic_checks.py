"""The checks of a CIViC release's cells: typed fields, and references between the files.

`check_types` checks one row's typed cells (ids, dates, enumerations, CIViC links, gene
symbols), so that a file whose columns were swapped or shifted is refused instead of imported
as nonsense; `check_release` applies it to every row of a release and checks what the files
say of each other (profiles without variants, variants without a gene), noting the tolerated
inconsistencies (a profile naming a variant the variant file lacks) as warnings of the
release. Both are applied by `ingest.civic_release.read_release`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ingest.civic_tsv import DIGITS, DIRECTIONS, KEYS, Row, Table, split_commas, split_ids
from kg.schema.errors import InputProblem

if TYPE_CHECKING:
    from ingest.civic_release import CivicRelease

__all__ = ["ENUMS", "check_types", "check_release"]

_NCT = re.compile(r"^NCT[0-9]{8}$")
_ID_LIST = re.compile(r"^[0-9, ]*$")
_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}) UTC$")
_URL = re.compile(r"^https://civicdb\.org/links/([a-z_]+)/([0-9]+)$")
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
_SO_TERMS = re.compile(r"^[A-Za-z0-9_/,]*$")
#: The values CIViC uses in its enumerated columns (01-Aug-2024 and CIViC's data model). A
#: value outside them is refused: a shifted or swapped column, or a new CIViC term to add here.
ENUMS: dict[str, frozenset[str]] = {
    "evidence_type": frozenset({"Predictive", "Diagnostic", "Prognostic", "Predisposing",
                                "Oncogenic", "Functional"}),
    "assertion_type": frozenset({"Predictive", "Diagnostic", "Prognostic", "Predisposing",
                                 "Oncogenic"}),
    "evidence_direction": frozenset(DIRECTIONS),
    "assertion_direction": frozenset(DIRECTIONS),
    "evidence_level": frozenset("ABCDE"),
    "significance": frozenset({
        "Adverse Response", "Better Outcome", "Dominant Negative", "Gain of Function",
        "Loss of Function", "N/A", "Negative", "Neomorphic", "Oncogenicity", "Pathogenic",
        "Likely Pathogenic", "Benign", "Likely Benign", "Oncogenic", "Likely Oncogenic",
        "Poor Outcome", "Positive", "Predisposition", "Protectiveness", "Reduced Sensitivity",
        "Resistance", "Sensitivity/Response", "Uncertain Significance", "Unaltered Function"}),
    "source_type": frozenset({"PubMed", "ASCO", "ASH"}),
    "evidence_status": frozenset({"accepted", "submitted", "rejected"}),
    "variant_origin": frozenset({"Somatic", "Rare Germline", "Common Germline", "Unknown",
                                 "N/A", "Combined", "Mixed"}),
    "therapy_interaction_type": frozenset({"", "Combination", "Sequential", "Substitutes"}),
    "is_flagged": frozenset({"true", "false"}),
    "amp_category": frozenset({"", "Tier I - Level A", "Tier I - Level B", "Tier II - Level C",
                               "Tier II - Level D", "Tier III", "Tier IV"}),
}
#: Each file's own CIViC URL column, whose trailing id must be the row's record id.
_OWN_URL = {"ClinicalEvidenceSummaries": ("evidence_civic_url", "evidence_items"),
            "VariantSummaries": ("variant_civic_url", "variants"),
            "GeneSummaries": ("gene_civic_url", "genes"),
            "AssertionSummaries": ("assertion_civic_url", "assertions")}
#: Columns holding a CIViC id (ASCII digits), required (True) or optional (False).
_ID_COLUMNS: dict[str, dict[str, bool]] = {
    "ClinicalEvidenceSummaries": {"molecular_profile_id": True, "doid": False,
                                  "asco_abstract_id": False},
    "VariantSummaries": {"entrez_id": False, "single_variant_molecular_profile_id": False},
    "MolecularProfileSummaries": {},
    "GeneSummaries": {"entrez_id": False},
    "AssertionSummaries": {"molecular_profile_id": True, "doid": False},
}



def check_release(rel: CivicRelease) -> list[InputProblem]:
    """Check the typed cells of every row of a release, and what its files say of each other.

    Parameters
    ----------
    rel : CivicRelease
        The release with its five tables read (`ingest.civic_tsv.read_table`). The tolerated
        inconsistencies (evidence or an assertion on a profile the profile file lacks, a
        profile naming a variant the variant file lacks) are appended to its `warnings`.

    Returns
    -------
    list of InputProblem
        One problem per bad cell (`check_types`), profile without variants, variant without
        a gene or a name, gene without a symbol and non-numeric evidence id; empty when the
        release is fine.
    """
    problems: list[InputProblem] = []
    ev = rel.tables["ClinicalEvidenceSummaries"]
    mp = rel.tables["MolecularProfileSummaries"]
    vs = rel.tables["VariantSummaries"]
    genes = rel.tables["GeneSummaries"]
    as_ = rel.tables["AssertionSummaries"]
    mp_ids = {r["molecular_profile_id"] for r in mp.rows}
    v_ids = {r["variant_id"] for r in vs.rows}

    def bad(t: Table, r: Row, column: str, message: str) -> None:
        key = KEYS[next(k for k, v in rel.tables.items() if v is t)]
        problems.append(InputProblem(t.display, r.line, message, record=r[key], column=column))

    for kind, table in rel.tables.items():
        for r in table.rows:
            for column, message in check_types(kind, table.header, r):
                bad(table, r, column, message)
    for r in ev.rows:
        if r["molecular_profile_id"] not in mp_ids:
            rel.warnings.append(f"{ev.display}:{r.line}: EID{r['evidence_id']} names molecular "
                                f"profile {r['molecular_profile_id']}, which is not in "
                                f"{mp.display}; imported as a stub profile")
    for r in mp.rows:
        ids = split_commas(r["variant_ids"])
        if not ids:
            bad(mp, r, "variant_ids", "molecular profile without variants")
        for vid in ids:
            if not DIGITS.match(vid):
                bad(mp, r, "variant_ids", f"variant id {vid!r} is not a number")
            elif vid not in v_ids:
                rel.warnings.append(f"{mp.display}:{r.line}: molecular profile "
                                    f"{r['molecular_profile_id']} ({r['name']}) names variant "
                                    f"{vid}, which is not in {vs.display} (a CIViC 'factor'?); "
                                    "imported as a variant without a gene")
    for r in vs.rows:
        if not r["gene"].strip():
            bad(vs, r, "gene", "variant without a gene")
        if not r["variant"].strip():
            bad(vs, r, "variant", "variant without a name")
    for r in genes.rows:
        if not r["name"].strip():
            bad(genes, r, "name", "gene without a symbol")
    for r in as_.rows:
        if r["molecular_profile_id"] not in mp_ids:
            rel.warnings.append(f"{as_.display}:{r.line}: AID{r['assertion_id']} names "
                                f"molecular profile {r['molecular_profile_id']}, which is not "
                                f"in {mp.display}; imported as a stub profile")
        for e in split_commas(r["evidence_item_ids"]):
            if not DIGITS.match(e):
                bad(as_, r, "evidence_item_ids", f"evidence id {e!r} is not a number")
    return problems


def check_types(kind: str, header: Sequence[str], row: Row) -> list[tuple[str, str]]:
    """Check the typed cells of one row: ids, dates, enumerations, URLs, symbols.

    So a file whose columns were swapped or shifted (``therapies`` holding dates, an
    ``evidence_type`` holding a disease) is refused instead of imported as nonsense.

    Parameters
    ----------
    kind : str
        The file kind (a key of `FILE_KINDS`).
    header : sequence of str
        The file's columns (only present columns are checked).
    row : Row
        The row.

    Returns
    -------
    list of (str, str)
        ``(column, what is wrong)`` for each bad cell; empty when the row is fine.

    Examples
    --------
    >>> row = Row(2, {"evidence_type": "2023-01-09 21:46:24 UTC", "therapies": "Crizotinib"})
    >>> check_types("ClinicalEvidenceSummaries", ["evidence_type", "therapies"], row)
    [('evidence_type', "evidence_type '2023-01-09 21:46:24 UTC' is not one of Diagnostic, \
Functional, Oncogenic, Predictive, Predisposing, Prognostic (a shifted or swapped column?)")]
    """
    out: list[tuple[str, str]] = []
    cols = set(header)

    def value(column: str) -> str | None:
        return row[column] if column in cols else None

    for column, allowed in ENUMS.items():
        v = value(column)
        if v is not None and v not in allowed:
            shown = ", ".join(sorted(a for a in allowed if a)) or "?"
            out.append((column, f"{column} {v[:60]!r} is not one of {shown} (a shifted or "
                        "swapped column?)"))
    for column, required in _ID_COLUMNS.get(kind, {}).items():
        v = value(column)
        if v is None or (not v and not required):
            continue
        if not DIGITS.match(v):
            out.append((column, f"{column} {v[:60]!r} is not a CIViC/NCBI id (ASCII digits)"))
    v = value("last_review_date")
    if v is not None:
        m = _DATE.match(v)
        try:
            if m is None:
                raise ValueError
            datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            out.append(("last_review_date", f"last_review_date {v[:60]!r} is not a date like "
                        "'2023-01-09 21:46:24 UTC'"))
    v = value("rating")
    if v and not (len(v) == 1 and v in "12345"):
        out.append(("rating", f"rating {v[:60]!r} is not 1-5"))
    for column in ("variant_ids", "evidence_item_ids"):
        v = value(column)
        if v is not None and not _ID_LIST.match(v):
            out.append((column, f"{column} {v[:60]!r} is not a comma-separated list of ids"))
    symbol = {"GeneSummaries": "name", "VariantSummaries": "gene"}.get(kind)
    v = value(symbol) if symbol else None
    if v and not _SYMBOL.match(v):
        out.append((symbol, f"{symbol} {v[:60]!r} is not a gene symbol"))
    v = value("variant_types")
    if v and not _SO_TERMS.match(v):
        out.append(("variant_types", f"variant_types {v[:60]!r} is not a list of Sequence "
                    "Ontology terms"))
    links = [(*_OWN_URL[kind], KEYS[kind])] if kind in _OWN_URL else []
    if kind in ("ClinicalEvidenceSummaries", "AssertionSummaries"):
        links.append(("molecular_profile_civic_url", "molecular_profiles",
                      "molecular_profile_id"))
    for column, path, id_column in links:
        v = value(column)
        if v is None:
            continue
        m = _URL.match(v)
        if m is None or m.group(1) != path:
            out.append((column, f"{column} {v[:80]!r} is not a CIViC link "
                        f"(https://civicdb.org/links/{path}/<id>)"))
        elif id_column in cols and m.group(2) != row[id_column].strip():
            out.append((column, f"{column} links record {m.group(2)}, not this row's "
                        f"{id_column} {row[id_column][:20]!r}"))
    if kind == "ClinicalEvidenceSummaries":
        cid, src = value("citation_id"), value("source_type")
        if cid is not None and not cid:
            out.append(("citation_id", "no citation id"))
        elif cid and src == "PubMed" and not DIGITS.match(cid):
            out.append(("citation_id", f"citation_id {cid[:60]!r} is not a PubMed id"))
        for nct in split_ids(value("nct_ids") or ""):
            if not _NCT.match(nct):
                out.append(("nct_ids", f"{nct[:60]!r} is not an NCT id (NCT + 8 digits)"))
    return out
