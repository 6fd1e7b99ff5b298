"""The cache only speeds things up: when Redis is down nothing fails, query strings cannot fill it,
and no text a user stores can become a visitor's CSRF token."""

from __future__ import annotations

import json
import re
import socket

import pytest
from django.test import Client

from advisor.models import Recommendation
from advisor.ops.caching import local
from advisor.recommendations import save_recommendation
from tests.web.test_wizard import form_data, step_url

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused, as with a stopped Redis."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The production cache settings, pointed at a Redis that is not running."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "KEY_PREFIX": "archwise",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    local.clear()


def test_with_redis_down_every_page_renders_from_the_database(client, redis_down):
    response = client.post(
        "/api/v1/recommendations",
        data=json.dumps({"engine": "postgresql", "title": "Orders"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    paths = (f"/r/{slug}/", f"/r/{slug}.md", f"/r/{slug}.json", f"/api/v1/recommendations/{slug}")
    for path in paths:
        local.clear()  # nothing from this process's memory either
        page = client.get(path)
        assert page.status_code == 200, path
        assert b"Orders" in page.content
    assert client.get("/r/AAAAAAAAAAAAAAAA/").status_code == 404
    assert client.get("/").status_code == 200
    assert client.get("/rules/").status_code == 200


def test_with_redis_down_the_wizard_keeps_its_answers_and_saves(redis_down):
    client = Client()
    client.post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    page = client.get(step_url("workload")).content.decode()
    assert re.search(r'value="mysql"[^>]*\bchecked\b', page), "the session lost the answer"
    response = client.post(step_url("review"), {"_action": "save", "title": "During the outage"})
    assert response.status_code in (302, 303)
    saved = Recommendation.objects.get(title="During the outage")
    assert saved.answers["engine"] == "mysql"


def test_with_redis_down_the_health_check_says_degraded_not_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error: ")


def test_with_redis_down_the_rate_limit_still_counts(client, redis_down, settings):
    settings.CREATE_RATE_PER_MINUTE = 2
    body = json.dumps({"engine": "mysql"})
    statuses = [
        client.post("/api/v1/recommendations", data=body, content_type="application/json")
        for _ in range(3)
    ]
    assert [response.status_code for response in statuses] == [201, 201, 429]


def _entries() -> int:
    """Entries in the shared cache (this test's key space: Redis, or this process's memory) and in
    the process's own LRU."""
    from django.core.cache import cache

    shared = cache.keys("*") if hasattr(cache, "keys") else cache._cache
    return len(shared) + len(local.entries)


@pytest.mark.parametrize("suffix", ["/", ".md", ".json", "/cloudformation.yaml"])
def test_query_strings_never_make_new_cache_entries(client, suffix):
    saved = save_recommendation({"engine": "postgresql"}, "Flood")
    first = client.get(f"/r/{saved.slug}{suffix}")
    entries = _entries()
    for n in range(50):
        query = {"x": n, "download": f"no{n}", "utm": "a" * n}
        response = client.get(f"/r/{saved.slug}{suffix}", query)
        assert response.status_code == 200
        assert response.content == first.content or suffix == "/"
    assert _entries() == entries


def test_a_download_is_the_one_query_that_changes_an_export(client):
    saved = save_recommendation({"engine": "postgresql"}, "Flood")
    inline = client.get(f"/r/{saved.slug}.md")
    download = client.get(f"/r/{saved.slug}.md", {"download": "1"})
    assert inline["Content-Disposition"].startswith("inline")
    assert download["Content-Disposition"].startswith("attachment")
    assert client.get(f"/r/{saved.slug}.md")["Content-Disposition"].startswith("inline")


PLACEHOLDERS = (
    "archwise-csrf-token-placeholder",  # the fixed placeholder earlier releases used
    "csrf-placeholder-",
    "NOTPROVIDED",
)


@pytest.mark.parametrize("suffix", ["/", ".md", ".json", "/cloudformation.yaml"])
def test_no_stored_title_becomes_the_visitors_csrf_token(suffix):
    title = " ".join(PLACEHOLDERS)
    saved = save_recommendation({"engine": "postgresql"}, title)
    Client().get(f"/r/{saved.slug}/")  # another visitor's view fills the cache
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(f"/r/{saved.slug}/")  # sets the visitor's CSRF cookie
    body = visitor.get(f"/r/{saved.slug}{suffix}").content.decode()
    for placeholder in PLACEHOLDERS:
        assert placeholder in body
    if suffix != "/":  # a download is the same for every visitor: it carries nobody's token
        assert Client().get(f"/r/{saved.slug}{suffix}").content.decode() == body
        return
    # On the page the token is only where it belongs: the forms' hidden inputs and htmx's header.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    own_places = len(re.findall(rf'name="csrfmiddlewaretoken" value="{token}"', body))
    own_places += body.count(f'"X-CSRFToken": "{token}"')
    assert own_places >= 2
    assert body.count(token) == own_places
