"""Resistance matrix: variants (and mechanisms) × drugs, one cell per pair.

Each cell is resistant, sensitive, conflicting or no evidence ("-"), with the number of
claims and the best evidence level; evidence inherited from a mechanism or molecular profile
is marked "via ..." in a lighter, italic shade. Clicking a cell (or choosing it by name
under "Rows and cell") lists its claims with their citations, under the grid, and a link
under them draws the box that adds them to the tumour-board sheet (``open=claims``).

URL: ``?rows=Variant,ResistanceMechanism&gene=ALK&compounds=all&variant=<id>&drug=<id>``
plus the settings ``source`` and ``as_of``.

CIViC's molecular profiles that combine variants ("ALK EML4::ALK AND ALK G1202R") are not
rows unless "CIViC molecular profiles" is chosen under Rows (in "Rows and cell", drawn on
request under the title: ``open=rows``; ``rows=...,MolecularProfile``): their evidence
already shows in the rows of the variants they contain, in brackets, "via" the profile
(`kg.views.matrix`, its decision). A URL whose ``variant=`` names such a profile shows them.

Compounds whose every claim here is preclinical (levels D, E: TAE684, the HSP90 inhibitors ...)
are columns only when the reader asks, by the link in the caption (``compounds=all``;
`kg.views.matrix`, its decision): the matrix then fits a 1280 px screen. A URL whose
``drug=`` names one, or whose ``variant=`` names a row with evidence only for them, shows
them.

The matrix is a plain HTML table: it scrolls with its first column and header row fixed,
on a wide screen and on a phone alike, and prints as shown.
"""

import streamlit as st

from app_pages import _basket as B
from app_pages import _shared as S
from kg import views as V

g = S.graph()
as_of = S.as_of()
problems: list[str] = []
KINDS = {V.VARIANT: "variants", V.MECHANISM: "resistance mechanisms",
         V.PROFILE: "CIViC molecular profiles", V.GENE: "genes"}
# the URL alone says what is shown (``url_only``: the widgets are drawn only on request,
# ``open=rows``)
on_rows = S.bind("matrix_kinds", "rows", [V.VARIANT, V.MECHANISM], options=list(KINDS),
                 cast=lambda raw: [x for x in raw.split(",") if x], problems=problems,
                 expect=", ".join(KINDS), url_only=True)
source = S.source_filter()
genes = g.cached(V.matrix_genes)
gene_options = [V.ALK_CONTEXT, "", *genes]
gene_label = {V.ALK_CONTEXT: "ALK + curated rows", "": "all genes"}
on_gene = S.bind("matrix_gene", "gene", V.ALK_CONTEXT, options=gene_options,
                 problems=problems, expect="a gene symbol with evidence ("
                 + ", ".join(genes[:8]) + (" …" if len(genes) > 8 else "") + ")",
                 url_only=True)
every_compound = S.switched("compounds", "all", problems)
# a cell the URL asks for, in a profile row or a preclinical compound's column (or a row
# with evidence only for those): show the profile rows, or the compounds
want_row, want_drug = st.query_params.get("variant"), st.query_params.get("drug")
if want_row or want_drug:
    first = g.cached(V.resistance_matrix, source=source,
                     subjects=list(st.session_state["matrix_kinds"]),
                     gene=st.session_state["matrix_gene"], as_of=as_of,
                     preclinical=every_compound)
    if want_row and V.PROFILE not in st.session_state["matrix_kinds"] \
            and want_row in first.hidden:
        st.session_state["matrix_kinds"] = [*st.session_state["matrix_kinds"], V.PROFILE]
        on_rows()
    if not every_compound and (want_drug in {d for d, _ in first.preclinical}
                               or want_row in first.preclinical_rows):
        every_compound = True
        st.query_params["compounds"] = "all"
# what the rows are, and a cell chosen by name: drawn on request (``open=rows``) by the link
# under the title, which says what the rows are (as a popover, drawn closed on every load,
# it cost the browser about 13 ms: docs/browser-speed.md, "Seventh pass")
chosen_gene = st.session_state["matrix_gene"]
rows_open = S.opened("rows")
title = S.section_html(
    "Resistance matrix", level=1,
    caption="Which variants and mechanisms make ALK-positive tumours resistant or sensitive "
            "to which drug, by the evidence in the graph. Click a cell to read its claims.")
title += S.open_link("matrix", "rows", "Rows and cell: " + ", ".join(
    KINDS[k] for k in st.session_state["matrix_kinds"] if k in KINDS)
    + f"; genes: {gene_label.get(chosen_gene, chosen_gene)}")
if problems or rows_open:  # the title first, then what is wrong, then the rows and cell
    S.html_block(title)
    title = ""
S.show_problems(problems)
problems = []
kinds, gene = list(st.session_state["matrix_kinds"]), chosen_gene
if rows_open:
    controls = st.container(border=True, key="kg_open_rows")
    with controls:
        kinds = st.multiselect("Rows", options=list(KINDS), format_func=KINDS.get,
                               key="matrix_kinds", on_change=on_rows)
        gene = st.selectbox("Gene of the variants", options=gene_options, key="matrix_gene",
                            format_func=lambda x: gene_label.get(x, x), on_change=on_gene,
                            help="Mechanism rows are always shown. 'ALK + curated rows' adds "
                                 "to the ALK variants every variant with curated evidence "
                                 "(e.g. MET amplification); CIViC's other genes need 'all "
                                 "genes' or their name.")
m = g.cached(V.resistance_matrix, source=source, subjects=list(kinds), gene=gene, as_of=as_of,
             preclinical=every_compound)
row_ids = [r[0] for r in m.rows]
col_ids = [c[0] for c in m.cols]
row_names = {r[0]: r[2] for r in m.rows}
col_names = {c[0]: c[1] for c in m.cols}
on_var = S.bind("matrix_row", "variant", None, options=[None, *row_ids], problems=problems,
                expect="the id of a row shown (e.g. ALK:p.G1202R)", url_only=True)
on_drug = S.bind("matrix_drug", "drug", None, options=[None, *col_ids], problems=problems,
                 expect="the id of a drug column shown (e.g. drug:alectinib)", url_only=True)
if problems:
    if title:
        S.html_block(title)
        title = ""
    S.show_problems(problems)
if not m.rows:
    S.html_block(title)
    st.info(f"No resistance or sensitivity claims for these rows ({V.SOURCE_FILTERS[source]}).")
    st.stop()

#: Cell classes (styles in app_pages/_layout.py): the state, and "inherited only".
STATES = ("resistant", "sensitive", "conflicting", "inconclusive")

labels = {}
for rid, label, name in m.rows:
    kind = "mechanism" if label == V.MECHANISM else "gene"
    labels[rid] = name if label == V.VARIANT else f"{name} ({kind})"
if rows_open:
    with controls:  # the cell, by name (the grid's links do the same)
        st.caption("Choose a cell by name:")
        st.selectbox("Variant or mechanism", options=[None, *row_ids], key="matrix_row",
                     format_func=lambda x: "—" if x is None else labels[x], on_change=on_var)
        st.selectbox("Drug", options=[None, *col_ids], key="matrix_drug",
                     format_func=lambda x: "—" if x is None else col_names[x],
                     on_change=on_drug)
        S.html_block(f"<p class='kg-caption'>{S.close_link('matrix')}</p>")
chosen_r, chosen_d = st.session_state.get("matrix_row"), st.session_state.get("matrix_drug")


#: What every cell's link carries besides its pair (read once: the grid has hundreds of cells)
CELL_PARAMS = {**({"compounds": "all"} if every_compound else {}), **S.sticky()}


def _cell(r: str, d: str) -> str:
    c = m.cell(r, d)
    if c is None:
        return "<td>-</td>"
    state = c.status or (c.inherited.status if c.inherited else "")
    cls = f"kg-{state}" if state in STATES else ""
    if not c.n:
        cls += " kg-inh"
    if r == chosen_r and d == chosen_d:
        cls += " kg-sel"
    href = S.page_href("matrix", variant=r, drug=d, **CELL_PARAMS)
    direct = f"{c.status} · {c.n} · {c.best_level}" if c.n else ""
    inh = f"({c.inherited.text})" if c.inherited else ""
    return (f'<td class="{cls.strip()}"><a href="{S.esc(href)}">'
            + (f"<span>{S.esc(direct)}</span>" if direct else "")
            + ("<br>" if direct and inh else "")
            + (f"<small>{S.esc(inh)}</small>" if inh else "") + "</a></td>")


def _grid() -> str:
    """The matrix as an HTML table: the first column and the header row stay in place while
    it scrolls (on a phone too); each cell with evidence links to its claims."""
    head = "".join(f"<th>{S.link(d, col_names[d])}</th>" for d in col_ids)
    body = "".join(f'<tr><th class="kg-sticky">{S.link(r, labels[r])}</th>'
                   + "".join(_cell(r, d) for d in col_ids) + "</tr>" for r in row_ids)
    return (f'<div class="kg-matrix-wrap"><table class="kg-matrix"><thead><tr>'
            f'<th class="kg-sticky">variant / mechanism</th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _compounds_note() -> str:
    """The caption's sentence on the compounds with preclinical evidence only, and its link."""
    params = {**({"rows": ",".join(kinds)} if list(kinds) != [V.VARIANT, V.MECHANISM] else {}),
              **({"gene": gene} if gene != V.ALK_CONTEXT else {}), **S.sticky()}
    if every_compound:
        return (" Every compound with evidence is a column, those with preclinical evidence "
                "only (levels D, E) included: <a href='"
                + S.attr(S.page_href("matrix", **params)) + "'>leave those out</a>.")
    if not m.preclinical:
        return ""
    rows = len(m.preclinical_rows)
    return (f" Left out: {len(m.preclinical)} compound{'s' if len(m.preclinical) != 1 else ''}"
            " whose every claim here is preclinical (levels D, E): "
            + S.esc(", ".join(name for _, name in m.preclinical))
            + (f", and {rows} row{'s' if rows != 1 else ''} with evidence only for them"
               if rows else "")
            + ": <a href='" + S.attr(S.page_href("matrix", **params, compounds="all"))
            + "'>show them</a>.")


n_cells = len(m.cells)
# the title, the grid and the chosen cell's claims are one element (docs/browser-speed.md)
grid = (title + _grid() + "<p class='kg-caption'>" + S.esc(
           f"{len(row_ids)} rows × {len(col_ids)} drugs; {n_cells} pairs with evidence "
           f"({V.SOURCE_FILTERS[source]}). Cell: status · number of claims · best evidence "
           "level (A validated, B clinical, C case study, D preclinical, E inferential). "
           "Conflicting: claims point both ways, or a Conflict node flags them. "
           "In brackets and lighter: evidence inherited from the mechanism or molecular "
           "profile the variant belongs to (via …), counted apart from its own."
           + (f" The {len(m.hidden)} CIViC molecular profiles combining variants (such as "
              "EML4::ALK AND ALK G1202R) show only that way; choose “CIViC molecular "
              "profiles” under Rows (“Rows and cell”, above) to list them as rows."
              if m.hidden else ""))
        + _compounds_note() + "</p>")
r, d = chosen_r, chosen_d
if not (r and d):
    S.html_block(grid + S.note_html(
        "Click a cell, or choose a row and a drug (“Rows and cell”, above), to read the "
        "claims behind it."))
    st.stop()
cell = m.cell(r, d)
pair = f"{S.link(r, row_names[r])} × {S.link(d, col_names[d])}"
if cell is None:
    S.html_block(grid + S.section_html(pair, S.note_html(
        "No evidence in the graph for this pair "
        f"({S.esc(V.SOURCE_FILTERS[source])}). Absence of evidence is not evidence of "
        "effect.")))
    st.stop()
# the cell's claims: direct, then inherited, in one element, and one box to add any of them
# to the tumour-board sheet
direct_cards = g.cached(V.claim_cards, ids=list(cell.claim_ids)) if cell.n else []
inh = cell.inherited
inherited_cards = g.cached(V.claim_cards, ids=list(inh.claim_ids)) if inh else []
body = (f"<p><b>Direct evidence: {S.esc(cell.status)}</b> — {cell.n} claim"
        f"{'s' if cell.n != 1 else ''} ({cell.n_resistant} towards resistance, "
        f"{cell.n_sensitive} towards sensitivity; {cell.n_curated} curated, "
        f"{cell.n_civic} CIViC), best level <b>{S.esc(cell.best_level)}</b>"
        + (f"; flagged by {cell.n_conflict_flags} conflict node(s)"
           if cell.n_conflict_flags else "") + ".</p>" + S.cards_html(direct_cards)
        if cell.n else "<p><b>No direct evidence</b> for this variant and drug.</p>")
if inh:
    body += (f"<p><b>Inherited evidence: {S.esc(inh.status)}</b> — {inh.n} claim"
             f"{'s' if inh.n != 1 else ''} about what this variant belongs to, best level "
             f"<b>{S.esc(inh.best_level)}</b>, via: "
             + ", ".join(S.link(pid, name) for pid, name in zip(inh.via_ids, inh.via,
                                                                 strict=True)) + "</p>"
             + S.cards_html(inherited_cards))
# under the grid, which fills the first screen: laid out when scrolled near (_cards.later_html)
S.html_block(grid + S.section_html(pair, body + B.picker_link("matrix", "claims", "claims"),
                                   later=True))
B.picker("matrix_claims", {c.id: c.name for c in [*direct_cards, *inherited_cards]},
         what="claims", page="matrix", panel="claims")
