"""The capability matrix: loading checks it, and loading proves every rule consistent with it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from advisor.checks import rule_catalog
from advisor.engine import Engine, KnowledgeError, RuleError
from advisor.engine.capabilities import load_matrix
from advisor.engine.knowledge import load_facts

FACTS = load_facts()


@pytest.fixture(scope="module")
def matrix():
    return load_matrix(FACTS)


def _design(**dims: str) -> dict[str, str]:
    return {
        "engine": "postgresql",
        "license_model": "license_included",
        "platform": "rds",
        "availability": "multi_az_instance",
        **dims,
    }


@pytest.mark.parametrize(
    ("capability", "design", "value"),
    [
        ("storage_autoscaling", _design(availability="multi_az_cluster"), False),
        ("storage_autoscaling", _design(), True),
        ("option_groups", _design(availability="multi_az_cluster"), False),
        ("cross_region_backups", _design(availability="multi_az_cluster"), False),
        ("cross_region_backups", _design(engine="db2"), True),
        ("read_replicas", _design(engine="oracle"), 0),
        ("read_replicas", _design(engine="oracle", license_model="bring_your_own"), 5),
        ("read_replicas", _design(engine="db2"), 3),
        ("cross_region_replicas", _design(engine="db2"), True),
        ("cross_region_replicas", _design(engine="oracle"), False),
        ("cross_region_replicas", _design(platform="rds_custom", engine="sqlserver"), False),
        ("audit_destination", _design(engine="sqlserver"), "s3"),
        ("audit_destination", _design(engine="db2"), "s3"),
        ("audit_destination", _design(engine="oracle"), "cloudwatch_logs"),
        ("rds_proxy", _design(engine="oracle"), False),
        ("rds_proxy", _design(engine="sqlserver"), True),
        ("iam_auth", _design(engine="sqlserver"), False),
        ("storage_ceiling_gib", _design(engine="sqlserver"), 262_144),
        ("storage_ceiling_gib", _design(), 65_536),
    ],
)
def test_the_matrix_says_what_aws_documents(matrix, capability, design, value):
    assert matrix[capability].value(design) == value


def test_every_missing_feature_says_why_and_every_cell_cites_a_checked_fact(matrix):
    for capability in matrix.capabilities.values():
        for cell in capability.cells:
            assert cell.facts
            assert all(FACTS[f].checked for f in cell.facts)
            if not cell.value:
                assert cell.note.strip(), capability.id


def test_the_knowledge_base_and_the_matrix_agree_on_every_rule_of_the_catalog():
    engine = Engine.load()
    assert engine.matrix.capabilities
    assert engine.catalog.rules


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('value = true, facts = ["rds.engines"]', 'value = true, facts = ["no.such"]', "no.such"),
        (
            'platform = "rds", engine = ["mysql", "postgresql"], value = true',
            'platform = "rds", engine = ["mysql", "cobol"], value = true',
            "cobol",
        ),
        ('"storage.autoscaling" = "storage_autoscaling"', '"storage.magic" = "rds_proxy"', "magic"),
        (
            '"platform.rds" = "rds_engine"',
            '"platform.rds" = "storage_autoscaling"',
            "not decided yet when platform is chosen",
        ),
        (
            ', note = "Aurora is compatible with MySQL and PostgreSQL only." }',
            " }",
            "needs a note saying why",
        ),
    ],
)
def test_a_broken_matrix_fails_naming_the_file_and_the_capability(data_copy, old, new, message):
    _edit(data_copy / "capabilities.toml", old, new)
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(data_dir=data_copy)
    assert "capabilities.toml" in str(caught.value)
    assert message in str(caught.value)


CONTRADICTING_PACK = """
[[rule]]
id = "team.autoscale-everything"
concern = "storage"
when = { decision = "availability", op = "in", value = ["multi_az_instance", "multi_az_cluster"] }
requires = ["storage_autoscaling"]
checklist = "Turn on storage autoscaling up to twice the allocation."
rationale = "Our team always autoscales."
facts = ["rds.storage.autoscaling"]
"""

CONSISTENT_PACK = """
[[rule]]
id = "team.autoscale-instances"
concern = "storage"
when = { decision = "storage", op = "eq", value = "autoscaling" }
requires = ["storage_autoscaling"]
checklist = "Tag the database with the autoscaling maximum, for the capacity review."
rationale = "Our capacity review reads the tag."
facts = ["rds.storage.autoscaling"]
"""

DEAD_PREFERENCE = """
[[rule]]
id = "team.proxy-for-oracle"
concern = "connections"
when = { answer = "engine", op = "eq", value = "oracle" }
prefer = "rds_proxy"
weight = 5
rationale = "We like proxies."
facts = ["proxy.pooling"]
"""


def _pack(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team-pack.toml"
    path.write_text(text)
    return path


def test_a_rule_that_recommends_a_missing_feature_fails_naming_file_rule_and_design(tmp_path):
    with pytest.raises(RuleError) as caught:
        Engine.load(extra_rule_files=[_pack(tmp_path, CONTRADICTING_PACK)])
    message = str(caught.value)
    assert "team-pack.toml: rule 'team.autoscale-everything'" in message
    assert "PostgreSQL on Amazon RDS, Multi-AZ DB cluster" in message
    assert "do not support storage autoscaling" in message


def test_a_rule_conditioned_on_the_feature_being_chosen_is_consistent(tmp_path):
    engine = Engine.load(extra_rule_files=[_pack(tmp_path, CONSISTENT_PACK)])
    assert engine.catalog.by_id("team.autoscale-instances").requires == ("storage_autoscaling",)


def test_a_preference_for_what_never_exists_where_it_fires_is_refused(tmp_path):
    with pytest.raises(RuleError) as caught:
        Engine.load(extra_rule_files=[_pack(tmp_path, DEAD_PREFERENCE)])
    assert "rule 'team.proxy-for-oracle' prefers 'rds_proxy' only where" in str(caught.value)


def test_manage_py_check_rejects_a_rule_pack_that_contradicts_the_matrix(tmp_path):
    pack = _pack(tmp_path, CONTRADICTING_PACK)
    with override_settings(RULE_PACKS=[str(pack)]):
        errors = rule_catalog(None)
        assert [type(e) for e in errors] == [Error]
        assert "team-pack.toml: rule 'team.autoscale-everything'" in errors[0].msg
        with pytest.raises(SystemCheckError) as caught:
            call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
        assert "rule 'team.autoscale-everything' recommends storage autoscaling" in str(
            caught.value
        )


def test_manage_py_check_accepts_a_consistent_rule_pack(tmp_path):
    with override_settings(RULE_PACKS=[str(_pack(tmp_path, CONSISTENT_PACK))]):
        assert rule_catalog(None) == []


def test_facts_lists_those_due_for_a_re_check_and_fails_when_any_are():
    out = io.StringIO()
    call_command("facts", "--older-than", "180", "--today", "2027-01-15", stdout=out)
    assert "0 of" in out.getvalue()
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("facts", "--older-than", "180", "--today", "2027-07-01", stdout=out)
    assert exited.value.code == 1
    text = out.getvalue()
    assert f"{len(FACTS)} of {len(FACTS)} facts are due for a re-check" in text
    assert "oracle.licensing: Oracle licence models and read replicas" in text
    assert "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/db2-replication.html" in text


def test_no_fact_is_older_than_the_re_check_of_december_2026():
    assert min(fact.checked for fact in FACTS.values()) >= "2026-12-01"


FOREIGN_RATIONALE = """
[[rule]]
id = "team.standby-everywhere"
concern = "availability"
when = { answer = "rto", op = "eq", value = "minutes" }
prefer = ["multi_az_instance", "aurora_multi_az"]
weight = 3
rationale = "A standby fails over in 60-120 seconds."
facts = ["rds.multi-az.instance"]
"""

MATCHING_RATIONALE = """
[[rule]]
id = "team.aurora-standby"
concern = "availability"
when = { answer = "rto", op = "eq", value = "minutes" }
prefer = "aurora_multi_az"
weight = 3
rationale = "An Aurora Replica is promoted in about 30 seconds."
facts = ["aurora.failover"]
"""


def test_a_rationale_citing_facts_of_another_deployment_is_refused(tmp_path):
    with pytest.raises(RuleError) as caught:
        Engine.load(extra_rule_files=[_pack(tmp_path, FOREIGN_RATIONALE)])
    message = str(caught.value)
    assert "rule 'team.standby-everywhere' can explain aurora_multi_az" in message
    assert "rds.multi-az.instance is about multi_az_instance, not aurora_multi_az" in message


def test_a_rationale_citing_facts_of_the_chosen_deployment_loads(tmp_path):
    engine = Engine.load(extra_rule_files=[_pack(tmp_path, MATCHING_RATIONALE)])
    assert engine.catalog.by_id("team.aurora-standby").facts == ("aurora.failover",)
