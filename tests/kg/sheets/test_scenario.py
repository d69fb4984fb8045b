"""kg.sheets.scenario: every field checked, every problem naming its field."""

from __future__ import annotations

import argparse

import pytest

from kg.cli import build_parser
from kg.sheets import Scenario, ScenarioError
from kg.sheets.cli import scenario_from_args

GOOD = {"drug": "alectinib", "prior": ["crizotinib"], "progression": "extracranial",
        "pattern": "oligoprogression", "lesions": "3", "alterations": ["G1202R", " "],
        "sample": "tissue", "as_of": "2024-01-31"}


def test_a_good_scenario_round_trips():
    sc = Scenario.parse(GOOD)
    assert (sc.drug, sc.prior, sc.lesions, sc.alterations) == (
        "alectinib", ("crizotinib",), 3, ("G1202R",))
    assert sc.extracranial and not sc.intracranial
    assert str(sc.as_of_date) == "2024-01-31"
    assert Scenario.parse(sc.to_dict()) == sc


def test_the_cli_arguments_rebuild_the_scenario():
    sc = Scenario.parse(GOOD)
    args = build_parser().parse_args(["prep", *sc.cli_args()])
    assert isinstance(args, argparse.Namespace)
    assert Scenario.parse(scenario_from_args(args)) == sc


def test_alterations_from_a_text_box_one_per_line():
    sc = Scenario.parse({**GOOD, "alterations": "G1202R\n\nMET amplification\nG1202R\n"})
    assert sc.alterations == ("G1202R", "MET amplification")


@pytest.mark.parametrize("change, field, words", [
    ({"drug": ""}, "drug", "required"),
    ({"progression": "brain"}, "progression", "not 'brain'"),
    ({"progression": None}, "progression", "required"),
    ({"pattern": "mixed"}, "pattern", "oligoprogression or systemic"),
    ({"lesions": None}, "lesions", "required with pattern oligoprogression"),
    ({"lesions": "0"}, "lesions", "from 1 to 99"),
    ({"lesions": "many"}, "lesions", "not 'many'"),
    ({"pattern": "systemic"}, "lesions", "goes with pattern oligoprogression"),
    ({"sample": "urine"}, "sample", "tissue or plasma"),
    ({"as_of": "2020-13-01"}, "as_of", "YYYY-MM-DD"),
    ({"prior": ["Alectinib"]}, "prior", "also the current drug"),
    ({"alterations": ["x" * 101]}, "alterations", "longer than 100"),
    ({"colour": "blue"}, "colour", "not a scenario field"),
])
def test_each_bad_field_is_named(change, field, words):
    with pytest.raises(ScenarioError) as err:
        Scenario.parse({**GOOD, **change})
    [problem] = [p for p in err.value.problems if p.startswith(f"{field}:")]
    assert words in problem, problem


def test_every_problem_is_reported_at_once():
    with pytest.raises(ScenarioError) as err:
        Scenario.parse({"progression": "x", "pattern": "y", "sample": "z"})
    assert [p.split(":")[0] for p in err.value.problems] == [
        "drug", "progression", "pattern", "sample"]
