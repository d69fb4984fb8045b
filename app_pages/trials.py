"""Trials and outcomes: the trials and their arms, then one view of their figures at a time.

The views (``view=``): a forest plot of hazard ratios (the default), medians per arm, CNS
endpoints. One at a time, because the three together were about 90 kB of HTML and 1000
elements, most below the first screen, which the browser drew before showing anything
(docs/browser-speed.md, "Seventh pass"); each view's link says how many figures it holds.

Every figure is shown as published (``value_text`` and the CI texts) and named with its
trial and analysis; the floats only place marks on the axes. The charts are plain HTML
(`app_pages._charts`): they fit a phone and print as shown. Every value and mark links to its
source (DOI or PubMed page) and its tooltip gives reference, locator and quote. Tables are
plain HTML that wraps (no sideways scrolling at 1280 px; blank cells "-"); the medians'
table (each with its source and quote written out) is drawn on request.
URL: ``?trial=<id>&view=hr|medians|cns&endpoint=PFS&medians=table&open=figures`` plus the
settings' ``as_of``; the trial, the view, the endpoint and the medians' table are chosen by
links, and the box that adds the figures shown to the tumour-board sheet is drawn on
request.
"""

import streamlit as st

from app_pages import _basket as B
from app_pages import _charts as C
from app_pages import _figures as F
from app_pages import _shared as S
from app_pages._layout import table_html
from app_pages._params import ignored
from kg import views as V

g = S.graph()
problems: list[str] = []
as_of = S.as_of()
title = S.section_html("Trials and outcomes", level=1)
arms = g.cached(V.trial_arms, as_of=as_of)
trials = {a["trial_id"]: a["trial_name"] for a in arms}
# the trial, the view, the endpoint and the medians' table are links (``trial=``, ``view=``,
# ``endpoint=``, ``medians=table``), not widgets: a select box cost the page about 50 ms of
# the browser's work on every load (docs/browser-speed.md, "Sixth pass")
trial = S.param("trial") or ""
if trial not in ("", *trials):
    problems.append(ignored("trial", trial, "a trial id such as NCT02075840"
                            + (" (published by the “as of” date)" if as_of else "")))
    trial = ""
#: What the page shows under the trials: one of the three at a time (``view=``).
VIEWS = {"hr": "Hazard ratios (forest plot)", "medians": "Median PFS and OS per arm",
         "cns": "CNS endpoints"}
view = S.param("view") or "hr"
if view not in VIEWS:
    problems.append(ignored("view", view, ", ".join(VIEWS)))
    view = "hr"
outs_all = g.cached(V.trial_outcomes, as_of=as_of)
hr_endpoints = sorted({o["endpoint"] for o in outs_all if o["measure"] == "hazard_ratio"})
default_ep = "PFS" if "PFS" in hr_endpoints else (hr_endpoints[0] if hr_endpoints else "")
endpoint = S.param("endpoint") or default_ep
if endpoint not in hr_endpoints and hr_endpoints:
    problems.append(ignored("endpoint", endpoint, "an endpoint with hazard ratios: "
                            + ", ".join(hr_endpoints)))
    endpoint = default_ep
medians_table = S.switched("medians", "table", problems)
if problems or not arms:  # the title first, then what is wrong
    S.html_block(title)
    title = ""
S.show_problems(problems)
if not arms:
    st.info("No trials in the graph" + (" by the “as of” date." if as_of else "."))
    st.stop()
outs = [o for o in outs_all if not trial or o["trial_id"] == trial]


def _href(**change: str | None) -> str:
    """This page's URL with `change` applied (a None value drops the parameter)."""
    params = {"trial": trial or None, "view": view if view != "hr" else None,
              "endpoint": endpoint if endpoint != default_ep else None,
              "medians": "table" if medians_table else None, **change}
    return S.page_href("trials", **{k: v for k, v in params.items() if v}, **S.sticky())


# -- trials and arms ---------------------------------------------------------------------
sel = [a for a in arms if not trial or a["trial_id"] == trial]
choose = "<p>Trial: " + S.choice_links(
    [("", "all trials"), *sorted(trials.items(), key=lambda kv: kv[1].lower())], trial,
    lambda t: _href(trial=t or None), title=lambda t: t) + "</p>"
# every trial: one row each, its arms in one cell (13 rows instead of 26, and the forest plot
# on the first screen); one trial: its arms, what each received, its regimen
parts = [title + S.section_html("Trials and arms", choose + (
    F.arms_table(sel, trial=True) if trial else F.trials_table(sel)
    + "<p class='kg-caption'>One row per trial; choose a trial for what each arm received "
      "and its figures alone.</p>"))]

# -- the figures: hazard ratios, medians or CNS endpoints, one view at a time --------------
# (the three together were about 90 kB of HTML, 1000 elements, most of them below the first
# screen, which the browser drew before showing anything: docs/browser-speed.md, "Seventh
# pass")
linked = [{**o, "source_url": S.outcome_href(o)} for o in outs]
hrs = [o for o in linked if o["measure"] == "hazard_ratio" and o["endpoint"] == endpoint]
med = [o for o in linked if o["measure"] == "median" and o["endpoint"] in ("PFS", "OS")]
cns = [o for o in outs if o["cns"]]
counts = {"hr": f" ({len(hrs)} {S.esc(endpoint)})" if hrs else "",
          "medians": f" ({len(med)})", "cns": f" ({len(cns)})"}
parts.append("<p class='kg-views'>Show: " + S.choice_links(
    [(k, v + counts[k]) for k, v in VIEWS.items()], view,
    lambda v: _href(view=None if v == "hr" else v, medians=None)) + "</p>")

if view == "hr":
    forest = C.forest_html(hrs, endpoint)
    parts.append(S.section_html(VIEWS["hr"], "<p>Endpoint: " + S.choice_links(
        [(ep, ep) for ep in hr_endpoints], endpoint, lambda ep: _href(endpoint=ep))
        + "</p>" + (forest + "<p class='kg-caption'>" + S.esc(
            "Each row: the trial and arms (population, assessment, analysis, cut-off), then "
            "the hazard ratio as published with its confidence interval. Squares: the "
            "hazard ratio; bars: its CI, coloured by the CI level stated in the paper (not "
            "all are 95%). Click a value or a mark to open the paper; hover for the quote "
            "and locator. Bounds not estimable (NE/NR) are not drawn.") + "</p>"
            if forest is not None else
            S.note_html(f"No {S.esc(endpoint)} hazard ratio for this selection."))))
    picked = hrs
elif view == "medians":
    picked = med
    if not med:
        parts.append(S.section_html(VIEWS["medians"], S.note_html(
            "No median PFS/OS figures for this selection.")))
    else:
        chart = C.medians_html(med)
        n_nr = sum(o.get("value") is None for o in med)
        # the chart shows each median as published and links it to its source (its
        # tooltip gives reference, locator and quote); the table, with each source and quote
        # written out, is drawn on request: it was most of the page's markup
        parts.append(S.section_html(
            VIEWS["medians"], (chart or "")
            + (f"<p class='kg-caption'>{n_nr} median(s) not reached (NR): listed with "
               "their text, no mark.</p>" if n_nr else "")
            + "<p class='kg-caption'>" + (
                f"<a href='{S.attr(_href(medians=None))}'>Hide the table</a>"
                if medians_table else
                f"<a href='{S.attr(_href(medians='table'))}'>Show the {len(med)} medians "
                "as a table, with their sources and quotes</a>") + "</p>"
            + (table_html([{
                "figure": S.link(o["outcome_id"], o["figure"]), "endpoint": o["endpoint"],
                "arm": o["arm_short"], "median (as published)": o["display"],
                "cut-off": o["data_cutoff"], "source": F.figure_rows([o])[0]["source"]}
                for o in med], ["figure", "endpoint", "arm", "median (as published)",
                                "cut-off", "source"], html_columns=("figure", "source"),
                nowrap=("median (as published)", "cut-off")) if medians_table else "")))
else:
    picked = cns
    parts.append(S.section_html(VIEWS["cns"], F.figures_table(cns, quotes=False),
                                caption="Open a figure for its verbatim quote and locator.")
                 if cns else S.section_html(VIEWS["cns"], S.note_html(
                     "No CNS figures for this selection.")))
# one box for the figures shown, drawn on request (``open=figures``)
if picked:
    parts.append(B.picker_link("trials", "figures", "figures"))
S.html_block("".join(parts))
F.basket_picker("trials_figures", picked, page="trials", panel="figures")
