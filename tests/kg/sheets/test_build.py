"""kg.sheets.build: the sheet of each scenario of issue #12, on the real curated graph.

The expected contents are computed independently from the assembled networkx graph (which
figures are CNS figures of which drug, which claims name liquid biopsy ...), and a few are
named outright: the lorlatinib label's G1202R evidence, Weickhardt 2012, the letter's SBRT
statement.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kg import views as V
from kg.sheets import (
    LETTER_KEY,
    ScenarioError,
    Sheet,
    alk_inhibitors,
    normalise_alteration,
    prep_sheet,
)


@pytest.fixture(scope="module")
def run(store):  # noqa: ANN001, ANN201
    return V.store_runner(store)


@pytest.fixture(scope="module")
def sheet_of(run):  # noqa: ANN001, ANN201
    cache: dict[str, Sheet] = {}

    def make(basket=(), **scenario) -> Sheet:  # noqa: ANN001
        key = repr((sorted(scenario.items()), tuple(basket)))
        if key not in cache:
            cache[key] = prep_sheet(run, scenario=scenario, basket=basket,
                                    graph_version="test-fp", built_at="2026-01-01T00:00:00Z")
        return cache[key]

    return make


def _props(eg, nid):  # noqa: ANN001, ANN202
    return eg.graph.nodes[nid]["props"]


def _label(eg, nid):  # noqa: ANN001, ANN202
    return eg.graph.nodes[nid]["label"]


def _cns_figures_of(eg, drug):  # noqa: ANN001, ANN202
    """Outcomes with a CNS endpoint or population, measured in (or comparing) an arm on drug."""
    g = eg.graph
    on_drug = {s for s, t, d in g.edges(data=True) if d["type"] == "RECEIVES" and t == drug}
    out = set()
    for n, d in g.nodes(data=True):
        if d["label"] != "Outcome":
            continue
        p = d["props"]
        ep, pop = p["endpoint"].upper(), (p.get("population") or "").lower()
        cns = ep.startswith(("IC", "CNS")) or "cns" in pop or "brain" in pop
        if cns and (p.get("arm_id") or p.get("experimental_arm_id")) in on_drug:
            out.add(n)
    return out


def _claims_naming(eg, node):  # noqa: ANN001, ANN202
    return {s for s, t, d in eg.graph.edges(data=True)
            if t == node and d["type"] in ("HAS_SUBJECT", "HAS_OBJECT")
            and _label(eg, s) == "Claim"}


def _letter_claims(eg):  # noqa: ANN001, ANN202
    letter = next(n for n, d in eg.graph.nodes(data=True)
                  if d["props"].get("bib_key") == LETTER_KEY)
    return {s for s, t, d in eg.graph.edges(data=True)
            if d["type"] == "ASSERTED_IN" and t == letter}


def _block(sheet, key, title):  # noqa: ANN001, ANN202
    return next(b for b in sheet.section(key).blocks if b.title == title)


# -- normalising alterations ---------------------------------------------------------------
@pytest.mark.parametrize("text, node, matched", [
    ("G1202R", "ALK:p.G1202R", "synonym"),
    ("ALK p.G1202R", "ALK:p.G1202R", "name"),
    ("ALK G1202R", "ALK:p.G1202R", "name"),
    ("MET amplification", "MET:amplification", "name"),
    ("EML4-ALK v3", "ALK:EML4-ALK.v3", "synonym"),
    ("ZZZ9 Q999X", None, ""),
    ("", None, ""),
])
def test_alterations_are_normalised_against_the_graph(run, text, node, matched):
    a = normalise_alteration(run, text)
    assert (a.node_id, a.matched, a.text) == (node, matched, text)


def test_the_alk_inhibitors_are_the_drugs_targeting_alk(run, curated_graph):
    g = curated_graph.graph
    want = {s for s, t, d in g.edges(data=True) if d["type"] == "TARGETS" and t == "HGNC:427"}
    assert {d["id"] for d in alk_inhibitors(run)} == want and "drug:lorlatinib" in want


# -- the scenarios of issue #12 --------------------------------------------------------------
def test_crizotinib_intracranial_systemic_gives_the_cns_evidence_of_alectinib_and_lorlatinib(
        sheet_of, curated_graph):
    sheet = sheet_of(drug="crizotinib", progression="intracranial", pattern="systemic")
    drugs = sheet.section("drugs")
    titles = [b.title for b in drugs.blocks if b.depth == 0]
    assert titles == sorted(titles, key=str.lower), "drugs are listed alphabetically"
    assert "crizotinib" not in titles  # the failing drug is not a next-line drug
    for drug, name in (("drug:alectinib", "alectinib"), ("drug:lorlatinib", "lorlatinib")):
        want = _cns_figures_of(curated_graph, drug)
        assert want, f"the graph holds no CNS figure of {name}"
        block = _block(sheet, "drugs", f"CNS figures of {name}")
        assert {i.id for i in block.items} == want
        for item in block.items:
            p = _props(curated_graph, item.id)
            assert item.citation.key == p["bib_key"] and item.citation.locator == p["locator"]
            assert item.citation.text and item.citation.source_kind
            assert item.quote == p["quote"]
        # intracranial: the CNS figures come first in the drug's part of the section
        i = [b.title for b in drugs.blocks].index(name)
        assert drugs.blocks[i + 1].title == f"CNS figures of {name}"
    site = sheet.section("site")
    assert site.title == "1. Site of progression: intracranial"
    crizo = _cns_figures_of(curated_graph, "drug:crizotinib")
    arm_level = {o for o in crizo if _props(curated_graph, o).get("arm_id")}
    assert {i.id for i in _block(sheet, "site", "CNS figures in trial arms that received "
                                 "crizotinib").items} == arm_level


def test_alectinib_extracranial_g1202r_gives_the_lorlatinib_evidence_with_its_citation(
        sheet_of):
    sheet = sheet_of(drug="alectinib", prior=["crizotinib"], progression="extracranial",
                     pattern="systemic", alterations=["G1202R"])
    [alt] = sheet.alterations
    assert (alt.node_id, alt.name) == ("ALK:p.G1202R", "ALK G1202R")
    assert "mechanism:alk_kinase_domain_mutation" in dict(alt.via)
    cell = _block(sheet, "alterations", "ALK G1202R × lorlatinib")
    assert cell.note.startswith("direct: sensitive")
    assert "inherited via ALK kinase-domain mutation: sensitive" in cell.note
    label = next(i for i in cell.items if i.id == "claim:lorviqua-smpc-g1202r-lorlatinib")
    assert (label.citation.key, label.citation.source_kind, label.level, label.via) == (
        "lorviqua2026smpc", "regulatory label", "D", "")
    assert label.citation.locator.startswith("section 5.1")
    assert "G1202R" in label.quote
    inherited = [i for i in cell.items if i.via]
    assert inherited and all(i.via == "via ALK kinase-domain mutation" for i in inherited)
    # direct and inherited apart: the direct items come first, none of them marked "via"
    vias = [bool(i.via) for i in cell.items]
    assert vias == sorted(vias)
    # lorlatinib is listed among the drugs, with its G1202R sensitivity
    lor = _block(sheet, "drugs", "lorlatinib")
    assert any(x.startswith("ALK G1202R: direct: sensitive") for x in lor.lines)
    # resistance of G1202R to the failing drug is stated too
    assert _block(sheet, "alterations", "ALK G1202R × alectinib").note.startswith(
        "direct: resistant")


def test_crizotinib_extracranial_oligoprogression_gives_weickhardt_and_the_letters_sbrt(
        sheet_of, curated_graph):
    sheet = sheet_of(drug="crizotinib", progression="extracranial",
                     pattern="oligoprogression", lesions=2)
    local = sheet.section("local_therapy")
    assert local is not None and "2 progressing lesions" in local.intro
    [lat] = [i for i in local.items if i.id == "claim:weickhardt2012-lat-pfs2"]
    assert lat.citation.key == "weickhardt2012lat" and "6.2 months" in lat.quote
    letter = sheet.section("letter")
    sbrt = [i for i in letter.items if "SBRT" in i.quote and "oligoprogression" in i.quote]
    assert sbrt, ("the letter's SBRT statement (paragraph 5, citing [5] Weickhardt 2012) is "
                  "not in data/curated/claims.yaml")
    cited = [w for i in sbrt for w in i.checks]
    assert any(w.citation.key == "weickhardt2012lat" for w in cited)
    # a systemic pattern has no local-therapy section
    assert sheet_of(drug="crizotinib", progression="extracranial",
                    pattern="systemic").section("local_therapy") is None


def test_an_unknown_alteration_is_reported_back(sheet_of):
    sheet = sheet_of(drug="alectinib", progression="both", pattern="systemic",
                     alterations=["ZZZ9 Q999X", "G1202R"])
    assert [(a.text, a.node_id) for a in sheet.alterations] == [
        ("ZZZ9 Q999X", None), ("G1202R", "ALK:p.G1202R")]
    block = _block(sheet, "alterations", "“ZZZ9 Q999X”: not found in the graph")
    assert "ZZZ9 Q999X" in block.lines[0]
    assert any("“ZZZ9 Q999X”: not found in the graph" in x
               for x in sheet.section("not_in_graph").lines)


def test_a_plasma_sample_gives_the_evidence_on_liquid_biopsy(sheet_of, curated_graph):
    sheet = sheet_of(drug="crizotinib", progression="extracranial", pattern="systemic",
                     sample="plasma")
    name = _props(curated_graph, "procedure:liquid_biopsy")["name"]
    block = _block(sheet, "alterations", f"Finding alterations in plasma: {name}")
    naming = _claims_naming(curated_graph, "procedure:liquid_biopsy")
    letter = _letter_claims(curated_graph)
    shown = {i.id for i in block.items} | {i.id for i in sheet.section("letter").items}
    assert naming <= shown  # every claim about liquid biopsy is on the sheet
    assert {i.id for i in block.items} == naming - letter
    for cid in naming & letter:
        assert any(cid and _props(curated_graph, cid)["name"] in x for x in block.lines)
    if not naming - letter:
        assert any(x.startswith(f"Evidence on {name} (plasma sample)")
                   for x in sheet.section("not_in_graph").lines)
    # tissue does not bring liquid biopsy in
    tissue = sheet_of(drug="crizotinib", progression="extracranial", pattern="systemic",
                      sample="tissue")
    assert not [b for b in tissue.section("alterations").blocks if name in b.title]


# -- rules every sheet keeps -----------------------------------------------------------------
SCENARIOS = [
    dict(drug="crizotinib", progression="intracranial", pattern="systemic"),
    dict(drug="alectinib", prior=["crizotinib"], progression="extracranial",
         pattern="systemic", alterations=["G1202R", "ZZZ9 Q999X"], sample="tissue"),
    dict(drug="crizotinib", progression="both", pattern="oligoprogression", lesions=1,
         alterations=["MET amplification", "EML4-ALK v3"], sample="plasma"),
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_item_is_cited_and_shown_once(sheet_of, curated_graph, scenario):
    sheet = sheet_of(**scenario)
    assert sheet.notice.startswith("This sheet states the evidence")
    assert "does not rank" in sheet.notice
    seen = [i.id for s in sheet.sections if s.key != "basket" for i in s.items]
    assert len(seen) == len(set(seen)), "an item appears twice"
    for item in sheet.items:
        c = item.citation
        assert c.key and c.text and c.locator and c.source_kind, item.id
        assert c.pub_id in curated_graph.graph
    assert {w.id for w in sheet.works} == (
        {i.citation.pub_id for i in sheet.items}
        | {w.citation.pub_id for i in sheet.items for w in i.checks})
    assert [s.title.split(".")[0] for s in sheet.sections] == [
        str(n) for n in range(1, len(sheet.sections) + 1)]
    f = sheet.footer
    assert (f.graph_version, f.built_at) == ("test-fp", "2026-01-01T00:00:00Z")
    assert f.command.startswith("python -m kg prep --drug ")
    assert f.scenario["drug"] == scenario["drug"]


def test_the_letter_section_keeps_only_statements_that_apply(sheet_of, curated_graph):
    letter = _letter_claims(curated_graph)
    intra = sheet_of(drug="crizotinib", progression="intracranial", pattern="systemic")
    extra = sheet_of(drug="crizotinib", progression="extracranial", pattern="systemic")
    for sheet in (intra, extra):
        assert {i.id for i in sheet.section("letter").items} <= letter
    # a statement about a mechanism of extracranial progression is not kept intracranially
    mech = {c for c in letter if "mechanism:alk_kinase_domain_mutation"
            in {t for s, t, d in curated_graph.graph.edges(data=True) if s == c}}
    assert not mech & {i.id for i in intra.section("letter").items}


def test_the_basket_lists_added_items_and_reports_unknown_ones(sheet_of):
    basket = ["claim:katayama2014-i1171t-ceritinib",
              "NCT02604342/outcome/ic-orr-final-alectinib", "claim:nope"]
    sheet = sheet_of(drug="crizotinib", progression="intracranial", pattern="systemic",
                     basket=basket)
    added = sheet.section("basket")
    assert [i.id for i in added.items] == basket[:2]
    assert [i.kind for i in added.items] == ["claim", "figure"]
    assert added.items[1].citation.key == "wolf2022alur"
    assert any("“claim:nope”" in x for x in added.lines)
    assert sheet.footer.basket == tuple(basket)


def test_as_of_hides_what_was_published_later(sheet_of, run):
    dates = V.publication_dates(run)
    as_of = dt.date(2020, 3, 9)
    sheet = sheet_of(drug="alectinib", prior=["crizotinib"], progression="both",
                     pattern="systemic", alterations=["G1202R"], as_of="letter")
    assert sheet.footer.as_of == "2020-03-09"
    assert sheet.items
    for item in sheet.items:
        assert dates.visible(item.id, as_of), item.id
    assert "claim:lorviqua-smpc-g1202r-lorlatinib" not in {i.id for i in sheet.items}
    later = sheet_of(drug="alectinib", prior=["crizotinib"], progression="both",
                     pattern="systemic", alterations=["G1202R"])
    assert "claim:lorviqua-smpc-g1202r-lorlatinib" in {i.id for i in later.items}


@pytest.mark.parametrize("scenario, field, words", [
    (dict(drug="foo"), "drug", "no drug named 'foo'"),
    (dict(drug="pemetrexed"), "drug", "not an ALK inhibitor"),
    (dict(drug="alectinib", prior=["Xalkori", "bar"]), "prior", "no drug named 'bar'"),
    (dict(drug="Alecensa", prior=["alectinib"]), "prior", "is the current drug"),
])
def test_drugs_are_resolved_against_the_graph(run, scenario, field, words):
    with pytest.raises(ScenarioError) as err:
        prep_sheet(run, scenario={"progression": "both", "pattern": "systemic", **scenario})
    assert any(p.startswith(f"{field}:") and words in p for p in err.value.problems), \
        err.value.problems


def test_drug_synonyms_and_ids_are_accepted(sheet_of):
    a = sheet_of(drug="Alecensa", prior=["drug:crizotinib"], progression="both",
                 pattern="systemic")
    assert a.drug == ("drug:alectinib", "alectinib") and a.prior == (
        ("drug:crizotinib", "crizotinib"),)
