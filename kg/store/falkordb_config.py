"""The embedded FalkorDB server's configuration: where its state lives, its limits, its config.

`FalkorServer` (`kg.store.falkordb_server`) writes the whole configuration, password included,
to ``<state dir>/redis.conf`` (`redis_conf`) before each start, so the command line is only
``redis-server <state dir>/redis.conf`` and no password is ever on a command line. The server
listens on 127.0.0.1 only; FalkorDB's Bolt endpoint is never enabled (a temporal value
returned over Bolt crashes the server).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kg.store.base import DEFAULT_TIMEOUT_MS

__all__ = ["PROJECT_ROOT", "DEFAULT_STATE_DIR", "STATE_FORMAT", "IMPORT_DIR_NAME",
           "TIMEOUT_MAX_MS", "THREAD_COUNT", "QUERY_MEM_CAPACITY_MB", "module_args",
           "fresh_import_dir", "redis_conf"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STATE_DIR = Path(os.environ.get("KG_STATE_DIR", PROJECT_ROOT / "var" / "falkordb"))
#: The layout of ``server.json``; a file without ``format`` comes from an older version.
STATE_FORMAT = 2
#: FalkorDB's IMPORT_FOLDER, below the state directory; kept empty.
IMPORT_DIR_NAME = "import"

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


def fresh_import_dir(import_dir: Path) -> None:
    """Make FalkorDB's import folder an empty directory of mode 0700 (run at every start).

    Parameters
    ----------
    import_dir : pathlib.Path
        ``<state dir>/import``; a file or link there is removed, a directory emptied.

    Returns
    -------
    None
    """
    if import_dir.is_symlink() or import_dir.is_file():
        import_dir.unlink()
    elif import_dir.is_dir() and any(import_dir.iterdir()):
        shutil.rmtree(import_dir)
    import_dir.mkdir(mode=0o700, exist_ok=True)


def _quoted(text: str) -> str:
    """A double-quoted string for Redis' config parser (non-printable bytes as ``\\xNN``)."""
    return '"' + "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else f"\\x{c:02x}"
                         for c in text.encode("utf-8")) + '"'


def redis_conf(state_dir: Path, logfile: Path, module: str, *, port: int, password: str,
               timeout_default_ms: int = DEFAULT_TIMEOUT_MS) -> str:
    """Return the text of ``redis.conf``: the server's whole configuration, password included.

    Parameters
    ----------
    state_dir : pathlib.Path
        The server's working directory (``dir``), where ``graph.rdb`` is written.
    logfile : pathlib.Path
        The server's log file.
    module : str
        The path of ``falkordb.so``.
    port : int
        The port to listen on, on 127.0.0.1 only.
    password : str
        ``requirepass``.
    timeout_default_ms : int, optional
        FalkorDB's ``TIMEOUT_DEFAULT`` (see `module_args`).

    Returns
    -------
    str
        No periodic saves (each swap snapshots explicitly), no ``DEBUG``, no ``MODULE LOAD``,
        no moving ``dir``/``dbfilename`` at run time.
    """
    q = _quoted
    return "\n".join([
        "# written by kg.store.falkordb_server at each start; do not edit",
        f"port {port}", "bind 127.0.0.1", "protected-mode yes",
        f"requirepass {q(password)}",
        f"dir {q(str(state_dir))}", 'dbfilename "graph.rdb"',
        # no periodic saves: each swap snapshots explicitly (see queue_snapshot)
        'save ""', "appendonly no", "rdbchecksum yes", "stop-writes-on-bgsave-error yes",
        f"logfile {q(str(logfile))}", "daemonize no",
        # no DEBUG, no MODULE LOAD, no moving dir/dbfilename at run time (CONFIG SET)
        "enable-debug-command no", "enable-module-command no",
        "enable-protected-configs no",
        f"loadmodule {q(module)} " + " ".join(q(a) for a in module_args(
            state_dir, timeout_default_ms=timeout_default_ms)),
        "",
    ])
