"""Stored recommendations never change, so their pages are rendered once and then served from the
cache, with an ETag so a browser that has the page gets a 304.

A cached page must not carry one visitor's CSRF token to another: views render with a placeholder
token, and each response gets the visitor's own token substituted in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
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
        cached = cache.get(key)
        if cached is None:
            response = view(request, slug, *args, **kwargs)
            if response.status_code != 200:
                return response
            kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cached = (response.content.decode(), kept)
            cache.set(key, cached, 24 * 3600)
        body, headers = cached
        if TOKEN_PLACEHOLDER in body:
            body = body.replace(TOKEN_PLACEHOLDER, get_token(request))
        response = HttpResponse(body, headers=headers)
        response["ETag"] = etag
        # Private: the page holds the visitor's CSRF token; revalidate with the ETag each time.
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper
