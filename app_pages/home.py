"""Home: what the graph holds, a search box, and the ways in.

The page is one plain HTML element: the title with the intro, the search box (a form that
opens the search page with ``q=``, `app_pages._cards.form_html`; a Streamlit text box cost
the page about 35 ms of the browser's work: docs/browser-speed.md, "Seventh pass"), the
counts, the ways in and the entity lists.
"""

from app_pages import _shared as S
from kg import views as V

g = S.graph()
parts = [S.section_html("ALK-positive NSCLC evidence browser", level=1, body=(
    "<p>Why do ALK-positive tumours stop responding to ALK inhibitors, and what did the trials "
    "show? Every statement here is a <b>claim</b> made by one publication, shown with its "
    "evidence level, the exact place in the paper (locator) and a verbatim quote, one click "
    "from the paper itself.</p>"))
    + S.form_html("search", "q", "Search names, synonyms and claim text",
                  placeholder="alectinib, Alecensa, G1202R, MET amplification, CROWN …")]

counts = g.cached(V.label_counts)
labels = sorted(counts, key=lambda lb: -sum(counts[lb].values()))


def _by_source(label: str) -> str:
    return ", ".join(f"{src or 'unknown'}: {n}" for src, n in sorted(counts[label].items()))


n_civic = sum(c.get("civic", 0) for c in counts.values())
parts.append(S.section_html("What the graph holds", "<div class='kg-counts'>" + "".join(
    f"<div class='kg-count' title='{S.attr(_by_source(lb))}'>"
    f"<div class='kg-count-n'>{sum(counts[lb].values())}</div>"
    f"<div class='kg-count-label'>{S.esc(lb)}</div></div>" for lb in labels) + "</div>"
    "<p class='kg-caption'>CIViC evidence is loaded: "
    + (f"{n_civic} nodes from CIViC." if n_civic else "no (curated evidence only).") + "</p>"))

ways = {
    "search": "find a drug, variant, mechanism, trial or claim by any of its names",
    "matrix": "which variants make tumours resistant or sensitive to which drug",
    "trials": "the randomised trials: arms, hazard ratios, median PFS/OS, CNS endpoints",
    "graph": "the neighbourhood of any entity, drawn; click a node to open its page",
    "references": "the bibliography: what each work supports; BibTeX download",
    "changes": "what was published after a date (the letter's, by default), newest first",
}
parts.append(S.section_html("Start here", "<ul class='kg-ways'>" + "".join(
    f"<li><a href='{S.attr(S.page_href(name, **S.sticky()))}'>"
    f"{S.esc(S.PAGES[name][1])}</a> — {S.esc(what)}</li>" for name, what in ways.items())
    + "</ul>"))

groups = [("Drugs", V.DRUG), ("Variants", V.VARIANT), ("Resistance mechanisms", V.MECHANISM),
          ("Trials", V.TRIAL)]
as_of = S.as_of()
dates = g.cached(V.publication_dates) if as_of else None
blocks = []
for title, label in groups:
    nodes = g.cached(V.find_nodes, labels=[label], limit=200)
    if dates is not None:
        nodes = [n for n in nodes if dates.visible(n["id"], V.as_date(as_of))]
    shown = nodes[:25]
    blocks.append(f"<div><b>{S.esc(title)}</b> ({len(nodes)})<br>"
                  + "<br>".join(S.link(n["id"], n["name"] or n["id"]) for n in shown)
                  + (f"<br><small>… {len(nodes) - len(shown)} more: use Search.</small>"
                     if len(nodes) > len(shown) else "") + "</div>")
parts.append(S.section_html("Entities", "<div class='kg-columns'>" + "".join(blocks)
                            + "</div>"))
S.html_block("".join(parts))
