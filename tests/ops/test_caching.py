import re

import pytest
from django.test import Client

from advisor.models import Recommendation, Review
from advisor.recommendations import save_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved():
    return save_recommendation({"engine": "postgresql", "read_replicas": 2}, "Catalog")


def token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def test_a_stored_page_is_rendered_once_then_served_without_the_database(
    client, saved, django_assert_num_queries
):
    first = client.get(f"/r/{saved.slug}/")
    with django_assert_num_queries(0):
        second = client.get(f"/r/{saved.slug}/")
    assert second.status_code == 200
    assert second["ETag"] == first["ETag"]
    assert b"Catalog" in second.content


def test_a_browser_with_the_page_gets_a_304(client, saved):
    etag = client.get(f"/r/{saved.slug}/")["ETag"]
    response = client.get(f"/r/{saved.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert "private" in response.get("Cache-Control", "private")


def test_if_none_match_is_read_as_a_list_of_tags_weak_or_strong(client, saved):
    etag = client.get(f"/r/{saved.slug}/")["ETag"]
    page = f"/r/{saved.slug}/"
    assert client.get(page, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(page, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get("/r/AAAAAAAAAAAAAAAA/", HTTP_IF_NONE_MATCH="*").status_code == 404
    # A header that merely contains the tag, inside another one, is not a match.
    assert client.get(page, HTTP_IF_NONE_MATCH=f'"x{etag[1:-1]}x"').status_code == 200
    assert client.get(page, HTTP_IF_NONE_MATCH=etag[:-2] + '"').status_code == 200
    assert client.get(page, HTTP_IF_NONE_MATCH=etag)["ETag"] == etag


def test_each_visitor_gets_their_own_csrf_token_from_the_cached_page(saved):
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice_token = token(alice.get(f"/r/{saved.slug}/").content)
    bob_token = token(bob.get(f"/r/{saved.slug}/").content)
    assert alice_token != bob_token
    assert "placeholder" not in alice_token
    # Bob's "Edit a copy" works from the page that was cached for Alice.
    response = bob.post(f"/r/{saved.slug}/edit/", {"csrfmiddlewaretoken": bob_token})
    assert response.status_code in (302, 303)


def test_the_page_is_marked_private_and_revalidated(client, saved):
    response = client.get(f"/r/{saved.slug}/")
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_unknown_slugs_are_not_cached_as_pages(client, saved):
    assert client.get("/r/AAAAAAAAAAAAAAAA/").status_code == 404
    Recommendation.objects.all().delete()
    assert client.get(f"/r/{saved.slug}/").status_code == 404


@pytest.mark.parametrize("suffix", [".json", "/cloudformation.yaml"])
def test_exports_are_cached_with_an_etag_and_keep_their_headers(
    client, saved, suffix, django_assert_num_queries
):
    first = client.get(f"/r/{saved.slug}{suffix}")
    with django_assert_num_queries(0):
        second = client.get(f"/r/{saved.slug}{suffix}")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("Content-Disposition") == first.get("Content-Disposition")
    assert (
        client.get(f"/r/{saved.slug}{suffix}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )


@pytest.mark.parametrize("suffix", [".md", ".md?download=1"])
def test_the_decision_record_is_revalidated_with_one_query_and_changes_with_the_status(
    client, saved, suffix, django_assert_num_queries
):
    """It says the team's latest decision, so it is not cached for good; its ETag names that
    decision, and a browser that has it gets a 304 for one query."""
    first = client.get(f"/r/{saved.slug}{suffix}")
    assert "private" in first["Cache-Control"]
    assert "no-cache" in first["Cache-Control"]
    with django_assert_num_queries(1):
        again = client.get(f"/r/{saved.slug}{suffix}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    Review.objects.create(recommendation=saved, status="accepted")
    after = client.get(f"/r/{saved.slug}{suffix}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert b"* Status: accepted" in after.content
    assert after.get("Content-Disposition") == first.get("Content-Disposition")


def test_the_release_covers_every_module_and_data_file_that_renders_a_page(monkeypatch):
    """Cached pages are keyed on the release: a change to a view, an export, the engine's data
    or a template must make a new release, or a deploy would serve the old pages."""
    from pathlib import Path

    from advisor.ops import caching

    read: list[Path] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or original(path))
    caching._release()
    names = {path.as_posix() for path in read}
    for expected in (
        "advisor/web/recommendation.py",
        "advisor/outputs/record.py",
        "advisor/reading/vocabulary.py",
        "advisor/engine/data/answers.toml",
        "templates/recommendation/recommendation.html",
        "static/css/archwise.css",
    ):
        assert any(name.endswith(expected) for name in names), expected
