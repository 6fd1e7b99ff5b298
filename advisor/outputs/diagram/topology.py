"""What the diagram draws, read from a snapshot: platform, zones, copies, cache and security."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.reading import Snapshot
from advisor.reading.vocabulary import choice_name

AURORA = ("aurora", "aurora_serverless_v2")
AZ_NAMES = "ABC"
AZ_LABEL_SIZE = 12
MAX_REPLICAS_SHOWN = 5
MAX_CACHE_NODES_SHOWN = 3


@dataclass(frozen=True)
class Topology:
    """What the diagram needs from a recommendation, with safe defaults for missing keys."""

    platform: str
    platform_label: str
    engine_label: str
    instance_class: str
    availability: str
    replicas: int
    disaster_recovery: str
    connections: str
    cache: str
    cache_replicas: int
    cache_nodes: int
    cache_node_type: str
    encryption: str
    tls: str
    authentication: str
    audit: str
    audit_destination: str  # "s3" or "cloudwatch_logs"; older snapshots say nothing: CloudWatch
    client_label: str

    @property
    def aurora(self) -> bool:
        return self.platform in AURORA

    @property
    def az_count(self) -> int:
        if self.availability in ("multi_az_cluster", "aurora_multi_az"):
            return 3
        if self.availability in ("multi_az_instance", "self_managed"):
            return 2
        return 1

    @property
    def engine_phrase(self) -> str:
        """ "Amazon RDS for PostgreSQL", or "Another engine, self-managed on Amazon EC2"."""
        if self.platform == "ec2":
            return f"{self.engine_label}, {self.platform_label[0].lower()}{self.platform_label[1:]}"
        return f"{self.platform_label} for {self.engine_label}"


def topology(snapshot: Snapshot) -> Topology:
    answers = snapshot.answers
    platform = snapshot.decision("platform")
    engine = platform.extras.get("engine") or answers.get("engine") or "unknown engine"
    cache = snapshot.choice("cache", "none")
    nodes, node_type = _cache_nodes(snapshot, cache)
    return Topology(
        platform=snapshot.choice("platform", "rds"),
        platform_label=platform.label or "Database platform",
        engine_label=choice_name("engine", engine),
        instance_class=str(platform.extras.get("instance_class") or "instance class not set"),
        availability=snapshot.choice("availability", "single_az"),
        replicas=snapshot.read_replicas,
        disaster_recovery=snapshot.choice("disaster_recovery", "none"),
        connections=snapshot.choice("connections", "direct"),
        cache=cache,
        cache_replicas=snapshot.cache_replicas,
        cache_nodes=nodes,
        cache_node_type=node_type,
        encryption=snapshot.choice("encryption", "none"),
        tls=snapshot.choice("tls", "optional"),
        authentication=snapshot.choice("authentication", "password"),
        audit=snapshot.choice("audit", "none"),
        audit_destination=str(
            snapshot.decision("audit").extras.get("destination") or "cloudwatch_logs"
        ),
        client_label=choice_name("client_type", answers.get("client_type", "app_servers")),
    )


def _cache_nodes(snapshot: Snapshot, cache: str) -> tuple[int, str]:
    """Node count and node type: from the priced cost line when present, else from the rules."""
    if cache == "none":
        return 0, ""
    line = snapshot.cost.line_for("cache")
    match = re.match(r"\s*(\d+) x (\S+?) at ", line.assumption) if line else None
    if match:
        return max(1, int(match.group(1))), match.group(2)
    if cache == "memcached":
        return (1 if snapshot.answers.get("environment") == "non_production" else 2), ""
    return 1 + snapshot.cache_replicas, ""
