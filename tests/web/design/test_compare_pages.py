"""Compare: two to four recommendations side by side, and the "Compare with…" form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisor.recommendations import save_recommendation

from .conftest import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def others(stored):
    return [
        save_recommendation({**stored.answers, "rto": "seconds"}, "Checkout, fast failover"),
        save_recommendation({**stored.answers, "cost_priority": "lowest_cost"}, "Checkout, cheap"),
        save_recommendation({**stored.answers, "region_dr": "hours"}, "Checkout, with DR"),
    ]


def test_two_recommendations_are_shown_side_by_side_with_differences_marked(client, stored, others):
    response = client.get(reverse("compare", args=[stored.slug, others[0].slug]))
    assert response.status_code == 200
    page = html(response)
    assert "2 recommendations side by side" in page
    assert "Checkout API" in page
    assert "Checkout, fast failover" in page
    assert "Differs" in page
    assert 'class="side__row is-different"' in page
    assert "(differs from A)" in page
    assert "Recovery time after a database failure (RTO)" in page
    assert "Amazon Aurora (provisioned)" in page


@pytest.mark.parametrize("count", [3, 4])
def test_three_and_four_recommendations_get_a_column_each(client, stored, others, count):
    slugs = [stored.slug, *(other.slug for other in others[: count - 1])]
    path = "/compare/" + "/".join(slugs) + "/"
    assert path == reverse("compare", args=slugs)
    page = html(client.get(path))
    assert f"{count} recommendations side by side" in page
    assert f'class="side side--{count}"' in page
    for letter in "ABCD"[:count]:
        assert f'<span class="side__letter">{letter}</span>' in page


def test_the_same_recommendation_twice_is_fine_and_the_same(client, stored):
    response = client.get(reverse("compare", args=[stored.slug, stored.slug]))
    assert response.status_code == 200
    assert "They are the same in every answer, decision, risk and cost." in html(response)


@pytest.mark.parametrize(
    "path",
    [
        "/compare/AAAAAAAAAAAAAAAA/{a}/",
        "/compare/{a}/AAAAAAAAAAAAAAAA/",
        "/compare/{a}/{a}/AAAAAAAAAAAAAAAA/",
        "/compare/{a}/not-a-slug/",
        "/compare/{a}/",
        "/compare/{a}/{a}/{a}/{a}/{a}/",
    ],
)
def test_unknown_or_malformed_slugs_are_a_404(client, stored, path):
    assert client.get(path.format(a=stored.slug)).status_code == 404


def test_a_pasted_full_link_goes_to_the_comparison(client, stored, others):
    pasted = f"https://archwise.example.com/r/{others[0].slug}/"
    response = client.get(reverse("compare-with"), {"from": stored.slug, "with": pasted})
    assert response.status_code == 303
    assert response["Location"] == reverse("compare", args=[stored.slug, others[0].slug])


@pytest.mark.parametrize(
    "pasted",
    [
        "{b}",
        "  {b}  ",
        "http://testserver/r/{b}/#risks",
        "testserver/r/{b}/",
        "/r/{b}.md",
        "https://archwise.example.com/api/v1/recommendations/{b}",
    ],
)
def test_a_bare_slug_or_any_form_of_the_link_is_understood(client, stored, others, pasted):
    response = client.get(
        reverse("compare-with"), {"from": stored.slug, "with": pasted.format(b=others[1].slug)}
    )
    assert response["Location"] == reverse("compare", args=[stored.slug, others[1].slug])


@pytest.mark.parametrize(
    "pasted",
    ["", "hello", "https://example.com/something/else", "/r/short/", "<script>", "[", "]", "//[x"],
)
def test_junk_gets_a_clear_message_and_the_form_again(client, stored, pasted):
    response = client.get(reverse("compare-with"), {"from": stored.slug, "with": pasted})
    assert response.status_code == 400
    page = html(response)
    assert "Archwise link" in page or "Paste the link" in page
    assert 'aria-invalid="true"' in page
    assert f'name="from" value="{stored.slug}"' in page
    assert "<script>" not in page.split("<main", 1)[1]


def test_a_link_that_was_never_made_here_says_so(client, stored):
    response = client.get(
        reverse("compare-with"), {"from": stored.slug, "with": "/r/AAAAAAAAAAAAAAAA/"}
    )
    assert response.status_code == 404
    assert "No recommendation with the code AAAAAAAAAAAAAAAA exists on this server" in html(
        response
    )


def test_the_form_from_an_unknown_recommendation_is_a_404(client):
    response = client.get(reverse("compare-with"), {"from": "AAAAAAAAAAAAAAAA", "with": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("origin", ["\x00", "AAAAAAAA\x00AAAAAAA", "", "x" * 300])
def test_text_that_cannot_be_a_link_is_a_404_never_an_outage(client, origin):
    response = client.get(reverse("compare-with"), {"from": origin, "with": "x"})
    assert response.status_code == 404
    assert "unavailable" not in html(response)


def test_every_recommendation_page_offers_the_compare_with_form(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    assert f'action="{reverse("compare-with")}"' in page
    assert 'method="get"' in page
    assert "Compare with…" in page
