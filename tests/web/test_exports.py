import json

import pytest
import yaml

from advisor.outputs import cloudformation

pytestmark = pytest.mark.django_db

UNKNOWN = "AAAAAAAAAAAAAAAA"


@pytest.fixture
def saved(store):
    return store(
        {"engine": "postgresql", "client_type": "serverless_functions", "read_replicas": 1},
        title="Orders API",
    )


def test_the_decision_record_is_served_as_markdown_inline(client, saved):
    response = client.get(f"/r/{saved.slug}.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="archwise-{saved.slug}.md"'
    text = response.content.decode()
    assert text.startswith("# Orders API\n")
    assert f"<http://testserver/r/{saved.slug}/>" in text


def test_the_decision_record_downloads_as_an_attachment_on_request(client, saved):
    response = client.get(f"/r/{saved.slug}.md?download=1")
    assert response["Content-Disposition"] == f'attachment; filename="archwise-{saved.slug}.md"'


def test_the_json_export_is_exactly_the_stored_snapshot(client, saved):
    response = client.get(f"/r/{saved.slug}.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == saved.published()
    api = client.get(f"/api/v1/recommendations/{saved.slug}")
    assert json.loads(response.content) == api.json()


def test_the_cloudformation_template_is_served_as_yaml(client, saved):
    response = client.get(f"/r/{saved.slug}/cloudformation.yaml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/yaml; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="archwise-{saved.slug}.yaml"'
    text = response.content.decode()
    assert f"# Decision record: http://testserver/r/{saved.slug}/" in text
    assert yaml.safe_load(text)["Resources"]["Proxy"]["Type"] == "AWS::RDS::DBProxy"


def test_the_cloudformation_template_downloads_on_request(client, saved):
    response = client.get(f"/r/{saved.slug}/cloudformation.yaml?download=1")
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"engine": "other"}, cloudformation.NOT_GENERATED_REASON),
        ({"engine": "sqlserver", "needs_os_access": True}, cloudformation.RDS_CUSTOM_REASON),
    ],
)
def test_without_a_template_the_page_says_plainly_why(client, store, answers, reason):
    saved = store(answers)
    response = client.get(f"/r/{saved.slug}/cloudformation.yaml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    assert response.content.decode().startswith(reason)


@pytest.mark.parametrize("path", ["/r/{}.md", "/r/{}.json", "/r/{}/cloudformation.yaml"])
def test_an_unknown_slug_is_a_404(client, path):
    assert client.get(path.format(UNKNOWN)).status_code == 404


@pytest.mark.parametrize("path", ["/r/{}.md", "/r/{}.json", "/r/{}/cloudformation.yaml"])
def test_exports_only_answer_reads(client, saved, path):
    assert client.post(path.format(saved.slug)).status_code == 405
    assert client.head(path.format(saved.slug)).status_code == 200


def test_a_malformed_slug_never_reaches_the_exports(client):
    assert client.get("/r/short.md").status_code == 404
    assert client.get("/r/../../etc/passwd.json").status_code == 404
