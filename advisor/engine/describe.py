"""Rules in plain English: a rule's condition and its effect, as a person would say them.

Conditions use the answers' labels and choice labels and the concerns' titles and choice labels,
never a raw field name, choice value or operator: "the engine is Oracle or IBM Db2, or the
platform decision is Amazon RDS Custom or self-managed on Amazon EC2".
"""

from __future__ import annotations

import re
import string
from typing import Any

from .answers import FIELDS_BY_NAME, Field
from .capabilities import Matrix
from .concerns import CONCERNS_BY_NAME, EXTRAS, Concern
from .rules import PLACEHOLDERS, Rule

DERIVED_SUBJECTS: dict[str, tuple[str, str, str]] = {
    # (subject, prefix, suffix) of the number compared
    "budget_ratio": ("the monthly budget", "", " times the cost of one right-sized RDS instance"),
    "single_instance_monthly_usd": ("one right-sized RDS instance", "$", " a month"),
    "data_size_gib": ("the data size", "", " GiB"),
    "projected_size_gib": ("next year's data size", "", " GiB"),
    "production_on_burstable": ("a production database on a burstable class (1 = yes)", "", ""),
    "burstable_chosen_for_production": (
        "a burstable class chosen for a production database (1 = yes)",
        "",
        "",
    ),
}
DECISION_SUBJECTS: dict[str, str] = {"platform": "the platform"}
ORDER_WORDS = {
    "lt": "is less than",
    "lte": "is at most",
    "gt": "is more than",
    "gte": "is at least",
    "eq": "is",
    "ne": "is not",
}
DERIVED_ORDER_WORDS = {
    "lt": "is less than",
    "lte": "is at most",
    "gt": "is more than",
    "gte": "is at least",
}
EXTRA_NAMES = {key: extra.phrase for key, extra in EXTRAS.items()}
TEXT_WORDS = dict(EXTRAS["destination"].words)
_CAPITALISED_WORD = re.compile(r"^[A-Z][a-z]+\b(?!-[A-Z])")
_PROPER_WORDS = {"Amazon", "Aurora", "Oracle", "Valkey", "Memcached"}


def lower_first(label: str) -> str:
    """'Serverless functions' -> 'serverless functions'; names such as 'Oracle' keep capitals."""
    match = _CAPITALISED_WORD.match(label)
    if match and match.group(0) not in _PROPER_WORDS:
        return label[0].lower() + label[1:]
    return label


def join(items: list[str], word: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def subject(name: str) -> str:
    """An answer's name inside a sentence: 'the data size'."""
    if FIELDS_BY_NAME[name].words.subject:
        return FIELDS_BY_NAME[name].words.subject
    return "the answer to “" + FIELDS_BY_NAME[name].label + "”"


def short_name(name: str) -> str:
    """An answer's short name in a list of answers: 'clients'."""
    return FIELDS_BY_NAME[name].words.short or FIELDS_BY_NAME[name].label.rstrip("?")


def choice_words(f: Field, value: Any) -> str:
    """A choice as it reads in a sentence: 'minutes', 'PostgreSQL', 'an encrypted RDS database'."""
    if value is None:
        return f.words.none or "not set"
    if f.name in ("region", "instance_class"):  # names, as written
        return f.choice_label(value)
    if value in f.words.values:
        return f.words.values[value]
    label = f.choice_label(value)
    if f.name == "engine":
        return lower_first(label.split(" (")[0]) if value == "other" else label
    return lower_first(label.split(": ")[0])


def value_words(name: str, value: Any) -> str:
    """Any answer's value in words: 'yes', '1,000 GB', 'no fixed budget', 'user sessions'."""
    f = FIELDS_BY_NAME[name]
    if f.kind == "bool":
        return "yes" if value else "no"
    if f.kind == "choice":
        return choice_words(f, value)
    if f.kind == "list":
        return join([choice_words(f, v) for v in value]) or "nothing"
    if value is None:
        return f.words.none or "not set"
    return f"{f.words.prefix}{value:,}{f.words.suffix}"


def answer_words(name: str, value: Any) -> str:
    """One answer as a list item: 'clients: serverless functions'."""
    return f"{short_name(name)}: {value_words(name, value)}"


def _alternatives(words: list[str], negative: bool) -> str:
    if len(words) > 1:
        # A label that itself holds "or" ("fast or unpredictable") is quoted inside a list.
        words = [f"“{word}”" if " or " in word or ", " in word else word for word in words]
    if not negative:
        return join(words, "or")
    if len(words) == 2:
        return f"neither {words[0]} nor {words[1]}"
    return "none of " + join(words, "or")


def _list_phrases(f: Field) -> tuple[str, str, str]:
    """What a list answer holds, that it is empty, that it is not."""
    return f.words.list_phrases or (
        f"{subject(f.name)} include {{}}",
        f"{subject(f.name)} is empty",
        f"{subject(f.name)} is not empty",
    )


def _answer_leaf(name: str, op: str, value: Any) -> str:
    f = FIELDS_BY_NAME[name]
    if f.kind == "bool":
        positive = value if op == "eq" else not value
        yes, no = f.words.statements or (f"{short_name(name)}: yes", f"{short_name(name)}: no")
        return yes if positive else no
    if f.kind == "choice":
        values = value if isinstance(value, list) else [value]
        negative = op in ("ne", "not_in")
        if negative and len(values) == 1 and values[0] in f.words.negated:
            return f"{subject(name)} is {f.words.negated[values[0]]}"
        words = [choice_words(f, v) for v in values]
        if negative and len(words) == 1:
            return f"{subject(name)} is not {words[0]}"
        return f"{subject(name)} is {_alternatives(words, negative)}"
    if f.kind == "list":
        holds, empty, not_empty = _list_phrases(f)
        if op == "is_empty":
            return empty
        if op == "is_not_empty":
            return not_empty
        items = [choice_words(f, v) for v in (value if isinstance(value, list) else [value])]
        return holds.format(_alternatives(items, negative=op == "contains_none"))
    return f"{subject(name)} {ORDER_WORDS[op]} {value_words(name, value)}"


def change_words(name: str, current: Any, value: Any) -> str:
    """An answer change as the condition of a what-would-change entry, without "if":
    "you want audit logs", "the data size reaches 70,369 GB", "a cache would hold user sessions".
    """
    f = FIELDS_BY_NAME[name]
    if f.kind == "bool":
        return _answer_leaf(name, "eq", value)
    if f.kind == "choice":
        return _answer_leaf(name, "eq", value)
    if f.kind == "list":
        added = [v for v in value if v not in current]
        if not value:
            return _list_phrases(f)[1]
        if added:
            return _answer_leaf(name, "contains", added[0])
        removed = [v for v in current if v not in value]
        holds = _list_phrases(f)[0]
        return holds.replace(" would ", " would no longer ").format(choice_words(f, removed[0]))
    if value is None:
        return f"there is {value_words(name, value)}"
    what = "the budget" if name == "monthly_budget_usd" else subject(name)
    if value == f.minimum:
        return f"{what} is {value_words(name, value)}"
    if current is None or value < current:
        return f"{what} is {value_words(name, value)} or less"
    return f"{what} reaches {value_words(name, value)}"


def _decision_leaf(name: str, op: str, value: Any) -> str:
    concern = CONCERNS_BY_NAME[name]
    chosen = value if isinstance(value, list) else [value]
    negative = op in ("ne", "not_in")
    if negative and "none" in chosen:
        # "not 'No cache'" reads badly: name the choices that remain instead.
        chosen, negative = [v for v in concern.values if v not in chosen], False
    words = [decision_words(concern, v) for v in chosen]
    name_words = DECISION_SUBJECTS.get(name, f"the {concern.title.lower()} decision")
    if negative and len(words) == 1:
        return f"{name_words} is not {words[0]}"
    return f"{name_words} is {_alternatives(words, negative)}"


def decision_words(concern: Concern, value: str) -> str:
    """A concern's choice inside a sentence: 'self-managed on Amazon EC2', 'pilot light'."""
    return lower_first(concern.label(value).split(": ")[0])


def _derived_leaf(name: str, op: str, value: Any) -> str:
    if name == "production_on_burstable":
        return "the budget leaves a production database only a burstable (T) class"
    if name == "burstable_chosen_for_production":
        return "you chose a burstable (T) class for a production database"
    what, prefix, suffix = DERIVED_SUBJECTS.get(name, (name.replace("_", " "), "", ""))
    return f"{what} {DERIVED_ORDER_WORDS[op]} {prefix}{value:,}{suffix}"


def _matrix() -> Matrix:
    from . import default_engine  # the engine package imports this module's neighbours

    return default_engine().matrix


def capability_words(name: str) -> str:
    """A capability of the matrix inside a sentence: 'storage autoscaling'."""
    return lower_first(_matrix()[name].title)


def _capability_leaf(name: str, op: str, value: Any) -> str:
    capability = _matrix()[name]
    if capability.kind == "bool":
        has = value if op == "eq" else not value
        return f"the design {'has' if has else 'lacks'} {capability_words(name)}"
    values = value if isinstance(value, list) else [value]
    words = [TEXT_WORDS.get(v, f"{v:,}" if isinstance(v, int) else str(v)) for v in values]
    if op in ORDER_WORDS and op not in ("eq", "ne"):
        return f"the {capability_words(name)} {ORDER_WORDS[op]} {words[0]}"
    negative = op in ("ne", "not_in")
    return f"the {capability_words(name)} is {_alternatives(words, negative)}"


def leaf_words(node: dict[str, Any]) -> str:
    """One comparison in words."""
    op, value = node.get("op"), node.get("value")
    if "value_capability" in node:  # a comparison with the design's own limit
        if "answer" in node:
            what = subject(node["answer"])
        else:
            what = DERIVED_SUBJECTS.get(node["derived"], (node["derived"], "", ""))[0]
        return f"{what} {ORDER_WORDS[op]} the {capability_words(node['value_capability'])}"
    if "answer" in node:
        return _answer_leaf(node["answer"], op, value)
    if "decision" in node:
        return _decision_leaf(node["decision"], op, value)
    if "capability" in node:
        return _capability_leaf(node["capability"], op, value)
    return _derived_leaf(node["derived"], op, value)


def _render(node: dict[str, Any], depth: int) -> str:
    if "not" in node:
        return f"it is not true that {_render(node['not'], depth + 1)}"
    for key, word in (("all", "and"), ("any", "or")):
        if key not in node:
            continue
        parts = [_render(child, depth + 1) for child in node[key]]
        if len(parts) == 1:
            return parts[0]
        if depth == 0:
            # The top level: "a, b, and c" / "a, or b" (the comma keeps lists inside apart).
            if len(parts) == 2:
                return f"{parts[0]}, {word} {parts[1]}"
            return f"{', '.join(parts[:-1])}, {word} {parts[-1]}"
        nested = any(("all" in child or "any" in child) for child in node[key])
        if len(parts) == 2 and not nested:
            return f"{'both' if key == 'all' else 'either'} {parts[0]} {word} {parts[1]}"
        return f"{'all' if key == 'all' else 'any'} of ({'; '.join(parts)})"
    return leaf_words(node)


def describe_condition(when: dict[str, Any] | None) -> str:
    """A rule's condition in plain English; 'always' for a rule without one."""
    if not when:
        return "always"
    return _render(when, 0)


def _placeholder_words(name: str) -> str:
    if name in FIELDS_BY_NAME:
        return short_name(name)
    return PLACEHOLDERS.get(name, name).removeprefix("the ")


def fill_placeholders(text: str) -> str:
    """A risk or checklist text with its placeholders named: '{rto}' -> '[RTO]'."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(f"[{_placeholder_words(name)}]")
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def describe_set(spec: dict[str, Any]) -> str:
    """'sets the number of read copies from the read copies you expect, at least 1, at most 15'."""
    target = EXTRA_NAMES.get(spec["key"], spec["key"].replace("_", " "))
    if "value" in spec:
        return f"sets {target} to {_number(spec['value'])}"
    if "capability" in spec:
        return f"sets {target} as the capability matrix gives it for this engine and platform"
    if spec["from"] in DERIVED_SUBJECTS:
        source = DERIVED_SUBJECTS[spec["from"]][0] + " in GiB"
    else:
        source = subject(spec["from"])
    formula = source
    if spec.get("multiply", 1) != 1:  # e.g. "1.5 times the data size + 10"
        formula = f"{_number(spec['multiply'])} times {source}"
    if spec.get("add"):
        formula = f"{formula} + {_number(spec['add'])}"
    bounds = []
    if "min" in spec:
        bounds.append(f"at least {_number(spec['min'])}")
    if "max" in spec:
        bounds.append(f"at most {_number(spec['max'])}")
    if "max_capability" in spec:
        limit = capability_words(spec["max_capability"])
        keep = f" less {_number(spec['keep'])}" if spec.get("keep") else ""
        bounds.append(f"at most {'' if limit.startswith('the ') else 'the '}{limit}{keep}")
    rounding = ", rounded up" if spec.get("multiply", 1) != 1 else ""
    limits = f" ({', '.join(bounds)})" if bounds else ""
    return f"sets {target} from {formula}{rounding}{limits}"


def describe_effect(rule: Rule) -> str:
    """A rule's effect in plain English: 'excludes Amazon RDS Custom', 'favours X (+3)'."""
    concern = CONCERNS_BY_NAME[rule.concern]
    if rule.effect in ("exclude", "prefer"):
        names = join([concern.label(choice) for choice in rule.choices], "and")
        if rule.effect == "exclude":
            return f"excludes {names}"
        verb = "favours" if rule.weight > 0 else "weighs against"
        return f"{verb} {names} ({rule.weight:+d})"
    if rule.effect == "set":
        return describe_set(rule.set)
    if rule.effect == "risk":
        door = ", a one-way door" if rule.risk["one_way_door"] else ""
        text = fill_placeholders(rule.risk["text"])
        return f"raises a {rule.risk['severity']} risk{door}: {text}"
    return f"adds a checklist step: {fill_placeholders(rule.step)}"


EFFECT_TITLES = {
    "exclude": "Excludes",
    "prefer": "Favours",
    "set": "Sets a value",
    "risk": "Raises a risk",
    "checklist": "Adds a checklist step",
}
