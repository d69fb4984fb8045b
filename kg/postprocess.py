"""Steps that run on the assembled graph before it is served.

Today one step: conflict flags (`kg.conflicts.add_conflicts`). Each step returns a new
validated `EvidenceGraph`.
"""

from __future__ import annotations

from kg.conflicts import add_conflicts
from kg.graph import EvidenceGraph

__all__ = ["postprocess"]


def postprocess(eg: EvidenceGraph) -> EvidenceGraph:
    """Return `eg` with derived nodes added (conflict flags)."""
    return add_conflicts(eg)
