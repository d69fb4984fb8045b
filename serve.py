"""The browser's server: ``streamlit run serve.py`` serves ``app.py`` (``make run``).

``st.App`` (Streamlit's ASGI entry) runs the same Streamlit app as ``streamlit run app.py``,
with one middleware, `app_pages._base_url.BaseUrlMiddleware`: it names the server's base URL
in the index page, so that a page below ``/`` connects at once instead of first probing its
own path as the server's root (100-140 ms on every page but home; docs/browser-speed.md).
``KG_STREAMLIT_SCRIPT`` names another script to serve the same way (the benchmark's
one-line floor page); by default ``app.py`` beside this file.
"""

import os
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from app_pages._base_url import BaseUrlMiddleware

SCRIPT = os.environ.get("KG_STREAMLIT_SCRIPT") or str(Path(__file__).resolve().parent / "app.py")

app = st.App(SCRIPT, middleware=[Middleware(BaseUrlMiddleware)])
