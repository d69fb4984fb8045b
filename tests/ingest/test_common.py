"""Source metadata (ingest/<source>.yaml) and the checks it drives: sha256 and count bounds."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil

import pytest

from ingest.common import check_counts, check_sha256, check_source, load_meta
from kg.build import build_graph
from kg.schema.errors import (
    ChecksumMismatch,
    CountOutOfBounds,
    IngestError,
    KGError,
    SourceMetaError,
)
from tests.conftest import DATA
from tests.helpers import MINI, mini_copy


@pytest.mark.parametrize("name", ["bibtex", "curated", "civic"])
def test_every_source_has_complete_metadata(name):
    meta = load_meta(name)
    assert meta.retrieved and meta.licence and meta.version
    bounds = (meta.min_nodes, meta.max_nodes, meta.min_edges, meta.max_edges)
    assert None not in bounds and meta.min_nodes <= meta.max_nodes
    assert meta.min_edges <= meta.max_edges


def test_shipped_data_is_described_and_within_the_bounds(curated_graph):
    for name in ("bibtex", "curated"):
        meta = load_meta(name)
        assert meta.describes(DATA / meta.shipped_input.removeprefix("data/"))
    curated = load_meta("curated")
    n = sum(1 for _, d in curated_graph.graph.nodes(data=True)
            if d["props"].get("source") == "curated")
    assert curated.min_nodes <= n <= curated.max_nodes


def test_metadata_errors_are_named(tmp_path):
    assert issubclass(SourceMetaError, KGError)
    (tmp_path / "x.yaml").write_text("name: x\ntitle: t\nurl: u\nlicence: l\nversion: '1'\n"
                                     "colour: red\n", encoding="utf-8")
    with pytest.raises(SourceMetaError, match=r"x.yaml: unknown metadata keys \['colour'\]"):
        load_meta("x", directory=tmp_path)
    (tmp_path / "x.yaml").write_text("name: x\ntitle: t\nurl: u\nlicence: l\nversion: '1'\n"
                                     "sha256: {a.tsv: abc}\n", encoding="utf-8")
    with pytest.raises(SourceMetaError, match="sha256 of 'a.tsv' is 'abc', not 64"):
        load_meta("x", directory=tmp_path)
    (tmp_path / "x.yaml").write_text("name: x\ntitle: t\nurl: u\nlicence: l\nversion: '1'\n"
                                     "min_nodes: 10\nmax_nodes: 5\n", encoding="utf-8")
    with pytest.raises(SourceMetaError, match="min_nodes 10 is above max_nodes 5"):
        load_meta("x", directory=tmp_path)
    with pytest.raises(SourceMetaError, match="cannot read the source metadata"):
        load_meta("missing", directory=tmp_path)


def test_count_bounds_name_the_source_and_the_count():
    meta = load_meta("curated")
    with pytest.raises(CountOutOfBounds) as info:
        check_counts(meta, nodes=3, edges=meta.max_edges + 1, where="data/curated")
    text = str(info.value)
    assert f"data/curated: source 'curated' yielded 3 nodes, fewer than min_nodes " \
        f"{meta.min_nodes} in ingest/curated.yaml" in text
    assert f"yielded {meta.max_edges + 1} edges, more than max_edges {meta.max_edges}" in text
    check_counts(meta, nodes=meta.min_nodes, edges=meta.max_edges, where="data/curated")


def test_bounds_apply_to_the_shipped_input_only():
    meta = load_meta("curated")
    with pytest.raises(CountOutOfBounds, match="source 'curated' yielded 1 nodes"):
        check_source(meta, DATA / "curated", nodes=1, edges=1)
    check_source(meta, MINI / "curated", nodes=1, edges=1)  # a test fixture: not checked


def test_sha256_mismatch_names_the_file(tmp_path):
    data = mini_copy(tmp_path)
    bib = data / "references.bib"
    digest = hashlib.sha256(bib.read_bytes()).hexdigest()
    meta = dataclasses.replace(load_meta("bibtex"), shipped_input="", min_nodes=None,
                               sha256={"references.bib": digest})
    check_source(meta, bib, nodes=2, edges=0)
    bib.write_text(bib.read_text(encoding="utf-8") + "\n% edited\n", encoding="utf-8")
    with pytest.raises(ChecksumMismatch) as info:
        check_source(meta, bib, nodes=2, edges=0)
    (problem,) = info.value.problems
    assert problem.file.endswith("references.bib") and f"differs from {digest}" in \
        problem.message
    assert isinstance(info.value, IngestError)
    check_sha256(meta, {bib.parent / "other.bib": "0" * 64})  # not listed: not checked
    shutil.move(bib, data / "moved.bib")
    with pytest.raises(ChecksumMismatch, match="listed in ingest/bibtex.yaml .* not found"):
        check_source(meta, data / "moved.bib", nodes=2, edges=0)


def test_the_build_refuses_shipped_data_out_of_bounds(monkeypatch):
    from ingest.curated import CuratedAdapter

    tight = dataclasses.replace(CuratedAdapter.meta, max_nodes=10)
    monkeypatch.setattr(CuratedAdapter, "meta", tight)
    with pytest.raises(CountOutOfBounds, match=r"source 'curated' yielded \d+ nodes, more "
                       "than max_nodes 10"):
        build_graph(DATA)
    build_graph(MINI)  # not the shipped input: no bounds
