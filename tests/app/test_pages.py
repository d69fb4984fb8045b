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
from tests.app.reading import blocks, headings, popovers
from tests.app.reading import markdown_html as _html
from tests.app.reading import ok as _ok
from tests.app.reading import seen as _seen
from tests.app.reading import shown as _text


def _chart_rows(proto) -> list[dict]:  # noqa: ANN001
    """The rows of a chart (Streamlit ships them as Arrow, apart from the spec)."""
    import io

    import pyarrow as pa

    blobs = [ds.data.data for ds in proto.datasets]
    if proto.HasField("data") and proto.data.data:
        blobs.append(proto.data.data)
    rows = []
    for blob in blobs:
        rows += pa.ipc.open_stream(io.BytesIO(blob)).read_all().to_pylist()
    return rows


def _subs(at) -> list[str]:  # noqa: ANN001
    """The section headings (``st.subheader`` or a section's ``h3``), in page order."""
    return headings(at, 3)


def _block(at, needle: str) -> str:  # noqa: ANN001
    """The first Markdown or HTML block holding `needle`."""
    return next(m.value for m in blocks(at) if needle in m.value)


def _spec_rows(chart) -> list[dict]:  # noqa: ANN001
    """The rows of a chart (Streamlit ships them as Arrow datasets, apart from the spec)."""
    return [r for r in _chart_rows(chart.proto) if "trial_name" in r]


# -- home ------------------------------------------------------------------------------
def test_home_shows_counts_search_and_ways_in(run_page, curated_graph):
    at = run_page("home")
    _ok(at)
    assert headings(at, 1)[0].startswith("ALK-positive NSCLC evidence browser")
    counts = {lb: int(n) for n, lb in re.findall(
        r"<div class='kg-count-n'>(\d+)</div><div class='kg-count-label'>([^<]+)</div>",
        _html(at))}
    assert counts == dict(curated_graph.counts()["nodes"])
    # the search box: a form that opens the search page (q=), with the settings
    form = re.search(r'<form class="kg-form" action="search" method="get" role="search">'
                     r'(.*?)</form>', _html(at)).group(1)
    assert '<label for="kg-form-search-q">Search names, synonyms and claim text</label>' in form
    assert '<input id="kg-form-search-q" type="search" name="q" value=""' in form
    assert 'type="hidden"' not in form  # no setting set
    assert 'name="as_of" value="letter"' in _html(run_page("home", as_of="letter"))
    ways = _block(at, "class='kg-ways'")
    links = {h.split("?")[0] for h in re.findall(r"<a href='([^']+)'>", ways)}
    assert {"search", "matrix", "trials", "graph", "references"} <= links, links
    assert 'href="entity?id=drug%3Aalectinib"' in _text(at)
    assert "changes" in links
    # the settings are drawn on request, by the link under the page bar that says what is set
    assert not at.radio and "open" not in at.query_params
    bar = next(h.value for h in at.html if h.value.startswith('<nav class="kg-nav"'))
    assert _h.unescape(bar).endswith(
        '<p class="kg-settings"><a href="home?open=settings#kg_open_settings" '
        'aria-expanded="false">Evidence: all dates ▾</a></p>')
    at = run_page("home", open="settings")
    _ok(at)
    # no CIViC evidence is loaded: no source filter, only the "as of" date
    assert [r.key for r in at.radio] == ["as_of_choice"]
    assert at.radio(key="as_of_choice").value == "all"
    bar = next(h.value for h in at.html if h.value.startswith('<nav class="kg-nav"'))
    assert '<a href="home" aria-expanded="true">Evidence: all dates ▴</a>' in _h.unescape(bar)
    assert "<a href='home'>Close the settings</a>" in _text(at)


def test_the_settings_are_drawn_on_request_and_keep_the_page(run_civic_page):
    """``open=settings`` draws the settings under the bar; a choice there is written to the
    URL and the box stays open; its links close it on the same page and parameters."""
    at = run_civic_page("trials", endpoint="OS", open="settings")
    _ok(at)
    assert [r.key for r in at.radio] == ["source_filter", "as_of_choice"]
    at.radio(key="as_of_choice").set_value("letter").run()
    _ok(at)
    assert at.query_params["as_of"] == "letter" and at.query_params["open"] == "settings"
    assert "<a href='trials?endpoint=OS&as_of=letter'>Close the settings</a>" in _text(at)
    bar = next(h.value for h in at.html if h.value.startswith('<nav class="kg-nav"'))
    assert ">Evidence: curated and CIViC, as of the letter ▴</a>" in bar
    assert '<a href="matrix?as_of=letter">Resistance matrix</a>' in bar  # bar: not open=
    at.radio(key="source_filter").set_value("civic").run()
    _ok(at)
    assert at.query_params["source"] == "civic"


@pytest.mark.parametrize("page, params", [("home", {}), ("trials", {}),
                                          ("entity", {"id": "drug:alectinib"}),
                                          ("matrix", {"variant": "ALK:p.G1202R",
                                                      "drug": "drug:lorlatinib"})])
def test_no_control_is_drawn_until_asked_for(run_civic_page, page, params):
    """The settings, the tumour-board boxes and the matrix's rows are links until opened:
    no popover and no widget (the home page's search box is a form in its HTML)."""
    at = run_civic_page(page, **params)
    _ok(at)
    assert popovers(at) == []
    assert not (at.radio or at.multiselect or at.selectbox or at.date_input or at.button
                or at.text_input)


def test_a_bad_open_is_explained(run_page):
    at = run_page("trials", open="rows")
    _ok(at)
    assert [w.value for w in at.warning] == [
        "Ignored “open=rows” in the URL: expected one of settings, figures; showing the "
        "default instead."]
    assert not at.multiselect and not at.radio


def test_the_source_filter_appears_with_civic_evidence(run_civic_page):
    at = run_civic_page("home", open="settings")
    _ok(at)
    assert at.radio(key="source_filter").value == "both"


def test_the_page_bar_marks_the_page_and_its_links_carry_the_settings(run_civic_page):
    at = run_civic_page("matrix", as_of="letter", source="civic")
    _ok(at)
    bar = next(h.value for h in at.html if h.value.startswith('<nav class="kg-nav"'))
    assert '<a href="matrix?source=civic&amp;as_of=letter" aria-current="page">' in bar
    assert '<a href="trials?source=civic&amp;as_of=letter">Trials and outcomes</a>' in bar
    assert len(at.sidebar) == 0  # no sidebar: the bar is the page list
    at = run_civic_page("entity", id="drug:alectinib")  # off the bar: nothing marked
    _ok(at)
    bar = next(h.value for h in at.html if h.value.startswith('<nav class="kg-nav"'))
    assert "aria-current" not in bar and '<a href="matrix">' in bar


def test_without_civic_evidence_a_source_parameter_is_explained(run_page):
    at = run_page("entity", id="drug:alectinib", source="civic")
    _ok(at)
    assert any("no CIViC evidence is loaded" in w.value for w in at.warning)
    assert "source" not in at.query_params


# -- search ----------------------------------------------------------------------------
def _hits(at) -> str:  # noqa: ANN001
    """The ranked hit list of the search page."""
    return _h.unescape(next(m.value for m in blocks(at) if "class='kg-hits'" in m.value))


def _first(at) -> str:  # noqa: ANN001
    return re.search(r'<li[^>]*>.*?href="entity\?id=([^"&]+)', _hits(at)).group(1)


def test_search_finds_alectinib_first(run_page):
    at = run_page("search", q="alectinib")
    _ok(at)
    assert at.text_input(key="search_q").value == "alectinib"
    # the kinds filter: its link says what is chosen and draws its box on request
    assert not at.multiselect and not popovers(at)
    assert ("<a href='search?q=alectinib&open=kinds#kg_open_kinds' aria-expanded='false'>"
            "Only these kinds: all kinds ▾</a>") in _text(at)
    assert _first(at) == "drug%3Aalectinib"
    assert ">Drug<" in _hits(at)  # the entity type is shown


@pytest.mark.parametrize("query, want", [
    ("Alecensa", "drug%3Aalectinib"),
    ("ALK p.G1202R", "ALK%3Ap.G1202R"),
    ("G1202R", "ALK%3Ap.G1202R"),
    ("alec", "drug%3Aalectinib"),
    ("J-ALEX", "JapicCTI-132316"),      # the acronym, not ALEX
    ("alectnib", "drug%3Aalectinib"),   # a typo
])
def test_search_synonyms_and_hgvs(run_page, query, want):
    at = run_page("search", q=query)
    _ok(at)
    assert _first(at) == want


def test_search_says_did_you_mean(run_page):
    at = run_page("search", q="alectnib")
    _ok(at)
    html = _html(at)
    assert "Did you mean" in html and "href='search?q=alectinib'" in html
    at = run_page("search", q="alectinib")
    assert "Did you mean" not in _html(at)


def test_search_any_word_synonyms_and_named_entities(run_page):
    at = run_page("search", q="crizotinib resistance MET")
    _ok(at)
    assert "2 of 3 words" in _hits(at)
    assert "Named in your query:" in _html(at) and "drug%3Acrizotinib" in _html(at)
    at = run_page("search", q="brain metastases")
    _ok(at)
    html = _html(at)
    assert "Also matched: brain = CNS = intracranial" in html
    assert "CNS" in _hits(at) and ">Outcome<" in _hits(at)
    at = run_page("search", q="lorlatinib CNS")
    assert "drug%3Alorlatinib" in _html(at).split("class='kg-hits'")[0]  # named, above hits


def test_search_suggests_while_typing(run_page):
    at = run_page("search", q="lorl")
    _ok(at)
    assert "Suggestions:" in _html(at) and "drug%3Alorlatinib" in _html(at)
    # the box commits while typing, after a short pause (Streamlit's live text input)
    assert 0 < at.text_input(key="search_q").proto.live_debounce_ms <= 500


def test_search_empty_and_no_hit_say_so(run_page):
    at = run_page("search")
    _ok(at)
    assert "Type a name" in at.info[0].value
    at = run_page("search", q="zzzqqq")
    _ok(at)
    assert "No match" in at.warning[0].value


def test_search_as_of_hides_later_works(run_page):
    at = run_page("search", q="lorlatinib final overall survival")
    assert "PMID%3A39581380" in _hits(at)  # 2024
    at = run_page("search", q="lorlatinib final overall survival", as_of="letter")
    _ok(at)
    assert "PMID%3A39581380" not in _hits(at)
    assert "as_of=letter" in _hits(at)  # links keep the date


def test_search_box_writes_the_url(run_page):
    at = run_page("search")
    at.text_input(key="search_q").input("crizotinib").run()
    _ok(at)
    assert at.query_params["q"] == "crizotinib"
    assert _first(at) == "drug%3Acrizotinib"


def test_search_label_filter_and_bad_label(run_page):
    at = run_page("search", q="alectinib", label="Claim")
    _ok(at)
    assert ">Drug<" not in _hits(at) and ">Claim<" in _hits(at)
    assert ">Only these kinds: Claim ▾</a>" in _text(at)  # the link says what is chosen
    at = run_page("search", q="alectinib", label="Claim", open="kinds")
    _ok(at)
    assert at.multiselect(key="search_labels").value == ["Claim"]
    at.multiselect(key="search_labels").select("Drug").run()
    _ok(at)
    assert at.query_params["label"] == "Claim,Drug" and at.query_params["open"] == "kinds"
    assert ">Drug<" in _hits(at)
    at = run_page("search", q="alectinib")  # the URL alone says which kinds: none
    assert ">Drug<" in _hits(at) and ">Only these kinds: all kinds ▾</a>" in _text(at)
    at = run_page("search", q="alectinib", label="Nonsense")
    _ok(at)
    assert any("label=Nonsense" in w.value for w in at.warning)


# -- entity ----------------------------------------------------------------------------
def test_entity_links_name_each_groups_first_20_and_count_the_rest(run_civic_page):
    at = run_civic_page("entity", id="drug:crizotinib")
    _ok(at)
    linked = _text(at).split("Linked in the graph", 1)[1].split("<details>", 1)[0]
    groups = re.findall(r"</b> \((\d+)\): (.*?)(?:<br>|$)", linked)
    big = [(int(n), names) for n, names in groups if int(n) > 20]
    assert big, groups  # crizotinib has a group of more than 20
    for n, names in big:
        assert names.count("<small class='kg-kind'>") == 20
        assert f"… and {n - 20} more (<a href='graph?id=drug%3Acrizotinib'>graph view</a>)" \
            in names


def test_entity_page_shows_a_claim_with_its_citation(run_page, store: FalkorStore):
    at = run_page("entity", id="drug:alectinib")
    _ok(at)
    # a quick page: each relationship shows its strongest claims, the rest on request
    groups = headings(at, 4)
    shown = _text(at).count("claim page")
    assert shown < sum(int(h.rsplit("(", 1)[1].rstrip(")")) for h in groups)
    assert "more (weaker levels)" in _text(at)
    assert "show every claim" in _text(at)  # a link: claims=all
    at = run_page("entity", id="drug:alectinib", claims="all")
    _ok(at)
    assert "more (weaker levels)" not in _text(at)
    text = _text(at)
    assert "alectinib" in blocks(at)[0].value and "Drug" in blocks(at)[0].value
    # every claim about alectinib is on the page, each with its reference, locator and quote
    claims = store.query("MATCH (c:Claim)-[]->(:Drug {id: 'drug:alectinib'}) "
                         "OPTIONAL MATCH (c)-[:ASSERTED_IN]->(p:Publication) "
                         "RETURN DISTINCT c.id, c.quote, c.locator, p.doi, p.pmid").rows
    assert claims
    for cid, quote, locator, doi, pmid in claims:
        assert f"entity?id={entity_href(cid).split('=', 1)[1]}" in text, cid
        assert quote in text, cid
        assert f"<b>locator:</b> {locator}" in text, cid
        if doi:
            assert V.doi_url(doi) in text
        elif pmid:
            assert V.pmid_url(pmid) in text
    assert "evidence level <b>" in text
    assert "#### confers resistance to" in text or "confers resistance to" in text
    assert "All properties" in text


def test_entity_claims_grouped_by_relationship(run_page):
    at = run_page("entity", id="drug:alectinib")
    groups = headings(at, 4)
    assert any(h.startswith("confers resistance to") for h in groups)
    # the letter's paragraph 2 names no comparator for alectinib's 34.1 months (EFFECTIVE_IN)
    # and says first-line use is not feasible with limited resources (ACCESS_LIMITED_IN)
    assert any(h.startswith("effective in") for h in groups)
    assert any(h.startswith("access limited in") for h in groups)


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
    text = _text(at) + "".join(headings(at))
    assert expect in text, node_id
    assert "Linked in the graph" in _subs(at)


def test_publication_page_supports_cites_cited_by(run_page, curated_graph):
    # the letter: makes claims, cites the molecular tumour board case, is replied to
    letter = next(n for n, d in curated_graph.graph.nodes(data=True)
                  if d["props"].get("bib_key") == "dubey2020letter")
    at = run_page("entity", id=letter)
    _ok(at)
    subs = _subs(at)
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
    assert "The claim" in _subs(at)
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
    assert "ALK G1202R" in blocks(at)[0].value


def test_drug_page_puts_efficacy_first(run_page):
    at = run_page("entity", id="drug:alectinib")
    _ok(at)
    subs = _subs(at)
    eff = next(i for i, x in enumerate(subs) if x.startswith("Efficacy: trials where alectinib"))
    cns = subs.index(next(x for x in subs if x.startswith("CNS figures")))
    var = subs.index(next(x for x in subs if x.startswith("What variants and mechanisms do")))
    claims = subs.index(next(x for x in subs if x.startswith("Evidence:")))
    assert eff < cns < var < claims  # efficacy, then CNS, then variants, then the claims
    html = _seen(at)
    for trial in ("J-ALEX", "ALEX", "ALUR"):
        assert f">{trial}</a></b>" in html
    assert "J-ALEX: IRF-assessed median PFS, alectinib, final PFS analysis" in html
    assert "34.1 months" in html and "ALEX: " in html
    assert "not entered: <b>" in html  # ALUR's figures looked for and not found
    _no_none(html)
    # the figures come before the first claim card on the page
    assert html.index("34.1 months") < html.index("claim page")


def test_drug_page_shows_each_trials_first_figures_and_every_figure_on_request(run_page):
    at = run_page("entity", id="drug:alectinib")
    _ok(at)
    few = _seen(at)
    assert re.search(r"… and \d+ more figures of <a [^>]*>ALEX</a>: <a href='entity\?id="
                     r"drug%3Aalectinib&figures=all'>show every figure", few)
    at = run_page("entity", id="drug:alectinib", figures="all")
    _ok(at)
    every = _seen(at)
    assert "more figures of" not in every and "show each trial's first 5 only" in every
    assert every.count("<tr>") > few.count("<tr>")
    at = run_page("entity", id="drug:alectinib", figures="everything")
    _ok(at)
    assert len(at.warning) == 1
    assert "figures=everything" in _text(at) and "expected 'all', or nothing" in _text(at)
    assert "more figures of" in _seen(at)  # the default


def test_trial_page_figures_name_trial_and_analysis(run_page):
    at = run_page("entity", id="NCT02604342")  # ALUR: sourcing fields on every figure
    _ok(at)
    html = _seen(at)
    assert "ALUR: investigator-assessed PFS hazard ratio, final analysis" in html
    assert "abstract" in html and ">read here<" in html  # source kind and where read
    assert "not entered: <b>overall survival" in html
    _no_none(html)


def test_entity_as_of_hides_later_claims(run_page):
    at = run_page("entity", id="ALK:p.G1202R")
    assert "lorviqua-smpc-g1202r-lorlatinib" in _text(at)
    at = run_page("entity", id="ALK:p.G1202R", as_of="letter")
    _ok(at)
    text = _text(at)
    assert "lorviqua-smpc-g1202r-lorlatinib" not in text
    assert "published after the “as of” date hidden" in text
    bar = next(h.value for h in at.html if h.value.startswith('<nav class="kg-nav"'))
    assert ">Evidence: as of the letter ▾</a>" in bar
    assert 'as_of=letter"' in text  # in-app links keep the date
    assert run_page("entity", id="ALK:p.G1202R", as_of="letter", open="settings").radio(
        key="as_of_choice").value == "letter"
    at = run_page("entity", id="PMID:39581380", as_of="2021-06-30")
    _ok(at)
    assert any("after the “as of” date" in w.value for w in at.warning)
    assert at.query_params["as_of"] == "2021-06-30"


@pytest.mark.parametrize("bad", ["yesterday", "2020-13-01"])
def test_a_bad_as_of_is_explained(run_page, bad):
    at = run_page("matrix", as_of=bad, open="settings")
    _ok(at)
    assert any("as_of=" in w.value and "YYYY-MM-DD" in w.value for w in at.warning)
    assert at.radio(key="as_of_choice").value == "all"


# -- graph -----------------------------------------------------------------------------
def test_graph_page_widgets_and_drawing(run_page):
    at = run_page("graph", id="ALK:p.G1202R", depth="2")
    _ok(at)
    # the centre and the drawing: a link labelled with them draws their widgets on request,
    # the downloads another
    assert not at.selectbox and not popovers(at) and not at.get("download_button")
    assert re.search(r"<a href='graph\?id=ALK%3Ap\.G1202R&depth=2&open=drawing#kg_open_drawing' "
                     r"aria-expanded='false'>Drawing ALK G1202R \(Variant\): 2 hops, at most 60 "
                     r"nodes, \d+ of \d+ node kinds ▾</a>", _text(at))
    assert "open=download#kg_open_download'>Download what is drawn …</a>" in _text(at)
    assert at.get("download_button") == [] and run_page(
        "graph", id="ALK:p.G1202R", open="download").get("download_button")
    at = run_page("graph", id="ALK:p.G1202R", depth="2", open="drawing")
    _ok(at)
    assert at.selectbox(key="graph_centre").value == "ALK:p.G1202R"
    assert at.select_slider(key="graph_depth").value == 2
    assert at.number_input(key="graph_cap").value == 60
    assert at.multiselect(key="graph_labels").value
    frame = at.get("iframe")[0].proto
    assert "vis.Network" in frame.srcdoc and "ALK:p.G1202R" in frame.srcdoc
    # the keyboard alternative: every drawn node but the centre as a link to its page
    drawn = re.findall(r'"id": "([^"]+)"', frame.srcdoc.split("const DATA = ", 1)[1]
                       .split(";\n", 1)[0])
    listed = _block(at, "class='kg-drawn'")
    assert "Centre's page" in listed and entity_href("ALK:p.G1202R") in listed
    assert drawn and all(entity_href(i) in listed for i in drawn if i != "ALK:p.G1202R")


def test_graph_as_of_hides_later_nodes_and_clicks_keep_the_date(run_page):
    now = run_page("graph", id="NCT01970865", depth="1", cap="300")
    then = run_page("graph", id="NCT01970865", depth="1", cap="300", as_of="letter")
    _ok(then)
    src_now, src_then = (a.get("iframe")[0].proto.srcdoc for a in (now, then))
    assert "PMID:39581380" in src_now and "PMID:39581380" not in src_then  # 2024
    assert 'const ENTITY_PARAMS = "&as_of=letter";' in src_then
    assert 'const ENTITY_PARAMS = "";' in src_now
    assert 'src="app/static/vis-network-9.1.2.min.js"' in src_now  # cached by the browser


def test_graph_cap_is_announced(run_page):
    at = run_page("graph", id="drug:crizotinib", depth="3", cap="10")
    _ok(at)
    assert any(i.value.startswith("Capped: drawing 10 of") for i in at.info)
    nodes = json.loads(re.search(r"const DATA = (\{.*?\});\n", at.get("iframe")[0].proto.srcdoc,
                                 re.S).group(1).replace("<\\/", "</"))["nodes"]
    assert len(nodes) == 10


def test_graph_bad_parameters_are_explained(run_page):
    at = run_page("graph", id="nope:nothing", depth="seven", cap="-3", labels="Bogus",
                  open="drawing")
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
def _matrix(at) -> dict[str, dict[str, str]]:  # noqa: ANN001
    """The matrix table: row name -> drug name -> cell text ('-' without evidence)."""
    html = next(m.value for m in blocks(at) if "class=\"kg-matrix\"" in m.value)
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    drugs = re.findall(r"<th><a [^>]*>([^<]+)</a></th>", head)
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S):
        name = re.search(r'<th class="kg-sticky"><a [^>]*>([^<]+)</a>', row).group(1)
        cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                         row, re.S)]
        out[_h.unescape(name)] = {d: _h.unescape(" ".join(c))
                                  for d, c in zip(drugs, cells, strict=True)}
    return out


def test_matrix_cells_and_claims_of_a_cell(run_page, store):
    at = run_page("matrix", variant="ALK:p.G1202R", drug="drug:alectinib")
    _ok(at)
    m = _matrix(at)
    assert m["ALK G1202R"]["alectinib"].startswith("resistant · ")
    assert any(v == "-" for row in m.values() for v in row.values())  # no evidence: "-"
    assert "kg-sel" in _html(at)  # the chosen cell is outlined
    text = _text(at)
    assert "gainor2016-g1202r-alectinib" in text.replace("%3A", ":")
    assert "Reference:" in text and "<b>locator:</b>" in text
    # the rows and the cell by name: one box drawn on request, by the link under the title
    # that says what the rows are
    assert not at.selectbox
    assert ("<p class='kg-open'><a href='matrix?variant=ALK%3Ap.G1202R&drug=drug%3A"
            "alectinib&open=rows#kg_open_rows' aria-expanded='false'>Rows and cell: "
            "variants, resistance mechanisms; genes: ALK + curated rows ▾</a></p>") in text
    at = run_page("matrix", variant="ALK:p.G1202R", drug="drug:alectinib", open="rows")
    _ok(at)
    assert at.selectbox(key="matrix_row").value == "ALK:p.G1202R"
    assert at.selectbox(key="matrix_drug").value == "drug:alectinib"
    assert "kg-sel" in _html(at)


def test_matrix_selecting_a_pair_updates_the_url(run_page):
    at = run_page("matrix", open="rows")
    _ok(at)
    grid = next(m.value for m in blocks(at) if 'class="kg-matrix"' in m.value)
    assert "<div class='kg-note'>Click a cell" in grid  # the hint, in the grid's element
    at.selectbox(key="matrix_row").select("ALK:p.I1171T").run()
    at.selectbox(key="matrix_drug").select("drug:ceritinib").run()
    _ok(at)
    assert at.query_params["variant"] == "ALK:p.I1171T"
    assert at.query_params["drug"] == "drug:ceritinib"
    assert at.query_params["open"] == "rows"  # the box stays open
    assert "sensitive" in _text(at)
    # the URL alone says which cell: without variant= and drug=, none, whatever was chosen
    del at.query_params["variant"], at.query_params["drug"]
    at.run()
    _ok(at)
    assert at.selectbox(key="matrix_row").value is None and "kg-sel" not in _html(at)


def test_matrix_bad_parameters_are_explained(run_page):
    at = run_page("matrix", variant="ALK:p.X1Y", drug="drug:aspirin", rows="Planets",
                  gene="ZZZ")
    _ok(at)
    assert len(at.warning) == 4


def test_g1202r_x_lorlatinib_shows_its_evidence(run_page):
    at = run_page("matrix", variant="ALK:p.G1202R", drug="drug:lorlatinib")
    _ok(at)
    assert _matrix(at)["ALK G1202R"]["lorlatinib"].startswith("sensitive · 1 · ")
    text = _text(at)
    assert "<b>Direct evidence: sensitive</b>" in text
    assert "<b>Inherited evidence: sensitive</b>" in text and "ALK kinase-domain mutation" in text
    # direct and inherited claims in two lists, the direct first, each with its sheet box
    direct, inherited = text.index("Direct evidence"), text.index("Inherited evidence")
    own = text.replace("%3A", ":").index("lorviqua-smpc-g1202r-lorlatinib")
    assert direct < own < inherited
    # under the grid, the cell's claims are drawn when scrolled near (_cards.later_html)
    assert text.index("<div class='kg-later'>") < direct
    assert text.index('<table class="kg-matrix">') < text.index("<div class='kg-later'>")
    # one box for the cell's claims, direct and inherited, drawn on request
    assert not at.multiselect
    assert ("<a href='matrix?variant=ALK%3Ap.G1202R&drug=drug%3Alorlatinib&open=claims"
            "#kg_open_claims'>Add claims to the tumour-board sheet …</a>") in text
    at = run_page("matrix", variant="ALK:p.G1202R", drug="drug:lorlatinib", open="claims")
    _ok(at)
    box = at.multiselect(key="matrix_claims")
    assert box.options[0] == "Lorlatinib is active against ALK G1202R (EML4-ALK v1 xenografts " \
                             "in mice; lorlatinib label)"
    assert len(box.options) == 1 + int(re.search(r"Inherited evidence: \w+</b> — (\d+) claim",
                                                 text).group(1))


def test_matrix_civic_profiles_are_rows_only_when_asked_for(run_civic_page):
    """CIViC's profiles combining variants show as inherited evidence in their variants' rows;
    choosing them under Rows (or naming one in the URL) makes them rows too."""
    at = run_civic_page("matrix")
    _ok(at)
    m = _matrix(at)
    assert not [r for r in m if " AND " in r]  # no "EML4::ALK AND ALK G1202R" row
    assert any("ALK EML4::ALK AND ALK G1202R" in c for c in m["ALK G1202R"].values())
    assert "CIViC molecular profiles combining variants" in _seen(at)
    # a curated compound mutation stays a row, named (its evidence is inherited only here)
    assert "ALK L1196M/D1203N compound mutation" in m
    at = run_civic_page("matrix", open="rows")
    at.multiselect(key="matrix_kinds").select("MolecularProfile").run()
    _ok(at)
    assert at.query_params["rows"] == "Variant,ResistanceMechanism,MolecularProfile"
    shown = _matrix(at)
    assert "ALK EML4::ALK AND ALK G1202R" in shown and set(m) < set(shown)
    asked = run_civic_page("matrix", variant="CIVIC.MP:4237", drug="drug:lorlatinib")
    _ok(asked)
    assert not asked.warning  # the profile named in the URL is shown, not refused
    assert "ALK EML4::ALK AND ALK G1202R" in _matrix(asked)
    assert ">ALK EML4::ALK AND ALK G1202R</a> × <a " in _seen(asked)  # its cell is chosen


def test_matrix_preclinical_compounds_are_columns_only_when_asked_for(run_civic_page):
    """Compounds whose every claim is preclinical (D, E: TAE684, HSP90 inhibitors) are left
    out of the CIViC-loaded matrix and named in its caption with a link that shows them
    (``compounds=all``); a URL naming one of them as the cell's drug shows them."""
    at = run_civic_page("matrix")
    _ok(at)
    cols = set(next(iter(_matrix(at).values())))
    assert {"crizotinib", "alectinib", "lorlatinib"} <= cols
    assert "TAE684" not in cols and "Alvespimycin" not in cols
    seen = _seen(at)
    assert re.search(r"Left out: \d+ compounds whose every claim here is preclinical "
                     r"\(levels D, E\): [^<]*TAE684", seen)
    assert "<a href='matrix?compounds=all'>show them</a>" in seen
    every = run_civic_page("matrix", compounds="all")
    _ok(every)
    assert {"TAE684", "Alvespimycin"} <= set(next(iter(_matrix(every).values())))
    assert set(_matrix(every)) >= set(_matrix(at))  # no row lost by hiding them
    assert "<a href='matrix'>leave those out</a>" in _seen(every)
    # a cell's link keeps them shown
    assert re.search(r'<td class="[^"]*"><a href="matrix\?variant=[^"&]+&drug=[^"&]+'
                     r'&compounds=all"', _seen(every))
    asked = run_civic_page("matrix", variant="ALK:p.F1174L", drug="drug:tae684")
    _ok(asked)
    assert not asked.warning
    assert "TAE684" in next(iter(_matrix(asked).values()))
    assert asked.query_params["compounds"] == "all"
    bad = run_civic_page("matrix", compounds="some")
    assert [w.value for w in bad.warning] == [
        "Ignored “compounds=some” in the URL: expected &#x27;all&#x27;, or nothing; showing "
        "the default instead."]


def test_matrix_as_of_the_letter(run_page):
    at = run_page("matrix", variant="ALK:p.G1202R", drug="drug:lorlatinib", as_of="letter")
    _ok(at)
    cell = _matrix(at)["ALK G1202R"]["lorlatinib"]
    assert cell.startswith("(via ALK kinase-domain mutation: sensitive")  # inherited only
    assert re.search(r'<td class="kg-sensitive kg-inh[^"]*"><a href="matrix\?variant=ALK%3A'
                     r'p\.G1202R&drug=drug%3Alorlatinib&as_of=letter"', _seen(at))
    text = _text(at)
    assert "<b>No direct evidence</b>" in text and "lorviqua-smpc" not in text
    assert "gainor2016-kinase-domain-lorlatinib" in text.replace("%3A", ":")


def test_matrix_is_a_table_with_a_sticky_first_column(run_page):
    at = run_page("matrix")
    _ok(at)
    html = _html(at)
    assert not at.dataframe  # plain HTML: scrolls with its first column fixed, prints
    assert html.count('<th class="kg-sticky">') == len(_matrix(at)) + 1
    assert 'href="matrix?variant=ALK%3Ap.G1202R&amp;drug=drug%3A' in html  # cells link
    from app_pages._layout import STYLE
    assert re.search(r"th\.kg-sticky \{\{? position: sticky; left: 0", STYLE.replace("{{", "{"))


# -- trials ----------------------------------------------------------------------------
def _no_none(html: str) -> None:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    assert cells, "no table cell"
    assert not any(c.strip() in ("None", "nan", "") for c in cells), "a blank cell shows None"


def _forest(at) -> str:  # noqa: ANN001
    """The forest plot: the first chart of the page, up to the next section (the arms, the
    forest plot, the medians and the CNS figures are one element)."""
    block = next(m.value for m in blocks(at) if '<div class="kg-chart">' in m.value)
    start = block.index('<div class="kg-chart">')
    end = block.find("<h3", start)
    return block[start:end if end > 0 else None]


def _forest_rows(html: str) -> list[tuple[str, str]]:
    """(label, value as published) of each row of an HTML chart."""
    return re.findall(r'<div class="kg-label">([^<]*)</div><div class="kg-line"><a class="kg-val"'
                      r'[^>]*>([^<]*)</a>', html)


def test_trials_page_tables_forest_plot_medians_cns(run_page):
    at = run_page("trials")
    _ok(at)
    assert not at.selectbox  # the trial is chosen by a link (trial=...), the endpoint too
    assert "Trial: <b>all trials</b> · " in _html(at)
    assert "<a href='trials?trial=JapicCTI-132316' title='JapicCTI-132316'>J-ALEX</a>" in _html(at)
    # the figures: one view at a time, the hazard ratios first; each view's link says how
    # many figures it holds
    assert _subs(at) == ["Trials and arms", "Hazard ratios (forest plot)"]
    views = re.search(r"<p class='kg-views'>Show: (.*?)</p>", _html(at)).group(1)
    assert re.fullmatch(r"<b>Hazard ratios \(forest plot\) \(\d+ PFS\)</b> · <a href='trials\?"
                        r"view=medians'>Median PFS and OS per arm \(\d+\)</a> · <a href='"
                        r"trials\?view=cns'>CNS endpoints \(\d+\)</a>", views), views
    assert not at.dataframe and not at.get("vega_lite_chart")  # plain HTML: wraps, prints
    html = _html(at)
    _no_none(html)
    forest = _forest(at)
    rows = _forest_rows(forest)
    jalex = {v for lbl, v in rows if lbl.startswith("J-ALEX")}
    assert jalex >= {"0.37 (95% CI 0.26–0.52)", "0.34 (99.7% CI 0.17–0.71)"}
    assert "log scale" in forest and 'class="kg-one"' in forest  # the line at HR 1
    # every value and mark links to its source; marks sit inside the axis (0-100%)
    hrefs = re.findall(r'class="kg-(?:val|pt|ci)" href="([^"]+)"', forest)
    assert hrefs and all(h.startswith(("https://", "entity?id=")) for h in hrefs)
    lefts = [float(x) for x in re.findall(r'class="kg-pt"[^>]*style="left:([\d.]+)%', forest)]
    assert len(lefts) == len(rows) and all(0 <= x <= 100 for x in lefts)
    assert "legend" in forest and "99.7% CI" in forest
    # the endpoints are links (endpoint=...), the chosen one in bold
    assert "Endpoint: " in html and "<b>PFS</b>" in html and "href='trials?endpoint=OS'" in html
    assert "34.1 months" not in html  # the medians are another view
    at = run_page("trials", view="medians")
    _ok(at)
    html = _html(at)
    assert _subs(at) == ["Trials and arms", "Median PFS and OS per arm"]
    assert "34.1 months" in html and "J-ALEX: IRF-assessed median PFS" in html
    assert "<b>Median PFS and OS per arm (" in html and "<div class=\"kg-chart\">" in html
    # the medians' table is drawn on request (medians=table)
    assert "median (as published)" not in html
    assert "href='trials?view=medians&amp;medians=table'" in html
    at = run_page("trials", view="cns")
    _ok(at)
    assert _subs(at) == ["Trials and arms", "CNS endpoints"]
    assert re.search(r"(CNS|intracranial|brain)", _html(at).split("CNS endpoints")[-1])
    at = run_page("trials", view="medians", medians="table")
    _ok(at)
    table = _block(at, "median (as published)")
    assert "J-ALEX: IRF-assessed median PFS, alectinib" in table and "“" in _seen(at)
    assert "Hide the table" in table
    at = run_page("trials", view="medians", medians="chart")
    _ok(at)
    assert len(at.warning) == 1 and "'table', or nothing" in _text(at)
    at = run_page("trials", view="kaplan-meier")
    _ok(at)
    assert [w.value for w in at.warning] == [
        "Ignored “view=kaplan-meier” in the URL: expected hr, medians, cns; showing the "
        "default instead."]
    assert _subs(at) == ["Trials and arms", "Hazard ratios (forest plot)"]


def test_trials_overview_is_one_row_per_trial_and_a_trial_lists_its_arms(run_page):
    at = run_page("trials")
    _ok(at)
    table = _html(at).split("Trials and arms", 1)[1].split("<table", 1)[1].split("</table>")[0]
    rows = re.findall(r"<tr><td data-label=\"trial\"><a [^>]*>([^<]+)</a>", table)
    assert len(rows) == len(set(rows)) >= 12 and "J-ALEX" in rows  # one row per trial
    jalex = table.split(">J-ALEX</a>", 1)[1].split("</tr>", 1)[0]
    assert "alectinib 300 mg twice daily <small>(n 103; experimental)</small><br>" \
           "crizotinib 250 mg twice daily <small>(n 104; control)</small>" in jalex
    assert '<th>received</th>' not in table
    one = run_page("trials", trial="JapicCTI-132316")
    _ok(one)
    table = _html(one).split("Trials and arms", 1)[1].split("</table>", 1)[0]
    assert table.count('<td data-label="arm">') == 2 and '<th>received</th>' in table


def test_figures_go_to_the_tumour_board_sheet_from_the_picker(run_page):
    fig = "NCT02604342/outcome/ic-orr-final-alectinib"  # ALUR, CNS ORR: a CNS figure
    at = run_page("trials", view="cns")
    assert not at.multiselect  # drawn on request, by the link under the figures
    assert ("<p class='kg-open'><a href='trials?view=cns&open=figures#kg_open_figures'>Add "
            "figures to the tumour-board sheet …</a></p>") in _text(at)
    hr = run_page("trials", open="figures")  # the box offers the figures shown
    assert all("hazard ratio" in o for o in hr.multiselect(key="trials_figures").options)
    at = run_page("trials", view="cns", open="figures")
    assert at.button(key="trials_figures_add").disabled  # nothing chosen yet
    at.multiselect(key="trials_figures").set_value([fig]).run()
    _ok(at)
    assert not at.button(key="trials_figures_add").disabled
    at.button(key="trials_figures_add").click().run()
    _ok(at)
    assert at.session_state["prep_basket"] == [fig]
    assert at.query_params["open"] == "figures"  # the box stays open, and says so
    assert "1 item on the sheet" in _text(at)
    assert "<a href='trials?view=cns'>Close this box</a>" in _text(at)


def test_trials_filter_and_bad_parameters(run_page):
    at = run_page("trials", trial="JapicCTI-132316", endpoint="OS")
    _ok(at)
    arms = blocks(at)[0].value if "kg-table" in blocks(at)[0].value else _html(at)
    trials = set(re.findall(r'data-label="trial"><a [^>]*>([^<]+)</a>', arms))
    assert trials == {"J-ALEX"}
    assert "Trial: <a href='trials?endpoint=OS'>all trials</a>" in _html(at)
    assert "<b>J-ALEX</b>" in _html(at)
    rows = _forest_rows(_forest(at))
    assert rows and all(lbl.startswith("J-ALEX") for lbl, _ in rows)
    assert "OS hazard ratio" in _forest(at)
    at = run_page("trials", trial="NCT00000000", endpoint="Mood")
    _ok(at)
    assert len(at.warning) == 2


def test_trials_as_of_hides_the_2024_figures(run_page):
    at = run_page("trials")
    assert "Solomon 2024" in _forest(at)  # CROWN 5-year HR, in the tooltip
    cns = run_page("trials", view="cns")
    assert "CROWN: median time to intracranial progression" in _seen(cns)  # 5-year, 2024
    med = run_page("trials", view="medians")
    assert "Lorlatinib phase 2 (B7461001): median OS" in _seen(med)  # final OS, 2024
    at = run_page("trials", as_of="letter")
    _ok(at)
    html = _seen(at)
    assert "Solomon 2024" not in _forest(at) and "2024" not in "".join(
        lbl for lbl, _ in _forest_rows(_forest(at)))
    assert "As of when the letter was written" in html  # the banner says what is hidden
    cns = run_page("trials", view="cns", as_of="letter")
    _ok(cns)
    assert "CROWN: median time to intracranial progression" not in _seen(cns)
    assert "ALUR: CNS objective response rate" in _seen(cns)  # 2018: still shown
    med = run_page("trials", view="medians", as_of="letter")
    _ok(med)
    assert "Lorlatinib phase 2 (B7461001): median OS" not in _seen(med)
    assert "J-ALEX: IRF-assessed median PFS" in _seen(med)


# -- references ------------------------------------------------------------------------
def _works_caption(at) -> str:  # noqa: ANN001
    """The references page's caption ("46 of 46 works ...")."""
    return re.search(r"<p class='kg-caption kg-works'>([^<]*)</p>", _html(at)).group(1)


def test_references_lists_works_with_support_and_bibtex(run_page, curated_graph):
    at = run_page("references")
    _ok(at)
    n_pubs = curated_graph.counts()["nodes"]["Publication"]
    assert f"{n_pubs} of {n_pubs} works" in _works_caption(at)
    html = _block(at, "<ol")
    assert html.count("<li") == n_pubs
    assert "supports: " in html and "claims made" in html
    # counted here, listed on the work's own page (its reference links it)
    assert "<details>" not in html and " · cited by: " in html
    assert html.count("publication page</a>") == n_pubs
    bib = at.get("download_button")[0]
    assert bib.proto.label == "Download BibTeX"
    at = run_page("references", q="Gainor")
    _ok(at)
    assert _block(at, "<ol").count("<li") >= 1 and "Gainor" in _block(at, "<ol")


def test_references_come_in_pages_of_50(run_civic_page):
    at = run_civic_page("references")
    _ok(at)
    n = int(re.search(r"(\d+) of \1 works", _works_caption(at)).group(1))
    assert n > 50  # the curated and the CIViC works
    assert _block(at, "<ol").count("<li") == 50 and "<ol start='1'>" in _block(at, "<ol")
    pages = -(-n // 50)
    # the pages are links above and below the list, the current one in bold
    assert not at.number_input
    assert "<p>Page: <b>1</b> · <a href='references?page=2'>2</a>" in _block(at, "<ol")
    at = run_civic_page("references", page="2")
    _ok(at)
    assert "<p>Page: <a href='references'>1</a> · <b>2</b>" in _block(at, "<ol")
    assert "<ol start='51'>" in _block(at, "<ol")
    assert _block(at, "<ol").count("<li") == min(50, n - 50)
    # the first 10 works are drawn with the page; the rest in boxes of 10 drawn when
    # scrolled near (_cards.later_html), numbered on
    assert "<div class='kg-later'><ol start='61'>" in _block(at, "<ol")
    assert "<div class='kg-later'><ol start='51'>" not in _block(at, "<ol")
    # the filter is a form of this page (q=): a new filter starts at its first page
    form = re.search(r'<form class="kg-form" action="references" method="get" role="search">'
                     r'.*?</form>', _html(at)).group(0)
    assert 'name="q"' in form and 'name="page"' not in form
    for bad in ("0", str(pages + 1), "two"):
        at = run_civic_page("references", page=bad)
        _ok(at)
        assert [w.value for w in at.warning] == [
            f"Ignored “page={bad}” in the URL: expected a page number from 1 to {pages}; "
            "showing the default instead."]
        assert "<ol start='1'>" in _block(at, "<ol")
    # a filter keeps its words in the page links, and in its box
    at = run_civic_page("references", q="e")  # nearly every work has an "e"
    _ok(at)
    assert 'name="q" value="e"' in _html(at)
    assert int(re.search(r"(\d+) of \d+ works", _works_caption(at)).group(1)) > 50
    assert "href='references?q=e&amp;page=2'" in _block(at, "<ol")


def test_references_as_of_hides_later_works(run_page, curated_graph):
    n_pubs = curated_graph.counts()["nodes"]["Publication"]
    at = run_page("references", as_of="letter")
    _ok(at)
    html = blocks(at)[-1].value
    assert "Final Overall Survival and Long-Term Safety of Lorlatinib" not in html
    n = html.count("<li")
    assert 0 < n < n_pubs and f"{n} of {n} works" in _works_caption(at)


# -- what changed ---------------------------------------------------------------------
def test_what_changed_since_the_letter(run_page):
    at = run_page("changes")
    _ok(at)
    assert not at.text_input  # the date is a form of this page (since=)
    assert re.search(r'<form class="kg-form" action="changes" method="get" role="search">.*?'
                     r'name="since" value="letter"', _html(at))
    subs = _subs(at)
    assert subs[:3] == [s for s in subs if s.split(" (")[0] in ("Trials", "Published figures",
                                                                   "Claims")]
    html = _seen(at)
    assert "Final Overall Survival and Long-Term Safety of Lorlatinib" in html  # cited
    lists = [_h.unescape(part) for m in blocks(at) for part in m.value.split("<h3")
             if "<ul class='kg-changes'>" in part]
    assert len(lists) >= 2
    for block in lists:  # newest first within each kind
        dates = [d if len(d) > 4 else f"{d}-01-01" for d in
                 re.findall(r"<li[^>]*><b>(\d{4}(?:-\d\d-\d\d)?)</b>", block)]
        assert dates and dates == sorted(dates, reverse=True)
    assert any(s.startswith("Published in 2020, day not recorded") for s in subs)
    # the first kind is drawn with the page, the kinds below it when scrolled near
    page = _h.unescape(_seen(at))
    assert "<div class='kg-later'><h3 class='kg-h'>Published figures" in page
    assert "<div class='kg-later'><h3 class='kg-h'>Trials" not in page
    # each work is cited once, its items listed under it
    figures = next(x for x in lists if x.startswith(" class='kg-h'>Published figures"))
    assert figures.count("Summary of Product Characteristics, section 5.1 (EU product "
                         "information, EMEA/H/C/004164)") == 1
    assert figures.count("href=\"entity?id=NCT02075840%2Foutcome%2F") > 10


def test_what_changed_since_a_date_up_to_as_of(run_page):
    at = run_page("changes", since="2022-12-31", as_of="2023-12-31")
    _ok(at)
    assert "Final Overall Survival and Long-Term Safety" not in _seen(at)  # 2024
    at = run_page("changes", since="someday")
    _ok(at)
    assert [w.value for w in at.warning] == [
        "Ignored “since=someday” in the URL: expected a date as YYYY-MM-DD, or &#x27;letter"
        "&#x27;; showing the default instead."]
    assert 'name="since" value="someday"' in _html(at)  # left in the box, to be mended
    assert "Published figures (" in _seen(at)  # since the letter


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
    m = _matrix(at)
    assert any(v.startswith("conflicting") for row in m.values() for v in row.values())
    assert "genes: ALK + curated rows ▾</a>" in _text(at)  # the default rows
    names = set(m)
    assert "MET amplification" in names  # curated, off-target: kept by the default filter
    assert all(not n.startswith(("BRAF", "ABL1", "KIT ", "PIK3CA")) for n in names)


def test_matrix_a_pair_without_evidence_says_so_under_the_grid(run_page, store):
    m = V.resistance_matrix(V.store_runner(store), subjects=[V.VARIANT, V.MECHANISM],
                            gene=V.ALK_CONTEXT)  # the page's default rows
    empty = next((r[0], c[0]) for r in m.rows for c in m.cols if m.cell(r[0], c[0]) is None)
    at = run_page("matrix", variant=empty[0], drug=empty[1])
    _ok(at)
    grid = next(x.value for x in blocks(at) if 'class="kg-matrix"' in x.value)
    assert "No evidence in the graph for this pair" in grid
    assert "Absence of evidence is not evidence of effect." in grid
