import json

import pytest
from django.db import DatabaseError

from advisor.models import Recommendation

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/recommendations"


def create(client, body=None, **extra):
    return client.post(
        CREATE, data=json.dumps(body or {"engine": "mysql"}), content_type="application/json",
        **extra,
    )  # fmt: skip


def test_the_health_check_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_reports_a_database_outage(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: DatabaseError"


def test_the_liveness_probe_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_database_outage_gives_a_friendly_503_page(client, monkeypatch):
    slug = create(client).json()["slug"]

    def broken(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get(f"/r/{slug}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"database is unavailable" in response.content
    assert b"Traceback" not in response.content


def test_a_database_outage_gives_the_api_a_json_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = create(client)
    assert response.status_code == 503
    assert "unavailable" in response.json()["errors"]["__all__"]


def test_creating_is_rate_limited_per_client_with_a_json_429(client, settings):
    settings.CREATE_RATE_PER_MINUTE = 3
    statuses = [create(client).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    response = create(client)
    assert "try again" in response.json()["errors"]["__all__"]
    assert int(response["Retry-After"]) >= 1
    assert Recommendation.objects.count() == 3


def test_the_rate_limit_counts_each_client_separately(client, settings):
    settings.CREATE_RATE_PER_MINUTE = 1
    assert create(client, REMOTE_ADDR="10.0.0.1").status_code == 201
    assert create(client, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert create(client, REMOTE_ADDR="10.0.0.2").status_code == 201


def test_the_rate_limit_uses_the_proxy_hop_when_proxies_are_trusted(client, settings):
    settings.CREATE_RATE_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1
    assert create(client, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 201
    assert create(client, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 201
    assert create(client, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 429


def test_an_oversized_body_gets_a_clear_413(client):
    body = {"engine": "mysql", "title": "x" * 70_000}
    response = create(client, body)
    assert response.status_code == 413
    assert "at most 64 KB" in response.json()["errors"]["__all__"]
    assert Recommendation.objects.count() == 0


def test_an_oversized_form_post_gets_a_413_page(client):
    response = client.post("/wizard/workload/", {"engine": "mysql", "pad": "x" * 70_000})
    assert response.status_code == 413
    assert b"too large" in response.content
