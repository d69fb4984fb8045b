"""The evidence browser: ``make run`` serves it through ``serve.py`` (``streamlit run serve.py``).

``streamlit run app.py`` works too; ``serve.py`` adds only the base-URL line that spares every
page below ``/`` a failed connection probe (`app_pages._base_url`).

This file only configures the page, routes to the pages in ``app_pages/`` (see
`app_pages._style.PAGES`) and draws the frame every page shows above it: the page bar and
the settings (`app_pages._frame`). Streamlit's own page list is hidden: the page bar replaces
it and its sidebar (docs/browser-speed.md). It sits in `run()` so tests can drive it.
"""

import streamlit as st

from app_pages import _layout
from app_pages._shared import PAGES, frame


def run() -> None:
    """Configure the page, route, draw the frame (page bar, settings), run the chosen page."""
    st.set_page_config(page_title="ALK+ NSCLC evidence browser", page_icon="🧬",
                       layout="wide")
    pages = {name: st.Page(path, title=title, icon=icon, url_path=url,
                           default=(name == "home"))
             for name, (path, title, icon, url) in PAGES.items()}
    # routing only: the page bar (app_pages._frame) is the page list
    page = st.navigation(list(pages.values()), position="hidden")
    if not _layout.STYLE_IN_HEAD:  # serve.py puts it in the index page's head
        st.html(_layout.STYLE)  # phone and print layouts, toolbars (app_pages/_layout.py)
    frame(next((name for name, p in pages.items() if p is page), None))
    page.run()


if __name__ == "__main__":
    run()
