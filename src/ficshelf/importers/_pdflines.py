"""Text lines with their geometry, link annotations and metadata from a PDF, via pypdf.

pypdf's text visitor reports every piece of text with its font size and the
text and transformation matrices; combining the two gives each piece's
position on the page. Pieces are grouped into lines by baseline; a line keeps
its pieces (``Frag``), because a browser draws each link (each AO3 tag) as its
own piece, with the ", " between tags as a separate one. Link annotations
(``/Link`` with a ``/URI``) come with their rectangles, so a reader can tell
which tag links lie on which line.

Coordinates are PDF points with y growing upwards (as in the file).

>>> Line(page=0, x=10, y=700, size=12, frags=(Frag(text="Rating:", x=10), Frag(text=" Mature", x=80))).text
'Rating: Mature'
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ficshelf.errors import MalformedFile
from ficshelf.importers._pdffonts import FontMetrics, metrics_for

__all__ = ["Frag", "Line", "Link", "PdfText", "read_pdf_text"]

_WS = re.compile(r"\s+")
# where a line may break: white space other than the no-break spaces (U+00A0, U+202F, U+2007)
_BREAK = re.compile(r"[^\S\u00a0\u202f\u2007]+")


@dataclass(frozen=True, kw_only=True, slots=True)
class Frag:
    """One piece of text as the PDF draws it; widths are None when the font has no metrics."""

    text: str
    x: float
    bold: bool = False
    italic: bool = False
    w: float | None = None  # drawn width
    end_w: float | None = None  # drawn width without trailing white space
    lead_w: float | None = None  # width of its first word (leading white space ignored)
    head_w: float | None = None  # width of what comes before its first white space
    space_w: float | None = None  # width of a space in its font


@dataclass(frozen=True, kw_only=True, slots=True)
class Line:
    page: int
    x: float  # left edge of the first piece
    y: float  # baseline
    size: float  # font size in points (largest piece)
    frags: tuple[Frag, ...]
    bold: bool = False  # every visible piece is bold

    @property
    def text(self) -> str:
        return _WS.sub(" ", "".join(f.text for f in self.frags)).strip()

    @property
    def x1(self) -> float | None:
        """Right end of the drawn text (None without font metrics)."""
        ends = [f.x + f.end_w for f in self.frags if f.text.strip() and f.end_w is not None]
        if not ends or any(f.end_w is None for f in self.frags if f.text.strip()):
            return None
        return max(ends)

    @property
    def lead_w(self) -> float | None:
        """Width of the line's first word, i.e. what would have had to fit on the line before.

        A word may run over several pieces ("*dream*," is an italic piece and a roman one).
        """
        visible = [f for f in self.frags if f.text.strip()]
        if not visible or visible[0].lead_w is None:
            return None
        first = visible[0]
        total = first.lead_w or 0.0
        if _BREAK.search(first.text.strip()):
            return total
        for f in self.frags[self.frags.index(first) + 1:]:
            if f.head_w is None:
                return None
            total += f.head_w
            if _BREAK.search(f.text):
                break
        return total

    @property
    def space_w(self) -> float | None:
        first = next((f for f in self.frags if f.text.strip()), None)
        return first.space_w if first is not None else None


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    page: int
    uri: str
    x0: float
    y0: float
    x1: float
    y1: float

    def on_line(self, line: Line) -> bool:
        """True when the link's rectangle holds the line's baseline (with a little slack)."""
        return self.page == line.page and self.y0 - 2 <= line.y <= self.y1 + 2


@dataclass(frozen=True, kw_only=True, slots=True)
class PdfText:
    lines: tuple[Line, ...]
    links: tuple[Link, ...]
    pages: int
    info: Mapping[str, str]  # /Title, /Author, /Keywords ... without the slash


def _font_flags(font: Any) -> tuple[bool, bool]:
    from pypdf.errors import PyPdfError

    name = ""
    try:
        name = str(font.get("/BaseFont", "")) if font is not None else ""
    except (AttributeError, PyPdfError):
        name = ""
    low = name.casefold()
    return ("bold" in low or "black" in low or "heavy" in low), ("italic" in low or "oblique" in low)


def _metrics(cache: dict[int, tuple[Any, FontMetrics | None]], font: Any) -> FontMetrics | None:
    key = id(font)
    hit = cache.get(key)
    if hit is None or hit[0] is not font:
        hit = (font, metrics_for(font))  # the font object is kept so its id stays unique
        cache[key] = hit
    return hit[1]


def _page_lines(page: Any, number: int, cache: dict[int, tuple[Any, FontMetrics | None]]) -> list[Line]:
    pieces: list[tuple[float, float, float, Frag]] = []

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        text = text.replace("\n", "").replace("\r", "")
        if not text:
            return
        a, b, c, d, e, f = (float(v) for v in cm)
        ta, tb, tc, td, te, tf = (float(v) for v in tm)
        x = te * a + tf * c + e
        y = te * b + tf * d + f
        scale = math.hypot(tc * a + td * c, tc * b + td * d) or 1.0
        hscale = math.hypot(ta * a + tb * c, ta * b + tb * d) or 1.0
        bold, italic = _font_flags(font)
        m = _metrics(cache, font)
        w = end = lead = head = space = None
        if m is not None:
            w = m.width(text, float(size)) * hscale
            end = m.width(text.rstrip(), float(size)) * hscale
            lead = m.width(_BREAK.split(text.lstrip(), 1)[0], float(size)) * hscale
            head = m.width(_BREAK.split(text, 1)[0], float(size)) * hscale
            space = m.width(" ", float(size)) * hscale
        frag = Frag(text=text, x=x, bold=bold, italic=italic, w=w, end_w=end, lead_w=lead, head_w=head,
                    space_w=space)
        pieces.append((y, x, float(size) * scale, frag))

    page.extract_text(visitor_text=visit)
    pieces.sort(key=lambda p: (-p[0], p[1]))
    lines: list[Line] = []
    group: list[tuple[float, float, float, Frag]] = []

    def flush() -> None:
        if not group:
            return
        frags = tuple(sorted((g[3] for g in group), key=lambda fr: fr.x))
        visible = [fr for fr in frags if fr.text.strip()]
        if visible:
            lines.append(Line(
                page=number, x=visible[0].x, y=max(g[0] for g in group), size=max(g[2] for g in group),
                frags=frags, bold=all(fr.bold for fr in visible),
            ))
        group.clear()

    for piece in pieces:
        if group and abs(group[0][0] - piece[0]) > 0.35 * max(group[0][2], piece[2], 1.0):
            flush()
        group.append(piece)
    flush()
    return lines


def _page_links(page: Any, number: int) -> list[Link]:
    from pypdf.errors import PyPdfError

    out: list[Link] = []
    try:
        annots = page.get("/Annots") or []
        for ref in annots:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            rect = annot.get("/Rect")
            if uri is None or rect is None:
                continue
            x0, y0, x1, y1 = (float(v) for v in rect)
            out.append(Link(page=number, uri=str(uri), x0=min(x0, x1), y0=min(y0, y1), x1=max(x0, x1), y1=max(y0, y1)))
    except (PyPdfError, AttributeError, TypeError, ValueError):
        return out
    return out


def read_pdf_text(data: bytes, *, filename: str = "") -> PdfText:
    """Lines, links and document information of a PDF; ``MalformedFile`` when pypdf cannot read it."""
    # pypdf is imported when a PDF is read, not with the importers (a tenth of the
    # start-up time of every command)
    import pypdf
    from pypdf.errors import PdfReadError, PyPdfError

    shown = filename or "the PDF"
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise MalformedFile(f"{shown}: the PDF is encrypted; save an unprotected copy and import that")
        lines: list[Line] = []
        links: list[Link] = []
        cache: dict[int, tuple[Any, FontMetrics | None]] = {}
        for number, page in enumerate(reader.pages):
            lines.extend(_page_lines(page, number, cache))
            links.extend(_page_links(page, number))
        info: dict[str, str] = {}
        for k, v in (reader.metadata or {}).items():
            if v is not None:
                info[str(k).lstrip("/")] = str(v)
        return PdfText(lines=tuple(lines), links=tuple(links), pages=len(reader.pages), info=info)
    except MalformedFile:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, ZeroDivisionError) as exc:
        raise MalformedFile(f"{shown}: the PDF cannot be read ({type(exc).__name__}: {exc}); it is damaged or truncated") from exc
