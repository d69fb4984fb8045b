"""The CIViC release reader and the source checks, on the small fixture release.

tests/fixtures/civic holds real rows of the 01-Aug-2024 release (README there); expected
values are read from its TSV files with the csv module here, not from the reader.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.civic import CivicAdapter, find_release_files, read_evidence, read_release
from kg.schema.errors import ChecksumMismatch, CountOutOfBounds, IngestError
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "civic"
KINDS = ("ClinicalEvidenceSummaries", "VariantSummaries", "MolecularProfileSummaries",
         "GeneSummaries", "AssertionSummaries")
FIXTURE_META = CivicAdapter.meta.for_fixture()


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _copy(tmp_path: Path, release: str = "01-Aug-2024") -> Path:
    dest = tmp_path / release
    dest.mkdir()
    for p in FIXTURE.glob("*.tsv"):
        shutil.copyfile(p, dest / p.name.replace("01-Aug-2024", release))
    return dest


def _add_column(path: Path, name: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(f"{ln}\t{name if i == 0 else 'x'}" if ln else ln
                              for i, ln in enumerate(lines)), encoding="utf-8")


def test_fixture_is_read_with_lines_checksums_and_release_name():
    rel = read_release(FIXTURE, min_counts={})
    assert rel.release == "01-Aug-2024"
    assert set(rel.tables) == set(KINDS)
    for kind, table in rel.tables.items():
        path = FIXTURE / f"01-Aug-2024-{kind}.tsv"
        rows = _tsv(path)
        assert [r.cells for r in table.rows] == rows
        assert [r.line for r in table.rows] == list(range(2, len(rows) + 2))
        assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    ev = rel.tables["ClinicalEvidenceSummaries"]
    row = next(r for r in ev.rows if r["evidence_id"] == "1345")
    assert ev.origin(row) == f"{ev.display}:{row.line}"
    assert ev.display.endswith("tests/fixtures/civic/01-Aug-2024-ClinicalEvidenceSummaries.tsv")


def test_the_fixture_is_refused_as_a_whole_release():
    with pytest.raises(IngestError, match=r"only 23 data rows; a whole release has at least"):
        read_release(FIXTURE)


def test_release_name_comes_from_the_file_names(tmp_path):
    d = _copy(tmp_path, "01-Sep-2024")
    name, paths = find_release_files(d)
    assert name == "01-Sep-2024" and set(paths) == set(KINDS)
    (d / "01-Sep-2024-GeneSummaries.tsv").rename(d / "01-Oct-2024-GeneSummaries.tsv")
    with pytest.raises(IngestError, match="files of several releases: 01-Oct-2024, 01-Sep-2024"):
        find_release_files(d)


def test_known_unused_columns_are_quiet_and_a_new_column_is_a_warning(tmp_path):
    # the fixture has the release's unread columns (phenotypes, summary, ...): no warning
    assert "phenotypes" in read_release(FIXTURE, min_counts={}).tables[
        "ClinicalEvidenceSummaries"].header
    assert not [w for w in read_release(FIXTURE, min_counts={}).warnings if "column" in w]
    d = _copy(tmp_path)
    _add_column(d / "01-Aug-2024-GeneSummaries.tsv", "gene_color")
    rel = read_release(d, min_counts={})
    new = [w for w in rel.warnings if "is new" in w]
    assert new == [f"{rel.tables['GeneSummaries'].display}:1: column 'gene_color' is new: "
                   "neither read nor listed as unused in ingest/civic.yaml (a change of the "
                   "CIViC release format?); it is not imported"]
    assert "gene_color" not in {k for r in CivicAdapter(d, meta=FIXTURE_META).iter_nodes()
                                for k in r.props}
    assert any("gene_color" in w for w in CivicAdapter(d, meta=FIXTURE_META).warnings)


def test_a_new_column_is_printed_on_stderr_by_the_cli(tmp_path):
    new = _copy(tmp_path, "01-Sep-2024")
    _add_column(new / "01-Sep-2024-ClinicalEvidenceSummaries.tsv", "evidence_color")
    r = subprocess.run([sys.executable, "-m", "kg", "civic-diff", str(FIXTURE), str(new)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "01-Sep-2024-ClinicalEvidenceSummaries.tsv:1: column 'evidence_color' is new" \
        in r.stderr
    assert "columns added: evidence_color" in r.stdout
    assert read_evidence(new)[1][1345]["evidence_color"] == "x"


def test_a_file_named_like_the_pinned_release_must_have_its_sha256(tmp_path):
    # The fixture's files carry the 01-Aug-2024 names but other bytes: refused, each named.
    with pytest.raises(ChecksumMismatch) as info:
        CivicAdapter(FIXTURE, min_counts={})
    files = sorted(Path(p.file).name for p in info.value.problems)
    assert files == sorted(f"01-Aug-2024-{k}.tsv" for k in KINDS)
    p = next(p for p in info.value.problems if "Evidence" in p.file)
    actual = hashlib.sha256((FIXTURE / Path(p.file).name).read_bytes()).hexdigest()
    assert f"sha256 {actual} differs from 34131f092dc5" in p.message
    assert "ingest/civic.yaml" in p.message
    # the same bytes under another release's names are not pinned; the whole-release
    # bounds then refuse a 23-item "release", naming the source and the counts
    d = _copy(tmp_path, "01-Sep-2024")
    with pytest.raises(CountOutOfBounds) as info:
        CivicAdapter(d, min_counts={})
    text = str(info.value)
    assert "source 'civic' yielded 94 nodes, fewer than min_nodes 5000" in text
    assert "source 'civic' yielded 206 edges, fewer than min_edges 15000" in text
    # a gene slice is not held to the whole-release bounds
    assert CivicAdapter(d, min_counts={}, genes=["ALK"]).n_evidence > 0


def test_the_real_release_passes_its_sha256_and_bounds(civic_release):
    civic = CivicAdapter(civic_release)
    meta = civic.meta
    assert {t.path.name: t.sha256 for t in civic.release.tables.values()} == meta.sha256
    assert meta.min_nodes <= len(list(civic.iter_nodes())) <= meta.max_nodes
    assert meta.min_edges <= len(list(civic.iter_edges())) <= meta.max_edges
