"""What a search returns (hits, concepts, corrections), and the strict ranking of candidates.

`SearchHit`, `Concept`, `Correction` and `SearchResult` are what `kg.search.SearchIndex`
answers; `rank_hits` ranks a list of candidates a caller already chose (``kg.sheets``
resolves a typed alteration with it) by the same order of labels (`ENTITY_LABELS` first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.schema import load_schema
from kg.schema.errors import SchemaError
from kg.search_text import tokenize

__all__ = ["SearchHit", "Concept", "Correction", "SearchResult", "rank_hits", "ENTITY_LABELS",
           "label_rank", "strings", "snippet"]

# Labels a trainee looks up by name; hits of other labels (claims, figures, works, arms)
# rank after them when the match is otherwise equal.
ENTITY_LABELS = ("Drug", "Variant", "Gene", "ResistanceMechanism", "Disease", "LocalTherapy",
                 "DiagnosticProcedure", "Trial")
_unknown = set(ENTITY_LABELS) - set(load_schema().labels)
if _unknown:
    raise SchemaError(f"kg.search names labels absent from the schema: {sorted(_unknown)}")


@dataclass(frozen=True)
class SearchHit:
    """One ranked hit: the node, how it matched, and a short snippet of the matched text.

    ``tier``: 0 the whole query is one of its names; 1 every matched word is in its names;
    2 some only in its text. ``matched``: ``name``, ``synonym`` or ``text``. ``words``: how
    many of the query's ``of`` words it matched.
    """

    id: str
    label: str
    name: str
    score: float
    tier: int
    matched: str
    synonyms: tuple[str, ...] = field(default=())
    snippet: str = ""
    source: str = ""
    words: int = 0
    of: int = 0


@dataclass(frozen=True)
class Concept:
    """A word or phrase of the query with what it may match (its synonyms)."""

    text: str
    width: int
    alternatives: tuple[tuple[str, ...], ...]
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Correction:
    """A query word that occurs nowhere, and the closest word of a name that replaced it."""

    typed: str
    meant: str
    distance: int


@dataclass(frozen=True)
class SearchResult:
    """What a search found: ranked hits, the corrected query ("did you mean"), the concepts."""

    text: str
    hits: tuple[SearchHit, ...]
    corrected: str | None = None
    corrections: tuple[Correction, ...] = ()
    concepts: tuple[Concept, ...] = ()
    named: tuple[SearchHit, ...] = ()  # entities a whole query word names, best first (<= 8)


def label_rank(label: str) -> int:
    """Return where hits of a label rank: entities first, then claims and works, then the rest.

    Parameters
    ----------
    label : str
        The label of the hit's node.

    Returns
    -------
    int
        0 for `ENTITY_LABELS`, 1 for claims, 2 for works and assertions, 3 for the rest
        (arms, figures).

    Examples
    --------
    >>> label_rank("Drug"), label_rank("Claim"), label_rank("Publication"), label_rank("Arm")
    (0, 1, 2, 3)
    """
    if label in ENTITY_LABELS:
        return 0
    return {"Claim": 1, "Publication": 2, "Assertion": 2}.get(label, 3)


def strings(value: Any) -> list[str]:
    """Return a property value as a list of non-empty strings.

    Parameters
    ----------
    value : object
        A string, a list or tuple of values, or None.

    Returns
    -------
    list of str
        Empty for None and ''; the non-empty items of a list; else the value as text.

    Examples
    --------
    >>> strings(None), strings("ALK"), strings(["Alecensa", "", None, 5])
    ([], ['ALK'], ['Alecensa', '5'])
    """
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def snippet(text: str, words: Iterable[str], width: int = 160) -> str:
    """Return the part of a text around the first of `words` it contains.

    Parameters
    ----------
    text : str
        The matched text.
    words : iterable of str
        Lower-case words; the snippet starts a third of `width` before the first found.
    width : int, optional
        How many characters to keep.

    Returns
    -------
    str
        At most `width` characters (`` | `` shown as ``; ``), with ``…`` where text was cut;
        '' for no text.

    Examples
    --------
    >>> snippet("ALK | G1202R after alectinib", ["g1202r"], width=14)
    '…K; G1202R aft…'
    """
    if not text:
        return ""
    low = text.lower()
    pos = min((i for i in (low.find(w) for w in words if w) if i >= 0), default=0)
    start = max(0, pos - width // 3)
    out = text[start:start + width].replace(" | ", "; ")
    return ("…" if start else "") + out + ("…" if start + width < len(text) else "")


def _prefixes(query: Sequence[str], words: Sequence[str]) -> bool:
    return all(any(w.startswith(t) for w in words) for t in query)


def rank_hits(rows: Iterable[Mapping[str, Any]], text: str) -> list[SearchHit]:
    """Rank candidate nodes strictly: every word of `text` must be in a name to rank high.

    The search box (`SearchIndex`) is forgiving; this ranks a list of candidates a caller
    already chose (``kg.sheets`` resolves a typed alteration with it): tier 0 the text is a
    name, synonym or HGVS (tokens equal); tier 1 every token is a word, or the start of a
    word, of one of them; tier 2 anything else (text). Within a tier: entities first, then
    claims and works, then the rest; then ``score`` (higher first), then the name.

    Parameters
    ----------
    rows : iterable of mapping
        Each with ``id``, ``label``, ``name`` and optionally ``synonyms``, ``hgvs_p``,
        ``search_text``, ``score``, ``source``.
    text : str
        The typed text.

    Returns
    -------
    list of SearchHit
        One per node id, best first.

    Examples
    --------
    >>> hits = rank_hits([{"id": "c1", "label": "Claim", "name": "G1202R after alectinib"},
    ...                   {"id": "v1", "label": "Variant", "name": "ALK G1202R",
    ...                    "synonyms": ["G1202R"]}], "g1202r")
    >>> [(h.id, h.tier, h.matched) for h in hits]
    [('v1', 0, 'synonym'), ('c1', 1, 'name')]
    """
    q = tuple(tokenize(text))
    qset = set(q)
    best: dict[str, SearchHit] = {}
    for r in rows:
        name = str(r.get("name") or r.get("id"))
        syns = tuple(strings(r.get("synonyms")))
        normed = [tuple(tokenize(n)) for n in (name, *syns, *strings(r.get("hgvs_p")))]
        if q and q in normed:
            tier, matched = 0, "name" if normed[0] == q else "synonym"
        elif q and any(qset <= set(n) or _prefixes(q, n) for n in normed):
            first = qset <= set(normed[0]) or _prefixes(q, normed[0])
            tier, matched = 1, "name" if first else "synonym"
        else:
            tier, matched = 2, "text"
        hit = SearchHit(
            id=str(r["id"]), label=str(r.get("label") or ""), name=name,
            score=float(r.get("score") or 0.0), tier=tier, matched=matched, synonyms=syns,
            snippet=snippet(str(r.get("search_text") or ""), q) if matched == "text" else "",
            source=str(r.get("source") or ""))
        old = best.get(hit.id)
        if old is None or (hit.tier, -hit.score) < (old.tier, -old.score):
            best[hit.id] = hit
    return sorted(best.values(), key=lambda h: (
        h.tier, label_rank(h.label), -h.score, h.name.lower(), h.id))
