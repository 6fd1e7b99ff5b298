from datetime import UTC, datetime

import pytest


def snapshot_for(answers, title="", explore=False):
    """The snapshot a stored recommendation publishes, made without the database."""
    from advisor.engine import recommend

    rec = recommend(answers, explore=explore)
    return {
        "slug": "Ab3dEf6hIj9lMn0p",
        "title": title,
        "created": datetime(2026, 11, 28, 9, 30, tzinfo=UTC).isoformat(),
        "ruleset_version": rec["ruleset_version"],
        "parent": None,
        "answers": rec["answers"],
        "recommendation": rec,
    }


@pytest.fixture
def make_snapshot():
    return snapshot_for


@pytest.fixture
def store(db):
    """Save a recommendation the way the API does, and return the stored row."""
    from advisor.recommendations import save_recommendation

    def save(answers, title=""):
        return save_recommendation(answers, title)

    return save
