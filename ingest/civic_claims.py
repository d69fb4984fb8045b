"""Map CIViC evidence items and assertions onto Claim and Assertion records.

Each evidence item becomes a ``Claim`` ``CIVIC.EID:<n>`` about its molecular profile's node
(a `Profile`, from `ingest.civic_map`), with its publication (``PMID:<n>``, ``ASCO:<n>`` or
``DOI:<doi>``), drugs (ids from `drug_ids`), disease (``DOID:<n>``) and trials (NCT ids), and
a direct profile -> drug edge when its predicate has a polarity; each assertion becomes an
``Assertion`` ``CIVIC.AID:<n>`` with ``SUPPORTED_BY`` edges to its imported evidence. Records
go into a `RecordSink` (first record of an id wins); every one cites its CIViC record.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ingest.civic_match import CivicMatcher, normalise_name
from ingest.civic_tsv import DIRECTIONS, Row, Table, split_cell, split_commas, split_ids
from ingest.common import RecordSink
from kg.schema import ClaimSemantics

__all__ = ["Profile", "Lookups", "split_therapies", "drug_ids", "add_evidence",
           "add_assertion"]

log = logging.getLogger(__name__)

_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def split_therapies(cell: str) -> list[str]:
    """Split CIViC's comma-joined therapy names, keeping commas between digits.

    CIViC joins therapy names with commas, but some names hold one (``2,4-pyrimidinediamine``,
    ``HER2 Inhibitor CP-724,714``); a comma with a digit on both sides is part of a name.

    Parameters
    ----------
    cell : str
        The ``therapies`` cell.

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_therapies("Gefitinib,HER2 Inhibitor CP-724,714,Selumetinib")
    ['Gefitinib', 'HER2 Inhibitor CP-724,714', 'Selumetinib']
    >>> split_therapies("2,4-pyrimidinediamine"), split_therapies("")
    (['2,4-pyrimidinediamine'], [])
    """
    return split_cell(cell, r"(?<!\d),|,(?!\d)")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.+-]+", "_", name.casefold()).strip("_") or "unnamed"


def _year(citation: str) -> int | None:
    found = [m.group(0) for m in _YEAR.finditer(citation)]
    return int(found[-1]) if found else None


@dataclass(frozen=True)
class Profile:
    """A molecular profile as mapped: its node, kind (single, compound, complex, stub), the
    CIViC ids of its variants and its name (for claim titles)."""

    node_id: str
    kind: str
    variant_ids: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class Lookups:
    """What an evidence item or an assertion is mapped with, built once per release.

    Attributes
    ----------
    profiles : mapping of str to Profile
        Every profile a row may name, by molecular profile id (stubs included).
    drugs : mapping of str to str
        From `drug_ids`.
    matcher : CivicMatcher
        Matches the disease name when the row has no DOID.
    """

    profiles: Mapping[str, Profile]
    drugs: Mapping[str, str]
    matcher: CivicMatcher


def drug_ids(rows: Iterable[Row], matcher: CivicMatcher) -> dict[str, str]:
    """Choose the drug id of every therapy the rows name: known (matched) or ``drug:<slug>``.

    Parameters
    ----------
    rows : iterable of Row
        Evidence and assertion rows, in mapping order: the first spelling of a name whose
        normalised form repeats decides its id.
    matcher : CivicMatcher

    Returns
    -------
    dict of str to str
        Normalised therapy name (`normalise_name`) -> drug node id.
    """
    ids: dict[str, str] = {}
    for r in rows:
        for name in split_therapies(r["therapies"]):
            key = normalise_name(name)
            if key not in ids:
                ids[key] = matcher.drug(name) or f"drug:{_slug(name)}"
    return ids


def _drug(out: RecordSink, lookups: Lookups, name: str, origin: str) -> str:
    nid = lookups.drugs[normalise_name(name)]
    out.node(nid, "Drug", {"name": name}, origin)
    return nid


def _disease(out: RecordSink, lookups: Lookups, name: str, doid: str,
             origin: str) -> str | None:
    if doid:
        nid = f"DOID:{doid}"
    elif name:
        nid = lookups.matcher.disease(name) or f"disease:{_slug(name)}"
    else:
        return None
    out.node(nid, "Disease", {"name": name or nid}, origin)
    return nid


def _publication(out: RecordSink, r: Row, origin: str, cite: Mapping[str, str]) -> str:
    stype, cid, citation = r["source_type"], r["citation_id"].strip(), r["citation"].strip()
    pmid = None
    if stype == "PubMed":
        nid, pmid, kind = f"PMID:{cid}", cid, "article"
        url: str | None = f"https://pubmed.ncbi.nlm.nih.gov/{cid}/"
    elif cid.startswith("10."):
        nid, kind, url = f"DOI:{cid}", "abstract", f"https://doi.org/{cid}"
    else:
        nid, kind, url = f"{stype.upper()}:{cid}", "abstract", None
    label = citation or nid
    out.node(nid, "Publication", {
        "name": label, "title": f"{label} (cited by CIViC; title not in the release)",
        "year": _year(citation), "pmid": pmid, "doi": cid if nid.startswith("DOI:") else None,
        "url": url, "entry_type": stype, "pub_kind": kind,
        "pages": f"Abstract {r['asco_abstract_id']}" if r["asco_abstract_id"] not in ("", "0")
        else None, **cite}, origin)
    return nid


def add_evidence(out: RecordSink, r: Row, *, table: Table, lookups: Lookups,
                 semantics: ClaimSemantics) -> str:
    """Add an evidence item's Claim with its publication, drugs, disease, trials and edges.

    Parameters
    ----------
    out : RecordSink
        Receives the records.
    r : Row
        The evidence row.
    table : Table
        The evidence table (for ``file:line``).
    lookups : Lookups
        The profiles, drug ids and matcher the row's ids and names are looked up in.
    semantics : ClaimSemantics
        The predicate of (evidence type, significance) and the predicates with a polarity.

    Returns
    -------
    str
        The claim id ``CIVIC.EID:<n>``.
    """
    sem = semantics
    origin = table.origin(r)
    n = r["evidence_id"]
    cid = f"CIVIC.EID:{n}"
    prof = lookups.profiles[r["molecular_profile_id"]]
    pmid = r["citation_id"].strip() if r["source_type"] == "PubMed" else None
    cite = {"source_record_id": f"EID{n}", "source_url": r["evidence_civic_url"]}
    if pmid:
        cite["pmid"] = pmid
    pub = _publication(out, r, origin, cite)
    drug_nodes = list(dict.fromkeys(_drug(out, lookups, t, origin)
                                    for t in split_therapies(r["therapies"])))
    disease = _disease(out, lookups, r["disease"].strip(), r["doid"].strip(), origin)
    etype, sig = r["evidence_type"], r["significance"]
    predicate = sem.civic_predicate(etype, sig) or f"CIVIC_{_slug(etype).upper()}"
    direction = DIRECTIONS[r["evidence_direction"]]
    interaction = r["therapy_interaction_type"].strip().lower() or None
    therapies = " + ".join(split_therapies(r["therapies"])) if interaction in (
        "combination", "sequential") else " / ".join(split_therapies(r["therapies"]))
    verb = {"supports": "", "does_not_support": "does not support ",
            "not_applicable": ""}[direction]
    title = (f"{prof.name}: {verb}{sig}"
             + (f" to {therapies}" if therapies else "")
             + (f" in {r['disease'].strip()}" if r["disease"].strip() else "")
             + f" (CIViC EID{n}, level {r['evidence_level']})")
    out.node(cid, "Claim", {
        "name": title, "subject_id": prof.node_id, "predicate": predicate,
        "object_id": drug_nodes[0] if len(drug_nodes) == 1 else None, "direction": direction,
        "evidence_level": r["evidence_level"], "statement": r["evidence_statement"],
        "asserted_by": pub, "disease_id": disease, "evidence_type": etype,
        "significance": sig, "rating": int(r["rating"]) if r["rating"] else None,
        "status": r["evidence_status"], "variant_origin": r["variant_origin"],
        "therapy_interaction": interaction, **cite}, origin)
    q = {"claim_id": cid}
    out.edge(cid, "ASSERTED_IN", pub, cite, origin, **q)
    out.edge(cid, "HAS_SUBJECT", prof.node_id, cite, origin, **q)
    out.edge(cid, "HAS_MOLECULAR_PROFILE", prof.node_id, cite, origin, **q)
    if len(drug_nodes) == 1:
        out.edge(cid, "HAS_OBJECT", drug_nodes[0], cite, origin, **q)
    for d in drug_nodes:
        out.edge(cid, "INVOLVES_THERAPY", d, cite, origin, interaction=interaction, **q)
    if disease:
        out.edge(cid, "ABOUT_DISEASE", disease, cite, origin, **q)
    for nct in split_ids(r["nct_ids"]):
        out.node(nct, "Trial", {"name": nct, "registry": "ClinicalTrials.gov",
                                "registry_id": nct}, origin)
        out.edge(cid, "IN_TRIAL", nct, cite, origin, **q)
    if predicate in sem.polarity and prof.kind in ("single", "compound"):
        for d in drug_nodes:
            out.edge(prof.node_id, predicate, d, cite, origin, claim_id=cid,
                     direction=direction, evidence_level=r["evidence_level"],
                     significance=sig, interaction=interaction)
    return cid


def add_assertion(out: RecordSink, r: Row, *, table: Table, lookups: Lookups,
                  claim_ids: frozenset[str]) -> int:
    """Add an Assertion with its profile, disease, drug and evidence (SUPPORTED_BY) edges.

    Parameters
    ----------
    out : RecordSink
        Receives the records.
    r : Row
        The assertion row.
    table : Table
        The assertion table (for ``file:line``).
    lookups : Lookups
        As for `add_evidence`.
    claim_ids : frozenset of str
        The imported claims; links to other evidence items are skipped (and logged).

    Returns
    -------
    int
        How many of its evidence links were skipped.
    """
    origin = table.origin(r)
    n = r["assertion_id"]
    aid = f"CIVIC.AID:{n}"
    cite = {"source_record_id": f"AID{n}", "source_url": r["assertion_civic_url"]}
    prof = lookups.profiles[r["molecular_profile_id"]]
    sig = r["significance"]
    therapies = split_therapies(r["therapies"])
    name = (f"{r['molecular_profile'].strip()}: {r['assertion_type']} {sig}"
            + (f" to {' / '.join(therapies)}" if therapies else "")
            + (f" in {r['disease'].strip()}" if r["disease"].strip() else "")
            + f" (CIViC AID{n})")
    out.node(aid, "Assertion", {
        "name": name, "assertion_type": r["assertion_type"],
        "direction": DIRECTIONS.get(r["assertion_direction"], r["assertion_direction"]),
        "significance": sig, "amp_category": r["amp_category"],
        "summary": r["assertion_summary"], **cite}, origin)
    out.edge(aid, "HAS_MOLECULAR_PROFILE", prof.node_id, cite, origin)
    disease = _disease(out, lookups, r["disease"].strip(), r["doid"].strip(), origin)
    if disease:
        out.edge(aid, "ABOUT_DISEASE", disease, cite, origin)
    for therapy in therapies:
        out.edge(aid, "INVOLVES_THERAPY", _drug(out, lookups, therapy, origin), cite, origin)
    skipped = 0
    for e in split_commas(r["evidence_item_ids"]):
        cid = f"CIVIC.EID:{e}"
        if cid in claim_ids:
            out.edge(aid, "SUPPORTED_BY", cid, cite, origin)
        else:
            skipped += 1
            log.info("%s: assertion AID%s rests on EID%s, which is not an accepted "
                     "evidence item of this release", origin, n, e)
    return skipped
