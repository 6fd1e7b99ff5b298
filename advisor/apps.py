from django.apps import AppConfig


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = "Archwise"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from . import checks  # noqa: F401  (registers the rule catalog check)
        from .engine import use_rule_packs

        use_rule_packs(settings.RULE_PACKS)
