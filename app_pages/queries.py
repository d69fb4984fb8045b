"""Canned queries: every file of ``queries/``, its parameters, and its result.

URL: ``?q=<file stem>&p_<param>=<value>`` (a value is JSON when it parses as JSON, else text),
so a copied URL opens the same query with the same values. Results show as a table, as a
graph when the rows hold nodes and relationships, with CSV and JSON downloads and downloads
of the part of the graph they show. Queries run on the console's connection, with a timeout
of 10 s and a row cap of 1,000 (`kg.views.workbench`).
"""

import json

import streamlit as st

from app_pages import _shared as S
from app_pages import _workbench as WB
from kg.schema.errors import KGError
from kg.views import workbench as W

g = S.graph()
problems: list[str] = []
S.section("Canned queries", level=1)
queries = W.canned_queries()
by_name = {q.name: q for q in queries}
on_q = S.bind("canned_q", "q", queries[0].name, options=list(by_name), problems=problems,
              expect="the name of a file in queries/ (e.g. 02_resistance_to_drug)")


def _query_changed() -> None:
    """A new query: write it to the URL and drop the old query's parameters."""
    for name in [k for k in st.query_params if k.startswith("p_")]:
        del st.query_params[name]
    on_q()


LANGUAGE = {"sparql": "SPARQL", "cypher": "Cypher"}
name = st.selectbox("Query", options=list(by_name), key="canned_q", on_change=_query_changed,
                    format_func=lambda n: f"{by_name[n].title} ({n}, "
                                          f"{LANGUAGE[by_name[n].language]})")
q = by_name[name]
st.caption(q.description or "(no description)")

values: dict[str, object] = {}
if q.params:
    cols = st.columns(min(3, len(q.params)))
    for i, (pname, example) in enumerate(q.params.items()):
        key = f"canned_{q.name}_{pname}"
        on_p = S.bind(key, f"p_{pname}", W.format_value(example))
        text = cols[i % len(cols)].text_input(
            pname, key=key, on_change=on_p,
            help=f"Example: {W.format_value(example)}. JSON (a number, a list) or plain text.")
        values[pname] = W.parse_value(text)
else:
    st.caption("This query takes no parameters.")
S.show_problems(problems)
with st.expander("Query text" + (f" — returns {', '.join(q.returns)}" if q.returns else "")):
    st.code(q.text, language="sparql" if q.language == "sparql" else "cypher")

try:
    result = WB.run("named", q.name, json.dumps(values, sort_keys=True), W.TIMEOUT_MAX_MS,
                    W.ROW_CAP_DEFAULT, g.version, g.sdir)
except KGError as exc:
    WB.show_error(exc)
    st.stop()
WB.show_result(result, g=g, key="canned", stem=q.name, params=values)
