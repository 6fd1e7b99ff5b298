"""Fixtures shared by the engine's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.engine.knowledge import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the engine's data files that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def prices(engine) -> dict:
    """The price table the engine prices with."""
    return engine.prices
