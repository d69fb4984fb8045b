"""The SPARQL files in queries/ run on the RDF mapping and agree with their Cypher twins.

Queries run on Oxigraph (`kg.sparql`); the mapping is the one of the Turtle export, so rdflib
answers the same query over the same triples with the same rows.
"""

import pytest

from kg.exports import run_sparql, to_rdflib
from kg.queries import list_queries, load_query
from kg.schema.errors import QueryError, ReadOnlyViolation
from kg.sparql import build_store, select

SPARQL = {q.name: q for q in list_queries(language="sparql")}


@pytest.fixture(scope="module")
def rdf(curated_graph):
    return build_store(curated_graph)


def test_every_sparql_file_runs_and_returns_its_columns(curated_graph, rdf):
    assert SPARQL
    for q in SPARQL.values():
        cols, rows = run_sparql(curated_graph, q.text, q.example_params(), rdf=rdf)
        assert tuple(cols) == q.returns and rows, q.name


def test_oxigraph_and_rdflib_give_the_same_rows(curated_graph, rdf):
    from rdflib import Literal, Namespace
    from rdflib.namespace import RDF

    from kg.exports import KG, KGS

    g = to_rdflib(curated_graph)
    assert len(g) == sum(1 for _ in rdf)  # the same triples, counted both ways
    for q in SPARQL.values():
        params = q.example_params()
        _, ox_rows = select(rdf, q.text, params)
        res = g.query(q.text, initNs={"rdf": RDF, "kg": Namespace(KG), "kgs": Namespace(KGS)},
                      initBindings={k: Literal(v) for k, v in params.items()})
        rl_rows = [[None if v is None else v.toPython() for v in row] for row in res]
        assert ox_rows == [[str(v) if hasattr(v, "n3") else v for v in r] for r in rl_rows], \
            q.name


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


def test_values_come_back_typed_and_ask_construct_work(rdf):
    _, rows = select(rdf, "SELECT ?v ?syn WHERE { ?d kgs:id 'drug:alectinib' ; "
                          "kgs:synonyms ?syn . BIND(1 + 1 AS ?v) }")
    assert rows[0][0] == 2 and isinstance(rows[0][1], list) and "Alecensa" in rows[0][1]
    assert select(rdf, "ASK { ?d kgs:id 'drug:alectinib' }") == (["result"], [[True]])
    cols, rows = select(rdf, "CONSTRUCT WHERE { ?d kgs:id 'drug:alectinib' }")
    assert cols == ["subject", "predicate", "object"] and rows[0][2] == "drug:alectinib"
    _, rows = select(rdf, "SELECT ?s WHERE { ?s ?p ?o }", row_cap=3)
    assert len(rows) == 3


@pytest.mark.parametrize("update", [
    "INSERT DATA { <https://x/a> <https://x/b> 1 }",
    "insert data { <https://x/a> <https://x/b> 1 }",
    "PREFIX x: <https://x/>\nDELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR DEFAULT",
    "DROP ALL",
    "LOAD <https://127.0.0.1:18443/x.ttl>",
    "# a comment\n  CLEAR   ALL",
    "SELECT * WHERE { SERVICE <https://127.0.0.1:18443/sparql> { ?s ?p ?o } }",
])
def test_sparql_updates_and_service_are_refused(rdf, update):
    before = sum(1 for _ in rdf)
    with pytest.raises(ReadOnlyViolation, match="refused"):
        select(rdf, update)
    assert sum(1 for _ in rdf) == before


def test_words_in_strings_iris_and_prefixed_names_are_not_updates(rdf):
    cols, _ = select(rdf, "SELECT ?x WHERE { ?x kgs:name 'DELETE me' . "
                          "FILTER(?x != <https://x/INSERT>) } # CLEAR")
    assert cols == ["x"]


def test_bad_sparql_names_the_problem(rdf):
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        select(rdf, "SELECT ?x WHERE { ?x ?y }")
