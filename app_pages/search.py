"""Search: one box over entity names, synonyms (brand and code names, HGVS) and claim text.

Backed by FalkorDB's full-text index (`kg.search.search`); the URL keeps the query
(``?q=``) and the label filter (``?label=Drug,Variant``).
"""

import streamlit as st

from app_pages import _shared as S
from kg import views as V
from kg.search import ENTITY_LABELS

g = S.graph()
problems: list[str] = []
st.title("Search")
present = sorted(g.cached(V.label_counts))
on_q = S.bind("search_q", "q", "")
on_labels = S.bind("search_labels", "label", [], options=present,
                   cast=lambda raw: [x for x in raw.split(",") if x], problems=problems,
                   expect="node labels among " + ", ".join(present))
S.show_problems(problems)
c1, c2 = st.columns([3, 2])
text = c1.text_input("Search names, synonyms and claim text", key="search_q", on_change=on_q,
                     placeholder="alectinib, Alecensa, ALK p.G1202R, MET amplification …",
                     help="All words must match; each word also matches as a prefix "
                          "(alec → alectinib). Punctuation is ignored.")
labels = c2.multiselect("Only these kinds", options=present, key="search_labels",
                        on_change=on_labels, placeholder="all kinds")

if not text.strip():
    st.info("Type a name to search: a drug (brand or code names work too), a variant "
            "(G1202R or ALK p.G1202R), a mechanism, a trial, or words from a claim.",
            icon=":material/search:")
    st.stop()

hits = g.search(text, labels)
if not hits:
    st.warning(f"No match for “{text}”" + (f" among {', '.join(labels)}" if labels else "")
               + ". Try fewer or shorter words, or another name.", icon=":material/search_off:")
    st.stop()

n_entities = sum(h.label in ENTITY_LABELS for h in hits)
st.caption(f"{len(hits)} hit{'s' if len(hits) != 1 else ''} for “{text}” "
           f"({n_entities} entit{'y' if n_entities == 1 else 'ies'}), best first.")
lines = []
for h in hits:
    how = {"name": "name", "synonym": "synonym: " + ", ".join(h.synonyms[:4]),
           "text": "text"}[h.matched]
    line = (f"{S.badge(h.label)} {S.link(h.id, h.name)} "
            f"<small style='color:#666'>— matched {S.esc(how)} · <code>{S.esc(h.id)}</code>"
            + (" · CIViC" if h.source == "civic" else "") + "</small>")
    if h.snippet:
        line += f"<br><small style='color:#666'>{S.esc(h.snippet)}</small>"
    lines.append(f"<li style='margin-bottom:0.35em'>{line}</li>")
S.html_block("<ol style='padding-left:1.4em'>" + "".join(lines) + "</ol>")
