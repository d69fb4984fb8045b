"""One search box over names, synonyms and text that forgives: any word, synonyms, typos.

The index is built in Python from one portable named query (``47_search_index``), once per
graph version (the app caches it), so the same search runs on FalkorDB and on Neo4j. How a
query is read:

1. **Words.** The text is cut into lower-case alphanumeric tokens (`tokenize`); English
   stop-words go, and a one-letter token goes when longer ones remain (the ``p`` of
   ``p.G1202R``, the ``J`` of ``J-ALEX``: the exact-name step below still sees them).
2. **Typos.** A word of four letters or more that occurs nowhere in the graph, not even as
   the start of a word, is replaced by the closest word of a name, synonym or declared
   clinical term within edit distance 1 (up to six letters) or 2 (longer), transpositions
   counting one: ``alectnib`` -> ``alectinib``. The page says "did you mean".
3. **Synonyms.** Words and phrases of one group of ``data/synonyms.yaml`` (brain = CNS =
   intracranial; PFS = progression-free survival; HR = hazard ratio ...) and the names and
   synonyms of the labels it lists (drugs: brand and code names) match each other; the
   longest phrase wins (``progression-free survival`` is one concept of three words).
4. **Any word.** A node matches when any concept matches: every token of one of its
   alternatives occurs in the node's names or text, as a whole word (plurals folded:
   ``mutations`` = ``mutation``) or, for a word of three letters or more, as the start of a
   word (``alec`` -> alectinib).

Ranking, best first: (a) the whole query equals a name, synonym, HGVS or id, punctuation
ignored (``J-ALEX`` is J-ALEX, not ALEX; ``ALK p.G1202R`` is ALK G1202R); (b) more query words
matched; (c) more of them as whole words (not prefixes); (d) more of them in the node's
names; (e) entities before claims, works, then arms and figures; (f) the shorter name.

The words are read in `kg.search_text`, the synonyms in `kg.search_synonyms`; the hits and
the strict ranking of a caller's candidates (`rank_hits`) are in `kg.search_hits`. Every
public name of those modules is importable from here.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.queries import load_query
from kg.search_hits import (
    ENTITY_LABELS,
    Concept,
    Correction,
    SearchHit,
    SearchResult,
    rank_hits,
)
from kg.search_hits import label_rank as _label_rank
from kg.search_hits import snippet as _snippet
from kg.search_hits import strings as _strings
from kg.search_synonyms import SYNONYMS_FILE, Synonyms, SynonymsError, load_synonyms
from kg.search_text import TOKEN as _TOKEN
from kg.search_text import compact, edit_distance, fold, tokenize
from kg.search_text import max_typos as _max_typos

__all__ = ["SearchHit", "SearchResult", "Concept", "Correction", "Synonyms", "SearchIndex",
           "SynonymsError", "search", "rank_hits", "tokenize", "compact", "fold",
           "edit_distance", "load_synonyms", "ENTITY_LABELS", "SYNONYMS_FILE", "INDEX_QUERY"]

#: The named query the index is built from.
INDEX_QUERY = "47_search_index"
_NAME_FIELDS = ("name", "synonyms", "hgvs_p")
_TEXT_FIELDS = ("title", "statement", "quote", "full_name", "gene_symbol", "bib_key",
                "endpoint", "population", "description")
_PREFIX_MIN = 3  # a query word this long also matches as the start of a word
_RARE = 2  # a word in at most this many nodes, and in no name, may be a typo


@dataclass
class _Doc:
    id: str
    label: str
    name: str
    synonyms: tuple[str, ...]
    source: str
    text: str
    compacts: frozenset[str]




_PRIMARY, _NAMED, _TEXT = 3, 2, 1  # where a word matched: the primary name, a name, the text


class SearchIndex:
    """An in-memory index of a graph's names and text, for `search`.

    Parameters
    ----------
    rows : iterable of mapping
        Rows of ``47_search_index`` (``id``, ``label``, ``name``, ``synonyms``, ``hgvs_p``,
        ``gene_symbol`` and the text fields).
    synonyms : Synonyms, optional
        Default: `load_synonyms` of ``data/synonyms.yaml``.
    """

    def __init__(self, rows: Iterable[Mapping[str, Any]],
                 synonyms: Synonyms | None = None) -> None:
        self.synonyms = synonyms if synonyms is not None else load_synonyms()
        self.docs: list[_Doc] = []
        # folded token -> doc index -> best place it occurs (_PRIMARY, _NAMED or _TEXT)
        self._post: dict[str, dict[int, int]] = defaultdict(dict)
        self._by_compact: dict[str, set[int]] = defaultdict(set)
        self._name_words: Counter[str] = Counter()  # word of a name -> how many names
        groups: list[tuple[str, ...]] = list(self.synonyms.groups)
        for r in rows:
            self._add(r, groups)
        self._vocab = sorted(self._post)
        # phrase (folded tokens) -> the group's alternatives and terms
        self._phrases: dict[tuple[str, ...], tuple[tuple[tuple[str, ...], ...],
                                                   tuple[str, ...]]] = {}
        for terms in groups:
            alts = tuple(dict.fromkeys(t for t in (tuple(fold(x) for x in tokenize(term))
                                                   for term in terms) if t))
            for a in alts:
                self._phrases.setdefault(a, (alts, terms))
        self._term_words = {w for a in self._phrases for w in a}
        self._name_folded = {fold(w) for w in self._name_words}
        self._typo_words = {w for w in (*self._name_words, *self._term_words) if len(w) >= 4}
        self._longest = max((len(a) for a in self._phrases), default=1)

    @classmethod
    def build(cls, source: Any, synonyms: Synonyms | None = None) -> SearchIndex:
        """Build the index from a store or a runner.

        Parameters
        ----------
        source : GraphStore or callable
            An open store (``.query(text, params)``) or a runner ``run(name, params)``.
        synonyms : Synonyms, optional
            Default: ``data/synonyms.yaml``.

        Returns
        -------
        SearchIndex

        Raises
        ------
        QueryError
            The store refused the index query.
        """
        if callable(source) and not hasattr(source, "query"):
            rows = source(INDEX_QUERY, {})
        else:
            rows = source.query(load_query(INDEX_QUERY).text, {}).records()
        return cls(rows, synonyms)

    def _add(self, r: Mapping[str, Any], groups: list[tuple[str, ...]]) -> None:
        i = len(self.docs)
        name = str(r.get("name") or r.get("id"))
        syns = tuple(_strings(r.get("synonyms")))
        names = [name, *syns, *_strings(r.get("hgvs_p"))]
        if r.get("gene_symbol") and r.get("hgvs_p"):
            names.append(f"{r['gene_symbol']} {r['hgvs_p']}")
        texts = [t for f in _TEXT_FIELDS for t in _strings(r.get(f))]
        self.docs.append(_Doc(
            id=str(r["id"]), label=str(r.get("label") or ""), name=name, synonyms=syns,
            source=str(r.get("source") or ""), text=" | ".join([*names, *texts]),
            compacts=frozenset(c for c in (*map(compact, names), compact(str(r["id"]))) if c)))
        for c in self.docs[-1].compacts:
            self._by_compact[c].add(i)
        for place, strings in ((_TEXT, texts), (_NAMED, names[1:]), (_PRIMARY, [name])):
            for s in strings:
                for t in _TOKEN.findall(s.lower()):
                    f = fold(t)
                    if self._post[f].get(i, 0) < place:
                        self._post[f][i] = place
                    if place > _TEXT:
                        self._name_words[t] += 1
        if self.docs[-1].label in self.synonyms.entity_labels and syns:
            groups.append((name, *syns))

    # -- query reading ------------------------------------------------------------------
    def _prefixed(self, token: str) -> list[str]:
        """Indexed words that start with `token` (itself excluded)."""
        lo = bisect.bisect_left(self._vocab, token)
        out = []
        for w in self._vocab[lo:]:
            if not w.startswith(token):
                break
            if w != token:
                out.append(w)
        return out

    def _frequency(self, token: str) -> int:
        """How many nodes contain `token`, as a word or as the start of one."""
        docs = set(self._post.get(fold(token), ()))
        for w in self._prefixed(token):
            docs.update(self._post[w])
        return len(docs)

    def _closest(self, token: str) -> tuple[str, int] | None:
        limit = _max_typos(token)
        best: tuple[int, int, str] | None = None
        for w in self._typo_words:
            if abs(len(w) - len(token)) > limit:
                continue
            d = edit_distance(token, w, limit)
            if d <= limit:
                cand = (d, -self._name_words.get(w, 0), w)
                if best is None or cand < best:
                    best = cand
        return (best[2], best[0]) if best else None

    def _correct(self, tokens: list[str]) -> tuple[list[str], list[Correction]]:
        """Replace a rare word that is no name by the closest, commoner word of a name.

        A word of four letters or more that is neither a word of a name nor a declared term,
        and occurs in at most `_RARE` nodes (CIViC's own text has typos), is replaced when a
        word of the names within edit distance occurs more often.
        """
        out, fixes = [], []
        for t in tokens:
            f = fold(t)
            if len(t) >= 4 and not t.isdigit() and f not in self._name_folded \
                    and f not in self._term_words:
                n = self._frequency(t)
                found = self._closest(t) if n <= _RARE else None
                if found and self._name_words[found[0]] > n:
                    out.append(found[0])
                    fixes.append(Correction(t, found[0], found[1]))
                    continue
            out.append(t)
        return out, fixes

    def concepts(self, tokens: Sequence[str],
                 typed: Sequence[str] | None = None) -> list[Concept]:
        """Group query tokens into concepts, the longest synonym phrase first.

        Parameters
        ----------
        tokens : sequence of str
            From `tokenize` (and typo correction).
        typed : sequence of str, optional
            The tokens as typed, before correction: a corrected word also matches as typed.

        Returns
        -------
        list of Concept
        """
        folded = [fold(t) for t in tokens]
        out: list[Concept] = []
        i = 0
        while i < len(tokens):
            for k in range(min(self._longest, len(tokens) - i), 0, -1):
                hit = self._phrases.get(tuple(folded[i:i + k]))
                if hit:
                    out.append(Concept(" ".join(tokens[i:i + k]), k, hit[0], hit[1]))
                    i += k
                    break
            else:
                alts = [(folded[i],)]
                if typed is not None and typed[i] != tokens[i]:
                    alts.append((fold(typed[i]),))
                out.append(Concept(tokens[i], 1, tuple(alts)))
                i += 1
        return out

    def _matches(self, concept: Concept) -> dict[int, tuple[int, bool]]:
        """Doc index -> (best place, whole word) for one concept."""
        best: dict[int, tuple[int, bool]] = {}
        for alt in concept.alternatives:
            per_token: list[dict[int, tuple[int, bool]]] = []
            for t in alt:
                found = {d: (p, True) for d, p in self._post.get(t, {}).items()}
                if len(alt) == 1 and len(t) >= _PREFIX_MIN:
                    for w in self._prefixed(t):
                        for d, p in self._post[w].items():
                            if d not in found or (p, False) > found[d]:
                                found[d] = (p, False)
                per_token.append(found)
            common = set(per_token[0]).intersection(*per_token[1:]) if per_token else set()
            for d in common:
                q = (min(m[d][0] for m in per_token), all(m[d][1] for m in per_token))
                if d not in best or q > best[d]:
                    best[d] = q
        return best

    # -- searching ----------------------------------------------------------------------
    def search(self, text: str, *, labels: Sequence[str] | None = None,
               limit: int = 50) -> SearchResult:
        """Search names, synonyms and text; return ranked hits and the corrected query.

        Parameters
        ----------
        text : str
            What the user typed; empty or stop-words only gives no hits.
        labels : sequence of str, optional
            Only these node labels (default all).
        limit : int
            At most this many hits.

        Returns
        -------
        SearchResult
        """
        tokens = tokenize(text)
        if not tokens:
            return SearchResult(text=text, hits=())
        fixed, corrections = self._correct(tokens)
        corrected = " ".join(fixed) if corrections else None
        result = self._rank(text, fixed, corrected, corrections, labels, limit, typed=tokens)
        if not result.hits and len(compact(text)) >= 4:  # a name typed with a typo, whole
            found = self._closest_name(compact(text))
            if found:
                name, d = found
                again = self._rank(name, tokenize(name), name,
                                   [Correction(text.strip(), name, d)], labels, limit)
                if again.hits:
                    return again
        return result

    def _closest_name(self, query: str) -> tuple[str, int] | None:
        limit = _max_typos(query)
        best: tuple[int, str, str] | None = None
        for c, ids in self._by_compact.items():
            if abs(len(c) - len(query)) > limit:
                continue
            d = edit_distance(query, c, limit)
            if d <= limit:
                doc = self.docs[min(ids)]
                name = next((n for n in (doc.name, *doc.synonyms) if compact(n) == c),
                            doc.name)
                cand = (d, name.lower(), name)
                if best is None or cand < best:
                    best = cand
        return (best[2], best[0]) if best else None

    def _rank(self, text: str, tokens: list[str], corrected: str | None,
              corrections: list[Correction], labels: Sequence[str] | None,
              limit: int, typed: Sequence[str] | None = None) -> SearchResult:
        concepts = self.concepts(tokens, typed)
        n_words = sum(c.width for c in concepts)
        exact = set()
        for q in {compact(text), compact(corrected or "")} - {""}:
            exact |= self._by_compact.get(q, set())
        per: dict[int, list[tuple[Concept, int, bool]]] = defaultdict(list)
        for c in concepts:
            for d, (place, whole) in self._matches(c).items():
                per[d].append((c, place, whole))
        for d in exact:
            per.setdefault(d, [])
        wanted = set(labels) if labels else None
        scored = []
        for d, found in per.items():
            doc = self.docs[d]
            if wanted is not None and doc.label not in wanted:
                continue
            words = sum(c.width for c, _, _ in found)
            in_names = sum(c.width for c, p, _ in found if p >= _NAMED)
            in_primary = sum(c.width for c, p, _ in found if p == _PRIMARY)
            whole = sum(c.width for c, _, w in found if w)
            is_exact = d in exact
            if is_exact:
                tier = 0
                primary = compact(doc.name) in {compact(text), compact(corrected or "")}
                matched = "name" if primary else "synonym"
            elif words and in_names == words:
                tier, matched = 1, "name" if in_primary == words else "synonym"
            else:
                tier, matched = 2, "text"
            key = (0 if is_exact else 1, -words, -whole, -in_names, _label_rank(doc.label),
                   -in_primary, len(doc.name), doc.name.lower(), doc.id)
            snippet = ""
            if matched == "text":
                snippet = _snippet(doc.text, [w for c, _, _ in found for a in c.alternatives
                                              for w in a])
            scored.append((key, SearchHit(
                id=doc.id, label=doc.label, name=doc.name,
                score=float(words + in_names / 10 + whole / 100), tier=tier, matched=matched,
                synonyms=doc.synonyms, snippet=snippet, source=doc.source, words=words,
                of=n_words)))
        scored.sort(key=lambda x: x[0])
        named = sorted(((k, h) for k, h in scored if h.label in ENTITY_LABELS and h.tier < 2
                        and k[2] < 0), key=lambda kh: (kh[0][0], kh[0][2], kh[0][1], kh[0][3],
                                                       kh[0][5:]))
        return SearchResult(text=text, hits=tuple(h for _, h in scored[:limit]),
                            corrected=corrected, corrections=tuple(corrections),
                            concepts=tuple(concepts), named=tuple(h for _, h in named[:8]))

    def suggest(self, text: str, *, limit: int = 8) -> list[SearchHit]:
        """Return entities to suggest while the user types (the last word may be unfinished).

        Parameters
        ----------
        text : str
            What is typed so far.
        limit : int
            At most this many suggestions.

        Returns
        -------
        list of SearchHit
            Entities (`ENTITY_LABELS`) and works whose names match, best first.
        """
        res = self.search(text, labels=[*ENTITY_LABELS, "Publication"], limit=limit * 4)
        hits = [h for h in res.hits if h.tier < 2]
        low = compact(text)
        if low and len(tokenize(text)) <= 1:  # one word typed: names starting with it too
            starts = sorted((d for c, ids in self._by_compact.items() if c.startswith(low)
                             for d in ids), key=lambda d: (self.docs[d].label not in
                                                           ENTITY_LABELS, len(self.docs[d].name),
                                                           self.docs[d].name.lower()))
            have = {h.id for h in hits}
            for d in starts:
                doc = self.docs[d]
                if doc.id not in have and doc.label in (*ENTITY_LABELS, "Publication"):
                    have.add(doc.id)
                    hits.append(SearchHit(id=doc.id, label=doc.label, name=doc.name,
                                          score=0.0, tier=1, matched="name",
                                          synonyms=doc.synonyms, source=doc.source))
        return hits[:limit]

    def names(self, labels: Sequence[str] = ENTITY_LABELS) -> list[str]:
        """Return every name and synonym of the nodes of `labels`, sorted, once each.

        Parameters
        ----------
        labels : sequence of str
            Node labels.

        Returns
        -------
        list of str
        """
        out = {n for d in self.docs if d.label in labels for n in (d.name, *d.synonyms)}
        return sorted(out, key=str.lower)


def search(source: Any, text: str, *, labels: Sequence[str] | None = None,
           limit: int = 50, synonyms: Synonyms | None = None) -> list[SearchHit]:
    """Search names, synonyms, HGVS and text; return ranked hits (see the module).

    Builds the index on every call; the app keeps one `SearchIndex` per graph version.

    Parameters
    ----------
    source : GraphStore or callable
        An open store with a graph loaded, or a runner ``run(name, params)``.
    text : str
        The user's query; empty or stop-words only gives no hits.
    labels : sequence of str, optional
        Restrict to these node labels (default: every label).
    limit : int, optional
        At most this many hits.
    synonyms : Synonyms, optional
        Default: ``data/synonyms.yaml``.

    Returns
    -------
    list of SearchHit
        Best first; empty when nothing matches.

    Raises
    ------
    QueryError
        The store refused the index query.

    Examples
    --------
    >>> [h.id for h in search(store, "Alecensa")][:1]
    ['drug:alectinib']
    >>> [h.name for h in search(store, "J-ALEX", labels=["Trial"])][:2]
    ['J-ALEX', 'ALEX']
    """
    return list(SearchIndex.build(source, synonyms).search(text, labels=labels,
                                                           limit=limit).hits)
