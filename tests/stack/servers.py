"""Real gunicorn processes, with production settings, for the tests that attack or break one."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ARCHWISE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CREATE_RATE_PER_MINUTE": "100000",
        "CREATE_RATE_PER_DAY": "100000",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn with the project's gunicorn.conf.py, as `make serve` runs it; yields its URL."""
    port = free_port()
    migrate(env)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "advisor.wsgi", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", *options],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: get(f"{url}/livez")[0] == 200, "gunicorn came up")
        yield url, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_until(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting until {what}")


def request(
    url: str, body: dict | None = None, timeout: float = 30, headers: dict | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """Status, body and headers; an HTTP error is an answer, a connection error raises OSError."""
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=data, headers=sent), timeout=timeout
        ) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def get(url: str, timeout: float = 30) -> tuple[int, bytes, dict[str, str]]:
    return request(url, timeout=timeout)


def create(url: str, title: str, **answers) -> tuple[int, dict]:
    status, body, _ = request(
        f"{url}/api/v1/recommendations", {"engine": "postgresql", **answers, "title": title}
    )
    return status, json.loads(body or b"{}")


def health(url: str) -> dict:
    return json.loads(get(f"{url}/healthz")[1])


class TcpProxy:
    """A TCP relay that can be cut and restored: from the app's side, the server behind it
    stops and starts again."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and reset every open one."""
        with self.lock:
            listener, self.listener = self.listener, None
            open_now, self.connections = self.connections, []
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            listener.close()
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
