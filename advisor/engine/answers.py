"""The answers contract (v1): one definition serves forms, API, CLI, rules and JSON Schema."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .cost import class_names, intel_families, region_names

REQUIRED = object()

STEPS = (
    ("workload", "Workload"),
    ("availability", "Availability"),
    ("budget", "Budget and team"),
    ("security", "Security"),
    ("connections", "Connections and caching"),
)

COMMERCIAL_ENGINES = ("oracle", "sqlserver", "db2")
# The class families (from the price table) RDS runs the commercial engines on.
INTEL_FAMILIES = tuple(f"db.{family}." for family in intel_families())
INTEL_WORDS = ", ".join(f"db.{family}" for family in intel_families())


@dataclass(frozen=True)
class Field:
    """One question: its type, allowed values, default and the words a person reads."""

    name: str
    kind: str  # "choice", "bool", "int", "list"
    label: str
    help: str
    step: str
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    nullable: bool = False
    # Ask this question only when another answer holds one of these values.
    ask_when: tuple[str, tuple[Any, ...]] | None = None
    glossary: tuple[str, ...] = field(default=())

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    @property
    def default_value(self) -> Any:
        """The default as the engine weighs it when the question does not apply."""
        return list(self.default) if self.kind == "list" else self.default

    def choice_label(self, value: Any) -> str:
        return dict(self.choices).get(value, str(value))

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether the wizard should ask this question, given the other answers."""
        if self.ask_when is None:
            return True
        other, values = self.ask_when
        current = answers.get(other)
        if isinstance(current, list):
            return any(item in values for item in current)
        return current in values

    def check(self, value: Any) -> tuple[Any, str | None]:
        """Return the normalised value and an error message (None when the value is valid)."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return value, None
            return None, "must be true or false."
        if self.kind == "int":
            if value is None and self.nullable:
                return None, None
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                extra = " or null" if self.nullable else ""
                return None, f"must be a whole number{extra}."
            if not self.minimum <= value <= self.maximum:
                return None, f"must be between {self.minimum:,} and {self.maximum:,}."
            return value, None
        if self.kind == "choice":
            if value is None and self.nullable:
                return None, None
            if isinstance(value, str) and value in self.values:
                return value, None
            if len(self.values) > 12:
                return None, f"{value!r} is not one of the {len(self.values)} known values."
            return None, f"must be one of: {', '.join(self.values)}."
        if self.kind == "list":
            if not isinstance(value, list | tuple):
                return None, f"must be a list of: {', '.join(self.values)}."
            unknown = [
                item for item in value if not isinstance(item, str) or item not in self.values
            ]
            if unknown:
                return None, f"has unknown values ({', '.join(map(repr, unknown))}); allowed: " + (
                    ", ".join(self.values)
                )
            # Keep the declared order and drop repeats, so equal answers compare equal.
            return [item for item in self.values if item in value], None
        raise AssertionError(f"unknown field kind {self.kind}")

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"title": self.label, "description": self.help}
        if self.kind == "bool":
            schema["type"] = "boolean"
        elif self.kind == "int":
            schema["type"] = ["integer", "null"] if self.nullable else "integer"
            schema["minimum"] = self.minimum
            schema["maximum"] = self.maximum
        elif self.kind == "choice":
            schema["type"] = ["string", "null"] if self.nullable else "string"
            schema["enum"] = [*self.values, *([None] if self.nullable else [])]
        elif self.kind == "list":
            schema["type"] = "array"
            schema["items"] = {"type": "string", "enum": list(self.values)}
            schema["uniqueItems"] = True
        if not self.required:
            schema["default"] = list(self.default) if self.kind == "list" else self.default
        return schema


def _choices(*pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple(zip(pairs[::2], pairs[1::2], strict=True))


FIELDS: tuple[Field, ...] = (
    # Workload
    Field(
        "engine",
        "choice",
        "Database engine",
        "The engine your application speaks today, or the one you plan to use.",
        "workload",
        default=REQUIRED,
        choices=_choices(
            "postgresql",
            "PostgreSQL",
            "mysql",
            "MySQL",
            "mariadb",
            "MariaDB",
            "oracle",
            "Oracle",
            "sqlserver",
            "SQL Server",
            "db2",
            "IBM Db2",
            "other",
            "Another engine (e.g. MongoDB, Cassandra, a fork)",
        ),
    ),
    Field(
        "engine_version_available",
        "bool",
        "Does RDS offer the engine version you need?",
        "Check the engine's supported versions on RDS. Answer no if you need a version RDS has "
        "retired or does not offer yet.",
        "workload",
        default=True,
    ),
    Field(
        "needs_os_access",
        "bool",
        "Do you need access to the operating system?",
        "SSH or shell on the database host, host-level agents, or control over OS patching. "
        "Plain RDS never gives this.",
        "workload",
        default=False,
    ),
    Field(
        "needs_unsupported_features",
        "bool",
        "Do you need features RDS restricts?",
        "For example SQL Server FILESTREAM, Oracle Database Vault, SYSDBA, or PostgreSQL "
        "extensions outside RDS's supported list.",
        "workload",
        default=False,
    ),
    Field(
        "license_model",
        "choice",
        "Licence",
        "License included: the hourly price covers the licence. Bring your own: you already own "
        "licences you can use on AWS.",
        "workload",
        default="license_included",
        choices=_choices(
            "license_included", "License included", "bring_your_own", "Bring your own"
        ),
        ask_when=("engine", COMMERCIAL_ENGINES),
    ),
    Field(
        "data_size_gb",
        "int",
        "Data size today (GB)",
        "Roughly how much data the database holds now, in gigabytes.",
        "workload",
        default=100,
        minimum=1,
        maximum=1_000_000,
    ),
    Field(
        "growth",
        "choice",
        "How does the data grow?",
        "Flat: about the same size next year. Steady: grows at a predictable pace. Fast or "
        "unpredictable: may double at short notice.",
        "workload",
        default="steady",
        choices=_choices(
            "flat", "Flat", "steady", "Steady", "fast_unpredictable", "Fast or unpredictable"
        ),
    ),
    Field(
        "read_write",
        "choice",
        "Reads or writes?",
        "Which dominates the load: mostly writes, a mix, or mostly reads.",
        "workload",
        default="balanced",
        choices=_choices(
            "write_heavy", "Mostly writes", "balanced", "Balanced", "read_heavy", "Mostly reads"
        ),
    ),
    Field(
        "read_replicas",
        "int",
        "Extra read copies you expect to need",
        "A read replica is a read-only copy of the database, kept up to date asynchronously, "
        "that takes read queries off the primary. 0 if one database copy serves all reads.",
        "workload",
        default=0,
        minimum=0,
        maximum=40,
        glossary=("read-replica",),
    ),
    Field(
        "traffic_pattern",
        "choice",
        "Traffic pattern",
        "Steady: similar load all day. Spiky: sudden peaks several times the usual load. "
        "Intermittent: idle for long stretches (nights, weekends, test environments).",
        "workload",
        default="steady",
        choices=_choices("steady", "Steady", "spiky", "Spiky", "intermittent", "Intermittent"),
    ),
    Field(
        "aurora_acceptable",
        "bool",
        "Is an AWS-proprietary engine (Aurora) acceptable?",
        "Aurora is MySQL- and PostgreSQL-compatible but runs only on AWS. Answer no if you must be "
        "able to leave AWS without a migration.",
        "workload",
        default=True,
        ask_when=("engine", ("mysql", "postgresql")),
    ),
    # Availability
    Field(
        "environment",
        "choice",
        "Environment",
        "Production serves real users; non-production is development, test or staging.",
        "availability",
        default="production",
        choices=_choices("production", "Production", "non_production", "Non-production"),
    ),
    Field(
        "rto",
        "choice",
        "Recovery time after a database failure (RTO)",
        "RTO, the recovery time objective: how long the database may be unavailable when its "
        "server or Availability Zone fails.",
        "availability",
        default="minutes",
        choices=_choices(
            "hours",
            "Hours: a restore or new instance is fine",
            "minutes",
            "Minutes: automatic failover in 1-2 minutes",
            "seconds",
            "Seconds: failover well under a minute",
        ),
        glossary=("rto", "failover", "az"),
    ),
    Field(
        "rpo",
        "choice",
        "Data you can afford to lose (RPO)",
        "RPO, the recovery point objective: how much recent data may be lost in a failure. "
        "Zero means every committed write must survive.",
        "availability",
        default="minutes",
        choices=_choices("hours", "Hours", "minutes", "Minutes", "zero", "None at all"),
        glossary=("rpo",),
    ),
    Field(
        "region_dr",
        "choice",
        "Recovery after a whole Region fails",
        "How fast the data tier must be back if an entire AWS Region becomes unavailable.",
        "availability",
        default="none",
        choices=_choices(
            "none",
            "Not needed",
            "hours",
            "Within hours",
            "minutes",
            "Within minutes",
            "seconds",
            "Within seconds to a minute",
        ),
        glossary=("region",),
    ),
    Field(
        "cross_region_reads",
        "bool",
        "Do users in another Region need low-latency reads?",
        "A copy of the data in a second Region close to those users.",
        "availability",
        default=False,
    ),
    Field(
        "restore_window_days",
        "int",
        "How far back must data be restorable (days)?",
        "Automated backups keep at most 35 days; longer needs long-term snapshots.",
        "availability",
        default=7,
        minimum=0,
        maximum=3650,
    ),
    # Budget and team
    Field(
        "monthly_budget_usd",
        "int",
        "Monthly budget for the data tier (USD)",
        "Leave empty if there is no fixed budget.",
        "budget",
        default=None,
        minimum=0,
        maximum=10_000_000,
        nullable=True,
    ),
    Field(
        "cost_priority",
        "choice",
        "What matters more?",
        "Lowest cost: accept less headroom. Performance: pay for speed and headroom.",
        "budget",
        default="balanced",
        choices=_choices(
            "lowest_cost", "Lowest cost", "balanced", "Balanced", "performance", "Performance"
        ),
    ),
    Field(
        "ops_capacity",
        "choice",
        "Your team's capacity to run databases itself",
        "None: nobody to patch, back up or fail over a database. Some: engineers who can. "
        "DBA team: database specialists on staff.",
        "budget",
        default="some",
        choices=_choices("none", "None", "some", "Some", "dba_team", "A DBA team"),
    ),
    # Sizing and pricing: optional; left empty, the engine sizes the design and says how.
    Field(
        "region",
        "choice",
        "AWS Region",
        "Where the database runs. Prices differ by Region: Europe (Ireland) is about 10% above "
        "US East, Asia Pacific (Singapore) about 20%.",
        "budget",
        default="us-east-1",
        choices=region_names(),
    ),
    Field(
        "pricing",
        "choice",
        "How will you pay for instances?",
        "Reserved instances trade a 1- or 3-year commitment for a lower hourly price. RDS sells "
        "reservations without an upfront payment for 1 year only; the 3-year price assumes a "
        "partial upfront payment.",
        "budget",
        default="on_demand",
        choices=_choices(
            "on_demand",
            "On-demand, no commitment",
            "reserved_1yr",
            "Reserved for 1 year, no upfront",
            "reserved_3yr",
            "Reserved for 3 years, partial upfront",
        ),
    ),
    Field(
        "working_set_gb",
        "int",
        "Hot data that should fit in memory (GB)",
        "The data your busiest queries touch: indexes and recent rows. Leave it empty and the "
        "estimate assumes a share of the data size, shown on the recommendation.",
        "budget",
        default=None,
        minimum=1,
        maximum=100_000,
        nullable=True,
    ),
    Field(
        "peak_vcpu",
        "int",
        "vCPUs needed at peak",
        "From today's database if you know it (CPU use at peak times its vCPUs). Leave it empty "
        "to size on memory alone.",
        "budget",
        default=None,
        minimum=1,
        maximum=192,
        nullable=True,
    ),
    Field(
        "instance_class",
        "choice",
        "Instance class",
        "Leave it to the engine to pick the cheapest class with memory for the hot data, or "
        "name the class you want to price. Oracle, SQL Server and Db2 run on Intel classes "
        f"({INTEL_WORDS}).",
        "budget",
        default=None,
        choices=tuple((name, name) for name in class_names()),
        nullable=True,
    ),
    # Security
    Field(
        "encryption_at_rest",
        "bool",
        "Encrypt data at rest?",
        "Encryption with an AWS KMS key covers the storage, backups, snapshots and replicas.",
        "security",
        default=True,
        glossary=("kms",),
    ),
    Field(
        "existing_database",
        "choice",
        "Is there an existing RDS database?",
        "If the database already runs on RDS, say whether it is encrypted: encryption cannot be "
        "switched on in place.",
        "security",
        default="none",
        choices=_choices(
            "none",
            "No, this is new",
            "rds_unencrypted",
            "Yes, unencrypted",
            "rds_encrypted",
            "Yes, encrypted",
        ),
    ),
    Field(
        "tls_required",
        "bool",
        "Require TLS for every connection?",
        "Encrypt data in transit between the application and the database.",
        "security",
        default=True,
    ),
    Field(
        "iam_auth",
        "bool",
        "Authenticate with IAM instead of database passwords?",
        "Applications get short-lived tokens from their IAM role instead of stored passwords.",
        "security",
        default=False,
    ),
    Field(
        "audit_logging",
        "bool",
        "Keep audit logs?",
        "Record who ran what against the database, for compliance or investigations.",
        "security",
        default=False,
    ),
    # Connections and caching
    Field(
        "client_type",
        "choice",
        "What connects to the database?",
        "Long-lived application servers, a fleet of containers, or serverless functions such as "
        "AWS Lambda that open many short connections.",
        "connections",
        default="app_servers",
        choices=_choices(
            "app_servers",
            "Application servers",
            "containers",
            "Containers",
            "serverless_functions",
            "Serverless functions",
        ),
    ),
    Field(
        "new_connections_per_second",
        "int",
        "New connections per second at peak",
        "How many new database connections open each second at the busiest moment.",
        "connections",
        default=10,
        minimum=0,
        maximum=1_000_000,
    ),
    Field(
        "connection_storms",
        "bool",
        "Do connection surges hurt today?",
        "For example a reconnect storm after a failover or a deploy exhausts the database's "
        "connections.",
        "connections",
        default=False,
    ),
    Field(
        "cache_uses",
        "list",
        "What would a cache hold?",
        "Pick every use that applies; none if no cache is wanted.",
        "connections",
        default=(),
        choices=_choices(
            "query_results",
            "Query results and computed objects",
            "session_store",
            "User sessions",
            "leaderboards",
            "Leaderboards or rankings (sorted sets)",
            "pub_sub",
            "Publish/subscribe messaging",
            "persistent_data",
            "Data that must persist in the cache",
        ),
    ),
    Field(
        "cache_must_survive_node_failure",
        "bool",
        "Must the cache survive a node failure?",
        "Yes if losing the cached data on a node failure would hurt users (e.g. logged out).",
        "connections",
        default=False,
        ask_when=(
            "cache_uses",
            ("query_results", "session_store", "leaderboards", "pub_sub", "persistent_data"),
        ),
    ),
    Field(
        "cache_multithreaded_large_nodes",
        "bool",
        "Do you want large multi-threaded cache nodes?",
        "Large nodes using many cores for a plain key-value object cache.",
        "connections",
        default=False,
        ask_when=(
            "cache_uses",
            ("query_results", "session_store", "leaderboards", "pub_sub", "persistent_data"),
        ),
    ),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

Answers = dict[str, Any]


class AnswersError(ValueError):
    """Invalid answers, with one plain message per bad field."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def defaults() -> Answers:
    """The default for every field that has one (engine is required, so it is absent)."""
    return {
        f.name: list(f.default) if f.kind == "list" else f.default for f in FIELDS if not f.required
    }


def normalise(data: Any, *, allow: frozenset[str] = frozenset()) -> Answers:
    """Validate raw answers (e.g. parsed JSON) and fill in defaults; raise AnswersError."""
    if not isinstance(data, Mapping):
        raise AnswersError({"__all__": "Answers must be a JSON object of field names to values."})
    errors: dict[str, str] = {}
    answers: Answers = {}
    for key in data:
        if key not in FIELDS_BY_NAME and key not in allow:
            errors[str(key)] = "is not a known question."
    for f in FIELDS:
        if f.name not in data:
            if f.required:
                errors[f.name] = "is required."
            else:
                answers[f.name] = list(f.default) if f.kind == "list" else f.default
            continue
        value, error = f.check(data[f.name])
        if error:
            errors[f.name] = error
        else:
            answers[f.name] = value
    for name, error in conflicts(answers).items():
        errors.setdefault(name, error)
    if errors:
        raise AnswersError(errors)
    return answers


def conflicts(answers: Mapping[str, Any]) -> dict[str, str]:
    """Answers that are each valid but cannot go together, by the field to change."""
    klass = answers.get("instance_class")
    if (
        klass
        and answers.get("engine") in COMMERCIAL_ENGINES
        and not klass.startswith(INTEL_FAMILIES)
    ):
        return {
            "instance_class": f"{klass} is a Graviton class; RDS runs Oracle, SQL Server and Db2 "
            f"on Intel classes ({INTEL_WORDS})."
        }
    return {}


def applicable(answers: Answers) -> Answers:
    """The answers as the engine weighs them: a question that does not apply keeps its default."""
    return {
        f.name: answers[f.name] if f.applies(answers) else f.default_value
        for f in FIELDS
        if f.name in answers
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the answers."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://archwise.dev/schema/answers/v1",
        "title": "Archwise answers (version 1)",
        "type": "object",
        "properties": {f.name: f.json_schema() for f in FIELDS},
        "required": [f.name for f in FIELDS if f.required],
        "additionalProperties": False,
    }
