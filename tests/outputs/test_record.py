import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import CONCERNS_BY_NAME, FIELDS_BY_NAME, default_engine
from advisor.outputs import record
from tests.scale import examples

URL = "https://archwise.example/r/Ab3dEf6hIj9lMn0p/"
SECTIONS = [
    "## Context and Problem Statement",
    "## Decision Drivers",
    "## Considered Options",
    "## Decision Outcome",
    "### Consequences",
    "## Pros and Cons of the Options",
    "## Cost Estimate",
    "## Checklist",
    "## More Information",
]
SCENARIOS = {
    "serverless-postgresql": {
        "engine": "postgresql",
        "client_type": "serverless_functions",
        "cache_uses": ["session_store"],
        "region_dr": "minutes",
    },
    "aurora-mysql": {"engine": "mysql", "cost_priority": "performance", "read_replicas": 3},
    "oracle-byol": {"engine": "oracle", "license_model": "bring_your_own", "audit_logging": True},
    "db2-long-term": {"engine": "db2", "restore_window_days": 400, "monthly_budget_usd": 300},
    "self-managed": {"engine": "other", "cache_uses": ["query_results"]},
}


def section(text, heading):
    """The lines under one heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    lines = text.splitlines()
    start = lines.index(heading) + 1
    body = []
    for line in lines[start:]:
        marks = line.split(" ")[0]
        if set(marks) == {"#"} and len(marks) <= len(level):
            break
        body.append(line)
    return "\n".join(body)


@pytest.fixture(params=sorted(SCENARIOS))
def scenario(request, make_snapshot):
    snapshot = make_snapshot(SCENARIOS[request.param], explore=True)
    return snapshot, record.render(snapshot, URL)


def test_the_record_has_every_madr_section_in_order(scenario):
    _, text = scenario
    positions = [text.splitlines().index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert text.startswith("# ")
    assert "* Status: proposed" in text  # nobody has accepted it: that is the team's review
    assert "Status: accepted" not in text
    assert "* Date: 2026-11-28" in text
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_the_record_carries_the_decision_the_team_recorded(make_snapshot):
    snapshot = make_snapshot({"engine": "mysql"}, title="Orders API")
    review = {"status": "accepted", "by": "Ana *and* Ben", "note": "Design review"}
    review["date"] = "2026-12-03"
    head = record.render(snapshot, URL, review).split("## ", 1)[0]
    assert head.splitlines()[2:5] == [
        "* Status: accepted",
        "* Deciders: Ana \\*and\\* Ben",
        "* Decision recorded: 2026-12-03 (Design review)",
    ]
    rejected = record.render(snapshot, URL, {"status": "rejected", "date": "2026-12-04"})
    assert "* Status: rejected\n* Decision recorded: 2026-12-04\n* Date:" in rejected
    assert "Deciders" not in rejected


def test_the_title_is_the_summary_when_the_team_gave_none(scenario):
    snapshot, text = scenario
    first = text.splitlines()[0]
    assert first == "# " + record.md(snapshot["recommendation"]["summary"])


def test_the_title_the_team_gave_heads_the_record(make_snapshot):
    snapshot = make_snapshot({"engine": "mysql"}, title="Orders API")
    assert record.render(snapshot, URL).splitlines()[0] == "# Orders API"


def test_drivers_are_the_answers_in_the_words_of_the_questions(scenario):
    snapshot, text = scenario
    drivers = section(text, "## Decision Drivers")
    answers = snapshot["answers"]
    engine = FIELDS_BY_NAME["engine"]
    assert f"* Database engine: {engine.choice_label(answers['engine'])}" in drivers
    assert "* Environment: Production" in drivers
    assert "* Keep audit logs? " + ("Yes" if answers["audit_logging"] else "No") in drivers
    assert "rds_encrypted" not in drivers
    assert "license_included" not in drivers
    # Questions the wizard would not ask are not drivers either.
    licence = "* Licence:" in drivers
    assert licence == (answers["engine"] in ("oracle", "sqlserver", "db2"))


def test_every_concern_lists_its_chosen_option_and_each_alternative(scenario):
    snapshot, text = scenario
    considered = section(text, "## Considered Options")
    for name, decision in snapshot["recommendation"]["decisions"].items():
        part = section(considered, f"### {CONCERNS_BY_NAME[name].title}")
        assert f"* {record.md(decision['label'])} — chosen" in part
        for alternative in decision["alternatives"]:
            assert f"* {record.md(alternative['label'])}\n" in part + "\n"


def test_the_outcome_gives_each_choice_its_rationale_and_cited_sources(scenario):
    snapshot, text = scenario
    outcome = section(text, "## Decision Outcome")
    facts = default_engine().facts
    for name, decision in snapshot["recommendation"]["decisions"].items():
        heading = f"### {CONCERNS_BY_NAME[name].title}: {record.md(decision['label'])}"
        part = section(outcome, heading)
        for reason in decision["rationale"]:
            assert record.md(reason["text"]) in part
            for fact_id in reason["facts"]:
                fact = facts[fact_id]
                assert f"[{record.md(fact.title)}]({fact.source})" in part


def test_consequences_put_one_way_doors_first_and_mark_them(make_snapshot):
    snapshot = make_snapshot(
        {"engine": "postgresql", "monthly_budget_usd": 50, "environment": "production"}
    )
    text = record.render(snapshot, URL)
    bad = [line for line in section(text, "### Consequences").splitlines() if "Bad," in line]
    risks = snapshot["recommendation"]["risks"]
    doors = [risk for risk in risks if risk["one_way_door"]]
    assert doors
    assert len(doors) < len(risks)
    assert len(bad) == len(risks)
    marked = [line for line in bad if "**one-way door**" in line]
    assert bad[: len(marked)] == marked
    assert len(marked) == len(doors)
    assert any("high risk" in line for line in bad)


def test_pros_and_cons_give_the_rules_that_excluded_or_favoured_each_option(make_snapshot):
    snapshot = make_snapshot({"engine": "postgresql", "client_type": "serverless_functions"})
    text = record.render(snapshot, URL)
    connections = section(section(text, "## Pros and Cons of the Options"), "### Connections")
    catalog = default_engine().catalog
    favoured = catalog.by_id("connections.serverless-functions-pool").rationale
    pooling = section(connections, "#### Connection pooling in the application")
    assert "* Good, because" in pooling
    assert favoured[1:] in pooling
    assert "(rule `connections.serverless-functions-pool`, +2)" in pooling
    lost = snapshot["recommendation"]["decisions"]["connections"]["alternatives"]
    why = next(a["why"] for a in lost if a["choice"] == "app_side_reuse")
    assert f"* Bad, because {record.md(why[0].lower() + why[1:])}" in pooling
    assert "scored" not in pooling
    assert "tie order" not in text

    platform = section(section(text, "## Pros and Cons of the Options"), "### Platform")
    custom = section(platform, "#### Amazon RDS Custom")
    excluded = "RDS Custom exists for Oracle and SQL Server only."
    assert f"* Bad, because {record.md(excluded)}" in custom
    assert "ruled out by the capability matrix" in custom


def test_cost_checklist_and_the_link_back_are_in_the_record(scenario):
    snapshot, text = scenario
    rec = snapshot["recommendation"]
    cost = section(text, "## Cost Estimate")
    assert f"\\${rec['cost']['monthly_usd']['low']:,.0f}" in cost
    assert f"prices as of {rec['cost']['prices_as_of']}" in cost
    checklist = section(text, "## Checklist").strip().splitlines()
    assert checklist == [f"{i}. {record.md(step)}" for i, step in enumerate(rec["checklist"], 1)]
    more = section(text, "## More Information")
    assert f"<{URL}>" in more
    assert f"`{snapshot['ruleset_version']}`" in more


def test_the_budget_verdict_is_stated(make_snapshot):
    text = record.render(make_snapshot({"engine": "mysql", "monthly_budget_usd": 100}), URL)
    assert "over the budget of \\$100." in section(text, "## Cost Estimate")


HOSTILE = (
    "# Owned\n## Injected `code` <script>alert(1)</script> *bold* _em_ [link](javascript:x) "
    "<img src=x onerror=alert(1)> &lt; | --- \r\n- item\u2028> quote\u0000 1. one ~~gone~~ \\"
)


def test_a_hostile_title_cannot_break_the_structure_or_smuggle_html(make_snapshot):
    snapshot = make_snapshot({"engine": "postgresql"}, title=HOSTILE)
    text = record.render(snapshot, URL)
    lines = text.splitlines()
    title = lines[0]
    assert title.startswith("# ")
    assert lines[1] == ""
    # Below the title, the record is exactly what a harmless title gives.
    harmless = record.render(make_snapshot({"engine": "postgresql"}, title="Orders"), URL)
    assert lines[1:] == harmless.splitlines()[1:]
    assert not any(line.startswith(("<", ">", "- item", "1. one")) for line in lines)
    assert "\x00" not in text
    assert "\r" not in text
    assert "\u2028" not in text
    body = title[2:]
    # Every character that could open markup is escaped; no raw tag or entity survives.
    assert not re.search(r"(?<!\\)[<>`*\[\]#|~]", body)
    assert re.search(r"(?<![\\A-Za-z0-9])_", body) is None
    assert "\\<script\\>" in body
    assert "\\&lt;" in body
    assert body.endswith("\\\\")


def test_markdown_escaping_keeps_plain_words_readable():
    assert record.md("rds.force_ssl = 1 in the parameter group") == (
        "rds.force_ssl = 1 in the parameter group"
    )
    assert record.md("- starts like a list") == "\\- starts like a list"
    assert record.md("2. starts like a numbered list") == "2\\. starts like a numbered list"
    assert record.md("_private_ and snake_case") == "\\_private\\_ and snake_case"


def test_the_record_renders_the_stored_snapshot_not_a_fresh_evaluation(make_snapshot):
    snapshot = make_snapshot({"engine": "postgresql"})
    platform = snapshot["recommendation"]["decisions"]["platform"]
    platform["label"] = "Amazon RDS as decided in 2026"
    platform["rationale"] = [
        {
            "rule": "platform.retired-rule",
            "text": "A reason from an older ruleset.",
            "facts": ["retired.fact"],
        },
    ]
    platform["alternatives"][0]["excluded_by"] = ["platform.retired-exclusion"]
    platform["alternatives"][0]["why"] = "Excluded by a rule that no longer exists."
    text = record.render(snapshot, URL)
    assert "### Platform: Amazon RDS as decided in 2026" in text
    assert (
        "* A reason from an older ruleset. (rule `platform.retired-rule`; sources: retired.fact)"
        in text
    )
    assert "* Bad, because excluded by a rule that no longer exists." in text
    assert "* `retired.fact`: retired.fact" in text


def test_a_snapshot_missing_parts_still_renders():
    text = record.render({"slug": "x", "title": "", "recommendation": {}}, URL)
    assert text.startswith("# Data tier decision\n")
    assert "## Decision Drivers" in text
    assert "## More Information" in text


def test_the_record_gives_the_expected_cost_sizing_and_ways_to_fit_the_budget():
    from advisor.engine import recommend
    from advisor.outputs import record

    rec = recommend({"engine": "postgresql", "monthly_budget_usd": 300})
    snapshot = {
        "slug": "Ab3dEf6hIj9lMn0p",
        "title": "Tight",
        "created": "2026-12-02T09:30:00+00:00",
        "ruleset_version": rec["ruleset_version"],
        "parent": None,
        "answers": rec["answers"],
        "recommendation": rec,
    }
    text = record.render(snapshot, "https://archwise.example/r/Ab3dEf6hIj9lMn0p/")
    money = rec["cost"]["monthly_usd"]
    assert f"About \\${money['expected']:,.0f} a month (\\${money['low']:,.0f}-" in text
    assert "Sizing assumptions:" in text
    assert "Ways to fit the budget:" in text
    first = rec["cost"]["budget_options"][0]
    assert "keeps every requirement. Costs you: A 3-year commitment" in text
    assert f"about \\${first['monthly_usd']['expected']:,.0f} a month, within the budget" in text


def _github(text: str) -> str:
    """The HTML GitHub's own Markdown (cmark-gfm with its extensions) makes of the text."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


AUTOLINKED = [
    "see https://evil.example/login now",
    "see http://[::1]:8000/ or ftp://files.example",
    "visit www.evil.example/path?x=1",
    "mail admin@evil.example",
    "cc @octocat and @org/team",
    "fixes #12 and GH-3",
    "costs $x^2$ and $$y$$",
]


@pytest.mark.parametrize("title", AUTOLINKED)
def test_links_mentions_references_and_math_in_a_title_stay_plain_text_on_github(title):
    html = _github(record.md(title))
    assert "<a " not in html
    text = html.removeprefix("<p>").removesuffix("</p>\n")
    # What GitHub shows is the title, character for character, with zero-width spaces that
    # break a mention ("@" + name) or a reference ("#" + number) it would otherwise make.
    assert text.replace("\u200b", "").replace("&amp;", "&") == title
    assert not re.search(r"@\w|#\d", text)
    # GitHub reads $...$ as math before anything else; an escaped dollar sign is a dollar sign.
    assert not re.search(r"(?<!\\)\$", record.md(title))


@given(st.text(max_size=80))
@settings(max_examples=examples(300), deadline=None)
def test_no_text_becomes_markup_on_github(value):
    import html as htmllib

    rendered = _github(record.md(value))
    plain = record.plain(value)
    if not plain:
        return
    assert rendered.startswith("<p>")
    assert rendered.endswith("</p>\n")
    inner = rendered[3:-5]
    assert "<" not in inner, rendered
    assert htmllib.unescape(inner).replace("\u200b", "") == plain.replace("\u200b", "")
