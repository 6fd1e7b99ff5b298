"""The recommendation page: a stored recommendation at its permanent link, exactly as decided.

Nothing here is recomputed: the page is a function of the stored row, so it is cached for good
(`immutable_page`). Its what-if toggles, diagram and the diff from the version it links back to
are fixed for a stored recommendation too.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from advisor.engine import CONCERNS, default_engine
from advisor.models import Recommendation
from advisor.ops.caching import csrf_placeholder, immutable_page
from advisor.outputs import diagram
from advisor.reading.answers import answer_groups, clean_answers
from advisor.reading.compare import diff
from advisor.reading.notes import read_notes
from advisor.reading.vocabulary import most_severe_first, top_risks
from advisor.whatif import ranked_changes, toggles

from .design import drawn
from .http import stored


def decision_rows(saved: Recommendation) -> list[dict[str, Any]]:
    """Each decision with the answer changes that would turn it, nearest first."""
    rows = []
    for concern in CONCERNS:
        decision = saved.snapshot.decisions.get(concern.name)
        if decision is None:
            continue
        found = toggles(decision)
        rows.append(
            {
                "concern": concern,
                "d": decision,
                "ranked": ranked_changes(decision, concern),
                "direct": [toggle for toggle in found if not toggle.via],
                "indirect": [toggle for toggle in found if toggle.via],
            }
        )
    return rows


@require_GET
@immutable_page
def recommendation(request: HttpRequest, slug: str) -> HttpResponse:
    saved = stored(slug)
    snapshot = saved.snapshot
    risks = sorted(snapshot.risks, key=most_severe_first)
    parent = saved.shared_parent
    context = {
        "saved": saved,
        "r": snapshot,
        "decisions": [
            (c, snapshot.decisions[c.name]) for c in CONCERNS if c.name in snapshot.decisions
        ],
        "risks": risks,
        "top_risks": top_risks(snapshot.risks),
        "groups": answer_groups(clean_answers(saved.answers), read_notes(saved.notes)),
        "has_notes": bool(saved.notes),
        "share_url": request.build_absolute_uri(saved.get_absolute_url()),
        "rules_changed": saved.ruleset_version != default_engine().ruleset_version,
        "csrf_token": csrf_placeholder(request),  # the cached page gets each visitor's own token
        "decision_rows": decision_rows(saved),
        "diagram_svg": drawn(snapshot, "dg"),
        "diagram_text": diagram.describe(snapshot),
        "lineage": diff(parent.snapshot, snapshot) if parent is not None else None,
    }
    if parent is not None:
        context["parent_url"] = request.build_absolute_uri(parent.get_absolute_url())
    return render(request, "recommendation/recommendation.html", context)
