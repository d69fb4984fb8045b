"""The embedded FalkorDB server's process: free ports, checked pids, signals, a plain client.

A pid is used only after `is_our_redis` checked it to be a state dir's ``redis-server`` (its
executable, its working directory, its port in the process title, and its start time as
recorded), so a stale pidfile naming another process is never signalled nor reused.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from pathlib import Path
from typing import Any

__all__ = ["free_port", "proc_stat", "alive", "is_our_redis", "terminate", "client_of", "ping"]


def free_port() -> int:
    """Return a port of 127.0.0.1 that is free now (another process may take it first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_stat(pid: int) -> tuple[str, int] | None:
    """Return (state letter, start time in clock ticks) of a process, None when gone.

    Parameters
    ----------
    pid : int
        Any process id; ``/proc/<pid>/stat`` is read.

    Returns
    -------
    tuple of (str, int) or None
        The third and the 22nd field of that file.
    """
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2:].split()
    return fields[0], int(fields[19])


def alive(pid: int) -> bool:
    """Return True when `pid` runs (a zombie counts as dead; our own zombie child is reaped).

    Parameters
    ----------
    pid : int
        The process to look for; if it is an exited child of ours, it is reaped here.

    Returns
    -------
    bool
        False for a process that is gone, a zombie or dead (``Z``, ``X``).
    """
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    stat = proc_stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def is_our_redis(pid: int, port: int, started: int | None, state_dir: Path) -> bool:
    """Return True when `pid` is a live redis-server of `state_dir` listening on `port`.

    Checked: it runs, it is ours to signal, its executable is ``redis-server``, its working
    directory is `state_dir` (Redis changes into its ``dir``), its process title (Redis
    writes ``redis-server 127.0.0.1:<port>``) names `port`, and, when recorded, its start
    time matches (a recycled pid has another start time).

    Parameters
    ----------
    pid : int
        The pid a state file names (anything else is not ours).
    port : int
        The port the state file names.
    started : int or None
        The start time the state file recorded (clock ticks), if any.
    state_dir : pathlib.Path
        The (resolved) state directory.

    Returns
    -------
    bool
    """
    if not isinstance(pid, int) or pid <= 1 or not alive(pid):
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
    stat = proc_stat(pid)
    return started is None or (stat is not None and stat[1] == started)


def terminate(pid: int, wait_s: float = 10.0) -> None:
    """Stop a process: SIGTERM, then SIGKILL if it still runs after `wait_s`.

    Parameters
    ----------
    pid : int
        A pid checked with `is_our_redis`.
    wait_s : float, optional
        How long to wait for the process to exit after SIGTERM.

    Returns
    -------
    None
    """
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.05)
    if alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and alive(pid):
            time.sleep(0.05)


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


def ping(conn: dict[str, Any], *, timeout_s: float = 1.0) -> bool:
    """Return True when the server of `conn` answers a ``PING`` within `timeout_s`.

    Parameters
    ----------
    conn : dict
        ``{port, password}``; a malformed one does not answer.
    timeout_s : float, optional
        Socket timeout.

    Returns
    -------
    bool
    """
    import redis

    try:
        r = client_of(conn, timeout_s=timeout_s)
        try:
            return bool(r.ping())
        finally:
            r.close()
    except (redis.RedisError, OSError, KeyError, TypeError):
        return False
