"""`manage.py purge_drafts [--days 90]`: delete drafts nobody has touched for that long.

A recommendation made from a draft is never deleted: it only loses its link back to the draft.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from advisor.models import Draft

KEPT_DAYS = 90


class Command(BaseCommand):
    help = "Delete drafts not changed for --days days (90 unless told); recommendations stay."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=KEPT_DAYS)

    def handle(self, *args, **options) -> None:
        days = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1: a draft in use must never be purged.")
        cutoff = timezone.now() - timedelta(days=days)
        _, per_model = Draft.objects.filter(updated__lt=cutoff).delete()
        deleted = per_model.get("advisor.Draft", 0)
        plural = "" if deleted == 1 else "s"
        self.stdout.write(f"Deleted {deleted} draft{plural} untouched since {cutoff:%Y-%m-%d}.")
