"""Explanations a reviewer can repeat, and what would change a decision, over the answer space."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import CONCERNS, FIELDS, Engine, KnowledgeError, default_engine
from advisor.engine.answers import FIELDS_BY_NAME, conflicts
from advisor.engine.explore import UNEXPLORED
from tests.engine.test_properties import ANSWERS, _value_strategy
from tests.scale import examples

CHEAP = settings(max_examples=examples(300), deadline=None)
COSTLY = settings(max_examples=examples(40), deadline=None)
MACHINE_WORDS = ("tie order", "no rule weighs against it", "no rule favoured it", "scored lower")


def _texts(rec: dict[str, Any]) -> list[str]:
    texts = [rec["summary"], *(risk["text"] for risk in rec["risks"]), *rec["checklist"]]
    for decision in rec["decisions"].values():
        texts += [reason["text"] for reason in decision["rationale"]]
        texts += [alternative["why"] for alternative in decision["alternatives"]]
        texts += [entry["text"] for entry in decision["what_would_change"]]
        texts += [entry["why"] for entry in decision["what_would_change"]]
    return texts


@CHEAP
@given(ANSWERS)
def test_no_recommendation_explains_itself_like_a_machine(answers):
    rec = default_engine().recommend(answers, explore=False)
    for text in _texts(rec):
        assert text.strip()
        assert not any(words in text.lower() for words in MACHINE_WORDS), text
    for decision in rec["decisions"].values():
        for alternative in decision["alternatives"]:
            assert len(alternative["why"]) > 20, alternative
            assert alternative["facts"], alternative


@CHEAP
@given(ANSWERS)
def test_a_tie_is_settled_by_the_concerns_principle_said_once(answers):
    rec = default_engine().recommend(answers, explore=False)
    for concern, decision in rec["decisions"].items():
        principles = [r for r in decision["rationale"] if r["rule"] == f"principle.{concern}"]
        tied = [
            a
            for a in decision["alternatives"]
            if not a["excluded_by"] and a["score"] == decision["score"]
        ]
        assert len(principles) == (1 if tied else 0), (concern, decision["rationale"])


@CHEAP
@given(ANSWERS)
def test_a_choice_no_rule_argues_for_says_what_it_assumes(answers):
    engine = default_engine()
    rec = engine.recommend(answers, explore=False)
    for concern, decision in rec["decisions"].items():
        argued = [
            t for t in decision["trace"] if t["effect"] == "prefer" and t.get("weight", 0) > 0
        ]
        argued = [t for t in argued if decision["choice"] in t["choices"]]
        assumed = [r for r in decision["rationale"] if r["rule"].startswith("choice.")]
        if argued:
            assert not assumed
        else:
            text, _ = engine.explanations.assumption(concern, decision["choice"])
            assert [r["text"] for r in assumed] == [text]


@CHEAP
@given(ANSWERS)
def test_every_reason_shown_is_about_the_platform_and_form_chosen(answers):
    engine = default_engine()
    rec = engine.recommend(answers, explore=False)
    order = [c.name for c in CONCERNS]
    for concern, decision in rec["decisions"].items():
        for dim in ("platform", "availability"):
            if order.index(concern) < order.index(dim):
                continue  # not decided yet when this decision is made
            chosen = rec["decisions"][dim]["choice"]
            for reason in decision["rationale"]:
                for fact_id in reason["facts"]:
                    about = engine.facts[fact_id].about_choices(dim)
                    assert about is None or chosen in about, (concern, reason, fact_id)


def _choices(engine, answers: dict[str, Any]) -> dict[str, str]:
    return engine.choices(answers)


@COSTLY
@given(ANSWERS)
def test_what_would_change_finds_every_flip_of_a_choice_or_yes_no_answer(answers):
    """The explorer re-decides only what a change touches; deciding everything again from
    scratch finds exactly the same flips."""
    engine = default_engine()
    rec = engine.recommend(answers)
    given_answers = rec["answers"]
    today = {name: d["choice"] for name, d in rec["decisions"].items()}
    listed = {
        (concern, entry["answer"], entry["choice"]): entry
        for concern, d in rec["decisions"].items()
        for entry in d["what_would_change"]
    }
    for f in FIELDS:
        if f.kind == "int" or not f.applies(given_answers) or f.name in UNEXPLORED:
            continue
        current = given_answers[f.name]
        if f.kind == "bool":
            values = [not current]
        elif f.kind == "choice":
            values = [v for v in f.values if v != current]
        else:
            values = [[v for v in f.values if (v in current) != (v == item)] for item in f.values]
        for value in values:
            if conflicts({**given_answers, f.name: value}):
                continue
            flipped = _choices(engine, {**given_answers, f.name: value})
            for concern, choice in flipped.items():
                if choice != today[concern]:
                    assert (concern, f.name, choice) in listed, (concern, f.name, value, choice)


@COSTLY
@given(ANSWERS, st.randoms(use_true_random=False))
def test_numeric_thresholds_are_exact_and_none_is_missed(answers, rnd: random.Random):
    """A threshold flips its decision and the value just short of it does not; a value drawn at
    random that flips a decision is covered by an entry for the same answer and choice."""
    engine = default_engine()
    rec = engine.recommend(answers)
    given_answers = rec["answers"]
    listed = set()
    for concern, decision in rec["decisions"].items():
        for entry in decision["what_would_change"]:
            listed.add((concern, entry["answer"], entry["choice"]))
            f = FIELDS_BY_NAME[entry["answer"]]
            value, current = entry["value"], given_answers[f.name]
            if f.kind != "int" or value is None:
                continue
            at = _choices(engine, {**given_answers, f.name: value})
            assert at[concern] == entry["choice"], entry
            short = value + 1 if current is None or value < current else value - 1
            before = _choices(engine, {**given_answers, f.name: short})
            assert before[concern] != entry["choice"], (entry, short)
    today = {name: d["choice"] for name, d in rec["decisions"].items()}
    for f in FIELDS:
        if f.kind != "int":
            continue
        small = min(100, f.maximum)
        for value in (rnd.randint(f.minimum, f.maximum), rnd.randint(f.minimum, small)):
            flipped = _choices(engine, {**given_answers, f.name: value})
            for concern, choice in flipped.items():
                if choice != today[concern]:
                    assert (concern, f.name, choice) in listed, (concern, f.name, value, choice)


@CHEAP
@given(ANSWERS)
def test_what_would_change_is_ranked_own_levers_first(answers):
    rec = default_engine().recommend(answers)
    for decision in rec["decisions"].values():
        entries = decision["what_would_change"]
        assert [e["rank"] for e in entries] == list(range(1, len(entries) + 1))
        vias = [e["via"] is not None for e in entries]
        assert vias == sorted(vias), "a decision's own levers come before earlier decisions'"
        for entry in entries:
            assert entry["why"]
            assert entry["text"].startswith("If ")


def test_a_near_threshold_ranks_before_switching_the_engine():
    rec = default_engine().recommend(
        {"engine": "postgresql", "data_size_gb": 50_000, "aurora_acceptable": False}
    )
    assert rec["decisions"]["platform"]["choice"] == "rds"
    entries = rec["decisions"]["platform"]["what_would_change"]
    answers = [e["answer"] for e in entries]
    assert answers.index("data_size_gb") < answers.index("engine")
    data = next(e for e in entries if e["answer"] == "data_size_gb")
    # 64 TiB is 65,536 GiB; the first whole GB past it is 70,369 GB.
    assert data["value"] == 70_369
    assert data["text"].startswith("If the data size reaches 70,369 GB")


@CHEAP
@given(ANSWERS, st.data())
def test_answers_the_explorer_skips_never_change_a_decision(answers, data):
    engine = default_engine()
    skipped = [f for f in FIELDS if f.name not in engine.explorer.read]
    if not skipped:
        return
    f = data.draw(st.sampled_from(skipped))
    value = data.draw(_value_strategy(f))
    assert engine.choices({**answers, f.name: value}) == engine.choices(answers)


def test_every_concern_and_choice_has_its_words():
    explanations = default_engine().explanations
    for concern in CONCERNS:
        assert explanations.principle(concern.name)[0]
        for choice in concern.values:
            assert explanations.assumption(concern.name, choice)[0]
            assert "nothing you asked for needs" in explanations.unneeded(concern.name, choice)[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("[platform.ec2]\n", "[platform.ec2_gone]\n", "platform: unknown key(s) ec2_gone"),
        (
            'offers = "an engine, version, host access or extension that RDS does not offer"\n',
            "",
            "platform.ec2: needs assumes, drawback, facts, offers",
        ),
        (
            'facts = ["ec2.when"]\n\n[availability]',
            'facts = ["ec2.nope"]\n\n[availability]',
            "unknown fact 'ec2.nope'",
        ),
        ("opt_out = true", 'opt_out = "yes"', "opt_out must be true or false"),
    ],
)
def test_a_broken_choices_file_fails_naming_the_file_and_the_choice(data_copy, old, new, message):
    path = data_copy / "choices.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as caught:
        Engine.load(data_dir=data_copy)
    assert "choices.toml" in str(caught.value)
    assert message in str(caught.value)
