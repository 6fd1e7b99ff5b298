import json

import pytest

from advisor.models import Recommendation

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/recommendations"
EVALUATE = "/api/v1/evaluate"


def post(client, url, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type=content_type)


def test_it_creates_a_recommendation_and_returns_its_link(client):
    response = post(client, CREATE, {"engine": "postgresql", "title": "Orders API"})
    assert response.status_code == 201
    body = response.json()
    saved = Recommendation.objects.get(slug=body["slug"])
    assert saved.title == "Orders API"
    assert body["url"] == f"http://testserver/r/{saved.slug}/"
    assert body["recommendation"]["decisions"]["platform"]["choice"] == "rds"
    assert saved.recommendation == body["recommendation"]


def test_it_stores_the_normalised_answers_and_ruleset_version(client):
    body = post(client, CREATE, {"engine": "mysql", "read_replicas": 2}).json()
    saved = Recommendation.objects.get(slug=body["slug"])
    assert saved.answers["read_replicas"] == 2
    assert saved.answers["rto"] == "minutes"
    assert saved.ruleset_version == body["recommendation"]["ruleset_version"]


def test_slugs_are_random_and_long(client):
    slugs = {post(client, CREATE, {"engine": "mysql"}).json()["slug"] for _ in range(5)}
    assert len(slugs) == 5
    assert all(len(slug) == 16 for slug in slugs)


def test_it_fetches_the_stored_snapshot(client):
    slug = post(client, CREATE, {"engine": "mariadb", "title": "Blog"}).json()["slug"]
    response = client.get(f"{CREATE}/{slug}")
    assert response.status_code == 200
    snapshot = response.json()
    assert snapshot["slug"] == slug
    assert snapshot["title"] == "Blog"
    assert snapshot["answers"]["engine"] == "mariadb"
    assert snapshot["recommendation"]["schema"] == "archwise.recommendation/v1"


def test_fetching_an_unknown_slug_is_a_json_404(client):
    response = client.get(f"{CREATE}/AAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert "slug" in response.json()["errors"]


def test_evaluate_returns_a_recommendation_without_storing_it(client):
    response = post(client, "/api/v1/evaluate", {"engine": "sqlserver", "needs_os_access": True})
    assert response.status_code == 200
    assert response.json()["decisions"]["platform"]["choice"] == "rds_custom"
    assert Recommendation.objects.count() == 0


def test_the_schema_describes_every_answer(client):
    schema = client.get("/api/v1/schema").json()
    assert schema["required"] == ["engine"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["rto"]["enum"] == ["hours", "minutes", "seconds"]
    assert schema["properties"]["monthly_budget_usd"]["type"] == ["integer", "null"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "engine", "required"),
        ({"engine": "postgres"}, "engine", "one of"),
        ({"engine": "mysql", "read_replicas": "3"}, "read_replicas", "whole number"),
        ({"engine": "mysql", "read_replicas": 41}, "read_replicas", "between 0 and 40"),
        ({"engine": "mysql", "data_size_gb": 0}, "data_size_gb", "between 1 and 1,000,000"),
        ({"engine": "mysql", "iam_auth": "yes"}, "iam_auth", "true or false"),
        ({"engine": "mysql", "iam_auth": 1}, "iam_auth", "true or false"),
        ({"engine": "mysql", "cache_uses": "pub_sub"}, "cache_uses", "list"),
        ({"engine": "mysql", "cache_uses": ["kv"]}, "cache_uses", "unknown"),
        ({"engine": "mysql", "colour": "blue"}, "colour", "not a known question"),
        ({"engine": "mysql", "title": 7}, "title", "text"),
        ({"engine": "mysql", "title": "x" * 121}, "title", "at most 120"),
        ({"engine": "mysql", "rto": None}, "rto", "one of"),
        ({"engine": "mysql", "instance_class": "db.r5.huge"}, "instance_class", "not one of"),
        ({"engine": "oracle", "instance_class": "db.r7g.large"}, "instance_class", "Intel"),
        ({"engine": "mysql", "pricing": "spot"}, "pricing", "one of"),
        ({"engine": "mysql", "region": "mars-1"}, "region", "one of"),
        ({"engine": "mysql", "working_set_gb": 0}, "working_set_gb", "between 1"),
    ],
)
def test_bad_answers_get_a_400_naming_each_field(client, body, field, words):
    for url in (CREATE, "/api/v1/evaluate"):
        response = post(client, url, body)
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert field in errors
        assert words in errors[field]
    assert Recommendation.objects.count() == 0


def test_it_reports_every_bad_field_at_once(client):
    errors = post(client, CREATE, {"engine": "x", "rto": "soon", "tls_required": "no"}).json()
    assert set(errors["errors"]) == {"engine", "rto", "tls_required"}


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "null", "", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_gets_a_400(client, body):
    response = post(client, CREATE, body)
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[" * 5_000 + "]" * 5_000, "nests too deeply"),
        ('{"engine": "mysql", "data_size_gb": ' + "9" * 5_000 + "}", "number too long"),
    ],
)
@pytest.mark.parametrize("url", [CREATE, EVALUATE])
def test_json_the_parser_cannot_take_gets_a_400_that_says_why(client, url, body, words):
    response = post(client, url, body)
    assert response.status_code == 400
    assert words in response.json()["errors"]["__all__"]
    assert Recommendation.objects.count() == 0


def test_a_form_encoded_body_is_refused_with_415(client):
    response = client.post(CREATE, {"engine": "mysql"})
    assert response.status_code == 415
    assert "application/json" in response.json()["errors"]["__all__"]


def test_the_api_needs_no_csrf_token(rf):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = post(strict, CREATE, {"engine": "mysql"})
    assert response.status_code == 201


def test_wrong_methods_are_refused(client):
    assert client.get(CREATE).status_code == 405
    assert client.get("/api/v1/evaluate").status_code == 405
    assert client.post("/api/v1/schema").status_code == 405


@pytest.mark.parametrize("path", ["/api/v1/schema", "detail"])
def test_head_on_the_apis_get_endpoints_answers_like_get_without_a_body(client, path):
    if path == "detail":
        created = post(client, CREATE, {"engine": "mysql"}).json()
        path = f"/api/v1/recommendations/{created['slug']}"
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_evaluating_is_limited_per_client_with_a_json_429(client, settings):
    settings.EVALUATE_RATE_PER_MINUTE = 2
    body = json.dumps({"engine": "mysql"})
    statuses = [
        client.post(EVALUATE, data=body, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = client.post(EVALUATE, data=body, content_type="application/json")
    assert "Too many evaluations" in response.json()["errors"]["__all__"]
    assert int(response["Retry-After"]) >= 1
