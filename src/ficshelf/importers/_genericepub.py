"""Any EPUB 2/3 to a ``Work``: metadata from the OPF, chapters from the spine and the table of contents.

Front matter is skipped: documents the OPF guide marks as cover, title page or
table of contents, the EPUB 3 navigation document, non-linear spine items and
documents named like ``cover.xhtml``/``titlepage.xhtml``/``toc.xhtml``. A chapter
starts at each table-of-contents entry (inside a file when the entry has a
``#fragment``); a spine document without an entry of its own continues the
chapter before it (calibre splits long chapters into several files). Chapter
titles come from the table of contents, else the first heading; a heading that
repeats the title is left out of the text.

>>> from lxml import html
>>> el = html.fromstring('<div><h2>One</h2><p>Text.</p></div>')
>>> drop_title_heading(el, "one"), html.tostring(el)
(True, b'<div><p>Text.</p></div>')
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3dom import clean, text_of, work_url, work_url_parts
from ficshelf.importers._epubcontainer import EpubBook, SpineItem, TocEntry
from ficshelf.importers._htmltext import element_to_text, inner_html, parse_html, sanitize_html
from ficshelf.importers._segments import anchors_in_order, new_container, split_at_anchors
from ficshelf.model import Chapter, Work

__all__ = [
    "description_text",
    "drop_title_heading",
    "front_matter_paths",
    "read_generic_epub",
    "source_url",
]

_FRONT_STEM = re.compile(
    r"^(?:cover|cover[-_]?page|title|title[-_]?page|titlepage|toc|toc[-_]page|nav|contents|table[-_]of[-_]contents|"
    r"copyright|copyright[-_]page|colophon|about[-_]the[-_]author|fff_titlepage)(?:[-_]?\d+)?$",
    re.I,
)
_FRONT_GUIDE = frozenset({"cover", "title-page", "toc", "copyright-page", "colophon"})
_HEADINGS = ("h1", "h2", "h3", "h4")
_MARKUP = re.compile(r"<[a-zA-Z][^>]*>")


def front_matter_paths(book: EpubBook) -> set[str]:
    """Archive paths of spine documents that are not story text."""
    skip = {path for kind, path in book.guide.items() if kind in _FRONT_GUIDE}
    skip |= {m.path for m in book.manifest.values() if "nav" in m.properties}
    for item in book.spine:
        stem = posixpath.splitext(posixpath.basename(item.path))[0]
        if not item.linear or _FRONT_STEM.match(stem):
            skip.add(item.path)
    return skip


def description_text(description: str | None) -> str | None:
    """An OPF description (often escaped HTML) as plain text."""
    if not description or not description.strip():
        return None
    if _MARKUP.search(description):
        doc = parse_html(f"<html><body>{description}</body></html>")
        body = doc.find("body")
        text = element_to_text(body if body is not None else doc)
        return text or None
    return description.strip()


def source_url(book: EpubBook) -> str | None:
    """The story's web address if the OPF records one (dc:source, or a URL identifier)."""
    md = book.metadata
    for scheme, value in md.identifiers:
        if scheme.casefold() == "url" or value.startswith(("http://", "https://")):
            return value.removeprefix("URL:")
        if value.startswith("URL:"):
            return value[4:]
    for s in md.sources:
        if s.startswith(("http://", "https://")):
            return s
    return None


def drop_title_heading(el: Any, title: str | None) -> bool:
    """Remove the first heading in ``el`` when it repeats ``title``; True when one was removed."""
    if not title:
        return False
    want = clean(title).casefold()
    for h in el.iter(*_HEADINGS):
        if clean(text_of(h)).casefold() == want:
            _drop(h)
            return True
        break
    return False


def _drop(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _first_heading(el: Any) -> str | None:
    for h in el.iter(*_HEADINGS):
        t = text_of(h)
        if t and len(t) <= 200:
            return t
        return None
    return None


@dataclass(slots=True)
class _Draft:
    title: str | None
    parts: list[Any] = field(default_factory=list)


def _entries_by_path(toc: Sequence[TocEntry], paths: set[str]) -> dict[str, list[TocEntry]]:
    out: dict[str, list[TocEntry]] = {}
    for e in toc:
        if e.path in paths and e.label:
            out.setdefault(e.path, []).append(e)
    return out


def _drafts(book: EpubBook, docs: Sequence[SpineItem]) -> list[_Draft]:
    by_path = _entries_by_path(book.toc, {d.path for d in docs})
    drafts: list[_Draft] = []
    for item in docs:
        body = book.body(item.path)
        entries = by_path.get(item.path, [])
        if not by_path:
            drafts.append(_Draft(title=None, parts=[copy.deepcopy(body)]))
            continue
        if not entries:
            if drafts:
                drafts[-1].parts.append(copy.deepcopy(body))
            else:
                drafts.append(_Draft(title=None, parts=[copy.deepcopy(body)]))
            continue
        # entries pointing at the file itself open a chapter at its start; the last one names it
        whole = [e for e in entries if not e.fragment]
        inner = [e for e in entries if e.fragment]
        segments = split_at_anchors(body, [e.fragment or "" for e in inner])
        found = _found_in_order(body, inner)
        head = segments[0]
        if whole:
            drafts.append(_Draft(title=whole[-1].label, parts=[head]))
        elif drafts:
            drafts[-1].parts.append(head)
        else:
            drafts.append(_Draft(title=None, parts=[head]))
        for entry, seg in zip(found, segments[1:], strict=False):
            drafts.append(_Draft(title=entry.label, parts=[seg]))
    return drafts


def _found_in_order(body: Any, entries: Sequence[TocEntry]) -> list[TocEntry]:
    """The fragment entries present in ``body``, in document order (the order ``split_at_anchors`` cuts)."""
    first: dict[str, TocEntry] = {}
    for e in entries:
        if e.fragment:
            first.setdefault(e.fragment, e)
    return [first[a] for a in anchors_in_order(body, list(first))]


def _chapter(draft: _Draft, number: int) -> Chapter | None:
    box = new_container()
    for part in draft.parts:
        part.tag = "div"  # a copied <body> or a segment container: one block each
        for key in list(part.attrib):
            del part.attrib[key]
        box.append(part)
    title = draft.title or _first_heading(box)
    drop_title_heading(box, title)
    text = element_to_text(box)
    if not text.strip():
        return None
    html = sanitize_html(inner_html(box)) or None
    return Chapter(number=number, title=clean(title) or None, text=text, html=html)


def read_generic_epub(book: EpubBook, *, source_format: str = "epub") -> Work:
    """Build a ``Work`` from any EPUB's OPF metadata and spine."""
    skip = front_matter_paths(book)
    docs = [d for d in book.text_documents() if d.path not in skip and book.has(d.path)]
    chapters: list[Chapter] = []
    for draft in _drafts(book, docs):
        ch = _chapter(draft, len(chapters) + 1)
        if ch is not None:
            chapters.append(ch)
    if not chapters:
        raise MalformedFile(f"{book.filename}: the EPUB has no readable text in its spine")
    md = book.metadata
    url = source_url(book)
    host, work_id = work_url_parts(url)
    is_ao3 = bool(work_id) and (host or "").endswith("archiveofourown.org")
    title = md.title or chapters[0].title or posixpath.splitext(book.filename)[0]
    return Work(
        title=title,
        authors=md.creators,
        summary=description_text(md.description),
        language=md.language,
        ao3_id=work_id if is_ao3 else None,
        url=work_url(host, work_id) if is_ao3 else url,
        source_format=source_format,
        chapters=tuple(chapters),
    )
