"""`manage.py check` validates the knowledge base and every rule file."""

from django.core import checks

from .engine import Engine, KnowledgeError, RuleError


@checks.register()
def rule_catalog(app_configs, **kwargs):
    try:
        Engine.load()
    except (RuleError, KnowledgeError) as error:
        return [checks.Error(str(error), id="advisor.E001")]
    return []
