"""Run the benchmarks, merge their figures into ``latest.json``, rewrite the README section.

``make bench`` runs ``bench_core``, ``bench_civic``, ``bench_peers`` and ``bench_app`` (each
writes ``bench/results/<name>.json``; ``bench_prep``, ``bench_workbench`` and ``bench_browser``
run too and keep their own figures; the browser's navigation-to-content table is rendered
into the README block from ``browser.json``), then merges the four into
``bench/results/latest.json``
(the one source of every figure), draws ``bench/results/scale.png`` and rewrites the README
between ``<!-- bench:start -->`` and ``<!-- bench:end -->``. ``make bench-scale`` runs
``bench_scale`` (10k/100k/1M edges) and then ``run_all.py --render``, which only merges and
renders. ``latest.json`` keeps the ``scale`` figures of the last scale run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_browser  # noqa: E402 - its target check (`within`)
from _common import RESULTS, ROOT  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
BENCHES = ("bench_core", "bench_civic", "bench_peers", "bench_app")
#: Benchmarks of other pages that keep their own figures (their JSON and docs/), run too.
OTHER_BENCHES = ("bench_prep", "bench_workbench", "bench_browser")
LATEST = RESULTS / "latest.json"
PLOT = RESULTS / "scale.png"
PROFILES = {"profile_civic_build.txt": "the CIViC release read, validated and loaded end to end",
            "profile_scale_load.txt": "the store load of the synthetic 100k-edge graph (the "
                                      "1M load's code path)"}


def _load(name: str) -> dict[str, Any]:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def merge() -> dict[str, Any]:
    """Fold the per-benchmark results into the flat figures of ``latest.json``."""
    core, civic, peers, app = (_load(n) for n in ("core", "civic", "peers", "app"))
    scale = _load("scale").get("scale") or (
        json.loads(LATEST.read_text()).get("scale", {}) if LATEST.exists() else {})
    prev = json.loads(LATEST.read_text()) if LATEST.exists() else {}
    q = core["queries"]
    pooled = core["queries_pooled"]
    r = peers["ratios"]
    warm = [(name, v["warm"]) for part in ("pages", "pages_civic_all")
            for name, v in app.get(part, {}).items()]
    slowest = max(warm, key=lambda x: x[1]["median_ms"])
    out = {
        "machine": core["machine"], "date": core["date"],
        "bench_s": prev.get("bench_s"),
        "loadavg": core.get("loadavg_at_end"),
        "build_curated_s": round(core["build_curated"]["median_ms"] / 1000, 3),
        "civic_parse_s": round(civic["parse"]["median_ms"] / 1000, 3),
        "civic_build_s": round(civic["build"]["median_ms"] / 1000, 3),
        "civic_store_load_s": round(civic["load"]["median_ms"] / 1000, 3),
        "civic_load_s": round(civic["end_to_end"]["median_ms"] / 1000, 3),
        "civic_load_to_parse_ratio": round(civic["end_to_end"]["median_ms"]
                                           / civic["parse"]["median_ms"], 1),
        "civic_store_load_to_parse_ratio": round(civic["load"]["median_ms"]
                                                 / civic["parse"]["median_ms"], 1),
        "db_start_s": round(core["db_start"]["median_ms"] / 1000, 3),
        "query_p50_ms": pooled["median_ms"], "query_p95_ms": pooled["p95_ms"],
        "query_p99_ms": pooled["p99_ms"],
        "query_p95_max_ms": max(v["p95_ms"] for v in q.values()),
        "queries": {k: {"p50_ms": v["median_ms"], "p95_ms": v["p95_ms"], "p99_ms": v["p99_ms"],
                        "runs": v["n"], "rows": v["rows"]} for k, v in q.items()},
        "point_lookup_ratio": core["point_lookup"]["ratio"],
        "point_lookup_ratio_p50": core["point_lookup"]["ratio_p50"],
        "point_lookup_ratio_p95": core["point_lookup"]["ratio_p95"],
        "rdflib_ratio": r["rdflib_queries_min"],
        "rdflib_lookup_ratio": r["rdflib_lookup"],
        "kuzu_hop2_ratio": r["kuzu_hop2"], "kuzu_path_ratio": r["kuzu_path"],
        "kuzu_lookup_ratio": r["kuzu_lookup"], "kuzu_load_ratio": r["kuzu_load"],
        "peers_answers_agree": peers["answers_agree"],
        "cli_start_s": round(core["cli_start"]["median_ms"] / 1000, 3),
        "first_page_s": app.get("first_page_s"),
        "page_render_ms": slowest[1]["median_ms"], "page_render_slowest": slowest[0],
        "pages": {name: {"warm_p50_ms": v["warm"]["median_ms"], "warm_p95_ms": v["warm"]["p95_ms"],
                         "cold_p50_ms": v.get("cold", {}).get("median_ms"),
                         "civic_alk_warm_p50_ms": app.get("pages_civic_alk", {}).get(
                             name, {}).get("warm", {}).get("median_ms"),
                         "civic_all_warm_p50_ms": app.get("pages_civic_all", {}).get(
                             name, {}).get("warm", {}).get("median_ms"),
                         "civic_all_warm_p95_ms": app.get("pages_civic_all", {}).get(
                             name, {}).get("warm", {}).get("p95_ms")}
                  for name, v in app.get("pages", {}).items()},
        "page_graphs": {k: app[k] for k in ("graph", "graph_civic_alk", "graph_civic_all")
                        if k in app},
        "graph_curated_civic": core["graph_curated_civic"],
        "scale": scale,
    }
    return out


def targets(m: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """Every target of issue #14 with the measured figure and whether it is met."""
    s = m.get("scale", {})
    rows: list[tuple[str, str, bool | None]] = [
        ("Point lookup ≤ 2× `RETURN 1` (p50 and p95), curated + CIViC",
         f"{m['point_lookup_ratio_p50']}× p50, {m['point_lookup_ratio_p95']}× p95",
         m["point_lookup_ratio"] <= 2)]
    for size in ("10k", "100k", "1M"):
        v = s.get(size)
        rows.append((f"Point lookup ≤ 2× `RETURN 1` at {size} edges",
                     f"{v['point_lookup']['ratio_p50']}× p50, {v['point_lookup']['ratio_p95']}×"
                     f" p95" if v else "not run", v["point_lookup_ratio"] <= 2 if v else None))
    slow = [k for k, v in m["queries"].items() if v["p95_ms"] > 20]
    rows.append(("Every file in `queries/` p95 ≤ 20 ms (curated + CIViC, ≤ 200 runs)",
                 f"max {m['query_p95_max_ms']} ms" + (f"; over: {', '.join(slow)}" if slow
                                                      else ""), not slow))
    v = s.get("1M")
    for label, key, limit, unit in (("Load at 1M edges ≤ 30 s", "load_s", 30, " s"),
                                    ("Loader peak at 1M ≤ 1 GB", "loader_peak_mb", 1024, " MB"),
                                    ("Database RSS at 1M ≤ 2 GB", "db_rss_mb", 2048, " MB"),
                                    ("Hottest-variant 2-hop p95 at 1M ≤ 50 ms", "hop2_p95_ms", 50,
                                     " ms")):
        rows.append((label, f"{v[key]}{unit}" if v else "not run",
                     v[key] <= limit if v else None))
    rows += [
        ("Whole CIViC release loads in ≤ 3× the bare TSV parse",
         f"{m['civic_load_to_parse_ratio']}× end to end ({m['civic_load_s']} s vs "
         f"{m['civic_parse_s']} s); store load alone {m['civic_store_load_to_parse_ratio']}×",
         m["civic_load_to_parse_ratio"] <= 3),
        ("FalkorDB at least as fast as kuzu on 2-hop", f"kuzu/FalkorDB {m['kuzu_hop2_ratio']}",
         m["kuzu_hop2_ratio"] >= 1),
        ("FalkorDB at least as fast as kuzu on paths", f"kuzu/FalkorDB {m['kuzu_path_ratio']}",
         m["kuzu_path_ratio"] >= 1),
        ("FalkorDB within 1.5× of kuzu on point lookup",
         f"kuzu/FalkorDB {m['kuzu_lookup_ratio']}", m["kuzu_lookup_ratio"] >= 1 / 1.5),
        ("FalkorDB ≥ 10× faster than rdflib (SPARQL twins, 2-hop)",
         f"rdflib/FalkorDB {m['rdflib_ratio']} (bare lookup: {m['rdflib_lookup_ratio']})",
         m["rdflib_ratio"] >= 10),
        _browser_target(),
        ("`make bench` within 10 minutes", f"{m['bench_s']} s" if m.get("bench_s") else "?",
         m["bench_s"] <= 600 if m.get("bench_s") else None),
        ("First page rendered within 5 s of `make run` (sources unchanged)",
         f"{m['first_page_s']} s" if m.get("first_page_s") else "not measured",
         m["first_page_s"] <= 5 if m.get("first_page_s") else None),
    ]
    return rows


def _browser_target() -> tuple[str, str, bool | None]:
    """Issue #11's target from ``browser.json``: each page within 1.5x the floor's time."""
    b = _load("browser")
    label = ("Each page's median navigation-to-content ≤ 1.5× a one-line Streamlit page "
             "(Chromium, `bench_browser.py`)")
    pages = {k: v for k, v in b.get("pages", {}).items() if not k.startswith("floor")}
    if not pages:
        return label, "not run", None
    # over or not by the medians themselves, not by the ratio rounded to two decimals
    over = {k: v["content"]["median_ms"] / b["floor_ms"] for k, v in pages.items()
            if not bench_browser.within(b, k)}
    worst = max(v["content"]["ratio"] for v in pages.values())
    best = min(v["content"]["ratio"] for v in pages.values())
    return (label, f"{best:.2f}–{worst:.2f}× ({b['date']})"
            + ("; over: " + ", ".join(f"{k} ({x:.3f}×)" for k, x in over.items())
               if over else ""), not over)


def browser_table() -> list[str]:
    """The navigation-to-content table of ``browser.json`` as README lines (none if not run)."""
    b = _load("browser")
    if not b.get("pages"):
        return []
    load = b.get("load")
    L = ["", f"Browser, navigation to content (`bench_browser.py`, {b['runs']} navigations a "
         f"page, Debian Chromium; {b['graph']}; {b['date']}"
         + (f"; load average {load[0]} before, {load[1]} after" if load else "")
         + "; the breakdown is in `docs/browser-speed.md`):", "",
         "| page | content, median ms | × floor | complete, median ms | × floor |",
         "|---|---:|---:|---:|---:|"]
    L += [f"| {k} | {v['content']['median_ms']:.0f} | {v['content']['ratio']:.2f} | "
          f"{v['complete']['median_ms']:.0f} | {v['complete']['ratio']:.2f} |"
          for k, v in b["pages"].items()]
    return L


def plot(m: dict[str, Any]) -> bool:
    """Draw load time and p95 against graph size (``scale.png``); False without figures."""
    s = m.get("scale") or {}
    sizes = [k for k in ("10k", "100k", "1M") if k in s]
    if not sizes:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    edges = [s[k]["edges"] for k in sizes]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)
    a.plot(edges, [s[k]["load_s"] for k in sizes], "o-", label="load (GRAPH.BULK, indexes)")
    a.plot(edges, [s[k]["build_s"] for k in sizes], "s--", label="build (read, validate)")
    a.set(xscale="log", yscale="log", xlabel="edges", ylabel="seconds",
          title="Build and load time")
    a.axhline(30, color="grey", lw=0.8, ls=":")
    a.legend()
    b.plot(edges, [s[k]["hop2_p95_ms"] for k in sizes], "o-", label="2-hop, hottest variant")
    b.plot(edges, [s[k]["path_p95_ms"] for k in sizes], "s-", label="paths of 1-3 edges")
    b.plot(edges, [s[k]["point_lookup"]["node_by_id"]["p95_ms"] for k in sizes], "^-",
           label="point lookup (21_node)")
    b.axhline(50, color="grey", lw=0.8, ls=":")
    b.set(xscale="log", yscale="log", xlabel="edges", ylabel="p95 ms",
          title="Query p95 (round trip)")
    b.legend()
    fig.suptitle(f"{m['machine']}, {m['date']}", fontsize=8)
    fig.tight_layout()
    fig.savefig(PLOT)
    plt.close(fig)
    return True


def _yes(ok: bool | None) -> str:
    return "met" if ok else ("not run" if ok is None else "**not met**")


def render(m: dict[str, Any], *, plotted: bool) -> str:
    """The README block, every figure read from `m` (``latest.json``)."""
    L = [START, "", f"Measured on {m['machine']}, {m['date']} (shared by other work: expect "
         f"noise; the load average was {m.get('loadavg')} when `make bench` ended; ratios are "
         "measured on one connection, run by run). From "
         "`bench/results/latest.json`, written by `make bench` / `make bench-scale`.", "",
         "| target | measured | |", "|---|---|---|"]
    L += [f"| {t} | {v} | {_yes(ok)} |" for t, v, ok in targets(m)]
    g = m["graph_curated_civic"]
    L += ["", "| figure | value |", "|---|---|",
          f"| build the curated graph (`build_curated_s`) | {m['build_curated_s']} s |",
          f"| start the embedded server (`db_start_s`) | {m['db_start_s']} s |",
          f"| `kg build --if-changed`, nothing changed (`cli_start_s`) | {m['cli_start_s']} s |",
          f"| first page in the browser after `make run` (`first_page_s`) | "
          f"{m.get('first_page_s')} s |",
          f"| slowest page render, warm median (`page_render_ms`) | {m['page_render_ms']} ms "
          f"({m['page_render_slowest']}) |",
          f"| CIViC: parse / build / store load / end to end | {m['civic_parse_s']} / "
          f"{m['civic_build_s']} / {m['civic_store_load_s']} / {m['civic_load_s']} s |",
          f"| named queries, curated + CIViC ({g['nodes']:,} nodes, {g['edges']:,} edges): "
          f"p50 / p95 / p99 over all runs | {m['query_p50_ms']} / {m['query_p95_ms']} / "
          f"{m['query_p99_ms']} ms |", "",
          "| query | p50 ms | p95 ms | p99 ms | runs | rows |", "|---|---|---|---|---|---|"]
    L += [f"| {k} | {v['p50_ms']} | {v['p95_ms']} | {v['p99_ms']} | {v['runs']} | {v['rows']} |"
          for k, v in m["queries"].items()]
    pg = m.get("page_graphs", {})
    if m.get("pages"):
        sizes = "; ".join(f"{k.replace('graph_', '').replace('graph', 'curated')} "
                          f"{v['nodes']:,} nodes / {v['edges']:,} edges" for k, v in pg.items())
        L += ["", f"Page renders (`bench_app.py`, AppTest wall clock; warm: a rerun of an open "
              f"session, cold: a new session after `st.cache_data.clear()`; {sizes}):", "",
              "| page | warm p50 ms | warm p95 ms | cold p50 ms | + CIViC ALK warm p50 | "
              "+ whole CIViC warm p50 / p95 |", "|---|---|---|---|---|---|"]
        L += [f"| {k} | {v['warm_p50_ms']} | {v['warm_p95_ms']} | {v['cold_p50_ms']} | "
              f"{v['civic_alk_warm_p50_ms']} | {v['civic_all_warm_p50_ms']} / "
              f"{v['civic_all_warm_p95_ms']} |" for k, v in m["pages"].items()]
    L += browser_table()
    L += ["", "Peers on the same graph and questions (peer time / FalkorDB time; above 1: "
          "FalkorDB faster): kuzu lookup "
          f"{m['kuzu_lookup_ratio']}, 2-hop {m['kuzu_hop2_ratio']}, paths "
          f"{m['kuzu_path_ratio']}, load {m['kuzu_load_ratio']}; rdflib (SPARQL twins and "
          f"2-hop) {m['rdflib_ratio']}, bare lookup {m['rdflib_lookup_ratio']}. Same answers: "
          + ", ".join(f"{k} {'yes' if v else '**no**'}"
                      for k, v in m["peers_answers_agree"].items()) + "."]
    s = m.get("scale") or {}
    if s:
        L += ["", "| size | nodes | edges | build s | load s (loader CPU s) | edges/s | "
              "loader peak MB | process peak MB | DB RSS MB | lookup ratio | 2-hop p95 ms | "
              "path p95 ms |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        L += [f"| {k} | {v['nodes']:,} | {v['edges']:,} | {v['build_s']} | {v['load_s']} "
              f"({v.get('load_cpu_s', '?')}) | "
              f"{v['edges_per_s']:,} | {v['loader_peak_mb']} | {v['process_peak_mb']} | "
              f"{v['db_rss_mb']} | {v['point_lookup_ratio']} | {v['hop2_p95_ms']} | "
              f"{v['path_p95_ms']} |" for k, v in s.items()]
    if plotted:
        L += ["", "![Load time and p95 against graph size](bench/results/scale.png)"]
    for name, what in PROFILES.items():
        path = RESULTS / name
        if path.exists():
            L += ["", f"Profile of {what} (`{path.relative_to(ROOT)}`, pyinstrument, wall "
                  "clock, top of the call tree; `bench/profile_civic.py`):", "", "```",
                  *path.read_text().splitlines()[:40], "```"]
    L += ["", END]
    return "\n".join(L)


def write_readme(block: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    if START not in text:
        text += "\n## Benchmarks\n\n" + block + "\n"
    else:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        text = head + block + tail
    readme.write_text(text)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--render", action="store_true",
                    help="only merge bench/results/*.json and rewrite latest.json and README")
    args = ap.parse_args(argv)
    bench_s = None
    if not args.render:
        t0 = time.perf_counter()
        others = [n for n in OTHER_BENCHES if (ROOT / "bench" / f"{n}.py").exists()]
        for name in (*BENCHES, *others):
            print(f"running {name}", flush=True)
            subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py")], check=True,
                           cwd=ROOT)
        bench_s = round(time.perf_counter() - t0)
    m = merge()
    if bench_s is not None:
        m["bench_s"] = bench_s
    LATEST.write_text(json.dumps(m, indent=2, ensure_ascii=False) + "\n")
    write_readme(render(m, plotted=plot(m)))
    print(f"wrote {LATEST.relative_to(ROOT)} and the README benchmark section")


if __name__ == "__main__":
    main()
