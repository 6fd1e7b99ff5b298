"""What every page view shares: finding a stored recommendation, fragments and redirects."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django_htmx.http import HttpResponseClientRedirect

from advisor.models import SLUG_PATTERN, Recommendation

STORED_SLUG = re.compile(SLUG_PATTERN)


def stored(slug: str) -> Recommendation:
    """The stored recommendation behind a slug, or a 404; text that cannot be a slug (a NUL
    byte, say) never reaches the database, so it cannot pass for an outage."""
    if not STORED_SLUG.fullmatch(slug):
        raise Http404("No recommendation has that link.")
    return get_object_or_404(Recommendation.objects.select_related("parent"), slug=slug)


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx swap gets a fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def links_original(request: HttpRequest) -> bool:
    """Whether whoever saves a new version ticked "Link the new page to the original"."""
    return request.POST.get("link_original") == "true"


def see_other(request: HttpRequest, url: str, *, new_page: bool = False) -> HttpResponse:
    """303 See Other: after a POST the browser, or htmx's request, GETs `url`. A `new_page` (a
    saved version, say) is loaded whole by htmx too, since none of its fragments fit this page."""
    if new_page and request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url, status=303)
