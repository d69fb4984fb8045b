"""The SPARQL files in queries/ run on the RDF mapping and agree with their Cypher twins."""

import pytest

from kg.exports import run_sparql, to_rdflib
from kg.queries import list_queries, load_query

SPARQL = {q.name: q for q in list_queries(language="sparql")}


@pytest.fixture(scope="module")
def rdf(curated_graph):
    return to_rdflib(curated_graph)


def test_every_sparql_file_runs_and_returns_its_columns(curated_graph, rdf):
    assert SPARQL
    for q in SPARQL.values():
        cols, rows = run_sparql(curated_graph, q.text, q.example_params(), rdf=rdf)
        assert tuple(cols) == q.returns and rows, q.name


def test_resistance_agrees_with_cypher(curated_graph, rdf, store):
    q = SPARQL["51_resistance_to_drug"]
    _, rows = run_sparql(curated_graph, q.text, {"drug": "drug:crizotinib"}, rdf=rdf)
    cy = load_query("02_resistance_to_drug")
    want = {(r["subject_id"], r["claim_id"]) for r in
            store.query(cy.text, {"drug": "drug:crizotinib"}).records()}
    assert {(r[0], r[1]) for r in rows} == want


def test_trial_figures_agree_with_cypher(curated_graph, rdf, store):
    q = SPARQL["52_trial_figures"]
    _, rows = run_sparql(curated_graph, q.text, {"trial": "JapicCTI-132316"}, rdf=rdf)
    cy = load_query("04_trial_outcomes")
    want = {(r["outcome_id"], r["value_text"]) for r in
            store.query(cy.text, {"trial": "JapicCTI-132316"}).records()}
    assert {(r[0], r[3]) for r in rows} == want
