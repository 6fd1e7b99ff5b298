"""`manage.py advise FILE|-`: print the recommendation for a JSON file of answers."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from advisor.engine import AnswersError, recommend
from advisor.reading import read
from advisor.reading.text import as_text


class Command(BaseCommand):
    help = "Print the recommendation for a JSON file of answers (or - for standard input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON file of answers, or - to read standard input")
        parser.add_argument("--format", choices=("json", "text"), default="text")

    def handle(self, *args, **options) -> None:
        path = options["file"]
        try:
            raw = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
        except OSError as error:
            self._fail([f"cannot read {path}: {error.strerror}"])
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            self._fail([f"not valid JSON: {error.msg} at line {error.lineno}"])
        except RecursionError:
            self._fail(["not readable JSON: it nests too deeply"])
        except ValueError as error:  # e.g. an integer literal past Python's 4,300-digit limit
            self._fail([f"not readable JSON: a number is too long ({error})"])
        try:
            result = recommend(data)
        except AnswersError as error:
            self._fail([f"{field}: {message}" for field, message in error.errors.items()])
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(as_text(read(result)))

    def _fail(self, lines: list[str]) -> None:
        self.stderr.write("Invalid answers:")
        for line in lines:
            self.stderr.write(f"  {line}")
        sys.exit(2)
