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
