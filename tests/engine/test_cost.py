"""The monthly cost estimate: its lines, their assumptions, and the budget check."""

from __future__ import annotations

from typing import Any

import pytest


def _cost(engine, answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    rec = engine.recommend(answers, explore=False)
    return rec, {line["item"]: line for line in rec["cost"]["lines"]}


def test_multi_az_doubles_the_instance_and_storage_cost(engine):
    single_rec, single = _cost(engine, {"engine": "postgresql", "rto": "hours"})
    multi_rec, multi = _cost(engine, {"engine": "postgresql"})
    assert single_rec["decisions"]["availability"]["choice"] == "single_az"
    assert multi_rec["decisions"]["availability"]["choice"] == "multi_az_instance"

    assert "Standby instances" not in single
    standby = multi["Standby instances"]
    assert standby["concern"] == "availability"
    assert standby["low"] == multi["Primary instance"]["low"] == single["Primary instance"]["low"]
    assert "billed like the primary" in standby["assumption"]
    # rds.billing: about 2x; gp3 storage on Multi-AZ is billed twice too.
    assert multi["Database storage"]["low"] == pytest.approx(2 * single["Database storage"]["low"])
    assert "2 copies" in multi["Database storage"]["assumption"]
    assert "1 copy" in single["Database storage"]["assumption"]


def test_a_multi_az_cluster_bills_two_readable_standbys(engine):
    rec, lines = _cost(
        engine, {"engine": "postgresql", "rto": "seconds", "aurora_acceptable": False}
    )
    assert rec["decisions"]["availability"]["choice"] == "multi_az_cluster"
    assert lines["Standby instances"]["low"] == pytest.approx(2 * lines["Primary instance"]["low"])
    assert "3 copies" in lines["Database storage"]["assumption"]


def test_aurora_instance_hours_cost_15_to_20_percent_more_than_rds(engine):
    answers = {"engine": "postgresql", "cost_priority": "performance"}
    aurora_rec, aurora = _cost(engine, answers)
    rds_rec, rds = _cost(engine, {**answers, "aurora_acceptable": False})
    assert aurora_rec["decisions"]["platform"]["choice"] == "aurora"
    assert rds_rec["decisions"]["platform"]["choice"] == "rds"
    assert (
        aurora_rec["decisions"]["platform"]["instance_class"]
        == (rds_rec["decisions"]["platform"]["instance_class"])
    )
    premium = aurora["Primary instance"]["low"] / rds["Primary instance"]["low"]
    assert 1.15 <= premium <= 1.20  # aurora.cost
    assert "Aurora storage and I/O" in aurora
    assert "Database storage" not in aurora


def test_aurora_writer_and_replica_cost_close_to_rds_multi_az(engine):
    answers = {"engine": "postgresql", "cost_priority": "performance"}
    _, aurora = _cost(engine, answers)
    _, rds = _cost(engine, {**answers, "aurora_acceptable": False})
    aurora_pair = aurora["Primary instance"]["low"] + aurora["Aurora Replicas (1)"]["low"]
    rds_pair = rds["Primary instance"]["low"] + rds["Standby instances"]["low"]
    # aurora.cost: ~$0.52/h against ~$0.45/h.
    assert 1.1 <= aurora_pair / rds_pair <= 1.2


def test_licence_included_commercial_engines_cost_2x_to_4x_the_open_source_price(engine):
    base = {"rto": "hours"}
    _, open_source = _cost(engine, {**base, "engine": "postgresql"})
    for commercial in ("oracle", "sqlserver", "db2"):
        rec, lines = _cost(engine, {**base, "engine": commercial})
        assert rec["decisions"]["platform"]["choice"] == "rds"
        primary = lines["Primary instance"]
        assert primary["low"] == pytest.approx(2 * open_source["Primary instance"]["low"])
        assert primary["high"] == pytest.approx(4 * open_source["Primary instance"]["low"])
        assert "licence included (2x-4x" in primary["assumption"]


def test_bring_your_own_licence_costs_about_the_open_source_price(engine):
    _, open_source = _cost(engine, {"engine": "postgresql", "rto": "hours"})
    _, byol = _cost(engine, {"engine": "oracle", "rto": "hours", "license_model": "bring_your_own"})
    assert byol["Primary instance"]["low"] == pytest.approx(open_source["Primary instance"]["low"])
    assert byol["Primary instance"]["high"] <= 1.1 * open_source["Primary instance"]["low"] + 0.01
    assert "bring your own licence" in byol["Primary instance"]["assumption"]


def test_mysql_costs_about_5_percent_less_than_postgresql(engine):
    _, postgresql = _cost(engine, {"engine": "postgresql", "rto": "hours"})
    _, mysql = _cost(engine, {"engine": "mysql", "rto": "hours"})
    ratio = mysql["Primary instance"]["low"] / postgresql["Primary instance"]["low"]
    assert ratio == pytest.approx(0.95, abs=0.001)


def test_read_replicas_are_priced_like_the_primary(engine):
    rec, lines = _cost(engine, {"engine": "mysql", "read_replicas": 3, "aurora_acceptable": False})
    assert rec["decisions"]["read_scaling"]["count"] == 3
    replicas = lines["Read replicas (3)"]
    assert replicas["concern"] == "read_scaling"
    assert replicas["low"] == pytest.approx(3 * lines["Primary instance"]["low"], abs=0.05)


def test_disaster_recovery_lines_follow_the_strategy(engine):
    _, pilot = _cost(
        engine, {"engine": "mysql", "region_dr": "minutes", "aurora_acceptable": False}
    )
    assert pilot["Instance in the recovery Region"]["concern"] == "disaster_recovery"
    assert pilot["Instance in the recovery Region"]["low"] == pilot["Primary instance"]["low"]
    _, backups = _cost(engine, {"engine": "mysql", "region_dr": "hours"})
    assert "Instance in the recovery Region" not in backups
    assert backups["Backup storage"]["concern"] == "disaster_recovery"
    assert "second Region" in backups["Backup storage"]["assumption"]


def test_long_term_snapshots_are_priced_beyond_35_days(engine):
    _, lines = _cost(engine, {"engine": "postgresql", "restore_window_days": 90})
    snapshots = lines["Long-term snapshots"]
    assert snapshots["concern"] == "backups"
    assert "2 monthly snapshot(s) beyond the 35 automated days" in snapshots["assumption"]


def test_rds_proxy_and_cache_nodes_get_lines_of_their_own(engine):
    rec, lines = _cost(
        engine,
        {
            "engine": "postgresql",
            "client_type": "serverless_functions",
            "cache_uses": ["session_store"],
        },
    )
    assert lines["RDS Proxy"]["concern"] == "connections"
    assert "$0.015 per vCPU-hour" in lines["RDS Proxy"]["assumption"]
    assert rec["decisions"]["cache"]["replicas"] == 1
    assert lines["ElastiCache nodes"]["assumption"].startswith("2 x cache.r7g.large")


def test_serverless_v2_is_priced_per_acu_hour(engine):
    rec, lines = _cost(engine, {"engine": "postgresql", "traffic_pattern": "spiky"})
    assert rec["decisions"]["platform"]["choice"] == "aurora_serverless_v2"
    assert "ACU" in lines["Primary instance"]["assumption"]
    assert "$0.12 per ACU-hour" in lines["Primary instance"]["assumption"]
    assert lines["Primary instance"]["low"] < lines["Primary instance"]["high"]


def test_ec2_is_cheaper_per_hour_but_says_operating_time_is_not_priced(engine):
    _, lines = _cost(engine, {"engine": "other", "rto": "hours"})
    _, rds = _cost(engine, {"engine": "postgresql", "rto": "hours"})
    assert lines["Primary instance"]["low"] < 0.5 * rds["Primary instance"]["low"]
    assert "operating time is not priced" in lines["Primary instance"]["assumption"]
    assert "EBS volumes" in lines


def test_the_estimate_is_within_a_generous_budget(engine):
    rec = engine.recommend({"engine": "postgresql", "monthly_budget_usd": 5000}, explore=False)
    assert rec["cost"]["budget_usd"] == 5000
    assert rec["cost"]["within_budget"] is True
    assert "engine.budget" not in {r["id"] for r in rec["risks"]}


def test_the_estimate_is_not_judged_without_a_budget(engine):
    rec = engine.recommend({"engine": "postgresql"}, explore=False)
    assert rec["cost"]["budget_usd"] is None
    assert rec["cost"]["within_budget"] is None
    assert rec["cost"]["prices_as_of"] == engine.prices["as_of"]


def test_a_budget_between_low_and_high_may_be_exceeded(engine):
    rec = engine.recommend({"engine": "oracle", "rto": "hours"}, explore=False)
    low, high = rec["cost"]["monthly_usd"]["low"], rec["cost"]["monthly_usd"]["high"]
    budget = int((low + high) / 2)
    rec = engine.recommend(
        {"engine": "oracle", "rto": "hours", "monthly_budget_usd": budget}, explore=False
    )
    assert rec["cost"]["within_budget"] is False
    risk = next(r for r in rec["risks"] if r["id"] == "engine.budget")
    assert risk["severity"] == "medium"
    assert "may exceed" in risk["text"]


def test_a_budget_far_below_the_estimate_is_a_high_risk_naming_what_costs(engine):
    rec = engine.recommend(
        {"engine": "postgresql", "monthly_budget_usd": 50, "cache_uses": ["session_store"]},
        explore=False,
    )
    assert rec["cost"]["within_budget"] is False
    risk = next(r for r in rec["risks"] if r["id"] == "engine.budget")
    assert risk["severity"] == "high"
    assert risk["one_way_door"] is False
    assert "exceeds the budget of $50" in risk["text"]
    # The requirement lines behind the cost, with their concern, largest first.
    assert "elasticache nodes ($321-$321, for cache)" in risk["text"]
    # Nothing but a burstable class fits this budget (classes.burstable), and a standby doubles it.
    assert rec["decisions"]["platform"]["instance_class"] == "db.t4g.medium"
    assert "standby instances ($47-$47, for availability)" in risk["text"]
    assert risk["text"].index("elasticache") < risk["text"].index("standby")
    assert set(risk["facts"]) <= set(engine.facts)
