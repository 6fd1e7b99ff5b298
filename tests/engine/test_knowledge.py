"""The knowledge base: every fact it must hold is there, cited, and tied to the classic notes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from advisor.engine import Engine
from advisor.engine.knowledge import (
    DATA_DIR,
    classic_notes_lines,
    load_facts,
    load_notes,
    load_prices,
)

# The first 48 facts checked for the knowledge base, with the verdict each gives the classic notes
# and its source: the list a change to facts.toml is checked against.
FACTS_MD: dict[str, tuple[str, str]] = {
    "rds.engines": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_GettingStarted.html",
    ),
    "rds.managed": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Oracle.html",
    ),
    "rds.billing": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html",
    ),
    "rds.replicas.max": (
        "outdated",
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html",
    ),
    "rds.replicas.async": (
        "outdated",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.CrossRegionReadReplicas.html",
    ),
    "rds.replicas.promote": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html",
    ),
    "rds.replicas.multi-az": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_MySQL.Replication.ReadReplicas.MultiAZ.html",
    ),
    "rds.multi-az.instance": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html",
    ),
    "rds.multi-az.cluster": (
        "imprecise",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/multi-az-db-clusters-concepts.html",
    ),
    "rds.multi-az.convert": (
        "imprecise",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Migrating.html",
    ),
    "rds.storage.max": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.ModifyingExisting.html",
    ),
    "rds.storage.autoscaling": (
        "imprecise",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html",
    ),
    "rds.backups.retention": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html",
    ),
    "rds.backups.pitr": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceToPointInTime.html",
    ),
    "aurora.engines": (
        "ok",
        "https://aws.amazon.com/rds/aurora/faqs/",
    ),
    "aurora.performance": (
        "imprecise",
        "https://aws.amazon.com/rds/aurora/faqs/",
    ),
    "aurora.storage": (
        "outdated",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Performance.html",
    ),
    "aurora.replicas": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html",
    ),
    "aurora.failover": (
        "wrong",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html",
    ),
    "aurora.durability": (
        "ok",
        "https://aws.amazon.com/blogs/database/amazon-aurora-under-the-hood-quorum-and-correlated-failure/",
    ),
    "aurora.global": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html",
    ),
    "aurora.serverless-v2": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html",
    ),
    "aurora.io-optimized": (
        "not_in_notes",
        "https://aws.amazon.com/rds/aurora/pricing/",
    ),
    "aurora.cost": (
        "imprecise",
        "https://aws.amazon.com/rds/aurora/pricing/",
    ),
    "rds-custom.scope": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/custom-concept.html",
    ),
    "ec2.when": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/SQLServer.Concepts.General.FeatureNonSupport.html",
    ),
    "sec.encryption.at-creation": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    ),
    "sec.encryption.migrate": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    ),
    "sec.encryption.replicas": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html",
    ),
    "sec.tls": (
        "imprecise",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html",
    ),
    "sec.iam-auth": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html",
    ),
    "sec.network": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html",
    ),
    "proxy.engines": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.RDSProxy.html",
    ),
    "proxy.pooling": (
        "ok",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html",
    ),
    "proxy.failover": (
        "not_in_notes",
        "https://aws.amazon.com/blogs/database/improving-application-availability-with-amazon-rds-proxy/",
    ),
    "proxy.iam": (
        "imprecise",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html",
    ),
    "proxy.cost": (
        "not_in_notes",
        "https://aws.amazon.com/rds/proxy/pricing/",
    ),
    "cache.engines": (
        "outdated",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SelectEngine.html",
    ),
    "cache.memcached": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SelectEngine.html",
    ),
    "cache.valkey": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.html",
    ),
    "cache.sessions": (
        "ok",
        "https://aws.amazon.com/caching/session-management/",
    ),
    "cache.strategies": (
        "imprecise",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Strategies.html",
    ),
    "cache.encryption": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/encryption.html",
    ),
    "cache.serverless": (
        "not_in_notes",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/WhatIs.deployment.html",
    ),
    "dr.backup-restore": (
        "not_in_notes",
        "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html",
    ),
    "dr.pilot-light": (
        "not_in_notes",
        "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html",
    ),
    "dr.warm-standby": (
        "not_in_notes",
        "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html",
    ),
    "dr.active": (
        "not_in_notes",
        "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html",
    ),
}


@pytest.fixture(scope="module")
def facts():
    return load_facts()


# Facts checked in AWS's documentation after the first 48: the corrections of 2026-12-01
# and the ones the capability matrix needed (the id, and the page it was checked against).
ADDED: dict[str, str] = {
    "oracle.licensing": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/oracle-read-replicas.limitations.html",
    "db2.replicas": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/db2-replication.html",
    "audit.destinations": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.SQLServer.Options.Audit.html",
    "classes.burstable": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.BestPractices.Performance.html",
    "ebs.volumes": "https://docs.aws.amazon.com/ebs/latest/userguide/volume_constraints.html",
    "backups.cross-region": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html",
    "aws.purpose-built": "https://docs.aws.amazon.com/whitepapers/latest/aws-overview/database.html",
    "pricing.reserved": "https://aws.amazon.com/rds/reserved-instances/",
    "sqlserver.developer-edition": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/sqlserver-dev-edition.html",
    "aurora.classes": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html",
    "cache.pricing": "https://aws.amazon.com/elasticache/pricing/",
    "sec.secrets-manager": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
    "sec.secrets-manager-aurora": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html",
    "rds-custom.oracle-end-of-support": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/RDS-Custom-for-Oracle-end-of-support.html",
    "rds-custom.sqlserver-limits": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/custom-reqs-limits-MS.html",
    "rds-custom.no-cross-region-backups": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstanceAutomatedBackupsReplication.html",
}
# Where a re-check changed the first verdict on a note: not every engine's audit log goes to
# CloudWatch Logs (audit.destinations).
VERDICT_CHANGED = {"sec.network": "imprecise"}


def test_the_knowledge_base_holds_the_48_facts_of_facts_md_and_the_later_checks(facts):
    assert len(FACTS_MD) == 48
    assert sorted(facts) == sorted([*FACTS_MD, *ADDED])


@pytest.mark.parametrize("fact_id", sorted(ADDED))
def test_each_later_fact_cites_the_page_it_was_checked_against(facts, fact_id):
    assert facts[fact_id].source == ADDED[fact_id]


@pytest.mark.parametrize("fact_id", sorted(FACTS_MD))
def test_each_fact_keeps_the_verdict_and_source_facts_md_gives_it(facts, fact_id):
    verdict, source = FACTS_MD[fact_id]
    fact = facts[fact_id]
    assert fact.verdict == VERDICT_CHANGED.get(fact_id, verdict)
    assert fact.source == source
    assert fact.title.strip()
    assert fact.statement.strip()


def test_every_fact_is_cited_by_a_rule_or_marked_as_background(engine, facts):
    cited = engine.catalog.cited_facts | engine.matrix.cited_facts
    uncited = [f.id for f in facts.values() if f.id not in cited and not f.background]
    assert not uncited, f"facts no rule rests on (cite them, or mark them background): {uncited}"


def test_background_facts_are_really_uncited(engine, facts):
    cited = engine.catalog.cited_facts | engine.matrix.cited_facts
    assert not [f.id for f in facts.values() if f.background and f.id in cited]


def test_every_fact_a_rule_cites_exists(engine, facts):
    assert engine.catalog.cited_facts <= set(facts)


def test_facts_that_correct_the_notes_say_what_changed(facts):
    corrections = [f for f in facts.values() if f.verdict in ("imprecise", "outdated", "wrong")]
    assert corrections, "FACTS.md corrects several notes"
    missing = [f.id for f in corrections if not f.what_changed.strip()]
    assert not missing


def test_facts_quote_a_note_exactly_when_they_give_a_verdict_on_one(facts):
    for fact in facts.values():
        assert (fact.verdict == "not_in_notes") == (fact.note == ""), fact.id


def test_every_quoted_note_comes_from_the_classic_notes(facts):
    notes = "\n".join(classic_notes_lines())
    for fact in facts.values():
        for part in filter(None, (p.strip() for p in fact.note.split(" / "))):
            assert part in notes, f"{fact.id}: {part!r}"


def test_notes_toml_covers_every_line_of_the_classic_notes_in_order():
    lines = classic_notes_lines()
    notes = load_notes()
    assert [note["text"] for note in notes] == lines
    assert len(lines) == len(
        [line for line in (DATA_DIR / "classic_notes.md").read_text().splitlines() if line.strip()]
    )


def test_each_classic_note_line_cites_existing_facts(facts):
    for note in load_notes():
        assert note["facts"], note["text"]
        unknown = [fact for fact in note["facts"] if fact not in facts]
        assert not unknown, f"{note['text']!r} cites unknown facts {unknown}"


def test_the_price_table_is_dated():
    prices = load_prices()
    assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", prices["as_of"])
    raw = tomllib.loads((DATA_DIR / "prices.toml").read_text())
    assert raw["as_of"] == prices["as_of"]


def test_the_price_table_carries_the_prices_of_facts_md(engine):
    from advisor.engine.cost import instance_classes

    prices = load_prices()
    mysql = {name: klass.usd_per_hour for name, klass in instance_classes(prices).items()}
    postgresql = prices["rds"]["engine_factor"]["postgresql"]
    assert mysql["db.t4g.micro"] == pytest.approx(0.016)
    assert mysql["db.t4g.small"] == pytest.approx(0.032)
    assert mysql["db.t4g.medium"] == pytest.approx(0.0645, abs=0.001)
    assert mysql["db.r6g.large"] == pytest.approx(0.215)
    assert mysql["db.r6g.large"] * postgresql == pytest.approx(0.225, abs=0.001)
    assert mysql["db.r6g.4xlarge"] * postgresql == pytest.approx(1.80, abs=0.01)
    assert mysql["db.m7g.large"] == pytest.approx(0.168)
    assert mysql["db.r7g.xlarge"] == pytest.approx(0.478)
    # Aurora db.r6g.large ~$0.26 per hour.
    assert 0.225 * prices["aurora"]["class_factor"] == pytest.approx(0.26, abs=0.001)
    assert prices["aurora"]["serverless_usd_per_acu_hour"] == pytest.approx(0.12)
    assert prices["aurora"]["storage_usd_per_gb_month"] == pytest.approx(0.10)
    assert prices["aurora"]["io_usd_per_million"] == pytest.approx(0.20)
    assert prices["aurora"]["io_optimized_storage_usd_per_gb_month"] == pytest.approx(0.225)
    assert prices["rds"]["gp3_usd_per_gb_month"] == pytest.approx(0.115)
    assert prices["rds"]["backup_usd_per_gb_month"] == pytest.approx(0.095)
    assert prices["proxy"]["usd_per_vcpu_hour"] == pytest.approx(0.015)
    nodes = {node["name"]: node["usd_per_hour"] for node in prices["cache"]["nodes"]}
    assert nodes["cache.t4g.micro"] == pytest.approx(0.016)
    assert nodes["cache.r7g.large"] == pytest.approx(0.219)
    # cache.pricing: Valkey nodes 20% below Redis OSS, Serverless about 33% below.
    assert prices["cache"]["valkey_factor"] == pytest.approx(0.8)
    serverless = prices["cache"]["serverless_valkey_usd_per_gb_hour"]
    assert serverless / prices["cache"]["serverless_redis_usd_per_gb_hour"] == pytest.approx(
        0.67, abs=0.01
    )
    # pricing.reserved: reservations are cheaper, the longer term most.
    reserved = prices["reserved"]
    assert 0 < reserved["reserved_3yr"]["factor"] < reserved["reserved_1yr"]["factor"] < 1
    # EC2: roughly half the RDS price (r6g.large ~$0.10 against ~$0.215); gp3 EBS ~$0.08.
    assert instance_classes(prices)["db.r6g.large"].ec2_usd_per_hour == pytest.approx(0.1008)
    assert prices["ec2"]["ebs_gp3_usd_per_gb_month"] == pytest.approx(0.08)


def test_every_price_section_names_its_source_and_when_it_was_checked():
    prices = load_prices()
    for name, source in prices["sources"].items():
        assert source["source"].startswith("https://aws.amazon.com/"), name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source["checked"]), name
        assert source["checked_via"].strip(), name


# -- the ruleset version --------------------------------------------------------------------------


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_an_unchanged_copy_of_the_data_has_the_same_ruleset_version(engine, data_copy):
    assert Engine.load(data_dir=data_copy).ruleset_version == engine.ruleset_version


def test_the_ruleset_version_changes_when_a_rule_changes(engine, data_copy):
    _replace(data_copy / "rules" / "01-platform.toml", "weight = 2", "weight = 3")
    assert Engine.load(data_dir=data_copy).ruleset_version != engine.ruleset_version


def test_the_ruleset_version_changes_when_a_rule_text_changes(engine, data_copy):
    _replace(
        data_copy / "rules" / "12-backups.toml",
        "A restore you have not rehearsed is a guess.",
        "Rehearse restores.",
    )
    assert Engine.load(data_dir=data_copy).ruleset_version != engine.ruleset_version


def test_the_ruleset_version_changes_when_a_rule_is_added(engine, data_copy):
    (data_copy / "rules" / "99-team.toml").write_text(
        '[[rule]]\nid = "team.x"\nconcern = "audit"\nprefer = "cloudwatch_logs"\nweight = 1\n'
        'rationale = "We audit everything."\nfacts = ["sec.network"]\n'
    )
    assert Engine.load(data_dir=data_copy).ruleset_version != engine.ruleset_version


def test_the_ruleset_version_changes_when_a_fact_changes(engine, data_copy):
    _replace(data_copy / "facts.toml", "up to 15 Aurora Replicas", "up to fifteen Aurora Replicas")
    assert Engine.load(data_dir=data_copy).ruleset_version != engine.ruleset_version


def test_the_ruleset_version_changes_when_a_price_changes(engine, data_copy):
    _replace(
        data_copy / "prices.toml", "gp3_usd_per_gb_month = 0.115", "gp3_usd_per_gb_month = 0.12"
    )
    assert Engine.load(data_dir=data_copy).ruleset_version != engine.ruleset_version


def test_the_ruleset_version_changes_when_the_price_date_changes(engine, data_copy):
    _replace(data_copy / "prices.toml", 'as_of = "', 'as_of = "1')
    changed = Engine.load(data_dir=data_copy)
    assert changed.ruleset_version != engine.ruleset_version
    assert changed.recommend({"engine": "mysql"}, explore=False)["ruleset_version"] == (
        changed.ruleset_version
    )
