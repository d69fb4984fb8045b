"""Search: one box over names, synonyms (brand and code names, HGVS), clinical synonyms and
text, that forgives: any word counts, typos are corrected ("did you mean"), and entities are
suggested while typing.

Backed by `kg.search.SearchIndex` (one per graph version); the URL keeps the query (``?q=``)
and the label filter (``?label=Drug,Variant``), chosen in a box drawn on request by the
link above the hits (``open=kinds``). The box and the results sit in a fragment, so typing
reruns only them.
"""

import streamlit as st

from app_pages import _shared as S
from kg import views as V

g = S.graph()
problems: list[str] = []
S.section("Search", level=1)
present = sorted(g.cached(V.label_counts))
on_q = S.bind("search_q", "q", "")
on_labels = S.bind("search_labels", "label", [], options=present,
                   cast=lambda raw: [x for x in raw.split(",") if x], problems=problems,
                   expect="node labels among " + ", ".join(present),
                   url_only=True)  # the URL alone says which kinds: the box is on request
S.show_problems(problems)
as_of = S.as_of()


def _search_href(text: str) -> str:
    return S.page_href("search", q=text, **S.sticky())


def _hit_line(h) -> str:  # noqa: ANN001 - a kg.search.SearchHit
    how = {"name": "name", "synonym": "synonym: " + ", ".join(h.synonyms[:4]),
           "text": "text"}[h.matched]
    words = f"{h.words} of {h.of} words · " if h.of > 1 else ""
    line = (f"{S.badge(h.label)} {S.link(h.id, h.name)} "
            f"<small style='color:#666'>— {S.esc(words)}matched {S.esc(how)} · "
            f"<code>{S.esc(h.id)}</code>" + (" · CIViC" if h.source == "civic" else "")
            + "</small>")
    if h.snippet:
        line += f"<br><small style='color:#666'>{S.esc(h.snippet)}</small>"
    return f"<li style='margin-bottom:0.35em'>{line}</li>"


@st.fragment
def box_and_results() -> None:
    """The search box (committed while typing), suggestions, and the ranked hits."""
    text = st.text_input(
        "Search names, synonyms and text", key="search_q", on_change=on_q, live=True,
        placeholder="alectinib, Alecensa, G1202R, J-ALEX, brain metastases …",
        help="Any word counts: hits matching more of your words come first, exact names "
             "and trial acronyms before everything. Typos are corrected; clinical synonyms "
             "(brain = CNS = intracranial, PFS = progression-free survival, brand and code "
             "names) match each other. A word also matches as the start of a word "
             "(alec → alectinib). Punctuation is ignored.")
    # the kinds filter: a link labelled with it draws its box on request (``open=kinds``; a
    # select box cost a page about 50 ms of the browser's work on every load, a closed
    # popover about 13 ms: docs/browser-speed.md, "Sixth pass" and "Seventh pass")
    labels = list(st.session_state.get("search_labels") or [])
    kinds = S.open_link("search", "kinds", "Only these kinds: "
                        + (", ".join(labels) if labels else "all kinds"))
    if S.opened("kinds"):
        with st.container(border=True, key="kg_open_kinds"):
            labels = st.multiselect("Only these kinds", options=present, key="search_labels",
                                    on_change=on_labels, placeholder="all kinds")
            S.html_block(f"<p class='kg-caption'>{S.close_link('search')}</p>")
        kinds = ""
    if not text.strip():
        S.html_block(kinds)
        st.info("Type a name to search: a drug (brand or code names work too), a variant "
                "(G1202R or ALK p.G1202R), a mechanism, a trial (J-ALEX), or words from a "
                "claim or figure (brain metastases lorlatinib).", icon=":material/search:")
        return
    # everything under the box is one element (docs/browser-speed.md)
    parts = [kinds]
    sugg = g.suggest(text, as_of=as_of)
    if sugg:
        parts.append("<div><small>Suggestions: " + " · ".join(
            f"{S.link(h.id, h.name)} <span style='color:#888'>({S.esc(h.label)})</span>"
            for h in sugg[:6]) + "</small></div>")
    res = g.search(text, labels, as_of=as_of, limit=50)
    if res.corrected:
        fixes = ", ".join(f"“{c.typed}” → “{c.meant}”" for c in res.corrections)
        parts.append(f"<div style='margin:0.3em 0'>Did you mean <b><a href="
                     f"'{S.attr(_search_href(res.corrected))}'>"
                     f"{S.esc(res.corrected)}</a></b>? Showing the results for it "
                     f"<small style='color:#666'>({S.esc(fixes)})</small>.</div>")
    if not res.hits:
        S.html_block("".join(parts))
        st.warning(f"No match for “{S.esc(text)}”" + (f" among {S.esc(', '.join(labels))}"
                                                      if labels else "")
                   + ". Try another name or fewer words.", icon=":material/search_off:")
        return
    syn = [c for c in res.concepts if len(c.terms) > 1]
    if syn:
        parts.append("<div><small style='color:#666'>Also matched: " + S.esc("; ".join(
            f"{c.text} = " + " = ".join(t for t in c.terms if t.lower() != c.text)
            for c in syn)) + "</small></div>")
    if res.named:
        parts.append("<div style='margin:0.2em 0 0.5em 0'><b>Named in your query:</b> "
                     + " · ".join(f"{S.badge(h.label)} {S.link(h.id, h.name)}"
                                  for h in res.named) + "</div>")
    parts.append(f"<small style='color:#666'>{len(res.hits)} hit"
                 f"{'s' if len(res.hits) != 1 else ''} for “{S.esc(text)}”, best first: more "
                 "of your words matched, then whole names, then entities.</small>")
    parts.append("<ol style='padding-left:1.4em' class='kg-hits'>"
                 + "".join(_hit_line(h) for h in res.hits) + "</ol>")
    S.html_block("".join(parts))


box_and_results()
