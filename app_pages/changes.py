"""What changed since a date: trials, figures and claims first published after it.

Newest first, under the work that first reported them (each work cited once). The default
date is the letter's acceptance (9 March 2020): what a reader of the letter could not know
yet. With an "as of" date in the settings, only what was published up to that date is
listed.

URL: ``?since=YYYY-MM-DD`` or ``?since=letter``.
"""

from collections.abc import Sequence

from app_pages import _shared as S
from app_pages._params import ignored
from kg import views as V

g = S.graph()
problems: list[str] = []
as_of = S.as_of()
KINDS = {"Trial": "Trials", "Outcome": "Published figures", "Claim": "Claims"}
SHOWN = 150  # items listed per kind; the rest are counted


def _since(raw: str) -> str:
    if V.parse_as_of(raw) is None:
        raise ValueError("empty")
    return raw.strip()


# the date is a form that opens this page with ``since=`` (a Streamlit text box cost the page
# about 35 ms of the browser's work on every load: docs/browser-speed.md, "Seventh pass")
typed = "letter"
raw = S.param("since")
if raw is not None:
    try:
        typed = _since(raw)
    except ValueError:
        problems.append(ignored("since", raw, "a date as YYYY-MM-DD, or 'letter'"))
since = V.parse_as_of(typed) or V.LETTER_ACCEPTED
head = S.section_html("What changed since …", level=1) + S.form_html(
    "changes", "since", "Published after (YYYY-MM-DD, or “letter”)", value=raw or typed,
    button="Show") + ("<p class='kg-caption'>The default: when the letter was accepted "
                      "(9 March 2020). What could its readers not know yet?</p>"
                      if since == V.LETTER_ACCEPTED else "")
if problems:  # the title first, then what is wrong
    S.html_block(head)
    head = ""
S.show_problems(problems)
ch = g.cached(V.changes_since, since=since.isoformat(), until=as_of)


def _by_work(items: Sequence[V.Change]) -> str:
    """The items under the work that first reported each, the works newest first.

    A work is cited once, however many of its figures or claims are listed (a label's
    section 5.1 reports dozens): the list is a third of the markup it was with the reference
    under every item.
    """
    works: dict[str, list[V.Change]] = {}
    for c in items[:SHOWN]:
        works.setdefault(c.pub_id or c.reference.text, []).append(c)
    out = []
    for group in works.values():
        first = group[0]
        src = " · CIViC" if first.source == "civic" else ""
        out.append(f"<li><b>{S.esc(first.when)}</b> — <small>"
                   f"{S.reference_html(first.reference)}{S.esc(src)}</small><ul>"
                   + "".join(f"<li>{S.link(c.id, c.name)}</li>" for c in group) + "</ul></li>")
    more = (f"<p class='kg-caption'>… and {len(items) - SHOWN} more of this kind (older).</p>"
            if len(items) > SHOWN else "")
    return "<ul class='kg-changes'>" + "".join(out) + "</ul>" + more


# the whole page is one element (docs/browser-speed.md)
parts = [head + "<p class='kg-caption'>" + S.esc(
    f"{len(ch.items)} trials, figures and claims first published after {since:%-d %B %Y}"
    + (f" and by {as_of} (the “as of” date)" if as_of else "")
    + ", newest first, under the work that first reported them. A work known only by its "
    "year counts as published on 1 January of that year.") + "</p>"]
# the first kind is the first screen; the kinds below it are laid out when scrolled near
# (app_pages._cards.later_html)
for k, (kind, title) in enumerate(KINDS.items()):
    items = ch.of(kind)
    parts.append(S.section_html(f"{S.esc(title)} ({len(items)})",
                                _by_work(items) if items else "<p class='kg-caption'>None.</p>",
                                later=k > 0))
if ch.same_year:
    parts.append(S.section_html(
        f"Published in {since.year}, day not recorded ({len(ch.same_year)})",
        _by_work(ch.same_year), caption=f"These works are known only by their year, "
        f"{since.year}: they may have come out before or after {since:%-d %B}.", later=True))
S.html_block("".join(parts))
