"""Share links: unguessable, never listed, tamper-proof, and permanent across rule changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisor import engine as engine_module
from advisor.engine import Engine
from advisor.models import ImmutableError, Recommendation
from advisor.recommendations import save_recommendation

pytestmark = pytest.mark.django_db


def test_slugs_carry_96_random_bits_in_a_url_safe_alphabet():
    slugs = {save_recommendation({"engine": "mysql"}).slug for _ in range(20)}
    assert len(slugs) == 20
    for slug in slugs:
        assert re.fullmatch(r"[A-Za-z0-9_-]{16}", slug)  # 16 x 6 bits


@pytest.mark.parametrize(
    "path", ["/r/", "/api/v1/recommendations/", "/api/v1/recommendations?page=1", "/r/index.json"]
)
def test_no_page_or_api_lists_recommendations(client, path):
    save_recommendation({"engine": "mysql"})
    response = client.get(path)
    assert response.status_code in (404, 405)


def test_the_admin_is_the_only_way_to_browse_and_requires_login(client):
    response = client.get("/admin/advisor/recommendation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_missing_slug_costs_the_same_single_indexed_lookup_as_an_existing_one(client):
    saved = save_recommendation({"engine": "mysql"})
    near_miss = saved.slug[:-1] + ("A" if saved.slug[-1] != "A" else "B")
    plans = []
    for slug in (saved.slug, near_miss):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/api/v1/recommendations/{slug}")
        lookups = [q["sql"] for q in queries if "advisor_recommendation" in q["sql"]]
        assert len(lookups) == 1
        assert "LIKE" not in lookups[0].upper()
        plans.append(re.sub(r"'[^']*'", "?", lookups[0]))
    assert plans[0] == plans[1]


def test_a_stored_recommendation_cannot_be_changed():
    saved = save_recommendation({"engine": "mysql"})
    saved.title = "changed"
    with pytest.raises(ImmutableError):
        saved.save()
    assert Recommendation.objects.get(pk=saved.pk).title == ""


def test_the_admin_cannot_edit_a_stored_recommendation(admin_client):
    saved = save_recommendation({"engine": "mysql"}, "Original")
    response = admin_client.post(
        f"/admin/advisor/recommendation/{saved.pk}/change/", {"title": "Tampered"}
    )
    assert response.status_code in (403, 200)
    assert Recommendation.objects.get(pk=saved.pk).title == "Original"


def test_a_page_renders_the_same_after_the_rule_catalog_changes(client, tmp_path, monkeypatch):
    saved = save_recommendation({"engine": "postgresql", "rto": "seconds"}, "Payments")
    before = client.get(f"/r/{saved.slug}/").content
    pack = tmp_path / "team.toml"
    pack.write_text(
        '[[rule]]\nid = "team.no-aurora"\nconcern = "platform"\n'
        'exclude = ["aurora", "aurora_serverless_v2"]\n'
        'rationale = "We stay on RDS."\nfacts = ["aurora.engines"]\n'
    )
    altered = Engine.load(extra_rule_files=[pack])
    assert altered.ruleset_version != saved.ruleset_version
    monkeypatch.setattr(engine_module, "default_engine", lambda: altered)
    from advisor.ops.caching import local

    local.clear()
    after = client.get(f"/r/{saved.slug}/").content
    assert _without_tokens(after) == _without_tokens(before)


def test_a_snapshot_from_an_older_ruleset_stays_readable(client):
    saved = save_recommendation({"engine": "mysql"}, "Legacy")
    old = dict(saved.recommendation)
    old["ruleset_version"] = "2024-01.0000000000"
    platform = dict(old["decisions"]["platform"])
    platform["rationale"] = [
        {"rule": "platform.retired-rule", "text": "A rule that no longer exists.",
         "facts": ["retired.fact"]}
    ]  # fmt: skip
    old["decisions"] = {**old["decisions"], "platform": platform}
    legacy = Recommendation.objects.create(
        title="Legacy", answers=saved.answers, recommendation=old,
        ruleset_version="2024-01.0000000000",
    )  # fmt: skip
    page = client.get(f"/r/{legacy.slug}/")
    assert page.status_code == 200
    assert b"A rule that no longer exists." in page.content
    assert b"2024-01.0000000000" in page.content
    assert client.get(f"/r/{legacy.slug}.md").status_code == 200
    assert client.get(f"/api/v1/recommendations/{legacy.slug}").status_code == 200


def _without_tokens(content: bytes) -> bytes:
    return re.sub(rb'csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', b"", content)
