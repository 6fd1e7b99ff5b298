"""The drafts API: create, fetch with an ETag (304 to poll), change against a version, store."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from advisor.models import Draft, Recommendation

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, path: str, body=None, **headers):
    data = "" if body is None else json.dumps(body)
    return getattr(client, method)(path, data, content_type="application/json", **headers)


@pytest.fixture
def made(client):
    response = send(
        client, "post", "/api/v1/drafts", {"answers": {"engine": "mysql"}, "title": "Orders"}
    )
    assert response.status_code == 201
    return response


def test_creating_a_draft_answers_with_its_id_link_and_version(client, made):
    body = made.json()
    draft = Draft.objects.get(key=body["id"])
    assert body["version"] == 1
    assert body["url"] == f"http://testserver/drafts/{draft.key}/workload/"
    assert (body["answers"], body["title"]) == ({"engine": "mysql"}, "Orders")
    assert made["ETag"] == f'"{draft.key}.1"'
    empty = send(client, "post", "/api/v1/drafts")
    assert empty.status_code == 201
    assert empty.json()["answers"] == {}


def test_a_draft_is_fetched_with_an_etag_and_a_304_while_unchanged(client, made):
    path = f"/api/v1/drafts/{made.json()['id']}"
    response = client.get(path)
    assert response.status_code == 200
    assert response["ETag"] == made["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=made["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_change_against_the_current_version_is_applied_and_counted(client, made):
    path = f"/api/v1/drafts/{made.json()['id']}"
    response = send(
        client, "patch", path, {"answers": {"rto": "seconds"}}, HTTP_IF_MATCH=made["ETag"]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["answers"] == {"engine": "mysql", "rto": "seconds"}
    assert body["version"] == 2
    assert client.get(path, HTTP_IF_NONE_MATCH=made["ETag"]).status_code == 200


def test_a_stale_change_is_refused_with_the_draft_as_it_is_now(client, made):
    path = f"/api/v1/drafts/{made.json()['id']}"
    first = send(client, "patch", path, {"answers": {"rto": "hours"}}, HTTP_IF_MATCH=made["ETag"])
    assert first.status_code == 200
    stale = send(client, "patch", path, {"answers": {"rto": "seconds"}}, HTTP_IF_MATCH=made["ETag"])
    assert stale.status_code == 412
    body = stale.json()
    assert body["answers"]["rto"] == "hours"  # the other change is kept, not overwritten
    assert "changed since that version" in body["errors"]["If-Match"]
    assert stale["ETag"] == first["ETag"]
    retried = send(
        client, "patch", path, {"answers": {"rto": "seconds"}}, HTTP_IF_MATCH=stale["ETag"]
    )
    assert retried.status_code == 200


def test_a_change_needs_if_match(client, made):
    path = f"/api/v1/drafts/{made.json()['id']}"
    response = send(client, "patch", path, {"answers": {"rto": "hours"}})
    assert response.status_code == 428
    assert "If-Match" in response.json()["errors"]
    odd = send(client, "patch", path, {"answers": {"rto": "hours"}}, HTTP_IF_MATCH='"nope"')
    assert odd.status_code == 412


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"answers": {"rto": "instantly"}}, "rto"),
        ({"answers": {"colour": "blue"}}, "colour"),
        ({"answers": ["engine"]}, "answers"),
        ({"title": 5}, "title"),
        ({"answer": {}}, "answer"),
        (["engine"], "__all__"),
    ],
)
def test_bad_fields_are_a_400_that_names_them(client, made, body, named):
    path = f"/api/v1/drafts/{made.json()['id']}"
    response = send(client, "patch", path, body, HTTP_IF_MATCH=made["ETag"])
    assert response.status_code == 400
    assert named in response.json()["errors"]
    assert send(client, "post", "/api/v1/drafts", body).status_code == 400
    assert Draft.objects.get(key=made.json()["id"]).version == 1


def test_an_unknown_draft_is_a_404(client):
    path = "/api/v1/drafts/AAAAAAAAAAAAAAAA"
    assert client.get(path).status_code == 404
    assert client.get("/api/v1/drafts/%00").status_code == 404
    assert send(client, "patch", path, {}, HTTP_IF_MATCH="x").status_code == 404
    assert send(client, "post", f"{path}/recommendations").status_code == 404


def test_storing_a_draft_makes_a_recommendation_linked_back_and_keeps_the_draft(client, made):
    key = made.json()["id"]
    response = send(client, "post", f"/api/v1/drafts/{key}/recommendations")
    assert response.status_code == 201
    saved = Recommendation.objects.get(slug=response.json()["slug"])
    assert (saved.title, saved.answers["engine"]) == ("Orders", "mysql")
    assert saved.draft.key == key
    assert response.json()["recommendation"]["decisions"]["platform"]["choice"]
    # The draft goes on; storing it again makes the next version, from this one.
    draft = client.get(f"/api/v1/drafts/{key}").json()
    assert draft["parent"] == saved.slug
    patch = send(
        client,
        "patch",
        f"/api/v1/drafts/{key}",
        {"answers": {"engine": "postgresql"}},
        HTTP_IF_MATCH=client.get(f"/api/v1/drafts/{key}")["ETag"],
    )
    assert patch.status_code == 200
    second = send(client, "post", f"/api/v1/drafts/{key}/recommendations", {"title": "Orders 2"})
    assert Recommendation.objects.get(slug=second.json()["slug"]).parent == saved


def test_a_draft_without_an_engine_cannot_be_stored(client):
    key = send(client, "post", "/api/v1/drafts").json()["id"]
    response = send(client, "post", f"/api/v1/drafts/{key}/recommendations")
    assert response.status_code == 400
    assert "engine" in response.json()["errors"]


@override_settings(CREATE_RATE_PER_MINUTE=1)
def test_new_drafts_are_rate_limited_like_recommendations(client):
    assert send(client, "post", "/api/v1/drafts").status_code == 201
    assert send(client, "post", "/api/v1/drafts").status_code == 429


# -- notes ---------------------------------------------------------------------------------------


def test_notes_are_created_fetched_changed_and_taken_away_by_version(client):
    notes = {"rto": {"note": "Agreed with payments", "not_applicable": "business_priorities"}}
    made = send(client, "post", "/api/v1/drafts", {"answers": {"engine": "mysql"}, "notes": notes})
    assert made.status_code == 201
    assert made.json()["notes"] == notes
    path = f"/api/v1/drafts/{made.json()['id']}"
    assert client.get(path).json()["notes"] == notes
    changed = send(
        client,
        "patch",
        path,
        {"notes": {"rpo": {"note": "  Nightly   is fine "}, "rto": None}},
        HTTP_IF_MATCH=made["ETag"],
    )
    assert changed.status_code == 200
    assert changed.json()["notes"] == {"rpo": {"note": "Nightly is fine"}}
    assert changed.json()["answers"] == {"engine": "mysql"}  # notes are not answers
    stale = send(client, "patch", path, {"notes": {"rpo": None}}, HTTP_IF_MATCH=made["ETag"])
    assert stale.status_code == 412
    assert stale.json()["notes"] == {"rpo": {"note": "Nightly is fine"}}


@pytest.mark.parametrize(
    ("notes", "named"),
    [
        ({"colour": {"note": "blue"}}, "notes.colour"),
        ({"rto": {"note": 5}}, "notes.rto.note"),
        ({"rto": {"note": "x" * 501}}, "notes.rto.note"),
        ({"rto": {"not_applicable": "tired"}}, "notes.rto.not_applicable"),
        ({"rto": {"reason": "other"}}, "notes.rto.reason"),
        ({"rto": "fine"}, "notes.rto"),
        (["rto"], "notes"),
    ],
)
def test_bad_notes_are_a_400_that_names_them(client, made, notes, named):
    path = f"/api/v1/drafts/{made.json()['id']}"
    response = send(client, "patch", path, {"notes": notes}, HTTP_IF_MATCH=made["ETag"])
    assert response.status_code == 400
    assert named in response.json()["errors"]
    assert send(client, "post", "/api/v1/drafts", {"notes": notes}).status_code == 400
    assert Draft.objects.get(key=made.json()["id"]).notes == {}


def test_a_stored_draft_carries_its_notes_and_only_its_own(client, made):
    key = made.json()["id"]
    notes = {"rto": {"not_applicable": "out_of_scope"}}
    send(client, "patch", f"/api/v1/drafts/{key}", {"notes": notes}, HTTP_IF_MATCH=made["ETag"])
    stored = send(client, "post", f"/api/v1/drafts/{key}/recommendations")
    assert stored.status_code == 201
    saved = Recommendation.objects.get(slug=stored.json()["slug"])
    assert saved.notes == notes
    assert client.get(f"/api/v1/recommendations/{saved.slug}").json()["notes"] == notes
    # Answers and notes change by PATCH, against a version; storing takes only a title.
    refused = send(
        client, "post", f"/api/v1/drafts/{key}/recommendations", {"answers": {"rto": "seconds"}}
    )
    assert refused.status_code == 400
    assert "answers" in refused.json()["errors"]
