"""The database engines a template can create, in each deployment form, at pinned versions."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from advisor.engine.versions import Pins

RDS_ENGINES = ("postgresql", "mysql", "mariadb", "oracle", "sqlserver", "db2")
FORCE_SSL = ("rds.force_ssl", "1")
MYSQL_TLS = ("require_secure_transport", "ON")
TLS_OFF = {"1": "0", "ON": "OFF"}


@dataclass(frozen=True)
class EngineSpec:
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


def _postgresql(pins: Pins, name: str, label: str, logs: tuple[str, ...]) -> EngineSpec:
    release = pins.database[name]
    return EngineSpec(
        name,
        label,
        release.version,
        release.family,
        5432,
        logs,
        proxy_family="POSTGRESQL",
        tls_parameter=FORCE_SSL,
    )


def _mysql(pins: Pins, name: str, label: str) -> EngineSpec:
    release = pins.database[name]
    return EngineSpec(
        name,
        label,
        release.version,
        release.family,
        3306,
        ("error", "slowquery"),
        ("audit",),
        proxy_family="MYSQL",
        tls_parameter=MYSQL_TLS,
    )


def open_source(pins: Pins, form: str) -> dict[str, EngineSpec]:
    """The open-source engines of a deployment form: instance, cluster (a Multi-AZ DB cluster)
    or aurora."""
    if form == "aurora":
        return {
            "postgresql": _postgresql(
                pins, "aurora-postgresql", "Aurora PostgreSQL", ("postgresql",)
            ),
            "mysql": _mysql(pins, "aurora-mysql", "Aurora MySQL"),
        }
    instance = {
        "postgresql": _postgresql(
            pins, "postgres", "RDS for PostgreSQL", ("postgresql", "upgrade")
        ),
        "mysql": _mysql(pins, "mysql", "RDS for MySQL"),
        "mariadb": _mysql(pins, "mariadb", "RDS for MariaDB"),
    }
    if form == "cluster":
        # A Multi-AZ DB cluster runs PostgreSQL and MySQL; MySQL clusters take no option group,
        # so their audit trail is the general log.
        return {
            "postgresql": instance["postgresql"],
            "mysql": replace(instance["mysql"], audit_logs=("general",)),
        }
    return instance


def commercial_engine(
    engine: str, answers: dict[str, Any], replicas: int, pins: Pins
) -> EngineSpec:
    """Oracle, SQL Server and Db2 pick their edition and licence from the answers."""
    own_licence = answers.get("license_model") == "bring_your_own"
    if engine == "oracle":
        # Standard Edition 2 is the only Oracle edition sold licence-included on RDS.
        edition = "ee" if own_licence else "se2"
        release = pins.database["oracle"]
        return EngineSpec(
            f"oracle-{edition}-cdb",
            f"RDS for Oracle ({edition.upper()})",
            release.version,
            f"oracle-{edition}-cdb-{release.family}",
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
        release = pins.database["sqlserver"]
        return EngineSpec(
            f"sqlserver-{edition}",
            f"RDS for SQL Server ({edition.upper()})",
            release.version,
            f"sqlserver-{edition}-{release.family}",
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
    release = pins.database["db2"]
    return EngineSpec(
        "db2-se",
        "RDS for Db2 (Standard Edition)",
        release.version,
        f"db2-se-{release.family}",
        50000,
        ("diag.log",),
        ("notify.log",),
        license="bring-your-own-license" if own_licence else "marketplace-license",
        db_name=False,
        graviton=False,
        tls_port=50443,
    )


def adapt_class(recommended: str, engine: EngineSpec, form: str) -> str:
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
