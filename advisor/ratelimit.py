"""A per-client fixed-window rate limit, counted in the database so every worker shares it."""

from __future__ import annotations

import ipaddress
import time
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from .models import RateCounter


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


def allow(request: HttpRequest, scope: str, limit: int, window: int = 60) -> tuple[bool, int]:
    """Count this request; return whether it is within `limit` per `window` seconds, and the
    seconds until the window resets."""
    seconds = int(now())
    start = seconds - seconds % window
    counter = RateCounter.objects.filter(scope=scope, client=client_address(request), window=start)
    with transaction.atomic():
        if not counter.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(
                        scope=scope, client=client_address(request), window=start, count=1
                    )
            except IntegrityError:  # another worker started this window first
                counter.update(count=F("count") + 1)
            else:
                # A new window: the counters of windows before the previous one are spent.
                RateCounter.objects.filter(scope=scope, window__lt=start - window).delete()
        count = counter.values_list("count", flat=True).get()
    return count <= limit, start + window - seconds
