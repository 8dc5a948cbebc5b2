"""Turning stored text and markup into safe page HTML.

Chapter text is plain text (paragraphs separated by a blank line, ``* * *``
scene breaks); ``render_text`` writes each paragraph as ``<p id="pN">`` and can
wrap exact character ranges in ``<mark>`` (evidence passages), splitting a mark
that spans paragraphs. Chapter markup (``Chapter.html``) is sanitized again
with the importers' allow-list on the way out (``render_markup``) and its
blocks numbered the same way, so reading positions work for both.

>>> str(render_text("It rained.\\n\\nAnn <waited>.", [Mark(3, 15, "ev-0")]))
'<p id="p0">It <mark class="evidence" id="ev-0">rained.</mark></p>\\n<p id="p1"><mark class="evidence">Ann</mark> &lt;waited&gt;.</p>'
>>> str(render_markup('<p onclick="x()">Hi</p><script>bad()</script><p>there</p>'))
'<p id="p0">Hi</p><p id="p1">there</p>'
>>> str(render_markup('<p>One <em>a</em><br><br>Two<br>lines<br><br><br>Three</p>'))
'<p id="p0">One <em>a</em></p><p id="p1">Two<br>lines</p><p class="scene-break" id="p2">* * *</p><p id="p3">Three</p>'
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import nh3
from lxml import html as lxml_html
from markupsafe import Markup

from ficshelf.importers._htmltext import sanitize_html
from ficshelf.text import is_scene_break

__all__ = [
    "Mark",
    "ao3_date",
    "clean_snippet",
    "paragraph_spans",
    "plain_paragraphs",
    "render_markup",
    "render_text",
]

_BLANK_LINES: Final = re.compile(r"\n[ \t]*\n\s*")
_BLOCK_TAGS: Final = frozenset({
    "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "pre", "table",
    "hr", "center", "figure", "details", "address",
})


@dataclass(frozen=True, slots=True)
class Mark:
    """A character range of a chapter's text to highlight; ``anchor`` is the id
    given to its first piece (so links can jump to it)."""

    start: int
    end: int
    anchor: str | None = None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of a chapter text, in order.

    >>> paragraph_spans("One.\\n\\nTwo\\nlines.\\n\\n\\nThree.")
    [(0, 4), (6, 16), (19, 25)]
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        if text[pos:m.start()].strip():
            spans.append(_trim(text, pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append(_trim(text, pos, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _escape(s: str) -> str:
    return html.escape(s, quote=False).replace("\n", "<br>\n")


def render_text(text: str, marks: Sequence[Mark] = ()) -> Markup:
    """Paragraphs as ``<p id="pN">`` with ``marks`` wrapped in ``<mark>``."""
    out: list[str] = []
    ordered = sorted((m for m in marks if m.end > m.start), key=lambda m: (m.start, m.end))
    anchored: set[str] = set()
    for index, (ps, pe) in enumerate(paragraph_spans(text)):
        chunk = text[ps:pe]
        if is_scene_break(chunk):
            out.append(f'<p id="p{index}" class="scene-break" role="separator">* * *</p>')
            continue
        inside = [m for m in ordered if m.start < pe and m.end > ps]
        if not inside:
            out.append(f'<p id="p{index}">{_escape(chunk)}</p>')
            continue
        cuts = sorted({ps, pe, *(max(ps, m.start) for m in inside), *(min(pe, m.end) for m in inside)})
        pieces: list[str] = []
        for a, b in itertools.pairwise(cuts):
            if a >= b:
                continue
            piece = _escape(text[a:b])
            active = [m for m in inside if m.start <= a and m.end >= b]
            if not active:
                pieces.append(piece)
                continue
            anchor = next((m.anchor for m in active if m.anchor and m.anchor not in anchored
                           and max(ps, m.start) == a), None)
            if anchor is not None:
                anchored.add(anchor)
                pieces.append(f'<mark class="evidence" id="{html.escape(anchor)}">{piece}</mark>')
            else:
                pieces.append(f'<mark class="evidence">{piece}</mark>')
        out.append(f'<p id="p{index}">{"".join(pieces)}</p>')
    return Markup("\n".join(out))


def plain_paragraphs(text: str | None) -> Markup:
    """Notes and summaries kept as plain text: paragraphs, escaped."""
    if not text or not text.strip():
        return Markup("")
    return Markup("\n".join(f"<p>{_escape(text[s:e])}</p>" for s, e in paragraph_spans(text)))


def _blocks_parent(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """Descend through lone wrapper elements (a single ``<div>`` around everything)."""
    node = root
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        if len(children) != 1 or (node.text or "").strip() or (children[0].tail or "").strip():
            return node
        child = children[0]
        if child.tag not in {"div", "section", "article", "blockquote"}:
            return node
        node = child


def _is_blank(text: str | None) -> bool:
    return not (text or "").replace("\xa0", " ").strip()


def _split_br_runs(p: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """A ``<p>`` holding whole paragraphs separated by ``<br><br>`` (a common AO3
    habit) as one ``<p>`` per paragraph; three or more ``<br>`` are a scene break."""
    items: list[str | lxml_html.HtmlElement] = []
    if p.text:
        items.append(p.text)
    for child in list(p):
        tail = child.tail
        child.tail = None
        items.append(child)
        if tail:
            items.append(tail)
    groups: list[list[str | lxml_html.HtmlElement]] = [[]]
    breaks: list[bool] = []
    brs = 0
    for item in items:
        is_br = not isinstance(item, str) and item.tag == "br"
        if is_br:
            brs += 1
            continue
        if isinstance(item, str) and _is_blank(item) and brs:
            continue
        if brs >= 2 and groups[-1]:
            breaks.append(brs >= 3)
            groups.append([])
        elif brs == 1 and groups[-1]:
            groups[-1].append(lxml_html.Element("br"))
        brs = 0
        groups[-1].append(item)
    out: list[lxml_html.HtmlElement] = []
    for i, group in enumerate(groups):
        if i > 0 and breaks[i - 1]:
            hr = lxml_html.Element("p")
            hr.set("class", "scene-break")
            hr.text = "* * *"
            out.append(hr)
        para = lxml_html.Element("p", dict(p.attrib))
        last: lxml_html.HtmlElement | None = None
        for item in group:
            if isinstance(item, str):
                if last is None:
                    para.text = (para.text or "") + item
                else:
                    last.tail = (last.tail or "") + item
            else:
                para.append(item)
                last = item
        if len(para) or not _is_blank(para.text):
            out.append(para)
    return out


def _split_paragraphs(parent: lxml_html.HtmlElement) -> None:
    for child in list(parent):
        if child.tag != "p" or len(child.findall("br")) < 2:
            continue
        parts = _split_br_runs(child)
        if len(parts) > 1:
            tail = child.tail
            index = parent.index(child)
            parent.remove(child)
            for offset, part in enumerate(parts):
                parent.insert(index + offset, part)
            parts[-1].tail = tail


def render_markup(markup: str) -> Markup:
    """Sanitize stored chapter markup again and number its blocks ``pN``
    (paragraphs run together with ``<br><br>`` are split first, so a reading
    position can point into them)."""
    clean = sanitize_html(markup)
    if not clean.strip():
        return Markup("")
    try:
        root = lxml_html.fragment_fromstring(clean, create_parent="div")
    except Exception:  # lxml refuses some empty or odd fragments: show it unnumbered
        return Markup(clean)
    parent = _blocks_parent(root)
    _split_paragraphs(parent)
    index = 0
    loose: list[lxml_html.HtmlElement] = []
    for child in list(parent):
        if not isinstance(child.tag, str):
            continue
        if child.tag in _BLOCK_TAGS:
            child.set("id", f"p{index}")
            index += 1
        else:
            loose.append(child)
    if index == 0:
        parent.set("id", "p0")
    inner = (html.escape(root.text or "", quote=False)
             + "".join(lxml_html.tostring(c, encoding="unicode") for c in root))
    # The serialised tree is re-checked by the allow-list, ids (ours) kept.
    return Markup(nh3.clean(inner, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                            url_schemes={"http", "https", "mailto"}, link_rel="nofollow",
                            strip_comments=True))


# The importers' allow-list plus the block ids this module adds.
def _allow_lists() -> tuple[set[str], dict[str, set[str]]]:
    from ficshelf.importers import _htmltext

    tags = set(getattr(_htmltext, "_TAGS", ()))
    attrs = {k: set(v) for k, v in getattr(_htmltext, "_ATTRS", {}).items()}
    attrs.setdefault("*", set()).add("id")
    return tags, attrs


_ALLOWED_TAGS, _ALLOWED_ATTRS = _allow_lists()


def clean_snippet(snippet: str | None) -> Markup:
    """A search snippet: already escaped by the store, re-cleaned to ``<mark>`` only."""
    if not snippet:
        return Markup("")
    return Markup(nh3.clean(snippet, tags={"mark"}, attributes={}))


def ao3_date(day: dt.date | None) -> str:
    """AO3's date style: ``05 Mar 2021``."""
    return day.strftime("%d %b %Y") if day else ""
