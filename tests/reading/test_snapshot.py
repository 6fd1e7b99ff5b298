"""advisor.reading: one tolerant, typed reading of a stored recommendation of any ruleset."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import CONCERNS, recommend
from advisor.engine.concerns import EXTRAS
from advisor.reading import Snapshot, read, read_stored
from tests.scale import examples

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
KEYS = ["decisions", "risks", "cost", "answers", "checklist", "summary", "ruleset_version"]
shaped = st.dictionaries(st.sampled_from(KEYS), json_values) | json_values


@settings(max_examples=examples(500), deadline=None)
@given(data=shaped)
def test_anything_stored_reads_without_an_error(data):
    snapshot = read(data)
    assert isinstance(snapshot, Snapshot)
    assert snapshot.read_replicas >= 0
    assert snapshot.cache_replicas >= 0
    assert all(isinstance(fact, str) for fact in snapshot.cited)
    assert read_stored({"recommendation": data, "title": data}).snapshot == snapshot


def test_a_fresh_recommendation_reads_as_the_engine_made_it():
    made = recommend({"engine": "postgresql", "read_replicas": 2, "cache_uses": ["session_store"]})
    snapshot = read(json.loads(json.dumps(made)))
    assert list(snapshot.decisions) == [c.name for c in CONCERNS]
    for name, decision in snapshot.decisions.items():
        stored = made["decisions"][name]
        assert (decision.choice, decision.label) == (stored["choice"], stored["label"])
        assert [r.rule for r in decision.rationale] == [r["rule"] for r in stored["rationale"]]
        for key, value in decision.extras.items():
            assert stored[key] == value
    assert snapshot.read_replicas == made["decisions"]["read_scaling"]["count"] == 2
    assert snapshot.cost.monthly_usd.expected == made["cost"]["monthly_usd"]["expected"]
    assert [risk.id for risk in snapshot.risks] == [risk["id"] for risk in made["risks"]]
    assert snapshot.engine_versions == made["engine_versions"]


def test_an_older_snapshot_lacks_keys_and_reads_as_empty_not_wrong():
    snapshot = read(
        {
            "decisions": {
                "read_scaling": {"choice": "read_replicas", "count": "three"},
                "cache": {"choice": "none", "replicas": 2},
                "future_concern": {"choice": "maybe", "label": "Maybe"},
                "broken": "not a decision",
            },
            "risks": [{"text": "Unnamed"}, "junk"],
            "cost": {"monthly_usd": {"low": 10, "high": 20}},
        }
    )
    assert snapshot.read_replicas == 0  # a count that is not a number counts none
    assert snapshot.cache_replicas == 0  # no cache, no replicas, whatever the key says
    assert list(snapshot.decisions) == ["read_scaling", "cache", "future_concern"]
    assert snapshot.decision("platform").choice == ""
    assert snapshot.risks[0].id == "risk-0"
    assert snapshot.risks[0].severity == "low"
    assert snapshot.cost.monthly_usd.expected is None
    assert snapshot.cost.monthly_usd.point == 10
    assert snapshot.cost.sizing is None
    assert snapshot.engine_versions == ""


def test_every_extra_a_concern_carries_is_worded_once():
    for concern in CONCERNS:
        for key in concern.extras:
            assert EXTRAS[key].label
            assert EXTRAS[key].phrase.startswith(("the ", "where "))
