"""A tumour-board sheet as Markdown, JSON, BibTeX and PDF.

Each renderer takes the `Sheet` that `kg.sheets.build.prep_sheet` made and nothing else, so
the four files always say the same thing:

* `to_markdown` -- text from the graph is escaped, so a quote never turns into markup;
* `to_json` and its reader `sheet_from_json` (a round trip: same sheet back);
* `to_bibtex` -- exactly the works the sheet cites (items and citation checks), one entry
  each, written by `kg.exports.bibtex_entry`; its reader is any BibTeX parser
  (``bibtexparser`` in the tests);
* `to_pdf` -- fpdf2, a maintained pure-Python PDF library, with the DejaVu Sans fonts
  (Debian ``fonts-dejavu-core``) so every character of a verbatim quote prints as
  published. A PDF has no reader here: its text is checked by extraction in the tests.

Every item carries its citation (reference and key), locator and source kind in every
format; the footer records the scenario, the command that rebuilds the sheet, the graph's
fingerprint and build date and the as-of date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from kg.schema.errors import ExportError
from kg.sheets.model import (
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

__all__ = ["FORMATS", "JSON_FORMAT", "FONT_DIRS", "render", "to_markdown", "to_json",
           "sheet_from_json", "to_bibtex", "to_pdf", "md_escape"]

FORMATS = ("markdown", "pdf", "json", "bibtex")
JSON_FORMAT = "alk-kg-prep-sheet/1"
#: Where the PDF looks for DejaVu Sans (``$KG_PDF_FONT_DIR`` first).
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def render(sheet: Sheet, fmt: str) -> str | bytes:
    """Return the sheet in one of `FORMATS` (bytes for PDF, text otherwise).

    Parameters
    ----------
    sheet : Sheet
        From `kg.sheets.build.prep_sheet`.
    fmt : {'markdown', 'pdf', 'json', 'bibtex'}
        The format.

    Returns
    -------
    str or bytes

    Raises
    ------
    ExportError
        An unknown format, or no font for the PDF.
    """
    if fmt == "markdown":
        return to_markdown(sheet)
    if fmt == "json":
        return to_json(sheet)
    if fmt == "bibtex":
        return to_bibtex(sheet)
    if fmt == "pdf":
        return to_pdf(sheet)
    raise ExportError(f"format: expected one of {', '.join(FORMATS)}, not {fmt!r}")


# -- Markdown -----------------------------------------------------------------------------
def md_escape(text: Any) -> str:
    """Escape the characters Markdown would read as markup.

    Parameters
    ----------
    text : object
        Text from the graph (None gives '').

    Returns
    -------
    str

    Examples
    --------
    >>> md_escape("4%–5% of *all* [1] <b>")
    '4%–5% of \\\\*all\\\\* \\\\[1\\\\] \\\\<b\\\\>'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text if text is not None else "")).replace("\n", " ")


def _md_url(url: str | None) -> str:
    if not url:
        return ""
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def _md_citation(c: Citation) -> str:
    parts = [f"{md_escape(c.text)} [`{c.key}`]" if c.key else md_escape(c.text or "no work")]
    if c.locator:
        parts.append(f"locator: {md_escape(c.locator)}")
    if c.source_kind:
        parts.append(md_escape(c.source_kind))
    if c.url:
        parts.append(_md_url(c.url))
    if c.record_url and c.record_url != c.url:
        parts.append(f"read at {_md_url(c.record_url)}")
    return " · ".join(parts)


def _md_item(item: Item) -> list[str]:
    head = f"- **{md_escape(item.text)}**" + (f" — *{md_escape(item.via)}*" if item.via else "")
    out = [head + "  ", f"  {md_escape(item.detail)}  "]
    if item.quote:
        out.append(f"  “{md_escape(item.quote)}”  ")
    out.append(f"  Source: {_md_citation(item.citation)}  ")
    if item.conflicts:
        out.append(f"  **Conflicting evidence:** {md_escape('; '.join(item.conflicts))}  ")
    for w in item.checks:
        out.append(f"  Citation check, {md_escape(w.citation.short)} [`{w.citation.key}`]: "
                   f"**{md_escape(w.verdict_text)}**. What it reports in the graph:"
                   + ("" if w.reports else " nothing."))
        for line in w.reports:
            mark = " ← supports" if line in w.supporting else ""
            out.append(f"    - {md_escape(line)}{mark}")
    out[-1] = out[-1].rstrip()
    return out


def to_markdown(sheet: Sheet) -> str:
    """Write the sheet as Markdown (text from the graph escaped).

    Parameters
    ----------
    sheet : Sheet
        The sheet to write as Markdown.

    Returns
    -------
    str
        Headings per section and block, one list entry per item with its detail line,
        quote, source (reference, key, locator, source kind, link), conflicts and citation
        check; then the footer.
    """
    out = [f"# {md_escape(sheet.title)}", "", f"**Scenario:** {md_escape(sheet.summary)}", "",
           f"> **{md_escape(sheet.notice)}**", ""]
    if sheet.alterations:
        out.append("**Alterations as entered:**")
        out.append("")
        for a in sheet.alterations:
            if a.node_id:
                via = (f"; inherits from {md_escape(', '.join(n for _, n in a.via))}"
                       if a.via else "")
                out.append(f"- “{md_escape(a.text)}” → {md_escape(a.name)} (`{a.node_id}`, "
                           f"{md_escape(a.matched)} match{via})")
            else:
                out.append(f"- “{md_escape(a.text)}” → **not found in the graph**")
        out.append("")
    for s in sheet.sections:
        out += [f"## {md_escape(s.title)}", "", f"*{md_escape(s.intro)}*", ""]
        for b in s.blocks:
            out += [f"{'####' if b.depth else '###'} {md_escape(b.title)}", ""]
            if b.note:
                out += [f"*{md_escape(b.note)}*", ""]
            for item in b.items:
                out += _md_item(item)
            if b.items:
                out.append("")
            for line in b.lines:
                out.append(f"- {md_escape(line)}")
            if b.lines:
                out.append("")
    f = sheet.footer
    out += ["---", "", "**To rebuild this sheet**", "",
            f"- Scenario: `{json.dumps(f.scenario, ensure_ascii=False)}`",
            f"- Command: `{f.command}`",
            f"- Graph fingerprint: `{f.graph_version}`, built {md_escape(f.built_at)}",
            f"- Evidence as of: {md_escape(f.as_of)}",
            f"- Works cited: {len(sheet.works)} (BibTeX download)", ""]
    return "\n".join(out)


# -- JSON -------------------------------------------------------------------------------------
def to_json(sheet: Sheet) -> str:
    """Write the sheet as JSON (``format``: `JSON_FORMAT`, then every field).

    Parameters
    ----------
    sheet : Sheet
        The sheet to write as JSON.

    Returns
    -------
    str
        Indented JSON; `sheet_from_json` reads it back.
    """
    return json.dumps({"format": JSON_FORMAT, **asdict(sheet)}, ensure_ascii=False,
                      indent=2) + "\n"


_TYPES: dict[str, Any] = {"sections": Section, "blocks": Block, "items": Item,
                          "checks": CheckedWork, "citation": Citation, "works": Work,
                          "footer": Footer, "alterations": Alteration}


def _build(cls: Any, data: dict[str, Any]) -> Any:
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        sub = _TYPES.get(f.name)
        if sub is not None and isinstance(v, list):
            v = tuple(_build(sub, x) for x in v)
        elif sub is not None and isinstance(v, dict):
            v = _build(sub, v)
        elif isinstance(v, list):
            v = tuple(tuple(x) if isinstance(x, list) else x for x in v)
        kwargs[f.name] = v
    return cls(**kwargs)


def sheet_from_json(text: str) -> Sheet:
    """Read a sheet written by `to_json`.

    Parameters
    ----------
    text : str
        The JSON text.

    Returns
    -------
    Sheet
        Equal to the sheet that was written.

    Raises
    ------
    ExportError
        The text is not JSON, or not a sheet of `JSON_FORMAT`.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ExportError(f"not a JSON sheet: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ExportError(f"not a sheet of format {JSON_FORMAT!r}")
    data = {k: v for k, v in data.items() if k != "format"}
    for key in ("drug",):
        data[key] = tuple(data[key])
    sheet = _build(Sheet, data)
    return Sheet(**{**sheet.__dict__, "prior": tuple(tuple(p) for p in sheet.prior)})


# -- BibTeX -----------------------------------------------------------------------------------
def to_bibtex(sheet: Sheet) -> str:
    """Write exactly the works the sheet cites as BibTeX.

    Parameters
    ----------
    sheet : Sheet
        The sheet whose cited works are written.

    Returns
    -------
    str
        One entry per work of ``sheet.works``, keyed as the sheet cites it (the curated bib
        key, else a key made from the work's id), sorted by key.
    """
    from kg.exports import bibtex_entry

    return "\n".join(bibtex_entry(w.key, {k: v for k, v in w.props.items()
                                          if k not in ("search_text", "search_lower")})
                     for w in sheet.works)


# -- PDF ---------------------------------------------------------------------------------------
def _font_dir() -> Path:
    dirs = [Path(os.environ["KG_PDF_FONT_DIR"])] if os.environ.get("KG_PDF_FONT_DIR") else []
    for d in [*dirs, *FONT_DIRS]:
        if (d / "DejaVuSans.ttf").is_file():
            return d
    raise ExportError("the PDF needs the DejaVu Sans fonts (Debian package fonts-dejavu-core, "
                      f"looked in {', '.join(str(d) for d in [*dirs, *FONT_DIRS])}; or set "
                      "KG_PDF_FONT_DIR)")


def to_pdf(sheet: Sheet) -> bytes:
    """Lay the sheet out as an A4 PDF (fpdf2, DejaVu Sans).

    Parameters
    ----------
    sheet : Sheet
        The sheet to lay out as a PDF.

    Returns
    -------
    bytes
        The PDF. Every page's foot names the graph fingerprint, the as-of date and the page;
        the last part is the footer that rebuilds the sheet.

    Raises
    ------
    ExportError
        The DejaVu Sans fonts are missing.
    """
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    fonts = _font_dir()
    foot = (f"ALK+ NSCLC evidence graph · graph {sheet.footer.graph_version} · evidence as of "
            f"{sheet.footer.as_of}")

    class _PDF(FPDF):
        def footer(self) -> None:  # noqa: D102 - fpdf2's page-footer hook
            self.set_y(-12)
            self.set_font("dv", "", 7)
            self.set_text_color(120, 120, 120)
            self.cell(0, 5, f"{foot} · page {self.page_no()}/{{nb}}", align="C")

    pdf = _PDF(format="A4")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=16)
    for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"),
                        ("I", "DejaVuSans-Oblique.ttf"), ("BI", "DejaVuSans-BoldOblique.ttf")):
        path = fonts / name
        pdf.add_font("dv", style, str(path if path.is_file() else fonts / "DejaVuSans.ttf"))
    pdf.set_title(sheet.title)
    pdf.set_subject(sheet.summary)
    pdf.set_author("ALK+ NSCLC evidence graph")
    pdf.set_keywords(f"graph {sheet.footer.graph_version}")
    try:
        pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    except Exception:  # noqa: S110 - older/newer fpdf2 without it: the date is cosmetic
        pass
    pdf.add_page()

    def para(text: str, size: float = 9, style: str = "", indent: float = 0,
             colour: tuple[int, int, int] = (0, 0, 0), gap: float = 0.6,
             fill: tuple[int, int, int] | None = None) -> None:
        pdf.set_font("dv", style, size)
        pdf.set_text_color(*colour)
        pdf.set_x(pdf.l_margin + indent)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.multi_cell(pdf.epw - indent, size * 0.48, text, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT, fill=fill is not None, align="L")
        pdf.ln(gap)

    def cite(c: Citation) -> str:
        parts = [f"{c.text} [{c.key}]" if c.key else (c.text or "no work")]
        parts += [f"locator: {c.locator}" if c.locator else "", c.source_kind, c.url or "",
                  f"read at {c.record_url}" if c.record_url and c.record_url != c.url else ""]
        return "Source: " + " · ".join(p for p in parts if p)

    para(sheet.title, 15, "B", gap=1.5)
    para(f"Scenario: {sheet.summary}", 9.5, gap=1.5)
    para(sheet.notice, 9, "B", colour=(90, 40, 0), fill=(255, 243, 214), gap=2)
    if sheet.alterations:
        para("Alterations as entered: " + "; ".join(
            f"“{a.text}” → {a.name} ({a.node_id}, {a.matched} match)" if a.node_id
            else f"“{a.text}” → not found in the graph" for a in sheet.alterations), 9, gap=2)
    for s in sheet.sections:
        pdf.ln(1.5)
        para(s.title, 12.5, "B", colour=(20, 50, 110), gap=0.8)
        para(s.intro, 8.5, "I", colour=(80, 80, 80), gap=1.5)
        for b in s.blocks:
            ind = 4.0 if b.depth else 0.0
            para(b.title, 10 if b.depth else 10.5, "B", indent=ind, gap=0.4)
            if b.note:
                para(b.note, 8.5, "I", indent=ind, colour=(70, 70, 70))
            for item in b.items:
                para(f"• {item.text}" + (f" — {item.via}" if item.via else ""), 9, "B",
                     indent=ind + 2, gap=0.2)
                para(item.detail, 8.5, indent=ind + 5, gap=0.2)
                if item.quote:
                    para(f"“{item.quote}”", 8.5, "I", indent=ind + 5, colour=(50, 50, 50),
                         gap=0.2)
                para(cite(item.citation), 8, indent=ind + 5, colour=(60, 60, 60), gap=0.2)
                if item.conflicts:
                    para("Conflicting evidence: " + "; ".join(item.conflicts), 8, "B",
                         indent=ind + 5, colour=(150, 70, 0), gap=0.2)
                for w in item.checks:
                    para(f"Citation check, {w.citation.short} [{w.citation.key}]: "
                         f"{w.verdict_text}. What it reports in the graph:"
                         + ("" if w.reports else " nothing."), 8, "B", indent=ind + 5,
                         colour=(150, 70, 0) if w.verdict == "not stated" else (30, 90, 30),
                         gap=0.2)
                    for line in w.reports:
                        para(f"– {line}" + (" ← supports" if line in w.supporting else ""),
                             7.5, indent=ind + 9, colour=(60, 60, 60), gap=0.1)
                pdf.ln(1.2)
            for line in b.lines:
                para(f"– {line}", 8.5, indent=ind + 2, gap=0.3)
            pdf.ln(0.8)
    f = sheet.footer
    pdf.ln(2)
    para("To rebuild this sheet", 10, "B", gap=0.5)
    for line in (f"Scenario: {json.dumps(f.scenario, ensure_ascii=False)}",
                 f"Command: {f.command}",
                 f"Graph fingerprint: {f.graph_version}, built {f.built_at}",
                 f"Evidence as of: {f.as_of}",
                 f"Works cited: {len(sheet.works)} ("
                 + ", ".join(w.key for w in sheet.works) + ")"):
        para(line, 8, colour=(60, 60, 60), gap=0.3)
    return bytes(pdf.output())
