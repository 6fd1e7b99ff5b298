"""Drawing primitives: text measured and wrapped, boxes, labels and arrows as SVG elements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

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


def num(value: float) -> str:
    return f"{round(value, 1):g}"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The estimated width of a line of text; bold text is given a little more room."""
    return (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH) * size * len(text)


def line_height(size: float) -> float:
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
class TextLine:
    text: str
    size: float
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """Lines of text centred in a box; the box is as tall as its lines."""

    lines: list[TextLine]
    pad: float = 8

    @classmethod
    def of(cls, width: float, *items: tuple[str, float, str]) -> Block:
        """items: (text, size, "" or "bold" or "italic"), each wrapped to width less padding."""
        lines = []
        for text, size, kind in items:
            for part in wrap(text, size, width - 16, bold=kind == "bold"):
                lines.append(TextLine(part, size, kind == "bold", kind == "italic"))
        return cls(lines)

    @property
    def height(self) -> float:
        return 2 * self.pad + sum(line_height(line.size) for line in self.lines)


@dataclass
class Canvas:
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
            f'<rect class="box {kind}{" " + classes if classes else ""}" x="{num(x)}" '
            f'y="{num(y)}" width="{num(w)}" height="{num(h)}" rx="{num(rx)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{num(stroke_width)}"{dash}/>'
        )

    def text(
        self,
        x: float,
        top: float,
        line: TextLine,
        *,
        anchor: str = "middle",
        classes: str = "",
    ) -> float:
        """Draw one line whose line box starts at top; return the line box's height."""
        height = line_height(line.size)
        baseline = top + height / 2 + 0.35 * line.size
        attrs = [
            f'x="{num(x)}"',
            f'y="{num(baseline)}"',
            f'font-size="{num(line.size)}"',
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
        self, x: float, y: float, w: float, h: float, block: Block, kind: str, **rect: Any
    ) -> None:
        """A box with its lines centred horizontally and vertically."""
        self.rect(x, y, w, h, kind, **rect)
        top = y + (h - block.height) / 2 + block.pad
        for line in block.lines:
            top += self.text(x + w / 2, top, line)

    def arrow(self, points: list[tuple[float, float]], *, dashed: bool = False) -> None:
        d = " ".join(
            f"{'M' if i == 0 else 'L'}{num(x)},{num(y)}" for i, (x, y) in enumerate(points)
        )
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        self.parts.append(
            f'<path class="link" d="{d}" fill="none" stroke="{LINE}" stroke-width="2"{dash} '
            f'marker-end="url(#{self.prefix}-arrow)"/>'
        )
