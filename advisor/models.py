"""A stored recommendation: an immutable snapshot behind a random slug."""

from __future__ import annotations

import secrets
from functools import cached_property

from django.db import connection, models
from django.urls import reverse

from .reading import Snapshot, read

SLUG_BYTES = 12  # 96 random bits, 16 URL-safe characters
SLUG_PATTERN = r"[A-Za-z0-9_-]{16}"


def new_slug() -> str:
    return secrets.token_urlsafe(SLUG_BYTES)


class ImmutableError(RuntimeError):
    """Raised when code tries to change a stored recommendation."""


class RecommendationQuerySet(models.QuerySet):
    def ancestors(self, saved: Recommendation, limit: int) -> list[Recommendation]:
        """The versions `saved` was made from, nearest first, up to `limit`: each link followed
        only where its maker chose to link back. Two queries, however long the chain."""
        table = self.model._meta.db_table
        sql = f"""
            WITH RECURSIVE chain(id, parent_id, shows_parent, depth) AS (
                SELECT id, parent_id, shows_parent, 0 FROM {table} WHERE id = %s
                UNION ALL
                SELECT r.id, r.parent_id, r.shows_parent, chain.depth + 1
                FROM {table} r JOIN chain ON r.id = chain.parent_id
                WHERE chain.shows_parent AND chain.depth < %s
            )
            SELECT id, depth FROM chain WHERE depth > 0 ORDER BY depth
        """  # noqa: S608 (the table name is the model's own; the values are parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [saved.pk, limit])
            ids = [row[0] for row in cursor.fetchall()]
        found = self.in_bulk(ids)
        chain: list[Recommendation] = []
        for pk in ids:  # a loop in the links (never made by the app) ends the chain
            if pk == saved.pk or pk not in found or found[pk] in chain:
                break
            chain.append(found[pk])
        return chain


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
    # Whether the page links to the parent: only when whoever made this one chose to. A link
    # shows its own descendants; it shows where it came from only with this consent.
    shows_parent = models.BooleanField(default=False)
    # The draft it was finished from, while that draft is kept.
    draft = models.ForeignKey(
        "Draft", null=True, blank=True, on_delete=models.SET_NULL, related_name="finished"
    )
    # The draft's notes on its answers when it was finished ({question: {"note", "not_applicable"}},
    # see reading.notes); shown beside the answers, never part of them.
    notes = models.JSONField(default=dict, blank=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title or self.snapshot.summary or self.slug

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableError("A stored recommendation never changes; save a new one instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("recommendation", args=[self.slug])

    @property
    def shared_parent(self) -> Recommendation | None:
        """The recommendation this one was made from, if its maker chose to link to it."""
        return self.parent if self.shows_parent and self.parent_id else None

    @cached_property
    def snapshot(self) -> Snapshot:
        """The stored recommendation, read once."""
        return read(self.recommendation)

    @property
    def headline(self) -> str:
        return self.title or self.snapshot.summary

    def published(self) -> dict:
        """The stored recommendation as its link publishes it: the API and the JSON export."""
        return {
            "slug": self.slug,
            "title": self.title,
            "created": self.created.isoformat(),
            "ruleset_version": self.ruleset_version,
            "parent": self.shared_parent.slug if self.shared_parent else None,
            "answers": self.answers,
            **({"notes": self.notes} if self.notes else {}),
            "recommendation": self.recommendation,
        }


class Draft(models.Model):
    """A wizard run in progress: its answers, title and the recommendation it was made from, at
    its own unguessable link, so any number of drafts live side by side and can be shared. Every
    change raises `version`; a change made against an older version is refused, not lost."""

    key = models.CharField(max_length=32, unique=True, default=new_slug, editable=False)
    title = models.CharField(max_length=120, blank=True)
    answers = models.JSONField(default=dict)  # only those that differ from the defaults
    notes = models.JSONField(default=dict, blank=True)  # per question, see reading.notes
    parent = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    version = models.PositiveIntegerField(default=1)
    saved_version = models.PositiveIntegerField(null=True, blank=True)  # when last finished
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return self.title or self.key

    def get_absolute_url(self) -> str:
        return reverse("draft-step", args=[self.key, "workload"])


class Review(models.Model):
    """A team's verdict on a recommendation: accepted, rejected, or back to proposed. The
    recommendation itself never changes; its status is its latest review, "proposed" before any.
    Reviews are only added, so the page can say who decided what, and when."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reviews"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    by = models.CharField(max_length=80, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recommendation", "-created"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.recommendation_id})"


class RateCounter(models.Model):
    """Requests one client made in one window of a rate limit. Kept in the database so that every
    worker counts together, with or without Redis; rows of past windows are deleted as new windows
    start, so each client holds at most two rows per limit."""

    scope = models.CharField(max_length=32)
    client = models.CharField(max_length=64)
    window = models.BigIntegerField(db_index=True)  # the window's start, in Unix seconds
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "client", "window"], name="one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.client} {self.window}: {self.count}"


class Heartbeat(models.Model):
    """One row `/healthz` rewrites to prove the database accepts writes."""

    at = models.DateTimeField()

    def __str__(self) -> str:
        return self.at.isoformat()
