"""A MOBI 7 book as the ``mobi`` package unpacks it (``mobi7/book.html`` + ``content.opf`` + ``toc.ncx``).

MOBI 7 markup is flat: ``<p>``, ``<blockquote>`` and ``<mbp:pagebreak>`` under
``<body>``, with ``<a id="filepos123" />`` marks that the NCX points at. AO3's MOBI
(calibre-built from the HTML download) keeps the download's order but loses its
structure: each field is ``<p><b>Rating:</b></p><blockquote>links</blockquote>``,
headings become bold paragraphs, and a single-chapter work has no chapter
heading at all. So the book is cut at the NCX marks (Preface, chapters,
Afterword) and each part read in order into ``_ao3book`` events. A MOBI that is
not from AO3 becomes one chapter per NCX entry, titled by it.

>>> fix_markup(b'<a id="filepos9" /><p>x</p><mbp:pagebreak/>')
b'<a id="filepos9"></a><p>x</p><div class="mbp-pagebreak"></div>'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3book import (
    Block,
    Content,
    Event,
    Fallback,
    Heading,
    Label,
    Preface,
    Quote,
    assemble,
    field_values,
    is_field_label,
    label_key,
    work_link,
)
from ficshelf.importers._ao3dom import clean, text_of
from ficshelf.importers._epubcontainer import OpfMetadata, TocEntry, read_ncx, read_opf_metadata
from ficshelf.importers._genericepub import description_text, drop_title_heading
from ficshelf.importers._htmltext import element_to_text, inner_html, parse_html, sanitize_html
from ficshelf.importers._segments import anchors_in_order, new_container, split_at_anchors
from ficshelf.model import Chapter, SeriesRef, Work

__all__ = ["fix_markup", "read_mobi7"]

_SELF_CLOSING_A = re.compile(rb"<a(\s[^<>]*?)?\s*/>", re.I)
_PAGEBREAK = re.compile(rb"<mbp:pagebreak\s*/?>(?:\s*</mbp:pagebreak>)?", re.I)
_POSTED = re.compile(r"Posted originally on the\s", re.I)
_SEE_END = re.compile(r"^See the end of the (?:work|chapter) for (?:more )?notes\.?$", re.I)


def fix_markup(data: bytes) -> bytes:
    """Make MOBI 7's XML-style empty anchors and page breaks parse as HTML elements."""
    data = _SELF_CLOSING_A.sub(lambda m: b"<a" + (m.group(1) or b"") + b"></a>", data)
    return _PAGEBREAK.sub(b'<div class="mbp-pagebreak"></div>', data)


def _items(part: Any) -> list[Any]:
    """The part's top-level elements, without empty paragraphs, anchors and page breaks."""
    out = []
    for el in part:
        if not isinstance(el.tag, str) or (el.tag == "a" and not text_of(el)):
            continue
        if el.tag == "div" and "mbp-pagebreak" in (el.get("class") or ""):
            continue
        if el.tag == "p" and not text_of(el) and el.find(".//img") is None:
            continue
        out.append(el)
    return out


def _block(els: Sequence[Any]) -> Block:
    box = new_container()
    for el in els:
        box.append(el)
    return Block(text=element_to_text(box), html=sanitize_html(inner_html(box)) or None)


def _is_label(el: Any) -> bool:
    return el.tag == "p" and label_key(text_of(el)) is not None


def _preface(items: Sequence[Any]) -> tuple[Preface, list[Event]]:
    fields: list[tuple[str, tuple[str, ...]]] = []
    series: tuple[SeriesRef, ...] = ()
    events: list[Event] = []
    title: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    i = 0
    while i < len(items):
        el = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        text = text_of(el)
        if el.tag == "p" and is_field_label(text) and nxt is not None and nxt.tag == "blockquote":
            values, refs = field_values(text, nxt)
            fields.append((text, values))
            series = series or refs
            i += 2
            continue
        if el.tag == "p" and _POSTED.search(text) and url is None:
            url = work_link(el)
            b = el.find(".//b")
            title = title or (text_of(b) if b is not None else None)
        elif el.tag == "p" and text.casefold().startswith("by ") and not authors:
            names = [text_of(a) for a in el.iter("a")] or text[3:].split(", ")
            authors = tuple(n for n in (clean(x) for x in names) if n)
        elif _is_label(el):
            events.append(Label(text))
        elif el.tag == "blockquote":
            events.append(Quote(Block(text=element_to_text(el))))
        i += 1
    return Preface(title=title, authors=authors, fields=tuple(fields), series=series, work_url=url), events


def _chapter_events(label: str, items: Sequence[Any], *, hidden: bool) -> Iterator[Event]:
    yield Heading(label, kind="hidden" if hidden else "chapter")
    body: list[Any] = []
    rest = list(items)
    if rest and clean(text_of(rest[0])).casefold() == clean(label).casefold():
        rest = rest[1:]  # the heading, printed as a bold paragraph
    pending_label = False
    for el in rest:
        text = text_of(el)
        if el.tag == "p" and _SEE_END.match(text):
            continue
        if _is_label(el):
            if body:
                yield Content(_block(body))
                body = []
            yield Label(text)
            pending_label = True
        elif el.tag == "blockquote" and pending_label:
            yield Quote(Block(text=element_to_text(el)))
            pending_label = False
        else:
            pending_label = False
            body.append(el)
    if body:
        yield Content(_block(body))


def _is_ao3(body: Any) -> bool:
    for p in body.iter("p"):
        if _POSTED.search(text_of(p)) and work_link(p):
            return True
        if is_field_label(text_of(p)):
            nxt = p.getnext()
            if nxt is not None and nxt.tag == "blockquote":
                return True
    return False


def _ao3_work(body: Any, toc: Sequence[TocEntry], md: OpfMetadata, *, kind: str, filename: str) -> Work:
    wanted = [e.fragment for e in toc if e.fragment]
    order = anchors_in_order(body, [w for w in wanted if w])
    parts = split_at_anchors(body, order)
    by_anchor = {e.fragment: e for e in reversed(toc) if e.fragment}
    labelled = [(by_anchor[a].label, part) for a, part in zip(order, parts[1:], strict=False)]
    chapter_parts = [(lab, p) for lab, p in labelled if lab.casefold() not in {"preface", "afterword"}]
    preface_items = _items(parts[0])
    events: list[Event] = []
    for lab, part in labelled:
        if lab.casefold() == "preface":
            preface_items += _items(part)
    preface, pre_events = _preface(preface_items)
    events.extend(pre_events)
    if not chapter_parts:
        raise MalformedFile(f"{filename}: an AO3 MOBI without chapters in its table of contents")
    hidden = len(chapter_parts) == 1
    for lab, part in labelled:
        low = lab.casefold()
        if low == "preface":
            continue
        if low == "afterword":
            events.append(Heading(lab, kind="afterword"))
            for el in _items(part):
                if _is_label(el):
                    events.append(Label(text_of(el)))
                elif el.tag == "blockquote":
                    events.append(Quote(Block(text=element_to_text(el))))
            continue
        events.extend(_chapter_events(lab, _items(part), hidden=hidden))
    fallback = Fallback(title=md.title, authors=md.creators, language=md.language,
                        summary=description_text(md.description))
    return assemble(preface, events, source_format=f"ao3-{kind}", fallback=fallback, filename=filename)


def _generic_work(body: Any, toc: Sequence[TocEntry], md: OpfMetadata, *, kind: str, filename: str) -> Work:
    order = anchors_in_order(body, [e.fragment for e in toc if e.fragment])
    parts = split_at_anchors(body, order)
    by_anchor = {e.fragment: e for e in reversed(toc) if e.fragment}
    titled: list[tuple[str | None, Any]] = [(None, parts[0])]
    titled += [(by_anchor[a].label, p) for a, p in zip(order, parts[1:], strict=False)]
    chapters: list[Chapter] = []
    for title, part in titled:
        items = _items(part)
        if title and items and clean(text_of(items[0])).casefold() == clean(title).casefold():
            items = items[1:]
        box = new_container()
        for el in items:
            box.append(el)
        drop_title_heading(box, title)
        text = element_to_text(box)
        if text.strip():
            chapters.append(Chapter(number=len(chapters) + 1, title=title, text=text,
                                    html=sanitize_html(inner_html(box)) or None))
    if not chapters:
        raise MalformedFile(f"{filename}: the MOBI holds no readable text")
    return Work(
        title=md.title or chapters[0].title or filename,
        authors=md.creators,
        summary=description_text(md.description),
        language=md.language,
        source_format=kind,
        chapters=tuple(chapters),
    )


def read_mobi7(folder: Path, *, kind: str = "mobi", filename: str = "") -> Work:
    """The ``Work`` in an unpacked MOBI 7 folder (``book.html``, ``content.opf``, ``toc.ncx``)."""
    shown = filename or "the MOBI"
    book = folder / "book.html"
    if not book.is_file():
        raise MalformedFile(f"{shown}: the MOBI unpacked without its text (book.html)")
    doc = parse_html(fix_markup(book.read_bytes()))
    body = doc.find("body")
    if body is None:
        raise MalformedFile(f"{shown}: the MOBI's text has no body")
    opf = folder / "content.opf"
    md = read_opf_metadata(opf.read_bytes(), filename=shown) if opf.is_file() else OpfMetadata()
    ncx = folder / "toc.ncx"
    toc = tuple(e for e in read_ncx(ncx.read_bytes(), "toc.ncx", filename=shown) if e.path == "book.html") if ncx.is_file() else ()
    if _is_ao3(body) and toc:
        return _ao3_work(body, toc, md, kind=kind, filename=shown)
    return _generic_work(body, toc, md, kind=kind, filename=shown)
