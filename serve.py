"""The browser's server: ``streamlit run serve.py`` serves ``app.py`` (``make run``).

``st.App`` (Streamlit's ASGI entry) runs the same Streamlit app as ``streamlit run app.py``,
with one middleware, `app_pages._base_url.BaseUrlMiddleware`: it names the server's base URL
in the index page, so that a page below ``/`` connects at once instead of first probing its
own path as the server's root (100-140 ms on every page but home; docs/browser-speed.md).
The middleware also puts the app's stylesheet (`app_pages._layout.STYLE`) in the index page's
head, and `app_pages._layout.STYLE_IN_HEAD` tells ``app.py`` not to add it again as an element
(about 25 ms of every page's load; docs/browser-speed.md), and a script that opens links in
a page's content in the same session (`app_pages._base_url.IN_APP_LINKS`: the basket is kept,
no page load). ``KG_STREAMLIT_SCRIPT`` names
another script to serve the same way (the benchmark's one-line floor page); by default
``app.py`` beside this file.
"""

import os
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from app_pages import _layout
from app_pages._base_url import IN_APP_LINKS, BaseUrlMiddleware, preload_links

SCRIPT = os.environ.get("KG_STREAMLIT_SCRIPT") or str(Path(__file__).resolve().parent / "app.py")

# Every script served here gets the same head (the benchmark's floor page too: served the same
# way, it pays the same stylesheet parse).
_layout.STYLE_IN_HEAD = True
app = st.App(SCRIPT, middleware=[Middleware(BaseUrlMiddleware,
                                            head=_layout.STYLE + IN_APP_LINKS
                                            + preload_links())])
