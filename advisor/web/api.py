"""The JSON API (v1): create, fetch and evaluate recommendations, the answers' JSON Schema, and
drafts (create, fetch with an ETag, change answers, notes and title against a version with
If-Match, store as a recommendation).

The API takes JSON bodies only (Content-Type: application/json) and needs no cookies, so it is
exempt from CSRF: a cross-site form cannot send that content type without a CORS preflight, which
Archwise never grants.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from advisor.drafts import change, checked_answers, compact, find, finish
from advisor.engine import AnswersError, json_schema, recommend
from advisor.models import Draft, Recommendation
from advisor.ops.middleware import error_response
from advisor.ops.ratelimit import allow_create, throttled
from advisor.reading.answers import asked, clean_answers
from advisor.reading.notes import Note, checked_notes, notes_json, read_notes
from advisor.recommendations import clean_title, save_recommendation, split_title


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


# -- drafts --------------------------------------------------------------------------------------

DRAFT_FIELDS = ("answers", "title", "notes")


class DraftBody(NamedTuple):
    """What a draft body asks for; None where it says nothing."""

    answers: dict[str, Any] | None
    title: str | None
    notes: dict[str, Note] | None


def _draft_body(request: HttpRequest, fields: tuple[str, ...] = DRAFT_FIELDS) -> DraftBody:
    """The answers, title and notes of a draft body (each optional; an empty body is an empty
    draft); AnswersError names every part that is wrong, and anything not in `fields`."""
    data = _json_body(request) if request.body else {}
    if not isinstance(data, dict):
        raise AnswersError(
            {"__all__": 'Send a JSON object: {"answers": {...}, "title": "...", "notes": {...}}.'}
        )
    taken = " and ".join([", ".join(fields[:-1]), fields[-1]] if len(fields) > 1 else fields)
    errors = {
        str(key)[:100]: f"is not taken here: send {taken}." for key in data if key not in fields
    }
    parts: dict[str, Any] = {"answers": None, "title": None, "notes": None}
    readers = {"answers": checked_answers, "title": clean_title, "notes": checked_notes}
    for name, check in readers.items():
        if name in data and name in fields:
            try:
                parts[name] = check(data[name])
            except AnswersError as error:
                errors.update(error.errors)
    if errors:
        raise AnswersError(errors)
    return DraftBody(**parts)


def _etag(found: Draft) -> str:
    return f'"{found.key}.{found.version}"'


def _draft_json(
    request: HttpRequest, found: Draft, status: int = 200, **extra: Any
) -> JsonResponse:
    body = {
        "id": found.key,
        "url": request.build_absolute_uri(found.get_absolute_url()),
        "version": found.version,
        "title": found.title,
        "answers": clean_answers(found.answers),
        "notes": notes_json(read_notes(found.notes)),
        "parent": found.parent.slug if found.parent else None,
        **extra,
    }
    response = JsonResponse(body, status=status)
    response["ETag"] = _etag(found)
    response["Cache-Control"] = "no-cache"
    return response


@csrf_exempt
@require_POST
def drafts(request: HttpRequest) -> JsonResponse:
    """A new draft, with any answers and title given; 201 with its id, link and version."""
    if refusal := allow_create(request):
        return error_response(request, 429, refusal.message, "429.html", refusal.retry_after)
    try:
        body = _draft_body(request)
    except AnswersError as error:
        return _errors(error.errors, _status(request))
    made = Draft.objects.create(
        answers=compact(asked(body.answers or {})),
        title=body.title or "",
        notes=notes_json(body.notes or {}),
    )
    return _draft_json(request, made, 201)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "PATCH"])
def draft(request: HttpRequest, key: str) -> HttpResponse:
    """GET a draft (304 for a matching If-None-Match: cheap to poll); PATCH some of its answers,
    notes or its title, against the version named by If-Match (412, with the draft as it is now,
    when another change landed first)."""
    found = find(key)
    if found is None:
        return _errors({"id": "No draft has this id."}, 404)
    if request.method != "PATCH":
        if request.headers.get("If-None-Match", "").strip() == _etag(found):
            response = HttpResponse(status=304)
            response["ETag"] = _etag(found)
            return response
        return _draft_json(request, found)
    expected = request.headers.get("If-Match", "").strip()
    if not expected:
        message = "Send If-Match with the draft's ETag, so a change made elsewhere is not lost."
        return _errors({"If-Match": message}, 428)
    try:
        body = _draft_body(request)
    except AnswersError as error:
        return _errors(error.errors, _status(request))
    version = _version(found, expected)
    if version is None or not change(
        found, version, answers=body.answers, title=body.title, notes=body.notes
    ):
        found.refresh_from_db()
        message = (
            "The draft changed since that version; here it is as it is now. Apply your change "
            "to it and send it again with the new ETag."
        )
        return _draft_json(request, found, 412, errors={"If-Match": message})
    return _draft_json(request, found)


def _version(found: Draft, etag: str) -> int | None:
    """The version an If-Match names, if it is this draft's ETag form."""
    prefix = f'"{found.key}.'
    if not (etag.startswith(prefix) and etag.endswith('"')):
        return None
    number = etag[len(prefix) : -1]
    return int(number) if number.isdigit() and len(number) < 12 else None


@csrf_exempt
@require_POST
def draft_recommendations(request: HttpRequest, key: str) -> JsonResponse:
    """Store the draft as a recommendation (201, as POST /api/v1/recommendations answers); the
    draft stays, now a draft of the recommendation's next version. The body may name a title."""
    found = find(key)
    if found is None:
        return _errors({"id": "No draft has this id."}, 404)
    if refusal := allow_create(request):
        return error_response(request, 429, refusal.message, "429.html", refusal.retry_after)
    try:
        # The answers and notes are the draft's: change them with PATCH first.
        title = _draft_body(request, ("title",)).title
        saved = finish(found, found.title if title is None else title)
    except AnswersError as error:
        return _errors(error.errors, _status(request))
    return JsonResponse(
        {
            "slug": saved.slug,
            "url": request.build_absolute_uri(saved.get_absolute_url()),
            "recommendation": saved.recommendation,
        },
        status=201,
    )
