"""The engine versions a template pins: dated entries; a recommendation names the one it used."""

from __future__ import annotations

import re

import pytest

from advisor.engine import default_engine, recommend
from advisor.engine.knowledge import DATA_DIR, KnowledgeError
from advisor.engine.versions import load_versions, pins_of

SHIPPED = (DATA_DIR / "engine_versions.toml").read_text()


def test_a_new_recommendation_names_the_newest_entry():
    assert recommend({"engine": "mysql"})["engine_versions"] == default_engine().versions[-1].date


def test_a_recommendation_stored_before_the_dates_uses_the_first_entry():
    entries = default_engine().versions
    assert pins_of(entries, "") is entries[0]
    assert pins_of(entries, "1999-01-01") is entries[0]
    assert pins_of(entries, entries[-1].date) is entries[-1]


def _with_entry(tmp_path, entry: str):
    path = tmp_path / "engine_versions.toml"
    path.write_text(SHIPPED + entry)
    return path


NEWER = SHIPPED[SHIPPED.index("[[pins]]") :].replace('date = "2026-11-29"', 'date = "2099-01-01"')


def test_a_newer_entry_is_added_below_and_leaves_the_first_as_it_was(tmp_path):
    entries = load_versions(_with_entry(tmp_path, "\n" + NEWER))
    assert [entry.date for entry in entries] == ["2026-11-29", "2099-01-01"]
    assert entries[0] == default_engine().versions[0]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (NEWER.replace("2099-01-01", "2020-01-01"), "in date order"),
        (re.sub(r"(?m)^mariadb = .*\n", "", NEWER), "mariadb"),
        (NEWER.replace('checked = "2026-11-29"', 'checked = "last week"'), "YYYY-MM-DD"),
        (re.sub(r"(?m)^db2 = \"https.*\n", "", NEWER), "no AWS documentation source for db2"),
    ],
)
def test_a_broken_entry_is_refused_with_what_is_wrong(tmp_path, entry, problem):
    with pytest.raises(KnowledgeError, match=problem):
        load_versions(_with_entry(tmp_path, "\n" + entry))
