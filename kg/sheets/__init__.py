"""Tumour-board sheets: from a patient's situation to a cited evidence sheet.

* `kg.sheets.scenario` -- the scenario and its checks (`Scenario`, `ScenarioError`);
* `kg.sheets.model` -- what a sheet is made of (plain frozen data);
* `kg.sheets.build` -- `prep_sheet`: the sheet built from named queries only;
* `kg.sheets.export` -- Markdown, JSON, BibTeX (exactly the works cited) and PDF;
* `kg.sheets.cli` -- ``python -m kg prep``.

No Streamlit here: the browser's ``/prep`` page (``app_pages/prep.py``) lays the same sheet
out and offers the same downloads. The design and a worked example: ``docs/prep.md``.
"""

from __future__ import annotations

from kg.sheets.build import (
    LETTER_KEY,
    SAMPLE_TERMS,
    SITE_CATEGORIES,
    SOURCE_KINDS,
    alk_inhibitors,
    cite_key,
    normalise_alteration,
    prep_sheet,
    source_kind_words,
)
from kg.sheets.export import (
    FORMATS,
    render,
    sheet_from_json,
    to_bibtex,
    to_json,
    to_markdown,
    to_pdf,
)
from kg.sheets.model import (
    NOTICE,
    Alteration,
    Block,
    CheckedWork,
    Citation,
    Footer,
    Item,
    Section,
    Sheet,
    Work,
)
from kg.sheets.scenario import PATTERNS, PROGRESSION_SITES, SAMPLES, Scenario, ScenarioError

__all__ = [
    "Scenario", "ScenarioError", "PROGRESSION_SITES", "PATTERNS", "SAMPLES",
    "NOTICE", "Citation", "CheckedWork", "Item", "Block", "Section", "Alteration", "Work",
    "Footer", "Sheet",
    "LETTER_KEY", "SITE_CATEGORIES", "SAMPLE_TERMS", "SOURCE_KINDS", "prep_sheet",
    "alk_inhibitors", "normalise_alteration", "cite_key", "source_kind_words",
    "FORMATS", "render", "to_markdown", "to_json", "sheet_from_json", "to_bibtex", "to_pdf",
]
