"""The landing page and the wizard (htmx-enhanced, complete without JavaScript).

A wizard run is a draft stored in the database at its own link (/drafts/<key>/<step>/), so any
number of drafts live side by side, in any number of tabs, and a draft can be handed on. The
session only remembers which drafts this browser worked on, to offer to resume the last one.

Every wizard POST answers with a redirect (303) to the step to show next. Without JavaScript
that is plain POST/redirect/GET; with htmx the XMLHttpRequest follows the redirect, the GET
returns the step as a fragment, and `hx-push-url="true"` records the final URL. One code path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, retarget

from advisor.drafts import (
    carried_notes,
    change,
    compact,
    find,
    finish,
    replace_answers,
    shown_notes,
    step_base,
)
from advisor.engine import (
    FIELDS_BY_NAME,
    AnswersError,
    default_engine,
    defaults,
    normalise,
    recommend,
)
from advisor.engine.concerns import CONCERNS_BY_NAME
from advisor.examples import EXAMPLES, EXAMPLES_BY_KEY, Example
from advisor.models import Draft, Recommendation
from advisor.ops.caching import render_once
from advisor.ops.ratelimit import allow_create, throttled
from advisor.reading import read
from advisor.reading.answers import answer_groups, asked, clean_answers
from advisor.reading.notes import (
    NOT_APPLICABLE,
    NOTE,
    REASONS,
    Note,
    flat,
    notes_json,
    read_notes,
    unflat,
)
from advisor.reading.vocabulary import answer_value
from advisor.recommendations import TITLE_MAX

from .forms import FIRST, ORDER, REVIEW, STEP_TITLES, ReviewForm, StepForm, step_fields
from .http import links_original, see_other, stored, wants_fragment
from .learn import path_rows

RECENT = "drafts"  # the session remembers recent drafts, newest first, to offer to resume
RECENT_MAX = 10
LEANS = ("platform", "availability", "read_scaling", "disaster_recovery", "cache")
ENGINE_FIRST = "Choose a database engine first: every other question depends on it."
COPY_SUFFIX = " (copy)"


# -- drafts --------------------------------------------------------------------------------------


def _draft(key: str) -> Draft:
    """The draft behind a key, or a 404."""
    found = find(key)
    if found is None:
        raise Http404("No draft has that link.")
    return found


def _state(draft: Draft) -> dict[str, Any]:
    """The draft's answers so far, its title, and the recommendation it was made from."""
    return {
        "answers": clean_answers(draft.answers),
        "notes": read_notes(draft.notes),
        "title": draft.title,
        "parent": draft.parent.slug if draft.parent else None,
    }


def _remember(request: HttpRequest, draft: Draft) -> None:
    recent = [key for key in request.session.get(RECENT, []) if key != draft.key]
    if recent[:1] != [draft.key] or len(recent) != len(request.session.get(RECENT, [])):
        request.session[RECENT] = [draft.key, *recent][:RECENT_MAX]


def latest_draft(request: HttpRequest) -> Draft | None:
    """The draft this browser worked on last, if it is still kept."""
    keys = [key for key in request.session.get(RECENT, []) if isinstance(key, str)]
    found = {draft.key: draft for draft in Draft.objects.filter(key__in=keys)}
    return next((found[key] for key in keys if key in found), None)


def new_draft(
    request: HttpRequest,
    answers: Mapping[str, Any] | None = None,
    title: str = "",
    parent: Recommendation | None = None,
    notes: Mapping[str, Note] | None = None,
) -> Draft:
    draft = Draft.objects.create(
        answers=compact(answers or {}), title=title, parent=parent, notes=notes_json(notes or {})
    )
    _remember(request, draft)
    return draft


def _to_step(request: HttpRequest, draft: Draft, step: str) -> HttpResponse:
    """After a POST the browser, or htmx's request (which then gets the step as a fragment),
    GETs the step to show next."""
    return see_other(request, reverse("draft-step", args=[draft.key, step]))


# -- landing -------------------------------------------------------------------------------------


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    draft = latest_draft(request)
    resume = draft.key if draft is not None and "engine" in draft.answers else None
    context = {"examples": EXAMPLES, "resume": resume}
    return render_once(request, "wizard/landing.html", lambda: context, f"landing:{resume}")


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    return _to_step(request, new_draft(request), FIRST)


@require_GET
def resume(request: HttpRequest, step: str = FIRST) -> HttpResponse:
    """The wizard's old links, and the site's "Wizard" link: the draft this browser worked on
    last, at that step, or the landing page to start one."""
    draft = latest_draft(request)
    if draft is None:
        return HttpResponseRedirect(reverse("home") + "#start")
    return HttpResponseRedirect(reverse("draft-step", args=[draft.key, step]))


# Loading an example (one of the landing page's, or one of the 15-minute path's, "learn-<row>")
# starts a new draft with its answers, so it is a POST: a GET link would let link previews,
# prefetching and crawlers make drafts.
@require_POST
def example(request: HttpRequest, key: str) -> HttpResponse:
    chosen = EXAMPLES_BY_KEY.get(key)
    if chosen is None and key.startswith("learn-") and (item := path_rows().get(key[6:])):
        row = item["row"]
        chosen = Example(key, f"{row.name}, an example", "", row.answers)
    if chosen is None:
        raise Http404("No such example.")
    draft = new_draft(request, asked(chosen.answers), chosen.title)
    messages.info(request, f"Loaded the example “{chosen.title}”. Change anything you like.")
    return _to_step(request, draft, FIRST)


# -- the wizard ----------------------------------------------------------------------------------


def _lean(answers: dict[str, Any], before: dict[str, Any] | None = None) -> dict[str, Any]:
    """Where the recommendation leans for these answers (the cheap path, no what-would-change)."""
    if "engine" not in answers:
        return {"ready": False}
    try:
        result = recommend(answers, explore=False, budget_search=False)
    except AnswersError:  # a pair the step form is about to refuse: no preview until it is fixed
        return {"ready": False}
    earlier = default_engine().choices(before) if before and "engine" in before else {}
    snapshot = read(result)
    rows = []
    for name in LEANS:
        decision = snapshot.decision(name)
        if name in ("read_scaling", "disaster_recovery") and decision.choice == "none":
            continue
        label = decision.label
        if name == "platform":
            label = f"{label} ({decision.extras.get('instance_class')})"
        elif name == "read_scaling":
            label = f"{label}: {snapshot.read_replicas}"
        rows.append(
            {
                "title": CONCERNS_BY_NAME[name].title,
                "label": label,
                "changed": bool(earlier) and earlier[name] != decision.choice,
            }
        )
    return {"ready": True, "rows": rows, "cost": snapshot.cost}


def _render_step(
    request: HttpRequest,
    draft: Draft,
    step: str,
    form: StepForm | ReviewForm,
    state: dict[str, Any],
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    answers = form.current if isinstance(form, StepForm) else state["answers"]
    fragment = wants_fragment(request)
    template = "wizard/wizard.html#wizard" if fragment else "wizard/wizard.html"
    if request.method == "GET":
        # A step shown fresh depends only on the draft's state: render it once per state.
        key = json.dumps(
            [draft.key, draft.version, step, state, fragment], sort_keys=True, default=str
        )
        return render_once(
            request,
            template,
            lambda: _step_context(draft, step, form, state, answers, fragment),
            key,
        )
    context = _step_context(draft, step, form, state, answers, fragment)
    context["link_original"] = links_original(request)  # kept through errors
    response = render(request, template, context | (extra or {}), status=status)
    if request.htmx:
        push_url(response, False)  # the same step again (errors, a limit): no history entry
    return response


def _step_context(
    draft: Draft,
    step: str,
    form: StepForm | ReviewForm,
    state: dict[str, Any],
    answers: dict[str, Any],
    fragment: bool,
) -> dict[str, Any]:
    index = ORDER.index(step)
    following = ORDER[index + 1] if index + 1 < len(ORDER) else None
    parent = draft.parent
    context = {
        "draft": draft,
        "step": step,
        "step_title": STEP_TITLES[step],
        "step_number": index + 1,
        "step_count": len(ORDER),
        "steps": [
            {"key": key, "title": STEP_TITLES[key], "number": i + 1, "done": i < index}
            for i, key in enumerate(ORDER)
        ],
        "previous": ORDER[index - 1] if index else None,
        "next_step": following,
        "next_title": STEP_TITLES.get(following),
        "form": form,
        "lean": _lean(answers),
        "parent": state["parent"],
        "saved_from_here": parent is not None and parent.draft_id == draft.pk,
        "fragment": fragment,
    }
    if step == REVIEW:
        context["groups"] = answer_groups(answers, shown_notes(state["notes"], answers))
    else:
        context["base"] = step_base(step_fields(step), state["answers"], state["notes"])
    return context


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def wizard_step(request: HttpRequest, key: str, step: str) -> HttpResponse:
    draft = _draft(key)
    _remember(request, draft)
    state = _state(draft)
    if step != FIRST and "engine" not in state["answers"]:
        messages.warning(request, ENGINE_FIRST)
        return _to_step(request, draft, FIRST)
    if step == REVIEW:
        return _review(request, draft, state)
    if request.method == "GET":
        form = StepForm(step, state["answers"], notes=state["notes"])
        return _render_step(request, draft, step, form, state)
    form = StepForm(step, state["answers"], request.POST, notes=state["notes"])
    valid = form.is_valid()
    merged, notes, clashes = _merge(draft, step, form, _base(request))
    if clashes:
        return _clash(request, draft, step, form, (merged, notes), clashes)
    replace_answers(draft, merged, notes)
    for name, why in form.dropped:
        messages.info(request, f"“{FIELDS_BY_NAME[name].label}” was cleared: {why}")
    if not valid:
        return _render_step(request, draft, step, form, state)
    if revealed := form.revealed():
        names = ", ".join(f"“{field.label}”" for field in revealed)
        messages.info(request, f"Your answers raise one more question on this step: {names}")
        return _to_step(request, draft, step)
    index = ORDER.index(step)
    action = request.POST.get("_action")
    target = {"back": index - 1, "stay": index}.get(action, index + 1)
    return _to_step(request, draft, ORDER[max(target, 0)])


def _review(request: HttpRequest, draft: Draft, state: dict[str, Any]) -> HttpResponse:
    if request.method == "GET":
        form = ReviewForm(initial={"title": state["title"]})
        return _render_step(request, draft, REVIEW, form, state)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_step(request, draft, REVIEW, form, state)
    if request.POST.get("_action") != "back" and _shown_version(request) not in (
        None,
        draft.version,
    ):
        # Changed on another screen since this review was shown: a recommendation is made only
        # from answers the person creating it has seen. The title typed stays in the form.
        extra = {"changed_meanwhile": True}
        return _render_step(
            request, draft, REVIEW, form, state, extra, 200 if request.htmx else 409
        )
    if form.cleaned_data["title"] != draft.title:
        change(draft, title=form.cleaned_data["title"])
    if request.POST.get("_action") == "back":
        return _to_step(request, draft, ORDER[-2])
    parent = draft.parent
    if parent is not None and parent.draft_id == draft.pk and draft.saved_version == draft.version:
        # Saved already and unchanged since: a second click or a reload stores nothing new.
        return see_other(request, parent.get_absolute_url(), new_page=True)
    if refusal := allow_create(request):
        # The same limit as the API's. The review stays on screen, answers intact, with the
        # reason; htmx swaps only 2xx responses, so it gets a 200 and a plain POST a real 429.
        messages.warning(request, f"{refusal.message} Your answers are kept.")
        return refusal.mark(
            _render_step(request, draft, REVIEW, form, state), 200 if request.htmx else 429
        )
    try:
        saved = finish(draft, form.cleaned_data["title"], shows_parent=links_original(request))
    except AnswersError:
        messages.warning(request, ENGINE_FIRST)
        return _to_step(request, draft, FIRST)
    # The draft stays, to change and save again as a new version of this one.
    return see_other(request, saved.get_absolute_url(), new_page=True)


def _shown_version(request: HttpRequest) -> int | None:
    """The draft's version the page that posted showed (None from a page without one)."""
    shown = request.POST.get("_version", "")
    return int(shown) if shown.isdigit() and len(shown) < 12 else None


@vary_on_headers("HX-Request")
@require_POST
@throttled
def preview(request: HttpRequest, key: str, step: str) -> HttpResponse:
    """Save what is valid on the step and say where it leans now; reveal or hide questions."""
    draft = _draft(key)
    state = _state(draft)
    if step == REVIEW:
        raise Http404("The review step has no answers to preview.")
    form = StepForm(step, state["answers"], request.POST, notes=state["notes"])
    form.is_valid()
    merged, notes, clashes = _merge(draft, step, form, _base(request))
    if clashes:
        response = _clash(request, draft, step, form, (merged, notes), clashes)
        if request.htmx:  # the live panel asked; the whole step says what happened
            retarget(response, "#wizard")
            reswap(response, "outerHTML")
        return response
    replace_answers(draft, merged, notes)
    if not request.htmx:
        if form.errors:
            return _render_step(request, draft, step, form, state)
        return _to_step(request, draft, step)
    context = {
        "draft": draft,
        "step": step,
        "base": step_base(step_fields(step), clean_answers(draft.answers), read_notes(draft.notes)),
        "lean": _lean(form.answers, before=state["answers"]),
        "slots": form.changed_slots(),
        "has_errors": bool(form.errors),
        "form": form,
    }
    return render(request, "wizard/wizard.html#preview", context)


# -- shared drafts: changes made elsewhere ---------------------------------------------------------

BASE = "_base"  # the step's answers as the page showed them, to tell one's changes from others'


def _base(request: HttpRequest) -> dict[str, Any] | None:
    try:
        base = json.loads(request.POST.get(BASE, "")[:20_000])
    except (ValueError, RecursionError):
        return None
    return base if isinstance(base, dict) else None


def _merge(
    draft: Draft, step: str, form: StepForm, base: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Note], list[str]]:
    """The answers and notes to store: the changes made on this page on top of the draft as it
    is now (so a change made meanwhile elsewhere to another answer or note stays); and those
    changed elsewhere to something else than this page chose (clashes). With clashes nothing
    may be stored: the answers and notes are then what the page offers to apply again. Notes
    are posted as "note-<question>" and "na-<question>" (see reading.notes)."""
    current, current_notes = clean_answers(draft.answers), read_notes(draft.notes)
    if base is None:  # a form from before drafts were shared: it holds every answer
        return dict(form.answers), form.notes, []
    names = [field.name for field in step_fields(step)]
    note_keys = [key for key in flat({}, names) if key in base]  # none on a page before notes
    full_base = defaults() | base
    full_now = defaults() | current | flat(current_notes, names)
    full_mine = defaults() | form.answers | flat(form.notes, names)
    mine = {
        key: full_mine.get(key)
        for key in [*names, *note_keys]
        if full_mine.get(key) != full_base.get(key)
    }
    clashes = [
        key
        for key, value in mine.items()
        if full_now.get(key) != full_base.get(key) and full_now.get(key) != value
    ]
    # An answer the step's new answers no longer allow (an instance class chosen for MySQL when
    # the engine becomes Oracle) was dropped by the form: it stays dropped.
    dropped = set(current) - set(form.answers)
    changed = {key: value for key, value in mine.items() if key in FIELDS_BY_NAME}
    merged = {name: value for name, value in {**current, **changed}.items() if name not in dropped}
    note_changes = {key: value for key, value in mine.items() if key not in FIELDS_BY_NAME}
    notes = {name: note for name, note in current_notes.items() if name not in names}
    notes |= unflat(flat(current_notes, names) | note_changes, names)
    return asked(merged), notes, clashes


def _clash_row(key: str, now: Mapping[str, Any], mine: Mapping[str, Any]) -> dict[str, str]:
    """A refused change in words: the answer or note, as it is now and as this page chose."""
    if key in FIELDS_BY_NAME:
        label, words = FIELDS_BY_NAME[key].label, lambda value: answer_value(key, value)
    elif key.startswith(NOTE):
        label = f"Note on “{FIELDS_BY_NAME[key.removeprefix(NOTE)].label}”"
        words = _note_words
    else:
        label = f"Whether “{FIELDS_BY_NAME[key.removeprefix(NOT_APPLICABLE)].label}” applies"
        words = _reason_words
    return {"label": label, "theirs": words(now.get(key)), "mine": words(mine.get(key))}


def _note_words(text: str | None) -> str:
    return f"“{text}”" if text else "no note"


def _reason_words(why: str | None) -> str:
    return f"not applicable: {REASONS[why].lower()}" if why else "it applies"


def _clash(
    request: HttpRequest,
    draft: Draft,
    step: str,
    form: StepForm,
    offered: tuple[dict[str, Any], dict[str, Note]],
    clashes: list[str],
) -> HttpResponse:
    """The step again, as the draft is now with every change this page made filled in (those
    someone else made meanwhile stay), saying which answers someone changed meanwhile to
    something else, so this page's choice can be applied again."""
    names = [field.name for field in step_fields(step)]
    now = defaults() | clean_answers(draft.answers) | flat(read_notes(draft.notes), names)
    mine = defaults() | form.answers | flat(form.notes, names)
    answers, notes = offered
    fragment = wants_fragment(request)
    again = StepForm(step, answers, notes=notes)
    context = _step_context(draft, step, again, _state(draft), answers, fragment)
    context["clashes"] = [_clash_row(key, now, mine) for key in clashes]
    template = "wizard/wizard.html#wizard" if wants_fragment(request) else "wizard/wizard.html"
    response = render(request, template, context, status=200 if request.htmx else 409)
    if request.htmx:
        push_url(response, False)
    return response


@never_cache
@require_GET
def sync(request: HttpRequest, key: str, step: str) -> HttpResponse:
    """What the page polls: 204 while the draft is at the version the page shows, else the step
    as it is now, naming what changed, for whoever has the draft open elsewhere."""
    draft = _draft(key)
    try:
        shown = int(request.GET.get("v", ""))
    except ValueError:
        shown = None
    if shown == draft.version:
        return HttpResponse(status=204)
    state = _state(draft)
    if step != FIRST and "engine" not in state["answers"]:
        step = FIRST
    if step == REVIEW:
        # The title being typed here is kept: it is saved when the recommendation is created.
        title = request.GET.get("title", state["title"])[:TITLE_MAX]
        form: StepForm | ReviewForm = ReviewForm(initial={"title": title})
        answers = state["answers"]
    else:
        form = StepForm(step, state["answers"], notes=state["notes"])
        answers = form.current
    context = _step_context(draft, step, form, state, answers, True)
    context["synced"] = True
    return render(request, "wizard/wizard.html#wizard", context)


# -- back from a recommendation to its draft -----------------------------------------------------


@never_cache
@require_GET
def made_from(request: HttpRequest, slug: str) -> HttpResponse:
    """What the recommendation page loads: a way back to the draft it was finished from, for a
    browser that worked on that draft (a draft's link lets anyone change it, and recommendation
    links are pasted widely, so the page itself never shows it); 204 for everyone else."""
    saved = stored(slug)
    recent = request.session.get(RECENT, [])
    draft = saved.draft if saved.draft_id and recent else None  # a stranger costs no query
    if draft is None or draft.key not in recent:
        return HttpResponse(status=204)
    return render(request, "recommendation/made_from.html", {"draft": draft, "saved": saved})


# -- an edited copy ------------------------------------------------------------------------------


@require_POST
def edit_copy(request: HttpRequest, slug: str) -> HttpResponse:
    """A new draft with a stored recommendation's answers; saving it makes a new link."""
    saved = stored(slug)
    answers = clean_answers(saved.answers)
    raw = request.POST.get("apply", "")
    if raw:
        try:
            changes = json.loads(raw[:APPLY_MAX])
            if not isinstance(changes, dict):
                raise ValueError
            answers = clean_answers(normalise({**answers, **changes}))
        except AnswersError as error:
            return _bad_change(
                request, saved, "; ".join(f"{k}: {v}" for k, v in error.errors.items())
            )
        except (ValueError, RecursionError):
            return _bad_change(request, saved, "The changes must be a JSON object of answers.")
    title = ""
    if saved.title:  # the copy is named as one; without a title the review asks for one
        title = saved.title[: TITLE_MAX - len(COPY_SUFFIX)].rstrip() + COPY_SUFFIX
    notes = carried_notes(saved.notes, saved.answers, answers)
    draft = new_draft(request, answers, title, parent=saved, notes=notes)
    step = request.POST.get("step", "")
    if step in STEP_TITLES:
        focus = request.POST.get("focus", "")
        anchor = f"#q-{focus}" if focus in FIELDS_BY_NAME else ""
        return see_other(request, reverse("draft-step", args=[draft.key, step]) + anchor)
    return _to_step(request, draft, REVIEW)


APPLY_MAX = 4000


def _bad_change(request: HttpRequest, saved: Recommendation, message: str) -> HttpResponse:
    back = saved.get_absolute_url()
    return render(request, "400.html", {"message": message, "back": back}, status=400)
