"""How pages lay out: the app's stylesheet (phone, print, toolbars) and plain HTML tables.

Nothing here imports Streamlit, so tests can check the markup directly. `STYLE` is added
once per run by ``app.py``. Pages show wide-screen-only and phone-only variants of a view
in containers keyed `WIDE` and `NARROW` (Streamlit gives a keyed container the CSS class
``st-key-<key>``); the stylesheet shows one or the other by the screen's width, and the
print stylesheet prints the phone variant (plain HTML prints; a canvas grid does not).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["STYLE", "STYLE_IN_HEAD", "WIDE", "NARROW", "PHONE_MAX", "BLANK", "cell_text",
           "table_html"]

#: Container keys (prefixes) of the wide-only and phone-only variants of a view.
WIDE, NARROW = "kg_wide", "kg_narrow"
#: Widest screen, in CSS pixels, that gets the phone layout.
PHONE_MAX = 640
#: True once ``serve.py`` (``make run``) puts `STYLE` in the index page's head
#: (`app_pages._base_url`); ``app.py`` then does not add it as an element.
STYLE_IN_HEAD = False
#: What an empty table cell shows.
BLANK = "-"

STYLE = f"""<style>
/* -- every width -------------------------------------------------------------------- */
.block-container {{ padding-top: 3rem; padding-left: 2.5rem; padding-right: 2.5rem; }}
table.kg-table {{ width: 100%; border-collapse: collapse; font-size: 0.86rem;
  line-height: 1.35; margin: 0.2rem 0 0.8rem 0; }}
table.kg-table th, table.kg-table td {{ border-bottom: 1px solid rgba(128,128,128,0.25);
  padding: 0.28rem 0.45rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }}
table.kg-table th {{ font-weight: 600; background: rgba(128,128,128,0.08); }}
table.kg-table td.kg-num {{ white-space: nowrap; }}
table.kg-table td small {{ color: #666; }}
small.kg-src {{ display: block; }}
/* a trial's figures looked for and not entered (app_pages/_figures.not_entered_html) */
div.kg-gap {{ font-size: 0.85em; color: #555; margin: -0.3em 0 0.8em 0; }}
small.kg-kind {{ color: #888; }}
/* a claim's parts, one line each (app_pages/_cards.claim_html) */
div.kg-claim > b, div.kg-claim > small, div.kg-claim > details {{ display: block; }}
div.kg-scroll {{ overflow-x: auto; max-width: 100%; }}
/* parts of a long page below its first screen (app_pages/_cards.later_html): laid out and
   painted when scrolled near; until then they hold the height they last had */
div.kg-later {{ content-visibility: auto; contain-intrinsic-size: auto 30rem; }}
/* the page bar (app_pages/_style.nav_html): one line of links, the current page underlined */
nav.kg-nav {{ display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; align-items: baseline;
  font-size: 0.95rem; padding: 0 0 0.45rem 0; border-bottom: 1px solid rgba(49,51,63,0.15); }}
nav.kg-nav a {{ color: inherit !important; text-decoration: none; white-space: nowrap;
  padding: 0.1rem 0; }}
nav.kg-nav a:hover {{ color: #ff4b4b !important; }}
nav.kg-nav a[aria-current="page"] {{ font-weight: 600; border-bottom: 2px solid #ff4b4b; }}
/* the settings' link under the bar, and the links that draw a panel on request (open=...) */
p.kg-settings {{ margin: 0.45rem 0 0 0; font-size: 0.9rem; }}
p.kg-settings a, p.kg-open a {{ display: inline-block; color: inherit !important;
  text-decoration: none; border: 1px solid rgba(49,51,63,0.2); border-radius: 0.5rem;
  padding: 0.2rem 0.7rem; }}
p.kg-settings a:hover, p.kg-open a:hover {{ border-color: #ff4b4b; color: #ff4b4b !important; }}
p.kg-open {{ margin: 0.8rem 0 0 0; font-size: 0.9rem; }}
/* a form of one text box (app_pages/_cards.form_html), like Streamlit's text input */
form.kg-form {{ margin: 0 0 0.8rem 0; }}
form.kg-form label {{ display: block; font-size: 0.875rem; margin-bottom: 0.25rem; }}
div.kg-form-row {{ display: flex; gap: 0.5rem; }}
form.kg-form input[type="search"] {{ flex: 1; min-width: 0; font: inherit; color: inherit;
  padding: 0.45rem 0.75rem; border: 1px solid transparent; border-radius: 0.5rem;
  background: #f0f2f6; }}
form.kg-form input[type="search"]:focus {{ outline: none; border-color: #ff4b4b; }}
form.kg-form button {{ font: inherit; color: inherit; padding: 0.4rem 1rem; cursor: pointer;
  border: 1px solid rgba(49,51,63,0.2); border-radius: 0.5rem; background: #fff; }}
form.kg-form button:hover {{ border-color: #ff4b4b; color: #ff4b4b; }}
/* a page's views, one shown at a time (the trials page's figures: view=...) */
p.kg-views {{ margin: 1.2rem 0 0 0; padding-bottom: 0.35rem; font-size: 1.02rem;
  border-bottom: 1px solid rgba(49,51,63,0.15); }}
/* sections drawn as one st.html each (app_pages/_cards.section): Streamlit's own sizes */
h1.kg-page-title {{ font-size: 2.75rem; font-weight: 700; line-height: 1.2; margin: 0;
  padding: 1.25rem 0 1rem 0; }}
h3.kg-h {{ font-size: 1.5rem; font-weight: 600; line-height: 1.2; margin: 0;
  padding: 1rem 0 0.5rem 0; }}
h4.kg-h {{ font-size: 1.25rem; font-weight: 600; line-height: 1.2; margin: 0;
  padding: 0.75rem 0 0.5rem 0; }}
p.kg-caption {{ font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); margin: 0 0 0.5rem 0; }}
div.kg-head {{ display: grid; grid-template-columns: minmax(0, 4fr) minmax(0, 1fr);
  gap: 1rem; margin-bottom: 0.5rem; }}
div.kg-drawn {{ max-height: 560px; overflow-y: auto; font-size: 0.9rem; }}
div.kg-note {{ background: rgba(28, 131, 225, 0.1); color: rgb(0, 66, 128);
  border-radius: 0.5rem; padding: 0.75rem 1rem; margin: 0.2rem 0 0.8rem 0; }}
div.kg-card {{ border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  padding: 0.75rem 1rem; margin: 0 0 0.6rem 0; }}
/* what changed: one list per kind */
ul.kg-changes {{ padding-left: 1.1em; }}
ul.kg-changes li {{ margin-bottom: 0.45em; }}
/* home: counts by label, entity lists in columns */
div.kg-counts {{ display: flex; flex-wrap: wrap; gap: 0.5rem 1.4rem; margin: 0.2rem 0 0.6rem 0; }}
div.kg-count-n {{ font-size: 1.9rem; line-height: 1.1; }}
div.kg-count-label {{ font-size: 0.85rem; color: #555; }}
div.kg-columns {{ display: grid; grid-template-columns: repeat(4, minmax(0, 1fr));
  gap: 1rem; font-size: 0.92rem; }}
/* the resistance matrix: header row and first column stay while it scrolls */
div.kg-matrix-wrap {{ overflow: auto; max-height: 72vh; margin: 0.4rem 0 0.6rem 0;
  border: 1px solid rgba(128,128,128,0.3); }}
table.kg-matrix {{ border-collapse: separate; border-spacing: 0; font-size: 0.8rem; }}
table.kg-matrix th, table.kg-matrix td {{ padding: 0.25rem 0.4rem; text-align: left;
  vertical-align: top; border-bottom: 1px solid rgba(128,128,128,0.2);
  border-right: 1px solid rgba(128,128,128,0.12); min-width: 6rem; max-width: 12rem; }}
table.kg-matrix td {{ color: #999; }}
table.kg-matrix td span {{ white-space: nowrap; }}
table.kg-matrix td small {{ font-size: 0.72rem; line-height: 1.15; display: inline-block; }}
table.kg-matrix td a {{ color: #222 !important; text-decoration: none; }}
table.kg-matrix thead th {{ position: sticky; top: 0; z-index: 2; background: #f4f4f6; }}
table.kg-matrix th.kg-sticky {{ position: sticky; left: 0; z-index: 1; background: #fff;
  min-width: 9rem; max-width: 15rem; font-weight: 400; }}
table.kg-matrix thead th.kg-sticky {{ z-index: 3; background: #f4f4f6; font-weight: 600; }}
table.kg-matrix td.kg-resistant {{ background: #f8d0d0; }}
table.kg-matrix td.kg-sensitive {{ background: #d3efd3; }}
table.kg-matrix td.kg-conflicting {{ background: #ffe7a3; }}
table.kg-matrix td.kg-inconclusive {{ background: #e6e6e6; }}
table.kg-matrix td.kg-inh {{ font-style: italic; }}
table.kg-matrix td.kg-inh.kg-resistant {{ background: #fcecec; }}
table.kg-matrix td.kg-inh.kg-sensitive {{ background: #eef8ee; }}
table.kg-matrix td.kg-inh.kg-conflicting {{ background: #fff5d6; }}
table.kg-matrix td.kg-inh.kg-inconclusive {{ background: #f4f4f4; }}
table.kg-matrix td.kg-sel {{ outline: 2px solid #333; outline-offset: -2px; }}
/* charts (app_pages/_charts.py): a label line, then the value and its mark on the axis */
.kg-chart {{ --val: 11.5rem; font-size: 0.86rem; margin: 0.3rem 0 1rem 0; }}
.kg-rows {{ position: relative; }}
.kg-row {{ padding: 0.12rem 0; }}
.kg-label {{ font-size: 0.82rem; line-height: 1.25; color: #333; }}
.kg-line {{ display: flex; align-items: center; gap: 0.6rem; min-height: 1.25rem; }}
.kg-val {{ flex: 0 0 var(--val); font-weight: 600; color: inherit !important;
  text-decoration: none; overflow-wrap: anywhere; line-height: 1.2; }}
.kg-plot {{ position: relative; flex: 1 1 auto; height: 1.25rem; }}
.kg-pt {{ position: absolute; top: 50%; width: 0.62rem; height: 0.62rem; z-index: 2;
  transform: translate(-50%, -50%); }}
.kg-ci {{ position: absolute; top: 50%; height: 2px; transform: translateY(-50%);
  z-index: 1; }}
.kg-overlay {{ position: absolute; top: 0; bottom: 0; right: 0; pointer-events: none;
  left: calc(var(--val) + 0.6rem); }}
.kg-grid {{ position: absolute; top: 0; bottom: 0;
  border-left: 1px solid rgba(128,128,128,0.2); }}
.kg-one {{ position: absolute; top: 0; bottom: 0; border-left: 1px dashed #555; }}
.kg-axis .kg-plot {{ border-top: 1px solid #888; height: 1.3rem; }}
.kg-tick {{ position: absolute; top: 0.1rem; transform: translateX(-50%); font-size: 0.74rem;
  color: #555; }}
.kg-title {{ font-size: 0.8rem; color: #555; padding-left: calc(var(--val) + 0.6rem); }}
.kg-legend {{ font-size: 0.8rem; color: #555; padding-left: calc(var(--val) + 0.6rem); }}
.kg-key > span {{ display: inline-block; width: 0.7rem; height: 0.7rem; margin: 0 0.25rem 0 0;
  vertical-align: -0.05rem; }}
.kg-key {{ margin-right: 0.8rem; white-space: nowrap; }}
/* A table's or chart's toolbar (search, download, full screen) sits in a strip of its own
   above it instead of over the control above it. */
[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]),
[data-testid="stElementContainer"]:has([data-testid="stVegaLiteChart"]) {{
  padding-top: 2.8rem; }}
[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])
  [data-testid="stElementToolbar"],
[data-testid="stElementContainer"]:has([data-testid="stVegaLiteChart"])
  [data-testid="stElementToolbar"] {{ top: -2.8rem !important; }}
/* -- phone ---------------------------------------------------------------------------- */
@media (max-width: {PHONE_MAX}px) {{
  .block-container {{ padding-left: 0.75rem; padding-right: 0.75rem; padding-top: 3.2rem; }}
  h1 {{ font-size: 1.7rem !important; }}
  [class*="st-key-{WIDE}"] {{ display: none !important; }}
  /* a table becomes one card per row, each cell labelled: nothing scrolls sideways */
  table.kg-table {{ font-size: 0.84rem; }}
  table.kg-table thead {{ display: none; }}
  table.kg-table tr {{ display: block; padding: 0.35rem 0;
    border-bottom: 1px solid rgba(128,128,128,0.35); }}
  table.kg-table td {{ display: block; border: none; padding: 0.05rem 0.2rem;
    white-space: normal !important; }}
  table.kg-table td::before {{ content: attr(data-label) ": "; font-weight: 600;
    color: #555; }}
  .kg-chart {{ --val: 8.6rem; }}
  /* the page bar scrolls sideways on one line instead of taking five */
  nav.kg-nav {{ flex-wrap: nowrap; overflow-x: auto; gap: 1rem; font-size: 0.9rem; }}
  div.kg-columns {{ grid-template-columns: repeat(2, minmax(0, 1fr)); }}
  div.kg-head {{ grid-template-columns: minmax(0, 1fr); gap: 0.3rem; }}
  table.kg-matrix th.kg-sticky {{ min-width: 6.5rem; max-width: 8rem; }}
  table.kg-matrix th, table.kg-matrix td {{ min-width: 4.6rem; max-width: 7rem;
    padding: 0.2rem 0.3rem; }}
  .kg-val {{ font-size: 0.8rem; }}
  .kg-title, .kg-legend {{ padding-left: 0; }}
}}
@media (min-width: {PHONE_MAX + 1}px) {{
  [class*="st-key-{NARROW}"] {{ display: none !important; }}
}}
/* -- print: the content only ------------------------------------------------------------ */
@media print {{
  [data-testid="stSidebar"], [data-testid="stHeader"], header,
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpandSidebarButton"], [data-testid="stBaseButton-header"],
  .stTextInput, .stSelectbox, .stMultiSelect, .stRadio, .stDateInput, .stNumberInput,
  .stSlider, .stSelectSlider, .stButton, .stDownloadButton, .stFormSubmitButton,
  .stPageLink, .stPills, .stCheckbox, .stPopover, [data-testid="stForm"], iframe, nav.kg-nav,
  p.kg-settings, p.kg-open, [class*="st-key-kg_open_"], form.kg-form,
  [class*="st-key-{WIDE}"] {{ display: none !important; }}
  [class*="st-key-{NARROW}"] {{ display: block !important; }}
  .block-container {{ padding: 0 !important; max-width: 100% !important; }}
  [data-testid="stMain"], [data-testid="stAppViewContainer"] {{ overflow: visible !important; }}
  a {{ color: inherit !important; }}
  div.kg-scroll {{ overflow: visible; }}
  div.kg-later {{ content-visibility: visible; }}
  div.kg-matrix-wrap {{ overflow: visible; max-height: none; border: none; }}
  table.kg-matrix {{ font-size: 7pt; }}
  table.kg-matrix th.kg-sticky, table.kg-matrix thead th {{ position: static; }}
  table.kg-table {{ font-size: 9pt; page-break-inside: auto; }}
  table.kg-table tr {{ page-break-inside: avoid; }}
}}
</style>"""


def cell_text(value: Any) -> str:
    """Return what a table cell shows: the value as text, `BLANK` when it is empty.

    Parameters
    ----------
    value : object
        None, '', NaN and empty lists are empty; a list is joined with commas.

    Returns
    -------
    str

    Examples
    --------
    >>> cell_text(None), cell_text(""), cell_text(float("nan")), cell_text(["a", "b"])
    ('-', '-', '-', 'a, b')
    >>> cell_text(0)
    '0'
    """
    if value is None or (isinstance(value, float) and value != value):
        return BLANK
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    text = str(value).strip()
    return text if text and text not in ("None", "nan") else BLANK


def table_html(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *,
               html_columns: Sequence[str] = (), nowrap: Sequence[str] = (),
               caption: str = "") -> str:
    """Return rows as an HTML table that wraps its text (it never scrolls sideways at 1280 px;
    on a phone each row becomes a card of labelled cells).

    Every value is escaped and shown with `cell_text` (blank cells show "-"), except the
    values of `html_columns`, which the caller has built from escaped parts (links).

    Parameters
    ----------
    rows : iterable of mapping
        One mapping per row, keyed by column name.
    columns : sequence of str
        The columns, in order (also the headers).
    html_columns : sequence of str
        Columns whose values are markup already (e.g. an ``<a>``); empty shows "-".
    nowrap : sequence of str
        Columns kept on one line (figures as published).
    caption : str
        Text of a ``<caption>`` (escaped), or ''.

    Returns
    -------
    str
        ``<div class="kg-scroll"><table class="kg-table">...</table></div>``.

    Examples
    --------
    >>> out = table_html([{"a": "<b>", "b": None}], ["a", "b"])
    >>> '<td data-label="a">&lt;b&gt;</td><td data-label="b">-</td>' in out
    True
    """
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            text = (v if v else BLANK) if c in html_columns else html.escape(cell_text(v))
            cls = ' class="kg-num"' if c in nowrap else ""
            cells.append(f'<td data-label="{html.escape(c)}"{cls}>{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<div class="kg-scroll"><table class="kg-table">{cap}<thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table></div>')
