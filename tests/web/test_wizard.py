"""The wizard through the Django test client: steps, branching, validation, htmx and review."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from advisor.engine import CONCERNS_BY_NAME, FIELDS, FIELDS_BY_NAME, STEPS, default_engine, defaults
from advisor.models import Draft, Recommendation
from tests.drafts import answers, current, preview_url, step_url

pytestmark = pytest.mark.django_db

STEP_KEYS = [key for key, _ in STEPS]
HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(step: str, answers: dict[str, Any], action: str = "next") -> dict[str, Any]:
    """What a browser posts for a step: each question the page shows, with these answers."""
    full = defaults() | answers
    data: dict[str, Any] = {"_action": action, "_asked": []}
    for field in FIELDS:
        if field.step != step or not field.applies(full):
            continue
        if field.ask_when is not None:
            data["_asked"].append(field.name)
        value = full.get(field.name)
        if field.kind == "bool":
            data[field.name] = "true" if value else "false"
        elif field.kind == "list":
            data[field.name] = list(value)
        elif value is not None:
            data[field.name] = str(value)
        elif field.kind == "int":
            data[field.name] = ""
    return data


def saved(client: Client) -> dict[str, Any]:
    return answers()


def html(response) -> str:
    return response.content.decode()


def question(page: str, name: str) -> str:
    """The markup of one question, from its wrapper to the next question or the buttons."""
    start = page.index(f'id="q-{name}"')
    ends = [page.find(marker, start + 1) for marker in ('id="q-', 'class="actions"')]
    return page[start : min(end for end in ends if end != -1)]


def is_checked(page: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}" value="{re.escape(value)}"[^>]*\bchecked\b', page) is not None


@pytest.fixture
def wizard(client: Client) -> Client:
    """A client whose wizard already has the engine (PostgreSQL) answered."""
    response = client.post(step_url("workload"), form_data("workload", {"engine": "postgresql"}))
    assert response.status_code == 303
    return client


def test_the_wizard_address_offers_to_start_then_resumes_the_last_draft(client):
    response = client.get("/wizard/")
    assert response.status_code == 302
    assert response["Location"] == reverse("home") + "#start"
    started = client.post(reverse("wizard-start"))
    draft = Draft.objects.get()
    assert started["Location"] == reverse("draft-step", args=[draft.key, "workload"])
    assert client.get("/wizard/")["Location"] == started["Location"]
    assert client.get("/wizard/budget/")["Location"] == reverse(
        "draft-step", args=[draft.key, "budget"]
    )


def test_an_unknown_draft_is_a_404(client):
    assert client.get("/drafts/AAAAAAAAAAAAAAAA/workload/").status_code == 404
    assert client.get("/drafts/%00/workload/").status_code == 404
    assert client.post("/drafts/AAAAAAAAAAAAAAAA/workload/", {}).status_code == 404


def test_an_unknown_step_is_a_friendly_404(client):
    response = client.get("/wizard/nonsense/")
    assert response.status_code == 404
    assert "We can\N{RIGHT SINGLE QUOTATION MARK}t find that page" in html(response)


@pytest.mark.parametrize("step", [*STEP_KEYS[1:], "review"])
def test_every_later_step_asks_for_the_engine_first(client, step):
    response = client.get(step_url(step), follow=True)
    assert response.redirect_chain == [(step_url("workload"), 303)]
    assert "Choose a database engine first" in html(response)


def test_the_first_step_shows_its_questions_with_labels_help_and_defaults(client):
    page = html(client.get(step_url("workload")))
    for field in FIELDS:
        if field.step == "workload" and field.ask_when is None:
            assert field.label.replace("'", "&#x27;") in page
            assert field.help.replace("'", "&#x27;") in page
    assert is_checked(page, "engine_version_available", "true")
    assert is_checked(page, "growth", "steady")
    assert 'name="data_size_gb" value="100"' in page
    assert not any(is_checked(page, "engine", value) for value in FIELDS_BY_NAME["engine"].values)


@pytest.mark.parametrize("step", STEP_KEYS)
def test_each_step_renders_every_question_that_applies_as_the_right_control(wizard, step):
    page = html(wizard.get(step_url(step)))
    full = defaults() | saved(wizard)
    for field in FIELDS:
        if field.step != step or not field.applies(full):
            continue
        block = question(page, field.name)
        assert field.label.replace("'", "&#x27;") in block
        if field.kind == "int":
            assert 'type="number"' in block
            assert f'min="{field.minimum}"' in block
            assert f'max="{field.maximum}"' in block
        elif field.kind == "list":
            assert block.count('type="checkbox"') == len(field.choices)
            assert "<legend" in block
        elif len(field.choices) > 12:  # a long list of names: one select, empty when optional
            assert f'<select class="input input--select" id="id_{field.name}"' in block
            select = block.split(f'id="id_{field.name}"', 1)[1].split("</select>", 1)[0]
            assert select.count("<option") == len(field.choices) + field.nullable
        else:
            assert "<fieldset" in block
            assert "<legend" in block
            assert block.count('type="radio"') == (
                2 if field.kind == "bool" else len(field.choices)
            )
        assert f'aria-describedby="{field.name}-help' in block


@pytest.mark.parametrize("step", STEP_KEYS)
def test_the_progress_list_marks_the_current_step(wizard, step):
    page = html(wizard.get(step_url(step)))
    assert '<ol class="progress__list">' in page
    current = re.search(r'aria-current="step">.*?progress__name">([^<]+)<', page)
    assert current is not None
    assert current.group(1) == dict(STEPS)[step]


@pytest.mark.parametrize(
    ("step", "answers", "following"),
    [
        ("workload", {"engine": "mysql", "data_size_gb": 750}, "availability"),
        ("availability", {"rto": "seconds", "region_dr": "hours"}, "budget"),
        ("budget", {"monthly_budget_usd": 2500, "ops_capacity": "none"}, "security"),
        ("security", {"iam_auth": True, "audit_logging": True}, "connections"),
        ("connections", {"client_type": "containers", "cache_uses": ["pub_sub"]}, "review"),
    ],
)
def test_posting_a_step_keeps_its_answers_and_moves_to_the_next(wizard, step, answers, following):
    before = saved(wizard)
    response = wizard.post(step_url(step), form_data(step, before | answers))
    assert response.status_code == 303
    assert response["Location"] == step_url(following)
    assert saved(wizard) == {**before, **answers}


def test_the_session_only_remembers_which_drafts_this_browser_worked_on(wizard):
    assert set(wizard.session.keys()) <= {"drafts", "_messages"}
    assert wizard.session["drafts"] == [current().key]


def test_the_engine_is_required_before_anything_else(client):
    data = form_data("workload", {})
    response = client.post(step_url("workload"), data)
    page = html(response)
    assert response.status_code == 200
    assert "Choose the database engine: the other questions depend on it." in question(
        page, "engine"
    )
    assert "engine" not in saved(client)


@pytest.mark.parametrize("engine", FIELDS_BY_NAME["engine"].values)
def test_the_licence_question_is_shown_only_for_commercial_engines(client, engine):
    client.post(step_url("workload"), form_data("workload", {"engine": engine}))
    page = html(client.get(step_url("workload")))
    assert ('name="license_model"' in page) == (engine in ("oracle", "sqlserver", "db2"))


@pytest.mark.parametrize("engine", FIELDS_BY_NAME["engine"].values)
def test_the_aurora_question_is_shown_only_for_mysql_and_postgresql(client, engine):
    client.post(step_url("workload"), form_data("workload", {"engine": engine}))
    page = html(client.get(step_url("workload")))
    assert ('name="aurora_acceptable"' in page) == (engine in ("mysql", "postgresql"))


def test_the_cache_follow_ups_are_shown_only_once_a_cache_use_is_chosen(wizard):
    page = html(wizard.get(step_url("connections")))
    assert 'name="cache_must_survive_node_failure"' not in page
    assert 'name="cache_multithreaded_large_nodes"' not in page
    answers = saved(wizard) | {"cache_uses": ["session_store"]}
    wizard.post(step_url("connections"), form_data("connections", answers, action="stay"))
    page = html(wizard.get(step_url("connections")))
    assert 'name="cache_must_survive_node_failure"' in page
    assert 'name="cache_multithreaded_large_nodes"' in page


def test_a_question_revealed_by_an_answer_is_asked_before_moving_on(client):
    data = form_data("workload", {"engine": "postgresql"}) | {"engine": "oracle"}
    response = client.post(step_url("workload"), data, follow=True)
    assert response.redirect_chain == [(step_url("workload"), 303)]
    page = html(response)
    assert "one more question on this step" in page
    assert "“Licence”" in page
    assert is_checked(page, "license_model", "license_included")
    assert saved(client)["engine"] == "oracle"


def test_a_question_that_stops_applying_falls_back_to_its_default(client):
    oracle = {"engine": "oracle", "license_model": "bring_your_own"}
    client.post(step_url("workload"), form_data("workload", oracle))
    assert saved(client)["license_model"] == "bring_your_own"
    client.post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    assert "license_model" not in saved(client)
    client.post(step_url("workload"), form_data("workload", {"engine": "sqlserver"}), follow=True)
    page = html(client.get(step_url("workload")))
    assert is_checked(page, "license_model", "license_included")


def test_cache_follow_ups_fall_back_when_the_cache_is_dropped(wizard):
    with_cache = saved(wizard) | {
        "cache_uses": ["leaderboards"],
        "cache_must_survive_node_failure": True,
    }
    wizard.post(step_url("connections"), form_data("connections", with_cache))
    assert saved(wizard)["cache_must_survive_node_failure"] is True
    without = saved(wizard) | {"cache_uses": []}
    data = form_data("connections", without)
    data["cache_must_survive_node_failure"] = "true"  # a stale value from the page is ignored
    wizard.post(step_url("connections"), data)
    assert "cache_must_survive_node_failure" not in saved(wizard)


def test_validation_errors_are_shown_next_to_the_field_with_the_typed_values_kept(wizard):
    data = form_data("budget", saved(wizard)) | {
        "monthly_budget_usd": "lots",
        "cost_priority": "performance",
        "ops_capacity": "dba_team",
    }
    response = wizard.post(step_url("budget"), data)
    page = html(response)
    assert response.status_code == 200
    block = question(page, "monthly_budget_usd")
    assert "Enter a whole number from 0 to 10,000,000, or leave it empty" in block
    assert 'id="monthly_budget_usd-error"' in block
    assert 'aria-describedby="monthly_budget_usd-help monthly_budget_usd-error"' in block
    assert 'aria-invalid="true"' in block
    assert 'value="lots"' in block
    assert is_checked(page, "cost_priority", "performance")
    assert is_checked(page, "ops_capacity", "dba_team")
    assert 'class="error-summary"' in page
    assert 'href="#id_monthly_budget_usd"' in page


def test_a_wrong_answer_loses_nothing_already_answered(wizard):
    wizard.post(step_url("workload"), form_data("workload", saved(wizard) | {"data_size_gb": 640}))
    data = form_data("workload", saved(wizard)) | {"data_size_gb": "0", "growth": "flat"}
    response = wizard.post(step_url("workload"), data)
    assert "Enter a whole number from 1 to 1,000,000." in question(html(response), "data_size_gb")
    assert saved(wizard)["data_size_gb"] == 640
    assert saved(wizard)["growth"] == "flat"
    assert saved(wizard)["engine"] == "postgresql"


def test_numbers_forgive_thousands_separators(wizard):
    data = form_data("workload", saved(wizard)) | {"data_size_gb": "12,500"}
    assert wizard.post(step_url("workload"), data).status_code == 303
    assert saved(wizard)["data_size_gb"] == 12_500


def test_an_empty_budget_means_no_fixed_budget(wizard):
    wizard.post(step_url("budget"), form_data("budget", {"monthly_budget_usd": 900}))
    assert saved(wizard)["monthly_budget_usd"] == 900
    wizard.post(step_url("budget"), form_data("budget", {}) | {"monthly_budget_usd": ""})
    assert "monthly_budget_usd" not in saved(wizard)  # the default: no fixed budget


def test_a_tampered_choice_is_refused_in_plain_words(wizard):
    data = form_data("availability", saved(wizard)) | {"rto": "instantly"}
    page = html(wizard.post(step_url("availability"), data))
    assert "Choose one of the options." in question(page, "rto")


def test_back_goes_to_the_previous_step_and_keeps_what_was_typed(wizard):
    data = form_data("availability", saved(wizard) | {"rpo": "zero", "restore_window_days": 30})
    response = wizard.post(step_url("availability"), data | {"_action": "back"})
    assert response["Location"] == step_url("workload")
    assert saved(wizard)["rpo"] == "zero"
    page = html(wizard.get(step_url("availability")))
    assert is_checked(page, "rpo", "zero")
    assert 'name="restore_window_days" value="30"' in page


def test_back_with_a_wrong_answer_stays_and_says_why(wizard):
    data = form_data("availability", saved(wizard)) | {
        "restore_window_days": "9999",
        "_action": "back",
    }
    response = wizard.post(step_url("availability"), data)
    assert response.status_code == 200
    assert "Enter a whole number from 0 to 3,650." in question(
        html(response), "restore_window_days"
    )
    assert 'value="9999"' in html(response)


def test_an_htmx_get_returns_the_step_as_a_fragment(wizard):
    response = wizard.get(step_url("security"), **HTMX)
    page = html(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith("<title>Security · Step 4 of 6 · Archwise</title>")
    assert 'id="wizard"' in page
    assert 'id="lean-body"' in page
    assert "HX-Request" in response["Vary"]


def test_a_plain_get_returns_the_whole_page(wizard):
    response = wizard.get(step_url("security"))
    assert "<html" in html(response)
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(wizard):
    response = wizard.get(step_url("security"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in html(response)


def test_the_step_form_posts_with_htmx_and_falls_back_to_a_plain_post(wizard):
    page = html(wizard.get(step_url("availability")))
    form = re.search(r"<form id=\"wizard-form\"[^>]*>", page, re.S).group(0)
    assert 'method="post"' in form
    assert f'action="{step_url("availability")}"' in form
    assert f'hx-post="{step_url("availability")}"' in form
    assert 'hx-target="#wizard"' in form
    assert 'hx-push-url="true"' in form
    assert "hx-headers" in page
    assert "X-CSRFToken" in page
    assert "django_htmx/htmx-2.min.js" in page
    assert "<script>" not in page
    assert " style=" not in page
    assert "hx-on" not in page
    assert "onclick" not in page


def test_an_htmx_post_answers_with_a_redirect_htmx_follows(wizard):
    response = wizard.post(step_url("availability"), form_data("availability", {}), **HTMX)
    assert response.status_code == 303
    assert response["Location"] == step_url("budget")


def test_an_htmx_post_with_errors_swaps_the_step_without_a_new_history_entry(wizard):
    data = form_data("availability", {}) | {"restore_window_days": "-1"}
    response = wizard.post(step_url("availability"), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "false"
    assert "<html" not in html(response)
    assert "Enter a whole number from 0 to 3,650." in html(response)


def test_the_panel_is_rendered_on_every_step_without_javascript(wizard):
    choices = default_engine().choices(saved(wizard))
    for step in [*STEP_KEYS, "review"]:
        page = html(wizard.get(step_url(step)))
        assert "Where it leans" in page
        assert 'aria-live="polite"' in page
        assert CONCERNS_BY_NAME["platform"].label(choices["platform"]) in page
        assert CONCERNS_BY_NAME["availability"].label(choices["availability"]) in page


def test_the_panel_asks_for_the_engine_before_it_leans(client):
    page = html(client.get(step_url("workload")))
    assert "Choose a database engine to see where the recommendation leans." in page


def test_the_preview_shows_where_the_recommendation_leans_for_the_answers_on_the_form(wizard):
    answers = saved(wizard) | {"cache_uses": ["session_store"], "client_type": "containers"}
    response = wizard.post(preview_url("connections"), form_data("connections", answers), **HTMX)
    page = html(response)
    expected = default_engine().choices(answers)
    assert response.status_code == 200
    assert "<html" not in page
    assert CONCERNS_BY_NAME["platform"].label(expected["platform"]) in page
    assert CONCERNS_BY_NAME["availability"].label(expected["availability"]) in page
    assert CONCERNS_BY_NAME["cache"].label(expected["cache"]) in page
    assert "a month" in page
    assert "HX-Request" in response["Vary"]


def test_the_preview_marks_what_changed_and_keeps_the_answers(wizard):
    before = default_engine().choices(saved(wizard))
    answers = saved(wizard) | {"needs_os_access": True}
    page = html(wizard.post(preview_url("workload"), form_data("workload", answers), **HTMX))
    after = default_engine().choices(answers)
    assert before["platform"] != after["platform"]
    changed = re.search(r'lean__row is-changed"><dt>([^<]+)</dt>', page)
    assert changed is not None
    assert changed.group(1) == "Platform"
    assert saved(wizard)["needs_os_access"] is True


def test_the_preview_reveals_a_question_that_now_applies(wizard):
    data = form_data("workload", saved(wizard)) | {"engine": "db2"}
    page = html(wizard.post(preview_url("workload"), data, **HTMX))
    assert 'id="slot-license_model" class="slot" hx-swap-oob="true"' in page
    assert 'name="license_model"' in page
    assert 'id="slot-aurora_acceptable" class="slot" hx-swap-oob="true"></div>' in page


def test_the_preview_leaves_alone_questions_whose_visibility_did_not_change(wizard):
    page = html(wizard.post(preview_url("workload"), form_data("workload", saved(wizard)), **HTMX))
    assert 'id="slot-' not in page
    # Only the draft's new version goes out of band, so the page does not poll its own change.
    assert page.count("hx-swap-oob") == 1
    assert 'id="draft-sync" class="draft-sync" hx-swap-oob="true"' in page
    assert f"?v={current().version}" in page


def test_the_preview_ignores_a_wrong_number_and_says_so(wizard):
    data = form_data("workload", saved(wizard)) | {"data_size_gb": "huge"}
    page = html(wizard.post(preview_url("workload"), data, **HTMX))
    assert "needs a change" in page
    platform = default_engine().choices(saved(wizard))["platform"]
    assert CONCERNS_BY_NAME["platform"].label(platform) in page


def test_without_htmx_the_preview_saves_and_returns_to_the_step(wizard):
    data = form_data("availability", saved(wizard) | {"environment": "non_production"})
    response = wizard.post(preview_url("availability"), data)
    assert response.status_code == 303
    assert response["Location"] == step_url("availability")
    assert saved(wizard)["environment"] == "non_production"


def test_the_no_javascript_update_button_stays_on_the_step(wizard):
    data = form_data("availability", saved(wizard) | {"rto": "hours"}, action="stay")
    response = wizard.post(step_url("availability"), data)
    assert response["Location"] == step_url("availability")
    page = html(wizard.get(step_url("availability")))
    assert f'hx-post="{preview_url("availability")}"' in page
    assert 'hx-trigger="change from:closest form"' in page


def test_the_review_lists_every_answer_grouped_by_step_with_a_change_link(wizard):
    wizard.post(step_url("budget"), form_data("budget", {"monthly_budget_usd": 1200}))
    page = html(wizard.get(step_url("review")))
    for key, title in STEPS:
        assert f'id="answers-{key}"' in page
        assert f'href="{step_url(key)}"' in page
        assert f'Change<span class="visually-hidden"> {title.lower()} answers' in page
    assert "PostgreSQL" in page
    assert "$1,200" in page
    assert "Licence" not in page  # a question that does not apply is not listed


def test_creating_a_recommendation_saves_exactly_one_and_redirects_to_it(wizard):
    wizard.post(step_url("security"), form_data("security", {"audit_logging": True}))
    response = wizard.post(step_url("review"), {"title": "Billing API", "_action": "create"})
    assert Recommendation.objects.count() == 1
    saved_one = Recommendation.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/r/{saved_one.slug}/"
    assert saved_one.title == "Billing API"
    assert saved_one.answers["engine"] == "postgresql"
    assert saved_one.answers["audit_logging"] is True
    assert saved_one.parent is None
    # The recommendation links back to its draft, which stays to change and save again.
    assert saved_one.draft == current()
    assert current().parent == saved_one


def test_a_second_create_after_saving_does_not_save_twice(wizard):
    wizard.post(step_url("review"), {"title": "", "_action": "create"})
    response = wizard.post(step_url("review"), {"title": "", "_action": "create"})
    assert Recommendation.objects.count() == 1
    assert response["Location"] == Recommendation.objects.get().get_absolute_url()


def test_a_draft_changed_after_saving_saves_a_new_version_of_it(wizard):
    wizard.post(step_url("review"), {"title": "Billing API", "_action": "create"})
    first = Recommendation.objects.get()
    page = html(wizard.get(step_url("review")))
    assert "This draft was saved as" in page
    wizard.post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    wizard.post(step_url("review"), {"title": "Billing API", "_action": "create"})
    second = Recommendation.objects.exclude(pk=first.pk).get()
    assert (second.parent, second.draft) == (first, current())
    assert second.answers["engine"] == "mysql"


def test_creating_with_htmx_redirects_the_whole_page(wizard):
    response = wizard.post(step_url("review"), {"title": "", "_action": "create"}, **HTMX)
    saved_one = Recommendation.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/r/{saved_one.slug}/"


def test_a_title_over_120_characters_is_refused_and_kept_on_the_page(wizard):
    response = wizard.post(step_url("review"), {"title": "x" * 121, "_action": "create"})
    page = html(response)
    assert response.status_code == 200
    assert "The name must be at most 120 characters." in page
    assert 'aria-invalid="true"' in page
    assert "x" * 121 in page
    assert Recommendation.objects.count() == 0


def test_back_from_the_review_keeps_the_title(wizard):
    response = wizard.post(step_url("review"), {"title": "Ledger", "_action": "back"})
    assert response["Location"] == step_url("connections")
    assert 'value="Ledger"' in html(wizard.get(step_url("review")))


def test_the_answers_saved_are_the_normalised_answers_with_defaults(wizard):
    wizard.post(step_url("review"), {"title": "", "_action": "create"})
    stored = Recommendation.objects.get()
    assert stored.answers == defaults() | {"engine": "postgresql"}
    assert stored.recommendation["answers"] == stored.answers


def test_creating_too_fast_keeps_the_review_and_says_when_to_retry(wizard, settings):
    settings.CREATE_RATE_PER_MINUTE = 1
    wizard.post(step_url("review"), {"title": "", "_action": "create"})
    wizard.post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    response = wizard.post(step_url("review"), {"title": "Again", "_action": "create"})
    assert response.status_code == 429
    assert "Too many recommendations" in html(response)
    assert 'value="Again"' in html(response)
    assert Recommendation.objects.count() == 1
    assert saved(wizard)["engine"] == "mysql"


def test_a_question_with_glossary_terms_links_them(wizard):
    page = html(wizard.get(step_url("availability")))
    assert "Glossary:" in question(page, "rto")
    assert 'href="/learn/glossary/#' in question(page, "rto")


# -- a draft shared between screens --------------------------------------------------------------


def _base(page: str) -> str:
    return re.search(r'name="_base" value="([^"]*)"', page).group(1).replace("&quot;", '"')


def test_polling_answers_204_while_nothing_changed_and_the_step_when_it_did(wizard):
    draft = current()
    sync = reverse("draft-sync", args=[draft.key, "workload"])
    assert wizard.get(f"{sync}?v={draft.version}", **HTMX).status_code == 204
    Client().post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    response = wizard.get(f"{sync}?v={draft.version}", **HTMX)
    assert response.status_code == 200
    page = html(response)
    assert "data-synced" in page
    assert "changed from another screen" in page
    assert is_checked(page, "engine", "mysql")
    assert f"?v={current().version}" in page


def test_a_change_here_keeps_a_change_made_elsewhere_to_another_answer(wizard):
    page = html(wizard.get(step_url("workload")))
    base = _base(page)
    Client().post(
        step_url("workload"), form_data("workload", {"engine": "postgresql", "growth": "flat"})
    )
    data = form_data("workload", {"engine": "postgresql", "read_replicas": 3}) | {"_base": base}
    response = wizard.post(step_url("workload"), data)
    assert response.status_code == 303
    assert (answers()["growth"], answers()["read_replicas"]) == ("flat", 3)


def test_a_change_to_an_answer_changed_elsewhere_is_refused_and_offered_again(wizard):
    base = _base(html(wizard.get(step_url("workload"))))
    Client().post(
        step_url("workload"), form_data("workload", {"engine": "postgresql", "growth": "flat"})
    )
    mine = form_data("workload", {"engine": "postgresql", "growth": "fast_unpredictable"})
    response = wizard.post(step_url("workload"), mine | {"_base": base})
    assert response.status_code == 409
    page = html(response)
    assert "Someone changed this answer while you were choosing" in page
    assert "— now <strong>Flat</strong>; yours <strong>Fast or unpredictable</strong>." in page
    assert is_checked(page, "growth", "fast_unpredictable")
    assert answers()["growth"] == "flat"  # nothing was overwritten
    again = wizard.post(step_url("workload"), mine | {"_base": _base(page)})
    assert again.status_code == 303
    assert answers()["growth"] == "fast_unpredictable"


def test_applying_a_refused_choice_again_keeps_the_other_changes_made_meanwhile(wizard):
    base = _base(html(wizard.get(step_url("workload"))))
    theirs = {"engine": "postgresql", "growth": "flat", "traffic_pattern": "spiky"}
    Client().post(step_url("workload"), form_data("workload", theirs))
    mine = form_data("workload", {"engine": "postgresql", "growth": "fast_unpredictable"})
    page = html(wizard.post(step_url("workload"), mine | {"_base": base}))
    # The step offered again shows the other screen's change beside this page's refused one.
    assert is_checked(page, "traffic_pattern", "spiky")
    assert is_checked(page, "growth", "fast_unpredictable")
    offered = form_data(
        "workload",
        {"engine": "postgresql", "growth": "fast_unpredictable", "traffic_pattern": "spiky"},
    )
    assert wizard.post(step_url("workload"), offered | {"_base": _base(page)}).status_code == 303
    assert (answers()["growth"], answers()["traffic_pattern"]) == ("fast_unpredictable", "spiky")


def test_an_answer_a_new_answer_no_longer_allows_stays_dropped_on_a_shared_draft(wizard):
    wizard.post(step_url("budget"), form_data("budget", {"instance_class": "db.r7g.large"}))
    assert answers()["instance_class"] == "db.r7g.large"
    base = _base(html(wizard.get(step_url("workload"))))
    data = form_data("workload", {"engine": "oracle"}) | {"_base": base}
    response = wizard.post(step_url("workload"), data)
    assert response.status_code == 303
    assert answers()["engine"] == "oracle"
    assert "instance_class" not in answers()


def _version(page: str) -> str:
    return re.search(r'name="_version" value="(\d+)"', page).group(1)


def test_a_review_changed_elsewhere_is_shown_again_before_anything_is_created(wizard):
    page = html(wizard.get(step_url("review")))
    assert reverse("draft-sync", args=[current().key, "review"]) in page  # it polls as well
    shown = _version(page)
    Client().post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    data = {"title": "Ledger", "_action": "create", "_version": shown}
    response = wizard.post(step_url("review"), data)
    assert response.status_code == 409
    page = html(response)
    assert "Someone changed this draft on another screen while you were reviewing it" in page
    assert "<dd>MySQL</dd>" in page  # the answers as they are now
    assert 'value="Ledger"' in page  # the title typed is kept
    assert not Recommendation.objects.exists()
    created = wizard.post(step_url("review"), data | {"_version": _version(page)})
    assert created.status_code == 303
    assert Recommendation.objects.get().answers["engine"] == "mysql"


def test_a_review_polled_keeps_the_title_being_typed(wizard):
    draft = current()
    Client().post(step_url("workload"), form_data("workload", {"engine": "mysql"}))
    sync = reverse("draft-sync", args=[draft.key, "review"])
    page = html(wizard.get(f"{sync}?v={draft.version}&title=Ledger", **HTMX))
    assert "changed from another screen" in page
    assert 'value="Ledger"' in page
    assert "<dd>MySQL</dd>" in page
