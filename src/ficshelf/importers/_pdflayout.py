"""Page layout of a printed web page: body size, line pitch, forced page breaks, paragraphs.

A PDF has no paragraphs, only lines. A browser prints paragraphs with a margin
between them, so inside a page a gap clearly taller than the line pitch ends a
paragraph (and a much taller one is a scene break, the blank lines AO3 authors
use). Across a page break there is no gap to see; there a line that ended
early ends a paragraph: with font metrics, one where the next line's first word
would still have fitted before the column's right edge; without them, one
much shorter than a full line. A line that ended early inside a paragraph was
a ``<br>``. A page that ends far above the lowest line any page reaches was
broken on purpose (a new section: title page, chapter, afterword).

>>> lines = [Line(page=0, x=50, y=y, size=12, frags=(Frag(text=t, x=50),)) for y, t in
...          [(700, "A long first line of the paragraph that is full"), (685, "and its end."),
...           (657, "Second paragraph, one line.")]]
>>> lay = measure(lines)
>>> lay.pitch, paragraphs_text(lines, lay)
(15.0, 'A long first line of the paragraph that is full and its end.\\n\\nSecond paragraph, one line.')
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ficshelf.importers._pdflines import Frag, Line
from ficshelf.text import SCENE_BREAK, normalize_space

__all__ = ["Frag", "Layout", "Line", "measure", "paragraphs_text", "sections"]

_JOIN_NO_SPACE = re.compile(r"[^\W\d_][-\u2010\u2014]$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Layout:
    body_size: float
    pitch: float  # baseline distance inside a paragraph
    floor: float  # lowest baseline reached on a full page
    full_chars: float  # typical length of a full line, in characters

    def is_heading(self, line: Line) -> bool:
        return line.size > self.body_size * 1.15

    def is_small(self, line: Line) -> bool:
        return line.size < self.body_size * 0.9

    def page_full(self, last: Line) -> bool:
        return last.y <= self.floor + 3 * self.pitch

    def short(self, line: Line) -> bool:
        return len(line.text) < 0.8 * self.full_chars


def _mode(values: Sequence[float], default: float) -> float:
    if not values:
        return default
    return Counter(round(v * 4) / 4 for v in values).most_common(1)[0][0]


def measure(lines: Sequence[Line]) -> Layout:
    """Body font size, line pitch, page floor and full-line length of a document's lines."""
    body = _mode([ln.size for ln in lines], 12.0)
    # line spacing is 1-1.5 font sizes; anything taller is a gap between blocks
    gaps = [a.y - b.y for a, b in itertools.pairwise(lines)
            if a.page == b.page and abs(a.size - body) < 0.5 and abs(b.size - body) < 0.5 and 0 < a.y - b.y < 1.5 * body]
    pitch = _mode(gaps, body * 1.2)
    lasts: dict[int, Line] = {}
    for ln in lines:
        lasts[ln.page] = ln
    pages = sorted(lasts)
    floor = min((lasts[p].y for p in pages[:-1]), default=min((ln.y for ln in lines), default=0.0))
    inner = [len(a.text) for a, b in itertools.pairwise(lines)
             if a.page == b.page and abs((a.y - b.y) - pitch) < 0.2 * pitch and abs(a.size - body) < 0.5]
    full = statistics.median(inner) if inner else 60.0
    return Layout(body_size=body, pitch=pitch, floor=floor, full_chars=float(full))


def sections(lines: Sequence[Line], layout: Layout) -> list[list[Line]]:
    """Lines grouped by forced page breaks: a page left part-empty before the next began, or a
    page that opens with a heading."""
    out: list[list[Line]] = []
    for i, ln in enumerate(lines):
        prev = lines[i - 1] if i else None
        if prev is None or (ln.page != prev.page and (not layout.page_full(prev) or layout.is_heading(ln))):
            out.append([])
        out[-1].append(ln)
    return out


def _right_edge(lines: Sequence[Line]) -> float | None:
    ends = sorted(x for x in (ln.x1 for ln in lines) if x is not None)
    if not ends:
        return None
    return ends[int(0.95 * (len(ends) - 1))] if len(ends) >= 20 else ends[-1]


def _ended_early(prev: Line, nxt: Line, right: float | None, layout: Layout) -> bool:
    """True when ``prev`` stopped before the column's end (a paragraph end or a ``<br>``)."""
    x1, lead, space = prev.x1, nxt.lead_w, prev.space_w
    if right is not None and x1 is not None and lead is not None:
        return x1 + (space or 0.0) + lead <= right + 1.0
    return layout.short(prev)


def _join(a: str, b: str) -> str:
    if _JOIN_NO_SPACE.search(a):
        return a + b
    return a + " " + b


def paragraphs_text(lines: Sequence[Line], layout: Layout) -> str:
    """Rebuild paragraphs (blank-line separated) from consecutive lines of running text."""
    paras: list[str] = []
    cur = ""
    prev: Line | None = None
    right = _right_edge(lines)
    for ln in lines:
        text = ln.text
        if not text:
            continue
        if prev is None:
            cur = text
        else:
            if ln.page == prev.page:
                gap = prev.y - ln.y
                new_para = gap > 1.45 * layout.pitch or gap < 0
                scene = gap > 2.6 * layout.pitch
            else:
                new_para, scene = _ended_early(prev, ln, right, layout), False
            if new_para:
                paras.append(cur)
                if scene:
                    paras.append(SCENE_BREAK)
                cur = text
            elif _ended_early(prev, ln, right, layout):
                cur = cur + "\n" + text
            else:
                cur = _join(cur, text)
        prev = ln
    if cur:
        paras.append(cur)
    while paras and paras[-1] == SCENE_BREAK:
        paras.pop()
    return normalize_space("\n\n".join(paras))
