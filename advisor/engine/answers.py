"""The answers contract (v1): one definition serves forms, API, CLI, rules and JSON Schema."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .cost import class_names, intel_families, region_names
from .knowledge import DATA_DIR

REQUIRED = object()

STEPS = (
    ("workload", "Workload"),
    ("availability", "Availability"),
    ("budget", "Budget and team"),
    ("security", "Security"),
    ("connections", "Connections and caching"),
)

COMMERCIAL_ENGINES = ("oracle", "sqlserver", "db2")
# The class families (from the price table) RDS runs the commercial engines on.
INTEL_FAMILIES = tuple(f"db.{family}." for family in intel_families())
INTEL_WORDS = ", ".join(f"db.{family}" for family in intel_families())


@dataclass(frozen=True)
class Words:
    """How an answer reads inside a sentence (see data/answers.toml)."""

    subject: str | None = None
    short: str | None = None
    statements: tuple[str, str] | None = None  # (when true, when false)
    none: str | None = None
    prefix: str = ""
    suffix: str = ""
    values: dict[str, str] = field(default_factory=dict)
    negated: dict[str, str] = field(default_factory=dict)
    list_phrases: tuple[str, str, str] | None = None  # (holds {}, is empty, is not empty)


@dataclass(frozen=True)
class Field:
    """One question: its type, allowed values, default and the words a person reads."""

    name: str
    kind: str  # "choice", "bool", "int", "list"
    label: str
    help: str
    step: str
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    nullable: bool = False
    # Ask this question only when another answer holds one of these values.
    ask_when: tuple[str, tuple[Any, ...]] | None = None
    glossary: tuple[str, ...] = field(default=())
    words: Words = field(default_factory=Words)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    @property
    def default_value(self) -> Any:
        """The default as the engine weighs it when the question does not apply."""
        return list(self.default) if self.kind == "list" else self.default

    def choice_label(self, value: Any) -> str:
        return dict(self.choices).get(value, str(value))

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether the wizard should ask this question, given the other answers."""
        if self.ask_when is None:
            return True
        other, values = self.ask_when
        current = answers.get(other)
        if isinstance(current, list):
            return any(item in values for item in current)
        return current in values

    def check(self, value: Any) -> tuple[Any, str | None]:
        """Return the normalised value and an error message (None when the value is valid)."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return value, None
            return None, "must be true or false."
        if self.kind == "int":
            if value is None and self.nullable:
                return None, None
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                extra = " or null" if self.nullable else ""
                return None, f"must be a whole number{extra}."
            if not self.minimum <= value <= self.maximum:
                return None, f"must be between {self.minimum:,} and {self.maximum:,}."
            return value, None
        if self.kind == "choice":
            if value is None and self.nullable:
                return None, None
            if isinstance(value, str) and value in self.values:
                return value, None
            if len(self.values) > 12:
                return None, f"{value!r} is not one of the {len(self.values)} known values."
            return None, f"must be one of: {', '.join(self.values)}."
        if self.kind == "list":
            if not isinstance(value, list | tuple):
                return None, f"must be a list of: {', '.join(self.values)}."
            unknown = [
                item for item in value if not isinstance(item, str) or item not in self.values
            ]
            if unknown:
                return None, f"has unknown values ({', '.join(map(repr, unknown))}); allowed: " + (
                    ", ".join(self.values)
                )
            # Keep the declared order and drop repeats, so equal answers compare equal.
            return [item for item in self.values if item in value], None
        raise AssertionError(f"unknown field kind {self.kind}")

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"title": self.label, "description": self.help}
        if self.kind == "bool":
            schema["type"] = "boolean"
        elif self.kind == "int":
            schema["type"] = ["integer", "null"] if self.nullable else "integer"
            schema["minimum"] = self.minimum
            schema["maximum"] = self.maximum
        elif self.kind == "choice":
            schema["type"] = ["string", "null"] if self.nullable else "string"
            schema["enum"] = [*self.values, *([None] if self.nullable else [])]
        elif self.kind == "list":
            schema["type"] = "array"
            schema["items"] = {"type": "string", "enum": list(self.values)}
            schema["uniqueItems"] = True
        if not self.required:
            schema["default"] = list(self.default) if self.kind == "list" else self.default
        return schema


def _field(spec: dict[str, Any]) -> Field:
    """One question from data/answers.toml."""
    words = spec.get("words") or {}
    source = spec.get("choices_from")
    if source == "regions":
        choices = region_names()
    elif source == "instance_classes":
        choices = tuple((name, name) for name in class_names())
    else:
        choices = tuple((str(value), str(label)) for value, label in spec.get("choices") or ())
    when = spec.get("ask_when")
    default = spec.get("default")
    return Field(
        name=spec["name"],
        kind=spec["kind"],
        label=spec["label"],
        help=spec["help"].replace("{intel}", INTEL_WORDS),
        step=spec["step"],
        default=REQUIRED
        if spec.get("required")
        else tuple(default)
        if spec["kind"] == "list"
        else default,
        choices=choices,
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        nullable=spec.get("nullable", False),
        ask_when=(when["answer"], tuple(when["values"])) if when else None,
        glossary=tuple(spec.get("glossary") or ()),
        words=Words(
            subject=words.get("subject"),
            short=words.get("short"),
            statements=(words["yes"], words["no"]) if "yes" in words else None,
            none=words.get("none"),
            prefix=words.get("prefix", ""),
            suffix=words.get("suffix", ""),
            values=dict(words.get("values") or {}),
            negated=dict(words.get("negated") or {}),
            list_phrases=tuple(words["list"]) if "list" in words else None,
        ),
    )


FIELDS: tuple[Field, ...] = tuple(
    _field(spec) for spec in tomllib.loads((DATA_DIR / "answers.toml").read_text())["field"]
)
FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

Answers = dict[str, Any]


class AnswersError(ValueError):
    """Invalid answers, with one plain message per bad field."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def defaults() -> Answers:
    """The default for every field that has one (engine is required, so it is absent)."""
    return {
        f.name: list(f.default) if f.kind == "list" else f.default for f in FIELDS if not f.required
    }


def normalise(data: Any, *, allow: frozenset[str] = frozenset()) -> Answers:
    """Validate raw answers (e.g. parsed JSON) and fill in defaults; raise AnswersError."""
    if not isinstance(data, Mapping):
        raise AnswersError({"__all__": "Answers must be a JSON object of field names to values."})
    errors: dict[str, str] = {}
    answers: Answers = {}
    for key in data:
        if key not in FIELDS_BY_NAME and key not in allow:
            errors[str(key)] = "is not a known question."
    for f in FIELDS:
        if f.name not in data:
            if f.required:
                errors[f.name] = "is required."
            else:
                answers[f.name] = list(f.default) if f.kind == "list" else f.default
            continue
        value, error = f.check(data[f.name])
        if error:
            errors[f.name] = error
        else:
            answers[f.name] = value
    for name, error in conflicts(answers).items():
        errors.setdefault(name, error)
    if errors:
        raise AnswersError(errors)
    return answers


def conflicts(answers: Mapping[str, Any]) -> dict[str, str]:
    """Answers that are each valid but cannot go together, by the field to change."""
    klass = answers.get("instance_class")
    if (
        klass
        and answers.get("engine") in COMMERCIAL_ENGINES
        and not klass.startswith(INTEL_FAMILIES)
    ):
        return {
            "instance_class": f"{klass} is a Graviton class; RDS runs Oracle, SQL Server and Db2 "
            f"on Intel classes ({INTEL_WORDS})."
        }
    return {}


def applicable(answers: Answers) -> Answers:
    """The answers as the engine weighs them: a question that does not apply keeps its default."""
    return {
        f.name: answers[f.name] if f.applies(answers) else f.default_value
        for f in FIELDS
        if f.name in answers
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the answers."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://archwise.dev/schema/answers/v1",
        "title": "Archwise answers (version 1)",
        "type": "object",
        "properties": {f.name: f.json_schema() for f in FIELDS},
        "required": [f.name for f in FIELDS if f.required],
        "additionalProperties": False,
    }
