"""The frame every page shows: the page bar, the evidence settings, the "as of" banner.

* **The page bar** is one HTML element at the top of the page (`app_pages._style.nav_html`):
  a link to each page, the current one marked, each carrying the settings. It replaces
  Streamlit's page list in the sidebar (``st.navigation(position="hidden")`` in ``app.py``),
  which with its sidebar cost every page load 0.2-0.3 of a one-line page's time
  (docs/browser-speed.md); it also gives the tables the sidebar's width. Served by
  ``serve.py`` (``make run``), a click on it opens the page in the same session
  (`app_pages._base_url.IN_APP_LINKS`), as the page list did; under a bare
  ``streamlit run app.py`` the link loads the page afresh, in a new session (the basket is
  not kept).
* **The settings**, the evidence source and the "as of" date, are drawn on request: a link
  under the bar says what is set ("Evidence: curated and CIViC, all dates") and opens them
  in a box under it (``open=settings``, `app_pages._params.opened`), so a page load draws
  none of their widgets (a closed popover cost every load about 13 ms of the browser's work;
  docs/browser-speed.md, "Seventh pass"). Their link closes them again.

The source filter is offered only when the served graph holds CIViC evidence; the "as of"
date hides what was published later, on every page, and a banner above the page says what
it hides. Both settings live in the URL (`app_pages._params`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from app_pages._cache import Graph, get_store, state_dir
from app_pages._cards import html_block
from app_pages._params import (
    AS_OF_CHOICES,
    AS_OF_DATE_KEY,
    AS_OF_KEY,
    SOURCE_KEY,
    as_of,
    as_of_param,
    bind,
    check_open,
    close_link,
    ignored,
    open_href,
    opened,
    set_param,
    show_problems,
    sticky,
)
from app_pages._style import nav_html
from app_pages._text import esc
from kg import views as V
from kg.schema.text import control_char

__all__ = ["frame"]


def _civic_loaded() -> bool | None:
    """Whether the served graph holds CIViC evidence (None when there is no graph)."""
    try:
        sdir = state_dir()
        store = get_store(sdir)
        version = store.graph_version()
        if not version:
            return None
        counts = Graph(store, version, sdir).cached(V.label_counts)
    except Exception:  # the page itself explains a missing store
        return None
    return any(n for by_src in counts.values() for src, n in by_src.items() if src == "civic")


def _bind_as_of(problems: list[str]) -> bool:
    """Initialise the "as of" widgets from ``as_of=`` (``letter`` or ``YYYY-MM-DD``).

    A bad value is explained and ignored (everything is shown) but left in the URL, so a
    page that reads ``as_of`` itself (the tumour-board sheet) can name it too; returns False
    then, and the frame does not write the URL back on this run.
    """
    raw = st.query_params.get("as_of")
    if raw in (None, ""):
        st.session_state.setdefault(AS_OF_KEY, "all")
        return True
    try:
        when = V.parse_as_of(raw)
    except ValueError:
        problems.append(f"Ignored `as_of={raw}` in the URL: expected a date as YYYY-MM-DD, "
                        "or 'letter'; showing everything.")
        st.session_state[AS_OF_KEY] = "all"
        return False
    if raw.strip().lower() == "letter":
        st.session_state[AS_OF_KEY] = "letter"
    else:
        st.session_state[AS_OF_KEY] = "date"
        st.session_state[AS_OF_DATE_KEY] = when
    return True


def _as_of_changed() -> None:
    set_param("as_of", as_of_param())


def _as_of_banner() -> None:
    """Say, above the page, what the "as of" date hides."""
    when = as_of()
    if not when:
        return
    try:
        sdir = state_dir()
        store = get_store(sdir)
        dates = Graph(store, store.graph_version(), sdir).cached(V.publication_dates)
        hidden = dates.hidden(V.as_date(when))
    except Exception:  # the page itself explains a missing store
        return
    what = {"Publication": "work", "Trial": "trial", "Outcome": "figure", "Claim": "claim"}
    parts = [f"{n} {what.get(k, k)}{'s' if n != 1 else ''}" for k, n in sorted(
        hidden.items(), key=lambda kv: list(what).index(kv[0]) if kv[0] in what else 9)]
    label = AS_OF_CHOICES["letter"] if st.session_state.get(AS_OF_KEY) == "letter" else when
    html_block("<div style='background:#fff4d6;border-left:4px solid #e0a800;padding:0.4em "
               "0.7em;margin-bottom:0.6em;font-size:0.92em'>"
               f"<b>As of {esc(label)}</b>: showing only what was published by "
               f"{esc(dt.date.fromisoformat(when).strftime('%-d %B %Y'))}"
               + (f"; hiding {esc(', '.join(parts))} published later" if parts else "")
               + ". Works known only by their year count as published on 1 January. "
               "Change it in the settings, under the page bar.</div>")


def _settings(civic: bool | None, on_source: Any, page: str) -> None:
    """Draw the settings (asked for by ``open=settings``) in a box under the page bar."""
    with st.container(border=True, key="kg_open_settings"):
        if civic is not False:
            st.radio("Evidence shown", options=list(V.SOURCE_FILTERS), key=SOURCE_KEY,
                     format_func=V.SOURCE_FILTERS.get, on_change=on_source,
                     help="Curated evidence is read from the papers by hand; CIViC "
                          "evidence is imported from CIViC evidence items, with their own "
                          "levels A-E.")
        st.radio("Evidence published up to", options=list(AS_OF_CHOICES), key=AS_OF_KEY,
                 format_func=AS_OF_CHOICES.get, on_change=_as_of_changed,
                 help="Hide every claim, figure, trial and work published after a date, "
                      "on every page and in the matrix: what could a reader know then?")
        if st.session_state.get(AS_OF_KEY) == "date":
            st.session_state.setdefault(AS_OF_DATE_KEY, V.LETTER_ACCEPTED)
            st.date_input("Date", key=AS_OF_DATE_KEY, min_value=dt.date(1990, 1, 1),
                          max_value=dt.date.today(), on_change=_as_of_changed,
                          format="YYYY-MM-DD")
        built = ""
        try:
            store = get_store(state_dir())
            meta = store.meta() if hasattr(store, "meta") else {}
            built = (f"Graph {esc(meta.get('version', '?'))} built "
                     f"{esc(meta.get('built_at', '?'))}; sources: "
                     f"{esc(', '.join(sorted(meta.get('sources') or {})) or '?')}. ")
        except Exception:  # noqa: S110 - the page itself explains a missing store
            pass
        # the link closes them with the URL as it is after this run's choices
        html_block(f"<p class='kg-caption'>{built}{close_link(page, 'Close the settings')}</p>")


def frame(current: str | None) -> None:
    """Draw the page bar, the settings' link (the settings on request) and the "as of" banner.

    Parameters
    ----------
    current : str or None
        The key of `app_pages._style.PAGES` being shown (marked in the bar), or None.
    """
    problems: list[str] = []
    civic = _civic_loaded()
    if civic is False:
        raw = st.query_params.get("source")
        if raw not in (None, "", "both"):
            problems.append(ignored("source", raw, "nothing: no CIViC evidence is loaded, "
                                     "so every claim shown is curated")
                            if control_char(raw) else
                            f"Ignored “{esc('source=' + raw[:200])}” in the URL: no CIViC "
                            "evidence is loaded, so every claim shown is curated.")
            del st.query_params["source"]
        st.session_state[SOURCE_KEY] = "both"
        on_change = None
    else:
        on_change = bind(SOURCE_KEY, "source", "both", options=list(V.SOURCE_FILTERS),
                         problems=problems, expect="curated, civic or both")
    as_of_ok = _bind_as_of(problems)
    check_open(current, problems)
    page = current or "home"
    # the settings' link under the bar says what is set and draws them on request
    # (``open=settings``): as a popover, drawn closed on every load, they cost the browser
    # about 13 ms before any page showed anything (docs/browser-speed.md, "Seventh pass")
    when = st.session_state.get(AS_OF_KEY)
    shown = (f"as of {st.session_state.get(AS_OF_DATE_KEY, V.LETTER_ACCEPTED)}"
             if when == "date" else "as of the letter" if when == "letter" else
             "all dates")
    label = (f"Evidence: {V.SOURCE_FILTERS.get(st.session_state.get(SOURCE_KEY), '?')}, "
             if civic is not False else "Evidence: ") + shown
    is_open = opened("settings")
    # the bar's links carry the settings as bound from this run's URL
    st.html(nav_html(current, sticky(), (label, open_href(page, "settings"), is_open)))
    if is_open:
        _settings(civic, on_change, page)
    set_param("source", st.session_state.get(SOURCE_KEY), "both")
    if as_of_ok:
        set_param("as_of", as_of_param())
    show_problems(problems)
    _as_of_banner()
