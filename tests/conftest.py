import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django allows ORM use there in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def engine():
    from advisor.engine import default_engine

    return default_engine()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages live in the cache; each test starts with it empty."""
    from django.core.cache import cache

    from advisor.caching import local

    cache.clear()
    local.clear()
