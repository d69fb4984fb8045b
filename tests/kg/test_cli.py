"""The CLI end to end: subprocesses against the session's real FalkorDB server."""

import json
import subprocess
import sys

from tests.conftest import DATA, ROOT
from tests.helpers import edit, mini_copy


def kg(*args, state_dir=None):
    cmd = [sys.executable, "-m", "kg"]
    if state_dir is not None:
        cmd += ["--state-dir", str(state_dir)]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_validate_ok_on_data():
    r = kg("validate")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("valid: ")


def test_the_shipped_civic_release_is_read_by_default():
    """A fresh clone builds curated + CIViC (data/civic/01-Aug-2024) with no extra step."""
    with_civic = kg("validate")
    assert with_civic.returncode == 0, with_civic.stderr
    assert with_civic.stdout.rstrip().endswith("from bibtex, civic, curated")
    without = kg("validate", "--no-civic")
    assert without.returncode == 0, without.stderr
    assert without.stdout.rstrip().endswith("from bibtex, curated")
    n = [int(r.stdout.split()[1]) for r in (with_civic, without)]
    assert n[0] > n[1] + 5000  # the whole release: about 10,000 CIViC nodes
    both = kg("validate", "--no-civic", "--civic", "data/civic/01-Aug-2024")
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_validate_fails_with_exit_2_and_file_line(tmp_path):
    data = mini_copy(tmp_path)
    edit(data / "curated" / "trials.yaml", 'value: "34.1"', 'value: "3,41"')
    r = kg("validate", "--data", str(data))
    assert r.returncode == 2
    assert "trials.yaml:" in r.stderr and "'3,41' is not a number" in r.stderr


def test_malformed_bib_exit_2(tmp_path):
    data = mini_copy(tmp_path)
    (data / "references.bib").write_text("@article{x, title={unclosed, year={2020}\n")
    r = kg("validate", "--data", str(data))
    assert r.returncode == 2 and "references.bib:1" in r.stderr


def test_query_params_and_formats(store, falkor_server):
    sd = falkor_server.state_dir
    r = kg("query", "MATCH (d:Drug {id: $id}) RETURN d.name AS name", "-p", "id=drug:alectinib",
           "--format", "json", state_dir=sd)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [{"name": "alectinib"}]
    r = kg("run", "trial_outcomes", "-p", "trial=JapicCTI-132316", "--format", "csv",
           state_dir=sd)
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("endpoint,measure")
    r = kg("run", "01_counts_by_label", state_dir=sd)
    assert "| nodes" in r.stdout.splitlines()[0] and "rows)" in r.stdout


def test_write_in_read_only_query_is_refused_and_graph_intact(store, falkor_server):
    before = store.graph_version()
    r = kg("query", "MATCH (n:Drug) SET n.name = 'x' RETURN n", state_dir=falkor_server.state_dir)
    assert r.returncode == 1
    assert "read-only" in r.stderr and "SET n.name = 'x'" in r.stderr
    assert store.graph_version() == before
    assert store.query("MATCH (n:Drug {id: 'drug:alectinib'}) RETURN n.name").rows == [
        ["alectinib"]]


def test_export_jsonl_lines(tmp_path):
    out = tmp_path / "g.jsonl"
    r = kg("export", "--format", "jsonl", "--data", str(DATA), "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    kinds = {x["kind"] for x in lines}
    assert kinds == {"node", "edge"}
    edge = next(x for x in lines if x["kind"] == "edge")
    assert {"id", "type", "source", "target", "properties"} <= set(edge)
    node = next(x for x in lines if x["kind"] == "node")
    assert {"id", "labels", "properties"} <= set(node)


def test_build_failure_keeps_served_graph(tmp_path):
    sd = tmp_path / "state"
    r = kg("build", "--data", str(mini_copy(tmp_path)), state_dir=sd)
    assert r.returncode == 0, r.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    data = mini_copy(bad)
    edit(data / "curated" / "claims.yaml", "nakagawa2020jalex]", "nobody2001]")
    r = kg("build", "--data", str(data), state_dir=sd)
    assert r.returncode == 2 and "unknown citation key 'nobody2001'" in r.stderr
    r = kg("query", "MATCH (n:Trial) RETURN n.name AS t", "--format", "json", state_dir=sd)
    assert json.loads(r.stdout) == [{"t": "J-ALEX"}]
    assert kg("db", "stop", state_dir=sd).stdout.strip() == "stopped"
    assert kg("db", "status", state_dir=sd).stdout.startswith("stopped")


def test_schema_markdown():
    r = kg("schema")
    assert r.returncode == 0 and "### Claim" in r.stdout


def test_sparql_named_and_inline():
    r = kg("sparql", "trial_figures", "-p", "trial=JapicCTI-132316", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert any(x["value_text"] == "34.1" and x["citation"] == "nakagawa2020jalex" for x in rows)
    r = kg("sparql", "SELECT ?x WHERE { ?x ?y }")
    assert r.returncode == 1 and "SPARQL failed" in r.stderr


def test_export_error_is_a_clean_message_and_exit_1(monkeypatch, capsys):
    # argparse admits only known formats, so route a known one to an unknown one behind it.
    import kg.exports
    from kg import cli
    from kg.graph import assemble

    real = kg.exports.write_export
    monkeypatch.setattr(cli, "assemble_from_args", lambda args: assemble([], []))
    monkeypatch.setattr(kg.exports, "write_export", lambda eg, fmt, path: real(eg, "xml", path))
    assert cli.main(["export", "--format", "graphml"]) == 1
    err = capsys.readouterr().err
    assert err == "error: unknown export format 'xml'; known: graphml, nodelink, turtle, " \
                  "jsonld, bibtex\n"


def test_build_if_changed_skips_an_unchanged_graph_and_rebuilds_a_changed_one(tmp_path):
    sd = tmp_path / "state"
    data = mini_copy(tmp_path)
    try:
        first = kg("build", "--if-changed", "--data", str(data), state_dir=sd)
        assert first.returncode == 0 and first.stdout.startswith("built graph"), first.stderr
        again = kg("build", "--if-changed", "--data", str(data), state_dir=sd)
        assert again.returncode == 0 and "up to date" in again.stdout, again.stdout
        edit(data / "curated" / "trials.yaml", 'value: "34.1"', 'value: "34.2"')
        changed = kg("build", "--if-changed", "--data", str(data), state_dir=sd)
        assert changed.returncode == 0 and changed.stdout.startswith("built graph"), changed.stdout
        assert changed.stdout.split()[2] != first.stdout.split()[2]  # a new graph version
        forced = kg("build", "--data", str(data), state_dir=sd)  # without the flag: always
        assert forced.stdout.startswith("built graph")
    finally:
        kg("db", "stop", state_dir=sd)


def test_cli_default_data_dir_is_the_builds_and_no_civic_changes_the_fingerprint():
    from kg.build import DEFAULT_DATA_DIR
    from kg.cli import DEFAULT_DATA_DIR as cli_default
    from kg.cli import sources_fingerprint

    assert cli_default == DEFAULT_DATA_DIR
    assert sources_fingerprint(DATA) != sources_fingerprint(DATA, no_civic=True)
