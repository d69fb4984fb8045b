"""Inherited evidence: what a variant receives from the groups it belongs to.

A variant belongs to the resistance mechanisms it is classified as (``CLASSIFIED_AS``, e.g.
ALK G1202R -> "ALK kinase-domain mutation") and to the compound mutations and CIViC
molecular profiles it is a component of (``COMPONENT_OF``, e.g. "ALK EML4::ALK AND ALK
G1202R"). Evidence given for such a parent is shown on the variant as *inherited*, marked
"via <parent>", counted apart from the variant's own (*direct*) evidence and never mixed
with it. The matrix (`kg.views.matrix`), the entity pages (`kg.views.entity`) and the
tumour-board sheet all use `variant_parents`, so the rule holds everywhere.

Decision: a fusion inherits only from mechanisms, not from molecular profiles. Every ALK
profile in CIViC contains the fusion ("EML4::ALK AND ..."), so a fusion would inherit the
evidence of every resistance mutation found on top of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.views.base import Runner, checked_rel

__all__ = ["Parent", "Inheritance", "variant_parents"]

CLASSIFIED_AS = checked_rel("CLASSIFIED_AS")
COMPONENT_OF = checked_rel("COMPONENT_OF")


@dataclass(frozen=True)
class Parent:
    """A group a variant belongs to, whose evidence the variant inherits."""

    id: str
    label: str
    name: str
    relation: str  # CLASSIFIED_AS (mechanism) or COMPONENT_OF (compound / profile)

    @property
    def via(self) -> str:
        """``'via ALK kinase-domain mutation'``."""
        return f"via {self.name}"


@dataclass(frozen=True)
class Inheritance:
    """Which parents each variant inherits evidence from, and each such variant's gene and
    name (a variant with no claim of its own is named only here)."""

    parents: dict[str, tuple[Parent, ...]]
    genes: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)

    def of(self, variant_id: str) -> tuple[Parent, ...]:
        """Return the parents of one variant (empty when it has none).

        Parameters
        ----------
        variant_id : str

        Returns
        -------
        tuple of Parent
        """
        return self.parents.get(variant_id, ())


def variant_parents(run: Runner, ids: Sequence[str] = ()) -> Inheritance:
    """Return the parents each variant inherits evidence from.

    Parameters
    ----------
    run : Runner
        Executes named queries (``29_variant_parents``).
    ids : sequence of str, optional
        Variant ids; empty means every variant.

    Returns
    -------
    Inheritance
        Variant id -> its parents, sorted mechanisms first, then by name; variants without
        parents are absent. Fusions keep only their mechanisms (see the module).
    """
    out: dict[str, list[Parent]] = defaultdict(list)
    genes: dict[str, str] = {}
    names: dict[str, str] = {}
    for r in run("29_variant_parents", {"ids": list(ids)}):
        if r["relation"] == COMPONENT_OF and r.get("variant_type") == "fusion":
            continue
        out[r["variant_id"]].append(Parent(str(r["parent_id"]), str(r["parent_label"]),
                                           str(r["parent_name"] or r["parent_id"]),
                                           str(r["relation"])))
        if r.get("variant_gene"):
            genes[r["variant_id"]] = str(r["variant_gene"])
        if r.get("variant_name"):
            names[r["variant_id"]] = str(r["variant_name"])
    parents = {v: tuple(sorted(ps, key=lambda p: (p.relation != CLASSIFIED_AS, p.name.lower())))
               for v, ps in out.items()}
    return Inheritance(parents, genes, names)
