"""The recommendation as plain text, for terminals and chat."""

from __future__ import annotations

from .snapshot import Snapshot
from .vocabulary import concern_title, extras


def as_text(snapshot: Snapshot) -> str:
    lines = [snapshot.summary, ""]
    for decision in snapshot.decisions.values():
        values = [f"{label}: {value}" for label, value in extras(decision)]
        suffix = f" ({'; '.join(values)})" if values else ""
        lines.append(f"{concern_title(decision.concern)}: {decision.label}{suffix}")
        for reason in decision.rationale:
            cited = f" [{', '.join(reason.facts)}]" if reason.facts else ""
            lines.append(f"  - {reason.text}{cited}")
    if snapshot.risks:
        lines += ["", "Risks:"]
        for risk in snapshot.risks:
            door = ", one-way door" if risk.one_way_door else ""
            lines.append(f"  - [{risk.severity}{door}] {risk.text}")
    lines += ["", "Checklist:"]
    lines += [f"  {i}. {step}" for i, step in enumerate(snapshot.checklist, 1)]
    cost = snapshot.cost
    money = cost.monthly_usd
    lines += ["", f"Cost: ${money.low:,.0f}-${money.high:,.0f} a month"]
    lines += [f"  - {line.item}: ${line.low:,.0f}-${line.high:,.0f} ({line.assumption})"
              for line in cost.lines]  # fmt: skip
    if cost.budget_usd is not None:
        verdict = "within" if cost.within_budget else "over"
        lines.append(f"  Budget ${cost.budget_usd:,}: {verdict} budget")
    lines += ["", f"Prices as of {cost.prices_as_of}; ruleset {snapshot.ruleset_version}."]
    return "\n".join(lines) + "\n"
