"""The CIViC importer against the real 01-Aug-2024 release (shipped in data/civic/).

Counts are computed here independently from the TSV files with the csv module and compared
with Cypher counts on a real embedded FalkorDB store; merge rules are checked on a small
curated data directory written in the test; broken releases are built under tmp_path from
the real files.
"""

from __future__ import annotations

import csv
import secrets
import shutil
from collections import Counter
from pathlib import Path

import pytest

from ingest.civic import CivicAdapter, read_release, read_table, split_therapies
from kg.build import build_graph
from kg.cli import assemble_from_args, build_parser, main
from kg.queries import load_query
from kg.schema.errors import IngestError
from kg.store.falkordb import FalkorStore
from tests.conftest import DATA

EVIDENCE = "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
GENES = "01-Aug-2024-GeneSummaries.tsv"
DIRECTIONS = {"Supports": "supports", "Does Not Support": "does_not_support",
              "N/A": "not_applicable"}


def _tsv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 28)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


# -- counts: the whole release in a real store -------------------------------------------------

@pytest.fixture(scope="module")
def full_graph(civic_release):
    """Curated data + the whole CIViC release (every gene), assembled as the CLI does."""
    return build_graph(DATA, civic_dir=civic_release)


@pytest.fixture(scope="module")
def civic_store(falkor_server, full_graph):
    """A scratch graph on the session server holding the full graph."""
    s = FalkorStore(falkor_server, graph_name=f"scratch_civic_{secrets.token_hex(4)}")
    s.load(full_graph)
    yield s
    s.redis.delete(s.graph_name, f"{s.graph_name}:meta")
    s.close()


@pytest.fixture(scope="module")
def tsv_counts(civic_release):
    """Evidence counts computed from the TSV files alone (csv module, no project code)."""
    evidence = _tsv(civic_release / EVIDENCE)
    variants = {r["variant_id"]: r["gene"] for r in
                _tsv(civic_release / "01-Aug-2024-VariantSummaries.tsv")}
    profiles = {r["molecular_profile_id"]: [v.strip() for v in r["variant_ids"].split(",")]
                for r in _tsv(civic_release / "01-Aug-2024-MolecularProfileSummaries.tsv")}
    by_gene: Counter = Counter()
    for r in evidence:
        genes = {variants[v] for v in profiles.get(r["molecular_profile_id"], []) if v in variants}
        by_gene.update(genes)
    return {
        "total": len(evidence),
        "by_level": Counter(r["evidence_level"] for r in evidence),
        "by_direction": Counter(DIRECTIONS[r["evidence_direction"]] for r in evidence),
        "by_type": Counter(r["evidence_type"] for r in evidence),
        "by_gene": by_gene,
        "alk": by_gene["ALK"],
        "alk_predictive_resistance": sum(
            1 for r in evidence if r["evidence_type"] == "Predictive"
            and r["significance"] == "Resistance"
            and "ALK" in {variants.get(v) for v in profiles.get(r["molecular_profile_id"], [])}),
    }


def _grouped(store, cypher):
    return {row[0]: row[1] for row in store.query(cypher).rows}


def test_whole_release_counts_match_the_tsv(civic_store, tsv_counts):
    n = civic_store.query("MATCH (c:Claim {source: 'civic'}) RETURN count(c)").rows[0][0]
    assert n == tsv_counts["total"] == 4375
    assert _grouped(civic_store, "MATCH (c:Claim {source: 'civic'}) "
                    "RETURN c.evidence_level, count(c)") == tsv_counts["by_level"]
    assert _grouped(civic_store, "MATCH (c:Claim {source: 'civic'}) "
                    "RETURN c.direction, count(c)") == tsv_counts["by_direction"]
    assert _grouped(civic_store, "MATCH (c:Claim {source: 'civic'}) "
                    "RETURN c.evidence_type, count(c)") == tsv_counts["by_type"]


def test_evidence_by_gene_and_alk_items_match_the_tsv(civic_store, tsv_counts):
    by_gene = _grouped(civic_store, """
        MATCH (c:Claim {source: 'civic'})-[:HAS_MOLECULAR_PROFILE]->(p:Variant)
        OPTIONAL MATCH (p)<-[:COMPONENT_OF]-(comp:Variant)
        WITH c, p, collect(comp) AS comps
        UNWIND comps + [p] AS v
        MATCH (v)-[:VARIANT_OF]->(g:Gene)
        RETURN g.name AS gene, count(DISTINCT c) AS n""")
    assert by_gene == tsv_counts["by_gene"]
    assert by_gene["ALK"] == tsv_counts["alk"] == 144
    alk_res = civic_store.query("""
        MATCH (c:Claim {source: 'civic', predicate: 'CONFERS_RESISTANCE_TO'})
              -[:HAS_MOLECULAR_PROFILE]->(p:Variant)
        OPTIONAL MATCH (p)<-[:COMPONENT_OF]-(comp:Variant)
        WITH c, p, collect(comp) AS comps
        UNWIND comps + [p] AS v
        MATCH (v)-[:VARIANT_OF]->(:Gene {name: 'ALK'})
        RETURN count(DISTINCT c)""").rows[0][0]
    assert alk_res == tsv_counts["alk_predictive_resistance"]


def test_every_civic_record_carries_provenance_and_its_civic_citation(full_graph):
    for _, _, _, d in full_graph.graph.edges(keys=True, data=True):
        p = d["props"]
        if p["source"] == "civic":
            assert p["source_version"] == "01-Aug-2024" and p["licence"] == "CC0-1.0"
            assert p["source_record_id"] and p["source_url"].startswith("https://civicdb.org/")
    claim = full_graph.graph.nodes["CIVIC.EID:1345"]["props"]
    assert claim["source_url"] == "https://civicdb.org/links/evidence_items/1345"
    assert claim["pmid"] == "24675041" and claim["source_record_id"] == "EID1345"
    prov = full_graph.sources["civic"]
    assert prov["release"] == "01-Aug-2024" and prov["genes"] == "all"
    assert prov["sha256_ClinicalEvidenceSummaries"].startswith("34131f09")


def test_evidence_item_mapping(full_graph):
    g = full_graph.graph
    c = g.nodes["CIVIC.EID:1345"]["props"]  # ALK EML4::ALK AND ALK G1202R, ceritinib, NSCLC
    assert (c["subject_id"], c["predicate"], c["object_id"], c["direction"],
            c["evidence_level"], c["disease_id"], c["evidence_type"], c["significance"],
            c["rating"], c["status"], c["variant_origin"], c["asserted_by"]) == (
        "CIVIC.MP:4237", "CONFERS_RESISTANCE_TO", "drug:ceritinib", "supports", "D",
        "DOID:3908", "Predictive", "Resistance", 4, "accepted", "Somatic", "PMID:24675041")
    out = Counter(d["type"] for _, _, d in g.out_edges("CIVIC.EID:1345", data=True))
    assert out == {"ASSERTED_IN": 1, "HAS_SUBJECT": 1, "HAS_MOLECULAR_PROFILE": 1,
                   "HAS_OBJECT": 1, "INVOLVES_THERAPY": 1, "ABOUT_DISEASE": 1}
    # a compound profile: a Variant linked to each of its variants, rolled up to G1202R
    mp = g.nodes["CIVIC.MP:4237"]["props"]
    assert mp["variant_type"] == "compound_mutation" and mp["core_variant_id"] == "ALK:p.G1202R"
    assert {s for s, _, d in g.in_edges("CIVIC.MP:4237", data=True)
            if d["type"] == "COMPONENT_OF"} == {"ALK:p.G1202R", "ALK:EML4-ALK"}
    # the direct claim-predicate edge from the compound profile, with its qualifiers
    direct = [d["props"] for _, t, d in g.out_edges("CIVIC.MP:4237", data=True)
              if d["type"] == "CONFERS_RESISTANCE_TO" and d["props"]["claim_id"] ==
              "CIVIC.EID:1345"]
    assert len(direct) == 1 and direct[0]["evidence_level"] == "D"
    # sequential therapy with an NCT id: three drugs with the interaction, one trial
    c841 = g.nodes["CIVIC.EID:841"]["props"]
    assert c841["therapy_interaction"] == "sequential" and "object_id" not in c841
    therapies = {t: d["props"]["interaction"] for _, t, d in g.out_edges("CIVIC.EID:841",
                 data=True) if d["type"] == "INVOLVES_THERAPY"}
    assert therapies == {"drug:luminespib": "sequential", "drug:ceritinib": "sequential",
                         "drug:crizotinib": "sequential"}
    assert ("CIVIC.EID:841", "NCT01970865") in {(s, t) for s, t, d in g.edges(data=True)
                                                if d["type"] == "IN_TRIAL"}
    assert g.nodes["NCT01970865"]["label"] == "Trial"


def test_sources_assertions_and_odd_rows(full_graph):
    g = full_graph.graph
    asco = g.nodes["ASCO:161573"]["props"]  # an ASCO abstract
    assert asco["pub_kind"] == "abstract" and asco["pages"] == "Abstract 102"
    assert asco["source"] == "civic" and asco["source_url"].startswith("https://civicdb.org/")
    assert g.nodes["DOI:10.1182/blood-2021-148205"]["label"] == "Publication"  # ASH, by DOI
    pub = g.nodes["PMID:24675041"]["props"]
    assert pub["url"] == "https://pubmed.ncbi.nlm.nih.gov/24675041/" and pub["year"] == 2014
    # assertions rest on their evidence items
    a = g.nodes["CIVIC.AID:2"]["props"]
    assert a["significance"] == "Sensitivity/Response" and a["direction"] == "supports"
    assert {t for _, t, d in g.out_edges("CIVIC.AID:2", data=True)
            if d["type"] == "SUPPORTED_BY"} == {"CIVIC.EID:1122", "CIVIC.EID:529",
                                                "CIVIC.EID:528"}
    # a profile of a CIViC 'factor' (variant not in VariantSummaries) and an assertion on a
    # profile missing from MolecularProfileSummaries are kept, as stubs
    assert g.nodes["CIVIC.VID:4945"]["props"]["name"] == "Kataegis Positive"
    assert g.nodes["CIVIC.EID:12037"]["props"]["subject_id"] == "CIVIC.VID:4945"
    assert g.nodes["CIVIC.MP:4566"]["props"]["name"] == "ZFTA Fusion"
    # an OR profile is a Variant of type molecular_profile with no direct predicate edge
    mp = g.nodes["CIVIC.MP:4708"]["props"]
    assert mp["variant_type"] == "molecular_profile"
    assert not [d for _, _, d in g.out_edges("CIVIC.MP:4708", data=True)
                if d["type"].startswith("CONFERS_")]
    # a therapy name with a comma in it
    assert g.nodes["drug:2_4-pyrimidinediamine"]["props"]["name"] == "2,4-pyrimidinediamine"


def test_split_therapies_keeps_commas_between_digits():
    assert split_therapies("Luminespib,Ceritinib,Crizotinib") == [
        "Luminespib", "Ceritinib", "Crizotinib"]
    assert split_therapies("Gefitinib,HER2 Inhibitor CP-724,714,Selumetinib")[1] == \
        "HER2 Inhibitor CP-724,714"


def test_gene_filter_takes_profiles_that_involve_the_gene(civic_release, tsv_counts):
    civic = CivicAdapter(civic_release, genes=["ALK"])
    claims = [n for n in civic.iter_nodes() if n.label == "Claim"]
    assert len(claims) == civic.n_evidence == tsv_counts["alk"]
    genes = {n.props["name"] for n in civic.iter_nodes() if n.label == "Gene"}
    assert genes == {"ALK", "ROS1"}  # ROS1: 'ROS1 Rearrangement OR ALK Fusion'
    with pytest.raises(IngestError, match="NOTAGENE"):
        CivicAdapter(civic_release, genes=["NOTAGENE"])


def test_adapter_is_deterministic_and_order_free(civic_release):
    a = CivicAdapter(civic_release, genes=["ALK", "MET"])
    b = CivicAdapter(civic_release, genes=["MET", "ALK"])
    assert list(a.iter_edges()) == list(b.iter_edges())  # edges first: no hidden order
    assert list(a.iter_nodes()) == list(b.iter_nodes())


# -- named queries 30 and 31 on the store -------------------------------------------------------

def test_query_30_evidence_for_a_variant(civic_store, full_graph):
    q = load_query("30_civic_evidence_for_variant")
    rows = civic_store.query(q.text, q.example_params()).records()
    g = full_graph.graph
    profiles = {"ALK:p.G1202R"} | {t for s, t, d in g.edges(data=True)
                                   if d["type"] == "COMPONENT_OF" and s == "ALK:p.G1202R"}
    want = {n for n, d in g.nodes(data=True) if d["label"] == "Claim"
            and d["props"]["subject_id"] in profiles}
    assert {r["claim_id"] for r in rows} == want
    civic = {r["citation"] for r in rows if r["source"] == "civic"}
    assert {"EID441", "EID1345", "EID1350", "EID1351", "EID1352", "EID1357",
            "EID11114"} <= civic
    only = civic_store.query(q.text, {**q.example_params(), "source": "civic"}).records()
    assert {r["source"] for r in only} == {"civic"} and len(only) == len(civic)
    row = next(r for r in rows if r["citation"] == "EID1345")
    assert row["drugs"] == ["ceritinib"] and row["evidence_level"] == "D"
    assert row["url"].endswith("/1345") and row["pmid"] == "24675041"


def test_query_31_conflicts_lists_both_sides_with_citations(civic_store, full_graph):
    q = load_query("31_conflicts")
    rows = civic_store.query(q.text, q.example_params()).records()
    g = full_graph.graph
    sides = {(s, t) for s, t, d in g.edges(data=True) if d["type"] == "CONFLICT_SIDE"}
    assert {(r["conflict_id"], r["claim_id"]) for r in rows} == sides and sides
    assert all(r["citation"] for r in rows)
    one = [r for r in civic_store.query(q.text, {"variant": "ALK:p.F1174L"}).records()
           if r["drug_id"] == "drug:crizotinib" and r["disease_id"] == "DOID:769"]
    assert {(r["citation"], r["side"]) for r in one} == {
        ("EID38", "sensitive"), ("EID125", "resistant"), ("EID1271", "resistant")}
    assert one[0]["drugs"] == ["crizotinib"]  # the curated name: one node
    assert one[0]["disease"] == "Neuroblastoma"


# -- merge: one node per real thing --------------------------------------------------------------

BIB = """\
@article{friboulet2014,
  author = {Friboulet, Luc and others},
  title = {The ALK inhibitor ceritinib overcomes crizotinib resistance in
           non-small cell lung cancer},
  journal = {Cancer Discovery}, year = {2014}, pmid = {24675041}, pubkind = {article}
}
@article{peters2017alex,
  author = {Peters, Solange and others},
  title = {Alectinib versus Crizotinib in Untreated ALK-Positive Non-Small-Cell Lung Cancer},
  journal = {N Engl J Med}, year = {2017}, pmid = {28586279}, pubkind = {article}
}
"""

ENTITIES = """\
genes:
  - {id: HGNC:427, name: ALK}
diseases:
  - {id: DOID:3908, name: non-small cell lung carcinoma, synonyms: [NSCLC]}
  - {id: disease:solid-tumour-test, name: solid tumour, synonyms: [Solid Tumor]}
drugs:
  - {id: drug:alectinib, name: alectinib, synonyms: [Alecensa, CH5424802]}
  - {id: drug:ceritinib, name: ceritinib, synonyms: [Zykadia, LDK378]}
  - {id: drug:crizotinib, name: crizotinib, synonyms: [Xalkori]}
  - {id: drug:nvp-tae684, name: NVP-TAE684, synonyms: [TAE-684]}
variants:
  - id: ALK:p.G1202R
    name: ALK G1202R
    gene: HGNC:427
    variant_type: kinase_domain_mutation
    hgvs_p: p.G1202R
    region: solvent front
    cite: {key: friboulet2014, locator: abstract}
  - id: variant:alk-f1174l-test
    name: ALK F1174L
    gene: HGNC:427
    cite: {key: friboulet2014, locator: abstract}
  - id: ALK:EML4-ALK.v3
    name: EML4-ALK variant 3
    gene: HGNC:427
    variant_type: fusion
    cite: {key: friboulet2014, locator: abstract}
  - id: ALK:p.[G1202R;I1171N;L1196M]
    name: ALK G1202R/I1171N/L1196M
    gene: HGNC:427
    variant_type: compound_mutation
    cite: {key: friboulet2014, locator: abstract}
"""

CLAIMS = """\
claims:
  - id: claim:test-g1202r-ceritinib
    name: A made-up curated claim that G1202R responds to ceritinib (for the conflict test)
    subject: ALK:p.G1202R
    predicate: CONFERS_SENSITIVITY_TO
    object: drug:ceritinib
    direction: supports
    evidence_level: D
    disease: DOID:3908
    cite: {key: friboulet2014, locator: Figure 2}
    source_kind: journal_abstract
    quote: "made up for the test"
"""

TRIALS = """\
trials:
  - id: NCT02075840
    name: ALEX
    diseases: [DOID:3908]
    publications: [{key: peters2017alex, locator: abstract}]
    cite: {key: peters2017alex, locator: abstract}
    arms:
      - {id: alectinib, name: alectinib, drugs: [drug:alectinib]}
"""


@pytest.fixture(scope="module")
def merged(civic_release, tmp_path_factory):
    data = tmp_path_factory.mktemp("merge") / "data"
    (data / "curated").mkdir(parents=True)
    (data / "references.bib").write_text(BIB, encoding="utf-8")
    (data / "curated" / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (data / "curated" / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    (data / "curated" / "trials.yaml").write_text(TRIALS, encoding="utf-8")
    args = build_parser().parse_args(["build", "--data", str(data), "--civic",
                                      str(civic_release), "--genes", "ALK"])
    return assemble_from_args(args)


def test_merge_one_variant_drug_gene_disease_trial_publication(merged):
    g = merged.graph
    v = g.nodes["ALK:p.G1202R"]["props"]  # curated and CIViC VID171: one node
    assert v["source"] == "curated" and v["merged_sources"] == ["civic"]
    assert v["region"] == "solvent front" and v["source_url"].endswith("/variants/171")
    assert "CIVIC.VID:171" not in g
    assert ("ALK:p.G1202R", "CIVIC.MP:4237") in {(s, t) for s, t, d in g.edges(data=True)
                                                 if d["type"] == "COMPONENT_OF"}
    for drug in ("drug:alectinib", "drug:ceritinib", "drug:crizotinib"):
        assert g.nodes[drug]["props"]["merged_sources"] == ["civic"]
    assert not [n for n, d in g.nodes(data=True) if d["label"] == "Drug"
                and d["props"]["name"].casefold() in ("alectinib", "crizotinib", "ceritinib")
                and n not in ("drug:alectinib", "drug:ceritinib", "drug:crizotinib")]
    # TAE684 in CIViC matches the curated synonym TAE-684 after normalisation
    assert g.nodes["drug:nvp-tae684"]["props"]["merged_sources"] == ["civic"]
    assert "drug:tae684" not in g
    assert g.nodes["HGNC:427"]["props"]["merged_sources"] == ["civic"]
    assert g.nodes["HGNC:427"]["props"]["entrez_id"] == "238" and "gene:ALK" not in g
    assert g.nodes["DOID:3908"]["props"]["merged_sources"] == ["civic"]
    assert g.nodes["NCT02075840"]["props"]["merged_sources"] == ["civic"]
    pub = g.nodes["PMID:24675041"]["props"]
    assert pub["source"] == "bibtex" and pub["merged_sources"] == ["civic"]
    assert pub["title"].startswith("The ALK inhibitor ceritinib")


def test_merge_variants_by_name_fusion_exons_and_compound_parts(merged):
    g = merged.graph
    # by name: CIViC 'ALK F1174L' lands on the curated node whose name is 'ALK F1174L'
    assert g.nodes["variant:alk-f1174l-test"]["props"]["merged_sources"] == ["civic"]
    assert "ALK:p.F1174L" not in g
    # EML4::ALK e6-e20 is EML4-ALK variant 3; e20-e20 (variant 2) is not curated
    assert g.nodes["ALK:EML4-ALK.v3"]["props"]["merged_sources"] == ["civic"]
    assert g.nodes["ALK:EML4-ALK.v2"]["props"]["source"] == "civic"
    assert g.nodes["CIVIC.EID:1193"]["props"]["subject_id"] == "ALK:EML4-ALK.v3"
    # CIViC profile 4329 (EML4::ALK AND G1202R AND I1171N AND L1196M) is the curated compound
    compound = "ALK:p.[G1202R;I1171N;L1196M]"
    assert g.nodes[compound]["props"]["merged_sources"] == ["civic"]
    assert "CIVIC.MP:4329" not in g
    assert g.nodes["CIVIC.EID:11114"]["props"]["subject_id"] == compound
    assert {s for s, _, d in g.in_edges(compound, data=True) if d["type"] == "COMPONENT_OF"} \
        == {"ALK:p.G1202R", "ALK:p.I1171N", "ALK:p.L1196M", "ALK:EML4-ALK"}


def test_merge_flags_civic_against_curated(merged):
    g = merged.graph
    cid = "conflict:ALK:p.G1202R/drug:ceritinib/DOID:3908"
    c = g.nodes[cid]["props"]
    assert c["kind"] == "civic_vs_curated" and c["sources"] == ["civic", "curated"]
    assert c["sensitive_claim_ids"] == ["claim:test-g1202r-ceritinib"]
    assert c["resistant_claim_ids"] == ["CIVIC.EID:1345"]
    assert c["source"] == "civic" and c["source_record_id"] == "EID1345"
    assert c["citations"] == ["EID1345 https://civicdb.org/links/evidence_items/1345",
                              "friboulet2014 (Figure 2)"]
    sides = {t: d["props"] for _, t, d in g.out_edges(cid, data=True)}
    assert sides["claim:test-g1202r-ceritinib"]["bib_key"] == "friboulet2014"
    assert sides["claim:test-g1202r-ceritinib"]["side"] == "sensitive"
    assert sides["CIVIC.EID:1345"]["source_url"].endswith("/1345")
    assert sides["CIVIC.EID:1345"]["side"] == "resistant"


# -- bad input: file, line and column named; nothing loaded ---------------------------------------

def _copy(civic_release: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "01-Aug-2024"
    shutil.copytree(civic_release, dest)
    for p in dest.iterdir():
        p.chmod(0o644)
    return dest


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _drop_column(d: Path) -> tuple[str, int, str]:
    p = d / EVIDENCE
    lines = _lines(p)
    i = lines[0].split("\t").index("evidence_level")
    p.write_text("\n".join("\t".join(f for j, f in enumerate(ln.split("\t")) if j != i)
                           if ln else ln for ln in lines), encoding="utf-8")
    return EVIDENCE, 1, "evidence_level"


def _commas(d: Path) -> tuple[str, int, str]:
    p = d / GENES
    rows = _tsv(p)
    with p.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return GENES, 1, "gene_id"


def _truncate(d: Path) -> tuple[str, int, str]:
    p = d / EVIDENCE
    lines = _lines(p)
    header = lines[0].split("\t")
    lines[99] = "\t".join(lines[99].split("\t")[:11])
    p.write_text("\n".join(lines), encoding="utf-8")
    return EVIDENCE, 100, header[11]


def _duplicate(d: Path) -> tuple[str, int, str]:
    p = d / EVIDENCE
    lines = _lines(p)
    i = lines[0].split("\t").index("evidence_id")
    first = lines[199].split("\t")[i]
    cells = lines[200].split("\t")
    cells[i] = first
    lines[200] = "\t".join(cells)
    p.write_text("\n".join(lines), encoding="utf-8")
    return EVIDENCE, 201, "evidence_id"


def _bad_byte(d: Path) -> tuple[str, int, str]:
    p = d / EVIDENCE
    lines = p.read_bytes().split(b"\n")
    i = lines[0].split(b"\t").index(b"disease")
    cells = lines[299].split(b"\t")
    cells[i] = cells[i][:3] + b"\xff" + cells[i][3:]
    lines[299] = b"\t".join(cells)
    p.write_bytes(b"\n".join(lines))
    return EVIDENCE, 300, "disease"


BREAKERS = {"missing column": _drop_column, "comma-delimited file": _commas,
            "truncated row": _truncate, "duplicate evidence id": _duplicate,
            "non-UTF-8 byte": _bad_byte}


@pytest.mark.parametrize("breaker", list(BREAKERS), ids=list(BREAKERS))
def test_bad_release_names_file_line_and_column(civic_release, tmp_path, breaker):
    d = _copy(civic_release, tmp_path)
    file, line, column = BREAKERS[breaker](d)
    with pytest.raises(IngestError) as info:
        read_release(d)
    problem = info.value.problems[0]
    assert problem.file.endswith(file) and problem.line == line and problem.column == column
    text = str(info.value)
    assert f"{file}:{line}" in text and f"column {column!r}" in text


@pytest.mark.parametrize("breaker", list(BREAKERS), ids=list(BREAKERS))
def test_bad_release_leaves_the_served_graph_unchanged(civic_release, tmp_path, scratch_store,
                                                        curated_graph, breaker, capsys):
    scratch_store.load(curated_graph)
    before = (scratch_store.graph_version(),
              scratch_store.query("MATCH (n) RETURN count(n)").rows,
              scratch_store.query("MATCH ()-[r]->() RETURN count(r)").rows)
    d = _copy(civic_release, tmp_path)
    file, line, column = BREAKERS[breaker](d)
    args = build_parser().parse_args(["build", "--civic", str(d)])
    with pytest.raises(IngestError):  # the path _cmd_build takes, before store.load
        scratch_store.load(assemble_from_args(args))
    after = (scratch_store.graph_version(),
             scratch_store.query("MATCH (n) RETURN count(n)").rows,
             scratch_store.query("MATCH ()-[r]->() RETURN count(r)").rows)
    assert after == before
    # and the CLI itself says where, and exits 2 without touching any store
    code = main(["--state-dir", str(tmp_path / "no-server"), "build", "--civic", str(d)])
    err = capsys.readouterr().err
    assert code == 2 and f"{file}:{line}" in err and f"column {column!r}" in err
    assert not (tmp_path / "no-server").exists()


def test_read_table_refuses_a_stray_tab_and_an_empty_file(tmp_path):
    p = tmp_path / "x.tsv"
    p.write_text("a\tb\n1\t2\t3\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"x.tsv:2.*3 tab-separated fields"):
        read_table(p, ["a", "b"])
    p.write_text("", encoding="utf-8")
    with pytest.raises(IngestError, match="empty file"):
        read_table(p, ["a"])


def test_a_release_with_too_few_rows_is_refused(civic_release, tmp_path):
    d = _copy(civic_release, tmp_path)
    lines = _lines(d / EVIDENCE)
    (d / EVIDENCE).write_text("\n".join(lines[:50]) + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="only 49 data rows"):
        read_release(d)
    assert read_release(d, min_counts={}).tables["ClinicalEvidenceSummaries"].rows


def test_missing_release_files_are_named(tmp_path):
    (tmp_path / "01-Aug-2024-GeneSummaries.tsv").write_text("gene_id\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        read_release(tmp_path)
    missing = [p.message.split(" file(s)")[0] for p in info.value.problems]
    assert missing == ["no *-ClinicalEvidenceSummaries.tsv", "no *-VariantSummaries.tsv",
                       "no *-MolecularProfileSummaries.tsv", "no *-AssertionSummaries.tsv"]

