"""Faults a production site meets, injected into a real gunicorn with production settings: a slow
client, a stopped Redis, a stopped PostgreSQL, a full disk under SQLite, a worker killed mid-load.

Each asserts the same things: no 500 anywhere, nothing acknowledged is lost, `/healthz` tells the
truth, and the site recovers by itself once the fault is gone.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

from .servers import (
    TcpProxy,
    create,
    free_port,
    get,
    gunicorn,
    health,
    production_env,
    wait_until,
)


def _sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


def _reads_back(url: str, acknowledged: dict[str, str]) -> None:
    """Every recommendation the site acknowledged (a 201) is there, with its own title."""
    for slug, title in acknowledged.items():
        status, body, _ = get(f"{url}/api/v1/recommendations/{slug}")
        assert status == 200, (slug, status)
        assert json.loads(body)["title"] == title


# -- slow clients --------------------------------------------------------------------------------


def _trickle(port: int, stop: threading.Event) -> None:
    """A client that announces a 30 KB body and sends it a byte at a time."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            b"POST /api/v1/recommendations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 30000\r\n\r\n"
        )
        while not stop.wait(0.5):
            try:
                sock.sendall(b" ")
            except OSError:
                return


def test_slow_clients_do_not_stall_the_site(tmp_path):
    """`make serve`'s own settings (gunicorn.conf.py), six clients trickling their bodies."""
    env = production_env(_sqlite(tmp_path / "slow.sqlite3"))
    env.pop("WEB_CONCURRENCY", None)
    env.pop("THREADS", None)
    with gunicorn(env) as (url, _):
        status, saved = create(url, "Before the slow clients")
        assert status == 201
        port = int(url.rsplit(":", 1)[1])
        stop = threading.Event()
        slow = [threading.Thread(target=_trickle, args=(port, stop)) for _ in range(6)]
        for thread in slow:
            thread.start()
        try:
            time.sleep(1)  # every slow client is connected and holding its request open
            for _ in range(10):
                assert get(f"{url}/livez", timeout=5)[0] == 200
                assert get(f"{url}/r/{saved['slug']}/", timeout=5)[0] == 200
            status, _ = create(url, "While they trickle")
            assert status == 201
        finally:
            stop.set()
            for thread in slow:
                thread.join()


# -- the rate limit across workers ----------------------------------------------------------------


def test_the_rate_limit_holds_across_workers_without_redis(tmp_path):
    env = production_env(_sqlite(tmp_path / "limit.sqlite3"), CREATE_RATE_PER_MINUTE="10")
    with gunicorn(env, "--workers", "4") as (url, _):
        started = int(time.time()) // 60
        statuses = [create(url, f"attempt {n}")[0] for n in range(30)]
        windows = int(time.time()) // 60 - started + 1
    assert set(statuses) <= {201, 429}
    assert 10 <= statuses.count(201) <= 10 * windows


# -- Redis stops ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _redis(port: int):
    process = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: _redis_answers(port), "Redis answered")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _redis_answers(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


class Browser:
    """Cookies and CSRF tokens, as a browser keeps them, over plain urllib."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.statuses: list[int] = []

    def open(self, path: str, form: dict | None = None) -> tuple[int, str, str]:
        data = None if form is None else urllib.parse.urlencode(form, doseq=True).encode()
        headers = {"Referer": f"{self.url}/"}
        try:
            with self.opener.open(
                urllib.request.Request(f"{self.url}{path}", data=data, headers=headers), timeout=30
            ) as response:
                result = response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            result = error.code, error.read().decode(), error.url
        self.statuses.append(result[0])
        return result

    def start(self) -> str:
        """Start a draft from the landing page; its path, up to the step."""
        _, page, _ = self.open("/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        _, _, landed = self.open("/wizard/start/", {"csrfmiddlewaretoken": token})
        return urllib.parse.urlsplit(landed).path.removesuffix("workload/")

    def post_step(self, path: str, form: dict) -> tuple[int, str, str]:
        _, page, _ = self.open(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.open(path, {**form, "csrfmiddlewaretoken": token})


def test_a_redis_outage_serves_every_page_from_the_database(tmp_path):
    from tests.web.test_wizard import form_data

    port = free_port()
    env = production_env(
        _sqlite(tmp_path / "redis.sqlite3"), REDIS_URL=f"redis://127.0.0.1:{port}/0"
    )
    acknowledged: dict[str, str] = {}
    statuses: list[int] = []
    with _redis(port) as redis, gunicorn(env, "--workers", "2") as (url, _):
        for n in range(3):
            title = f"Before the outage {n}"
            status, body = create(url, title)
            assert status == 201
            acknowledged[body["slug"]] = title
            assert get(f"{url}/r/{body['slug']}/")[0] == 200  # now in the cache
        assert health(url)["status"] == "ok"

        redis.terminate()
        redis.wait(timeout=10)
        for n in range(3):
            title = f"During the outage {n}"
            status, body = create(url, title)
            statuses.append(status)
            acknowledged[body["slug"]] = title
        for slug, title in acknowledged.items():
            for path in (f"/r/{slug}/", f"/r/{slug}.md", f"/r/{slug}.json"):
                status, page, _ = get(f"{url}{path}")
                statuses.append(status)
                assert title.encode() in page
        statuses.append(get(f"{url}/r/AAAAAAAAAAAAAAAA/")[0])
        # The wizard keeps its answers between steps: sessions are read from the database.
        browser = Browser(url)
        draft = browser.start()
        browser.post_step(f"{draft}workload/", form_data("workload", {"engine": "mysql"}))
        _, _, landed = browser.post_step(
            f"{draft}review/", {"_action": "save", "title": "Saved through the outage"}
        )
        statuses += browser.statuses
        slug = landed.rstrip("/").rsplit("/", 1)[1]
        status, body, _ = get(f"{url}/api/v1/recommendations/{slug}")
        assert json.loads(body)["answers"]["engine"] == "mysql"
        report = health(url)
        assert report["status"] == "degraded"
        assert report["database"] == "ok"
        assert report["cache"].startswith("error")

        with _redis(port):
            wait_until(lambda: health(url)["status"] == "ok", "the cache was back in /healthz")
            _reads_back(url, acknowledged)
    assert 500 not in statuses
    assert statuses.count(201) == 3
    assert statuses.count(404) == 1


# -- the database stops or fills up ---------------------------------------------------------------


def _during_an_outage(url: str, acknowledged: dict[str, str]) -> list[int]:
    """What clients see while the database is gone: clear 503s, never a 500."""
    statuses = []
    for n in range(3):
        title = f"During the outage {n}"
        status, body = create(url, title)
        statuses.append(status)
        if status == 201:
            acknowledged[body["slug"]] = title
        else:
            assert status == 503
            assert "unavailable" in body["errors"]["__all__"]
    for slug in [*acknowledged, "AAAAAAAAAAAAAAAA"]:
        status, page, headers = get(f"{url}/r/{slug}/")
        statuses.append(status)
        assert b"Traceback" not in page
        if status == 503:
            assert headers["Retry-After"] == "30"
            assert b"every share link keeps working" not in page
    return statuses


def _psql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


if os.environ.get("DATABASE_URL", "").startswith("postgres"):

    def test_a_postgresql_outage_is_a_clear_503_and_recovers_by_itself():
        server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        proxy = TcpProxy((server.hostname, server.port or 5432))
        name = f"archwise_faults_{secrets.token_hex(4)}"
        _psql(os.environ["DATABASE_URL"], f"CREATE DATABASE {name}")
        through_proxy = server._replace(
            netloc=f"{server.username}:{server.password}@127.0.0.1:{proxy.port}", path=f"/{name}"
        ).geturl()
        acknowledged: dict[str, str] = {}
        try:
            with gunicorn(production_env(through_proxy), "--workers", "2") as (url, _):
                for n in range(3):
                    title = f"Before the outage {n}"
                    status, body = create(url, title)
                    assert status == 201
                    acknowledged[body["slug"]] = title
                proxy.cut()
                statuses = _during_an_outage(url, acknowledged)
                assert 503 in statuses
                status, body, _ = get(f"{url}/healthz")
                assert status == 503
                assert json.loads(body)["status"] == "unavailable"
                proxy.restore()
                wait_until(lambda: health(url)["status"] == "ok", "the database was back")
                assert create(url, "After the outage")[0] == 201
                _reads_back(url, acknowledged)
            assert 500 not in statuses
        finally:
            proxy.cut()
            _psql(os.environ["DATABASE_URL"], f"DROP DATABASE {name} WITH (FORCE)")


@contextlib.contextmanager
def _small_disk(path: Path, size: str = "4m"):
    """A file system of its own, a few megabytes big, that the test can fill."""
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    return filler


def test_a_full_disk_under_sqlite_is_a_clear_503_and_recovers_by_itself(tmp_path):
    with _small_disk(tmp_path / "disk") as disk:
        env = production_env(_sqlite(disk / "archwise.sqlite3"))
        acknowledged: dict[str, str] = {}
        with gunicorn(env, "--workers", "2") as (url, _):
            for n in range(3):
                title = f"Before the disk filled {n}"
                status, body = create(url, title)
                assert status == 201
                acknowledged[body["slug"]] = title
            filler = _fill(disk)
            statuses = _during_an_outage(url, acknowledged)
            status, body, _ = get(f"{url}/healthz")
            # The truth: creates fail, so the health check says the database refuses writes.
            assert 503 in statuses
            assert status == 503
            assert "could not write" in json.loads(body)["database"]
            filler.unlink()
            wait_until(lambda: health(url)["status"] == "ok", "the disk had room again")
            assert create(url, "After the disk was cleared")[0] == 201
            _reads_back(url, acknowledged)
        assert 500 not in statuses


# -- a worker dies mid-load -----------------------------------------------------------------------


def _workers(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
    return children


def test_a_worker_killed_mid_load_loses_nothing_acknowledged(tmp_path):
    env = production_env(_sqlite(tmp_path / "kill.sqlite3"))
    with gunicorn(env, "--workers", "3") as (url, process):
        wait_until(lambda: len(_workers(process.pid)) == 3, "three workers ran")
        statuses: list[int] = []
        acknowledged: dict[str, str] = {}
        lock = threading.Lock()

        def client(number: int) -> None:
            for index in range(8):
                title = f"client {number} request {index}"
                try:
                    status, body = create(url, title)
                except (OSError, http.client.HTTPException):
                    continue  # the connection died with the worker: not acknowledged
                with lock:
                    statuses.append(status)
                    if status == 201:
                        acknowledged[body["slug"]] = title

        with ThreadPoolExecutor(8) as pool:
            running = [pool.submit(client, number) for number in range(8)]
            time.sleep(0.5)
            os.kill(_workers(process.pid)[0], signal.SIGKILL)
            for future in running:
                future.result()
        wait_until(lambda: len(_workers(process.pid)) == 3, "gunicorn replaced the worker")
        assert health(url)["status"] == "ok"
        _reads_back(url, acknowledged)
    assert 500 not in statuses
    assert set(statuses) <= {201, 503}
    assert len(acknowledged) >= 8 * 8 // 2
