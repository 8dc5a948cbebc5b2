"""Server-side SVG pictures for the work page: the emotional arc and the cast.

Both return inline ``<svg>`` markup (``Markup``) with a title and description
for screen readers, no scripts and no style attributes (colours come from the
site's style sheet through classes, so the strict CSP holds and themes apply).
Every text drawn is escaped.

>>> svg = arc_chart([0.0, 0.5, -0.5, 1.0], shape="fall-rise", ending="happy")
>>> svg.startswith("<svg") and "fall-rise" in svg and "<script" not in svg
True
>>> "Ann &amp; Ben" in cast_graph([("Ann & Ben", 3, "main")], [])
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Final

from markupsafe import Markup

__all__ = ["arc_chart", "cast_graph", "smooth"]

_W: Final = 640
_H: Final = 200
_PAD_X: Final = 36
_PAD_Y: Final = 22


def _e(s: str) -> str:
    return escape(s, quote=True)


def smooth(values: Sequence[float], points: int = 60) -> list[float]:
    """Resample a series to at most ``points`` values by averaging windows.

    >>> smooth([1.0, 3.0, 5.0, 7.0], points=2)
    [2.0, 6.0]
    """
    n = len(values)
    if n <= points:
        return [float(v) for v in values]
    out: list[float] = []
    for i in range(points):
        a, b = i * n // points, max(i * n // points + 1, (i + 1) * n // points)
        window = values[a:b]
        out.append(sum(window) / len(window))
    return out


def arc_chart(values: Sequence[float], *, shape: str | None = None, ending: str | None = None,
              chapters: int = 0) -> Markup:
    """A line chart of the story's valence from beginning to end (0 = neutral)."""
    clean = [float(v) for v in values if isinstance(v, int | float) and math.isfinite(v)]
    series = smooth(clean)
    title = "Emotional arc"
    desc_bits = []
    if shape:
        desc_bits.append(f"shape {shape}")
    if ending:
        desc_bits.append(f"{ending} ending")
    desc = ("The story's mood from beginning to end: " + ", ".join(desc_bits)) if desc_bits else \
        "The story's mood from beginning to end."
    parts = [f'<svg class="arc-chart" viewBox="0 0 {_W} {_H}" role="img" '
             f'aria-labelledby="arc-title arc-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="arc-title">{_e(title)}</title><desc id="arc-desc">{_e(desc)}</desc>']
    x0, x1 = _PAD_X, _W - _PAD_X / 2
    y_top, y_bot = _PAD_Y, _H - _PAD_Y
    mid = (y_top + y_bot) / 2
    parts.append(f'<rect class="arc-bg" x="{x0}" y="{y_top}" width="{x1 - x0:.1f}" '
                 f'height="{y_bot - y_top}"/>')
    parts.append(f'<line class="arc-zero" x1="{x0}" y1="{mid}" x2="{x1:.1f}" y2="{mid}"/>')
    parts.append(f'<text class="arc-axis" x="{x0 - 6}" y="{y_top + 10}" text-anchor="end">+</text>')
    parts.append(f'<text class="arc-axis" x="{x0 - 6}" y="{y_bot}" text-anchor="end">−</text>')
    if chapters > 1:
        for i in range(1, chapters):
            x = x0 + (x1 - x0) * i / chapters
            parts.append(f'<line class="arc-chapter" x1="{x:.1f}" y1="{y_top}" x2="{x:.1f}" '
                         f'y2="{y_bot}"/>')
    if len(series) >= 2:
        scale = max(abs(v) for v in series) or 1.0
        pts = []
        for i, v in enumerate(series):
            x = x0 + (x1 - x0) * i / (len(series) - 1)
            y = mid - (v / scale) * (mid - y_top - 4)
            pts.append((x, y))
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        area = f"{pts[0][0]:.1f},{mid:.1f} {line} {pts[-1][0]:.1f},{mid:.1f}"
        parts.append(f'<polygon class="arc-area" points="{area}"/>')
        parts.append(f'<polyline class="arc-line" points="{line}"/>')
        ex, ey = pts[-1]
        parts.append(f'<circle class="arc-end" cx="{ex:.1f}" cy="{ey:.1f}" r="4"/>')
    else:
        parts.append(f'<text class="arc-axis" x="{(x0 + x1) / 2:.0f}" y="{mid - 6:.0f}" '
                     'text-anchor="middle">too short to chart</text>')
    parts.append(f'<text class="arc-axis" x="{x0}" y="{_H - 4}">beginning</text>')
    parts.append(f'<text class="arc-axis" x="{x1:.0f}" y="{_H - 4}" text-anchor="end">end</text>')
    label = " · ".join(b for b in (shape, f"{ending} ending" if ending else None) if b)
    if label:
        parts.append(f'<text class="arc-label" x="{(x0 + x1) / 2:.0f}" y="{_PAD_Y - 6}" '
                     f'text-anchor="middle">{_e(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def cast_graph(nodes: Sequence[tuple[str, float, str]],
               edges: Sequence[tuple[str, str, str]], *, width: int = 560,
               height: int = 380) -> Markup:
    """Characters on a circle (bigger = more mentioned) and lines for pairings:
    ``nodes`` are ``(name, weight, role)``, ``edges`` ``(a, b, kind)`` with kind
    ``romantic`` (solid) or ``platonic`` (dashed). Labels sit outside the
    circle, so the picture is wider than tall to leave them room."""
    names = [n for n, _, _ in nodes]
    count = len(names)
    cx, cy = width / 2, height / 2
    radius = 0.0 if count < 2 else min(height / 2 - 50, width / 2 - 150)
    top = max((w for _, w, _ in nodes), default=1.0) or 1.0
    pos: dict[str, tuple[float, float]] = {}
    for i, name in enumerate(names):
        # two characters face each other; more go round the circle from the top
        start = math.pi if count == 2 else -math.pi / 2
        angle = start + 2 * math.pi * i / max(1, count)
        pos[name] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    desc = (f"{count} character{'s' if count != 1 else ''}; {len(edges)} pairing"
            f"{'s' if len(edges) != 1 else ''} drawn as lines (solid romantic, dashed platonic).")
    parts = [f'<svg class="cast-graph" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="cast-title cast-desc" xmlns="http://www.w3.org/2000/svg">',
             '<title id="cast-title">Characters and pairings</title>'
             f'<desc id="cast-desc">{_e(desc)}</desc>']
    for a, b, kind in edges:
        if a not in pos or b not in pos or a == b:
            continue
        (ax, ay), (bx, by) = pos[a], pos[b]
        cls = "cast-edge platonic" if kind == "platonic" else "cast-edge romantic"
        parts.append(f'<line class="{cls}" x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}">'
                     f'<title>{_e(a)} {"&amp;" if kind == "platonic" else "/"} {_e(b)}</title></line>')
    for name, weight, role in nodes:
        x, y = pos[name]
        r = 7 + 17 * math.sqrt(max(0.0, weight) / top)
        role_cls = role if role in {"main", "secondary", "mentioned"} else "mentioned"
        if count < 2 or abs(x - cx) < 25:
            anchor, lx = "middle", x
            ly = y - r - 7 if y < cy else y + r + 15
        else:
            anchor = "end" if x < cx else "start"
            lx = x - r - 6 if x < cx else x + r + 6
            ly = y + 4
        parts.append(f'<g class="cast-node {role_cls}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
                     f'<title>{_e(name)} ({_e(role_cls)})</title></circle>'
                     f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{_e(_short(name))}'
                     '</text></g>')
    if not nodes:
        parts.append(f'<text class="arc-axis" x="{cx}" y="{cy}" text-anchor="middle">'
                     'no characters found</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
