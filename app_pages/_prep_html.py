"""The tumour-board sheet as HTML for the ``/prep`` page, and the page's print stylesheet.

Nothing here imports Streamlit, so tests can render a sheet directly. Every value from the
graph goes through `html.escape`: a quote is shown as text, never as markup. Items link to
their claim or figure page in the browser and to their source outside it.
"""

from __future__ import annotations

import html

from app_pages._style import entity_href
from kg.sheets import Citation, Item, Sheet

__all__ = ["PRINT_CSS", "SCREEN_CSS", "sheet_html"]

#: Printing the page prints the sheet only: no page bar, sidebar, header, controls or buttons.
PRINT_CSS = """
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], .st-key-prep_intro, .st-key-prep_controls,
  .st-key-prep_downloads,
  .st-key-prep_basket_box, [data-testid="stAlert"], button { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], .block-container {
    padding: 0 !important; margin: 0 !important; max-width: 100% !important; }
  .prep-sheet { font-size: 10pt; color: #000; }
  .prep-sheet h2 { break-after: avoid; }
  .prep-sheet .prep-item { break-inside: avoid; }
  .prep-sheet a { color: #000; text-decoration: none; }
  .prep-sheet a.ext::after { content: " <" attr(href) ">"; font-size: 8pt; }
}
"""
SCREEN_CSS = """
.prep-sheet .prep-notice { background: #fff3d6; border-left: 4px solid #b35900;
  padding: 0.5em 0.8em; font-weight: 600; margin: 0.5em 0 1em; }
.prep-sheet .prep-item { margin: 0.35em 0 0.8em 0.4em; padding-left: 0.6em;
  border-left: 3px solid #ddd; }
.prep-sheet .prep-detail, .prep-sheet .prep-source { font-size: 0.86em; color: #444; }
.prep-sheet .prep-quote { font-style: italic; font-size: 0.9em; margin: 0.15em 0; }
.prep-sheet .prep-check { font-size: 0.84em; margin-top: 0.2em; }
.prep-sheet .prep-flag { color: #b3261e; font-weight: 700; }
.prep-sheet .prep-ok { color: #1a7f37; font-weight: 700; }
.prep-sheet .prep-na { color: #666; font-weight: 700; }
.prep-sheet .prep-intro { font-size: 0.88em; color: #555; font-style: italic; }
.prep-sheet .prep-footer { font-size: 0.85em; color: #444; border-top: 1px solid #ccc;
  margin-top: 1.2em; padding-top: 0.5em; }
"""


def _e(x: object) -> str:
    return html.escape(str(x if x is not None else ""))


def _ext(url: str | None, text: str) -> str:
    if not url:
        return ""
    return (f'<a class="ext" href="{_e(url)}" target="_blank" rel="noopener noreferrer">'
            f"{_e(text)}</a>")


def _cite(c: Citation) -> str:
    ref = (f'<a href="{_e(entity_href(c.pub_id))}">{_e(c.text)}</a>'
           if c.pub_id else _e(c.text or "no work recorded"))
    parts = [ref + (f" <code>{_e(c.key)}</code>" if c.key else "")]
    if c.locator:
        parts.append(f"<b>locator:</b> {_e(c.locator)}")
    if c.source_kind:
        parts.append(f"<b>source kind:</b> {_e(c.source_kind)}")
    if c.url:
        parts.append(_ext(c.url, "DOI / PubMed / link"))
    if c.record_url and c.record_url != c.url:
        parts.append(_ext(c.record_url, "where it was read"))
    return " · ".join(parts)


def _item(it: Item) -> str:
    page = entity_href(it.id)
    kind = "claim" if it.kind == "claim" else "figure"
    out = [f'<div class="prep-item"><b><a href="{_e(page)}">{_e(it.text)}</a>'
           f"</b> <small>({kind})</small>"
           + (f" <i>{_e(it.via)}</i>" if it.via else ""),
           f'<div class="prep-detail">{_e(it.detail)}</div>']
    if it.quote:
        out.append(f'<div class="prep-quote">“{_e(it.quote)}”</div>')
    out.append(f'<div class="prep-source">{_cite(it.citation)}</div>')
    if it.conflicts:
        out.append(f'<div class="prep-detail"><b style="color:#b35900">Conflicting evidence:'
                   f"</b> {_e('; '.join(it.conflicts))}</div>")
    for w in it.checks:
        cls = {"not stated": "prep-flag", "supported": "prep-ok"}.get(w.verdict, "prep-na")
        lines = "".join(f"<li>{_e(x)}{' <b>← supports</b>' if x in w.supporting else ''}</li>"
                        for x in w.reports)
        out.append(f'<div class="prep-check">Citation check, {_e(w.citation.short)} '
                   f"<code>{_e(w.citation.key)}</code>: <span class='{cls}'>"
                   f"{_e(w.verdict_text)}</span>. What it reports in the graph:"
                   + (f"<ul>{lines}</ul>" if lines else " nothing.") + "</div>")
    out.append("</div>")
    return "".join(out)


def sheet_html(sheet: Sheet) -> str:
    """Return the whole sheet as HTML (every value escaped).

    Parameters
    ----------
    sheet : kg.sheets.Sheet
        The sheet.

    Returns
    -------
    str
        A ``<div class="prep-sheet">`` with the title, scenario, notice, sections and footer.
    """
    out = [f'<div class="prep-sheet"><h1>{_e(sheet.title)}</h1>',
           f"<p><b>Scenario:</b> {_e(sheet.summary)}</p>",
           f'<div class="prep-notice">{_e(sheet.notice)}</div>']
    if sheet.alterations:
        out.append("<p><b>Alterations as entered:</b></p><ul>" + "".join(
            f"<li>“{_e(a.text)}” → <a href=\"{_e(entity_href(a.node_id))}\">"
            f"{_e(a.name)}</a> <small>({_e(a.label)}, {_e(a.matched)} match)</small></li>"
            if a.node_id else f"<li>“{_e(a.text)}” → <b>not found in the graph</b></li>"
            for a in sheet.alterations) + "</ul>")
    for s in sheet.sections:
        out.append(f'<h2 id="prep-{_e(s.key)}">{_e(s.title)}</h2>'
                   f'<p class="prep-intro">{_e(s.intro)}</p>')
        for b in s.blocks:
            out.append(f"<h{4 if b.depth else 3}>{_e(b.title)}</h{4 if b.depth else 3}>")
            if b.note:
                out.append(f'<p class="prep-intro">{_e(b.note)}</p>')
            out += [_item(i) for i in b.items]
            if b.lines:
                out.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in b.lines) + "</ul>")
    f = sheet.footer
    out.append(f'<div class="prep-footer"><b>To rebuild this sheet</b><br>'
               f"Command: <code>{_e(f.command)}</code><br>"
               f"Graph fingerprint <code>{_e(f.graph_version)}</code>, built {_e(f.built_at)}"
               f" · evidence as of: {_e(f.as_of)} · {len(sheet.works)} works cited</div>")
    out.append("</div>")
    return "\n".join(out)
