"""The engine versions a recommendation pins, as dated entries (data/engine_versions.toml)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .knowledge import KnowledgeError

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATABASE_ENGINES = (
    "postgres",
    "aurora-postgresql",
    "mysql",
    "aurora-mysql",
    "mariadb",
    "oracle",
    "sqlserver",
    "db2",
)
CACHE_ENGINES = ("valkey", "memcached")


@dataclass(frozen=True)
class Release:
    version: str
    family: str  # the DB parameter group family (a suffix for the commercial engines)


@dataclass(frozen=True)
class Pins:
    """One dated set of versions: what a template made from a recommendation of that date pins."""

    date: str
    checked: str
    database: dict[str, Release]
    cache: dict[str, str]
    sources: dict[str, str]  # by engine: the AWS page its version was checked against


def load_versions(path: Path) -> tuple[Pins, ...]:
    """Every entry, oldest first; KnowledgeError names what is missing or out of order."""
    entries = tomllib.loads(path.read_text()).get("pins") or []
    found: list[Pins] = []
    for index, entry in enumerate(entries, 1):
        where = f"{path.name}, entry {index}"
        date, checked = str(entry.get("date", "")), str(entry.get("checked", ""))
        if not DATE.fullmatch(date) or not DATE.fullmatch(checked):
            raise KnowledgeError(f"{where}: date and checked must be YYYY-MM-DD dates")
        if found and date <= found[-1].date:
            raise KnowledgeError(f"{where}: entries must be in date order, newest last")
        database, cache = entry.get("database") or {}, entry.get("cache") or {}
        sources = entry.get("sources") or {}
        missing = [e for e in DATABASE_ENGINES if e not in database]
        missing += [e for e in CACHE_ENGINES if e not in cache]
        if missing:
            raise KnowledgeError(f"{where}: no version for {', '.join(missing)}")
        unsourced = [
            e
            for e in (*DATABASE_ENGINES, *CACHE_ENGINES)
            if not str(sources.get(e, "")).startswith("https://docs.aws.amazon.com/")
        ]
        if unsourced:
            raise KnowledgeError(f"{where}: no AWS documentation source for {', '.join(unsourced)}")
        found.append(
            Pins(
                date=date,
                checked=checked,
                database={
                    name: Release(str(spec["version"]), str(spec["family"]))
                    for name, spec in database.items()
                },
                cache={name: str(version) for name, version in cache.items()},
                sources={name: str(url) for name, url in sources.items()},
            )
        )
    if not found:
        raise KnowledgeError(f"{path.name}: no entry")
    return tuple(found)


def pins_of(entries: tuple[Pins, ...], date: str) -> Pins:
    """The entry a recommendation names; the first for one stored before they named one."""
    return next((entry for entry in entries if entry.date == date), entries[0])
