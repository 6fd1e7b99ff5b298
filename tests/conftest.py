import copy
import os
import uuid

import pytest
from hypothesis import settings

from tests.scale import PROFILE, examples

# CI searches hardest; everyday runs try a tenth of the examples (see tests/scale.py).
settings.register_profile("ci", max_examples=examples(100), deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=examples(100), deadline=None)
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
