"""Every public function states its contract: numpydoc Parameters and Returns sections.

Every module under ``kg/`` and ``ingest/`` is parsed with `ast` (nothing is imported). A
function is public when its name does not start with ``_``, it is defined at module level or
in the body of a public class, and its module's file name does not start with ``_``. A public
function that takes arguments (other than ``self`` / ``cls``) must have a docstring with a
``Parameters`` section and a ``Returns`` section (``Yields`` for a generator); a function that
returns nothing says ``Returns`` / ``-------`` / ``None``.

The rule is checked on the real tree and, so that it cannot pass vacuously, on planted
violations.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kg", "ingest")
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _section(name: str) -> re.Pattern[str]:
    """Return the pattern of a numpydoc section header `name` (the title, then dashes)."""
    return re.compile(rf"^[ \t]*{name}[ \t]*\n[ \t]*-{{3,}}[ \t]*$", re.MULTILINE)


_PARAMETERS = _section("Parameters")
_RETURNS = _section("(?:Returns|Yields)")


def _arguments(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Return the names of the arguments `func` takes, ``self`` and ``cls`` left out."""
    a = func.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
    return [n for n in names if n not in ("self", "cls")]


def _public_functions(tree: ast.Module):
    """Yield ``(qualified name, function node)`` for each public function and method."""
    for node in tree.body:
        if isinstance(node, _FUNCS) and not node.name.startswith("_"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, _FUNCS) and not item.name.startswith("_"):
                    yield f"{node.name}.{item.name}", item


def contract_violations(rel: str, source: str) -> list[str]:
    """Return one line per public function in `source` (file `rel`) lacking its contract.

    Parameters
    ----------
    rel : str
        The module's path relative to the repository root (used in the messages).
    source : str
        The module's Python source.

    Returns
    -------
    list of str
        ``path:line: name lacks ...`` for each public function that takes arguments but
        whose docstring has no ``Parameters`` or no ``Returns`` section; empty when none.
    """
    if Path(rel).name.startswith("_"):
        return []
    found = []
    for name, func in _public_functions(ast.parse(source)):
        if not _arguments(func):
            continue
        doc = ast.get_docstring(func) or ""
        missing = [s for s, pat in (("Parameters", _PARAMETERS), ("Returns", _RETURNS))
                   if not pat.search(doc)]
        if missing:
            what = "a docstring" if not doc else " and ".join(missing) + " section(s)"
            found.append(f"{rel}:{func.lineno}: {name} lacks {what}")
    return found


def _modules() -> list[Path]:
    return [p for top in PACKAGES for p in sorted((ROOT / top).rglob("*.py"))]


def test_every_public_function_states_its_contract():
    modules = _modules()
    assert len(modules) > 10, "the package tree was not found"
    found = []
    for path in modules:
        rel = path.relative_to(ROOT).as_posix()
        found += contract_violations(rel, path.read_text(encoding="utf-8"))
    assert not found, "public functions without a numpydoc contract:\n" + "\n".join(found)


_PLANTED = textwrap.dedent('''
    def no_doc(x):
        return x

    def no_returns(x):
        """Do something.

        Parameters
        ----------
        x : int
        """

    def no_parameters(x):
        """Do something.

        Returns
        -------
        None
        """

    def words_only(x):
        """Takes Parameters and Returns something, but has no sections."""

    async def coro(*, x):
        """Await something."""

    class Thing:
        def method(self, y):
            """Do something."""

        @classmethod
        def make(cls, **kw):
            """Make one."""
''')

_KEPT = textwrap.dedent('''
    def documented(x):
        """Do something.

        Parameters
        ----------
        x : int
            A number.

        Returns
        -------
        None
        """

    def generator(x):
        """Yield something.

        Parameters
        ----------
        x : int

        Yields
        ------
        int
        """
        yield x

    def no_arguments():
        """Nothing to document."""

    def _private(x):
        return x

    class Thing:
        def __init__(self, x):
            self.x = x

        def method(self):
            """Only self."""

        @property
        def value(self):
            return self.x

        def _helper(self, y):
            return y

    class _Private:
        def method(self, y):
            return y

    def outer():
        """No arguments; what it nests is not public."""
        def inner(z):
            return z
        return inner
''')


def test_planted_violations_are_found():
    found = contract_violations("kg/planted.py", _PLANTED)
    names = [line.split(": ")[1].split(" ")[0] for line in found]
    assert names == ["no_doc", "no_returns", "no_parameters", "words_only", "coro",
                     "Thing.method", "Thing.make"]
    assert found[0] == "kg/planted.py:2: no_doc lacks a docstring"
    assert found[1].endswith("no_returns lacks Returns section(s)")
    assert found[2].endswith("no_parameters lacks Parameters section(s)")
    assert found[3].endswith("words_only lacks Parameters and Returns section(s)")


def test_documented_private_and_argumentless_functions_pass():
    assert contract_violations("kg/kept.py", _KEPT) == []


def test_private_modules_are_not_checked():
    assert contract_violations("kg/_private.py", _PLANTED) == []
    assert contract_violations("kg/__init__.py", _PLANTED) == []
