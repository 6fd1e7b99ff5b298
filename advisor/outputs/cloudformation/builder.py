"""The template builder: what the snapshot says, in which order the parts are built, and the
template they make. Each family of resources is built by its own part (network, database,
clusters, proxy, cache, backups)."""

from __future__ import annotations

from typing import Any

from advisor.engine import CONCERNS, default_engine
from advisor.engine.versions import pins_of
from advisor.reading import Stored

from .backups import BackupParts
from .cache import CacheParts
from .clusters import ClusterParts
from .database import DatabaseParts
from .engines import commercial_engine, open_source
from .intrinsics import one_line, ref
from .network import NetworkParts
from .proxy import ProxyParts


class Builder(NetworkParts, DatabaseParts, ClusterParts, ProxyParts, CacheParts, BackupParts):
    """Collects the template's parts in a fixed order, so the output is deterministic."""

    def __init__(self, stored: Stored, url: str):
        self.stored = stored
        self.snapshot = stored.snapshot
        self.url = url
        self.answers = self.snapshot.answers
        self.pins = pins_of(default_engine().versions, self.snapshot.engine_versions)
        self.choice = {c.name: self.snapshot.decision(c.name).choice or None for c in CONCERNS}
        self.parameters: dict[str, Any] = {}
        self.resources: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.notes: list[str] = []
        self.parameter_groups: list[tuple[str, list[str]]] = []
        self.form = self.deployment()

    # -- helpers ---------------------------------------------------------------------------

    def parameter(self, name: str, group: str, **spec: Any) -> dict[str, Any]:
        self.parameters[name] = spec
        for label, names in self.parameter_groups:
            if label == group:
                names.append(name)
                break
        else:
            self.parameter_groups.append((group, [name]))
        return ref(name)

    def resource(self, name: str, kind: str, properties: dict[str, Any], **extra: Any) -> None:
        body: dict[str, Any] = {"Type": kind}
        for key in ("DependsOn", "DeletionPolicy", "UpdateReplacePolicy"):
            if key in extra:
                body[key] = extra[key]
        body["Properties"] = properties
        self.resources[name] = body

    def output(self, name: str, description: str, value: Any) -> None:
        self.outputs[name] = {"Description": description, "Value": value}

    def note(self, text: str) -> None:
        self.notes.append(one_line(text, 600))

    # -- what the snapshot says ------------------------------------------------------------

    @property
    def platform(self) -> str:
        return self.choice["platform"] or "rds"

    @property
    def engine_kind(self) -> str:
        engine = self.snapshot.decision("platform").extras.get("engine")
        return engine or self.answers.get("engine") or "postgresql"

    def deployment(self) -> str:
        """instance, cluster (a Multi-AZ DB cluster) or aurora."""
        if self.platform in ("aurora", "aurora_serverless_v2"):
            return "aurora"
        if self.choice["availability"] == "multi_az_cluster":
            return "cluster"
        return "instance"

    @property
    def replica_count(self) -> int:
        return min(15, self.snapshot.read_replicas)  # AWS's limit per source

    @property
    def encrypted(self) -> bool:
        return self.choice["encryption"] in ("kms_at_creation", "snapshot_copy_restore")

    @property
    def restore(self) -> bool:
        return self.choice["encryption"] == "snapshot_copy_restore"

    @property
    def proxy(self) -> bool:
        return self.choice["connections"] == "rds_proxy" and self.engine.proxy_family is not None

    def cost_line(self, concern: str) -> str:
        line = self.snapshot.cost.line_for(concern)
        return line.assumption if line else ""

    # -- building ----------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        kind = self.engine_kind
        self.form = self.deployment()
        if self.form != "instance" and kind not in open_source(self.pins, self.form):
            # Only a snapshot from a ruleset that broke the contract gets here.
            self.note(
                f"The stored recommendation pairs {kind} with a deployment that engine does not "
                "offer; the template falls back to an RDS DB instance."
            )
            self.form = "instance"
        engines = open_source(self.pins, self.form)
        if kind in engines:
            self.engine = engines[kind]
        else:
            self.engine = commercial_engine(kind, self.answers, self.replica_count, self.pins)

        self.network()
        if self.encrypted:
            self.kms_key()
        self.parameter_group()
        if self.form == "aurora":
            self.aurora()
        elif self.form == "cluster":
            self.multi_az_cluster()
        else:
            self.instance()
        if self.proxy:
            self.rds_proxy()
        if self.choice["cache"] in ("valkey", "memcached"):
            self.cache()
        if self.choice["backups"] == "automated_plus_long_term":
            self.long_term_backups()
        self.disaster_recovery()
        return self.assemble()

    # networking ------------------------------------------------------------------------------

    def assemble(self) -> dict[str, Any]:
        summary = one_line(self.stored.headline, 600)
        description = one_line(f"Archwise data tier: {summary} Decision record: {self.url}", 1024)
        template: dict[str, Any] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": description,
            "Metadata": {
                "AWS::CloudFormation::Interface": {
                    "ParameterGroups": [
                        {"Label": {"default": label}, "Parameters": names}
                        for label, names in self.parameter_groups
                    ]
                },
                "Archwise": {
                    "DecisionRecord": self.url,
                    "RulesetVersion": self.stored.ruleset_version,
                    "Notes": list(self.notes),
                },
            },
            "Parameters": self.parameters,
            "Resources": self.resources,
            "Outputs": {
                "DecisionRecord": {"Description": "Why this data tier.", "Value": self.url},
                **self.outputs,
            },
        }
        return template
