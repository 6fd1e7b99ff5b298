import copy
import os
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import settings

from tests.scale import PROFILE

# CI searches hardest; everyday runs try a tenth of the examples (see tests/scale.py). Tests
# without counts of their own get hypothesis's usual 100 in CI, scaled like every other count.
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile(PROFILE)

# Playwright's sync API runs an event loop in the test thread; Django allows ORM use there in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def engine():
    from advisor.engine import default_engine

    return default_engine()


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate limits, sessions and cached pages live in the cache. Each test gets a key space of its
    own, so tests start empty without flushing a cache that parallel workers share."""
    from advisor.ops.caching import local

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    local.clear()


@pytest.fixture(autouse=True)
def _steady_clock(monkeypatch):
    """Rate limits count in one-minute windows; a test must not straddle two by chance."""
    monkeypatch.setattr("advisor.ops.ratelimit.now", lambda: 1_800_000_001.0)


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


# Fixtures through which a test reaches the database or the cache (the test client reaches both).
STACK_FIXTURES = {"db", "transactional_db", "client", "async_client", "live_server", "admin_client"}


def pytest_collection_modifyitems(config, items):
    """`make test-stack` (ARCHWISE_STACK_ONLY=1) reruns only the tests that touch the database or
    the cache: those are the ones PostgreSQL and Redis can answer differently. The engine, the
    reading layer and the outputs are pure, and SQLite's run already proves them."""
    if os.environ.get("ARCHWISE_STACK_ONLY") != "1":
        return
    kept, dropped = [], []
    for item in items:
        touches = item.get_closest_marker("django_db") or STACK_FIXTURES & set(item.fixturenames)
        (kept if touches or "/stack/" in str(item.path) else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept
