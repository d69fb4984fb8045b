"""kg.search: tokens, ranking, FalkorDB full-text and the portable CONTAINS fallback."""

from __future__ import annotations

import pytest

from kg.search import fulltext_query, rank_hits, search, tokenize


class PortableOnly:
    """The store seen as 'not FalkorDB': search must use the portable named query."""

    name = "neo4j"

    def __init__(self, store):  # noqa: ANN001
        self._store = store

    def query(self, *a, **kw):  # noqa: ANN002, ANN003, ANN201
        text = a[0]
        assert "db.idx.fulltext" not in text
        return self._store.query(*a, **kw)


def test_tokenize_drops_punctuation_stopwords_and_lone_letters():
    assert tokenize("ALK p.G1202R") == ["alk", "g1202r"]
    assert tokenize("  the  ") == []
    assert tokenize("PF-06463922") == ["pf", "06463922"]
    assert tokenize("x") == ["x"]
    assert fulltext_query(tokenize("resistance to alec")) == "resistance* alec*"


def test_rank_exact_synonym_before_text_and_entities_before_claims():
    rows = [{"id": "c", "label": "Claim", "name": "alectinib after crizotinib", "score": 9},
            {"id": "o", "label": "Outcome", "name": "median PFS, alectinib", "score": 9},
            {"id": "d", "label": "Drug", "name": "alectinib", "synonyms": ["Alecensa"],
             "score": 1}]
    assert [h.id for h in rank_hits(rows, "alectinib")] == ["d", "c", "o"]
    assert rank_hits(rows, "Alecensa")[0].matched == "synonym"


@pytest.mark.parametrize("wrap", [False, True], ids=["fulltext", "portable"])
@pytest.mark.parametrize("text, first", [
    ("alectinib", "drug:alectinib"), ("Alecensa", "drug:alectinib"),
    ("ALK p.G1202R", "ALK:p.G1202R"), ("G1202R", "ALK:p.G1202R"),
    ("crown", "NCT03052608"),
])
def test_search_finds_by_name_synonym_and_hgvs(store, wrap, text, first):
    s = PortableOnly(store) if wrap else store
    hits = search(s, text)
    assert hits and hits[0].id == first, [h.id for h in hits[:3]]


def test_search_claim_text_labels_and_no_hit(store):
    hits = search(store, "frequency of one mutation", labels=["Claim"])
    assert hits and all(h.label == "Claim" for h in hits)
    assert search(store, "zzqqxx") == []
    assert search(store, "") == []
