"""The diagram's text alternative: what it shows, in words a screen reader reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.reading import Snapshot, read

from .topology import Topology, topology


def plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe(recommendation: Snapshot | Mapping[str, Any]) -> str:
    """The diagram's text alternative: every component and where it runs, in two sentences."""
    f = topology(read(recommendation))
    how = {
        "rds_proxy": "through Amazon RDS Proxy",
        "app_side_reuse": "through a connection pool in the application",
    }.get(f.connections, "directly")
    db = f"{f.engine_phrase} ({f.instance_class})"
    replicas = plural(f.replicas, "Aurora Replica" if f.aurora else "read replica")
    if f.aurora:
        azs = "Availability Zones A, B and C" if f.az_count == 3 else "one Availability Zone"
        servers = f"a writer{' and ' + replicas if f.replicas else ''} in {azs}"
        layout = f"{servers} on a shared cluster volume that keeps six copies across three AZs"
    elif f.availability == "multi_az_instance":
        layout = (
            "a primary in Availability Zone A and a synchronous standby that serves no reads in "
            "Availability Zone B"
        )
    elif f.availability == "multi_az_cluster":
        layout = "a writer in Availability Zone A and two readable standbys in Zones B and C"
    elif f.availability == "self_managed":
        layout = "a primary in Availability Zone A and a standby in Zone B, replicated by the team"
    else:
        layout = "a primary in one Availability Zone"
    if f.replicas and not f.aurora:
        kind = "self-managed " if f.platform == "ec2" else ""
        layout += f", plus {plural(f.replicas, kind + 'read replica')}"
    first = f"{f.client_label} in one AWS Region connect {how} to {db}: {layout}"
    if f.cache != "none":
        first += f"; beside them, {_cache_phrase(f)}"
    parts = []
    dr = {
        "backup_restore": "backup copies for disaster recovery",
        "pilot_light": "a cross-Region replica, promoted on disaster",
        "aurora_global_database": "an Aurora Global Database secondary cluster, promoted on "
        "disaster",
    }.get(f.disaster_recovery)
    if dr:
        parts.append(f"a second Region holds {dr}")
    elif f.disaster_recovery != "none":
        parts.append(f"a second Region holds a recovery copy ({f.disaster_recovery})")
    parts.append(_security_phrase(f))
    second = "; ".join(parts)
    return f"{first}. {second[0].upper()}{second[1:]}."


def _cache_phrase(f: Topology) -> str:
    if f.cache == "valkey":
        if not f.cache_replicas:
            return "an ElastiCache for Valkey cache of a single node"
        return "an ElastiCache for Valkey cache with a primary node and " + plural(
            f.cache_replicas, "replica"
        )
    if f.cache == "memcached":
        return f"an ElastiCache for Memcached cache of {plural(f.cache_nodes, 'node')}"
    return f"a {f.cache} cache"


def _security_phrase(f: Topology) -> str:
    encryption = {
        "kms_at_creation": "data is encrypted at rest with a KMS key",
        "snapshot_copy_restore": "data gets encrypted at rest with a KMS key through an "
        "encrypted snapshot copy and restore",
    }.get(f.encryption, "data is not encrypted at rest")
    tls = "TLS is enforced" if f.tls == "enforce" else "TLS is optional"
    auth = {
        "iam": "clients sign in with IAM database authentication",
        "iam_via_proxy": "clients sign in with IAM at RDS Proxy",
    }.get(f.authentication, "clients sign in with database passwords")
    items = [encryption, tls, auth]
    if f.audit == "cloudwatch_logs" and f.audit_destination == "s3":
        items.append("audit files go to an S3 bucket")
    elif f.audit == "cloudwatch_logs":
        items.append("audit logs go to CloudWatch Logs")
    return _join(items)
