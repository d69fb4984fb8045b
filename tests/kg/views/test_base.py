"""kg.views.base: the store the app opens, runners, schema-checked names, lookups."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg import views as V
from kg.schema.errors import SchemaError
from tests.plugin import ROOT


def test_connect_reuses_the_server_of_a_state_directory(store, curated_graph):
    opened = V.connect(store.server.state_dir)
    try:
        assert opened.graph_version() == store.graph_version()
        counts = V.label_counts(V.store_runner(opened))
    finally:
        opened.close()
    assert {lb: sum(by.values()) for lb, by in counts.items()} == \
        curated_graph.counts()["nodes"]


def test_lookups(store):
    run = V.store_runner(store)
    assert V.get_node(run, "drug:alectinib")["label"] == V.DRUG
    assert V.get_node(run, "no:such") is None
    found = V.find_nodes(run, labels=[V.DRUG], terms=["ALECT"])
    assert [n["id"] for n in found] == ["drug:alectinib"]
    assert V.neighbours(run, []) == []
    rows = V.neighbours(run, ["drug:alectinib"])
    assert rows and all("drug:alectinib" in (r["source_id"], r["target_id"]) for r in rows)


def test_names_are_checked_against_the_schema():
    assert V.checked_label("Variant") == V.VARIANT == "Variant"
    with pytest.raises(SchemaError, match="Varient"):
        V.checked_label("Varient")
    with pytest.raises(SchemaError, match="CONFERS_RESISTANCE"):
        V.checked_rel("CONFERS_RESISTANCE")


def test_the_views_import_no_streamlit():
    code = ("import sys; from kg import views; "
            "assert 'streamlit' not in sys.modules, 'kg.views imported streamlit'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
