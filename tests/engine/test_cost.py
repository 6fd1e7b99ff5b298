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
    assert {"Aurora storage", "Aurora I/O"} <= set(aurora)
    assert "Database storage" not in aurora


def test_aurora_writer_and_replica_cost_close_to_rds_multi_az(engine):
    answers = {"engine": "postgresql", "cost_priority": "performance"}
    _, aurora = _cost(engine, answers)
    _, rds = _cost(engine, {**answers, "aurora_acceptable": False})
    aurora_pair = aurora["Primary instance"]["low"] + aurora["Aurora Replicas (1)"]["low"]
    rds_pair = rds["Primary instance"]["low"] + rds["Standby instances"]["low"]
    # aurora.cost: ~$0.52/h against ~$0.45/h.
    assert 1.1 <= aurora_pair / rds_pair <= 1.2


def test_licence_included_adds_the_editions_licence_per_vcpu(engine, prices):
    rds = prices["rds"]
    for commercial in ("oracle", "sqlserver", "db2"):
        rec, lines = _cost(engine, {"rto": "hours", "engine": commercial})
        assert rec["decisions"]["platform"]["choice"] == "rds"
        klass = rec["decisions"]["platform"]["instance_class"]
        assert klass == "db.r6i.large"  # Intel: RDS runs no commercial engine on Graviton
        hourly = 0.240 + rds["licence_usd_per_vcpu_hour"][commercial] * 2
        assert lines["Primary instance"]["expected"] == pytest.approx(hourly * 730, abs=0.01)
        assert (
            f"{rds['licence_edition'][commercial]} licence included"
            in (lines["Primary instance"]["assumption"])
        )
    # Oracle SE2 on db.r6i.large: about $0.69 an hour against $0.25 with your own licence.
    _, oracle = _cost(engine, {"rto": "hours", "engine": "oracle"})
    assert 2.5 < oracle["Primary instance"]["expected"] / (0.25 * 730) < 3


def test_bring_your_own_licence_pays_for_the_class_alone(engine):
    _, byol = _cost(engine, {"engine": "oracle", "rto": "hours", "license_model": "bring_your_own"})
    assert byol["Primary instance"]["expected"] == pytest.approx(0.240 * 730, abs=0.01)
    assert "bring your own licence" in byol["Primary instance"]["assumption"]


def test_sql_server_for_development_and_test_is_the_free_developer_edition(engine):
    answers = {"engine": "sqlserver", "rto": "hours", "environment": "non_production"}
    _, dev = _cost(engine, answers)
    assert "Developer Edition" in dev["Primary instance"]["assumption"]
    klass_price = dev["Primary instance"]["expected"]
    _, prod = _cost(engine, {**answers, "environment": "production"})
    assert "Developer Edition" not in prod["Primary instance"]["assumption"]
    assert klass_price < prod["Primary instance"]["expected"]


def test_mysql_costs_about_5_percent_less_than_postgresql(engine):
    _, postgresql = _cost(engine, {"engine": "postgresql", "rto": "hours"})
    _, mysql = _cost(engine, {"engine": "mysql", "rto": "hours"})
    ratio = mysql["Primary instance"]["low"] / postgresql["Primary instance"]["low"]
    assert ratio == pytest.approx(0.215 / 0.225, abs=0.002)  # db.r6g.large: $0.215 and $0.225


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
    assert "2 monthly snapshots beyond the 35 automated days" in snapshots["assumption"]


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


def test_a_budget_between_expected_and_high_may_be_exceeded(engine):
    answers = {"engine": "postgresql", "read_write": "write_heavy", "cost_priority": "performance"}
    rec = engine.recommend(answers, explore=False)
    assert rec["decisions"]["platform"]["choice"] == "aurora"
    money = rec["cost"]["monthly_usd"]
    assert money["low"] < money["expected"] < money["high"]  # I/O and growth are uncertain
    budget = int((money["expected"] + money["high"]) / 2)
    rec = engine.recommend({**answers, "monthly_budget_usd": budget}, explore=False)
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
    assert "ElastiCache nodes ($256, for cache)" in risk["text"]
    # Nothing but a burstable class fits this budget (classes.burstable), and a standby doubles it.
    assert rec["decisions"]["platform"]["instance_class"] == "db.t4g.small"
    assert "standby instances ($24, for availability)" in risk["text"]
    assert risk["text"].index("ElastiCache") < risk["text"].index("standby")
    assert "No design that keeps every requirement fits: the cheapest costs about $" in risk["text"]
    assert set(risk["facts"]) <= set(engine.facts)
