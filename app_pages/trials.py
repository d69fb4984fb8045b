"""Trials and outcomes: arms, a forest plot of hazard ratios, medians per arm, CNS endpoints.

Every figure is shown as published (``value_text`` and the CI texts); the floats only place
points on the axes. Every plotted point links to its source (click opens the DOI or PubMed
page) and its tooltip gives reference, locator and quote. URL: ``?trial=<id>&endpoint=PFS``.
"""

import pandas as pd
import streamlit as st

from app_pages import _basket as B
from app_pages import _charts as C
from app_pages import _shared as S
from kg import views as V

g = S.graph()
problems: list[str] = []
st.title("Trials and outcomes")
arms = g.cached(V.trial_arms)
trials = {a["trial_id"]: a["trial_name"] for a in arms}
on_trial = S.bind("trials_trial", "trial", "", options=["", *trials], problems=problems,
                  expect="a trial id such as NCT02075840")
outs_all = g.cached(V.trial_outcomes)
hr_endpoints = sorted({o["endpoint"] for o in outs_all if o["measure"] == "hazard_ratio"})
default_ep = "PFS" if "PFS" in hr_endpoints else (hr_endpoints[0] if hr_endpoints else "")
on_ep = S.bind("trials_endpoint", "endpoint", default_ep, options=hr_endpoints,
               problems=problems, expect="an endpoint with hazard ratios: "
               + ", ".join(hr_endpoints))
S.show_problems(problems)
if not arms:
    st.info("No trials in the graph.")
    st.stop()
trial = st.selectbox("Trial", options=["", *trials], key="trials_trial", on_change=on_trial,
                     format_func=lambda t: "all trials" if not t else f"{trials[t]} ({t})")
outs = [o for o in outs_all if not trial or o["trial_id"] == trial]
def link_col(label: str = "source") -> st.column_config.LinkColumn:
    return st.column_config.LinkColumn(
        label, display_text=r"https?://(?:dx\.)?(?:doi\.org|pubmed\.ncbi\.nlm\.nih\.gov)/(.*)")


# -- trials and arms ---------------------------------------------------------------------
st.subheader("Trials and arms")
sel = [a for a in arms if not trial or a["trial_id"] == trial]
st.dataframe(pd.DataFrame([{
    "trial": a["trial_name"], "arm": a["arm_name"], "role": a["role"], "n": a["n_text"],
    "received": a.get("treatment") or ", ".join(a["treatments"] or []), "phase": a["phase"],
    "setting": a["setting"], "design": a["design"], "id": a["trial_id"],
    "page": S.entity_href(a["trial_id"])} for a in sel]).fillna(""),
    hide_index=True, width="stretch", height=35 * (len(sel) + 1) + 3,
    column_config={"page": st.column_config.LinkColumn("trial page", display_text="open")})

# -- forest plot -------------------------------------------------------------------------
st.subheader("Hazard ratios (forest plot)")
endpoint = st.pills("Endpoint", options=hr_endpoints, key="trials_endpoint",
                    on_change=on_ep, selection_mode="single") or default_ep
spec = C.forest_spec(g.version, g.sdir, trial, endpoint)
if spec is None:
    st.info(f"No {endpoint} hazard ratio for this selection.")
else:
    st.vega_lite_chart(spec, width="content")
    st.caption("Squares: hazard ratio as published; bars: its confidence interval, coloured by "
               "the CI level stated in the paper (not all are 95%). Click a square or a figure "
               "to open the paper (in this tab; Back returns to this view); hover for the quote "
               "and locator. Bounds not estimable (NE/NR) are not drawn.")

# -- medians per arm -----------------------------------------------------------------
st.subheader("Median PFS and OS per arm")
med = [o for o in outs if o["measure"] == "median" and o["endpoint"] in ("PFS", "OS")]
if not med:
    st.info("No median PFS/OS figures for this selection.")
else:
    md = pd.DataFrame([{
        "trial": o["trial_name"], "endpoint": o["endpoint"], "arm": o["arm_short"],
        "median (as published)": o["display"], "population": o["population"],
        "assessment": o["assessment"], "cut-off": o["data_cutoff"], "locator": o["locator"],
        "source": S.outcome_href(o), "quote": o["quote"]} for o in med]).fillna("")
    st.dataframe(md, hide_index=True, width="stretch", column_config={"source": link_col()},
                 key="trials_medians", on_select="rerun", selection_mode="multi-row")
    B.add_selected("trials_medians", [o["outcome_id"] for o in med])
    spec = C.medians_spec(g.version, g.sdir, trial)
    if spec is not None:
        st.vega_lite_chart(spec, width="stretch")
    n_nr = sum(o.get("value") is None for o in med)
    if n_nr:
        st.caption(f"{n_nr} median(s) not reached (NR) are in the table but cannot be plotted.")

# -- CNS endpoints -----------------------------------------------------------------------
st.subheader("CNS endpoints")
cns = [o for o in outs if o["endpoint"].upper().startswith(("IC-", "CNS"))
       or any(w in (o["population"] or "").lower() for w in ("cns", "brain"))]
if not cns:
    st.info("No CNS figures for this selection.")
else:
    st.dataframe(pd.DataFrame([{
        "trial": o["trial_name"], "endpoint": o["endpoint"],
        "measure": o["measure"].replace("_", " "), "arm / comparison": o["comparison"],
        "population": o["population"], "value (as published)": o["display"],
        "p": o["p_value_text"], "timepoint": o["timepoint"], "locator": o["locator"],
        "source": S.outcome_href(o), "quote": o["quote"]} for o in cns]).fillna(""),
        hide_index=True, width="stretch", column_config={"source": link_col()},
        key="trials_cns", on_select="rerun", selection_mode="multi-row")
    B.add_selected("trials_cns", [o["outcome_id"] for o in cns])
