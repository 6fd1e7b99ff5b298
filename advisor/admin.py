from django.contrib import admin

from .models import Recommendation


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "ruleset_version", "created")
    search_fields = ("slug", "title")
    readonly_fields = [f.name for f in Recommendation._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
