"""Every user-supplied text is escaped wherever it appears: pages, Open Graph tags, exports."""

import html
import json
import re

import pytest
import yaml

from advisor.recommendations import save_recommendation

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    "<body onload=alert(1)>",
    "<style>*{display:none}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=//evil.example">',
    "<base href=//evil.example/>",
    "<form action=//evil.example><button>go</button></form>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '"/><meta property="og:title" content="spoofed',
    "{{ 7*7 }} {% debug %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "# Heading\n\n[click](javascript:alert(1))",
    "`code` **bold** <b>b</b> | table | pipe |",
    "'; DROP TABLE advisor_recommendation; --",
    '" OR 1=1 --',
    "<x onclick=alert(1)>click</x>",
]


def stored(title):
    # The title is normalised (whitespace collapsed) as the API and wizard do.
    return save_recommendation({"engine": "postgresql", "cache_uses": ["session_store"]}, title)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_is_escaped_on_the_recommendation_page(client, payload):
    saved = stored(payload)
    page = client.get(f"/r/{saved.slug}/").content.decode()
    title = saved.title
    if any(ch in title for ch in "<>\"'&"):
        assert title not in page
    assert html.escape(title, quote=True) in page or html.escape(title, quote=False) in page
    assert "alert(1)</script>" not in page.replace("&lt;/script&gt;", "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_is_escaped_in_the_open_graph_tags(client, payload):
    saved = stored(payload)
    page = client.get(f"/r/{saved.slug}/").content.decode()
    og = [line for line in page.splitlines() if 'property="og:title"' in line]
    assert og, "the page has an og:title tag"
    content = og[0].split('content="', 1)[1].split('"', 1)[0]
    assert html.unescape(content).startswith(saved.title[:40])
    assert "<" not in content
    assert ">" not in content


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_cannot_break_the_decision_record(client, payload):
    saved = stored(payload)
    record = client.get(f"/r/{saved.slug}.md").content.decode()
    heading, rest = record.split("\n", 1)
    assert heading.startswith("# ")
    # Markdown renders a backslash-escaped "<" as text; an unescaped one would be raw HTML.
    assert not re.search(r"(?<!\\)<(script|img|svg|iframe|a |style|x )", record, re.IGNORECASE)
    assert "](javascript:" not in rest


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_stays_data_in_the_json_export(client, payload):
    saved = stored(payload)
    response = client.get(f"/r/{saved.slug}.json")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert json.loads(response.content)["title"] == saved.title


class _AnyTagLoader(yaml.SafeLoader):
    """Reads CloudFormation's short-form tags (!Ref, !GetAtt ...) as plain values."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_cannot_change_the_cloudformation_template(client, payload):
    benign = yaml.load(
        client.get(f"/r/{stored('Orders').slug}/cloudformation.yaml").content, _AnyTagLoader
    )
    template = client.get(f"/r/{stored(payload).slug}/cloudformation.yaml").content.decode()
    hostile = yaml.load(template, _AnyTagLoader)
    assert hostile.keys() == benign.keys()
    assert hostile["Resources"].keys() == benign["Resources"].keys()
    assert hostile["Parameters"].keys() == benign["Parameters"].keys()


def _draft(client, **body) -> str:
    """A MySQL draft made through the API with these parts (title, notes); its id."""
    response = client.post(
        "/api/v1/drafts",
        json.dumps({"answers": {"engine": "mysql"}, **body}),
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()["id"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_draft_title_is_escaped_in_the_wizard_and_the_api(client, payload):
    title = " ".join(payload.split())
    key = _draft(client, title=title)
    page = client.get(f"/drafts/{key}/review/").content.decode()
    if any(ch in title for ch in "<>\"'&"):
        assert title not in page
    assert html.escape(title, quote=True) in page
    assert "alert(1)</script>" not in page.replace("&lt;/script&gt;", "")
    assert client.get(f"/api/v1/drafts/{key}").json()["title"] == title


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_note_is_escaped_on_every_surface(client, payload):
    note = " ".join(payload.split())
    notes = {"rto": {"note": note, "not_applicable": "other"}}
    key = _draft(client, notes=notes)
    assert client.get(f"/api/v1/drafts/{key}").json()["notes"] == notes
    stored = client.post(f"/api/v1/drafts/{key}/recommendations", content_type="application/json")
    assert stored.status_code == 201, stored.content
    slug = stored.json()["slug"]
    for path in (f"/drafts/{key}/availability/", f"/drafts/{key}/review/", f"/r/{slug}/"):
        page = client.get(path).content.decode()
        if any(ch in note for ch in "<>\"'&"):
            assert note not in page, path
        assert html.escape(note, quote=True) in page, path
        assert "alert(1)</script>" not in page.replace("&lt;/script&gt;", ""), path
    record = client.get(f"/r/{slug}.md").content.decode()
    assert not re.search(r"(?<!\\)<(script|img|svg|iframe|a |style|x )", record, re.IGNORECASE)
    assert not re.search(r"(?<!\\)\]\(javascript:", record)  # "\]" is text, not a link
    assert json.loads(client.get(f"/r/{slug}.json").content)["notes"] == notes
