"""The same answers give the same bytes in every process: the recommendation, the decision record,
the CloudFormation template and the diagram. Each is made in two Python processes with different
hash seeds, so any order that comes from iterating a set or a dict of sets would show."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MAKE_EVERYTHING = """
import json, sys
from advisor.engine import recommend
from advisor.outputs import diagram
from advisor.outputs import cloudformation, record

url = "https://archwise.example/r/Ab3dEf6hIj9lMn0p/"
for answers in json.loads(sys.argv[1]):
    rec = recommend(answers)
    snapshot = {
        "slug": "Ab3dEf6hIj9lMn0p", "title": "", "created": "2026-11-28T09:30:00+00:00",
        "ruleset_version": rec["ruleset_version"], "parent": None,
        "answers": rec["answers"], "recommendation": rec,
    }
    print(json.dumps(rec))
    print(record.render(snapshot, url))
    print(cloudformation.render(snapshot, url))
    print(diagram.render(rec, "d"))
"""

ANSWERS = [
    {"engine": "mysql", "read_replicas": 2, "cache_uses": ["session_store", "query_results"]},
    {"engine": "postgresql", "region_dr": "seconds", "monthly_budget_usd": 300},
    {"engine": "oracle", "needs_os_access": True, "client_type": "serverless_functions"},
    {"engine": "sqlserver", "traffic_pattern": "spiky", "iam_auth": True, "audit_logging": True},
]


def _made_with_hash_seed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "advisor.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + MAKE_EVERYTHING,
         json.dumps(ANSWERS)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


@pytest.mark.parametrize("seeds", [("1", "2")])
def test_every_output_is_the_same_bytes_whatever_the_hash_seed(seeds):
    first, second = (_made_with_hash_seed(seed) for seed in seeds)
    assert first.count("AWSTemplateFormatVersion") == len(ANSWERS) - 1  # Oracle on RDS Custom
    assert first == second
