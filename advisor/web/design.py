"""Design-session pages: what-if, compare, lineage and re-evaluate.

A stored recommendation never changes; these pages read it, evaluate answers around it and save
new, linked recommendations when asked. The what-if itself is `advisor.whatif`, the diffs come
from `advisor.reading.compare`, the decisions from the engine. With htmx the what-if and
lineage views answer with a fragment, otherwise with the page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from advisor.drafts import carried_notes
from advisor.engine import CONCERNS_BY_NAME, AnswersError, default_engine, normalise
from advisor.models import SLUG_PATTERN, Recommendation
from advisor.ops.ratelimit import allow_create, throttled
from advisor.outputs import diagram
from advisor.reading import Snapshot, read
from advisor.reading.compare import Comparison, compare, diff
from advisor.reading.notes import notes_json
from advisor.reading.vocabulary import answer_label, top_risks
from advisor.recommendations import clean_title, save_recommendation
from advisor.whatif import (
    ChangeError,
    WhatIf,
    all_toggles,
    evaluate_what_if,
    parse_changes,
    rule_texts,
    suggested_title,
)

from .http import links_original, see_other, stored, wants_fragment

LINEAGE_MAX = 50
SLUG_IN_LINK = re.compile(rf"(?:^|/)(?:r|api/v1/recommendations)/({SLUG_PATTERN})(?:[/.?#]|$)")
BARE_SLUG = re.compile(SLUG_PATTERN)


def drawn(snapshot: Snapshot, prefix: str) -> SafeString:
    """The architecture diagram as inline SVG."""
    # render() escapes every text and writes no scripts, styles or external references. No
    # title is passed: the page names the system, and render() leaves quotes unescaped.
    return mark_safe(diagram.render(snapshot, prefix))  # noqa: S308


# -- what-if -------------------------------------------------------------------------------------


def _what_if_page(
    request: HttpRequest,
    saved: Recommendation,
    *,
    result: WhatIf | None = None,
    error: ChangeError | None = None,
    warning: str = "",
    title: str = "",
    status: int = 200,
) -> HttpResponse:
    fragment = wants_fragment(request) and request.method == "GET"
    context: dict[str, Any] = {
        "saved": saved,
        "result": result,
        "error": error,
        "warning": warning,
        "fragment": fragment,
        "rules_changed": saved.ruleset_version != default_engine().ruleset_version,
        "link_original": links_original(request),
    }
    if result is not None:
        context["title"] = title or suggested_title(saved.title, result.changes)
        context["full_url"] = f"{reverse('what-if', args=[saved.slug])}?{result.query}"
        context["query"] = result.query
    if fragment and result is not None:
        context.update(_first_screen(request, result))
    if not fragment:
        context["groups"] = all_toggles(saved.snapshot)
        context["columns"] = [
            {"label": "As saved", "short": "as saved", "cell": "As saved"},
            {"label": "What if", "short": "what if", "cell": "What if"},
        ]
        if result is not None:
            context["diagrams"] = (drawn(result.before, "wb"), drawn(result.after, "wa"))
            context["before_text"] = diagram.describe(result.before)
            context["diagram_text"] = diagram.describe(result.after)
    template = "design/what_if.html#result" if fragment else "design/what_if.html"
    return render(request, template, context, status=status)


def _first_screen(request: HttpRequest, result: WhatIf) -> dict[str, Any]:
    """What the recommendation page's first screen and diagram show while a what-if is applied,
    and which decision's toggle applied it (its box says so)."""
    after = result.after
    shown_in = str(request.GET.get("shown_in", ""))
    return {
        "r": after,
        "risks": after.risks,
        "top_risks": top_risks(after.risks),
        "new_risks": {risk.text for risk in result.diff.risks_added},
        "diagram_svg": drawn(after, "wf"),
        "diagram_text": diagram.describe(after),
        "shown_in": shown_in if shown_in in CONCERNS_BY_NAME else "",
    }


@vary_on_headers("HX-Request")
@require_GET
@throttled
def what_if(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored answers with one or more changes, evaluated now: what moves across every
    decision. With htmx, the recommendation page's first screen and diagram show it in place."""
    saved = stored(slug)
    try:
        result = evaluate_what_if(saved.answers, parse_changes(request.GET))
    except ChangeError as error:
        return _what_if_page(request, saved, error=error, status=400)
    return _what_if_page(request, saved, result=result)


@require_POST
@throttled
def what_if_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the what-if as a new recommendation whose parent is the original."""
    saved = stored(slug)
    try:
        result = evaluate_what_if(saved.answers, parse_changes(request.POST))
    except ChangeError as error:
        return _what_if_page(request, saved, error=error, status=400)
    raw_title = request.POST.get("title")
    if raw_title is None:
        raw_title = suggested_title(saved.title, result.changes)
    try:
        title = clean_title(raw_title)
    except AnswersError as error:
        problem = ChangeError("title", f"The name {error.errors['title']}")
        return _what_if_page(
            request, saved, result=result, error=problem, title=raw_title[:200], status=400
        )
    if refusal := allow_create(request):
        warning = f"{refusal.message} Nothing was saved."
        return refusal.mark(
            _what_if_page(request, saved, result=result, title=title, warning=warning)
        )
    child = save_recommendation(
        result.answers,
        title,
        parent=saved,
        shows_parent=links_original(request),
        notes=notes_json(carried_notes(saved.notes, saved.answers, result.answers)),
    )
    return see_other(request, child.get_absolute_url(), new_page=True)


# -- compare -------------------------------------------------------------------------------------


@require_GET
def compare_page(
    request: HttpRequest, first: str, second: str, third: str = "", fourth: str = ""
) -> HttpResponse:
    """Two to four recommendations side by side, with what differs marked."""
    slugs = [slug for slug in (first, second, third, fourth) if slug]
    found = {r.slug: r for r in Recommendation.objects.filter(slug__in=set(slugs))}
    if any(slug not in found for slug in slugs):
        raise Http404("No recommendation has that link.")
    items = [found[slug] for slug in slugs]
    comparison: Comparison = compare(*(item.snapshot for item in items))
    columns = [
        {
            "letter": "ABCD"[index],
            "label": item.headline,
            "short": "ABCD"[index],
            "cell": f"{'ABCD'[index]}: {item.headline}",
            "url": item.get_absolute_url(),
            "saved": item,
            "cost": comparison.costs[index],
            "diagram": drawn(item.snapshot, f"c{index}"),
            "diagram_text": diagram.describe(item.snapshot),
        }
        for index, item in enumerate(items)
    ]
    context = {"comparison": comparison, "columns": columns, "items": items}
    return render(request, "design/compare.html", context)


def slug_from(text: str) -> str | None:
    """The slug in a pasted Archwise link (any host), or a bare slug; None if there is none."""
    text = text.strip()
    if BARE_SLUG.fullmatch(text):
        return text
    try:
        path = urlsplit(text if "//" in text else f"//{text}").path if text else ""
    except ValueError:  # e.g. an unbalanced "[" read as an IPv6 host
        path = ""
    match = SLUG_IN_LINK.search(path) or SLUG_IN_LINK.search(text)
    return match.group(1) if match else None


@require_GET
def compare_with(request: HttpRequest) -> HttpResponse:
    """The "Compare with…" form: find the slug in what was pasted and go to the comparison."""
    origin = stored(str(request.GET.get("from", "")))
    pasted = str(request.GET.get("with", ""))[:2000]
    other = slug_from(pasted)
    error, status = "", 400
    if not pasted.strip():
        error = "Paste the link of another Archwise recommendation, or its 16-character code."
    elif other is None:
        error = (
            "That is not an Archwise link. The link of a recommendation looks like "
            "https://…/r/ followed by 16 letters, digits, dashes or underscores; paste it whole, "
            "or just those 16 characters."
        )
    elif not Recommendation.objects.filter(slug=other).exists():
        error = (
            f"No recommendation with the code {other} exists on this server. Links made on "
            "another Archwise server only work there."
        )
        status = 404
    if error:
        context = {"saved": origin, "error": error, "pasted": pasted}
        return render(request, "design/compare_with.html", context, status=status)
    return HttpResponseRedirect(reverse("compare", args=[origin.slug, other]), status=303)


# -- lineage -------------------------------------------------------------------------------------


@never_cache
@vary_on_headers("HX-Request")
@require_GET
def lineage(request: HttpRequest, slug: str) -> HttpResponse:
    """Where a recommendation came from and the versions made from it since (these appear
    later, so they are served here, never on the cached page)."""
    saved = stored(slug)
    page = Paginator(saved.children.order_by("created", "pk"), LINEAGE_MAX).get_page(
        request.GET.get("page")
    )
    variants = [{"saved": child, "diff": diff(saved.snapshot, child.snapshot)} for child in page]
    context: dict[str, Any] = {"saved": saved, "variants": variants, "page": page}
    if wants_fragment(request):
        return render(request, "design/lineage.html#variants", context)
    chain = Recommendation.objects.ancestors(saved, LINEAGE_MAX)
    context["ancestors"] = [
        {"saved": parent, "diff": diff(parent.snapshot, child.snapshot)}
        for child, parent in zip([saved, *chain], chain, strict=False)
    ]
    return render(request, "design/lineage.html", context)


# -- re-evaluate ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@throttled
def re_evaluate(request: HttpRequest, slug: str) -> HttpResponse:
    """What today's rules say about the stored answers, and why; saved only on request."""
    saved = stored(slug)
    engine = default_engine()
    context: dict[str, Any] = {
        "saved": saved,
        "current_version": engine.ruleset_version,
        "same_rules": saved.ruleset_version == engine.ruleset_version,
    }
    try:
        answers = normalise(saved.answers)
    except AnswersError as error:
        context["errors"] = [
            {"name": name, "label": answer_label(name), "message": message}
            for name, message in error.errors.items()
        ]
        status = 400 if request.method == "POST" else 200
        return render(request, "design/re_evaluate.html", context, status=status)
    now = read(engine.recommend(answers, explore=False, budget_search=False))
    context["diff"] = diff(saved.snapshot, now, rule_texts())
    if request.method == "POST":
        if context["same_rules"]:
            return HttpResponseRedirect(saved.get_absolute_url(), status=303)
        if refusal := allow_create(request):
            context["warning"] = f"{refusal.message} Nothing was saved."
            return refusal.mark(render(request, "design/re_evaluate.html", context))
        child = save_recommendation(
            answers, saved.title, parent=saved, shows_parent=links_original(request)
        )
        return see_other(request, child.get_absolute_url(), new_page=True)
    context["columns"] = [
        {"label": f"Then ({saved.created:%-d %B %Y})", "short": "then", "cell": "Then"},
        {"label": "Now", "short": "now", "cell": "Now"},
    ]
    context["diagrams"] = (drawn(saved.snapshot, "rb"), drawn(now, "ra"))
    context["diagram_text"] = diagram.describe(now)
    return render(request, "design/re_evaluate.html", context)
