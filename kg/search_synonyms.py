"""The clinical synonyms the search box treats as the same (``data/synonyms.yaml``).

Words and phrases of one group (brain = CNS = intracranial; PFS = progression-free survival;
HR = hazard ratio ...) match each other; the names and synonyms of the labels the file lists
(drugs: brand and code names) count as groups too. `load_synonyms` reads and checks the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.schema import load_schema
from kg.schema.errors import KGError
from kg.search_text import fold, tokenize

__all__ = ["Synonyms", "SynonymsError", "load_synonyms", "SYNONYMS_FILE"]

#: The clinical synonyms of the repository (a data file, not code).
SYNONYMS_FILE = Path(__file__).resolve().parents[1] / "data" / "synonyms.yaml"


class SynonymsError(KGError):
    """The synonyms file is malformed; the message names file:line and what is wrong."""


@dataclass(frozen=True)
class Synonyms:
    """Groups of words and phrases the search treats as the same, and labels whose nodes'
    names and synonyms count as groups too (brand and code names of drugs)."""

    groups: tuple[tuple[str, ...], ...] = ()
    entity_labels: tuple[str, ...] = ()


def _fail(path: Path, node: Any, what: str) -> SynonymsError:
    line = node.start_mark.line + 1 if node is not None else 1
    return SynonymsError(f"{path}:{line}: {what}")


def load_synonyms(path: Path | str = SYNONYMS_FILE) -> Synonyms:
    """Read and check a synonyms file (see ``data/synonyms.yaml``).

    Parameters
    ----------
    path : pathlib.Path or str
        The YAML file: ``groups`` (a list of lists of two or more words or phrases, each term
        in one group only) and optionally ``entity_labels`` (schema labels).

    Returns
    -------
    Synonyms

    Raises
    ------
    SynonymsError
        The file is missing, not YAML, or breaks a rule; the message names file:line.

    Examples
    --------
    >>> syn = load_synonyms()
    >>> any({"CNS", "intracranial"} <= set(g) for g in syn.groups), syn.entity_labels
    (True, ('Drug',))
    """
    path = Path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SynonymsError(f"{path}: cannot read the synonyms file: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise SynonymsError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(root, yaml.MappingNode):
        raise _fail(path, root, "expected a mapping with 'groups' (and 'entity_synonyms')")
    groups: list[tuple[str, ...]] = []
    labels: list[str] = []
    seen: dict[tuple[str, ...], int] = {}
    for key, value in root.value:
        if key.value == "groups":
            if not isinstance(value, yaml.SequenceNode):
                raise _fail(path, value, "'groups' must be a list of lists")
            for g in value.value:
                if not isinstance(g, yaml.SequenceNode) or len(g.value) < 2 or not all(
                        isinstance(t, yaml.ScalarNode) for t in g.value):
                    raise _fail(path, g, "a group must list two or more words or phrases")
                terms = tuple(str(t.value).strip() for t in g.value)
                for t, tnode in zip(terms, g.value, strict=True):
                    toks = tuple(fold(x) for x in tokenize(t))
                    if not toks:
                        raise _fail(path, tnode, f"the term {t!r} has no word to match")
                    if toks in seen:
                        raise _fail(path, tnode, f"the term {t!r} is already in the group on "
                                                 f"line {seen[toks]}; a term belongs to one "
                                                 "group only")
                    seen[toks] = g.start_mark.line + 1
                groups.append(terms)
        elif key.value == "entity_synonyms":
            if not isinstance(value, yaml.SequenceNode):
                raise _fail(path, value, "'entity_synonyms' must be a list of node labels")
            for lb in value.value:
                if lb.value not in load_schema().labels:
                    raise _fail(path, lb, f"{lb.value!r} is not a node label of the schema")
                labels.append(str(lb.value))
        else:
            raise _fail(path, key, f"unknown key {key.value!r} (expected 'groups', "
                                   "'entity_synonyms')")
    return Synonyms(tuple(groups), tuple(labels))
