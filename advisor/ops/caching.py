"""Stored recommendations never change, so their pages are rendered once and then served from the
cache, with an ETag so a browser that has the page gets a 304.

A cached page must not carry one visitor's CSRF token to another: a page is rendered with a random
placeholder for the token, made for that one rendering and kept beside it, and each visitor's own
token replaces that placeholder in HTML only. Text users store was written before the placeholder
existed, so it can never contain it.

The cache is keyed only on what changes the output (host, path, release, ruleset, htmx or not,
and whether an export is a download): no other query string changes these pages, and none makes a
new entry.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control

from advisor.engine import default_engine

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Content-Type-Options")


def _release() -> str:
    """Changes whenever a template, a static file or the code that renders pages changes."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent  # advisor/: views, outputs, engine, data
    roots = [settings.BASE_DIR / "templates", settings.BASE_DIR / "static", package]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".css", ".js", ".py", ".svg", ".toml"):
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


def wants_download(request: HttpRequest) -> bool:
    """`?download=1`: an export served as an attachment; the one query that changes a response."""
    return request.GET.get("download") == "1"


def csrf_placeholder(request: HttpRequest) -> str:
    """The stand-in for the visitor's CSRF token in a page being rendered for the cache."""
    if not hasattr(request, "_csrf_placeholder"):
        request._csrf_placeholder = f"csrf-placeholder-{secrets.token_urlsafe(24)}"
    return request._csrf_placeholder


def _with_token(request: HttpRequest, body: bytes, placeholder: str, content_type: str) -> bytes:
    """Put the visitor's own token where the rendering put its placeholder, in HTML only."""
    if content_type.startswith("text/html") and placeholder.encode() in body:
        return body.replace(placeholder.encode(), get_token(request).encode())
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

    def produce() -> tuple[bytes, str]:
        placeholder = csrf_placeholder(request)
        context = {**make_context(), "csrf_token": placeholder}
        return render_to_string(template_name, context, request).encode(), placeholder

    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    body, placeholder = _fetch(
        f"render:{RELEASE}:{request.get_host()}:{template_name}:{digest}", produce
    )
    return HttpResponse(_with_token(request, body, placeholder, "text/html"))


def _not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        response["ETag"] = etag
        patch_cache_control(response, private=True, no_cache=True)
    return response


def immutable_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a page or export of one stored recommendation by host, path, release and ruleset."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        version = f"{RELEASE}-{default_engine().ruleset_version}"
        tag = f"{view.__name__}:{slug}:{version}"
        etag = f'"{hashlib.sha256(tag.encode()).hexdigest()[:20]}"'
        # Django's reading of If-None-Match: a list of tags, weak or strong. "*" matches only a
        # page that exists, so it is answered once the page is found.
        any_tag = request.headers.get("If-None-Match", "").strip() == "*"
        if not any_tag and (not_modified := _not_modified(request, etag)):
            return not_modified
        variant = f"{bool(request.htmx)}:{wants_download(request)}"
        key = f"page:{view.__name__}:{request.get_host()}:{request.path}:{version}:{variant}"
        refused: list[HttpResponse] = []

        def produce() -> tuple[bytes, dict[str, str], str] | None:
            placeholder = csrf_placeholder(request)
            response = view(request, slug, *args, **kwargs)
            if response.status_code != 200:
                refused.append(response)
                return None
            kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            return response.content, kept, placeholder

        cached = _fetch(key, produce)
        if cached is None:
            return refused[0]
        if any_tag and (not_modified := _not_modified(request, etag)):
            return not_modified
        body, headers, placeholder = cached
        content_type = headers.get("Content-Type", "text/html")
        body = _with_token(request, body, placeholder, content_type)
        response = HttpResponse(body, headers=headers)
        response["ETag"] = etag
        # Private: the page holds the visitor's CSRF token; revalidate with the ETag each time.
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper
