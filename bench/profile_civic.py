"""Profile the slowest parts behind targets not met; not part of ``make bench``.

Run ``.venv/bin/pip install pyinstrument`` (a profiling tool, not a dependency), then
``.venv/bin/python bench/profile_civic.py``. Writes the top of two call trees, which the
README's benchmark section shows:

* ``bench/results/profile_civic_build.txt``: `kg.build.build_graph` with the whole CIViC
  release plus `FalkorStore.load` (the target: loaded in at most 3x the bare TSV parse);
* ``bench/results/profile_scale_load.txt``: `FalkorStore.load` of the synthetic 100k-edge
  graph of ``bench_scale.py`` (the same code path as the 1M load, at a size that profiles
  in a minute).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CIVIC, DATA, RESULTS, ROOT, quiet  # noqa: E402
from scale_data import genes_for, write_release  # noqa: E402

sys.path.insert(0, str(ROOT))
from kg.build import build_graph  # noqa: E402
from kg.store.falkordb import FalkorServer, FalkorStore  # noqa: E402


def _tree(profiler: object, out: Path, lines: int = 45) -> None:
    text = profiler.output_text(unicode=False, color=False)
    rows = [ln for ln in text.splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(rows) if ln.lstrip().startswith("Profile at"))
    tree = [ln for ln in rows[start + 1:] if "frames hidden" not in ln]
    out.write_text("\n".join(tree[:lines]) + "\n")
    print(out.read_text())


def main() -> None:
    from pyinstrument import Profiler

    quiet()
    build_graph(DATA, civic_dir=CIVIC)  # imports and caches warm
    with tempfile.TemporaryDirectory() as tmp:
        server = FalkorServer(Path(tmp) / "db")
        store = FalkorStore(server, graph_name="profile")
        try:
            profiler = Profiler(interval=0.001)
            profiler.start()
            eg = build_graph(DATA, civic_dir=CIVIC)
            store.load(eg)
            profiler.stop()
            _tree(profiler, RESULTS / "profile_civic_build.txt")
            tiles, genes = genes_for(CIVIC, 100_000, build_graph(DATA).graph.number_of_edges())
            write_release(CIVIC, Path(tmp) / "civic", tiles)
            big = build_graph(DATA, civic_dir=Path(tmp) / "civic", genes=genes)
            profiler = Profiler(interval=0.001)
            profiler.start()
            store.load(big)
            profiler.stop()
            _tree(profiler, RESULTS / "profile_scale_load.txt")
        finally:
            store.close()
            server.stop()


if __name__ == "__main__":
    main()
