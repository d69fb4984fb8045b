"""Every file in queries/ runs on the embedded store; its rows are checked against an
independent computation on the networkx graph (and a few figures against the papers)."""

from collections import Counter

import networkx as nx
import pytest

from kg.queries import QUERIES_DIR, list_queries, load_query, parse_query_file

QUERIES = {q.name: q for q in list_queries()}


def _run(store, name, **params):
    q = QUERIES[name]
    return store.query(q.text, {**q.example_params(), **params}).records()


def _edges(eg, rtype=None):
    for s, t, k, d in eg.graph.edges(keys=True, data=True):
        if rtype is None or d["type"] == rtype:
            yield s, t, k, d


def _props(eg, nid):
    return eg.graph.nodes[nid]["props"]


def test_every_file_has_a_header_and_portable_cypher():
    assert len(QUERIES) >= 8
    for q in QUERIES.values():
        assert q.title and q.description and q.returns, q.name
        assert "=~" not in q.text and "EXISTS {" not in q.text.upper()


def test_every_file_returns_its_declared_columns(store):
    for q in QUERIES.values():
        res = store.query(q.text, q.example_params())
        assert tuple(res.columns) == q.returns, q.name
        if not q.name.startswith("3"):  # 30-39 are about CIViC: tests/ingest/test_civic.py
            assert res.rows, f"{q.name} returned no rows with its example parameters"


def test_01_counts(store, curated_graph):
    rows = {r["label"]: r["nodes"] for r in _run(store, "01_counts_by_label")}
    assert rows == dict(curated_graph.counts()["nodes"])


@pytest.mark.parametrize("drug", ["drug:crizotinib", "drug:alectinib"])
def test_02_resistance_to_drug(store, curated_graph, drug):
    got = {(r["subject_id"], r["claim_id"]) for r in _run(store, "02_resistance_to_drug",
                                                           drug=drug)}
    want = {(s, d["props"]["claim_id"]) for s, t, _, d in
            _edges(curated_graph, "CONFERS_RESISTANCE_TO") if t == drug}
    assert got == want and want


def test_03_drugs_for_variant(store, curated_graph):
    v = "ALK:p.G1202R"
    got = Counter((r["drug_id"], r["relation"]) for r in _run(store, "03_drugs_for_variant",
                                                              variant=v))
    want = Counter((t, d["type"]) for s, t, _, d in _edges(curated_graph) if s == v and
                   d["type"] in ("CONFERS_RESISTANCE_TO", "CONFERS_SENSITIVITY_TO"))
    assert got == want and want


def test_04_trial_outcomes_and_the_j_alex_figures(store, curated_graph):
    rows = _run(store, "04_trial_outcomes", trial="JapicCTI-132316")
    want = {t: _props(curated_graph, t)["value_text"] for s, t, _, _ in
            _edges(curated_graph, "HAS_OUTCOME") if s == "JapicCTI-132316"}
    assert {r["outcome_id"]: r["value_text"] for r in rows} == want
    # Nakagawa 2020, abstract: "HR 0.37, 95 % CI: 0.26-0.52; median PFS 34.1 months vs 10.2"
    hr = [r for r in rows if r["endpoint"] == "PFS" and r["measure"] == "hazard_ratio"
          and r["citation"] == "nakagawa2020jalex" and r["ci_level_text"] == "95%"]
    assert [(r["value_text"], r["ci_low_text"], r["ci_high_text"]) for r in hr] == [
        ("0.37", "0.26", "0.52")]
    medians = {r["arm"].split()[0]: r["value_text"] for r in rows if r["endpoint"] == "PFS"
               and r["measure"] == "median" and r["citation"] == "nakagawa2020jalex"}
    assert medians == {"alectinib": "34.1", "crizotinib": "10.2"}


def test_05_publication_supports(store, curated_graph):
    key = "nakagawa2020jalex"
    got = Counter((r["relation"], r["from_id"], r["to_id"])
                  for r in _run(store, "05_publication_supports", key=key))
    want = Counter((d["type"], s, t) for s, t, _, d in _edges(curated_graph)
                   if d["props"].get("bib_key") == key)
    assert got == want and want


def test_06_the_letter_and_what_its_source_reports(store, curated_graph):
    rows = _run(store, "06_letter_claims_and_sources")
    letter = next(n for n in curated_graph.graph if _props(curated_graph, n).get("bib_key")
                  == "dubey2020letter")
    want = {s for s, t, _, d in _edges(curated_graph, "ASSERTED_IN") if t == letter}
    assert {r["claim_id"] for r in rows} == want
    # The letter says 34.1 months citing Nakagawa 2020; Nakagawa 2020 reports 34.1 (abstract).
    jalex = [r for r in rows if r["cited_key"] == "nakagawa2020jalex" and r["value_text"]]
    assert {r["value_text"] for r in jalex} == {"34.1"}


def test_07_cns_outcomes(store, curated_graph):
    got = {r["outcome_id"] for r in _run(store, "07_cns_outcomes")}
    want = set()
    for n, d in curated_graph.graph.nodes(data=True):
        p = d["props"]
        if d["label"] == "Outcome" and (
                p["endpoint"].startswith(("IC", "CNS")) or "cns" in p["population"].lower()
                or "brain" in p["population"].lower()):
            want.add(n)
    assert got == want and want


def test_08_local_therapy(store, curated_graph):
    got = {r["claim"] for r in _run(store, "08_local_therapy_evidence")}
    want = {_props(curated_graph, s)["name"] for s, t, _, _ in _edges(curated_graph, "HAS_SUBJECT")
            if curated_graph.graph.nodes[t]["label"] == "LocalTherapy"}
    assert got == want and want


def test_09_paths(store, curated_graph):
    rows = _run(store, "09_paths_variant_to_drug")
    u = nx.Graph(curated_graph.graph)
    shortest = nx.shortest_path_length(u, "ALK:p.G1202R", "drug:lorlatinib")
    assert rows[0]["hops"] == shortest
    for r in rows:
        assert r["nodes"][0] == "ALK G1202R" and r["nodes"][-1] == "lorlatinib"
        assert len(r["relations"]) == r["hops"] <= 3


def test_10_mechanisms(store, curated_graph):
    rows = {r["mechanism_id"]: set(r["variants"]) for r in _run(store, "10_mechanisms")}
    want = {n: set() for n, d in curated_graph.graph.nodes(data=True)
            if d["label"] == "ResistanceMechanism"}
    for s, t, _, _ in _edges(curated_graph, "CLASSIFIED_AS"):
        want[t].add(_props(curated_graph, s)["name"])
    assert rows == want


def test_11_hazard_ratios(store, curated_graph):
    got = {r["outcome_id"]: (r["value_text"], r["ci_level_text"])
           for r in _run(store, "11_hazard_ratios")}
    want = {n: (d["props"]["value_text"], d["props"].get("ci_level_text"))
            for n, d in curated_graph.graph.nodes(data=True)
            if d["label"] == "Outcome" and d["props"]["measure"] == "hazard_ratio"}
    assert got == want


def test_12_citation_network(store, curated_graph):
    got = Counter((r["relation"], r["citing_key"], r["cited_key"])
                  for r in _run(store, "12_citation_network"))
    want = Counter((d["type"], _props(curated_graph, s)["bib_key"],
                    _props(curated_graph, t)["bib_key"])
                   for s, t, _, d in _edges(curated_graph) if d["type"] in ("CITES", "REPLIES_TO"))
    assert got == want
    assert ("REPLIES_TO", "kapoor2020reply", "dubey2020letter") in got


def test_load_query_accepts_short_names_and_refuses_unknown():
    assert load_query("trial_outcomes").name == "04_trial_outcomes"
    with pytest.raises(Exception, match="no query named"):
        load_query("nope")


def test_non_portable_cypher_is_refused(tmp_path):
    bad = tmp_path / "x.cypher"
    bad.write_text("// title: t\nMATCH (n) WHERE n.name =~ 'a.*' RETURN n\n")
    with pytest.raises(Exception, match="portable"):
        parse_query_file(bad)
    assert QUERIES_DIR.is_dir()


# -- indexed lookups, paging ---------------------------------------------------------------------

#: Queries that look nodes or edges up by id or citation: each must start from an index seek.
ID_LOOKUPS = ("02_resistance_to_drug", "03_drugs_for_variant", "04_trial_outcomes",
              "05_publication_supports", "09_paths_variant_to_drug", "21_node", "22_claims",
              "23_neighbours", "30_civic_evidence_for_variant", "42_claims_about",
              "44_works")


@pytest.mark.parametrize("name", ID_LOOKUPS)
def test_every_lookup_by_id_seeks_an_index(store, name):
    q = QUERIES[name]
    plan = store.explain(q.text, q.example_params())
    assert any("Index Scan" in op for op in plan), "\n".join(plan)
    assert not any("All Node Scan" in op for op in plan), "\n".join(plan)


def test_the_plan_check_can_fail(store):
    plan = store.explain("MATCH (n) WHERE n.id = $id RETURN n", {"id": "drug:alectinib"})
    assert not any("Index Scan" in op for op in plan)


def test_05_has_one_indexed_branch_per_relationship_type():
    from kg.cypher import citation_lookup_query
    from kg.schema import load_schema

    body = "\n".join(ln for ln in QUERIES["05_publication_supports"].text.splitlines()
                     if not ln.startswith("//")) + "\n"
    assert body == citation_lookup_query()
    assert body.count("UNION ALL") == len(load_schema().rel_types) - 1
    assert len(QUERIES["05_publication_supports"].text.encode()) < 3800  # Bolt message limit


def test_21_node_and_23_neighbours_agree_with_networkx(store, curated_graph):
    g = curated_graph.graph
    for nid in ("drug:alectinib", "ALK:p.G1202R", "JapicCTI-132316"):
        [row] = _run(store, "21_node", id=nid)
        assert row["label"] == g.nodes[nid]["label"]
        assert {k: v for k, v in row["props"].items() if not k.startswith("search_")} == {
            "id": nid, **_props(curated_graph, nid)}
    assert _run(store, "21_node", id="no:such") == []
    ids = ["drug:alectinib", "ALK:p.G1202R"]
    got = Counter((r["node_id"], r["rel"], r["other_id"], r["other_label"])
                  for r in _run(store, "23_neighbours", ids=ids))
    want = Counter()
    for s, t, _, d in _edges(curated_graph):
        for n, m in ((s, t), (t, s)):
            if n in ids:
                want[(n, d["type"], m, g.nodes[m]["label"])] += 1
    assert got == want and want


def test_25_find_nodes_agrees_with_networkx(store, curated_graph):
    rows = _run(store, "25_find_nodes", terms=["alectinib"], labels=["Drug", "Claim"],
                limit=1000)
    from kg.store.falkordb import search_properties

    want = {n for n, d in curated_graph.graph.nodes(data=True) if d["label"] in ("Drug", "Claim")
            and "alectinib" in search_properties(d["props"])["search_lower"]}
    assert {r["id"] for r in rows} == want and len(want) > 1
    assert [r["label"] for r in rows] == sorted(r["label"] for r in rows)


def test_28_pages_and_29_counts_on_the_server(store, curated_graph):
    g = curated_graph.graph
    pubs = sorted(n for n, d in g.nodes(data=True) if d["label"] == "Publication")
    [count] = _run(store, "33_reference_count")
    assert count == {"total": len(pubs), "curated": len(pubs), "civic": 0}
    everything = [r["id"] for r in _run(store, "28_references", limit=1000)]
    assert sorted(everything) == pubs
    page2 = _run(store, "28_references", skip=5, limit=5)
    assert [r["id"] for r in page2] == everything[5:10]
    # filtered: every word must occur; the count agrees with the pages
    rows = _run(store, "28_references", words=["nakagawa", "2020"], limit=1000)
    assert rows and all("nakagawa" in str(r["pub"]).lower() for r in rows)
    assert _run(store, "33_reference_count", words=["nakagawa", "2020"])[0]["total"] == len(rows)
    assert _run(store, "28_references", source="civic") == []
    supports = {r["id"]: r["supports"] for r in _run(store, "28_references", limit=1000)}
    for s, t, _, d in _edges(curated_graph):
        if d["type"] in ("ASSERTED_IN", "CITES_SOURCE", "REPORTED_IN"):
            assert {"rel": d["type"], "id": s, "label": g.nodes[s]["label"],
                    "name": _props(curated_graph, s).get("name")} in supports[t]
