"""Entity page: a summary, every claim grouped by relationship with its citation, neighbours.

A drug's page puts efficacy first: the trials where the drug is an arm with their figures as
published (named with trial and analysis), then the CNS figures, then what variants and
mechanisms do to the drug (direct and inherited evidence apart), then its claims.

URL: ``?id=<node id>`` (any node: drug, gene, variant, mechanism, trial, publication,
disease, local therapy, claim, figure ...), plus the settings ``source`` and ``as_of``;
``open=efficacy|figures|claims`` draws the box that adds the page's figures or claims to the
tumour-board sheet.

A drug's page is the longest (about five screens): below its first trial, its parts are laid
out and painted when they are scrolled near (`app_pages._cards.later_html`), so that the
first screen is drawn sooner.
"""

import streamlit as st

from app_pages import _basket as B
from app_pages import _figures as F
from app_pages import _shared as S
from app_pages._citations import citation_check_section
from app_pages._layout import table_html
from kg import views as V
from kg.search import ENTITY_LABELS

g = S.graph()
node_id = S.param("id")
as_of = S.as_of()
CLAIMS_SHOWN = 3  # claims per relationship before "show every claim" (``claims=all``)
LINKED_SHOWN = 20  # names per group of "Linked in the graph"; the rest are counted
FIGURES_SHOWN = 5  # figures per trial (and CNS figures) on a drug page before ``figures=all``


problems: list[str] = []
every_claim = S.switched("claims", "all", problems)  # links set them (not widgets)
every_figure = S.switched("figures", "all", problems)
S.show_problems(problems)


def _switch(name: str, label: str) -> str:
    """A link to this page with ``<name>=all`` switched (the other switch kept)."""
    on = {"claims": every_claim, "figures": every_figure}
    on[name] = not on[name]
    href = S.page_href("entity", id=node_id, **{k: "all" for k, v in on.items() if v},
                       **S.sticky())
    return f"<a href='{S.attr(href)}'>{S.esc(label)}</a>"



def _open(key: str) -> None:
    chosen = st.session_state.get(key)
    if chosen:
        st.query_params["id"] = chosen
    st.session_state[key] = None


def picker() -> None:
    """A selectbox to open any entity (not claims or figures)."""
    nodes = g.cached(V.find_nodes, labels=[*ENTITY_LABELS, V.PUBLICATION], limit=5000)
    names = {n["id"]: f"{n['name'] or n['id']} ({n['label']})" for n in nodes}
    st.selectbox("Open another entity", options=list(names), index=None,
                 format_func=names.get, key="entity_pick", on_change=_open,
                 args=("entity_pick",), placeholder="type to filter by name …")


if not node_id:
    S.section("Entity", level=1)
    st.info("Choose an entity below, or find one with Search.", icon=":material/article:")
    picker()
    st.stop()

view = g.cached(V.entity_view, node_id=node_id, source=S.source_filter(), as_of=as_of)
if view is None:
    S.section("Entity", level=1)
    st.warning(f"No entity with id “{S.esc(node_id)}” in this graph. It may have been renamed or "
               "come from another build. Closest matches:", icon=":material/link_off:")
    hits = g.search(node_id, as_of=as_of).hits[:8]
    if hits:
        S.html_block("<br>".join(f"{S.badge(h.label)} {S.link(h.id, h.name)}" for h in hits))
    else:
        st.caption("Nothing similar either.")
    picker()
    st.stop()

long_page = view.label == V.DRUG  # its parts below the first screen: S.later_html

# -- header and summary: one element ----------------------------------------------------
def _page_link(page: str, label: str, **params: str) -> str:
    href = S.page_href(page, **params, **S.sticky())
    return f"<a href='{S.attr(href)}'>{S.esc(label)}</a>"


# consecutive sections, with no widget between them, go out as one element (every element
# costs the page's first drawing; docs/browser-speed.md): `_flush` before each widget
pending: list[str] = []


def _flush() -> None:
    if pending:
        S.html_block("".join(pending))
        pending.clear()


def _offer(panel: str, names: dict[str, str], what: str) -> None:
    """End the sections with the link that draws the box adding `names` to the tumour-board
    sheet (``open=<panel>``), and draw the box there when it is asked for."""
    pending.append(B.picker_link("entity", panel, what))
    if S.opened(panel):
        _flush()
        B.picker(f"entity_{panel}", names, what=what, page="entity", panel=panel)


aside = [_page_link("graph", "Show in graph view", id=view.id)]
if view.label == V.TRIAL:
    aside.append(_page_link("trials", "Trial outcomes", trial=view.id))
if view.label == V.DRUG:
    aside.append(_page_link("matrix", "In the matrix", drug=view.id))
rows = [(k, v) for k, v in view.summary if view.label != V.PUBLICATION or k in (
    "pub kind", "pmid", "doi")]
header = (
    f"<h1 class='kg-page-title' style='padding-bottom:0.2rem'>{S.esc(view.name)} "
    f"<span style='font-size:0.4em;vertical-align:middle'>{S.badge(view.label)}</span></h1>"
    f"<p class='kg-caption'>{S.esc(view.id)} · source: "
    f"{S.esc(view.props.get('source', '?'))}"
    + (f" (merged with {S.esc(', '.join(view.props['merged_sources']))})"
       if view.props.get("merged_sources") else "") + "</p>"
    "<div class='kg-head'><div>"
    + (f"<b>Reference:</b> {S.reference_html(view.reference, own_page=False)}"
       if view.reference is not None else "")
    + ("<table style='font-size:0.92em'>" + "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{S.esc(k)}</th>"
        f"<td>{S.esc(v)}</td></tr>" for k, v in rows) + "</table>" if rows else "")
    + "</div><div class='kg-aside'>" + "<br>".join(aside) + "</div></div>")

pending.append(header)
if view.after_as_of:
    _flush()
    st.warning(f"This was first published on {view.known_since} (a year-only date counts as "
               "1 January), after the “as of” date in the settings: what links to it is "
               "hidden.", icon=":material/history:")

if view.own_claim is not None:
    _flush()
    S.section("The claim")
    S.claim_box(view.own_claim)
    citation_check_section(g, claim_id=view.id)

# -- drug: efficacy first ----------------------------------------------------------------
if view.label == V.DRUG:
    eff = g.cached(V.drug_efficacy, drug_id=view.id, source=S.source_filter(), as_of=as_of)
    # each trial's first figures (hazard ratios first), the rest through a link (figures=all):
    # the page stays quick (docs/browser-speed.md)
    every = every_figure
    hidden: list[int] = []  # figures left out, per table

    def _some(figs: list, what: str, trial: tuple[str, str] | None = None) -> str:
        if every or len(figs) <= FIGURES_SHOWN:
            return F.figures_table(figs, quotes=False)
        hidden.append(len(figs) - FIGURES_SHOWN)
        return (F.figures_table(figs[:FIGURES_SHOWN], quotes=False)
                + f"<p class='kg-caption'>… and {len(figs) - FIGURES_SHOWN} more {what}"
                + (f" of {S.link(*trial)}" if trial else "")
                + ": " + _switch("figures", f"show every figure ({eff.n_figures})")
                + (", or open the trial." if trial else ".") + "</p>")

    blocks = []
    for k, t in enumerate(eff.trials):
        role = {"control": "as the comparator"}.get(t.drug_role, "as the studied drug")
        block = (
            f"<div style='margin-top:0.6em'><b style='font-size:1.08em'>"
            f"{S.link(t.trial_id, t.trial_name)}</b> <small style='color:#555'>"
            + S.esc(" · ".join(x for x in (f"phase {t.phase}" if t.phase else "", t.design,
                                            t.setting) if x))
            + f"</small><br><small>{S.esc(view.name)} {S.esc(role)}: "
            f"<b>{S.esc('; '.join(t.drug_arms))}</b>"
            + (f" vs {S.esc('; '.join(t.other_arms))}" if t.other_arms else "")
            + "</small></div>"
            + (_some(list(t.figures), "figures", (t.trial_id, t.trial_name)) if t.figures else
               "" if t.cns else "<small style='color:#666'>No figure of this trial is in "
                                "the graph.</small>")
            + F.not_entered_html(t.not_entered, (t.trial_id, t.trial_name)))
        # the first trial is the first screen; the rest, and the sections below, are laid
        # out when scrolled near (the longest page: _cards.later_html)
        blocks.append(S.later_html(block) if k else block)
    pending.append(S.section_html(
              f"Efficacy: trials where {S.esc(view.name)} is an arm ({len(eff.trials)})",
              "".join(blocks),
              caption="No trial in the graph gives this drug in an arm." if not eff.trials else
              "Figures exactly as published, each named with its trial and the analysis it "
              "comes from, with its source (open a figure for its verbatim quote, or its "
              "trial for all its figures). The graph does not record which endpoint a trial "
              "declared primary: PFS comes first, then OS and response; within an endpoint "
              "the hazard ratio first, then by analysis (primary, interim, final, update, "
              "post hoc). CNS figures follow below."))
    pending.append(S.section_html(
        f"CNS figures ({len(eff.cns)})", _some(list(eff.cns), "CNS figures") if eff.cns else "",
        caption="" if eff.cns else "No CNS figure of these trials is in the graph.",
        later=long_page))
    if every:
        pending.append("<p class='kg-caption'>Every figure is shown: "
                       + _switch("figures", f"show each trial's first {FIGURES_SHOWN} only")
                       + ".</p>")
    if eff.n_figures:  # the box that adds them to the sheet, drawn on request
        _offer("efficacy", F.figure_names(o for t in eff.trials for o in (*t.figures, *t.cns)),
               "figures")
    pending.append(S.section_html(
        f"What variants and mechanisms do to {S.esc(view.name)} ({len(eff.responses)})",
        table_html([{
            "variant or mechanism": S.link(r.subject_id, r.subject_name),
            "kind": "mechanism" if r.subject_label == V.MECHANISM else "variant",
            "direct evidence": r.direct, "inherited evidence": r.inherited}
            for r in eff.responses],
            ["variant or mechanism", "kind", "direct evidence", "inherited evidence"],
            html_columns=("variant or mechanism",)) if eff.responses else "",
        caption="Direct: claims about the variant or mechanism itself. Inherited: claims "
                "about the mechanism or molecular profile it belongs to (via …), counted "
                "apart. Status · number of claims · best evidence level."
        if eff.responses else "No resistance or sensitivity claim names this drug.",
        later=long_page))

# -- trial: arms and figures ------------------------------------------------------------
if view.label == V.TRIAL:
    arms = g.cached(V.trial_arms, trial=view.id)
    if arms:
        pending.append(S.section_html("Arms", F.arms_table(arms)))
    outs = g.cached(V.trial_outcomes, trial=view.id, as_of=as_of)
    pending.append(S.section_html(
        f"Published figures ({len(outs)})",
        (F.figures_table(outs) if outs else "") + F.not_entered_html(V.not_entered(view.props)),
        caption="" if outs else "No figure of this trial is in the graph"
        + (" (as of the date in the settings)." if as_of else ".")))
    if outs:
        _offer("figures", F.figure_names(outs), "figures")

# -- publication: what it supports, cites, is cited by ---------------------------------
if view.label == V.PUBLICATION:
    pending.append(S.section_html("What this work supports", "<br>".join(
        f"<b>{S.esc(kind)}</b> ({len(items)}): " + "; ".join(
            f"{S.badge(lb)} {S.link(i, n)}" for i, lb, n in items)
        for kind, items in view.supports),
        caption="" if view.supports else "Nothing in the graph rests on this work yet."))
    _flush()
    c1, c2 = st.columns(2)
    c1.markdown(f"**Cites** ({len(view.cites)})")
    S.html_block("<br>".join(S.link(i, n) for i, _, n in view.cites) or "-", c1)
    c2.markdown(f"**Cited by** ({len(view.cited_by)})")
    S.html_block("<br>".join(S.link(i, n) for i, _, n in view.cited_by) or "-", c2)
    citation_check_section(g, publication_id=view.id)

# -- claims ---------------------------------------------------------------------------
if view.label != V.CLAIM:
    shown = V.SOURCE_FILTERS[S.source_filter()]
    many = any(len(items) > CLAIMS_SHOWN for items in view.claims.values())
    show_all = many and every_claim
    pending.append(S.section_html(
              f"Evidence: {view.n_claims} claim{'s' if view.n_claims != 1 else ''}",
              caption=f"Showing {S.esc(shown)}"
              + (f"; {view.hidden_claims} more hidden by the filter in the settings"
                 if view.hidden_claims else "")
              + (f"; {view.hidden_by_date} claims and linked works, figures or trials "
                 "published after the “as of” date hidden" if view.hidden_by_date else "")
              + ". Grouped by relationship; strongest evidence level first"
              + ("" if not many else
                 "; every claim (" + _switch("claims", f"show the {CLAIMS_SHOWN} strongest of "
                                             "each only") + ")" if show_all else
                 f"; the {CLAIMS_SHOWN} strongest of each ("
                 + _switch("claims", f"show every claim ({view.n_claims})") + ")")
              + ". Add any of them to the tumour-board sheet with the link under them.",
              later=long_page))
    on_page = []
    for predicate, items in view.claims.items():
        listed = items if show_all else items[:CLAIMS_SHOWN]
        more = len(items) - len(listed)
        on_page += [card for _, card in listed]
        pending.append(S.section_html(
            f"{S.esc(V.humanize(predicate))} ({len(items)})",
            S.cards_html([card for _, card in listed], [role for role, _ in listed])
            + (f"<p class='kg-caption'>… and {more} more (weaker levels): "
               + _switch("claims", f"show every claim ({view.n_claims})")
               + ".</p>" if more else ""), level=4, later=long_page))
    # one box for every claim on the page (a box per relationship cost an element each),
    # drawn on request
    if on_page:
        _offer("claims", {c.id: c.name for c in on_page}, "claims")

# -- neighbours and properties: one element ----------------------------------------------
# each group's first LINKED_SHOWN names, the rest counted, with the graph view a link away:
# the page draws quicker (docs/browser-speed.md, "Seventh pass")
graph_link = _page_link("graph", "graph view", id=view.id)
pending.append(S.section_html("Linked in the graph", ("<br>".join(
    f"<b title='{S.attr(grp.description)}'>{S.esc(grp.heading)}</b> "
    f"({len(grp.items)}): " + ", ".join(
        f"{S.link(i, n)} <small class='kg-kind'>{S.esc(lb)}</small>"
        for i, lb, n in grp.items[:LINKED_SHOWN])
    + (f" … and {len(grp.items) - LINKED_SHOWN} more ({graph_link})"
       if len(grp.items) > LINKED_SHOWN else "")
    for grp in view.neighbours) if view.neighbours else "")
    + "<details><summary>All properties</summary>" + table_html(
        [{"property": k, "value": v} for k, v in sorted(view.props.items())],
        ["property", "value"]) + "</details>",
    caption="" if view.neighbours else "No links other than claims.", later=long_page))
_flush()
