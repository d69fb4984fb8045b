from pathlib import Path

import pytest

from ingest.bibtex import BibtexAdapter, parse_bibtex, publication_id
from kg.cli import main
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
    assert "year '20x0' is not a four-digit year" in messages


@pytest.mark.parametrize("text, line, words", [
    ("@article{a, title={T}, year={2020}}\n@article{b, title={U\x00}, year={2021}}\n", 2,
     "control character U+0000 (NUL)"),
    ("@article{a,\n title={T\x1b[1m},\n year={2020}}\n", 2, "U+001B (ESC)"),
    ("@article{a, title={T}, year={٢٠٢٠}}\n", 1, "year '٢٠٢٠' is not a four-digit year"),
    ("@article{a, title={T}, year={²}}\n", 1, "year '²' is not a four-digit year"),
    ("@article{a, title={T}, year={" + "9" * 5000 + "}}\n", 1, "is not a four-digit year"),
])
def test_control_characters_and_odd_years_are_refused_with_their_line(text, line, words):
    with pytest.raises(IngestError) as err:
        parse_bibtex(text, file="x.bib")
    problem = err.value.problems[0]
    assert problem.line == line and words in problem.message


def test_bad_utf8_names_its_line(tmp_path, capsys):
    d = mini_copy(tmp_path)
    bib = d / "references.bib"
    data = bib.read_bytes()
    bib.write_bytes(data + b"\n@article{zz, title={Caf\xe9}, year={2020}}\n")
    code = main(["validate", "--data", str(d)])
    err = capsys.readouterr().err
    line = data.count(b"\n") + 2
    assert code == 2 and f"references.bib:{line}: byte 0xe9" in err and "Traceback" not in err
