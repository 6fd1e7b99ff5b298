"""Twenty designs priced by hand from AWS's published us-east-1 rates, as the AWS Pricing
Calculator would (instances x 730 hours, storage as provisioned today, the same I/O and capacity
usage the estimate states), against the engine's expected figure. docs/cost-check.md is this table;
regenerate it with `python -m tests.engine.test_cost_check > docs/cost-check.md`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.engine import default_engine

DOC = Path(__file__).resolve().parents[2] / "docs" / "cost-check.md"
TOLERANCE = 0.15

# (scenario, answers, [(what is priced, arithmetic on the published rates)])
SCENARIOS: list[tuple[str, dict, list[tuple[str, str]]]] = [
    (
        "PostgreSQL, the defaults",
        {"engine": "postgresql"},
        [
            ("2 x db.r7g.large PostgreSQL (Multi-AZ)", "2 * 0.250 * 730"),
            ("100 GB gp3 x 2 copies", "100 * 0.115 * 2"),
        ],
    ),
    (
        "MySQL for development",
        {"engine": "mysql", "environment": "non_production", "rto": "hours", "data_size_gb": 20},
        [("db.t4g.small MySQL", "0.032 * 730"), ("20 GB gp3", "20 * 0.115")],
    ),
    (
        "PostgreSQL, 2 TB, read-heavy, two read replicas",
        {
            "engine": "postgresql",
            "data_size_gb": 2000,
            "read_write": "read_heavy",
            "read_replicas": 2,
            "aurora_acceptable": False,
        },
        [
            ("4 x db.r7g.2xlarge PostgreSQL (primary, standby, 2 replicas)", "4 * 1.001 * 730"),
            ("2,000 GB gp3 x 4 copies", "2000 * 0.115 * 4"),
        ],
    ),
    (
        "Aurora PostgreSQL for performance",
        {"engine": "postgresql", "cost_priority": "performance"},
        [
            ("2 x db.r7g.large Aurora (writer, replica)", "2 * 0.289 * 730"),
            ("100 GB Aurora storage", "100 * 0.10"),
            ("100 million I/Os", "100 * 0.20"),
        ],
    ),
    (
        "Aurora MySQL with three replicas",
        {"engine": "mysql", "cost_priority": "performance", "read_replicas": 3},
        [
            ("4 x db.r7g.large Aurora", "4 * 0.289 * 730"),
            ("100 GB Aurora storage", "100 * 0.10"),
            ("100 million I/Os", "100 * 0.20"),
        ],
    ),
    (
        "Aurora Serverless v2 for spiky traffic",
        {"engine": "postgresql", "traffic_pattern": "spiky"},
        [
            ("2 instances x 1.75 ACU on average", "2 * 1.75 * 0.12 * 730"),
            ("100 GB Aurora storage", "100 * 0.10"),
            ("100 million I/Os", "100 * 0.20"),
        ],
    ),
    (
        "Oracle SE2, licence included, Single-AZ",
        {"engine": "oracle", "rto": "hours"},
        [("db.r6i.large Oracle SE2 licence included", "0.69 * 730"), ("100 GB gp3", "100 * 0.115")],
    ),
    (
        "Oracle, bring your own licence, Multi-AZ",
        {"engine": "oracle", "license_model": "bring_your_own"},
        [
            ("2 x db.r6i.large Oracle BYOL", "2 * 0.240 * 730"),
            ("100 GB gp3 x 2", "100 * 0.115 * 2"),
        ],
    ),
    (
        "SQL Server Standard Edition, Multi-AZ",
        {"engine": "sqlserver"},
        [
            ("2 x db.r6i.large SQL Server SE", "2 * 1.04 * 730"),
            ("100 GB gp3 x 2", "100 * 0.115 * 2"),
        ],
    ),
    (
        "SQL Server Developer Edition for test",
        {"engine": "sqlserver", "environment": "non_production", "rto": "hours"},
        [("db.r6i.large, no licence fee", "0.240 * 730"), ("100 GB gp3", "100 * 0.115")],
    ),
    (
        "MySQL, 1-year reserved",
        {"engine": "mysql", "pricing": "reserved_1yr"},
        [
            ("2 x db.r7g.large MySQL at the 1-year No Upfront rate", "2 * 0.239 * 0.66 * 730"),
            ("100 GB gp3 x 2", "100 * 0.115 * 2"),
        ],
    ),
    (
        "PostgreSQL in Ireland, 3-year reserved",
        {"engine": "postgresql", "pricing": "reserved_3yr", "region": "eu-west-1"},
        [
            ("2 x db.r7g.large, eu-west-1, 3-year Partial Upfront", "2 * 0.275 * 0.45 * 730"),
            ("100 GB gp3 x 2 at $0.127", "100 * 0.127 * 2"),
        ],
    ),
    (
        "PostgreSQL in Singapore",
        {"engine": "postgresql", "region": "ap-southeast-1"},
        [
            ("2 x db.r7g.large, ap-southeast-1", "2 * 0.300 * 730"),
            ("100 GB gp3 x 2 at $0.138", "100 * 0.138 * 2"),
        ],
    ),
    (
        "Multi-AZ DB cluster behind RDS Proxy",
        {"engine": "postgresql", "rto": "seconds", "aurora_acceptable": False},
        [
            ("3 x db.r7g.large PostgreSQL", "3 * 0.250 * 730"),
            ("100 GB gp3 x 3", "100 * 0.115 * 3"),
            ("RDS Proxy on 6 vCPU", "6 * 0.015 * 730"),
        ],
    ),
    (
        "Lambda clients behind RDS Proxy",
        {"engine": "postgresql", "client_type": "serverless_functions", "aurora_acceptable": False},
        [
            ("2 x db.r7g.large PostgreSQL", "2 * 0.250 * 730"),
            ("100 GB gp3 x 2", "100 * 0.115 * 2"),
            ("RDS Proxy on 4 vCPU", "4 * 0.015 * 730"),
        ],
    ),
    (
        "MySQL with a Valkey session store",
        {"engine": "mysql", "cache_uses": ["session_store"], "aurora_acceptable": False},
        [
            ("2 x db.r7g.large MySQL", "2 * 0.239 * 730"),
            ("100 GB gp3 x 2", "100 * 0.115 * 2"),
            ("2 x cache.r7g.large Valkey", "2 * 0.175 * 730"),
        ],
    ),
    (
        "PostgreSQL with a one-node query cache",
        {"engine": "postgresql", "cache_uses": ["query_results"], "aurora_acceptable": False},
        [
            ("2 x db.r7g.large PostgreSQL", "2 * 0.250 * 730"),
            ("100 GB gp3 x 2", "100 * 0.115 * 2"),
            ("1 x cache.r7g.large Valkey", "0.175 * 730"),
        ],
    ),
    (
        "MySQL with a pilot light in a second Region",
        {"engine": "mysql", "region_dr": "minutes", "aurora_acceptable": False},
        [
            ("3 x db.r7g.large MySQL (primary, standby, replica)", "3 * 0.239 * 730"),
            ("100 GB gp3 x 3", "100 * 0.115 * 3"),
            ("20 GB of changes to the second Region", "20 * 0.02"),
        ],
    ),
    (
        "Aurora Global Database",
        {"engine": "mysql", "region_dr": "seconds", "rto": "seconds"},
        [
            ("3 x db.r7g.large Aurora (writer, replica, secondary)", "3 * 0.289 * 730"),
            ("100 GB Aurora storage x 2 Regions", "200 * 0.10"),
            ("100 million I/Os", "100 * 0.20"),
            ("30 million replicated writes, 120 GB transfer", "30 * 0.20 + 120 * 0.02"),
            ("RDS Proxy on 4 vCPU", "4 * 0.015 * 730"),
        ],
    ),
    (
        "Another engine on EC2",
        {"engine": "other", "rto": "hours"},
        [("r7g.large EC2", "0.1071 * 730"), ("100 GB EBS gp3", "100 * 0.08")],
    ),
]


def _hand(parts: list[tuple[str, str]]) -> float:
    return sum(eval(arithmetic, {"__builtins__": {}}) for _, arithmetic in parts)  # noqa: S307


def _expected(answers: dict) -> float:
    return default_engine().recommend(answers, explore=False)["cost"]["monthly_usd"]["expected"]


@pytest.mark.parametrize(("name", "answers", "parts"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_the_estimate_agrees_with_the_hand_worked_price(name, answers, parts):
    hand = _hand(parts)
    assert abs(_expected(answers) - hand) <= TOLERANCE * hand


def test_there_are_twenty_scenarios():
    assert len(SCENARIOS) == 20


def table() -> str:
    rows = [
        "# Estimates checked by hand",
        "",
        "Twenty designs priced by hand from AWS's published us-east-1 rates (other Regions",
        "at the price table's factor), the way the AWS Pricing Calculator adds them up: each",
        "instance for 730 hours, storage as provisioned today, and the I/O and capacity the",
        "estimate states. The estimate's expected figure also counts storage growing over the",
        f"year, which is most of the difference. Each must agree within {TOLERANCE:.0%};",
        "`tests/engine/test_cost_check.py` checks them, and regenerates this page with",
        "`python -m tests.engine.test_cost_check`.",
        "",
        "| Design | Priced by hand | By hand | Archwise expected | Difference |",
        "|---|---|---:|---:|---:|",
    ]
    for name, answers, parts in SCENARIOS:
        hand = _hand(parts)
        expected = _expected(answers)
        worked = "<br>".join(f"{what}: `{arithmetic}`" for what, arithmetic in parts)
        rows.append(
            f"| {name} | {worked} | ${hand:,.2f} | ${expected:,.2f} | "
            f"{(expected - hand) / hand:+.1%} |"
        )
    return "\n".join(rows) + "\n"


def test_the_page_in_docs_is_current():
    assert DOC.read_text() == table()


if __name__ == "__main__":
    print(table(), end="")
