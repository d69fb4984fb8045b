"""SPARQL over the RDF mapping of the served graph, built once per graph fingerprint.

The mapping is `kg.exports.rdf_triples` (the one behind the Turtle and JSON-LD exports); the
engine is Oxigraph (PyPI ``pyoxigraph``), whose on-disk store opens in milliseconds. The
first query on a graph version builds ``<state dir>/sparql/<fingerprint>/`` (in a temporary
directory, renamed into place when complete, so a concurrent reader never sees half a store);
every later query, in any process, opens that store read-only. `SparqlCache` keeps the open
stores of a process and the two newest versions on disk.

Queries run read-only: `kg.store.guard.check_sparql_read_only` refuses updates and
``SERVICE`` before Oxigraph sees the text, and the store is opened read-only besides.
Parameters are bound by a trailing ``VALUES`` clause holding each value as an escaped
N-Triples literal (the same join as rdflib's ``initBindings``). Oxigraph has no
prepared-query object: it parses the text on every call, in microseconds (``make bench``
reports it); what is prepared once is the store itself and, per process, each named query.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.schema.errors import QueryError, ReadOnlyViolation
from kg.store.guard import check_sparql_read_only

if TYPE_CHECKING:
    from kg.graph import EvidenceGraph

__all__ = ["PREFIXES", "build_store", "ntriples", "select", "select_limited", "SparqlCache",
           "to_python"]

_KG = "https://w3id.org/alk-evidence-kg/"
#: Prefixes every query may use without declaring them.
PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "kg": _KG,
            "kgs": _KG + "schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
_XSD = PREFIXES["xsd"]
_INTS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                             "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + t for t in ("double", "float", "decimal")}
_JSON = PREFIXES["rdf"] + "JSON"


def _literal(value: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(value, list):
        return ox.Literal(json.dumps(value, ensure_ascii=False), datatype=ox.NamedNode(_JSON))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    return ox.Literal(str(value))


def _nt_literal(value: Any) -> str:
    """A property value as an N-Triples literal (the term `_literal` makes, as text)."""
    if isinstance(value, list):
        return json.dumps(json.dumps(value, ensure_ascii=False), ensure_ascii=False) \
            + f"^^<{_JSON}>"
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{_XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{_XSD}integer>'
    if isinstance(value, float):
        return f'"{value!r}"^^<{_XSD}double>'
    return json.dumps(str(value), ensure_ascii=False)  # JSON escapes are N-Triples escapes


def ntriples(eg: EvidenceGraph) -> bytes:
    """Return the RDF mapping of a graph (`kg.exports.rdf_triples`) as N-Triples.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to map.

    Returns
    -------
    bytes
        UTF-8, one triple per line.
    """
    from kg.exports import rdf_triples

    return "".join(f"{s} {p} {o} .\n" for s, p, o in rdf_triples(
        eg, iri=lambda x: f"<{x}>", literal=_nt_literal)).encode("utf-8")


def build_store(eg: EvidenceGraph, path: Path | None = None) -> Any:
    """Map a graph into an Oxigraph store (in memory, or on disk at `path`).

    The triples travel as N-Triples text into Oxigraph's bulk loader (parsing in Rust is
    several times faster than making a Python object per term).

    Parameters
    ----------
    eg : EvidenceGraph
        The graph to map (`kg.exports.rdf_triples`).
    path : pathlib.Path, optional
        A new directory for an on-disk store; in memory when None.

    Returns
    -------
    pyoxigraph.Store
        Holding every triple of the mapping in its default graph.
    """
    import pyoxigraph as ox

    store = ox.Store(str(path)) if path is not None else ox.Store()
    store.bulk_load(ntriples(eg), ox.RdfFormat.N_TRIPLES)
    if path is not None:
        store.flush()
    return store


def to_python(term: Any) -> Any:
    """Return the Python value of an Oxigraph term (None stays None).

    Parameters
    ----------
    term : pyoxigraph term or None
        An IRI, a blank node or a literal from a solution.

    Returns
    -------
    object
        IRIs as their text, blank nodes as ``_:id``, literals by datatype: int, float, bool,
        the list of an ``rdf:JSON`` literal, else the lexical text.
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else ""
        try:
            if dt in _INTS:
                return int(term.value)
            if dt in _FLOATS:
                return float(term.value)
            if dt == _XSD + "boolean":
                return term.value in ("true", "1")
            if dt == _JSON:
                return json.loads(term.value)
        except ValueError:
            return term.value
        return term.value
    return str(term)


def select(store: Any, text: str, params: dict[str, Any] | None = None, *,
           row_cap: int | None = None) -> tuple[list[str], list[list[Any]]]:
    """Run a read-only SPARQL query; parameters bind variables of the same name.

    Parameters
    ----------
    store : pyoxigraph.Store
        From `build_store` or `SparqlCache.store`.
    text : str
        The query (``rdf:``, ``kg:``, ``kgs:`` and ``xsd:`` are predeclared). A SELECT gives
        its variables as columns; ASK gives one column ``result``; CONSTRUCT and DESCRIBE
        give ``subject``, ``predicate``, ``object``.
    params : dict, optional
        ``{name: value}``: ``?name`` is bound to the value as a literal (int, float, bool
        typed; anything else as a plain string).
    row_cap : int, optional
        Stop after this many rows (the caller says that it stopped).

    Returns
    -------
    columns : list of str
    rows : list of list
        Values as `to_python` gives them.

    Raises
    ------
    ReadOnlyViolation
        An update or a SERVICE call (`kg.store.guard.check_sparql_read_only`).
    QueryError
        The text does not parse or the query fails.
    """
    import pyoxigraph as ox

    check_sparql_read_only(text)
    query = text
    if params:
        bad = [k for k in params if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k))]
        if bad:
            raise QueryError(f"SPARQL parameter names must be variable names: {bad}")
        # A trailing VALUES clause joins the bindings with the WHERE pattern (SPARQL 1.1,
        # 18.2.4.3), as rdflib's initBindings do; each value is an N-Triples literal.
        query = (text.rstrip() + "\nVALUES (" + " ".join(f"?{k}" for k in params) + ") { ("
                 + " ".join(str(_literal(v)) for v in params.values()) + ") }")
    try:
        res = store.query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}; in query: {text.strip()[:300]}") from exc
    except OSError as exc:
        raise QueryError(f"SPARQL failed: {exc}") from exc
    if isinstance(res, ox.QueryBoolean):
        return ["result"], [[bool(res)]]
    if isinstance(res, ox.QueryTriples):
        columns = ["subject", "predicate", "object"]
        it = ([to_python(t.subject), to_python(t.predicate), to_python(t.object)] for t in res)
    else:
        columns = [v.value for v in res.variables]
        it = ([to_python(sol[c]) for c in columns] for sol in res)
    rows: list[list[Any]] = []
    for row in it:
        if row_cap is not None and len(rows) >= row_cap:
            break
        rows.append(row)
    return columns, rows


#: Seconds a child process may take to start and open its store, on top of the query's limit.
_START_ALLOWANCE_S = 10.0


def select_limited(path: Path, text: str, params: dict[str, Any] | None = None, *,
                   row_cap: int | None = None, timeout_ms: int) -> tuple[list[str],
                                                                        list[list[Any]]]:
    """Run `select` on the on-disk store at `path` in a child process ended after `timeout_ms`.

    Oxigraph evaluates a query in Rust without returning to Python, so no thread can stop it
    (a three-way cross product under ``COUNT`` runs for hours). A long-lived process (the
    browser) therefore runs each query in a child (``python -m kg.sparql``) that opens the
    store read-only and arms an interval timer just before the query; the timer's signal,
    left at its default action, ends the child whatever it is doing. The limit counts the
    query and the reading of its rows, not the child's start.

    Parameters
    ----------
    path : pathlib.Path
        A store built by `build_store` (`SparqlCache.path` of a version already built).
    text : str
        The query, as for `select`.
    params : dict, optional
        As for `select`.
    row_cap : int, optional
        As for `select`.
    timeout_ms : int
        The limit in milliseconds (1 or more).

    Returns
    -------
    columns : list of str
    rows : list of list
        As `select` gives them.

    Raises
    ------
    ReadOnlyViolation
        An update or a SERVICE call (refused before any child starts).
    QueryError
        The query does not parse or fails, or did not finish within `timeout_ms`.
    """
    check_sparql_read_only(text)
    if timeout_ms < 1:
        raise QueryError(f"the timeout must be 1 ms or more, not {timeout_ms}")
    job = json.dumps({"path": str(path), "text": text, "params": params or {},
                      "row_cap": row_cap, "timeout_ms": timeout_ms})
    root = Path(__file__).resolve().parents[1]  # the child imports this same kg
    try:
        done = subprocess.run([sys.executable, "-m", "kg.sparql"], input=job.encode(),
                              capture_output=True, cwd=root,
                              timeout=timeout_ms / 1000 + _START_ALLOWANCE_S, check=False)
    except subprocess.TimeoutExpired as exc:  # the child never reached its own timer
        raise QueryError(f"the SPARQL query did not finish within {timeout_ms:,} ms; "
                         "stopped") from exc
    if done.returncode == -signal.SIGALRM:
        raise QueryError(f"the SPARQL query did not finish within {timeout_ms:,} ms; stopped "
                         "(raise the timeout, add LIMIT, or narrow the pattern)")
    try:
        reply = json.loads(done.stdout.decode())
    except ValueError:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise QueryError(f"SPARQL failed (exit {done.returncode}): {tail[0][:300]}") from None
    if "error" in reply:
        kind = ReadOnlyViolation if reply.get("kind") == "ReadOnlyViolation" else QueryError
        raise kind(reply["error"])
    return reply["columns"], reply["rows"]


def _child() -> int:
    """Body of ``python -m kg.sparql``: one job from stdin, its reply as JSON on stdout."""
    import pyoxigraph as ox

    job = json.loads(sys.stdin.read())
    try:
        store = ox.Store.read_only(job["path"])
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the default action ends the process
        signal.setitimer(signal.ITIMER_REAL, job["timeout_ms"] / 1000)
        columns, rows = select(store, job["text"], job["params"], row_cap=job["row_cap"])
        signal.setitimer(signal.ITIMER_REAL, 0)
    except (QueryError, OSError) as exc:
        signal.setitimer(signal.ITIMER_REAL, 0)
        kind = "ReadOnlyViolation" if isinstance(exc, ReadOnlyViolation) else "QueryError"
        json.dump({"error": str(exc), "kind": kind}, sys.stdout)
        return 1
    json.dump({"columns": columns, "rows": rows}, sys.stdout)
    return 0


class SparqlCache:
    """On-disk Oxigraph stores of graph versions under one directory, opened once per process.

    Parameters
    ----------
    directory : pathlib.Path
        Where the stores live (``<state dir>/sparql``).
    keep : int, optional
        How many versions to keep on disk (the newest by modification time).

    Examples
    --------
    >>> import tempfile
    >>> from kg.build import build_graph
    >>> eg = build_graph()
    >>> cache = SparqlCache(Path(tempfile.mkdtemp()))
    >>> s = cache.store(eg.fingerprint(), lambda: eg)
    >>> cols, rows = select(s, "SELECT (COUNT(*) AS ?n) WHERE { ?d a kgs:Drug }")
    >>> rows[0][0] == eg.counts()["nodes"]["Drug"]
    True
    >>> cache.store(eg.fingerprint(), lambda: 1 / 0) is s  # built once, kept open
    True
    """

    _lock = threading.Lock()

    def __init__(self, directory: Path, *, keep: int = 2) -> None:
        self.directory = Path(directory)
        self.keep = keep
        self._open: dict[str, Any] = {}

    def path(self, version: str) -> Path:
        """Return the directory of a version's store.

        Parameters
        ----------
        version : str
            The graph's fingerprint.

        Returns
        -------
        pathlib.Path
        """
        return self.directory / version

    def store(self, version: str, load: Callable[[], EvidenceGraph]) -> Any:
        """Return the read-only store of a graph version, building it first if needed.

        Parameters
        ----------
        version : str
            The graph's fingerprint (`kg.graph.EvidenceGraph.fingerprint`).
        load : callable
            Returns the graph of that version; called only when no store exists yet.

        Returns
        -------
        pyoxigraph.Store
            Opened read-only; the same object for every later call in this process.

        Raises
        ------
        QueryError
            `version` is empty, or the graph `load` returns has another fingerprint.
        """
        import pyoxigraph as ox

        if not version or "/" in version or version.startswith("."):
            raise QueryError(f"no graph version to query ({version!r}); build the graph first")
        with self._lock:
            if version in self._open:
                return self._open[version]
            final = self.path(version)
            if not (final / "CURRENT").exists():
                self._build(version, load, final)
            store = ox.Store.read_only(str(final))
            self._open[version] = store
            return store

    def _build(self, version: str, load: Callable[[], EvidenceGraph], final: Path) -> None:
        eg = load()
        if eg.fingerprint() != version:
            raise QueryError(f"the graph to map has fingerprint {eg.fingerprint()}, "
                             f"not {version}")
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".building-{version}-{secrets.token_hex(4)}"
        store = build_store(eg, tmp)
        del store  # closes the read-write instance before another process opens it
        try:
            os.rename(tmp, final)
        except OSError:  # another process finished first: keep its store
            shutil.rmtree(tmp, ignore_errors=True)
        self._prune(keep_also=version)

    def _prune(self, *, keep_also: str) -> None:
        stores = sorted((p for p in self.directory.iterdir() if p.is_dir()
                         and not p.name.startswith(".")),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in stores[self.keep:]:
            if old.name != keep_also and old.name not in self._open:
                shutil.rmtree(old, ignore_errors=True)
        import time

        for tmp in self.directory.glob(".building-*"):  # left by a process that died
            try:
                if tmp.stat().st_mtime < time.time() - 3600:
                    shutil.rmtree(tmp, ignore_errors=True)
            except OSError:
                continue


if __name__ == "__main__":
    sys.exit(_child())
