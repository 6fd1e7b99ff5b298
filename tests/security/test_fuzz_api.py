"""Arbitrary input to every API endpoint: never a 500, always a message naming the field."""

import json
import os
from http.cookies import SimpleCookie

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import FIELDS
from tests.scale import examples

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", examples(2000)))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = [f.name for f in FIELDS]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
valid_values = {
    f.name: (
        st.sampled_from(f.values)
        if f.kind == "choice"
        else st.booleans()
        if f.kind == "bool"
        else st.lists(st.sampled_from(f.values), unique=True)
        if f.kind == "list"
        else st.integers(f.minimum, f.maximum) | (st.none() if f.nullable else st.nothing())
    )
    for f in FIELDS
}


@st.composite
def near_valid_answers(draw):
    """Valid answers with some fields replaced by arbitrary values, dropped, or added."""
    answers = {name: draw(valid_values[name]) for name in NAMES if draw(st.booleans())}
    if draw(st.booleans()):
        answers["engine"] = draw(valid_values["engine"])
    for name in draw(st.lists(st.sampled_from(NAMES), max_size=3)):
        answers[name] = draw(json_values)
    if draw(st.booleans()):
        answers[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
    if draw(st.booleans()):
        answers["title"] = draw(st.text(max_size=140) | json_values)
    return answers


bodies = near_valid_answers() | json_values


def post(client, url, body):
    data = json.dumps(body, allow_nan=True)
    return client.post(url, data=data, content_type="application/json")


def check(response, body):
    assert response.status_code in (200, 201, 400), response.content[:300]
    payload = response.json()
    if response.status_code == 400:
        errors = payload["errors"]
        assert errors, body
        for field, message in errors.items():
            assert isinstance(message, str)
            assert message.strip()
            if field != "__all__":
                assert field in NAMES or (isinstance(body, dict) and field in body)
    return payload


@override_settings(EVALUATE_RATE_PER_MINUTE=10**9)
@FUZZ
@given(body=bodies)
def test_evaluate_never_fails_on_arbitrary_json(client, body):
    client.cookies = SimpleCookie()  # each example starts with no cookies
    payload = check(post(client, "/api/v1/evaluate", body), body)
    if "decisions" in payload:
        assert set(payload["decisions"]) >= {"platform", "cache", "backups"}


@override_settings(CREATE_RATE_PER_MINUTE=10**9, CREATE_RATE_PER_DAY=10**9)
@FUZZ
@given(body=bodies)
def test_create_never_fails_on_arbitrary_json(client, body):
    client.cookies = SimpleCookie()
    payload = check(post(client, "/api/v1/recommendations", body), body)
    if "slug" in payload:
        stored = client.get(f"/api/v1/recommendations/{payload['slug']}").json()
        assert stored["recommendation"] == payload["recommendation"]


@override_settings(EVALUATE_RATE_PER_MINUTE=10**9)
@FUZZ
@given(raw=st.binary(max_size=200))
def test_raw_bytes_never_fail(client, raw):
    client.cookies = SimpleCookie()
    response = client.post("/api/v1/evaluate", data=raw, content_type="application/json")
    assert response.status_code in (200, 400)
    assert response.json()


@FUZZ
@given(slug=st.text(max_size=40))
def test_fetching_any_slug_is_a_404_or_the_snapshot(client, slug):
    client.cookies = SimpleCookie()
    from urllib.parse import quote

    response = client.get("/api/v1/recommendations/" + quote(slug, safe=""))
    assert response.status_code == 404
