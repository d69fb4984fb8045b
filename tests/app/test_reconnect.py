"""The app's cached store heals itself: the server killed under a running app comes back.

`get_store` is an ``st.cache_resource``: before the hardening it kept the old port after a
restart and every page failed until Streamlit itself was restarted. Here the server is
killed with SIGKILL between two runs of a page; the second run must show the page as before
(the store re-reads the server state, starts the server from its snapshot, reconnects).
"""

from __future__ import annotations

import os
import signal
import time

from streamlit.testing.v1 import AppTest

from kg.store.falkordb import FalkorServer, FalkorStore
from tests.app.conftest import APP
from tests.app.reading import blocks


def _entity(state_dir) -> AppTest:  # noqa: ANN001
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("app_pages/entity.py")
    at.query_params["id"] = "drug:alectinib"
    return at.run()


def test_the_app_reconnects_after_the_server_is_killed(tmp_path, monkeypatch, curated_graph,
                                                        figures):
    server = FalkorServer(tmp_path / "state")
    store = FalkorStore(server)
    store.load(curated_graph)
    store.close()
    monkeypatch.setenv("KG_STATE_DIR", str(server.state_dir))
    try:
        at = _entity(server.state_dir)
        assert not at.exception and not at.error
        before = [m.value for m in blocks(at)]
        pid = server.info()["pid"]
        os.kill(pid, signal.SIGKILL)
        t0 = time.monotonic()
        at = _entity(server.state_dir)  # the same process: the cached store is reused
        dt = time.monotonic() - t0
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert [m.value for m in blocks(at)] == before
        assert server.info()["pid"] != pid
        figures(f"app after kill -9 of its server: the next page run rendered the same page in "
                f"{dt:.2f} s (cached store reconnected, server started from its snapshot)")
    finally:
        server.stop()


def test_without_any_graph_the_app_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STATE_DIR", str(tmp_path / "empty"))
    try:
        at = _entity(tmp_path / "empty")
        assert not at.exception
        assert any("No graph is loaded" in e.value and "python -m kg build" in e.value
                   for e in at.error), [e.value for e in at.error]
    finally:
        FalkorServer(tmp_path / "empty").stop()
