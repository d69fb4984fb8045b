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

__all__ = ["STYLE", "WIDE", "NARROW", "PHONE_MAX", "BLANK", "cell_text", "table_html"]

#: Container keys (prefixes) of the wide-only and phone-only variants of a view.
WIDE, NARROW = "kg_wide", "kg_narrow"
#: Widest screen, in CSS pixels, that gets the phone layout.
PHONE_MAX = 640
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
div.kg-scroll {{ overflow-x: auto; max-width: 100%; }}
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
  .stPageLink, .stPills, .stCheckbox, [data-testid="stForm"], iframe,
  [class*="st-key-{WIDE}"] {{ display: none !important; }}
  [class*="st-key-{NARROW}"] {{ display: block !important; }}
  .block-container {{ padding: 0 !important; max-width: 100% !important; }}
  [data-testid="stMain"], [data-testid="stAppViewContainer"] {{ overflow: visible !important; }}
  a {{ color: inherit !important; }}
  div.kg-scroll {{ overflow: visible; }}
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
