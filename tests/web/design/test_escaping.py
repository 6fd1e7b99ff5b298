"""A hostile title stays text on every design-session page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisor.recommendations import save_recommendation

from .conftest import LAMBDA, html

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(1)>'


@pytest.fixture
def pair():
    parent = save_recommendation(LAMBDA, HOSTILE)
    child = save_recommendation({**LAMBDA, "rto": "seconds"}, HOSTILE + " child", parent)
    return parent, child


def test_a_hostile_title_is_escaped_on_every_design_page(client, pair):
    parent, child = pair
    pages = [
        child.get_absolute_url(),
        reverse("compare", args=[parent.slug, child.slug]),
        reverse("lineage", args=[child.slug]),
        reverse("lineage", args=[parent.slug]),
        reverse("re-evaluate", args=[child.slug]),
        reverse("what-if", args=[parent.slug]) + '?answer=rto&value="hours"',
        reverse("compare-with") + f"?from={parent.slug}&with=%3Cscript%3E",
    ]
    for path in pages:
        page = html(client.get(path))
        assert "<script>alert(1)" not in page, path
        assert "<img src=x" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
