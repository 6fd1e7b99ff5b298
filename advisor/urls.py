from django.conf import settings
from django.contrib import admin
from django.urls import path, register_converter

from .admin import throttled_login
from .models import SLUG_PATTERN
from .ops import health
from .web import api, design, exports, learn, recommendation, review, wizard
from .web.forms import ORDER


class SlugConverter:
    """A recommendation's slug; anything else never reaches a view and gets the 404 page."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugConverter, "rslug")


class StepConverter:
    """A wizard step: the answers' steps, then review; anything else is a 404."""

    regex = "|".join(ORDER)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StepConverter, "step")

urlpatterns = [
    path("api/v1/recommendations", api.create, name="api-create"),
    path("api/v1/recommendations/<rslug:slug>", api.detail, name="api-detail"),
    path("api/v1/evaluate", api.evaluate, name="api-evaluate"),
    path("api/v1/drafts", api.drafts, name="api-drafts"),
    path("api/v1/drafts/<str:key>", api.draft, name="api-draft"),
    path(
        "api/v1/drafts/<str:key>/recommendations",
        api.draft_recommendations,
        name="api-draft-recommendations",
    ),
    path("api/v1/schema", api.schema, name="api-schema"),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    # Pages
    path("", wizard.landing, name="home"),
    path("examples/<slug:key>/", wizard.example, name="example"),
    path("wizard/", wizard.resume, name="wizard"),
    path("wizard/start/", wizard.start, name="wizard-start"),
    path("wizard/<step:step>/", wizard.resume, name="wizard-step"),  # older links: resume
    path("drafts/<str:key>/<step:step>/", wizard.wizard_step, name="draft-step"),
    path("drafts/<str:key>/<step:step>/preview/", wizard.preview, name="draft-preview"),
    path("drafts/<str:key>/<step:step>/sync/", wizard.sync, name="draft-sync"),
    path("r/<rslug:slug>/", recommendation.recommendation, name="recommendation"),
    path("r/<rslug:slug>/edit/", wizard.edit_copy, name="recommendation-edit"),
    path("r/<rslug:slug>/draft/", wizard.made_from, name="recommendation-draft"),
    # Design sessions: what-if, compare, lineage and re-evaluate
    path("r/<rslug:slug>/what-if/", design.what_if, name="what-if"),
    path("r/<rslug:slug>/what-if/save/", design.what_if_save, name="what-if-save"),
    path("r/<rslug:slug>/lineage/", design.lineage, name="lineage"),
    path("r/<rslug:slug>/status/", review.status, name="recommendation-status"),
    path("r/<rslug:slug>/re-evaluate/", design.re_evaluate, name="re-evaluate"),
    path("compare/", design.compare_with, name="compare-with"),
    path("compare/<rslug:first>/<rslug:second>/", design.compare_page, name="compare"),
    path(
        "compare/<rslug:first>/<rslug:second>/<rslug:third>/", design.compare_page, name="compare"
    ),
    path(
        "compare/<rslug:first>/<rslug:second>/<rslug:third>/<rslug:fourth>/",
        design.compare_page,
        name="compare",
    ),
    # Learning: the rule catalog, the knowledge base and the glossary
    path("rules/", learn.rules, name="rules"),
    path("rules/<str:rule_id>/", learn.rule, name="rule"),
    path("learn/", learn.learn, name="learn"),
    path("learn/glossary/", learn.glossary_page, name="glossary"),
    path("learn/corrections/", learn.corrections, name="corrections"),
    path("learn/examples/<slug:key>/", learn.path_example, name="path-example"),
    # Exports
    path("r/<rslug:slug>.md", exports.decision_record, name="recommendation-madr"),
    path("r/<rslug:slug>.json", exports.snapshot_json, name="recommendation-json"),
    path(
        "r/<rslug:slug>/cloudformation.yaml",
        exports.cloudformation,
        name="recommendation-cloudformation",
    ),
]

if settings.ADMIN_ENABLED:
    urlpatterns += [
        path("admin/login/", throttled_login),
        path("admin/", admin.site.urls),
    ]
