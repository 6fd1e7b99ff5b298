"""A CloudFormation template (YAML) of the recommended data tier, built from the stored snapshot.

The template holds what one stack in one Region can create: networking glue (subnet groups,
security groups), the database (an RDS instance, a Multi-AZ DB cluster or an Aurora cluster with its
instances), read replicas, RDS Proxy, the KMS key, the cache and long-term backups. What a team must
choose itself (VPC, subnets, the application's security group, sizes it may want to change) is a
Parameter; secrets never appear: RDS keeps the master password in Secrets Manager.

`render(snapshot, url)` returns the YAML text, or None where no template is generated (self-managed
databases on EC2, RDS Custom); `not_generated_reason(snapshot)` then says why, in plain words.
The output is deterministic: the same snapshot and link give the same text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

import yaml

from . import answers_of, decision, recommendation_of

NOT_GENERATED_REASON = (
    "No CloudFormation template is generated for a self-managed database on Amazon EC2: the team "
    "builds and runs that database itself (instances, volumes, replication, backups, patching), "
    "and no managed AWS resource matches it."
)
RDS_CUSTOM_REASON = (
    "No CloudFormation template is generated for Amazon RDS Custom: before an RDS Custom instance "
    "can be created, the team must prepare what a plain template cannot do for it: a custom engine "
    "version built from its own installation media (Oracle) or the chosen SQL Server media and "
    "licence, an IAM instance profile whose name starts with AWSRDSCustom, a symmetric KMS key and "
    "the VPC endpoints RDS Custom needs. Follow AWS's RDS Custom setup guide for your engine."
)

# -- engines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    """What CloudFormation needs to know about one engine in one deployment form."""

    name: str  # the RDS `Engine` value
    label: str
    version: str
    family: str  # parameter group family
    port: int
    error_logs: tuple[str, ...]  # exported to CloudWatch Logs always
    audit_logs: tuple[str, ...] = ()  # added when audit logs go to CloudWatch Logs
    license: str | None = None
    proxy_family: str | None = None
    db_name: bool = True  # whether the engine takes an initial database name
    graviton: bool = True  # whether the engine runs on db.r6g / db.t4g classes
    tls_parameter: tuple[str, str] | None = None
    tls_port: int | None = None  # a separate TLS port (Oracle, Db2): only it is opened


FORCE_SSL = ("rds.force_ssl", "1")
MYSQL_TLS = ("require_secure_transport", "ON")
TLS_OFF = {"1": "0", "ON": "OFF"}

INSTANCE_ENGINES: dict[str, Engine] = {
    "postgresql": Engine(
        "postgres",
        "RDS for PostgreSQL",
        "17.7",
        "postgres17",
        5432,
        ("postgresql", "upgrade"),
        proxy_family="POSTGRESQL",
        tls_parameter=FORCE_SSL,
    ),
    "mysql": Engine(
        "mysql",
        "RDS for MySQL",
        "8.4.7",
        "mysql8.4",
        3306,
        ("error", "slowquery"),
        ("audit",),
        proxy_family="MYSQL",
        tls_parameter=MYSQL_TLS,
    ),
    "mariadb": Engine(
        "mariadb",
        "RDS for MariaDB",
        "11.4.8",
        "mariadb11.4",
        3306,
        ("error", "slowquery"),
        ("audit",),
        proxy_family="MYSQL",
        tls_parameter=MYSQL_TLS,
    ),
}
AURORA_ENGINES: dict[str, Engine] = {
    "postgresql": Engine(
        "aurora-postgresql",
        "Aurora PostgreSQL",
        "17.7",
        "aurora-postgresql17",
        5432,
        ("postgresql",),
        proxy_family="POSTGRESQL",
        tls_parameter=FORCE_SSL,
    ),
    "mysql": Engine(
        "aurora-mysql",
        "Aurora MySQL",
        "8.0.mysql_aurora.3.10.3",
        "aurora-mysql8.0",
        3306,
        ("error", "slowquery"),
        ("audit",),
        proxy_family="MYSQL",
        tls_parameter=MYSQL_TLS,
    ),
}
# A Multi-AZ DB cluster runs the same engines; MySQL clusters take no option group, so their
# audit trail is the general log.
CLUSTER_ENGINES: dict[str, Engine] = {
    "postgresql": INSTANCE_ENGINES["postgresql"],
    "mysql": replace(INSTANCE_ENGINES["mysql"], audit_logs=("general",)),
}

RDS_ENGINES = ("postgresql", "mysql", "mariadb", "oracle", "sqlserver", "db2")
ORACLE_VERSION = "19.0.0.0.ru-2025-10.rur-2025-10.r1"
DB2_VERSION = "11.5.9.0.sb00094537.r1"
SQLSERVER_VERSION = "16.00.4250.1.v1"
VALKEY_VERSION = "8.0"
MEMCACHED_VERSION = "1.6.22"
GP3_MINIMUM_GB = 20
GP3_IOPS_MINIMUM_GB = 400  # gp3 below this size has a fixed 3,000 IOPS and takes no Iops value
GP3_BASELINE_IOPS = 12000
VOLUME_MAXIMUM_GB = 65536


def commercial_engine(engine: str, answers: dict[str, Any], replicas: int) -> Engine:
    """Oracle, SQL Server and Db2 pick their edition and licence from the answers."""
    own_licence = answers.get("license_model") == "bring_your_own"
    if engine == "oracle":
        # Standard Edition 2 is the only Oracle edition sold licence-included on RDS.
        edition = "ee" if own_licence else "se2"
        return Engine(
            f"oracle-{edition}-cdb",
            f"RDS for Oracle ({edition.upper()})",
            ORACLE_VERSION,
            f"oracle-{edition}-cdb-19",
            1521,
            ("alert", "listener"),
            ("audit",),
            license="bring-your-own-license" if own_licence else "license-included",
            db_name=False,
            graviton=False,
            tls_port=2484,
        )
    if engine == "sqlserver":
        # Read replicas of SQL Server need Enterprise Edition.
        edition = "ee" if replicas else "se"
        return Engine(
            f"sqlserver-{edition}",
            f"RDS for SQL Server ({edition.upper()})",
            SQLSERVER_VERSION,
            f"sqlserver-{edition}-16.0",
            1433,
            ("error", "agent"),
            license="license-included",
            proxy_family="SQLSERVER",
            db_name=False,
            graviton=False,
            tls_parameter=FORCE_SSL,
        )
    if engine != "db2":
        raise ValueError(f"RDS runs no engine named {engine!r}")
    return Engine(
        "db2-se",
        "RDS for Db2 (Standard Edition)",
        DB2_VERSION,
        "db2-se-11.5",
        50000,
        ("diag.log",),
        ("notify.log",),
        license="bring-your-own-license" if own_licence else "marketplace-license",
        db_name=False,
        graviton=False,
        tls_port=50443,
    )


# -- small helpers -----------------------------------------------------------------------------


def ref(name: str) -> dict[str, Any]:
    return {"Ref": name}


def att(name: str, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str) -> dict[str, Any]:
    return {"Fn::Sub": text}


def tags(name: str) -> list[dict[str, Any]]:
    return [{"Key": "Name", "Value": sub("${AWS::StackName}-" + name)}]


def one_line(text: Any, limit: int = 400) -> str:
    """Text safe for a YAML comment: printable characters on one line, trimmed."""
    cleaned = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in str(text)
    )
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3].rstrip() + "..."


def number(value: Any, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)


def adapt_class(recommended: str, engine: Engine, form: str) -> str:
    """The recommended class where the engine offers it, else the nearest class it does offer."""
    match = re.fullmatch(r"db\.([a-z0-9]+)\.([a-z0-9]+)", recommended or "")
    family, size = match.groups() if match else ("r6g", "large")
    burstable = family.startswith("t")
    if form == "cluster":
        # Multi-AZ DB clusters run on classes with local NVMe storage only, none burstable.
        return "db.r6gd.large" if burstable else f"db.r6gd.{size}"
    if engine.graviton or form == "aurora":
        return f"db.{family}.{size}"
    if burstable:
        if engine.name.startswith("sqlserver"):
            return "db.t3.xlarge"  # the smallest burstable class of SQL Server SE and EE
        return "db.t3.medium"
    return f"db.r6i.{size}"


# -- the template ------------------------------------------------------------------------------


class Builder:
    """Collects the template's parts in a fixed order, so the output is deterministic."""

    def __init__(self, snapshot: dict[str, Any], url: str):
        self.snapshot = snapshot
        self.url = url
        self.rec = recommendation_of(snapshot)
        self.answers = answers_of(snapshot)
        self.choice = {
            name: decision(snapshot, name).get("choice")
            for name in (
                "platform",
                "availability",
                "read_scaling",
                "disaster_recovery",
                "connections",
                "cache",
                "encryption",
                "tls",
                "authentication",
                "audit",
                "storage",
                "backups",
            )
        }
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
        platform = decision(self.snapshot, "platform")
        return platform.get("engine") or self.answers.get("engine") or "postgresql"

    def deployment(self) -> str:
        """instance, cluster (a Multi-AZ DB cluster) or aurora."""
        if self.platform in ("aurora", "aurora_serverless_v2"):
            return "aurora"
        if self.choice["availability"] == "multi_az_cluster":
            return "cluster"
        return "instance"

    @property
    def replica_count(self) -> int:
        reads = decision(self.snapshot, "read_scaling")
        if reads.get("choice") not in ("read_replicas", "aurora_replicas"):
            return 0
        return max(0, min(15, number(reads.get("count"), 0)))

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
        for line in self.rec.get("cost", {}).get("lines", []) or []:
            if isinstance(line, dict) and line.get("concern") == concern:
                return str(line.get("assumption", ""))
        return ""

    # -- building ----------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        kind = self.engine_kind
        self.form = self.deployment()
        forms = {"aurora": AURORA_ENGINES, "cluster": CLUSTER_ENGINES}
        if self.form in forms and kind not in forms[self.form]:
            # Only a snapshot from a ruleset that broke the contract gets here.
            self.note(
                f"The stored recommendation pairs {kind} with a deployment that engine does not "
                "offer; the template falls back to an RDS DB instance."
            )
            self.form = "instance"
        if self.form == "aurora":
            self.engine = AURORA_ENGINES[kind]
        elif self.form == "cluster":
            self.engine = CLUSTER_ENGINES[kind]
        elif kind in INSTANCE_ENGINES:
            self.engine = INSTANCE_ENGINES[kind]
        else:
            self.engine = commercial_engine(kind, self.answers, self.replica_count)

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

    def network(self) -> None:
        self.parameter(
            "VpcId",
            "Network",
            Type="AWS::EC2::VPC::Id",
            Description="The VPC the database and its clients live in.",
        )
        azs = 3 if self.form == "cluster" else 2
        self.parameter(
            "SubnetIds",
            "Network",
            Type="List<AWS::EC2::Subnet::Id>",
            Description=f"Private subnets in at least {azs} Availability Zones of that VPC.",
        )
        self.parameter(
            "AppSecurityGroupId",
            "Network",
            Type="AWS::EC2::SecurityGroup::Id",
            Description="The security group of the application; only it may reach the data tier.",
        )
        self.resource(
            "DatabaseSubnetGroup",
            "AWS::RDS::DBSubnetGroup",
            {
                "DBSubnetGroupDescription": sub("Private subnets of ${AWS::StackName}"),
                "SubnetIds": ref("SubnetIds"),
            },
        )
        port = self.db_port
        clients = "ProxySecurityGroup" if self.proxy else None
        source = ref(clients) if clients else ref("AppSecurityGroupId")
        what = "RDS Proxy" if clients else "the application"
        self.resource(
            "DatabaseSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": sub(
                    f"Database of ${{AWS::StackName}}: port {port} from {what}"
                ),
                "VpcId": ref("VpcId"),
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": port,
                        "ToPort": port,
                        "SourceSecurityGroupId": source,
                        "Description": f"{self.engine.label} from {what}",
                    },
                ],
                "Tags": tags("database"),
            },
        )
        if self.engine.tls_port and self.choice["tls"] == "enforce":
            self.note(
                f"{self.engine.label} enforces TLS by opening only its TLS port {port} in the "
                f"security group; the plain port {self.engine.port} stays closed."
            )

    @property
    def db_port(self) -> int:
        if self.engine.tls_port and self.choice["tls"] == "enforce":
            return self.engine.tls_port
        return self.engine.port

    # encryption ------------------------------------------------------------------------------

    def kms_key(self) -> None:
        self.resource(
            "DataKey",
            "AWS::KMS::Key",
            {
                "Description": sub("Encrypts the data tier of ${AWS::StackName} at rest"),
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AccountAdministersTheKey",
                            "Effect": "Allow",
                            "Principal": {
                                "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
                            },
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                },
            },
            # Snapshots and backups outlive the stack; they stay readable only with their key.
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
        self.resource(
            "DataKeyAlias",
            "AWS::KMS::Alias",
            {"AliasName": sub("alias/${AWS::StackName}-data"), "TargetKeyId": ref("DataKey")},
        )
        self.output("DataKeyArn", "The KMS key that encrypts the data tier.", att("DataKey", "Arn"))

    def encryption_properties(self) -> dict[str, Any]:
        if self.restore:
            return {}
        if not self.encrypted:
            return {"StorageEncrypted": False}
        return {"StorageEncrypted": True, "KmsKeyId": ref("DataKey")}

    # parameter groups ------------------------------------------------------------------------

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
        recommended = decision(self.snapshot, "platform").get("instance_class") or ""
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
        days = number(decision(self.snapshot, "backups").get("retention_days"), 7)
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
        storage = decision(self.snapshot, "storage")
        size = number(self.answers.get("data_size_gb"), 100)
        ceiling = number(storage.get("max_allocated_gb"), 0)
        if storage.get("choice") == "fixed" and ceiling:
            size = ceiling
        allocated = max(GP3_MINIMUM_GB, min(VOLUME_MAXIMUM_GB, size))
        if size > VOLUME_MAXIMUM_GB:
            self.note(
                f"{size:,} GB exceeds one 64 TiB volume; add the extra storage volumes "
                f"{self.engine.label} allows after creation."
            )
        body: dict[str, Any] = {"AllocatedStorage": str(allocated), "StorageType": "gp3"}
        if storage.get("choice") == "autoscaling":
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

    def rds_proxy(self) -> None:
        engine = self.engine
        target = "DatabaseCluster" if self.form in ("aurora", "cluster") else "Database"
        secret = att(target, "MasterUserSecret.SecretArn")
        iam = self.choice["authentication"] == "iam_via_proxy"
        self.resource(
            "ProxySecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": sub(
                    f"RDS Proxy of ${{AWS::StackName}}: port {engine.port} from the application"
                ),
                "VpcId": ref("VpcId"),
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": engine.port,
                        "ToPort": engine.port,
                        "SourceSecurityGroupId": ref("AppSecurityGroupId"),
                        "Description": "Application to RDS Proxy",
                    },
                ],
                "Tags": tags("proxy"),
            },
        )
        statements: list[dict[str, Any]] = [
            {
                "Sid": "ReadTheDatabaseSecret",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret,
            }
        ]
        if self.encrypted:
            statements.append(
                {
                    "Sid": "DecryptTheDatabaseSecret",
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": att("DataKey", "Arn"),
                    "Condition": {
                        "StringEquals": {
                            "kms:ViaService": sub("secretsmanager.${AWS::Region}.amazonaws.com")
                        }
                    },
                }
            )
        self.resource(
            "ProxyRole",
            "AWS::IAM::Role",
            {
                "Description": sub(
                    "Lets the RDS Proxy of ${AWS::StackName} read the database secret"
                ),
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "rds.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        },
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "database-secret",
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                    },
                ],
            },
        )
        tls = self.choice["tls"] == "enforce" or iam
        if iam and self.choice["tls"] != "enforce":
            self.note("IAM authentication at RDS Proxy needs TLS, so the proxy requires it.")
        self.resource(
            "Proxy",
            "AWS::RDS::DBProxy",
            {
                "DBProxyName": sub("${AWS::StackName}-proxy"),
                "EngineFamily": engine.proxy_family,
                "Auth": [
                    {
                        "AuthScheme": "SECRETS",
                        "SecretArn": secret,
                        "IAMAuth": "REQUIRED" if iam else "DISABLED",
                    },
                ],
                "RoleArn": att("ProxyRole", "Arn"),
                "VpcSubnetIds": ref("SubnetIds"),
                "VpcSecurityGroupIds": [ref("ProxySecurityGroup")],
                "RequireTLS": tls,
                "IdleClientTimeout": 1800,
                "Tags": [{"Key": "Name", "Value": sub("${AWS::StackName}-proxy")}],
            },
        )
        group: dict[str, Any] = {"DBProxyName": ref("Proxy"), "TargetGroupName": "default"}
        key = "DBClusterIdentifiers" if target == "DatabaseCluster" else "DBInstanceIdentifiers"
        group[key] = [ref(target)]
        group["ConnectionPoolConfigurationInfo"] = {
            "MaxConnectionsPercent": 90,
            "MaxIdleConnectionsPercent": 50,
            "ConnectionBorrowTimeout": 120,
        }
        depends = [n for n in ("DatabaseWriter",) if n in self.resources]
        extra = {"DependsOn": depends} if depends else {}
        self.resource("ProxyTargetGroup", "AWS::RDS::DBProxyTargetGroup", group, **extra)
        self.output("ProxyEndpoint", "Point the application here.", att("Proxy", "Endpoint"))

    # ElastiCache ----------------------------------------------------------------------------------

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
            replicas = max(0, min(5, number(decision(self.snapshot, "cache").get("replicas"), 0)))
            failover = replicas > 0
            body: dict[str, Any] = {
                "ReplicationGroupDescription": sub("Valkey cache of ${AWS::StackName}"),
                "Engine": "valkey",
                "EngineVersion": VALKEY_VERSION,
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
                "EngineVersion": MEMCACHED_VERSION,
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

    def long_term_backups(self) -> None:
        days = max(36, min(3650, number(self.answers.get("restore_window_days"), 365)))
        vault: dict[str, Any] = {"BackupVaultName": sub("${AWS::StackName}-long-term")}
        if self.encrypted:
            vault["EncryptionKeyArn"] = att("DataKey", "Arn")
        self.resource(
            "BackupVault",
            "AWS::Backup::BackupVault",
            vault,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
        )
        self.resource(
            "BackupPlan",
            "AWS::Backup::BackupPlan",
            {
                "BackupPlan": {
                    "BackupPlanName": sub("${AWS::StackName}-long-term"),
                    "BackupPlanRule": [
                        {
                            "RuleName": "monthly-long-term",
                            "TargetBackupVault": ref("BackupVault"),
                            "ScheduleExpression": "cron(0 5 1 * ? *)",
                            "StartWindowMinutes": 60,
                            "CompletionWindowMinutes": 720,
                            "Lifecycle": {"DeleteAfterDays": days},
                        }
                    ],
                }
            },
        )
        self.resource(
            "BackupRole",
            "AWS::IAM::Role",
            {
                "Description": sub("Lets AWS Backup snapshot the database of ${AWS::StackName}"),
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "backup.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        },
                    ],
                },
                "ManagedPolicyArns": [
                    sub(
                        "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                        "AWSBackupServiceRolePolicyForBackup"
                    ),
                    sub(
                        "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                        "AWSBackupServiceRolePolicyForRestores"
                    ),
                ],
            },
        )
        target = (
            att("DatabaseCluster", "DBClusterArn")
            if "DatabaseCluster" in self.resources
            else att("Database", "DBInstanceArn")
        )
        self.resource(
            "BackupSelection",
            "AWS::Backup::BackupSelection",
            {
                "BackupPlanId": ref("BackupPlan"),
                "BackupSelection": {
                    "SelectionName": "database",
                    "IamRoleArn": att("BackupRole", "Arn"),
                    "Resources": [target],
                },
            },
        )
        self.note(
            f"Automated backups keep {self.retention} days of point-in-time restore; AWS Backup "
            f"adds a monthly snapshot kept {days} days to reach the restore window."
        )

    # disaster recovery ---------------------------------------------------------------------------

    def disaster_recovery(self) -> None:
        choice = self.choice["disaster_recovery"]
        label = decision(self.snapshot, "disaster_recovery").get("label") or choice
        parts: list[str] = []
        if choice == "backup_restore":
            parts.append(
                "copy automated backups or snapshots to the recovery Region (cross-Region "
                "automated backup replication, or an AWS Backup copy rule to a vault there)"
            )
        elif choice == "pilot_light":
            parts.append(
                "create a cross-Region read replica whose source is this stack's DatabaseArn "
                "output, and rehearse promoting it"
            )
        elif choice == "aurora_global_database":
            self.resource(
                "GlobalCluster",
                "AWS::RDS::GlobalCluster",
                {
                    "GlobalClusterIdentifier": sub("${AWS::StackName}-global"),
                    "SourceDBClusterIdentifier": att("DatabaseCluster", "DBClusterArn"),
                    "DeletionProtection": True,
                },
            )
            self.output(
                "GlobalClusterIdentifier",
                "Aurora Global Database to join from the recovery Region.",
                ref("GlobalCluster"),
            )
            parts.append(
                "add a secondary cluster that joins this stack's GlobalClusterIdentifier output"
            )
        if self.answers.get("cross_region_reads") and choice != "aurora_global_database":
            parts.append("create the read replica that serves the other Region's users")
        if not parts:
            return
        if self.encrypted:
            parts.append("use a KMS key of that Region, since a key never leaves its Region")
        subjects = []
        if choice and choice != "none":
            subjects.append(f"disaster recovery ({label})")
        if self.answers.get("cross_region_reads"):
            subjects.append("reads in another Region")
        subject = " and ".join(subjects)
        verb = "needs" if subjects[-1].startswith("disaster") else "need"
        text = one_line(
            f"{subject[0].upper()}{subject[1:]} {verb} resources in another Region, which one "
            "CloudFormation stack cannot hold. In a stack of their own in that Region: "
            + "; ".join(parts)
            + ".",
            900,
        )
        self.note(text)
        self.output("OtherRegion", "What belongs in another Region, outside this template.", text)

    # assembly ------------------------------------------------------------------------------------

    def assemble(self) -> dict[str, Any]:
        rec = self.rec
        summary = one_line(self.snapshot.get("title") or rec.get("summary") or "", 600)
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
                    "RulesetVersion": str(
                        self.snapshot.get("ruleset_version") or rec.get("ruleset_version") or ""
                    ),
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


def not_generated_reason(snapshot: dict[str, Any]) -> str | None:
    """Why no template is generated for this recommendation, or None when one is."""
    platform = decision(snapshot, "platform")
    if platform.get("choice") == "ec2":
        return NOT_GENERATED_REASON
    if platform.get("choice") == "rds_custom":
        return RDS_CUSTOM_REASON
    engine = platform.get("engine") or answers_of(snapshot).get("engine")
    if engine not in RDS_ENGINES:
        what = (
            f"{one_line(engine, 60)!r} is not an engine Amazon RDS runs"
            if engine
            else ("the stored recommendation names no database engine")
        )
        return f"No CloudFormation template is generated: {what}."
    return None


def build(snapshot: dict[str, Any], url: str) -> dict[str, Any] | None:
    """The template as data, or None where no template is generated."""
    if not_generated_reason(snapshot):
        return None
    return Builder(snapshot, url).build()


class _Dumper(yaml.SafeDumper):
    """Plain block YAML: CloudFormation rejects YAML aliases, so repeated values are written out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def render(snapshot: dict[str, Any], url: str) -> str | None:
    """The template as YAML with a header comment, or None (see `not_generated_reason`)."""
    data = build(snapshot, url)
    if data is None:
        return None
    rec = recommendation_of(snapshot)
    title = one_line(snapshot.get("title") or rec.get("summary") or "Archwise recommendation", 200)
    notes = data["Metadata"]["Archwise"]["Notes"]
    header = [
        f"# {title}",
        "# CloudFormation template generated by Archwise from a stored recommendation.",
        f"# Decision record: {one_line(url, 300)}",
        f"# Ruleset version: {one_line(data['Metadata']['Archwise']['RulesetVersion'])}",
        "# Review it before you deploy: fill in the Parameters; no secret is in this file, RDS "
        "keeps the master password in Secrets Manager.",
    ]
    if notes:
        header.append("# Notes:")
        header += [f"#   - {note}" for note in notes]
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
    )
    return "\n".join(header) + "\n" + body
