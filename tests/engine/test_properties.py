"""Property-based tests over the whole answer space: invariants every recommendation keeps."""

from __future__ import annotations

import json
import math
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import CONCERNS, FIELDS, default_engine
from advisor.engine.answers import COMMERCIAL_ENGINES, INTEL_FAMILIES, Field
from advisor.engine.schema import RECOMMENDATION_SCHEMA
from tests.scale import examples

CHEAP = settings(max_examples=examples(300), deadline=None)
COSTLY = settings(max_examples=examples(60), deadline=None)

AURORA = ("aurora", "aurora_serverless_v2")
MANAGED = ("rds", "aurora", "aurora_serverless_v2", "rds_custom")
# rds.replicas.max and aurora.replicas.
REPLICA_LIMITS = {
    "mysql": 15,
    "mariadb": 15,
    "postgresql": 15,
    "oracle": 5,
    "sqlserver": 5,
    "db2": 3,
}
AURORA_REPLICA_LIMIT = 15
# rds.storage.max: 64 TiB per volume; Oracle and SQL Server reach 256 TiB with extra volumes (GiB).
VOLUME_CAP_GB = 65_536
EXTRA_VOLUMES_CAP_GB = 262_144
# rds.storage.autoscaling: the maximum threshold must be at least 10% above the allocation, and
# AWS recommends at least 26%.
MINIMUM_HEADROOM = 1.1
RECOMMENDED_HEADROOM = 1.26
KEEPS_DATA = {"session_store", "leaderboards", "pub_sub", "persistent_data"}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}

VALIDATOR = jsonschema.Draft202012Validator(RECOMMENDATION_SCHEMA)


def _gib(gb: int) -> int:
    """Gigabytes as the whole GiB RDS allocates (1 GB is 10^9 bytes, 1 GiB 2^30)."""
    return math.ceil(gb * 10**9 / 2**30)


def _rule_thresholds() -> dict[str, set[int]]:
    """The whole numbers the rule catalog compares each answer with, and their neighbours."""
    found: dict[str, set[int]] = {f.name: set() for f in FIELDS if f.kind == "int"}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            value = node.get("value")
            if node.get("answer") in found and isinstance(value, int):
                found[node["answer"]].update((value - 1, value, value + 1))
            if node.get("derived") in ("data_size_gib", "projected_size_gib") and isinstance(
                value, int
            ):
                # A size threshold in GiB, as data sizes in GB on either side of it (and of it
                # reached after a year of steady or fast growth).
                for growth in (1.0, 1.3, 2.0):
                    gb = round(value * 2**30 / 10**9 / growth)
                    found["data_size_gb"].update((gb - 1, gb, gb + 1))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for rule in default_engine().catalog.rules:
        walk(rule.when)
    return found


THRESHOLDS = _rule_thresholds()


def _value_strategy(f: Field) -> st.SearchStrategy[Any]:
    """Every valid value of one field, from its definition (and the rules' thresholds on it)."""
    if f.kind == "bool":
        return st.booleans()
    if f.kind == "choice":
        values = st.sampled_from(f.values)
        return st.one_of(st.none(), values) if f.nullable else values
    if f.kind == "list":
        return st.lists(st.sampled_from(f.values), unique=True, max_size=len(f.values))
    assert f.kind == "int"
    lo, hi = f.minimum, f.maximum
    # The whole range, plus its edges, each power of ten inside it and every rule threshold.
    near = {*(10**p for p in range(8)), *THRESHOLDS[f.name]}
    landmarks = sorted({lo, hi, *(v for v in near if lo <= v <= hi)})
    values = st.one_of(st.integers(lo, hi), st.sampled_from(landmarks))
    return st.one_of(st.none(), values) if f.nullable else values


def answers_strategy() -> st.SearchStrategy[dict[str, Any]]:
    """Any valid answers: required fields always, every other field present or left to default."""
    required = {f.name: _value_strategy(f) for f in FIELDS if f.required}
    optional = {f.name: _value_strategy(f) for f in FIELDS if not f.required}
    return st.fixed_dictionaries(required, optional=optional).map(consistent)


def consistent(answers: dict[str, Any]) -> dict[str, Any]:
    """Drop an instance class the engine cannot run on: Graviton for Oracle, SQL Server or Db2."""
    klass = answers.get("instance_class")
    if klass and answers["engine"] in COMMERCIAL_ENGINES and not klass.startswith(INTEL_FAMILIES):
        return {k: v for k, v in answers.items() if k != "instance_class"}
    return answers


ANSWERS = answers_strategy()


def _engine():
    return default_engine()


def _rec(answers: dict[str, Any], explore: bool = False) -> dict[str, Any]:
    return _engine().recommend(answers, explore=explore)


def _choices(rec: dict[str, Any]) -> dict[str, str]:
    return {name: decision["choice"] for name, decision in rec["decisions"].items()}


@CHEAP
@given(ANSWERS)
def test_every_concern_gets_exactly_one_valid_choice(answers):
    rec = _rec(answers)
    assert list(rec["decisions"]) == [c.name for c in CONCERNS]
    for concern in CONCERNS:
        decision = rec["decisions"][concern.name]
        assert decision["choice"] in concern.values
        alternatives = [a["choice"] for a in decision["alternatives"]]
        assert sorted([decision["choice"], *alternatives]) == sorted(concern.values)
        # The built-in rules never leave a concern without an allowed candidate.
        excluded = {
            choice
            for step in decision["trace"]
            if step["effect"] == "exclude"
            for choice in step["choices"]
        }
        assert decision["choice"] not in excluded
    assert not [r for r in rec["risks"] if r["id"].endswith("-conflict")]


def _assert_valid_json_contract(rec: dict[str, Any]) -> None:
    again = json.loads(json.dumps(rec, allow_nan=False))
    assert again == rec
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(again)]
    assert not errors, errors[:5]


@CHEAP
@given(ANSWERS)
def test_every_recommendation_matches_the_schema_and_survives_json(answers):
    _assert_valid_json_contract(_rec(answers))


@COSTLY
@given(ANSWERS)
def test_what_would_change_entries_match_the_schema_and_survive_json(answers):
    _assert_valid_json_contract(_rec(answers, explore=True))


@CHEAP
@given(ANSWERS)
def test_the_same_answers_always_give_the_same_recommendation(answers):
    engine = _engine()
    first = engine.recommend(answers, explore=False)
    second = engine.recommend(dict(reversed(list(answers.items()))), explore=False)
    assert first == second
    assert engine.choices(answers) == _choices(first)


@CHEAP
@given(ANSWERS)
def test_aurora_is_only_for_mysql_and_postgresql(answers):
    rec = _rec(answers)
    if rec["decisions"]["platform"]["choice"] in AURORA:
        assert rec["answers"]["engine"] in ("mysql", "postgresql")
        assert rec["answers"]["aurora_acceptable"] is True


@CHEAP
@given(ANSWERS)
def test_rds_proxy_is_never_put_in_front_of_oracle_or_db2(answers):
    rec = _rec(answers)
    if rec["answers"]["engine"] in ("oracle", "db2", "other"):
        assert rec["decisions"]["connections"]["choice"] != "rds_proxy"
        assert rec["decisions"]["authentication"]["choice"] != "iam_via_proxy"


@CHEAP
@given(ANSWERS)
def test_rds_custom_is_never_chosen_for_oracle_which_aws_is_discontinuing(answers):
    rec = _rec(answers)
    if rec["decisions"]["platform"]["choice"] == "rds_custom":
        assert rec["answers"]["engine"] == "sqlserver"


@CHEAP
@given(ANSWERS)
def test_rds_manages_the_master_password_only_where_aws_supports_it(answers):
    """Not on RDS Custom or EC2, not for a source with read replicas (SQL Server aside), not in
    an Aurora global database; a design that keeps passwords gets one line saying who keeps them."""
    rec = _rec(answers)
    decisions = {name: d["choice"] for name, d in rec["decisions"].items()}
    managed = [item for item in rec["checklist"] if item.startswith("Let RDS manage the master")]
    by_team = [item for item in rec["checklist"] if item.startswith("Store the master password")]
    if decisions["authentication"] != "password":
        assert (managed, by_team) == ([], [])
        return
    replicas = decisions["read_scaling"] == "read_replicas" or (
        decisions["disaster_recovery"] == "pilot_light"
    )
    unsupported = (
        decisions["platform"] in ("rds_custom", "ec2")
        or decisions["disaster_recovery"] == "aurora_global_database"
        or (replicas and rec["answers"]["engine"] != "sqlserver")
    )
    assert (len(managed), len(by_team)) == ((0, 1) if unsupported else (1, 0))


@CHEAP
@given(ANSWERS)
def test_memcached_is_never_chosen_for_data_that_must_be_kept(answers):
    rec = _rec(answers)
    a = rec["answers"]
    if KEEPS_DATA & set(a["cache_uses"]) or a["cache_must_survive_node_failure"]:
        assert rec["decisions"]["cache"]["choice"] != "memcached"


@CHEAP
@given(ANSWERS)
def test_read_replica_count_stays_within_the_engines_limit(answers):
    rec = _rec(answers)
    platform = rec["decisions"]["platform"]["choice"]
    reads = rec["decisions"]["read_scaling"]
    if platform in MANAGED:
        limit = (
            AURORA_REPLICA_LIMIT if platform in AURORA else REPLICA_LIMITS[rec["answers"]["engine"]]
        )
        assert 0 <= reads["count"] <= limit
    assert (reads["count"] == 0) == (reads["choice"] == "none")


@CHEAP
@given(ANSWERS)
def test_an_unencrypted_source_never_gets_an_encrypted_replica(answers):
    rec = _rec(answers)
    platform = rec["decisions"]["platform"]["choice"]
    if rec["answers"]["existing_database"] == "rds_unencrypted" and platform in MANAGED:
        assert rec["decisions"]["encryption"]["choice"] != "kms_at_creation"
    if rec["answers"]["existing_database"] == "rds_encrypted":
        assert rec["decisions"]["encryption"]["choice"] != "none"


@CHEAP
@given(ANSWERS)
def test_storage_autoscaling_is_never_offered_for_aurora_or_rds_custom(answers):
    rec = _rec(answers)
    if rec["decisions"]["platform"]["choice"] in (*AURORA, "rds_custom", "ec2"):
        assert rec["decisions"]["storage"]["choice"] != "autoscaling"


@CHEAP
@given(ANSWERS)
def test_the_autoscaling_ceiling_leaves_the_recommended_headroom(answers):
    rec = _rec(answers)
    storage = rec["decisions"]["storage"]
    if storage["choice"] != "autoscaling":
        return
    size = _gib(rec["answers"]["data_size_gb"])  # RDS allocates GiB
    platform = rec["decisions"]["platform"]["choice"]
    extra_volumes = platform == "rds" and rec["answers"]["engine"] in ("oracle", "sqlserver")
    cap = EXTRA_VOLUMES_CAP_GB if extra_volumes else VOLUME_CAP_GB
    assert storage["max_allocated_gb"] <= cap
    # AWS refuses a maximum less than 10% above the allocation.
    assert storage["max_allocated_gb"] >= math.ceil(size * MINIMUM_HEADROOM)
    if size * RECOMMENDED_HEADROOM <= cap:
        assert storage["max_allocated_gb"] >= math.ceil(size * RECOMMENDED_HEADROOM)


@CHEAP
@given(ANSWERS)
def test_allocated_storage_fits_the_volumes_the_platform_has(answers):
    rec = _rec(answers)
    platform = rec["decisions"]["platform"]["choice"]
    storage = rec["decisions"]["storage"]
    if storage["choice"] not in ("autoscaling", "fixed"):
        return
    size = _gib(rec["answers"]["data_size_gb"])  # RDS allocates GiB
    extra_volumes = platform == "rds" and rec["answers"]["engine"] in ("oracle", "sqlserver")
    cap = EXTRA_VOLUMES_CAP_GB if extra_volumes else VOLUME_CAP_GB
    assert size <= cap
    assert size <= storage["max_allocated_gb"] <= cap


@CHEAP
@given(ANSWERS)
def test_automated_backup_retention_is_between_1_and_35_days(answers):
    rec = _rec(answers)
    backups = rec["decisions"]["backups"]
    if backups["choice"] in ("automated", "automated_plus_long_term"):
        assert 1 <= backups["retention_days"] <= 35
    window = rec["answers"]["restore_window_days"]
    assert (backups["choice"] == "automated_plus_long_term") == (
        window > 35 and backups["choice"] != "self_managed"
    )


@CHEAP
@given(ANSWERS)
def test_risks_list_the_most_severe_first_then_one_way_doors(answers):
    risks = _rec(answers)["risks"]
    keys = [(SEVERITY_RANK[r["severity"]], not r["one_way_door"]) for r in risks]
    assert keys == sorted(keys)


@CHEAP
@given(ANSWERS)
def test_the_cost_range_is_ordered_and_judged_against_the_budget(answers):
    cost = _rec(answers)["cost"]
    money = cost["monthly_usd"]
    assert 0 < money["low"] <= money["expected"] <= money["high"]
    for line in cost["lines"]:
        assert 0 <= line["low"] <= line["expected"] <= line["high"]
        assert line["assumption"]
    for key in ("low", "expected", "high"):
        assert math.isclose(money[key], sum(line[key] for line in cost["lines"]), abs_tol=0.05)
    budget = answers.get("monthly_budget_usd")
    assert cost["budget_usd"] == budget
    if budget is None:
        assert cost["within_budget"] is None
    else:
        assert cost["within_budget"] is (money["high"] <= budget)


@CHEAP
@given(ANSWERS)
def test_every_cited_fact_exists_in_the_knowledge_base(answers):
    engine = _engine()
    rec = engine.recommend(answers, explore=False)
    cited: set[str] = set()
    for decision in rec["decisions"].values():
        for reason in decision["rationale"]:
            cited.update(reason["facts"])
        for alternative in decision["alternatives"]:
            cited.update(alternative["facts"])
    for risk in rec["risks"]:
        cited.update(risk["facts"])
    assert cited <= set(engine.facts)
    rule_ids = {rule.id for rule in engine.catalog.rules}
    assert set(rec["fired_rules"]) <= rule_ids


@COSTLY
@given(ANSWERS)
def test_every_what_would_change_entry_really_flips_its_decision(answers):
    engine = _engine()
    rec = engine.recommend(answers, explore=True)
    for concern, decision in rec["decisions"].items():
        for entry in decision["what_would_change"]:
            assert entry["choice"] != decision["choice"]
            assert entry["value"] != rec["answers"][entry["answer"]]
            changed = {**rec["answers"], entry["answer"]: entry["value"]}
            flipped = engine.recommend(changed, explore=False)
            assert flipped["decisions"][concern]["choice"] == entry["choice"], entry
            if entry["via"] is not None:
                # The earlier concern it names flips under the same change.
                via = entry["via"]
                assert flipped["decisions"][via]["choice"] != rec["decisions"][via]["choice"]
