"""`/healthz`: whether this process can reach its database and cache."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"error: {type(error).__name__}"
    return "ok"


def _cache() -> str:
    probe = secrets.token_hex(8)
    try:
        cache.set("healthz", probe, 10)
        if cache.get("healthz") != probe:
            return "error: value not read back"
    except Exception as error:  # any backend failure means the cache is down
        return f"error: {type(error).__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches neither database nor cache."""
    return HttpResponse(b"ok", content_type="text/plain")
