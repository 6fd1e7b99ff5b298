"""A stored recommendation as a Markdown architecture decision record (MADR layout).

`render(snapshot, url)` is a pure function of the stored snapshot: it reads the decisions, their
rationale, alternatives, risks, checklist and cost as they were stored. The engine's knowledge base
and rule catalog only add words (a fact's title and source link, a rule's rationale for an
alternative); ids they do not know any more are shown as they are. Every piece of text is escaped,
so nothing in it (a user's title above all) can change the document's structure or smuggle HTML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from advisor.engine import FIELDS, FIELDS_BY_NAME, default_engine
from advisor.reading import Alternative, Cost, Decision, Reason, Snapshot, Stored, read_stored
from advisor.reading.notes import Note
from advisor.reading.vocabulary import (
    answer_label,
    answer_value,
    concern_title,
    doors_first,
    extras,
    usd,
)

TIE_ORDER_RULE = "engine.tie-order"
# Rationale entries that are the engine's own words about a choice or a tie, not rules.
OWN_WORDS = ("choice.", "principle.")
# How recommendations stored before alternatives gave domain reasons said why one lost.
SCORE_WORDS = ("scored lower (", "tied, and (")

# -- escaping ----------------------------------------------------------------------------------

_ALWAYS = re.compile(r"([\\`*\[\]<>#|~])")
_LONE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
# What GitHub turns into a link, a mention or an issue reference wherever it appears in text: a
# zero-width space (the entity) after the "@", "#" or "://", or before the dot of "www.", leaves it
# as plain text.
_AUTOLINK = re.compile(r"(@(?=\w)|\\#(?=\d)|://|\bwww(?=\.))", re.IGNORECASE)
ZERO_WIDTH = "&#8203;"


def plain(value: Any) -> str:
    """One line of printable text: control, format and line/paragraph separators become spaces."""
    text = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in str(value)
    )
    return " ".join(text.split())


def md(value: Any) -> str:
    """Text for inline Markdown: one line, every character that could start markup escaped."""
    text = plain(value)
    text = _ALWAYS.sub(r"\\\1", text)
    text = _LONE_UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    text = text.replace("$", "\\$")  # GitHub reads $...$ as math
    text = _AUTOLINK.sub(lambda m: m.group(0) + ZERO_WIDTH, text)
    # What would open a block at the start of a line: a list item, a setext underline.
    if text[:1] in ("-", "+", "="):
        text = "\\" + text
    return _LIST_NUMBER.sub(r"\1\\\2", text)


def code(value: Any) -> str:
    """An identifier in a code span (backticks cannot occur inside it)."""
    return "`" + plain(value).replace("`", "'") + "`"


def link_target(url: Any) -> str:
    """A URL that cannot end a Markdown link early: spaces, brackets and parentheses encoded."""
    return quote(plain(url), safe=":/?#@!$&'*+,;=%~-._")


def link(text: Any, url: Any) -> str:
    return f"[{md(text)}]({link_target(url)})"


def autolink(url: Any) -> str:
    return f"<{link_target(url)}>"


# -- reading the snapshot ---------------------------------------------------------------------


def _fact(fact_id: str) -> tuple[str, str | None]:
    """A fact's title and source, or its bare id when the knowledge base no longer has it."""
    fact = default_engine().facts.get(fact_id)
    if fact is None:
        return fact_id, None
    return fact.title, fact.source


def _rule_text(rule_id: str) -> str | None:
    try:
        return default_engine().catalog.by_id(rule_id).rationale
    except KeyError:
        return None


def _sources(fact_ids: tuple[str, ...]) -> str:
    parts = []
    for fact_id in fact_ids:
        title, source = _fact(fact_id)
        parts.append(link(title, source) if source else md(title))
    return "; ".join(parts)


def _driver(name: str, value: Any) -> str:
    label, words = answer_label(name), answer_value(name, value)
    if label.endswith("?"):
        return f"* {md(label)} {md(words)}"
    return f"* {md(label)}: {md(words)}"


def _note(note: Note) -> list[str]:
    """The team's note on a driver, under it (notes never change a decision)."""
    lines = []
    if note.not_applicable:
        lines.append(f"  * Marked not applicable: {md(note.reason.lower())}")
    if note.text:
        lines.append(f"  * Note: {md(note.text)}")
    return lines


def _money(value: float | None) -> str:
    return "$?" if value is None else usd(value)


# -- the record ---------------------------------------------------------------------------------


def _status(review: Mapping[str, Any] | None) -> list[str]:
    """The status lines: proposed until the team records a decision (who, when, why)."""
    if not review or not review.get("status"):
        return ["* Status: proposed"]
    lines = [f"* Status: {md(review['status'])}"]
    if review.get("by"):
        lines.append(f"* Deciders: {md(review['by'])}")
    recorded = f"* Decision recorded: {md(review.get('date') or 'unknown')}"
    if review.get("note"):
        recorded += f" ({md(review['note'])})"
    return [*lines, recorded]


def render(published: dict[str, Any], url: str, review: Mapping[str, Any] | None = None) -> str:
    """The decision record as Markdown text (no HTML), ending with a newline. `review` is the
    team's latest decision on it (status, by, note, date), if any."""
    stored = read_stored(published)
    snapshot = stored.snapshot
    summary = plain(snapshot.summary)
    title = plain(stored.title) or summary or "Data tier decision"
    date = stored.created[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stored.created) else "unknown"
    version = stored.ruleset_version or "unknown"
    decisions = list(snapshot.decisions.values())

    out: list[str] = [f"# {md(title)}", ""]
    # Archwise proposes; a team accepts or rejects it in its own review, recorded on the page.
    out += [*_status(review), f"* Date: {date}", f"* Permanent link: {autolink(url)}", ""]

    out += _context(snapshot.answers, summary, version)
    out += _drivers(snapshot.answers, stored.notes)
    out += _considered(decisions)
    out += _outcome(snapshot, decisions)
    out += _pros_and_cons(decisions)
    out += _cost(snapshot.cost)
    out += _checklist(snapshot.checklist)
    out += _more_information(stored, url, version, date)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _context(answers: dict[str, Any], summary: str, version: str) -> list[str]:
    engine = answer_value("engine", answers["engine"]) if answers.get("engine") else None
    subject = f"an application that uses {engine}" if engine else "an application"
    lines = [
        "## Context and Problem Statement",
        "",
        md(
            f"We need to decide the AWS data tier of {subject}: which platform runs the "
            "database, how it stays available and recovers from failures, how reads scale, how "
            "clients connect, whether a cache sits in front of it, and how the data is secured. "
            f"Archwise weighed the answers below against its rule catalog (ruleset {version})."
        ),
        "",
    ]
    if summary:
        lines += [f"In one sentence: {md(summary)}", ""]
    return lines


def _drivers(answers: dict[str, Any], notes: Mapping[str, Note]) -> list[str]:
    lines = ["## Decision Drivers", ""]
    if notes:
        lines += [
            "The team's notes sit under the answers they are about. A question marked not "
            "applicable still counts with the answer shown: notes never change a decision.",
            "",
        ]
    known = [f for f in FIELDS if f.name in answers and f.applies(answers)]
    for f in known:
        lines.append(_driver(f.name, answers[f.name]))
        if note := notes.get(f.name):
            lines += _note(note)
    lines += [_driver(name, value) for name, value in answers.items() if name not in FIELDS_BY_NAME]
    if not known and len(lines) == 2:
        lines.append("* No answers were stored.")
    return [*lines, ""]


def _considered(decisions: list[Decision]) -> list[str]:
    lines = ["## Considered Options", ""]
    for decision in decisions:
        lines += [f"### {md(concern_title(decision.concern))}", ""]
        lines.append(f"* {md(decision.label)} — chosen")
        lines += [f"* {md(alternative.label)}" for alternative in decision.alternatives]
        lines.append("")
    return lines


def _reason_line(reason: Reason, verdict: str | None = None) -> str:
    sources = _sources(reason.facts)
    tail = []
    if reason.rule and reason.rule != TIE_ORDER_RULE and not reason.rule.startswith(OWN_WORDS):
        tail.append(f"rule {code(reason.rule)}")
    if sources:
        tail.append(f"sources: {sources}")
    start = _because(verdict, reason.text) if verdict else f"* {md(reason.text)}"
    return start + (f" ({'; '.join(tail)})" if tail else "")


def _outcome(snapshot: Snapshot, decisions: list[Decision]) -> list[str]:
    lines = ["## Decision Outcome", ""]
    chosen = "; ".join(f"{concern_title(d.concern).lower()}: {d.label}" for d in decisions)
    lines += [f"Chosen options: {md(chosen)}.", ""]
    for decision in decisions:
        lines += [f"### {md(concern_title(decision.concern))}: {md(decision.label)}", ""]
        values = [f"{label}: {value}" for label, value in extras(decision)]
        if values:
            lines += [md(". ".join(values) + "."), ""]
        reasons = [_reason_line(reason) for reason in decision.rationale]
        lines += reasons or ["* No rationale was stored."]
        lines.append("")

    lines += ["### Consequences", ""]
    seen: set[str] = set()
    for decision in decisions:
        for reason in decision.rationale:
            text = plain(reason.text)
            if reason.rule == TIE_ORDER_RULE or not text or text in seen:
                continue
            seen.add(text)
            lines.append(_because("Good", text))
    for risk in sorted(snapshot.risks, key=doors_first):
        door = "**one-way door**, " if risk.one_way_door else ""
        mark = f"{door}{md(risk.severity)} risk"
        sources = _sources(risk.facts)
        tail = f" (sources: {sources})" if sources else ""
        text = md(_lower_first(plain(risk.text)))
        lines.append(f"* Bad, because ({mark}) {text}{tail}")
    if not snapshot.risks:
        lines.append("* Neutral, because no risk was raised.")
    return [*lines, ""]


# Words that keep their capital when a sentence follows "because".
PROPER = {
    "Amazon",
    "Aurora",
    "Db2",
    "ElastiCache",
    "Global",
    "Memcached",
    "Multi-AZ",
    "Oracle",
    "Redis",
    "Serverless",
    "Single-AZ",
    "Valkey",
}


def _lower_first(text: str) -> str:
    """'Production keeps ...' reads as '... because production keeps ...'; names keep capitals."""
    first = text.split(" ", 1)[0]
    bare = first.removesuffix("'s").rstrip(",.:;")
    if bare in PROPER or not bare[:1].isupper() or not (bare[1:].islower() or len(bare) == 1):
        return text
    return text[0].lower() + text[1:]


def _because(verdict: str, text: Any) -> str:
    return f"* {verdict}, because {md(_lower_first(plain(text)))}"


def _prefer_rules(decision: Decision, choice: str) -> list[tuple[str, int]]:
    """Rules that weighed for or against one option, from the stored trace."""
    return [
        (step.rule, step.weight)
        for step in decision.trace
        if step.effect == "prefer" and choice in step.choices
    ]


def _weighed(rule_id: str, weight: int) -> str:
    text = _rule_text(rule_id)
    verdict = "Good" if weight > 0 else "Bad"
    return (
        f"{_because(verdict, text or 'a rule weighed on it')} (rule {code(rule_id)}, {weight:+d})"
    )


def _pros_and_cons(decisions: list[Decision]) -> list[str]:
    lines = ["## Pros and Cons of the Options", ""]
    for decision in decisions:
        lines += [f"### {md(concern_title(decision.concern))}", ""]
        lines += [f"#### {md(decision.label)} — chosen", ""]
        chosen = [
            _reason_line(reason, "Good")
            for reason in decision.rationale
            if reason.rule != TIE_ORDER_RULE
        ]
        against = [
            _weighed(rule, w) for rule, w in _prefer_rules(decision, decision.choice) if w < 0
        ]
        body = chosen + against
        if not body:
            body = [
                "* Good, because it is the simplest and cheapest option that no rule ruled out."
            ]
        lines += [*body, ""]
        for alternative in decision.alternatives:
            lines += _alternative(decision, alternative)
    return lines


def _alternative(decision: Decision, alternative: Alternative) -> list[str]:
    lines = [f"#### {md(alternative.label)}", ""]
    if alternative.excluded_by:
        for index, rule_id in enumerate(alternative.excluded_by):
            by_matrix = rule_id.startswith("capability.")
            if by_matrix and index > 0:
                continue  # the rule before it already says why; the matrix agrees
            text = _rule_text(rule_id)
            if text is None and index == 0:
                text = alternative.why
            reason = _because("Bad", text or "a rule ruled it out")
            source = "the capability matrix" if by_matrix else f"rule {code(rule_id)}"
            lines.append(f"{reason} (ruled out by {source})")
        sources = _sources(alternative.facts)
        if sources:
            lines.append(f"* Sources: {sources}")
        return [*lines, ""]
    lines += [
        _weighed(rule, weight) for rule, weight in _prefer_rules(decision, alternative.choice)
    ]
    score, best, why = alternative.score, decision.score, alternative.why
    if why and not why.startswith(SCORE_WORDS):
        lines.append(_because("Bad", why))
        sources = _sources(alternative.facts)
        if sources:
            lines.append(f"* Sources: {sources}")
    elif score is not None and best is not None:
        if score < best:
            lines.append(
                f"* Neutral, because it scored {score} against {best} for the chosen option."
            )
        else:
            lines.append(
                f"* Neutral, because it tied ({score} against {best}) and comes later in the "
                "tie order, which puts the simplest and cheapest option first."
            )
    elif why:
        lines.append(_because("Neutral", why))
    return [*lines, ""]


def _span(low: float, high: float, expected: float | None) -> str:
    """$300, $290-$310, or with an estimate $300 ($290-$310)."""
    first, last = _money(low), _money(high)
    if first == last:
        return first
    spread = f"{first}-{last}"
    return spread if expected is None else f"{_money(expected)} ({spread})"


def _cost(cost: Cost) -> list[str]:
    money = cost.monthly_usd
    lines = ["## Cost Estimate", ""]
    if money.expected is None:  # before 2026-12 snapshots had no point estimate
        text = f"About {_money(money.low)}-{_money(money.high)} a month"
    else:
        text = f"About {_money(money.expected)} a month"
        if _money(money.low) != _money(money.high):
            text += f" ({_money(money.low)}-{_money(money.high)})"
    if cost.prices_as_of:
        text += f", at prices as of {plain(cost.prices_as_of)}"
    if cost.budget_usd is None:
        text += "; no fixed budget was given."
    else:
        verdict = "within" if cost.within_budget else "over"
        text += f"; {verdict} the budget of {_money(cost.budget_usd)}."
    lines += [md(text), ""]
    for line in cost.lines:
        span = md(_span(line.low, line.high, line.expected))
        assumption = md(line.assumption)
        lines.append(f"* {md(line.item)}: {span}" + (f" ({assumption})" if assumption else ""))
    if cost.sizing and cost.sizing.items:
        lines += ["", "Sizing assumptions:", ""]
        lines += [f"* {md(item.text)}" for item in cost.sizing.items]
    if cost.budget_options:
        lines += ["", "Ways to fit the budget:", ""]
        for option in cost.budget_options:
            changes = ", ".join(f"{name} = {value}" for name, value in option.changes.items())
            fits = "within the budget" if option.meets_budget else "still over"
            keeps = option.keeps_requirements
            kind = "keeps every requirement" if keeps else "gives up a requirement"
            words = (
                f"{changes}: about {_money(option.monthly_usd.expected)} a month, "
                f"{fits}; {kind}. {'Costs you' if keeps else 'Gives up'}: {option.gives_up}"
            )
            lines.append(f"* {md(words)}")
    return [*lines, ""]


def _checklist(steps: tuple[str, ...]) -> list[str]:
    if not steps:
        return []
    lines = ["## Checklist", ""]
    lines += [f"{index}. {md(step)}" for index, step in enumerate(steps, 1)]
    return [*lines, ""]


def _more_information(stored: Stored, url: str, version: str, date: str) -> list[str]:
    lines = ["## More Information", ""]
    lines.append(f"* Permanent link to this recommendation: {autolink(url)}")
    lines.append(f"* Ruleset version: {code(version)}")
    lines.append(
        f"* Recommended on {date}. This record shows the recommendation as it was stored; it was "
        "not evaluated again, so it stays true to what was decided after the rules change."
    )
    if stored.parent:
        lines.append(f"* Edited from the recommendation {code(stored.parent)}.")
    cited = stored.snapshot.cited
    if cited:
        lines += ["", "Facts cited, with their sources:", ""]
        for fact_id in cited:
            title, source = _fact(fact_id)
            entry = link(title, source) if source else md(title)
            lines.append(f"* {code(fact_id)}: {entry}")
    return [*lines, ""]
