"""Per-client fixed-window rate limits, counted in the database so every worker shares them."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from advisor.models import RateCounter

from .middleware import error_response


@cache
def _proxies(networks: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _is_proxy(address: str) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in _proxies(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind trusted proxies, and only on a request that came from one of
    them, it is the hop the nearest TRUSTED_PROXY_COUNT proxies appended to X-Forwarded-For."""
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and forwarded and _is_proxy(peer):
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:64]
    return peer[:64]


def now() -> float:
    """The clock the windows follow (a function of its own, so tests can hold it still)."""
    return time.time()


def _count(request: HttpRequest, scope: str, limit: int, window: int) -> tuple[bool, int]:
    """Count this request; return whether it is within `limit` per `window` seconds, and the
    seconds until the window resets."""
    seconds = int(now())
    start = seconds - seconds % window
    key = {"scope": scope, "client": client_address(request), "window": start}
    counter = RateCounter.objects.filter(**key)
    with transaction.atomic():
        if not counter.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(**key, count=1)
            except IntegrityError:  # another worker started this window first
                counter.update(count=F("count") + 1)
            else:
                # A new window: the counters of windows before the previous one are spent.
                RateCounter.objects.filter(scope=scope, window__lt=start - window).delete()
        count = counter.values_list("count", flat=True).get()
    return count <= limit, start + window - seconds


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused, and how many seconds until it would be allowed."""

    retry_after: int
    message: str

    def mark(self, response: HttpResponse, status: int = 429) -> HttpResponse:
        """A page that answers a refused request (and keeps the user's work on screen): its
        status, and when to try again."""
        response.status_code = status
        response["Retry-After"] = str(self.retry_after)
        return response


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"


MINUTE, DAY = 60, 86400
SPANS = {MINUTE: "in the last minute", DAY: "today"}


def refuse(request: HttpRequest, scope: str, limit: int, window: int, what: str) -> Refusal | None:
    """Count this request against one limit; None while within it, else why and for how long.
    `what` names what is counted: "Too many {what} from your address in the last minute"."""
    allowed, retry_after = _count(request, scope, limit, window)
    if allowed:
        return None
    return Refusal(
        retry_after,
        f"Too many {what} from your address {SPANS[window]}; try again in "
        f"{_duration(retry_after)}.",
    )


def allow_create(request: HttpRequest) -> Refusal | None:
    """None when this client may create a recommendation now. Two limits: a burst limit a minute,
    and a daily one that bounds how much one client can store (a recommendation is about 35 KB)."""
    what = "recommendations created"
    return refuse(request, "create", settings.CREATE_RATE_PER_MINUTE, MINUTE, what) or refuse(
        request, "create-day", settings.CREATE_RATE_PER_DAY, DAY, what
    )


def throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view that evaluates the rules, tens of milliseconds of CPU a call: at most
    EVALUATE_RATE_PER_MINUTE a minute from one client, counted across every such view."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.EVALUATE_RATE_PER_MINUTE
        if refusal := refuse(request, "evaluate", limit, MINUTE, "evaluations"):
            return error_response(request, 429, refusal.message, "429.html", refusal.retry_after)
        return view(request, *args, **kwargs)

    return checked
