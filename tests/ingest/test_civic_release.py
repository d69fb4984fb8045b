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


# -- typed columns: a swapped, shifted or damaged column is refused -------------------------

EV = "01-Aug-2024-ClinicalEvidenceSummaries.tsv"


def _swap_header(path: Path, a: str, b: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    i, j = header.index(a), header.index(b)
    header[i], header[j] = header[j], header[i]
    path.write_text("\n".join(["\t".join(header), *lines[1:]]), encoding="utf-8")


def _set_cell(path: Path, line: int, column: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    i = lines[0].split("\t").index(column)
    cells = lines[line - 1].split("\t")
    cells[i] = value
    lines[line - 1] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_swapped_therapies_and_last_review_date_are_refused(tmp_path, capsys):
    d = _copy(tmp_path)
    _swap_header(d / EV, "therapies", "last_review_date")
    with pytest.raises(IngestError) as info:
        read_release(d, meta=FIXTURE_META, min_counts={})
    p = info.value.problems[0]
    assert p.line == 2 and p.column == "last_review_date"
    assert "is not a date like '2023-01-09 21:46:24 UTC'" in p.message
    # validate refuses it too, exit 2 with file:line and column
    from kg.cli import main

    code = main(["validate", "--civic", str(d)])
    err = capsys.readouterr().err
    assert code == 2 and f"{EV}:2: column 'last_review_date'" in err


def test_every_swap_of_a_typed_evidence_column_is_refused():
    """Swap the header names of every pair of evidence columns; count what is caught.

    A pair of two free-text columns (disease and citation, say) cannot be told apart by
    type; every pair with a typed column must be refused, except the one pair of two
    optional numeric ids listed below.
    """
    from ingest.civic_release import check_types, read_table

    table = read_table(FIXTURE / EV, [], key=None)
    header = list(table.header)
    typed = {c for r in table.rows for c, _ in check_types(
        "ClinicalEvidenceSummaries", header, type(r)(r.line, {c: "\x01" for c in header}))}
    same_type = {frozenset({"doid", "asco_abstract_id"})}  # both optional digit ids
    missed = []
    for i, a in enumerate(header):
        for b in header[i + 1:]:
            if not ({a, b} & typed) or frozenset({a, b}) in same_type:
                continue
            swapped = [h if h not in (a, b) else (b if h == a else a) for h in header]
            rows = [type(r)(r.line, dict(zip(swapped, [r[h] for h in header], strict=True)))
                    for r in table.rows]
            if not any(check_types("ClinicalEvidenceSummaries", swapped, r) for r in rows):
                missed.append((a, b))
    assert len(typed) >= 17
    assert missed == []


@pytest.mark.parametrize("column, value, words", [
    ("evidence_id", "١٢٣", "is not a positive integer"),
    ("molecular_profile_id", "٦٤", "is not a CIViC/NCBI id (ASCII digits)"),
    ("evidence_type", "Therapeutic", "evidence_type 'Therapeutic' is not one of Diagnostic"),
    ("evidence_civic_url", "httpx://civicdb.org/links/evidence_items/1",
     "is not a CIViC link"),
    ("evidence_civic_url", "https://evil.example/links/evidence_items/1", "is not a CIViC link"),
    ("molecular_profile_civic_url", "https://civicdb.org/links/molecular_profiles/1",
     "links record 1, not this row's molecular_profile_id"),
    ("last_review_date", "2023-02-30 10:00:00 UTC", "is not a date"),
    ("disease", "Lung\x00Cancer", "control character U+0000 (NUL) in the cell"),
    ("evidence_statement", "text\x1b[2Jmore", "control character U+001B (ESC) in the cell"),
    ("rating", "9", "rating '9' is not 1-5"),
    ("citation_id", "PMC123", "is not a PubMed id"),
])
def test_a_bad_cell_is_refused_with_file_line_column(tmp_path, capsys, column, value, words):
    d = _copy(tmp_path)
    _set_cell(d / EV, 3, column, value)
    with pytest.raises(IngestError) as info:
        read_release(d, meta=FIXTURE_META, min_counts={})
    p = info.value.problems[0]
    assert (p.line, p.column) == (3, column) and words in p.message, str(p)


def test_no_column_listed_as_unused_is_read(tmp_path, monkeypatch):
    """Drop each column ingest/civic.yaml calls unused: the import still runs (it read none)."""
    from kg.build import build_graph
    from tests.helpers import MINI

    monkeypatch.setattr(CivicAdapter, "meta", FIXTURE_META)
    dropped = 0
    for kind, unused in (FIXTURE_META.unused_columns or {}).items():
        src = FIXTURE / f"01-Aug-2024-{kind}.tsv"
        lines = src.read_text(encoding="utf-8").split("\n")
        header = lines[0].split("\t")
        for column in unused:
            if column not in header:
                continue
            (tmp_path / f"{kind}-{column}").mkdir()
            d = _copy(tmp_path / f"{kind}-{column}")
            i = header.index(column)
            (d / src.name).write_text("\n".join(
                "\t".join(c for j, c in enumerate(ln.split("\t")) if j != i) if ln else ln
                for ln in lines), encoding="utf-8")
            build_graph(MINI, civic_dir=d)  # a KeyError here: the column is read after all
            dropped += 1
    assert dropped >= 40
