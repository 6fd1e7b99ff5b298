"""Lineage: a copy links its parent (when its maker chose to) and says what changed; later versions
come from elsewhere; a link never leads further than its maker allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisor.recommendations import save_recommendation
from tests.drafts import step_url

from .conftest import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(stored):
    return save_recommendation(
        {**stored.answers, "rto": "seconds"}, "Checkout, faster", stored, shows_parent=True
    )


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
    grandchild = save_recommendation(
        {**child.answers, "audit_logging": True}, "Audited", child, shows_parent=True
    )
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


def test_a_version_whose_maker_did_not_link_it_leads_nowhere(client, stored):
    """Holding a version shows its own descendants, never its ancestors or their other versions."""
    private = save_recommendation({**stored.answers, "rto": "seconds"}, "Private copy", stored)
    sibling = save_recommendation({**stored.answers, "audit_logging": True}, "Sibling", stored)
    for path in (
        private.get_absolute_url(),
        reverse("lineage", args=[private.slug]),
        reverse("recommendation-json", args=[private.slug]),
        reverse("recommendation-madr", args=[private.slug]),
        reverse("api-detail", args=[private.slug]),
    ):
        body = client.get(path).content.decode()
        assert stored.slug not in body, path
        assert sibling.slug not in body, path
    page = html(client.get(private.get_absolute_url()))
    assert "whoever saved this one chose not to link to it" in page
    assert "Compare with the original" not in page
    assert client.get(reverse("api-detail", args=[private.slug])).json()["parent"] is None


def test_the_lineage_stops_at_the_first_version_that_does_not_link_back(client, stored):
    middle = save_recommendation({**stored.answers, "rto": "seconds"}, "Middle", stored)
    latest = save_recommendation(
        {**middle.answers, "audit_logging": True}, "Latest", middle, shows_parent=True
    )
    page = html(client.get(reverse("lineage", args=[latest.slug])))
    assert middle.get_absolute_url() in page
    assert stored.slug not in page


def test_more_than_fifty_versions_are_listed_fifty_a_page(client, stored):
    from advisor.models import Recommendation

    Recommendation.objects.bulk_create(
        Recommendation(
            title=f"Version {n:03d}",
            answers=stored.answers,
            recommendation=stored.recommendation,
            ruleset_version=stored.ruleset_version,
            parent=stored,
        )
        for n in range(120)
    )
    lineage = reverse("lineage", args=[stored.slug])
    first = html(client.get(lineage))
    assert first.count('class="variant__title"') == 50
    assert "Versions 1\N{EN DASH}50 of 120." in first
    assert f'href="{lineage}?page=2#variants"' in first
    last = html(client.get(lineage, {"page": 3}))
    assert last.count('class="variant__title"') == 20
    assert "Version 119" in last
    assert f'href="{lineage}?page=2#variants"' in last
    # A page that is not a number, or past the end, is the nearest real page, never an error.
    assert client.get(lineage, {"page": "x"}).status_code == 200
    assert "Version 119" in html(client.get(lineage, {"page": 999}))


@pytest.mark.parametrize("linked", [True, False])
def test_an_edited_copy_links_back_only_when_its_maker_ticks_the_box(client, stored, linked):
    from advisor.models import Recommendation

    client.post(reverse("recommendation-edit", args=[stored.slug]))
    review = html(client.get(step_url("review")))
    assert 'name="link_original" value="true"' in review
    form = {"_action": "create", "title": "Copy"}
    if linked:
        form["link_original"] = "true"
    client.post(step_url("review"), form)
    copy = Recommendation.objects.get(title="Copy")
    assert copy.parent == stored
    assert (stored.slug in html(client.get(copy.get_absolute_url()))) is linked


def test_a_saved_re_evaluation_links_back_only_when_asked(client, stored):
    from advisor.models import Recommendation

    Recommendation.objects.filter(pk=stored.pk).update(ruleset_version="2020-01-01.old")
    page = html(client.get(reverse("re-evaluate", args=[stored.slug])))
    assert 'name="link_original" value="true"' in page
    client.post(reverse("re-evaluate", args=[stored.slug]), {"link_original": "true"})
    saved = Recommendation.objects.exclude(pk=stored.pk).get()
    assert saved.shows_parent


@pytest.mark.django_db(transaction=True)
def test_versions_saved_before_the_choice_existed_keep_linking_their_parent():
    """Their pages render as they always did: the migration marks them as linked."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("advisor", "0002_rate_counters_and_heartbeat")])
    old = executor.loader.project_state([("advisor", "0002_rate_counters_and_heartbeat")]).apps
    Old = old.get_model("advisor", "Recommendation")
    fields = {"answers": {}, "recommendation": {}, "ruleset_version": "v"}
    parent = Old.objects.create(slug="P" * 16, **fields)
    Old.objects.create(slug="C" * 16, parent=parent, **fields)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from advisor.models import Recommendation

    assert Recommendation.objects.get(slug="C" * 16).shared_parent.slug == "P" * 16
    original = Recommendation.objects.get(slug="P" * 16)
    fresh = Recommendation.objects.create(parent=original, **fields)
    assert fresh.shared_parent is None


def _chain(stored, length):
    node = stored
    for n in range(length):
        node = save_recommendation(
            {**stored.answers, "restore_window_days": 8 + n}, f"Step {n}", node, shows_parent=True
        )
    return node


def test_the_lineage_page_reads_a_long_chain_in_as_many_queries_as_a_short_one(client, stored):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(slug):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("lineage", args=[slug])).status_code == 200
        return len(captured)

    short, long = _chain(stored, 2), _chain(stored, 12)
    assert queries(long.slug) == queries(short.slug)
    page = html(client.get(reverse("lineage", args=[long.slug])))
    assert page.count("Step ") >= 12
    assert stored.get_absolute_url() in page


def test_a_loop_in_the_links_ends_the_chain(client, stored):
    from advisor.models import Recommendation

    latest = _chain(stored, 3)
    Recommendation.objects.filter(pk=stored.pk).update(parent=latest, shows_parent=True)
    page = html(client.get(reverse("lineage", args=[latest.slug])))
    assert page.count("Step 1") >= 1
    assert stored.get_absolute_url() in page
