"""The wizard's forms, generated from the answers contract (FIELDS): one definition, no copies.

A step form reads the raw POST, turns each value into the contract's type, and validates it with
the same `Field.check` the API and the CLI use; only the words of the error messages are the
wizard's own. Questions whose `Field.applies` is false are neither shown nor kept: their answers
fall back to the defaults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from advisor.engine import FIELDS, FIELDS_BY_NAME, STEPS, AnswersError, cost, default_engine
from advisor.engine import answers as contract
from advisor.engine.answers import Field, conflicts, defaults
from advisor.reading.answers import asked
from advisor.reading.notes import NOT_APPLICABLE, NOTE, NOTE_MAX, REASONS, Note, note_text
from advisor.recommendations import TITLE_MAX, clean_title

REVIEW = "review"
STEP_TITLES: dict[str, str] = {**dict(STEPS), REVIEW: "Review"}
ORDER: tuple[str, ...] = (*(key for key, _ in STEPS), REVIEW)
FIRST = ORDER[0]
BOOL_CHOICES = (("true", "Yes"), ("false", "No"))
ASKED = "_asked"  # hidden inputs naming the conditional questions a rendered form showed


def step_fields(step: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.step == step)


def as_raw(field: Field, value: Any) -> Any:
    """A contract value as the form posts it."""
    if field.kind == "bool":
        return "true" if value else "false"
    if field.kind == "list":
        return list(value)
    if value is None:
        return ""
    return str(value)


def parse(field: Field, raw: Any) -> tuple[Any, str | None]:
    """Turn what a form posted into the contract's type and check it; errors in plain words."""
    if field.kind == "list":
        value, error = field.check(list(raw or []))
        return value, error and "Choose only from the options listed."
    if raw in (None, ""):
        if field.required:
            return None, f"Choose the {field.label.lower()}: the other questions depend on it."
        if field.nullable:
            return None, None
        if field.kind == "int":
            return None, _number_hint(field)
        return None, "Choose one of the options."
    if field.kind == "bool":
        value = {"true": True, "false": False}.get(raw)
        _, error = field.check(value)
        return value, error and "Choose yes or no."
    if field.kind == "choice":
        value, error = field.check(raw)
        return value, error and "Choose one of the options."
    # A number: forgive thousands separators and a dollar sign, nothing else.
    text = str(raw).strip().replace(",", "").replace("_", "").replace(" ", "").removeprefix("$")
    try:
        value, error = field.check(int(text))
    except ValueError:
        error = "not a whole number"
    return (None, _number_hint(field)) if error else (value, None)


def sizing_hint(name: str, answers: Mapping[str, Any]) -> str:
    """Beside an optional sizing question, what leaving it empty gives today."""
    if "engine" not in answers or name not in ("working_set_gb", "instance_class"):
        return ""
    full = contract.applicable(defaults() | {**answers, name: None})
    if name == "working_set_gb":
        gb = cost.default_working_set_gb(full)
        return f"Left empty: about {gb:,} GB, from your data size and read/write mix."
    klass = cost.size_class(full, default_engine().prices).klass
    return f"Left empty: {klass.name} today, the cheapest class with memory for the hot data."


def _number_hint(field: Field) -> str:
    hint = f"Enter a whole number from {field.minimum:,} to {field.maximum:,}"
    return hint + (", or leave it empty for no fixed budget." if field.nullable else ".")


class AnswerField(forms.Field):
    """Hands the raw posted value to `parse`; the contract, not Django, decides what is valid."""

    def __init__(self, field: Field):
        widget = {
            "list": forms.CheckboxSelectMultiple(choices=field.choices),
            "bool": forms.RadioSelect(choices=BOOL_CHOICES),
            "choice": forms.RadioSelect(choices=field.choices),
            "int": forms.NumberInput(attrs={"min": field.minimum, "max": field.maximum}),
        }[field.kind]
        super().__init__(required=False, label=field.label, help_text=field.help, widget=widget)
        self.contract = field


class NoteField(forms.CharField):
    """A question's note, checked as the API checks it."""

    def __init__(self):
        super().__init__(required=False, strip=False)

    def clean(self, value: Any) -> str:
        try:
            return note_text(value)
        except ValueError as error:
            raise forms.ValidationError(f"The note {error}") from error


class ReasonField(forms.ChoiceField):
    """Whether a question applies, or why not."""

    def __init__(self):
        super().__init__(
            required=False,
            choices=[("", "It applies"), *REASONS.items()],
            error_messages={"invalid_choice": "Choose whether it applies from the options listed."},
        )


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool
    id: str


@dataclass(frozen=True)
class Question:
    """One question as a template renders it."""

    field: Field
    value: Any
    error: str | None
    new: bool = False
    hint: str = ""  # what an empty optional answer stands for, worked out from the others
    # The team's note on it, as posted or saved.
    note: Note = dataclasses.field(default_factory=Note)
    note_error: str | None = None
    is_slot = False
    note_max = NOTE_MAX
    reasons = tuple(REASONS.items())

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def id(self) -> str:
        return f"id_{self.field.name}"

    @property
    def help_id(self) -> str:
        return f"{self.field.name}-help"

    @property
    def error_id(self) -> str:
        return f"{self.field.name}-error"

    @property
    def described_by(self) -> str:
        return " ".join([self.help_id, *([self.error_id] if self.error else [])])

    @property
    def conditional(self) -> bool:
        return self.field.ask_when is not None

    @property
    def widget(self) -> str:
        if self.field.kind == "choice" and len(self.field.choices) > 12:
            return "select"
        return {"bool": "yesno", "choice": "radios", "int": "number", "list": "checkboxes"}[
            self.field.kind
        ]

    @property
    def options(self) -> list[Option]:
        choices = BOOL_CHOICES if self.field.kind == "bool" else self.field.choices
        chosen = self.value if isinstance(self.value, list) else [self.value]
        return [
            Option(value, label, value in chosen, f"{self.id}_{index}")
            for index, (value, label) in enumerate(choices)
        ]

    @property
    def layout(self) -> str:
        """Short choices sit side by side; long ones get a row each."""
        if self.field.kind == "bool" or self.field.name == "engine":
            return "grid"
        longest = max(len(label) for _, label in self.field.choices)
        return "grid" if longest <= 24 else "rows"

    @property
    def first_input_id(self) -> str:
        return self.id if self.widget in ("number", "select") else f"{self.id}_0"

    @property
    def note_id(self) -> str:
        return NOTE + self.field.name

    @property
    def reason_id(self) -> str:
        return NOT_APPLICABLE + self.field.name


@dataclass(frozen=True)
class Problem:
    """One line of a step's error summary: what is wrong and where to fix it."""

    label: str
    message: str
    anchor: str


@dataclass(frozen=True)
class Slot:
    """The place of a conditional question: empty when it does not apply."""

    name: str
    question: Question | None
    is_slot = True


class StepForm(forms.Form):
    """One wizard step's questions, built from FIELDS and validated by `Field.check`."""

    def __init__(
        self,
        step: str,
        answers: Mapping[str, Any],
        data: Any = None,
        notes: Mapping[str, Note] | None = None,
    ):
        super().__init__(data=data)
        self.step = step
        self.saved = dict(answers)
        self.contract_fields = step_fields(step)
        current = defaults() | self.saved
        for field in self.contract_fields:
            self.fields[field.name] = AnswerField(field)
            self.initial[field.name] = as_raw(field, current.get(field.name))
            self.fields[NOTE + field.name] = NoteField()
            self.fields[NOT_APPLICABLE + field.name] = ReasonField()
        self.asked = set(data.getlist(ASKED)) if data is not None else set()
        self.answers: dict[str, Any] = dict(self.saved)
        # The team's notes: those saved, with those this step posted (a page that did not show
        # a question's note, a form from before notes, leaves it as it was).
        self.saved_notes: dict[str, Note] = dict(notes or {})
        self.notes: dict[str, Note] = dict(self.saved_notes)
        # Saved answers a new answer on this step no longer allows, with why.
        self.dropped: list[tuple[str, str]] = []

    def clean(self) -> dict[str, Any]:
        values, problems = {}, {}
        for field in self.contract_fields:
            value, error = parse(field, self.cleaned_data.get(field.name))
            if error:
                problems[field.name] = error
            else:
                values[field.name] = value
        # A wrong answer keeps the last good one in the session; the page shows what was typed.
        merged = self.saved | values
        full = defaults() | merged
        for name, error in problems.items():
            field = FIELDS_BY_NAME[name]
            # A question that was not on the page cannot have been answered wrongly.
            if field.applies(full) and (field.ask_when is None or name in self.asked):
                self.add_error(name, error)
        for name, error in conflicts(full).items():
            if name in self.fields and name not in problems:
                self.add_error(name, error)
            # Never keep a pair the engine refuses: the earlier answer gives way (an instance
            # class chosen for MySQL goes when the engine becomes Oracle).
            merged.pop(name, None)
            if name in self.saved and name not in self.fields:
                self.dropped.append((name, error))
        self.answers = asked(merged)
        for field in self.contract_fields:
            note, why = NOTE + field.name, NOT_APPLICABLE + field.name
            if note not in self.data or note not in self.cleaned_data:
                continue
            if why in self.cleaned_data:  # else a bad reason: the note stays as it was
                self.notes[field.name] = Note(self.cleaned_data[note], self.cleaned_data[why])
        self.notes = {name: note for name, note in self.notes.items() if note}
        return self.cleaned_data

    @property
    def current(self) -> dict[str, Any]:
        """The answers this form stands for: what was posted, else what was saved."""
        if self.is_bound:
            self.is_valid()
            return self.answers
        return self.saved

    def revealed(self) -> list[Field]:
        """Conditional questions that apply now but were not on the page that was posted."""
        full = defaults() | self.current
        return [
            f
            for f in self.contract_fields
            if f.ask_when is not None and f.applies(full) and f.name not in self.asked
        ]

    def question(self, field: Field) -> Question:
        bound = self[field.name]
        shown = field.ask_when is None or not self.is_bound or field.name in self.asked
        value = bound.value() if shown else self.initial[field.name]
        if field.kind == "list" and not isinstance(value, list):
            value = [value] if value else []
        errors = self.errors.get(field.name) if self.is_bound else None
        hint = sizing_hint(field.name, defaults() | self.current)
        note, note_error = self.saved_notes.get(field.name) or Note(), None
        if self.is_bound and NOTE + field.name in self.data:
            # What was posted, as typed when it was wrong.
            note = Note(
                self[NOTE + field.name].value() or "",
                self[NOT_APPLICABLE + field.name].value() or "",
            )
            problems = [
                *self.errors.get(NOTE + field.name, []),
                *self.errors.get(NOT_APPLICABLE + field.name, []),
            ]
            note_error = problems[0] if problems else None
        return Question(
            field,
            value,
            errors[0] if errors else None,
            new=not shown,
            hint=hint,
            note=note,
            note_error=note_error,
        )

    def items(self) -> list[Question | Slot]:
        """The step's questions in contract order; conditional ones sit in their slot."""
        full = defaults() | self.current
        items: list[Question | Slot] = []
        for field in self.contract_fields:
            question = self.question(field) if field.applies(full) else None
            if field.ask_when is None:
                if question is not None:
                    items.append(question)
            else:
                items.append(Slot(field.name, question))
        return items

    def changed_slots(self) -> list[Slot]:
        """Slots whose question appeared or went away since the page was rendered."""
        return [
            item
            for item in self.items()
            if isinstance(item, Slot) and (item.question is not None) != (item.name in self.asked)
        ]

    def error_list(self) -> list[Problem]:
        if not self.is_bound or self.is_valid():
            return []
        found = []
        for item in self.items():
            question = item.question if isinstance(item, Slot) else item
            if question is None:
                continue
            if question.error:
                found.append(Problem(question.field.label, question.error, question.first_input_id))
            if question.note_error:
                label = f"Note on “{question.field.label}”"
                found.append(Problem(label, question.note_error, question.note_id))
        return found


class ReviewForm(forms.Form):
    """The optional title of the recommendation, checked like the API checks it."""

    title = forms.CharField(
        required=False,
        strip=False,
        label="Name this system (optional)",
        help_text=f"It becomes the headline of the shared page, e.g. “Checkout API”. At most "
        f"{TITLE_MAX} characters.",
    )

    def clean_title(self) -> str:
        try:
            return clean_title(self.cleaned_data["title"])
        except AnswersError as error:
            raise forms.ValidationError(f"The name {error.errors['title']}") from error
