"""A stored recommendation: an immutable snapshot behind a random slug."""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse

SLUG_BYTES = 12  # 96 random bits, 16 URL-safe characters
SLUG_PATTERN = r"[A-Za-z0-9_-]{16}"


def new_slug() -> str:
    return secrets.token_urlsafe(SLUG_BYTES)


class ImmutableError(RuntimeError):
    """Raised when code tries to change a stored recommendation."""


class Recommendation(models.Model):
    slug = models.CharField(max_length=32, unique=True, default=new_slug, editable=False)
    title = models.CharField(max_length=120, blank=True)
    answers = models.JSONField()
    recommendation = models.JSONField()
    ruleset_version = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title or self.recommendation.get("summary", self.slug)

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableError("A stored recommendation never changes; save a new one instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("recommendation", args=[self.slug])

    @property
    def headline(self) -> str:
        return self.title or self.recommendation["summary"]

    def snapshot(self) -> dict:
        """The stored snapshot as the API and the JSON export publish it."""
        return {
            "slug": self.slug,
            "title": self.title,
            "created": self.created.isoformat(),
            "ruleset_version": self.ruleset_version,
            "parent": self.parent.slug if self.parent_id else None,
            "answers": self.answers,
            "recommendation": self.recommendation,
        }
