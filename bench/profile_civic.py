"""Profile the slowest part of the CIViC import (not met: load <= 3x parse); not in make bench.

Run ``.venv/bin/pip install pyinstrument`` (a profiling tool, not a dependency), then
``.venv/bin/python bench/profile_civic.py``: profiles `kg.build.build_graph` with the whole
release plus `FalkorStore.load`, and writes the top of the call tree to
``bench/results/profile_civic_build.txt`` (the README's benchmark section shows it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CIVIC, DATA, RESULTS, ROOT, quiet  # noqa: E402

sys.path.insert(0, str(ROOT))
from kg.build import build_graph  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402


def main() -> None:
    from pyinstrument import Profiler

    quiet()
    build_graph(DATA, civic_dir=CIVIC)  # imports and caches warm
    with tempfile.TemporaryDirectory() as tmp:
        server = FalkorServer(Path(tmp) / "db")
        store = FalkorStore(server, graph_name="profile")
        profiler = Profiler(interval=0.001)
        profiler.start()
        eg = build_graph(DATA, civic_dir=CIVIC)
        store.load(eg)
        profiler.stop()
        store.close()
        server.stop()
    text = profiler.output_text(unicode=False, color=False)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith(("Profile at",)))
    tree = [ln for ln in lines[start + 1:] if "frames hidden" not in ln]
    out = RESULTS / "profile_civic_build.txt"
    out.write_text("\n".join(tree[:45]) + "\n")
    print(out.read_text())


if __name__ == "__main__":
    main()
