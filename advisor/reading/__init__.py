"""The reading layer: a stored recommendation typed (`Snapshot`) and worded (`vocabulary`).

Beside the engine and as pure as it (no Django): pages, exports, comparisons and the diagram read
a recommendation only through `read()`, so a new decision key is taught here once.
"""

from .snapshot import (
    Alternative,
    BudgetOption,
    Cost,
    CostLine,
    Decision,
    Money,
    Reason,
    Risk,
    Snapshot,
    Step,
    Stored,
    WouldChange,
    read,
    read_stored,
)

__all__ = [
    "Alternative",
    "BudgetOption",
    "Cost",
    "CostLine",
    "Decision",
    "Money",
    "Reason",
    "Risk",
    "Snapshot",
    "Step",
    "Stored",
    "WouldChange",
    "read",
    "read_stored",
]
