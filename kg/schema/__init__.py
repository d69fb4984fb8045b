"""The bottom layer: the schema, the records, the errors and the claim semantics.

Everything above reads the graph's shape from here: ``schema.yaml`` (labels, relationship
types, properties, citation rules, claim semantics), loaded by `load_schema`; the records
every adapter yields (`NodeRecord`, `EdgeRecord`); the named errors (`KGError` and its
subclasses); what a claim means (`ClaimSemantics`); and which characters no text may hold
(`kg.schema.text`). This package imports nothing else of the project, and ``ingest/``
imports nothing of ``kg`` but this package (``tests/test_layers.py`` checks both).
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
from .records import EdgeRecord, NodeRecord, edge_id

# The schema model (PyYAML, pydantic) and the claim semantics load on first use, so that
# importing the errors -- which every layer does -- stays cheap (``kg query`` starts fast).
_LAZY = {
    "CLAIM_DIRECTIONS": "model", "EVIDENCE_LEVELS": "model", "SCHEMA_PATH": "model",
    "NodeType": "model", "PropertySpec": "model", "RelType": "model", "Schema": "model",
    "load_schema": "model", "parse_schema": "model", "schema_markdown": "model",
    "ClaimSemantics": "semantics",
}


def __getattr__(name: str) -> object:
    """Import the schema model or the claim semantics when one of their names is used."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CLAIM_DIRECTIONS", "EVIDENCE_LEVELS", "SCHEMA_PATH", "ClaimSemantics", "EdgeRecord",
    "ExportError", "IngestError", "InputProblem", "KGError", "NodeRecord", "NodeType",
    "PropertySpec", "QueryError", "ReadOnlyViolation", "RelType", "Schema", "SchemaError",
    "StoreError", "edge_id", "load_schema", "parse_schema", "schema_markdown",
]
