"""What would change a recommendation: the single answer changes that flip a decision.

Re-deciding every concern for every variant of the answers costs a hundred evaluations. The
explorer instead knows from the rules' conditions what each rule reads. A variant re-tests only
the rules that read what changed (the answer itself, a derived value computed from it, a
capability of the matrix, or an earlier decision that flipped); a concern none of them touches
keeps its choice without being looked at.

Whole-number answers are searched for their thresholds rather than tried at a ladder of values.
Every value where a condition reading the answer turns is found: exactly from the rule's literal,
or by bisecting a derived value such as the data size in GiB. Between two such values every
decision stays the same, so "if the data size reaches 70,369 GB" names the first value that flips
the decision, and 70,368 GB does not flip it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import cost
from .answers import FIELDS, FIELDS_BY_NAME, Field, conflicts
from .capabilities import DIMENSIONS, Design
from .concerns import CONCERN_ORDER, CONCERNS, Concern
from .describe import change_words, lower_first
from .rules import Rule, leaf_holds, leaves

if TYPE_CHECKING:
    from .evaluate import Engine

# Answers that describe the system as it is rather than what is asked of it. Changing one means a
# different project, so it ranks after a requirement relaxed or tightened.
CIRCUMSTANCES = frozenset(
    {
        "engine",
        "license_model",
        "engine_version_available",
        "needs_os_access",
        "needs_unsupported_features",
        "existing_database",
        "client_type",
        "environment",
    }
)
# A number within this factor of today's answer is a near change; beyond FAR it is an extreme.
NEAR = math.log(2)
FAR = math.log(10)
DIMENSION_TOKENS = {
    dim: (dim if concern is None else f"decision:{concern}") for dim, concern in DIMENSIONS.items()
}
# Where a condition on a whole number turns: the first value whose truth differs from the one below.
TURNS = {
    "gt": lambda t: (t + 1,),
    "gte": lambda t: (t,),
    "lt": lambda t: (t,),
    "lte": lambda t: (t + 1,),
    "eq": lambda t: (t, t + 1),
    "ne": lambda t: (t, t + 1),
}


@dataclass(frozen=True)
class Baseline:
    """One evaluation, kept so a variant re-decides only what its change touches."""

    answers: dict[str, Any]  # as given
    effective: dict[str, Any]  # as weighed: answers to questions that do not apply are defaults
    derived: dict[str, Any]
    choices: dict[str, str]
    fired: dict[str, frozenset[str]]  # concern -> ids of its choosing rules that fired
    guarded: dict[str, frozenset[str]]  # concern -> choices the capability matrix rules out
    # concern -> (score, exclusion count) per choice, from the rules that fired
    tallies: dict[str, tuple[dict[str, int], dict[str, int]]]


@dataclass(frozen=True)
class Flip:
    """A decision a variant changes, with what its reason is worked out from (only if kept)."""

    concern: Concern
    choice: str
    on: list[Rule]  # the rules that fire now and did not before
    off: list[Rule]  # the rules that fired before and do not now
    guarded: frozenset[str]
    design: Design


# The instance class prices the design more than it shapes it, and its dozens of values would
# each be a variant: budget options offer the classes worth trying instead.
UNEXPLORED = ("instance_class",)


def tally(concern: Concern, fired: Iterable[Rule]) -> tuple[dict[str, int], dict[str, int]]:
    """Per choice, the total weight of the rules preferring it and the rules excluding it."""
    scores = dict.fromkeys(concern.values, 0)
    counts = dict.fromkeys(concern.values, 0)
    for rule in fired:
        for choice in rule.choices:
            if rule.effect == "exclude":
                counts[choice] += 1
            else:
                scores[choice] += rule.weight
    return scores, counts


def pick(
    concern: Concern, scores: dict[str, int], counts: dict[str, int], guarded: frozenset[str]
) -> str:
    """The choice: exclusions first, then the highest total weight; ties go to the first listed."""
    candidates = [v for v in concern.values if not counts[v] and v not in guarded]
    if not candidates:  # rules ruled out all AWS offers: fall back within it
        candidates = [v for v in concern.values if v not in guarded] or list(concern.values)
    return max(candidates, key=scores.__getitem__)


def _ladder(f: Field) -> list[int]:
    """Powers of two across an answer's range, to find where a derived value turns."""
    values = {f.minimum, f.maximum}
    value = 1
    while value < f.maximum:
        values.add(value)
        value *= 2
    return sorted(v for v in values if f.minimum <= v <= f.maximum)


class Explorer:
    """Finds what_would_change for one engine; built once, with the rules' reading indexes."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.rules = {c.name: engine._choosing[c.name] for c in CONCERNS}
        self.by_token: dict[str, dict[str, list[Rule]]] = {c.name: {} for c in CONCERNS}
        self.points: dict[str, set[int]] = {f.name: set() for f in FIELDS if f.kind == "int"}
        self.derived_tests: dict[str, set[tuple[str, Any]]] = {}
        for concern, rules in self.rules.items():
            for rule in rules:
                for token in self._read(rule):
                    self.by_token[concern].setdefault(token, []).append(rule)
        self.guard_tokens: dict[str, frozenset[str]] = {}
        for concern in CONCERNS:
            dims: set[str] = set()
            for value in concern.values:
                capability = engine.matrix.needed_by(concern.name, value)
                if capability is not None:
                    dims |= capability.dimensions - {concern.name}
            self.guard_tokens[concern.name] = frozenset(DIMENSION_TOKENS[d] for d in dims)
        # Per token, a bit per concern (in deciding order) whose rules or guards read it.
        self.masks: dict[str, int] = {}
        for bit, concern in enumerate(CONCERNS):
            for token in (*self.by_token[concern.name], *self.guard_tokens[concern.name]):
                self.masks[token] = self.masks.get(token, 0) | 1 << bit
        read = {t for tokens in self.by_token.values() for t in tokens}
        read |= {t for tokens in self.guard_tokens.values() for t in tokens}
        if any(t.startswith("derived:") for t in read):
            read |= cost.DERIVE_READS
        # Questions asked only for some answers change what the engine weighs when those change.
        gates = {f.ask_when[0] for f in FIELDS if f.ask_when and f.name in read}
        self.read = frozenset(read | gates)
        self.gated = {
            f.name: tuple(g.name for g in FIELDS if g.ask_when and g.ask_when[0] == f.name)
            for f in FIELDS
        }
        self.ladders = {f.name: _ladder(f) for f in FIELDS if f.kind == "int"}
        self._concerns = [
            (bit, c, self.by_token[c.name], self.guard_tokens[c.name])
            for bit, c in enumerate(CONCERNS)
        ]

    def _read(self, rule: Rule) -> set[str]:
        tokens: set[str] = set()
        matrix = self.engine.matrix
        for leaf in leaves(rule.when):
            capabilities = [leaf.get("capability"), leaf.get("value_capability")]
            for name in filter(None, capabilities):
                tokens |= {DIMENSION_TOKENS[d] for d in matrix[name].dimensions}
            if "decision" in leaf:
                tokens.add(f"decision:{leaf['decision']}")
            if "derived" in leaf:
                tokens.add(f"derived:{leaf['derived']}")
                self.derived_tests.setdefault(leaf["derived"], set()).update(
                    (leaf["op"], t) for t in self._thresholds(leaf)
                )
            if "answer" in leaf:
                name = leaf["answer"]
                tokens.add(name)
                if name in self.points:
                    for t in self._thresholds(leaf):
                        self.points[name].update(TURNS[leaf["op"]](t))
        return tokens

    def _thresholds(self, leaf: dict[str, Any]) -> list[Any]:
        """What a leaf compares with: its literal, or every value the capability can take."""
        if "value_capability" in leaf:
            capability = self.engine.matrix[leaf["value_capability"]]
            return sorted({cell.value for cell in capability.cells})
        return [leaf["value"]]

    # -- one variant -----------------------------------------------------------------------

    def flips(self, base: Baseline, name: str, value: Any) -> dict[str, Flip]:
        """The decisions that change when one answer takes another value, and why."""
        engine = self.engine
        raw = {**base.answers, name: value}
        if conflicts(raw):  # a change the answers cannot take (e.g. Oracle on a Graviton class)
            return {}
        effective = base.effective
        dirty: set[str] = set()
        for changed in (name, *self.gated[name]):
            f = FIELDS_BY_NAME[changed]
            weighed = raw[changed] if f.applies(raw) else f.default_value
            if weighed != effective[changed]:
                if not dirty:
                    effective = dict(effective)
                effective[changed] = weighed
                dirty.add(changed)
        if not dirty:
            return {}
        derived = base.derived
        if not dirty.isdisjoint(cost.DERIVE_READS):
            derived = cost.derive(effective, engine.prices)
            dirty |= {f"derived:{k}" for k, v in derived.items() if v != base.derived[k]}
        masks = self.masks
        mask = 0
        for token in dirty:
            mask |= masks.get(token, 0)
        if not mask:
            return {}
        choices = dict(base.choices)
        design = Design(engine.matrix, effective, choices)
        ctx = (effective, derived, choices, design)
        tallies = base.tallies
        flipped: dict[str, Flip] = {}
        for bit, concern, index, guard_tokens in self._concerns:
            if not mask >> bit & 1:
                continue
            key = concern.name
            before = base.fired[key]
            on, off = [], []
            seen: set[str] = set()
            for token in dirty:
                for rule in index.get(token, ()):
                    if rule.id in seen:
                        continue
                    seen.add(rule.id)
                    if rule.condition(ctx):
                        if rule.id not in before:
                            on.append(rule)
                    elif rule.id in before:
                        off.append(rule)
            guarded = base.guarded[key]
            if not dirty.isdisjoint(guard_tokens):
                guarded = engine.guarded(concern, design)
            if not on and not off and guarded == base.guarded[key]:
                continue
            scores, counts = tallies[key]
            if on or off:
                scores, counts = dict(scores), dict(counts)
                for rules, sign in ((on, 1), (off, -1)):
                    for rule in rules:
                        if rule.effect == "exclude":
                            for choice in rule.choices:
                                counts[choice] += sign
                        else:
                            for choice in rule.choices:
                                scores[choice] += sign * rule.weight
            choice = pick(concern, scores, counts, guarded)
            if choice == base.choices[key]:
                continue
            choices[key] = choice
            token = f"decision:{key}"
            dirty.add(token)
            mask |= masks.get(token, 0)
            flipped[key] = Flip(concern, choice, on, off, guarded, design)
        return flipped

    def why(self, base: Baseline, flip: Flip, via: Flip | None = None) -> str:
        """The reason a flip happens, in the rules' own words: what rules out today's choice,
        else what speaks for the new one, else what the new one assumes; through an earlier
        decision, what that one becomes first."""
        reason = self._reason(base, flip)
        if via is None:
            return reason
        earlier = f"The {via.concern.title.lower()} decision would become "
        return f"{earlier}{via.concern.label(via.choice)}: {lower_first(reason)}"

    def _reason(self, base: Baseline, flip: Flip) -> str:
        concern, choice = flip.concern, flip.choice
        old = base.choices[concern.name]
        for rule in flip.on:
            if rule.effect == "exclude" and old in rule.choices:
                return rule.rationale
        before = base.fired[concern.name]
        fired_ids = (before - {r.id for r in flip.off}) | {r.id for r in flip.on}
        fired = [r for r in self.rules[concern.name] if r.id in fired_ids]
        newly = {r.id for r in flip.on}
        if old in flip.guarded and old not in base.guarded[concern.name]:
            return self.engine._guard(concern.name, old, flip.design).rationale
        support = [r for r in fired if r.effect == "prefer" and choice in r.choices]
        if support:
            return max(support, key=lambda r: (r.id in newly, r.weight)).rationale
        return self.engine.explanations.assumption(concern.name, choice)[0]

    # -- every variant ---------------------------------------------------------------------

    def _variants(self, base: Baseline) -> Iterator[tuple[str, Any]]:
        """Every other value of each choice, yes/no and list answer the rules read."""
        for f in FIELDS:
            if f.name not in self.read or not f.applies(base.answers) or f.kind == "int":
                continue
            if f.name in UNEXPLORED:
                continue
            current = base.answers[f.name]
            if f.kind == "list":
                for item in f.values:
                    yield f.name, [v for v in f.values if (v in current) != (v == item)]
            elif f.kind == "bool":
                yield f.name, not current
            else:
                for value in f.values:
                    if value != current:
                        yield f.name, value

    def _turns(self, base: Baseline, f: Field) -> list[int]:
        """Every value of a whole-number answer where a condition reading it turns."""
        found = set(self.points[f.name])
        if f.name in cost.DERIVE_READS:
            prices = self.engine.prices
            priced: list[dict[str, Any]] | None = None  # one derive() per step, shared
            for derived, tests in self.derived_tests.items():
                if derived in cost.SIZES:
                    samples = [
                        cost.derived_value(derived, {**base.effective, f.name: v}, prices)
                        for v in self.ladders[f.name]
                    ]
                else:
                    ends = [
                        cost.derive({**base.effective, f.name: v}, prices)[derived]
                        for v in (f.minimum, f.maximum)
                    ]
                    if ends == [None, None]:  # e.g. no budget: no data size gives a ratio
                        continue
                    if priced is None:
                        priced = [
                            cost.derive({**base.effective, f.name: v}, self.engine.prices)
                            for v in self.ladders[f.name]
                        ]
                    samples = [values[derived] for values in priced]
                found |= self._derived_turns(base, f, derived, tests, samples)
        return sorted(v for v in found if f.minimum < v <= f.maximum)

    def _derived_turns(self, base, f, derived, tests, samples) -> set[int]:
        prices = self.engine.prices

        def value_at(v: int) -> Any:
            return cost.derived_value(derived, {**base.effective, f.name: v}, prices)

        ladder = self.ladders[f.name]
        found: set[int] = set()
        for op, t in tests:
            truths = [leaf_holds(op, s, t) for s in samples]
            for i in range(1, len(ladder)):
                if truths[i] == truths[i - 1]:
                    continue
                low, high = ladder[i - 1], ladder[i]  # truth differs: bisect to the exact turn
                while high - low > 1:
                    middle = (low + high) // 2
                    if leaf_holds(op, value_at(middle), t) == truths[i - 1]:
                        low = middle
                    else:
                        high = middle
                found.add(high)
        return found

    def _numeric_variants(self, base: Baseline) -> Iterator[tuple[str, Any]]:
        """Outward from today's value: the first value of each range where nothing turns."""
        for f in FIELDS:
            if f.kind != "int" or f.name not in self.read:
                continue
            current = base.answers[f.name]
            turns = self._turns(base, f)
            if current is None:  # no budget: every budget is below it
                yield from ((f.name, t - 1) for t in reversed(turns))
                continue
            if f.nullable:
                yield f.name, None
            yield from ((f.name, t) for t in turns if t > current)
            yield from ((f.name, t - 1) for t in reversed(turns) if t <= current)

    def what_would_change(self, base: Baseline) -> list[dict[str, Any]]:
        """Single-answer changes that flip a decision, nearest and most plausible first."""
        best: dict[tuple[str, str, str], tuple[tuple, Any, Flip | None, Flip]] = {}
        variants = [*self._variants(base), *self._numeric_variants(base)]
        for name, value in variants:
            flipped = self.flips(base, name, value)
            if not flipped:
                continue
            first = min(flipped, key=CONCERN_ORDER.__getitem__)
            for concern, flip in flipped.items():
                key = (concern, name, flip.choice)
                via = None if concern == first else flipped[first]
                rank = _rank(name, base.answers[name], value, via)
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, value, via, flip)
        entries = []
        counts: dict[str, int] = {}
        for (concern, name, choice), (_, value, via, flip) in sorted(
            best.items(), key=lambda item: item[1][0]
        ):
            counts[concern] = counts.get(concern, 0) + 1
            entries.append(
                {
                    "concern": concern,
                    "answer": name,
                    "value": value,
                    "choice": choice,
                    "text": _text(name, base.answers[name], value, flip.concern, choice),
                    "via": via and via.concern.name,
                    "why": self.why(base, flip, via),
                    "rank": counts[concern],
                }
            )
        return entries


def _text(name: str, current: Any, value: Any, concern: Concern, choice: str) -> str:
    words = change_words(name, current, value)
    return f"If {words} → {concern.label(choice)}"


FIELD_ORDER = {f.name: i for i, f in enumerate(FIELDS)}


def _rank(name: str, current: Any, value: Any, via: Flip | None) -> tuple:
    """Nearest and most plausible first: a decision's own levers before those of an earlier
    decision; a number near today's answer, then a requirement changed, then a circumstance of
    the system, then a far extreme."""
    f = FIELDS_BY_NAME[name]
    distance = 0.0
    if f.kind == "int" and current is not None and value is not None:
        distance = abs(math.log((value + 1) / (current + 1)))
        tier = 0 if distance <= NEAR else (1 if distance <= FAR else 3)
    else:
        tier = 2 if name in CIRCUMSTANCES else 1
    return (via is not None, tier, distance, FIELD_ORDER[name])
