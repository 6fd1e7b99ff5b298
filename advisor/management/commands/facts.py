"""`manage.py facts`: the knowledge base's facts with the date each was last checked."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.engine import default_engine


class Command(BaseCommand):
    help = (
        "List the facts the rules rest on, oldest check first, with the AWS page to re-read. "
        "With --older-than N, only those last checked more than N days ago (exit status 1 if any)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, metavar="DAYS", help="only facts checked more than DAYS ago"
        )
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
            help="count ages from this date instead of today",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        older_than = options["older_than"]
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than takes a number of days, 0 or more.")
        today = options["today"] or datetime.date.today()
        facts = sorted(default_engine().facts.values(), key=lambda f: (f.checked, f.id))
        due = [f for f in facts if older_than is None or f.age_days(today) > older_than]
        for fact in due:
            self.stdout.write(
                f"{fact.checked}  {fact.age_days(today):>4} days  {fact.id}: {fact.title}\n"
                f"    {fact.source}"
            )
        if older_than is not None:
            noun = "fact is" if len(due) == 1 else "facts are"
            self.stdout.write(
                f"{len(due)} of {len(facts)} {noun} due for a re-check "
                f"(last checked more than {older_than} days before {today})."
            )
            if due:
                raise SystemExit(1)
