"""The architecture diagram: safe, accessible, legible SVG for every recommendation made.

The checks read the SVG back with xml.etree and estimate each label's box at 0.6 x font size per
character, the way the renderer lays text out.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import CONCERNS, CONCERNS_BY_NAME, FIELDS, FIELDS_BY_NAME, recommend
from advisor.outputs.diagram import describe, render
from tests.engine.test_properties import consistent
from tests.scale import examples

SVG = "{http://www.w3.org/2000/svg}"
CHAR_WIDTH = 0.6  # a glyph's width, roughly, as a share of the font size
EPSILON = 0.5

FORBIDDEN_ELEMENTS = {
    "script",
    "style",
    "foreignObject",
    "image",
    "iframe",
    "object",
    "embed",
    "a",
    "use",
    "feImage",
    "animate",
    "set",
}


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, other: Box) -> bool:
        return (
            self.x0 - EPSILON <= other.x0
            and self.y0 - EPSILON <= other.y0
            and other.x1 <= self.x1 + EPSILON
            and other.y1 <= self.y1 + EPSILON
        )

    def overlaps(self, other: Box) -> bool:
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > EPSILON
            and min(self.y1, other.y1) - max(self.y0, other.y0) > EPSILON
        )


@dataclass(frozen=True)
class Text:
    content: str
    size: float
    box: Box
    classes: frozenset[str]


@dataclass(frozen=True)
class Rect:
    box: Box
    classes: frozenset[str]


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 (our own output, parsed to check it)
    assert local(root.tag) == "svg"
    return root


def view_box(root: ET.Element) -> Box:
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return Box(x, y, x + w, y + h)


def classes(element: ET.Element) -> frozenset[str]:
    return frozenset(element.attrib.get("class", "").split())


def texts(root: ET.Element) -> list[Text]:
    found = []
    for element in root.iter(f"{SVG}text"):
        content = "".join(element.itertext())
        size = float(element.attrib["font-size"])
        x, y = float(element.attrib["x"]), float(element.attrib["y"])
        width = CHAR_WIDTH * size * len(content)
        anchor = element.attrib.get("text-anchor", "start")
        x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        box = Box(x0, y - 0.8 * size, x0 + width, y + 0.2 * size)
        found.append(Text(content, size, box, classes(element)))
    return found


def rects(root: ET.Element, kind: str = "box") -> list[Rect]:
    found = []
    for element in root.iter(f"{SVG}rect"):
        if kind not in classes(element):
            continue
        x, y = float(element.attrib["x"]), float(element.attrib["y"])
        w, h = float(element.attrib["width"]), float(element.attrib["height"])
        found.append(Rect(Box(x, y, x + w, y + h), classes(element)))
    return found


def all_text(root: ET.Element) -> str:
    """Every visible label in document order, joined by single spaces (wrapped lines rejoin)."""
    return " ".join(" ".join(t.content for t in texts(root)).split())


def more_figures(root: ET.Element) -> int:
    """The sum of the "+N more" figures."""
    total = 0
    for text in texts(root):
        if "more" in text.classes:
            match = re.match(r"\+(\d+) more\b", text.content)
            assert match, f"a 'more' label without a figure: {text.content!r}"
            total += int(match.group(1))
    return total


def check_safe(root: ET.Element, svg: str) -> None:
    """No scripts, inline style, external references or event handlers."""
    assert "<script" not in svg.lower()
    for element in root.iter():
        name = local(element.tag)
        assert name not in FORBIDDEN_ELEMENTS, f"forbidden element <{name}>"
        for attribute, value in element.attrib.items():
            attr = local(attribute)
            assert attr != "style", f"style attribute on <{name}>"
            assert not attr.lower().startswith("on"), f"event handler {attr} on <{name}>"
            assert attr != "href", f"href on <{name}>"
            for target in re.findall(r"url\(([^)]*)\)", value):
                assert target.startswith("#"), f"external reference {value!r}"
            assert "javascript:" not in value.lower()
            assert "@import" not in value


def check_accessible(root: ET.Element, prefix: str) -> None:
    """role="img", labelled by a non-empty <title> and <desc>, every id prefixed and unique."""
    assert root.attrib["role"] == "img"
    ids = [e.attrib["id"] for e in root.iter() if "id" in e.attrib]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{prefix}-") for i in ids), ids
    by_id = {e.attrib["id"]: e for e in root.iter() if "id" in e.attrib}
    labelled_by = root.attrib["aria-labelledby"].split()
    assert [local(by_id[i].tag) for i in labelled_by] == ["title", "desc"]
    for i in labelled_by:
        assert (by_id[i].text or "").strip()
    for element in root.iter():
        for value in element.attrib.values():
            for target in re.findall(r"url\(#([^)]*)\)", value):
                assert target in by_id, f"dangling reference #{target}"


def check_legible(root: ET.Element) -> None:
    """Text inside the viewBox, at 12 units or more, no overlaps, no box crossing a label."""
    frame = view_box(root)
    assert frame.x1 - frame.x0 == 960
    labels = texts(root)
    boxes = rects(root)
    for text in labels:
        assert text.size >= 12, text
        assert text.content.strip(), "empty label"
        assert frame.contains(text.box), f"outside the viewBox: {text}"
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not a.box.overlaps(b.box), f"labels overlap: {a.content!r} / {b.content!r}"
    for i, a in enumerate(boxes):
        assert frame.contains(a.box), f"box outside the viewBox: {a}"
        for b in boxes[i + 1 :]:
            if a.box.overlaps(b.box):
                assert a.box.contains(b.box) or b.box.contains(a.box), (
                    f"boxes overlap: {sorted(a.classes)} / {sorted(b.classes)}"
                )
    for text in labels:
        for rect in boxes:
            if text.box.overlaps(rect.box):
                assert rect.box.contains(text.box), (
                    f"{text.content!r} crosses the edge of {sorted(rect.classes)}"
                )


# -- what the recommendation implies ---------------------------------------------------------

AZS = {"single_az": 1, "multi_az_instance": 2, "multi_az_cluster": 3, "aurora_multi_az": 3}
STANDBYS = {"multi_az_instance": 1, "multi_az_cluster": 2, "self_managed": 1}


def check_components(rec: dict[str, Any], root: ET.Element) -> None:
    """Every component the recommendation implies is drawn, and nothing it does not imply."""
    d = rec["decisions"]
    words = all_text(root)
    platform = d["platform"]
    aurora = platform["choice"] in ("aurora", "aurora_serverless_v2")

    assert platform["label"] in words
    assert platform["instance_class"] in words
    client = {"app_servers": "Application servers", "containers": "Containers"}
    assert client.get(rec["answers"]["client_type"], "Serverless functions") in words

    assert ("RDS Proxy" in words) == (d["connections"]["choice"] == "rds_proxy")
    assert ("connection pool in the app" in words) == (
        d["connections"]["choice"] == "app_side_reuse"
    )

    count = d["read_scaling"]["count"] if d["read_scaling"]["choice"] != "none" else 0
    replica_boxes = [r for r in rects(root) if {"db", "replica"} <= r.classes]
    cache_more = sum(
        int(m.group(1))
        for t in texts(root)
        if "more" not in t.classes
        for m in [re.match(r"\+(\d+) more", t.content)]
        if m
    )
    assert len(replica_boxes) + more_figures(root) == count
    assert len(replica_boxes) <= 5

    availability = d["availability"]["choice"]
    az_boxes = rects(root, "az")
    expected_azs = 2 if availability == "self_managed" else AZS[availability]
    assert len(az_boxes) == expected_azs
    standbys = 0 if aurora else STANDBYS.get(availability, 0)
    assert len([r for r in rects(root) if "standby" in r.classes]) == standbys
    assert len([r for r in rects(root) if "primary" in r.classes]) == 1
    assert ("Shared cluster volume" in words) == aurora

    dr = d["disaster_recovery"]["choice"]
    assert len(rects(root, "dr-region")) == (dr != "none")
    assert ("Recovery Region" in words) == (dr != "none")

    cache = d["cache"]["choice"]
    assert len(rects(root, "cache")) == (cache != "none")
    nodes = rects(root, "cache-node")
    if cache == "valkey":
        assert "Valkey" in words
        assert len(nodes) + cache_more == 1 + d["cache"]["replicas"]
    elif cache == "memcached":
        assert "Memcached" in words
        assert len(nodes) + cache_more == cache_node_count(rec)
    else:
        assert not nodes
        assert "ElastiCache" not in words

    assert ("KMS" in words) == (d["encryption"]["choice"] != "none")
    assert ("TLS enforced" in words) == (d["tls"]["choice"] == "enforce")
    assert ("IAM" in words) == (d["authentication"]["choice"] != "password")


def cache_node_count(rec: dict[str, Any]) -> int:
    for line in rec["cost"]["lines"]:
        if line["concern"] == "cache":
            return int(line["assumption"].split(" x ")[0])
    raise AssertionError("no priced cache line")


def check_all(rec: dict[str, Any], prefix: str = "d1") -> ET.Element:
    svg = render(rec, id_prefix=prefix)
    root = parse(svg)
    check_safe(root, svg)
    check_accessible(root, prefix)
    check_legible(root)
    check_components(rec, root)
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == describe(rec)
    return root


# -- answers drawn from the answers contract ---------------------------------------------------


def field_values(f) -> st.SearchStrategy:
    if f.kind == "choice":
        values = st.sampled_from(f.values)
        return st.none() | values if f.nullable else values
    if f.kind == "bool":
        return st.booleans()
    if f.kind == "int":
        values = st.integers(f.minimum, f.maximum)
        return st.none() | values if f.nullable else values
    if f.kind == "list":
        return st.lists(st.sampled_from(f.values), unique=True)
    raise AssertionError(f.kind)


ANSWERS = st.fixed_dictionaries(
    {f.name: field_values(f) for f in FIELDS if f.required},
    optional={f.name: field_values(f) for f in FIELDS if not f.required},
).map(consistent)

SCENARIOS = {
    "serverless functions behind RDS Proxy with a pilot light": {
        "engine": "postgresql",
        "client_type": "serverless_functions",
        "cache_uses": ["session_store"],
        "region_dr": "minutes",
        "read_replicas": 3,
    },
    "Aurora Global Database with twelve replicas": {
        "engine": "mysql",
        "rto": "seconds",
        "region_dr": "seconds",
        "read_replicas": 12,
        "client_type": "containers",
        "cache_uses": ["leaderboards"],
        "cache_must_survive_node_failure": True,
        "iam_auth": True,
        "audit_logging": True,
        "connection_storms": True,
    },
    "forty self-managed replicas on EC2": {
        "engine": "other",
        "read_replicas": 40,
        "ops_capacity": "dba_team",
        "cache_uses": ["query_results"],
        "cache_multithreaded_large_nodes": True,
        "region_dr": "hours",
        "client_type": "containers",
        "new_connections_per_second": 5000,
    },
    "a small unencrypted test database": {
        "engine": "mariadb",
        "environment": "non_production",
        "rto": "hours",
        "rpo": "hours",
        "encryption_at_rest": False,
        "tls_required": False,
    },
    "a Multi-AZ DB cluster with nine replicas": {
        "engine": "postgresql",
        "aurora_acceptable": False,
        "rto": "seconds",
        "rpo": "zero",
        "read_replicas": 9,
        "region_dr": "minutes",
        "client_type": "containers",
        "new_connections_per_second": 500,
    },
    "Aurora Serverless v2 in one AZ": {
        "engine": "postgresql",
        "environment": "non_production",
        "rto": "hours",
        "traffic_pattern": "intermittent",
        "read_replicas": 2,
    },
    "Oracle on RDS Custom, encrypted through a snapshot copy": {
        "engine": "oracle",
        "needs_os_access": True,
        "read_replicas": 7,
        "region_dr": "hours",
        "existing_database": "rds_unencrypted",
    },
}

EVIL = "<script>alert(1)</script>&\"'<!-- ]]>"


# -- the tests -----------------------------------------------------------------------------------


@settings(
    deadline=None,
    max_examples=examples(300),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=ANSWERS)
def test_every_recommendation_the_engine_makes_draws_a_safe_legible_complete_diagram(answers):
    check_all(recommend(answers, explore=False))


@st.composite
def coherent_decisions(draw) -> dict[str, Any]:
    """Any mix of choices the vocabulary allows together, the engine's rules aside.

    The stored recommendations outlive the rules that made them, so every such mix must draw
    well, including ones today's rules rarely or never pick (a Multi-AZ DB cluster with forty
    answers' worth of replicas, Memcached with many nodes, Aurora in one AZ with replicas).
    """
    platform = draw(st.sampled_from(CONCERNS_BY_NAME["platform"].values))
    aurora = platform in ("aurora", "aurora_serverless_v2")
    if aurora:
        availability = draw(st.sampled_from(["single_az", "aurora_multi_az"]))
        reads = draw(st.sampled_from(["none", "aurora_replicas"]))
    else:
        allowed = ["single_az", "self_managed"] if platform == "ec2" else list(AZS)[:3]
        availability = draw(st.sampled_from(allowed))
        reads = draw(st.sampled_from(["none", "read_replicas"]))
    count = 0 if reads == "none" else draw(st.integers(1, 40 if platform == "ec2" else 15))
    dr = draw(
        st.sampled_from(
            CONCERNS_BY_NAME["disaster_recovery"].values if aurora else DR_WITHOUT_AURORA
        )
    )
    cache = draw(st.sampled_from(CONCERNS_BY_NAME["cache"].values))
    replicas = draw(st.integers(0, 5)) if cache == "valkey" else 0
    nodes = {"none": 0, "valkey": 1 + replicas}.get(cache) or draw(st.integers(1, 20))
    return {
        "platform": platform,
        "instance_class": draw(
            st.sampled_from(["db.t4g.micro", "db.r6g.16xlarge", "db.serverless", "r6g.12xlarge"])
        ),
        "availability": availability,
        "read_scaling": reads,
        "count": count,
        "disaster_recovery": dr,
        "connections": draw(st.sampled_from(CONCERNS_BY_NAME["connections"].values)),
        "cache": cache,
        "replicas": replicas,
        "nodes": nodes,
        "client_type": draw(st.sampled_from(FIELDS_BY_NAME["client_type"].values)),
        "engine": draw(st.sampled_from(FIELDS_BY_NAME["engine"].values)),
        **{
            name: draw(st.sampled_from(CONCERNS_BY_NAME[name].values))
            for name in ("encryption", "tls", "authentication", "audit")
        },
    }


DR_WITHOUT_AURORA = ["none", "backup_restore", "pilot_light"]


def synthetic(mix: dict[str, Any]) -> dict[str, Any]:
    """A stored recommendation holding the given choices (labels from the vocabulary)."""
    rec = copy.deepcopy(BASE)
    rec["answers"].update(client_type=mix["client_type"], engine=mix["engine"])
    for concern in CONCERNS:
        decision = rec["decisions"][concern.name]
        decision["choice"] = mix[concern.name] if concern.name in mix else decision["choice"]
        decision["label"] = concern.label(decision["choice"])
    rec["decisions"]["platform"].update(engine=mix["engine"], instance_class=mix["instance_class"])
    rec["decisions"]["read_scaling"]["count"] = mix["count"]
    rec["decisions"]["cache"]["replicas"] = mix["replicas"]
    rec["cost"]["lines"] = [line for line in rec["cost"]["lines"] if line["concern"] != "cache"]
    if mix["cache"] != "none":
        rec["cost"]["lines"].append(
            {
                "item": "ElastiCache nodes",
                "concern": "cache",
                "low": 1.0,
                "high": 1.0,
                "assumption": f"{mix['nodes']} x cache.r7g.large at $0.22 per hour.",
            }
        )
    return rec


BASE = recommend({"engine": "postgresql"}, explore=False)


@settings(
    deadline=None,
    max_examples=examples(300),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mix=coherent_decisions())
def test_every_mix_of_choices_a_stored_recommendation_may_hold_draws_legibly(mix):
    check_all(synthetic(mix))


@pytest.mark.parametrize("answers", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_the_example_scenarios_draw_safe_legible_complete_diagrams(answers):
    check_all(recommend(answers, explore=False))


def test_forty_replicas_show_five_boxes_and_thirty_five_more_or_fewer_boxes_that_fit():
    rec = recommend(SCENARIOS["forty self-managed replicas on EC2"], explore=False)
    assert rec["decisions"]["read_scaling"]["count"] == 40
    root = check_all(rec)
    shown = len([r for r in rects(root) if {"db", "replica"} <= r.classes])
    assert 1 <= shown <= 5
    assert more_figures(root) == 40 - shown


def test_the_diagram_is_one_svg_element_that_scales_to_its_container():
    rec = recommend(SCENARIOS["a small unencrypted test database"], explore=False)
    svg = render(rec, id_prefix="d1")
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    root = parse(svg)
    assert root.attrib["viewBox"].startswith("0 0 960 ")
    assert "height" not in root.attrib


def test_user_controlled_text_is_escaped_and_the_diagram_still_parses():
    rec = copy.deepcopy(recommend(SCENARIOS["forty self-managed replicas on EC2"], explore=False))
    rec["answers"]["client_type"] = EVIL
    rec["answers"]["engine"] = EVIL
    platform = rec["decisions"]["platform"]
    platform.update(label=EVIL, engine=EVIL, instance_class=EVIL)
    rec["decisions"]["availability"]["label"] = EVIL
    rec["decisions"]["disaster_recovery"]["choice"] = EVIL
    rec["decisions"]["cache"]["choice"] = EVIL
    for line in rec["cost"]["lines"]:
        line["assumption"] = f"2 x {EVIL} at $1"
    svg = render(rec, id_prefix="evil", title=EVIL)
    assert "<script" not in svg.lower()
    root = parse(svg)
    check_safe(root, svg)
    check_accessible(root, "evil")
    check_legible(root)
    assert EVIL in root.find(f"{SVG}title").text
    assert EVIL in root.find(f"{SVG}desc").text
    assert "<script>alert(1)</script>" in all_text(root).replace(" ", "")


def test_very_long_labels_wrap_inside_their_boxes():
    rec = copy.deepcopy(
        recommend(SCENARIOS["serverless functions behind RDS Proxy with a pilot light"])
    )
    rec["decisions"]["platform"]["label"] = "Amazon Relational Database Service " * 8
    rec["decisions"]["platform"]["instance_class"] = "db." + "x" * 300
    rec["answers"]["client_type"] = "A fleet of very patient application servers " * 3
    root = parse(render(rec, id_prefix="long"))
    check_legible(root)


def test_absurd_counts_in_a_stored_recommendation_still_draw_a_bounded_diagram():
    rec = copy.deepcopy(recommend(SCENARIOS["forty self-managed replicas on EC2"], explore=False))
    rec["decisions"]["read_scaling"]["count"] = 10**9
    for line in rec["cost"]["lines"]:
        if line["concern"] == "cache":
            line["assumption"] = f"{10**9} x cache.r7g.large at $0.22 per hour."
    svg = render(rec, id_prefix="big")
    assert len(svg) < 40_000
    root = parse(svg)
    check_legible(root)
    assert more_figures(root) + len(rects(root, "replica")) == 10**9


def test_two_diagrams_on_one_page_share_no_ids():
    first = recommend(SCENARIOS["a small unencrypted test database"], explore=False)
    second = recommend(SCENARIOS["Aurora Serverless v2 in one AZ"], explore=False)
    ids = []
    for rec, prefix in ((first, "d1"), (second, "d2")):
        root = parse(render(rec, id_prefix=prefix))
        check_accessible(root, prefix)
        ids += [e.attrib["id"] for e in root.iter() if "id" in e.attrib]
    assert len(ids) == len(set(ids))


def test_without_a_prefix_each_recommendation_gets_its_own_stable_one():
    first = recommend(SCENARIOS["a small unencrypted test database"], explore=False)
    second = recommend(SCENARIOS["Aurora Serverless v2 in one AZ"], explore=False)
    assert render(first) == render(first)
    one = parse(render(first)).attrib["aria-labelledby"]
    two = parse(render(second)).attrib["aria-labelledby"]
    assert one != two


@pytest.mark.parametrize("prefix", ["", "1d", "d 1", 'd"1', "d<1", "x" * 65])
def test_an_unsafe_id_prefix_is_refused(prefix):
    rec = recommend(SCENARIOS["a small unencrypted test database"], explore=False)
    with pytest.raises(ValueError, match="id_prefix"):
        render(rec, id_prefix=prefix)


def test_rendering_neither_changes_the_stored_recommendation_nor_depends_on_anything_else():
    rec = recommend(SCENARIOS["Aurora Global Database with twelve replicas"], explore=False)
    before = copy.deepcopy(rec)
    assert render(rec, id_prefix="a") == render(copy.deepcopy(rec), id_prefix="a")
    assert rec == before


def test_the_text_alternative_names_every_component_and_where_it_runs():
    rec = recommend(SCENARIOS["serverless functions behind RDS Proxy with a pilot light"])
    text = describe(rec)
    assert text.count(". ") == 1
    assert text.endswith(".")
    for words in (
        "Serverless functions",
        "RDS Proxy",
        "Amazon RDS for PostgreSQL (db.r7g.large)",
        "Availability Zone A",
        "standby",
        "Availability Zone B",
        "3 read replicas",
        "Valkey",
        "second Region",
        "KMS",
        "TLS is enforced",
    ):
        assert words in text


def test_the_diagram_module_does_not_need_django():
    code = (
        "import sys, advisor.outputs.diagram; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


def test_the_audit_trail_is_drawn_where_the_engine_really_sends_it():
    sql_server = recommend({"engine": "sqlserver", "audit_logging": True}, explore=False)
    assert "audit files go to an S3 bucket" in describe(sql_server)
    assert "Audit files to S3" in all_text(parse(render(sql_server)))
    postgres = recommend({"engine": "postgresql", "audit_logging": True}, explore=False)
    assert "audit logs go to CloudWatch Logs" in describe(postgres)
    # A snapshot from before destinations were recorded reads as it always did.
    older = copy.deepcopy(sql_server)
    del older["decisions"]["audit"]["destination"]
    assert "audit logs go to CloudWatch Logs" in describe(older)
