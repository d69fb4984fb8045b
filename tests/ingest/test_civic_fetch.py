"""ingest.civic_fetch and `kg civic fetch`: download a release from a local HTTP mirror.

Nothing outside this machine is reachable, so the mirror is a `http.server` on 127.0.0.1
serving the release shipped in ``data/civic/`` under CIViC's URL layout
(``<base>/<release>/<release>-<Kind>.tsv``).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ingest.civic_fetch import FetchError, fetch_release, release_name
from kg.schema.errors import IngestError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "civic" / "01-Aug-2024"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: ANN002, ANN201
        pass


@pytest.fixture
def mirror(tmp_path):
    """A local HTTP server whose root holds ``01-Aug-2024/`` (a copy of the shipped files)."""
    root = tmp_path / "mirror"
    shutil.copytree(SHIPPED, root / "01-Aug-2024")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_release_is_downloaded_checked_and_stored(mirror, tmp_path):
    _, url = mirror
    got = fetch_release("01-Aug-2024", tmp_path / "civic", base_url=url)
    assert got == tmp_path / "civic" / "01-Aug-2024"
    for f in SHIPPED.glob("*Summaries.tsv"):
        if f.name.endswith("VariantGroupSummaries.tsv"):
            assert not (got / f.name).exists()  # not read by the importer, not fetched
            continue
        assert (got / f.name).read_bytes() == f.read_bytes()
    sums = (got / "SHA256SUMS").read_text().splitlines()
    shipped = {line for line in (SHIPPED / "SHA256SUMS").read_text().splitlines()}
    assert len(sums) == 5 and set(sums) <= shipped
    assert [p.name for p in (tmp_path / "civic").iterdir()] == ["01-Aug-2024"]
    with pytest.raises(FetchError, match="exists already"):
        fetch_release("01-Aug-2024", tmp_path / "civic", base_url=url)


def test_a_missing_release_leaves_nothing_behind(mirror, tmp_path):
    _, url = mirror
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_release("01-Sep-2024", tmp_path / "civic", base_url=url)
    assert list((tmp_path / "civic").iterdir()) == []


def test_a_damaged_release_fails_the_importers_checks_and_is_not_stored(mirror, tmp_path):
    root, url = mirror
    ev = root / "01-Aug-2024" / "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
    lines = ev.read_text(encoding="utf-8").splitlines(keepends=True)
    ev.write_text("".join(lines[:50]), encoding="utf-8")  # truncated
    with pytest.raises(IngestError) as exc:
        fetch_release("01-Aug-2024", tmp_path / "civic", base_url=url)
    assert "ClinicalEvidenceSummaries" in str(exc.value)
    assert list((tmp_path / "civic").iterdir()) == []


@pytest.mark.parametrize("bad", ["Aug 2024", "2024-13-01", "1-Aug-2024"])
def test_a_bad_release_name_is_explained(bad):
    with pytest.raises(FetchError, match="DD-Mon-YYYY"):
        release_name(bad)


def test_only_http_urls(tmp_path):
    with pytest.raises(FetchError, match="http"):
        fetch_release("01-Aug-2024", tmp_path, base_url="file:///etc")


def test_the_cli_fetches_into_data_civic(mirror, tmp_path):
    _, url = mirror
    data = tmp_path / "data"
    ok = subprocess.run([sys.executable, "-m", "kg", "civic", "fetch", "--release",
                         "2024-08-01", "--base-url", url, "--data", str(data)],
                        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert "stored and checked" in ok.stdout
    assert (data / "civic" / "01-Aug-2024" / "SHA256SUMS").exists()
    again = subprocess.run([sys.executable, "-m", "kg", "civic", "fetch", "--release",
                            "01-Aug-2024", "--base-url", url, "--data", str(data)],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 1 and "exists already" in again.stderr
    assert "Traceback" not in again.stderr
