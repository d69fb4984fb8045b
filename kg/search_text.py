"""The words of a search: tokens, their compact and folded forms, and typo distance.

How `kg.search` reads a query's words: `tokenize` cuts the text into lower-case alphanumeric
tokens and drops English stop-words (and a one-letter token when longer ones remain);
`compact` is the form names are compared in (punctuation ignored); `fold` folds a plural onto
its singular; `edit_distance` measures typos, transpositions counting one.
"""

from __future__ import annotations

import re

__all__ = ["tokenize", "compact", "fold", "edit_distance", "max_typos", "TOKEN"]

# RediSearch's default English stop-words: dropped from the query.
_STOPWORDS = frozenset(
    "a is the an and are as at be but by for if in into it no not of on or such that their "
    "then there these they this to was will with".split())
#: A token: a run of lower-case letters and digits.
TOKEN = re.compile(r"[0-9a-z]+")


def tokenize(text: str) -> list[str]:
    """Cut text into lower-case alphanumeric tokens, dropping stop-words.

    A one-letter token is dropped when a longer one remains (the ``p`` of ``p.G1202R``).

    Parameters
    ----------
    text : str
        What the user typed.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("ALK p.G1202R")
    ['alk', 'g1202r']
    >>> tokenize("resistance to PF-06463922")
    ['resistance', 'pf', '06463922']
    """
    toks = [t for t in TOKEN.findall((text or "").lower()) if t not in _STOPWORDS]
    if any(len(t) > 1 for t in toks):
        toks = [t for t in toks if len(t) > 1]
    return toks


def compact(text: str) -> str:
    """Return text lower-cased with everything but letters and digits removed.

    Parameters
    ----------
    text : str
        A name or a query.

    Returns
    -------
    str

    Examples
    --------
    >>> compact("J-ALEX"), compact("ALK p.G1202R")
    ('jalex', 'alkpg1202r')
    """
    return "".join(TOKEN.findall((text or "").lower()))


def fold(token: str) -> str:
    """Fold a plural onto its singular: drop one final ``s`` from a word of five letters or more.

    Parameters
    ----------
    token : str
        A lower-case token.

    Returns
    -------
    str

    Examples
    --------
    >>> fold("mutations"), fold("mets"), fold("class")
    ('mutation', 'mets', 'class')
    """
    if len(token) >= 5 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Return the edit distance of two words, transpositions counting one, capped at limit + 1.

    Parameters
    ----------
    a, b : str
        The words.
    limit : int
        Distances above it are all reported as ``limit + 1`` (and computed no further).

    Returns
    -------
    int

    Examples
    --------
    >>> edit_distance("alectnib", "alectinib"), edit_distance("ALEX", "AELX")
    (1, 1)
    >>> edit_distance("crizotinib", "lorlatinib")
    3
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def max_typos(word: str) -> int:
    """Return how many typos a word may have: 1 up to six letters, 2 when longer.

    Parameters
    ----------
    word : str
        A query word or a compacted name.

    Returns
    -------
    int

    Examples
    --------
    >>> max_typos("alectnib"), max_typos("alex")
    (2, 1)
    """
    return 1 if len(word) <= 6 else 2
