"""AppTest for the workbench pages (canned queries, console) on the real curated graph."""

from __future__ import annotations

import html

import pytest

from tests.app.reading import ok as _ok


def _downloads(at) -> list[str]:  # noqa: ANN001
    return [d.proto.label for d in at.get("download_button")]


def _group(at, key):  # noqa: ANN001, ANN202
    return next((b for b in at.get("button_group") if b.key == key), None)


def _frame(at):  # noqa: ANN001, ANN202
    assert at.dataframe, "no table on the page"
    return at.dataframe[0].value


# -- canned queries ------------------------------------------------------------------------
def test_canned_page_lists_every_query_and_runs_the_first(run_page):
    from kg.views import workbench as W

    at = run_page("queries")
    _ok(at)
    box = at.selectbox(key="canned_q")
    lang = {"sparql": "SPARQL", "cypher": "Cypher"}
    assert box.options == [f"{q.title} ({q.name}, {lang[q.language]})"
                           for q in W.canned_queries()]
    assert box.value == W.canned_queries()[0].name
    assert len(_frame(at)) > 0
    assert {"Download CSV", "Download JSON", "Nodes CSV", "Edges CSV", "GraphML", "Turtle",
            "BibTeX"} <= set(_downloads(at))


def test_canned_query_from_the_url_with_its_parameter(run_page, store):
    from kg.views import workbench as W

    at = run_page("queries", q="02_resistance_to_drug", p_drug="drug:alectinib")
    _ok(at)
    assert at.text_input(key="canned_02_resistance_to_drug_drug").value == "drug:alectinib"
    want = store.query(W.canned_query("02_resistance_to_drug").text, {"drug": "drug:alectinib"})
    frame = _frame(at)
    assert list(frame.columns) == want.columns
    assert sorted(frame["claim_id"]) == sorted(r[want.columns.index("claim_id")]
                                               for r in want.rows)
    assert any("resistant" in c.value for c in at.caption)  # the description


def test_changing_a_parameter_reruns_and_writes_the_url(run_page):
    at = run_page("queries", q="02_resistance_to_drug")
    before = sorted(_frame(at)["claim_id"])
    at.text_input(key="canned_02_resistance_to_drug_drug").input("drug:lorlatinib").run()
    _ok(at)
    assert at.query_params["p_drug"] == ["drug:lorlatinib"] or \
        at.query_params["p_drug"] == "drug:lorlatinib"
    after = sorted(_frame(at)["claim_id"])
    assert after and after != before


def test_choosing_another_query_drops_the_old_parameters(run_page):
    at = run_page("queries", q="02_resistance_to_drug", p_drug="drug:alectinib")
    at.selectbox(key="canned_q").set_value("04_trial_outcomes").run()
    _ok(at)
    assert "p_drug" not in at.query_params and at.query_params["q"] in (
        "04_trial_outcomes", ["04_trial_outcomes"])
    assert "endpoint" in _frame(at).columns


def test_canned_sparql_query_runs(run_page):
    at = run_page("queries", q="52_trial_figures", p_trial="JapicCTI-132316")
    _ok(at)
    assert "34.1" in set(_frame(at)["value_text"])


def test_canned_bad_url_is_explained(run_page):
    at = run_page("queries", q="99_nope")
    assert not at.exception
    assert any("q=99_nope" in html.unescape(w.value) for w in at.warning)  # shown as text


def test_canned_query_drawing_nodes_has_a_graph_tab(run_page):
    at = run_page("queries", q="21_node")
    _ok(at)
    assert _group(at, "canned_view") is None  # properties, no node objects: nothing to draw


# -- console ----------------------------------------------------------------------------
def test_console_opens_with_the_rules_and_an_example(run_page):
    from kg.views import workbench as W

    at = run_page("console")
    _ok(at)
    assert at.text_area(key="console_text_cypher").value == W.EXAMPLE_CYPHER
    assert any("LOAD CSV" in i.value and "10,000 ms" in i.value for i in at.info)
    labels = [c.value for c in at.sidebar.code]
    assert any("Drug" in c and "Variant" in c for c in labels)  # the schema in the sidebar


def test_console_runs_a_query_from_the_url_and_draws_its_graph(run_page):
    from kg.views import workbench as W

    at = run_page("console", q=W.EXAMPLE_CYPHER)
    _ok(at)
    show = _group(at, "console_view")
    assert show.options == ["Table", "Graph"] and show.value == "Table"
    assert list(_frame(at).columns) == ["v", "r", "d"]
    assert {"Download CSV", "Download JSON"} <= set(_downloads(at))
    show.set_value("Graph").run()
    _ok(at)
    assert not at.dataframe and len(at.get("iframe")) == 1  # the drawing instead of the table
    assert any("relationship" in c.value and "click a node" in c.value for c in at.caption)


def test_console_typed_query_runs_on_submit_and_goes_into_the_url(run_page):
    at = run_page("console")
    at.text_area(key="console_text_cypher").input(
        "MATCH (d:Drug {id: $id}) RETURN d.name AS name")
    at.text_input(key="console_params").input('{"id": "drug:alectinib"}')
    at.button[0].click().run()
    _ok(at)
    assert _frame(at)["name"].tolist() == ["alectinib"]
    assert "RETURN d.name" in str(at.query_params["q"])


@pytest.mark.parametrize("query, headline, detail", [
    ("MATCH (n) DETACH DELETE n", "Refused", "DETACH (line 1, column 11) is a write clause"),
    ("LOAD  CSV FROM 'file:///etc/passwd' AS r RETURN r", "Refused", "LOAD CSV"),
    ("CALL db.idx.fulltext.drop('Drug')", "Refused", "only these procedures"),
    ("MATCH (n RETURN n", "Syntax error", "syntax error at line 1, column 10"),
    ("UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b RETURN count(*)",
     "ran out of time", "query timed out after 5 ms"),
])
def test_console_errors_say_what_happened(run_page, store, query, headline, detail):
    before = store.graph_version()
    at = run_page("console", q=query, timeout="5")
    assert not at.exception
    assert at.error and headline in at.error[0].value
    assert any(detail in c.value for c in at.main.code)  # the message, as text
    assert store.graph_version() == before


def test_console_row_cap_note(run_page):
    at = run_page("console", q="UNWIND range(1, 50) AS x RETURN x", rows="10")
    _ok(at)
    assert len(_frame(at)) == 10
    assert any("showing the first 10 of 50 rows" in w.value for w in at.warning)


def test_console_bad_limits_in_the_url_are_explained(run_page):
    at = run_page("console", timeout="99999", rows="0")
    assert not at.exception
    texts = html.unescape(" ".join(w.value for w in at.warning))
    assert "timeout=99999" in texts and "rows=0" in texts


def test_console_sparql_tab(run_page):
    at = run_page("console", lang="sparql",
                  q="SELECT ?name WHERE { ?d a kgs:Drug ; kgs:name ?name } ORDER BY ?name")
    _ok(at)
    assert "alectinib" in _frame(at)["name"].tolist()
    at = run_page("console", lang="sparql", q="DELETE WHERE { ?s ?p ?o }")
    assert at.error and any("SPARQL UPDATE" in c.value for c in at.main.code)


def test_console_sparql_runaway_is_stopped_at_the_timeout_and_the_page_goes_on(run_page):
    # a 3-way cross product under COUNT: Oxigraph would evaluate it for hours
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    at = run_page("console", lang="sparql", q=q, timeout="400")
    assert not at.exception
    assert at.error and "did not finish within 400 ms" in html.unescape(
        " ".join(e.value for e in at.error) + " ".join(c.value for c in at.main.code))
    at = run_page("console", lang="sparql",
                  q="SELECT ?name WHERE { ?d a kgs:Drug ; kgs:name ?name } ORDER BY ?name")
    _ok(at)  # the slot it held is free again
    assert "alectinib" in _frame(at)["name"].tolist()


def test_graph_view_offers_downloads_of_what_it_draws(run_page):
    at = run_page("graph", id="drug:alectinib", open="download")  # drawn on request
    _ok(at)
    labels = _downloads(at)
    assert {"Nodes CSV", "Edges CSV", "GraphML", "Turtle", "BibTeX"} <= set(labels)
