"""kg.views.matrix: cell states follow the claims and the schema's claim semantics."""

from __future__ import annotations

from kg import views as V
from kg.schema import load_schema


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


def test_matrix_statuses_follow_the_claims(store, curated_graph):
    m = V.resistance_matrix(_run(store), subjects=("Variant", "ResistanceMechanism"))
    g = curated_graph.graph
    for cell in m.cells.values():
        preds = {g.nodes[c]["props"]["predicate"] for c in cell.claim_ids}
        if cell.status == "resistant":
            assert preds == {"CONFERS_RESISTANCE_TO"}
        elif cell.status == "sensitive":
            assert preds == {"CONFERS_SENSITIVITY_TO"}
        assert cell.best_level == min(g.nodes[c]["props"]["evidence_level"]
                                      for c in cell.claim_ids)
        assert cell.n == len(cell.claim_ids)


def test_matrix_side_logic():
    assert load_schema().semantics.side("CONFERS_RESISTANCE_TO", "supports") == "resistant"
    assert load_schema().semantics.side("CONFERS_RESISTANCE_TO", "does_not_support") == "sensitive"
    assert load_schema().semantics.side("CONFERS_SENSITIVITY_TO", "does_not_support") == "resistant"
    rows = [{"subject_id": "v", "subject_label": "Variant", "subject_name": "V",
             "subject_gene": "ALK", "drug_id": "d", "drug_name": "D", "claim_id": f"c{i}",
             "predicate": p, "direction": "supports", "evidence_level": lv, "source": src,
             "conflicts": 0}
            for i, (p, lv, src) in enumerate([("CONFERS_RESISTANCE_TO", "C", "curated"),
                                              ("CONFERS_SENSITIVITY_TO", "B", "civic")])]
    m = V.resistance_matrix(lambda name, params: rows)
    cell = m.cell("v", "d")
    assert (cell.status, cell.n, cell.best_level, cell.n_civic) == ("conflicting", 2, "B", 1)
    only = V.resistance_matrix(lambda name, params: rows, source="curated").cell("v", "d")
    assert only.status == "resistant"
