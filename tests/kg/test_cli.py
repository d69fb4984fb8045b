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
    r = kg("export", "--format", "jsonl", "--from-sources", "--data", str(DATA), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "exported the graph assembled from" in r.stderr
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
    assert kg("db", "stop", state_dir=sd).stdout.splitlines()[0] == "stopped"
    assert kg("db", "status", state_dir=sd).stdout.startswith("stopped")


def test_schema_markdown():
    r = kg("schema")
    assert r.returncode == 0 and "### Claim" in r.stdout


def test_sparql_named_and_inline(store, falkor_server):
    sd = falkor_server.state_dir
    r = kg("sparql", "trial_figures", "-p", "trial=JapicCTI-132316", "--format", "json",
           state_dir=sd)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert any(x["value_text"] == "34.1" and x["citation"] == "nakagawa2020jalex" for x in rows)
    assert (sd / "sparql" / store.graph_version() / "CURRENT").exists()  # kept for next time
    r = kg("sparql", "SELECT ?x WHERE { ?x ?y }", state_dir=sd)
    assert r.returncode == 1 and "SPARQL syntax error" in r.stderr
    r = kg("sparql", "trial_figures", "-p", "trial=JapicCTI-132316", "--from-sources", "--no-civic",
           "--format", "json")
    assert r.returncode == 0 and json.loads(r.stdout) == rows


def test_export_error_is_a_clean_message_and_exit_1(monkeypatch, capsys):
    # argparse admits only known formats, so route a known one to an unknown one behind it.
    import kg.exports
    from kg import cli
    from kg.graph import assemble

    real = kg.exports.write_export
    monkeypatch.setattr(cli, "assemble_from_args", lambda args: assemble([], []))
    monkeypatch.setattr(kg.exports, "write_export", lambda eg, fmt, path: real(eg, "xml", path))
    assert cli.main(["export", "--format", "graphml", "--from-sources"]) == 1
    err = capsys.readouterr().err
    assert err == "error: unknown export format 'xml'; known: jsonl, graphml, nodelink, " \
                  "turtle, jsonld, bibtex, csv-nodes, csv-edges\n"


# -- the console's rules, formats, the served graph ------------------------------------------
def test_query_follows_the_console_rules(store, falkor_server):
    sd = falkor_server.state_dir
    r = kg("query", "UNWIND range(1, 1500) AS x RETURN x", "--format", "csv", state_dir=sd)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 1 + 1000  # header + the default row cap
    assert r.stderr.startswith("note: showing the first 1,000 of 1,500 rows")
    r = kg("query", "UNWIND range(1, 1500) AS x RETURN x", "--max-rows", "1500", "--format",
           "json", state_dir=sd)
    assert len(json.loads(r.stdout)) == 1500 and r.stderr == ""
    r = kg("query", "RETURN 1", "--timeout-ms", "120000", state_dir=sd)
    assert r.returncode == 1 and "timeout 120000 ms is out of range: use 1 to 10000" in r.stderr
    r = kg("query", "UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b "
                    "RETURN count(*)", "--timeout-ms", "5", state_dir=sd)
    assert r.returncode == 1 and "query timed out after 5 ms" in r.stderr
    r = kg("query", "LOAD  CSV FROM 'file:///etc/passwd' AS r RETURN r", state_dir=sd)
    assert r.returncode == 1 and "LOAD CSV (line 1, column 1)" in r.stderr
    r = kg("query", "MATCH (n RETURN n", state_dir=sd)
    assert r.returncode == 1 and "syntax error at line 1, column 10" in r.stderr
    assert "Traceback" not in r.stderr


def test_every_read_command_takes_format(store, falkor_server):
    sd = falkor_server.state_dir
    for args in (("query", "MATCH (d:Drug {id: 'drug:alectinib'}) RETURN d.name AS name"),
                 ("run", "node", "-p", "id=drug:alectinib"),
                 ("sparql", "SELECT ?n WHERE { ?d kgs:id 'drug:alectinib' ; kgs:name ?n }"),
                 ("queries",)):
        outs = {}
        for fmt in ("table", "csv", "json"):
            r = kg(*args, "--format", fmt, state_dir=sd)
            assert r.returncode == 0, (args, fmt, r.stderr)
            outs[fmt] = r.stdout
        rows = json.loads(outs["json"])
        assert rows and isinstance(rows[0], dict), args
        header = outs["csv"].splitlines()[0].split(",")
        assert header == list(rows[0]), args
        assert outs["table"].rstrip().endswith("rows)") or outs["table"].rstrip().endswith(
            "row)"), args


def test_export_reads_the_served_graph_by_default(store, falkor_server, tmp_path):
    sd = falkor_server.state_dir
    served, assembled = tmp_path / "served.jsonl", tmp_path / "assembled.jsonl"
    r = kg("export", "--out", str(served), state_dir=sd)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(f"exported the served graph {store.graph_version()}")
    r = kg("export", "--from-sources", "--no-civic", "--out", str(assembled))
    assert "exported the graph assembled from" in r.stderr
    assert served.read_bytes() == assembled.read_bytes()
    r = kg("export", "--format", "csv-edges", state_dir=sd)
    assert r.returncode == 0 and r.stdout.startswith("id,type,source_id,target_id,claim_id")


def test_export_of_an_empty_store_says_what_to_do(tmp_path):
    sd = tmp_path / "empty"
    r = kg("export", state_dir=sd)
    try:
        assert r.returncode == 1
        assert "no graph is loaded" in r.stderr and "--from-sources" in r.stderr
    finally:
        kg("db", "stop", state_dir=sd)


def test_sparql_store_is_built_once_per_fingerprint(store, falkor_server):
    sd = falkor_server.state_dir
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a kgs:Drug }"
    r1 = kg("sparql", q, "--format", "json", state_dir=sd)
    assert r1.returncode == 0, r1.stderr
    path = sd / "sparql" / store.graph_version()
    made = path.stat().st_ino, (path / "CURRENT").stat().st_mtime_ns
    r2 = kg("sparql", q, "--format", "json", state_dir=sd)
    assert r2.stdout == r1.stdout
    assert (path.stat().st_ino, (path / "CURRENT").stat().st_mtime_ns) == made  # reused
    r = kg("sparql", "INSERT DATA { <https://x/a> <https://x/b> 1 }", state_dir=sd)
    assert r.returncode == 1 and "SPARQL UPDATE (INSERT" in r.stderr


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
    from kg.cli import DATA_DIR as cli_default
    from kg.cli import sources_fingerprint

    assert cli_default == DEFAULT_DATA_DIR
    assert sources_fingerprint(DATA) != sources_fingerprint(DATA, no_civic=True)
