"""Page state in the URL: widgets bound to query parameters, and the settings under the page bar.

`bind` initialises a widget from ``st.query_params`` and the widget's ``on_change`` writes it
back, so a copied URL opens the same view; a value that does not parse, is not among the
options or holds a control character is explained (`show_problems`) and replaced by the
default. The two settings (opened from the page bar, `app_pages._frame`), the evidence
source (``source=``) and the "as of" date (``as_of=YYYY-MM-DD`` or ``as_of=letter``), apply
to every page; in-app links carry them (`sticky`), so following a link keeps the date.

**Controls drawn on request** (``open=<panel>``, `PANELS`): the settings, the boxes that add
a page's figures or claims to the tumour-board sheet and the matrix's rows are drawn only
when a link asks for them (`opened`, `here`), one at a time, where the link was. Until then
they cost a page load nothing: as popovers, drawn closed on every load, they cost the
browser about 13 ms each before the page showed anything (docs/browser-speed.md, "Seventh
pass"). Links that carry ``open=`` end in ``#kg_open_<panel>``, and the in-app link script
(`app_pages._base_url.IN_APP_LINKS`) scrolls the opened panel into view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from app_pages._style import page_href
from app_pages._text import attr_text, esc
from kg import views as V
from kg.schema.text import control_char

__all__ = ["SOURCE_KEY", "AS_OF_KEY", "AS_OF_DATE_KEY", "AS_OF_CHOICES", "param", "set_param",
           "bind", "show_problems", "source_filter", "as_of", "as_of_param", "sticky",
           "with_sticky", "ignored", "switched", "OPEN", "PANELS", "opened", "check_open",
           "here", "open_href", "open_link", "close_link"]

SOURCE_KEY = "source_filter"
AS_OF_KEY, AS_OF_DATE_KEY = "as_of_choice", "as_of_date"
#: The "as of" choices of the settings (URL: none, ``as_of=letter``, ``as_of=YYYY-MM-DD``).
AS_OF_CHOICES = {"all": "today (everything)",
                 "letter": f"when the letter was written ({V.LETTER_ACCEPTED:%-d %b %Y})",
                 "date": "another date …"}

#: The query parameter naming the panel drawn on request (the module's docstring).
OPEN = "open"
#: Page -> the panels it draws on request besides the settings, which every page has:
#: ``open=<panel>`` names one of them (`check_open` explains any other value).
PANELS: dict[str, tuple[str, ...]] = {
    "search": ("kinds",),
    "graph": ("drawing", "download"),
    "trials": ("figures",),
    "matrix": ("rows", "claims"),
    "entity": ("efficacy", "figures", "claims"),
}


def param(name: str, default: str | None = None) -> str | None:
    """Return a query parameter, or `default` when absent or empty.

    Parameters
    ----------
    name : str
        The parameter's name in the URL.
    default : str, optional
        Returned when the parameter is absent or empty.

    Returns
    -------
    str or None
    """
    value = st.query_params.get(name)
    if value and control_char(value):
        show_problems([ignored(name, value, "text without control characters")])
        return default
    return value if value not in (None, "") else default


def ignored(name: str, raw: str, wanted: str) -> str:
    """The explanation of an ignored URL parameter (`raw`, not `wanted`), every value escaped."""
    bad = control_char(raw)
    what = f"it holds the control character {bad}" if bad else f"expected {esc(wanted)}"
    return (f"Ignored “{esc(name + '=' + raw[:200])}” in the URL: {what}; showing the "
            "default instead.")


def set_param(name: str, value: Any, default: Any = None) -> None:
    """Write a query parameter; remove it when it equals `default` or is empty.

    Parameters
    ----------
    name : str
        The parameter's name in the URL.
    value : object
        The widget's value; a list or tuple is written comma-separated.
    default : object, optional
        The value that leaves the URL clean.

    Returns
    -------
    None
    """
    if value in (None, "", [], ()) or value == default:
        if name in st.query_params:
            del st.query_params[name]
        return
    text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def bind(key: str, name: str, default: Any, *, options: Sequence[Any] | None = None,
         cast: Callable[[str], Any] = str, problems: list[str] | None = None,
         expect: str = "", url_only: bool = False) -> Callable[[], None]:
    """Initialise widget state `key` from query parameter `name`; return its on_change.

    A value that does not parse or is not among `options` is reported in `problems`
    (the page shows it) and replaced by `default`.

    Parameters
    ----------
    key : str
        The widget's session-state key.
    name : str
        The query parameter that holds it in the URL.
    default : object
        The value without (or instead of a bad) parameter.
    options : sequence, optional
        Allowed values (each item, for a list value); None allows any value `cast` accepts.
    cast : callable
        Parses the parameter's text (``TypeError``/``ValueError`` mean a bad value).
    problems : list of str, optional
        Receives one explanation per ignored parameter (without it, the explanation is shown
        at once).
    expect : str
        What a good value looks like, for the explanation.
    url_only : bool, optional
        The URL alone says the value: without the parameter it is `default`, whatever an
        earlier run of the session chose. For widgets drawn only on request (``open=``),
        which do not keep their state while they are not drawn.

    Returns
    -------
    callable
        The widget's ``on_change``: writes its value back to the URL.
    """
    raw = st.query_params.get(name)
    if raw not in (None, ""):
        try:
            value = cast(raw)
            ok = not control_char(raw) and (options is None or (
                all(v in options for v in value) if isinstance(value, list)
                else value in options))
        except (TypeError, ValueError):
            ok = False
        if ok:
            if st.session_state.get(key) != value:
                st.session_state[key] = value
        else:
            message = ignored(name, raw, expect or "a known value")
            if problems is not None:
                problems.append(message)
            else:
                show_problems([message])
            del st.query_params[name]
            st.session_state[key] = default
    elif url_only or key not in st.session_state:
        st.session_state[key] = default

    def on_change() -> None:
        set_param(name, st.session_state.get(key), default)

    return on_change


def switched(name: str, on: str, problems: list[str]) -> bool:
    """Whether ``<name>=<on>`` is in the URL: a page's switch that a link sets (not a widget).

    Absent means off; any other value is explained in `problems` and counts as off.

    Parameters
    ----------
    name : str
        The query parameter.
    on : str
        The one value that switches it on (e.g. ``'all'``, ``'table'``).
    problems : list of str
        Receives the explanation of a bad value.

    Returns
    -------
    bool
    """
    raw = param(name)
    if raw not in (None, on):
        problems.append(ignored(name, raw, f"'{on}', or nothing"))
    return raw == on


def show_problems(problems: Iterable[str]) -> None:
    """Explain ignored URL parameters, one warning each.

    Parameters
    ----------
    problems : iterable of str
        Explanations collected by `bind`.

    Returns
    -------
    None
    """
    for p in problems:
        st.warning(p, icon=":material/link_off:")


def source_filter() -> str:
    """The evidence-source filter chosen in the settings: both, curated or civic."""
    return st.session_state.get(SOURCE_KEY, "both")


def _as_of_param(state: Any) -> str | None:
    """The "as of" setting in `state` as the URL writes it (one read per key)."""
    choice = state.get(AS_OF_KEY, "all")
    if choice == "letter":
        return "letter"
    when = state.get(AS_OF_DATE_KEY) if choice == "date" else None
    return when.isoformat() if isinstance(when, dt.date) else None


def as_of() -> str | None:
    """The settings' "as of" date as ISO text (``'2020-03-09'``), or None for everything."""
    when = _as_of_param(st.session_state)
    return V.LETTER_ACCEPTED.isoformat() if when == "letter" else when


def as_of_param() -> str | None:
    """The "as of" date as the URL writes it: ``letter``, ``YYYY-MM-DD`` or None."""
    return _as_of_param(st.session_state)


def sticky() -> dict[str, str]:
    """The settings that in-app links carry: ``source`` and ``as_of`` when set.

    Returns
    -------
    dict
        Query parameters (empty when both are at their defaults).
    """
    state = st.session_state  # read once each: a page calls this for every link it draws
    out = {}
    source = state.get(SOURCE_KEY, "both")
    if source != "both":
        out["source"] = source
    when = _as_of_param(state)
    if when:
        out["as_of"] = when
    return out


def with_sticky(href: str) -> str:
    """Return an in-app link with the settings (`sticky`) added to its query."""
    extra = sticky()
    if not extra:
        return href
    return href + ("&" if "?" in href else "?") + urlencode(extra)


def opened(panel: str) -> bool:
    """Whether the URL asks for `panel` to be drawn (``open=<panel>``).

    Parameters
    ----------
    panel : str
        ``settings`` or one of the page's `PANELS`.

    Returns
    -------
    bool
    """
    return st.query_params.get(OPEN) == panel


def check_open(page: str | None, problems: list[str]) -> None:
    """Explain an ``open=`` that names no panel of `page` (it then opens nothing).

    Parameters
    ----------
    page : str or None
        The page shown (a key of `app_pages._style.PAGES`).
    problems : list of str
        Receives the explanation.

    Returns
    -------
    None
    """
    raw = st.query_params.get(OPEN)
    panels = ("settings", *PANELS.get(page or "", ()))
    if raw not in (None, "") and raw not in panels:
        problems.append(ignored(OPEN, raw, "one of " + ", ".join(panels)))


def here(page: str, /, **change: str | None) -> str:
    """This page's URL as the reader has it, with `change` applied (None drops a parameter).

    Parameters
    ----------
    page : str
        The page shown (a key of `app_pages._style.PAGES`).
    **change : str or None
        Parameters to set, or to drop (None).

    Returns
    -------
    str
        A relative URL, e.g. ``'trials?endpoint=OS&open=figures'``.
    """
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in change}
    params.update({k: v for k, v in change.items() if v is not None})
    return page_href(page, **params)


def open_href(page: str, panel: str) -> str:
    """The link that draws `panel` (or, when it is drawn, closes it), ending in its anchor.

    Parameters
    ----------
    page : str
        The page shown.
    panel : str
        ``settings`` or one of the page's `PANELS`.

    Returns
    -------
    str
        ``here(page, open=panel) + '#kg_open_<panel>'``, or ``here(page, open=None)``.
    """
    if opened(panel):
        return here(page, **{OPEN: None})
    return here(page, **{OPEN: panel}) + f"#kg_open_{panel}"


def open_link(page: str, panel: str, label: str, *, toggle: bool = True) -> str:
    """Return the paragraph with the link that draws `panel` (`open_href`).

    Parameters
    ----------
    page : str
        The page shown.
    panel : str
        One of the page's `PANELS`.
    label : str
        The link's text (escaped here).
    toggle : bool, optional
        True: the link says whether the panel is drawn (``aria-expanded``, ▾ or ▴) and
        closes it when it is. False: a plain link, and nothing while the panel is drawn (the
        panel has its own `close_link`).

    Returns
    -------
    str
        ``<p class='kg-open'><a ...>label</a></p>``; the URL is written as character
        references (`attr_text`: it carries the page's own parameters, a search's words).
    """
    is_open = opened(panel)
    href = attr_text(open_href(page, panel))
    if not toggle:
        return "" if is_open else f"<p class='kg-open'><a href='{href}'>{esc(label)}</a></p>"
    return (f"<p class='kg-open'><a href='{href}' aria-expanded="
            f"'{'true' if is_open else 'false'}'>{esc(label)} {'▴' if is_open else '▾'}</a></p>")


def close_link(page: str, text: str = "Close this box") -> str:
    """Return the link that closes the panel drawn: this page's URL without ``open=``.

    Parameters
    ----------
    page : str
        The page shown.
    text : str, optional
        The link's text (escaped here).

    Returns
    -------
    str
        ``<a href='...'>text</a>``, its URL as character references (`attr_text`).
    """
    return f"<a href='{attr_text(here(page, **{OPEN: None}))}'>{esc(text)}</a>"
