"""The database: parameter and option groups, credentials, storage, the instance and its read
replicas."""

from __future__ import annotations

import math
from typing import Any

from .engines import TLS_OFF, adapt_class
from .intrinsics import att, number, ref, sub, tags

GP3_MINIMUM_GB = 20
GP3_IOPS_MINIMUM_GB = 400  # gp3 below this size has a fixed 3,000 IOPS and takes no Iops value
GP3_BASELINE_IOPS = 12000
VOLUME_MAXIMUM_GB = 65536


class DatabaseParts:
    def engine_parameters(self) -> dict[str, str]:
        parameters: dict[str, str] = {}
        engine = self.engine
        enforce = self.choice["tls"] == "enforce"
        if engine.tls_parameter:
            # Written out either way, so the decision is visible and can be flipped in one place.
            name, value = engine.tls_parameter
            parameters[name] = value if enforce else TLS_OFF[value]
        elif enforce and engine.name.startswith("db2"):
            parameters["ssl_svcename"] = str(engine.tls_port)
        audit = self.choice["audit"] == "cloudwatch_logs"
        if audit and engine.name in ("postgres", "aurora-postgresql"):
            parameters["shared_preload_libraries"] = "pg_stat_statements,pgaudit"
            parameters["pgaudit.log"] = "ddl,role"
            parameters["pgaudit.role"] = "rds_pgaudit"
        if audit and engine.name == "aurora-mysql":
            parameters["server_audit_logging"] = "1"
            parameters["server_audit_events"] = "CONNECT,QUERY_DCL,QUERY_DDL"
        if audit and self.form == "cluster" and engine.name == "mysql":
            parameters["general_log"] = "1"
            self.note(
                "A Multi-AZ DB cluster takes no option groups, so the MariaDB audit plugin is not "
                "available: the template exports the general log (every statement) instead."
            )
        if engine.name.startswith("db2") and engine.license == "bring-your-own-license":
            parameters["rds.ibm_customer_id"] = ref("IbmCustomerId")
            parameters["rds.ibm_site_id"] = ref("IbmSiteId")
        if engine.name == "mysql" and self.form != "cluster":
            parameters["slow_query_log"] = "1"
        return parameters

    def parameter_group(self) -> None:
        engine = self.engine
        if engine.name.startswith("db2") and engine.license == "bring-your-own-license":
            for name, words in (("IbmCustomerId", "customer ID"), ("IbmSiteId", "site ID")):
                self.parameter(
                    name,
                    "Licence",
                    Type="String",
                    MinLength=1,
                    Description=f"Your IBM {words}, from your Db2 licence (bring your own).",
                )
        parameters = self.engine_parameters()
        kind = (
            "AWS::RDS::DBClusterParameterGroup"
            if self.form in ("aurora", "cluster")
            else "AWS::RDS::DBParameterGroup"
        )
        body: dict[str, Any] = {
            "Description": sub(f"{engine.label} settings of ${{AWS::StackName}}"),
            "Family": engine.family,
        }
        if parameters:
            body["Parameters"] = parameters
        self.resource("DatabaseParameterGroup", kind, body)
        option = self.option_group()
        if option:
            self.resource("DatabaseOptionGroup", "AWS::RDS::OptionGroup", option)

    def option_group(self) -> dict[str, Any] | None:
        engine, options = self.engine, []
        if self.form != "instance":
            return None
        if self.choice["audit"] == "cloudwatch_logs" and engine.name in ("mysql", "mariadb"):
            options.append(
                {
                    "OptionName": "MARIADB_AUDIT_PLUGIN",
                    "OptionSettings": [
                        {"Name": "SERVER_AUDIT_EVENTS", "Value": "CONNECT,QUERY_DCL,QUERY_DDL"}
                    ],
                }
            )
        if self.choice["tls"] == "enforce" and engine.name.startswith("oracle"):
            options.append(
                {
                    "OptionName": "SSL",
                    "Port": engine.tls_port,
                    "VpcSecurityGroupMemberships": [ref("DatabaseSecurityGroup")],
                    "OptionSettings": [{"Name": "SQLNET.SSL_VERSION", "Value": "1.2"}],
                }
            )
        if not options:
            return None
        major = ".".join(engine.version.split(".")[:2])
        if engine.name.startswith("oracle"):
            major = engine.version.split(".")[0]
        return {
            "EngineName": engine.name,
            "MajorEngineVersion": major,
            "OptionGroupDescription": sub(f"{engine.label} options of ${{AWS::StackName}}"),
            "OptionConfigurations": options,
        }

    # shared database properties ---------------------------------------------------------------

    def engine_parameters_for_template(self) -> dict[str, Any]:
        engine = self.engine
        klass = self.recommended_class()
        self.parameter(
            "EngineVersion",
            "Database",
            Type="String",
            Default=engine.version,
            Description=f"{engine.label} version; keep the major version of the parameter group "
            f"family {engine.family}.",
        )
        self.parameter(
            "DBInstanceClass",
            "Database",
            Type="String",
            Default=klass,
            Description="Instance class, sized by Archwise from the answers.",
        )
        return {"EngineVersion": ref("EngineVersion")}

    def recommended_class(self) -> str:
        if self.platform == "aurora_serverless_v2":
            return "db.serverless"
        recommended = self.snapshot.decision("platform").extras.get("instance_class") or ""
        adapted = adapt_class(recommended, self.engine, self.form)
        if recommended and adapted != recommended:
            self.note(
                f"The recommendation names {recommended}; {self.engine.label}"
                + (" as a Multi-AZ DB cluster" if self.form == "cluster" else "")
                + f" does not offer it, so the template uses {adapted}."
            )
        return adapted

    def credentials(self) -> dict[str, Any]:
        if self.restore:
            return {"ManageMasterUserPassword": True, **self.secret_key()}
        self.parameter(
            "MasterUsername",
            "Database",
            Type="String",
            Default="dbadmin",
            MinLength=1,
            MaxLength=16,
            AllowedPattern="[a-zA-Z][a-zA-Z0-9_]*",
            Description="Master user name; RDS keeps its password in Secrets Manager.",
        )
        body: dict[str, Any] = {
            "MasterUsername": ref("MasterUsername"),
            "ManageMasterUserPassword": True,
            **self.secret_key(),
        }
        return body

    def secret_key(self) -> dict[str, Any]:
        return {"MasterUserSecret": {"KmsKeyId": ref("DataKey")}} if self.encrypted else {}

    def database_name(self, key: str) -> dict[str, Any]:
        if not self.engine.db_name or self.restore:
            return {}
        self.parameter(
            "DatabaseName",
            "Database",
            Type="String",
            Default="app",
            MinLength=1,
            MaxLength=63,
            AllowedPattern="[a-zA-Z][a-zA-Z0-9_]*",
            Description="The first database to create.",
        )
        return {key: ref("DatabaseName")}

    def snapshot_source(self, key: str) -> dict[str, Any]:
        if not self.restore:
            return {}
        self.parameter(
            "EncryptedSnapshotIdentifier",
            "Database",
            Type="String",
            MinLength=1,
            Description="ARN of the encrypted copy of the existing database's snapshot "
            "(snapshot, copy it with encryption under the KMS key you chose, then restore).",
        )
        self.note(
            "The existing database is unencrypted: snapshot it, copy the snapshot with "
            "encryption, and pass the copy as EncryptedSnapshotIdentifier; the new database is "
            "restored from it and keeps that copy's KMS key and master user."
        )
        return {key: ref("EncryptedSnapshotIdentifier")}

    @property
    def retention(self) -> int:
        days = number(self.snapshot.decision("backups").extras.get("retention_days"), 7)
        return max(1, min(35, days))

    def log_exports(self) -> list[str]:
        logs = list(self.engine.error_logs)
        if self.choice["audit"] == "cloudwatch_logs":
            logs += [log for log in self.engine.audit_logs if log not in logs]
            if self.engine.name.startswith("sqlserver"):
                self.note(
                    "SQL Server Audit writes to Amazon S3 through the SQLSERVER_AUDIT option, "
                    "which needs a bucket and a role of yours; the template exports the error "
                    "and agent logs to CloudWatch Logs."
                )
            if self.engine.name.startswith("db2"):
                self.note(
                    "Db2 audit logs go to Amazon S3 through the DB2_AUDIT option, which needs a "
                    "bucket and a role of yours; the template exports the diagnostic and "
                    "notification logs to CloudWatch Logs."
                )
            if self.engine.name.startswith("oracle"):
                self.note(
                    "Define the Oracle audit policies to record; the audit files are exported "
                    "to CloudWatch Logs."
                )
            if self.engine.name in ("postgres", "aurora-postgresql"):
                self.note(
                    "pgAudit is loaded by the parameter group; run CREATE EXTENSION pgaudit and "
                    "create the rds_pgaudit role once after launch."
                )
        return logs

    def storage(self) -> dict[str, Any]:
        storage = self.snapshot.decision("storage")
        size = number(self.answers.get("data_size_gb"), 100)
        ceiling = number(storage.extras.get("max_allocated_gb"), 0)
        if storage.choice == "fixed" and ceiling:
            size = ceiling
        allocated = max(GP3_MINIMUM_GB, min(VOLUME_MAXIMUM_GB, size))
        if size > VOLUME_MAXIMUM_GB:
            self.note(
                f"{size:,} GB exceeds one 64 TiB volume; add the extra storage volumes "
                f"{self.engine.label} allows after creation."
            )
        body: dict[str, Any] = {"AllocatedStorage": str(allocated), "StorageType": "gp3"}
        if storage.choice == "autoscaling":
            floor = math.ceil(allocated * 1.1)
            maximum = min(VOLUME_MAXIMUM_GB, max(ceiling, floor))
            if maximum >= floor:
                body["MaxAllocatedStorage"] = maximum
            else:
                self.note(
                    "The database starts near the 64 TiB volume limit, so storage autoscaling "
                    "has no room to grow: plan extra volumes or a move to Aurora."
                )
        return body

    def performance_insights(self, klass: str) -> dict[str, Any]:
        if klass.startswith("db.t"):
            return {}  # Performance Insights needs a class larger than the small burstables
        body: dict[str, Any] = {"EnablePerformanceInsights": True}
        if self.encrypted and not self.restore:
            body["PerformanceInsightsKMSKeyId"] = ref("DataKey")
        return body

    # RDS DB instance ---------------------------------------------------------------------------

    def instance(self) -> None:
        engine = self.engine
        common = self.engine_parameters_for_template()
        klass = self.parameters["DBInstanceClass"]["Default"]
        multi_az = self.choice["availability"] == "multi_az_instance"
        body: dict[str, Any] = {
            "Engine": engine.name,
            **common,
            "DBInstanceClass": ref("DBInstanceClass"),
        }
        if engine.license:
            body["LicenseModel"] = engine.license
            self.licence_notes()
        body.update(self.snapshot_source("DBSnapshotIdentifier"))
        body.update(self.database_name("DBName"))
        body.update(self.credentials())
        body.update(self.storage())
        body.update(self.encryption_properties())
        body.update(
            {
                "MultiAZ": multi_az,
                "DBSubnetGroupName": ref("DatabaseSubnetGroup"),
                "VPCSecurityGroups": [ref("DatabaseSecurityGroup")],
                "PubliclyAccessible": False,
                "Port": str(engine.port),
                "DBParameterGroupName": ref("DatabaseParameterGroup"),
                "BackupRetentionPeriod": self.retention,
                "CopyTagsToSnapshot": True,
                "DeletionProtection": True,
                "AutoMinorVersionUpgrade": True,
                "EnableIAMDatabaseAuthentication": self.choice["authentication"] == "iam",
                "EnableCloudwatchLogsExports": self.log_exports(),
                **self.performance_insights(klass),
                "Tags": tags("database"),
            }
        )
        if "DatabaseOptionGroup" in self.resources:
            body["OptionGroupName"] = ref("DatabaseOptionGroup")
        self.resource(
            "Database",
            "AWS::RDS::DBInstance",
            body,
            DeletionPolicy="Snapshot",
            UpdateReplacePolicy="Snapshot",
        )
        self.output("DatabaseEndpoint", "Writer endpoint.", att("Database", "Endpoint.Address"))
        self.output("DatabasePort", "Database port.", att("Database", "Endpoint.Port"))
        self.output("DatabaseArn", "The database's ARN.", att("Database", "DBInstanceArn"))
        self.output(
            "MasterUserSecretArn",
            "Secrets Manager secret with the master user's password.",
            att("Database", "MasterUserSecret.SecretArn"),
        )
        self.read_replicas(source={"SourceDBInstanceIdentifier": ref("Database")}, klass=klass)

    def licence_notes(self) -> None:
        own_licence = self.answers.get("license_model") == "bring_your_own"
        if self.engine.license == "marketplace-license":
            self.note(
                "Db2 with the licence included is sold through AWS Marketplace: subscribe to "
                "IBM Db2 there before you deploy."
            )
        if self.engine.name.startswith("sqlserver") and own_licence:
            self.note(
                "The template uses RDS for SQL Server's licence-included model; check whether "
                "your own SQL Server licences can apply on RDS before you count on them."
            )

    def read_replicas(self, source: dict[str, Any], klass: str) -> None:
        count = self.replica_count
        if not count or self.choice["read_scaling"] != "read_replicas":
            return
        engine = self.engine
        if engine.name.startswith("oracle") and engine.license == "license-included":
            self.note(
                f"The recommendation asks for {count} read replica(s), but RDS for Oracle creates "
                "replicas only for Enterprise Edition with your own licence (read-only replicas "
                "also need Active Data Guard); Standard Edition 2 licence-included has none, so "
                "the template creates no replica."
            )
            return
        if engine.name.startswith("sqlserver") and self.choice["availability"] == "single_az":
            self.note(
                f"The recommendation asks for {count} read replica(s), but RDS for SQL Server "
                "creates replicas only from a Multi-AZ source (Always On availability groups); "
                "the source here is Single-AZ, so the template creates no replica."
            )
            return
        for index in range(1, count + 1):
            body: dict[str, Any] = {
                **source,
                "DBInstanceClass": ref("DBInstanceClass"),
                "PubliclyAccessible": False,
                "VPCSecurityGroups": [ref("DatabaseSecurityGroup")],
                "AutoMinorVersionUpgrade": True,
                **self.performance_insights(klass),
                "Tags": tags(f"replica-{index}"),
            }
            if self.form == "instance":
                body["DBParameterGroupName"] = ref("DatabaseParameterGroup")
            if engine.name.startswith("oracle"):
                body["ReplicaMode"] = "open-read-only"
            if "DatabaseOptionGroup" in self.resources:
                body["OptionGroupName"] = ref("DatabaseOptionGroup")
            name = f"ReadReplica{index}"
            # The data lives on the source; a replica is re-created from it, not restored.
            self.resource(
                name,
                "AWS::RDS::DBInstance",
                body,
                DeletionPolicy="Delete",
                UpdateReplacePolicy="Delete",
            )
            self.output(
                f"{name}Endpoint", f"Read replica {index} endpoint.", att(name, "Endpoint.Address")
            )

    # Multi-AZ DB cluster ------------------------------------------------------------------------
