"""How hard the property and fuzz tests search: every example in CI, a tenth day to day.

`HYPOTHESIS_PROFILE=ci` (set by `.ci/run`) keeps the full counts; the everyday `dev` profile, the
default, tries a tenth of them (at least 20), so `make test` stays quick while CI checks as much
as ever. The profiles themselves are registered in `tests/conftest.py`.
"""

from __future__ import annotations

import os

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")


def examples(full: int) -> int:
    """The number of examples to try where CI tries `full`."""
    return full if PROFILE == "ci" else max(20, full // 10)
