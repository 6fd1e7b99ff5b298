"""The learning pages: titles, landmarks, navigation, and nothing a strict CSP would block."""

from __future__ import annotations

import itertools
import re

import pytest

PAGES = [
    "/rules/",
    "/rules/?q=proxy",
    "/rules/platform.rds-by-default/",
    "/learn/",
    "/learn/glossary/",
]


@pytest.mark.parametrize("url", PAGES)
def test_learning_pages_have_one_h1_landmarks_and_a_title(client, url):
    html = client.get(url).content.decode()
    assert html.count("<h1") == 1
    assert '<main id="main"' in html
    assert "<header" in html
    assert '<nav aria-label="Main">' in html
    assert re.search(r"<title>[^<]+· Archwise</title>", html)


@pytest.mark.parametrize("url", PAGES)
def test_learning_pages_have_no_inline_script_style_or_event_handler(client, url):
    html = client.get(url).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html
    assert "<style" not in html
    assert "hx-on" not in html
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("url", PAGES)
def test_headings_never_skip_a_level(client, url):
    html = client.get(url).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)


def test_the_main_navigation_links_the_learning_pages(client):
    html = client.get("/").content.decode()
    for href, text in (
        ("/rules/", "Rules"),
        ("/learn/", "Learn"),
        ("/learn/glossary/", "Glossary"),
    ):
        assert f'<a href="{href}">{text}</a>' in html


def test_every_in_page_link_on_the_knowledge_base_has_a_target(client):
    html = client.get("/learn/").content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target
