"""What the evidence browser shows, computed from named queries; no Streamlit here.

One module per job, each a set of functions ``f(run, ...)`` over a *runner* (see
`kg.views.base`):

* `kg.views.base` -- the runner, `connect` (the store the app opens), schema-checked label
  and relationship names, evidence-source filters, basic lookups;
* `kg.views.references` -- reference formatting, the bibliography and its BibTeX;
* `kg.views.claims` -- claim cards;
* `kg.views.citations` -- the citation check: what a cited work itself reports;
* `kg.views.entity` -- entity pages;
* `kg.views.dates` -- when each claim, figure and trial was published (the "as of" date);
* `kg.views.inherited` -- the mechanisms and profiles a variant inherits evidence from;
* `kg.views.matrix` -- the resistance matrix (claim semantics from `kg.schema`; direct and
  inherited evidence apart);
* `kg.views.neighbourhood` -- the graph view's capped neighbourhood;
* `kg.views.trials` -- trial arms, figures as published (named with trial and analysis),
  forest-plot rows;
* `kg.views.efficacy` -- a drug's page, efficacy first: its trials' figures, CNS figures,
  what variants do to it;
* `kg.views.changes` -- what was first published after a date.

Every public name is re-exported here, so ``from kg import views as V`` and
``V.resistance_matrix(run, ...)`` work. Pages only lay out what these functions return;
colours and in-app URLs belong to the pages (``app_pages/``), not here.
"""

from __future__ import annotations

from kg.views.base import (
    ASSERTED_IN,
    CITES,
    CITES_SOURCE,
    CLAIM,
    COMPONENT_OF,
    CONFLICT,
    CONFLICT_SIDE,
    DRUG,
    GENE,
    HIDDEN_PROPS,
    MECHANISM,
    OUTCOME,
    PUBLICATION,
    REPLIES_TO,
    REPORTED_IN,
    RESISTANCE,
    SENSITIVITY,
    SOURCE_FILTERS,
    TRIAL,
    VARIANT,
    Runner,
    checked_label,
    checked_rel,
    connect,
    evidence_source,
    find_nodes,
    get_node,
    humanize,
    keep_source,
    label_counts,
    neighbours,
    query_text,
    store_runner,
)
from kg.views.changes import CHANGE_KINDS, Change, Changes, changes_since
from kg.views.citations import (
    NOT_CHECKABLE,
    NOT_STATED,
    SUPPORTED,
    VERDICT_TEXT,
    CitationCheck,
    CitedWork,
    citation_check,
    figure_text,
)
from kg.views.claims import LEVEL_MEANING, ClaimCard, claim_cards
from kg.views.dates import LETTER_ACCEPTED, Dates, as_date, parse_as_of, publication_dates
from kg.views.efficacy import (
    DrugEfficacy,
    ResponseRow,
    TrialEfficacy,
    drug_efficacy,
    figure_order,
)
from kg.views.entity import CLAIM_ROLES, EntityView, NeighbourGroup, entity_view
from kg.views.inherited import Inheritance, Parent, variant_parents
from kg.views.matrix import (
    ALK_CONTEXT,
    PROFILE,
    InheritedEvidence,
    Matrix,
    MatrixCell,
    matrix_genes,
    resistance_matrix,
)
from kg.views.neighbourhood import Subgraph, neighbourhood
from kg.views.references import (
    BibItem,
    Reference,
    bibliography,
    bibliography_page,
    doi_url,
    format_reference,
    pmid_url,
    to_bibtex,
)
from kg.views.trials import (
    ANALYSIS_ORDER,
    SOURCE_KINDS,
    figure_name,
    forest_rows,
    is_cns,
    not_entered,
    trial_arms,
    trial_outcomes,
)

__all__ = [
    # base
    "Runner", "connect", "store_runner", "query_text", "checked_label", "checked_rel",
    "SOURCE_FILTERS", "HIDDEN_PROPS", "evidence_source", "keep_source", "humanize",
    "label_counts", "find_nodes", "get_node", "neighbours",
    "CLAIM", "PUBLICATION", "TRIAL", "OUTCOME", "CONFLICT", "VARIANT", "MECHANISM", "GENE",
    "DRUG", "RESISTANCE", "SENSITIVITY", "ASSERTED_IN", "CITES_SOURCE", "REPORTED_IN",
    "CITES", "REPLIES_TO", "CONFLICT_SIDE", "COMPONENT_OF",
    # references
    "Reference", "BibItem", "doi_url", "pmid_url", "format_reference", "bibliography",
    "bibliography_page", "to_bibtex",
    # claims
    "LEVEL_MEANING", "ClaimCard", "claim_cards",
    # citations
    "SUPPORTED", "NOT_STATED", "NOT_CHECKABLE", "VERDICT_TEXT", "CitedWork", "CitationCheck",
    "citation_check", "figure_text",
    # entity
    "CLAIM_ROLES", "NeighbourGroup", "EntityView", "entity_view",
    # matrix
    "ALK_CONTEXT", "PROFILE", "MatrixCell", "Matrix", "resistance_matrix", "matrix_genes",
    "InheritedEvidence",
    # dates
    "LETTER_ACCEPTED", "Dates", "parse_as_of", "publication_dates", "as_date",
    # inherited
    "Inheritance", "Parent", "variant_parents",
    # neighbourhood
    "Subgraph", "neighbourhood",
    # trials
    "trial_arms", "trial_outcomes", "forest_rows", "figure_name", "is_cns", "not_entered",
    "ANALYSIS_ORDER", "SOURCE_KINDS",
    # efficacy
    "TrialEfficacy", "ResponseRow", "DrugEfficacy", "drug_efficacy", "figure_order",
    # changes
    "CHANGE_KINDS", "Change", "Changes", "changes_since",
]
