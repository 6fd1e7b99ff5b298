from django.contrib import admin
from django.urls import path, register_converter

from . import api
from .models import SLUG_PATTERN


class SlugConverter:
    """A recommendation's slug; anything else never reaches a view and gets the 404 page."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugConverter, "rslug")

urlpatterns = [
    path("api/v1/recommendations", api.create, name="api-create"),
    path("api/v1/recommendations/<rslug:slug>", api.detail, name="api-detail"),
    path("api/v1/evaluate", api.evaluate, name="api-evaluate"),
    path("api/v1/schema", api.schema, name="api-schema"),
    path("admin/", admin.site.urls),
]
