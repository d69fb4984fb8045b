"""The evidence browser's pages (run by ``app.py`` through ``st.navigation``)."""
