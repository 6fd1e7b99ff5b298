import json

import pytest
from django.db import DatabaseError

from advisor.models import Recommendation
from tests.drafts import step_url

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
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "error: DatabaseError: could not write to the database"


def test_the_health_check_reports_a_database_that_reads_but_cannot_write(client, monkeypatch):
    """A full disk: SELECT 1 still works, every write fails."""
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    execute = CursorWrapper.execute

    def full(self, sql, params=None):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise OperationalError("database or disk is full")
        return execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", full)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "could not write" in response.json()["database"]


def test_the_503_page_promises_only_what_is_true(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/r/AAAAAAAAAAAAAAAA/")
    page = response.content.decode()
    assert response.status_code == 503
    assert "every share link keeps working" not in page
    assert "Nothing you already saved is lost" in page


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


def test_a_daily_limit_bounds_what_one_client_can_store(client, settings, monkeypatch):
    settings.CREATE_RATE_PER_MINUTE = 100
    settings.CREATE_RATE_PER_DAY = 3
    clock = [1_800_000_000.0]
    monkeypatch.setattr("advisor.ops.ratelimit.now", lambda: clock[0])
    statuses = []
    for _ in range(5):  # one create a minute: never over the minute's limit
        statuses.append(create(client).status_code)
        clock[0] += 60
    assert statuses == [201, 201, 201, 429, 429]
    response = create(client)
    assert "today; try again in 16 hours" in response.json()["errors"]["__all__"]  # at 08:00 UTC
    assert int(response["Retry-After"]) > 3600
    assert Recommendation.objects.count() == 3


def test_the_rate_limit_counts_each_client_separately(client, settings):
    settings.CREATE_RATE_PER_MINUTE = 1
    assert create(client, REMOTE_ADDR="10.0.0.1").status_code == 201
    assert create(client, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert create(client, REMOTE_ADDR="10.0.0.2").status_code == 201


def test_the_rate_limit_uses_the_proxy_hop_when_proxies_are_trusted(client, settings):
    settings.CREATE_RATE_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.1.2.3"}
    assert create(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 201
    assert create(client, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 201
    assert create(client, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 429


def test_a_client_that_bypasses_the_proxy_cannot_choose_its_address(client, settings):
    settings.CREATE_RATE_PER_MINUTE = 3
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    direct = {"REMOTE_ADDR": "198.51.100.7"}
    statuses = [
        create(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", **direct).status_code
        for n in range(10)
    ]
    assert statuses == [201] * 3 + [429] * 7


def test_rate_limit_counters_are_shared_rows_bounded_per_client(client, settings, monkeypatch):
    """Counted in the database, so every worker shares one count; old windows are deleted."""
    from advisor.models import RateCounter

    settings.CREATE_RATE_PER_MINUTE = 100
    clock = [1_800_000_000.0]
    monkeypatch.setattr("advisor.ops.ratelimit.now", lambda: clock[0])
    for _ in range(10):  # ten minutes, a few creates in each
        for _ in range(3):
            assert create(client).status_code == 201
        clock[0] += 60
    rows = RateCounter.objects.filter(scope="create")
    assert rows.count() <= 2
    assert rows.order_by("window").last().count == 3


def test_admin_sign_in_attempts_are_limited_per_client(client, settings):
    settings.ADMIN_LOGIN_RATE_PER_MINUTE = 2
    attempt = {"username": "someone", "password": "wrong", "next": "/admin/"}
    statuses = [client.post("/admin/login/", attempt).status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    response = client.post("/admin/login/", attempt)
    assert b"Too many sign-in attempts" in response.content
    assert int(response["Retry-After"]) >= 1
    # Reading the sign-in page is not an attempt.
    assert client.get("/admin/login/").status_code == 200


def test_a_chunked_body_gets_a_411_that_says_what_to_send(client):
    response = client.post(
        CREATE, data=b"", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
    assert "Content-Length" in response.json()["errors"]["__all__"]
    assert Recommendation.objects.count() == 0


def test_an_oversized_body_gets_a_clear_413(client):
    body = {"engine": "mysql", "title": "x" * 70_000}
    response = create(client, body)
    assert response.status_code == 413
    assert "at most 64 KB" in response.json()["errors"]["__all__"]
    assert Recommendation.objects.count() == 0


def test_an_oversized_form_post_gets_a_413_page(client):
    response = client.post(step_url("workload"), {"engine": "mysql", "pad": "x" * 70_000})
    assert response.status_code == 413
    assert b"too large" in response.content


def test_a_chunked_form_post_gets_a_411_page(client):
    response = client.post(
        step_url("workload"),
        data=b"engine=mysql",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411
    assert b"That request has no length" in response.content
    assert b"Content-Length" in response.content
