"""Every export format round-trips to the same graph (same fingerprint)."""

import io

import pytest

from ingest.bibtex import parse_bibtex
from kg.exports import (
    generate_bibtex,
    generate_nodelink,
    generate_rdf,
    node_iri,
    parse_nodelink,
    parse_rdf,
    read_graphml,
    write_export,
    write_graphml,
)
from kg.graph import assemble, read_jsonl, write_jsonl
from kg.schema.errors import ExportError, KGError


def test_graphml_round_trip(curated_graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(curated_graph, path)
    assert "<graphml" in path.read_text()[:400]
    assert read_graphml(path).fingerprint() == curated_graph.fingerprint()


def test_nodelink_round_trip(curated_graph):
    text = generate_nodelink(curated_graph)
    assert parse_nodelink(text).fingerprint() == curated_graph.fingerprint()
    assert generate_nodelink(parse_nodelink(text)) == text


def test_turtle_and_jsonld_round_trip(curated_graph):
    for fmt in ("turtle", "json-ld"):
        text = generate_rdf(curated_graph, fmt=fmt)
        assert parse_rdf(text, fmt=fmt).fingerprint() == curated_graph.fingerprint(), fmt


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_rdf_bytes_do_not_depend_on_the_hash_seed(fmt):
    import hashlib
    import os
    import subprocess
    import sys

    code = ("import sys; from kg.build import build_graph; from kg.exports import generate_rdf; "
            f"sys.stdout.write(generate_rdf(build_graph(civic_dir=None), fmt={fmt!r}))")
    digests = set()
    for seed in ("1", "2", "3"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        assert len(out) > 10_000
        digests.add(hashlib.sha256(out).hexdigest())
    assert len(digests) == 1, f"{fmt}: {len(digests)} different outputs for 3 hash seeds"


def test_rdf_uses_public_namespaces_and_keeps_edge_citations(curated_graph):
    text = generate_rdf(curated_graph)
    assert "<https://identifiers.org/hgnc:427>" in text
    assert "rdf:Statement" in text and "kgs:bib_key" in text and "kgs:locator" in text
    assert node_iri("DOI:10.4103/CRST.CRST_72_20") == "https://doi.org/10.4103/CRST.CRST_72_20"


def test_bibtex_export_parses_back_with_the_same_keys(curated_graph):
    entries = parse_bibtex(generate_bibtex(curated_graph), file="export.bib")
    want = {d["props"]["bib_key"] for _, d in curated_graph.graph.nodes(data=True)
            if d["label"] == "Publication" and "bib_key" in d["props"]}
    assert {e.key for e in entries} == want


def test_jsonl_round_trip(curated_graph):
    buf = io.StringIO()
    write_jsonl(curated_graph, buf)
    assert read_jsonl(io.StringIO(buf.getvalue())).fingerprint() == curated_graph.fingerprint()


def test_unknown_export_format_is_a_named_error(tmp_path):
    out = tmp_path / "g.xml"
    with pytest.raises(ExportError, match="unknown export format 'xml'") as info:
        write_export(assemble([], []), "xml", out)
    assert isinstance(info.value, KGError)
    assert not out.exists()


# -- CSV with citation columns --------------------------------------------------------------
def _frames(eg):
    import pandas as pd

    from kg.exports import generate_csv

    nodes = pd.read_csv(io.StringIO(generate_csv(eg, "nodes")), dtype=str,
                        keep_default_na=False)
    edges = pd.read_csv(io.StringIO(generate_csv(eg, "edges")), dtype=str,
                        keep_default_na=False)
    return nodes, edges


def test_csv_round_trips_through_pandas_with_citation_columns(curated_graph):
    from kg.exports import CITATION_COLUMNS, CSV_COLUMNS, generate_csv, parse_csv

    nodes, edges = _frames(curated_graph)
    assert tuple(nodes.columns) == CSV_COLUMNS["nodes"]
    assert tuple(edges.columns) == CSV_COLUMNS["edges"]
    assert {"reference", "doi", "pmid", "locator", "source_kind"} <= set(CITATION_COLUMNS)
    counts = curated_graph.counts()
    assert len(nodes) == sum(counts["nodes"].values())
    assert len(edges) == sum(counts["edges"].values())
    # every row read by pandas gives back the record, property for property
    back = parse_csv(nodes.to_csv(index=False), edges.to_csv(index=False))
    assert back.fingerprint() == curated_graph.fingerprint()
    assert generate_csv(back, "nodes") == generate_csv(curated_graph, "nodes")


def test_csv_citation_columns_resolve_the_cited_work(curated_graph):
    from kg.views import format_reference

    nodes, edges = _frames(curated_graph)
    pubs = {n.props["bib_key"]: {**n.props, "id": n.id} for n in curated_graph.nodes()
            if n.label == "Publication" and n.props.get("bib_key")}
    claims = nodes[nodes.label == "Claim"]
    assert len(claims) > 0
    for _, row in claims.iterrows():
        props = next(n.props for n in curated_graph.nodes() if n.id == row["id"])
        pub = pubs[props["bib_key"]]
        assert row["reference"] == format_reference(pub).text
        assert row["locator"] == props["locator"] != ""
        assert row["doi"] == str(pub.get("doi") or "")
        assert row["pmid"] == str(pub.get("pmid") or "")
        assert row["source_kind"] == (props.get("source_kind") or pub.get("pub_kind") or "")
    cited = edges[(edges.type == "CONFERS_RESISTANCE_TO") & (edges.source == "curated")]
    assert len(cited) > 0 and (cited.reference != "").all() and (cited.locator != "").all()
    # a publication cites itself
    gainor = nodes[nodes.id == "PMID:27432227"].iloc[0]
    assert gainor["pmid"] == "27432227" and gainor["reference"].startswith("Gainor JF")


def test_csv_of_civic_records_names_the_record(civic_release):
    from kg.build import build_graph

    eg = build_graph(civic_dir=civic_release, genes=["ALK"])
    nodes, _ = _frames(eg)
    civic = nodes[nodes.id.str.startswith("CIVIC.EID:")]
    assert len(civic) > 0
    assert civic.source_record_id.str.startswith("EID").all()
    assert civic.source_url.str.startswith("https://civicdb.org/").all()
    with_pmid = civic[civic.pmid != ""]
    assert len(with_pmid) > 0 and (with_pmid.reference != "").all()


def test_served_graph_is_the_loaded_graph(store, curated_graph):
    from kg.exports import export_text, served_graph

    eg = served_graph(store)
    assert eg.fingerprint() == curated_graph.fingerprint() == store.graph_version()
    assert sorted(eg.sources) == sorted(curated_graph.sources)
    for fmt in ("jsonl", "csv-nodes", "csv-edges", "graphml", "bibtex"):
        assert export_text(eg, fmt) == export_text(curated_graph, fmt), fmt


def test_served_graph_refuses_an_empty_store(scratch_store):
    from kg.exports import served_graph

    with pytest.raises(ExportError, match="no graph is loaded"):
        served_graph(scratch_store)


def test_subgraph_keeps_the_nodes_and_the_edges_among_them(curated_graph):
    from kg.exports import subgraph

    part = subgraph(curated_graph, ["ALK:p.G1202R", "drug:alectinib", "unknown"])
    assert sorted(part.graph.nodes) == ["ALK:p.G1202R", "drug:alectinib"]
    assert {d["type"] for *_, d in part.graph.edges(keys=True, data=True)} == {
        "CONFERS_RESISTANCE_TO"}
