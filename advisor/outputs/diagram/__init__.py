"""Architecture diagram of a stored recommendation: inline SVG, drawn on the server.

`render(snapshot, id_prefix="d1")` returns one complete `<svg>` element and `describe(snapshot)`
its text alternative. Both are pure functions of the stored recommendation: no Django, no I/O,
no randomness. `topology` reads what to draw from the snapshot, `canvas` draws, `layout` places.

The SVG is safe under a strict Content Security Policy: no scripts, no style attributes or
`<style>` elements (only presentation attributes and class names), no external references.
Every piece of text is XML-escaped. The layout is computed from the content: boxes grow with
their text (estimated at 0.6 x font size per character), replicas beyond a handful collapse
into a "+N more" figure, and the viewBox is 960 units wide so it scales to its container.
"""

from .canvas import WIDTH
from .layout import render
from .words import describe

__all__ = ["WIDTH", "describe", "render"]
