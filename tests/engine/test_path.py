"""The 15-minute path: every row rests on known facts and an example that decides what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.engine import default_engine, normalise
from advisor.engine.knowledge import KnowledgeError, load_path

ENGINE = default_engine()
PATH = load_path(ENGINE.facts)
ROWS = [row for section in PATH for row in section.rows]


def test_the_path_compares_the_options_a_new_engineer_meets_first():
    covered = {section.key: {(row.concern, row.choice) for row in section.rows} for section in PATH}
    platforms = {
        ("platform", c) for c in ("rds", "aurora", "aurora_serverless_v2", "rds_custom", "ec2")
    }
    assert covered["platforms"] == platforms
    assert {("availability", "multi_az_instance"), ("availability", "multi_az_cluster")} <= (
        covered["availability"]
    )
    assert ("read_scaling", "read_replicas") in covered["availability"]
    assert covered["cache"] == {("cache", "memcached"), ("cache", "valkey")}
    assert {c for _, c in covered["dr"]} >= {
        "backup_restore",
        "pilot_light",
        "aurora_global_database",
    }
    assert sum(section.minutes for section in PATH) == 15


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_each_example_decides_what_its_row_explains(row):
    result = ENGINE.recommend(normalise(row.answers), explore=False, budget_search=False)
    assert result["decisions"][row.concern]["choice"] == row.choice


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_each_row_fills_every_column_and_cites_checked_facts(row):
    section = next(section for section in PATH if section.key == row.section)
    assert len(row.cells) == len(section.columns)
    assert all(cell.strip() for cell in row.cells)
    for fact_id in row.facts:
        assert ENGINE.facts[fact_id].checked_on  # each with its source and the date it was checked


def test_a_row_citing_an_unknown_fact_fails_loudly(tmp_path: Path):
    text = (Path(__file__).parents[2] / "advisor/engine/data/path.toml").read_text()
    broken = tmp_path / "path.toml"
    broken.write_text(text.replace('"rds.engines"', '"rds.no-such-fact"', 1))
    with pytest.raises(KnowledgeError, match="unknown facts"):
        load_path(ENGINE.facts, broken)
