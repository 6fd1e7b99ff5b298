"""Downloads of a stored recommendation: decision record, JSON snapshot, CloudFormation template.

Each view reads the stored snapshot and nothing else; an unknown slug is a 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from advisor.models import Recommendation
from advisor.ops.caching import immutable_page, wants_download
from advisor.outputs import cloudformation as cfn
from advisor.outputs import record
from advisor.reading import read_stored

from .http import stored

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


@require_safe
@immutable_page
def decision_record(request: HttpRequest, slug: str) -> HttpResponse:
    saved = stored(slug)
    text = record.render(saved.published(), _permalink(request, saved))
    return _file(HttpResponse(text, content_type=MARKDOWN), request, f"archwise-{saved.slug}.md")


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
