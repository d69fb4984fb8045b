"""Tumour-board prep: a patient's situation in, a cited evidence sheet out.

The scenario follows the letter's path: the drug the disease progressed on (and those
before it), where it progressed, oligoprogression (with a lesion count) or systemic, the
alterations found (free text, normalised against the graph) and the sample. The sheet is
`kg.sheets.prep_sheet` laid out as HTML (`app_pages._prep_html`), with Markdown, PDF,
BibTeX (exactly the works cited) and JSON downloads and a print stylesheet (printing gives
the sheet alone).

All state is in the URL: ``?drug=alectinib&prior=crizotinib&progression=extracranial&
pattern=systemic&alteration=G1202R&sample=tissue&as_of=2020-03-09&add=<id>`` (``prior``,
``alteration`` and ``add`` repeat). While the reader browses other pages the scenario and
the basket (items added with the "Add ... to the tumour-board sheet" boxes,
`app_pages._basket`) stay in the session
state; coming back writes them into this page's URL again. A bad parameter is explained in
a yellow box naming the field, never a traceback.
"""

from __future__ import annotations

import re

import streamlit as st

from app_pages import _basket as B
from app_pages import _shared as S
from app_pages._prep_html import PRINT_CSS, SCREEN_CSS, sheet_html
from kg import sheets as K
from kg.schema.errors import KGError

STATE = "prep_state"  # the scenario of this session (plain session state, not a widget)
LAST_URL = "prep_last_url"  # the query parameters this page last wrote
FIELDS = ("drug", "prior", "progression", "pattern", "lesions", "alterations", "sample",
          "as_of")
LISTS = {"prior": "prior", "alterations": "alteration"}  # field -> repeated URL parameter
W = {f: f"prep_w_{f}" for f in FIELDS}  # widget keys

g = S.graph()
with st.container(key="prep_intro"):  # hidden in print, like the controls
    S.section("Tumour-board prep", level=1)
    st.caption("Describe the situation; the sheet below gathers the evidence the graph holds "
               "for it, curated and CIViC (the evidence filter of the settings does not "
               "apply), every item cited, and can be downloaded or printed.")
drugs = g.cached(K.alk_inhibitors)
by_name = {d["name"]: d for d in drugs}
lookup = {s.lower(): d["name"] for d in drugs for s in (d["id"], d["name"], *d["synonyms"])}
problems: list[str] = []


def _from_url() -> dict:
    """The scenario fields the URL carries (checked; bad ones reported and dropped)."""
    qp = st.query_params
    got: dict = {}
    for f in FIELDS:
        name = LISTS.get(f, f)
        values = [v for v in qp.get_all(name) if v.strip()]
        bad = next((v for v in values if S.control_char(v)), None)
        if bad is not None:
            problems.append(f"Ignored “{name}={S.esc(bad[:200])}” in the URL: it holds the "
                            f"control character {S.control_char(bad)}.")
            values = [v for v in values if not S.control_char(v)]
        if not values:
            continue
        if f in LISTS:
            got[f] = values
        else:
            got[f] = values[0].strip()
    if "drug" in got:
        name = lookup.get(got["drug"].lower())
        if name is None:
            problems.append(f"“drug={S.esc(got['drug'])}” in the URL: no ALK inhibitor of that "
                            "name in "
                            f"the graph (one of {', '.join(by_name)}); choose one below.")
            del got["drug"]
        else:
            got["drug"] = name
    if "prior" in got:
        bad = [p for p in got["prior"] if p.lower() not in lookup]
        if bad:
            problems.append(f"“prior={S.esc(bad[0])}” in the URL: no ALK inhibitor of that name in "
                            "the graph; left out.")
        got["prior"] = [lookup[p.lower()] for p in got["prior"] if p.lower() in lookup]
    for f, opts in (("progression", K.PROGRESSION_SITES), ("pattern", K.PATTERNS),
                    ("sample", K.SAMPLES)):
        if f in got and got[f].lower() not in opts:
            problems.append(f"“{f}={S.esc(got[f])}” in the URL: expected "
                            f"{', '.join(opts[:-1])} or {opts[-1]}; choose below.")
            del got[f]
        elif f in got:
            got[f] = got[f].lower()
    if "lesions" in got:
        if not re.fullmatch(r"[0-9]{1,2}", got["lesions"]) or int(got["lesions"]) < 1:
            problems.append(f"“lesions={S.esc(got['lesions'])}” in the URL: expected a whole "
                            "number from 1 to 99.")
            del got["lesions"]
        else:
            got["lesions"] = int(got["lesions"])
    return got


def _url_now() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in sorted(st.query_params.keys())
            if k != "source"}


def _state() -> tuple[dict, bool]:
    """This session's scenario, and whether it came from a URL this page did not write.

    A URL the page wrote itself (``LAST_URL``) holds nothing new: the session's scenario,
    changed by the widgets since, wins. Any other URL (a shared link, a bookmark) sets the
    scenario; without parameters (after another page), the session's scenario stays.
    """
    base = {"drug": None, "prior": [], "progression": None, "pattern": None, "lesions": None,
            "alterations": [], "sample": "", "as_of": ""}
    now = _url_now()
    fresh = bool(now) and now != st.session_state.get(LAST_URL)
    state = {**base, **(st.session_state.get(STATE) or {}), **(_from_url() if fresh else {})}
    st.session_state[STATE] = state
    if fresh:
        B.add([x for x in st.query_params.get_all("add") if x.strip()])
    return state, fresh


def _changed(field: str) -> None:
    value = st.session_state.get(W[field])
    if field == "alterations":
        value = [x.strip() for x in str(value or "").splitlines() if x.strip()]
    st.session_state[STATE] = {**st.session_state.get(STATE, {}), field: value}


def _write_url(state: dict, basket: list[str]) -> None:
    want: dict[str, list[str]] = {}
    for f in FIELDS:
        v = state.get(f)
        if v in (None, "", []):
            continue
        want[LISTS.get(f, f)] = [str(x) for x in v] if isinstance(v, list) else [str(v)]
    if basket:
        want["add"] = list(basket)
    qp = st.query_params
    for k in list(qp.keys()):
        if k not in want and k != "source":
            del qp[k]
    for k, v in want.items():
        if qp.get_all(k) != v:
            qp[k] = v if len(v) > 1 else v[0]
    st.session_state[LAST_URL] = _url_now()


def _basket_changed() -> None:
    st.session_state[B.BASKET_KEY] = list(st.session_state.get("prep_w_basket") or [])


state, fresh = _state()
state["prior"] = [p for p in state["prior"] if p != state["drug"]]
for f in FIELDS:  # widgets not drawn since (e.g. after another page), or set by a new URL
    if fresh or W[f] not in st.session_state:
        v = state[f]
        st.session_state[W[f]] = "\n".join(v) if f == "alterations" else v

with st.container(key="prep_controls"):
    c1, c2 = st.columns([1, 2])
    c1.selectbox("Progressing on", options=list(by_name), key=W["drug"],
                 on_change=_changed, args=("drug",), placeholder="the current ALK inhibitor")
    c2.multiselect("Received before", options=[n for n in by_name
                                               if n != st.session_state.get(W["drug"])],
                   key=W["prior"], on_change=_changed, args=("prior",),
                   placeholder="earlier ALK inhibitors, if any")
    c1, c2, c3 = st.columns([2, 2, 1])
    c1.radio("Site of progression", options=list(K.PROGRESSION_SITES),
             key=W["progression"], on_change=_changed, args=("progression",), horizontal=True)
    c2.radio("Pattern", options=list(K.PATTERNS), key=W["pattern"],
             on_change=_changed, args=("pattern",), horizontal=True)
    if st.session_state.get(W["pattern"]) == "oligoprogression":
        c3.number_input("Progressing lesions", min_value=1, max_value=99, step=1,
                        key=W["lesions"], on_change=_changed, args=("lesions",))
    c1, c2, c3 = st.columns([3, 1, 1])
    c1.text_area("Alterations found (one per line)", key=W["alterations"], height=80,
                 on_change=_changed, args=("alterations",),
                 placeholder="e.g. G1202R\nMET amplification\nEML4-ALK v3")
    c2.radio("Sample", options=["", *K.SAMPLES], key=W["sample"], on_change=_changed,
             args=("sample",), format_func=lambda x: x or "not given")
    c3.text_input("Evidence as of", key=W["as_of"], on_change=_changed, args=("as_of",),
                  placeholder="YYYY-MM-DD or letter",
                  help="Only evidence published by this date ('letter': 9 March 2020, when "
                       "the letter was accepted). Empty: everything in the graph.")

with st.container(key="prep_basket_box"):
    items = B.basket()
    if items:
        st.multiselect("Added by you (from claim cards and figure tables)", options=items,
                       default=items, key="prep_w_basket", on_change=_basket_changed,
                       help="Remove an item here; add more with the “Add … to the "
                            "tumour-board sheet” boxes under claim lists and figure tables "
                            "elsewhere in the browser.")
    else:
        st.caption("Add claims and figures to this sheet with the “Add … to the tumour-board "
                   "sheet” boxes under claim lists (entity pages, the matrix) and figure tables "
                   "(trials, drug and trial pages).")

state = st.session_state[STATE]
basket = B.basket()
_write_url(state, basket)
S.html_block(f"<style>{SCREEN_CSS}{PRINT_CSS}</style>")
S.show_problems(problems)
scenario_fields = {f: state.get(f) for f in FIELDS}
missing = [f for f in ("drug", "progression", "pattern") if not scenario_fields.get(f)]
if missing:
    st.info("To build the sheet, choose: " + ", ".join(
        {"drug": "the drug the disease progressed on", "progression": "the site of progression",
         "pattern": "the pattern"}[f] for f in missing) + ".", icon=":material/edit_note:")
    st.stop()
try:
    scenario = K.Scenario.parse(scenario_fields)
    meta = g.store.meta() if hasattr(g.store, "meta") else {}
    sheet = g.cached(K.prep_sheet, scenario=scenario.to_dict(), basket=basket,
                     graph_version=g.version, built_at=str(meta.get("built_at") or ""))
except K.ScenarioError as exc:
    st.warning("The scenario cannot be used yet:\n\n" + "\n".join(
        f"- {S.esc(p)}" for p in exc.problems), icon=":material/warning:")
    st.stop()
except KGError as exc:
    st.error(f"The sheet could not be built: {S.esc(exc)}")
    st.stop()

stem = re.sub(r"[^a-z0-9]+", "_", f"tumour_board_{sheet.drug[1]}_{scenario.progression}")
with st.container(key="prep_downloads"):
    d1, d2, d3, d4, d5 = st.columns(5)
    d1.download_button("Markdown", data=lambda: K.to_markdown(sheet), file_name=f"{stem}.md",
                       mime="text/markdown", icon=":material/download:", width="stretch")
    d2.download_button("PDF", data=lambda: K.to_pdf(sheet), file_name=f"{stem}.pdf",
                       mime="application/pdf", icon=":material/picture_as_pdf:",
                       width="stretch")
    d3.download_button("BibTeX", data=lambda: K.to_bibtex(sheet), file_name=f"{stem}.bib",
                       mime="application/x-bibtex", icon=":material/menu_book:",
                       width="stretch",
                       help=f"Exactly the {len(sheet.works)} works this sheet cites.")
    d4.download_button("JSON", data=lambda: K.to_json(sheet), file_name=f"{stem}.json",
                       mime="application/json", icon=":material/data_object:",
                       width="stretch")
    d5.caption("Print (Ctrl+P) gives the sheet alone.")
S.html_block(sheet_html(sheet))
