"""What every benchmark shares: timing summaries, memory readings, paths, the graphs."""

from __future__ import annotations

import json
import logging
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "data"
#: The CIViC release shipped in the repository (CC0), read in place.
CIVIC = DATA / "civic" / "01-Aug-2024"

__all__ = ["ROOT", "RESULTS", "DATA", "CIVIC", "stats", "sample", "machine", "rss_mb",
           "peak_reset", "peak_mb", "write_result", "quiet", "quiet_streamlit", "app_test"]


def _pct(s: list[float], q: float) -> float:
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def stats(samples: list[float], *, digits: int = 2) -> dict[str, float]:
    """Return p50 (median), p95 and p99 in milliseconds (rounded) and the number of runs."""
    s = sorted(samples)
    return {"median_ms": round(statistics.median(s) * 1000, digits),
            "p95_ms": round(_pct(s, 0.95) * 1000, digits),
            "p99_ms": round(_pct(s, 0.99) * 1000, digits), "n": len(s)}


def sample(fn: Callable[[], Any], *, runs: int = 200, budget_s: float = 10.0,
           warmup: int = 2) -> list[float]:
    """Time `fn` up to `runs` times (fewer when `budget_s` runs out, at least 5)."""
    for _ in range(warmup):
        fn()
    out: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(out) < runs and (len(out) < 5 or time.perf_counter() < deadline):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def machine() -> str:
    """One line: host, architecture, cores, Python."""
    return (f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


def _status(pid: int | str, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process in MB (``VmRSS``)."""
    return _status(pid, "VmRSS")


def peak_reset() -> None:
    """Reset this process's peak resident memory (``VmHWM``) to its current RSS."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    """This process's peak resident memory in MB since start or the last `peak_reset`."""
    return _status("self", "VmHWM")


def write_result(name: str, data: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>.json`` with the machine and date added."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps({"machine": machine(), "date": time.strftime("%Y-%m-%d"),
                               "loadavg_at_end": [round(x, 1) for x in os.getloadavg()],
                               **data}, indent=2) + "\n")
    return out


def quiet() -> None:
    """Silence the adapters' info logging (warnings about the release stay)."""
    logging.getLogger("ingest").setLevel(logging.ERROR)


def quiet_streamlit() -> None:
    """Silence Streamlit's "No runtime found" / "missing ScriptRunContext" notes."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def app_test(page: str, params: dict[str, str]) -> Any:
    """Return an AppTest of ``app.py`` switched to ``app_pages/<page>.py`` with URL parameters
    (Streamlit's notes silenced first, `quiet_streamlit`)."""
    from streamlit.testing.v1 import AppTest

    quiet_streamlit()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"app_pages/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    return at
