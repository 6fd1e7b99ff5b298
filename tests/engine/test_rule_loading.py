"""Loading rule files: broken rules fail naming the file, the rule and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.engine import Engine, KnowledgeError, RuleError
from advisor.engine.knowledge import load_facts
from advisor.engine.rulefiles import builtin_rule_files, load_rules

FACTS = load_facts()


def _rule(**fields: str) -> str:
    """One well-formed [[rule]] table, with fields replaced or removed (None) as given."""
    base = {
        "id": '"team.broken"',
        "concern": '"platform"',
        "when": '{ answer = "engine", op = "eq", value = "postgresql" }',
        "exclude": '"aurora"',
        "rationale": '"A rule with one thing wrong."',
        "facts": '["aurora.engines"]',
    }
    base.update(fields)
    lines = [f"{key} = {value}" for key, value in base.items() if value is not None]
    return "[[rule]]\n" + "\n".join(lines) + "\n"


def _write(tmp_path: Path, text: str, name: str = "team-pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


BROKEN = [
    pytest.param({"colour": '"blue"'}, "colour", id="unknown-field"),
    pytest.param({"concern": '"networking"'}, "networking", id="unknown-concern"),
    pytest.param({"exclude": None, "boost": '"rds"'}, "boost", id="unknown-effect"),
    pytest.param({"prefer": '"rds"', "weight": "2"}, "exactly one effect", id="two-effects"),
    pytest.param({"exclude": None}, "exactly one effect", id="no-effect"),
    pytest.param(
        {"when": '{ answer = "read_replicas", op = "contains", value = 3 }'},
        "'contains' does not apply",
        id="operator-for-another-kind",
    ),
    pytest.param(
        {"when": '{ answer = "engine", op = "gt", value = "mysql" }'},
        "'gt' does not apply",
        id="ordering-operator-on-a-choice",
    ),
    pytest.param(
        {"when": '{ answer = "read_replicas", op = "gt", value = 99 }'},
        "99",
        id="value-out-of-range",
    ),
    pytest.param(
        {"when": '{ answer = "engine", op = "eq", value = "mongodb" }'},
        "mongodb",
        id="value-not-among-the-choices",
    ),
    pytest.param(
        {"when": '{ answer = "engine", op = "in", value = ["mysql", "cockroach"] }'},
        "cockroach",
        id="value-in-a-list-not-among-the-choices",
    ),
    pytest.param(
        {"when": '{ answer = "cache_uses", op = "contains", value = "queue" }'},
        "queue",
        id="list-value-not-among-the-choices",
    ),
    pytest.param(
        {"when": '{ answer = "iam_auth", op = "eq", value = "yes" }'},
        "iam_auth",
        id="bool-compared-with-text",
    ),
    pytest.param(
        {"when": '{ answer = "favourite_colour", op = "eq", value = "blue" }'},
        "favourite_colour",
        id="unknown-answer",
    ),
    pytest.param(
        {"when": '{ derived = "happiness", op = "lt", value = 1 }'},
        "happiness",
        id="unknown-derived-value",
    ),
    pytest.param({"facts": '["aurora.magic"]'}, "aurora.magic", id="unknown-fact"),
    pytest.param({"facts": "[]"}, "facts", id="no-facts"),
    pytest.param({"exclude": '"dynamodb"'}, "dynamodb", id="unknown-choice"),
    pytest.param(
        {"when": '{ decision = "storage", op = "eq", value = "autoscaling" }'},
        "'storage' is not made yet",
        id="decision-on-a-later-concern",
    ),
    pytest.param(
        {"when": '{ decision = "platform", op = "eq", value = "rds" }'},
        "'platform' is not made yet",
        id="choosing-on-its-own-decision",
    ),
    pytest.param(
        {
            "concern": '"storage"',
            "exclude": '"fixed"',
            "when": '{ decision = "platform", op = "eq", value = "autoscaling" }',
        },
        "'autoscaling' is not a choice of platform",
        id="decision-value-from-another-concern",
    ),
    pytest.param(
        {
            "exclude": None,
            "risk": '{ severity = "critical", one_way_door = false, text = "Careful." }',
        },
        "severity",
        id="bad-risk-severity",
    ),
    pytest.param(
        {"exclude": None, "risk": '{ severity = "high", text = "Careful." }'},
        "one_way_door",
        id="risk-without-one-way-door",
    ),
    pytest.param(
        {"exclude": None, "checklist": '"Tune {favourite_colour} first."'},
        "{favourite_colour}",
        id="unknown-placeholder-in-a-checklist",
    ),
    pytest.param(
        {
            "exclude": None,
            "risk": '{ severity = "low", one_way_door = false, text = "Costs {budget}." }',
        },
        "{budget}",
        id="unknown-placeholder-in-a-risk",
    ),
    pytest.param({"exclude": None, "prefer": '"rds"'}, "weight", id="prefer-without-weight"),
    pytest.param(
        {"exclude": None, "set": '{ key = "count", value = 2 }'},
        "set key must be one of engine, instance_class",
        id="set-a-key-of-another-concern",
    ),
    pytest.param({"id": '"Team Rule!"'}, "id must be", id="malformed-id"),
]


@pytest.mark.parametrize(("fields", "bad"), BROKEN)
def test_a_broken_rule_fails_naming_the_file_the_rule_and_the_fault(tmp_path, fields, bad):
    path = _write(tmp_path, _rule(**fields))
    with pytest.raises(RuleError) as caught:
        load_rules([path], FACTS)
    message = str(caught.value)
    assert "team-pack.toml" in message
    rule_id = "Team Rule!" if "id" in fields else "team.broken"
    assert repr(rule_id) in message
    assert bad in message


def test_the_engine_refuses_a_team_pack_with_a_broken_rule(tmp_path):
    path = _write(tmp_path, _rule(facts='["aurora.magic"]'))
    with pytest.raises(RuleError, match=r"team-pack\.toml: rule 'team\.broken': .*aurora\.magic"):
        Engine.load(extra_rule_files=[path])


def test_a_duplicate_id_in_one_file_is_refused(tmp_path):
    path = _write(tmp_path, _rule() + "\n" + _rule())
    with pytest.raises(RuleError, match=r"team-pack\.toml: rule 'team\.broken': duplicate id"):
        load_rules([path], FACTS)


def test_a_team_rule_may_not_reuse_a_built_in_id(tmp_path):
    path = _write(tmp_path, _rule(id='"platform.rds-by-default"'))
    with pytest.raises(RuleError) as caught:
        Engine.load(extra_rule_files=[path])
    message = str(caught.value)
    assert "team-pack.toml" in message
    assert "'platform.rds-by-default'" in message
    assert "duplicate id" in message
    assert "01-platform.toml" in message


def test_malformed_toml_fails_naming_the_file(tmp_path):
    path = _write(tmp_path, '[[rule]]\nid = "team.unclosed\n')
    with pytest.raises(KnowledgeError, match=r"team-pack\.toml: cannot be read"):
        load_rules([path], FACTS)
    with pytest.raises(KnowledgeError, match=r"team-pack\.toml"):
        Engine.load(extra_rule_files=[path])


def test_a_missing_rule_file_fails_naming_the_file(tmp_path):
    with pytest.raises(KnowledgeError, match=r"nowhere\.toml"):
        load_rules([tmp_path / "nowhere.toml"], FACTS)


def test_unknown_top_level_tables_are_refused(tmp_path):
    path = _write(tmp_path, '[[rules]]\nid = "team.typo"\n')
    with pytest.raises(RuleError, match=r"team-pack\.toml: unknown top-level key\(s\) rules"):
        load_rules([path], FACTS)


def test_the_built_in_catalog_loads_and_validates(engine):
    catalog = load_rules(builtin_rule_files(), FACTS)
    assert len(catalog.rules) == len(engine.catalog.rules) > 150
    assert [path.name for path in builtin_rule_files()] == list(catalog.files)
    concerns = {rule.concern for rule in catalog.rules}
    assert len(concerns) == 12


def test_a_well_formed_team_pack_loads_and_changes_the_recommendation(tmp_path, engine):
    answers = {"engine": "postgresql", "cost_priority": "performance"}
    before = engine.recommend(answers, explore=False)
    assert before["decisions"]["platform"]["choice"] == "aurora"

    pack = _write(
        tmp_path,
        """
[[rule]]
id = "team.no-aurora"
concern = "platform"
exclude = ["aurora", "aurora_serverless_v2"]
rationale = "Our databases must be portable off AWS."
facts = ["aurora.engines"]

[[rule]]
id = "team.checklist.tag"
concern = "platform"
checklist = "Tag the {engine_label} database with its cost centre."
rationale = "Finance reads the tags."
facts = ["rds.billing"]
""",
    )
    team = Engine.load(extra_rule_files=[pack])
    after = team.recommend(answers, explore=False)

    assert after["decisions"]["platform"]["choice"] == "rds"
    lost = {a["choice"]: a for a in after["decisions"]["platform"]["alternatives"]}
    assert lost["aurora"]["excluded_by"] == ["team.no-aurora"]
    assert lost["aurora"]["why"] == "Our databases must be portable off AWS."
    assert "team.no-aurora" in after["fired_rules"]
    assert "Tag the PostgreSQL database with its cost centre." in after["checklist"]
    assert after["ruleset_version"] != before["ruleset_version"]
    assert len(team.catalog.rules) == len(engine.catalog.rules) + 2
