"""Example scenarios on the landing page; each opens the wizard with its answers filled in.

The descriptions say what the situation is, never what Archwise will recommend: the rules may
change, and the recommendation is the engine's to make. Every example is checked against the
answers contract when this module is imported, so a broken one fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .engine import normalise


@dataclass(frozen=True)
class Example:
    key: str
    title: str
    description: str
    answers: dict[str, Any] = field(default_factory=dict)


EXAMPLES: tuple[Example, ...] = (
    Example(
        "lambda-api-postgresql",
        "A Lambda API on PostgreSQL",
        "Serverless functions behind an API open hundreds of short connections at peak.",
        {
            "engine": "postgresql",
            "data_size_gb": 50,
            "traffic_pattern": "spiky",
            "client_type": "serverless_functions",
            "new_connections_per_second": 400,
            "connection_storms": True,
            "iam_auth": True,
        },
    ),
    Example(
        "oracle-os-agents",
        "An Oracle system needing OS agents",
        "An ERP database whose monitoring and backup agents must run on the database host.",
        {
            "engine": "oracle",
            "license_model": "bring_your_own",
            "needs_os_access": True,
            "data_size_gb": 2_000,
            "read_write": "write_heavy",
            "ops_capacity": "dba_team",
            "audit_logging": True,
        },
    ),
    Example(
        "spiky-startup",
        "A spiky startup on a tight budget",
        "A young product on MySQL with sudden launch-day peaks, no DBA and $300 a month.",
        {
            "engine": "mysql",
            "data_size_gb": 20,
            "growth": "fast_unpredictable",
            "traffic_pattern": "spiky",
            "monthly_budget_usd": 300,
            "cost_priority": "lowest_cost",
            "ops_capacity": "none",
        },
    ),
    Example(
        "regulated-multi-region-mysql",
        "A regulated multi-Region MySQL service",
        "Payments data that must lose nothing, survive a Region outage and keep audit logs.",
        {
            "engine": "mysql",
            "data_size_gb": 800,
            "read_write": "read_heavy",
            "read_replicas": 2,
            "rto": "seconds",
            "rpo": "zero",
            "region_dr": "minutes",
            "cross_region_reads": True,
            "restore_window_days": 365,
            "cost_priority": "performance",
            "audit_logging": True,
            "iam_auth": True,
        },
    ),
    Example(
        "leaderboard-cache",
        "A game leaderboard cache",
        "Live rankings for a mobile game, read far more than written, in front of PostgreSQL.",
        {
            "engine": "postgresql",
            "data_size_gb": 200,
            "read_write": "read_heavy",
            "traffic_pattern": "spiky",
            "client_type": "containers",
            "cache_uses": ["leaderboards", "query_results"],
            "cache_must_survive_node_failure": True,
        },
    ),
    Example(
        "unencrypted-legacy",
        "An unencrypted legacy database",
        "A MySQL database created years ago without encryption, which an audit now requires.",
        {
            "engine": "mysql",
            "data_size_gb": 500,
            "growth": "flat",
            "existing_database": "rds_unencrypted",
            "encryption_at_rest": True,
            "audit_logging": True,
        },
    ),
    Example(
        "sqlserver-filestream",
        "SQL Server with FILESTREAM",
        "A document system that stores files through SQL Server FILESTREAM, a feature RDS "
        "restricts.",
        {
            "engine": "sqlserver",
            "needs_unsupported_features": True,
            "data_size_gb": 1_500,
            "ops_capacity": "some",
        },
    ),
    Example(
        "test-environment",
        "A test database that sleeps at night",
        "A staging copy of a PostgreSQL app, idle outside working hours, as cheap as possible.",
        {
            "engine": "postgresql",
            "data_size_gb": 30,
            "traffic_pattern": "intermittent",
            "environment": "non_production",
            "rto": "hours",
            "rpo": "hours",
            "restore_window_days": 1,
            "cost_priority": "lowest_cost",
        },
    ),
)

EXAMPLES_BY_KEY: dict[str, Example] = {example.key: example for example in EXAMPLES}

for _example in EXAMPLES:
    normalise(_example.answers)
