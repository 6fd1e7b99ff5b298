"""CloudFormation's intrinsic functions and the small text helpers every resource family uses."""

from __future__ import annotations

import unicodedata
from typing import Any


def ref(name: str) -> dict[str, Any]:
    return {"Ref": name}


def att(name: str, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str) -> dict[str, Any]:
    return {"Fn::Sub": text}


def tags(name: str) -> list[dict[str, Any]]:
    return [{"Key": "Name", "Value": sub("${AWS::StackName}-" + name)}]


def one_line(text: Any, limit: int = 400) -> str:
    """Text safe for a YAML comment: printable characters on one line, trimmed."""
    cleaned = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in str(text)
    )
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3].rstrip() + "..."


def number(value: Any, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)
