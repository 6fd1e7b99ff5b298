"""Stored recommendations never change, so their pages are rendered once and then served from the
cache, with an ETag so a browser that has the page gets a 304.

A cached page must not carry one visitor's CSRF token to another: views render with a placeholder
token, and each response gets the visitor's own token substituted in.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from .engine import default_engine

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Content-Type-Options")
TOKEN_PLACEHOLDER = "archwise-csrf-token-placeholder"  # noqa: S105  (not a secret)


def _release() -> str:
    """Changes whenever a template, a static file or the code that renders pages changes."""
    digest = hashlib.sha256()
    roots = [settings.BASE_DIR / "templates", settings.BASE_DIR / "static", Path(__file__).parent]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".css", ".js", ".py", ".svg"):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()
LOCAL_ENTRIES = 512


class _LocalCache:
    """A small per-process LRU in front of the shared cache: what it holds never goes stale,
    because every key names the release and the content it was rendered from."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key: str, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


local = _LocalCache(LOCAL_ENTRIES)


def _fetch(key: str, produce: Callable[[], Any | None]) -> Any | None:
    """The value under key from the process, then the shared cache, else produce and store it."""
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = produce()
            if value is None:
                return None
            cache.set(key, value, 24 * 3600)
        local.set(key, value)
    return value


def _with_token(request: HttpRequest, body: bytes) -> bytes:
    if TOKEN_PLACEHOLDER.encode() in body:
        return body.replace(TOKEN_PLACEHOLDER.encode(), get_token(request).encode())
    return body


def render_once(
    request: HttpRequest,
    template_name: str,
    make_context: Callable[[], dict[str, Any]],
    key: str,
) -> HttpResponse:
    """Render a template whose output depends only on `key` (and the release) once, then serve
    it from the cache. Pending flash messages make a page one-off, so it is rendered fresh."""
    if len(messages.get_messages(request)):
        return HttpResponse(render_to_string(template_name, make_context(), request))

    def produce() -> bytes:
        context = {**make_context(), "csrf_token": TOKEN_PLACEHOLDER}
        return render_to_string(template_name, context, request).encode()

    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    body = _fetch(f"render:{RELEASE}:{request.get_host()}:{template_name}:{digest}", produce)
    return HttpResponse(_with_token(request, body))


def immutable_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a page or export of one stored recommendation by path, host, release and ruleset."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        version = f"{RELEASE}-{default_engine().ruleset_version}"
        etag = f'"{hashlib.sha256(f"{slug}:{version}".encode()).hexdigest()[:20]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response: HttpResponse = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        path = request.get_full_path()
        key = f"page:{view.__name__}:{request.get_host()}:{path}:{version}:{bool(request.htmx)}"
        refused: list[HttpResponse] = []

        def produce() -> tuple[bytes, dict[str, str]] | None:
            response = view(request, slug, *args, **kwargs)
            if response.status_code != 200:
                refused.append(response)
                return None
            kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            return response.content, kept

        cached = _fetch(key, produce)
        if cached is None:
            return refused[0]
        body, headers = cached
        response = HttpResponse(_with_token(request, body), headers=headers)
        response["ETag"] = etag
        # Private: the page holds the visitor's CSRF token; revalidate with the ETag each time.
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper
