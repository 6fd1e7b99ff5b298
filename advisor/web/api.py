"""The JSON API (v1): create, fetch and evaluate recommendations, and the answers' JSON Schema.

The API takes JSON bodies only (Content-Type: application/json) and needs no cookies, so it is
exempt from CSRF: a cross-site form cannot send that content type without a CORS preflight, which
Archwise never grants.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from advisor.engine import AnswersError, json_schema, recommend
from advisor.models import Recommendation
from advisor.ops.middleware import error_response
from advisor.ops.ratelimit import allow_create, throttled
from advisor.recommendations import save_recommendation, split_title


def _errors(errors: dict[str, str], status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _json_body(request: HttpRequest) -> Any:
    """Parse a JSON body or raise AnswersError with a message that says what is wrong."""
    if not request.body:
        raise AnswersError({"__all__": "The body is empty; send a JSON object of answers."})
    if _wrong_type(request):
        raise AnswersError(
            {"__all__": "Send the body as JSON with Content-Type: application/json."}
        )
    try:
        return json.loads(request.body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise AnswersError({"__all__": "The body is not valid UTF-8."}) from error
    except json.JSONDecodeError as error:
        raise AnswersError(
            {"__all__": f"The body is not valid JSON: {error.msg} at line {error.lineno}."}
        ) from error
    except RecursionError as error:
        raise AnswersError(
            {"__all__": "The body nests too deeply to read; send a flat JSON object of answers."}
        ) from error
    except ValueError as error:  # e.g. an integer literal past Python's 4,300-digit limit
        raise AnswersError(
            {"__all__": f"The body holds a number too long to read: {error}."}
        ) from error


@csrf_exempt
@require_POST
def create(request: HttpRequest) -> JsonResponse:
    if refusal := allow_create(request):
        return error_response(request, 429, refusal.message, "429.html", refusal.retry_after)
    try:
        answers, title = split_title(_json_body(request))
    except AnswersError as error:
        return _errors(error.errors, _status(request))
    saved = save_recommendation(answers, title)
    return JsonResponse(
        {
            "slug": saved.slug,
            "url": request.build_absolute_uri(saved.get_absolute_url()),
            "recommendation": saved.recommendation,
        },
        status=201,
    )


@csrf_exempt
@require_POST
@throttled
def evaluate(request: HttpRequest) -> JsonResponse:
    """Evaluate without storing (within the limit every evaluating endpoint shares)."""
    try:
        answers, _ = split_title(_json_body(request))
        result = recommend(answers)
    except AnswersError as error:
        return _errors(error.errors, _status(request))
    return JsonResponse(result)


@require_safe
def detail(request: HttpRequest, slug: str) -> JsonResponse:
    try:
        saved = get_object_or_404(Recommendation.objects.select_related("parent"), slug=slug)
    except Http404:
        return _errors({"slug": "No recommendation has this link."}, 404)
    return JsonResponse(saved.published())


@require_safe
def schema(request: HttpRequest) -> JsonResponse:
    return JsonResponse(json_schema())


def _wrong_type(request: HttpRequest) -> bool:
    return request.content_type != "application/json"


def _status(request: HttpRequest) -> int:
    """415 for a body that is not JSON at all, 400 for JSON that is wrong."""
    return 415 if request.body and _wrong_type(request) else 400
