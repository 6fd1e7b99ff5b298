"""Shared fixtures for the design-session pages: stored recommendations and their HTML."""

from __future__ import annotations

import copy

import pytest

from advisor.engine import normalise, recommend
from advisor.models import Recommendation
from advisor.recommendations import save_recommendation

LAMBDA = {
    "engine": "postgresql",
    "client_type": "serverless_functions",
    "cache_uses": ["session_store"],
    "monthly_budget_usd": 5000,
}
OLD_RULESET = "2024-01.0000000000"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def stored(db) -> Recommendation:
    return save_recommendation(LAMBDA, "Checkout API")


@pytest.fixture
def legacy(db) -> Recommendation:
    """A snapshot from an older ruleset that decided differently, for a retired rule's reason."""
    answers = normalise(LAMBDA)
    old = copy.deepcopy(recommend(answers))
    platform = old["decisions"]["platform"]
    platform.update(
        choice="aurora",
        label="Amazon Aurora (provisioned)",
        rationale=[
            {
                "rule": "platform.retired-aurora-for-lambda",
                "text": "Functions once went to Aurora by default.",
                "facts": ["retired.fact"],
            }
        ],
        trace=[{"rule": "platform.retired-aurora-for-lambda", "effect": "prefer"}],
    )
    old["risks"].append(
        {
            "id": "platform.retired-risk",
            "severity": "high",
            "one_way_door": True,
            "text": "A risk only the old rules raised.",
            "facts": [],
        }
    )
    old["checklist"].append("A step only the old rules asked for.")
    old["cost"]["monthly_usd"] = {"low": 1500.0, "high": 1600.0}
    old["ruleset_version"] = OLD_RULESET
    return Recommendation.objects.create(
        title="Legacy checkout", answers=answers, recommendation=old, ruleset_version=OLD_RULESET
    )
