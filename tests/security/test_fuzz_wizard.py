"""Arbitrary form input to every wizard step: never a 500, always a message naming the field."""

import os
import re

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import FIELDS, STEPS
from advisor.models import Draft
from tests.scale import examples

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", examples(2000)))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STEP_NAMES = [name for name, _ in STEPS]
FIELDS_OF = {step: [f.name for f in FIELDS if f.step == step] for step in STEP_NAMES}
ERROR = re.compile(
    r'<p class="question__error" id="([^"]+)">'
    r'<span class="visually-hidden">Error: </span>([^<]+)</p>'
)

texts = st.text(max_size=30) | st.sampled_from(
    ["", "0", "-1", "1e9", "NaN", "true", "yes", "on", "null", "[]", "{}", "1,000", " 42 "]
)
values = texts | st.lists(texts, max_size=4)


def form_data(step):
    known = st.sampled_from([*FIELDS_OF.get(step, []), "title", "_action", "_asked"])
    keys = known | st.text(min_size=1, max_size=12)
    choices = [v for f in FIELDS if f.step == step for v in f.values]
    value = values | (st.sampled_from(choices) if choices else st.nothing())
    return st.dictionaries(keys, value, max_size=8)


@pytest.fixture
def started(client):
    """A factory of fresh drafts, each with the engine answered, so every step is reachable: no
    example sees another's answers. It gives the client and the draft's path up to the step."""

    def fresh() -> tuple[Client, str]:
        draft = Draft.objects.create(answers={"engine": "postgresql"})
        return client, f"/drafts/{draft.key}/"

    return fresh


def check(response, step):
    assert response.status_code in (200, 303, 429), response.status_code
    page = response.content.decode()
    names = {f.name for f in FIELDS} | {"title"}
    for error_id, message in ERROR.findall(page):
        assert any(error_id.startswith((f"{name}-", f"id_{name}")) for name in names), error_id
        assert message.strip()


@pytest.mark.parametrize("step", [*STEP_NAMES, "review"])
@override_settings(
    CREATE_RATE_PER_MINUTE=10**9, CREATE_RATE_PER_DAY=10**9, EVALUATE_RATE_PER_MINUTE=10**9
)
def test_every_step_answers_arbitrary_form_data_with_a_page_or_a_redirect(started, step):
    @FUZZ
    @given(data=form_data(step), htmx=st.booleans())
    def run(data, htmx):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        client, draft = started()
        check(client.post(f"{draft}{step}/", data, **headers), step)

    run()


@pytest.mark.parametrize("step", STEP_NAMES)
@override_settings(EVALUATE_RATE_PER_MINUTE=10**9)
def test_the_live_panel_answers_arbitrary_form_data(started, step):
    @FUZZ
    @given(data=form_data(step))
    def run(data):
        client, draft = started()
        response = client.post(f"{draft}{step}/preview/", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    run()
