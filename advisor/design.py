"""Design-session pages: what-if, compare, lineage and re-evaluate.

A stored recommendation never changes; these pages read it, evaluate answers around it and save
new, linked recommendations when asked. The diffs come from `compare`, the decisions from the
engine. With htmx the what-if and lineage views answer with a fragment, otherwise with the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from . import diagram
from .compare import Comparison, Diff, answer_label, compare, diff, display
from .engine import CONCERNS, AnswersError, default_engine, normalise
from .engine.concerns import Concern
from .engine.describe import answer_words
from .models import SLUG_PATTERN, Recommendation
from .ratelimit import allow_create
from .recommendations import TITLE_MAX, clean_title, save_recommendation
from .shortcuts import links_original, stored, wants_fragment

VALUE_MAX = 2000  # characters of JSON in a what-if value: far more than any answer needs
LINEAGE_MAX = 50
SLUG_IN_LINK = re.compile(rf"(?:^|/)(?:r|api/v1/recommendations)/({SLUG_PATTERN})(?:[/.?#]|$)")
BARE_SLUG = re.compile(SLUG_PATTERN)


def _see_other(url: str, request: HttpRequest) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url, status=303)


def _rule_texts() -> dict[str, str]:
    return {rule.id: rule.rationale for rule in default_engine().catalog.rules}


# -- one change ----------------------------------------------------------------------------------


class ChangeError(ValueError):
    """A what-if request that cannot be evaluated, with the field to blame."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Change:
    """One answer set to one value."""

    name: str
    value: Any

    @property
    def label(self) -> str:
        return answer_label(self.name)

    @property
    def shown(self) -> str:
        return display(self.name, self.value)

    @property
    def words(self) -> str:
        return answer_words(self.name, self.value)

    @property
    def value_json(self) -> str:
        return json.dumps(self.value, separators=(",", ":"))

    @property
    def query(self) -> str:
        return urlencode({"answer": self.name, "value": self.value_json})


def _field_name(name: str) -> str:
    return f"“{answer_label(name)}” ({name})" if name != answer_label(name) else f"“{name}”"


def parse_change(data: Mapping[str, Any]) -> Change:
    """The change a what-if asks for: ?answer=<question>&value=<JSON>; ChangeError otherwise."""
    name = str(data.get("answer") or "").strip()
    raw = data.get("value")
    if not name:
        raise ChangeError("answer", 'Say which answer to change, e.g. ?answer=rto&value="seconds".')
    if raw is None or str(raw).strip() == "":
        raise ChangeError(
            name, f'Give the new value for {_field_name(name)} as JSON, e.g. value="seconds".'
        )
    if len(raw) > VALUE_MAX:
        raise ChangeError(name, f"The value for {_field_name(name)} is too long.")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise ChangeError(
            name,
            f"The value for {_field_name(name)} is not valid JSON. Text needs double quotes "
            '(value="seconds"); yes and no are true and false; numbers are plain (value=500).',
        ) from None
    return Change(name, value)


@dataclass(frozen=True)
class WhatIf:
    change: Change
    answers: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    diff: Diff
    current: Any  # the stored answer that the change replaces

    @property
    def current_shown(self) -> str:
        return display(self.change.name, self.current)

    @property
    def no_change(self) -> bool:
        return self.current == self.after["answers"].get(self.change.name)


def _stored_answers(saved: Recommendation) -> dict[str, Any]:
    """The stored answers under today's contract, or ChangeError naming what no longer passes."""
    try:
        return normalise(saved.answers)
    except AnswersError as error:
        name, message = next(iter(error.errors.items()))
        raise ChangeError(
            name,
            f"The answers stored with this recommendation no longer pass today's checks: "
            f"{_field_name(name)} {message} Edit a copy to answer that question again.",
        ) from None


def evaluate_what_if(saved: Recommendation, change: Change) -> WhatIf:
    """Today's rules on the stored answers, with and without the change (so the diff is the
    change alone, even when the rules changed since the recommendation was saved)."""
    base = _stored_answers(saved)
    try:
        answers = normalise({**saved.answers, change.name: change.value})
    except AnswersError as error:
        message = error.errors.get(change.name)
        if message is None:
            name, message = next(iter(error.errors.items()))
            raise ChangeError(name, f"{_field_name(name)} {message}") from None
        raise ChangeError(change.name, f"{_field_name(change.name)} {message}") from None
    change = Change(change.name, answers[change.name])
    engine = default_engine()
    before = engine.recommend(base, explore=False, budget_search=False)
    after = engine.recommend(answers, explore=False, budget_search=False)
    return WhatIf(
        change, answers, before, after, diff(before, after, _rule_texts()), base[change.name]
    )


def _suggested_title(saved: Recommendation, change: Change) -> str:
    title = f"{saved.title or 'Variant'}, what if {change.words}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


@dataclass(frozen=True)
class Toggle:
    """One answer change from a decision's what_would_change, as a one-click what-if."""

    answer: str
    value_json: str
    text: str
    via: str | None
    query: str
    why: str = ""
    choice: str = ""

    @property
    def condition(self) -> str:
        """The change without the choice it leads to: 'If the budget is $263 a month or less'."""
        return self.text.rsplit(" → ", 1)[0]


# The page shows this many changes per decision, nearest and most plausible first; the JSON
# export keeps every one.
SHOWN_CHANGES = 5


def toggles(decision: Mapping[str, Any]) -> list[Toggle]:
    found = []
    for entry in decision.get("what_would_change") or ():
        if not isinstance(entry, Mapping) or "answer" not in entry:
            continue
        change = Change(str(entry["answer"]), entry.get("value"))
        found.append(
            Toggle(
                change.name,
                change.value_json,
                str(entry.get("text", "")),
                entry.get("via"),
                change.query,
                str(entry.get("why") or ""),
                str(entry.get("choice") or ""),
            )
        )
    return found


def ranked_changes(decision: Mapping[str, Any], concern: Concern) -> dict[str, Any] | None:
    """The nearest few changes, grouped by the choice they lead to (None for a recommendation
    stored before changes were ranked, which keeps its full list)."""
    entries = decision.get("what_would_change") or []
    if not entries or not all(isinstance(e, Mapping) and "rank" in e for e in entries):
        return None
    found = toggles(decision)[:SHOWN_CHANGES]
    groups: dict[str, dict[str, Any]] = {}
    for toggle in found:
        label = concern.labels.get(toggle.choice, toggle.choice)
        group = groups.setdefault(toggle.choice, {"label": label, "toggles": []})
        group["toggles"].append(toggle)
    return {"groups": list(groups.values()), "more": len(entries) - len(found)}


def _all_toggles(saved: Recommendation) -> list[dict[str, Any]]:
    """Every distinct change of the recommendation's decisions, grouped by answer."""
    groups: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for decision in (saved.recommendation.get("decisions") or {}).values():
        if not isinstance(decision, Mapping):
            continue
        for toggle in toggles(decision):
            if toggle.query in seen:
                continue
            seen.add(toggle.query)
            group = groups.setdefault(
                toggle.answer, {"label": answer_label(toggle.answer), "changes": []}
            )
            try:
                shown = display(toggle.answer, json.loads(toggle.value_json))
            except ValueError:
                shown = toggle.value_json
            group["changes"].append({"query": toggle.query, "shown": shown})
    return list(groups.values())


# -- the recommendation page's share of design-session context -----------------------------------


def page_context(saved: Recommendation) -> dict[str, Any]:
    """What the (immutably cached) recommendation page shows of what-if, lineage and diagram:
    only things that never change for a stored recommendation."""
    snapshot = saved.recommendation
    decisions = snapshot.get("decisions") or {}
    rows = []
    for concern in CONCERNS:
        decision = decisions.get(concern.name)
        if not isinstance(decision, Mapping):
            continue
        found = toggles(decision)
        rows.append(
            {
                "concern": concern,
                "d": decision,
                "ranked": ranked_changes(decision, concern),
                "direct": [toggle for toggle in found if not toggle.via],
                "indirect": [toggle for toggle in found if toggle.via],
            }
        )
    lineage = None
    if saved.shared_parent is not None:
        lineage = diff(saved.shared_parent.recommendation, snapshot)
    return {
        "decision_rows": rows,
        "diagram_svg": _diagram(snapshot, "dg"),
        "diagram_text": diagram.describe(snapshot),
        "lineage": lineage,
    }


def _diagram(snapshot: Mapping[str, Any], prefix: str) -> SafeString:
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
        context["title"] = title or _suggested_title(saved, result.change)
        context["full_url"] = f"{reverse('what-if', args=[saved.slug])}?{result.change.query}"
        context["query"] = result.change.query
    if not fragment:
        context["groups"] = _all_toggles(saved)
        context["columns"] = [
            {"label": "As saved", "short": "as saved", "cell": "As saved"},
            {"label": "What if", "short": "what if", "cell": "What if"},
        ]
        if result is not None:
            context["diagrams"] = (_diagram(result.before, "wb"), _diagram(result.after, "wa"))
            context["before_text"] = diagram.describe(result.before)
            context["diagram_text"] = diagram.describe(result.after)
    template = "design/_what_if.html" if fragment else "design/what_if.html"
    return render(request, template, context, status=status)


@vary_on_headers("HX-Request")
@require_GET
def what_if(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored answers with one change, evaluated now: what moves across every decision."""
    saved = stored(slug)
    try:
        result = evaluate_what_if(saved, parse_change(request.GET))
    except ChangeError as error:
        return _what_if_page(request, saved, error=error, status=400)
    return _what_if_page(request, saved, result=result)


@require_POST
def what_if_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the what-if as a new recommendation whose parent is the original."""
    saved = stored(slug)
    try:
        result = evaluate_what_if(saved, parse_change(request.POST))
    except ChangeError as error:
        return _what_if_page(request, saved, error=error, status=400)
    raw_title = request.POST.get("title")
    if raw_title is None:
        raw_title = _suggested_title(saved, result.change)
    try:
        title = clean_title(raw_title)
    except AnswersError as error:
        problem = ChangeError("title", f"The name {error.errors['title']}")
        return _what_if_page(
            request, saved, result=result, error=problem, title=raw_title[:200], status=400
        )
    if refusal := allow_create(request):
        response = _what_if_page(
            request, saved, result=result, title=title, status=429,
            warning=f"{refusal.message} Nothing was saved.",
        )  # fmt: skip
        response["Retry-After"] = str(refusal.retry_after)
        return response
    child = save_recommendation(
        result.answers, title, parent=saved, shows_parent=links_original(request)
    )
    return _see_other(child.get_absolute_url(), request)


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
    comparison: Comparison = compare(*(item.recommendation for item in items))
    columns = [
        {
            "letter": "ABCD"[index],
            "label": item.headline,
            "short": "ABCD"[index],
            "cell": f"{'ABCD'[index]}: {item.headline}",
            "url": item.get_absolute_url(),
            "saved": item,
            "cost": comparison.costs[index],
            "diagram": _diagram(item.recommendation, f"c{index}"),
            "diagram_text": diagram.describe(item.recommendation),
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
    variants = [
        {"saved": child, "diff": diff(saved.recommendation, child.recommendation)} for child in page
    ]
    context: dict[str, Any] = {"saved": saved, "variants": variants, "page": page}
    if wants_fragment(request):
        return render(request, "design/_variants.html", context)
    ancestors = []
    seen = {saved.pk}
    node = saved
    while node.shows_parent and node.parent_id and len(ancestors) < LINEAGE_MAX:
        parent = Recommendation.objects.filter(pk=node.parent_id).first()
        if parent is None or parent.pk in seen:
            break
        ancestors.append(
            {"saved": parent, "diff": diff(parent.recommendation, node.recommendation)}
        )
        seen.add(parent.pk)
        node = parent
    context["ancestors"] = ancestors
    return render(request, "design/lineage.html", context)


# -- re-evaluate ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
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
    now = engine.recommend(answers, explore=False, budget_search=False)
    context["diff"] = diff(saved.recommendation, now, _rule_texts())
    if request.method == "POST":
        if context["same_rules"]:
            return HttpResponseRedirect(saved.get_absolute_url(), status=303)
        if refusal := allow_create(request):
            context["warning"] = f"{refusal.message} Nothing was saved."
            response = render(request, "design/re_evaluate.html", context, status=429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        child = save_recommendation(
            answers, saved.title, parent=saved, shows_parent=links_original(request)
        )
        return _see_other(child.get_absolute_url(), request)
    context["columns"] = [
        {"label": f"Then ({saved.created:%-d %B %Y})", "short": "then", "cell": "Then"},
        {"label": "Now", "short": "now", "cell": "Now"},
    ]
    context["diagrams"] = (_diagram(saved.recommendation, "rb"), _diagram(now, "ra"))
    context["diagram_text"] = diagram.describe(now)
    return render(request, "design/re_evaluate.html", context)
