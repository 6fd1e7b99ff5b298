"""Clusters: a Multi-AZ DB cluster, or an Aurora cluster (provisioned or Serverless v2) with its
instances."""

from __future__ import annotations

import math
import re
from typing import Any

from .database import GP3_BASELINE_IOPS, GP3_IOPS_MINIMUM_GB
from .intrinsics import att, ref, tags


class ClusterParts:
    def multi_az_cluster(self) -> None:
        engine = self.engine
        common = self.engine_parameters_for_template()
        klass = self.parameters["DBInstanceClass"]["Default"]
        storage = self.storage()
        allocated = max(GP3_IOPS_MINIMUM_GB, int(storage["AllocatedStorage"]))
        if "MaxAllocatedStorage" in storage:
            self.note(
                "A Multi-AZ DB cluster has no storage autoscaling: alarm on free storage and grow "
                f"it by hand up to the {storage['MaxAllocatedStorage']} GB the recommendation "
                "plans for."
            )
        if allocated > int(storage["AllocatedStorage"]):
            self.note(
                f"A Multi-AZ DB cluster on gp3 takes an IOPS setting only from "
                f"{GP3_IOPS_MINIMUM_GB} GB, so the template allocates {allocated} GB with the "
                f"{GP3_BASELINE_IOPS:,} IOPS baseline of that size."
            )
        body: dict[str, Any] = {
            "Engine": engine.name,
            **common,
            "DBClusterInstanceClass": ref("DBInstanceClass"),
            "AllocatedStorage": allocated,
            "StorageType": "gp3",
            "Iops": GP3_BASELINE_IOPS,
        }
        if self.choice["authentication"] == "iam":
            self.note(
                "IAM database authentication cannot be enabled on a Multi-AZ DB cluster (it is "
                "an Aurora-cluster setting in CloudFormation); the template keeps database "
                "passwords in Secrets Manager instead."
            )
        body.update(self.snapshot_source("SnapshotIdentifier"))
        body.update(self.database_name("DatabaseName"))
        body.update(self.credentials())
        body.update(self.encryption_properties())
        body.update(
            {
                "DBSubnetGroupName": ref("DatabaseSubnetGroup"),
                "VpcSecurityGroupIds": [ref("DatabaseSecurityGroup")],
                "PubliclyAccessible": False,
                "Port": engine.port,
                "DBClusterParameterGroupName": ref("DatabaseParameterGroup"),
                "BackupRetentionPeriod": self.retention,
                "CopyTagsToSnapshot": True,
                "DeletionProtection": True,
                "AutoMinorVersionUpgrade": True,
                "EnableCloudwatchLogsExports": self.log_exports(),
                "PerformanceInsightsEnabled": True,
                "Tags": tags("database"),
            }
        )
        if self.encrypted and not self.restore:
            body["PerformanceInsightsKmsKeyId"] = ref("DataKey")
        self.resource(
            "DatabaseCluster",
            "AWS::RDS::DBCluster",
            body,
            DeletionPolicy="Snapshot",
            UpdateReplacePolicy="Snapshot",
        )
        self.cluster_outputs()
        self.read_replicas(
            source={"SourceDBClusterIdentifier": ref("DatabaseCluster")}, klass=klass
        )

    def cluster_outputs(self) -> None:
        self.output(
            "DatabaseEndpoint", "Writer endpoint.", att("DatabaseCluster", "Endpoint.Address")
        )
        self.output(
            "ReaderEndpoint", "Reader endpoint.", att("DatabaseCluster", "ReadEndpoint.Address")
        )
        self.output("DatabasePort", "Database port.", att("DatabaseCluster", "Endpoint.Port"))
        self.output("DatabaseArn", "The cluster's ARN.", att("DatabaseCluster", "DBClusterArn"))
        self.output(
            "MasterUserSecretArn",
            "Secrets Manager secret with the master user's password.",
            att("DatabaseCluster", "MasterUserSecret.SecretArn"),
        )

    # Aurora ---------------------------------------------------------------------------------------

    def serverless_capacity(self) -> dict[str, Any]:
        match = re.search(r"([0-9.]+)-([0-9.]+) ACU", self.cost_line("platform"))
        peak = float(match.group(2)) if match else 16.0
        peak = max(1.0, min(256.0, math.ceil(peak * 2) / 2))
        intermittent = self.answers.get("traffic_pattern") == "intermittent"
        body: dict[str, Any] = {"MinCapacity": 0 if intermittent else 0.5, "MaxCapacity": peak}
        if intermittent:
            body["SecondsUntilAutoPause"] = 900
            self.note(
                "Intermittent load: the cluster pauses at 0 ACU after 15 idle minutes and "
                "resumes in about 15 seconds on the next connection."
            )
        return body

    def aurora(self) -> None:
        engine = self.engine
        common = self.engine_parameters_for_template()
        klass = self.parameters["DBInstanceClass"]["Default"]
        body: dict[str, Any] = {"Engine": engine.name, **common}
        body.update(self.snapshot_source("SnapshotIdentifier"))
        body.update(self.database_name("DatabaseName"))
        body.update(self.credentials())
        body.update(self.encryption_properties())
        body.update(
            {
                "DBSubnetGroupName": ref("DatabaseSubnetGroup"),
                "VpcSecurityGroupIds": [ref("DatabaseSecurityGroup")],
                "Port": engine.port,
                "DBClusterParameterGroupName": ref("DatabaseParameterGroup"),
                "BackupRetentionPeriod": self.retention,
                "CopyTagsToSnapshot": True,
                "DeletionProtection": True,
                "EnableIAMDatabaseAuthentication": self.choice["authentication"] == "iam",
                "EnableCloudwatchLogsExports": self.log_exports(),
                "Tags": tags("database"),
            }
        )
        if self.platform == "aurora_serverless_v2":
            body["ServerlessV2ScalingConfiguration"] = self.serverless_capacity()
        self.resource(
            "DatabaseCluster",
            "AWS::RDS::DBCluster",
            body,
            DeletionPolicy="Snapshot",
            UpdateReplacePolicy="Snapshot",
        )
        replicas = self.replica_count if self.choice["read_scaling"] == "aurora_replicas" else 0
        if self.choice["availability"] == "aurora_multi_az" and not replicas:
            replicas = 1
        names = ["DatabaseWriter"] + [f"AuroraReplica{i}" for i in range(1, replicas + 1)]
        for tier, name in enumerate(names):
            instance: dict[str, Any] = {
                "Engine": engine.name,
                "DBClusterIdentifier": ref("DatabaseCluster"),
                "DBInstanceClass": ref("DBInstanceClass"),
                "PubliclyAccessible": False,
                "PromotionTier": 0 if tier <= 1 else 1,
                "AutoMinorVersionUpgrade": True,
                **self.performance_insights(klass),
                "Tags": tags("writer" if tier == 0 else f"replica-{tier}"),
            }
            # The data lives on the cluster volume, which the cluster's own policy protects.
            self.resource(
                name,
                "AWS::RDS::DBInstance",
                instance,
                DeletionPolicy="Delete",
                UpdateReplacePolicy="Delete",
            )
        self.cluster_outputs()

    # RDS Proxy ------------------------------------------------------------------------------------
