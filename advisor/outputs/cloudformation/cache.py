"""The cache: ElastiCache for Valkey (a replication group) or Memcached (a cluster)."""

from __future__ import annotations

import re
from typing import Any

from .intrinsics import att, ref, sub, tags


class CacheParts:
    def cache(self) -> None:
        choice = self.choice["cache"]
        line = self.cost_line("cache")
        node = re.search(r"cache\.[a-z0-9]+\.[a-z0-9]+", line)
        self.parameter(
            "CacheNodeType",
            "Cache",
            Type="String",
            Default=node.group(0) if node else "cache.r7g.large",
            Description="ElastiCache node type, sized by Archwise.",
        )
        port = 6379 if choice == "valkey" else 11211
        self.resource(
            "CacheSubnetGroup",
            "AWS::ElastiCache::SubnetGroup",
            {
                "Description": sub("Private subnets of the ${AWS::StackName} cache"),
                "SubnetIds": ref("SubnetIds"),
            },
        )
        self.resource(
            "CacheSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": sub(
                    f"Cache of ${{AWS::StackName}}: port {port} from the application"
                ),
                "VpcId": ref("VpcId"),
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": port,
                        "ToPort": port,
                        "SourceSecurityGroupId": ref("AppSecurityGroupId"),
                        "Description": "Application to the cache",
                    },
                ],
                "Tags": tags("cache"),
            },
        )
        if choice == "valkey":
            replicas = min(5, self.snapshot.cache_replicas)  # ElastiCache's limit per shard
            failover = replicas > 0
            body: dict[str, Any] = {
                "ReplicationGroupDescription": sub("Valkey cache of ${AWS::StackName}"),
                "Engine": "valkey",
                "EngineVersion": self.pins.cache["valkey"],
                "CacheNodeType": ref("CacheNodeType"),
                "NumCacheClusters": 1 + replicas,
                "AutomaticFailoverEnabled": failover,
                "MultiAZEnabled": failover,
                "TransitEncryptionEnabled": True,
                "TransitEncryptionMode": "required",
                "AtRestEncryptionEnabled": True,
                "CacheSubnetGroupName": ref("CacheSubnetGroup"),
                "SecurityGroupIds": [ref("CacheSecurityGroup")],
                "Port": port,
                "AutoMinorVersionUpgrade": True,
                "Tags": tags("cache"),
            }
            if self.encrypted:
                body["KmsKeyId"] = ref("DataKey")
            if "persistent_data" in (self.answers.get("cache_uses") or []):
                body["SnapshotRetentionLimit"] = 7
            keep = "Snapshot" if "SnapshotRetentionLimit" in body else "Delete"
            self.resource(
                "Cache",
                "AWS::ElastiCache::ReplicationGroup",
                body,
                DeletionPolicy=keep,
                UpdateReplacePolicy=keep,
            )
            self.output(
                "CacheEndpoint",
                "Valkey primary endpoint (TLS).",
                att("Cache", "PrimaryEndPoint.Address"),
            )
            if failover:
                self.output(
                    "CacheReaderEndpoint",
                    "Valkey reader endpoint (TLS).",
                    att("Cache", "ReaderEndPoint.Address"),
                )
            return
        count = re.search(r"(\d+) x cache\.", line)
        production = self.answers.get("environment", "production") == "production"
        nodes = max(1, min(40, int(count.group(1)) if count else (2 if production else 1)))
        self.resource(
            "Cache",
            "AWS::ElastiCache::CacheCluster",
            {
                "Engine": "memcached",
                "EngineVersion": self.pins.cache["memcached"],
                "CacheNodeType": ref("CacheNodeType"),
                "NumCacheNodes": nodes,
                "AZMode": "cross-az" if nodes > 1 else "single-az",
                "TransitEncryptionEnabled": True,
                "CacheSubnetGroupName": ref("CacheSubnetGroup"),
                "VpcSecurityGroupIds": [ref("CacheSecurityGroup")],
                "Port": port,
                "AutoMinorVersionUpgrade": True,
                "Tags": tags("cache"),
            },
            # Memcached keeps no data worth saving: it has no snapshots to take.
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
        )
        self.output(
            "CacheEndpoint",
            "Memcached configuration endpoint (TLS).",
            att("Cache", "ConfigurationEndpoint.Address"),
        )

    # AWS Backup ----------------------------------------------------------------------------------
