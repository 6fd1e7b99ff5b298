"""Cross-cutting responses: request bodies (411, 413), database outages (503) and a header."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def error_response(
    request: HttpRequest, status: int, message: str, template: str, retry_after: int | None = None
) -> HttpResponse:
    """A JSON error for the API, a page everywhere else."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"errors": {"__all__": message}}, status=status)
    else:
        html = render_to_string(template, {"message": message}, request=request)
        response = HttpResponse(html, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.MAX_BODY_BYTES // 1024
    return error_response(
        request, 413, f"The request is too large; send at most {limit} KB.", "413.html"
    )


class BodySizeLimitMiddleware:
    """Refuse bodies over MAX_BODY_BYTES with a clear 413 before anything reads them, and bodies
    without a length with a 411."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            # Django reads a body by its Content-Length; a chunked one would be read as empty.
            return error_response(
                request,
                411,
                "Send the request body with a Content-Length header; chunked bodies are not "
                "accepted.",
                "411.html",
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_BODY_BYTES:
            return _too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return _too_large(request)
        return None


class DatabaseUnavailableMiddleware:
    """Turn a database outage into a clear, retryable 503 instead of a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError):
            return None
        log.error("database unavailable: %s", exception)
        return error_response(
            request, 503, "The database is unavailable; try again in a minute.", "503.html", 30
        )


class CrossOriginResourcePolicyMiddleware:
    """Other sites may not embed Archwise's responses (`Cross-Origin-Resource-Policy`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
