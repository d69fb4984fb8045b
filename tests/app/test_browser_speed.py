"""Speed in the browser, as issue #11 asks: navigation to content, against a one-line page.

The measurement is `bench/bench_browser.py` (the same code ``make bench`` runs with more
navigations): the app on the curated + CIViC ALK graph and a one-line Streamlit page (the
floor) are served the same way (``streamlit run`` from the repository root, same flags) and
Debian's Chromium opens every page in turns. The table goes to
``artifacts/browser-speed.md``; ``docs/browser-speed.md`` is written by ``make bench``.

What the test asserts is that every page was measured: it reached its main content and then
completed, in every navigation. It does not assert the timings (the speed target is checked
in the benchmark, not in a timed test: the machine's load moves them).
"""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from tests.app.conftest import bench_browser

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "artifacts" / "browser-speed.md"

pytestmark = pytest.mark.browser


def test_every_page_is_measured_against_the_floor(chromium, civic_app_url, tmp_path):
    bb = bench_browser()
    floor_py = tmp_path / "floor.py"
    floor_py.write_text(bb.FLOOR_SCRIPT)
    with bb.serve(floor_py, None, tmp_path / "floor.log") as floor_url:
        result = bb.measure(chromium, civic_app_url, floor_url, runs=3)
    pages = result["pages"]
    assert set(pages) == set(bb.PAGES)
    for name, r in pages.items():
        content, complete = r["content"], r["complete"]
        assert content["n"] == complete["n"] == 3, name
        assert 0 < content["median_ms"] <= complete["median_ms"], name
        assert content["ratio"] == round(content["median_ms"] / result["floor_ms"], 2)
    assert pages[bb.FLOOR]["content"]["ratio"] == 1.0
    table = bb.table_md(result, graph="curated + CIViC ALK (test session)",
                        machine=f"{platform.node()} {platform.machine()}")
    assert table.count("\n| ") == len(pages) + 1  # a header and one row per page
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(table)
