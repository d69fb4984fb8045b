"""Fixtures for the browser tests: the app pointed at a temporary FalkorDB state directory.

`app_state_dir` is the state directory of the session's FalkorDB server with the curated
graph loaded (the `store` fixture of ``tests/conftest.py``). `civic_state_dir` is a second
server whose graph also holds the ALK slice of the CIViC release. The app reads
``KG_STATE_DIR`` each time it opens the store, so setting it before a run is enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kg.store.falkordb import FalkorServer, FalkorStore

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


@pytest.fixture(scope="session")
def app_state_dir(store: FalkorStore) -> Path:
    """The state directory whose served graph is the curated graph."""
    return store.server.state_dir


@pytest.fixture(scope="session")
def civic_state_dir(tmp_path_factory: pytest.TempPathFactory, civic_release: Path,
                    curated_graph) -> Iterator[Path]:  # noqa: ANN001
    """A second server: curated data plus the ALK evidence of the CIViC release."""
    from kg.build import build_graph

    eg = build_graph(civic_dir=civic_release, genes=["ALK"])
    server = FalkorServer(tmp_path_factory.mktemp("falkordb_civic"))
    s = FalkorStore(server)
    s.load(eg)
    s.close()
    yield server.state_dir
    server.stop()


@pytest.fixture
def run_page(app_state_dir: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Callable[..., AppTest]:
    """Run one page of the app on the curated graph: ``run_page("entity", id=...)``."""
    monkeypatch.setenv("KG_STATE_DIR", str(app_state_dir))
    return _runner()


@pytest.fixture
def run_civic_page(civic_state_dir: Path, monkeypatch: pytest.MonkeyPatch
                   ) -> Callable[..., AppTest]:
    """Run one page of the app on the curated + CIViC graph."""
    monkeypatch.setenv("KG_STATE_DIR", str(civic_state_dir))
    return _runner()


def _runner() -> Callable[..., AppTest]:
    def run(page: str, /, **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page(f"app_pages/{page}.py")
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()

    return run


# -- headless Chromium (Debian's /usr/bin/chromium through Playwright) ------------------
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def bench_browser():  # noqa: ANN201
    """The module ``bench/bench_browser.py`` (its `serve` and `measure`), loaded by path."""
    import importlib.util
    import sys

    name = "bench_browser"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def shrink_png(path: Path) -> None:
    """Rewrite a screenshot as a 128-colour palette PNG (small enough for docs/screenshots)."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's chromium through Playwright (never a downloaded browser), for the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian package chromium "
                    "(apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def civic_app_url(civic_state_dir: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[str]:
    """The app served as ``make run`` does (``serve.py``), on a free port, curated + CIViC ALK."""
    log = tmp_path_factory.mktemp("streamlit_civic") / "streamlit.log"
    with bench_browser().serve(APP, civic_state_dir, log) as url:
        yield url

