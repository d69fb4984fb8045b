"""``python -m kg prep`` end to end: subprocesses against the session's real FalkorDB server."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import bibtexparser
from pypdf import PdfReader

from tests.conftest import ROOT

G1202R = ["--drug", "alectinib", "--prior", "crizotinib", "--progression", "extracranial",
          "--pattern", "systemic", "--alteration", "G1202R", "--alteration", "ZZZ9 Q999X",
          "--sample", "tissue"]


def prep(state_dir, *args):  # noqa: ANN001, ANN201
    cmd = [sys.executable, "-m", "kg", "--state-dir", str(state_dir), "prep", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_markdown_to_stdout(store, falkor_server):
    r = prep(falkor_server.state_dir, *G1202R)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Tumour-board evidence sheet: progression on alectinib")
    assert "#### ALK G1202R × lorlatinib" in r.stdout
    assert "[`lorviqua2026smpc`]" in r.stdout
    assert "“ZZZ9 Q999X” → **not found in the graph**" in r.stdout
    assert f"Graph fingerprint: `{store.graph_version()}`" in r.stdout


def test_pdf_json_and_bibtex_files(store, falkor_server, tmp_path):
    out = tmp_path / "sheet.pdf"
    r = prep(falkor_server.state_dir, *G1202R, "--format", "pdf", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert f"wrote {out} (pdf" in r.stderr
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "lorviqua2026smpc" in text.replace("\n", "")
    r = prep(falkor_server.state_dir, *G1202R, "--format", "json")
    data = json.loads(r.stdout)
    assert data["footer"]["scenario"]["alterations"] == ["G1202R", "ZZZ9 Q999X"]
    assert data["footer"]["graph_version"] == store.graph_version()
    cited = {w["key"] for w in data["works"]}
    r = prep(falkor_server.state_dir, *G1202R, "--format", "bibtex")
    lib = bibtexparser.parse_string(r.stdout)
    assert {e.key for e in lib.entries} == cited and not lib.failed_blocks


def test_an_invalid_scenario_names_each_field_and_exits_2(falkor_server):
    r = prep(falkor_server.state_dir, "--drug", "alectinib", "--progression", "brain",
             "--pattern", "oligoprogression", "--as-of", "2020-13-01")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert lines[0] == "invalid scenario: 3 problem(s)"
    assert [x.strip().split(":")[0] for x in lines[1:]] == ["progression", "lesions", "as_of"]


def test_a_drug_the_graph_does_not_know_exits_2(falkor_server):
    r = prep(falkor_server.state_dir, "--drug", "pemetrexed", "--progression", "both",
             "--pattern", "systemic")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "drug: 'pemetrexed' is not an ALK inhibitor" in r.stderr


def test_a_pdf_needs_a_file(falkor_server):
    r = prep(falkor_server.state_dir, *G1202R, "--format", "pdf")
    assert r.returncode == 2 and "out: a PDF is binary" in r.stderr
    r = prep(falkor_server.state_dir, *G1202R, "--format", "docx")
    assert r.returncode == 2 and "format: expected one of markdown, pdf, json, bibtex" in r.stderr


def test_no_graph_loaded_is_a_clean_error(tmp_path):
    r = prep(tmp_path / "empty", *G1202R)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "no graph is loaded" in r.stderr
    subprocess.run([sys.executable, "-m", "kg", "--state-dir", str(tmp_path / "empty"), "db",
                    "stop"], capture_output=True, cwd=ROOT, timeout=60)
