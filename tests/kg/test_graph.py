import io

import pytest

from kg.graph import assemble, read_jsonl, write_jsonl
from kg.schema.errors import IngestError
from kg.schema.records import EdgeRecord, NodeRecord, edge_id

PROV = {"source": "curated", "source_version": "1", "licence": "CC-BY-4.0"}
CIVIC = {"source": "civic", "source_version": "01-Aug-2024", "licence": "CC0-1.0"}


def _gene(src=PROV, origin="a.yaml:3", **extra):
    return NodeRecord("HGNC:427", "Gene", {**src, "name": "ALK", **extra}, origin=origin)


def test_same_id_from_two_sources_merges_and_keeps_both():
    g = assemble([_gene(synonyms=["CD246"]), _gene(CIVIC, synonyms=["NBLST3"])], [])
    props = g.graph.nodes["HGNC:427"]["props"]
    assert props["source"] == "curated" and props["merged_sources"] == ["civic"]
    assert props["synonyms"] == ["CD246", "NBLST3"]


def test_duplicate_within_a_source_is_an_error_with_both_places():
    with pytest.raises(IngestError) as err:
        assemble([_gene(), _gene(origin="b.yaml:9")], [])
    (p,) = err.value.problems
    assert (p.file, p.line) == ("b.yaml", 9) and "a.yaml:3" in p.message


def test_edge_to_unknown_node_and_uncited_edge():
    drug = NodeRecord("drug:x", "Drug", {**PROV, "name": "x"})
    e1 = EdgeRecord(edge_id("drug:x", "TARGETS", "HGNC:1"), "drug:x", "HGNC:1", "TARGETS",
                    dict(PROV), origin="d.yaml:4")
    e2 = EdgeRecord(edge_id("drug:x", "TARGETS", "HGNC:427"), "drug:x", "HGNC:427", "TARGETS",
                    dict(PROV), origin="d.yaml:5")
    with pytest.raises(IngestError) as err:
        assemble([drug, _gene()], [e1, e2])
    msgs = [(p.line, p.message) for p in err.value.problems]
    assert any(line == 4 and "unknown node(s) 'HGNC:1'" in m for line, m in msgs)
    assert any(line == 5 and "lacks citation property 'bib_key'" in m for line, m in msgs)
    assert any(line == 5 and "lacks citation property 'locator'" in m for line, m in msgs)


def test_jsonl_round_trip_is_byte_identical(curated_graph):
    first = io.StringIO()
    write_jsonl(curated_graph, first)
    again = read_jsonl(io.StringIO(first.getvalue()))
    second = io.StringIO()
    write_jsonl(again, second)
    assert first.getvalue() == second.getvalue()
    assert again.fingerprint() == curated_graph.fingerprint()
