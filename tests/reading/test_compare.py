"""advisor.reading.compare: the differences between recommendations, as pure data."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest

from advisor.engine import CONCERNS, recommend
from advisor.reading.compare import compare, diff

BASE = {"engine": "postgresql", "monthly_budget_usd": 5000}


@pytest.fixture(scope="module")
def base():
    return recommend(BASE, explore=False)


@pytest.fixture(scope="module")
def faster(base):
    return recommend({**BASE, "rto": "seconds"}, explore=False)


def test_the_module_imports_nothing_from_django():
    code = (
        "import sys, advisor.reading.compare; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_recommendation_compared_with_itself_has_no_differences(base):
    comparison = compare(base, base)
    assert comparison.identical
    assert comparison.differing_answers == ()
    assert comparison.differing_decisions == ()
    assert not comparison.cost_differs
    assert len(comparison.decisions) == len(CONCERNS)


def test_differing_answers_carry_the_question_and_values_in_words(base, faster):
    (row,) = diff(base, faster).answers
    assert row.name == "rto"
    assert row.label == "Recovery time after a database failure (RTO)"
    assert row.values == (
        "Minutes: automatic failover in 1-2 minutes",
        "Seconds: failover well under a minute",
    )


def test_a_faster_recovery_time_changes_the_platform_and_says_so(base, faster):
    changes = diff(base, faster)
    platform = next(row for row in changes.decisions if row.concern == "platform")
    assert platform.choice_differs
    assert [cell.label for cell in platform.cells] == [
        "Amazon RDS",
        "Amazon Aurora (provisioned)",
    ]
    assert "Platform" in changes.summary
    assert all(not row.differs for row in changes.unchanged)


def test_a_change_of_an_extra_alone_is_a_difference(base):
    bigger = recommend({**BASE, "data_size_gb": 5000}, explore=False)
    changes = diff(base, bigger)
    storage = next(row for row in changes.decisions if row.concern == "storage")
    assert not storage.choice_differs
    assert storage.extras_differ
    label, values = storage.extra_changes[0]
    assert label == "Storage autoscaling ceiling"
    assert values[0] != values[1]


def test_risks_added_and_removed_are_named_by_id(base):
    unencrypted = recommend({**BASE, "existing_database": "rds_unencrypted"}, explore=False)
    forward = diff(base, unencrypted)
    backward = diff(unencrypted, base)
    assert forward.risks_added
    assert {r.id for r in forward.risks_added} == {r.id for r in backward.risks_removed}
    assert not forward.risks_removed or {r.id for r in forward.risks_removed} == {
        r.id for r in backward.risks_added
    }


def test_the_cost_delta_is_signed_and_measured_against_the_first(base, faster):
    changes = diff(base, faster)
    assert changes.cost_changed
    assert changes.cost_after.delta_low == pytest.approx(
        faster["cost"]["monthly_usd"]["low"] - base["cost"]["monthly_usd"]["low"]
    )
    assert changes.cost_after.delta.startswith("+$")
    assert diff(faster, base).cost_after.delta.startswith("\N{MINUS SIGN}$")
    assert changes.cost_before.delta == "\N{PLUS-MINUS SIGN}$0"


def test_four_recommendations_line_up_with_a_marker_for_each_cell_that_differs_from_the_first(
    base, faster
):
    cheap = recommend({**BASE, "cost_priority": "lowest_cost"}, explore=False)
    comparison = compare(base, faster, cheap, base)
    assert comparison.count == 4
    platform = next(row for row in comparison.decisions if row.concern == "platform")
    # Lowest cost sizes for half the hot data: a smaller class, so the platform cell differs too.
    assert [differs for _, differs in platform.items] == [False, True, True, False]
    assert all(len(row.values) == 4 for row in comparison.answers)
    assert comparison.costs[0].changed is False


def test_the_rules_that_started_and_stopped_firing_are_found_per_concern(base, faster):
    changes = diff(base, faster, {"platform.rds-by-default": "RDS unless something needs more."})
    started = {(c.concern, c.rule) for c in changes.rules_started}
    stopped = {(c.concern, c.rule) for c in changes.rules_stopped}
    assert started
    assert not started & stopped
    assert all(not c.rule.startswith("engine.") for c in changes.rules_started)
    fired_then = {step["rule"] for step in base["decisions"]["platform"]["trace"]}
    assert all(rule in fired_then for concern, rule in stopped if concern == "platform")


def test_facts_cited_now_and_not_then_are_listed(base):
    old = copy.deepcopy(base)
    for decision in old["decisions"].values():
        decision["rationale"] = []
    old["risks"] = []
    old["decisions"]["platform"]["rationale"] = [
        {"rule": "platform.retired", "text": "Old words.", "facts": ["retired.fact"]}
    ]
    changes = diff(old, base)
    assert "retired.fact" in changes.facts_removed
    assert changes.facts_added
    stopped = {c.rule: c.text for c in changes.rules_stopped}
    assert stopped["platform.retired"] == "Old words."


def test_a_snapshot_missing_keys_compares_without_error(base):
    sparse = {"answers": {"engine": "mysql"}, "decisions": {"platform": {"choice": "rds"}}}
    changes = diff(sparse, base)
    assert changes.decisions
    availability = next(row for row in changes.decisions if row.concern == "availability")
    assert availability.cells[0] is None
    assert changes.cost_before.range == "$0"
