"""Page layout of a printed web page: body size, line pitch, page fullness, paragraphs.

A PDF has no paragraphs, only lines. A browser prints paragraphs with a margin
between them, so inside a page a gap clearly taller than the line pitch ends a
paragraph (and a much taller one is a scene break, the blank lines AO3 authors
use). Across a page break the gap is split between the two pages, and only a
long run of blank lines can be told from page-foot slack (or one blank line, when
the work parts all its paragraphs with blank lines and pages fill to whole
lines); otherwise a line that ended early ends a paragraph: with font metrics,
one where the next line's first word
would still have fitted before the column's right edge; without them, one
much shorter than a full line. A line that ended early inside a paragraph was
a ``<br>``. A page that ends far above the lowest line any page reaches was
broken on purpose (``Layout.page_full``).

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

__all__ = ["Frag", "Layout", "Line", "measure", "paragraphs_text"]

_JOIN_NO_SPACE = re.compile(r"[^\W\d_][-\u2010\u2014]$")
# Across a page break, the space left at the page foot varies by up to ~2.6 lines with margins
# cut off there; a run of blank lines (AO3's <br> scene breaks) leaves clearly more.
_SCENE_BLANKS = 4.0


@dataclass(frozen=True, kw_only=True, slots=True)
class Layout:
    body_size: float
    pitch: float  # baseline distance inside a paragraph
    floor: float  # lowest baseline reached on a full page
    top: float  # highest first baseline of a page of running text
    full_chars: float  # typical length of a full line, in characters
    blank_line_paragraphs: bool = False  # paragraphs are parted by blank lines (<br><br>), not margins

    def is_heading(self, line: Line) -> bool:
        return line.size > self.body_size * 1.15

    def is_small(self, line: Line) -> bool:
        return line.size < self.body_size * 0.9

    def page_full(self, last: Line) -> bool:
        return last.y <= self.floor + 3 * self.pitch

    def short(self, line: Line) -> bool:
        return len(line.text) < 0.8 * self.full_chars

    def blank_lines(self, last: Line, first: Line) -> float:
        """Empty line heights around a page break: below ``last`` on its page, above ``first`` on the next."""
        return (max(0.0, last.y - self.floor) + max(0.0, self.top - first.y)) / self.pitch


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
    firsts = [ln for i, ln in enumerate(lines) if (i == 0 or lines[i - 1].page != ln.page) and abs(ln.size - body) < 0.5]
    top = max((ln.y for ln in firsts), default=max((ln.y for ln in lines), default=0.0))
    inner = [len(a.text) for a, b in itertools.pairwise(lines)
             if a.page == b.page and abs((a.y - b.y) - pitch) < 0.2 * pitch and abs(a.size - body) < 0.5]
    full = statistics.median(inner) if inner else 60.0
    para_gaps = [a.y - b.y for a, b in itertools.pairwise(lines)
                 if a.page == b.page and 1.45 * pitch < a.y - b.y < 2.6 * pitch and abs(a.size - body) < 0.5]
    para_gap = _mode(para_gaps, 0.0)
    return Layout(body_size=body, pitch=pitch, floor=floor, top=top, full_chars=float(full),
                  blank_line_paragraphs=abs(para_gap - 2 * pitch) < 0.05 * pitch)


def _right_edge(lines: Sequence[Line]) -> float | None:
    """The column's right end: the longest line, unless a few lines overflow the rest (long URLs)."""
    ends = sorted(x for x in (ln.x1 for ln in lines) if x is not None)
    if not ends:
        return None
    typical = ends[int(0.9 * (len(ends) - 1))]
    return max(e for e in ends if e <= typical + 10.0)


def _ended_early(prev: Line, nxt: Line, right: float | None, layout: Layout) -> bool:
    """True when ``prev`` stopped before the column's end (a paragraph end or a ``<br>``).

    Widths summed from the font's advances run a few tenths of a percent long
    (kerning is not applied), so the next word must have fitted with a little room.
    """
    x1, lead, space = prev.x1, nxt.lead_w, prev.space_w
    if right is not None and x1 is not None and lead is not None:
        room = max(2.0, 0.006 * (right - prev.x))
        return x1 + (space or 0.0) + lead < right - room
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
            else:  # a page break: blank lines around it, or a line that ended early
                blanks = layout.blank_lines(prev, ln)
                scene = blanks >= _SCENE_BLANKS
                new_para = scene or _ended_early(prev, ln, right, layout) or (
                    layout.blank_line_paragraphs and blanks >= 0.95)
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
