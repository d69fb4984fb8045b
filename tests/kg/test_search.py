"""kg.search: words, synonyms, typos, ranking; a table of queries and their first hit.

The table runs on the real curated graph in FalkorDB (the session's `store`) and, for a few
rows, through a store that is not FalkorDB (the index is built from a portable named query,
so both give the same answer).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.search import (
    ENTITY_LABELS,
    SearchIndex,
    Synonyms,
    SynonymsError,
    compact,
    edit_distance,
    fold,
    load_synonyms,
    search,
    tokenize,
)


class PortableOnly:
    """The store seen as 'not FalkorDB': no full-text procedure may be called."""

    name = "neo4j"

    def __init__(self, store):  # noqa: ANN001
        self._store = store

    def query(self, *a, **kw):  # noqa: ANN002, ANN003, ANN201
        assert "db.idx" not in a[0]
        return self._store.query(*a, **kw)


@pytest.fixture(scope="module")
def index(store) -> SearchIndex:  # noqa: ANN001
    return SearchIndex.build(store)


def _is(node_id: str):  # noqa: ANN202
    return lambda h: h.id == node_id


def _named(name: str, label: str):  # noqa: ANN202
    """A node of `label` with exactly this name (trial ids differ between registries)."""
    return lambda h: h.name == name and h.label == label


def _all_words(*words: str):  # noqa: ANN202
    """A hit matching every query word, whose name has each of `words` ('a|b': a or b)."""
    def check(h):  # noqa: ANN001, ANN202
        name = h.name.lower()
        return h.words == h.of and all(any(w in name for w in alts.split("|"))
                                       for alts in words)
    return check


def _figure(*words: str):  # noqa: ANN202
    """A published figure (Outcome) whose name has every word ('a|b': a or b)."""
    def check(h):  # noqa: ANN001, ANN202
        name = h.name.lower()
        return h.label == "Outcome" and all(any(w in name for w in alts.split("|"))
                                            for alts in words)
    return check


# query -> what its first hit must be. The examples come first.
TABLE = [
    ("J-ALEX", _is("JapicCTI-132316")),            # the acronym, not ALEX
    ("j alex", _is("JapicCTI-132316")),
    ("J-ALX", _is("JapicCTI-132316")),             # a typo in a name typed whole
    ("ALEX", _is("NCT02075840")),
    ("crizotinib resistance MET", _all_words("met", "crizotinib", "resistan")),  # any word
    ("alectnib", _is("drug:alectinib")),           # typo, did you mean
    ("brain metastases", _figure("cns|brain|intracranial", "metastases")),
    ("lorlatinib CNS", _figure("lorlatinib", "cns|brain|intracranial")),
    ("alectinib", _is("drug:alectinib")),
    ("Alecensa", _is("drug:alectinib")),           # brand name
    ("alec", _is("drug:alectinib")),               # prefix
    ("Xalkori", _is("drug:crizotinib")),
    ("LDK378", _is("drug:ceritinib")),             # code name
    ("Lorviqua", _is("drug:lorlatinib")),
    ("PF-06463922", _is("drug:lorlatinib")),
    ("lorlatnib", _is("drug:lorlatinib")),
    ("brigatnib", _is("drug:brigatinib")),
    ("cirzotinib", _is("drug:crizotinib")),        # transposition
    ("ALK p.G1202R", _is("ALK:p.G1202R")),         # HGVS
    ("G1202R", _is("ALK:p.G1202R")),
    ("g1202", _is("ALK:p.G1202R")),                # unfinished: the shorter name first
    ("ALK G1269A", _is("ALK:p.G1269A")),
    ("CROWN", _is("NCT03052608")),
    ("ALTA-1L", _is("NCT02737501")),               # not ALTA
    ("ALTA", _named("ALTA", "Trial")),             # not ALTA-1L
    ("ASCEND-4", _is("NCT01828099")),
    ("PROFILE 1014", _is("NCT01154140")),
    ("A8081014", _is("NCT01154140")),              # the trial's other name
    ("MO29750", _is("NCT02604342")),
    ("NCT02075840", _is("NCT02075840")),           # a registry id
    ("intracranial progression", _is("mechanism:cns_pharmacokinetic_failure")),
    ("SCLC transformation", _is("mechanism:small_cell_transformation")),
    ("MET amplification", _is("MET:amplification")),
    ("NSCLC", _is("DOID:3908")),
    ("non-small cell lung cancer", _is("DOID:3908")),  # the phrase = NSCLC = the disease
    ("SRS", _is("localtherapy:srs")),
    ("whole brain radiotherapy", _is("localtherapy:wbrt")),
    ("ctDNA", _is("procedure:liquid_biopsy")),
    ("tumor board", _is("procedure:molecular_tumour_board")),  # tumor = tumour
    ("kinase domain mutation", _is("mechanism:alk_kinase_domain_mutation")),
    ("EML4 ALK v3", _is("ALK:EML4-ALK.v3")),
    ("HER2", _is("HGNC:3430")),
    ("Gainor 2016", _is("PMID:27432227")),
]


def test_the_table_has_thirty_queries_or_more():
    assert len(TABLE) >= 30


@pytest.mark.parametrize("query, check", TABLE, ids=[q for q, _ in TABLE])
def test_first_hit(index, query, check):
    hits = index.search(query).hits
    assert hits, f"{query!r} found nothing"
    assert check(hits[0]), (query, [(h.id, h.name) for h in hits[:3]])


@pytest.mark.parametrize("query, check", TABLE[:8] + TABLE[18:20], ids=lambda x: str(x)[:30])
def test_first_hit_on_a_store_that_is_not_falkordb(store, query, check):
    hits = search(PortableOnly(store), query)
    assert hits and check(hits[0]), (query, [h.id for h in hits[:3]])


# -- the examples, beyond the first hit ----------------------------------------
def test_j_alex_before_alex_and_both_found(index):
    ids = [h.id for h in index.search("J-ALEX", labels=["Trial"]).hits]
    assert ids[:2] == ["JapicCTI-132316", "NCT02075840"]


def test_any_word_ranked_by_words_matched(index):
    res = index.search("crizotinib resistance MET", limit=500)
    assert [c.text for c in res.concepts] == ["crizotinib", "resistance", "met"]
    words = [h.words for h in res.hits]
    assert words == sorted(words, reverse=True) and res.hits[0].of == 3
    assert words[0] == 3 and 1 in words  # all three words first; one word still found
    assert {"drug:crizotinib", "HGNC:7029"} <= {h.id for h in res.named}


def test_typo_says_did_you_mean(index):
    res = index.search("alectnib")
    assert res.corrected == "alectinib"
    assert [(c.typed, c.meant, c.distance) for c in res.corrections] == [
        ("alectnib", "alectinib", 1)]
    assert index.search("alectinib").corrected is None  # a known word is never corrected
    assert index.search("oligoprogression").corrected is None  # nor a rare word of a name


def test_brain_metastases_finds_cns_and_intracranial(index):
    res = index.search("brain metastases", limit=200)
    names = " ".join(h.name.lower() for h in res.hits)
    assert "cns" in names and "intracranial" in names and "brain" in names
    cns = next(c for c in res.concepts if c.text == "brain")
    assert {"CNS", "intracranial"} <= set(cns.terms)


def test_lorlatinib_cns_finds_the_drug(index):
    res = index.search("lorlatinib CNS")
    assert "drug:lorlatinib" in [h.id for h in res.named]
    assert res.hits[0].words == 2


def test_phrases_become_one_concept(index):
    res = index.search("progression-free survival alectinib")
    assert [(c.text, c.width) for c in res.concepts] == [
        ("progression free survival", 3), ("alectinib", 1)]
    assert any(("pfs",) == a for a in res.concepts[0].alternatives)
    hr = index.search("HR").hits[0]
    assert hr.label == "Outcome" and "hazard ratio" in hr.name


def test_label_filter_and_no_hit(index):
    hits = index.search("frequency of one mutation", labels=["Claim"]).hits
    assert hits and all(h.label == "Claim" for h in hits)
    assert index.search("zzqqxx").hits == ()
    assert index.search("").hits == () and index.search("the of").hits == ()


def test_suggestions_while_typing(index):
    assert [h.id for h in index.suggest("alec")][:1] == ["drug:alectinib"]
    assert [h.id for h in index.suggest("Lorb")][:1] == ["drug:lorlatinib"]
    assert "JapicCTI-132316" in [h.id for h in index.suggest("J-AL")]
    assert all(h.label in (*ENTITY_LABELS, "Publication") for h in index.suggest("a"))
    names = index.names()
    assert "Alecensa" in names and "J-ALEX" in names and names == sorted(names, key=str.lower)


# -- pieces ---------------------------------------------------------------------------
def test_tokens_compact_fold_distance():
    assert tokenize("ALK p.G1202R") == ["alk", "g1202r"]
    assert tokenize("  the  ") == []
    assert tokenize("x") == ["x"]
    assert compact("J-ALEX") == "jalex" != compact("ALEX")
    assert fold("metastases") == "metastase" and fold("mets") == "mets"
    assert edit_distance("crizotnib", "crizotinib") == 1
    assert edit_distance("abc", "abcdef", 2) == 3  # capped


def test_synonyms_are_data(tmp_path):
    syn = load_synonyms()
    assert ("PFS", "progression-free survival") in syn.groups
    assert syn.entity_labels == ("Drug",)
    own = tmp_path / "syn.yaml"
    own.write_text("groups:\n  - [gizmo, widget]\n")
    rows = [{"id": "x", "label": "Drug", "name": "widget"}]
    assert SearchIndex(rows, load_synonyms(own)).search("gizmo").hits[0].id == "x"
    assert SearchIndex(rows, Synonyms()).search("gizmo").hits == ()


@pytest.mark.parametrize("text, line, what", [
    ("groups:\n  - [a b]\n", 2, "two or more"),
    ("groups:\n  - [brain, CNS]\n  - [cns, central]\n", 3, "already in the group on line 2"),
    ("groups: []\ncolours: [red]\n", 2, "unknown key 'colours'"),
    ("entity_synonyms: [Drugs]\n", 1, "'Drugs' is not a node label"),
    ("groups:\n  - [ok, fine\n", 3, "not valid YAML"),
    ("groups:\n  - [the, of]\n", 2, "has no word to match"),
])
def test_a_bad_synonyms_file_names_file_line_and_problem(tmp_path, text, line, what):
    bad = tmp_path / "synonyms.yaml"
    bad.write_text(text)
    with pytest.raises(SynonymsError) as err:
        load_synonyms(bad)
    assert f"{bad}:{line}:" in str(err.value) and what in str(err.value)
    with pytest.raises(SynonymsError, match="cannot read"):
        load_synonyms(Path(tmp_path / "missing.yaml"))


def test_rank_hits_ranks_a_candidate_list_strictly():
    rows = [{"id": "c", "label": "Claim", "name": "alectinib after crizotinib", "score": 9},
            {"id": "o", "label": "Outcome", "name": "median PFS, alectinib", "score": 9},
            {"id": "d", "label": "Drug", "name": "alectinib", "synonyms": ["Alecensa"],
             "score": 1},
            {"id": "g", "label": "Gene", "name": "ALK", "search_text": "alectinib target"}]
    from kg.search import rank_hits

    assert [h.id for h in rank_hits(rows, "alectinib")] == ["d", "c", "o", "g"]
    assert rank_hits(rows, "Alecensa")[0].matched == "synonym"
    assert [h.tier for h in rank_hits(rows, "alectinib crizotinib")][:1] == [1]
    assert rank_hits(rows, "alectinib crizotinib")[1].tier == 2  # every word must match
