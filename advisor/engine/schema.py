"""The JSON Schema (draft 2020-12) of a recommendation, contract version 1.

Built from the same definitions the engine uses (the answers' FIELDS and the CONCERNS with their
vocabularies), so a field or choice added there is described here too. The schema is strict where
the contract is fixed: every key the contract names is required, choices are enums, and unknown keys
are refused. The engine's own extra keys (a decision's `score` and `trace`, the top-level
`fired_rules`) are described and allowed.
"""

from __future__ import annotations

from typing import Any

from .answers import FIELDS, FIELDS_BY_NAME
from .concerns import CONCERNS, EXTRAS
from .cost import SIZING
from .evaluate import SCHEMA

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
FACT_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"

_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
_FACTS: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string", "pattern": FACT_PATTERN},
    "uniqueItems": True,
}
_MONEY: dict[str, Any] = {"type": "number", "minimum": 0}
_CONCERN_NAMES = [c.name for c in CONCERNS]


def _extra(key: str) -> dict[str, Any]:
    """An extra key's JSON Schema, as the concerns define it (SPEC "The recommendation")."""
    extra = EXTRAS[key]
    schema = dict(extra.schema)
    if extra.answer:
        schema["enum"] = list(FIELDS_BY_NAME[extra.answer].values)
    return schema


# Conditions a decision's extras meet whatever the rules say (facts behind each: data/facts.toml).
_EXTRA_CONDITIONS: dict[str, list[dict[str, Any]]] = {
    "read_scaling": [
        {
            "if": {"properties": {"choice": {"const": "none"}}},
            "then": {"properties": {"count": {"const": 0}}},
            "else": {"properties": {"count": {"minimum": 1}}},
        }
    ],
    "cache": [
        {
            "if": {"properties": {"choice": {"enum": ["none", "memcached"]}}},
            "then": {"properties": {"replicas": {"const": 0}}},
        }
    ],
    "backups": [
        {
            # rds.backups.retention: automated backups keep 1-35 days (0 would switch them off).
            "if": {"properties": {"choice": {"enum": ["automated", "automated_plus_long_term"]}}},
            "then": {"properties": {"retention_days": {"type": "integer", "maximum": 35}}},
        }
    ],
    "storage": [
        {
            "if": {
                "properties": {"choice": {"enum": ["autoscaling", "fixed", "self_managed_ebs"]}}
            },
            "then": {"properties": {"max_allocated_gb": {"type": "integer"}}},
        }
    ],
}


def _object(
    properties: dict[str, Any], required: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    """A closed object: every listed property is required (unless told), nothing else allowed."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
        **extra,
    }


def _answers() -> dict[str, Any]:
    """The normalised answers: every field present (defaults filled in), nothing else."""
    properties = {}
    for f in FIELDS:
        schema = f.json_schema()
        schema.pop("default", None)
        properties[f.name] = schema
    # The sizing answers came in 2026-12: older snapshots have none of them.
    return _object(properties, required=[f.name for f in FIELDS if f.name not in SIZING])


def _what_would_change(choices: list[str]) -> dict[str, Any]:
    values_by_answer = []
    for f in FIELDS:
        value = f.json_schema()
        value.pop("default", None)
        value.pop("title", None)
        value.pop("description", None)
        values_by_answer.append(
            {"properties": {"answer": {"const": f.name}, "value": value}},
        )
    entry = _object(
        {
            "answer": {"type": "string", "enum": [f.name for f in FIELDS]},
            "value": {},
            "choice": {"type": "string", "enum": choices},
            "text": _TEXT,
            "via": {"enum": [None, *_CONCERN_NAMES]},
        },
        anyOf=values_by_answer,
    )
    # Added in 2026-12, so optional: why the change matters, and its place in the ranking
    # (1 = the nearest and most plausible change for this decision).
    entry["properties"]["why"] = _TEXT
    entry["properties"]["rank"] = {"type": "integer", "minimum": 1}
    return entry


def _decision(name: str, choices: list[str], extras: tuple[str, ...]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "choice": {"type": "string", "enum": choices},
        "label": _TEXT,
        "rationale": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {"rule": {"type": "string", "pattern": ID_PATTERN}, "text": _TEXT, "facts": _FACTS}
            ),
        },
        "alternatives": {
            "type": "array",
            "minItems": len(choices) - 1,
            "maxItems": len(choices) - 1,
            "items": _object(
                {
                    "choice": {"type": "string", "enum": choices},
                    "label": _TEXT,
                    "why": _TEXT,
                    "excluded_by": {
                        "type": "array",
                        "items": {"type": "string", "pattern": ID_PATTERN},
                    },
                    "facts": _FACTS,
                    "score": {"type": "number"},
                }
            ),
        },
        "what_would_change": {"type": "array", "items": _what_would_change(choices)},
    }
    for key in extras:
        if not EXTRAS[key].optional:
            properties[key] = _extra(key)
    schema = _object(properties)
    for key in extras:
        if EXTRAS[key].optional:
            schema["properties"][key] = _extra(key)
    # Allowed engine extras: the winning score and the trace of the rules that spoke.
    schema["properties"]["score"] = {"type": "number"}
    schema["properties"]["trace"] = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "rule": {"type": "string", "pattern": ID_PATTERN},
                "effect": {"enum": ["exclude", "prefer", "set", "risk", "checklist"]},
            },
            "required": ["rule", "effect"],
        },
    }
    if name in _EXTRA_CONDITIONS:
        schema["allOf"] = _EXTRA_CONDITIONS[name]
    return schema


def _option(what: str) -> dict[str, Any]:
    """A way to fit the budget (gives_up) or to use spare budget (adds): concrete answer changes."""
    return _object(
        {
            "changes": {"type": "object", "minProperties": 1},
            "monthly_usd": _object({"low": _MONEY, "expected": _MONEY, "high": _MONEY}),
            "meets_budget": {"type": "boolean"},
            **({"keeps_requirements": {"type": "boolean"}} if what == "gives_up" else {}),
            what: _TEXT,
        }
    )


def _cost() -> dict[str, Any]:
    # Added 2026-12 and absent from older snapshots: expected figures, sizing, budget options.
    line = {
        "item": _TEXT,
        "concern": {"type": "string", "enum": _CONCERN_NAMES},
        "low": _MONEY,
        "expected": _MONEY,
        "high": _MONEY,
        "assumption": _TEXT,
    }
    later = ("expected", "sizing", "budget_options", "headroom")
    properties = {
        "monthly_usd": _object(
            {"low": _MONEY, "expected": _MONEY, "high": _MONEY}, required=["low", "high"]
        ),
        "budget_usd": {"type": ["integer", "null"], "minimum": 0},
        "within_budget": {"type": ["boolean", "null"]},
        "lines": {
            "type": "array",
            "minItems": 1,
            "items": _object(line, required=[k for k in line if k not in later]),
        },
        "prices_as_of": _TEXT,
        "sizing": _object(
            {
                "items": {
                    "type": "array",
                    "items": _object({"answer": {"type": "string"}, "text": _TEXT}),
                }
            }
        ),
        "budget_options": {"type": "array", "maxItems": 5, "items": _option("gives_up")},
        "headroom": {"type": "array", "items": _option("adds")},
    }
    return _object(
        properties,
        required=[k for k in properties if k not in later],
        # No budget, no verdict on it; a budget, a true/false verdict.
        allOf=[
            {
                "if": {"properties": {"budget_usd": {"type": "null"}}},
                "then": {"properties": {"within_budget": {"type": "null"}}},
                "else": {"properties": {"within_budget": {"type": "boolean"}}},
            }
        ],
    )


def _schema() -> dict[str, Any]:
    schema = _object(
        {
            "schema": {"const": SCHEMA},
            "ruleset_version": _TEXT,
            "answers": _answers(),
            "summary": _TEXT,
            "decisions": _object(
                {c.name: _decision(c.name, list(c.values), c.extras) for c in CONCERNS}
            ),
            "risks": {
                "type": "array",
                "items": _object(
                    {
                        "id": {"type": "string", "pattern": ID_PATTERN},
                        "severity": {"enum": ["high", "medium", "low"]},
                        "one_way_door": {"type": "boolean"},
                        "text": _TEXT,
                        "facts": _FACTS,
                    }
                ),
            },
            "checklist": {"type": "array", "items": _TEXT},
            "cost": _cost(),
        }
    )
    # Allowed engine extra: the ids of the rules that fired, in order.
    schema["properties"]["fired_rules"] = {
        "type": "array",
        "items": {"type": "string", "pattern": ID_PATTERN},
    }
    # Allowed engine extra: the date of the engine versions its CloudFormation template pins.
    schema["properties"]["engine_versions"] = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://archwise.dev/schema/recommendation/v1",
        "title": "Archwise recommendation (version 1)",
        **schema,
    }


RECOMMENDATION_SCHEMA: dict[str, Any] = _schema()
