"""Links stored before a change render exactly as they did: every surface of every recorded row
is compared with what it showed when it was recorded (see recorded.py)."""

from __future__ import annotations

import json
import os

import pytest

from .recorded import CURRENT_RULESET, GOLDENS, load, rows, steady, surfaces

RECORD = os.environ.get("ARCHWISE_RECORD_GOLDENS") == "1"
ROWS = rows()
CASES = [(row, name, path) for row in ROWS for name, path in surfaces(row).items()]


@pytest.fixture
def stored_rows(db, monkeypatch):
    from advisor.engine import default_engine

    monkeypatch.setattr(default_engine(), "ruleset_version", CURRENT_RULESET)
    for row in ROWS:
        load(row)


@pytest.mark.parametrize(
    ("row", "name", "path"), CASES, ids=[f"{row['slug']}-{name}" for row, name, _ in CASES]
)
def test_surface_renders_as_recorded(client, stored_rows, row, name, path):
    response = client.get(path)
    body = f"{response.status_code}\n{steady(response.content.decode())}"
    golden = GOLDENS / row["slug"] / name
    if RECORD:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(body)
    recorded = golden.read_text()
    if name.endswith(".json"):
        # PostgreSQL keeps JSON objects in its own key order (jsonb); the document is the same.
        status, _, text = body.partition("\n")
        assert (status, json.loads(text)) == (
            recorded.partition("\n")[0],
            json.loads(recorded.partition("\n")[2]),
        ), f"{path} no longer says what it said when it was stored"
        return
    assert body == recorded, f"{path} no longer renders as it did when it was stored"


def test_every_row_has_its_goldens():
    for row in ROWS:
        for name in surfaces(row):
            assert (GOLDENS / row["slug"] / name).is_file(), f"{row['slug']}/{name} is not recorded"
