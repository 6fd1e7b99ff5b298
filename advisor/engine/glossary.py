"""The glossary: the words Archwise uses, defined plainly and tied to the knowledge base."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .knowledge import DATA_DIR, Fact, KnowledgeError, load_facts, read_toml

TERM_KEYS = {"id", "term", "definition", "facts", "aka", "see"}
REQUIRED_KEYS = {"id", "term", "definition", "facts"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class GlossaryError(KnowledgeError):
    """The glossary file is malformed; the message names the file and the term."""


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    facts: tuple[str, ...]
    aka: tuple[str, ...] = ()
    see: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of the term's element on the glossary page."""
        return f"term-{self.id}"

    @property
    def other_names(self) -> tuple[str, ...]:
        """Other names not already in the term itself: 'lazy loading' for Cache-aside."""
        return tuple(name for name in self.aka if name.casefold() not in self.term.casefold())

    @property
    def sort_key(self) -> str:
        return self.term.casefold()


def load_glossary(
    path: Path = DATA_DIR / "glossary.toml", facts: Mapping[str, Fact] | None = None
) -> dict[str, Term]:
    """Load and check every term, in file order; fail naming the file and the term."""
    facts = load_facts() if facts is None else facts
    terms: dict[str, Term] = {}
    for index, raw in enumerate(read_toml(path).get("term", [])):
        where = f"{path.name}: term {raw.get('id', f'#{index + 1}')!s}"
        unknown, missing = set(raw) - TERM_KEYS, REQUIRED_KEYS - set(raw)
        if unknown or missing:
            raise GlossaryError(
                f"{where}: unknown keys {sorted(unknown)} / missing keys {sorted(missing)}"
            )
        if not isinstance(raw["id"], str) or not ID_PATTERN.match(raw["id"]):
            raise GlossaryError(f"{where}: id must be lowercase words joined by '-'")
        if raw["id"] in terms:
            raise GlossaryError(f"{where}: duplicate id")
        for key in ("term", "definition"):
            if not isinstance(raw[key], str) or not raw[key].strip():
                raise GlossaryError(f"{where}: {key} must be a non-empty text")
        for key in ("facts", "aka", "see"):
            if not isinstance(raw.get(key, []), list):
                raise GlossaryError(f"{where}: {key} must be a list")
        if not raw["facts"]:
            raise GlossaryError(f"{where}: facts must list at least one fact id")
        for fact_id in raw["facts"]:
            if fact_id not in facts:
                raise GlossaryError(f"{where}: unknown fact {fact_id!r}")
        terms[raw["id"]] = Term(
            id=raw["id"],
            term=raw["term"].strip(),
            definition=raw["definition"].strip(),
            facts=tuple(raw["facts"]),
            aka=tuple(raw.get("aka", [])),
            see=tuple(raw.get("see", [])),
        )
    if not terms:
        raise GlossaryError(f"{path.name}: holds no terms")
    for term in terms.values():
        for other in term.see:
            if other not in terms or other == term.id:
                raise GlossaryError(f"{path.name}: term {term.id}: unknown see-also term {other!r}")
    return terms


@cache
def glossary() -> dict[str, Term]:
    """The built-in glossary, loaded and checked once per process."""
    return load_glossary()


def alphabetical() -> list[Term]:
    return sorted(glossary().values(), key=lambda term: term.sort_key)
