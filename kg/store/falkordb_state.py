"""The embedded FalkorDB server's state files and locks, in its state directory.

``server.json`` (0600)
    ``{format, pid, port, password, started, ready}``, written atomically (`atomic_write`:
    temporary file + rename) by the process that starts the server, and by no one else;
    ``redis.pid`` likewise.
``start.lock``, ``build.lock``
    ``flock`` locks (`StateFiles.lock`): one process starts a server, one build loads at a
    time. A lock dies with its process, so a killed build never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.schema.errors import StoreError

__all__ = ["atomic_write", "StateFiles"]


def atomic_write(path: Path, text: str, mode: int = 0o600) -> None:
    """Write `text` to `path` through a temporary file and a rename (readers see old or new).

    Parameters
    ----------
    path : pathlib.Path
        The file to replace.
    text : str
        Its new content (UTF-8).
    mode : int, optional
        The file mode (0600 by default: the state file holds the password).

    Returns
    -------
    None
    """
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


class StateFiles:
    """The state file and the locks of a server's state directory (a mixin of `FalkorServer`).

    Uses the paths `FalkorServer` sets: ``state_dir``, ``connfile`` (``server.json``) and
    ``pidfile`` (``redis.pid``).
    """

    state_dir: Path
    connfile: Path
    pidfile: Path

    def _read_state(self) -> dict[str, Any] | None:
        try:
            state = json.loads(self.connfile.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) else None

    def _forget(self) -> None:
        for f in (self.connfile, self.pidfile):
            f.unlink(missing_ok=True)

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
