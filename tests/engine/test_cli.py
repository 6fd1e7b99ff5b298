"""`manage.py advise FILE|-`: the recommendation on the command line, and clear errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from advisor.engine.schema import RECOMMENDATION_SCHEMA

ROOT = Path(__file__).resolve().parents[2]


def _advise(*args: str, stdin: str | None = None, monkeypatch=None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("advise", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _fails(*args: str, stdin: str | None = None, monkeypatch=None) -> str:
    err = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as caught:
        call_command("advise", *args, stdout=io.StringIO(), stderr=err)
    assert caught.value.code == 2
    return err.getvalue()


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"engine": "postgresql", "client_type": "serverless_functions"}))
    return path


def test_it_prints_the_json_contract_for_a_file(answers_file, engine):
    out, _ = _advise(str(answers_file), "--format", "json")
    rec = json.loads(out)
    jsonschema.validate(rec, RECOMMENDATION_SCHEMA)
    assert rec == json.loads(json.dumps(engine.recommend(json.loads(answers_file.read_text()))))
    assert rec["decisions"]["connections"]["choice"] == "rds_proxy"


def test_it_reads_answers_from_stdin_with_a_dash(monkeypatch):
    out, _ = _advise("-", "--format", "json", stdin='{"engine": "db2"}', monkeypatch=monkeypatch)
    rec = json.loads(out)
    jsonschema.validate(rec, RECOMMENDATION_SCHEMA)
    assert rec["answers"]["engine"] == "db2"
    assert rec["decisions"]["platform"]["choice"] == "rds"


def test_it_prints_text_by_default(answers_file):
    out, _ = _advise(str(answers_file))
    assert out.startswith("Amazon RDS for PostgreSQL")
    assert "Platform: Amazon RDS" in out
    assert "Connections: Amazon RDS Proxy" in out
    assert "Checklist:\n  1. " in out
    assert "Cost: $" in out
    assert "Prices as of " in out


def test_it_prints_text_when_asked(monkeypatch):
    out, _ = _advise(
        "-",
        "--format",
        "text",
        stdin='{"engine": "other", "audit_logging": true}',
        monkeypatch=monkeypatch,
    )
    assert "Self-managed on Amazon EC2" in out
    assert "Risks:" in out
    assert "Audit logging: Audit logs to CloudWatch Logs" in out


def test_bad_answers_exit_2_and_name_each_bad_field(monkeypatch):
    err = _fails(
        "-",
        stdin=json.dumps({"engine": "mongodb", "data_size_gb": -5, "colour": "blue"}),
        monkeypatch=monkeypatch,
    )
    assert "Invalid answers:" in err
    assert "engine: must be one of: postgresql, mysql" in err
    assert "data_size_gb: must be between 1 and 1,000,000." in err
    assert "colour: is not a known question." in err


def test_an_unknown_instance_class_exits_2_naming_it(monkeypatch):
    err = _fails(
        "-",
        stdin=json.dumps({"engine": "postgresql", "instance_class": "db.r9z.large"}),
        monkeypatch=monkeypatch,
    )
    assert "instance_class: 'db.r9z.large' is not one of the" in err


def test_missing_engine_exits_2_and_says_it_is_required(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("{}")
    assert "engine: is required." in _fails(str(path))


def test_answers_that_are_not_an_object_exit_2(monkeypatch):
    err = _fails("-", stdin='["postgresql"]', monkeypatch=monkeypatch)
    assert "Answers must be a JSON object" in err


def test_invalid_json_exits_2(monkeypatch):
    err = _fails("-", stdin='{"engine": "postgresql",', monkeypatch=monkeypatch)
    assert "not valid JSON" in err


@pytest.mark.parametrize(
    ("stdin", "words"),
    [("[" * 5_000 + "]" * 5_000, "nests too deeply"), ('{"n": ' + "9" * 5_000 + "}", "too long")],
)
def test_json_the_parser_cannot_take_exits_2_and_says_why(monkeypatch, stdin, words):
    assert words in _fails("-", stdin=stdin, monkeypatch=monkeypatch)


def test_a_missing_file_exits_2(tmp_path):
    err = _fails(str(tmp_path / "nowhere.json"))
    assert "cannot read" in err
    assert "nowhere.json" in err


def test_the_command_works_end_to_end_through_stdin():
    done = subprocess.run(
        [sys.executable, "manage.py", "advise", "-", "--format", "json"],
        input='{"engine": "mysql", "region_dr": "seconds"}',
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    rec = json.loads(done.stdout)
    jsonschema.validate(rec, RECOMMENDATION_SCHEMA)
    assert rec["decisions"]["disaster_recovery"]["choice"] == "aurora_global_database"


def test_the_command_exits_2_end_to_end_on_bad_input():
    done = subprocess.run(
        [sys.executable, "manage.py", "advise", "-"],
        input='{"engine": "postgresql", "rto": "days"}',
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert "rto: must be one of: hours, minutes, seconds." in done.stderr
    assert done.stdout == ""
