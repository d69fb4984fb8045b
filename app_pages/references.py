"""References: the bibliography, what each work supports, and a BibTeX download.

URL: ``?q=<words in author, title, journal, key>&page=<n>`` (50 works a page, chosen by
links) plus the settings' ``source`` (curated
keeps the curated bibliography, civic the works imported with CIViC evidence) and ``as_of``
(works published after the date are left out).
"""

import streamlit as st

from app_pages import _shared as S
from app_pages._params import ignored
from kg import views as V

g = S.graph()
source = S.source_filter()
as_of = S.as_of()


def _visible(source: str, as_of: str | None) -> list[V.BibItem]:
    items = g.cached(V.bibliography, source=source)
    if not as_of:
        return items
    dates, when = g.cached(V.publication_dates), V.as_date(as_of)
    return [it for it in items if dates.visible(it.id, when)]


items = _visible(source, as_of)
# the filter is a form that opens this page with ``q=`` (a new filter starts at page 1): a
# Streamlit text box cost the page about 35 ms of the browser's work on every load
# (docs/browser-speed.md, "Seventh pass")
text = S.param("q") or ""
words = [w.lower() for w in text.split()]
head = S.section_html("References", level=1) + S.form_html(
    "references", "q", "Filter by author, title, journal, year or key", value=text,
    placeholder="e.g. Gainor, CROWN, 2020, letter", button="Filter")


def haystack(it: V.BibItem) -> str:
    p = it.props
    return " ".join(str(x) for x in (it.reference.text, p.get("bib_key"), p.get("year"),
                                     p.get("pub_kind"), it.id)).lower()


@st.cache_data(max_entries=64, show_spinner=False)
def bibtex(version: str, source: str, text: str, as_of: str | None) -> str:
    """Return the BibTeX of the works matching the filter, built once per graph version.

    Parameters
    ----------
    version : str
        The graph version (part of the cache key).
    source : {'both', 'curated', 'civic'}
        The evidence-source filter of the settings.
    text : str
        The filter box's words; every word must occur in a work's `haystack`.
    as_of : str or None
        The "as of" date of the settings: works published after it are left out.

    Returns
    -------
    str
        BibTeX entries (`kg.views.to_bibtex`).
    """
    return V.to_bibtex(it for it in _visible(source, as_of)
                       if all(w in haystack(it) for w in text.lower().split()))


shown = [it for it in items if all(w in haystack(it) for w in words)]
PAGE = 50  # works per page: a page of the CIViC-loaded bibliography draws in one go
FIRST = 10  # works drawn with the page; the rest when scrolled near (later_html)
n_pages = max(1, -(-len(shown) // PAGE))
problems: list[str] = []
# the page is chosen by links (``page=``), not a number box: every widget costs each page load
# (docs/browser-speed.md)
page, raw_page = 1, S.param("page")
if raw_page is not None:
    page = int(raw_page) if raw_page.isdigit() and 1 <= int(raw_page) <= n_pages else 0
    if not page:
        problems.append(ignored("page", raw_page, f"a page number from 1 to {n_pages}"))
        page = 1
if problems:  # the title first, then what is wrong
    S.html_block(head)
    head = ""
S.show_problems(problems)


def _page_href(n: int) -> str:
    return S.page_href("references", **({"q": text} if text else {}),
                       **({"page": str(n)} if n > 1 else {}), **S.sticky())


S.html_block(head + "<p class='kg-caption kg-works'>" + S.esc(
    f"{len(shown)} of {len(items)} works ({V.SOURCE_FILTERS[source]}"
    + (f", published by {as_of}" if as_of else "") + "), sorted by first author (title when "
    "there is none). Each counts what in the graph rests on it; its publication page lists "
    "them.") + "</p>")
st.download_button("Download BibTeX", data=bibtex(g.version, source, text, as_of),
                   file_name="alk_kg_references.bib",
                   mime="application/x-bibtex", icon=":material/download:",
                   help="The works listed here, as BibTeX (keys as in data/references.bib).")
if not shown:
    st.warning(f"No work matches “{S.esc(text)}”.", icon=":material/search_off:")
    st.stop()

start = (page - 1) * PAGE
out = []
for it in shown[start:start + PAGE]:
    # what rests on a work is counted here and listed on its publication page (a link in its
    # reference): listed here, in a closed box each, it was 60% of the page's markup, which
    # the browser sanitises and parses on every load (docs/browser-speed.md, "Eighth pass")
    kinds = "; ".join(f"{k}: {len(v)}" for k, v in it.supports) or "nothing yet"
    cites = "; ".join(f"{k}: {len(v)}" for k, v in (("cites", it.cites),
                                                    ("cited by", it.cited_by)) if v)
    key = f" <code>{S.esc(it.props['bib_key'])}</code>" if it.props.get("bib_key") else ""
    kind = it.props.get("pub_kind")
    out.append(
        f"<li style='margin-bottom:0.6em'>{S.reference_html(it.reference)}{key}"
        + (f" <small>({S.esc(kind)})</small>" if kind and kind != "article" else "")
        + f"<br><small>supports: {S.esc(kinds)}" + (f" · {S.esc(cites)}" if cites else "")
        + "</small></li>")
pager = ("<p>Page: " + S.choice_links(
    [(str(n), str(n)) for n in range(1, n_pages + 1)], str(page),
    lambda n: _page_href(int(n))) + f" <small>({PAGE} works a page)</small></p>"
    if n_pages > 1 else "")
# the first screen's works are drawn with the page, the rest in boxes of FIRST that are laid
# out when scrolled near (app_pages._cards.later_html), numbered on
lists = [f"<ol start='{start + k + 1}'>" + "".join(out[k:k + FIRST]) + "</ol>"
         for k in range(0, len(out), FIRST)]
S.html_block(pager + "".join(x if k == 0 else S.later_html(x) for k, x in enumerate(lists))
             + pager)
