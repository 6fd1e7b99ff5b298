"""Sizing, pricing options and the ways to fit a budget."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import default_engine
from advisor.outputs.cloudformation import build
from tests.scale import examples

from .test_properties import ANSWERS

PROPERTY = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _rec(answers: dict[str, Any]) -> dict[str, Any]:
    return default_engine().recommend(answers, explore=False)


def _expected(answers: dict[str, Any]) -> float:
    return _rec(answers)["cost"]["monthly_usd"]["expected"]


@PROPERTY
@given(ANSWERS, st.floats(0.2, 0.95))
def test_every_way_to_fit_the_budget_costs_what_it_says_when_applied(answers, share):
    answers = {**answers, "monthly_budget_usd": None}
    before = _expected(answers)
    budget = int(before * share)
    rec = _rec({**answers, "monthly_budget_usd": budget})
    money = rec["cost"]["monthly_usd"]
    if money["expected"] <= budget:
        return
    options = rec["cost"]["budget_options"]
    on_demand = rec["answers"]["pricing"] == "on_demand"
    if on_demand and rec["decisions"]["platform"]["choice"] != "aurora_serverless_v2":
        assert options, "a reservation is always cheaper than on-demand instances"
    assert len(options) <= 5
    ranks = [
        (not o["meets_budget"], not o["keeps_requirements"], o["monthly_usd"]["expected"])
        for o in options
    ]
    assert ranks == sorted(ranks)
    for option in options:
        applied = _rec({**rec["answers"], **option["changes"]})["cost"]
        assert applied["monthly_usd"]["expected"] == option["monthly_usd"]["expected"]
        assert option["monthly_usd"]["expected"] < money["expected"]
        assert option["meets_budget"] is (option["monthly_usd"]["expected"] <= budget)
        # Only a commitment or an older class generation keeps every requirement.
        if option["keeps_requirements"]:
            assert set(option["changes"]) <= {"pricing", "instance_class"}
        assert option["gives_up"].endswith(".")


def test_over_budget_the_risk_names_the_ways_and_the_cheapest_compliant_design(engine):
    rec = engine.recommend({"engine": "postgresql", "monthly_budget_usd": 300}, explore=False)
    options = rec["cost"]["budget_options"]
    assert options[0]["keeps_requirements"]
    assert options[0]["meets_budget"]
    assert options[0]["changes"] == {"pricing": "reserved_3yr", "instance_class": "db.r6g.large"}
    risk = next(r for r in rec["risks"] if r["id"] == "engine.budget")
    assert f"{len(options)} ways to cut it are listed with the cost" in risk["text"]
    assert "Relax the requirement" not in risk["text"]


def test_within_budget_there_are_no_options():
    rec = _rec({"engine": "postgresql", "monthly_budget_usd": 5000})
    assert rec["cost"]["budget_options"] == []


def test_reserved_pricing_is_cheaper_than_on_demand_and_three_years_cheapest(engine):
    base = {"engine": "postgresql", "cache_uses": ["session_store"]}
    on_demand = _rec(base)
    one = _rec({**base, "pricing": "reserved_1yr"})
    three = _rec({**base, "pricing": "reserved_3yr"})
    assert _choices(on_demand) == _choices(one) == _choices(three)
    costs = [r["cost"]["monthly_usd"]["expected"] for r in (on_demand, one, three)]
    assert costs[0] > costs[1] > costs[2]
    primary = {r["answers"]["pricing"]: _line(r, "Primary instance") for r in (one, three)}
    assert "1-year reserved, No Upfront" in primary["reserved_1yr"]["assumption"]
    assert "3-year reserved, Partial Upfront" in primary["reserved_3yr"]["assumption"]
    # Storage is never reserved (pricing.reserved).
    storage = [_line(r, "Database storage")["expected"] for r in (on_demand, three)]
    assert storage[0] == storage[1]


def test_valkey_nodes_cost_less_than_redis_oss_nodes(engine):
    rec = _rec({"engine": "postgresql", "cache_uses": ["session_store"]})
    assert rec["decisions"]["cache"]["choice"] == "valkey"
    line = _line(rec, "ElastiCache nodes")
    nodes = {n["name"]: n["usd_per_hour"] for n in engine.prices["cache"]["nodes"]}
    valkey = nodes["cache.r7g.large"] * engine.prices["cache"]["valkey_factor"]
    assert line["expected"] == pytest.approx(2 * valkey * 730, abs=0.01)
    assert valkey < nodes["cache.r7g.large"]
    assert "Valkey nodes at $0.175 an hour (Redis OSS nodes cost $0.219" in line["assumption"]
    answers = {
        "engine": "postgresql",
        "cache_uses": ["query_results"],
        "cache_multithreaded_large_nodes": True,
    }
    rec = _rec(answers)
    assert rec["decisions"]["cache"]["choice"] == "memcached"
    memcached = _line(rec, "ElastiCache nodes")
    assert "Memcached nodes at $0.219 an hour" in memcached["assumption"]


def test_an_instance_class_override_is_honoured_in_the_decision_cost_and_template(engine):
    answers = {"engine": "postgresql", "instance_class": "db.m7g.2xlarge"}
    rec = _rec(answers)
    assert rec["decisions"]["platform"]["instance_class"] == "db.m7g.2xlarge"
    primary = _line(rec, "Primary instance")
    assert primary["expected"] == pytest.approx(0.168 * 4 * 1.047 * 730, abs=0.01)
    assert primary["assumption"].startswith("db.m7g.2xlarge (32 GiB, 8 vCPU)")
    sizing = [item["text"] for item in rec["cost"]["sizing"]["items"]]
    assert "Instance class: db.m7g.2xlarge (your choice)." in sizing
    snapshot = {
        "slug": "Ab3dEf6hIj9lMn0p",
        "title": "",
        "created": "2026-12-02T09:30:00+00:00",
        "ruleset_version": rec["ruleset_version"],
        "parent": None,
        "answers": rec["answers"],
        "recommendation": copy.deepcopy(rec),
    }
    template = build(snapshot, "https://archwise.example/r/x/")
    assert template["Parameters"]["DBInstanceClass"]["Default"] == "db.m7g.2xlarge"


def test_aurora_has_no_general_purpose_class_so_an_m_class_maps_to_r(engine):
    rec = _rec(
        {"engine": "postgresql", "cost_priority": "performance", "instance_class": "db.m7g.large"}
    )
    assert rec["decisions"]["platform"]["choice"] == "aurora"
    assert rec["decisions"]["platform"]["instance_class"] == "db.r7g.large"
    sizing = " ".join(item["text"] for item in rec["cost"]["sizing"]["items"])
    assert "Aurora has no db.m7g.large, so the cluster uses db.r7g.large." in sizing


def test_a_working_set_and_peak_vcpu_size_the_class(engine):
    assert _rec({"engine": "mysql"})["decisions"]["platform"]["instance_class"] == "db.r7g.large"
    big = _rec({"engine": "mysql", "working_set_gb": 100})
    assert big["decisions"]["platform"]["instance_class"] == "db.r7g.4xlarge"  # 128 GiB
    busy = _rec({"engine": "mysql", "working_set_gb": 4, "peak_vcpu": 16})
    assert busy["decisions"]["platform"]["instance_class"] == "db.m7g.4xlarge"  # 16 vCPU
    texts = [item["text"] for item in busy["cost"]["sizing"]["items"]]
    assert "Working set: 4 GB of hot data should fit in memory (your answer)." in texts
    assert "CPU: at least 16 vCPU at peak (your answer)." in texts


def test_a_two_terabyte_database_is_not_sized_on_a_tenth_of_its_data(engine):
    rec = _rec({"engine": "postgresql", "data_size_gb": 2000})
    # About 45 GB of hot data, not 200: db.r7g.2xlarge (64 GiB), not db.r6g.16xlarge.
    assert rec["decisions"]["platform"]["instance_class"] == "db.r7g.2xlarge"
    texts = [item["text"] for item in rec["cost"]["sizing"]["items"]]
    assert texts[0].startswith("Working set: 45 GB of hot data should fit in memory (assumed")


def test_other_regions_cost_more_and_say_where(engine):
    home = _rec({"engine": "postgresql"})
    ireland = _rec({"engine": "postgresql", "region": "eu-west-1"})
    singapore = _rec({"engine": "postgresql", "region": "ap-southeast-1"})
    costs = [r["cost"]["monthly_usd"]["expected"] for r in (home, ireland, singapore)]
    assert costs[1] == pytest.approx(costs[0] * 1.10, rel=0.01)
    assert costs[2] == pytest.approx(costs[0] * 1.20, rel=0.01)
    texts = [item["text"] for item in singapore["cost"]["sizing"]["items"]]
    assert "Region: Asia Pacific (Singapore)." in texts


def test_ranges_spread_only_over_what_is_uncertain(engine):
    flat = _rec({"engine": "postgresql", "growth": "flat"})
    money = flat["cost"]["monthly_usd"]
    assert money["low"] == money["expected"] == money["high"]
    grows = _rec(
        {"engine": "postgresql", "growth": "fast_unpredictable", "aurora_acceptable": False}
    )
    for line in grows["cost"]["lines"]:
        if line["item"] in ("Primary instance", "Standby instances"):
            assert line["low"] == line["expected"] == line["high"]
    storage = _line(grows, "Database storage")
    assert storage["low"] < storage["expected"] < storage["high"]
    assert "200 GB in a year" in storage["assumption"]


def test_spare_budget_suggests_what_the_answers_hint_at(engine):
    answers = {"engine": "postgresql", "rto": "hours", "monthly_budget_usd": 2000}
    rec = _rec(answers)
    assert rec["decisions"]["availability"]["choice"] == "single_az"
    room = rec["cost"]["headroom"]
    multi_az = next(o for o in room if o["changes"] == {"rto": "minutes"})
    assert multi_az["adds"].startswith("A standby in another AZ")
    after = _rec({**answers, **multi_az["changes"]})
    assert after["cost"]["monthly_usd"]["expected"] == multi_az["monthly_usd"]["expected"]
    assert after["decisions"]["availability"]["choice"] == "multi_az_instance"


def test_production_is_sized_on_a_steady_class_unless_the_budget_leaves_nothing(engine):
    rec = _rec({"engine": "postgresql", "data_size_gb": 5, "cost_priority": "lowest_cost"})
    assert not rec["decisions"]["platform"]["instance_class"].startswith("db.t")
    dev = _rec(
        {
            "engine": "postgresql",
            "data_size_gb": 5,
            "cost_priority": "lowest_cost",
            "environment": "non_production",
        }
    )
    assert dev["decisions"]["platform"]["instance_class"] == "db.t4g.micro"


def _line(rec: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(line for line in rec["cost"]["lines"] if line["item"].startswith(prefix))


def _choices(rec: dict[str, Any]) -> dict[str, str]:
    return {name: d["choice"] for name, d in rec["decisions"].items()}


def test_an_older_generation_is_not_offered_when_performance_comes_first():
    answers = {"engine": "postgresql", "monthly_budget_usd": 300, "aurora_acceptable": False}
    offered = _rec(answers)["cost"]["budget_options"]
    assert any("instance_class" in o["changes"] for o in offered)
    rec = _rec({**answers, "cost_priority": "performance"})
    assert rec["cost"]["budget_options"]
    assert not any("instance_class" in o["changes"] for o in rec["cost"]["budget_options"])
