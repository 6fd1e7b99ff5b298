"""Many clients creating recommendations at once against a real gunicorn: nothing lost or mixed."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 20
PER_CLIENT = 10


def databases() -> list[str]:
    """SQLite always; PostgreSQL too when the suite runs on it."""
    urls = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        urls.append("postgresql")
    return urls


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(request, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "ARCHWISE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CREATE_RATE_PER_MINUTE": "100000",
        "CREATE_RATE_PER_DAY": "100000",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if request.param == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    else:
        # A database of its own, so the test run's tables are not touched.
        name = f"archwise_concurrency_{secrets.token_hex(4)}"
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        _psql(os.environ["DATABASE_URL"], f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{base}/{name}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "advisor.wsgi", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "4"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base_url}/livez")
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if request.param != "sqlite":
            _psql(os.environ["DATABASE_URL"], f"DROP DATABASE {name} WITH (FORCE)")


def _psql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not come up at {url}")


def _request(url: str, body: dict | None = None) -> tuple[int, dict, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


def answers_for(client: int, index: int) -> dict:
    """Distinct answers per request, so a mix-up between requests would show."""
    return {
        "engine": ("postgresql", "mysql", "mariadb", "oracle", "sqlserver")[client % 5],
        "data_size_gb": 1000 + client * 100 + index,
        "read_replicas": index % 4,
        "title": f"client {client} request {index}",
    }


def run_client(base_url: str, client: int) -> list[tuple[dict, str]]:
    created = []
    for index in range(PER_CLIENT):
        body = answers_for(client, index)
        for attempt in range(5):
            status, payload, headers = _request(f"{base_url}/api/v1/recommendations", body)
            if status == 201:
                created.append((body, payload["slug"]))
                break
            # Only clear, retryable refusals are acceptable.
            assert status in (429, 503), (status, payload)
            assert "Retry-After" in headers
            time.sleep(0.2 * (attempt + 1))
        else:
            raise AssertionError(f"client {client} request {index} never succeeded")
    return created


@pytest.mark.parametrize("server", databases(), indirect=True)
def test_parallel_clients_lose_nothing_and_mix_nothing_up(server):
    with ThreadPoolExecutor(CLIENTS) as pool:
        batches = list(pool.map(lambda client: run_client(server, client), range(CLIENTS)))
    created = [item for batch in batches for item in batch]
    assert len(created) == CLIENTS * PER_CLIENT
    assert len({slug for _, slug in created}) == len(created)
    for body, slug in created:
        status, snapshot, _ = _request(f"{server}/api/v1/recommendations/{slug}")
        assert status == 200
        assert snapshot["title"] == body["title"]
        for field in ("engine", "data_size_gb", "read_replicas"):
            assert snapshot["answers"][field] == body[field]
        assert snapshot["recommendation"]["answers"] == snapshot["answers"]


DRAFT_CLIENTS = 50


def _send(url: str, method: str, body: dict | None = None, **headers: str):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


def change_draft(url: str, client: int) -> dict:
    """One client's change to the shared draft, made against the version it last saw and made
    again against the newer one each time it is refused."""
    status, _, headers = _send(url, "GET")
    assert status == 200
    for refused in range(DRAFT_CLIENTS * 4):
        body = {"answers": {"data_size_gb": 1000 + client}}
        status, payload, headers = _send(url, "PATCH", body, **{"If-Match": headers["ETag"]})
        if status == 200:
            assert payload["answers"]["data_size_gb"] == 1000 + client
            return {"client": client, "version": payload["version"], "refused": refused}
        assert status == 412, (status, payload)
        assert "If-Match" in payload["errors"]  # the refusal is reported, with the draft now
    raise AssertionError(f"client {client} never got its change in")


@pytest.mark.parametrize("server", databases(), indirect=True)
def test_concurrent_changes_to_one_draft_are_each_applied_once_or_refused(server):
    status, made, _ = _send(f"{server}/api/v1/drafts", "POST", {"answers": {"engine": "mysql"}})
    assert status == 201
    url = f"{server}/api/v1/drafts/{made['id']}"
    with ThreadPoolExecutor(DRAFT_CLIENTS) as pool:
        results = list(pool.map(lambda client: change_draft(url, client), range(DRAFT_CLIENTS)))
    # Each accepted change made exactly one new version: none lost, none applied twice.
    versions = sorted(result["version"] for result in results)
    assert versions == list(range(2, DRAFT_CLIENTS + 2))
    last = max(results, key=lambda result: result["version"])
    status, final, _ = _send(url, "GET")
    assert final["version"] == DRAFT_CLIENTS + 1
    assert final["answers"] == {"engine": "mysql", "data_size_gb": 1000 + last["client"]}
    assert sum(result["refused"] for result in results) > 0  # they did collide, and were told
