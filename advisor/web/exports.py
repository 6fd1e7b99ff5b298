"""Downloads of a stored recommendation: decision record, JSON snapshot, CloudFormation template.

Each view reads the stored snapshot (the decision record also the team's latest decision on it);
an unknown slug is a 404.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from advisor.engine import default_engine
from advisor.models import Recommendation, Review
from advisor.ops.caching import RELEASE, immutable_page, wants_download
from advisor.outputs import cloudformation as cfn
from advisor.outputs import record
from advisor.reading import read_stored

from .http import stored
from .review import latest

MARKDOWN = "text/markdown; charset=utf-8"
YAML = "text/yaml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


def _permalink(request: HttpRequest, saved: Recommendation) -> str:
    return request.build_absolute_uri(saved.get_absolute_url())


def _file(response: HttpResponse, request: HttpRequest, filename: str) -> HttpResponse:
    """Inline by default; an attachment (a download) with ?download=1."""
    disposition = "attachment" if wants_download(request) else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _record_etag(request: HttpRequest, slug: str) -> str | None:
    """The record changes with the release, the rules and the team's latest decision."""
    review = Review.objects.filter(recommendation__slug=slug).values_list("pk", flat=True).first()
    rules = default_engine().ruleset_version
    version = f"{RELEASE}:{rules}:{slug}:{review}:{wants_download(request)}"
    return hashlib.sha256(version.encode()).hexdigest()[:20]


@require_safe
@condition(etag_func=_record_etag)
def decision_record(request: HttpRequest, slug: str) -> HttpResponse:
    """Not cached for good like the other exports: it says the team's decision, which can change."""
    saved = stored(slug)
    review = latest(saved)
    decided = None
    if review is not None:
        decided = {
            "status": review.status,
            "by": review.by,
            "note": review.note,
            "date": f"{review.created:%Y-%m-%d}",
        }
    text = record.render(saved.published(), _permalink(request, saved), decided)
    filename = f"archwise-{saved.slug}.md"
    response = _file(HttpResponse(text, content_type=MARKDOWN), request, filename)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
@immutable_page
def snapshot_json(request: HttpRequest, slug: str) -> HttpResponse:
    saved = stored(slug)
    response = JsonResponse(saved.published(), json_dumps_params={"indent": 2})
    return _file(response, request, f"archwise-{saved.slug}.json")


@require_safe
@immutable_page
def cloudformation(request: HttpRequest, slug: str) -> HttpResponse:
    saved = stored(slug)
    published = read_stored(saved.published())
    text = cfn.render(published, _permalink(request, saved))
    if text is None:
        reason = cfn.not_generated_reason(published) or cfn.NOT_GENERATED_REASON
        body = f"{reason}\n\nThe recommendation and its checklist: {_permalink(request, saved)}\n"
        return HttpResponse(body, content_type=TEXT)
    return _file(HttpResponse(text, content_type=YAML), request, f"archwise-{saved.slug}.yaml")
