"""Claim semantics: what a claim's predicate, direction and evidence level mean.

Declared once, in the ``claim_semantics`` section of ``schema.yaml``, and read here. Three
places used to decide this on their own (the CIViC mapping, conflict detection and the
resistance matrix); all three now call `ClaimSemantics`.

The rule in one line: a claim on the drug-response axis takes a *side* (``sensitive`` or
``resistant``) = its predicate's polarity, flipped when its direction is
``does_not_support``; two claims on the same key conflict exactly when both take a side, the
sides differ and at least one of them supports its predicate (two negations assert nothing
positive). A matrix cell is ``conflicting`` exactly when a pair of its claims conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import SchemaError

__all__ = ["ClaimSemantics", "parse_semantics", "SIDES"]

SIDES = ("sensitive", "resistant")


@dataclass(frozen=True)
class ClaimSemantics:
    """The claim semantics declared in ``schema.yaml``.

    Attributes
    ----------
    direction_factor : dict of str to int
        ``supports`` 1, ``does_not_support`` -1, ``not_applicable`` 0.
    polarity : dict of str to str
        Predicate -> the side it puts its subject on when supported.
    civic_predicates : dict of (str, str) to str
        CIViC (evidence type, significance) -> predicate.
    levels : dict of str to str
        Evidence level -> its meaning, strongest first.
    level_short : dict of str to str
        Evidence level -> a word or two for the screen (``validated``, ``expert opinion``).
    conflict_kinds : dict of str to str
        Conflict kind -> its meaning.
    conflict_rule : str
        The rule in words.
    preclinical_levels : frozenset of str
        Levels with no patient data behind them (``preclinical: true``: D, E).
    """

    direction_factor: dict[str, int]
    polarity: dict[str, str]
    civic_predicates: dict[tuple[str, str], str]
    levels: dict[str, str]
    level_short: dict[str, str]
    conflict_kinds: dict[str, str]
    conflict_rule: str
    conflict_key: str
    cell_states: tuple[str, ...]
    preclinical_levels: frozenset[str] = frozenset()

    @property
    def directions(self) -> tuple[str, ...]:
        """Every declared direction, in declaration order."""
        return tuple(self.direction_factor)

    @property
    def level_order(self) -> tuple[str, ...]:
        """Evidence levels, strongest first."""
        return tuple(self.levels)

    def level_rank(self, level: str | None) -> int:
        """Return the rank of an evidence level (0 = strongest; unknown or None last).

        Parameters
        ----------
        level : str or None
            An evidence level (e.g. ``A``), or None.

        Returns
        -------
        int
            Its index in `level_order`; ``len(level_order)`` when unknown or None.
        """
        order = self.level_order
        return order.index(level) if level in order else len(order)

    def side(self, predicate: str, direction: str) -> str | None:
        """Return the side a claim takes: ``'sensitive'``, ``'resistant'`` or None.

        Parameters
        ----------
        predicate : str
            The claim's predicate.
        direction : str
            ``supports``, ``does_not_support`` or ``not_applicable``.

        Returns
        -------
        str or None
            None when the predicate has no polarity or the direction takes no side.

        Examples
        --------
        >>> from kg.schema import load_schema
        >>> sem = load_schema().semantics
        >>> sem.side("CONFERS_RESISTANCE_TO", "does_not_support")
        'sensitive'
        >>> sem.side("CONFERS_RESISTANCE_TO", "not_applicable") is None
        True
        """
        pole = self.polarity.get(predicate)
        factor = self.direction_factor.get(direction, 0)
        if pole is None or factor == 0:
            return None
        return pole if factor > 0 else _other(pole)

    def conflict_kind(self, a: tuple[str, str, str], b: tuple[str, str, str]) -> str | None:
        """Return the kind of conflict between two claims on one key, or None.

        Parameters
        ----------
        a, b : tuple of (predicate, direction, source)
            The two claims.

        Returns
        -------
        str or None
            A key of `conflict_kinds`, or None when they do not conflict.

        Examples
        --------
        >>> from kg.schema import load_schema
        >>> sem = load_schema().semantics
        >>> R, S = "CONFERS_RESISTANCE_TO", "CONFERS_SENSITIVITY_TO"
        >>> sem.conflict_kind((R, "supports", "curated"), (S, "supports", "curated"))
        'sensitivity_vs_resistance'
        >>> sem.conflict_kind((R, "supports", "curated"), (S, "does_not_support", "curated"))
        """
        side_a, side_b = self.side(a[0], a[1]), self.side(b[0], b[1])
        if side_a is None or side_b is None or side_a == side_b:
            return None
        if self.direction_factor[a[1]] < 0 and self.direction_factor[b[1]] < 0:
            return None
        if {a[2], b[2]} == {"civic", "curated"}:
            return "civic_vs_curated"
        if a[0] == b[0]:
            return "supports_vs_does_not_support"
        return "sensitivity_vs_resistance"

    def cell_state(self, claims: Sequence[tuple[str, str, str]]) -> str:
        """Return the state of a matrix cell from its claims.

        Parameters
        ----------
        claims : sequence of (predicate, direction, source)
            The claims on one (variant, drug) cell.

        Returns
        -------
        str
            ``conflicting`` when any pair conflicts (`conflict_kind`); ``resistant`` or
            ``sensitive`` when every claim with a side takes that side; else
            ``inconclusive``.

        Examples
        --------
        >>> from kg.schema import load_schema
        >>> sem = load_schema().semantics
        >>> R, S = "CONFERS_RESISTANCE_TO", "CONFERS_SENSITIVITY_TO"
        >>> sem.cell_state([(R, "supports", "civic"), (S, "does_not_support", "civic")])
        'resistant'
        >>> sem.cell_state([(R, "does_not_support", "civic"), (S, "does_not_support", "civic")])
        'inconclusive'
        """
        for i, a in enumerate(claims):
            for b in claims[i + 1:]:
                if self.conflict_kind(a, b) is not None:
                    return "conflicting"
        sides = {self.side(p, d) for p, d, _ in claims} - {None}
        return sides.pop() if len(sides) == 1 else "inconclusive"

    def civic_predicate(self, evidence_type: str, significance: str) -> str | None:
        """Return the predicate a CIViC (evidence type, significance) maps onto, or None.

        Parameters
        ----------
        evidence_type, significance : str
            CIViC's columns, e.g. ``Predictive``, ``Resistance``.

        Returns
        -------
        str or None
        """
        return self.civic_predicates.get((evidence_type, significance))


def _other(side: str) -> str:
    return SIDES[1] if side == SIDES[0] else SIDES[0]


def parse_semantics(raw: dict[str, Any], predicates: tuple[str, ...], *,
                    where: str = "schema") -> ClaimSemantics:
    """Build `ClaimSemantics` from the ``claim_semantics`` mapping.

    Parameters
    ----------
    raw : dict
        The ``claim_semantics`` mapping of ``schema.yaml``.
    predicates : tuple of str
        The schema's claim predicates; every polarity must name one.
    where : str, optional
        Name used in error messages.

    Returns
    -------
    ClaimSemantics

    Raises
    ------
    SchemaError
        A polarity on an unknown predicate, an unknown side, or a missing section.
    """
    try:
        dirs = {str(k): int(v["factor"]) for k, v in raw["directions"].items()}
        polarity, civic = {}, {}
        for pred, spec in raw["polarities"].items():
            if pred not in predicates:
                raise SchemaError(f"{where}: claim_semantics.polarities names {pred}, "
                                  "which is not a claim predicate")
            if spec["side"] not in SIDES:
                raise SchemaError(f"{where}: claim_semantics.polarities.{pred}.side must be "
                                  f"one of {SIDES}, not {spec['side']!r}")
            polarity[str(pred)] = str(spec["side"])
            if spec.get("civic"):
                etype, sig = spec["civic"]
                civic[(str(etype), str(sig))] = str(pred)
        conflict = raw["conflict"]
        return ClaimSemantics(
            direction_factor=dirs, polarity=polarity, civic_predicates=civic,
            levels={str(k): str(v["meaning"]) for k, v in raw["evidence_levels"].items()},
            level_short={str(k): str(v["short"]) for k, v in raw["evidence_levels"].items()},
            conflict_kinds={str(k): str(v) for k, v in conflict["kinds"].items()},
            conflict_rule=str(conflict["rule"]), conflict_key=str(conflict["key"]),
            cell_states=tuple(str(c) for c in conflict["cell_states"]),
            preclinical_levels=frozenset(str(k) for k, v in raw["evidence_levels"].items()
                                         if v.get("preclinical")))
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemaError(f"{where}: claim_semantics is incomplete: {exc!r}") from exc
