"""describe.py: every rule's condition and effect in plain English, with no raw names leaking."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from advisor.engine import CONCERNS, FIELDS, default_engine
from advisor.engine.describe import describe_condition, describe_effect, fill_placeholders

RULES = default_engine().catalog.rules
RAW_OPERATORS = re.compile(
    r"\b(eq|ne|lt|lte|gt|gte|in_|not_in|contains|contains_any|contains_none|is_empty|"
    r"is_not_empty|all|any|not|answer|derived|decision)\s*[=:(]"
)
RAW_WORDS = re.compile(r"\b(not_in|contains_any|contains_none|is_empty|is_not_empty|lte|gte)\b")
RAW_NAMES = sorted(
    {f.name for f in FIELDS if "_" in f.name}
    | {c.name for c in CONCERNS if "_" in c.name}
    | {v for f in FIELDS for v in f.values if "_" in v}
    | {v for c in CONCERNS for v in c.values if "_" in v}
)


def leaks(text: str) -> list[str]:
    found = [name for name in RAW_NAMES if name in text]
    found += RAW_WORDS.findall(text) + RAW_OPERATORS.findall(text)
    found += [mark for mark in ("{", "}", "[", "]", "True", "False", "None") if mark in text]
    return found + re.findall(r"'\w+'", text)  # a repr'd value


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_condition_in_the_catalog_reads_without_raw_names_or_operators(rule):
    text = describe_condition(rule.when)
    assert text
    assert leaks(text) == []
    assert "_" not in text


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.effect in ("exclude", "prefer", "set")], ids=lambda r: r.id
)
def test_every_choosing_or_setting_effect_reads_without_raw_names(rule):
    text = describe_effect(rule)
    assert leaks(text) == []
    assert "_" not in text


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.effect in ("risk", "checklist")], ids=lambda r: r.id
)
def test_risk_and_checklist_effects_name_their_placeholders_in_words(rule):
    text = describe_effect(rule)
    assert "{" not in text
    assert "}" not in text
    assert text.startswith(("raises a high risk", "raises a medium risk", "raises a low risk",
                            "adds a checklist step: "))  # fmt: skip


CONDITIONS = [
    (
        "storage.no-room-to-autoscale",
        "both the storage limit of one database (GiB) is 65,536 and the data size is more than "
        "59,578 GiB, or the data size is more than 238,312 GiB",
    ),
    (
        "audit.checklist.s3",
        "the audit logging decision is audit logs to CloudWatch Logs, the audit log destination "
        "is an S3 bucket, and the engine is SQL Server",
    ),
    (
        "platform.risk.burstable-in-production",
        "the budget leaves a production database only a burstable (T) class, and the platform "
        "is not Aurora Serverless v2",
    ),
    (
        "platform.risk.burstable-chosen-for-production",
        "you chose a burstable (T) class for a production database, and the platform is not "
        "Aurora Serverless v2",
    ),
    (
        "platform.rds-custom-keeps-automation",
        "you need OS access, you need features RDS restricts, or RDS does not offer the engine "
        "version you need",
    ),
    ("platform.rds-custom-storage-limit", "the data size is more than 65,536 GiB"),
    ("platform.rds-by-default", "always"),
    ("cache.not-needed", "no cache is wanted"),
    (
        "cache.rich-types",
        "a cache would hold leaderboards (sorted sets) or publish/subscribe messages",
    ),
    ("storage.growing-data-autoscales", "data growth is steady or “fast or unpredictable”"),
    (
        "encryption.checklist.replicas-match-source",
        "the read scaling decision is read replicas, and the encryption at rest decision is no "
        "encryption at rest",
    ),
    (
        "cache.checklist.encryption",
        "the cache decision is ElastiCache for Memcached or ElastiCache for Valkey (or Redis OSS)",
    ),
]


@pytest.mark.parametrize(("rule_id", "expected"), CONDITIONS)
def test_conditions_read_as_a_person_would_say_them(rule_id, expected):
    assert describe_condition(default_engine().catalog.by_id(rule_id).when) == expected


def test_nested_groups_say_all_of_and_any_of_clearly():
    when = {
        "all": [
            {"answer": "environment", "op": "eq", "value": "production"},
            {
                "any": [
                    {"answer": "rto", "op": "eq", "value": "seconds"},
                    {
                        "all": [
                            {"answer": "engine", "op": "eq", "value": "mysql"},
                            {"answer": "read_replicas", "op": "gte", "value": 3},
                        ]
                    },
                    {"not": {"answer": "iam_auth", "op": "eq", "value": True}},
                ]
            },
        ]
    }
    assert describe_condition(when) == (
        "the environment is production, and any of (the recovery time objective (RTO) is "
        "seconds; both the engine is MySQL and the number of read copies you expect is at least "
        "3; it is not true that you want IAM database authentication)"
    )


def test_two_alternatives_nested_in_a_group_read_as_either_or():
    when = {
        "all": [
            {"answer": "cross_region_reads", "op": "eq", "value": True},
            {
                "any": [
                    {"answer": "engine", "op": "eq", "value": "db2"},
                    {"decision": "platform", "op": "eq", "value": "rds_custom"},
                ]
            },
        ]
    }
    assert describe_condition(when) == (
        "users in another Region need low-latency reads, and either the engine is IBM Db2 or "
        "the platform is Amazon RDS Custom"
    )


def test_derived_values_and_budgets_read_in_words():
    assert describe_condition({"derived": "budget_ratio", "op": "lt", "value": 1.5}) == (
        "the monthly budget is less than 1.5 times the cost of one right-sized RDS instance"
    )
    assert describe_condition({"answer": "monthly_budget_usd", "op": "lte", "value": 500}) == (
        "the monthly budget is at most $500 a month"
    )


EFFECTS = [
    ("platform.rds-custom-storage-limit", "excludes Amazon RDS Custom"),
    ("platform.serverless-for-spiky-load", "favours Aurora Serverless v2 (+4)"),
    ("platform.no-ops-team-avoids-ec2", "weighs against Self-managed on Amazon EC2 (-4)"),
    (
        "read_scaling.count-within-limit",
        "sets the number of read copies from the number of read copies you expect "
        "(at least 1, at most the read replicas per source)",
    ),
    (
        "storage.threshold-fast",
        "sets the storage ceiling (GiB) from 2.5 times the data size in GiB + 10, rounded up "
        "(at most the storage limit of one database (GiB))",
    ),
    ("cache.replica-for-survival", "sets the cache replicas per shard to 1"),
]


@pytest.mark.parametrize(("rule_id", "expected"), EFFECTS)
def test_effects_read_as_a_person_would_say_them(rule_id, expected):
    assert describe_effect(default_engine().catalog.by_id(rule_id)) == expected


def test_a_risk_says_its_severity_and_whether_it_is_a_one_way_door():
    rule = default_engine().catalog.by_id("platform.risk.beyond-managed-storage")
    assert describe_effect(rule).startswith(
        "raises a high risk, a one-way door: [data size] GB is beyond what one RDS database"
    )


def test_placeholders_are_named_in_words():
    assert fill_placeholders("Set retention to {retention_days} days for {engine_label}.") == (
        "Set retention to [automated backup retention] days for [engine's name]."
    )


def test_describe_examples_and_glossary_import_nothing_from_django():
    code = (
        "import sys; import advisor.engine.describe, advisor.engine.examples_finder, "
        "advisor.engine.glossary; assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
