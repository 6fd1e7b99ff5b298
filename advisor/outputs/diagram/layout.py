"""Where everything goes: the Region, its zones, the database and its copies, proxy, cache and
recovery, laid out from the content and drawn on a canvas."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from advisor.reading import Snapshot, read

from .canvas import (
    FONT_FAMILY,
    LINE,
    MARGIN,
    WIDTH,
    Block,
    Canvas,
    TextLine,
    line_height,
    num,
    text_width,
    wrap,
)
from .topology import (
    AZ_LABEL_SIZE,
    AZ_NAMES,
    MAX_CACHE_NODES_SHOWN,
    MAX_REPLICAS_SHOWN,
    Topology,
    topology,
)
from .words import describe, plural

ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
REGION_PAD = 16
COLUMN_GAP = 16
ROW_GAP = 34  # room for an arrow between two rows
DR_WIDTH = 236
DR_GAP = 44
BOX_GAP = 10


def _default_prefix(snapshot: Snapshot) -> str:
    decisions = {name: asdict(decision) for name, decision in snapshot.decisions.items()}
    data = json.dumps([snapshot.answers, decisions], sort_keys=True, default=str)
    return "aw" + hashlib.sha256(data.encode()).hexdigest()[:10]


def render(
    recommendation: Snapshot | Mapping[str, Any],
    id_prefix: str | None = None,
    *,
    title: str | None = None,
) -> str:
    """The recommended topology as one inline `<svg>` element.

    id_prefix starts every id in the SVG, so several diagrams can share a page: a letter, then
    letters, digits, "-" or "_" (default: derived from the recommendation). title names the
    system in the SVG's <title>.
    """
    snapshot = read(recommendation)
    if id_prefix is None:
        id_prefix = _default_prefix(snapshot)
    if not ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(
            "id_prefix must start with a letter and hold only letters, digits, '-' and '_' "
            f"(at most 64 characters), not {id_prefix!r}."
        )
    f = topology(snapshot)
    canvas = Canvas(id_prefix)
    height = _draw(canvas, f)
    name = f" for {title}" if title else ""
    heading = f"Diagram of the recommended data tier{name}: {f.engine_phrase}"
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="archwise-diagram" '
        f'viewBox="0 0 {WIDTH} {num(height)}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family={quoteattr(FONT_FAMILY)}>'
        f'<title id="{title_id}">{escape(heading)}</title>'
        f'<desc id="{desc_id}">{escape(describe(snapshot))}</desc>'
        f'<defs><marker id="{id_prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker></defs>'
        f'<rect class="background" x="0" y="0" width="{WIDTH}" height="{num(height)}" '
        f'fill="#ffffff"/>'
    )
    return head + "".join(canvas.parts) + "</svg>"


def _badges(f: Topology) -> list[tuple[str, bool]]:
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


def _draw(c: Canvas, f: Topology) -> float:
    """Draw everything; return the diagram's height."""
    y = MARGIN
    # Header: platform, engine and instance class, then the security badges.
    header = f"{f.platform_label} · {f.engine_label} · {f.instance_class}"
    for part in wrap(header, 20, WIDTH - 2 * MARGIN, bold=True):
        y += c.text(MARGIN, y, TextLine(part, 20, bold=True), anchor="start", classes="heading")
    y += 8
    x = MARGIN
    badge_h = 26
    for label, secure in _badges(f):
        w = text_width(label, 12) + 22
        if x + w > WIDTH - MARGIN and x > MARGIN:
            x, y = MARGIN, y + badge_h + 8
        kind = "badge-on" if secure else "badge-off"
        c.rect(x, y, w, badge_h, kind, classes="badge", rx=13, dashed=not secure)
        c.text(x + w / 2, y + (badge_h - line_height(12)) / 2, TextLine(label, 12))
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
    cy += c.text(rx + REGION_PAD, cy, TextLine(region_title, 15, bold=True), anchor="start")
    cy += 10

    # The AZ label sits top left; vertical links into the primary run right of it.
    az_label = text_width("Availability Zone A", AZ_LABEL_SIZE, bold=True)
    link_x = max(cols[0] + colw / 2, cols[0] + 10 + az_label + 14)
    link_x = min(link_x, cols[0] + colw - 16)

    # Row 1: the application tier, and the cache beside it.
    app_items = [("Application tier", 14, "bold"), (f.client_label, 13, "")]
    if f.connections == "app_side_reuse":
        app_items.append(("connection pool in the app", 12, "italic"))
    app = Block.of(colw, *app_items)
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
        proxy = Block.of(
            colw, ("RDS Proxy", 14, "bold"), ("pools connections, speeds failover", 12, "")
        )
        c.block(cols[0], cy, colw, proxy.height, proxy, "proxy", classes="component proxy")
        c.arrow([(link_x, above), (link_x, cy)])
        above = cy + proxy.height
        cy = above + ROW_GAP

    # Row 3: Availability Zones with the database instances.
    az_top = cy
    azs = _instances(f, colw - 20)
    label_h = line_height(AZ_LABEL_SIZE) + 12
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
            TextLine(f"Availability Zone {AZ_NAMES[i]}", AZ_LABEL_SIZE, bold=True),
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
            more = TextLine(f"+{f.replicas - shown} more Aurora Replicas{where}", 13, True)
            cy += c.text(rx + rw / 2, cy, more, classes="more")
        cy += 14
        volume = Block.of(
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
    region = Canvas(c.prefix)
    region.rect(rx, ry, rw, region_bottom - ry, "region", classes="container region")
    c.parts[parts_before:parts_before] = region.parts
    bottom = region_bottom

    if has_dr:
        bottom = max(bottom, _recovery_region(c, f, rx + rw, ry, az_top, region_bottom))
    return bottom + MARGIN


def _instances(f: Topology, width: float) -> list[list[tuple[str, Block]]]:
    """The boxes in each Availability Zone, in order: (kind, block)."""
    if f.aurora:
        writer = Block.of(
            width, ("Writer", 14, "bold"), ("Aurora instance", 12, ""), (f.instance_class, 12, "")
        )
        azs: list[list[tuple[str, Block]]] = [[("primary", writer)]]
        azs += [[] for _ in range(f.az_count - 1)]
        shown = min(f.replicas, MAX_REPLICAS_SHOWN if f.az_count == 3 else 3)
        for n in range(shown):
            block = Block.of(
                width, (f"Aurora Replica {n + 1}", 14, "bold"), ("reads, failover target", 12, "")
            )
            azs[(n + 1) % f.az_count].append(("replica", block))
        for az in azs:
            if not az:  # the cluster volume still keeps two copies of the data here
                az.append(("note", Block.of(width, ("storage copies only", 12, "italic"))))
        return azs
    primary_name = "Writer" if f.availability == "multi_az_cluster" else "Primary"
    where = "EC2 instance" if f.platform == "ec2" else "DB instance"
    primary = Block.of(
        width, (primary_name, 14, "bold"), (where, 12, ""), (f.instance_class, 12, "")
    )
    azs = [[("primary", primary)]]
    if f.availability == "multi_az_instance":
        standby = Block.of(
            width,
            ("Standby", 14, "bold"),
            ("synchronous copy", 12, ""),
            ("serves no reads", 12, ""),
        )
        azs.append([("standby", standby)])
    elif f.availability == "multi_az_cluster":
        for _ in range(2):
            standby = Block.of(
                width,
                ("Readable standby", 14, "bold"),
                ("semi-synchronous", 12, ""),
                ("serves reads", 12, ""),
            )
            azs.append([("standby", standby)])
    elif f.availability == "self_managed":
        standby = Block.of(
            width,
            ("Standby", 14, "bold"),
            ("EC2 instance", 12, ""),
            ("replication you run", 12, ""),
        )
        azs.append([("standby", standby)])
    return azs


def _replica_group(c: Canvas, f: Topology, x: float, y: float, w: float) -> float:
    """The read replicas row: up to five boxes, then "+N more". Returns its height."""
    kind = "Self-managed read replicas" if f.platform == "ec2" else "Read replicas"
    heading = Block.of(w, (f"{kind}: asynchronous copies that serve reads", 13, "bold"))
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
    boxes = [Block.of(box_w, (f"Replica {n + 1}", 14, "bold")) for n in range(shown)]
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
        line = TextLine(more, more_size, bold=True)
        c.text(bx, by + (box_h - line_height(more_size)) / 2, line, anchor="start", classes="more")
    return height


@dataclass
class _CacheLayout:
    title: Block
    nodes: list[Block]
    node_w: float
    more: str
    width: float

    @property
    def node_h(self) -> float:
        return max(n.height for n in self.nodes)

    @property
    def height(self) -> float:
        return self.title.height + self.node_h + 12

    def draw(self, c: Canvas, x: float, y: float, h: float) -> None:
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
            line = TextLine(self.more, 13, bold=True)
            c.text(nx, top + (self.node_h - line_height(13)) / 2, line, anchor="start")


def _cache_layout(f: Topology, width: float) -> _CacheLayout:
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
            "a single node" if count == 1 else "a primary node and " + plural(count - 1, "replica")
        )
    else:
        summary = plural(count, "node")
    if f.cache_node_type:
        summary += f" of {f.cache_node_type}"
    heading = Block.of(width, (title, 14, "bold"), (summary, 12, ""))
    shown = names
    rest = count - len(shown)
    more = f"+{rest} more" if rest > 0 else ""
    more_w = text_width(more, 13, bold=True) + BOX_GAP if more else 0
    node_w = min(180.0, (width - 32 - more_w - BOX_GAP * (len(shown) - 1)) / len(shown))
    nodes = [Block.of(node_w, (name, 13, "bold")) for name in shown]
    return _CacheLayout(heading, nodes, node_w, more, width)


def _recovery_region(
    c: Canvas, f: Topology, primary_right: float, ry: float, az_top: float, region_bottom: float
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
    title = Block.of(w - 10, ("Recovery Region", 15, "bold"), (strategy, 12, ""))
    box = Block.of(inner, *lines)
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
