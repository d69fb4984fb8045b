"""Console: your own read-only Cypher (or SPARQL) on the served graph.

URL: ``?lang=cypher|sparql&q=<query>&params=<JSON object>&timeout=<ms>&rows=<cap>``; a copied
URL reruns the same query. The rules (`kg.store.guard`, the same as ``kg query``): only
reading clauses; no ``LOAD CSV``; ``CALL`` only of the read procedures listed; one statement;
a timeout of 2 s by default and 10 s at most; a row cap of 1,000 by default, with a note when
rows were cut. SPARQL runs over the RDF mapping of the graph, in a child process ended at the
timeout (Oxigraph cannot be interrupted in process); updates are refused. The console
has its own connection, and at most two console queries run at once per app.
"""

import json

import streamlit as st

from app_pages import _shared as S
from app_pages import _workbench as WB
from kg.schema.errors import KGError, QueryError
from kg.views import workbench as W

g = S.graph()
problems: list[str] = []
S.section("Console", level=1)
S.bind("console_lang", "lang", "cypher", options=["cypher", "sparql"], problems=problems,
       expect="cypher or sparql")
S.bind("console_timeout", "timeout", W.TIMEOUT_DEFAULT_MS, cast=int,
       options=range(1, W.TIMEOUT_MAX_MS + 1), problems=problems,
       expect=f"a timeout in ms from 1 to {W.TIMEOUT_MAX_MS}")
S.bind("console_rows", "rows", W.ROW_CAP_DEFAULT, cast=int, options=range(1, W.ROW_CAP_MAX + 1),
       problems=problems, expect=f"a row cap from 1 to {W.ROW_CAP_MAX}")
S.bind("console_params", "params", "")
S.show_problems(problems)



def _lang_changed() -> None:
    """Another language: its own query box; the URL's query was the other language's."""
    S.set_param("lang", st.session_state.get("console_lang") or "cypher", "cypher")
    S.set_param("q", None)


lang = st.segmented_control("Language", options=["cypher", "sparql"], key="console_lang",
                            format_func={"cypher": "Cypher", "sparql": "SPARQL"}.get,
                            on_change=_lang_changed) or "cypher"
example = W.EXAMPLE_SPARQL if lang == "sparql" else W.EXAMPLE_CYPHER
text_key = f"console_text_{lang}"
url_text = S.param("q") if (S.param("lang") or "cypher") == lang else None
if text_key not in st.session_state:
    st.session_state[text_key] = url_text or example

with st.sidebar:
    with st.expander("Labels, relationship types, property keys", expanded=False):
        try:
            overview = WB.schema_overview(g.version, g.sdir)
        except KGError as exc:
            st.caption(f"Not available: {exc}")
        else:
            for title, key in (("Labels", "labels"), ("Relationship types",
                                                      "relationship_types"),
                               ("Property keys", "property_keys")):
                st.markdown(f"**{title}** ({len(overview[key])})")
                st.code("\n".join(overview[key]), language=None)

with st.form("console_form", border=False):
    text = st.text_area("SPARQL query" if lang == "sparql" else "Cypher query", key=text_key,
                        height=160,
                        help="Read-only: " + ("SELECT, ASK, CONSTRUCT or DESCRIBE; prefixes "
                                              "rdf:, kg:, kgs:, xsd: are declared."
                                              if lang == "sparql" else
                                              "reading clauses only; CALL only of "
                                              + ", ".join(W.ALLOWED_PROCEDURES) + "."))
    c1, c2, c3 = st.columns([3, 1, 1])
    params_text = c1.text_input("Parameters (a JSON object)", key="console_params",
                                placeholder='{"id": "drug:alectinib"}')
    timeout = c2.number_input("Timeout (ms)", min_value=1, max_value=W.TIMEOUT_MAX_MS,
                              step=500, key="console_timeout")
    rows = c3.number_input("Row cap", min_value=1, max_value=W.ROW_CAP_MAX, step=100,
                           key="console_rows")
    submitted = st.form_submit_button("Run", type="primary", icon=":material/play_arrow:")

if submitted:
    S.set_param("q", text.strip())
    S.set_param("params", params_text.strip())
    S.set_param("timeout", int(timeout), W.TIMEOUT_DEFAULT_MS)
    S.set_param("rows", int(rows), W.ROW_CAP_DEFAULT)
    S.set_param("lang", lang, "cypher")
query = text.strip() if submitted else (url_text or "").strip()
if not query:
    st.info("Type a query and press Run. The rules: " + W.CONSOLE_RULES,
            icon=":material/terminal:")
    st.stop()

try:
    params = json.loads(params_text) if params_text.strip() else {}
    if not isinstance(params, dict):
        raise QueryError("parameters must be a JSON object, e.g. {\"id\": \"drug:alectinib\"}")
except (ValueError, RecursionError) as exc:  # not JSON, or nested too deep to read
    WB.show_error(QueryError(f"the parameters are not JSON: {exc}"))
    st.stop()
except QueryError as exc:
    WB.show_error(exc)
    st.stop()

try:
    result = WB.run(lang, query, json.dumps(params, sort_keys=True), int(timeout), int(rows),
                    g.version, g.sdir)
except KGError as exc:
    WB.show_error(exc)
    st.stop()
WB.show_result(result, g=g, key="console", stem="alk_kg_console", params=params)
