import random
import re
from functools import cache

import pytest
import yaml

from advisor.engine import CONCERNS, recommend
from advisor.outputs import cloudformation

URL = "https://archwise.example/r/Ab3dEf6hIj9lMn0p/"

# Answer sets chosen to reach every path of the template: each platform, deployment and option.
EXPLICIT = [
    {"engine": "postgresql"},
    {
        "engine": "postgresql",
        "environment": "non_production",
        "rto": "hours",
        "encryption_at_rest": False,
        "tls_required": False,
    },
    {"engine": "mysql", "iam_auth": True},
    {"engine": "mysql", "client_type": "serverless_functions", "iam_auth": True},
    {"engine": "postgresql", "rto": "seconds", "aurora_acceptable": False},
    {
        "engine": "mysql",
        "rto": "seconds",
        "aurora_acceptable": False,
        "read_replicas": 4,
        "audit_logging": True,
        "iam_auth": True,
    },
    {
        "engine": "postgresql",
        "cost_priority": "performance",
        "read_replicas": 3,
        "region_dr": "seconds",
        "audit_logging": True,
    },
    {
        "engine": "mysql",
        "traffic_pattern": "spiky",
        "client_type": "containers",
        "audit_logging": True,
    },
    {"engine": "postgresql", "traffic_pattern": "intermittent", "environment": "non_production"},
    {
        "engine": "mariadb",
        "read_replicas": 2,
        "cache_uses": ["query_results"],
        "cache_multithreaded_large_nodes": True,
        "audit_logging": True,
    },
    {
        "engine": "oracle",
        "license_model": "bring_your_own",
        "read_replicas": 2,
        "region_dr": "minutes",
        "audit_logging": True,
    },
    {"engine": "oracle", "read_replicas": 2},
    {"engine": "sqlserver", "read_replicas": 2, "client_type": "containers", "audit_logging": True},
    {"engine": "sqlserver", "environment": "non_production", "rto": "hours", "read_replicas": 1},
    {
        "engine": "db2",
        "license_model": "bring_your_own",
        "read_replicas": 2,
        "restore_window_days": 400,
    },
    {"engine": "db2", "region_dr": "hours", "audit_logging": True},
    {"engine": "postgresql", "existing_database": "rds_unencrypted"},
    {"engine": "mysql", "existing_database": "rds_unencrypted", "cost_priority": "performance"},
    {
        "engine": "postgresql",
        "existing_database": "rds_unencrypted",
        "rto": "seconds",
        "aurora_acceptable": False,
    },
    {
        "engine": "postgresql",
        "growth": "flat",
        "cache_uses": ["session_store"],
        "connection_storms": True,
    },
    {
        "engine": "postgresql",
        "cache_uses": ["persistent_data"],
        "restore_window_days": 3650,
        "data_size_gb": 50000,
    },
    {"engine": "oracle", "license_model": "bring_your_own", "data_size_gb": 100000},
    {"engine": "postgresql", "cross_region_reads": True, "read_replicas": 1},
    {"engine": "mysql", "cross_region_reads": True, "cost_priority": "performance"},
    {
        "engine": "mysql",
        "cost_priority": "lowest_cost",
        "client_type": "containers",
        "iam_auth": True,
        "new_connections_per_second": 500,
    },
]

VARIED = {
    "engine": [
        "postgresql",
        "postgresql",
        "mysql",
        "mysql",
        "mariadb",
        "oracle",
        "sqlserver",
        "db2",
    ],
    "license_model": ["license_included", "bring_your_own"],
    "traffic_pattern": ["steady", "steady", "spiky", "intermittent"],
    "cost_priority": ["balanced", "lowest_cost", "performance"],
    "aurora_acceptable": [True, True, False],
    "read_replicas": [0, 0, 1, 2, 3, 6],
    "cross_region_reads": [False, False, True],
    "region_dr": ["none", "hours", "minutes", "seconds"],
    "client_type": ["app_servers", "serverless_functions", "containers"],
    "connection_storms": [False, True],
    "iam_auth": [False, True],
    "new_connections_per_second": [10, 10, 300],
    "cache_uses": [
        [],
        [],
        ["query_results"],
        ["session_store"],
        ["leaderboards", "pub_sub"],
        ["persistent_data"],
    ],
    "cache_multithreaded_large_nodes": [False, True],
    "cache_must_survive_node_failure": [False, False, True],
    "encryption_at_rest": [True, True, False],
    "existing_database": ["none", "none", "rds_unencrypted", "rds_encrypted"],
    "tls_required": [True, True, False],
    "audit_logging": [False, True],
    "growth": ["steady", "flat", "fast_unpredictable"],
    "restore_window_days": [7, 0, 30, 400],
    "rto": ["minutes", "hours", "seconds"],
    "rpo": ["minutes", "hours", "zero"],
    "environment": ["production", "production", "non_production"],
    "data_size_gb": [100, 20, 800, 3000, 50000],
}
TEMPLATES_TO_LINT = 64
HOSTILE_TITLE = 'Orders: "v2" #1 {{x}} !Ref AWS::NoValue\n---\nResources: {}\r\n- [*a]'


@cache
def recommendation(index):
    return recommend(ANSWER_SETS[index], explore=False)


def snapshot_of(rec, title=""):
    return {
        "slug": "Ab3dEf6hIj9lMn0p",
        "title": title,
        "created": "2026-11-28T09:30:00+00:00",
        "ruleset_version": rec["ruleset_version"],
        "parent": None,
        "answers": rec["answers"],
        "recommendation": rec,
    }


def generates_template(answers):
    return recommend(answers, explore=False)["decisions"]["platform"]["choice"] not in (
        "ec2",
        "rds_custom",
    )


def answer_sets():
    """The explicit sets, then seeded random ones, until enough templates are distinct."""
    rng = random.Random(20261128)
    chosen = [answers for answers in EXPLICIT if generates_template(answers)]
    seen = {repr(sorted(a.items())) for a in chosen}
    while len(chosen) < TEMPLATES_TO_LINT:
        answers = {key: rng.choice(values) for key, values in VARIED.items()}
        key = repr(sorted(answers.items()))
        if key not in seen and generates_template(answers):
            seen.add(key)
            chosen.append(answers)
    return chosen


ANSWER_SETS = answer_sets()
# What only a self-managed database (EC2) can be given; no template covers those.
EC2_ONLY = {
    "platform": {"ec2", "rds_custom"},
    "availability": {"self_managed"},
    "storage": {"self_managed_ebs"},
    "backups": {"self_managed"},
}


@pytest.fixture(scope="session")
def linter():
    """One cfn-lint runner (rules loaded once) for every template of the session."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    # Informational checks are included: the templates must be free of those as well.
    return Runner(ConfigMixIn(regions=["us-east-1"], include_checks=["I"]))


def lint(linter, text):
    from cfnlint.decode.decode import decode_str

    template, errors = decode_str(text)
    if errors:
        return [f"{m.rule.id} {m.message}" for m in errors]
    return [
        f"{m.rule.id} {m.message} at {'/'.join(map(str, m.path))}"
        for m in linter.validate_template(template)
    ]


def test_the_answer_sets_cover_every_choice_a_template_can_express():
    assert len(ANSWER_SETS) >= 60
    assert len({repr(sorted(a.items())) for a in ANSWER_SETS}) == len(ANSWER_SETS)
    seen = {concern.name: set() for concern in CONCERNS}
    for index in range(len(ANSWER_SETS)):
        for name, decision in recommendation(index)["decisions"].items():
            seen[name].add(decision["choice"])
    for concern in CONCERNS:
        expected = set(concern.values) - EC2_ONLY.get(concern.name, set())
        assert seen[concern.name] == expected, concern.name


@pytest.mark.parametrize(
    "index", range(TEMPLATES_TO_LINT), ids=lambda i: f"{i:02d}-{ANSWER_SETS[i]['engine']}"
)
def test_the_template_passes_cfn_lint_with_no_finding_at_all(linter, index):
    title = HOSTILE_TITLE if index % 5 == 0 else ""
    text = cloudformation.render(snapshot_of(recommendation(index), title), URL)
    assert text is not None
    assert lint(linter, text) == []


def render(answers, title=""):
    rec = recommend(answers, explore=False)
    return cloudformation.render(snapshot_of(rec, title), URL)


def template(answers):
    return yaml.safe_load(render(answers))


def of_type(tpl, kind):
    return {name: r for name, r in tpl["Resources"].items() if r["Type"] == kind}


@pytest.mark.parametrize("index", range(0, TEMPLATES_TO_LINT, 4))
def test_no_template_holds_a_secret(index):
    text = cloudformation.render(snapshot_of(recommendation(index)), URL)
    tpl = yaml.safe_load(text)
    assert not re.search(r"\bMasterUserPassword\b|AuthToken|NoEcho", text)
    assert not [name for name in tpl["Parameters"] if "password" in name.lower()]
    databases = of_type(tpl, "AWS::RDS::DBCluster") or {
        name: r
        for name, r in of_type(tpl, "AWS::RDS::DBInstance").items()
        if "SourceDBInstanceIdentifier" not in r["Properties"]
        and "SourceDBClusterIdentifier" not in r["Properties"]
        and "DBClusterIdentifier" not in r["Properties"]
    }
    assert len(databases) == 1
    assert next(iter(databases.values()))["Properties"]["ManageMasterUserPassword"] is True


def test_the_header_names_the_recommendation_and_links_back():
    text = render({"engine": "postgresql"}, title="Orders\nAPI")
    lines = text.splitlines()
    assert lines[0] == "# Orders API"
    assert f"# Decision record: {URL}" in lines
    tpl = yaml.safe_load(text)
    assert tpl["AWSTemplateFormatVersion"] == "2010-09-09"
    assert tpl["Outputs"]["DecisionRecord"]["Value"] == URL
    assert tpl["Metadata"]["Archwise"]["DecisionRecord"] == URL


def test_ec2_gives_the_plain_reason_and_no_template():
    rec = recommend({"engine": "other"}, explore=False)
    assert rec["decisions"]["platform"]["choice"] == "ec2"
    assert cloudformation.render(snapshot_of(rec), URL) is None
    reason = cloudformation.not_generated_reason(snapshot_of(rec))
    assert reason == cloudformation.NOT_GENERATED_REASON
    assert "self-managed" in reason
    assert "no managed AWS resource" in reason


def test_rds_custom_gives_its_own_plain_reason():
    rec = recommend({"engine": "sqlserver", "needs_os_access": True}, explore=False)
    assert rec["decisions"]["platform"]["choice"] == "rds_custom"
    assert cloudformation.render(snapshot_of(rec), URL) is None
    assert cloudformation.not_generated_reason(snapshot_of(rec)) == cloudformation.RDS_CUSTOM_REASON


@pytest.mark.parametrize(
    ("answers", "family", "setting"),
    [
        ({"engine": "postgresql"}, "postgres17", {"rds.force_ssl": "1"}),
        ({"engine": "mysql"}, "mysql8.4", {"require_secure_transport": "ON"}),
        ({"engine": "mariadb"}, "mariadb11.4", {"require_secure_transport": "ON"}),
        ({"engine": "sqlserver"}, "sqlserver-se-16.0", {"rds.force_ssl": "1"}),
        ({"engine": "postgresql", "tls_required": False}, "postgres17", {"rds.force_ssl": "0"}),
        (
            {"engine": "mysql", "cost_priority": "performance"},
            "aurora-mysql8.0",
            {"require_secure_transport": "ON"},
        ),
        (
            {"engine": "postgresql", "rto": "seconds", "aurora_acceptable": False},
            "postgres17",
            {"rds.force_ssl": "1"},
        ),
    ],
)
def test_tls_is_enforced_in_the_parameter_group_of_each_engine(answers, family, setting):
    tpl = template(answers)
    group = tpl["Resources"]["DatabaseParameterGroup"]["Properties"]
    assert group["Family"] == family
    assert setting.items() <= group["Parameters"].items()


def test_oracle_enforces_tls_through_its_ssl_option_and_port():
    tpl = template({"engine": "oracle", "license_model": "bring_your_own"})
    options = tpl["Resources"]["DatabaseOptionGroup"]["Properties"]["OptionConfigurations"]
    assert options[0]["OptionName"] == "SSL"
    assert options[0]["Port"] == 2484
    ingress = tpl["Resources"]["DatabaseSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(rule["FromPort"], rule["ToPort"]) for rule in ingress] == [(2484, 2484)]
    assert tpl["Resources"]["Database"]["Properties"]["Engine"] == "oracle-ee-cdb"


def test_the_instance_follows_the_decisions():
    rec = recommend(
        {
            "engine": "postgresql",
            "read_replicas": 2,
            "restore_window_days": 14,
            "audit_logging": True,
            "iam_auth": True,
        },
        explore=False,
    )
    tpl = yaml.safe_load(cloudformation.render(snapshot_of(rec), URL))
    db = tpl["Resources"]["Database"]
    props = db["Properties"]
    decisions = rec["decisions"]
    assert db["DeletionPolicy"] == db["UpdateReplacePolicy"] == "Snapshot"
    assert props["MultiAZ"] is (decisions["availability"]["choice"] == "multi_az_instance")
    assert props["MaxAllocatedStorage"] == decisions["storage"]["max_allocated_gb"]
    assert props["BackupRetentionPeriod"] == decisions["backups"]["retention_days"] == 14
    assert props["EnableIAMDatabaseAuthentication"] is True
    assert props["DeletionProtection"] is True
    assert props["PubliclyAccessible"] is False
    assert props["StorageEncrypted"] is True
    assert props["KmsKeyId"] == {"Ref": "DataKey"}
    assert "postgresql" in props["EnableCloudwatchLogsExports"]
    params = tpl["Resources"]["DatabaseParameterGroup"]["Properties"]["Parameters"]
    assert "pgaudit" in params["shared_preload_libraries"]
    replicas = [
        r
        for r in of_type(tpl, "AWS::RDS::DBInstance").values()
        if r["Properties"].get("SourceDBInstanceIdentifier") == {"Ref": "Database"}
    ]
    assert len(replicas) == decisions["read_scaling"]["count"] == 2


def test_an_aurora_cluster_has_a_writer_and_its_replicas():
    rec = recommend({"engine": "mysql", "cost_priority": "performance", "read_replicas": 3})
    assert rec["decisions"]["platform"]["choice"] == "aurora"
    tpl = yaml.safe_load(cloudformation.render(snapshot_of(rec), URL))
    cluster = tpl["Resources"]["DatabaseCluster"]["Properties"]
    assert cluster["Engine"] == "aurora-mysql"
    members = [
        r
        for r in of_type(tpl, "AWS::RDS::DBInstance").values()
        if r["Properties"].get("DBClusterIdentifier") == {"Ref": "DatabaseCluster"}
    ]
    assert len(members) == 1 + rec["decisions"]["read_scaling"]["count"]
    assert sorted(m["Properties"]["PromotionTier"] for m in members)[:2] == [0, 0]


def test_aurora_serverless_v2_scales_on_db_serverless_instances():
    tpl = template({"engine": "postgresql", "traffic_pattern": "intermittent"})
    cluster = tpl["Resources"]["DatabaseCluster"]["Properties"]
    scaling = cluster["ServerlessV2ScalingConfiguration"]
    assert scaling["MinCapacity"] == 0
    assert scaling["MaxCapacity"] >= 1
    assert tpl["Parameters"]["DBInstanceClass"]["Default"] == "db.serverless"


def test_a_multi_az_db_cluster_is_one_cluster_resource_with_provisioned_storage():
    rec = recommend({"engine": "postgresql", "rto": "seconds", "aurora_acceptable": False})
    assert rec["decisions"]["availability"]["choice"] == "multi_az_cluster"
    tpl = yaml.safe_load(cloudformation.render(snapshot_of(rec), URL))
    cluster = tpl["Resources"]["DatabaseCluster"]["Properties"]
    assert cluster["Engine"] == "postgres"
    assert {"DBClusterInstanceClass", "StorageType", "AllocatedStorage", "Iops"} <= set(cluster)
    assert not of_type(tpl, "AWS::RDS::DBInstance")
    # Multi-AZ DB clusters take no storage autoscaling: the engine allocates storage up front.
    assert rec["decisions"]["storage"]["choice"] == "fixed"
    assert "MaxAllocatedStorage" not in cluster


def test_rds_proxy_reads_the_managed_secret_and_requires_iam_when_decided():
    rec = recommend({"engine": "mysql", "client_type": "serverless_functions", "iam_auth": True})
    assert rec["decisions"]["authentication"]["choice"] == "iam_via_proxy"
    tpl = yaml.safe_load(cloudformation.render(snapshot_of(rec), URL))
    proxy = tpl["Resources"]["Proxy"]["Properties"]
    secret = {"Fn::GetAtt": ["Database", "MasterUserSecret.SecretArn"]}
    assert proxy["Auth"] == [{"AuthScheme": "SECRETS", "SecretArn": secret, "IAMAuth": "REQUIRED"}]
    assert proxy["RequireTLS"] is True
    assert proxy["EngineFamily"] == "MYSQL"
    role = tpl["Resources"]["ProxyRole"]["Properties"]
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == "secretsmanager:GetSecretValue"
    assert statements[0]["Resource"] == secret
    ingress = tpl["Resources"]["DatabaseSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert ingress[0]["SourceSecurityGroupId"] == {"Ref": "ProxySecurityGroup"}
    group = tpl["Resources"]["ProxyTargetGroup"]["Properties"]
    assert group["DBInstanceIdentifiers"] == [{"Ref": "Database"}]


def test_a_valkey_cache_gets_replicas_failover_and_encryption():
    rec = recommend({"engine": "postgresql", "cache_uses": ["session_store"]})
    tpl = yaml.safe_load(cloudformation.render(snapshot_of(rec), URL))
    cache = tpl["Resources"]["Cache"]
    props = cache["Properties"]
    assert cache["Type"] == "AWS::ElastiCache::ReplicationGroup"
    assert props["Engine"] == "valkey"
    assert props["NumCacheClusters"] == 1 + rec["decisions"]["cache"]["replicas"] == 2
    assert props["AutomaticFailoverEnabled"] is props["MultiAZEnabled"] is True
    assert props["TransitEncryptionEnabled"] is props["AtRestEncryptionEnabled"] is True
    assert "CacheSubnetGroup" in tpl["Resources"]
    assert "CacheSecurityGroup" in tpl["Resources"]


def test_memcached_is_a_cache_cluster():
    tpl = template(
        {
            "engine": "mariadb",
            "cache_uses": ["query_results"],
            "cache_multithreaded_large_nodes": True,
        }
    )
    cache = tpl["Resources"]["Cache"]
    assert cache["Type"] == "AWS::ElastiCache::CacheCluster"
    assert cache["Properties"]["Engine"] == "memcached"
    assert cache["Properties"]["TransitEncryptionEnabled"] is True


def test_long_term_backups_keep_snapshots_for_the_restore_window():
    tpl = template({"engine": "postgresql", "restore_window_days": 400})
    plan = tpl["Resources"]["BackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"][0]
    assert plan["Lifecycle"]["DeleteAfterDays"] == 400
    selection = tpl["Resources"]["BackupSelection"]["Properties"]["BackupSelection"]
    assert selection["Resources"] == [{"Fn::GetAtt": ["Database", "DBInstanceArn"]}]
    assert tpl["Resources"]["Database"]["Properties"]["BackupRetentionPeriod"] == 35


def test_disaster_recovery_in_another_region_is_said_not_built():
    tpl = template({"engine": "postgresql", "region_dr": "minutes"})
    text = tpl["Outputs"]["OtherRegion"]["Value"]
    assert text.startswith("Disaster recovery (Pilot light")
    assert "another Region" in text
    assert "cannot hold" in text
    assert text in tpl["Metadata"]["Archwise"]["Notes"]
    global_db = template({"engine": "postgresql", "region_dr": "seconds"})
    assert "GlobalCluster" in global_db["Resources"]
    assert "secondary cluster" in global_db["Outputs"]["OtherRegion"]["Value"]
    reads = template({"engine": "postgresql", "cross_region_reads": True, "read_replicas": 1})
    assert reads["Outputs"]["OtherRegion"]["Value"].startswith("Reads in another Region need")


def test_an_unencrypted_database_is_restored_from_its_encrypted_copy():
    tpl = template({"engine": "postgresql", "existing_database": "rds_unencrypted"})
    props = tpl["Resources"]["Database"]["Properties"]
    assert props["DBSnapshotIdentifier"] == {"Ref": "EncryptedSnapshotIdentifier"}
    assert "MasterUsername" not in props
    assert "StorageEncrypted" not in props


def test_commercial_engines_get_intel_classes():
    tpl = template({"engine": "sqlserver"})
    assert tpl["Parameters"]["DBInstanceClass"]["Default"] == "db.r6i.large"


def test_classes_an_engine_does_not_offer_are_swapped_and_said():
    # Snapshots stored before commercial engines were sized on Intel classes name Graviton ones.
    rec = recommend({"engine": "sqlserver"}, explore=False)
    rec["decisions"]["platform"]["instance_class"] = "db.r6g.large"
    tpl = yaml.safe_load(cloudformation.render(snapshot_of(rec, ""), URL))
    assert tpl["Parameters"]["DBInstanceClass"]["Default"] == "db.r6i.large"
    assert any("db.r6g.large" in n for n in tpl["Metadata"]["Archwise"]["Notes"])


def test_replicas_an_edition_cannot_have_are_never_built():
    rec = recommend({"engine": "oracle", "read_replicas": 2})
    assert rec["decisions"]["read_scaling"]["choice"] == "none"
    tpl = template({"engine": "oracle", "read_replicas": 2})
    assert not [
        r
        for r in of_type(tpl, "AWS::RDS::DBInstance").values()
        if "SourceDBInstanceIdentifier" in r["Properties"]
    ]


def test_a_hostile_title_stays_inside_the_comment_and_the_description():
    text = render({"engine": "mysql"}, title=HOSTILE_TITLE)
    lines = text.splitlines()
    assert lines[0] == '# Orders: "v2" #1 {{x}} !Ref AWS::NoValue --- Resources: {} - [*a]'
    first_key = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert lines[first_key] == "AWSTemplateFormatVersion: '2010-09-09'"
    tpl = yaml.safe_load(text)
    assert tpl["Description"].startswith('Archwise data tier: Orders: "v2" #1')
    assert set(tpl) == {
        "AWSTemplateFormatVersion",
        "Description",
        "Metadata",
        "Parameters",
        "Resources",
        "Outputs",
    }


def test_an_engine_rds_does_not_run_gets_a_plain_reason():
    rec = recommend({"engine": "postgresql"}, explore=False)
    snapshot = snapshot_of(rec)
    snapshot["recommendation"]["decisions"]["platform"]["engine"] = "cockroach"
    assert cloudformation.render(snapshot, URL) is None
    assert "'cockroach' is not an engine Amazon RDS runs" in (
        cloudformation.not_generated_reason(snapshot)
    )


def test_a_snapshot_without_the_extra_values_still_gives_a_clean_template(linter):
    rec = recommend(
        {"engine": "mysql", "read_replicas": 2, "cache_uses": ["session_store"]}, explore=False
    )
    for decision in rec["decisions"].values():
        for key in ("count", "replicas", "max_allocated_gb", "retention_days", "instance_class"):
            decision.pop(key, None)
    rec.pop("cost")
    text = cloudformation.render(snapshot_of(rec), URL)
    assert lint(linter, text) == []
    assert yaml.safe_load(text)["Parameters"]["DBInstanceClass"]["Default"] == "db.r6g.large"


def test_an_old_links_template_keeps_its_engine_versions_when_newer_ones_are_pinned(
    make_snapshot, monkeypatch
):
    from dataclasses import replace

    from advisor.engine import default_engine
    from advisor.engine.versions import Release

    engine = default_engine()
    first = engine.versions[0]
    newer = replace(
        first,
        date="2099-01-01",
        database={**first.database, "postgres": Release("99.1", "postgres99")},
        cache={**first.cache, "valkey": "99.0"},
    )
    answers = {"engine": "postgresql", "cache_uses": ["session_store"]}
    old = make_snapshot(answers)
    old["recommendation"].pop("engine_versions")  # stored before recommendations named one
    monkeypatch.setattr(engine, "versions", (first, newer))
    fresh = make_snapshot(answers)

    def versions(snapshot):
        template = cloudformation.build(snapshot, "https://example.test/r/x/")
        found = [body["Properties"].get("EngineVersion") for body in template["Resources"].values()]
        found.append(template["Parameters"]["EngineVersion"]["Default"])
        return {version for version in found if isinstance(version, str)}

    assert versions(old) == {first.database["postgres"].version, first.cache["valkey"]}
    assert fresh["recommendation"]["engine_versions"] == "2099-01-01"
    assert versions(fresh) == {"99.1", "99.0"}
