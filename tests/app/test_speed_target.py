"""Issue #11's speed target is decided on the medians, not on the ratio rounded for display.

A page at 266.0 ms against a floor of 176.9 ms is 1.504x: shown as 1.50, but over 1.5x. The
benchmark's table (`bench_browser.table_md`) and the README's targets row
(`bench/run_all.py`) must both call it over.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from tests.app.conftest import bench_browser

ROOT = Path(__file__).resolve().parents[2]

RESULT = {"floor_ms": 176.9, "runs": 15, "date": "2026-11-30", "pages": {
    "floor (one-line page)": {"content": {"median_ms": 176.9, "ratio": 1.0},
                              "complete": {"median_ms": 190.0, "ratio": 1.07}},
    "matrix: a cell": {"content": {"median_ms": 266.0, "ratio": 1.5},
                       "complete": {"median_ms": 274.3, "ratio": 1.55}},
    "home": {"content": {"median_ms": 265.3, "ratio": 1.5},
             "complete": {"median_ms": 270.0, "ratio": 1.53}},
}}


def _run_all():  # noqa: ANN202
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("run_all_t", ROOT / "bench" / "run_all.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_benchmark_table_calls_a_page_at_1_504x_over():
    bb = bench_browser()
    assert not bb.within(RESULT, "matrix: a cell") and bb.within(RESULT, "home")
    table = bb.table_md(RESULT, graph="g", machine="m")
    assert "| matrix: a cell | 266 | 1.50 | **no** |" in table
    assert "| home | 265 | 1.50 | yes |" in table


def test_the_readme_target_row_calls_it_over(monkeypatch):
    run_all = _run_all()
    monkeypatch.setattr(run_all, "_load", lambda name: RESULT)
    label, value, ok = run_all._browser_target()
    assert ok is False
    assert value == "1.50–1.50× (2026-11-30); over: matrix: a cell (1.504×)"
