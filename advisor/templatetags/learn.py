"""`{% load learn %}`: link glossary terms from any template."""

from typing import Any

from django import template
from django.urls import reverse

from advisor.web.learn import glossary_terms

register = template.Library()


@register.simple_tag(name="glossary_url")
def glossary_url_tag(term_id: str) -> str:
    """{% glossary_url "rto" %}: the term's URL, or the glossary page for an unknown id."""
    found = glossary_terms(term_id)
    return found[0][1] if found else reverse("glossary")


@register.inclusion_tag("components/glossary_links.html")
def glossary_links(term_ids: Any) -> dict[str, Any]:
    """{% glossary_links field.glossary %}: 'Terms: RTO, Failover' linked to the glossary."""
    return {"links": glossary_terms(term_ids)}
