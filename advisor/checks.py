"""`manage.py check` validates the knowledge base, the capability matrix and every rule file.

The built-in rules and the team rule packs named in settings.RULE_PACKS load together, so a pack
rule that contradicts the capability matrix is refused with its file and rule named.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks

from .engine import Engine, KnowledgeError, RuleError


@checks.register()
def rule_catalog(app_configs, **kwargs):
    try:
        Engine.load(extra_rule_files=[Path(path) for path in settings.RULE_PACKS])
    except (RuleError, KnowledgeError) as error:
        return [checks.Error(str(error), id="advisor.E001")]
    return []
