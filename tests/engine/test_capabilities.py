"""The product's guarantee: no recommendation describes a design AWS does not allow.

Each property below is written from AWS's documentation (the fact ids say which page), not from
the capability matrix, so that a wrong cell in the matrix is caught as well as a rule that
ignores it. Hypothesis searches the whole answers space for a counterexample.
"""

from __future__ import annotations

import math
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import FIELDS, default_engine
from advisor.engine.answers import applicable
from advisor.engine.capabilities import DIMENSIONS
from tests.scale import examples

from .test_properties import ANSWERS, REPLICA_LIMITS, _value_strategy

# At least 3,000 generated answer sets per guarantee, in every `make test`.
GUARANTEE = settings(max_examples=examples(3000), deadline=None)

GIB_PER_GB = 10**9 / 2**30
AURORA = ("aurora", "aurora_serverless_v2")
OPEN_SOURCE = ("mysql", "mariadb", "postgresql")
# rds.storage.max, aurora.storage: the most one database holds, in GiB.
VOLUME_GIB = 65_536
EXTRA_VOLUMES_GIB = 262_144
STEADY_CLASS_PREFIXES = ("db.r", "db.m", "r", "m")
STANDBY_FORMS = ("multi_az_instance", "multi_az_cluster", "self_managed")
ADD_OPTION_GROUP = re.compile(r"\b(create|add)\b[^.]*\boption group", re.IGNORECASE)
AUDIT_TO_CLOUDWATCH = re.compile(r"audit[^.]*(export|publish|ship)[^.]*CloudWatch", re.IGNORECASE)


def _rec(answers: dict[str, Any]) -> dict[str, Any]:
    return default_engine().recommend(answers, explore=False)


def _choices(rec: dict[str, Any]) -> dict[str, str]:
    return {name: decision["choice"] for name, decision in rec["decisions"].items()}


def _ceiling_gib(rec: dict[str, Any]) -> int:
    choice = _choices(rec)
    if choice["platform"] in AURORA:
        return EXTRA_VOLUMES_GIB
    commercial = rec["answers"]["engine"] in ("oracle", "sqlserver")
    if choice["platform"] == "rds" and commercial:
        return EXTRA_VOLUMES_GIB
    return VOLUME_GIB


def _line(rec: dict[str, Any], start: str) -> dict[str, Any] | None:
    return next((line for line in rec["cost"]["lines"] if line["item"].startswith(start)), None)


@GUARANTEE
@given(ANSWERS)
def test_no_recommendation_contradicts_the_capability_matrix_or_aws(answers):
    rec = _rec(answers)
    a = applicable(rec["answers"])
    c = _choices(rec)
    engine, platform, form = a["engine"], c["platform"], c["availability"]
    checklist = rec["checklist"]
    risks = {risk["id"] for risk in rec["risks"]}

    # Every choice the matrix makes conditional is one the matrix allows for this design.
    matrix = default_engine().matrix
    design = {
        "engine": engine,
        "license_model": a["license_model"],
        **{d: c[d] for d in DIMENSIONS if d in c},
    }
    for concern, choice in c.items():
        assert matrix.allows(concern, choice, design), (concern, choice, design)

    # Platforms per engine (rds.engines, aurora.engines, rds-custom.scope).
    if engine == "other":
        assert platform == "ec2"
        assert "platform.risk.engine-outside-rds" in risks
    if platform in AURORA:
        assert engine in ("mysql", "postgresql")
    if platform == "rds_custom":
        assert engine in ("oracle", "sqlserver")

    # Multi-AZ DB clusters (rds.multi-az.cluster): MySQL/PostgreSQL on RDS; no storage
    # autoscaling, option groups, cross-Region backups or snapshot copy.
    if form == "multi_az_cluster":
        assert platform == "rds"
        assert engine in ("mysql", "postgresql")
        assert c["storage"] != "autoscaling"
        assert c["disaster_recovery"] not in ("backup_restore", "pilot_light")
        assert not [step for step in checklist if ADD_OPTION_GROUP.search(step)]

    # Licence-included Oracle is SE2: no read replicas, no cross-Region replica (oracle.licensing).
    if platform == "rds" and engine == "oracle" and a["license_model"] == "license_included":
        assert c["read_scaling"] == "none"
        assert c["disaster_recovery"] != "pilot_light"
        assert _line(rec, "Read replicas") is None
        assert _line(rec, "Instance in the recovery Region") is None
        wanted = a["read_replicas"] > 0 or a["cross_region_reads"]
        if wanted or a["region_dr"] in ("minutes", "seconds"):
            assert "read_scaling.risk.oracle-replicas-need-enterprise-edition" in risks

    # Db2 on current versions has cross-Region replicas (db2.replicas): a minutes-level Region
    # recovery keeps a live copy there rather than falling back to backups.
    if platform == "rds" and engine == "db2" and a["region_dr"] == "minutes":
        assert c["disaster_recovery"] == "pilot_light"

    # Replicas per source (rds.replicas.max), the cross-Region recovery replica included.
    if platform in ("rds", "rds_custom"):
        recovery = 1 if c["disaster_recovery"] == "pilot_light" else 0
        assert rec["decisions"]["read_scaling"]["count"] + recovery <= REPLICA_LIMITS[engine]

    # RDS Proxy and IAM authentication only where AWS offers them (proxy.engines, sec.iam-auth).
    if c["connections"] == "rds_proxy" or c["authentication"] == "iam_via_proxy":
        assert platform in AURORA or (platform == "rds" and engine != "oracle" and engine != "db2")
    if c["authentication"] == "iam":
        assert platform in AURORA or (platform == "rds" and engine in OPEN_SOURCE)

    # SQL Server and Db2 audit files go to S3, not CloudWatch Logs (audit.destinations).
    if c["audit"] == "cloudwatch_logs" and platform == "rds" and engine in ("sqlserver", "db2"):
        assert rec["decisions"]["audit"]["destination"] == "s3"
        assert "S3" in rec["decisions"]["audit"]["label"]
        assert not [step for step in checklist if AUDIT_TO_CLOUDWATCH.search(step)]

    # Burstable classes are for development and test (classes.burstable): production gets one
    # only when the budget leaves nothing else, and then says so.
    klass = rec["decisions"]["platform"]["instance_class"]
    burstable = klass.startswith(("db.t", "t")) and platform != "aurora_serverless_v2"
    if burstable and a["environment"] == "production":
        if a.get("instance_class"):
            assert "platform.risk.burstable-chosen-for-production" in risks
        else:
            assert a["monthly_budget_usd"] is not None
            assert "platform.risk.burstable-in-production" in risks
    if not burstable:  # Serverless v2 has no burstable class to warn about
        assert "platform.risk.burstable-in-production" not in risks
        assert "platform.risk.burstable-chosen-for-production" not in risks

    # Auto-pause is never suggested beside RDS Proxy or a Global Database (aurora.serverless-v2).
    if c["connections"] == "rds_proxy" or c["disaster_recovery"] == "aurora_global_database":
        assert not [step for step in checklist if "0 ACU with auto-pause" in step]
        assert "connections.risk.serverless-resume-delay" not in risks

    # Storage stays within what one database holds, in GiB (rds.storage.max, aurora.storage).
    size_gib = math.ceil(a["data_size_gb"] * GIB_PER_GB)
    storage = rec["decisions"]["storage"]
    if c["storage"] in ("autoscaling", "fixed"):
        assert size_gib <= storage["max_allocated_gb"] <= _ceiling_gib(rec)
    if c["storage"] == "autoscaling":
        assert storage["max_allocated_gb"] >= math.ceil(size_gib * 1.1)
    if size_gib > EXTRA_VOLUMES_GIB:
        assert "platform.risk.beyond-managed-storage" in risks
    storage_line = _line(rec, "Database storage") or _line(rec, "Aurora storage")
    if storage_line is not None and platform != "ec2":
        sizes = re.findall(r"([\d,]+) GB (?:today|in a year)", storage_line["assumption"])
        projected = float(sizes[-1].replace(",", ""))
        assert projected <= _ceiling_gib(rec) / GIB_PER_GB + 1
    if c["storage"] == "self_managed_ebs":
        step = next(s for s in checklist if "EBS" in s and "GiB" in s)
        volumes = int(re.search(r"(\d+) gp3 volume", step)[1])
        assert volumes * 16_384 >= storage["max_allocated_gb"]  # ebs.volumes: gp3 up to 16 TiB


@GUARANTEE
@given(ANSWERS)
def test_every_component_has_a_cost_line_and_every_cost_line_a_component(answers):
    rec = _rec(answers)
    c = _choices(rec)
    decisions = rec["decisions"]
    assert _line(rec, "Primary instance") is not None
    assert (_line(rec, "Standby instances") is not None) == (c["availability"] in STANDBY_FORMS)
    replicas = _line(rec, "Read replicas") or _line(rec, "Aurora Replicas")
    assert (replicas is not None) == (decisions["read_scaling"]["count"] > 0)
    live_copy = c["disaster_recovery"] in ("pilot_light", "aurora_global_database")
    assert (_line(rec, "Instance in the recovery Region") is not None) == live_copy
    assert (_line(rec, "RDS Proxy") is not None) == (c["connections"] == "rds_proxy")
    assert (_line(rec, "ElastiCache nodes") is not None) == (c["cache"] != "none")
    long_term = c["backups"] == "automated_plus_long_term"
    assert (_line(rec, "Long-term snapshots") is not None) == long_term
    if c["disaster_recovery"] == "backup_restore":
        line = _line(rec, "Backup storage")
        assert line is not None
        assert line["concern"] == "disaster_recovery"
    concerns = {line["concern"] for line in rec["cost"]["lines"]}
    assert concerns <= set(decisions)


# Questions the wizard asks only under another answer, each with every value it can take.
CONDITIONAL = [f for f in FIELDS if f.ask_when is not None]


@GUARANTEE
@given(ANSWERS, st.data())
def test_answers_that_do_not_apply_change_nothing(answers, data):
    rec = _rec(answers)
    normalised = rec["answers"]
    changed = dict(answers)
    for f in CONDITIONAL:
        if not f.applies(normalised):
            changed[f.name] = data.draw(_value_strategy(f), label=f.name)
    again = _rec(changed)
    assert again["decisions"] == rec["decisions"]
    assert again["risks"] == rec["risks"]
    assert again["checklist"] == rec["checklist"]
    assert again["cost"] == rec["cost"]
