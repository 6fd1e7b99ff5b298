"""Table-driven scenarios: realistic answers, and the advice the knowledge base says they must get.

Each row names the answers that matter (defaults fill the rest), the choice expected for the
concerns the scenario is about (``"concern"``) and their extra values (``"concern.key"``), the rule
ids expected among ``fired_rules``, the risks expected and the risks that must not appear, and the
ids of the facts the expectation rests on. A few rows run with a small team rule pack, the way a
team would add its own policy; they reach the built-in safety-net rules that the built-in
preferences alone never leave a gap for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from advisor.engine import Engine


@dataclass(frozen=True)
class Scenario:
    id: str
    answers: dict[str, Any]
    expect: dict[str, Any]
    rules: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    pack: str | None = None
    severities: dict[str, str] = field(default_factory=dict)


# Team rule packs, written as a team would write them.
PACKS = {
    "no-rds-proxy": """
[[rule]]
id = "team.no-rds-proxy"
concern = "connections"
exclude = "rds_proxy"
rationale = "Our platform team has not approved RDS Proxy yet."
facts = ["proxy.engines"]
""",
    "data-stays-in-region": """
[[rule]]
id = "team.data-stays-in-region"
concern = "disaster_recovery"
exclude = ["backup_restore", "pilot_light", "aurora_global_database"]
rationale = "Regulation keeps every copy of the data inside its home Region."
facts = ["dr.backup-restore"]
""",
}

S = Scenario
SCENARIOS: list[Scenario] = [
    # -- Platform: RDS, Aurora, RDS Custom, EC2 ---------------------------------------------------
    S(
        "lambda-api-on-postgresql-goes-through-rds-proxy",
        {"engine": "postgresql", "client_type": "serverless_functions"},
        {"platform": "rds", "connections": "rds_proxy", "authentication": "password"},
        rules=(
            "platform.rds-by-default",
            "connections.serverless-functions",
            "connections.checklist.proxy",
            "authentication.checklist.secrets-manager",
        ),
        absent=("connections.risk.serverless-without-proxy",),
        facts=("proxy.pooling", "rds.managed"),
    ),
    S(
        "lambda-api-on-oracle-cannot-use-rds-proxy",
        {"engine": "oracle", "client_type": "serverless_functions"},
        {"platform": "rds", "connections": "app_side_reuse"},
        rules=(
            "capability.rds_proxy",
            "connections.serverless-functions-pool",
            "connections.checklist.app-side-pool",
        ),
        risks=("connections.risk.serverless-without-proxy",),
        severities={"connections.risk.serverless-without-proxy": "high"},
        facts=("proxy.engines",),
    ),
    S(
        "oracle-needing-os-agents-runs-on-ec2-as-rds-custom-for-oracle-is-discontinued",
        {"engine": "oracle", "needs_os_access": True, "license_model": "bring_your_own"},
        {
            "platform": "ec2",
            "connections": "direct",
            "storage": "self_managed_ebs",
            "authentication": "password",
        },
        rules=(
            "platform.os-access-not-on-rds",
            "capability.rds_custom_engine",
            "capability.rds_proxy",
        ),
        risks=("platform.risk.ec2-operations",),
        absent=(
            "platform.risk.oracle-license-outside-rds",
            "platform.checklist.rds-custom-automation",
        ),
        facts=("rds-custom.oracle-end-of-support", "ec2.when", "proxy.engines"),
    ),
    S(
        "oracle-with-os-access-and-licence-included-must-bring-a-licence",
        {"engine": "oracle", "needs_os_access": True, "license_model": "license_included"},
        {"platform": "ec2"},
        rules=("platform.os-access-not-on-rds",),
        risks=("platform.risk.oracle-license-outside-rds",),
        severities={"platform.risk.oracle-license-outside-rds": "high"},
        facts=("rds-custom.oracle-end-of-support",),
    ),
    S(
        "oracle-with-licence-included-and-no-special-needs-stays-on-rds",
        {"engine": "oracle"},
        {"platform": "rds", "connections": "direct", "storage": "autoscaling"},
        rules=(
            "capability.aurora_engine",
            "tls.checklist.oracle-db2",
            "capability.iam_auth",
        ),
        absent=("platform.risk.oracle-license-outside-rds",),
        facts=("aurora.engines", "rds.managed"),
    ),
    S(
        "sql-server-filestream-needs-rds-custom",
        {"engine": "sqlserver", "needs_unsupported_features": True},
        {"platform": "rds_custom", "storage": "fixed", "connections": "direct"},
        rules=(
            "platform.restricted-features-not-on-rds",
            "platform.rds-custom-keeps-automation",
            "tls.checklist.rds-custom",
        ),
        # RDS Custom for SQL Server takes no parameter group of its own.
        absent=(
            "platform.checklist.parameter-group",
            "tls.checklist.sqlserver",
            "tls.checklist.verify-certificate",
        ),
        facts=("rds-custom.scope", "rds-custom.sqlserver-limits"),
    ),
    S(
        "sql-server-on-rds-custom-has-no-read-replicas-and-stays-in-its-region",
        {
            "engine": "sqlserver",
            "needs_os_access": True,
            "read_replicas": 2,
            "region_dr": "minutes",
        },
        {"platform": "rds_custom", "read_scaling": "none", "disaster_recovery": "none"},
        rules=("capability.read_replicas",),
        risks=("disaster_recovery.risk.rds-custom-stays-in-its-region",),
        severities={"disaster_recovery.risk.rds-custom-stays-in-its-region": "high"},
        absent=(
            "disaster_recovery.risk.no-strategy-available",
            "availability.checklist.standby-serves-no-reads",
            "read_scaling.checklist.source-backups",
        ),
        facts=("rds-custom.sqlserver-limits", "rds-custom.no-cross-region-backups"),
    ),
    S(
        "sql-server-filestream-beyond-64-tib-has-only-ec2-left",
        {
            "engine": "sqlserver",
            "needs_unsupported_features": True,
            "data_size_gb": 80_000,
            "license_model": "bring_your_own",
            "ops_capacity": "dba_team",
        },
        {"platform": "ec2", "availability": "self_managed", "storage": "self_managed_ebs"},
        rules=("platform.rds-custom-storage-limit", "platform.checklist.ec2-build"),
        risks=("platform.risk.ec2-operations",),
        facts=("rds.storage.max", "ec2.when"),
    ),
    S(
        "sql-server-version-not-on-rds-uses-a-custom-engine-version",
        {"engine": "sqlserver", "engine_version_available": False},
        {"platform": "rds_custom"},
        rules=("platform.version-not-on-rds", "platform.rds-custom-keeps-automation"),
        facts=("rds-custom.scope", "ec2.when"),
    ),
    S(
        "postgresql-version-not-on-rds-is-self-managed",
        {"engine": "postgresql", "engine_version_available": False},
        {"platform": "ec2", "backups": "self_managed", "connections": "direct"},
        rules=(
            "platform.version-not-on-rds",
            "capability.rds_custom_engine",
            "capability.automated_backups",
            "backups.retention-self-managed",
            "backups.checklist.self-managed",
        ),
        facts=("ec2.when", "rds-custom.scope"),
    ),
    S(
        "mongodb-runs-self-managed-on-ec2",
        {"engine": "other"},
        {
            "platform": "ec2",
            "platform.instance_class": "r7g.large",
            "availability": "self_managed",
            "read_scaling": "none",
            "connections": "direct",
            "authentication": "password",
            "storage": "self_managed_ebs",
            "storage.max_allocated_gb": 128,
            "backups": "self_managed",
            "backups.retention_days": 7,
        },
        rules=(
            "capability.rds_engine",
            "capability.multi_az_instance",
            "availability.checklist.self-managed-replication",
            "capability.storage_autoscaling",
            "storage.checklist.ebs",
            "tls.checklist.self-managed",
        ),
        risks=("platform.risk.ec2-operations", "availability.risk.self-managed-failover"),
        absent=("platform.risk.ec2-without-ops-team", "storage.risk.never-shrinks"),
        facts=("rds.engines", "ec2.when"),
    ),
    S(
        "mongodb-with-nobody-to-run-it-is-a-high-risk",
        {"engine": "other", "ops_capacity": "none", "audit_logging": True},
        {"platform": "ec2", "audit": "cloudwatch_logs"},
        rules=("platform.no-ops-team-avoids-ec2", "audit.checklist.self-managed"),
        risks=("platform.risk.ec2-without-ops-team",),
        severities={"platform.risk.ec2-without-ops-team": "high"},
        facts=("ec2.when",),
    ),
    S(
        "mysql-needing-os-access-with-many-replicas-self-manages-them",
        {"engine": "mysql", "needs_os_access": True, "read_replicas": 20},
        {"platform": "ec2", "read_scaling": "read_replicas", "read_scaling.count": 20},
        rules=("read_scaling.count-self-managed",),
        # RDS's per-source limits and its backup rule for replicas are not EC2's.
        absent=(
            "read_scaling.risk.beyond-open-source-limit",
            "read_scaling.count-within-limit",
            "read_scaling.checklist.source-backups",
        ),
        facts=("ec2.when",),
    ),
    S(
        "spiky-startup-on-a-tight-budget-stays-on-rds-and-flags-the-budget",
        {
            "engine": "postgresql",
            "traffic_pattern": "spiky",
            "monthly_budget_usd": 200,
            "cost_priority": "lowest_cost",
        },
        {"platform": "rds", "connections": "direct"},
        rules=(
            "platform.rds-under-tight-budget",
            "platform.rds-for-lowest-cost",
            "platform.serverless-for-spiky-load",
            "connections.checklist.direct-reuse",
        ),
        risks=("engine.budget",),
        severities={"engine.budget": "high"},
        facts=("aurora.cost", "rds.billing"),
    ),
    S(
        "spiky-startup-without-a-fixed-budget-gets-aurora-serverless-v2",
        {"engine": "postgresql", "traffic_pattern": "spiky"},
        {
            "platform": "aurora_serverless_v2",
            "platform.instance_class": "db.serverless",
            "storage": "aurora_managed",
        },
        rules=(
            "platform.serverless-for-spiky-load",
            "connections.checklist.serverless-capacity",
            "platform.checklist.aurora-io-optimized",
        ),
        risks=("platform.risk.aurora-is-proprietary",),
        absent=("connections.risk.serverless-resume-delay",),
        facts=("aurora.serverless-v2",),
    ),
    S(
        "intermittent-dev-database-scales-to-zero-in-one-az",
        {
            "engine": "postgresql",
            "traffic_pattern": "intermittent",
            "environment": "non_production",
            "rto": "hours",
            "rpo": "hours",
        },
        {
            "platform": "aurora_serverless_v2",
            "availability": "single_az",
            "read_scaling": "none",
            "read_scaling.count": 0,
        },
        rules=(
            "platform.serverless-for-intermittent-load",
            "availability.non-production-single-az",
            "availability.relaxed-rto-single-az",
        ),
        absent=(
            "connections.risk.serverless-resume-delay",
            "availability.risk.aurora-without-replica",
            "availability.risk.single-az-misses-rto",
        ),
        facts=("aurora.serverless-v2", "rds.billing"),
    ),
    S(
        "intermittent-production-database-warns-about-the-cold-start",
        {"engine": "mysql", "traffic_pattern": "intermittent", "rto": "hours"},
        {"platform": "aurora_serverless_v2", "availability": "single_az"},
        risks=(
            "connections.risk.serverless-resume-delay",
            "availability.risk.aurora-without-replica",
        ),
        facts=("aurora.serverless-v2", "aurora.failover"),
    ),
    S(
        "intermittent-load-where-aurora-is-refused-stays-on-rds",
        {"engine": "mysql", "traffic_pattern": "intermittent", "aurora_acceptable": False},
        {"platform": "rds"},
        rules=("platform.aurora-not-acceptable",),
        absent=("platform.risk.aurora-is-proprietary",),
        facts=("aurora.engines",),
    ),
    S(
        "performance-first-postgresql-chooses-aurora",
        {"engine": "postgresql", "cost_priority": "performance"},
        {
            "platform": "aurora",
            "availability": "aurora_multi_az",
            "read_scaling": "aurora_replicas",
            "read_scaling.count": 1,
            "storage": "aurora_managed",
            "storage.max_allocated_gb": 262_144,
        },
        rules=(
            "platform.aurora-for-performance",
            "capability.multi_az_instance",
            "availability.checklist.aurora-failover-priority",
            "read_scaling.aurora-failover-target",
            "read_scaling.count-aurora",
            "read_scaling.checklist.aurora-reader-endpoint",
            "capability.storage_autoscaling",
            "storage.aurora-ceiling",
            "storage.checklist.aurora",
        ),
        absent=("storage.risk.never-shrinks",),
        facts=("aurora.performance", "aurora.replicas", "aurora.storage"),
    ),
    # -- Availability inside a Region -------------------------------------------------------------
    S(
        "production-mysql-with-minutes-rto-gets-a-multi-az-instance",
        {"engine": "mysql"},
        {"platform": "rds", "availability": "multi_az_instance", "read_scaling": "none"},
        rules=(
            "availability.fast-recovery.multi-az-instance",
            "availability.production.multi-az-instance",
            "availability.checklist.standby-serves-no-reads",
            "availability.checklist.reconnect-on-failover",
            "tls.checklist.mysql-mariadb",
        ),
        absent=("availability.risk.single-az-misses-rto",),
        facts=("rds.multi-az.instance",),
    ),
    S(
        "rto-in-hours-accepts-a-single-az-instance",
        {"engine": "mysql", "rto": "hours"},
        {"availability": "single_az"},
        rules=(
            "availability.relaxed-rto-single-az",
            "availability.checklist.adding-multi-az-later",
        ),
        absent=("availability.risk.single-az-misses-rto",),
        facts=("rds.backups.pitr", "rds.multi-az.convert"),
    ),
    S(
        "zero-rpo-keeps-a-synchronous-standby-even-with-rto-in-hours",
        {"engine": "mysql", "rto": "hours", "rpo": "zero"},
        {"availability": "multi_az_instance"},
        rules=("availability.zero-rpo.multi-az-instance",),
        facts=("rds.multi-az.instance", "rds.backups.pitr"),
    ),
    S(
        "cheapest-test-database-with-zero-rpo-is-told-it-can-lose-writes",
        {
            "engine": "mysql",
            "environment": "non_production",
            "cost_priority": "lowest_cost",
            "rto": "hours",
            "rpo": "zero",
        },
        {"availability": "single_az"},
        rules=("availability.lowest-cost-non-production",),
        risks=("availability.risk.single-az-loses-recent-writes",),
        facts=("rds.backups.pitr", "rds.billing"),
    ),
    S(
        "cheapest-test-database-with-minutes-rto-is-told-it-will-miss-it",
        {"engine": "mariadb", "environment": "non_production", "cost_priority": "lowest_cost"},
        {"availability": "single_az"},
        risks=("availability.risk.single-az-misses-rto",),
        severities={"availability.risk.single-az-misses-rto": "high"},
        facts=("rds.multi-az.instance", "rds.backups.pitr"),
    ),
    S(
        "rto-in-seconds-on-oracle-cannot-be-met",
        {"engine": "oracle", "rto": "seconds"},
        {"platform": "rds", "availability": "multi_az_instance"},
        rules=("availability.seconds-rto.multi-az-cluster", "capability.multi_az_cluster"),
        risks=("availability.risk.instance-misses-seconds-rto",),
        severities={"availability.risk.instance-misses-seconds-rto": "high"},
        facts=("rds.multi-az.instance", "rds.multi-az.cluster", "aurora.failover"),
    ),
    S(
        "rto-in-seconds-on-postgresql-without-aurora-uses-a-multi-az-cluster",
        {"engine": "postgresql", "rto": "seconds", "aurora_acceptable": False},
        {
            "platform": "rds",
            "availability": "multi_az_cluster",
            "read_scaling": "none",
            "connections": "rds_proxy",
        },
        rules=(
            "availability.seconds-rto.multi-az-cluster",
            "read_scaling.cluster-standbys-serve-reads",
            "availability.checklist.cluster-reader-endpoint",
            "connections.faster-failover",
        ),
        absent=("availability.risk.instance-misses-seconds-rto",),
        facts=("rds.multi-az.cluster", "proxy.failover"),
    ),
    S(
        "rto-in-seconds-on-postgresql-chooses-aurora-with-a-replica",
        {"engine": "postgresql", "rto": "seconds"},
        {
            "platform": "aurora",
            "availability": "aurora_multi_az",
            "read_scaling": "aurora_replicas",
            "read_scaling.count": 1,
        },
        rules=("platform.aurora-fast-failover", "capability.read_replicas"),
        absent=("availability.risk.instance-misses-seconds-rto",),
        facts=("aurora.failover", "aurora.replicas"),
    ),
    S(
        "sql-server-on-rds-custom-with-rto-in-hours-can-add-multi-az-later",
        {"engine": "sqlserver", "needs_os_access": True, "rto": "hours"},
        {"platform": "rds_custom", "availability": "single_az"},
        rules=("availability.checklist.adding-multi-az-later",),
        facts=("rds.multi-az.convert",),
    ),
    # -- Read scaling -----------------------------------------------------------------------------
    S(
        "postgresql-with-20-read-replicas-caps-at-15-aurora-replicas-and-caches-the-rest",
        {"engine": "postgresql", "read_replicas": 20},
        {
            "platform": "aurora",
            "read_scaling": "aurora_replicas",
            "read_scaling.count": 15,
            "cache": "valkey",
        },
        rules=("platform.aurora-many-replicas", "cache.offload-reads-beyond-replica-limit"),
        risks=("read_scaling.risk.beyond-open-source-limit",),
        facts=("aurora.replicas", "rds.replicas.max"),
    ),
    S(
        "postgresql-with-20-read-replicas-on-rds-caps-at-15",
        {"engine": "postgresql", "read_replicas": 20, "aurora_acceptable": False},
        {"platform": "rds", "read_scaling": "read_replicas", "read_scaling.count": 15},
        rules=("read_scaling.count-within-limit", "read_scaling.checklist.source-backups"),
        risks=("read_scaling.risk.beyond-open-source-limit", "read_scaling.risk.replica-lag"),
        facts=("rds.replicas.max", "rds.replicas.async"),
    ),
    S(
        "read-heavy-mariadb-with-four-replicas-gets-exactly-four",
        {"engine": "mariadb", "read_replicas": 4, "read_write": "read_heavy"},
        {"platform": "rds", "read_scaling": "read_replicas", "read_scaling.count": 4},
        rules=(
            "read_scaling.copies-asked-for",
            "capability.aurora_replicas",
            "read_scaling.checklist.multi-az-replica",
        ),
        absent=("read_scaling.risk.beyond-open-source-limit",),
        facts=("rds.replicas.max", "rds.replicas.multi-az"),
    ),
    S(
        "db2-with-five-replicas-caps-at-three",
        {"engine": "db2", "read_replicas": 5},
        {
            "platform": "rds",
            "read_scaling": "read_replicas",
            "read_scaling.count": 3,
            "cache": "valkey",
            "connections": "direct",
        },
        rules=("read_scaling.count-within-limit", "cache.offload-reads-beyond-replica-limit"),
        risks=("read_scaling.risk.beyond-open-source-limit",),
        facts=("rds.replicas.max",),
    ),
    S(
        "sql-server-with-eight-replicas-caps-at-five",
        {"engine": "sqlserver", "read_replicas": 8},
        {"platform": "rds", "read_scaling": "read_replicas", "read_scaling.count": 5},
        rules=("read_scaling.count-within-limit",),
        risks=("read_scaling.risk.beyond-open-source-limit",),
        facts=("rds.replicas.max",),
    ),
    S(
        "read-heavy-database-without-replicas-is-watched",
        {"engine": "mysql", "read_write": "read_heavy"},
        {"read_scaling": "none", "read_scaling.count": 0},
        rules=("read_scaling.checklist.read-heavy-watch",),
        facts=("rds.replicas.async",),
    ),
    S(
        "mysql-users-in-another-region-get-a-cross-region-replica",
        {"engine": "mysql", "cross_region_reads": True},
        {"platform": "rds", "read_scaling": "read_replicas", "read_scaling.count": 1},
        rules=(
            "read_scaling.cross-region-reads",
            "read_scaling.checklist.cross-region-replica",
            "encryption.checklist.key-in-recovery-region",
        ),
        absent=("read_scaling.risk.no-cross-region-replicas",),
        facts=("rds.replicas.async", "sec.encryption.replicas"),
    ),
    S(
        "postgresql-on-aurora-serves-another-region-from-a-global-database",
        {"engine": "postgresql", "cross_region_reads": True, "rto": "seconds"},
        {"platform": "aurora", "disaster_recovery": "aurora_global_database"},
        rules=("disaster_recovery.aurora-cross-region-reads",),
        facts=("aurora.global",),
    ),
    S(
        "db2-users-in-another-region-get-a-cross-region-replica-on-current-versions",
        {"engine": "db2", "cross_region_reads": True},
        {"platform": "rds", "read_scaling": "read_replicas", "read_scaling.count": 1},
        rules=("read_scaling.cross-region-reads", "read_scaling.checklist.cross-region-replica"),
        absent=("read_scaling.risk.no-cross-region-replicas",),
        facts=("rds.replicas.async", "db2.replicas"),
    ),
    # -- Disaster recovery across Regions ---------------------------------------------------------
    S(
        "regulated-multi-region-mysql-recovering-a-region-in-seconds-uses-aurora-global-database",
        {
            "engine": "mysql",
            "region_dr": "seconds",
            "rpo": "zero",
            "audit_logging": True,
            "iam_auth": True,
        },
        {
            "platform": "aurora",
            "disaster_recovery": "aurora_global_database",
            "audit": "cloudwatch_logs",
            "encryption": "kms_at_creation",
            "tls": "enforce",
            "authentication": "iam",
        },
        rules=(
            "platform.aurora-global-for-region-seconds",
            "disaster_recovery.seconds-global-database",
            "capability.cross_region_replicas",
            "disaster_recovery.checklist.global-database",
            "disaster_recovery.checklist.warm-standby",
            "encryption.checklist.key-in-recovery-region",
            "audit.wanted",
            "audit.checklist.aurora-mysql",
            "authentication.iam-wanted",
            "authentication.checklist.iam",
        ),
        absent=(
            "disaster_recovery.risk.seconds-unmet",
            "disaster_recovery.risk.async-loses-seconds",
        ),
        facts=("aurora.global", "dr.active", "sec.network", "sec.iam-auth"),
    ),
    S(
        "mysql-recovering-a-region-in-seconds-without-aurora-cannot-be-met",
        {"engine": "mysql", "region_dr": "seconds", "aurora_acceptable": False},
        {"platform": "rds", "disaster_recovery": "pilot_light"},
        rules=("disaster_recovery.seconds-best-effort", "capability.global_database"),
        risks=("disaster_recovery.risk.seconds-unmet",),
        severities={"disaster_recovery.risk.seconds-unmet": "high"},
        facts=("aurora.global", "dr.pilot-light"),
    ),
    S(
        "region-recovery-in-minutes-on-rds-mysql-keeps-a-pilot-light",
        {"engine": "mysql", "region_dr": "minutes", "aurora_acceptable": False},
        {"platform": "rds", "disaster_recovery": "pilot_light"},
        rules=(
            "disaster_recovery.minutes-live-copy",
            "disaster_recovery.checklist.pilot-light",
            "disaster_recovery.checklist.warm-standby",
        ),
        absent=("disaster_recovery.risk.minutes-unmet", "disaster_recovery.risk.seconds-unmet"),
        facts=("dr.pilot-light", "rds.replicas.promote"),
    ),
    S(
        "region-recovery-in-minutes-on-aurora-mysql-uses-global-database",
        {"engine": "mysql", "region_dr": "minutes", "cost_priority": "performance"},
        {"platform": "aurora", "disaster_recovery": "aurora_global_database"},
        rules=(
            "disaster_recovery.minutes-live-copy.aurora",
            "capability.cross_region_replicas",
        ),
        absent=("disaster_recovery.risk.minutes-unmet",),
        facts=("aurora.global",),
    ),
    S(
        "region-recovery-in-hours-copies-backups-to-another-region",
        {"engine": "postgresql", "region_dr": "hours"},
        {"disaster_recovery": "backup_restore"},
        rules=(
            "disaster_recovery.hours-backup-restore",
            "disaster_recovery.any-copy-beats-none",
            "disaster_recovery.checklist.copy-backups",
        ),
        absent=("disaster_recovery.risk.no-strategy-available",),
        facts=("dr.backup-restore",),
    ),
    S(
        "db2-recovering-a-region-in-minutes-keeps-a-standby-replica-there",
        {"engine": "db2", "region_dr": "minutes"},
        {"platform": "rds", "disaster_recovery": "pilot_light"},
        rules=(
            "disaster_recovery.checklist.pilot-light",
            "disaster_recovery.checklist.db2-standby",
        ),
        absent=("disaster_recovery.risk.minutes-unmet",),
        facts=("db2.replicas", "dr.pilot-light"),
    ),
    S(
        "licence-included-oracle-recovering-a-region-in-minutes-falls-back-to-backups-and-says-why",
        {"engine": "oracle", "region_dr": "minutes"},
        {"platform": "rds", "disaster_recovery": "backup_restore", "read_scaling": "none"},
        rules=("capability.cross_region_replicas", "disaster_recovery.checklist.copy-backups"),
        risks=(
            "disaster_recovery.risk.minutes-unmet",
            "read_scaling.risk.oracle-replicas-need-enterprise-edition",
        ),
        absent=("disaster_recovery.risk.no-strategy-available",),
        facts=("oracle.licensing", "dr.backup-restore"),
    ),
    S(
        "cross-region-replica-doubles-as-recovery-but-loses-in-flight-writes",
        {"engine": "mysql", "cross_region_reads": True, "region_dr": "minutes", "rpo": "zero"},
        {"disaster_recovery": "pilot_light", "read_scaling": "read_replicas"},
        rules=("disaster_recovery.cross-region-replica-does-double-duty",),
        risks=("disaster_recovery.risk.async-loses-seconds",),
        facts=("rds.replicas.async", "rds.replicas.promote"),
    ),
    S(
        "data-that-must-stay-in-its-region-gets-no-recovery-region-and-a-warning",
        {"engine": "postgresql", "region_dr": "hours"},
        {"disaster_recovery": "none"},
        rules=("team.data-stays-in-region",),
        risks=("disaster_recovery.risk.no-strategy-available",),
        facts=("dr.backup-restore",),
        pack="data-stays-in-region",
    ),
    # -- Connections ------------------------------------------------------------------------------
    S(
        "container-fleet-with-reconnect-storms-uses-rds-proxy",
        {"engine": "postgresql", "client_type": "containers", "connection_storms": True},
        {"connections": "rds_proxy"},
        rules=(
            "connections.container-fleet",
            "connections.container-fleet-pool",
            "connections.storms",
            "connections.storms-pool",
        ),
        facts=("proxy.pooling", "proxy.failover"),
    ),
    S(
        "sql-server-container-fleet-can-use-rds-proxy",
        {"engine": "sqlserver", "client_type": "containers"},
        {"connections": "rds_proxy"},
        rules=("connections.container-fleet", "connections.checklist.proxy"),
        absent=("connections.risk.serverless-without-proxy",),
        facts=("proxy.pooling",),
    ),
    S(
        "cost-first-container-fleet-pools-in-the-application",
        {"engine": "mysql", "client_type": "containers", "cost_priority": "lowest_cost"},
        {"connections": "app_side_reuse"},
        rules=("connections.lowest-cost", "connections.checklist.app-side-pool"),
        facts=("proxy.cost", "proxy.pooling"),
    ),
    S(
        "db2-opening-thousands-of-connections-a-second-pools-in-the-application",
        {"engine": "db2", "new_connections_per_second": 5000},
        {"connections": "app_side_reuse"},
        rules=("connections.high-connection-rate", "capability.rds_proxy"),
        facts=("proxy.pooling", "proxy.engines"),
    ),
    # -- Authentication ---------------------------------------------------------------------------
    S(
        "iam-auth-at-500-new-connections-a-second-moves-to-rds-proxy",
        {"engine": "mysql", "iam_auth": True, "new_connections_per_second": 500},
        {"connections": "rds_proxy", "authentication": "iam_via_proxy"},
        rules=(
            "connections.iam-above-rate-limit",
            "authentication.iam-at-proxy",
            "authentication.checklist.iam-at-proxy",
        ),
        absent=("authentication.risk.iam-rate", "authentication.risk.iam-unavailable"),
        facts=("sec.iam-auth", "proxy.iam"),
    ),
    S(
        "iam-auth-at-500-new-connections-a-second-on-oracle-keeps-passwords",
        {"engine": "oracle", "iam_auth": True, "new_connections_per_second": 500},
        {"connections": "direct", "authentication": "password"},
        rules=("capability.iam_auth", "authentication.iam-at-proxy-needs-proxy"),
        risks=("authentication.risk.iam-unavailable",),
        absent=("authentication.risk.iam-rate",),
        facts=("sec.iam-auth", "proxy.engines"),
    ),
    S(
        "iam-auth-at-500-new-connections-a-second-without-a-proxy-is-a-high-risk",
        {"engine": "mysql", "iam_auth": True, "new_connections_per_second": 500},
        {"connections": "direct", "authentication": "iam"},
        rules=("team.no-rds-proxy",),
        risks=("authentication.risk.iam-rate",),
        severities={"authentication.risk.iam-rate": "high"},
        facts=("sec.iam-auth",),
        pack="no-rds-proxy",
    ),
    S(
        "iam-auth-at-a-modest-connection-rate-connects-with-tokens",
        {"engine": "postgresql", "iam_auth": True, "new_connections_per_second": 50},
        {"connections": "direct", "authentication": "iam"},
        rules=("authentication.iam-wanted", "authentication.checklist.iam"),
        absent=("authentication.risk.iam-rate",),
        facts=("sec.iam-auth",),
    ),
    # -- Cache ------------------------------------------------------------------------------------
    S(
        "leaderboard-cache-needs-valkey-sorted-sets",
        {"engine": "mysql", "cache_uses": ["leaderboards"]},
        {"cache": "valkey", "cache.replicas": 0},
        rules=("cache.rich-types", "cache.memcached-cannot-keep-data", "cache.uses-named"),
        risks=("cache.risk.single-node-valkey",),
        facts=("cache.valkey",),
    ),
    S(
        "session-store-needs-valkey-with-a-replica",
        {"engine": "postgresql", "cache_uses": ["session_store"]},
        {"cache": "valkey", "cache.replicas": 1},
        rules=(
            "cache.sessions",
            "cache.replica-for-survival",
            "cache.checklist.session-backend",
            "cache.checklist.encryption",
        ),
        absent=("cache.risk.single-node-valkey", "cache.risk.memcached-loses-data"),
        facts=("cache.sessions", "cache.valkey"),
    ),
    S(
        "plain-multithreaded-object-cache-uses-memcached",
        {
            "engine": "postgresql",
            "cache_uses": ["query_results"],
            "cache_multithreaded_large_nodes": True,
        },
        {"cache": "memcached", "cache.replicas": 0},
        rules=(
            "cache.multithreaded-nodes",
            "cache.query-results-memcached",
            "cache.checklist.cache-aside",
        ),
        risks=("cache.risk.memcached-loses-data",),
        facts=("cache.memcached", "cache.strategies"),
    ),
    S(
        "query-result-cache-defaults-to-valkey",
        {"engine": "postgresql", "cache_uses": ["query_results"]},
        {"cache": "valkey"},
        rules=("cache.query-results-valkey",),
        facts=("cache.engines",),
    ),
    S(
        "object-cache-that-must-survive-a-node-failure-uses-valkey",
        {
            "engine": "postgresql",
            "cache_uses": ["query_results"],
            "cache_multithreaded_large_nodes": True,
            "cache_must_survive_node_failure": True,
        },
        {"cache": "valkey", "cache.replicas": 1},
        rules=("cache.persistence", "cache.memcached-cannot-keep-data"),
        facts=("cache.memcached", "cache.valkey"),
    ),
    S(
        "spiky-pub-sub-cache-considers-elasticache-serverless",
        {"engine": "mysql", "cache_uses": ["pub_sub"], "traffic_pattern": "spiky"},
        {"cache": "valkey"},
        rules=("cache.checklist.serverless-option", "cache.rich-types"),
        facts=("cache.serverless", "cache.valkey"),
    ),
    S(
        "no-cache-use-means-no-cache",
        {"engine": "postgresql"},
        {"cache": "none", "cache.replicas": 0},
        rules=("cache.not-needed",),
        facts=("cache.strategies",),
    ),
    # -- Encryption -------------------------------------------------------------------------------
    S(
        "existing-unencrypted-rds-database-is-encrypted-through-a-snapshot-copy",
        {"engine": "mysql", "existing_database": "rds_unencrypted"},
        {"encryption": "snapshot_copy_restore"},
        rules=(
            "encryption.existing-cannot-encrypt-in-place",
            "encryption.wanted-existing",
            "encryption.checklist.migrate",
        ),
        risks=("encryption.risk.migration-cutover", "encryption.risk.key-is-permanent"),
        facts=("sec.encryption.at-creation", "sec.encryption.migrate"),
    ),
    S(
        "existing-unencrypted-test-database-left-unencrypted-is-a-one-way-door",
        {
            "engine": "postgresql",
            "existing_database": "rds_unencrypted",
            "encryption_at_rest": False,
            "environment": "non_production",
        },
        {"encryption": "none"},
        risks=("encryption.risk.unencrypted-non-production",),
        absent=("encryption.risk.unencrypted-production",),
        facts=("sec.encryption.at-creation",),
    ),
    S(
        "encryption-refused-in-production-is-a-high-one-way-door",
        {"engine": "mysql", "encryption_at_rest": False, "read_replicas": 2},
        {"encryption": "none", "read_scaling": "read_replicas"},
        rules=("encryption.not-wanted", "encryption.checklist.replicas-match-source"),
        risks=("encryption.risk.unencrypted-production",),
        absent=("encryption.risk.key-is-permanent",),
        severities={"encryption.risk.unencrypted-production": "high"},
        facts=("sec.encryption.at-creation", "sec.encryption.replicas"),
    ),
    S(
        "an-encrypted-database-cannot-be-decrypted",
        {"engine": "postgresql", "existing_database": "rds_encrypted", "encryption_at_rest": False},
        {"encryption": "kms_at_creation"},
        rules=("encryption.cannot-be-disabled", "encryption.migration-only-for-unencrypted"),
        absent=("encryption.risk.unencrypted-production",),
        facts=("sec.encryption.at-creation",),
    ),
    S(
        "a-new-database-is-encrypted-when-it-is-created",
        {"engine": "postgresql"},
        {"encryption": "kms_at_creation"},
        rules=("encryption.wanted-new", "encryption.checklist.choose-key"),
        risks=("encryption.risk.key-is-permanent",),
        facts=("sec.encryption.at-creation",),
    ),
    # -- TLS and audit ----------------------------------------------------------------------------
    S(
        "optional-tls-in-production-is-a-risk",
        {"engine": "postgresql", "tls_required": False},
        {"tls": "optional"},
        rules=("tls.not-required",),
        risks=("tls.risk.optional-in-production",),
        facts=("sec.tls",),
    ),
    S(
        "postgresql-enforces-tls-with-force-ssl-and-audits-with-pgaudit",
        {"engine": "postgresql", "audit_logging": True},
        {"tls": "enforce", "audit": "cloudwatch_logs"},
        rules=(
            "tls.required",
            "tls.checklist.postgresql",
            "tls.checklist.verify-certificate",
            "audit.checklist.postgresql",
        ),
        facts=("sec.tls", "sec.network"),
    ),
    S(
        "licence-included-oracle-cannot-have-read-replicas-without-enterprise-edition",
        {"engine": "oracle", "read_replicas": 2},
        {"platform": "rds", "read_scaling": "none", "cache": "valkey"},
        rules=("capability.read_replicas", "cache.offload-reads-beyond-replica-limit"),
        risks=("read_scaling.risk.oracle-replicas-need-enterprise-edition",),
        severities={"read_scaling.risk.oracle-replicas-need-enterprise-edition": "high"},
        facts=("oracle.licensing",),
    ),
    S(
        "oracle-with-its-own-licence-can-have-read-replicas",
        {"engine": "oracle", "read_replicas": 2, "license_model": "bring_your_own"},
        {"platform": "rds", "read_scaling": "read_replicas", "read_scaling.count": 2},
        absent=("read_scaling.risk.oracle-replicas-need-enterprise-edition",),
        facts=("rds.replicas.max",),
    ),
    S(
        "mariadb-audits-with-the-audit-plugin-option",
        {"engine": "mariadb", "audit_logging": True},
        {"platform": "rds", "tls": "enforce", "audit": "cloudwatch_logs"},
        rules=("tls.checklist.mysql-mariadb", "audit.checklist.mysql-mariadb"),
        absent=("audit.checklist.aurora-mysql",),
        facts=("sec.tls", "sec.network"),
    ),
    S(
        "sql-server-audit-goes-to-an-s3-bucket",
        {"engine": "sqlserver", "audit_logging": True},
        {"tls": "enforce", "audit": "cloudwatch_logs", "audit.destination": "s3"},
        rules=("tls.checklist.sqlserver", "audit.destination", "audit.checklist.s3"),
        absent=(),
        facts=("sec.tls", "audit.destinations"),
    ),
    S(
        "db2-audit-goes-to-an-s3-bucket",
        {"engine": "db2", "audit_logging": True},
        {"audit": "cloudwatch_logs", "audit.destination": "s3"},
        rules=(
            "audit.destination",
            "audit.checklist.db2-s3",
            "availability.checklist.option-group",
        ),
        facts=("audit.destinations",),
    ),
    S(
        "oracle-audit-is-published-to-cloudwatch-logs",
        {"engine": "oracle", "audit_logging": True},
        {"audit": "cloudwatch_logs", "audit.destination": "cloudwatch_logs"},
        rules=("audit.destination", "audit.checklist.commercial"),
        facts=("audit.destinations",),
    ),
    S(
        "no-audit-still-exports-the-error-log",
        {"engine": "mysql"},
        {"audit": "none"},
        rules=("audit.not-wanted", "audit.checklist.error-log", "authentication.checklist.network"),
        facts=("sec.network",),
    ),
    # -- Storage ----------------------------------------------------------------------------------
    S(
        "300-tb-is-beyond-any-single-managed-database",
        {"engine": "postgresql", "data_size_gb": 300_000},
        {"platform": "ec2", "storage": "self_managed_ebs", "storage.max_allocated_gb": 349_257},
        rules=(
            "platform.rds-storage-limit",
            "platform.rds-storage-limit-extra-volumes",
            "platform.aurora-storage-limit",
        ),
        risks=("platform.risk.beyond-managed-storage",),
        severities={"platform.risk.beyond-managed-storage": "high"},
        facts=("rds.storage.max", "aurora.storage"),
    ),
    S(
        "71-tb-of-postgresql-outgrows-rds-and-moves-to-aurora",
        {"engine": "postgresql", "data_size_gb": 71_000},
        {"platform": "aurora", "storage": "aurora_managed"},
        rules=("platform.rds-storage-limit", "platform.aurora-large-or-fast-growing"),
        absent=("platform.risk.beyond-managed-storage",),
        facts=("rds.storage.max", "aurora.storage"),
    ),
    S(
        "71-tb-of-postgresql-without-aurora-has-only-ec2-left-and-says-what-teams-do-instead",
        {"engine": "postgresql", "data_size_gb": 71_000, "aurora_acceptable": False},
        {"platform": "ec2"},
        rules=("platform.rds-storage-limit",),
        risks=("platform.risk.beyond-one-rds-database",),
        severities={"platform.risk.beyond-one-rds-database": "high"},
        facts=("rds.storage.max",),
    ),
    S(
        "70-tb-of-oracle-fits-rds-with-extra-volumes",
        {"engine": "oracle", "data_size_gb": 70_000},
        {"platform": "rds", "storage": "autoscaling", "storage.max_allocated_gb": 97_800},
        rules=("storage.threshold-steady",),
        absent=("storage.risk.near-ceiling", "platform.risk.beyond-managed-storage"),
        facts=("rds.storage.max",),
    ),
    S(
        "220-tb-of-sql-server-outgrows-the-256-tib-ceiling-within-a-year",
        {"engine": "sqlserver", "data_size_gb": 220_000},
        {"platform": "rds", "storage.max_allocated_gb": 262_144},
        risks=("storage.risk.outgrows-ceiling",),
        absent=("storage.risk.near-ceiling", "storage.risk.near-ceiling-extra-volumes"),
        facts=("rds.storage.max",),
    ),
    S(
        "210-tb-of-flat-sql-server-is-close-to-the-256-tib-ceiling",
        {"engine": "sqlserver", "data_size_gb": 230_000, "growth": "flat"},
        {"platform": "rds", "storage": "fixed", "storage.max_allocated_gb": 262_144},
        risks=("storage.risk.near-ceiling-extra-volumes",),
        absent=("storage.risk.outgrows-ceiling",),
        facts=("rds.storage.max",),
    ),
    S(
        "50-tb-of-mysql-on-rds-is-close-to-the-64-tib-ceiling",
        {"engine": "mysql", "data_size_gb": 50_000, "aurora_acceptable": False},
        {"platform": "rds", "storage": "autoscaling", "storage.max_allocated_gb": 65_536},
        risks=("storage.risk.near-ceiling",),
        facts=("rds.storage.max",),
    ),
    S(
        "65-tb-of-mysql-has-no-room-left-to-autoscale-under-64-tib",
        {"engine": "mysql", "data_size_gb": 65_000, "aurora_acceptable": False, "growth": "flat"},
        {"platform": "rds", "storage": "fixed", "storage.max_allocated_gb": 65_536},
        rules=("storage.no-room-to-autoscale", "storage.fixed-headroom"),
        risks=("storage.risk.near-ceiling",),
        facts=("rds.storage.autoscaling", "rds.storage.max"),
    ),
    S(
        "60-tb-of-sql-server-on-rds-custom-allocates-at-most-one-volume",
        {"engine": "sqlserver", "data_size_gb": 60_000, "needs_os_access": True},
        {"platform": "rds_custom", "storage": "fixed", "storage.max_allocated_gb": 65_536},
        rules=("storage.fixed-headroom",),
        facts=("rds.storage.max", "rds-custom.scope"),
    ),
    S(
        "258-tb-of-oracle-fills-the-extra-volumes-without-autoscaling",
        {"engine": "oracle", "data_size_gb": 258_000},
        {"platform": "rds", "storage": "fixed", "storage.max_allocated_gb": 262_144},
        rules=("storage.no-room-to-autoscale",),
        absent=("platform.risk.beyond-managed-storage",),
        facts=("rds.storage.max",),
    ),
    S(
        "steadily-growing-data-autoscales-with-a-threshold-above-26-percent",
        {"engine": "postgresql", "data_size_gb": 1000},
        {"storage": "autoscaling", "storage.max_allocated_gb": 1408},
        rules=(
            "storage.growing-data-autoscales",
            "storage.threshold-steady",
            "storage.checklist.autoscaling",
            "capability.self_managed",
            "capability.aurora_storage",
        ),
        risks=("storage.risk.never-shrinks",),
        facts=("rds.storage.autoscaling",),
    ),
    S(
        "fast-growing-data-on-rds-gets-a-higher-autoscaling-ceiling",
        {
            "engine": "mysql",
            "growth": "fast_unpredictable",
            "data_size_gb": 1000,
            "aurora_acceptable": False,
        },
        {"storage": "autoscaling", "storage.max_allocated_gb": 2340},
        rules=("storage.threshold-fast",),
        facts=("rds.storage.autoscaling",),
    ),
    S(
        "flat-data-gets-fixed-storage-with-headroom",
        {"engine": "postgresql", "growth": "flat", "data_size_gb": 500},
        {"storage": "fixed", "storage.max_allocated_gb": 593},
        rules=("storage.flat-data-fixed", "storage.fixed-headroom", "storage.checklist.fixed"),
        facts=("rds.storage.max",),
    ),
    # -- Backups ----------------------------------------------------------------------------------
    S(
        "a-90-day-restore-window-adds-long-term-snapshots",
        {"engine": "postgresql", "restore_window_days": 90},
        {"backups": "automated_plus_long_term", "backups.retention_days": 35},
        rules=(
            "backups.beyond-35-days",
            "backups.retention",
            "backups.checklist.long-term",
            "backups.checklist.pitr",
        ),
        facts=("rds.backups.retention",),
    ),
    S(
        "a-35-day-restore-window-fits-automated-backups",
        {"engine": "postgresql", "restore_window_days": 35},
        {"backups": "automated", "backups.retention_days": 35},
        rules=("backups.retention", "capability.self_managed"),
        facts=("rds.backups.retention",),
    ),
    S(
        "a-zero-day-restore-window-still-keeps-one-day-of-backups",
        {"engine": "mysql", "restore_window_days": 0},
        {"backups": "automated", "backups.retention_days": 1},
        risks=("backups.risk.no-window",),
        facts=("rds.backups.retention",),
    ),
    S(
        "self-managed-backups-keep-the-whole-restore-window",
        {"engine": "other", "restore_window_days": 400},
        {"backups": "self_managed", "backups.retention_days": 400},
        rules=("backups.retention-self-managed",),
        facts=("ec2.when",),
    ),
    # -- What AWS does not allow, from the capability matrix (each was wrong in an earlier version)
    S(
        "a-multi-az-db-cluster-scales-storage-by-hand-and-takes-no-option-group",
        {"engine": "mysql", "rto": "seconds", "aurora_acceptable": False, "audit_logging": True},
        {"availability": "multi_az_cluster", "storage": "fixed", "audit": "cloudwatch_logs"},
        rules=("capability.storage_autoscaling", "audit.checklist.mysql-cluster"),
        absent=(),
        facts=("rds.multi-az.cluster",),
    ),
    S(
        "cross-region-recovery-keeps-postgresql-on-a-multi-az-instance",
        {
            "engine": "postgresql",
            "rto": "seconds",
            "aurora_acceptable": False,
            "region_dr": "hours",
        },
        {
            "availability": "multi_az_instance",
            "disaster_recovery": "backup_restore",
            "storage": "autoscaling",
        },
        rules=("availability.cluster-stays-in-region", "disaster_recovery.checklist.copy-backups"),
        risks=("availability.risk.instance-misses-seconds-rto",),
        facts=("rds.multi-az.cluster", "backups.cross-region"),
    ),
    S(
        "a-tiny-production-budget-gets-a-burstable-class-and-a-warning",
        {"engine": "postgresql", "monthly_budget_usd": 60, "rto": "hours"},
        # db.t4g.medium and 100 GB of gp3 come to about $61: the budget affords db.t4g.small.
        {"platform": "rds", "platform.instance_class": "db.t4g.small"},
        risks=("platform.risk.burstable-in-production",),
        severities={"platform.risk.burstable-in-production": "high"},
        facts=("classes.burstable",),
    ),
    S(
        "a-burstable-class-chosen-for-production-is-priced-and-flagged",
        {"engine": "mysql", "instance_class": "db.t4g.large", "rto": "hours"},
        {"platform": "rds", "platform.instance_class": "db.t4g.large"},
        risks=("platform.risk.burstable-chosen-for-production",),
        severities={"platform.risk.burstable-chosen-for-production": "medium"},
        facts=("classes.burstable",),
    ),
    S(
        "a-cache-answer-without-cache-uses-builds-no-cache",
        {"engine": "postgresql", "cache_must_survive_node_failure": True},
        {"cache": "none", "cache.replicas": 0},
        rules=("cache.not-needed",),
        facts=("cache.strategies",),
    ),
    S(
        "a-petabyte-on-ec2-is-spread-over-many-ebs-volumes",
        {"engine": "postgresql", "data_size_gb": 1_000_000},
        {"platform": "ec2", "storage": "self_managed_ebs", "storage.max_allocated_gb": 1_164_164},
        rules=("storage.ebs-headroom", "storage.checklist.ebs"),
        risks=("platform.risk.beyond-managed-storage",),
        facts=("ebs.volumes",),
    ),
    S(
        "serverless-v2-behind-rds-proxy-is-not-told-to-auto-pause",
        {
            "engine": "postgresql",
            "traffic_pattern": "intermittent",
            "client_type": "serverless_functions",
        },
        {"platform": "aurora_serverless_v2", "connections": "rds_proxy"},
        rules=("connections.checklist.serverless-capacity-no-pause",),
        absent=("connections.risk.serverless-resume-delay",),
        facts=("aurora.serverless-v2",),
    ),
    S(
        "sql-server-on-rds-custom-has-no-cross-region-replicas",
        {"engine": "sqlserver", "needs_os_access": True, "cross_region_reads": True},
        {"platform": "rds_custom"},
        risks=("read_scaling.risk.no-cross-region-replicas",),
        facts=("rds-custom.scope",),
    ),
    S(
        "db2-with-three-replicas-and-a-recovery-replica-stays-within-three-per-source",
        {"engine": "db2", "read_replicas": 3, "region_dr": "minutes"},
        {
            "read_scaling": "read_replicas",
            "read_scaling.count": 2,
            "disaster_recovery": "pilot_light",
        },
        rules=("read_scaling.count-leaves-room-for-recovery",),
        facts=("rds.replicas.max", "dr.pilot-light"),
    ),
]


def _expected_value(rec: dict[str, Any], key: str) -> Any:
    concern, _, extra = key.partition(".")
    return rec["decisions"][concern][extra or "choice"]


@pytest.fixture(scope="module")
def team_engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Engine]:
    folder: Path = tmp_path_factory.mktemp("packs")
    engines = {}
    for name, text in PACKS.items():
        path = folder / f"{name}.toml"
        path.write_text(text)
        engines[name] = Engine.load(extra_rule_files=[path])
    return engines


def _run(scenario: Scenario, engine: Engine, team_engines: dict[str, Engine]) -> dict[str, Any]:
    chosen = team_engines[scenario.pack] if scenario.pack else engine
    return chosen.recommend(scenario.answers, explore=False)


def test_there_are_at_least_45_scenarios_with_unique_ids():
    ids = [s.id for s in SCENARIOS]
    assert len(ids) >= 45
    assert len(ids) == len(set(ids))


def _spoke(rec: dict[str, Any]) -> set[str]:
    """The rules that fired, and the capability-matrix cells that ruled a choice out."""
    traced = {step["rule"] for d in rec["decisions"].values() for step in d["trace"]}
    return set(rec["fired_rules"]) | traced


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.id) for s in SCENARIOS])
def test_each_scenario_gets_the_advice_the_facts_call_for(scenario, engine, team_engines):
    rec = _run(scenario, engine, team_engines)
    got = {key: _expected_value(rec, key) for key in scenario.expect}
    assert got == scenario.expect

    fired = _spoke(rec)
    missing_rules = [rule for rule in scenario.rules if rule not in fired]
    assert not missing_rules, f"expected rules did not fire: {missing_rules}"

    risks = {risk["id"]: risk for risk in rec["risks"]}
    missing_risks = [risk for risk in scenario.risks if risk not in risks]
    assert not missing_risks, f"expected risks missing: {missing_risks}; got {sorted(risks)}"
    unwanted = [risk for risk in scenario.absent if risk in risks]
    assert not unwanted, f"unexpected risks: {unwanted}"
    for risk_id, severity in scenario.severities.items():
        assert risks[risk_id]["severity"] == severity


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.id) for s in SCENARIOS])
def test_each_scenario_rests_on_the_facts_it_names(scenario, engine, team_engines):
    """The rules that fired (and the risks raised) cite every fact the expectation rests on."""
    chosen = team_engines[scenario.pack] if scenario.pack else engine
    rec = chosen.recommend(scenario.answers, explore=False)
    cited = {fact for rule in rec["fired_rules"] for fact in chosen.catalog.by_id(rule).facts}
    cited |= {fact for risk in rec["risks"] for fact in risk["facts"]}
    # The capability matrix's exclusions cite the facts of the cell that ruled a choice out.
    cited |= {
        fact
        for decision in rec["decisions"].values()
        for alternative in decision["alternatives"]
        if any(rule.startswith("capability.") for rule in alternative["excluded_by"])
        for fact in alternative["facts"]
    }
    assert scenario.facts, "every scenario names the facts behind it"
    assert set(scenario.facts) <= set(chosen.facts)
    assert set(scenario.facts) <= cited


def test_every_rule_in_the_catalog_fires_in_some_scenario(engine, team_engines):
    fired: set[str] = set()
    for scenario in SCENARIOS:
        fired |= set(_run(scenario, engine, team_engines)["fired_rules"])
    never = [rule.id for rule in engine.catalog.rules if rule.id not in fired]
    assert not never, f"rules no scenario exercises: {never}"


def test_team_packs_in_the_scenarios_load_their_own_rule(team_engines):
    for name, team in team_engines.items():
        assert any(rule.source == f"{name}.toml" for rule in team.catalog.rules)
