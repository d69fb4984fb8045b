"""Map a checked CIViC release onto graph records, merged onto known nodes by a matcher.

`map_release` takes the release (`ingest.civic_release.read_release`), a `CivicMatcher`
built from the other sources' nodes, the gene filter, the claim semantics and the
provenance every record carries, and returns a `CivicRecords`. Its steps are functions whose
inputs and outputs are their arguments and return values: `select_records` (what the gene
filter keeps), then genes, variants, molecular profiles (and stub profiles), evidence items
and assertions, each adding records to a `RecordSink` (the first record of an id wins).

Genes, variants and profiles are mapped here; evidence items and assertions in
`ingest.civic_claims`. The mapping (docs/civic.md has the full rules):

* evidence item -> ``Claim`` ``CIVIC.EID:<n>``; its source -> ``Publication``
  (``PMID:<n>``, ``ASCO:<n>`` or ``DOI:<doi>``); NCT ids -> ``Trial``; therapies -> ``Drug``;
  disease -> ``Disease`` (``DOID:<n>``); molecular profile -> ``Variant``.
* single-variant molecular profiles are the variant itself; ``AND`` profiles are compound
  ``Variant`` nodes (``variant_type`` compound_mutation) with ``COMPONENT_OF`` edges from each
  variant; profiles with ``OR``/``NOT`` are ``Variant`` nodes of ``variant_type``
  molecular_profile, also linked to their variants.
* assertion -> ``Assertion`` ``CIVIC.AID:<n>`` with ``SUPPORTED_BY`` edges to its evidence.
* entities the matcher knows take the known id, so they merge into one node.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.civic_claims import Lookups, Profile, add_assertion, add_evidence, drug_ids
from ingest.civic_match import CivicMatcher
from ingest.civic_release import CivicRelease, Row, Table, split_commas
from ingest.common import RecordSink
from kg.schema import ClaimSemantics
from kg.schema.errors import IngestError, InputProblem
from kg.schema.records import EdgeRecord, NodeRecord

__all__ = ["CivicRecords", "Selection", "select_records", "map_release"]

_PROTEIN = re.compile(r"^([A-Z])(\d+)([A-Z]|\*|dup|del|fs)$", re.IGNORECASE)
_EVIDENCE, _ASSERTIONS = "ClinicalEvidenceSummaries", "AssertionSummaries"
_VARIANTS, _PROFILES, _GENES = "VariantSummaries", "MolecularProfileSummaries", "GeneSummaries"


@dataclass(frozen=True)
class CivicRecords:
    """What `map_release` returns: the records, by id, and two counts for the provenance."""

    nodes: dict[str, NodeRecord]
    edges: dict[str, EdgeRecord]
    n_evidence: int
    skipped_assertion_links: int


@dataclass(frozen=True)
class Selection:
    """The rows a gene filter keeps, in mapping order (`select_records`)."""

    gene_rows: dict[str, Row]  # symbol -> GeneSummaries row (the last row of a symbol)
    genes: list[str]  # symbols of the genes imported on their own, sorted
    variants: list[Row]  # VariantSummaries rows, by variant id
    profiles: list[Row]  # MolecularProfileSummaries rows, by profile id
    evidence: list[Row]  # ClinicalEvidenceSummaries rows, by evidence id
    assertions: list[Row]  # AssertionSummaries rows, by assertion id
    claim_ids: frozenset[str]  # CIVIC.EID:<n> of the evidence kept


def select_records(release: CivicRelease, genes: Sequence[str] | None) -> Selection:
    """Choose the rows to import: every row, or those whose profile involves the genes.

    Parameters
    ----------
    release : CivicRelease
    genes : sequence of str or None
        Gene symbols; None imports the whole release (with evidence and assertions on
        profiles missing from the profile file).

    Returns
    -------
    Selection

    Raises
    ------
    IngestError
        A requested gene has no variant in the release.
    """
    t = release.tables
    gene_rows = {r["name"].strip(): r for r in t[_GENES].rows}
    variant_rows = {r["variant_id"]: r for r in t[_VARIANTS].rows}
    profile_rows = {r["molecular_profile_id"]: r for r in t[_PROFILES].rows}
    if genes is not None:
        symbols = {r["gene"].strip() for r in variant_rows.values()}
        unknown = [g for g in genes if g not in symbols]
        if unknown:
            raise IngestError(InputProblem(
                t[_GENES].display, None, f"--genes: {', '.join(unknown)} not in "
                "this release (no variant of that gene)"))
    wanted = set(genes) if genes is not None else None

    def gene_of(vid: str) -> str | None:
        row = variant_rows.get(vid)
        return row["gene"].strip() if row is not None else None

    profiles = sorted((mpid for mpid, r in profile_rows.items() if wanted is None
                       or any(gene_of(v) in wanted for v in split_commas(r["variant_ids"]))),
                      key=int)
    needed = {v for mpid in profiles for v in split_commas(profile_rows[mpid]["variant_ids"])}
    variants = sorted((vid for vid, r in variant_rows.items()
                       if wanted is None or r["gene"].strip() in wanted or vid in needed),
                      key=int)
    kept = set(profiles)
    # Evidence on a profile missing from the profile file: whole-release imports only.
    evidence = sorted((r for r in t[_EVIDENCE].rows if r["molecular_profile_id"] in kept
                       or (wanted is None and r["molecular_profile_id"] not in profile_rows)),
                      key=lambda r: int(r["evidence_id"]))
    claim_ids = frozenset(f"CIVIC.EID:{r['evidence_id']}" for r in evidence)
    assertions = [r for r in sorted(t[_ASSERTIONS].rows, key=lambda r: int(r["assertion_id"]))
                  if r["molecular_profile_id"] in kept
                  or (r["molecular_profile_id"] not in profile_rows and (wanted is None or any(
                      f"CIVIC.EID:{e}" in claim_ids for e in split_commas(r["evidence_item_ids"])
                  )))]
    return Selection(gene_rows, sorted(s for s in gene_rows if wanted is None or s in wanted),
                     [variant_rows[v] for v in variants], [profile_rows[p] for p in profiles],
                     evidence, assertions, claim_ids)


def map_release(release: CivicRelease, matcher: CivicMatcher, *,
                genes: Sequence[str] | None = None, semantics: ClaimSemantics,
                provenance: Mapping[str, str]) -> CivicRecords:
    """Map a checked release onto nodes and edges, taking known ids from the matcher.

    Parameters
    ----------
    release : CivicRelease
        From `ingest.civic_release.read_release`.
    matcher : CivicMatcher
        Knows the other sources' nodes; matched CIViC entities take their ids.
    genes : sequence of str, optional
        Import only what involves these gene symbols (see `select_records`).
    semantics : ClaimSemantics
        Maps CIViC (evidence type, significance) onto claim predicates and gives the
        predicates with a polarity (those that get a direct profile -> drug edge).
    provenance : mapping of str to str
        Properties every record carries.

    Returns
    -------
    CivicRecords

    Raises
    ------
    IngestError
        A requested gene is not in the release.
    """
    sel = select_records(release, genes)
    t = release.tables
    out = RecordSink(provenance)
    for symbol in sel.genes:
        _gene(out, matcher, t[_GENES], sel.gene_rows, symbol, None,
              t[_GENES].origin(sel.gene_rows[symbol]))
    variant_node = _variants(out, matcher, t, sel)
    profiles, variant_node = _profiles(out, matcher, t[_PROFILES], sel.profiles, variant_node)
    profiles = _stub_profiles(out, t, sel, profiles)
    lookups = Lookups(profiles, drug_ids([*sel.evidence, *sel.assertions], matcher), matcher)
    for r in sel.evidence:
        add_evidence(out, r, table=t[_EVIDENCE], lookups=lookups, semantics=semantics)
    skipped = sum(add_assertion(out, r, table=t[_ASSERTIONS], lookups=lookups,
                                claim_ids=sel.claim_ids)
                  for r in sel.assertions)
    return CivicRecords(out.nodes, out.edges, len(sel.claim_ids), skipped)


# -- genes and variants ------------------------------------------------------------------------

def _gene(out: RecordSink, matcher: CivicMatcher, table: Table, gene_rows: Mapping[str, Row],
          symbol: str, fallback: Row | None, origin: str) -> str:
    nid = matcher.gene(symbol) or f"gene:{symbol}"
    grow = gene_rows.get(symbol)
    if grow is not None:
        out.node(nid, "Gene", {
            "name": symbol, "entrez_id": grow["entrez_id"] or None,
            "source_record_id": f"GID{grow['gene_id']}",
            "source_url": grow["gene_civic_url"]}, table.origin(grow))
    else:
        out.node(nid, "Gene", {"name": symbol, "entrez_id": fallback["entrez_id"]
                               if fallback is not None else None}, origin)
    return nid


def _variants(out: RecordSink, matcher: CivicMatcher, t: Mapping[str, Table],
              sel: Selection) -> dict[str, str]:
    """Add the selected variants and their genes; return CIViC variant id -> node id."""
    vs = t[_VARIANTS]
    variant_node: dict[str, str] = {}
    used: set[str] = set()
    for r in sel.variants:
        gene, name = r["gene"].strip(), r["variant"].strip()
        aliases = split_commas(r["variant_aliases"])
        match = matcher.variant(gene, name, aliases)
        nid = match.known or match.canonical or f"CIVIC.VID:{r['variant_id']}"
        if nid in used:  # a second CIViC variant on the same id
            nid = f"CIVIC.VID:{r['variant_id']}"
        used.add(nid)
        variant_node[r["variant_id"]] = nid
        m = _PROTEIN.match(name)
        cite = {"source_record_id": f"VID{r['variant_id']}",
                "source_url": r["variant_civic_url"]}
        out.node(nid, "Variant", {
            "name": f"{gene} {name}", "gene_symbol": gene,
            "variant_type": _variant_type(name, split_commas(r["variant_types"])),
            "hgvs_p": f"p.{nid.split(':p.', 1)[1]}" if m and ":p." in nid else None,
            "synonyms": list(dict.fromkeys([name, *aliases])), **cite}, vs.origin(r))
        gid = _gene(out, matcher, t[_GENES], sel.gene_rows, gene, r, vs.origin(r))
        out.edge(nid, "VARIANT_OF", gid, cite, vs.origin(r))
    return variant_node


def _variant_type(name: str, so_terms: list[str]) -> str | None:
    low = name.casefold()
    if "transcript_fusion" in so_terms or low == "fusion" or "::" in name:
        return "fusion"
    if "amplification" in low or any("amplification" in s for s in so_terms):
        return "amplification"
    if low in ("overexpression", "expression"):
        return "overexpression"
    return so_terms[0] if so_terms and so_terms[0] != "N/A" else None


# -- molecular profiles ------------------------------------------------------------------------

def _profiles(out: RecordSink, matcher: CivicMatcher, mps: Table, rows: Sequence[Row],
              variant_node: Mapping[str, str]) -> tuple[dict[str, Profile], dict[str, str]]:
    """Add the selected profiles; return them by id, and variant ids -> node ids with the
    stub variants (profile variants missing from the variant file, CIViC 'factors')."""
    variant_node = dict(variant_node)
    profiles: dict[str, Profile] = {}
    for r in rows:
        mpid, name = r["molecular_profile_id"], r["name"].strip()
        vids = tuple(split_commas(r["variant_ids"]))
        for v in vids:
            if v not in variant_node:
                variant_node[v] = f"CIVIC.VID:{v}"
                out.node(f"CIVIC.VID:{v}", "Variant", {
                    "name": name if len(vids) == 1 else f"CIViC variant {v}",
                    "source_record_id": f"VID{v}",
                    "source_url": f"https://civicdb.org/links/variants/{v}"}, mps.origin(r))
        complex_ = bool(re.search(r"\b(OR|NOT)\b|\(", name))
        if len(vids) == 1 and not complex_:
            profiles[mpid] = Profile(variant_node[vids[0]], "single", vids, r["name"])
            continue
        kind = "complex" if complex_ else "compound"
        comp_ids = [variant_node[v] for v in vids]
        comp_nodes = [out.nodes[c] for c in comp_ids]
        fusions = [n for n in comp_nodes if n.props.get("variant_type") == "fusion"]
        others = [n for n in comp_nodes if n.props.get("variant_type") != "fusion"]
        genes = {str(n.props.get("gene_symbol")) for n in comp_nodes}
        nid = f"CIVIC.MP:{mpid}"
        if kind == "compound" and len(others) >= 2:
            nid = matcher.compound(n.id for n in others) or nid
        core = others[0].id if (kind == "compound" and fusions and len(others) == 1
                                and len(genes) == 1) else None
        cite = {"source_record_id": f"MPID{mpid}",
                "source_url": f"https://civicdb.org/links/molecular_profiles/{mpid}"}
        out.node(nid, "Variant", {
            "name": name, "gene_symbol": genes.pop() if len(genes) == 1 else None,
            "variant_type": "compound_mutation" if kind == "compound" else "molecular_profile",
            "synonyms": split_commas(r["aliases"]) or None, "core_variant_id": core, **cite},
            mps.origin(r))
        for c in dict.fromkeys(comp_ids):
            out.edge(c, "COMPONENT_OF", nid, cite, mps.origin(r))
        profiles[mpid] = Profile(nid, kind, vids, r["name"])
    return profiles, variant_node


def _stub_profiles(out: RecordSink, t: Mapping[str, Table], sel: Selection,
                   profiles: Mapping[str, Profile]) -> dict[str, Profile]:
    """Add a stub node for each profile that evidence or assertions name but the profile
    file lacks (first mention wins); return the profiles with the stubs."""
    profiles = dict(profiles)
    for kind, rows in ((_EVIDENCE, sel.evidence), (_ASSERTIONS, sel.assertions)):
        for r in rows:
            mpid = r["molecular_profile_id"]
            if mpid in profiles:
                continue
            nid, name = f"CIVIC.MP:{mpid}", r["molecular_profile"].strip()
            out.node(nid, "Variant", {
                "name": name, "variant_type": "molecular_profile",
                "source_record_id": f"MPID{mpid}",
                "source_url": r["molecular_profile_civic_url"]}, t[kind].origin(r))
            profiles[mpid] = Profile(nid, "stub", (), name)
    return profiles
