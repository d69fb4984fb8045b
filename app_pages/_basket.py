"""The tumour-board basket: claims and figures a reader adds to the sheet while browsing.

Where it lives: in the session state under `BASKET_KEY` (a list of claim and figure ids),
so it survives moving between pages of one browser session. The ``/prep`` page mirrors it
into its URL as repeated ``add=<id>`` parameters, so the sheet's URL alone rebuilds the
sheet (basket included) in another session or on another machine.

A claim shown alone (a claim's own page) gets an "Add to sheet" button (`add_button`). A list
of claim cards or a table of figures is one HTML element, and a link under it
(`picker_link`) draws `picker`, where the reader chooses any of its items by name and adds
them with one button: a button per card cost the browser three elements per claim, and a
popover on every load about 13 ms (docs/browser-speed.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from app_pages._params import close_link, open_link, opened, with_sticky
from app_pages._text import attr

__all__ = ["BASKET_KEY", "basket", "add", "remove", "add_button", "picker", "picker_link"]

BASKET_KEY = "prep_basket"


def basket() -> list[str]:
    """The ids in the basket, in the order they were added."""
    return list(st.session_state.get(BASKET_KEY) or [])


def add(ids: Sequence[str]) -> None:
    """Add claim or figure ids to the basket (each once, order kept).

    Parameters
    ----------
    ids : sequence of str
        Claim or figure (Outcome) ids.

    Returns
    -------
    None
    """
    st.session_state[BASKET_KEY] = list(dict.fromkeys([*basket(), *ids]))


def remove(ids: Sequence[str]) -> None:
    """Take ids out of the basket.

    Parameters
    ----------
    ids : sequence of str
        Ids to remove; unknown ones are ignored.

    Returns
    -------
    None
    """
    gone = set(ids)
    st.session_state[BASKET_KEY] = [x for x in basket() if x not in gone]


def add_button(item_id: str, *, key: str) -> None:
    """Draw the "Add to sheet" button of one claim or figure.

    Parameters
    ----------
    item_id : str
        The claim or figure id.
    key : str
        A widget key unique on the page.

    Returns
    -------
    None
    """
    if item_id in basket():
        st.button("On the tumour-board sheet", key=key, disabled=True, type="tertiary",
                  icon=":material/playlist_add_check:")
    else:
        st.button("Add to sheet", key=key, type="tertiary", icon=":material/playlist_add:",
                  on_click=add, args=([item_id],),
                  help="Add this item to the tumour-board sheet (page Tumour-board prep).")


def picker_link(page: str, panel: str, what: str = "figures") -> str:
    """Return the link that draws a `picker` (``open=<panel>``); empty while it is drawn.

    Parameters
    ----------
    page : str
        The page shown (a key of `app_pages._style.PAGES`).
    panel : str
        The picker's name in the URL: one of the page's `app_pages._params.PANELS`.
    what : str, optional
        What the items are, plural ("figures", "claims").

    Returns
    -------
    str
        ``<p class="kg-open"><a href="...open=<panel>#kg_open_<panel>">Add <what> to the
        tumour-board sheet …</a></p>``, to end the HTML of the list it serves.
    """
    return open_link(page, panel, f"Add {what} to the tumour-board sheet …", toggle=False)


def picker(key: str, names: Mapping[str, str], *, what: str = "figures", page: str,
           panel: str) -> None:
    """Let the reader choose items of a list by name and add them to the tumour-board sheet.

    The lists (claim cards, figure tables) are plain HTML, so their items are chosen by name
    in a box, drawn on request (``open=<panel>``, the link of `picker_link` under the list)
    where this is called, in a frame with a link that closes it; the button (key
    ``<key>_add``) adds the chosen ones to the basket. Items already on the sheet are
    offered too, and named so ("on the sheet"). Not asked for, it draws nothing: as a
    popover on every load it cost the browser about 13 ms each (docs/browser-speed.md,
    "Seventh pass").

    Parameters
    ----------
    key : str
        A widget key unique on the page (the box; the button is ``<key>_add``).
    names : mapping of str to str
        Item id -> the name the box shows, in the list's order.
    what : str, optional
        What the items are, plural ("figures", "claims").
    page : str
        The page shown (a key of `app_pages._style.PAGES`).
    panel : str
        The picker's name in the URL (`picker_link`).

    Returns
    -------
    None
    """
    if not names or not opened(panel):
        return
    on_sheet = set(basket())
    one = what[:-1] if what.endswith("s") else what
    with st.container(border=True, key=f"kg_open_{panel}"):
        chosen = st.multiselect(
            f"{what.capitalize()} for the tumour-board sheet", options=list(names), key=key,
            format_func=lambda i: names[i] + (" (on the sheet)" if i in on_sheet else ""),
            placeholder=f"Choose {what} …")
        st.button(f"Add {len(chosen)} {one if len(chosen) == 1 else what} to the sheet"
                  if chosen else f"Choose {what} to add them", key=f"{key}_add",
                  disabled=not chosen, type="tertiary", icon=":material/playlist_add:",
                  on_click=add, args=(list(chosen),))
        st.html(f"<p class='kg-caption'>{len(on_sheet)} item{'s' if len(on_sheet) != 1 else ''}"
                f" on the sheet (page <a href='{attr(with_sticky('prep'))}'>Tumour-board "
                f"prep</a>) · {close_link(page)}</p>")
