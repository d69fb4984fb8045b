"""A tumour-board scenario: the patient's situation, checked field by field.

The fields follow the decision path the Dubey et al. 2020 letter sets out: the drug the
disease progressed on (and the ones before it), where it progressed (intracranial,
extracranial or both), whether it is oligoprogression (with a lesion count) or systemic,
the alterations found at progression (free text, normalised against the graph later) and
the sample they were found in (tissue or plasma). ``as_of`` limits the evidence to what
was published by then.

`Scenario.parse` checks every field and raises one `ScenarioError` naming each field and
what is wrong with it; nothing here reads the graph (the drug names are resolved against
it when the sheet is built, `kg.sheets.build`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kg.schema.errors import KGError
from kg.views.dates import parse_as_of

__all__ = ["PROGRESSION_SITES", "PATTERNS", "SAMPLES", "ScenarioError", "Scenario"]

PROGRESSION_SITES = ("intracranial", "extracranial", "both")
PATTERNS = ("oligoprogression", "systemic")
SAMPLES = ("tissue", "plasma")
_MAX_ALTERATIONS, _MAX_TEXT, _MAX_LESIONS = 20, 100, 99


class ScenarioError(KGError):
    """A scenario with invalid fields; each problem reads ``field: what is wrong``.

    Parameters
    ----------
    problems : list of str
        One message per problem, each starting with the field's name.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def _texts(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


@dataclass(frozen=True)
class Scenario:
    """A patient's situation as the sheet reads it (every field already checked)."""

    drug: str
    progression: str
    pattern: str
    prior: tuple[str, ...] = ()
    lesions: int | None = None
    alterations: tuple[str, ...] = ()
    sample: str = ""
    as_of: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Scenario:
        """Check a scenario's fields and return it.

        Parameters
        ----------
        data : mapping
            ``drug`` (required: the drug the disease progressed on, by name, synonym or
            id), ``prior`` (list, or comma-separated text), ``progression`` (required:
            intracranial, extracranial or both), ``pattern`` (required: oligoprogression
            or systemic), ``lesions`` (a whole number >= 1, with oligoprogression only),
            ``alterations`` (list of free text), ``sample`` (tissue, plasma or ''),
            ``as_of`` (``YYYY-MM-DD``, ``letter`` or '').

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            Every field that is missing or wrong, one message each, naming the field.

        Examples
        --------
        >>> Scenario.parse({"drug": "alectinib", "progression": "extracranial",
        ...                 "pattern": "systemic", "alterations": ["G1202R"]}).alterations
        ('G1202R',)
        >>> Scenario.parse({"drug": "", "progression": "brain", "pattern": "systemic"})
        Traceback (most recent call last):
        ...
        kg.sheets.scenario.ScenarioError: drug: required (the ALK inhibitor the disease \
progressed on); progression: expected intracranial, extracranial or both, not 'brain'
        """
        problems: list[str] = []
        unknown = sorted(set(data) - {f for f in cls.__dataclass_fields__})
        if unknown:
            problems.append(f"{unknown[0]}: not a scenario field (fields: "
                            + ", ".join(cls.__dataclass_fields__) + ")")
        drug = str(data.get("drug") or "").strip()
        if not drug:
            problems.append("drug: required (the ALK inhibitor the disease progressed on)")
        elif len(drug) > _MAX_TEXT:
            problems.append(f"drug: longer than {_MAX_TEXT} characters")
        prior = tuple(dict.fromkeys(_texts(data.get("prior"))))
        if drug and drug.lower() in (p.lower() for p in prior):
            problems.append(f"prior: {drug!r} is also the current drug")

        def choice(name: str, options: Iterable[str], *, required: bool) -> str:
            value = str(data.get(name) or "").strip().lower()
            opts = tuple(options)
            if not value:
                if required:
                    problems.append(f"{name}: required, one of {', '.join(opts)}")
                return ""
            if value not in opts:
                problems.append(f"{name}: expected {', '.join(opts[:-1])} or {opts[-1]}, "
                                f"not {data.get(name)!r}")
                return ""
            return value

        progression = choice("progression", PROGRESSION_SITES, required=True)
        pattern = choice("pattern", PATTERNS, required=True)
        sample = choice("sample", SAMPLES, required=False)
        lesions: int | None = None
        raw = data.get("lesions")
        if raw not in (None, ""):
            try:
                lesions = int(str(raw).strip())
                if not 1 <= lesions <= _MAX_LESIONS:
                    raise ValueError
            except ValueError:
                problems.append(f"lesions: expected a whole number from 1 to {_MAX_LESIONS}, "
                                f"not {raw!r}")
                lesions = None
            if lesions is not None and pattern == "systemic":
                problems.append("lesions: a lesion count goes with pattern oligoprogression, "
                                "not systemic")
        elif pattern == "oligoprogression":
            problems.append("lesions: required with pattern oligoprogression (the number of "
                            "progressing lesions, 1 or more)")
        raw_alts = data.get("alterations") or ()
        if isinstance(raw_alts, str):  # a text box: one alteration per line
            raw_alts = raw_alts.splitlines()
        alterations = tuple(dict.fromkeys(a.strip() for a in map(str, raw_alts) if a.strip()))
        if len(alterations) > _MAX_ALTERATIONS:
            problems.append(f"alterations: at most {_MAX_ALTERATIONS}, not {len(alterations)}")
        long = [a for a in alterations if len(a) > _MAX_TEXT]
        if long:
            problems.append(f"alterations: {long[0][:30]!r}... is longer than {_MAX_TEXT} "
                            "characters")
        as_of = str(data.get("as_of") or "").strip()
        try:
            parse_as_of(as_of)
        except ValueError as exc:
            problems.append(f"as_of: {exc}")
        if problems:
            raise ScenarioError(problems)
        return cls(drug=drug, progression=progression, pattern=pattern, prior=prior,
                   lesions=lesions, alterations=alterations, sample=sample,
                   as_of=as_of.lower() if as_of.lower() == "letter" else as_of)

    @property
    def as_of_date(self) -> dt.date | None:
        """The ``as_of`` date (None: all evidence in the graph)."""
        return parse_as_of(self.as_of)

    @property
    def intracranial(self) -> bool:
        """Progression in the brain (intracranial or both)."""
        return self.progression in ("intracranial", "both")

    @property
    def extracranial(self) -> bool:
        """Progression outside the brain (extracranial or both)."""
        return self.progression in ("extracranial", "both")

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as JSON-ready values (lists for tuples).

        Returns
        -------
        dict
            `parse` of it gives the same scenario back.
        """
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    def describe(self) -> str:
        """Return the scenario in one line of words, for a sheet's heading.

        Returns
        -------
        str

        Examples
        --------
        >>> Scenario("alectinib", "extracranial", "systemic", prior=("crizotinib",),
        ...          alterations=("G1202R",), sample="tissue").describe()
        'progression on alectinib (before: crizotinib); extracranial; systemic; \
alterations: G1202R; sample: tissue; evidence: all dates'
        """
        parts = [f"progression on {self.drug}"
                 + (f" (before: {', '.join(self.prior)})" if self.prior else ""),
                 self.progression,
                 f"oligoprogression ({self.lesions} lesion{'s' if self.lesions != 1 else ''})"
                 if self.pattern == "oligoprogression" else self.pattern,
                 "alterations: " + (", ".join(self.alterations) or "none given"),
                 f"sample: {self.sample or 'not given'}",
                 f"evidence: {'as of ' + str(self.as_of_date) if self.as_of else 'all dates'}"]
        return "; ".join(parts)

    def cli_args(self) -> list[str]:
        """Return the ``python -m kg prep`` arguments that rebuild this scenario.

        Returns
        -------
        list of str

        Examples
        --------
        >>> Scenario("alectinib", "both", "oligoprogression", lesions=2).cli_args()
        ['--drug', 'alectinib', '--progression', 'both', '--pattern', 'oligoprogression', \
'--lesions', '2']
        """
        args = ["--drug", self.drug]
        for p in self.prior:
            args += ["--prior", p]
        args += ["--progression", self.progression, "--pattern", self.pattern]
        if self.lesions is not None:
            args += ["--lesions", str(self.lesions)]
        for a in self.alterations:
            args += ["--alteration", a]
        if self.sample:
            args += ["--sample", self.sample]
        if self.as_of:
            args += ["--as-of", self.as_of]
        return args
