"""The layers stay separate: every import of the project is parsed and checked.

Data flows one way: sources -> ``ingest/`` -> ``kg.schema`` (the bottom) ... ``kg.build`` ->
``kg.store`` / ``queries/`` -> ``kg.views`` -> ``app.py`` + ``app_pages/``. The rules:

* ``kg.schema`` imports nothing of the project (only its own modules);
* ``ingest/`` imports nothing of ``kg`` but ``kg.schema``;
* nothing under ``kg/`` or ``ingest/`` imports ``streamlit``;
* ``app_pages/`` holds no Cypher text and does not import ``kg.store``.

Each rule is checked on the real tree and, so that it cannot pass vacuously, on a small
planted violation.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("kg", "ingest", "app_pages", "app")
_CYPHER = re.compile(r"\b(MATCH|MERGE|CREATE|DETACH\s+DELETE|UNWIND)\b[^\n]*"
                     r"(\(|\bRETURN\b|\bSET\b)")


def imports_of(source: str) -> list[str]:
    """Return every module a Python source imports (absolute names; relative as '.x')."""
    out: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                out.append("." * node.level + (node.module or ""))
            else:
                out.append(node.module or "")
                out += [f"{node.module}.{a.name}" for a in node.names
                        if node.module in ("kg", "ingest")]
    return out


def _top(name: str) -> str:
    return name.split(".")[0]


def layer_violations(path: Path, source: str) -> list[str]:
    """Return the layer rules `source` (at `path`, relative to the root) breaks."""
    rel = path.as_posix()
    found: list[str] = []
    for mod in imports_of(source):
        if mod.startswith("."):
            continue
        if rel.startswith("kg/schema/") and _top(mod) in PROJECT:
            found.append(f"{rel}: kg.schema imports {mod}")
        if rel.startswith("ingest/") and _top(mod) == "kg" and not (
                mod == "kg.schema" or mod.startswith("kg.schema.")):
            found.append(f"{rel}: ingest imports {mod} (only kg.schema is allowed)")
        if rel.startswith(("kg/", "ingest/")) and _top(mod) == "streamlit":
            found.append(f"{rel}: imports streamlit")
        if rel.startswith("app_pages/") and (mod == "kg.store" or mod.startswith("kg.store.")):
            found.append(f"{rel}: app page imports {mod}")
    if rel.startswith("app_pages/"):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and _CYPHER.search(node.value):
                found.append(f"{rel}:{node.lineno}: Cypher text in an app page")
    return found


def _project_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for top in ("kg", "ingest", "app_pages"):
        files += sorted((ROOT / top).rglob("*.py"))
    return files


def test_the_tree_keeps_its_layers():
    problems: list[str] = []
    for f in _project_files():
        problems += layer_violations(f.relative_to(ROOT), f.read_text(encoding="utf-8"))
    assert problems == []


def test_every_layer_is_inspected():
    rels = {f.relative_to(ROOT).as_posix() for f in _project_files()}
    assert {"kg/schema/model.py", "ingest/curated.py", "app_pages/entity.py",
            "kg/build.py"} <= rels


@pytest.mark.parametrize(("path", "source", "expected"), [
    ("kg/schema/model.py", "from kg.graph import assemble\n", "kg.schema imports kg.graph"),
    ("kg/schema/model.py", "import ingest.curated\n", "kg.schema imports ingest.curated"),
    ("ingest/civic.py", "from kg.graph import EvidenceGraph\n", "ingest imports kg.graph"),
    ("ingest/civic.py", "from kg import views\n", "ingest imports kg.views"),
    ("kg/views/matrix.py", "import streamlit as st\n", "imports streamlit"),
    ("ingest/curated.py", "from streamlit import cache_data\n", "imports streamlit"),
    ("app_pages/home.py", "from kg.store import open_store\n", "app page imports kg.store"),
    ("app_pages/home.py", "Q = 'MATCH (n:Drug) RETURN n'\n", "Cypher text in an app page"),
])
def test_a_planted_violation_is_caught(path, source, expected):
    found = layer_violations(Path(path), source)
    assert any(expected in f for f in found), found


@pytest.mark.parametrize(("path", "source"), [
    ("kg/schema/model.py", "from .errors import SchemaError\nimport yaml\n"),
    ("ingest/civic.py", "from kg.schema import load_schema\nfrom kg.schema.errors import X\n"),
    ("app_pages/home.py", "from kg import views\nTEXT = 'Match a drug to its trials'\n"),
])
def test_allowed_imports_pass(path, source):
    assert layer_violations(Path(path), source) == []
