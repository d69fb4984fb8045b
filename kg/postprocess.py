"""Steps that run on the assembled graph before it is served.

Today: conflict detection (`kg.conflicts`) when that module is present in the tree; each
step returns a new validated `EvidenceGraph`.
"""

from __future__ import annotations

from kg.graph import EvidenceGraph

__all__ = ["postprocess"]


def postprocess(eg: EvidenceGraph) -> EvidenceGraph:
    """Return `eg` with derived nodes added (conflict flags)."""
    try:
        from kg.conflicts import add_conflicts
    except ImportError:  # the conflict module arrives with the CIViC importer
        return eg
    return add_conflicts(eg)
