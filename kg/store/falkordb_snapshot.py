"""The embedded FalkorDB server's snapshot: ``graph.rdb`` and the record of what it holds.

``graph.rdb``
    Every swap of a served graph schedules a ``BGSAVE`` in the same ``MULTI`` as the
    ``RENAME`` (`Snapshots.queue_snapshot`), the loader waits for it
    (`Snapshots.wait_snapshot`), and a server started later loads it: the served graph
    survives a stop, a crash, a reboot.
``saved.json``
    Which graph versions the snapshot holds and when it was written (after the save
    completed), so messages can say truthfully what a restart will serve.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from kg.schema.errors import StoreError
from kg.store.falkordb_state import atomic_write

__all__ = ["Snapshots", "graph_versions"]


def graph_versions(client: Any) -> dict[str, str]:
    """Return ``{graph name: version}`` from the ``<graph>:meta`` hashes of a server.

    Parameters
    ----------
    client : redis.Redis
        A connection to the server (staging graphs are left out).

    Returns
    -------
    dict of str to str
    """
    out: dict[str, str] = {}
    for key in client.scan_iter(match="*:meta", count=1000):
        name = key.decode() if isinstance(key, bytes) else str(key)
        if "__staging_" in name:
            continue
        v = client.hget(key, "version")
        out[name.removesuffix(":meta")] = v.decode() if isinstance(v, bytes) else (v or "")
    return out


def _utc(seconds: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


class Snapshots:
    """Save, describe and record the snapshot of a state directory (a mixin of `FalkorServer`).

    Uses the paths `FalkorServer` sets: ``rdbfile`` (``graph.rdb``), ``savedfile``
    (``saved.json``) and ``logfile``.
    """

    rdbfile: Path
    savedfile: Path
    logfile: Path

    def _record_saved(self, graphs: dict[str, str], saved_at: float | None = None) -> None:
        """Write ``saved.json``: the graph versions the snapshot holds, saved when (now)."""
        atomic_write(self.savedfile, json.dumps({"saved_at": _utc(saved_at), "graphs": graphs}),
                     0o644)

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
            when = _utc(self.rdbfile.stat().st_mtime)
            return (f"the snapshot ({self.rdbfile.name}, written {when}) was written after the "
                    "last record of its contents (a build was killed after its swap); the next "
                    "start serves it and records which graph it holds")
        graphs = saved.get("graphs") or {}
        if graph_name is not None:
            graphs = {k: v for k, v in graphs.items() if k == graph_name}
        what = ", ".join(f"{v or '(empty)'}" if graph_name else f"{k} {v}"
                         for k, v in sorted(graphs.items())) or "no graph version on record"
        return f"the snapshot holds graph {what} (saved {saved.get('saved_at') or '?'})"

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
            held = graph_versions(client)
        except redis.RedisError:
            held = {**((self.saved() or {}).get("graphs") or {}), **graphs}
        self._record_saved({**held, **graphs})

    @staticmethod
    def _await_idle(client: Any, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        while client.info("persistence").get("rdb_bgsave_in_progress"):
            if time.monotonic() > deadline:
                raise StoreError(f"a snapshot in progress did not finish within {wait_s:.0f} s")
            time.sleep(0.01)
