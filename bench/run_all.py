"""Run every ``bench/bench_*.py`` and write their figures into the README's benchmark table.

One command: ``make bench``. Each benchmark writes ``bench/results/<name>.json``; this script
then renders ``bench/results/*.json`` into the block between ``<!-- bench:start -->`` and
``<!-- bench:end -->`` in README.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _rows(name: str, data: dict) -> list[str]:
    rows = []

    def walk(prefix: str, obj: object) -> None:
        if isinstance(obj, dict) and "median_ms" in obj:
            p95 = obj.get("p95_ms", "")
            rows.append(f"| {name} | {prefix} | {obj['median_ms']} | {p95} | {obj.get('n', '')} |")
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(f"{prefix}.{k}" if prefix else k, v)

    walk("", {k: v for k, v in data.items() if k not in ("machine", "date")})
    return rows


def render() -> str:
    lines = [START, "", "| benchmark | measure | median ms | p95 ms | runs |",
             "|---|---|---|---|---|"]
    machines = set()
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        machines.add(f"{data.get('machine', '?')} on {data.get('date', '?')}")
        lines.extend(_rows(path.stem, data))
    lines += ["", "Measured on: " + "; ".join(sorted(machines)) + ".", "", END]
    return "\n".join(lines)


def main() -> None:
    scripts = sorted({*(ROOT / "bench").glob("bench_*.py"), ROOT / "bench" / "bench_prep.py"})
    for script in scripts:
        print(f"running {script.name}", flush=True)
        subprocess.run([sys.executable, str(script)], check=True, cwd=ROOT)
    readme = ROOT / "README.md"
    text = readme.read_text()
    if START not in text:
        text += "\n## Benchmarks\n\n" + render() + "\n"
    else:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        text = head + render() + tail
    readme.write_text(text)
    print("README benchmark table updated")


if __name__ == "__main__":
    main()
