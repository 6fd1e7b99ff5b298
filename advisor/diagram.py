"""Architecture diagram of a stored recommendation: inline SVG, drawn on the server.

`render(recommendation, id_prefix="d1")` returns one complete `<svg>` element and
`describe(recommendation)` its text alternative. Both are pure functions of the stored
recommendation (contract v1): no Django, no I/O, no randomness.

The SVG is safe under a strict Content Security Policy: no scripts, no style attributes or
`<style>` elements (only presentation attributes and class names), no external references.
Every piece of text is XML-escaped. The layout is computed from the content: boxes grow with
their text (estimated at 0.6 x font size per character), replicas beyond a handful collapse
into a "+N more" figure, and the viewBox is 960 units wide so it scales to its container.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from advisor.engine.answers import FIELDS_BY_NAME

__all__ = ["WIDTH", "describe", "render"]

WIDTH = 960
MARGIN = 16
CHAR_WIDTH = 0.6  # estimated glyph width as a share of the font size
BOLD_CHAR_WIDTH = 0.66
LINE_HEIGHT = 1.3
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1a1a1a"
LINE = "#3b3b3b"

# (fill, stroke) per kind of box: light fills under dark text, strokes of at least 3:1 on white.
COLOURS = {
    "region": ("#ffffff", "#232f3e"),
    "dr": ("#f7f7f7", "#232f3e"),
    "az": ("#f3f7fb", "#1d6fa5"),
    "app": ("#fff3e0", "#9a4f00"),
    "proxy": ("#f1ecfb", "#5b3a9e"),
    "primary": ("#dfeaf8", "#1f5fa6"),
    "standby": ("#ffffff", "#1f5fa6"),
    "replica": ("#e6f3e8", "#2e6b34"),
    "group": ("#f6fbf6", "#2e6b34"),
    "volume": ("#eceff3", "#4a5563"),
    "cache": ("#fdeceb", "#a52a1f"),
    "cache-node": ("#ffffff", "#a52a1f"),
    "recovery": ("#ffffff", "#4a5563"),
    "badge-on": ("#e7f3ec", "#1e6b3a"),
    "badge-off": ("#fff6e5", "#8a4b00"),
}

AURORA = ("aurora", "aurora_serverless_v2")
AZ_NAMES = "ABC"
AZ_LABEL_SIZE = 12
MAX_REPLICAS_SHOWN = 5
MAX_CACHE_NODES_SHOWN = 3
ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


# -- reading the recommendation -----------------------------------------------------------------


def _choice_label(field_name: str, value: Any) -> str:
    """The answer's label in human words, without a parenthetical ("Another engine")."""
    f = FIELDS_BY_NAME.get(field_name)
    label = f.choice_label(value) if f else str(value)
    return label.split(" (")[0] if label != str(value) else str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class _Facts:
    """What the diagram needs from a recommendation, with safe defaults for missing keys."""

    platform: str
    platform_label: str
    engine_label: str
    instance_class: str
    availability: str
    replicas: int
    disaster_recovery: str
    connections: str
    cache: str
    cache_replicas: int
    cache_nodes: int
    cache_node_type: str
    encryption: str
    tls: str
    authentication: str
    audit: str
    audit_destination: str  # "s3" or "cloudwatch_logs"; older snapshots say nothing: CloudWatch
    client_label: str

    @property
    def aurora(self) -> bool:
        return self.platform in AURORA

    @property
    def az_count(self) -> int:
        if self.availability in ("multi_az_cluster", "aurora_multi_az"):
            return 3
        if self.availability in ("multi_az_instance", "self_managed"):
            return 2
        return 1

    @property
    def engine_phrase(self) -> str:
        """ "Amazon RDS for PostgreSQL", or "Another engine, self-managed on Amazon EC2"."""
        if self.platform == "ec2":
            return f"{self.engine_label}, {self.platform_label[0].lower()}{self.platform_label[1:]}"
        return f"{self.platform_label} for {self.engine_label}"


def _facts(recommendation: Mapping[str, Any]) -> _Facts:
    answers = recommendation.get("answers") or {}
    decisions = recommendation.get("decisions") or {}

    def decision(name: str) -> Mapping[str, Any]:
        value = decisions.get(name)
        return value if isinstance(value, Mapping) else {}

    def choice(name: str, default: str = "none") -> str:
        return str(decision(name).get("choice", default))

    platform = decision("platform")
    engine = platform.get("engine") or answers.get("engine") or "unknown engine"
    cache = decision("cache")
    cache_choice = choice("cache")
    cache_replicas = _int(cache.get("replicas"))
    nodes, node_type = _cache_nodes(recommendation, cache_choice, cache_replicas, answers)
    return _Facts(
        platform=choice("platform", "rds"),
        platform_label=str(platform.get("label") or "Database platform"),
        engine_label=_choice_label("engine", engine),
        instance_class=str(platform.get("instance_class") or "instance class not set"),
        availability=choice("availability", "single_az"),
        replicas=_int(decision("read_scaling").get("count"))
        if choice("read_scaling") != "none"
        else 0,
        disaster_recovery=choice("disaster_recovery"),
        connections=choice("connections", "direct"),
        cache=cache_choice,
        cache_replicas=cache_replicas,
        cache_nodes=nodes,
        cache_node_type=node_type,
        encryption=choice("encryption"),
        tls=choice("tls", "optional"),
        authentication=choice("authentication", "password"),
        audit=choice("audit"),
        audit_destination=str(decision("audit").get("destination") or "cloudwatch_logs"),
        client_label=_choice_label("client_type", answers.get("client_type", "app_servers")),
    )


def _cache_nodes(
    recommendation: Mapping[str, Any], cache: str, replicas: int, answers: Mapping[str, Any]
) -> tuple[int, str]:
    """Node count and node type: from the priced cost line when present, else from the rules."""
    if cache == "none":
        return 0, ""
    lines = (recommendation.get("cost") or {}).get("lines") or []
    for line in lines:
        if isinstance(line, Mapping) and line.get("concern") == "cache":
            match = re.match(r"\s*(\d+) x (\S+?) at ", str(line.get("assumption", "")))
            if match:
                return max(1, int(match.group(1))), match.group(2)
    if cache == "memcached":
        return (1 if answers.get("environment") == "non_production" else 2), ""
    return 1 + replicas, ""


# -- the text alternative ------------------------------------------------------------------------


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe(recommendation: Mapping[str, Any]) -> str:
    """The diagram's text alternative: every component and where it runs, in two sentences."""
    f = _facts(recommendation)
    how = {
        "rds_proxy": "through Amazon RDS Proxy",
        "app_side_reuse": "through a connection pool in the application",
    }.get(f.connections, "directly")
    db = f"{f.engine_phrase} ({f.instance_class})"
    replicas = _plural(f.replicas, "Aurora Replica" if f.aurora else "read replica")
    if f.aurora:
        azs = "Availability Zones A, B and C" if f.az_count == 3 else "one Availability Zone"
        servers = f"a writer{' and ' + replicas if f.replicas else ''} in {azs}"
        layout = f"{servers} on a shared cluster volume that keeps six copies across three AZs"
    elif f.availability == "multi_az_instance":
        layout = (
            "a primary in Availability Zone A and a synchronous standby that serves no reads in "
            "Availability Zone B"
        )
    elif f.availability == "multi_az_cluster":
        layout = "a writer in Availability Zone A and two readable standbys in Zones B and C"
    elif f.availability == "self_managed":
        layout = "a primary in Availability Zone A and a standby in Zone B, replicated by the team"
    else:
        layout = "a primary in one Availability Zone"
    if f.replicas and not f.aurora:
        kind = "self-managed " if f.platform == "ec2" else ""
        layout += f", plus {_plural(f.replicas, kind + 'read replica')}"
    first = f"{f.client_label} in one AWS Region connect {how} to {db}: {layout}"
    if f.cache != "none":
        first += f"; beside them, {_cache_phrase(f)}"
    parts = []
    dr = {
        "backup_restore": "backup copies for disaster recovery",
        "pilot_light": "a cross-Region replica, promoted on disaster",
        "aurora_global_database": "an Aurora Global Database secondary cluster, promoted on "
        "disaster",
    }.get(f.disaster_recovery)
    if dr:
        parts.append(f"a second Region holds {dr}")
    elif f.disaster_recovery != "none":
        parts.append(f"a second Region holds a recovery copy ({f.disaster_recovery})")
    parts.append(_security_phrase(f))
    second = "; ".join(parts)
    return f"{first}. {second[0].upper()}{second[1:]}."


def _cache_phrase(f: _Facts) -> str:
    if f.cache == "valkey":
        if not f.cache_replicas:
            return "an ElastiCache for Valkey cache of a single node"
        return "an ElastiCache for Valkey cache with a primary node and " + _plural(
            f.cache_replicas, "replica"
        )
    if f.cache == "memcached":
        return f"an ElastiCache for Memcached cache of {_plural(f.cache_nodes, 'node')}"
    return f"a {f.cache} cache"


def _security_phrase(f: _Facts) -> str:
    encryption = {
        "kms_at_creation": "data is encrypted at rest with a KMS key",
        "snapshot_copy_restore": "data gets encrypted at rest with a KMS key through an "
        "encrypted snapshot copy and restore",
    }.get(f.encryption, "data is not encrypted at rest")
    tls = "TLS is enforced" if f.tls == "enforce" else "TLS is optional"
    auth = {
        "iam": "clients sign in with IAM database authentication",
        "iam_via_proxy": "clients sign in with IAM at RDS Proxy",
    }.get(f.authentication, "clients sign in with database passwords")
    items = [encryption, tls, auth]
    if f.audit == "cloudwatch_logs" and f.audit_destination == "s3":
        items.append("audit files go to an S3 bucket")
    elif f.audit == "cloudwatch_logs":
        items.append("audit logs go to CloudWatch Logs")
    return _join(items)


# -- drawing primitives --------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The estimated width of a line of text; bold text is given a little more room."""
    return (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH) * size * len(text)


def _line_height(size: float) -> float:
    return round(LINE_HEIGHT * size, 1)


def _greedy(words: list[str], limit: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > limit:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def wrap(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """Break text into balanced lines no wider than width (estimated); long words are split."""
    limit = max(1, int(width / ((BOLD_CHAR_WIDTH if bold else CHAR_WIDTH) * size)))
    words = text.split()
    lines = _greedy(words, limit)
    # As many lines as needed, but as even as possible: "connection pool / in the app".
    while len(lines) > 1 and limit > 1:
        tighter = _greedy(words, limit - 1)
        if len(tighter) != len(lines):
            break
        lines, limit = tighter, limit - 1
    return lines


@dataclass
class _Line:
    text: str
    size: float
    bold: bool = False
    italic: bool = False


@dataclass
class _Block:
    """Lines of text centred in a box; the box is as tall as its lines."""

    lines: list[_Line]
    pad: float = 8

    @classmethod
    def of(cls, width: float, *items: tuple[str, float, str]) -> _Block:
        """items: (text, size, "" or "bold" or "italic"), each wrapped to width less padding."""
        lines = []
        for text, size, kind in items:
            for part in wrap(text, size, width - 16, bold=kind == "bold"):
                lines.append(_Line(part, size, kind == "bold", kind == "italic"))
        return cls(lines)

    @property
    def height(self) -> float:
        return 2 * self.pad + sum(_line_height(line.size) for line in self.lines)


@dataclass
class _Canvas:
    prefix: str
    parts: list[str] = field(default_factory=list)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        kind: str,
        *,
        classes: str = "",
        rx: float = 6,
        dashed: bool = False,
        stroke_width: float = 1.5,
    ) -> None:
        fill, stroke = COLOURS[kind]
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        self.parts.append(
            f'<rect class="box {kind}{" " + classes if classes else ""}" x="{_num(x)}" '
            f'y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" rx="{_num(rx)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{_num(stroke_width)}"{dash}/>'
        )

    def text(
        self,
        x: float,
        top: float,
        line: _Line,
        *,
        anchor: str = "middle",
        classes: str = "",
    ) -> float:
        """Draw one line whose line box starts at top; return the line box's height."""
        height = _line_height(line.size)
        baseline = top + height / 2 + 0.35 * line.size
        attrs = [
            f'x="{_num(x)}"',
            f'y="{_num(baseline)}"',
            f'font-size="{_num(line.size)}"',
            f'fill="{INK}"',
        ]
        if anchor != "start":
            attrs.append(f'text-anchor="{anchor}"')
        if line.bold:
            attrs.append('font-weight="bold"')
        if line.italic:
            attrs.append('font-style="italic"')
        if classes:
            attrs.append(f'class="{classes}"')
        self.parts.append(f"<text {' '.join(attrs)}>{escape(line.text)}</text>")
        return height

    def block(
        self, x: float, y: float, w: float, h: float, block: _Block, kind: str, **rect: Any
    ) -> None:
        """A box with its lines centred horizontally and vertically."""
        self.rect(x, y, w, h, kind, **rect)
        top = y + (h - block.height) / 2 + block.pad
        for line in block.lines:
            top += self.text(x + w / 2, top, line)

    def arrow(self, points: list[tuple[float, float]], *, dashed: bool = False) -> None:
        d = " ".join(
            f"{'M' if i == 0 else 'L'}{_num(x)},{_num(y)}" for i, (x, y) in enumerate(points)
        )
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        self.parts.append(
            f'<path class="link" d="{d}" fill="none" stroke="{LINE}" stroke-width="2"{dash} '
            f'marker-end="url(#{self.prefix}-arrow)"/>'
        )


# -- the layout ----------------------------------------------------------------------------------

REGION_PAD = 16
COLUMN_GAP = 16
ROW_GAP = 34  # room for an arrow between two rows
DR_WIDTH = 236
DR_GAP = 44
BOX_GAP = 10


def _default_prefix(recommendation: Mapping[str, Any]) -> str:
    data = json.dumps(
        [recommendation.get("answers"), recommendation.get("decisions")],
        sort_keys=True,
        default=str,
    )
    return "aw" + hashlib.sha256(data.encode()).hexdigest()[:10]


def render(
    recommendation: Mapping[str, Any], id_prefix: str | None = None, *, title: str | None = None
) -> str:
    """The recommended topology as one inline `<svg>` element.

    id_prefix starts every id in the SVG, so several diagrams can share a page: a letter, then
    letters, digits, "-" or "_" (default: derived from the recommendation). title names the
    system in the SVG's <title>.
    """
    if id_prefix is None:
        id_prefix = _default_prefix(recommendation)
    if not ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(
            "id_prefix must start with a letter and hold only letters, digits, '-' and '_' "
            f"(at most 64 characters), not {id_prefix!r}."
        )
    f = _facts(recommendation)
    canvas = _Canvas(id_prefix)
    height = _draw(canvas, f)
    name = f" for {title}" if title else ""
    heading = f"Diagram of the recommended data tier{name}: {f.engine_phrase}"
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="archwise-diagram" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family={quoteattr(FONT_FAMILY)}>'
        f'<title id="{title_id}">{escape(heading)}</title>'
        f'<desc id="{desc_id}">{escape(describe(recommendation))}</desc>'
        f'<defs><marker id="{id_prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker></defs>'
        f'<rect class="background" x="0" y="0" width="{WIDTH}" height="{_num(height)}" '
        f'fill="#ffffff"/>'
    )
    return head + "".join(canvas.parts) + "</svg>"


def _badges(f: _Facts) -> list[tuple[str, bool]]:
    """(text, secure?) for encryption, TLS, authentication and audit."""
    encryption = {
        "kms_at_creation": ("Encrypted at rest (KMS)", True),
        "snapshot_copy_restore": ("Encrypt via snapshot copy (KMS)", True),
    }.get(f.encryption, ("Not encrypted at rest", False))
    tls = ("TLS enforced", True) if f.tls == "enforce" else ("TLS optional", False)
    auth = {
        "iam": ("IAM database auth", True),
        "iam_via_proxy": ("IAM auth at the proxy", True),
    }.get(f.authentication, ("Passwords in Secrets Manager", True))
    badges = [encryption, tls, auth]
    if f.audit == "cloudwatch_logs" and f.audit_destination == "s3":
        badges.append(("Audit files to S3", True))
    elif f.audit == "cloudwatch_logs":
        badges.append(("Audit logs to CloudWatch", True))
    return badges


def _draw(c: _Canvas, f: _Facts) -> float:
    """Draw everything; return the diagram's height."""
    y = MARGIN
    # Header: platform, engine and instance class, then the security badges.
    header = f"{f.platform_label} · {f.engine_label} · {f.instance_class}"
    for part in wrap(header, 20, WIDTH - 2 * MARGIN, bold=True):
        y += c.text(MARGIN, y, _Line(part, 20, bold=True), anchor="start", classes="heading")
    y += 8
    x = MARGIN
    badge_h = 26
    for label, secure in _badges(f):
        w = text_width(label, 12) + 22
        if x + w > WIDTH - MARGIN and x > MARGIN:
            x, y = MARGIN, y + badge_h + 8
        kind = "badge-on" if secure else "badge-off"
        c.rect(x, y, w, badge_h, kind, classes="badge", rx=13, dashed=not secure)
        c.text(x + w / 2, y + (badge_h - _line_height(12)) / 2, _Line(label, 12))
        x += w + 8
    y += badge_h + 16

    has_dr = f.disaster_recovery != "none"
    rx, ry = MARGIN, y
    rw = WIDTH - 2 * MARGIN - (DR_WIDTH + DR_GAP if has_dr else 0)
    inner = rw - 2 * REGION_PAD
    colw = (inner - 2 * COLUMN_GAP) / 3
    cols = [rx + REGION_PAD + i * (colw + COLUMN_GAP) for i in range(3)]
    parts_before = len(c.parts)  # the region box is drawn first, once its height is known

    cy = ry + REGION_PAD
    region_title = "Primary AWS Region" if has_dr else "AWS Region"
    cy += c.text(rx + REGION_PAD, cy, _Line(region_title, 15, bold=True), anchor="start")
    cy += 10

    # The AZ label sits top left; vertical links into the primary run right of it.
    az_label = text_width("Availability Zone A", AZ_LABEL_SIZE, bold=True)
    link_x = max(cols[0] + colw / 2, cols[0] + 10 + az_label + 14)
    link_x = min(link_x, cols[0] + colw - 16)

    # Row 1: the application tier, and the cache beside it.
    app_items = [("Application tier", 14, "bold"), (f.client_label, 13, "")]
    if f.connections == "app_side_reuse":
        app_items.append(("connection pool in the app", 12, "italic"))
    app = _Block.of(colw, *app_items)
    row_h = app.height
    cache_w = 2 * colw + COLUMN_GAP
    cache = _cache_layout(f, cache_w) if f.cache != "none" else None
    if cache:
        row_h = max(row_h, cache.height)
    c.block(cols[0], cy, colw, row_h, app, "app", classes="component app-tier")
    if cache:
        cache.draw(c, cols[1], cy, row_h)
        c.arrow([(cols[0] + colw, cy + row_h / 2), (cols[1], cy + row_h / 2)])
    above = cy + row_h
    cy = above + ROW_GAP

    # Row 2: RDS Proxy.
    if f.connections == "rds_proxy":
        proxy = _Block.of(
            colw, ("RDS Proxy", 14, "bold"), ("pools connections, speeds failover", 12, "")
        )
        c.block(cols[0], cy, colw, proxy.height, proxy, "proxy", classes="component proxy")
        c.arrow([(link_x, above), (link_x, cy)])
        above = cy + proxy.height
        cy = above + ROW_GAP

    # Row 3: Availability Zones with the database instances.
    az_top = cy
    azs = _instances(f, colw - 20)
    label_h = _line_height(AZ_LABEL_SIZE) + 12
    az_h = max(
        label_h + sum(b.height for _, b in az) + BOX_GAP * max(0, len(az) - 1) + 12 for az in azs
    )
    first_boxes: list[tuple[float, float, float]] = []  # x, top, height of each AZ's first box
    for i, az in enumerate(azs):
        x = cols[i]
        c.rect(x, az_top, colw, az_h, "az", classes="container az", dashed=True)
        c.text(
            x + 10,
            az_top + 6,
            _Line(f"Availability Zone {AZ_NAMES[i]}", AZ_LABEL_SIZE, bold=True),
            anchor="start",
        )
        top = az_top + label_h
        for j, (kind, block) in enumerate(az):
            if kind == "note":
                for line in block.lines:
                    top += c.text(x + colw / 2, top, line)
                continue
            c.block(
                x + 10,
                top,
                colw - 20,
                block.height,
                block,
                "standby" if kind == "standby" else kind,
                classes=f"component db {kind}",
                dashed=kind == "standby",
                stroke_width=2.5 if kind == "primary" else 1.5,
            )
            if j == 0:
                first_boxes.append((x + 10, top, block.height))
            top += block.height + BOX_GAP
    _, primary_top, primary_h = first_boxes[0]
    c.arrow([(link_x, above), (link_x, primary_top)])
    cy = az_top + az_h
    # Synchronous copies: primary to its standby; a cluster's writer to each readable standby,
    # the one in AZ C by a path under AZ B so it does not read as a chain.
    down_x = link_x  # where the link to the read replicas leaves the primary
    if not f.aurora and len(first_boxes) > 1:
        (ax, atop, ah), (bx, btop, bh) = first_boxes[:2]
        link_y = max(atop, btop) + min(ah, bh) / 2
        c.arrow([(ax + colw - 20, link_y), (bx, link_y)])
        if len(first_boxes) > 2:
            cx, ctop, ch = first_boxes[2]
            under = cy + 14
            mid = cx + (colw - 20) / 2
            c.arrow([(link_x, atop + ah), (link_x, under), (mid, under), (mid, ctop + ch)])
            down_x = cols[0] + 34
            cy = under + 10

    if f.aurora:
        shown = sum(1 for az in azs for kind, _ in az if kind == "replica")
        if f.replicas > shown:
            cy += 8
            where = " spread across the AZs" if f.az_count > 1 else ""
            more = _Line(f"+{f.replicas - shown} more Aurora Replicas{where}", 13, True)
            cy += c.text(rx + rw / 2, cy, more, classes="more")
        cy += 14
        volume = _Block.of(
            inner,
            ("Shared cluster volume", 13, "bold"),
            ("6 copies of the data across 3 Availability Zones", 12, ""),
        )
        c.block(cols[0], cy, inner, volume.height, volume, "volume", classes="component volume")
        cy += volume.height
    elif f.replicas:
        cy = az_top + az_h + ROW_GAP  # the path to AZ C, if any, runs within this gap
        group_h = _replica_group(c, f, cols[0], cy, inner)
        c.arrow([(down_x, primary_top + primary_h), (down_x, cy)])
        cy += group_h

    region_bottom = cy + REGION_PAD
    region = _Canvas(c.prefix)
    region.rect(rx, ry, rw, region_bottom - ry, "region", classes="container region")
    c.parts[parts_before:parts_before] = region.parts
    bottom = region_bottom

    if has_dr:
        bottom = max(bottom, _recovery_region(c, f, rx + rw, ry, az_top, region_bottom))
    return bottom + MARGIN


def _instances(f: _Facts, width: float) -> list[list[tuple[str, _Block]]]:
    """The boxes in each Availability Zone, in order: (kind, block)."""
    if f.aurora:
        writer = _Block.of(
            width, ("Writer", 14, "bold"), ("Aurora instance", 12, ""), (f.instance_class, 12, "")
        )
        azs: list[list[tuple[str, _Block]]] = [[("primary", writer)]]
        azs += [[] for _ in range(f.az_count - 1)]
        shown = min(f.replicas, MAX_REPLICAS_SHOWN if f.az_count == 3 else 3)
        for n in range(shown):
            block = _Block.of(
                width, (f"Aurora Replica {n + 1}", 14, "bold"), ("reads, failover target", 12, "")
            )
            azs[(n + 1) % f.az_count].append(("replica", block))
        for az in azs:
            if not az:  # the cluster volume still keeps two copies of the data here
                az.append(("note", _Block.of(width, ("storage copies only", 12, "italic"))))
        return azs
    primary_name = "Writer" if f.availability == "multi_az_cluster" else "Primary"
    where = "EC2 instance" if f.platform == "ec2" else "DB instance"
    primary = _Block.of(
        width, (primary_name, 14, "bold"), (where, 12, ""), (f.instance_class, 12, "")
    )
    azs = [[("primary", primary)]]
    if f.availability == "multi_az_instance":
        standby = _Block.of(
            width,
            ("Standby", 14, "bold"),
            ("synchronous copy", 12, ""),
            ("serves no reads", 12, ""),
        )
        azs.append([("standby", standby)])
    elif f.availability == "multi_az_cluster":
        for _ in range(2):
            standby = _Block.of(
                width,
                ("Readable standby", 14, "bold"),
                ("semi-synchronous", 12, ""),
                ("serves reads", 12, ""),
            )
            azs.append([("standby", standby)])
    elif f.availability == "self_managed":
        standby = _Block.of(
            width,
            ("Standby", 14, "bold"),
            ("EC2 instance", 12, ""),
            ("replication you run", 12, ""),
        )
        azs.append([("standby", standby)])
    return azs


def _replica_group(c: _Canvas, f: _Facts, x: float, y: float, w: float) -> float:
    """The read replicas row: up to five boxes, then "+N more". Returns its height."""
    kind = "Self-managed read replicas" if f.platform == "ec2" else "Read replicas"
    heading = _Block.of(w, (f"{kind}: asynchronous copies that serve reads", 13, "bold"))
    more_size = 14
    gap = BOX_GAP
    shown = min(f.replicas, MAX_REPLICAS_SHOWN)
    while True:
        rest = f.replicas - shown
        more = f"+{rest} more" if rest else ""
        more_w = text_width(more, more_size, bold=True) + gap if more else 0
        box_w = min(150.0, (w - 32 - more_w - gap * (shown - 1)) / shown)
        widest = max(text_width(f"Replica {n + 1}", 14, bold=True) for n in range(shown)) + 16
        if box_w >= widest or shown == 1:
            break
        shown -= 1
    boxes = [_Block.of(box_w, (f"Replica {n + 1}", 14, "bold")) for n in range(shown)]
    box_h = max(b.height for b in boxes)
    height = heading.height + box_h + 10
    c.rect(x, y, w, height, "group", classes="container replica-group")
    top = y + heading.pad
    for line in heading.lines:
        top += c.text(x + 10, top, line, anchor="start")
    row_w = shown * box_w + gap * (shown - 1) + more_w
    bx = x + (w - row_w) / 2
    by = y + heading.height
    for block in boxes:
        c.block(bx, by, box_w, box_h, block, "replica", classes="component db replica")
        bx += box_w + gap
    if more:
        line = _Line(more, more_size, bold=True)
        c.text(bx, by + (box_h - _line_height(more_size)) / 2, line, anchor="start", classes="more")
    return height


@dataclass
class _CacheLayout:
    title: _Block
    nodes: list[_Block]
    node_w: float
    more: str
    width: float

    @property
    def node_h(self) -> float:
        return max(n.height for n in self.nodes)

    @property
    def height(self) -> float:
        return self.title.height + self.node_h + 12

    def draw(self, c: _Canvas, x: float, y: float, h: float) -> None:
        c.rect(x, y, self.width, h, "cache", classes="container cache")
        top = y + (h - self.height) / 2 + self.title.pad
        for line in self.title.lines:
            top += c.text(x + self.width / 2, top, line)
        top += self.title.pad
        more_w = text_width(self.more, 13, bold=True) + BOX_GAP if self.more else 0
        row_w = len(self.nodes) * (self.node_w + BOX_GAP) - BOX_GAP + more_w
        nx = x + (self.width - row_w) / 2
        for node in self.nodes:
            c.block(nx, top, self.node_w, self.node_h, node, "cache-node", classes="cache-node")
            nx += self.node_w + BOX_GAP
        if self.more:
            line = _Line(self.more, 13, bold=True)
            c.text(nx, top + (self.node_h - _line_height(13)) / 2, line, anchor="start")


def _cache_layout(f: _Facts, width: float) -> _CacheLayout:
    count = max(1, f.cache_nodes)
    visible = range(1, min(count, MAX_CACHE_NODES_SHOWN) + 1)
    if f.cache == "valkey":
        title = "ElastiCache for Valkey (or Redis OSS)"
        names = ["Primary node" if n == 1 else f"Replica {n - 1}" for n in visible]
    else:
        title = "ElastiCache for Memcached" if f.cache == "memcached" else f"Cache: {f.cache}"
        names = [f"Node {n}" for n in visible]
    if f.cache == "valkey":
        summary = (
            "a single node" if count == 1 else "a primary node and " + _plural(count - 1, "replica")
        )
    else:
        summary = _plural(count, "node")
    if f.cache_node_type:
        summary += f" of {f.cache_node_type}"
    heading = _Block.of(width, (title, 14, "bold"), (summary, 12, ""))
    shown = names
    rest = count - len(shown)
    more = f"+{rest} more" if rest > 0 else ""
    more_w = text_width(more, 13, bold=True) + BOX_GAP if more else 0
    node_w = min(180.0, (width - 32 - more_w - BOX_GAP * (len(shown) - 1)) / len(shown))
    nodes = [_Block.of(node_w, (name, 13, "bold")) for name in shown]
    return _CacheLayout(heading, nodes, node_w, more, width)


def _recovery_region(
    c: _Canvas, f: _Facts, primary_right: float, ry: float, az_top: float, region_bottom: float
) -> float:
    """The second Region, beside the primary one. Returns its bottom edge."""
    x = primary_right + DR_GAP
    w = DR_WIDTH
    inner = w - 2 * REGION_PAD
    strategy, lines = {
        "backup_restore": (
            "Backup and restore",
            [
                ("Backup copies", 14, "bold"),
                ("snapshots and backups", 12, ""),
                ("restore on disaster", 12, ""),
            ],
        ),
        "pilot_light": (
            "Pilot light",
            [
                ("Cross-Region replica", 14, "bold"),
                (f.instance_class, 12, ""),
                ("asynchronous copy", 12, ""),
                ("promote on disaster", 12, ""),
            ],
        ),
        "aurora_global_database": (
            "Aurora Global Database",
            [
                ("Secondary cluster", 14, "bold"),
                ("read-only, lag under 1 s", 12, ""),
                ("promote on disaster", 12, ""),
            ],
        ),
    }.get(
        f.disaster_recovery,
        ("Disaster recovery", [("Recovery copy", 14, "bold"), (f.disaster_recovery, 12, "")]),
    )
    title = _Block.of(w - 10, ("Recovery Region", 15, "bold"), (strategy, 12, ""))
    box = _Block.of(inner, *lines)
    # Line the recovery box up with the database instances when there is room.
    top = max(ry, az_top - title.height - 4)
    height = title.height + box.height + REGION_PAD + 4
    c.rect(x, top, w, height, "dr", classes="container region dr-region", dashed=True)
    line_top = top + title.pad
    for line in title.lines:
        line_top += c.text(x + REGION_PAD, line_top, line, anchor="start")
    box_top = top + title.height + 4
    c.block(x + REGION_PAD, box_top, inner, box.height, box, "recovery", classes="component dr")
    link_y = min(box_top + box.height / 2, region_bottom - 12)
    c.arrow([(primary_right, link_y), (x, link_y)], dashed=True)
    return top + height
