"""What changed since a date: trials, figures and claims first published after it.

Newest first, each with the work that first reported it. The default date is the letter's
acceptance (9 March 2020): what a reader of the letter could not know yet. With an "as of"
date in the settings, only what was published up to that date is listed.

URL: ``?since=YYYY-MM-DD`` or ``?since=letter``.
"""

import streamlit as st

from app_pages import _shared as S
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


on_since = S.bind("changes_since", "since", "letter", cast=_since, problems=problems,
                  expect="a date as YYYY-MM-DD, or 'letter'")
st.title("What changed since …")
c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
typed = c1.text_input("Published after (YYYY-MM-DD, or “letter”)", key="changes_since",
                      on_change=on_since)
try:
    since = V.parse_as_of(typed) or V.LETTER_ACCEPTED
except ValueError:
    problems.append("Ignored the date in the box: expected a date as YYYY-MM-DD, or "
                    "'letter'; showing the letter's date.")
    since = V.LETTER_ACCEPTED
S.show_problems(problems)
if since == V.LETTER_ACCEPTED:
    c2.caption("The default: when the letter was accepted (9 March 2020). What could its "
               "readers not know yet?")
ch = g.cached(V.changes_since, since=since.isoformat(), until=as_of)
st.caption(f"{len(ch.items)} trials, figures and claims first published after "
           f"{since:%-d %B %Y}" + (f" and by {as_of} (the “as of” date)" if as_of else "")
           + ", newest first; each with the work that first reported it. A work known only "
           "by its year counts as published on 1 January of that year.")


def _line(c: V.Change) -> str:
    src = " · CIViC" if c.source == "civic" else ""
    return (f"<li style='margin-bottom:0.45em'><b>{S.esc(c.when)}</b> — "
            f"{S.link(c.id, c.name)}<br><small>{S.reference_html(c.reference)}"
            f"{S.esc(src)}</small></li>")


for kind, title in KINDS.items():
    items = ch.of(kind)
    st.subheader(f"{title} ({len(items)})")
    if not items:
        st.caption("None.")
        continue
    S.html_block("<ul style='padding-left:1.1em'>" + "".join(_line(c) for c in items[:SHOWN])
                 + "</ul>")
    if len(items) > SHOWN:
        st.caption(f"… and {len(items) - SHOWN} more of this kind (older).")

if ch.same_year:
    st.subheader(f"Published in {since.year}, day not recorded ({len(ch.same_year)})")
    st.caption(f"These works are known only by their year, {since.year}: they may have come "
               f"out before or after {since:%-d %B}.")
    S.html_block("<ul style='padding-left:1.1em'>"
                 + "".join(_line(c) for c in ch.same_year[:SHOWN]) + "</ul>")
