"""Walk the whole export of data/: every edge and every figure is cited and resolves."""

import io
import json

from ingest.bibtex import BibtexAdapter
from ingest.common import parse_figure
from kg.graph import write_jsonl
from tests.conftest import DATA


def _export(curated_graph):
    buf = io.StringIO()
    write_jsonl(curated_graph, buf)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_every_edge_and_figure_carries_a_resolving_citation_and_a_locator(curated_graph):
    keys = set(BibtexAdapter(DATA / "references.bib").by_key)
    lines = _export(curated_graph)
    edges = [x for x in lines if x["kind"] == "edge"]
    cited_nodes = [x for x in lines if x["kind"] == "node"
                   and x["labels"][0] in ("Outcome", "Claim", "Conflict")]
    assert len(edges) > 100 and len(cited_nodes) > 50
    for x in edges + cited_nodes:
        p = x["properties"]
        if p["source"] == "civic":
            assert p["source_record_id"] and p["source_url"].startswith("https://civicdb.org")
            continue
        assert p["bib_key"] in keys, x["id"]
        assert p["locator"].strip(), x["id"]
        assert p["licence"] and p["source_version"]


def test_every_figure_keeps_its_published_text_and_the_number_agrees(curated_graph):
    outcomes = [x["properties"] for x in _export(curated_graph)
                if x["kind"] == "node" and x["labels"][0] == "Outcome"]
    assert outcomes
    for p in outcomes:
        assert p["value_text"].strip()
        assert p.get("value") == parse_figure(p["value_text"]), p["name"]
        for side in ("ci_low", "ci_high"):
            if f"{side}_text" in p:
                assert p.get(side) == parse_figure(p[f"{side}_text"])
                assert p["ci_level_text"].endswith("%"), f"{p['name']}: CI without its level"
        assert p.get("quote"), f"{p['name']} has no verbatim quote"


def test_claims_have_quotes_levels_and_directions(curated_graph):
    claims = [d["props"] for _, d in curated_graph.graph.nodes(data=True)
              if d["label"] == "Claim" and d["props"]["source"] == "curated"]
    assert claims
    for c in claims:
        assert c["direction"] in ("supports", "does_not_support")
        assert c["evidence_level"] in tuple("ABCDE")
        assert len(c["quote"]) >= 3


def test_the_letter_cites_its_five_references_and_is_answered(curated_graph):
    g = curated_graph.graph
    by_key = {d["props"].get("bib_key"): n for n, d in g.nodes(data=True)
              if d["label"] == "Publication"}
    letter = by_key["dubey2020letter"]
    cited = {g.nodes[t]["props"]["bib_key"] for _, t, d in g.out_edges(letter, data=True)
             if d["type"] == "CITES"}
    assert cited == {"kapoor2020mtb", "nakagawa2020jalex", "philip2018challenges",
                     "solomon2014profile1014", "weickhardt2012lat"}
    replies = [s for s, _, d in g.in_edges(letter, data=True) if d["type"] == "REPLIES_TO"]
    assert [g.nodes[s]["props"]["bib_key"] for s in replies] == ["kapoor2020reply"]


def test_export_is_deterministic(curated_graph):
    from kg.build import build_graph

    again = build_graph(DATA)
    assert again.fingerprint() == curated_graph.fingerprint()
