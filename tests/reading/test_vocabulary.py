"""advisor.reading.vocabulary: the words every page and export uses for a recommendation."""

from __future__ import annotations

from advisor.reading import Money, read
from advisor.reading.vocabulary import (
    answer_value,
    budget_verdict,
    extra_value,
    extras,
    signed_usd,
    usd,
    usd_estimate,
    usd_range,
)


def test_money_in_whole_dollars():
    assert usd(1234.5) == "$1,234"
    assert usd("nothing") == "\N{EM DASH}"
    assert usd_range(716.2, 723.4) == "$716\N{EN DASH}$723"
    assert usd_range(10.2, 10.4) == "$10"
    assert usd_estimate(Money(388, 395, 392)) == "$392 ($388\N{EN DASH}$395)"
    assert usd_estimate(Money(388, 395)) == "$388\N{EN DASH}$395"  # stored before estimates
    assert signed_usd(1234.4) == "+$1,234"
    assert signed_usd(-45.6) == "\N{MINUS SIGN}$46"
    assert signed_usd(0.2) == "\N{PLUS-MINUS SIGN}$0"


def test_the_budget_verdict_weighs_the_expected_figure_and_the_top_of_the_range():
    assert budget_verdict(Money(90, 110, 95), None) == ("neutral", "No fixed budget")
    assert budget_verdict(Money(90, 100, 95), 100) == ("good", "Within the $100 budget")
    assert budget_verdict(Money(90, 110, 95), 100) == ("warn", "May exceed the $100 budget")
    assert budget_verdict(Money(90, 110, 105), 100) == ("bad", "Over the $100 budget")
    assert budget_verdict(Money(105, 110), 100) == ("bad", "Over the $100 budget")


def test_answers_read_as_the_answers_definition_words_them():
    assert answer_value("monthly_budget_usd", None) == "No fixed budget"
    assert answer_value("monthly_budget_usd", 5000) == "$5,000"
    assert answer_value("instance_class", None) == "Sized by Archwise"
    assert answer_value("working_set_gb", None) == "Left to the estimate"
    assert answer_value("tls_required", False) == "No"
    assert answer_value("cache_uses", []) == "None"
    assert answer_value("data_size_gb", 65537) == "65,537"
    assert answer_value("engine", "postgresql") == "PostgreSQL"
    assert answer_value("a_future_question", ["a", "b"]) == "a, b"


def test_a_decisions_values_are_labelled_for_what_they_are():
    snapshot = read(
        {
            "decisions": {
                "storage": {"choice": "fixed", "max_allocated_gb": 2339},
                "read_scaling": {"choice": "none", "count": 0},
                "audit": {"choice": "cloudwatch_logs", "destination": "cloudwatch_logs"},
                "backups": {"choice": "automated", "retention_days": 1},
            }
        }
    )
    assert extras(snapshot.decision("storage")) == (
        ("Allocated storage, with headroom", "2,339 GiB"),
    )
    assert extras(snapshot.decision("read_scaling")) == ()
    # "Audit logs to CloudWatch Logs": the choice's label already says where the log goes.
    assert extras(snapshot.decision("audit")) == ()
    assert extra_value("destination", "s3") == "An S3 bucket"
    assert extras(snapshot.decision("backups")) == (("Backup retention", "1 day"),)
