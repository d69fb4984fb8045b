"""One search box over entity names, synonyms and claim text, ranked.

`search` asks FalkorDB's full-text indexes when the store is FalkorDB. That part is
**FalkorDB-specific**: it calls the procedure ``db.idx.fulltext.queryNodes`` (RediSearch
indexes, one per label, over ``name`` and ``search_text``, created by the loader), which is
why it lives here and not in ``queries/`` (those files stay portable). On any other store
(Neo4j) it falls back to the portable named query ``25_find_nodes`` (``CONTAINS`` on
``search_text``). Both paths rank the same way (`rank_hits`).

The user's text is cut into lower-case alphanumeric tokens, so punctuation never reaches
RediSearch's query syntax: ``"ALK p.G1202R"`` becomes ``alk``, ``p``, ``g1202r``; a
one-letter token is dropped when longer ones remain, so it matches ``G1202R`` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.queries import load_query
from kg.schema import load_schema
from kg.schema.errors import QueryError, SchemaError

__all__ = ["SearchHit", "search", "tokenize", "fulltext_query", "rank_hits", "ENTITY_LABELS"]

# Labels a trainee looks up by name; hits of other labels (claims, figures, works, arms)
# rank after them when the match is otherwise equal.
ENTITY_LABELS = ("Drug", "Variant", "Gene", "ResistanceMechanism", "Disease", "LocalTherapy",
                 "DiagnosticProcedure", "Trial")
# RediSearch's default English stop-words: they are dropped from the query, never prefixed.
_unknown = set(ENTITY_LABELS) - set(load_schema().labels)
if _unknown:
    raise SchemaError(f"kg.search names labels absent from the schema: {sorted(_unknown)}")
_STOPWORDS = frozenset(
    "a is the an and are as at be but by for if in into it no not of on or such that their "
    "then there these they this to was will with".split())
_TOKEN = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class SearchHit:
    """One ranked hit: the node, how it matched, and a short snippet of the matched text."""

    id: str
    label: str
    name: str
    score: float
    tier: int
    matched: str
    synonyms: tuple[str, ...] = field(default=())
    snippet: str = ""
    source: str = ""


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
    toks = [t for t in _TOKEN.findall((text or "").lower()) if t not in _STOPWORDS]
    if any(len(t) > 1 for t in toks):
        toks = [t for t in toks if len(t) > 1]
    return toks


def fulltext_query(tokens: Sequence[str]) -> str:
    """Return the RediSearch query for tokens: all must match, each also as a prefix.

    Parameters
    ----------
    tokens : sequence of str
        From `tokenize` (lower-case alphanumeric, so no RediSearch syntax gets through).

    Returns
    -------
    str
        The tokens joined by spaces, each of two or more characters with a ``*`` suffix;
        empty for no tokens.

    Examples
    --------
    >>> fulltext_query(["alk", "g1202"])
    'alk* g1202*'
    >>> fulltext_query([])
    ''
    """
    return " ".join(f"{t}*" if len(t) >= 2 else t for t in tokens)


def _norm(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


def _prefixes(query: Sequence[str], words: Sequence[str]) -> bool:
    return all(any(w.startswith(t) for w in words) for t in query)


def _snippet(text: str, tokens: Sequence[str], width: int = 160) -> str:
    if not text:
        return ""
    low = text.lower()
    pos = min((i for i in (low.find(t) for t in tokens) if i >= 0), default=0)
    start = max(0, pos - width // 3)
    out = text[start:start + width].replace(" | ", "; ")
    return ("…" if start else "") + out + ("…" if start + width < len(text) else "")


def rank_hits(rows: Iterable[Mapping[str, Any]], text: str) -> list[SearchHit]:
    """Rank raw hits: exact name/synonym first, then whole-word name matches, then the rest.

    Within a tier, entities (`ENTITY_LABELS`) come first, then claims and works, then arms,
    figures and the rest; then the index score (higher first), then the name.

    Parameters
    ----------
    rows : iterable of mapping
        Each with ``id``, ``label``, ``name`` and optionally ``synonyms``, ``hgvs_p``,
        ``search_text``, ``score``, ``source``.
    text : str
        The user's query.

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
    q = _norm(text)
    qset = set(q)
    best: dict[str, SearchHit] = {}
    for r in rows:
        name = str(r.get("name") or r.get("id"))
        syns = tuple(str(s) for s in (r.get("synonyms") or ()))
        names = [name, *syns, *([r["hgvs_p"]] if r.get("hgvs_p") else [])]
        normed = [_norm(n) for n in names]
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
            snippet=_snippet(str(r.get("search_text") or ""), q) if matched == "text" else "",
            source=str(r.get("source") or ""))
        old = best.get(hit.id)
        if old is None or (hit.tier, -hit.score) < (old.tier, -old.score):
            best[hit.id] = hit
    return sorted(best.values(), key=lambda h: (
        h.tier, _label_rank(h.label), -h.score, h.name.lower(), h.id))


def _label_rank(label: str) -> int:
    """Entities first, then claims and works, then arms and figures."""
    if label in ENTITY_LABELS:
        return 0
    return {"Claim": 1, "Publication": 2, "Assertion": 2}.get(label, 3)


def _fulltext_rows(store: Any, tokens: Sequence[str], labels: Sequence[str],
                   limit: int) -> list[dict[str, Any]]:
    """FalkorDB only: one ``db.idx.fulltext.queryNodes`` call per label, in one UNION ALL."""
    schema_labels = set(load_schema().labels)
    parts = []
    for label in labels:
        if label not in schema_labels:  # labels enter the text only from the schema
            raise QueryError(f"unknown label {label!r}")
        parts.append(
            f"CALL db.idx.fulltext.queryNodes('{label}', $q) YIELD node, score "
            f"RETURN node.id AS id, '{label}' AS label, node.name AS name, "
            f"node.synonyms AS synonyms, node.hgvs_p AS hgvs_p, "
            f"node.search_text AS search_text, node.source AS source, score "
            f"ORDER BY score DESC LIMIT $limit")
    if not parts:
        return []
    res = store.query(" UNION ALL ".join(parts), {"q": fulltext_query(tokens), "limit": limit})
    return res.records()


def _indexed_labels(store: Any) -> list[str]:
    """Labels that have nodes (the loader creates a full-text index only for those)."""
    q = load_query("20_label_counts")
    present = {r["label"] for r in store.query(q.text, {}).records()}
    return [label for label in load_schema().labels if label in present]


def search(store: Any, text: str, *, labels: Sequence[str] | None = None,
           limit: int = 50) -> list[SearchHit]:
    """Search names, synonyms, HGVS and claim text; return ranked hits.

    FalkorDB-specific when `store` is FalkorDB (full-text procedure
    ``db.idx.fulltext.queryNodes``); any other store gets the portable ``CONTAINS`` query
    ``25_find_nodes``.

    Parameters
    ----------
    store : GraphStore
        An open store with a graph loaded.
    text : str
        The user's query; empty or stop-words only gives no hits.
    labels : sequence of str, optional
        Restrict to these node labels (default: every label in the graph).
    limit : int, optional
        At most this many hits per label before ranking, and in the result.

    Returns
    -------
    list of SearchHit
        Best first; empty when nothing matches.

    Raises
    ------
    QueryError
        The store refused the query, or a label is not in the schema.

    Examples
    --------
    >>> [h.id for h in search(store, "Alecensa")][:1]
    ['drug:alectinib']
    """
    tokens = tokenize(text)
    if not tokens:
        return []
    wanted = list(labels) if labels else None
    if getattr(store, "name", "") == "falkordb":
        present = _indexed_labels(store)
        use = [lb for lb in present if wanted is None or lb in wanted]
        rows = _fulltext_rows(store, tokens, use, limit)
    else:
        q = load_query("25_find_nodes")
        rows = store.query(q.text, {"terms": tokens, "labels": wanted or [],
                                    "limit": limit * 10}).records()
        rows = [{**r, "score": 1.0} for r in rows]
    return rank_hits(rows, text)[:limit]
