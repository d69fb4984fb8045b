"""The bottom layer: the schema, the records, the errors and the claim semantics.

Everything above reads the graph's shape from here: ``schema.yaml`` (labels, relationship
types, properties, citation rules, claim semantics), loaded by `load_schema`; the records
every adapter yields (`NodeRecord`, `EdgeRecord`); the named errors (`KGError` and its
subclasses); and what a claim means (`ClaimSemantics`). This package imports nothing else of
the project, and ``ingest/`` imports nothing of ``kg`` but this package
(``tests/test_layers.py`` checks both).
"""

from .errors import (
    ExportError,
    IngestError,
    InputProblem,
    KGError,
    QueryError,
    ReadOnlyViolation,
    SchemaError,
    StoreError,
)
from .model import (
    CLAIM_DIRECTIONS,
    EVIDENCE_LEVELS,
    SCHEMA_PATH,
    NodeType,
    PropertySpec,
    RelType,
    Schema,
    load_schema,
    parse_schema,
    schema_markdown,
)
from .records import EdgeRecord, NodeRecord, edge_id
from .semantics import ClaimSemantics

__all__ = [
    "CLAIM_DIRECTIONS", "EVIDENCE_LEVELS", "SCHEMA_PATH", "ClaimSemantics", "EdgeRecord",
    "ExportError", "IngestError", "InputProblem", "KGError", "NodeRecord", "NodeType",
    "PropertySpec", "QueryError", "ReadOnlyViolation", "RelType", "Schema", "SchemaError",
    "StoreError", "edge_id", "load_schema", "parse_schema", "schema_markdown",
]
