"""The read-only admin, when ADMIN_ENABLED: the one place stored recommendations can be browsed."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from .models import Recommendation, Review
from .ops.middleware import error_response
from .ops.ratelimit import MINUTE, refuse


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "ruleset_version", "created")
    search_fields = ("slug", "title")
    readonly_fields = [f.name for f in Recommendation._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The decisions teams recorded; one recorded in bad faith can be deleted here."""

    list_display = ("recommendation", "status", "by", "created")
    list_filter = ("status",)
    search_fields = ("recommendation__slug", "by", "note")
    readonly_fields = [f.name for f in Review._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


def throttled_login(request: HttpRequest) -> HttpResponse:
    """The admin's login, with a per-client limit on attempts: each one costs a password hash."""
    if request.method == "POST":
        limit = settings.ADMIN_LOGIN_RATE_PER_MINUTE
        if refusal := refuse(request, "admin-login", limit, MINUTE, "sign-in attempts"):
            return error_response(request, 429, refusal.message, "429.html", refusal.retry_after)
    return admin.site.login(request)
