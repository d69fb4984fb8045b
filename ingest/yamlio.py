"""YAML reading that remembers line numbers, so every validation error can name its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.schema.errors import IngestError, InputProblem

__all__ = ["LineDict", "load_yaml_with_lines", "line_of"]


class LineDict(dict):
    """A dict read from YAML, with the 1-based line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are `LineDict` with line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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
        Unreadable file, bad YAML syntax or a duplicate key, with its line.
    """
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(InputProblem(name, None, f"cannot read: {exc}")) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise IngestError(InputProblem(name, line, f"YAML error: {exc.problem}")) from exc


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
