"""Deployment safety: production settings, security headers, cookies and CSRF."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.drafts import step_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def production_env(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DEBUG", None)
    env.update(
        ARCHWISE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="archwise.example.com",
    )
    env.update(extra)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_deployment_check_reports_nothing_in_production():
    result = manage(production_env(), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be a random value"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be a random value"),
        # Long enough, but a pattern: too few different characters to be random.
        ({"SECRET_KEY": "a" * 60}, "20 of them different"),
        ({"SECRET_KEY": "0123456789" * 6}, "20 of them different"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "TRUSTED_PROXIES must list"),
        ({"DEBUG": "true"}, "DEBUG must be false"),
        ({"DEBUG": "yes"}, "DEBUG must be 'true' or 'false'"),
    ],
)
def test_production_refuses_to_start_on_an_insecure_setting(extra, words):
    result = manage(production_env(**extra), "check")
    assert result.returncode != 0
    assert words in result.stderr


def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy


def test_pages_send_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "clipboard-write=(self)" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_admin_is_off_in_production_unless_enabled():
    probe = (
        "import django; django.setup(); from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/admin/'); print('admin on')\n"
        "except Resolver404:\n    print('admin off')"
    )
    for extra, expected in (({}, "admin off"), ({"ADMIN_ENABLED": "true"}, "admin on")):
        env = production_env(DJANGO_SETTINGS_MODULE="advisor.settings", **extra)
        result = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.stdout.strip() == expected, result.stderr


@override_settings(
    SECURE_SSL_REDIRECT=False,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_https_responses_carry_hsts_and_secure_cookies():
    client = Client()
    response = client.get("/wizard/workload/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    response = client.post("/wizard/start/", secure=True)  # a draft, remembered in the session
    assert response.cookies
    for name, cookie in response.cookies.items():
        assert cookie["secure"], name
        assert cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


def test_plain_http_gets_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/")


def test_state_changing_forms_need_a_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/wizard/start/").status_code == 403
    response = strict.post(step_url("workload"), {"engine": "mysql"})
    assert response.status_code == 403
    page = strict.get(step_url("workload")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert '"X-CSRFToken"' in page  # htmx requests send the token in a header
