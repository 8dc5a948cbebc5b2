"""AO3's download markup as calibre converted it (AO3 EPUB and AZW3): preface and events.

AO3 builds its EPUB (and AZW3) with calibre from the HTML download. Calibre
splits the file at chapter boundaries and renames classes (``userstuff`` on the
chapter text becomes ``userstuff2``, ``meta group`` becomes ``calibre1``) but
keeps the elements, their order, ``h2.heading``/``h2.toc-heading`` and the
region ids. So the reader here matches by element and class prefix, never by
calibre's numbered class names, and walks the spine documents in order as one
stream. Tag types come from the preface's ``dl`` (dt label, dd links), never
from the OPF's typeless ``dc:subject`` list.

>>> from lxml import html
>>> doc = html.fromstring('<div><div id="preface"><p class="message"><b>T</b> Posted originally on the '
...     'Archive at <a href="https://archiveofourown.org/works/7">x</a></p><dl class="tags"><dt>Rating:</dt>'
...     '<dd><a href="#">General Audiences</a></dd><dt>Fandom:</dt><dd><a href="#">F, G</a></dd></dl>'
...     '<h1>T</h1><div class="byline">by '
...     '<a rel="author" href="#">me</a></div></div><div id="chapters"><h2 class="toc-heading">T</h2>'
...     '<div class="userstuff9"><p>Hello.</p></div></div></div>')
>>> pre, events = read_calibre_ao3([doc])
>>> pre.title, pre.authors, pre.fields, pre.work_url
('T', ('me',), (('Rating:', ('General Audiences',)), ('Fandom:', ('F, G',))), 'https://archiveofourown.org/works/7')
>>> [type(e).__name__ for e in events]
['Heading', 'Content']
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ficshelf.importers._ao3book import (
    Block,
    Content,
    Event,
    Heading,
    Label,
    Preface,
    Quote,
    field_values,
    label_key,
    work_link,
)
from ficshelf.importers._ao3dom import clean, text_of
from ficshelf.importers._ao3meta import field_for_label
from ficshelf.importers._htmltext import element_to_text, inner_html, sanitize_html
from ficshelf.model import SeriesRef

__all__ = ["calibre_class_free", "is_calibre_ao3", "read_calibre_ao3", "story_block"]

_CALIBRE_CLASS = re.compile(r"^calibre\d*$")
_POSTED = re.compile(r"Posted originally on the\s", re.I)


def _classes(el: Any) -> list[str]:
    return (el.get("class") or "").split()


def _class_prefix(el: Any, prefix: str) -> bool:
    return any(c.startswith(prefix) for c in _classes(el))


def _tag(el: Any) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def calibre_class_free(el: Any) -> Any:
    """A copy of ``el`` without calibre's generated class names (meaningless without its CSS)."""
    out = copy.deepcopy(el)
    for e in out.iter():
        if not isinstance(e.tag, str) or e.get("class") is None:
            continue
        kept = [c for c in _classes(e) if not _CALIBRE_CLASS.match(c)]
        if kept:
            e.set("class", " ".join(kept))
        else:
            del e.attrib["class"]
    return out


def story_block(el: Any) -> Block:
    """Plain text and sanitized markup of a story-text element."""
    clean_el = calibre_class_free(el)
    return Block(text=element_to_text(clean_el), html=sanitize_html(inner_html(clean_el)) or None)


def _field_dl(root: Any) -> Any | None:
    for dl in root.iter("dl"):
        labels = [text_of(dt) for dt in dl if _tag(dt) == "dt"]
        if sum(1 for t in labels if field_for_label(t) is not None) >= 2:
            return dl
    return None


def is_calibre_ao3(roots: Sequence[Any]) -> bool:
    """True when the documents hold AO3's preface (its labelled ``dl`` or the "Posted originally" line)."""
    for root in roots:
        if _field_dl(root) is not None:
            return True
        for p in root.iter("p"):
            if _POSTED.search(text_of(p)) and work_link(p):
                return True
    return False


def _preface(roots: Sequence[Any]) -> Preface:
    fields: list[tuple[str, tuple[str, ...]]] = []
    series: tuple[SeriesRef, ...] = ()
    title: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    message_title: str | None = None
    for root in roots:
        if url is None:
            for p in root.iter("p"):
                if _POSTED.search(text_of(p)):
                    url = work_link(p)
                    b = p.find(".//b")
                    if b is not None and message_title is None:
                        message_title = text_of(b) or None
                    if url:
                        break
        if not fields:
            dl = _field_dl(root)
            if dl is not None:
                label = ""
                for el in dl:
                    if _tag(el) == "dt":
                        label = text_of(el)
                    elif _tag(el) == "dd" and label:
                        values, refs = field_values(label, el)
                        fields.append((label, values))
                        series = series or refs
        if title is None:
            h1 = next(iter(root.iter("h1")), None)
            if h1 is not None:
                title = text_of(h1) or None
        if not authors:
            byline = next((el for el in root.iter("div", "p") if "byline" in _classes(el)), None)
            if byline is not None:
                names = [text_of(a) for a in byline.iter("a") if "author" in (a.get("rel") or "").split()]
                if not names:
                    t = text_of(byline)
                    names = (t[3:] if t.casefold().startswith("by ") else t).split(", ")
                authors = tuple(n for n in (clean(x) for x in names) if n)
    return Preface(title=title or message_title, authors=authors, fields=tuple(fields), series=series, work_url=url)


def _events(el: Any) -> Iterator[Event]:
    for child in el:
        tag = _tag(child)
        if not tag or tag in {"dl", "h1", "script", "style"} or "byline" in _classes(child):
            continue
        if tag in {"h2", "h3"} and (_class_prefix(child, "heading") or _class_prefix(child, "toc-heading")):
            text = text_of(child)
            low = text.casefold()
            if _class_prefix(child, "toc-heading") and low == "preface":
                yield Heading(text, kind="preface")
            elif _class_prefix(child, "toc-heading") and low == "afterword":
                yield Heading(text, kind="afterword")
            else:
                yield Heading(text, kind="hidden" if _class_prefix(child, "toc-heading") else "chapter")
        elif tag == "p" and label_key(text_of(child)) is not None:
            yield Label(text_of(child))
        elif tag == "blockquote":
            yield Quote(Block(text=element_to_text(child)))
        elif tag == "div" and _class_prefix(child, "userstuff") and child.get("id") != "chapters":
            yield Content(story_block(child))
        elif child.get("id") == "afterword":
            yield Heading("Afterword", kind="afterword")
            yield from _events(child)
        else:
            yield from _events(child)


def read_calibre_ao3(roots: Sequence[Any]) -> tuple[Preface, list[Event]]:
    """Preface and event stream of AO3 download markup spread over ``roots`` (spine bodies, in order)."""
    events: list[Event] = []
    for root in roots:
        events.extend(_events(root))
    return _preface(roots), _dedupe_afterword(events)


def _dedupe_afterword(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    seen_after = False
    for ev in events:
        if isinstance(ev, Heading) and ev.kind == "afterword":
            if seen_after:
                continue
            seen_after = True
        out.append(ev)
    return out
