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
from typing import Any
from urllib.parse import quote

from advisor.engine import CONCERNS, CONCERNS_BY_NAME, FIELDS, FIELDS_BY_NAME, default_engine

from . import answers_of, decisions_of, recommendation_of

TIE_ORDER_RULE = "engine.tie-order"
# Rationale entries that are the engine's own words about a choice or a tie, not rules.
OWN_WORDS = ("choice.", "principle.")
# How recommendations stored before alternatives gave domain reasons said why one lost.
SCORE_WORDS = ("scored lower (", "tied, and (")
EXTRA_LABELS = {
    "instance_class": "Instance class",
    "count": "Read copies",
    "replicas": "Replicas per shard",
    "retention_days": "Automated backup retention (days)",
}

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


def _sources(fact_ids: list[str]) -> str:
    parts = []
    for fact_id in fact_ids or []:
        title, source = _fact(str(fact_id))
        parts.append(link(title, source) if source else md(title))
    return "; ".join(parts)


def _concern_names(decisions: dict[str, Any]) -> list[str]:
    """Known concerns in contract order, then any a future or older ruleset stored."""
    known = [c.name for c in CONCERNS if c.name in decisions]
    return known + [name for name in decisions if name not in CONCERNS_BY_NAME]


def _concern_title(name: str) -> str:
    concern = CONCERNS_BY_NAME.get(name)
    return concern.title if concern else name.replace("_", " ").capitalize()


def _answer_words(name: str, value: Any) -> str:
    """An answer as a person would say it, from the answers contract's labels."""
    field = FIELDS_BY_NAME.get(name)
    if value is None:
        return "no fixed budget" if name == "monthly_budget_usd" else "not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field is None:
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "none"
        return str(value)
    if field.kind == "list":
        return ", ".join(field.choice_label(item) for item in value) or "none"
    if field.kind == "choice":
        return field.choice_label(value)
    if isinstance(value, int):
        text = f"{value:,}"
        return f"${text}" if name == "monthly_budget_usd" else text
    return str(value)


def _driver(name: str, value: Any) -> str:
    field = FIELDS_BY_NAME.get(name)
    label = field.label if field else name.replace("_", " ").capitalize()
    words = _answer_words(name, value)
    if label.endswith("?"):
        return f"* {md(label)} {md(words)}"
    return f"* {md(label)}: {md(words)}"


def _extras(name: str, decision: dict[str, Any]) -> list[str]:
    """The concern's extra values (instance class, counts, sizes), in words."""
    lines = []
    choice = decision.get("choice")
    if decision.get("instance_class"):
        lines.append(f"{EXTRA_LABELS['instance_class']}: {decision['instance_class']}")
    for key in ("count", "replicas", "retention_days"):
        value = decision.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            lines.append(f"{EXTRA_LABELS[key]}: {value:,}")
    maximum = decision.get("max_allocated_gb")
    if isinstance(maximum, int) and not isinstance(maximum, bool) and maximum > 0:
        label = {
            "autoscaling": "Storage autoscaling maximum",
            "fixed": "Allocated storage, with headroom",
            "aurora_managed": "Cluster volume ceiling",
        }.get(choice, "Storage")
        lines.append(f"{label}: {maximum:,} GB")
    return lines


def _label(decision: dict[str, Any]) -> str:
    return str(decision.get("label") or decision.get("choice") or "unknown")


def _money(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"${value:,.0f}"
    return "$?"


# -- the record ---------------------------------------------------------------------------------


def render(snapshot: dict[str, Any], url: str) -> str:
    """The decision record as Markdown text (no HTML), ending with a newline."""
    rec = recommendation_of(snapshot)
    decisions = decisions_of(snapshot)
    answers = answers_of(snapshot)
    names = _concern_names(decisions)
    summary = plain(rec.get("summary") or "")
    title = plain(snapshot.get("title") or "") or summary or "Data tier decision"
    created = str(snapshot.get("created") or "")
    date = created[:10] if re.match(r"\d{4}-\d{2}-\d{2}", created) else "unknown"
    version = snapshot.get("ruleset_version") or rec.get("ruleset_version") or "unknown"

    out: list[str] = [f"# {md(title)}", ""]
    out += ["* Status: accepted", f"* Date: {date}", f"* Permanent link: {autolink(url)}", ""]

    out += _context(answers, summary, version)
    out += _drivers(answers)
    out += _considered(decisions, names)
    out += _outcome(rec, decisions, names)
    out += _pros_and_cons(decisions, names)
    out += _cost(rec.get("cost") or {})
    out += _checklist(rec.get("checklist") or [])
    out += _more_information(snapshot, rec, decisions, url, version, date)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _context(answers: dict[str, Any], summary: str, version: str) -> list[str]:
    engine = _answer_words("engine", answers.get("engine")) if answers.get("engine") else None
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


def _drivers(answers: dict[str, Any]) -> list[str]:
    lines = ["## Decision Drivers", ""]
    known = [f for f in FIELDS if f.name in answers and f.applies(answers)]
    lines += [_driver(f.name, answers[f.name]) for f in known]
    lines += [_driver(name, value) for name, value in answers.items() if name not in FIELDS_BY_NAME]
    if not known and len(lines) == 2:
        lines.append("* No answers were stored.")
    return [*lines, ""]


def _considered(decisions: dict[str, Any], names: list[str]) -> list[str]:
    lines = ["## Considered Options", ""]
    for name in names:
        decision = decisions[name]
        lines += [f"### {md(_concern_title(name))}", ""]
        lines.append(f"* {md(decision.get('label') or decision.get('choice'))} — chosen")
        for alternative in decision.get("alternatives") or []:
            lines.append(f"* {md(alternative.get('label') or alternative.get('choice'))}")
        lines.append("")
    return lines


def _reason_line(reason: dict[str, Any], verdict: str | None = None) -> str:
    sources = _sources(reason.get("facts") or [])
    rule = reason.get("rule")
    tail = []
    if rule and rule != TIE_ORDER_RULE and not str(rule).startswith(OWN_WORDS):
        tail.append(f"rule {code(rule)}")
    if sources:
        tail.append(f"sources: {sources}")
    start = (
        _because(verdict, reason.get("text") or "")
        if verdict
        else f"* {md(reason.get('text') or '')}"
    )
    return start + (f" ({'; '.join(tail)})" if tail else "")


def _outcome(rec: dict[str, Any], decisions: dict[str, Any], names: list[str]) -> list[str]:
    lines = ["## Decision Outcome", ""]
    chosen = "; ".join(
        f"{_concern_title(name).lower()}: {_label(decisions[name])}" for name in names
    )
    lines += [f"Chosen options: {md(chosen)}.", ""]
    for name in names:
        decision = decisions[name]
        label = decision.get("label") or decision.get("choice")
        lines += [f"### {md(_concern_title(name))}: {md(label)}", ""]
        extras = _extras(name, decision)
        if extras:
            lines += [md(". ".join(extras) + "."), ""]
        reasons = decision.get("rationale") or []
        lines += [_reason_line(reason) for reason in reasons] or ["* No rationale was stored."]
        lines.append("")

    lines += ["### Consequences", ""]
    seen: set[str] = set()
    for name in names:
        for reason in decisions[name].get("rationale") or []:
            text = plain(reason.get("text") or "")
            if reason.get("rule") == TIE_ORDER_RULE or not text or text in seen:
                continue
            seen.add(text)
            lines.append(_because("Good", text))
    risks = sorted(rec.get("risks") or [], key=lambda risk: not risk.get("one_way_door"))
    for risk in risks:
        severity = md(risk.get("severity") or "unknown")
        door = "**one-way door**, " if risk.get("one_way_door") else ""
        mark = f"{door}{severity} risk"
        sources = _sources(risk.get("facts") or [])
        tail = f" (sources: {sources})" if sources else ""
        text = md(_lower_first(plain(risk.get("text") or "")))
        lines.append(f"* Bad, because ({mark}) {text}{tail}")
    if not risks:
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


def _prefer_rules(decision: dict[str, Any], choice: str) -> list[tuple[str, int]]:
    """Rules that weighed for or against one option, from the stored trace."""
    found = []
    for step in decision.get("trace") or []:
        if step.get("effect") == "prefer" and choice in (step.get("choices") or []):
            weight = step.get("weight")
            found.append((str(step.get("rule")), weight if isinstance(weight, int) else 0))
    return found


def _weighed(rule_id: str, weight: int) -> str:
    text = _rule_text(rule_id)
    verdict = "Good" if weight > 0 else "Bad"
    return (
        f"{_because(verdict, text or 'a rule weighed on it')} (rule {code(rule_id)}, {weight:+d})"
    )


def _pros_and_cons(decisions: dict[str, Any], names: list[str]) -> list[str]:
    lines = ["## Pros and Cons of the Options", ""]
    for name in names:
        decision = decisions[name]
        winner = decision.get("choice")
        lines += [f"### {md(_concern_title(name))}", ""]
        lines += [f"#### {md(decision.get('label') or winner)} — chosen", ""]
        chosen = [
            _reason_line(reason, "Good")
            for reason in decision.get("rationale") or []
            if reason.get("rule") != TIE_ORDER_RULE
        ]
        against = [_weighed(rule, w) for rule, w in _prefer_rules(decision, winner) if w < 0]
        body = chosen + against
        if not body:
            body = [
                "* Good, because it is the simplest and cheapest option that no rule ruled out."
            ]
        lines += [*body, ""]
        for alternative in decision.get("alternatives") or []:
            lines += _alternative(decision, alternative)
    return lines


def _alternative(decision: dict[str, Any], alternative: dict[str, Any]) -> list[str]:
    choice = alternative.get("choice")
    lines = [f"#### {md(alternative.get('label') or choice)}", ""]
    excluded = alternative.get("excluded_by") or []
    if excluded:
        for index, rule_id in enumerate(excluded):
            by_matrix = str(rule_id).startswith("capability.")
            if by_matrix and index > 0:
                continue  # the rule before it already says why; the matrix agrees
            text = _rule_text(str(rule_id))
            if text is None and index == 0:
                text = alternative.get("why")
            reason = _because("Bad", text or "a rule ruled it out")
            source = "the capability matrix" if by_matrix else f"rule {code(rule_id)}"
            lines.append(f"{reason} (ruled out by {source})")
        sources = _sources(alternative.get("facts") or [])
        if sources:
            lines.append(f"* Sources: {sources}")
        return [*lines, ""]
    weighed = _prefer_rules(decision, choice)
    lines += [_weighed(rule, weight) for rule, weight in weighed]
    score, best = alternative.get("score"), decision.get("score")
    why = alternative.get("why")
    if isinstance(why, str) and why and not why.startswith(SCORE_WORDS):
        lines.append(_because("Bad", why))
        sources = _sources(alternative.get("facts") or [])
        if sources:
            lines.append(f"* Sources: {sources}")
    elif isinstance(score, int) and isinstance(best, int):
        if score < best:
            lines.append(
                f"* Neutral, because it scored {score} against {best} for the chosen option."
            )
        else:
            lines.append(
                f"* Neutral, because it tied ({score} against {best}) and comes later in the "
                "tie order, which puts the simplest and cheapest option first."
            )
    elif alternative.get("why"):
        lines.append(_because("Neutral", alternative["why"]))
    return [*lines, ""]


def _cost(cost: dict[str, Any]) -> list[str]:
    if not cost:
        return []
    money = cost.get("monthly_usd") or {}
    lines = ["## Cost Estimate", ""]
    text = f"About {_money(money.get('low'))}-{_money(money.get('high'))} a month"
    if "expected" in money:  # snapshots from 2026-12 on: the point estimate, then the range
        low, high = _money(money.get("low")), _money(money.get("high"))
        text = f"About {_money(money['expected'])} a month"
        if low != high:
            text += f" ({low}-{high})"
    if cost.get("prices_as_of"):
        text += f", at prices as of {plain(cost['prices_as_of'])}"
    budget = cost.get("budget_usd")
    if budget is None:
        text += "; no fixed budget was given."
    else:
        verdict = "within" if cost.get("within_budget") else "over"
        text += f"; {verdict} the budget of {_money(budget)}."
    lines += [md(text), ""]
    for line in cost.get("lines") or []:
        item = md(line.get("item") or "")
        low, high = _money(line.get("low")), _money(line.get("high"))
        span = md(low if low == high else f"{low}-{high}")
        if "expected" in line and low != high:
            span = md(f"{_money(line['expected'])} ({low}-{high})")
        assumption = md(line.get("assumption") or "")
        lines.append(f"* {item}: {span}" + (f" ({assumption})" if assumption else ""))
    sizing = (cost.get("sizing") or {}).get("items") or []
    if sizing:
        lines += ["", "Sizing assumptions:", ""]
        lines += [f"* {md(item.get('text') or '')}" for item in sizing]
    options = cost.get("budget_options") or []
    if options:
        lines += ["", "Ways to fit the budget:", ""]
        for option in options:
            changes = ", ".join(f"{name} = {value}" for name, value in option["changes"].items())
            fits = "within the budget" if option.get("meets_budget") else "still over"
            keeps = option.get("keeps_requirements")
            kind = "keeps every requirement" if keeps else "gives up a requirement"
            words = (
                f"{changes}: about {_money(option['monthly_usd']['expected'])} a month, "
                f"{fits}; {kind}. {'Costs you' if keeps else 'Gives up'}: "
                f"{option.get('gives_up', '')}"
            )
            lines.append(f"* {md(words)}")
    return [*lines, ""]


def _checklist(steps: list[Any]) -> list[str]:
    if not steps:
        return []
    lines = ["## Checklist", ""]
    lines += [f"{index}. {md(step)}" for index, step in enumerate(steps, 1)]
    return [*lines, ""]


def _more_information(
    snapshot: dict[str, Any],
    rec: dict[str, Any],
    decisions: dict[str, Any],
    url: str,
    version: str,
    date: str,
) -> list[str]:
    lines = ["## More Information", ""]
    lines.append(f"* Permanent link to this recommendation: {autolink(url)}")
    lines.append(f"* Ruleset version: {code(version)}")
    lines.append(
        f"* Recommended on {date}. This record shows the recommendation as it was stored; it was "
        "not evaluated again, so it stays true to what was decided after the rules change."
    )
    if snapshot.get("parent"):
        lines.append(f"* Edited from the recommendation {code(snapshot['parent'])}.")
    cited: list[str] = []
    for name in _concern_names(decisions):
        for reason in decisions[name].get("rationale") or []:
            cited += [str(f) for f in reason.get("facts") or [] if str(f) not in cited]
    for risk in rec.get("risks") or []:
        cited += [str(f) for f in risk.get("facts") or [] if str(f) not in cited]
    if cited:
        lines += ["", "Facts cited, with their sources:", ""]
        for fact_id in cited:
            title, source = _fact(fact_id)
            entry = link(title, source) if source else md(title)
            lines.append(f"* {code(fact_id)}: {entry}")
    return [*lines, ""]
