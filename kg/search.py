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
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.queries import load_query
from kg.schema import load_schema
from kg.schema.errors import KGError, SchemaError

__all__ = ["SearchHit", "SearchResult", "Concept", "Correction", "Synonyms", "SearchIndex",
           "SynonymsError", "search", "rank_hits", "tokenize", "compact", "fold",
           "edit_distance", "load_synonyms", "ENTITY_LABELS", "SYNONYMS_FILE", "INDEX_QUERY"]

# Labels a trainee looks up by name; hits of other labels (claims, figures, works, arms)
# rank after them when the match is otherwise equal.
ENTITY_LABELS = ("Drug", "Variant", "Gene", "ResistanceMechanism", "Disease", "LocalTherapy",
                 "DiagnosticProcedure", "Trial")
_unknown = set(ENTITY_LABELS) - set(load_schema().labels)
if _unknown:
    raise SchemaError(f"kg.search names labels absent from the schema: {sorted(_unknown)}")
#: The clinical synonyms of the repository (a data file, not code).
SYNONYMS_FILE = Path(__file__).resolve().parents[1] / "data" / "synonyms.yaml"
#: The named query the index is built from.
INDEX_QUERY = "47_search_index"
# RediSearch's default English stop-words: dropped from the query.
_STOPWORDS = frozenset(
    "a is the an and are as at be but by for if in into it no not of on or such that their "
    "then there these they this to was will with".split())
_TOKEN = re.compile(r"[0-9a-z]+")
_NAME_FIELDS = ("name", "synonyms", "hgvs_p")
_TEXT_FIELDS = ("title", "statement", "quote", "full_name", "gene_symbol", "bib_key",
                "endpoint", "population", "description")
_PREFIX_MIN = 3  # a query word this long also matches as the start of a word
_RARE = 2  # a word in at most this many nodes, and in no name, may be a typo


class SynonymsError(KGError):
    """The synonyms file is malformed; the message names file:line and what is wrong."""


# -- text ---------------------------------------------------------------------------------
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
    return "".join(_TOKEN.findall((text or "").lower()))


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


def _max_typos(word: str) -> int:
    return 1 if len(word) <= 6 else 2


# -- synonyms -------------------------------------------------------------------------------
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


# -- results --------------------------------------------------------------------------------
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


# -- the index ------------------------------------------------------------------------------
@dataclass
class _Doc:
    id: str
    label: str
    name: str
    synonyms: tuple[str, ...]
    source: str
    text: str
    compacts: frozenset[str]


def _label_rank(label: str) -> int:
    """Entities first, then claims and works, then arms and figures."""
    if label in ENTITY_LABELS:
        return 0
    return {"Claim": 1, "Publication": 2, "Assertion": 2}.get(label, 3)


def _strings(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _snippet(text: str, words: Iterable[str], width: int = 160) -> str:
    if not text:
        return ""
    low = text.lower()
    pos = min((i for i in (low.find(w) for w in words if w) if i >= 0), default=0)
    start = max(0, pos - width // 3)
    out = text[start:start + width].replace(" | ", "; ")
    return ("…" if start else "") + out + ("…" if start + width < len(text) else "")


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
        syns = tuple(_strings(r.get("synonyms")))
        normed = [tuple(tokenize(n)) for n in (name, *syns, *_strings(r.get("hgvs_p")))]
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
