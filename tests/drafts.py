"""The wizard's drafts in tests: the draft a test works on, its step links and its answers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from advisor.models import Draft


def current() -> Draft:
    """The draft made last (one is made if there is none yet, as "Start" would)."""
    return Draft.objects.order_by("-pk").first() or Draft.objects.create()


def step_url(step: str) -> str:
    return reverse("draft-step", args=[current().key, step])


def preview_url(step: str) -> str:
    return reverse("draft-preview", args=[current().key, step])


def answers() -> dict[str, Any]:
    """The answers the current draft holds (those that differ from the defaults)."""
    return current().answers
