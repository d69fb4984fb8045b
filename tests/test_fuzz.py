"""Generated bad input: a seeded mutation fuzzer over every way text gets in.

``KG_FUZZ_CASES`` (default 10,000) inputs, made by mutating real inputs with a fixed seed
(``KG_FUZZ_SEED``, default 13): inserting control characters, quotes, brackets, invalid
UTF-8, huge numbers and deep nesting, deleting, duplicating and swapping spans, lines and
columns, truncating. They go where text enters the project:

* BibTeX: ``BibtexAdapter`` on the mutated file, and every 4th one through the whole build;
* curated YAML: ``load_yaml_with_lines``, and every 4th one through the whole build;
* CIViC TSV: ``read_release`` on a mutated fixture release, every 4th through the build;
* console Cypher: ``kg query`` (the CLI in process) on a served graph;
* SPARQL: ``kg sparql`` text (the CLI in process, over the served graph's RDF store);
* scenario input: ``kg prep`` with mutated fields (the CLI in process);
* URL parameters: the app's pages in AppTest, the tumour-board and console pages included.

"The whole build" is what ``kg build`` does: validate (`build_graph`), then load into a
store; an input `validate` accepts must load, and one it refuses must leave the graph as it
was. The test prints ``inputs tried: N, tracebacks: 0, hangs: 0, served graph changed: 0``
(pytest shows it in the "figures" section) and fails on any traceback (an exception that is
not one of our named errors), hang (an input taking over `HANG_S`), change of a served
graph, or reader error without a line.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.schema.errors import IngestError, KGError
from tests.conftest import ROOT
from tests.helpers import MINI, export_hash

N = int(os.environ.get("KG_FUZZ_CASES", "10000"))
SEED = int(os.environ.get("KG_FUZZ_SEED", "13"))
HANG_S = 10.0
#: A file to write each input to before it runs (to find the one that hangs).
TRACE = os.environ.get("KG_FUZZ_TRACE")
FIXTURE_CIVIC = ROOT / "tests" / "fixtures" / "civic"
#: The share of the cases each target gets (URL parameters are slow: AppTest runs a page).
SHARES = {"bibtex": 0.18, "yaml": 0.22, "civic": 0.1, "cypher": 0.26, "sparql": 0.12,
          "prep": 0.09, "url": 0.03}

SPICE = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\x9f", "\t", "\n", "\r",
         "\r\n", " ", "'", '"', "\\", "{", "}", "[", "]", "(", ")", ":", ",", "#", "&", "*",
         "!", "|", ">", "<", "%", "@", "`", "$", ";", "=", "-", "/", "é", "١٢", "²", "\u2028",
         "\ufeff", "\u202e", "\U0001f600", "\ud800", "9" * 25, "9" * 5000, "-1", "0x", "1e400",
         ".inf", ".nan", "[" * 300, "[" * 3000, "{" * 300, "- " * 200, "&a ", "*a",
         "!!python/object:os.system ",
         "!!binary ", "<<: ", "? ", "---\n", "...\n", "@article{", "}}}", "%00", "<script>",
         "NCT", "2020-02-30", "null", "~", "true", "\"\\0\"", "'\\x00'", "\\u0000",
         "LOAD CSV FROM 'file:///etc/passwd' AS r ", "DETACH DELETE n ", "SET n.x = 1 ",
         "CALL db.idx.fulltext.drop('Drug') ", "CREATE (:X) ", "// ", "/* ", "*/", "UNION ",
         "WITH * ", "RETURN ", "$id", "SERVICE <http://evil.example/> { ?s ?p ?o } ",
         "FILTER(", "?x ", "<http://x/", "\"\"\"", "^^", "INSERT DATA { <a> <b> <c> } "]


def mutate_text(rng: random.Random, text: str, ops: int | None = None) -> str:
    """Apply 1-3 random edits to `text`."""
    for _ in range(ops or rng.randint(1, 3)):
        n = len(text)
        i, j = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
        j = min(j, i + rng.randint(1, 40))
        op = rng.randrange(9)
        if op <= 2:
            text = text[:i] + rng.choice(SPICE) + text[i:]
        elif op == 3:
            text = text[:i] + text[j:]
        elif op == 4:
            text = text[:j] + text[i:j] * rng.randint(2, 50) + text[j:]
        elif op == 5:
            lines = text.split("\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif op == 6:
            text = text[: rng.randrange(n + 1)]
        elif op == 7:
            lines = text.split("\n")
            k = rng.randrange(len(lines))
            lines.insert(k, lines[k] * rng.randint(1, 3))
            text = "\n".join(lines)
        else:
            words = text.split(" ")
            k = rng.randrange(len(words))
            words[k] = rng.choice(SPICE)
            text = " ".join(words)
    return text


def to_bytes(rng: random.Random, text: str) -> bytes:
    """Encode, keeping lone surrogates as (invalid) bytes; sometimes add a bad byte."""
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        k = rng.randrange(len(data) + 1)
        data = data[:k] + rng.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\x80", b"\xed\xa0\x80"]) \
            + data[k:]
    return data


def mutate_tsv(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    op = rng.randrange(5)
    if op == 0:  # swap two header names
        h = lines[0].split("\t")
        a, b = rng.randrange(len(h)), rng.randrange(len(h))
        h[a], h[b] = h[b], h[a]
        lines[0] = "\t".join(h)
    elif op == 1:  # shift a row: a tab too many or too few
        k = rng.randrange(1, max(2, len(lines) - 1))
        cells = lines[k].split("\t")
        if rng.random() < 0.5 and len(cells) > 1:
            cells.pop(rng.randrange(len(cells)))
        else:
            cells.insert(rng.randrange(len(cells) + 1), rng.choice(SPICE))
        lines[k] = "\t".join(cells)
    elif op == 2:  # one cell replaced
        k = rng.randrange(1, max(2, len(lines) - 1))
        cells = lines[k].split("\t")
        c = rng.randrange(len(cells))
        cells[c] = rng.choice([rng.choice(SPICE), mutate_text(rng, cells[c], 1), "", "x" * 5000])
        lines[k] = "\t".join(cells)
    else:
        return mutate_text(rng, text)
    return "\n".join(lines)


class Tally:
    """Counts cases, tracebacks (with the first few inputs), hangs and reader lines."""

    def __init__(self) -> None:
        self.tried = 0
        self.by_target: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.tracebacks: list[str] = []
        self.hangs: list[str] = []
        self.no_line: list[str] = []
        self.changed: list[str] = []
        self.disagree: list[str] = []
        self.slowest = 0.0
        self.seconds: Counter[str] = Counter()

    def run(self, target: str, what: str, fn: Callable[[], str]) -> str:
        if TRACE:  # the input about to run, to find one that hangs
            Path(TRACE).write_text(f"{target} {self.tried}\n{what}", encoding="utf-8",
                                   errors="backslashreplace")
        self.tried += 1
        self.by_target[target] += 1
        t0 = time.perf_counter()
        try:
            outcome = fn()
        except KGError:
            outcome = "refused"
        except Exception:  # noqa: BLE001 - this is what the fuzzer counts
            outcome = "traceback"
            self.tracebacks.append(f"[{target}] {what[:300]!r}\n{traceback.format_exc()[-1500:]}")
        dt = time.perf_counter() - t0
        self.seconds[target] += dt
        self.slowest = max(self.slowest, dt)
        if dt > HANG_S:
            self.hangs.append(f"[{target}] {dt:.1f} s: {what[:300]!r}")
        self.outcomes[f"{target}:{outcome}"] += 1
        return outcome


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    """A server of its own: the mini graph served, plus a scratch graph for builds."""
    from kg.build import build_graph
    from kg.store.falkordb import FalkorServer, FalkorStore

    server = FalkorServer(tmp_path_factory.mktemp("fuzz") / "state")
    served = FalkorStore(server)
    served.load(build_graph(MINI))
    builds = FalkorStore(server, graph_name="fuzz_builds")
    builds.load(build_graph(MINI))
    yield server, served, builds
    served.close()
    builds.close()
    server.stop()


def test_generated_bad_input_never_crashes(fuzz_store, tmp_path, monkeypatch, figures,
                                           capsys):
    from ingest.bibtex import BibtexAdapter
    from ingest.civic import CivicAdapter
    from ingest.civic_release import read_release
    from ingest.yamlio import load_yaml_with_lines
    from kg import cli
    from kg.build import build_graph
    from kg.queries import list_queries

    server, served, builds = fuzz_store
    rng = random.Random(SEED)
    tally = Tally()
    quota = {k: max(1, round(N * v)) for k, v in SHARES.items()}
    quota["cypher"] += N - sum(quota.values())  # the rounding remainder
    served_before = export_hash(served)
    fixture_meta = CivicAdapter.meta.for_fixture()
    monkeypatch.setattr(CivicAdapter, "meta", fixture_meta)  # a fixture-sized release

    def quiet(fn: Callable[[], int]) -> int:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(
                io.StringIO()):
            return fn()

    def reader_lines(exc: IngestError, what: str) -> None:
        for p in exc.problems:
            if p.line is None and not p.message.startswith("cannot read"):
                tally.no_line.append(f"{what}: {p}")

    def build_and_load(data: Path, civic: Path | None = None) -> str:
        """What `kg build` does: validate, then load; the graph must only change on success."""
        try:
            eg = build_graph(data, civic_dir=civic)
        except IngestError:
            return "refused"
        before = builds.graph_version()
        try:
            builds.load(eg)
        except KGError as exc:
            tally.disagree.append(f"validate passed, load failed: {exc}"[:500])
            if builds.graph_version() != before:
                tally.changed.append("a failed load changed the scratch graph")
            return "load failed"
        return "loaded"

    # -- BibTeX ------------------------------------------------------------------------
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    bib_path, bib_text = data / "references.bib", (MINI / "references.bib").read_text()

    def bib_case(k: int) -> str:
        bib_path.write_bytes(to_bytes(rng, mutate_text(rng, bib_text)))
        try:
            list(BibtexAdapter(bib_path).iter_nodes())
        except IngestError as exc:
            reader_lines(exc, "bibtex")
            raise
        return build_and_load(data) if k % 4 == 0 else "accepted"

    for k in range(quota["bibtex"]):
        tally.run("bibtex", bib_path.read_text("utf-8", "replace"), lambda k=k: bib_case(k))
    bib_path.write_text(bib_text, encoding="utf-8")

    # -- curated YAML ------------------------------------------------------------------
    yamls = sorted((MINI / "curated").glob("*.yaml"))

    def yaml_case(k: int) -> str:
        src = yamls[k % len(yamls)]
        target = data / "curated" / src.name
        target.write_bytes(to_bytes(rng, mutate_text(rng, src.read_text(encoding="utf-8"))))
        try:
            try:
                load_yaml_with_lines(target)
            except IngestError as exc:
                reader_lines(exc, "yaml")
                raise
            return build_and_load(data) if k % 4 == 0 else "accepted"
        finally:
            shutil.copyfile(src, target)

    for k in range(quota["yaml"]):
        tally.run("yaml", f"case {k}", lambda k=k: yaml_case(k))

    # -- CIViC TSV ---------------------------------------------------------------------
    civic = tmp_path / "01-Sep-2099"
    civic.mkdir()
    tsvs = sorted(FIXTURE_CIVIC.glob("*.tsv"))
    texts = {p: p.read_text(encoding="utf-8") for p in tsvs}

    def civic_case(k: int) -> str:
        for p in tsvs:
            (civic / p.name.replace("01-Aug-2024", "01-Sep-2099")).write_text(
                texts[p], encoding="utf-8")
        p = tsvs[rng.randrange(len(tsvs))]
        (civic / p.name.replace("01-Aug-2024", "01-Sep-2099")).write_bytes(
            to_bytes(rng, mutate_tsv(rng, texts[p])))
        read_release(civic, meta=fixture_meta)
        return build_and_load(MINI, civic) if k % 4 == 0 else "accepted"

    for k in range(quota["civic"]):
        tally.run("civic", f"case {k}", lambda k=k: civic_case(k))

    # -- console Cypher (kg query) ------------------------------------------------------
    seeds = [(q.text, q.example_params()) for q in list_queries()] + [(t, {}) for t in (
        "MATCH (n) DETACH DELETE n", "CREATE (:X {a: 1})", "MATCH (n) SET n.name = 'x'",
        "MERGE (a:Drug {id: 'x'})", "MATCH (n) REMOVE n.name", "DROP INDEX ON :Drug(id)",
        "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
        "CALL db.idx.fulltext.drop('Drug')", "FOREACH (x IN [1] | CREATE (:Y))",
        "MATCH (n) RETURN n LIMIT 5", "UNWIND range(1, 10) AS x RETURN x",
        "MATCH p=(a)-[*1..3]-(b) RETURN count(p)")]
    sd = str(server.state_dir)

    def cypher_case(argv: list[str]) -> str:
        code = quiet(lambda: cli.main(argv))
        assert code in (0, 1, 2), code
        return f"exit {code}"

    for k in range(quota["cypher"]):
        text, params = rng.choice(seeds)
        argv = ["--state-dir", sd, "query", "--timeout-ms", "1000", "--format", "json"]
        for name, value in params.items():
            value = value if rng.random() < 0.7 else mutate_text(rng, str(value))
            argv += ["-p", f"{name}={value}"]
        argv += ["--", mutate_text(rng, text)]
        tally.run("cypher", repr(argv[-1]), lambda argv=argv: cypher_case(argv))
        if k % 250 == 0:
            check = (served.graph_version(), served.query("MATCH (n) RETURN count(n)").rows)
            if k == 0:
                first = check
            elif check != first:
                tally.changed.append(f"served graph changed after Cypher case {k}")

    # -- SPARQL (kg sparql, on the served graph's RDF store) ------------------------------
    sparql_seeds = [q.text for q in list_queries(language="sparql")] + [
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "ASK { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s kgs:id ?id }",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }"]

    def sparql_case(text: str) -> str:
        code = quiet(lambda: cli.main(["--state-dir", sd, "sparql", "--max-rows", "50",
                                       "-p", "trial=x", "--", text]))
        assert code in (0, 1, 2), code
        return f"exit {code}"

    for _ in range(quota["sparql"]):
        text = mutate_text(rng, rng.choice(sparql_seeds))
        tally.run("sparql", text, lambda text=text: sparql_case(text))

    # -- scenario input (kg prep) ------------------------------------------------------------
    scenario_seed = {"--drug": "alectinib",  # the mini graph's one ALK inhibitor
                     "--progression": "extracranial", "--pattern": "oligoprogression",
                     "--lesions": "2", "--alteration": "G1202R", "--sample": "tissue",
                     "--as-of": "2020-03-09", "--add": "claim:test-alectinib-pfs"}

    def prep_case(argv: list[str]) -> str:
        try:
            code = quiet(lambda: cli.main(argv))
        except SystemExit as exc:  # argparse's own usage error: exit 2, no traceback
            code = exc.code
        assert code in (0, 1, 2), code
        return f"exit {code}"

    for _ in range(quota["prep"]):
        argv = ["--state-dir", sd, "prep", "--format",
                rng.choice(["markdown", "markdown", "json", "html", "md"])]
        mutated = rng.sample(sorted(scenario_seed), rng.randint(0, 2))
        for flag, value in scenario_seed.items():
            if rng.random() < 0.9:
                argv += [f"{flag}={mutate_text(rng, value) if flag in mutated else value}"]
        tally.run("prep", repr(argv[4:]), lambda argv=argv: prep_case(argv))

    # -- URL parameters (AppTest) --------------------------------------------------------
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KG_STATE_DIR", sd)
    pages = {"entity": ["id"], "search": ["q", "label"], "references": ["q", "page"],
             "graph": ["id", "depth", "cap", "labels"], "matrix": ["rows", "gene", "variant",
                                                                 "drug"],
             "trials": ["trial", "endpoint"], "home": ["source"],
             "prep": ["drug", "prior", "progression", "pattern", "lesions", "alt", "sample",
                      "add"],
             "console": ["q", "lang", "timeout", "rows", "params"],
             "queries": ["q", "p_id", "p_drug"]}
    values = ["drug:alectinib", "ALK:p.G1202R", "Drug,Variant", "2", "60", "JapicCTI-132316",
              "PFS", "curated", "alectinib", "1", "MATCH (n) RETURN n LIMIT 3", "cypher",
              "sparql", "21_node", "systemic", "tissue", "G1202R"]
    apps: dict[str, AppTest] = {}

    def url_case(page: str, params: dict[str, str]) -> str:
        if page not in apps:
            apps[page] = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            apps[page].switch_page(f"app_pages/{page}.py")
        at = apps[page]
        for key in list(at.query_params):
            del at.query_params[key]
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        problems = [e.value for e in at.exception]
        if page not in ("console", "queries"):  # there, a red box says the user's query failed
            problems += [e.value for e in at.error]
        if problems:
            raise AssertionError(f"{page} {params}: {problems}")
        return "shown"

    for _ in range(quota["url"]):
        page = rng.choice(sorted(pages))
        # a URL's %-escapes decode as UTF-8 with replacement: no lone surrogates get through
        params = {name: mutate_text(rng, rng.choice(values)).encode(
            "utf-8", "surrogatepass").decode("utf-8", "replace")
            for name in pages[page] if rng.random() < 0.7}
        tally.run("url", f"{page} {params}", lambda p=page, q=params: url_case(p, q))

    capsys.readouterr()
    if export_hash(served) != served_before:
        tally.changed.append("served graph export hash changed")
    line = (f"inputs tried: {tally.tried}, tracebacks: {len(tally.tracebacks)}, hangs: "
            f"{len(tally.hangs)}, served graph changed: {len(tally.changed)}")
    figures(line)
    figures("per target: " + ", ".join(f"{k} {v} ({tally.seconds[k]:.0f} s)"
                                       for k, v in tally.by_target.items())
            + f"; slowest input {tally.slowest:.2f} s; seed {SEED}")
    figures("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.outcomes.items())))
    print(line)
    assert tally.tried >= N
    assert tally.tracebacks == [], "\n\n".join(tally.tracebacks[:5])
    assert tally.hangs == [], tally.hangs[:5]
    assert tally.changed == [], tally.changed[:5]
    assert tally.disagree == [], tally.disagree[:5]
    assert tally.no_line == [], tally.no_line[:10]
