"""Example answers that make each rule fire, found by running the engine itself.

Starting from the defaults (PostgreSQL, every other answer at its default), the search tries every
single answer change, then pairs and triples of changes aimed at each rule still short of
examples, then a fixed-seed random sample. Every candidate is evaluated by `Engine.recommend`, so
an example is one the engine really fires on, never a guess. A rule keeps the examples with the
fewest changes from the defaults, at most three.

Some rules are safety nets: the built-in preferences never leave the gap they cover, but a team's
own rule pack can (e.g. a policy that keeps every copy of the data in its home Region). For those
the search adds what such a pack would: a team rule excluding the choices the rule's condition
rules out, and says so in the example.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from .answers import FIELDS, FIELDS_BY_NAME, conflicts, defaults
from .concerns import CONCERNS_BY_NAME
from .cost import GIB_PER_GB
from .describe import answer_words, decision_words, join, value_words
from .evaluate import Engine
from .rules import Catalog, Rule, leaf_holds, leaves

BASE: dict[str, Any] = {"engine": "postgresql"}
MAX_EXAMPLES = 3
SEED = 20240617
RANDOM_SAMPLES = 400
TARGETED_LIMIT = 400  # aimed combinations tried per rule and size, at most
# Whole-number answers worth trying besides each rule's thresholds.
LADDERS: dict[str, tuple[int, ...]] = {
    "monthly_budget_usd": (50, 100, 200, 300, 500, 1_000, 3_000, 10_000),
    # Besides the thresholds: sizes whose next year (x1.3, steady growth) nears or passes the
    # 64 TiB and 256 TiB limits.
    "data_size_gb": (10, 1_000, 20_000, 45_000, 55_000, 215_000),
}

Change = tuple[str, Any]  # (answer name, value); list values are tuples so changes can be keys
TeamRule = tuple[str, tuple[str, ...]]  # (concern, the choices a team rule excludes)


@dataclass(frozen=True)
class Scenario:
    """Answers that differ from the defaults in `changes`, and what the engine chose for them.

    `team_rules` are exclusions a team rule pack would add; empty for the built-in catalog alone.
    """

    changes: tuple[Change, ...]
    choices: dict[str, str]
    team_rules: tuple[TeamRule, ...] = ()

    @property
    def answers(self) -> dict[str, Any]:
        """The answers to give the engine: the base plus the changes."""
        changed = {name: list(v) if isinstance(v, tuple) else v for name, v in self.changes}
        return {**BASE, **changed}

    @property
    def engine(self) -> str:
        return self.answers["engine"]

    @property
    def differences(self) -> list[tuple[str, str]]:
        """The changed answers other than the engine, as (label, value in words)."""
        return [
            (FIELDS_BY_NAME[name].label, value_words(name, value))
            for name, value in self.changes
            if name != "engine"
        ]

    @property
    def team_rule_words(self) -> list[str]:
        """'a team rule excludes pilot light and Aurora Global Database (disaster recovery)'."""
        return [
            f"a team rule excludes {join([decision_words(CONCERNS_BY_NAME[c], v) for v in values])}"
            f" ({CONCERNS_BY_NAME[c].title.lower()})"
            for c, values in self.team_rules
        ]

    @property
    def description(self) -> str:
        """'PostgreSQL; clients: serverless functions'."""
        parts = [value_words("engine", self.engine)]
        parts += [answer_words(name, value) for name, value in self.changes if name != "engine"]
        text = "; ".join(parts + self.team_rule_words)
        return text[0].upper() + text[1:]

    def choice_label(self, concern: str) -> str:
        """The engine's choice for a concern in this scenario, as its label."""
        return CONCERNS_BY_NAME[concern].label(self.choices[concern])

    def choice_words(self, concern: str) -> str:
        return decision_words(CONCERNS_BY_NAME[concern], self.choices[concern])


def _thresholds(rules: Iterable[Rule]) -> dict[str, set[int]]:
    """Each whole-number answer's values either side of every threshold a rule compares it to."""
    found: dict[str, set[int]] = {f.name: set() for f in FIELDS if f.kind == "int"}
    for rule in rules:
        for leaf in leaves(rule.when):
            value = leaf.get("value")
            if (
                leaf.get("answer") in found
                and isinstance(value, int)
                and not isinstance(value, bool)
            ):
                found[leaf["answer"]].update((value - 1, value, value + 1))
            if leaf.get("derived") == "data_size_gib" and isinstance(value, int):
                gb = round(value / GIB_PER_GB)  # the same threshold in the answer's unit
                found["data_size_gb"].update((gb - 1, gb, gb + 1))
    return found


def _holds(leaf: dict[str, Any], answers: dict[str, Any], choices: dict[str, str]) -> bool:
    """Whether one comparison holds; only orders the search (the engine decides what fires)."""
    if "derived" in leaf or "capability" in leaf or "value_capability" in leaf:
        return False
    current = answers[leaf["answer"]] if "answer" in leaf else choices[leaf["decision"]]
    return leaf_holds(leaf["op"], current, leaf.get("value"))


@cache
def with_team_rules(engine: Engine, team_rules: tuple[TeamRule, ...]) -> Engine:
    """The engine plus exclusion rules, as a team's own rule pack would add them."""
    extra = tuple(
        Rule(
            id=f"team.what-if-{concern}",
            concern=concern,
            effect="exclude",
            rationale="A team's own rule pack rules these choices out.",
            facts=(),
            source="what-if",
            choices=choices,
        )
        for concern, choices in team_rules
    )
    catalog = Catalog(engine.catalog.rules + extra, engine.catalog.files)
    return Engine(
        catalog, engine.facts, engine.prices, engine.matrix, engine.explanations, engine.versions
    )


def engine_for(scenario: Scenario, engine: Engine | None = None) -> Engine:
    """The engine a scenario was found with: the given (or built-in) one, plus its team rules."""
    if engine is None:
        from . import default_engine

        engine = default_engine()
    return with_team_rules(engine, scenario.team_rules) if scenario.team_rules else engine


def _team_rules_for(rule: Rule) -> tuple[TeamRule, ...]:
    """Exclusions that leave each decision the rule's condition names only the choices it wants."""
    wanted: dict[str, set[str]] = {}
    for leaf in leaves(rule.when):
        if "decision" not in leaf:
            continue
        values = CONCERNS_BY_NAME[leaf["decision"]].values
        listed = leaf["value"] if isinstance(leaf["value"], list) else [leaf["value"]]
        keep = {v for v in values if (v in listed) == (leaf["op"] in ("eq", "in"))}
        wanted[leaf["decision"]] = wanted.get(leaf["decision"], set(values)) & keep
    return tuple(
        (concern, tuple(v for v in CONCERNS_BY_NAME[concern].values if v not in keep))
        for concern, keep in wanted.items()
        if keep and len(keep) < len(CONCERNS_BY_NAME[concern].values)
    )


class _Finder:
    def __init__(
        self,
        engine: Engine,
        team_rules: tuple[TeamRule, ...] = (),
        targets: tuple[Rule, ...] | None = None,
    ):
        self.engine = engine
        self.team_rules = team_rules
        self.rules = engine.catalog.rules if targets is None else targets
        self.found: dict[str, list[Scenario]] = {rule.id: [] for rule in self.rules}
        self.seen: set[tuple[Change, ...]] = set()
        self.order = {f.name: i for i, f in enumerate(FIELDS)}
        self.singles = self._singles()
        # The answers the choosing rules of each concern look at.
        self.deciders: dict[str, set[str]] = {name: set() for name in CONCERNS_BY_NAME}
        for rule in self.rules:
            if rule.choosing:
                for leaf in leaves(rule.when):
                    if "answer" in leaf:
                        self.deciders[rule.concern].add(leaf["answer"])
                    elif "derived" in leaf:
                        self.deciders[rule.concern].add("monthly_budget_usd")

    def _singles(self) -> list[Change]:
        start = {**defaults(), **BASE}
        thresholds = _thresholds(self.rules)
        singles: list[Change] = []
        for f in FIELDS:
            current = start[f.name]
            if f.kind == "bool":
                values: list[Any] = [not current]
            elif f.kind == "choice":
                values = [v for v in f.values if v != current]
            elif f.kind == "list":
                values = [(v,) for v in f.values]
            else:
                ladder = thresholds[f.name] | {f.minimum, f.maximum} | set(LADDERS.get(f.name, ()))
                values = sorted(v for v in ladder if f.minimum <= v <= f.maximum and v != current)
            singles += [(f.name, value) for value in values]
        return singles

    def short(self, rule_id: str, wanted: int = MAX_EXAMPLES) -> bool:
        return rule_id in self.found and len(self.found[rule_id]) < wanted

    def run(self, changes: Iterable[Change], wanted: int = MAX_EXAMPLES) -> Scenario | None:
        """Evaluate one combination of changes and keep it for the rules it fires that need it."""
        key = tuple(sorted(changes, key=lambda change: self.order[change[0]]))
        if key in self.seen or len({name for name, _ in key}) < len(key):
            return None
        self.seen.add(key)
        answers = Scenario(key, {}).answers
        # Only answers the wizard would ask: no licence question for PostgreSQL, and so on.
        if not all(FIELDS_BY_NAME[name].applies(answers) for name, _ in key):
            return None
        if conflicts(answers):  # e.g. a Graviton class for Oracle: the answers refuse the pair
            return None
        result = self.engine.recommend(answers, explore=False, budget_search=False)
        choices = {name: decision["choice"] for name, decision in result["decisions"].items()}
        scenario = Scenario(key, choices, self.team_rules)
        for rule_id in result["fired_rules"]:
            if self.short(rule_id, wanted):
                self.found[rule_id].append(scenario)
        return scenario

    def candidates(self, rule: Rule, base: Scenario) -> list[Change]:
        """Single changes that bear on the parts of a rule's condition not met by the defaults."""
        rank: dict[str, int] = {}
        answers = {**defaults(), **base.answers}
        for leaf in leaves(rule.when):
            if _holds(leaf, answers, base.choices):
                continue
            if "answer" in leaf:
                rank[leaf["answer"]] = 0
            for name in self.deciders.get(leaf.get("decision", ""), ()):
                rank.setdefault(name, 1)
            if "derived" in leaf:
                derived = leaf["derived"]
                name = "data_size_gb" if derived.endswith("_gib") else "monthly_budget_usd"
                rank.setdefault(name, 0)
        chosen = [change for change in self.singles if change[0] in rank]
        return sorted(chosen, key=lambda change: rank[change[0]])

    def aimed(self, size: int, base: Scenario) -> None:
        for rule in self.rules:
            if not self.short(rule.id):
                continue
            combos = itertools.combinations(self.candidates(rule, base), size)
            for combo in itertools.islice(combos, TARGETED_LIMIT):
                self.run(combo)
                if not self.short(rule.id):
                    break

    def stubborn(self, base: Scenario) -> None:
        """Rules nothing fired yet: one answer for each unmet part of the condition, together.

        Each unmet comparison of an answer, and each decision not yet made as the rule wants
        (through the answers that decide it, and the platform's, which opens or closes the
        other choices), gives a group; the search combines one change from every group.
        """
        answers_now = {**defaults(), **base.answers}
        for rule in self.rules:
            if not self.short(rule.id, 1):
                continue
            groups: list[list[str]] = []
            for leaf in leaves(rule.when):
                if _holds(leaf, answers_now, base.choices):
                    continue
                if "answer" in leaf:
                    groups.append([leaf["answer"]])
                elif "decision" in leaf:
                    groups.append(sorted(self.deciders[leaf["decision"]], key=self.order.get))
            if any("decision" in leaf for leaf in leaves(rule.when)):
                groups.append(sorted(self.deciders["platform"], key=self.order.get))
            # A few values per answer keep the combinations few; the first are the nearest.
            values = {
                name: [c for c in self.singles if c[0] == name][:3] for g in groups for name in g
            }
            tried = 0
            for names in itertools.product(*groups):
                if len(set(names)) < len(names):
                    continue
                for combo in itertools.product(*(values[name] for name in names)):
                    self.run(combo, wanted=1)
                    tried += 1
                    if not self.short(rule.id, 1) or tried >= TARGETED_LIMIT:
                        break
                if not self.short(rule.id, 1) or tried >= TARGETED_LIMIT:
                    break

    def sample(self) -> None:
        """Random combinations of three to five changes, for rules nothing aimed has fired yet."""
        rng = random.Random(SEED)
        for _ in range(RANDOM_SAMPLES):
            if not any(self.short(rule.id, 1) for rule in self.rules):
                return
            picks: dict[str, Change] = {}
            for change in rng.sample(self.singles, 8):
                picks.setdefault(change[0], change)
            self.run(list(picks.values())[: rng.choice((3, 4, 5))], wanted=1)

    def what_if(self) -> None:
        """For rules nothing fired, search again with the team rules that open their gap."""
        for rule in self.rules:
            team_rules = _team_rules_for(rule)
            if self.found[rule.id] or not team_rules:
                continue
            engine = with_team_rules(self.engine, team_rules)
            found = _Finder(engine, team_rules, (rule,)).search(what_if=False)
            self.found[rule.id] = list(found[rule.id])

    def search(self, what_if: bool = True) -> dict[str, tuple[Scenario, ...]]:
        base = self.run(())
        assert base is not None
        for change in self.singles:
            self.run((change,))
        self.aimed(2, base)
        self.aimed(3, base)
        self.stubborn(base)
        self.sample()
        if what_if:
            self.what_if()
        return {
            rule_id: tuple(sorted(found, key=lambda s: len(s.changes)))
            for rule_id, found in self.found.items()
        }


def find_examples(engine: Engine) -> dict[str, tuple[Scenario, ...]]:
    """Up to three scenarios per rule id that make the rule fire, fewest changes first.

    A scenario with team rules was found with `engine_for(scenario, engine)`, not `engine` alone.
    """
    return _Finder(engine).search()


@cache
def all_examples() -> dict[str, tuple[Scenario, ...]]:
    """The examples of the built-in catalog, searched once per process."""
    from . import default_engine

    return find_examples(default_engine())


def examples_for(rule_id: str) -> tuple[Scenario, ...]:
    """The examples of one built-in rule; KeyError for an unknown rule id."""
    return all_examples()[rule_id]


def without_examples() -> tuple[str, ...]:
    """Built-in rules that no answers tried make fire, even with team rules."""
    return tuple(rule_id for rule_id, found in all_examples().items() if not found)


def safety_nets() -> tuple[str, ...]:
    """Built-in rules that fire only once a team rule pack opens the gap they cover."""
    return tuple(
        rule_id
        for rule_id, found in all_examples().items()
        if found and all(scenario.team_rules for scenario in found)
    )
