"""The concerns a recommendation decides, in order, with their vocabularies (contract v1)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Concern:
    """One decision: its candidates, simplest and cheapest first (a tie goes to the first), and
    the extra keys its decision carries."""

    name: str
    title: str
    choices: tuple[tuple[str, str], ...]
    extras: tuple[str, ...] = ()
    summary: str = ""  # what the decision settles, in one plain sentence

    @cached_property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    @cached_property
    def labels(self) -> dict[str, str]:
        return dict(self.choices)

    def label(self, choice: str) -> str:
        return self.labels[choice]


CONCERNS: tuple[Concern, ...] = (
    Concern(
        "platform",
        "Platform",
        (
            ("rds", "Amazon RDS"),
            ("aurora", "Amazon Aurora (provisioned)"),
            ("aurora_serverless_v2", "Aurora Serverless v2"),
            ("rds_custom", "Amazon RDS Custom"),
            ("ec2", "Self-managed on Amazon EC2"),
        ),
        ("engine", "instance_class"),
        summary=(
            "Which service runs the database: Amazon RDS, Aurora, Aurora Serverless v2, RDS "
            "Custom, or your own instances on EC2."
        ),
    ),
    Concern(
        "availability",
        "Availability",
        (
            ("single_az", "Single-AZ"),
            ("multi_az_instance", "Multi-AZ DB instance (one standby)"),
            ("multi_az_cluster", "Multi-AZ DB cluster (two readable standbys)"),
            ("aurora_multi_az", "Aurora cluster with a replica in another AZ"),
            ("self_managed", "Self-managed replication and failover"),
        ),
        summary=(
            "How the database keeps running when an instance or an Availability Zone fails: a "
            "standby, a cluster across zones, or replication you run yourself."
        ),
    ),
    Concern(
        "read_scaling",
        "Read scaling",
        (
            ("none", "No read copies"),
            ("read_replicas", "Read replicas"),
            ("aurora_replicas", "Aurora Replicas"),
        ),
        ("count",),
        summary=(
            "Whether read traffic is spread over read replicas or Aurora Replicas, and how many."
        ),
    ),
    Concern(
        "disaster_recovery",
        "Disaster recovery",
        (
            ("none", "No cross-Region recovery"),
            ("backup_restore", "Backup and restore in another Region"),
            ("pilot_light", "Pilot light: a cross-Region replica"),
            ("aurora_global_database", "Aurora Global Database"),
        ),
        summary=("How the data and the service come back if a whole Region is lost."),
    ),
    Concern(
        "connections",
        "Connections",
        (
            ("direct", "Direct connections"),
            ("rds_proxy", "Amazon RDS Proxy"),
            ("app_side_reuse", "Connection pooling in the application"),
        ),
        summary=(
            "How clients reach the database: directly, through RDS Proxy, or through a pool in "
            "the application."
        ),
    ),
    Concern(
        "cache",
        "Cache",
        (
            ("none", "No cache"),
            ("memcached", "ElastiCache for Memcached"),
            ("valkey", "ElastiCache for Valkey (or Redis OSS)"),
        ),
        ("replicas",),
        summary=(
            "Whether a cache sits in front of the database, and which: ElastiCache for Memcached "
            "or for Valkey."
        ),
    ),
    Concern(
        "encryption",
        "Encryption at rest",
        (
            ("kms_at_creation", "KMS encryption chosen at creation"),
            ("snapshot_copy_restore", "Encrypt through snapshot, encrypted copy and restore"),
            ("none", "No encryption at rest"),
        ),
        summary=(
            "How the data is encrypted at rest with AWS KMS, including a database that exists "
            "unencrypted today."
        ),
    ),
    Concern(
        "tls",
        "Encryption in transit",
        (("enforce", "Enforce TLS"), ("optional", "TLS optional")),
        summary=("Whether every connection to the database must be encrypted in transit."),
    ),
    Concern(
        "authentication",
        "Authentication",
        (
            ("password", "Database passwords (in Secrets Manager)"),
            ("iam", "IAM database authentication"),
            ("iam_via_proxy", "IAM authentication at RDS Proxy"),
        ),
        summary=(
            "How clients prove who they are: a password kept in Secrets Manager, or IAM database "
            "authentication."
        ),
    ),
    Concern(
        "audit",
        "Audit logging",
        (("cloudwatch_logs", "Audit logs to CloudWatch Logs"), ("none", "No audit log")),
        ("destination",),
        summary=(
            "Whether the database keeps an audit log of who did what, and where that log goes."
        ),
    ),
    Concern(
        "storage",
        "Storage",
        (
            ("autoscaling", "Storage autoscaling"),
            ("aurora_managed", "Aurora-managed storage"),
            ("fixed", "Fixed allocated storage"),
            ("self_managed_ebs", "Self-managed EBS volumes"),
        ),
        ("max_allocated_gb",),
        summary=("How storage is allocated and how it grows with the data."),
    ),
    Concern(
        "backups",
        "Backups",
        (
            ("automated", "Automated backups"),
            ("automated_plus_long_term", "Automated backups plus long-term snapshots"),
            ("self_managed", "Self-managed backups"),
        ),
        ("retention_days",),
        summary=(
            "How long automated backups are kept, and whether long-term snapshots are kept "
            "besides them."
        ),
    ),
)

CONCERNS_BY_NAME: dict[str, Concern] = {c.name: c for c in CONCERNS}
CONCERN_ORDER: dict[str, int] = {c.name: i for i, c in enumerate(CONCERNS)}


@dataclass(frozen=True)
class Extra:
    """A value a decision carries beside its choice: its label in a table, its phrase inside a
    sentence, its JSON Schema, the value it has when a rule sets none, and its unit (or the words
    for its text values). A value drawn from an answer's choices names that `answer`. An
    `optional` key may be absent (snapshots from before it existed)."""

    key: str
    label: str
    phrase: str
    schema: dict[str, Any]
    default: Any = None
    unit: str = ""
    words: tuple[tuple[str, str], ...] = ()
    answer: str | None = None
    optional: bool = False
    in_label: bool = False  # the decision's label already says it: pages do not repeat it
    # Where the decision's choice changes what the value means: (choice, label).
    choice_labels: tuple[tuple[str, str], ...] = ()

    def label_for(self, choice: str) -> str:
        return dict(self.choice_labels).get(choice, self.label)


EXTRAS: dict[str, Extra] = {
    extra.key: extra
    for extra in (
        Extra("engine", "Engine", "the engine", {"type": "string"}, answer="engine"),
        Extra(
            "instance_class",
            "Instance class",
            "the instance class",
            {"type": "string", "pattern": r"^(db\.)?[a-z0-9]+\.[a-z0-9]+$"},
        ),
        # Capped at the engine's limit on managed platforms, at the answer's range on EC2.
        Extra(
            "count",
            "Read copies",
            "the number of read copies",
            {"type": "integer", "minimum": 0, "maximum": 40},
            default=0,
        ),
        # Valkey/Redis OSS: up to 5 replicas per shard.
        Extra(
            "replicas",
            "Replicas per shard",
            "the cache replicas per shard",
            {"type": "integer", "minimum": 0, "maximum": 5},
            default=0,
        ),
        # In GiB, as RDS allocates it. RDS: 64 TiB per volume, 256 TiB with extra volumes;
        # Aurora: 256 TiB. On EC2 the team spreads data over as many EBS volumes as it needs.
        Extra(
            "max_allocated_gb",
            "Storage autoscaling ceiling",
            "the storage ceiling (GiB)",
            {"type": ["integer", "null"], "minimum": 1, "maximum": 1_200_000},
            unit="GiB",
            choice_labels=(
                ("fixed", "Allocated storage, with headroom"),
                ("aurora_managed", "Cluster volume ceiling"),
                ("self_managed_ebs", "Storage"),
            ),
        ),
        Extra(
            "retention_days",
            "Backup retention",
            "the backup retention (days)",
            {"type": ["integer", "null"], "minimum": 1, "maximum": 3650},
            unit="day",
        ),
        # Where audit logging writes (added 2026-12; older snapshots have no such key).
        Extra(
            "destination",
            "Audit log destination",
            "where the audit log goes",
            {"type": ["string", "null"], "enum": ["cloudwatch_logs", "s3", None]},
            words=(("s3", "an S3 bucket"), ("cloudwatch_logs", "CloudWatch Logs")),
            optional=True,
            in_label=True,  # "Audit logs to CloudWatch Logs", "Audit files to an S3 bucket"
        ),
    )
}
EXTRA_DEFAULTS: dict[str, Any] = {key: extra.default for key, extra in EXTRAS.items()}
