"""What each choice is, in words: the texts for decisions that no rule argues for.

`data/choices.toml` gives every concern the principle that settles a tie between choices that meet
every requirement, and every choice what it assumes when it wins by default, what it costs more or
does worse, and what it is for. Loading checks that every choice of every concern has its texts
and that every fact they cite exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .concerns import CONCERNS
from .knowledge import DATA_DIR, Fact, KnowledgeError, read_toml

CHOICE_KEYS = {"assumes", "drawback", "offers", "facts"}
OPTIONAL_KEYS = {"opt_out"}
Said = tuple[str, tuple[str, ...]]  # a text and the facts it rests on


@dataclass(frozen=True)
class Explanations:
    principles: dict[str, Said]
    choices: dict[tuple[str, str], dict[str, str]]
    facts: dict[tuple[str, str], tuple[str, ...]]
    opt_outs: frozenset[tuple[str, str]] = frozenset()

    def opts_out(self, concern: str, choice: str) -> bool:
        """Whether the choice does less than the others: it loses to what was asked for."""
        return (concern, choice) in self.opt_outs

    def principle(self, concern: str) -> Said:
        """How a tie between choices that meet every requirement is settled."""
        return self.principles[concern]

    def assumption(self, concern: str, choice: str) -> Said:
        """What a choice takes for granted when it wins with no rule for it."""
        return self.choices[concern, choice]["assumes"], self.facts[concern, choice]

    def unneeded(self, concern: str, choice: str) -> Said:
        """Why a choice loses when nothing asked for it: what it costs, and what it is for."""
        texts = self.choices[concern, choice]
        drawback, offers = texts["drawback"], texts["offers"]
        text = f"{drawback[0].upper()}{drawback[1:]}; nothing you asked for needs {offers}."
        return text, self.facts[concern, choice]

    def drawback(self, concern: str, choice: str) -> Said:
        texts = self.choices[concern, choice]
        return texts["drawback"], self.facts[concern, choice]


def load_explanations(
    facts: dict[str, Fact], path: Path = DATA_DIR / "choices.toml"
) -> Explanations:
    data = read_toml(path)

    def fail(where: str, message: str) -> None:
        raise KnowledgeError(f"{path.name}: {where}: {message}")

    def cited(where: str, ids: object) -> tuple[str, ...]:
        if not isinstance(ids, list) or not ids:
            fail(where, "facts must list at least one fact id")
        for fact_id in ids:
            if fact_id not in facts:
                fail(where, f"unknown fact {fact_id!r}")
        return tuple(ids)

    unknown = set(data) - {c.name for c in CONCERNS}
    if unknown:
        fail("top level", f"unknown concern(s) {', '.join(sorted(unknown))}")
    principles: dict[str, Said] = {}
    choices: dict[tuple[str, str], dict[str, str]] = {}
    choice_facts: dict[tuple[str, str], tuple[str, ...]] = {}
    opt_outs: set[tuple[str, str]] = set()
    for concern in CONCERNS:
        table = data.get(concern.name)
        if not isinstance(table, dict):
            fail(concern.name, "missing: every concern states its principle and choices")
        extra = set(table) - {"principle", "facts", *concern.values}
        if extra:
            fail(concern.name, f"unknown key(s) {', '.join(sorted(extra))}")
        if not isinstance(table.get("principle"), str) or not table["principle"].strip():
            fail(concern.name, "principle must be a non-empty text")
        principles[concern.name] = (table["principle"], cited(concern.name, table.get("facts")))
        for choice in concern.values:
            where = f"{concern.name}.{choice}"
            texts = table.get(choice)
            if not isinstance(texts, dict) or not set(texts) >= CHOICE_KEYS:
                fail(where, f"needs {', '.join(sorted(CHOICE_KEYS))}")
            if set(texts) - CHOICE_KEYS - OPTIONAL_KEYS:
                fail(where, f"unknown key(s) {', '.join(sorted(set(texts) - CHOICE_KEYS))}")
            if not isinstance(texts.get("opt_out", False), bool):
                fail(where, "opt_out must be true or false")
            if texts.get("opt_out"):
                opt_outs.add((concern.name, choice))
            for key in CHOICE_KEYS - {"facts"}:
                if not isinstance(texts[key], str) or not texts[key].strip():
                    fail(where, f"{key} must be a non-empty text")
            choice_facts[concern.name, choice] = cited(where, texts["facts"])
            choices[concern.name, choice] = {k: texts[k] for k in CHOICE_KEYS - {"facts"}}
    return Explanations(principles, choices, choice_facts, frozenset(opt_outs))
