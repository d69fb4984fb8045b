"""Load ``kg/schema/schema.yaml``, the single source of truth for the graph's shape.

Everything else derives from the `Schema` returned by `load_schema`: the curated-file
validator (`ingest.curated`), record validation (`validate_node`, `validate_edge`), the
loaders' Cypher (`kg.cypher`), the RDF mapping and the generated documentation
(`schema_markdown`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import SchemaError
from .semantics import ClaimSemantics, parse_semantics

__all__ = [
    "PropertySpec",
    "NodeType",
    "RelType",
    "Schema",
    "load_schema",
    "SCHEMA_PATH",
    "CLAIM_DIRECTIONS",
    "EVIDENCE_LEVELS",
]

SCHEMA_PATH = Path(__file__).with_name("schema.yaml")
_TYPES = {"str", "int", "float", "bool", "list[str]"}


@dataclass(frozen=True)
class PropertySpec:
    """One declared property: its name, type, whether required, and a sentence."""

    name: str
    type: str
    required: bool = False
    description: str = ""

    def accepts(self, value: Any) -> bool:
        """Return True when `value` has this property's declared type (None never does).

        Parameters
        ----------
        value : object
            A property value from a record.

        Returns
        -------
        bool
            ``int`` excludes bool; ``float`` accepts ints and finite floats; ``list[str]``
            accepts a list or tuple of strings.

        Examples
        --------
        >>> PropertySpec("n", "float").accepts(3), PropertySpec("n", "float").accepts(True)
        (True, False)
        """
        if self.type == "str":
            return isinstance(value, str)
        if self.type == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.type == "float":
            return isinstance(value, int | float) and not isinstance(value, bool) and (
                not isinstance(value, float) or math.isfinite(value)
            )
        if self.type == "bool":
            return isinstance(value, bool)
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


@dataclass(frozen=True)
class NodeType:
    """A node label with its properties, id prefixes and Biolink category."""

    label: str
    description: str
    id_prefixes: tuple[str, ...]
    biolink: str
    properties: dict[str, PropertySpec]

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required properties (label-specific ones, not provenance)."""
        return tuple(n for n, p in self.properties.items() if p.required)


@dataclass(frozen=True)
class RelType:
    """A relationship type with its allowed (source label, target label) pairs."""

    type: str
    description: str
    pairs: tuple[tuple[str, str], ...]
    claim_predicate: bool = False

    def allows(self, source_label: str, target_label: str) -> bool:
        """Return True when (source_label, target_label) is a declared pair.

        Parameters
        ----------
        source_label, target_label : str
            The labels of the edge's endpoints.

        Returns
        -------
        bool
        """
        return (source_label, target_label) in self.pairs


@dataclass(frozen=True)
class Schema:
    """The whole schema: node types, relationship types, provenance and citation rules."""

    version: str
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    provenance: dict[str, PropertySpec]
    citation_properties: dict[str, PropertySpec]
    citation_required: dict[str, tuple[str, ...]]
    cited_labels: tuple[str, ...]
    edge_qualifiers: dict[str, PropertySpec]
    semantics: ClaimSemantics

    @property
    def labels(self) -> tuple[str, ...]:
        """All node labels, sorted."""
        return tuple(sorted(self.nodes))

    @property
    def rel_types(self) -> tuple[str, ...]:
        """All relationship types, sorted."""
        return tuple(sorted(self.relationships))

    @property
    def claim_predicates(self) -> tuple[str, ...]:
        """Relationship types a Claim's predicate may take, sorted."""
        return tuple(sorted(t for t, r in self.relationships.items() if r.claim_predicate))

    def node_properties(self, label: str) -> dict[str, PropertySpec]:
        """Return every property a node of `label` may carry (own, provenance, citation).

        Parameters
        ----------
        label : str
            A node label of the schema.

        Returns
        -------
        dict of str to PropertySpec
            Provenance, citation and the label's own properties (own ones win a clash).

        Raises
        ------
        KeyError
            `label` is not in the schema.
        """
        return {**self.provenance, **self.citation_properties, **self.nodes[label].properties}

    def edge_properties(self) -> dict[str, PropertySpec]:
        """Return the properties an edge may carry besides free qualifiers."""
        return {**self.provenance, **self.citation_properties, **self.edge_qualifiers}

    def validate_node(self, node_id: str, label: str, props: dict[str, Any]) -> list[str]:
        """Check one node against the schema.

        Parameters
        ----------
        node_id : str
            The node's id.
        label : str
            Its label.
        props : dict
            Its properties.

        Returns
        -------
        list of str
            Problems in words; empty when the node is valid.
        """
        if label not in self.nodes:
            return [f"unknown node label {label!r} (known: {', '.join(self.labels)})"]
        nt = self.nodes[label]
        problems: list[str] = []
        prefix = node_id.split(":", 1)[0] if ":" in node_id else node_id.split("-", 1)[0]
        if not any(node_id.startswith(p) for p in nt.id_prefixes):
            problems.append(
                f"id {node_id!r} of a {label} has prefix {prefix!r}; "
                f"expected one of {', '.join(nt.id_prefixes)}"
            )
        specs = self.node_properties(label)
        required_prov = [n for n, p in self.provenance.items() if p.required]
        for name in (*required_prov, *nt.required):
            if props.get(name) in (None, "", []):
                problems.append(f"{label} {node_id!r} lacks required property {name!r}")
        if label in self.cited_labels:
            problems.extend(self._citation_problems(f"{label} {node_id!r}", props))
        for name, value in props.items():
            if value is None:
                continue
            spec = specs.get(name)
            if spec is None:
                problems.append(f"{label} {node_id!r} has undeclared property {name!r}")
            elif not spec.accepts(value):
                problems.append(
                    f"{label} {node_id!r} property {name!r} should be {spec.type}, "
                    f"got {type(value).__name__} {value!r}"
                )
        return problems

    def validate_edge(
        self, rel_type: str, source_label: str, target_label: str, props: dict[str, Any]
    ) -> list[str]:
        """Check one edge: known type, allowed pair, provenance and citation present.

        Parameters
        ----------
        rel_type : str
            The relationship type.
        source_label, target_label : str
            The labels of its endpoints.
        props : dict
            Its properties.

        Returns
        -------
        list of str
            Problems in words; empty when the edge is valid.
        """
        if rel_type not in self.relationships:
            return [
                f"unknown relationship type {rel_type!r} (known: {', '.join(self.rel_types)})"
            ]
        rt = self.relationships[rel_type]
        problems: list[str] = []
        if not rt.allows(source_label, target_label):
            allowed = ", ".join(f"({s})-[:{rel_type}]->({t})" for s, t in rt.pairs)
            problems.append(
                f"({source_label})-[:{rel_type}]->({target_label}) is not allowed; "
                f"allowed: {allowed}"
            )
        for name in (n for n, p in self.provenance.items() if p.required):
            if props.get(name) in (None, ""):
                problems.append(f"{rel_type} edge lacks required property {name!r}")
        specs = self.edge_properties()
        for name, value in props.items():
            spec = specs.get(name)
            if spec is None:
                problems.append(f"{rel_type} edge has undeclared property {name!r}")
            elif value is not None and not spec.accepts(value):
                problems.append(f"{rel_type} edge property {name!r} should be {spec.type}")
        problems.extend(self._citation_problems(f"{rel_type} edge", props))
        return problems

    def _citation_problems(self, what: str, props: dict[str, Any]) -> list[str]:
        source = props.get("source")
        required = self.citation_required.get(str(source))
        if required is None:
            return [f"{what} has source {source!r}, which has no citation rule in the schema"]
        return [
            f"{what} lacks citation property {name!r} (source {source!r} requires "
            f"{', '.join(required)})"
            for name in required
            if props.get(name) in (None, "")
        ]


def _props(raw: dict[str, Any] | None, where: str) -> dict[str, PropertySpec]:
    out: dict[str, PropertySpec] = {}
    for name, spec in (raw or {}).items():
        if not isinstance(spec, dict) or spec.get("type") not in _TYPES:
            raise SchemaError(f"{where}: property {name!r} needs a type among {sorted(_TYPES)}")
        out[name] = PropertySpec(
            name=name,
            type=spec["type"],
            required=bool(spec.get("required", False)),
            description=str(spec.get("description", "")),
        )
    return out


def parse_schema(raw: dict[str, Any], *, where: str = "schema") -> Schema:
    """Build a `Schema` from the parsed YAML mapping.

    Parameters
    ----------
    raw : dict
        The mapping read from ``schema.yaml``.
    where : str, optional
        Name used in error messages.

    Returns
    -------
    Schema

    Raises
    ------
    SchemaError
        A property without a valid type, or a relationship pair naming an unknown label.
    """
    nodes = {
        label: NodeType(
            label=label,
            description=str(spec.get("description", "")),
            id_prefixes=tuple(spec.get("id_prefixes", ())),
            biolink=str(spec.get("biolink", "")),
            properties=_props(spec.get("properties"), f"{where}: nodes.{label}"),
        )
        for label, spec in raw["nodes"].items()
    }
    rels: dict[str, RelType] = {}
    for rtype, spec in raw["relationships"].items():
        pairs = tuple((str(s), str(t)) for s, t in spec["pairs"])
        for s, t in pairs:
            if s not in nodes or t not in nodes:
                raise SchemaError(
                    f"{where}: relationship {rtype} names unknown label in ({s}, {t})")
        rels[rtype] = RelType(
            type=rtype,
            description=str(spec.get("description", "")),
            pairs=pairs,
            claim_predicate=bool(spec.get("claim_predicate", False)),
        )
    citation = raw["citation"]
    return Schema(
        version=str(raw["version"]),
        nodes=nodes,
        relationships=rels,
        provenance=_props(raw["provenance"]["properties"], f"{where}: provenance"),
        citation_properties=_props(citation["properties"], f"{where}: citation"),
        citation_required={
            k: tuple(v["required"]) for k, v in citation.items() if isinstance(v, dict)
            and "required" in v
        },
        cited_labels=tuple(citation.get("cited_labels", ())),
        edge_qualifiers=_props(raw.get("edge_qualifiers"), f"{where}: edge_qualifiers"),
        semantics=parse_semantics(raw.get("claim_semantics") or {},
                                  tuple(t for t, r in rels.items() if r.claim_predicate),
                                  where=where),
    )


@functools.cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """Load and cache the schema.

    Parameters
    ----------
    path : pathlib.Path, optional
        Schema file; defaults to ``kg/schema/schema.yaml``.

    Returns
    -------
    Schema

    Raises
    ------
    SchemaError
        The file is missing or inconsistent.

    Examples
    --------
    >>> schema = load_schema()
    >>> "Claim" in schema.labels and "CONFERS_RESISTANCE_TO" in schema.claim_predicates
    True
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: cannot read schema: {exc}") from exc
    return parse_schema(raw, where=str(path))


def schema_markdown(schema: Schema | None = None) -> str:
    """Render the schema as a Markdown reference (node labels, properties, relationships).

    Parameters
    ----------
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.

    Returns
    -------
    str
        Markdown text, deterministic (sorted).
    """
    schema = schema or load_schema()
    lines = [f"# Graph schema (version {schema.version})", "",
             "Generated from `kg/schema/schema.yaml` by `python -m kg schema`.", "",
             "## Node labels", ""]
    for label in schema.labels:
        nt = schema.nodes[label]
        lines += [f"### {label}", "", nt.description, "",
                  f"Id prefixes: {', '.join(f'`{p}`' for p in nt.id_prefixes)}; "
                  f"Biolink: `{nt.biolink}`", "",
                  "| property | type | required | description |", "|---|---|---|---|"]
        for name, p in nt.properties.items():
            lines.append(f"| {name} | {p.type} | {'yes' if p.required else ''} | {p.description} |")
        lines.append("")
    lines += ["## Relationship types", "", "| type | pairs | claim predicate | description |",
              "|---|---|---|---|"]
    for rtype in schema.rel_types:
        rt = schema.relationships[rtype]
        pairs = "; ".join(f"{s}→{t}" for s, t in rt.pairs)
        lines.append(f"| {rtype} | {pairs} | {'yes' if rt.claim_predicate else ''} "
                     f"| {rt.description} |")
    lines += ["", "## Provenance and citation", "",
              "Every node and edge carries: " + ", ".join(f"`{n}`" for n in schema.provenance)
              + ".", ""]
    for source, req in sorted(schema.citation_required.items()):
        lines.append(f"- source `{source}`: every edge (and every {', '.join(schema.cited_labels)}"
                     f" node) requires {', '.join(f'`{r}`' for r in req)}")
    return "\n".join(lines) + "\n"


#: Directions a curated claim may take (those that take a side), from ``claim_semantics``.
CLAIM_DIRECTIONS = tuple(d for d, f in load_schema().semantics.direction_factor.items() if f)
#: Evidence levels, strongest first, from ``claim_semantics``.
EVIDENCE_LEVELS = load_schema().semantics.level_order
