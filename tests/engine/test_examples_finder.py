"""examples_finder.py: example answers for every rule, found and confirmed by the engine."""

from __future__ import annotations

import pytest

from advisor.engine import FIELDS_BY_NAME, Engine, default_engine, defaults
from advisor.engine.examples_finder import (
    BASE,
    MAX_EXAMPLES,
    all_examples,
    engine_for,
    examples_for,
    find_examples,
    safety_nets,
    without_examples,
)

RULES = default_engine().catalog.rules


def test_every_rule_in_the_catalog_has_at_least_one_example():
    assert without_examples() == ()
    assert set(all_examples()) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_example_really_fires_its_rule_when_the_engine_runs_it_again(rule):
    for scenario in examples_for(rule.id):
        result = engine_for(scenario).recommend(scenario.answers, explore=False)
        assert rule.id in result["fired_rules"], scenario.description
        assert result["decisions"][rule.concern]["choice"] == scenario.choices[rule.concern]


def test_a_rule_keeps_at_most_three_examples_with_the_fewest_changes_first():
    for found in all_examples().values():
        assert 1 <= len(found) <= MAX_EXAMPLES
        sizes = [len(scenario.changes) for scenario in found]
        assert sizes == sorted(sizes)


def test_a_rule_that_one_answer_triggers_gets_one_change_examples():
    (first, *_) = examples_for("connections.serverless-functions")
    assert first.changes == (("client_type", "serverless_functions"),)
    assert first.description == "PostgreSQL; clients: serverless functions"
    assert first.answers == {"engine": "postgresql", "client_type": "serverless_functions"}


def test_a_rule_that_always_fires_is_shown_with_the_defaults():
    (first, *_) = examples_for("authentication.checklist.network")
    assert first.changes == ()
    assert first.answers == BASE
    assert first.description == "PostgreSQL"


def test_a_rule_needing_several_answers_gets_them_all():
    (first, *_) = examples_for("availability.risk.single-az-loses-recent-writes")
    names = {name for name, _ in first.changes}
    assert {"rto", "rpo"} <= names
    assert first.choices["availability"] == "single_az"


def test_examples_change_only_questions_the_wizard_would_ask():
    for found in all_examples().values():
        for scenario in found:
            answers = {**defaults(), **scenario.answers}
            for name, _ in scenario.changes:
                assert FIELDS_BY_NAME[name].applies(answers), scenario.description


def test_examples_list_only_answers_that_differ_from_the_defaults():
    start = {**defaults(), **BASE}
    for found in all_examples().values():
        for scenario in found:
            for name, value in scenario.changes:
                shown = list(value) if isinstance(value, tuple) else value
                assert shown != start[name], scenario.description


def test_safety_net_rules_fire_only_with_a_team_rule_that_says_so():
    nets = safety_nets()
    # The built-in preferences never leave these gaps; a team's own rule pack can.
    assert set(nets) <= {
        "disaster_recovery.risk.no-strategy-available",
        "authentication.risk.iam-rate",
    }
    for rule_id in nets:
        for scenario in examples_for(rule_id):
            assert scenario.team_rules
            assert "a team rule excludes" in scenario.description
            alone = default_engine().recommend(scenario.answers, explore=False)
            assert rule_id not in alone["fired_rules"]


def test_team_rules_are_used_only_for_rules_the_built_in_catalog_never_fires():
    for rule_id, found in all_examples().items():
        if any(scenario.team_rules for scenario in found):
            assert rule_id in safety_nets()


def test_the_search_runs_once_per_process():
    assert all_examples() is all_examples()


def test_a_fresh_search_of_the_whole_catalog_finds_an_example_for_every_rule():
    # How long the search takes is a benchmark's business, not a test's.
    found = find_examples(Engine.load())
    assert all(found.values())


def test_an_unknown_rule_has_no_examples():
    with pytest.raises(KeyError):
        examples_for("no.such-rule")
