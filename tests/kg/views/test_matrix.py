"""kg.views.matrix: cell states follow the claims and the schema's claim semantics."""

from __future__ import annotations

from kg import views as V
from kg.schema import load_schema


def _only_26(rows):
    """A runner serving `rows` as the matrix query's answer and nothing for other queries."""
    return lambda name, params: rows if name == "26_resistance_matrix" else []


def _run(store):  # noqa: ANN001, ANN202
    return V.store_runner(store)


def test_matrix_statuses_follow_the_claims(store, curated_graph):
    m = V.resistance_matrix(_run(store), subjects=("Variant", "ResistanceMechanism"))
    g = curated_graph.graph
    for cell in m.cells.values():
        if not cell.n:  # only inherited evidence: see test_inherited_evidence_stays_apart
            continue
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
    m = V.resistance_matrix(_only_26(rows))
    cell = m.cell("v", "d")
    assert (cell.status, cell.n, cell.best_level, cell.n_civic) == ("conflicting", 2, "B", 1)
    only = V.resistance_matrix(_only_26(rows), source="curated").cell("v", "d")
    assert only.status == "resistant"


def test_inherited_evidence_stays_apart(store, curated_graph):
    """A variant's cell shows its mechanism's and profiles' evidence, apart from its own."""
    g = curated_graph.graph
    m = V.resistance_matrix(_run(store), subjects=("Variant", "ResistanceMechanism"))
    parents = V.variant_parents(_run(store))
    seen = 0
    for (vid, _drug), cell in m.cells.items():
        if cell.inherited is None:
            continue
        seen += 1
        assert not set(cell.claim_ids) & set(cell.inherited.claim_ids)
        via = {p.id for p in parents.of(vid)}
        assert set(cell.inherited.via_ids) <= via
        for cid in cell.inherited.claim_ids:
            assert g.nodes[cid]["props"]["subject_id"] in via
            assert g.nodes[cid]["props"]["subject_id"] != vid
        for cid in cell.claim_ids:
            assert g.nodes[cid]["props"]["subject_id"] == vid
    assert seen
    # the curated graph has no direct G1202R x lorlatinib claim, but its mechanism has one
    cell = m.cell("ALK:p.G1202R", "drug:lorlatinib")
    assert cell is not None and cell.inherited is not None
    assert "ALK kinase-domain mutation" in cell.inherited.via
    assert cell.inherited.status in ("sensitive", "conflicting")
    assert cell.text.startswith("(via ALK kinase-domain mutation") or cell.n


def test_a_fusion_does_not_inherit_from_profiles():
    rows = [{"variant_id": "ALK:EML4-ALK", "variant_type": "fusion", "variant_gene": "ALK",
             "parent_id": "CIVIC.MP:1", "parent_label": "Variant",
             "parent_name": "EML4::ALK AND G1202R", "relation": "COMPONENT_OF"},
            {"variant_id": "ALK:p.G1202R", "variant_type": "kinase_domain_mutation",
             "variant_gene": "ALK", "parent_id": "CIVIC.MP:1", "parent_label": "Variant",
             "parent_name": "EML4::ALK AND G1202R", "relation": "COMPONENT_OF"}]
    inh = V.variant_parents(lambda name, params: rows)
    assert inh.of("ALK:EML4-ALK") == ()
    assert [p.via for p in inh.of("ALK:p.G1202R")] == ["via EML4::ALK AND G1202R"]


def test_as_of_hides_later_claims_direct_and_inherited(store):
    now = V.resistance_matrix(_run(store), subjects=("Variant", "ResistanceMechanism"))
    then = V.resistance_matrix(_run(store), subjects=("Variant", "ResistanceMechanism"),
                               as_of="letter")
    cell, old = now.cell("ALK:p.G1202R", "drug:lorlatinib"), then.cell("ALK:p.G1202R",
                                                                       "drug:lorlatinib")
    assert cell.n == 1 and old.n == 0  # the lorlatinib label (2026) is not known yet
    assert old.inherited.claim_ids == cell.inherited.claim_ids  # Gainor 2016 is
    dates = V.publication_dates(_run(store))
    for c in then.cells.values():
        for cid in (*c.claim_ids, *(c.inherited.claim_ids if c.inherited else ())):
            assert dates.visible(cid, V.LETTER_ACCEPTED)


def _profiles_runner():
    """Matrix rows: G1202R and a CIViC profile containing it (CIViC claims), and a curated
    compound mutation; the profile and the compound are parents of their variants."""
    def claim(sid, name, cid, source, gene="ALK", drug="lorlatinib"):
        return {"subject_id": sid, "subject_label": "Variant", "subject_name": name,
                "subject_gene": gene, "drug_id": f"drug:{drug}", "drug_name": drug,
                "claim_id": cid, "predicate": "CONFERS_RESISTANCE_TO", "direction": "supports",
                "evidence_level": "C", "source": source, "conflicts": 0}

    def parent(vid, pid, pname):
        return {"variant_id": vid, "variant_name": vid.replace("ALK:p.", "ALK "),
                "variant_type": "kinase_domain_mutation",
                "variant_gene": "ALK", "parent_id": pid, "parent_label": "Variant",
                "parent_name": pname, "relation": "COMPONENT_OF"}

    answers = {
        "26_resistance_matrix": [
            claim("ALK:p.G1202R", "ALK G1202R", "CIVIC.EID:1", "civic"),
            claim("ALK:p.G1202R", "ALK G1202R", "CIVIC.EID:3", "civic", drug="alectinib"),
            claim("CIVIC.MP:1", "ALK EML4::ALK AND ALK G1202R", "CIVIC.EID:2", "civic"),
            claim("ALK:p.[L1196M;D1203N]", "ALK:p.[L1196M;D1203N]", "claim:c", "curated")],
        "29_variant_parents": [
            parent("ALK:p.G1202R", "CIVIC.MP:1", "ALK EML4::ALK AND ALK G1202R"),
            parent("ALK:p.L1196M", "ALK:p.[L1196M;D1203N]", "ALK:p.[L1196M;D1203N]"),
            parent("ALK:p.D1203N", "ALK:p.[L1196M;D1203N]", "ALK:p.[L1196M;D1203N]")]}
    return lambda name, params: answers.get(name, [])


def test_profiles_are_rows_only_when_asked_for():
    """A CIViC profile's evidence shows inherited in its variant's row; as a row of its own
    it needs `PROFILE`. A curated compound mutation stays a row."""
    run = _profiles_runner()
    m = V.resistance_matrix(run, subjects=(V.VARIANT, V.MECHANISM))
    assert {r[0] for r in m.rows} == {"ALK:p.[L1196M;D1203N]", "ALK:p.D1203N", "ALK:p.G1202R",
                                      "ALK:p.L1196M"}
    assert m.hidden == ("CIVIC.MP:1",)
    assert m.cell("CIVIC.MP:1", "drug:lorlatinib") is None
    cell = m.cell("ALK:p.G1202R", "drug:lorlatinib")
    assert cell.claim_ids == ("CIVIC.EID:1",)
    assert cell.inherited.claim_ids == ("CIVIC.EID:2",)
    assert cell.inherited.via == ("ALK EML4::ALK AND ALK G1202R",)
    both = V.resistance_matrix(run, subjects=(V.VARIANT, V.PROFILE))
    assert both.hidden == () and both.cell("CIVIC.MP:1", "drug:lorlatinib").n == 1
    assert {r[0] for r in both.rows} == {r[0] for r in m.rows} | {"CIVIC.MP:1"}
    # a variant with inherited evidence only is named by its own name, not by its id
    names = {r[0]: r[2] for r in m.rows}
    assert names["ALK:p.L1196M"] == "ALK L1196M" and names["ALK:p.G1202R"] == "ALK G1202R"
    only = V.resistance_matrix(run, subjects=(V.PROFILE,))
    assert [r[0] for r in only.rows] == ["CIVIC.MP:1"]
    assert only.cell("CIVIC.MP:1", "drug:lorlatinib").inherited is None
    assert [c[0] for c in only.cols] == ["drug:lorlatinib"]  # no column left empty


def _levels_runner():
    """Claims on four drugs: 'tool' only at D and E (one of them inherited from a profile),
    'mixed' at D and B, 'opinion' at E and O, 'plain' with no level; the variant 'lab' has
    evidence only for 'tool'."""
    def claim(sid, drug, cid, level):
        return {"subject_id": sid, "subject_label": "Variant", "subject_name": sid,
                "subject_gene": "ALK", "drug_id": f"drug:{drug}", "drug_name": drug.upper(),
                "claim_id": cid, "predicate": "CONFERS_RESISTANCE_TO", "direction": "supports",
                "evidence_level": level, "source": "civic", "conflicts": 0}

    answers = {
        "26_resistance_matrix": [
            claim("v1", "tool", "c1", "D"), claim("lab", "tool", "c2", "E"),
            claim("v1", "mixed", "c3", "D"), claim("v1", "mixed", "c4", "B"),
            claim("v1", "opinion", "c5", "E"), claim("v1", "opinion", "c6", "O"),
            claim("v1", "plain", "c7", None), claim("MP:1", "tool", "c8", "D")],
        "29_variant_parents": [
            {"variant_id": "v2", "variant_type": "kinase_domain_mutation",
             "variant_gene": "ALK", "parent_id": "MP:1", "parent_label": "Variant",
             "parent_name": "v2 AND v3", "relation": "COMPONENT_OF"}]}
    return lambda name, params: answers.get(name, [])


def test_preclinical_compounds_are_columns_only_when_asked_for():
    """A compound whose every claim (direct or inherited) is at a preclinical level (D, E)
    is left out with preclinical=False, with the rows that had evidence only for it; a
    compound with any other level (B, O) or an unknown level stays."""
    assert load_schema().semantics.preclinical_levels == {"D", "E"}
    run = _levels_runner()
    every = V.resistance_matrix(run, subjects=(V.VARIANT,))
    assert {c[0] for c in every.cols} == {"drug:tool", "drug:mixed", "drug:opinion",
                                          "drug:plain"}
    assert every.preclinical == () and every.preclinical_rows == ()
    m = V.resistance_matrix(run, subjects=(V.VARIANT,), preclinical=False)
    assert {c[0] for c in m.cols} == {"drug:mixed", "drug:opinion", "drug:plain"}
    assert m.preclinical == (("drug:tool", "TOOL"),)
    # 'lab' and v2 (which inherits only the profile's D claim) had evidence only for 'tool'
    assert set(m.preclinical_rows) == {"lab", "v2"}
    assert {r[0] for r in m.rows} == {"v1"}
    assert all(d != "drug:tool" for _, d in m.cells)
    assert m.cell("v1", "drug:mixed").n == 2  # the D claim counts beside the B one
