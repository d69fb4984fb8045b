"""The evidence browser: ``make run`` serves it through ``serve.py`` (``streamlit run serve.py``).

``streamlit run app.py`` works too; ``serve.py`` adds only the base-URL line that spares every
page below ``/`` a failed connection probe (`app_pages._base_url`).

This file only configures the page, draws the shared sidebar and routes to the pages in
``app_pages/`` (see `app_pages._style.PAGES`). It sits in `run()` so tests can drive it.
"""

import streamlit as st

from app_pages import _layout
from app_pages._shared import PAGES, sidebar


def run() -> None:
    """Configure the page, route, draw the sidebar, and run the chosen page."""
    st.set_page_config(page_title="ALK+ NSCLC evidence browser", page_icon="🧬",
                       layout="wide")
    # the entity page is opened through links (every name in the app links to it), not from
    # the page list: a shorter list draws faster (docs/browser-speed.md)
    pages = [st.Page(path, title=title, icon=icon, url_path=url, default=(name == "home"),
                     visibility="hidden" if name == "entity" else "visible")
             for name, (path, title, icon, url) in PAGES.items()]
    page = st.navigation(pages)
    if not _layout.STYLE_IN_HEAD:  # serve.py puts it in the index page's head
        st.html(_layout.STYLE)  # phone and print layouts, toolbars (app_pages/_layout.py)
    sidebar()
    page.run()


if __name__ == "__main__":
    run()
