"""`/healthz`: whether this process can read and write its database, and reach its cache."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from advisor.models import Heartbeat

log = logging.getLogger(__name__)


def _database() -> str:
    """A write, not just a read: a full disk or a read-only replica still answers SELECT 1."""
    try:
        with transaction.atomic():
            Heartbeat.objects.update_or_create(pk=1, defaults={"at": timezone.now()})
    except DatabaseError as error:
        log.error("health check: could not write to the database: %s", error)
        return f"error: {type(error).__name__}: could not write to the database"
    return "ok"


def _cache() -> str:
    client = getattr(cache, "client", None)
    try:
        if client is not None:  # Redis: its errors are ignored elsewhere, so ask it directly
            client.get_client(write=True).ping()
            return "ok"
        probe = secrets.token_hex(8)
        cache.set("healthz", probe, 10)
        if cache.get("healthz") != probe:
            return "error: value not read back"
    except Exception as error:  # any backend failure means the cache is down
        return f"error: {type(error).__name__}"
    return "ok"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database works; 503 when it does not. The cache only speeds pages up, so
    without it the site still works: the status is "degraded" and the answer stays 200."""
    checks = {"database": _database(), "cache": _cache()}
    if checks["database"] != "ok":
        status = "unavailable"
    elif checks["cache"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    code = 503 if status == "unavailable" else 200
    return JsonResponse({"status": status, **checks}, status=code)


def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches neither database nor cache."""
    return HttpResponse(b"ok", content_type="text/plain")
