"""Drafts: stored wizard runs at their own links, kept while in use, purged when long idle."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from advisor.models import Draft, Recommendation
from advisor.recommendations import save_recommendation

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
