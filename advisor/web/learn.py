"""The learning pages: the rule catalog, one rule and its examples, the knowledge base, glossary.

Everything here is read from the engine's data (rules, facts, classic notes, glossary); the views
only select and arrange it. The rule catalog filters through a plain GET form; with htmx the same
view answers with the results fragment only.

`glossary_url` and `glossary_terms` link glossary terms; templates use the `learn` library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from advisor.engine import (
    CONCERNS,
    CONCERNS_BY_NAME,
    FIELDS,
    FIELDS_BY_NAME,
    default_engine,
    normalise,
)
from advisor.engine.describe import (
    EFFECT_TITLES,
    TEXT_WORDS,
    answer_words,
    describe_condition,
    describe_effect,
)
from advisor.engine.examples_finder import BASE, examples_for
from advisor.engine.glossary import Term, alphabetical, glossary
from advisor.engine.knowledge import TOPICS, Fact, load_notes, load_path
from advisor.engine.rules import RULES_DIR, Rule
from advisor.reading import Snapshot, read

from .http import wants_fragment

# -- the rule catalog ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleEntry:
    """A rule as the pages show it: its condition and effect in words, and its facts."""

    rule: Rule
    condition: str
    effect: str
    facts: tuple[Fact, ...]
    search_text: str

    @property
    def effect_title(self) -> str:
        return EFFECT_TITLES[self.rule.effect]

    def matches(self, words: list[str]) -> bool:
        return all(word in self.search_text for word in words)


@cache
def _entries() -> tuple[RuleEntry, ...]:
    engine = default_engine()
    entries = []
    for rule in engine.catalog.rules:
        condition, effect = describe_condition(rule.when), describe_effect(rule)
        facts = tuple(engine.facts[fact_id] for fact_id in rule.facts)
        text = " ".join(
            [rule.id, rule.rationale, condition, effect]
            + [f"{fact.id} {fact.title}" for fact in facts]
        )
        entries.append(RuleEntry(rule, condition, effect, facts, text.casefold()))
    return tuple(entries)


@cache
def _citing() -> dict[str, tuple[Rule, ...]]:
    """For each fact id, the rules that cite it, in catalog order."""
    citing: dict[str, list[Rule]] = {}
    for rule in default_engine().catalog.rules:
        for fact_id in rule.facts:
            citing.setdefault(fact_id, []).append(rule)
    return {fact_id: tuple(rules) for fact_id, rules in citing.items()}


class RuleFilterForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    concern = forms.ChoiceField(
        required=False, choices=[("", "All concerns"), *((c.name, c.title) for c in CONCERNS)]
    )
    effect = forms.ChoiceField(
        required=False, choices=[("", "All effects"), *EFFECT_TITLES.items()]
    )


def _filtered(form: RuleFilterForm) -> tuple[list[dict[str, Any]], int]:
    wanted = form.cleaned_data if form.is_valid() else {}
    words = str(wanted.get("q") or "")[:200].casefold().split()
    concern, effect = wanted.get("concern"), wanted.get("effect")
    groups, count = [], 0
    for c in CONCERNS:
        if concern and c.name != concern:
            continue
        entries = [
            entry
            for entry in _entries()
            if entry.rule.concern == c.name
            and (not effect or entry.rule.effect == effect)
            and entry.matches(words)
        ]
        if entries:
            groups.append({"concern": c, "entries": entries})
            count += len(entries)
    return groups, count


@vary_on_headers("HX-Request")
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    form = RuleFilterForm(request.GET)
    groups, count = _filtered(form)
    context = {
        "form": form,
        "groups": groups,
        "count": count,
        "total": len(_entries()),
        "filtered": any(request.GET.get(key) for key in ("q", "concern", "effect")),
    }
    if wants_fragment(request):
        return render(request, "learn/rules.html#results", {**context, "oob": True})
    return render(request, "learn/rules.html", context)


@require_GET
def rule(request: HttpRequest, rule_id: str) -> HttpResponse:
    entry = next((e for e in _entries() if e.rule.id == rule_id), None)
    if entry is None:
        raise Http404("No rule has this id.")
    concern = CONCERNS_BY_NAME[entry.rule.concern]
    engine_field = FIELDS_BY_NAME["engine"]
    scenarios = [
        {
            "scenario": scenario,
            "engine_label": engine_field.choice_label(scenario.engine),
            "differences": scenario.differences,
            "choice": scenario.choice_label(concern.name),
            "team_rules": [text[0].upper() + text[1:] for text in scenario.team_rule_words],
        }
        for scenario in examples_for(rule_id)
    ]
    siblings = [e.rule for e in _entries() if e.rule.concern == concern.name]
    index = siblings.index(entry.rule)
    context = {
        "entry": entry,
        "rule": entry.rule,
        "concern": concern,
        "scenarios": scenarios,
        "safety_net": bool(scenarios) and all(item["team_rules"] for item in scenarios),
        "base_engine": engine_field.choice_label(BASE["engine"]),
        "source_path": _source_path(entry.rule),
        "rule_data": _as_data(entry.rule),
        "previous": siblings[index - 1] if index else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
    }
    return render(request, "learn/rule.html", context)


def _source_path(rule: Rule) -> str:
    """Where a rule is written: a built-in rule file, or a team rule pack named in settings."""
    builtin = RULES_DIR / rule.source
    if builtin.exists():
        return str(builtin.relative_to(settings.BASE_DIR))
    packs = [path for path in settings.RULE_PACKS if Path(path).name == rule.source]
    return packs[0] if packs else rule.source


def _as_data(rule: Rule) -> str:
    """The rule's fields as they appear in its file, for readers who will write rules."""
    data: dict[str, Any] = {"id": rule.id, "concern": rule.concern}
    if rule.when:
        data["when"] = rule.when
    if rule.effect in ("exclude", "prefer"):
        data[rule.effect] = list(rule.choices)
        if rule.effect == "prefer":
            data["weight"] = rule.weight
    else:
        data[rule.effect] = {"set": rule.set, "risk": rule.risk, "checklist": rule.step}[
            rule.effect
        ]
    data["facts"] = list(rule.facts)
    return json.dumps(data, indent=2, ensure_ascii=False)


# -- the knowledge base --------------------------------------------------------------------------


def _note_line(text: str) -> dict[str, Any]:
    """A line of the classic notes without its Markdown: headings, bullets and bold."""
    heading = text.startswith("#")
    plain = text.lstrip("#").strip().removeprefix("- ").replace("**", "")
    return {"text": " ".join(plain.split()), "heading": heading}


@require_GET
def learn(request: HttpRequest) -> HttpResponse:
    engine = default_engine()
    citing = _citing()
    facts = [{"fact": fact, "rules": citing.get(fact.id, ())} for fact in engine.facts.values()]
    topics = [
        {
            "key": key,
            "title": title,
            "facts": [item for item in facts if item["fact"].topic == key],
        }
        for key, title in TOPICS.items()
    ]
    capabilities = _capabilities()
    for item in facts:
        item["capabilities"] = [
            cap for cap in capabilities if any(item["fact"] in row["facts"] for row in cap["rows"])
        ]
    context = {
        "path": learning_path(),
        "path_minutes": sum(item["section"].minutes for item in learning_path()),
        "topics": [topic for topic in topics if topic["facts"]],
        "fact_count": len(facts),
        "capabilities": capabilities,
        "oldest_check": min(item["fact"].checked for item in facts),
    }
    return render(request, "learn/learn.html", context)


# -- the 15-minute path -------------------------------------------------------------------------

SHOWN_RULES = 3  # rules a path row links to: those that count in favour of its choice


@cache
def learning_path() -> tuple[dict[str, Any], ...]:
    """The path's sections with, for each row, its facts and the rules that favour its choice."""
    engine = default_engine()
    sections = []
    for section in load_path(engine.facts):
        rows = []
        for row in section.rows:
            favour = [
                rule
                for rule in engine.catalog.rules
                if (rule.effect, rule.concern) == ("prefer", row.concern)
                and row.choice in rule.choices
                and rule.weight > 0
            ]
            rows.append(
                {
                    "row": row,
                    "cells": row.cells,
                    "facts": [engine.facts[fact_id] for fact_id in row.facts],
                    "rules": favour[:SHOWN_RULES],
                    "more_rules": len(favour) - SHOWN_RULES,
                }
            )
        sections.append({"section": section, "rows": rows})
    return tuple(sections)


@cache
def path_rows() -> dict[str, Any]:
    return {item["row"].key: item for section in learning_path() for item in section["rows"]}


@cache
def _example_snapshot(key: str) -> Snapshot:
    """The example's answers evaluated with today's rules (the same every time in a release)."""
    answers = normalise(path_rows()[key]["row"].answers)
    return read(default_engine().recommend(answers, explore=False, budget_search=False))


@require_GET
def path_example(request: HttpRequest, key: str) -> HttpResponse:
    """A row of the path shown in a recommendation: its example's answers, evaluated now."""
    item = path_rows().get(key)
    if item is None:
        raise Http404("The 15-minute path has no such example.")
    row = item["row"]
    snapshot = _example_snapshot(key)
    concern = CONCERNS_BY_NAME[row.concern]
    decisions = [
        {"concern": c, "decision": snapshot.decisions[c.name], "shown": c.name == row.concern}
        for c in CONCERNS
        if c.name in snapshot.decisions
    ]
    context = {
        "row": row,
        "concern": concern,
        "snapshot": snapshot,
        "decisions": decisions,
        "asked": [answer_words(name, value) for name, value in row.example],
        "wizard_key": f"learn-{key}",
    }
    return render(request, "learn/example.html", context)


@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    """For readers of the study notes Archwise began from: what they get wrong today, and each
    line of them with the facts that confirm or correct it."""
    engine = default_engine()
    notes = [
        {**_note_line(line["text"]), "facts": [engine.facts[f] for f in line.get("facts", [])]}
        for line in load_notes()
    ]
    context = {
        "corrections": [fact for fact in engine.facts.values() if fact.corrects_notes],
        "notes": notes,
    }
    return render(request, "learn/corrections.html", context)


DIMENSION_WORDS = {
    "engine": FIELDS_BY_NAME["engine"].choice_label,
    "license_model": lambda value: FIELDS_BY_NAME["license_model"].choice_label(value).lower(),
    "platform": CONCERNS_BY_NAME["platform"].label,
    "availability": CONCERNS_BY_NAME["availability"].label,
}


def _cell_words(value: Any) -> str:
    """A matrix cell's value in words: 'Yes', '15', 'An S3 bucket'."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    return capfirst(TEXT_WORDS.get(value, value))


def _capabilities() -> list[dict[str, Any]]:
    """The capability matrix as the knowledge base shows it: one table a feature, a row a cell."""
    engine = default_engine()
    shown = []
    for capability in engine.matrix.capabilities.values():
        rows = []
        for cell in capability.cells:
            where = [
                " or ".join(sorted(DIMENSION_WORDS[dim](v) for v in values))
                for dim, values in cell.where.items()
            ]
            value = cell.value
            rows.append(
                {
                    "where": "; ".join(where) or "Everywhere else",
                    "value": _cell_words(value),
                    "note": cell.note,
                    "facts": [engine.facts[f] for f in cell.facts],
                }
            )
        needed_by = [
            f"{CONCERNS_BY_NAME[key.split('.')[0]].title}: "
            f"{CONCERNS_BY_NAME[key.split('.')[0]].label(key.split('.')[1])}"
            for key, capability_id in engine.matrix.requires.items()
            if capability_id == capability.id
        ]
        shown.append(
            {"id": capability.id, "title": capability.title, "rows": rows, "needed_by": needed_by}
        )
    return shown


@require_GET
def glossary_page(request: HttpRequest) -> HttpResponse:
    engine = default_engine()
    terms = glossary()
    asked_in: dict[str, list[str]] = {}
    for f in FIELDS:
        for term_id in f.glossary:
            asked_in.setdefault(term_id, []).append(f.label)
    entries = [
        {
            "term": term,
            "facts": [engine.facts[fact_id] for fact_id in term.facts],
            "see": [terms[other] for other in term.see],
            "asked_in": asked_in.get(term.id, []),
        }
        for term in alphabetical()
    ]
    return render(request, "learn/glossary.html", {"entries": entries})


# -- linking glossary terms from other pages ------------------------------------------------------


def glossary_url(term_id: str) -> str:
    """A term's URL on the glossary page, e.g. /learn/glossary/#term-rto; KeyError if unknown."""
    return f"{reverse('glossary')}#{glossary()[term_id].anchor}"


def glossary_terms(term_ids: Any) -> list[tuple[Term, str]]:
    """Known terms among the ids, each with its URL (unknown ids are left out)."""
    if isinstance(term_ids, str):
        term_ids = [term_ids]
    terms = glossary()
    return [(terms[i], glossary_url(i)) for i in term_ids or () if i in terms]
