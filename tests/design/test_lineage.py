"""Lineage: a copy links its parent and says what changed; later versions come from elsewhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisor.recommendations import save_recommendation

from .conftest import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(stored):
    return save_recommendation({**stored.answers, "rto": "seconds"}, "Checkout, faster", stored)


def test_a_child_shows_its_parent_and_what_changed(client, stored, child):
    page = html(client.get(child.get_absolute_url()))
    lineage = page[page.index('id="lineage"') : page.index('class="compare-with"')]
    assert f'href="{stored.get_absolute_url()}"' in lineage
    assert "Recovery time after a database failure (RTO)" in lineage
    assert "<del>Minutes: automatic failover in 1-2 minutes</del>" in lineage
    assert "<ins>Amazon Aurora (provisioned)</ins>" in lineage
    assert "Changed" in lineage
    assert "Compare with the original" in lineage


def test_an_original_says_so(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    assert "This is an original" in page
    assert "Compare with the original" not in page


def test_children_are_never_on_the_cached_page_but_load_from_their_own_endpoint(
    client, stored, child
):
    page = html(client.get(stored.get_absolute_url()))
    assert child.slug not in page
    assert f'hx-get="{reverse("lineage", args=[stored.slug])}"' in page
    assert f'href="{reverse("lineage", args=[stored.slug])}"' in page
    fragment = client.get(reverse("lineage", args=[stored.slug]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in html(fragment)
    assert child.get_absolute_url() in html(fragment)
    assert "Checkout, faster" in html(fragment)
    assert "no-cache" in fragment["Cache-Control"]


def test_a_version_made_later_appears_without_the_page_changing(client, stored):
    before = client.get(stored.get_absolute_url())
    later = save_recommendation({**stored.answers, "audit_logging": True}, "Audited", stored)
    assert client.get(stored.get_absolute_url())["ETag"] == before["ETag"]
    listing = html(client.get(reverse("lineage", args=[stored.slug]), HTTP_HX_REQUEST="true"))
    assert later.get_absolute_url() in listing


def test_the_lineage_page_shows_ancestors_and_versions(client, stored, child):
    grandchild = save_recommendation({**child.answers, "audit_logging": True}, "Audited", child)
    page = html(client.get(reverse("lineage", args=[child.slug])))
    assert "<html" in page
    assert stored.get_absolute_url() in page
    assert grandchild.get_absolute_url() in page
    assert reverse("compare", args=[stored.slug, child.slug]) in page
    deep = html(client.get(reverse("lineage", args=[grandchild.slug])))
    assert deep.index(child.get_absolute_url()) < deep.index(stored.get_absolute_url())


def test_an_original_without_versions_says_none_yet(client, stored):
    page = html(client.get(reverse("lineage", args=[stored.slug]), HTTP_HX_REQUEST="true"))
    assert "No versions have been made from this one yet." in page


def test_the_lineage_of_an_unknown_slug_is_a_404(client):
    assert client.get("/r/AAAAAAAAAAAAAAAA/lineage/").status_code == 404
