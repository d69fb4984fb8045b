"""AppTest for the tumour-board page (/prep), the basket and the citation check sections.

Each page runs headless on the real curated graph, with the query parameters a shared URL
would carry.
"""

from __future__ import annotations

import html

import pytest

from app_pages._prep_html import PRINT_CSS, sheet_html
from kg import views as V
from kg.sheets import prep_sheet
from tests.app.reading import markdown_html as _html
from tests.app.reading import ok as _ok

G1202R = {"drug": "alectinib", "prior": "crizotinib", "progression": "extracranial",
          "pattern": "systemic", "alteration": "G1202R", "sample": "tissue"}


def _qp(at, name: str) -> list[str]:  # noqa: ANN001
    """A URL parameter's values (AppTest gives one value as text, several as a list)."""
    v = at.query_params.get(name)
    return [] if v is None else [v] if isinstance(v, str) else list(v)


def test_the_page_renders_the_g1202r_sheet(run_page):
    at = run_page("prep", **G1202R)
    _ok(at)
    assert at.selectbox(key="prep_w_drug").value == "alectinib"
    assert at.multiselect(key="prep_w_prior").value == ["crizotinib"]
    assert at.radio(key="prep_w_progression").value == "extracranial"
    assert at.text_area(key="prep_w_alterations").value == "G1202R"
    html = _html(at)
    assert '<div class="prep-sheet">' in html
    assert "It does not rank treatments or recommend one" in html
    assert "ALK G1202R × lorlatinib" in html and "<code>lorviqua2026smpc</code>" in html
    assert "<b>source kind:</b> regulatory label" in html
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Markdown", "PDF", "BibTeX", "JSON"]
    assert {k: _qp(at, k) for k in G1202R} == {k: [v] for k, v in G1202R.items()}


def test_the_page_is_the_sheet_of_kg_sheets(run_page, store):
    """The page lays out exactly what kg.sheets builds (nothing computed on the page)."""
    at = run_page("prep", **G1202R)
    sheet = prep_sheet(V.store_runner(store), scenario={
        "drug": "alectinib", "prior": ["crizotinib"], "progression": "extracranial",
        "pattern": "systemic", "alterations": ["G1202R"], "sample": "tissue"},
        graph_version=store.graph_version(), built_at=store.meta().get("built_at", ""))
    assert sheet_html(sheet) in _html(at)


def test_without_a_scenario_the_page_asks_for_one(run_page):
    at = run_page("prep")
    _ok(at)
    assert any("To build the sheet, choose" in i.value for i in at.info)
    assert not at.get("download_button")


def test_bad_parameters_are_explained_by_field(run_page):
    at = run_page("prep", drug="foo", progression="brain", pattern="oligoprogression",
                  lesions="x")
    _ok(at)
    # URL text is shown as text (character references in the Markdown): compare it decoded
    warnings = html.unescape(" ".join(w.value for w in at.warning))
    for field in ("“drug=foo”", "“progression=brain”", "“lesions=x”"):
        assert field in warnings
    at = run_page("prep", drug="crizotinib", progression="both", pattern="systemic",
                  as_of="2020-99-01")
    _ok(at)
    assert any("as_of: expected a date as YYYY-MM-DD" in html.unescape(w.value)
               for w in at.warning)


def test_a_change_goes_into_the_url(run_page):
    at = run_page("prep", **G1202R)
    at.radio(key="prep_w_progression").set_value("both").run()
    _ok(at)
    assert _qp(at, "progression") == ["both"]
    at.text_area(key="prep_w_alterations").input("G1202R\nMET amplification").run()
    assert _qp(at, "alteration") == ["G1202R", "MET amplification"]
    assert "MET amplification" in _html(at)


def test_the_print_stylesheet_prints_the_sheet_alone(run_page):
    at = run_page("prep", **G1202R)
    html = _html(at)
    assert PRINT_CSS.strip() in html
    assert "@media print" in PRINT_CSS and '[data-testid="stSidebar"]' in PRINT_CSS
    assert ".st-key-prep_controls" in PRINT_CSS and "display: none" in PRINT_CSS


def test_add_to_sheet_from_the_matrix_then_the_sheet_lists_it(run_page):
    claim = "claim:lorviqua-smpc-g1202r-lorlatinib"
    at = run_page("matrix", variant="ALK:p.G1202R", drug="drug:lorlatinib", open="claims")
    _ok(at)
    box = at.multiselect(key="matrix_claims")  # the cell's claims, in a box drawn on request
    assert at.button(key="matrix_claims_add").disabled  # nothing chosen yet
    box.set_value([claim]).run()
    at.button(key="matrix_claims_add").click().run()
    _ok(at)
    assert at.session_state["prep_basket"] == [claim]
    assert at.multiselect(key="matrix_claims").options[0].endswith("(on the sheet)")
    at.switch_page("app_pages/prep.py")
    for k, v in G1202R.items():
        at.query_params[k] = v
    at.run()
    _ok(at)
    assert _qp(at, "add") == [claim]
    html = _html(at)
    added = html.split('id="prep-basket"', 1)[1]
    assert "Lorlatinib is active against ALK G1202R" in added.split("<h2", 1)[0]


def test_a_shared_url_carries_the_basket(run_page):
    at = run_page("prep", **G1202R, add="NCT02604342/outcome/ic-orr-final-alectinib")
    _ok(at)
    added = _html(at).split('id="prep-basket"', 1)[1].split("<h2", 1)[0]
    assert "ALUR: CNS objective response rate, alectinib" in added
    assert at.multiselect(key="prep_w_basket").value == [
        "NCT02604342/outcome/ic-orr-final-alectinib"]


def test_figure_tables_offer_the_basket(run_page):
    at = run_page("trials", open="figures")
    _ok(at)
    buttons = [b for b in at.button if b.key == "trials_figures_add"]
    assert len(buttons) == 1 and buttons[0].disabled  # nothing selected yet
    at = run_page("entity", id="NCT02604342")
    _ok(at)
    assert not at.button and "open=figures#kg_open_figures" in html.unescape(_html(at))
    at = run_page("entity", id="NCT02604342", open="figures")
    _ok(at)
    assert at.button(key="entity_figures_add").disabled
    at = run_page("entity", id="drug:alectinib", open="efficacy")
    _ok(at)
    assert at.button(key="entity_efficacy_add").disabled
    assert at.multiselect(key="entity_efficacy").options  # the drug's trial figures
    at = run_page("entity", id="drug:alectinib", open="claims")
    _ok(at)
    assert at.multiselect(key="entity_claims").options


@pytest.mark.parametrize("node, words", [
    ("claim:dubey2020-alectinib-pfs", "the cited source reports what this claim rests on"),
    ("bib:nakagawa2020jalex", "claim(s) cite this work for their support"),
    ("DOI:10.4103/CRST.CRST_72_20", "claim(s) made in this work cite other works"),
])
def test_claim_and_publication_pages_show_the_citation_check(run_page, node, words):
    at = run_page("entity", id=node)
    _ok(at)
    assert "Citation check" in [s.value for s in at.subheader]
    text = _html(at) + " ".join(c.value for c in at.caption)
    assert words in text


def test_the_sheet_html_shows_text_from_the_graph_as_text():
    from kg.sheets import Block, Citation, Footer, Item, Section, Sheet

    cite = Citation(pub_id="PMID:1", key="x<2020>", text="<script>alert(1)</script>",
                    short="X", url="https://doi.org/10.1/<x>", locator="Table <2>",
                    source_kind="journal abstract")
    item = Item(kind="claim", id="claim:<x>", text="<b>bold</b>", detail="d & e",
                quote="“<i>q</i>”", citation=cite)
    sheet = Sheet(title="<h1>T</h1>", summary="s", notice="n", drug=("d", "d"), prior=(),
                  alterations=(), sections=(Section(key="k", title="1. K", intro="i", blocks=(
                      Block("B", items=(item,)),)),), works=(),
                  footer=Footer({}, "python -m kg prep", "fp", "b", "none"))
    html = sheet_html(sheet)
    for raw in ("<script>", "<b>bold</b>", "<i>q</i>", "<h1>T</h1>", "x<2020>", "Table <2>"):
        assert raw not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'href="entity?id=claim%3A%3Cx%3E"' in html
