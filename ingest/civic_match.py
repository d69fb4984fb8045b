"""Match CIViC genes, variants, drugs, diseases and compound profiles onto known nodes.

`CivicMatcher` is built from the nodes the other sources already hold (curated and BibTeX)
and answers, for each CIViC name, which of those nodes it is, if any: the mapper
(`ingest.civic_map`) then gives the CIViC record that node's id, so both merge into one node
(`kg.graph.assemble`). CIViC release TSVs carry no HGNC, NCIt or HGVS ids, so matching is by
symbol, normalised name and synonym (rules in docs/civic.md):

* genes: the curated gene's symbol, then its synonyms;
* drugs, diseases and variants: the normalised name or a synonym (`normalise_name`); drugs
  also the name part of their id (``drug:<name>``);
* variants: first the canonical id CIViC's name spells (``ALK:p.G1202R``,
  ``ALK:EML4-ALK.v3``, ``ALK:amplification``) when a node of that id is known;
* compound profiles: the set of their component variants' ids against curated compound
  ids such as ``ALK:p.[G1202R;I1171N;L1196M]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.schema import Schema
from kg.schema.records import NodeRecord

__all__ = ["CivicMatcher", "VariantMatch", "normalise_name", "EML4_ALK_VARIANTS"]

# EML4-ALK fusion variants by EML4 exon joined to ALK exon 20 (Choi 2008, Horn & Pao 2009
# nomenclature). Only the common, unambiguous ones: CIViC names them "EML4::ALK e6-e20".
EML4_ALK_VARIANTS: dict[str, str] = {"e13-e20": "v1", "e20-e20": "v2", "e6-e20": "v3",
                                     "e2-e20": "v5"}

_PROTEIN = re.compile(r"^([A-Z])(\d+)([A-Z]|\*|dup|del|fs)$", re.IGNORECASE)
_FUSION = re.compile(r"^([A-Za-z0-9-]+)::([A-Za-z0-9-]+)(?:\s+(e\d+-e\d+))?$")
_COMPOUND_ID = re.compile(r"^([A-Z0-9]+):p\.\[(.+)\]$")


def normalise_name(name: str) -> str:
    """Return the matching key of a name: case-folded, letters and digits only.

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalise_name("PF-06463922") == normalise_name("pf 06463922")
    True
    """
    return re.sub(r"[\W_]+", "", name.casefold())


@dataclass(frozen=True)
class VariantMatch:
    """What a CIViC variant name matches.

    Attributes
    ----------
    known : str or None
        The id of the known Variant node it is (by canonical id, then by name), if any.
    canonical : str or None
        The canonical id its name spells (``ALK:p.G1202R``), when the gene is a Variant id
        prefix of the schema and the name has a recognised shape.
    """

    known: str | None
    canonical: str | None


class CivicMatcher:
    """Match CIViC entities onto the known nodes it is given.

    Parameters
    ----------
    known : iterable of NodeRecord
        Nodes of the other sources. When two share a key (a name, a synonym), the one with
        the smaller id wins, so the result does not depend on their order.
    schema : Schema
        Its ``Variant`` id prefixes decide which genes get canonical variant ids.

    Examples
    --------
    >>> from kg.schema import load_schema
    >>> m = CivicMatcher([NodeRecord("drug:nvp-tae684", "Drug",
    ...                              {"name": "NVP-TAE684", "synonyms": ["TAE-684"]})],
    ...                  load_schema())
    >>> m.drug("TAE684"), m.drug("crizotinib")
    ('drug:nvp-tae684', None)
    """

    def __init__(self, known: Iterable[NodeRecord], schema: Schema) -> None:
        self._labels: dict[str, str] = {}
        self._gene_by_symbol: dict[str, str] = {}
        self._gene_by_synonym: dict[str, str] = {}
        self._drug_by_name: dict[str, str] = {}
        self._disease_by_name: dict[str, str] = {}
        self._variant_by_name: dict[str, str] = {}
        self._compound_by_parts: dict[frozenset[str], str] = {}
        self._variant_prefixes = frozenset(p for p in schema.nodes["Variant"].id_prefixes
                                           if re.fullmatch(r"[A-Z][A-Z0-9]*", p))
        for rec in sorted(known, key=lambda r: r.id):
            self._add(rec)

    def _add(self, rec: NodeRecord) -> None:
        self._labels.setdefault(rec.id, rec.label)
        p = rec.props
        synonyms = [str(s) for s in p.get("synonyms") or []]
        names = [str(p.get("name", "")), *synonyms]
        if rec.label == "Gene":
            self._gene_by_symbol.setdefault(str(p.get("name", "")), rec.id)
            for s in synonyms:
                self._gene_by_synonym.setdefault(s, rec.id)
        elif rec.label == "Drug":
            # CIViC release TSVs name therapies without NCIt ids, so drugs match on the
            # normalised name, synonyms and the name part of the id (drug:<name>).
            for n in [*names, rec.id.split(":", 1)[-1]]:
                if n:
                    self._drug_by_name.setdefault(normalise_name(n), rec.id)
        elif rec.label == "Disease":
            for n in names:
                if n:
                    self._disease_by_name.setdefault(normalise_name(n), rec.id)
        elif rec.label == "Variant":
            for n in names:
                if n:
                    self._variant_by_name.setdefault(normalise_name(n), rec.id)
            m = _COMPOUND_ID.match(rec.id)
            if m:
                parts = frozenset(f"{m.group(1)}:p.{x.strip()}" for x in m.group(2).split(";"))
                self._compound_by_parts.setdefault(parts, rec.id)

    def is_known(self, node_id: str, label: str) -> bool:
        """Return whether a known node has this id and label.

        Parameters
        ----------
        node_id : str
        label : str

        Returns
        -------
        bool
        """
        return self._labels.get(node_id) == label

    def gene(self, symbol: str) -> str | None:
        """Return the known Gene a CIViC gene symbol is (by symbol, then synonym), or None.

        Parameters
        ----------
        symbol : str
            The HGNC symbol as CIViC spells it.

        Returns
        -------
        str or None
        """
        return self._gene_by_symbol.get(symbol) or self._gene_by_synonym.get(symbol)

    def drug(self, name: str) -> str | None:
        """Return the known Drug a CIViC therapy name is (normalised name or synonym), or None.

        Parameters
        ----------
        name : str
            A therapy as the ``therapies`` cell names it; compared after `normalise_name`
            with the known drugs' names, synonyms and the name part of their ids
            (``drug:<name>``), since the release gives no NCIt id.

        Returns
        -------
        str or None
            The Drug's node id; None for a drug the other sources do not know.
        """
        return self._drug_by_name.get(normalise_name(name))

    def disease(self, name: str) -> str | None:
        """Return the known Disease a CIViC disease name is (normalised), or None.

        Used for rows without a DOID.

        Parameters
        ----------
        name : str
            The ``disease`` cell, compared after `normalise_name`.

        Returns
        -------
        str or None
        """
        return self._disease_by_name.get(normalise_name(name))

    def compound(self, parts: Iterable[str]) -> str | None:
        """Return the known compound Variant made of exactly these variant ids, or None.

        Parameters
        ----------
        parts : iterable of str
            Component variant ids, e.g. ``ALK:p.G1202R``, ``ALK:p.I1171N``.

        Returns
        -------
        str or None
        """
        return self._compound_by_parts.get(frozenset(parts))

    def variant(self, gene: str, name: str, aliases: Iterable[str] = ()) -> VariantMatch:
        """Match a CIViC variant: its canonical id, and the known Variant it is, if any.

        Parameters
        ----------
        gene : str
            The gene symbol.
        name : str
            CIViC's variant name (``G1202R``, ``EML4::ALK e6-e20``, ``Amplification``).
        aliases : iterable of str, optional
            CIViC's variant aliases; matched by name as well.

        Returns
        -------
        VariantMatch

        Examples
        --------
        >>> from kg.schema import load_schema
        >>> m = CivicMatcher([NodeRecord("ALK:EML4-ALK.v3", "Variant",
        ...                              {"name": "EML4-ALK variant 3"})], load_schema())
        >>> m.variant("ALK", "EML4::ALK e6-e20")
        VariantMatch(known='ALK:EML4-ALK.v3', canonical='ALK:EML4-ALK.v3')
        >>> m.variant("ALK", "g1202r")
        VariantMatch(known=None, canonical='ALK:p.G1202R')
        """
        canonical, names = self._candidates(gene, name, list(aliases))
        if canonical and self.is_known(canonical, "Variant"):
            return VariantMatch(canonical, canonical)
        known = next((self._variant_by_name[k] for k in map(normalise_name, names)
                      if k in self._variant_by_name), None)
        return VariantMatch(known, canonical)

    def _candidates(self, gene: str, name: str, aliases: list[str]) -> tuple[str | None,
                                                                              list[str]]:
        """Return the canonical id (or None) and the names to match known variants on."""
        names = [f"{gene} {name}"] + [f"{gene} {a}" for a in aliases]
        gene_prefix = gene in self._variant_prefixes
        m = _PROTEIN.match(name)
        if m:
            suffix = m.group(3)
            change = f"{m.group(1).upper()}{m.group(2)}" + (
                suffix.upper() if len(suffix) == 1 else suffix.lower())
            names.append(f"{gene} p.{change}")
            return (f"{gene}:p.{change}" if gene_prefix else None), names
        low = name.casefold()
        if low == "amplification":
            names.append(f"{gene} amplification")
            return (f"{gene}:amplification" if gene_prefix else None), names
        if low == "fusion":
            return (f"{gene}:fusion" if gene_prefix else None), names
        f = _FUSION.match(name)
        if f:
            five, three, exons = f.groups()
            base = f"{five}-{three}"
            names += [base, name.replace("::", "-")]
            if exons and base == "EML4-ALK" and exons in EML4_ALK_VARIANTS:
                v = EML4_ALK_VARIANTS[exons]
                names += [f"EML4-ALK {v}", f"EML4-ALK variant {v[1:]}"]
                suffix = f".{v}"
            else:
                suffix = f".{exons}" if exons else ""
            return (f"{gene}:{base}{suffix}" if gene_prefix else None), names
        return None, names
