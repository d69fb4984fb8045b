"""Adapter for the human-edited evidence files in ``data/curated/*.yaml``.

The file format and the sourcing policy are described in ``data/curated/README.md``.
Validation is declared with the pydantic models of `ingest.curated_models` (``extra="forbid"``):
entity models are generated from the node properties in ``kg/schema/schema.yaml``; trials,
outcomes, claims and citations have hand-written models whose vocabularies (claim predicates,
directions, evidence levels, source kinds, analyses) are read from the schema. Every figure is
text as published and must parse (`ingest.common.parse_figure`), and names its source kind,
source URL, verbatim quote, analysis and data cut-off; news and press releases are refused;
every citation key must exist in the bibliography; ids must be unique across all files. All
problems are collected with ``file:line`` and raised as one `IngestError`; nothing is yielded
from an invalid directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ingest.bibtex import BibtexAdapter
from ingest.common import display_path, load_meta, parse_figure, parse_percent
from ingest.curated_models import (
    ENTITY_SECTIONS,
    LINK_FIELDS,
    SECTION_MODELS,
    Cite,
    Link,
    OutcomeEntry,
    TrialEntry,
    missing_field_message,
)
from ingest.yamlio import LineDict, line_of, load_yaml_with_lines
from kg.schema import Schema, load_schema
from kg.schema.errors import IngestError, InputProblem
from kg.schema.records import EdgeRecord, NodeRecord, edge_id

__all__ = ["CuratedAdapter", "ENTITY_SECTIONS", "Cite"]


class CuratedAdapter:
    """Validate every ``*.yaml`` in a curated directory and yield its records.

    Parameters
    ----------
    directory : pathlib.Path
        ``data/curated`` or a directory of the same shape.
    bibliography : BibtexAdapter
        The parsed ``references.bib``; citation keys resolve against it.
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.

    Raises
    ------
    IngestError
        On construction, with every problem found (file:line and what is wrong).
    """

    meta = load_meta("curated")

    def __init__(self, directory: Path, bibliography: BibtexAdapter,
                 *, schema: Schema | None = None) -> None:
        self.directory = Path(directory)
        self.bib = bibliography
        self.schema = schema or load_schema()
        self.entries: dict[str, list[tuple[BaseModel, str]]] = {s: [] for s in SECTION_MODELS}
        self._load()

    # -- parsing and validation ---------------------------------------------------------
    def _load(self) -> None:
        problems: list[InputProblem] = []
        files = sorted(self.directory.glob("*.yaml")) + sorted(self.directory.glob("*.yml"))
        if not files:
            raise IngestError(InputProblem(display_path(self.directory), None,
                                            "no curated *.yaml files"))
        seen_ids: dict[str, str] = {}
        for path in files:
            name = display_path(path)
            try:
                doc = load_yaml_with_lines(path, display=name)
            except IngestError as exc:
                problems.extend(exc.problems)
                continue
            if doc is None:
                continue
            if not isinstance(doc, LineDict):
                problems.append(InputProblem(name, 1, "top level must be a mapping of sections"))
                continue
            for section, items in doc.items():
                sec_line = doc.key_lines.get(str(section))
                model = SECTION_MODELS.get(section)
                if model is None:
                    problems.append(InputProblem(
                        name, sec_line, f"unknown section {section!r}; known: "
                        f"{', '.join(sorted(SECTION_MODELS))}"))
                    continue
                if not isinstance(items, list):
                    problems.append(InputProblem(name, sec_line, f"{section} must be a list"))
                    continue
                for i, item in enumerate(items):
                    line = getattr(item, "line", sec_line)
                    try:
                        entry = model.model_validate(item)
                    except ValidationError as exc:
                        for err in exc.errors():
                            where = line_of(doc, (section, i, *err["loc"]))
                            field = ".".join(str(p) for p in err["loc"])
                            msg = err["msg"].removeprefix("Value error, ")
                            policy = (missing_field_message(field, section)
                                      if err["type"] == "missing" else None)
                            text = policy or f"{field + ': ' if field else ''}{msg}"
                            rid = item.get("id") if isinstance(item, dict) else None
                            problems.append(InputProblem(name, where, f"{section}: {text}",
                                                         record=rid))
                        continue
                    origin = f"{name}:{line}"
                    ids = self._ids_of(section, entry)
                    for rid in ids:
                        if rid in seen_ids:
                            problems.append(InputProblem(
                                name, line, f"duplicate id {rid!r} (first defined at "
                                f"{seen_ids[rid]})", record=rid))
                        else:
                            seen_ids[rid] = origin
                    problems.extend(self._check_keys(section, entry, name, line))
                    self.entries[section].append((entry, origin))
        if problems:
            raise IngestError(problems)

    @staticmethod
    def _ids_of(section: str, entry: Any) -> list[str]:
        if section == "citations":
            return []
        if section == "trials":
            return [entry.id, *(f"{entry.id}/arm/{a.id}" for a in entry.arms),
                    *(f"{entry.id}/outcome/{o.id}" for o in entry.outcomes)]
        return [entry.id]

    def _check_keys(self, section: str, entry: Any, file: str, line: int) -> list[InputProblem]:
        keys: list[str] = []
        if section == "citations":
            keys = [entry.from_, entry.to]
        elif section == "claims":
            keys = [entry.cite.key, *entry.cites]
        elif section == "trials":
            keys = [entry.cite.key, *(c.key for c in entry.publications),
                    *(o.cite.key for o in entry.outcomes),
                    *(a.cite.key for a in entry.arms if a.cite),
                    *(x.key for x in entry.not_entered if x.key)]
        else:
            for value in entry.__dict__.values():
                if isinstance(value, Cite):
                    keys.append(value.key)
                elif isinstance(value, list):
                    keys.extend(v.cite.key for v in value if isinstance(v, Link))
        bib = display_path(self.bib.path)
        return [
            InputProblem(file, line, f"unknown citation key {k!r} (not in {bib})",
                         record=getattr(entry, "id", None))
            for k in keys if k not in self.bib.by_key
        ]

    # -- mapping to records -------------------------------------------------------------
    def _prov(self) -> dict[str, str]:
        return self.meta.provenance()

    def _edge(self, source: str, rtype: str, target: str, cite: Cite, origin: str,
              *qualifiers: str, **extra: Any) -> EdgeRecord:
        props = {**self._prov(), "bib_key": cite.key, "locator": cite.locator, **extra}
        return EdgeRecord(edge_id(source, rtype, target, cite.key, *qualifiers), source, target,
                          rtype, props, origin=origin)

    def iter_nodes(self) -> Iterator[NodeRecord]:
        """Yield entity, trial, arm, outcome and claim nodes."""
        prov = self._prov()
        for section, label in ENTITY_SECTIONS.items():
            links = set(LINK_FIELDS.get(section, {}))
            for entry, origin in self.entries[section]:
                props = {k: v for k, v in entry.model_dump().items()
                         if k not in links and k != "id" and v is not None}
                yield NodeRecord(entry.id, label, {**prov, **props}, origin=origin)
        for trial, origin in self.entries["trials"]:
            yield NodeRecord(trial.id, "Trial", {**prov, **_drop_none({
                "name": trial.name, "title": trial.title, "phase": trial.phase,
                "design": trial.design, "setting": trial.setting, "registry": trial.registry,
                "registry_id": trial.id, "synonyms": trial.synonyms or None,
                "not_entered": [x.what for x in trial.not_entered] or None,
                "not_entered_reasons": [x.reason for x in trial.not_entered] or None,
            })}, origin=origin)
            for arm in trial.arms:
                yield NodeRecord(f"{trial.id}/arm/{arm.id}", "Arm", {**prov, **_drop_none({
                    "name": arm.name, "trial_id": trial.id, "role": arm.role,
                    "n": int(arm.n) if arm.n else None, "n_text": arm.n,
                    "regimen": arm.regimen, "treatment": arm.treatment, "quote": arm.quote,
                    "bib_key": arm.cite.key if arm.cite else None,
                    "locator": arm.cite.locator if arm.cite else None})}, origin=origin)
            for o in trial.outcomes:
                yield NodeRecord(f"{trial.id}/outcome/{o.id}", "Outcome",
                                 {**prov, **self._outcome_props(trial, o)}, origin=origin)
        for claim, origin in self.entries["claims"]:
            yield NodeRecord(claim.id, "Claim", {**prov, **_drop_none({
                "name": claim.name, "subject_id": claim.subject, "predicate": claim.predicate,
                "object_id": claim.object, "direction": claim.direction,
                "evidence_level": claim.evidence_level, "statement": claim.statement,
                "quote": claim.quote, "asserted_by": claim.cite.key,
                "source_kind": claim.source_kind, "source_url": claim.source_url,
                "cites_keys": claim.cites or None, "disease_id": claim.disease,
                "bib_key": claim.cite.key, "locator": claim.cite.locator})}, origin=origin)

    def _outcome_props(self, trial: TrialEntry, o: OutcomeEntry) -> dict[str, Any]:
        arm = lambda a: f"{trial.id}/arm/{a}" if a else None  # noqa: E731
        lo, hi = o.ci or (None, None)
        arm_name = next((a.name for a in trial.arms if a.id == o.arm), None)
        label = o.name or " ".join(filter(None, [
            trial.name, o.endpoint, o.measure.replace("_", " "), arm_name,
            f"({o.population})" if o.population != "ITT" else None]))
        return _drop_none({
            "name": label, "trial_id": trial.id, "endpoint": o.endpoint, "measure": o.measure,
            "population": o.population, "assessment": o.assessment, "arm_id": arm(o.arm),
            "experimental_arm_id": arm(o.experimental_arm),
            "comparator_arm_id": arm(o.comparator_arm),
            "value": parse_figure(o.value), "value_text": o.value, "unit": o.unit,
            "ci_low": parse_figure(lo) if lo else None, "ci_low_text": lo,
            "ci_high": parse_figure(hi) if hi else None, "ci_high_text": hi,
            "ci_level": parse_percent(o.ci_level) if o.ci_level else None,
            "ci_level_text": o.ci_level, "p_value_text": o.p,
            "n": int(o.n) if o.n and o.n.isdigit() else None, "n_text": o.n,
            "timepoint": o.timepoint, "data_cutoff": o.data_cutoff, "analysis": o.analysis,
            "analysis_label": o.analysis_label, "quote": o.quote,
            "source_kind": o.source_kind, "source_url": o.source_url,
            "bib_key": o.cite.key, "locator": o.cite.locator,
        })

    def iter_edges(self) -> Iterator[EdgeRecord]:
        """Yield every cited edge the curated files imply."""
        pub = self.bib.node_id
        for entry, origin in self.entries["drugs"]:
            for t in entry.targets:
                yield self._edge(entry.id, "TARGETS", t.id, t.cite, origin)
        for entry, origin in self.entries["mechanisms"]:
            for g in entry.genes:
                yield self._edge(entry.id, "INVOLVES_GENE", g.id, g.cite, origin)
        for v, origin in self.entries["variants"]:
            if v.gene:
                yield self._edge(v.id, "VARIANT_OF", v.gene, v.cite, origin)
            if v.mechanism:
                yield self._edge(v.id, "CLASSIFIED_AS", v.mechanism, v.cite, origin)
            for c in v.components:
                yield self._edge(c, "COMPONENT_OF", v.id, v.cite, origin)
        for t, origin in self.entries["trials"]:
            for c in t.publications:
                yield self._edge(t.id, "REPORTED_IN", pub(c.key), c, origin)
            for d in t.diseases:
                yield self._edge(t.id, "STUDIES", d, t.cite, origin)
            for a in t.arms:
                arm_id = f"{t.id}/arm/{a.id}"
                arm_cite = a.cite or t.cite
                yield self._edge(t.id, "HAS_ARM", arm_id, arm_cite, origin)
                for d in a.drugs:
                    yield self._edge(arm_id, "RECEIVES", d, arm_cite, origin)
                for lt in a.local_therapies:
                    yield self._edge(arm_id, "RECEIVES", lt, arm_cite, origin)
            for o in t.outcomes:
                oid = f"{t.id}/outcome/{o.id}"
                yield self._edge(t.id, "HAS_OUTCOME", oid, o.cite, origin)
                yield self._edge(oid, "REPORTED_IN", pub(o.cite.key), o.cite, origin)
                if o.arm:
                    yield self._edge(oid, "MEASURED_IN", f"{t.id}/arm/{o.arm}", o.cite, origin)
                if o.experimental_arm:
                    yield self._edge(oid, "EXPERIMENTAL_ARM", f"{t.id}/arm/{o.experimental_arm}",
                                     o.cite, origin)
                if o.comparator_arm:
                    yield self._edge(oid, "COMPARATOR_ARM", f"{t.id}/arm/{o.comparator_arm}",
                                     o.cite, origin)
        for c, origin in self.entries["claims"]:
            q = {"claim_id": c.id}
            yield self._edge(c.id, "ASSERTED_IN", pub(c.cite.key), c.cite, origin, **q)
            for key in c.cites:
                yield self._edge(c.id, "CITES_SOURCE", pub(key), c.cite, origin, key, **q)
            yield self._edge(c.id, "HAS_SUBJECT", c.subject, c.cite, origin, **q)
            if c.object:
                yield self._edge(c.id, "HAS_OBJECT", c.object, c.cite, origin, **q)
                yield self._edge(c.subject, c.predicate, c.object, c.cite, origin, c.id,
                                 claim_id=c.id, direction=c.direction,
                                 evidence_level=c.evidence_level)
            if c.disease:
                yield self._edge(c.id, "ABOUT_DISEASE", c.disease, c.cite, origin, **q)
            for oid in c.outcomes:
                yield self._edge(c.id, "SUPPORTED_BY_OUTCOME", oid, c.cite, origin, **q)
        for cit, origin in self.entries["citations"]:
            cite = Cite(key=cit.from_, locator=cit.locator)
            yield self._edge(pub(cit.from_), cit.type, pub(cit.to), cite, origin)


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
