"""Entity page: a summary, every claim grouped by relationship with its citation, neighbours.

URL: ``?id=<node id>`` (any node: drug, gene, variant, mechanism, trial, publication,
disease, local therapy, claim, figure ...), plus the sidebar's ``source`` filter.
"""

import pandas as pd
import streamlit as st

from app_pages import _basket as B
from app_pages import _shared as S
from app_pages._citations import citation_check_section
from kg import views as V
from kg.search import ENTITY_LABELS

g = S.graph()
node_id = S.param("id")


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
    st.title("Entity")
    st.info("Choose an entity below, or find one with Search.", icon=":material/article:")
    picker()
    st.stop()

view = g.cached(V.entity_view, node_id=node_id, source=S.source_filter())
if view is None:
    st.title("Entity")
    st.warning(f"No entity with id `{node_id}` in this graph. It may have been renamed or "
               "come from another build. Closest matches:", icon=":material/link_off:")
    hits = g.search(node_id)[:8]
    if hits:
        S.html_block("<br>".join(f"{S.badge(h.label)} {S.link(h.id, h.name)}" for h in hits))
    else:
        st.caption("Nothing similar either.")
    picker()
    st.stop()

# -- header and summary ---------------------------------------------------------------
S.html_block(f"<h1 style='margin-bottom:0'>{S.esc(view.name)} {S.badge(view.label)}</h1>")
st.caption(f"`{view.id}` · source: {view.props.get('source', '?')}"
           + (f" (merged with {', '.join(view.props['merged_sources'])})"
              if view.props.get("merged_sources") else ""))
c1, c2 = st.columns([4, 1])
with c2:
    st.page_link(S.PAGES["graph"][0], label="Show in graph view", icon=":material/hub:",
                 query_params={"id": view.id})
    if view.label == V.TRIAL:
        st.page_link(S.PAGES["trials"][0], label="Trial outcomes", icon=":material/monitoring:",
                     query_params={"trial": view.id})
with c1:
    if view.reference is not None:
        S.html_block(f"<b>Reference:</b> {S.reference_html(view.reference, own_page=False)}")
    rows = [(k, v) for k, v in view.summary if view.label != V.PUBLICATION or k in (
        "pub kind", "pmid", "doi")]
    if rows:
        S.html_block("<table style='font-size:0.92em'>" + "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{S.esc(k)}</th>"
            f"<td>{S.esc(v)}</td></tr>" for k, v in rows) + "</table>")

if view.own_claim is not None:
    st.subheader("The claim")
    S.claim_box(view.own_claim)
    citation_check_section(g, claim_id=view.id)

# -- trial: arms and figures ------------------------------------------------------------
if view.label == V.TRIAL:
    arms = g.cached(V.trial_arms, trial=view.id)
    if arms:
        st.subheader("Arms")
        st.dataframe(pd.DataFrame([{
            "arm": a["arm_name"], "role": a["role"], "n": a["n_text"],
            "received": a.get("treatment") or ", ".join(a["treatments"] or []),
            "regimen": a["regimen"]}
            for a in arms]), hide_index=True, width="stretch")
    outs = g.cached(V.trial_outcomes, trial=view.id)
    if outs:
        st.subheader(f"Published figures ({len(outs)})")
        st.dataframe(pd.DataFrame([{
            "endpoint": o["endpoint"], "measure": o["measure"].replace("_", " "),
            "arm / comparison": o["comparison"], "population": o["population"],
            "assessment": o["assessment"], "value (as published)": o["display"],
            "p": o["p_value_text"], "cut-off": o["data_cutoff"], "locator": o["locator"],
            "source": S.outcome_href(o), "quote": o["quote"]} for o in outs]),
            hide_index=True, width="stretch", key="entity_figures", on_select="rerun",
            selection_mode="multi-row",
            column_config={"source": st.column_config.LinkColumn(
                "source", display_text=r"https?://(?:dx\.)?(?:doi\.org|pubmed[^/]*)/(.*)")})
        B.add_selected("entity_figures", [o["outcome_id"] for o in outs])

# -- publication: what it supports, cites, is cited by ---------------------------------
if view.label == V.PUBLICATION:
    st.subheader("What this work supports")
    if not view.supports:
        st.caption("Nothing in the graph rests on this work yet.")
    for kind, items in view.supports:
        S.html_block(f"<b>{S.esc(kind)}</b> ({len(items)}): " + "; ".join(
            f"{S.badge(lb)} {S.link(i, n)}" for i, lb, n in items))
    c1, c2 = st.columns(2)
    c1.markdown(f"**Cites** ({len(view.cites)})")
    S.html_block("<br>".join(S.link(i, n) for i, _, n in view.cites) or "—", c1)
    c2.markdown(f"**Cited by** ({len(view.cited_by)})")
    S.html_block("<br>".join(S.link(i, n) for i, _, n in view.cited_by) or "—", c2)
    citation_check_section(g, publication_id=view.id)

# -- claims ---------------------------------------------------------------------------
if view.label != V.CLAIM:
    shown = V.SOURCE_FILTERS[S.source_filter()]
    st.subheader(f"Evidence: {view.n_claims} claim{'s' if view.n_claims != 1 else ''}")
    st.caption(f"Showing {shown}"
               + (f"; {view.hidden_claims} more hidden by the filter in the sidebar."
                  if view.hidden_claims else ".")
               + " Grouped by relationship; strongest evidence level first.")
    for predicate, items in view.claims.items():
        st.markdown(f"#### {V.humanize(predicate)} ({len(items)})")
        for role, card in items:
            S.claim_box(card, role)

# -- neighbours -----------------------------------------------------------------------
st.subheader("Linked in the graph")
if not view.neighbours:
    st.caption("No links other than claims.")
for grp in view.neighbours:
    S.html_block(f"<b title='{S.esc(grp.description)}'>{S.esc(grp.heading)}</b> "
                 f"({len(grp.items)}): " + ", ".join(
                     f"{S.link(i, n)} <small style='color:#888'>{S.esc(lb)}</small>"
                     for i, lb, n in grp.items[:60])
                 + (f" … and {len(grp.items) - 60} more" if len(grp.items) > 60 else ""))

with st.expander("All properties"):
    st.json(view.props, expanded=True)
picker()
