"""The knowledge base: verified facts, the classic notes they refine, and the price table."""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .concerns import CONCERNS_BY_NAME

DATA_DIR = Path(__file__).parent / "data"
VERDICTS = ("ok", "imprecise", "outdated", "wrong", "not_in_notes")
TOPICS = {
    "platforms": "RDS vs EC2 vs RDS Custom",
    "availability": "Multi-AZ and read replicas",
    "storage": "Storage",
    "aurora": "Aurora",
    "security": "Security",
    "proxy": "RDS Proxy",
    "cache": "ElastiCache",
    "backups-dr": "Backups and disaster recovery",
    "costs": "Costs",
}
FACT_KEYS = {
    "id",
    "topic",
    "title",
    "statement",
    "figures",
    "note",
    "verdict",
    "what_changed",
    "source",
    "checked",
    "background",
    "about",
}
# A fact may be about some platforms or deployment forms only: then a rationale citing it is
# shown only under those (checked when the rules load).
ABOUT_KEYS = ("platform", "availability")


class KnowledgeError(ValueError):
    """A data file of the knowledge base is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    title: str
    statement: str
    figures: str
    note: str
    verdict: str
    what_changed: str
    source: str
    checked: str
    background: bool = False
    about: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def about_choices(self, concern: str) -> tuple[str, ...] | None:
        """The choices of a concern this fact is about, or None when it is about any."""
        return dict(self.about).get(concern)

    @property
    def checked_on(self) -> datetime.date:
        return datetime.date.fromisoformat(self.checked)

    def age_days(self, today: datetime.date) -> int:
        """Days since the fact was last checked against AWS's documentation."""
        return (today - self.checked_on).days

    @property
    def corrects_notes(self) -> bool:
        return self.verdict in ("imprecise", "outdated", "wrong")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise KnowledgeError(f"{path.name}: cannot be read: {error}") from error


def load_facts(path: Path = DATA_DIR / "facts.toml") -> dict[str, Fact]:
    """Load and check every fact; fail naming the file and the fact."""
    facts: dict[str, Fact] = {}
    for index, raw in enumerate(read_toml(path).get("fact", [])):
        where = f"{path.name}: fact {raw.get('id', f'#{index + 1}')!s}"
        unknown = set(raw) - FACT_KEYS
        missing = FACT_KEYS - {"background", "about"} - set(raw)
        if unknown or missing:
            raise KnowledgeError(
                f"{where}: unknown keys {sorted(unknown)} / missing keys {sorted(missing)}"
            )
        about = raw.pop("about", {})
        if not isinstance(about, dict) or set(about) - set(ABOUT_KEYS):
            raise KnowledgeError(f"{where}: about names choices of {', '.join(ABOUT_KEYS)}")
        for concern, choices in about.items():
            known = CONCERNS_BY_NAME[concern].values
            if not isinstance(choices, list) or not choices or set(choices) - set(known):
                raise KnowledgeError(
                    f"{where}: about.{concern} must list choices of {', '.join(known)}"
                )
        fact = Fact(**raw, about=tuple((k, tuple(v)) for k, v in sorted(about.items())))
        if fact.id in facts:
            raise KnowledgeError(f"{where}: duplicate id")
        if fact.topic not in TOPICS:
            raise KnowledgeError(f"{where}: unknown topic {fact.topic!r}")
        if fact.verdict not in VERDICTS:
            raise KnowledgeError(f"{where}: verdict must be one of {', '.join(VERDICTS)}")
        if (fact.verdict == "not_in_notes") != (fact.note == ""):
            raise KnowledgeError(f"{where}: a note needs a verdict on it, and only a note does")
        if fact.corrects_notes and not fact.what_changed:
            raise KnowledgeError(f"{where}: a {fact.verdict} note needs what_changed")
        if not fact.source.startswith("https://"):
            raise KnowledgeError(f"{where}: source must be an https URL")
        try:
            fact.checked_on  # noqa: B018
        except (TypeError, ValueError):
            raise KnowledgeError(
                f"{where}: checked must be the date it was checked, as YYYY-MM-DD"
            ) from None
        facts[fact.id] = fact
    if not facts:
        raise KnowledgeError(f"{path.name}: holds no facts")
    return facts


def load_notes(path: Path = DATA_DIR / "notes.toml") -> list[dict[str, Any]]:
    """Each line of the classic notes with the facts that cover it."""
    return read_toml(path).get("line", [])


def classic_notes_lines(path: Path = DATA_DIR / "classic_notes.md") -> list[str]:
    return [line.rstrip() for line in path.read_text().splitlines() if line.strip()]


def load_prices(path: Path = DATA_DIR / "prices.toml") -> dict[str, Any]:
    prices = read_toml(path)
    for key in (
        "as_of",
        "hours_per_month",
        "regions",
        "reserved",
        "rds",
        "aurora",
        "storage",
        "cache",
        "proxy",
        "ec2",
    ):
        if key not in prices:
            raise KnowledgeError(f"{path.name}: missing [{key}]")
    return prices


# -- the 15-minute path --------------------------------------------------------------------------


@dataclass(frozen=True)
class PathRow:
    """One option of a path table: its cells, the facts they restate, the choice it explains and
    the answers of an example that decides it."""

    section: str
    name: str
    concern: str
    choice: str
    cells: tuple[str, ...]
    facts: tuple[str, ...]
    example: tuple[tuple[str, Any], ...]

    @property
    def key(self) -> str:
        return f"{self.section}-{self.choice}"

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.example)


@dataclass(frozen=True)
class PathSection:
    key: str
    title: str
    minutes: int
    intro: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[PathRow, ...]


def load_path(
    facts: dict[str, Fact], path: Path = DATA_DIR / "path.toml"
) -> tuple[PathSection, ...]:
    """The path's sections, each row checked: every column filled, every fact known, a choice of
    its concern; fail naming the file and the row."""
    sections = []
    for raw in read_toml(path).get("section", []):
        columns = tuple((key, label) for key, label in raw["columns"])
        rows = []
        for entry in raw.get("row", []):
            where = f"{path.name}: {raw['key']} row {entry.get('name', '?')!r}"
            concern = CONCERNS_BY_NAME.get(entry.get("concern", ""))
            if concern is None or entry.get("choice") not in concern.values:
                raise KnowledgeError(f"{where}: concern and choice must name a decision's choice")
            missing = [key for key, _ in columns if not entry.get(key)]
            unknown = [fact for fact in entry.get("facts", []) if fact not in facts]
            if missing or unknown or not entry.get("facts"):
                raise KnowledgeError(f"{where}: empty cells {missing} / unknown facts {unknown}")
            rows.append(
                PathRow(
                    raw["key"],
                    entry["name"],
                    concern.name,
                    entry["choice"],
                    tuple(entry[key] for key, _ in columns),
                    tuple(entry["facts"]),
                    tuple(sorted(entry.get("example", {}).items())),
                )
            )
        sections.append(
            PathSection(
                raw["key"], raw["title"], raw["minutes"], raw["intro"], columns, tuple(rows)
            )
        )
    return tuple(sections)
