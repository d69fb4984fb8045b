"""Where a page's load time goes: server script, connection set-up, and the browser's own work.

Run ``.venv/bin/python bench/browser_breakdown.py [--runs N] [--root DIR] [page ...]``
(pages are names of `bench_browser.PAGES`; default all). It builds the curated + CIViC ALK
graph like `bench_browser.main`, serves the app under a tracer and the floor page, and opens
the pages in Chromium in turns, as the benchmark does. Writes
``bench/results/browser_breakdown.json`` and prints two tables (docs/browser-speed.md):

*browser* (medians, ms from navigation start, Chromium's ``performance.now()``): when the
page asked ``_stcore/health`` (and how often: for a page URL below the root, Streamlit's
front end first tries the page's path as the server's base path, gets 404 and retries at
``/`` 100 ms later), when the websocket was opened, when the first message and the first
element arrived, when the script-finished message arrived, and when the content was on
screen (the benchmark's *content*) and the page complete. Messages are timed by wrapping
the page's ``WebSocket`` before the page's own code runs (an init script) and decoded with
Streamlit's protobuf classes.

*server* (medians, ms from the start of the script run, in the Streamlit process): the
first element of the page's main area, the last element, the script run's end (including
Streamlit's own post-run work), the time spent compiling scripts (Streamlit drops its
script cache when the last session closes, so every fresh navigation compiles app.py and
the page again), in ``gc.collect`` after the run (``runner.postScriptGC``), in cached view
calls, and the number of store queries the run issued (0: every view result came from the
process-wide cache, shared by sessions).

``--root DIR`` serves another checkout's ``app.py`` (e.g. the main branch) on the same graph,
for a before/after comparison.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "browser_breakdown.json"

#: Wraps the page's WebSocket before Streamlit's code runs: when it was created and opened,
#: and every message received (time, bytes, payload as base64 for decoding).
WS_PROBE = r"""
(() => {
  const W = window.WebSocket;
  window.__kgws = [];
  const log = (kind, extra) => window.__kgws.push({t: performance.now(), kind, ...extra});
  function Probe(url, protocols) {
    const ws = protocols ? new W(url, protocols) : new W(url);
    log("create");
    ws.addEventListener("open", () => log("open"));
    ws.addEventListener("message", async (e) => {
      const entry = {t: performance.now(), kind: "msg"};
      window.__kgws.push(entry);
      const buf = new Uint8Array(e.data instanceof Blob ? await e.data.arrayBuffer() : e.data);
      let s = "";
      for (let i = 0; i < buf.length; i++) s += String.fromCharCode(buf[i]);
      entry.b64 = btoa(s);
    });
    return ws;
  }
  Probe.prototype = W.prototype;
  Object.assign(Probe, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Probe;
})();
"""


# -- the traced server (this file run with --serve) ----------------------------------------
def _install_tracer(trace: Path) -> None:
    """Patch Streamlit's script runner (and the store runner) to log each run to `trace`."""
    import gc

    sys.path.insert(0, os.getcwd())
    from streamlit.runtime.scriptrunner import script_cache, script_runner

    import kg.views as V

    local = threading.local()

    def rec() -> dict[str, Any] | None:
        return getattr(local, "rec", None)

    def note(kind: str, ms: float) -> None:
        r = rec()
        if r is not None:
            r.setdefault(kind, 0.0)
            r[kind] += ms

    run_script = script_runner.ScriptRunner._run_script

    def _run_script(self: Any, rerun_data: Any) -> None:
        local.rec = {"t0": time.perf_counter(), "page": rerun_data.page_name,
                     "query": rerun_data.query_string, "elements": [], "queries": 0}
        try:
            run_script(self, rerun_data)
        finally:
            r = local.rec
            r["total_ms"] = (time.perf_counter() - r.pop("t0")) * 1000
            with open(trace, "a") as fh:
                fh.write(json.dumps(r) + "\n")
            local.rec = None

    enqueue = script_runner.ScriptRunner._enqueue_forward_msg

    def _enqueue(self: Any, msg: Any) -> None:
        r = rec()
        if r is not None and msg.WhichOneof("type") == "delta":
            r["elements"].append(((time.perf_counter() - r["t0"]) * 1000,
                                  list(msg.metadata.delta_path)))
        enqueue(self, msg)

    def timed(fn: Any, kind: str) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                note(kind, (time.perf_counter() - t) * 1000)
        return wrapper

    store_runner = V.store_runner

    def counting_runner(store: Any) -> Any:
        run = store_runner(store)

        def counted(name: str, params: dict[str, Any]) -> Any:
            r = rec()
            if r is not None:
                r["queries"] += 1
            return timed(run, "query_ms")(name, params)
        return counted

    script_runner.ScriptRunner._run_script = _run_script
    script_runner.ScriptRunner._enqueue_forward_msg = _enqueue
    script_cache.ScriptCache.get_bytecode = timed(script_cache.ScriptCache.get_bytecode,
                                                  "compile_ms")
    script_runner.gc.collect = timed(gc.collect, "gc_ms")
    V.store_runner = counting_runner
    try:  # the pages' cached view calls, where the pages module has them
        from app_pages import _shared

        _shared.Graph.cached = timed(_shared.Graph.cached, "views_ms")
    except (ImportError, AttributeError):
        pass


def _serve_traced(argv: list[str]) -> None:
    """``--serve TRACE streamlit-args...``: run ``streamlit`` with the tracer installed."""
    trace, args = Path(argv[0]), argv[1:]
    _install_tracer(trace)
    from streamlit.web import cli

    sys.argv = ["streamlit", *args]
    sys.exit(cli.main())


@contextmanager
def serve_traced(root: Path, state_dir: Path, trace: Path, log: Path) -> Iterator[str]:
    """Serve ``root/app.py`` on a free port with the tracer; yield its URL.

    Parameters
    ----------
    root : pathlib.Path
        The checkout whose ``app.py`` (and ``.streamlit/config.toml``) is served.
    state_dir : pathlib.Path
        ``KG_STATE_DIR``.
    trace : pathlib.Path
        Where each script run is logged (one JSON line).
    log : pathlib.Path
        The server's output.

    Yields
    ------
    str
        The base URL.

    Raises
    ------
    RuntimeError
        The server did not answer within 60 s.
    """
    from bench_browser import serve  # noqa: PLC0415 - loaded by path in main()

    with serve(root / "app.py", state_dir, log, cwd=root,
               launcher=(str(Path(__file__).resolve()), "--serve", str(trace))) as url:
        yield url


# -- the browser side ----------------------------------------------------------------------
def _timeline(tab: Any) -> dict[str, float | None]:
    """Read the websocket log and resource timings of the page in `tab`."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    events = tab.evaluate("window.__kgws.map(x => ({t: x.t, kind: x.kind, b64: x.b64}))")
    health = tab.evaluate("performance.getEntriesByType('resource').filter(r => "
                          "r.name.includes('_stcore/health')).map(r => r.startTime)")
    out: dict[str, float | None] = {
        "health_first": min(health) if health else None, "health_tries": len(health),
        "ws_create": next((e["t"] for e in events if e["kind"] == "create"), None),
        "ws_open": next((e["t"] for e in events if e["kind"] == "open"), None),
        "first_msg": None, "first_element": None, "finished": None}
    for e in events:
        if e["kind"] != "msg" or not e.get("b64"):
            continue
        m = ForwardMsg()
        m.ParseFromString(base64.b64decode(e["b64"]))
        kind = m.WhichOneof("type")
        if out["first_msg"] is None:
            out["first_msg"] = e["t"]
        if kind == "delta" and out["first_element"] is None:
            out["first_element"] = e["t"]
        if kind == "script_finished" and out["finished"] is None:
            out["finished"] = e["t"]
    return out


def measure(browser: Any, bb: Any, app_url: str, floor_url: str, pages: list[str],
            runs: int) -> dict[str, list[dict[str, Any]]]:
    """Open `pages` `runs` times in turns (after a warm-up); return each navigation's timeline.

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        Chromium.
    bb : module
        ``bench/bench_browser.py`` (its `PAGES`, `FLOOR` and `time_to_content`).
    app_url, floor_url : str
        Base URLs.
    pages : list of str
        Names of ``bb.PAGES``.
    runs : int
        Measured navigations per page.

    Returns
    -------
    dict
        Page name -> one dict per navigation (`_timeline` plus ``content`` and ``complete``).
    """
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(WS_PROBE)
    tab = ctx.new_page()
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in pages}
    for i in range(runs + 1):
        for name in pages:
            path, sel, text = bb.PAGES[name]
            tab.goto("about:blank")
            content, complete = bb.time_to_content(
                tab, (floor_url if name == bb.FLOOR else app_url) + path, sel, text)
            tab.wait_for_timeout(100)  # the last messages' payloads are read asynchronously
            if i:
                out[name].append({"content": content, "complete": complete, **_timeline(tab)})
    ctx.close()
    return out


def _median(xs: list[float | None]) -> float | None:
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 1) if xs else None


def summarise(browser_runs: dict[str, list[dict[str, Any]]], trace: Path,
              bb: Any) -> dict[str, Any]:
    """Medians per page of the browser timelines and of the server's script runs.

    Parameters
    ----------
    browser_runs : dict
        From `measure`.
    trace : pathlib.Path
        The tracer's log.
    bb : module
        ``bench/bench_browser.py``.

    Returns
    -------
    dict
        ``{"browser": {page: {field: median}}, "server": {page: {field: median}}}``.
    """
    browser = {name: {k: _median([r[k] for r in runs]) for k in runs[0]}
               for name, runs in browser_runs.items() if runs}
    runs_by_url: dict[str, list[dict[str, Any]]] = {}
    for line in trace.read_text().splitlines() if trace.exists() else []:
        r = json.loads(line)
        runs_by_url.setdefault(f"{r['page']}?{r['query']}", []).append(r)
    server = {}
    for name in browser_runs:
        if name == bb.FLOOR:
            continue
        path = bb.PAGES[name][0]
        page, _, query = path.partition("?")
        rs = runs_by_url.get(f"{page}?{query}", [])[1:]  # the warm-up run filled the caches
        if not rs:
            continue
        server[name] = {
            "runs": len(rs),
            "first_main_element": _median([next((t for t, p in r["elements"] if p[0] == 0),
                                                None) for r in rs]),
            "last_element": _median([max((t for t, _ in r["elements"]), default=None)
                                     for r in rs]),
            "total": _median([r["total_ms"] for r in rs]),
            "compile": _median([r.get("compile_ms", 0.0) for r in rs]),
            "gc": _median([r.get("gc_ms", 0.0) for r in rs]),
            "views": _median([r.get("views_ms", 0.0) for r in rs]),
            "queries": _median([r["queries"] for r in rs]),
        }
    return {"browser": browser, "server": server}


def tables_md(summary: dict[str, Any]) -> str:
    """Return the two breakdown tables as Markdown.

    Parameters
    ----------
    summary : dict
        From `summarise`.

    Returns
    -------
    str
    """
    def f(x: Any) -> str:
        return "-" if x is None else f"{x:.0f}"

    cols = ["health_first", "health_tries", "ws_create", "first_msg", "first_element",
            "finished", "content", "complete"]
    heads = ["health asked", "health tries", "websocket", "first message", "first element",
             "script finished", "content", "complete"]
    lines = ["| page | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(heads)]
    for name, r in summary["browser"].items():
        lines.append(f"| {name} | " + " | ".join(f(r.get(c)) for c in cols) + " |")
    scols = ["first_main_element", "last_element", "total", "compile", "gc", "views",
             "queries"]
    sheads = ["first main element", "last element", "run over", "compiling", "gc after run",
              "cached views", "store queries"]
    lines += ["", "| page | " + " | ".join(sheads) + " |", "|---|" + "---:|" * len(sheads)]
    for name, r in summary["server"].items():
        lines.append(f"| {name} | " + " | ".join(
            f"{r[c]:.1f}" if c in ("compile", "views") else f(r[c]) for c in scols) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Build the graph, serve the traced app and the floor, measure, print and write.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default ``sys.argv[1:]``).

    Returns
    -------
    dict
        What was written to ``bench/results/browser_breakdown.json``.
    """
    import importlib.util
    import logging

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_browser", ROOT / "bench" /
                                                  "bench_browser.py")
    bb = importlib.util.module_from_spec(spec)
    sys.modules["bench_browser"] = bb
    spec.loader.exec_module(bb)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pages", nargs="*", help="names of bench_browser.PAGES (default all)")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app is served")
    a = p.parse_args(argv)
    pages = [bb.FLOOR, *[n for n in (a.pages or bb.PAGES) if n != bb.FLOOR]]
    unknown = [n for n in pages if n not in bb.PAGES]
    if unknown:
        p.error(f"unknown page(s) {unknown}; known: {list(bb.PAGES)}")

    sys.path.insert(0, str(ROOT))
    from kg.build import build_graph
    from kg.store.falkordb import FalkorServer, FalkorStore

    logging.getLogger("ingest").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        sdir, trace = Path(tmp) / "falkordb", Path(tmp) / "trace.jsonl"
        eg = build_graph(ROOT / "data", civic_dir=ROOT / "data" / "civic" / "01-Aug-2024",
                         genes=["ALK"])
        store = FalkorStore(FalkorServer(sdir))
        store.load(eg)
        store.close()
        floor_py = Path(tmp) / "floor.py"
        floor_py.write_text(bb.FLOOR_SCRIPT)
        try:
            with serve_traced(a.root.resolve(), sdir, trace, Path(tmp) / "app.log") as app_url, \
                    bb.serve(floor_py, None, Path(tmp) / "floor.log") as floor_url, \
                    sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(bb.CHROMIUM), args=bb.ARGS,
                                             headless=True)
                load = os.getloadavg()[0]
                runs = measure(browser, bb, app_url, floor_url, pages, a.runs)
                load = [round(load, 2), round(os.getloadavg()[0], 2)]
                browser.close()
            summary = summarise(runs, trace, bb)
        finally:
            FalkorServer(sdir).stop()
    # the served checkout by its commit, not by where it sits on this machine
    commit = subprocess.run(["git", "-C", str(a.root), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    result = {"root": "this checkout" if a.root.resolve() == ROOT.resolve()
              else "another checkout", "commit": commit or "unknown", "runs": a.runs,
              "load": load,
              "date": time.strftime("%Y-%m-%d %H:%M"), **summary}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{a.root}: {a.runs} navigations per page; load average {load[0]} before, "
          f"{load[1]} after")
    print(tables_md(summary))
    return result


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        _serve_traced(sys.argv[2:])
    else:
        main()
