"""The 15-minute path on /learn/ and its example recommendations."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from advisor.web.learn import learning_path
from tests.drafts import current

pytestmark = pytest.mark.django_db

ROWS = [entry["row"] for item in learning_path() for entry in item["rows"]]


def test_learn_opens_with_the_path_and_its_four_tables(client):
    page = client.get(reverse("learn")).content.decode()
    assert "The trade-offs in 15 minutes, then the facts" in page
    assert page.index('id="path"') < page.index('id="knowledge-base"')
    assert page.count('<table class="path-table">') == 4
    for row in ROWS:
        assert reverse("path-example", args=[row.key]) in page
        for fact_id in row.facts:
            assert f'href="#fact-{fact_id}"' in page
            assert f'id="fact-{fact_id}"' in page  # the link lands on the fact, with its source


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_each_example_shows_its_choice_in_a_recommendation(client, row):
    response = client.get(reverse("path-example", args=[row.key]))
    assert response.status_code == 200
    page = response.content.decode()
    shown = page[page.index('class="is-shown"') :]
    assert "This lesson" in shown
    assert reverse("example", args=[f"learn-{row.key}"]) in page
    assert escape(row.name) in page


def test_an_unknown_example_is_a_404(client):
    assert client.get("/learn/examples/platforms-nope/").status_code == 404


def test_an_example_opens_in_the_wizard_with_its_answers(client):
    response = client.post(reverse("example", args=["learn-cache-memcached"]))
    assert response.status_code in (302, 303)
    draft = current()
    assert draft.answers["cache_uses"] == ["query_results"]
    assert draft.title == "Memcached, an example"
    assert client.post(reverse("example", args=["learn-nope"])).status_code == 404
