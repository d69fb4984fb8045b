"""AppTest for every page of the evidence browser, on the real curated graph in FalkorDB.

Each page is run headless with query parameters set as a shared URL would set them; the
tests check the widgets, the content a trainee relies on (a claim with its citation, the
figures as published), and that bad parameters are explained instead of raising.
"""

from __future__ import annotations

import html as _h
import json
import re

import pytest

from app_pages._graph_html import graph_html
from app_pages._style import entity_href
from kg import views as V
from kg.store.falkordb import FalkorStore


def _text(at) -> str:  # noqa: ANN001
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [x.value for x in at.warning] + [x.value for x in at.info]
    return "\n".join(str(p) for p in parts)


def _chart_rows(proto) -> list[dict]:  # noqa: ANN001
    """The rows of a chart's datasets (Streamlit ships them as Arrow, apart from the spec)."""
    import io

    import pyarrow as pa

    rows = []
    for ds in proto.datasets:
        rows += pa.ipc.open_stream(io.BytesIO(ds.data.data)).read_all().to_pylist()
    return rows


def _ok(at) -> None:  # noqa: ANN001
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# -- home ------------------------------------------------------------------------------
def test_home_shows_counts_search_and_ways_in(run_page, curated_graph):
    at = run_page("home")
    _ok(at)
    assert at.title[0].value.startswith("ALK-positive NSCLC evidence browser")
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics == {k: v for k, v in curated_graph.counts()["nodes"].items()}
    assert at.text_input[0].label.startswith("Search")
    links = {p.proto.page for p in at.get("page_link")}
    assert {"search", "matrix", "trials", "graph", "references"} <= links, links
    assert 'href="entity?id=drug%3Aalectinib"' in _text(at)
    assert at.radio(key="source_filter").value == "both"


# -- search ----------------------------------------------------------------------------
def test_search_finds_alectinib_first(run_page):
    at = run_page("search", q="alectinib")
    _ok(at)
    assert at.text_input(key="search_q").value == "alectinib"
    assert at.multiselect(key="search_labels") is not None
    html = at.markdown[0].value
    first = re.search(r'<li[^>]*>.*?href="([^"]+)"', html).group(1)
    assert first == "entity?id=drug%3Aalectinib"
    assert ">Drug<" in html  # the entity type is shown


@pytest.mark.parametrize("query, want", [
    ("Alecensa", "drug%3Aalectinib"),
    ("ALK p.G1202R", "ALK%3Ap.G1202R"),
    ("G1202R", "ALK%3Ap.G1202R"),
    ("alec", "drug%3Aalectinib"),
])
def test_search_synonyms_and_hgvs(run_page, query, want):
    at = run_page("search", q=query)
    _ok(at)
    first = re.search(r'href="entity\?id=([^"]+)"', at.markdown[0].value).group(1)
    assert first == want


def test_search_empty_and_no_hit_say_so(run_page):
    at = run_page("search")
    _ok(at)
    assert "Type a name" in at.info[0].value
    at = run_page("search", q="zzzqqq")
    _ok(at)
    assert "No match" in at.warning[0].value


def test_search_box_writes_the_url(run_page):
    at = run_page("search")
    at.text_input(key="search_q").input("crizotinib").run()
    _ok(at)
    assert at.query_params["q"] == "crizotinib"
    assert "drug%3Acrizotinib" in at.markdown[0].value


def test_search_label_filter_and_bad_label(run_page):
    at = run_page("search", q="alectinib", label="Claim")
    _ok(at)
    assert ">Drug<" not in at.markdown[0].value and ">Claim<" in at.markdown[0].value
    at = run_page("search", q="alectinib", label="Nonsense")
    _ok(at)
    assert any("label=Nonsense" in w.value for w in at.warning)


# -- entity ----------------------------------------------------------------------------
def test_entity_page_shows_a_claim_with_its_citation(run_page, store: FalkorStore):
    at = run_page("entity", id="drug:alectinib")
    _ok(at)
    text = _text(at)
    assert "alectinib" in at.markdown[0].value and "Drug" in at.markdown[0].value
    # every claim about alectinib is on the page, each with its reference, locator and quote
    claims = store.query("MATCH (c:Claim)-[]->(:Drug {id: 'drug:alectinib'}) "
                         "OPTIONAL MATCH (c)-[:ASSERTED_IN]->(p:Publication) "
                         "RETURN DISTINCT c.id, c.quote, c.locator, p.doi, p.pmid").rows
    assert claims
    for cid, quote, locator, doi, pmid in claims:
        assert f"entity?id={entity_href(cid).split('=', 1)[1]}" in text, cid
        assert _h.escape(quote) in text, cid
        assert f"<b>locator:</b> {_h.escape(locator)}" in text, cid
        if doi:
            assert V.doi_url(doi) in text
        elif pmid:
            assert V.pmid_url(pmid) in text
    assert "evidence level <b>" in text
    assert "#### confers resistance to" in text or "confers resistance to" in text
    assert at.selectbox(key="entity_pick") is not None  # open another entity


def test_entity_claims_grouped_by_relationship(run_page):
    at = run_page("entity", id="drug:alectinib")
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert any(h.startswith("#### confers resistance to") for h in headings)
    # the letter's paragraph 2 names no comparator for alectinib's 34.1 months (EFFECTIVE_IN)
    # and says first-line use is not feasible with limited resources (ACCESS_LIMITED_IN)
    assert any(h.startswith("#### effective in") for h in headings)
    assert any(h.startswith("#### access limited in") for h in headings)


@pytest.mark.parametrize("node_id, expect", [
    ("HGNC:427", "ALK"),                                        # gene
    ("ALK:p.G1202R", "confers resistance to"),                  # variant
    ("mechanism:alk_kinase_domain_mutation", "on_target"),      # mechanism
    ("NCT02075840", "Published figures"),                       # trial
    ("DOID:3908", "non-small cell lung carcinoma"),             # disease
    ("localtherapy:local_ablative_therapy", "extends benefit of"),  # local therapy
])
def test_entity_pages_of_every_kind(run_page, node_id, expect):
    at = run_page("entity", id=node_id)
    _ok(at)
    text = _text(at) + "".join(s.value for s in at.subheader)
    assert expect in text, node_id
    assert "Linked in the graph" in [s.value for s in at.subheader]


def test_publication_page_supports_cites_cited_by(run_page, curated_graph):
    # the letter: makes claims, cites the molecular tumour board case, is replied to
    letter = next(n for n, d in curated_graph.graph.nodes(data=True)
                  if d["props"].get("bib_key") == "dubey2020letter")
    at = run_page("entity", id=letter)
    _ok(at)
    subs = [s.value for s in at.subheader]
    assert "What this work supports" in subs
    text = _text(at)
    assert "claims made in this work" in text
    assert "**Cites**" in text and "**Cited by**" in text
    cites = [t for s, t, k, d in curated_graph.graph.out_edges(letter, keys=True, data=True)
             if d["type"] in ("CITES", "REPLIES_TO")]
    cited_by = [s for s, t, k, d in curated_graph.graph.in_edges(letter, keys=True, data=True)
                if d["type"] in ("CITES", "REPLIES_TO")]
    for other in cites + cited_by:
        assert entity_href(other) in text
    assert "doi.org/10.4103/CRST.CRST_72_20" in text


def test_claim_page(run_page):
    at = run_page("entity", id="claim:gainor2016-g1202r-alectinib")
    _ok(at)
    assert "The claim" in [s.value for s in at.subheader]
    assert "pubmed.ncbi.nlm.nih.gov" in _text(at) or "doi.org" in _text(at)


@pytest.mark.parametrize("params", [
    {"id": "drug:no-such-drug"}, {"id": "'; MATCH (n) DETACH DELETE n //"},
    {"id": "drug:alectinib", "source": "everything"},
])
def test_entity_bad_parameters_are_explained(run_page, params, store):
    version = store.graph_version()
    at = run_page("entity", **params)
    _ok(at)
    assert at.warning, "a bad parameter must be explained"
    assert store.graph_version() == version


def test_entity_without_id_offers_a_picker(run_page):
    at = run_page("entity")
    _ok(at)
    assert at.selectbox(key="entity_pick").options
    at.selectbox(key="entity_pick").select("ALK:p.G1202R").run()
    _ok(at)
    assert at.query_params["id"] == "ALK:p.G1202R"
    assert "ALK G1202R" in at.markdown[0].value


# -- graph -----------------------------------------------------------------------------
def test_graph_page_widgets_and_drawing(run_page):
    at = run_page("graph", id="ALK:p.G1202R", depth="2")
    _ok(at)
    assert at.selectbox(key="graph_centre").value == "ALK:p.G1202R"
    assert at.select_slider(key="graph_depth").value == 2
    assert at.number_input(key="graph_cap").value == 60
    assert at.multiselect(key="graph_labels").value
    frame = at.get("iframe")[0].proto
    assert "vis.Network" in frame.srcdoc and "ALK:p.G1202R" in frame.srcdoc
    assert at.selectbox(key="graph_open").options  # the keyboard alternative


def test_graph_cap_is_announced(run_page):
    at = run_page("graph", id="drug:crizotinib", depth="3", cap="10")
    _ok(at)
    assert any(i.value.startswith("Capped: drawing 10 of") for i in at.info)
    nodes = json.loads(re.search(r"const DATA = (\{.*?\});\n", at.get("iframe")[0].proto.srcdoc,
                                 re.S).group(1).replace("<\\/", "</"))["nodes"]
    assert len(nodes) == 10


def test_graph_bad_parameters_are_explained(run_page):
    at = run_page("graph", id="nope:nothing", depth="seven", cap="-3", labels="Bogus")
    _ok(at)
    assert len(at.warning) == 4
    assert at.select_slider(key="graph_depth").value == 1


def test_graph_html_loads_nothing_from_a_cdn(store):
    sub = V.neighbourhood(V.store_runner(store), "drug:alectinib", depth=2, cap=50)
    page = graph_html(sub)
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page, re.I)
    assert tags, "the page has script tags"
    for tag in tags:
        assert not re.search(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", tag, re.I), tag
    assert not re.search(r"@import\s+(url\()?[\"']?(https?:)?//", page, re.I)
    for url in re.findall(r"url\(\s*[\"']?([^\"')]*)", page):
        assert url.startswith(("data:", "#")), url  # CSS resources are inline too
    assert "window.parent.document" in page and "entity?id=" in page  # click opens the page
    assert page.count("\n") > 5 and len(page) > 100_000  # vis-network inlined


# -- matrix ----------------------------------------------------------------------------
def test_matrix_cells_and_claims_of_a_cell(run_page, store):
    at = run_page("matrix", variant="ALK:p.G1202R", drug="drug:alectinib")
    _ok(at)
    df = at.dataframe[0].value
    assert "alectinib" in df.columns
    row = next(i for i in df.index if i == "ALK G1202R")
    assert df.loc[row, "alectinib"].startswith("resistant · ")
    assert (df == "no evidence").any().any()
    text = _text(at)
    assert "gainor2016-g1202r-alectinib" in text.replace("%3A", ":")
    assert "Reference:" in text and "<b>locator:</b>" in text
    assert at.selectbox(key="matrix_row").value == "ALK:p.G1202R"
    assert at.selectbox(key="matrix_drug").value == "drug:alectinib"


def test_matrix_selecting_a_pair_updates_the_url(run_page):
    at = run_page("matrix")
    _ok(at)
    assert "Select a cell" in at.info[0].value
    at.selectbox(key="matrix_row").select("ALK:p.I1171T").run()
    at.selectbox(key="matrix_drug").select("drug:ceritinib").run()
    _ok(at)
    assert at.query_params["variant"] == "ALK:p.I1171T"
    assert at.query_params["drug"] == "drug:ceritinib"
    assert "sensitive" in _text(at)


def test_matrix_bad_parameters_are_explained(run_page):
    at = run_page("matrix", variant="ALK:p.X1Y", drug="drug:aspirin", rows="Planets",
                  gene="ZZZ")
    _ok(at)
    assert len(at.warning) == 4


# -- trials ----------------------------------------------------------------------------
def test_trials_page_tables_forest_plot_medians_cns(run_page):
    at = run_page("trials")
    _ok(at)
    assert at.selectbox(key="trials_trial").value == ""
    subs = [s.value for s in at.subheader]
    assert subs == ["Trials and arms", "Hazard ratios (forest plot)",
                    "Median PFS and OS per arm", "CNS endpoints"]
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    forest = specs[0]
    layer = forest["hconcat"][0]["layer"]
    assert layer[0]["encoding"]["x"]["scale"]["type"] == "log"
    assert layer[1]["encoding"]["href"]["field"] == "source_url"
    data = _chart_rows(at.get("vega_lite_chart")[0].proto)
    jalex = [d for d in data if d.get("trial_name") == "J-ALEX"]
    assert {d["display"] for d in jalex} >= {"0.37 (95% CI 0.26–0.52)",
                                             "0.34 (99.7% CI 0.17–0.71)"}
    assert all(d["source_url"].startswith(("https://", "entity?id="))
               for d in data if "trial_name" in d)
    assert all(d["ci_level_text"] for d in data if "trial_name" in d)
    medians = at.dataframe[1].value
    assert "34.1 months" in set(medians["median (as published)"])
    cns = at.dataframe[2].value
    assert set(cns["endpoint"]) & {"CNS-progression", "IC-ORR", "IC-TTP"}


def test_trials_filter_and_bad_parameters(run_page):
    at = run_page("trials", trial="JapicCTI-132316", endpoint="OS")
    _ok(at)
    assert set(at.dataframe[0].value["trial"]) == {"J-ALEX"}
    at = run_page("trials", trial="NCT00000000", endpoint="Mood")
    _ok(at)
    assert len(at.warning) == 2


# -- references ------------------------------------------------------------------------
def test_references_lists_works_with_support_and_bibtex(run_page, curated_graph):
    at = run_page("references")
    _ok(at)
    n_pubs = curated_graph.counts()["nodes"]["Publication"]
    assert f"{n_pubs} of {n_pubs} works" in at.caption[0].value
    html = at.markdown[0].value
    assert html.count("<li") == n_pubs
    assert "supports: " in html and "claims made" in html
    bib = at.get("download_button")[0]
    assert bib.proto.label == "Download BibTeX"
    at = run_page("references", q="Gainor")
    _ok(at)
    assert at.markdown[0].value.count("<li") >= 1 and "Gainor" in at.markdown[0].value


def test_bibtex_round_trips_through_the_bibtex_parser(store):
    from ingest.bibtex import parse_bibtex

    items = V.bibliography(V.store_runner(store))
    entries = parse_bibtex(V.to_bibtex(items))
    assert {e.key for e in entries} == {i.props["bib_key"] for i in items}


# -- CIViC evidence ---------------------------------------------------------------------
def test_civic_evidence_on_entity_page_with_filter(run_civic_page):
    at = run_civic_page("entity", id="ALK:p.G1202R")
    _ok(at)
    both = _text(at)
    assert "CIViC record" in both and "civicdb.org" in both and "curated ·" in both
    at = run_civic_page("entity", id="ALK:p.G1202R", source="civic")
    _ok(at)
    civic = _text(at)
    assert "CIViC record" in civic and "curated ·" not in civic
    assert "hidden by the filter" in civic
    at = run_civic_page("entity", id="ALK:p.G1202R", source="curated")
    assert "CIViC record" not in _text(at)


def test_civic_matrix_marks_conflicting_cells(run_civic_page):
    at = run_civic_page("matrix")
    _ok(at)
    df = at.dataframe[0].value
    assert df.map(lambda v: str(v).startswith("conflicting")).any().any()
    assert at.selectbox(key="matrix_gene").value == V.ALK_CONTEXT
    names = set(df.index)
    assert "MET amplification" in names  # curated, off-target: kept by the default filter
    assert all(not n.startswith(("BRAF", "ABL1", "KIT ", "PIK3CA")) for n in names)
