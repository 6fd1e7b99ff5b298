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
from .concerns import CONCERNS_BY_NAME, Concern
from .rules import PLACEHOLDERS, Rule

# What each answer is called inside a sentence, and in a short list of answers.
SUBJECTS: dict[str, str] = {
    "engine": "the engine",
    "license_model": "the licence model",
    "data_size_gb": "the data size",
    "growth": "data growth",
    "read_write": "the read/write mix",
    "read_replicas": "the number of read copies you expect",
    "traffic_pattern": "the traffic pattern",
    "environment": "the environment",
    "rto": "the recovery time objective (RTO)",
    "rpo": "the recovery point objective (RPO)",
    "region_dr": "recovery after a Region failure",
    "restore_window_days": "the restore window",
    "monthly_budget_usd": "the monthly budget",
    "cost_priority": "the cost priority",
    "ops_capacity": "the team's capacity to run databases",
    "existing_database": "the existing database",
    "client_type": "what connects to the database",
    "new_connections_per_second": "the peak rate of new connections",
    "region": "the Region",
    "pricing": "the pricing",
    "working_set_gb": "the hot data",
    "peak_vcpu": "the vCPUs needed at peak",
    "instance_class": "the instance class",
}
SHORT_NAMES: dict[str, str] = {
    "engine": "engine",
    "engine_version_available": "version offered by RDS",
    "needs_os_access": "OS access needed",
    "needs_unsupported_features": "features RDS restricts needed",
    "license_model": "licence",
    "data_size_gb": "data size",
    "growth": "growth",
    "read_write": "reads or writes",
    "read_replicas": "read copies",
    "traffic_pattern": "traffic",
    "aurora_acceptable": "Aurora acceptable",
    "environment": "environment",
    "rto": "RTO",
    "rpo": "RPO",
    "region_dr": "Region recovery",
    "cross_region_reads": "reads in another Region",
    "restore_window_days": "restore window",
    "monthly_budget_usd": "budget",
    "cost_priority": "priority",
    "ops_capacity": "team capacity",
    "encryption_at_rest": "encryption at rest",
    "existing_database": "existing database",
    "tls_required": "TLS required",
    "iam_auth": "IAM authentication",
    "audit_logging": "audit logs",
    "client_type": "clients",
    "new_connections_per_second": "new connections",
    "connection_storms": "connection storms",
    "cache_uses": "cache holds",
    "cache_must_survive_node_failure": "cache must survive a node failure",
    "cache_multithreaded_large_nodes": "large multi-threaded cache nodes",
    "region": "Region",
    "pricing": "pricing",
    "working_set_gb": "hot data",
    "peak_vcpu": "peak vCPUs",
    "instance_class": "instance class",
}
# A yes/no answer as a statement: (when true, when false).
STATEMENTS: dict[str, tuple[str, str]] = {
    "engine_version_available": (
        "RDS offers the engine version you need",
        "RDS does not offer the engine version you need",
    ),
    "needs_os_access": ("you need OS access", "you do not need OS access"),
    "needs_unsupported_features": (
        "you need features RDS restricts",
        "you do not need features RDS restricts",
    ),
    "aurora_acceptable": (
        "an AWS-proprietary engine (Aurora) is acceptable",
        "an AWS-proprietary engine (Aurora) is not acceptable",
    ),
    "cross_region_reads": (
        "users in another Region need low-latency reads",
        "no other Region needs low-latency reads",
    ),
    "encryption_at_rest": ("you want encryption at rest", "you do not want encryption at rest"),
    "tls_required": ("TLS is required", "TLS is not required"),
    "iam_auth": (
        "you want IAM database authentication",
        "you do not want IAM database authentication",
    ),
    "audit_logging": ("you want audit logs", "you do not want audit logs"),
    "connection_storms": ("connection surges hurt today", "connection surges do not hurt today"),
    "cache_must_survive_node_failure": (
        "the cache must survive a node failure",
        "the cache need not survive a node failure",
    ),
    "cache_multithreaded_large_nodes": (
        "you want large multi-threaded cache nodes",
        "you do not want large multi-threaded cache nodes",
    ),
}
# Choice labels that read badly inside a sentence.
VALUE_WORDS: dict[tuple[str, str], str] = {
    ("existing_database", "none"): "none (the database is new)",
    ("existing_database", "rds_unencrypted"): "an unencrypted RDS database",
    ("existing_database", "rds_encrypted"): "an encrypted RDS database",
    ("region_dr", "none"): "not needed",
    ("cache_uses", "query_results"): "query results",
    ("cache_uses", "session_store"): "user sessions",
    ("cache_uses", "leaderboards"): "leaderboards (sorted sets)",
    ("cache_uses", "pub_sub"): "publish/subscribe messages",
    ("cache_uses", "persistent_data"): "data that must persist",
}
# "is not <value>" reads badly for these: "is not not needed".
NEGATED_WORDS: dict[tuple[str, str], str] = {("region_dr", "none"): "needed"}
UNITS: dict[str, tuple[str, str]] = {
    "data_size_gb": ("", " GB"),
    "restore_window_days": ("", " days"),
    "monthly_budget_usd": ("$", " a month"),
    "new_connections_per_second": ("", " a second"),
    "working_set_gb": ("", " GB"),
    "peak_vcpu": ("", " vCPU"),
}
# What an empty optional answer means.
NONE_WORDS = {
    "monthly_budget_usd": "no fixed budget",
    "working_set_gb": "left to the estimate",
    "peak_vcpu": "not given",
    "instance_class": "sized by Archwise",
}
# The list answer (what a cache would hold): (holds, is empty, is not empty).
LIST_PHRASES: dict[str, tuple[str, str, str]] = {
    "cache_uses": ("a cache would hold {}", "no cache is wanted", "a cache is wanted"),
}
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
EXTRA_NAMES = {
    "engine": "the engine",
    "instance_class": "the instance class",
    "count": "the number of read copies",
    "replicas": "the cache replicas per shard",
    "max_allocated_gb": "the storage ceiling (GiB)",
    "retention_days": "the backup retention (days)",
    "destination": "where the audit log goes",
}
TEXT_WORDS = {"s3": "an S3 bucket", "cloudwatch_logs": "CloudWatch Logs"}
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
    if name in SUBJECTS:
        return SUBJECTS[name]
    return "the answer to “" + FIELDS_BY_NAME[name].label + "”"


def short_name(name: str) -> str:
    """An answer's short name in a list of answers: 'clients'."""
    return SHORT_NAMES.get(name) or FIELDS_BY_NAME[name].label.rstrip("?")


def choice_words(f: Field, value: Any) -> str:
    """A choice as it reads in a sentence: 'minutes', 'PostgreSQL', 'an encrypted RDS database'."""
    if value is None:
        return NONE_WORDS.get(f.name, "not set")
    if f.name in ("region", "instance_class"):  # names, as written
        return f.choice_label(value)
    if (f.name, value) in VALUE_WORDS:
        return VALUE_WORDS[(f.name, value)]
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
        return NONE_WORDS.get(name, "not set")
    prefix, suffix = UNITS.get(name, ("", ""))
    return f"{prefix}{value:,}{suffix}"


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


def _answer_leaf(name: str, op: str, value: Any) -> str:
    f = FIELDS_BY_NAME[name]
    if f.kind == "bool":
        positive = value if op == "eq" else not value
        yes, no = STATEMENTS.get(name, (f"{short_name(name)}: yes", f"{short_name(name)}: no"))
        return yes if positive else no
    if f.kind == "choice":
        values = value if isinstance(value, list) else [value]
        negative = op in ("ne", "not_in")
        if negative and len(values) == 1 and (name, values[0]) in NEGATED_WORDS:
            return f"{subject(name)} is {NEGATED_WORDS[(name, values[0])]}"
        words = [choice_words(f, v) for v in values]
        if negative and len(words) == 1:
            return f"{subject(name)} is not {words[0]}"
        return f"{subject(name)} is {_alternatives(words, negative)}"
    if f.kind == "list":
        holds, empty, not_empty = LIST_PHRASES.get(
            name,
            (
                f"{subject(name)} include {{}}",
                f"{subject(name)} is empty",
                f"{subject(name)} is not empty",
            ),
        )
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
            return LIST_PHRASES.get(name, ("", f"{subject(name)} is empty", ""))[1]
        if added:
            return _answer_leaf(name, "contains", added[0])
        removed = [v for v in current if v not in value]
        holds = LIST_PHRASES.get(name, (f"{subject(name)} include {{}}",))[0]
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
