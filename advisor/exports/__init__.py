"""Exports of a stored recommendation: a decision record, the snapshot, a CloudFormation template.

Every export is a pure function of the stored snapshot (`Recommendation.snapshot()`): it never runs
the engine again. The engine's catalog and knowledge base are read only to enrich text (a fact's
title and source, a rule's rationale), and ids they no longer know are shown as they are.
"""

from __future__ import annotations

from typing import Any

__all__ = ["answers_of", "decision", "decisions_of", "recommendation_of"]


def recommendation_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    return snapshot.get("recommendation") or {}


def decisions_of(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return recommendation_of(snapshot).get("decisions") or {}


def decision(snapshot: dict[str, Any], concern: str) -> dict[str, Any]:
    return decisions_of(snapshot).get(concern) or {}


def answers_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    return snapshot.get("answers") or recommendation_of(snapshot).get("answers") or {}
