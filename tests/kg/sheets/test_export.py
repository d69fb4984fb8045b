"""kg.sheets.export: Markdown, JSON, BibTeX and PDF say the same thing, every item cited."""

from __future__ import annotations

import dataclasses
import io
import re

import bibtexparser
import pytest
from pypdf import PdfReader

from kg import views as V
from kg.schema.errors import ExportError
from kg.sheets import (
    Block,
    Citation,
    Footer,
    Item,
    Section,
    Sheet,
    prep_sheet,
    render,
    sheet_from_json,
    to_bibtex,
    to_json,
    to_markdown,
    to_pdf,
)
from kg.sheets import export as R


@pytest.fixture(scope="module")
def sheet(store) -> Sheet:  # noqa: ANN001
    """The G1202R scenario with an unknown alteration and a basket."""
    return prep_sheet(V.store_runner(store), scenario={
        "drug": "alectinib", "prior": ["crizotinib"], "progression": "extracranial",
        "pattern": "oligoprogression", "lesions": 2, "alterations": ["G1202R", "ZZZ9 Q999X"],
        "sample": "tissue"}, basket=["NCT02604342/outcome/ic-orr-final-alectinib"],
        graph_version=store.graph_version(), built_at="2026-01-01T00:00:00Z")


@pytest.fixture(scope="module")
def pdf_text(sheet) -> str:  # noqa: ANN001
    reader = PdfReader(io.BytesIO(to_pdf(sheet)))
    return "\n".join(p.extract_text() for p in reader.pages)


def _flat(text: str) -> str:
    """Text without whitespace (a PDF wraps lines wherever it likes)."""
    return re.sub(r"\s+", "", text)


def test_markdown_cites_every_item_and_keeps_the_footer(sheet):
    md = to_markdown(sheet)
    assert md.startswith("# Tumour-board evidence sheet: progression on alectinib")
    assert "does not rank treatments or recommend one" in md
    for item in sheet.items:
        assert f"[`{item.citation.key}`]" in md
        assert R.md_escape(item.citation.locator) in md
    assert "“ZZZ9 Q999X” → **not found in the graph**" in md
    assert f"Graph fingerprint: `{sheet.footer.graph_version}`" in md
    assert "Evidence as of: none (all evidence in the graph)" in md
    assert f"Command: `{sheet.footer.command}`" in md
    assert sheet.footer.command.endswith("--add NCT02604342/outcome/ic-orr-final-alectinib")


def test_markdown_shows_text_from_the_graph_as_text():
    cite = Citation(pub_id="PMID:1", key="x2020", text="X. *T*.", short="X 2020", url=None,
                    locator="Table [2]", source_kind="journal abstract")
    item = Item(kind="claim", id="c", text="<b>bold</b> _claim_", detail="d", quote="a|b `c`",
                citation=cite)
    sheet = Sheet(title="T", summary="s", notice="n", drug=("d", "d"), prior=(),
                  alterations=(), sections=(Section(key="k", title="1. K", intro="i",
                                                    blocks=(Block("B", items=(item,)),)),),
                  works=(), footer=Footer({}, "python -m kg prep", "fp", "b", "none"))
    md = to_markdown(sheet)
    assert r"\<b\>bold\</b\> \_claim\_" in md and r"a\|b \`c\`" in md
    assert r"X. \*T\*. [`x2020`] · locator: Table \[2\]" in md
    assert "<b>" not in md


def test_json_reads_back_as_the_same_sheet(sheet):
    text = to_json(sheet)
    assert text.startswith('{\n  "format": "alk-kg-prep-sheet/1"')
    assert sheet_from_json(text) == sheet
    with pytest.raises(ExportError):
        sheet_from_json('{"format": "something else"}')
    with pytest.raises(ExportError):
        sheet_from_json("not json")


def test_bibtex_parses_back_with_exactly_the_cited_works(sheet):
    lib = bibtexparser.parse_string(to_bibtex(sheet))
    assert not lib.failed_blocks
    keys = [e.key for e in lib.entries]
    cited = {i.citation.key for i in sheet.items} | {
        w.citation.key for i in sheet.items for w in i.checks}
    assert len(keys) == len(set(keys)) and set(keys) == cited
    for e in lib.entries:
        assert e.fields_dict["title"].value
    assert "lorviqua2026smpc" in keys and "wolf2022alur" in keys  # label; basket figure


def test_the_pdf_text_holds_the_citations(sheet, pdf_text):
    flat = _flat(pdf_text)
    assert _flat(sheet.title) in flat
    assert _flat("It does not rank treatments or recommend one") in flat
    for item in sheet.items:
        assert _flat(f"[{item.citation.key}]") in flat, item.citation.key
        assert _flat(item.citation.source_kind) in flat
    label = next(i for i in sheet.items if i.id == "claim:lorviqua-smpc-g1202r-lorlatinib")
    assert _flat(label.quote) in flat  # the verbatim quote, non-breaking hyphens and all
    assert _flat("“ZZZ9 Q999X” → not found in the graph") in flat
    assert _flat(f"graph {sheet.footer.graph_version}") in flat
    assert _flat(sheet.footer.command) in flat


def test_render_dispatches_and_refuses_unknown_formats(sheet):
    assert render(sheet, "markdown") == to_markdown(sheet)
    assert render(sheet, "bibtex") == to_bibtex(sheet)
    assert isinstance(render(sheet, "pdf"), bytes)
    with pytest.raises(ExportError, match="format: expected one of"):
        render(sheet, "docx")


def test_a_pdf_without_its_font_is_a_named_error(sheet, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_PDF_FONT_DIR", str(tmp_path))
    monkeypatch.setattr(R, "FONT_DIRS", (tmp_path / "none",))
    with pytest.raises(ExportError, match="fonts-dejavu-core"):
        to_pdf(sheet)


def test_a_sheet_is_plain_frozen_data(sheet):
    assert dataclasses.is_dataclass(sheet)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sheet.title = "x"  # type: ignore[misc]
