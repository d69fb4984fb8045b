"""The pydantic models of the curated files (``data/curated/*.yaml``) and the sourcing policy.

Entity models are generated from the node properties in ``kg/schema/schema.yaml``; trials,
arms, outcomes, claims, citations and the ``not_entered`` ledger have hand-written models
whose vocabularies (claim predicates, directions, evidence levels, source kinds, analyses) are
read from the schema. The sourcing policy (``sourcing`` in the schema, documented in
``data/curated/README.md``) is enforced here: every figure names the kind of text it was read
in, the URL or identifier of that text and the verbatim sentence, its analysis and its data
cut-off; news and press releases are refused by kind and by URL.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    create_model,
    field_validator,
    model_validator,
)

from ingest.common import parse_figure, parse_percent
from kg.schema import CLAIM_DIRECTIONS, EVIDENCE_LEVELS, SCHEMA_PATH, load_schema

__all__ = ["ENTITY_SECTIONS", "ENTITY_MODELS", "LINK_FIELDS", "SECTION_MODELS", "SOURCING",
           "Cite", "Link", "ArmEntry", "OutcomeEntry", "TrialEntry", "ClaimEntry",
           "CitationEntry", "NotEnteredEntry", "check_source_url", "FIGURE_SOURCE_FIELDS"]

# Section name in the YAML files -> node label in the schema.
ENTITY_SECTIONS: dict[str, str] = {
    "genes": "Gene",
    "diseases": "Disease",
    "drugs": "Drug",
    "mechanisms": "ResistanceMechanism",
    "local_therapies": "LocalTherapy",
    "procedures": "DiagnosticProcedure",
    "variants": "Variant",
}
_SCHEMA = load_schema()
SOURCING: dict[str, Any] = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))["sourcing"]
SOURCE_KINDS: tuple[str, ...] = tuple(SOURCING["source_kinds"])
ANALYSES: tuple[str, ...] = tuple(SOURCING["analyses"])
NOT_STATED: str = SOURCING["cutoff_not_stated"]
# The fields every figure must carry; a missing one gets the policy's message.
FIGURE_SOURCE_FIELDS = ("source_kind", "source_url", "quote", "analysis", "data_cutoff")
_FORBID = ConfigDict(extra="forbid", str_strip_whitespace=True)


def check_source_kind(kind: str) -> str:
    """Return `kind` when it is a declared source kind.

    Parameters
    ----------
    kind : str
        A ``source_kind`` from a curated file.

    Returns
    -------
    str
        `kind`, unchanged.

    Raises
    ------
    ValueError
        A refused kind (news, press_release ...: the message says why) or an unknown one.
    """
    refused = SOURCING["refused_kinds"]
    if kind in refused:
        raise ValueError(f"source_kind {kind!r} is refused: {refused[kind]}")
    if kind not in SOURCE_KINDS:
        raise ValueError(f"unknown source_kind {kind!r}; known: {', '.join(SOURCE_KINDS)}")
    return kind


def check_source_url(url: str) -> str:
    """Return `url` unless it points at a news or press-release page.

    Parameters
    ----------
    url : str
        Where the quoted sentence was read: a URL, or an identifier such as ``doi:...``.

    Returns
    -------
    str
        `url`, unchanged.

    Raises
    ------
    ValueError
        The host is a known news or press host, or the URL contains 'news' or
        'press-release' (``sourcing`` in ``kg/schema/schema.yaml``).

    Examples
    --------
    >>> check_source_url("https://pubmed.ncbi.nlm.nih.gov/32418886/")
    'https://pubmed.ncbi.nlm.nih.gov/32418886/'
    >>> try:
    ...     check_source_url("https://www.example.org/news/2020/crown")
    ... except ValueError as exc:
    ...     print(str(exc)[:61])
    source_url 'https://www.example.org/news/2020/crown' contains
    """
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    for bad in SOURCING["refused_hosts"]:
        if host == bad or host.endswith("." + bad):
            raise ValueError(f"source_url {url!r} is on {bad}, a news or press host: news items "
                             "and press releases are not sources (data/curated/README.md, "
                             "Sourcing policy)")
    low = url.lower()
    for word in SOURCING["refused_url_words"]:
        if word in low:
            raise ValueError(f"source_url {url!r} contains {word!r}: news items and press "
                             "releases are not sources (data/curated/README.md, Sourcing policy)")
    return url


def _check_figure(value: str | None, *, allow_nr: bool = True) -> str | None:
    if value is None:
        return None
    parsed = parse_figure(value)
    if parsed is None and not allow_nr:
        raise ValueError(f"figure {value!r} must be a number")
    return value


class Cite(BaseModel):
    """A citation: a bib key and where in that work the fact is written."""

    model_config = _FORBID
    key: StrictStr = Field(min_length=1)
    locator: StrictStr = Field(min_length=1)


class Link(BaseModel):
    """A cited link from an entity to another node (e.g. a drug's target gene)."""

    model_config = _FORBID
    id: StrictStr
    cite: Cite


_PY_TYPES: dict[str, Any] = {
    "str": StrictStr, "int": int, "float": float, "bool": bool, "list[str]": list[StrictStr],
}
# Link fields each entity section may carry besides its schema properties.
LINK_FIELDS: dict[str, dict[str, Any]] = {
    "drugs": {"targets": (list[Link], [])},
    "mechanisms": {"genes": (list[Link], [])},
    "variants": {
        "gene": (StrictStr | None, None),
        "mechanism": (StrictStr | None, None),
        "components": (list[StrictStr], []),
        "cite": (Cite | None, None),
    },
}


def _entity_model(section: str, label: str) -> type[BaseModel]:
    fields: dict[str, Any] = {"id": (StrictStr, ...)}
    for name, spec in _SCHEMA.nodes[label].properties.items():
        typ = _PY_TYPES[spec.type]
        fields[name] = (typ, ...) if spec.required else (typ | None, None)
    fields.update(LINK_FIELDS.get(section, {}))
    model = create_model(f"{label}Entry", __config__=_FORBID, **fields)
    if section == "variants":
        def _needs_cite(self: Any) -> Any:
            if (self.gene or self.mechanism or self.components) and self.cite is None:
                raise ValueError("a variant with gene, mechanism or components needs `cite`")
            return self
        model = create_model(f"{label}EntryChecked", __base__=model,
                             __validators__={"_cite": model_validator(mode="after")(_needs_cite)})
    return model


ENTITY_MODELS = {s: _entity_model(s, label) for s, label in ENTITY_SECTIONS.items()}


class ArmEntry(BaseModel):
    """One arm of a trial; several drugs need `treatment` saying how they combine."""

    model_config = _FORBID
    id: StrictStr
    name: StrictStr
    role: Literal["experimental", "control", "single"] | None = None
    drugs: list[StrictStr] = []
    local_therapies: list[StrictStr] = []
    n: StrictStr | None = None
    regimen: StrictStr | None = None
    treatment: StrictStr | None = None
    quote: StrictStr | None = Field(default=None, min_length=3)
    cite: Cite | None = None

    @field_validator("n")
    @classmethod
    def _n_is_int(cls, v: str | None) -> str | None:
        if v is not None and not v.strip().isdigit():
            raise ValueError(f"n {v!r} must be a whole number written as text")
        return v

    @model_validator(mode="after")
    def _combination_is_worded(self) -> ArmEntry:
        if len(self.drugs) + len(self.local_therapies) > 1 and not self.treatment:
            raise ValueError(
                f"arm {self.id!r} receives {len(self.drugs) + len(self.local_therapies)} "
                "treatments: say how they combine in `treatment`, worded as the source words "
                "it (e.g. 'pemetrexed plus cisplatin or carboplatin')")
        if self.quote and not self.cite:
            raise ValueError(f"arm {self.id!r} has a quote but no `cite` saying where it is")
        return self


class _Sourced(BaseModel):
    """The sourcing policy's checks of a figure's or a claim's ``source_kind`` and
    ``source_url`` (`check_source_kind`, `check_source_url`), shared by both models."""

    @field_validator("source_kind", check_fields=False)
    @classmethod
    def _kind(cls, v: str) -> str:
        return check_source_kind(v)

    @field_validator("source_url", check_fields=False)
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return None if v is None else check_source_url(v)


class OutcomeEntry(_Sourced):
    """One published figure, with the text it was copied from and the analysis it belongs to."""

    model_config = _FORBID
    id: StrictStr
    name: StrictStr | None = None
    endpoint: StrictStr
    measure: Literal["median", "rate", "hazard_ratio", "odds_ratio", "cumulative_incidence",
                     "count", "mean"]
    population: StrictStr
    assessment: StrictStr | None = None
    arm: StrictStr | None = None
    experimental_arm: StrictStr | None = None
    comparator_arm: StrictStr | None = None
    value: StrictStr
    unit: StrictStr | None = None
    ci: tuple[StrictStr, StrictStr] | None = None
    ci_level: StrictStr | None = None
    p: StrictStr | None = None
    n: StrictStr | None = None
    timepoint: StrictStr | None = None
    analysis: StrictStr
    analysis_label: StrictStr | None = None
    data_cutoff: StrictStr
    cite: Cite
    source_kind: StrictStr
    source_url: StrictStr = Field(min_length=4)
    quote: StrictStr = Field(min_length=3)

    @field_validator("data_cutoff", mode="before")
    @classmethod
    def _cutoff_as_text(cls, v: Any) -> Any:
        # An unquoted YAML date (2018-06-30) is read as a date: keep it as ISO text.
        return v.isoformat() if isinstance(v, datetime.date) else v

    @field_validator("data_cutoff")
    @classmethod
    def _cutoff(cls, v: str) -> str:
        if v == NOT_STATED:
            return v
        try:
            datetime.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"data_cutoff {v!r} must be an ISO date (2018-06-30) or "
                             f"{NOT_STATED!r}") from None
        return v

    @field_validator("analysis")
    @classmethod
    def _analysis(cls, v: str) -> str:
        if v not in ANALYSES:
            raise ValueError(f"unknown analysis {v!r}; known: {', '.join(ANALYSES)} "
                             "(name it as the source does in analysis_label)")
        return v

    @field_validator("value")
    @classmethod
    def _value(cls, v: str) -> str:
        return _check_figure(v) or v

    @field_validator("ci")
    @classmethod
    def _ci(cls, v: tuple[str, str] | None) -> tuple[str, str] | None:
        if v is not None:
            for bound in v:
                _check_figure(bound)
        return v

    @field_validator("ci_level")
    @classmethod
    def _ci_level(cls, v: str | None) -> str | None:
        if v is not None:
            parse_percent(v)
        return v

    @field_validator("p")
    @classmethod
    def _p(cls, v: str | None) -> str | None:
        return _check_figure(v, allow_nr=False)

    @model_validator(mode="after")
    def _shape(self) -> OutcomeEntry:
        if self.ci is not None and self.ci_level is None:
            raise ValueError("a CI needs its level (ci_level: '95%')")
        comparison = self.measure in ("hazard_ratio", "odds_ratio")
        if comparison and not (self.experimental_arm and self.comparator_arm):
            raise ValueError(f"a {self.measure} needs experimental_arm and comparator_arm")
        if not comparison and not self.arm:
            raise ValueError(f"a {self.measure} figure needs `arm`")
        return self


class NotEnteredEntry(BaseModel):
    """A figure that was looked for and not entered, with the reason (the ledger in the data)."""

    model_config = _FORBID
    what: StrictStr = Field(min_length=3)
    reason: StrictStr = Field(min_length=3)
    key: StrictStr | None = None        # the bib key of the work it was looked for in


class TrialEntry(BaseModel):
    """A trial with its arms, its figures and the figures looked for and not entered."""

    model_config = _FORBID
    id: StrictStr
    name: StrictStr
    title: StrictStr | None = None
    phase: StrictStr | None = None
    design: StrictStr | None = None
    setting: StrictStr | None = None
    registry: StrictStr | None = None
    synonyms: list[StrictStr] = []
    diseases: list[StrictStr] = []
    publications: list[Cite] = Field(min_length=1)
    cite: Cite
    arms: list[ArmEntry] = Field(min_length=1)
    outcomes: list[OutcomeEntry] = []
    not_entered: list[NotEnteredEntry] = []

    @model_validator(mode="after")
    def _arms_known(self) -> TrialEntry:
        arm_ids = {a.id for a in self.arms}
        for o in self.outcomes:
            for ref in (o.arm, o.experimental_arm, o.comparator_arm):
                if ref is not None and ref not in arm_ids:
                    raise ValueError(f"outcome {o.id!r} names unknown arm {ref!r} "
                                     f"(arms: {', '.join(sorted(arm_ids))})")
        return self


class ClaimEntry(_Sourced):
    """A reified claim made by one publication, with the kind of text it was read in."""

    model_config = _FORBID
    id: StrictStr = Field(pattern=r"^claim:")
    name: StrictStr
    subject: StrictStr
    predicate: StrictStr
    object: StrictStr | None = None
    direction: Literal[CLAIM_DIRECTIONS]  # type: ignore[valid-type]
    evidence_level: Literal[EVIDENCE_LEVELS]  # type: ignore[valid-type]
    disease: StrictStr | None = None
    cite: Cite
    cites: list[StrictStr] = []
    outcomes: list[StrictStr] = []
    source_kind: StrictStr
    source_url: StrictStr | None = None
    quote: StrictStr = Field(min_length=3)
    statement: StrictStr | None = None

    @field_validator("predicate")
    @classmethod
    def _predicate(cls, v: str) -> str:
        if v not in _SCHEMA.claim_predicates:
            raise ValueError(f"unknown claim predicate {v!r}; "
                             f"known: {', '.join(_SCHEMA.claim_predicates)}")
        return v


class CitationEntry(BaseModel):
    """A link between two works (CITES, REPLIES_TO)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: StrictStr = Field(alias="from")
    to: StrictStr
    type: Literal["CITES", "REPLIES_TO"]
    locator: StrictStr = Field(min_length=1)


SECTION_MODELS: dict[str, type[BaseModel]] = {
    **ENTITY_MODELS,
    "trials": TrialEntry,
    "claims": ClaimEntry,
    "citations": CitationEntry,
}

CLAIM_SOURCE_FIELDS = ("source_kind", "quote")


def missing_field_message(field: str, section: str) -> str | None:
    """Return the sourcing policy's message for a missing source field, else None.

    Parameters
    ----------
    field : str
        The dotted field path of a pydantic "missing" error (``outcomes.2.quote``).
    section : str
        The curated file's section (``trials``, ``claims`` ...).

    Returns
    -------
    str or None
        The message naming every field a figure (or claim) needs, or None for other fields.

    Examples
    --------
    >>> missing_field_message("outcomes.2.quote", "trials")[:58]
    'outcomes.2.quote: missing; every figure needs source_kind,'
    >>> missing_field_message("name", "claims") is None
    True
    """
    name = field.rsplit(".", 1)[-1]
    if section == "trials" and field.startswith("outcomes.") and name in FIGURE_SOURCE_FIELDS:
        needs = ", ".join(FIGURE_SOURCE_FIELDS)
        what = "figure"
    elif section == "claims" and field in CLAIM_SOURCE_FIELDS:
        needs = " and ".join(CLAIM_SOURCE_FIELDS)
        what = "claim"
    else:
        return None
    return (f"{field}: missing; every {what} needs {needs} "
            "(data/curated/README.md, Sourcing policy)")
