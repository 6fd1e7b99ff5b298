"""Small helpers the page views share."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Recommendation


def stored(slug: str) -> Recommendation:
    """The stored recommendation behind a slug, or a 404."""
    return get_object_or_404(Recommendation.objects.select_related("parent"), slug=slug)


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap gets a fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
