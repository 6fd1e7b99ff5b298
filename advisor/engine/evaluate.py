"""The engine: answers in, a recommendation (contract version 1) out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import budget, cost
from .answers import FIELDS_BY_NAME, applicable, normalise
from .capabilities import (
    DIMENSIONS,
    Design,
    Matrix,
    contradictions,
    load_matrix,
    mismatched_rationales,
)
from .concerns import CONCERNS, EXTRA_DEFAULTS, Concern
from .describe import answer_words, join
from .explain import Explanations, load_explanations
from .explore import Baseline, Explorer, pick, tally
from .knowledge import DATA_DIR, Fact, load_facts, load_prices
from .rulefiles import load_rules
from .rules import Catalog, Context, Rule, RuleError, leaf_holds, leaves
from .summary import budget_risks, summary
from .versions import Pins, load_versions

SCHEMA = "archwise.recommendation/v1"
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def risk_order(risk: Mapping[str, Any]) -> tuple[int, bool]:
    """The most severe first; within a severity, the one-way doors (stored snapshots too)."""
    return SEVERITY_ORDER.get(risk.get("severity"), len(SEVERITY_ORDER)), not risk.get(
        "one_way_door"
    )


EBS_GP3_MAX_GIB = 16_384  # ebs.volumes
Result = dict[str, Any]  # a recommendation as the engine makes it: the JSON a snapshot stores
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
    fired_choosing: dict[str, frozenset[str]]  # per concern, the choosing rules that fired
    guarded: dict[str, frozenset[str]]  # per concern, the choices the capability matrix rules out
    tallies: dict[str, tuple[dict[str, int], dict[str, int]]]  # per concern, scores and exclusions


class Engine:
    """A loaded, validated rule catalog with its knowledge base and price table."""

    def __init__(
        self,
        catalog: Catalog,
        facts: dict[str, Fact],
        prices: dict[str, Any],
        matrix: Matrix,
        explanations: Explanations,
        versions: tuple[Pins, ...],
    ):
        self.catalog = catalog
        self.versions = versions
        self.facts = facts
        self.prices = prices
        self.matrix = matrix
        self.explanations = explanations
        self._guards: dict[tuple[Any, ...], Rule | None] = {}  # by concern, choice and design
        self._guarded: dict[tuple[Any, ...], frozenset[str]] = {}  # by concern and design
        self._choosing = {c.name: [] for c in CONCERNS}
        self._after = {c.name: [] for c in CONCERNS}
        for rule in catalog.rules:
            (self._choosing if rule.choosing else self._after)[rule.concern].append(rule)
        for rules in self._after.values():  # values first, so risk and checklist texts can use them
            rules.sort(key=lambda rule: rule.effect != "set")
        self.ruleset_version = self._version()
        self.explorer = Explorer(self)

    @classmethod
    def load(cls, extra_rule_files: Iterable[Path] = (), data_dir: Path = DATA_DIR) -> Engine:
        """The built-in catalog, optionally followed by a team's own rule files."""
        facts = load_facts(data_dir / "facts.toml")
        matrix = load_matrix(facts, data_dir / "capabilities.toml")
        files = [*sorted((data_dir / "rules").glob("*.toml")), *extra_rule_files]
        catalog = load_rules(files, facts, matrix)
        prices = load_prices(data_dir / "prices.toml")
        versions = load_versions(data_dir / "engine_versions.toml")
        explanations = load_explanations(facts, data_dir / "choices.toml")
        problems = contradictions(catalog.rules, matrix)
        problems += mismatched_rationales(catalog.rules, matrix, facts, explanations)
        if problems:
            raise RuleError("; ".join(problems))
        return cls(catalog, facts, prices, matrix, explanations, versions)

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
        explained = self.explanations
        digest.update(json.dumps(sorted(explained.principles.items())).encode())
        for key, texts in sorted(explained.choices.items()):
            digest.update(json.dumps([key, texts, explained.facts[key]], sort_keys=True).encode())
        digest.update(json.dumps(sorted(explained.opt_outs)).encode())
        digest.update(json.dumps([asdict(pins) for pins in self.versions]).encode())
        return f"{self.prices['as_of']}.{digest.hexdigest()[:10]}"

    # -- deciding ------------------------------------------------------------------------------

    def _decide(
        self, answers: dict[str, Any], derived: dict[str, Any], words: bool = True
    ) -> _Decided:
        """Every decision with its extras; `words` adds the reasons, risks and checklist texts
        (pricing a variant needs only the design)."""
        choices: dict[str, str] = {}
        decisions: dict[str, dict[str, Any]] = {}
        risks: list[dict[str, Any]] = []
        checklist: list[str] = []
        fired: list[str] = []
        fired_choosing: dict[str, frozenset[str]] = {}
        guarded_by_concern: dict[str, frozenset[str]] = {}
        tallies: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        design = Design(self.matrix, answers, choices)
        ctx = (answers, derived, choices, design)
        for concern in CONCERNS:
            excluded: dict[str, list[Rule]] = {}
            scores = dict.fromkeys(concern.values, 0)
            support: dict[str, list[Rule]] = {value: [] for value in concern.values}
            trace: list[dict[str, Any]] = []
            speaking = [rule for rule in self._choosing[concern.name] if rule.fires(ctx)]
            for rule in speaking:
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
            guarded = self.guarded(concern, design)
            for value in concern.values:
                if value in guarded:
                    guard = self._guard(concern.name, value, design)
                    excluded.setdefault(value, []).append(guard)
                    trace.append({"rule": guard.id, "effect": "exclude", "choices": [value]})
            fired_choosing[concern.name] = frozenset(rule.id for rule in speaking)
            tallies[concern.name] = tally(concern, speaking)
            guarded_by_concern[concern.name] = guarded
            chosen = pick(concern, *tallies[concern.name], guarded)
            choices[concern.name] = chosen
            conflict = all(value in excluded for value in concern.values)
            decision: dict[str, Any] = {
                "choice": chosen,
                "label": concern.label(chosen),
                "score": scores[chosen],
                "rationale": self._rationale(concern, chosen, scores, excluded, support)
                if words
                else [],
                "alternatives": [
                    self._alternative(concern, value, scores, excluded, support, chosen, answers)
                    for value in concern.values
                    if value != chosen and words
                ],
                "what_would_change": [],
                "trace": trace,
            }
            for key in concern.extras:
                decision[key] = EXTRA_DEFAULTS[key]
            if concern.name == "platform":
                decision["engine"] = answers["engine"]
                decision["instance_class"] = cost.platform_class(chosen, answers, self.prices)
            decisions[concern.name] = decision
            if conflict:
                risks.append(
                    {
                        "id": f"engine.{concern.name}-conflict",
                        "severity": "high",
                        "one_way_door": False,
                        "text": f"Every option for {concern.title.lower()} was ruled out by "
                        f"conflicting rules; {concern.label(chosen)} is shown as a fallback. "
                        "Review the rules that excluded each option.",
                        "facts": [],
                    }
                )

            for rule in self._after[concern.name]:
                if not words and rule.effect != "set":
                    continue
                if not rule.fires(ctx):
                    continue
                fired.append(rule.id)
                if rule.effect == "set":
                    key = rule.set["key"]
                    decision[key] = rule.set_value(ctx)
                    trace.append(
                        {"rule": rule.id, "effect": "set", "key": key, "value": decision[key]}
                    )
                    if words:
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
        return _Decided(
            choices, decisions, risks, checklist, fired, fired_choosing, guarded_by_concern, tallies
        )

    def guarded(self, concern: Concern, design: Design) -> frozenset[str]:
        """The choices of a concern the capability matrix rules out for the design so far."""
        answers, choices = design.answers, design.choices
        key = (
            concern.name,
            answers["engine"],
            answers["license_model"],
            choices.get("platform"),
            choices.get("availability"),
        )
        found = self._guarded.get(key)
        if found is None:
            found = frozenset(
                v for v in concern.values if self._guard(concern.name, v, design) is not None
            )
            self._guarded[key] = found
        return found

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

    def _said(self, rule_id: str, said: tuple[str, tuple[str, ...]]) -> dict[str, Any]:
        text, facts = said
        return {"rule": rule_id, "text": text, "facts": list(facts)}

    def _rationale(self, concern, chosen, scores, excluded, support) -> list[dict[str, Any]]:
        """The rules that argue for the choice; with none, what the choice assumes. A tie with
        a choice that meets the requirements as well is settled by the concern's principle."""
        rationale = [self._reason(rule) for rule in support[chosen] if rule.weight > 0]
        if not rationale:
            said = self.explanations.assumption(concern.name, chosen)
            rationale.append(self._said(f"choice.{concern.name}.{chosen}", said))
        tied = any(
            value != chosen and value not in excluded and scores[value] == scores[chosen]
            for value in concern.values
        )
        if tied:
            said = self.explanations.principle(concern.name)
            rationale.append(self._said(f"principle.{concern.name}", said))
        return rationale

    def _alternative(self, concern, value, scores, excluded, support, chosen, answers):
        """Why a choice lost, in the domain's terms: what rules it out; for an option that does
        more than the chosen one (later in the concern's order) and that nothing asked for, what
        it costs; otherwise what you asked for that the chosen one gives and it does not."""
        alternative = {"choice": value, "label": concern.label(value), "score": scores[value]}
        decisive = [r for r in support[chosen] if r.weight > 0 and value not in r.choices]
        against = [r for r in support[value] if r.weight < 0]
        supported = any(r.weight > 0 for r in support[value])
        does_more = concern.values.index(value) > concern.values.index(chosen)
        does_more = does_more and not self.explanations.opts_out(concern.name, value)
        if value in excluded:
            rules = excluded[value]
            why, facts = rules[0].rationale + _answered(rules[0], answers), rules
        elif against:
            rule = min(against, key=lambda r: r.weight)
            why, facts = rule.rationale + _answered(rule, answers), [rule]
        elif does_more and not supported:
            why, cited = self.explanations.unneeded(concern.name, value)
            facts = [_Cited(cited)]
        elif scores[value] < scores[chosen] and decisive:
            rule = max(decisive, key=lambda r: r.weight)
            why, facts = rule.rationale + _answered(rule, answers), [rule]
        elif supported:
            drawback, cited = self.explanations.drawback(concern.name, value)
            why = (
                f"{drawback[0].upper()}{drawback[1:]}, and it meets what you asked for no "
                f"better than {concern.label(chosen)}."
            )
            facts = [_Cited(cited)]
        else:
            why, cited = self.explanations.unneeded(concern.name, value)
            facts = [_Cited(cited)]
        alternative["excluded_by"] = [r.id for r in excluded.get(value, ())]
        alternative["why"] = why
        alternative["facts"] = sorted({f for r in facts for f in r.facts})
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

    def _priced(self, raw_answers: Mapping[str, Any], words: bool = True):
        """Everything the estimate needs: the answers as given and as weighed, and the decisions."""
        answers = normalise(raw_answers)
        # Answers to questions that do not apply (e.g. cache questions with no cache use) are
        # kept as given but decide nothing: the engine sees their defaults.
        effective = applicable(answers)
        derived = cost.derive(effective, self.prices)
        decided = self._decide(effective, derived, words)
        design = Design(self.matrix, effective, decided.choices)
        estimate = cost.estimate(
            effective, decided.decisions, self.prices, design["storage_ceiling_gib"]
        )
        return answers, effective, derived, decided, estimate

    def price(self, raw_answers: Mapping[str, Any]) -> dict[str, Any]:
        """Only the cost estimate: what budget options are priced with."""
        return self._priced(raw_answers, words=False)[-1]

    def recommend(
        self, raw_answers: Mapping[str, Any], *, explore: bool = True, budget_search: bool = True
    ) -> Result:
        """Validate the answers and build the recommendation; explore finds what_would_change,
        budget_search the ways to fit the budget (a preview or a what-if needs neither)."""
        answers, effective, derived, decided, estimate = self._priced(raw_answers)
        fits, cheapest, room = [], None, []
        if budget_search:
            fits, cheapest = budget.options(
                answers, decided.decisions, estimate, self.prices, self.price
            )
            room = budget.headroom(answers, decided.decisions, estimate, self.price)
        estimate["budget_options"] = fits
        estimate["headroom"] = room
        risks = decided.risks + budget_risks(effective, estimate, cheapest)
        risks.sort(key=risk_order)
        if explore:
            base = Baseline(
                answers,
                effective,
                derived,
                decided.choices,
                decided.fired_choosing,
                decided.guarded,
                decided.tallies,
            )
            for change in self.explorer.what_would_change(base):
                decided.decisions[change.pop("concern")]["what_would_change"].append(change)
        return {
            "schema": SCHEMA,
            "ruleset_version": self.ruleset_version,
            "answers": answers,
            "summary": summary(answers, decided.decisions, estimate),
            "decisions": decided.decisions,
            "risks": risks,
            "checklist": decided.checklist,
            "cost": estimate,
            "fired_rules": decided.fired,
            "engine_versions": self.versions[-1].date,
        }

    def choices(self, raw_answers: Mapping[str, Any]) -> dict[str, str]:
        """Only the choice per concern: the cheap path for live previews and probes."""
        answers = applicable(normalise(raw_answers))
        return self._decide(answers, cost.derive(answers, self.prices), words=False).choices


@dataclass(frozen=True)
class _Cited:
    """Facts cited by a text that is not a rule's."""

    facts: tuple[str, ...]


def _answered(rule: Rule, answers: dict[str, Any]) -> str:
    """The answers a rule's condition holds on, so a reviewer sees which answer demanded it."""
    said = []
    for leaf in leaves(rule.when):
        name = leaf.get("answer")
        if name is None or "value_capability" in leaf or name in said:
            continue
        if leaf_holds(leaf["op"], answers[name], leaf.get("value")):
            said.append(name)
    if not said:
        return ""
    return " You answered " + join([answer_words(name, answers[name]) for name in said]) + "."
