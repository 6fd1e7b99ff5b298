"""A team's decision on a recommendation: proposed until someone records it accepted or rejected.

The recommendation never changes, and its page is cached for good, so the status is served here
and loaded into the page (as the versions made from it are); the decision record reads it too.
Each decision is a new `Review` row, so the history of who decided what stays.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from advisor.models import Recommendation, Review
from advisor.ops.ratelimit import allow_create

from .http import see_other, stored, wants_fragment

HISTORY_SHOWN = 20


class ReviewForm(forms.ModelForm):
    prefix = "review"
    status = forms.ChoiceField(
        choices=[(s, s.label) for s in (Review.Status.ACCEPTED, Review.Status.REJECTED)]
        + [(Review.Status.PROPOSED, "Back to proposed")],
        widget=forms.RadioSelect,
        label="The team\N{RIGHT SINGLE QUOTATION MARK}s decision",
        error_messages={
            "required": "Choose accepted, rejected or back to proposed.",
            "invalid_choice": "Choose accepted, rejected or back to proposed.",
        },
    )

    class Meta:
        model = Review
        fields = ["status", "by", "note"]
        labels = {"by": "Your name or team (optional)", "note": "Note (optional)"}
        help_texts = {"note": "Where it was reviewed, or what made the decision."}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


def latest(saved: Recommendation) -> Review | None:
    """The recommendation's status: its latest review, or None while it is only proposed."""
    return saved.reviews.first()


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, slug: str) -> HttpResponse:
    """The status with its history and a form to record the team's decision; with htmx, the
    panel the recommendation page loads."""
    saved = stored(slug)
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, initial={"status": Review.Status.ACCEPTED})
    context: dict[str, Any] = {"saved": saved, "form": form}
    refusal, code = None, 200
    if request.method == "POST":
        if not form.is_valid():
            code = 400
        elif refusal := allow_create(request):
            context["warning"] = f"{refusal.message} The decision was not recorded."
        else:
            form.instance.recommendation = saved
            form.save()
            if not wants_fragment(request):
                return see_other(request, request.path)
            context["recorded"] = True
            context["form"] = ReviewForm(initial={"status": Review.Status.ACCEPTED})
    history = list(saved.reviews.all()[:HISTORY_SHOWN])
    context["review"] = history[0] if history else None
    context["history"] = history
    template = "recommendation/status.html"
    response = render(
        request, f"{template}#panel" if wants_fragment(request) else template, context, status=code
    )
    return refusal.mark(response) if refusal else response
