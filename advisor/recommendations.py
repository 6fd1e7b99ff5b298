"""Creating and reading stored recommendations: the one place views, API and CLI share."""

from __future__ import annotations

import unicodedata
from typing import Any

from .engine import AnswersError, normalise, recommend
from .models import Draft, Recommendation

TITLE_MAX = 120


def clean_title(value: Any) -> str:
    """A title is optional plain text of at most 120 characters; raise AnswersError otherwise."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AnswersError({"title": "must be text."})
    title = " ".join(value.split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in title):
        raise AnswersError({"title": "must not contain control or invisible characters."})
    if len(title) > TITLE_MAX:
        raise AnswersError({"title": f"must be at most {TITLE_MAX} characters."})
    return title


def split_title(data: Any) -> tuple[dict[str, Any], str]:
    """Separate the optional title from the answers of an API body."""
    if not isinstance(data, dict):
        raise AnswersError({"__all__": "The body must be a JSON object of answers."})
    answers = {key: value for key, value in data.items() if key != "title"}
    errors: dict[str, str] = {}
    title = ""
    try:
        title = clean_title(data.get("title"))
    except AnswersError as error:
        errors.update(error.errors)
    try:
        normalise(answers)
    except AnswersError as error:
        errors.update(error.errors)
    if errors:
        raise AnswersError(errors)
    return answers, title


def save_recommendation(
    answers: dict[str, Any],
    title: str = "",
    parent: Recommendation | None = None,
    shows_parent: bool = False,
    draft: Draft | None = None,
    notes: dict[str, Any] | None = None,
) -> Recommendation:
    """Evaluate once, with what would change, and store the snapshot immutably. A version made
    from another links back to it only when `shows_parent` says its maker chose to."""
    result = recommend(answers)
    return Recommendation.objects.create(
        title=clean_title(title),
        answers=result["answers"],
        recommendation=result,
        ruleset_version=result["ruleset_version"],
        parent=parent,
        shows_parent=shows_parent and parent is not None,
        draft=draft,
        notes=notes or {},
    )
