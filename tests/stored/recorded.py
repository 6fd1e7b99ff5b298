"""Stored recommendations recorded once, and what every surface showed for them.

`snapshots/*.json` are database rows as they were stored (their ruleset, slug and date fixed);
`goldens/` holds each surface's body as it rendered then. The test in this folder renders the
same rows with today's code and compares. To add a row: put its JSON in `snapshots/`, then run
`ARCHWISE_RECORD_GOLDENS=1 pytest tests/stored` once and review the new files.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent
# The ruleset that was current when the goldens were recorded: a page says whether the rules have
# changed since its row was stored, so the comparison runs as if this one were still current.
CURRENT_RULESET = "2026-12-02.633c7012ff"
SNAPSHOTS = HERE / "snapshots"
GOLDENS = HERE / "goldens"

# Parts of a response that differ between visitors or releases, not between renderings.
VOLATILE = (
    (re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]*"'), r'\1""'),
    (re.compile(r'"X-CSRFToken": ?"[^"]*"'), '"X-CSRFToken": ""'),
    (re.compile(r"(/static/[^\"'? ]+?)\.[0-9a-f]{12}(\.\w+)"), r"\1\2"),
)


def rows() -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(SNAPSHOTS.glob("*.json"))]


def load(row: dict):
    """Store a recorded row exactly as it was: its slug, date, ruleset and link to a parent."""
    from advisor.models import Recommendation

    parent = Recommendation.objects.get(slug=row["parent"]) if row.get("parent") else None
    saved = Recommendation.objects.create(
        slug=row["slug"],
        title=row["title"],
        answers=row["answers"],
        recommendation=row["recommendation"],
        ruleset_version=row["ruleset_version"],
        parent=parent,
        shows_parent=row.get("shows_parent", False),
        notes=row.get("notes", {}),
    )
    Recommendation.objects.filter(pk=saved.pk).update(
        created=datetime.fromisoformat(row["created"])
    )
    return saved


def steady(body: str) -> str:
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return body


def surfaces(row: dict) -> dict[str, str]:
    """Every address a stored row is read at, by the golden file's name."""
    slug = row["slug"]
    found = {
        "page.html": f"/r/{slug}/",
        "record.md": f"/r/{slug}.md",
        "snapshot.json": f"/r/{slug}.json",
        "template.yaml": f"/r/{slug}/cloudformation.yaml",
        "lineage.html": f"/r/{slug}/lineage/",
        "api.json": f"/api/v1/recommendations/{slug}",
    }
    if row.get("compare_with"):
        found["compare.html"] = f"/compare/{slug}/{row['compare_with']}/"
    return found
