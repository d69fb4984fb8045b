from pathlib import Path

import pytest

from ingest.bibtex import BibtexAdapter, parse_bibtex, publication_id
from kg.schema.errors import IngestError
from tests.helpers import MINI, edit, line_of, mini_copy


def test_entries_become_publications_with_ids_from_pmid_doi_or_key():
    adapter = BibtexAdapter(MINI / "references.bib")
    nodes = {n.props["bib_key"]: n for n in adapter.iter_nodes()}
    assert nodes["dubey2020letter"].id == "DOI:10.4103/CRST.CRST_72_20"
    assert nodes["nakagawa2020jalex"].id == "bib:nakagawa2020jalex"
    assert nodes["dubey2020letter"].props["pub_kind"] == "letter"
    assert nodes["dubey2020letter"].props["authors"][0] == "Dubey, Amba Prasad"
    assert nodes["nakagawa2020jalex"].props["name"] == "Nakagawa 2020"
    assert publication_id({"pmid": "1", "doi": "x"}, "k") == "PMID:1"


def test_malformed_entry_names_file_and_line(tmp_path: Path):
    data = mini_copy(tmp_path)
    bib = data / "references.bib"
    edit(bib, "title = {Anaplastic", "title = {{Anaplastic")
    with pytest.raises(IngestError) as err:
        BibtexAdapter(bib)
    problem = err.value.problems[0]
    assert problem.file.endswith("references.bib")
    assert problem.line == line_of(bib, "@article{dubey2020letter")
    assert "malformed" in problem.message


def test_duplicate_key_is_reported_with_its_line():
    text = "@article{a, title={T}, year={2020}}\n\n@article{a, title={U}, year={2021}}\n"
    with pytest.raises(IngestError) as err:
        parse_bibtex(text, file="x.bib")
    assert str(err.value.problems[0]) == "x.bib:3: record 'a': duplicate citation key 'a'"


def test_missing_title_and_bad_year():
    with pytest.raises(IngestError) as err:
        parse_bibtex("@article{a, year={20x0}}", file="x.bib")
    messages = [p.message for p in err.value.problems]
    assert "entry lacks field 'title'" in messages
    assert "year '20x0' is not a number" in messages
