"""The engine: answers in, a recommendation (contract version 1) out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cost
from .answers import FIELDS, FIELDS_BY_NAME, applicable, normalise
from .capabilities import DIMENSIONS, Design, Matrix, contradictions, load_matrix
from .concerns import CONCERNS, EXTRA_DEFAULTS
from .knowledge import DATA_DIR, Fact, load_facts, load_prices
from .rules import Catalog, Context, Rule, RuleError, load_rules

SCHEMA = "archwise.recommendation/v1"
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
EBS_GP3_MAX_GIB = 16_384  # ebs.volumes
Recommendation = dict[str, Any]
SUMMARY_DR = {
    "backup_restore": "backups copied to a second Region",
    "pilot_light": "a cross-Region replica for disaster recovery",
    "aurora_global_database": "Aurora Global Database",
}
SUMMARY_CACHE = {"memcached": "a Memcached cache", "valkey": "a Valkey cache"}
# The audit choice keeps its contract name; its label says where the engine really sends the log.
AUDIT_LABELS = {
    "s3": "Audit files to an S3 bucket",
    "cloudwatch_logs": "Audit logs to CloudWatch Logs",
}


@dataclass
class _Decided:
    """What deciding one concern produced, kept so a probe can compare choices cheaply."""

    choices: dict[str, str]
    decisions: dict[str, dict[str, Any]]
    risks: list[dict[str, Any]]
    checklist: list[str]
    fired: list[str]


class Engine:
    """A loaded, validated rule catalog with its knowledge base and price table."""

    def __init__(
        self, catalog: Catalog, facts: dict[str, Fact], prices: dict[str, Any], matrix: Matrix
    ):
        self.catalog = catalog
        self.facts = facts
        self.prices = prices
        self.matrix = matrix
        self._guards: dict[tuple[Any, ...], Rule | None] = {}  # by concern, choice and design
        self._choosing = {c.name: [] for c in CONCERNS}
        self._after = {c.name: [] for c in CONCERNS}
        for rule in catalog.rules:
            (self._choosing if rule.choosing else self._after)[rule.concern].append(rule)
        for rules in self._after.values():  # values first, so risk and checklist texts can use them
            rules.sort(key=lambda rule: rule.effect != "set")
        self.ruleset_version = self._version()
        self._probes = self._probe_values()

    @classmethod
    def load(cls, extra_rule_files: Iterable[Path] = (), data_dir: Path = DATA_DIR) -> Engine:
        """The built-in catalog, optionally followed by a team's own rule files."""
        facts = load_facts(data_dir / "facts.toml")
        matrix = load_matrix(facts, data_dir / "capabilities.toml")
        files = [*sorted((data_dir / "rules").glob("*.toml")), *extra_rule_files]
        catalog = load_rules(files, facts, matrix)
        problems = contradictions(catalog.rules, matrix)
        if problems:
            raise RuleError("; ".join(problems))
        return cls(catalog, facts, load_prices(data_dir / "prices.toml"), matrix)

    def _version(self) -> str:
        digest = hashlib.sha256()
        for rule in self.catalog.rules:
            data = {k: v for k, v in rule.__dict__.items() if k != "condition"}
            digest.update(json.dumps(data, sort_keys=True, default=list).encode())
        for fact in self.facts.values():
            digest.update(json.dumps(fact.__dict__, sort_keys=True).encode())
        digest.update(json.dumps(self.prices, sort_keys=True).encode())
        for capability in self.matrix.capabilities.values():
            cells = [
                [{k: sorted(v) for k, v in c.where.items()}, c.value, c.facts, c.note]
                for c in capability.cells
            ]
            digest.update(json.dumps([capability.id, capability.kind, cells]).encode())
        digest.update(json.dumps(self.matrix.requires, sort_keys=True).encode())
        return f"{self.prices['as_of']}.{digest.hexdigest()[:10]}"

    # -- deciding ------------------------------------------------------------------------------

    def _decide(self, answers: dict[str, Any], derived: dict[str, Any]) -> _Decided:
        choices: dict[str, str] = {}
        decisions: dict[str, dict[str, Any]] = {}
        risks: list[dict[str, Any]] = []
        checklist: list[str] = []
        fired: list[str] = []
        design = Design(self.matrix, answers, choices)
        ctx = (answers, derived, choices, design)
        for concern in CONCERNS:
            excluded: dict[str, list[Rule]] = {}
            scores = dict.fromkeys(concern.values, 0)
            support: dict[str, list[Rule]] = {value: [] for value in concern.values}
            trace: list[dict[str, Any]] = []
            for rule in self._choosing[concern.name]:
                if not rule.fires(ctx):
                    continue
                fired.append(rule.id)
                if rule.effect == "exclude":
                    for choice in rule.choices:
                        excluded.setdefault(choice, []).append(rule)
                    trace.append(
                        {"rule": rule.id, "effect": "exclude", "choices": list(rule.choices)}
                    )
                else:
                    for choice in rule.choices:
                        scores[choice] += rule.weight
                        support[choice].append(rule)
                    trace.append(
                        {
                            "rule": rule.id,
                            "effect": "prefer",
                            "choices": list(rule.choices),
                            "weight": rule.weight,
                        }
                    )
            possible = []
            for value in concern.values:
                guard = self._guard(concern.name, value, design)
                if guard is None:
                    possible.append(value)
                else:
                    excluded.setdefault(value, []).append(guard)
                    trace.append({"rule": guard.id, "effect": "exclude", "choices": [value]})
            candidates = [value for value in concern.values if value not in excluded]
            conflict = not candidates
            if conflict:  # rules ruled out all AWS offers: fall back within it, and say so
                candidates = possible or list(concern.values)
            winner = max(candidates, key=lambda value: scores[value])  # first wins a tie
            choices[concern.name] = winner

            rationale = [self._reason(rule) for rule in support[winner] if rule.weight > 0]
            if not rationale:
                eliminated = {r.id: r for v, rs in excluded.items() if v != winner for r in rs}
                rationale = [self._reason(rule) for rule in eliminated.values()]
                rationale.append(
                    {
                        "rule": "engine.tie-order",
                        "text": f"No rule weighs against it: {concern.label(winner)} is the "
                        "simplest and cheapest option that remains.",
                        "facts": [],
                    }
                )
            decision: dict[str, Any] = {
                "choice": winner,
                "label": concern.label(winner),
                "score": scores[winner],
                "rationale": rationale,
                "alternatives": [
                    self._alternative(concern, value, scores, excluded, support, winner)
                    for value in concern.values
                    if value != winner
                ],
                "what_would_change": [],
                "trace": trace,
            }
            for key in concern.extras:
                decision[key] = EXTRA_DEFAULTS[key]
            if concern.name == "platform":
                decision["engine"] = answers["engine"]
                decision["instance_class"] = cost.platform_class(winner, answers, self.prices)
            decisions[concern.name] = decision
            if conflict:
                risks.append(
                    {
                        "id": f"engine.{concern.name}-conflict",
                        "severity": "high",
                        "one_way_door": False,
                        "text": f"Every option for {concern.title.lower()} was ruled out by "
                        f"conflicting rules; {concern.label(winner)} is shown as a fallback. "
                        "Review the rules that excluded each option.",
                        "facts": [],
                    }
                )

            for rule in self._after[concern.name]:
                if not rule.fires(ctx):
                    continue
                fired.append(rule.id)
                if rule.effect == "set":
                    key = rule.set["key"]
                    decision[key] = rule.set_value(ctx)
                    trace.append(
                        {"rule": rule.id, "effect": "set", "key": key, "value": decision[key]}
                    )
                    decision["rationale"].append(self._reason(rule))
                    if key == "destination" and decision["destination"] in AUDIT_LABELS:
                        decision["label"] = AUDIT_LABELS[decision["destination"]]
                elif rule.effect == "risk":
                    trace.append({"rule": rule.id, "effect": "risk"})
                    risks.append(
                        {
                            "id": rule.id,
                            "severity": rule.risk["severity"],
                            "one_way_door": rule.risk["one_way_door"],
                            "text": self._fill(rule.risk["text"], ctx, decisions),
                            "facts": list(rule.facts),
                        }
                    )
                else:
                    trace.append({"rule": rule.id, "effect": "checklist"})
                    checklist.append(self._fill(rule.step, ctx, decisions))
        return _Decided(choices, decisions, risks, checklist, fired)

    def _guard(self, concern: str, choice: str, design: Design) -> Rule | None:
        """The capability matrix's exclusion of a choice the design so far cannot have."""
        dimensions = design.dimensions()
        if concern in DIMENSIONS:
            dimensions[concern] = choice
        key = (concern, choice, *dimensions.values())
        if key not in self._guards:
            self._guards[key] = self._exclusion(concern, choice, dimensions)
        return self._guards[key]

    def _exclusion(self, concern: str, choice: str, dimensions: dict[str, Any]) -> Rule | None:
        capability = self.matrix.needed_by(concern, choice)
        if capability is None:
            return None
        cell = capability.cell(dimensions)
        if cell.value:
            return None
        return Rule(
            id=f"capability.{capability.id}",
            concern=concern,
            effect="exclude",
            rationale=cell.note,
            facts=cell.facts,
            source="capabilities.toml",
            choices=(choice,),
        )

    def _reason(self, rule: Rule) -> dict[str, Any]:
        return {"rule": rule.id, "text": rule.rationale, "facts": list(rule.facts)}

    @staticmethod
    def _alternative(concern, value, scores, excluded, support, winner) -> dict[str, Any]:
        alternative = {"choice": value, "label": concern.label(value), "score": scores[value]}
        if value in excluded:
            rule = excluded[value][0]
            alternative["excluded_by"] = [r.id for r in excluded[value]]
            alternative["why"] = rule.rationale
            alternative["facts"] = sorted({f for r in excluded[value] for f in r.facts})
        else:
            alternative["excluded_by"] = []
            beaten = "scored lower" if scores[value] < scores[winner] else "tied, and"
            suffix = "" if scores[value] < scores[winner] else " comes later in the tie order"
            alternative["why"] = (
                f"{beaten} ({scores[value]} against {scores[winner]}){suffix}: "
                + (
                    "; ".join(f"{r.id} ({r.weight:+d})" for r in support[value])
                    or "no rule favoured it"
                )
                + "."
            )
            alternative["facts"] = sorted({f for r in support[value] for f in r.facts})
        return alternative

    def _fill(self, text: str, ctx: Context, decisions: dict[str, Any]) -> str:
        answers, derived, _, design = ctx
        platform = decisions.get("platform", {})
        storage = decisions.get("storage", {}).get("max_allocated_gb") or 0
        values = {
            # Whole numbers read with thousands separators: "71,000 GB", "2,500 per second".
            **{k: f"{v:,}" if type(v) is int else v for k, v in answers.items()},
            "engine_label": FIELDS_BY_NAME["engine"].choice_label(answers["engine"]),
            "instance_class": platform.get("instance_class"),
            "replica_count": decisions.get("read_scaling", {}).get("count"),
            "max_allocated_gb": f"{storage:,}",
            "retention_days": decisions.get("backups", {}).get("retention_days"),
            "cache_replicas": decisions.get("cache", {}).get("replicas"),
            "projected_size_gib": f"{derived['projected_size_gib']:,}",
            "ebs_volumes": -(-storage // EBS_GP3_MAX_GIB),
        }
        if "{storage_ceiling_gib}" in text:  # known once the platform and its form are chosen
            values["storage_ceiling_gib"] = f"{design['storage_ceiling_gib']:,}"
        return text.format_map(values)

    # -- the entry point -----------------------------------------------------------------------

    def recommend(self, raw_answers: Mapping[str, Any], *, explore: bool = True) -> Recommendation:
        """Validate the answers and build the recommendation; explore finds what_would_change."""
        answers = normalise(raw_answers)
        # Answers to questions that do not apply (e.g. cache questions with no cache use) are
        # kept as given but decide nothing: the engine sees their defaults.
        effective = applicable(answers)
        derived = cost.derive(effective, self.prices)
        decided = self._decide(effective, derived)
        design = Design(self.matrix, effective, decided.choices)
        estimate = cost.estimate(
            effective, decided.decisions, self.prices, design["storage_ceiling_gib"]
        )
        risks = decided.risks + self._budget_risks(effective, estimate)
        risks.sort(key=lambda r: (not r["one_way_door"], SEVERITY_ORDER[r["severity"]]))
        if explore:
            for change in self.what_would_change(answers, decided.choices):
                decided.decisions[change.pop("concern")]["what_would_change"].append(change)
        return {
            "schema": SCHEMA,
            "ruleset_version": self.ruleset_version,
            "answers": answers,
            "summary": self._summary(answers, decided.decisions, estimate),
            "decisions": decided.decisions,
            "risks": risks,
            "checklist": decided.checklist,
            "cost": estimate,
            "fired_rules": decided.fired,
        }

    def choices(self, raw_answers: Mapping[str, Any]) -> dict[str, str]:
        """Only the choice per concern: the cheap path for live previews and probes."""
        answers = applicable(normalise(raw_answers))
        return self._decide(answers, cost.derive(answers, self.prices)).choices

    def _budget_risks(self, answers: dict[str, Any], estimate: dict[str, Any]) -> list[dict]:
        budget = answers["monthly_budget_usd"]
        low, high = estimate["monthly_usd"]["low"], estimate["monthly_usd"]["high"]
        if budget is None or high <= budget:
            return []
        drivers = sorted(
            (line for line in estimate["lines"] if line["concern"] != "platform"),
            key=lambda line: -line["high"],
        )
        named = ", ".join(
            f"{line['item'].lower()} (${line['low']:,.0f}-${line['high']:,.0f}, for "
            f"{line['concern'].replace('_', ' ')})"
            for line in drivers[:3]
            if line["high"] > 0
        )
        severity = "high" if low > budget else "medium"
        verb = "exceeds" if low > budget else "may exceed"
        return [
            {
                "id": "engine.budget",
                "severity": severity,
                "one_way_door": False,
                "text": f"The estimate of ${low:,.0f}-${high:,.0f} a month {verb} the budget of "
                f"${budget:,}. The requirements cannot all be met within it; the largest costs "
                f"besides the primary instance: {named or 'none, the primary alone is over'}. "
                "Relax the requirement behind one of them, or raise the budget.",
                "facts": ["rds.billing", "aurora.cost"],
            }
        ]

    @staticmethod
    def _summary(answers, decisions, estimate) -> str:
        engine = FIELDS_BY_NAME["engine"].choice_label(answers["engine"])
        platform = decisions["platform"]
        parts = [f"{platform['label']} for {engine} ({platform['instance_class']})"]
        parts.append(decisions["availability"]["label"].split(" (")[0])
        reads = decisions["read_scaling"]
        if reads["count"]:
            noun = "Aurora Replica" if reads["choice"] == "aurora_replicas" else "read replica"
            parts.append(f"{reads['count']} {noun}{'s' if reads['count'] > 1 else ''}")
        parts.append(SUMMARY_DR.get(decisions["disaster_recovery"]["choice"], ""))
        if decisions["connections"]["choice"] == "rds_proxy":
            parts.append("behind RDS Proxy")
        parts.append(SUMMARY_CACHE.get(decisions["cache"]["choice"], ""))
        money = estimate["monthly_usd"]
        listed = ", ".join(part for part in parts if part)
        return f"{listed}; about ${money['low']:,.0f}-${money['high']:,.0f} a month."

    # -- what would change ---------------------------------------------------------------------

    def _probe_values(self) -> dict[str, list[Any]]:
        """Alternative values worth trying per answer: every choice, and each rule threshold."""
        thresholds: dict[str, set[int]] = {f.name: set() for f in FIELDS if f.kind == "int"}

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if "answer" in node and node["answer"] in thresholds:
                    value = node.get("value")
                    if isinstance(value, int) and not isinstance(value, bool):
                        thresholds[node["answer"]].update((value - 1, value, value + 1))
                for child in node.values():
                    walk(child)
            elif isinstance(node, list):
                for child in node:
                    walk(child)

        for rule in self.catalog.rules:
            walk(rule.when)
            if rule.effect == "set" and "from" in rule.set:
                for key in ("min", "max"):
                    if key in rule.set:
                        value = int(rule.set[key])
                        thresholds[rule.set["from"]].update((value - 1, value, value + 1))
        probes: dict[str, list[Any]] = {}
        for f in FIELDS:
            if f.kind == "bool":
                probes[f.name] = [True, False]
            elif f.kind == "choice":
                probes[f.name] = list(f.values)
            elif f.kind == "int":
                ladder = {f.minimum, f.maximum, *thresholds[f.name]}
                if f.name in ("data_size_gb", "monthly_budget_usd"):
                    ladder |= {10, 50, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000}
                values = sorted(v for v in ladder if f.minimum <= v <= f.maximum)
                probes[f.name] = ([None] if f.nullable else []) + values
        return probes

    def _variants(self, answers: dict[str, Any]) -> Iterable[tuple[str, Any, dict[str, Any]]]:
        for f in FIELDS:
            current = answers.get(f.name)
            if f.kind == "list":
                for item in f.values:
                    changed = [v for v in f.values if (v in current) != (v == item)]
                    yield f.name, changed, {**answers, f.name: changed}
                continue
            for value in self._probes[f.name]:
                if value != current:
                    yield f.name, value, {**answers, f.name: value}

    def what_would_change(
        self, answers: dict[str, Any], choices: dict[str, str]
    ) -> list[dict[str, Any]]:
        """Single-answer changes that flip a decision, found by re-running the engine."""
        best: dict[tuple[str, str, str], tuple[float, dict[str, Any]]] = {}
        for name, value, changed in self._variants(answers):
            changed = applicable(changed)
            flipped = self._decide(changed, cost.derive(changed, self.prices)).choices
            first = None  # the earliest concern that flips; later flips may follow from it
            for concern, choice in flipped.items():
                if choice == choices[concern]:
                    continue
                first = first or concern
                key = (concern, name, choice)
                distance = _distance(answers[name], value)
                if key not in best or distance < best[key][0]:
                    best[key] = (
                        distance,
                        {
                            "concern": concern,
                            "answer": name,
                            "value": value,
                            "choice": choice,
                            "text": _describe(name, value, concern, choice),
                            "via": None if first == concern else first,
                        },
                    )
        order = {f.name: i for i, f in enumerate(FIELDS)}
        return [
            entry
            for _, entry in sorted(
                best.values(), key=lambda item: (order[item[1]["answer"]], item[0])
            )
        ]


def _distance(current: Any, value: Any) -> float:
    if isinstance(current, bool) or not isinstance(current, int | float):
        return 0
    if not isinstance(value, int | float):
        return float("inf")
    return abs(value - current)


def _describe(name: str, value: Any, concern: str, choice: str) -> str:
    f = FIELDS_BY_NAME[name]
    if f.kind == "bool":
        shown = "yes" if value else "no"
    elif f.kind == "choice":
        shown = f.choice_label(value)
    elif f.kind == "list":
        shown = ", ".join(f.choice_label(v) for v in value) or "nothing"
    else:
        shown = "no fixed budget" if value is None else f"{value:,}"
    target = next(c for c in CONCERNS if c.name == concern)
    return f"{f.label.rstrip('?')}: {shown} → {target.label(choice)}"
