"""Drafts: stored wizard runs at their own links, kept while in use, purged when long idle."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from advisor.models import Draft, Recommendation
from advisor.recommendations import save_recommendation
from tests.drafts import current, step_url
from tests.web.test_wizard import form_data

pytestmark = pytest.mark.django_db


def test_purging_deletes_only_long_idle_drafts_and_never_a_recommendation():
    idle, fresh = Draft.objects.create(), Draft.objects.create()
    saved = save_recommendation({"engine": "mysql"}, "From the idle draft", draft=idle)
    Draft.objects.filter(pk=idle.pk).update(updated=timezone.now() - timedelta(days=91))
    out = StringIO()
    call_command("purge_drafts", stdout=out)
    assert "Deleted 1 draft" in out.getvalue()
    assert list(Draft.objects.all()) == [fresh]
    kept = Recommendation.objects.get(pk=saved.pk)
    assert kept.draft is None
    assert kept.published() == saved.published()


def test_purging_refuses_a_window_that_would_delete_drafts_in_use():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_drafts", "--days", "0")


def test_a_recommendation_leads_back_to_its_draft_only_for_whoever_worked_on_it(client):
    client.post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    client.post(step_url("review"), {"title": "Orders", "_action": "create"})
    saved = Recommendation.objects.get()
    page = client.get(saved.get_absolute_url()).content.decode()
    back = f"/r/{saved.slug}/draft/"
    assert f'hx-get="{back}" hx-trigger="load"' in page
    mine = client.get(back)
    assert mine.status_code == 200
    assert f'href="/drafts/{current().key}/review/"' in mine.content.decode()
    assert "no-cache" in mine["Cache-Control"]
    # Anyone else the link reaches gets nothing: a draft's link lets its holder change it.
    assert Client().get(back).status_code == 204
    # A recommendation not made from a draft has no way back.
    other = save_recommendation({"engine": "mysql"}, "Not from a draft")
    assert "/draft/" not in client.get(other.get_absolute_url()).content.decode()
    assert client.get(f"/r/{other.slug}/draft/").status_code == 204
