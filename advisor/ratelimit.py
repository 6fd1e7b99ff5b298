"""A per-client fixed-window rate limit kept in the cache, shared by all app processes."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; behind trusted proxies, the last hop they appended."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request: HttpRequest, scope: str, limit: int, window: int = 60) -> tuple[bool, int]:
    """Count this request; return whether it is within `limit` per `window` seconds, and the
    seconds until the window resets."""
    now = int(time.time())
    start = now - now % window
    key = f"ratelimit:{scope}:{client_address(request)}:{start}"
    if cache.add(key, 1, window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, window + 5)
            count = 1
    return count <= limit, start + window - now
