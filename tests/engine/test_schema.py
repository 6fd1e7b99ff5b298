"""RECOMMENDATION_SCHEMA: a valid draft 2020-12 schema, strict where the contract is fixed."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from advisor.engine import CONCERNS
from advisor.engine.schema import RECOMMENDATION_SCHEMA

VALIDATOR = jsonschema.Draft202012Validator(RECOMMENDATION_SCHEMA)


@pytest.fixture(scope="module")
def sample(engine) -> dict[str, Any]:
    answers = {
        "engine": "postgresql",
        "client_type": "serverless_functions",
        "cache_uses": ["session_store"],
        "read_replicas": 3,
        "monthly_budget_usd": 100,
        "region_dr": "minutes",
    }
    return json.loads(json.dumps(engine.recommend(answers)))


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(RECOMMENDATION_SCHEMA)
    assert RECOMMENDATION_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_names_every_concern_with_its_vocabulary():
    decisions = RECOMMENDATION_SCHEMA["properties"]["decisions"]
    assert decisions["required"] == [c.name for c in CONCERNS]
    for concern in CONCERNS:
        schema = decisions["properties"][concern.name]
        assert schema["properties"]["choice"]["enum"] == list(concern.values)
        for extra in concern.extras:
            # Keys added to the contract later are optional, so older snapshots stay valid.
            assert extra in schema["required"] or extra in ADDED_LATER
            assert extra in schema["properties"]


ADDED_LATER = {"destination"}


def test_a_snapshot_from_before_the_audit_destination_still_validates(sample):
    old = {**sample, "decisions": dict(sample["decisions"])}
    old["decisions"]["audit"] = {
        k: v for k, v in sample["decisions"]["audit"].items() if k != "destination"
    }
    assert not list(VALIDATOR.iter_errors(old))


def test_a_real_recommendation_validates(sample):
    assert not list(VALIDATOR.iter_errors(sample))
    assert any(d["what_would_change"] for d in sample["decisions"].values())


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def change(rec: dict) -> None:
        *parents, last = path.split("/")
        node = rec
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _drop(path: str) -> Callable[[dict], None]:
    def change(rec: dict) -> None:
        *parents, last = path.split("/")
        node = rec
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[int(last) if isinstance(node, list) else last]

    return change


BREAKAGES = [
    pytest.param(_set("schema", "archwise.recommendation/v2"), id="other-schema-version"),
    pytest.param(_set("surprise", True), id="unknown-top-level-key"),
    pytest.param(_drop("summary"), id="missing-summary"),
    pytest.param(_drop("decisions/backups"), id="missing-concern"),
    pytest.param(_set("decisions/caching", {}), id="unknown-concern"),
    pytest.param(_set("decisions/platform/choice", "dynamodb"), id="choice-outside-vocabulary"),
    pytest.param(_set("decisions/cache/choice", "redis"), id="cache-choice-outside-vocabulary"),
    pytest.param(_drop("decisions/platform/instance_class"), id="missing-extra-key"),
    pytest.param(_set("decisions/platform/engine", "mongodb"), id="extra-engine-unknown"),
    pytest.param(_set("decisions/tls/colour", "blue"), id="unknown-decision-key"),
    pytest.param(_set("decisions/backups/retention_days", 36), id="retention-beyond-35-days"),
    pytest.param(_set("decisions/read_scaling/count", 0), id="replicas-chosen-with-none"),
    pytest.param(_set("decisions/cache/replicas", 6), id="more-than-5-cache-replicas"),
    pytest.param(_set("decisions/tls/rationale", []), id="decision-without-rationale"),
    pytest.param(_drop("decisions/tls/rationale/0/facts"), id="rationale-without-facts"),
    pytest.param(_drop("decisions/tls/alternatives/0"), id="missing-alternative"),
    pytest.param(_drop("decisions/tls/alternatives/0/why"), id="alternative-without-why"),
    pytest.param(_set("risks/0/severity", "critical"), id="unknown-severity"),
    pytest.param(_set("risks/0/one_way_door", "yes"), id="one-way-door-not-bool"),
    pytest.param(_drop("risks/0/facts"), id="risk-without-facts"),
    pytest.param(_set("checklist/0", ""), id="empty-checklist-step"),
    pytest.param(_set("cost/within_budget", None), id="budget-without-verdict"),
    pytest.param(_drop("cost/prices_as_of"), id="undated-cost"),
    pytest.param(_set("cost/lines/0/concern", "money"), id="cost-line-unknown-concern"),
    pytest.param(_drop("cost/lines/0/assumption"), id="cost-line-without-assumption"),
    pytest.param(_set("answers/engine", "mongodb"), id="answer-outside-its-choices"),
    pytest.param(_drop("answers/rto"), id="answers-without-defaults-filled"),
    pytest.param(_set("answers/colour", "blue"), id="unknown-answer"),
]


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_schema_refuses_a_recommendation_that_breaks_the_contract(sample, breakage):
    broken = copy.deepcopy(sample)
    breakage(broken)
    assert list(VALIDATOR.iter_errors(broken))


def test_the_schema_refuses_a_what_would_change_value_of_the_wrong_type(sample):
    broken = copy.deepcopy(sample)
    entry = next(e for d in broken["decisions"].values() for e in d["what_would_change"])
    entry["value"] = {"not": "a value of " + entry["answer"]}
    assert list(VALIDATOR.iter_errors(broken))
    entry["answer"] = "colour"
    assert list(VALIDATOR.iter_errors(broken))


def test_the_schema_allows_the_engines_own_extra_keys(sample):
    assert "fired_rules" in sample
    assert all("trace" in d and "score" in d for d in sample["decisions"].values())
    slim = copy.deepcopy(sample)
    del slim["fired_rules"]
    for decision in slim["decisions"].values():
        del decision["trace"], decision["score"]
    assert not list(VALIDATOR.iter_errors(slim))
