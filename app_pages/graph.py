"""Graph view: the neighbourhood of an entity, drawn with vis-network (served inline).

URL: ``?id=<centre>&depth=1..3&cap=<max nodes>&labels=Drug,Variant,...``. Clicking a node
opens its entity page (the click handler navigates the app's window); the list of drawn
nodes beside the graph (links) does the same for keyboard users. The centre and the drawing's
settings (depth, the most nodes drawn, the node kinds) are drawn on request by a link
labelled with them (``open=drawing``), the downloads by another (``open=download``).
"""

from urllib.parse import quote

import streamlit as st

from app_pages import _shared as S
from app_pages import _workbench as WB
from app_pages._graph_html import graph_html, static_assets
from kg import views as V
from kg.search import ENTITY_LABELS

g = S.graph()
problems: list[str] = []
title = S.section_html("Graph view", level=1)
present = sorted(g.cached(V.label_counts))
nodes = g.cached(V.find_nodes, labels=[*ENTITY_LABELS, V.PUBLICATION], limit=5000)
names = {n["id"]: f"{n['name'] or n['id']} ({n['label']})" for n in nodes}
default_centre = "drug:alectinib" if "drug:alectinib" in names else next(iter(names), None)
if default_centre is None:
    st.info("The graph has no entities to draw.")
    st.stop()
wanted = S.param("id")
if wanted and wanted not in names:  # a claim, figure or arm: allowed when it exists
    node = g.cached(V.get_node, node_id=wanted)
    if node is not None:
        names[wanted] = f"{(node['props'] or {}).get('name') or wanted} ({node['label']})"
default_labels = [lb for lb in present if lb not in (V.CLAIM, V.OUTCOME)]
# the URL alone says what is drawn (``url_only``: the widgets are drawn only on request)
on_id = S.bind("graph_centre", "id", default_centre, options=list(names), problems=problems,
               expect="the id of a node in this graph", url_only=True)
on_depth = S.bind("graph_depth", "depth", 1, options=[1, 2, 3], cast=int, problems=problems,
                  expect="1, 2 or 3", url_only=True)
on_cap = S.bind("graph_cap", "cap", 60, options=range(5, 301), cast=int, problems=problems,
                expect="a whole number from 5 to 300", url_only=True)
on_labels = S.bind("graph_labels", "labels", default_labels, options=present,
                   cast=lambda raw: [x for x in raw.split(",") if x], problems=problems,
                   expect="node labels among " + ", ".join(present), url_only=True)
if problems:  # the title first, then what is wrong
    S.html_block(title)
    title = ""
S.show_problems(problems)

# the centre and how much is drawn: a link labelled with them draws their widgets on request
# (``open=drawing``): the centre's select box, 600 names on the curated + CIViC graph, cost
# about 50 ms of the browser's work a load, and a closed popover about 13 ms
# (docs/browser-speed.md, "Sixth pass" and "Seventh pass")
drawing_open = S.opened("drawing")
title += S.open_link(
    "graph", "drawing", f"Drawing {names.get(st.session_state['graph_centre'], '?')}: "
    f"{st.session_state['graph_depth']} hop{'s' if st.session_state['graph_depth'] != 1 else ''}"
    f", at most {st.session_state['graph_cap']} nodes, "
    f"{len(st.session_state['graph_labels'])} of {len(present)} node kinds")
centre, depth = st.session_state["graph_centre"], st.session_state["graph_depth"]
cap, labels = st.session_state["graph_cap"], list(st.session_state["graph_labels"])
if drawing_open:
    S.html_block(title)
    title = ""
    with st.container(border=True, key="kg_open_drawing"):
        centre = st.selectbox("Centre", options=list(names), format_func=names.get,
                              key="graph_centre", on_change=on_id,
                              help="Or click a node of the drawing to open its page, and "
                                   "“Graph view” there.")
        depth = st.select_slider("Depth (hops)", options=[1, 2, 3], key="graph_depth",
                                 on_change=on_depth)
        cap = st.number_input("Most nodes drawn", min_value=5, max_value=300, step=5,
                              key="graph_cap", on_change=on_cap)
        labels = st.multiselect("Node kinds (others are neither drawn nor walked through)",
                                options=present, key="graph_labels", on_change=on_labels)
        S.html_block(f"<p class='kg-caption'>{S.close_link('graph')}</p>")
note = ("Claims are drawn as their direct edges between subject and object (e.g. "
        "CONFERS_RESISTANCE_TO ×2 = two claims); add Claim to the kinds drawn to draw the "
        "claims themselves.")

sub = g.cached(V.neighbourhood, centre=centre, depth=int(depth), cap=int(cap),
               labels=list(labels) or None, as_of=S.as_of())
if sub is None:
    S.html_block(title)
    st.warning(f"No node with id “{S.esc(centre)}”.")
    st.stop()
if sub.capped:
    S.html_block(title)
    title = ""
    st.info(f"Capped: drawing {len(sub.nodes)} of {sub.reachable} nodes reached within "
            f"{sub.depth} hop{'s' if sub.depth > 1 else ''} (closest first). Raise "
            "“Most nodes drawn” (Drawing, above), lower the depth, or drop node kinds to see "
            "the rest.",
            icon=":material/filter_alt:")
else:
    note = (f"{len(sub.nodes)} nodes, {len(sub.edges)} edges within {sub.depth} "
            f"hop{'s' if sub.depth > 1 else ''}. " + note)
S.html_block(title + f"<p class='kg-caption'>{S.esc(note)} Click a node to open its page. "
             "Drag to move, scroll to zoom, hover for details.</p>"
             + S.open_link("graph", "download", "Download what is drawn …", toggle=False))

left, right = st.columns([4, 1])
with left:
    sticky = "".join(f"&{k}={quote(v, safe='')}" for k, v in S.sticky().items())
    st.iframe(graph_html(sub, height=620, assets=static_assets(), link_params=sticky),
              height=660)
with right:  # the drawn nodes as links: what a click on a node does, for keyboard users
    centre_name = next((n["name"] for n in sub.nodes if n["id"] == sub.centre), sub.centre)
    S.html_block(
        f"<p><b>Centre's page:</b> {S.link(sub.centre, centre_name)}</p>"
        "<p class='kg-caption'>Drawn nodes (open a page):</p>"
        "<div class='kg-drawn'>" + "<br>".join(
            f"{S.link(n['id'], n['name'] or n['id'])} <small style='color:#888'>{S.esc(n['label'])}"
            "</small>" for n in sub.nodes if n["id"] != sub.centre) + "</div>")
if S.opened("download"):  # drawn on request, under the drawing
    with st.container(border=True, key="kg_open_download"):
        st.caption("Download what is drawn: the nodes, the relationships among them, the "
                   "works they cite:")
        WB.view_downloads(g, key="graph", stem=f"alk_kg_graph_{sub.centre}".replace(":", "_"),
                          ids=lambda eg: [n["id"] for n in sub.nodes])
        S.html_block(f"<p class='kg-caption'>{S.close_link('graph')}</p>")
