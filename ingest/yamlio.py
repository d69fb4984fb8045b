"""YAML reading that remembers line numbers, so every validation error can name its line.

Whatever the file holds, `load_yaml_with_lines` either returns the document or raises one
`IngestError` naming the file and, whenever it can be known, the line: bad UTF-8 (with the
byte and its line), control characters (raw, or written as escapes such as ``"\\0"`` in a
double-quoted string), syntax errors, duplicate or unhashable keys, nesting deeper than
`MAX_DEPTH`, integers beyond 64 bits, non-finite floats (``.inf``, ``.nan``), impossible dates,
and anchors/aliases (curated files do not use them; refusing them rules out alias bombs).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from ingest.textio import bad_char, decode_utf8, first_bad_char
from kg.schema.errors import IngestError, InputProblem

__all__ = ["LineDict", "load_yaml_with_lines", "line_of", "MAX_DEPTH"]

#: Deepest nesting of mappings and lists accepted (the curated files use 5 levels).
MAX_DEPTH = 40
_INT64 = 2 ** 63


class LineDict(dict):
    """A dict read from YAML, with the 1-based line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _Refused(yaml.MarkedYAMLError):
    """A value this reader refuses (too deep, too large, a control character ...)."""


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are `LineDict` with line numbers, and that refuses the
    constructs listed in the module docstring."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(None, None, "aliases (*name) are not allowed in curated files; "
                           "write the value out", event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused(None, None, f"anchors (&{event.anchor}) are not allowed in curated "
                           "files", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                               event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise _Refused(None, None, f"a {type(key).__name__} cannot be a key",
                           key_node.start_mark) from None
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    what = bad_char(value)
    if what:
        raise _Refused(None, None, f"{what} in a text value", node.start_mark)
    return value


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if len(text.replace("_", "").lstrip("+-0")) > 20:
        raise _Refused(None, None, f"number {text[:20]}... has {len(text)} digits; write a "
                       "large figure as text", node.start_mark)
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    if not -_INT64 <= value < _INT64:
        raise _Refused(None, None, f"integer {text} does not fit in 64 bits", node.start_mark)
    return value


def _construct_float(loader: _LineLoader, node: yaml.ScalarNode) -> float:
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise _Refused(None, None, f"{loader.construct_scalar(node)} is not a finite number",
                       node.start_mark)
    return value


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise _Refused(None, None, f"{loader.construct_scalar(node)!r} is not a valid date "
                       f"({exc})", node.start_mark) from None


def _construct_binary(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    raise _Refused(None, None, "binary values (!!binary) are not allowed", node.start_mark)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:binary", _construct_binary)


def load_yaml_with_lines(path: Path, *, display: str | None = None) -> Any:
    """Read a YAML file into plain lists and `LineDict` mappings.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    display : str, optional
        Name used in error messages (defaults to the path).

    Returns
    -------
    object
        The document (a `LineDict` for a mapping at top level).

    Raises
    ------
    IngestError
        Unreadable file, bad UTF-8, a control character, bad YAML syntax, a duplicate or
        unhashable key, too deep nesting, an out-of-range number or date, an anchor or
        alias; with its line whenever it is known.
    """
    name = display or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(InputProblem(name, None, f"cannot read: {exc}")) from exc
    text = decode_utf8(data, name)
    problem = first_bad_char(text, name)
    if problem is not None:
        raise IngestError(problem)
    loader = _LineLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem if isinstance(exc, _Refused) else f"YAML error: {exc.problem}"
        if exc.context and not isinstance(exc, _Refused):
            what += f" ({exc.context})"
        raise IngestError(InputProblem(name, line, what)) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        mark = loader.get_mark()
        raise IngestError(InputProblem(name, mark.line + 1, f"YAML error: {exc}")) from None
    finally:
        loader.dispose()


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """Return the line of the deepest mapping (or key) reached by walking `loc` into `data`.

    Parameters
    ----------
    data : object
        What `load_yaml_with_lines` returned.
    loc : tuple
        A path of keys and list indices, as in a pydantic error's ``loc``.

    Returns
    -------
    int or None
    """
    line: int | None = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict):
            if isinstance(part, str) and part in node.key_lines:
                line = node.key_lines[part]
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        if isinstance(node, LineDict):
            line = node.line
    return line
