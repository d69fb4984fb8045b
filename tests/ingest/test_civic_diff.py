"""civic-diff: a second release is built inside the test from the real one (rows dropped,
added and edited) and the diff must list exactly those changes, as a table and as JSON."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from ingest.civic_diff import diff_evidence, diff_from_json, diff_to_json, generate_table
from kg.cli import main

EVIDENCE = "ClinicalEvidenceSummaries.tsv"


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    csv.field_size_limit(1 << 28)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, delimiter="\t", quoting=csv.QUOTE_NONE,
                           lineterminator="\n", quotechar=None)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def releases(civic_release, tmp_path_factory):
    """The real 01-Aug-2024 release and a '01-Sep-2024' made from it in the test."""
    new = tmp_path_factory.mktemp("civic") / "01-Sep-2024"
    new.mkdir()
    for p in civic_release.glob("01-Aug-2024-*.tsv"):
        shutil.copyfile(p, new / p.name.replace("01-Aug-2024", "01-Sep-2024"))
    path = new / f"01-Sep-2024-{EVIDENCE}"
    header, rows = _read(path)
    by_id = {r["evidence_id"]: r for r in rows}
    dropped = {"32", "1345"}
    rows = [r for r in rows if r["evidence_id"] not in dropped]
    added = dict(by_id["1193"], evidence_id="99001",
                 evidence_civic_url="https://civicdb.org/links/evidence_items/99001")
    rows.append(added)
    for r in rows:
        if r["evidence_id"] == "1197":  # a level and a rating revised
            r["evidence_level"], r["rating"] = "B", "5"
        if r["evidence_id"] == "841":  # the statement reworded
            r["evidence_statement"] = r["evidence_statement"] + " Revised."
    _write(path, header, rows)
    return civic_release, new


def test_diff_lists_added_removed_and_changed_fields(releases, capsys):
    old, new = releases
    assert main(["civic-diff", str(old), str(new), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["old_release"], out["new_release"]) == ("01-Aug-2024", "01-Sep-2024")
    assert out["summary"] == {"added": 1, "removed": 2, "changed": 2}
    assert [r["evidence_id"] for r in out["added"]] == ["99001"]
    assert [r["evidence_id"] for r in out["removed"]] == ["32", "1345"]
    changed = {c["evidence_id"]: c for c in out["changed"]}
    assert changed[1197]["fields"] == ["evidence_level", "rating"]
    assert changed[1197]["changes"]["evidence_level"] == {"old": "D", "new": "B"}
    assert changed[841]["fields"] == ["evidence_statement"]
    assert changed[841]["changes"]["evidence_statement"]["new"].endswith(" Revised.")


def test_diff_table_and_json_file(releases, tmp_path, capsys):
    old, new = releases
    out_json = tmp_path / "diff.json"
    assert main(["civic-diff", str(old), str(new), "--json-out", str(out_json)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == ("CIViC evidence items 01-Aug-2024 -> 01-Sep-2024: 1 added, "
                        "2 removed, 2 changed")
    assert "added (1)" in lines and "removed (2)" in lines and "changed (2)" in lines
    assert any(ln.startswith("1197") and "evidence_level" in ln and "| D" in ln
               for ln in lines)
    assert any(ln.startswith("99001 ") and "ALK EML4::ALK e6-e20" in ln for ln in lines)
    saved = json.loads(out_json.read_text(encoding="utf-8"))
    assert saved["summary"] == {"added": 1, "removed": 2, "changed": 2}


def test_same_release_and_ignored_columns(releases, capsys):
    old, new = releases
    assert main(["civic-diff", str(old), str(old)]) == 0
    assert "0 added, 0 removed, 0 changed" in capsys.readouterr().out
    assert main(["civic-diff", str(old), str(new), "--format", "json",
                 "--ignore", "rating", "--ignore", "evidence_statement"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(c["evidence_id"], c["fields"]) for c in out["changed"]] == [
        (1197, ["evidence_level"])]
    assert out["ignored"] == ["rating", "evidence_statement"]


def test_a_broken_release_is_named_and_exits_2(releases, tmp_path, capsys):
    old, _ = releases
    bad = tmp_path / "bad"
    bad.mkdir()
    for p in old.glob("*.tsv"):
        shutil.copyfile(p, bad / p.name)
    ev = bad / f"01-Aug-2024-{EVIDENCE}"
    ev.write_bytes(ev.read_bytes().replace(b"\tevidence_level\t", b"\tlevel\t", 1))
    assert main(["civic-diff", str(old), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "ClinicalEvidenceSummaries.tsv:1: column 'evidence_level'" in err


def test_pure_diff_columns_and_json_round_trip():
    old = {1: {"evidence_id": "1", "a": "x", "gone": "g"}, 2: {"evidence_id": "2", "a": "y"}}
    new = {1: {"evidence_id": "1", "a": "z", "new": "n"}, 3: {"evidence_id": "3", "a": "w"}}
    d = diff_evidence(old, new, old_release="o", new_release="n")
    assert d.summary() == {"added": 1, "removed": 1, "changed": 1}
    assert d.changed[0].fields == ("a",)  # 'gone' and 'new' are column changes, not item ones
    assert d.columns_added == ("new",) and d.columns_removed == ("gone",)
    assert diff_from_json(json.loads(json.dumps(diff_to_json(d)))) == d
    table = list(generate_table(d))
    assert table[1] == "columns added: new; columns removed: gone"
