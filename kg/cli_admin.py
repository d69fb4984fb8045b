"""The commands that manage the sources and the server, and the sheet.

``civic-diff`` compares two CIViC releases, ``civic fetch`` downloads one, ``db`` starts,
stops and describes the embedded FalkorDB server, and ``prep`` writes a tumour-board sheet
(`kg.sheets.cli.run_prep`). The parser and `main` are in `kg.cli`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from kg import cli  # looked up at call time: kg.cli's names may be substituted (tests)

__all__ = ["COMMANDS"]


def _cmd_civic_diff(args: argparse.Namespace) -> int:
    from ingest.civic import read_evidence
    from ingest.civic_diff import diff_evidence, diff_to_json, generate_table

    old_release, old = read_evidence(Path(args.old_dir))
    new_release, new = read_evidence(Path(args.new_dir))
    diff = diff_evidence(old, new, old_release=old_release, new_release=new_release,
                         ignore=args.ignore or ())
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(diff_to_json(diff), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    if args.format == "json":
        json.dump(diff_to_json(diff), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for line in generate_table(diff):
            print(line)
    return cli.EXIT_OK


def _cmd_civic(args: argparse.Namespace) -> int:
    from ingest.civic_fetch import fetch_release, release_name

    release = release_name(args.release)
    dest = Path(args.data) / "civic"
    print(f"fetching CIViC release {release} from {args.base_url} ...", file=sys.stderr)
    path = fetch_release(release, dest, base_url=args.base_url, force=args.force,
                         timeout=args.timeout)
    print(f"stored and checked: {path} (build with it: python -m kg build --civic {path})")
    return cli.EXIT_OK


def _cmd_db(args: argparse.Namespace) -> int:
    from kg.store.falkordb_server import FalkorServer

    server = FalkorServer(args.state_dir)
    if args.action == "start":
        info = server.start()
        for note in server.notes:
            print(f"note: {note}", file=sys.stderr)
        print(("reused" if info["reused"] else "started") + f": {server.status()}")
        print(_served(server))
    elif args.action == "stop":
        print("stopped" if server.stop() else "not running")
        print(server.describe_saved())
    else:
        print(server.status())
        print(_served(server) if server.info() is not None else server.describe_saved())
    return cli.EXIT_OK


def _served(server: Any) -> str:
    """Say which graph a running server serves (from its meta hash), without starting it."""
    import redis

    from kg.store.falkordb import GRAPH_NAME
    from kg.store.falkordb_server import client_of

    info = server.info()
    if info is None:
        return "serves nothing: not running"
    r = client_of(info)
    try:
        meta = {k.decode(): v.decode() for k, v in r.hgetall(f"{GRAPH_NAME}:meta").items()}
        persistence = r.info("persistence")
    except redis.RedisError as exc:
        return f"serves: unknown, the server did not answer ({exc})"
    finally:
        r.close()
    if int(persistence.get("rdb_changes_since_last_save", 0)) or \
            persistence.get("rdb_last_bgsave_status") != "ok":
        snap = ("snapshot: older than what is served (not saved since the last change); a "
                f"restart would serve what {server.describe_saved()}")
    elif server.rdbfile.is_file():
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                             time.gmtime(int(persistence.get("rdb_last_save_time", 0))))
        snap = f"snapshot: up to date ({server.rdbfile}, saved {when})"
    else:
        snap = "snapshot: none (nothing built yet)"
    if not meta.get("version"):
        return f"serves no graph (run `python -m kg build`)\n{snap}"
    try:
        n = sum(json.loads(meta.get("nodes", "{}")).values())
        m = sum(json.loads(meta.get("edges", "{}")).values())
    except (ValueError, AttributeError):
        n = m = "?"
    return (f"serves graph {meta['version']} built {meta.get('built_at', '?')} ({n} nodes, "
            f"{m} edges)\n{snap}")


def _cmd_prep(args: argparse.Namespace) -> int:
    from kg.sheets.cli import run_prep

    return run_prep(args)


#: The commands of this module by name (`kg.cli.main` runs them).
COMMANDS = {"civic-diff": _cmd_civic_diff, "civic": _cmd_civic, "db": _cmd_db,
            "prep": _cmd_prep}
