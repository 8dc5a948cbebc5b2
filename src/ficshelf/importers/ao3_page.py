"""A saved AO3 work page or chapter page (any otwarchive site) to a ``Work``.

The page has the tag block ``dl.work.meta.group`` (each ``dd`` classed by what it
holds: ``rating tags``, ``fandom tags``, ``language``, ``series``, ``stats`` ...)
and ``div#workskin``::

    div.preface.group        h2.title, h3.byline, div.summary, div.notes (blockquote.userstuff)
    div#chapters             either  h3.landmark "Work Text:" + div.userstuff       (one chapter)
                             or      div.chapter#chapter-N, one per chapter shown:
                                       div.chapter.preface.group (h3.title "Chapter N: Title",
                                         h4.byline, div#summary, div#notes)
                                       div.userstuff.module (h3.landmark "Chapter Text" + text)
                                       div.chapter.preface.group > div.end.notes (chapter end notes)
    div.afterword.preface    div#work_endnotes, div#series, div#children

A chapter page holds one chapter of many: ``chapters`` then holds only that one
(with its real number) while ``chapter_count``/``chapters_expected`` say what AO3
states for the whole work. AO3 shows the work's summary and notes only with the
first chapter and its end notes only with the last.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3dom import (
    block_text,
    byline_names,
    chapter_heading,
    children,
    has_class,
    select,
    story_body,
    text_of,
    work_url,
    work_url_parts,
)
from ficshelf.importers._ao3meta import fields_to_meta
from ficshelf.importers.ao3_download import series_from_links
from ficshelf.model import Chapter, SeriesRef, Work

__all__ = ["SOURCE_FORMAT", "find_work_page", "work_from_page"]

SOURCE_FORMAT = "ao3-page"

_WORK_PARTS = etree.XPath(
    "//dl[contains(@class, 'meta')][contains(@class, 'work')] | //div[@id='workskin']"
)
# Where the page names its own address (host and work) and its work id, best first.
_ADDRESS = etree.XPath("//meta[@property='og:url']/@content | //link[@rel='canonical']/@href")
_ID_SOURCES = tuple(
    etree.XPath(x)
    for x in (
        "//input[@id='kudo_commentable_id']/@value",
        "//li[contains(@class, 'share')]//a/@href",
        "//li[contains(@class, 'download')]//a/@href",
        "//form[contains(@action, '/works/')]/@action",
    )
)
_CHAPTER_ID = re.compile(r"^chapter-(\d+)$")
_TAG_CLASS = {
    "rating": "Rating",
    "warning": "Archive Warning",
    "category": "Category",
    "fandom": "Fandom",
    "relationship": "Relationship",
    "character": "Character",
    "freeform": "Additional Tags",
    "collections": "Collections",
}


def find_work_page(doc: Any) -> tuple[Any, Any] | None:
    """(``dl.work.meta``, ``div#workskin``) of a saved work page, or None."""
    meta = workskin = None
    for el in select(_WORK_PARTS, doc):
        if el.tag == "dl" and meta is None and has_class(el, "work") and has_class(el, "meta"):
            meta = el
        elif el.tag == "div" and workskin is None:
            workskin = el
    if workskin is None:
        return None
    return meta, workskin


def _stats_text(dd: Any) -> str:
    """ "Published: 2019-02-15 Updated: ... Words: 70,561 Chapters: 14/? Kudos: 96 ..." """
    parts: list[str] = []
    for el in dd.iter("dt", "dd"):
        parts.append(text_of(el))
    return " ".join(parts) if parts else text_of(dd)


def _meta_fields(dl: Any) -> tuple[list[tuple[str, list[str]]], tuple[SeriesRef, ...]]:
    pairs: list[tuple[str, list[str]]] = []
    series: tuple[SeriesRef, ...] = ()
    for dd in children(dl):
        if dd.tag != "dd":
            continue
        classes = (dd.get("class") or "").split()
        kind = next((c for c in classes if c in _TAG_CLASS or c in {"language", "series", "stats"}), None)
        if kind is None:
            continue
        if kind in _TAG_CLASS:
            tags = [text_of(a) for a in dd.iter("a") if has_class(a, "tag")]
            if not tags:  # older skins: plain links
                tags = [text_of(a) for a in dd.iter("a")]
            pairs.append((_TAG_CLASS[kind], tags))
        elif kind == "language":
            pairs.append(("Language", [text_of(dd)]))
        elif kind == "series":
            series = _series(dd)
        else:
            pairs.append(("Stats", [_stats_text(dd)]))
    return pairs, series


def _series(el: Any) -> tuple[SeriesRef, ...]:
    refs: list[SeriesRef] = []
    positions = [span for span in el.iter("span") if has_class(span, "position")]
    for pos in positions or [el]:
        refs.extend(series_from_links(pos))
    return tuple(refs)


def _blockquote(el: Any | None) -> str | None:
    if el is None:
        return None
    bq = el.find("blockquote")
    return block_text(bq) if bq is not None else None


def _chapter_title(h3: Any) -> tuple[int | None, str | None, str | None]:
    """(number stated in the heading, chapter title, chapter address) from h3.title.

    The heading is ``<a href=".../chapters/N">Chapter 2</a>: Title``; the title
    itself may contain colons.
    """
    link = h3.find("a")
    href = link.get("href") if link is not None else None
    number, title = chapter_heading(text_of(h3))
    return number, title, href


def _chapter(div: Any, fallback_number: int) -> tuple[Chapter, str | None]:
    number = None
    m = _CHAPTER_ID.match(div.get("id") or "")
    if m:
        number = int(m.group(1))
    title = summary = notes = end_notes = href = None
    body = None
    for el in children(div):
        if el.tag != "div":
            continue
        if has_class(el, "userstuff"):
            body = story_body(el)
        elif has_class(el, "preface"):
            for part in children(el):
                if part.tag == "h3" and has_class(part, "title"):
                    stated, title, href = _chapter_title(part)
                    number = number if number is not None else stated
                elif has_class(part, "summary"):
                    summary = _blockquote(part)
                elif has_class(part, "end") and has_class(part, "notes"):
                    end_notes = _blockquote(part)
                elif has_class(part, "notes"):
                    notes = _blockquote(part)
    chapter = Chapter(
        number=number if number is not None else fallback_number,
        title=title,
        summary=summary,
        notes=notes,
        end_notes=end_notes,
        text=body.text if body else "",
        html=body.html if body else None,
    )
    return chapter, href


def _chapters(region: Any) -> tuple[tuple[Chapter, ...], str | None]:
    chapters: list[Chapter] = []
    first_href: str | None = None
    single: list[Any] = []
    for el in children(region):
        if el.tag != "div":
            continue
        if has_class(el, "chapter"):
            chapter, href = _chapter(el, len(chapters) + 1)
            chapters.append(chapter)
            first_href = first_href or href
        elif has_class(el, "userstuff"):
            single.append(el)
    if not chapters and single:
        bodies = [story_body(el) for el in single]
        chapters.append(Chapter(number=1, text="\n\n".join(b.text for b in bodies if b.text),
                                html="".join(b.html for b in bodies)))
    return tuple(chapters), first_href


def _site(doc: Any, chapter_href: str | None) -> tuple[str | None, str | None]:
    """(host, work id) of the page's own work; host None means archiveofourown.org."""
    host: str | None = None
    for value in select(_ADDRESS, doc):
        h, wid = work_url_parts(str(value))
        host = host or h
        if h and wid:
            return h, wid
    for xpath in _ID_SOURCES:
        for value in select(xpath, doc):
            v = str(value).strip()
            wid = v if v.isdigit() else work_url_parts(v)[1]
            if wid:
                return host, wid
    return host, work_url_parts(chapter_href)[1]


def work_from_page(doc: Any, parts: tuple[Any, Any], *, filename: str = "") -> Work:
    """Build the ``Work`` shown by a saved work or chapter page."""
    meta_dl, workskin = parts
    shown = filename or "the input"
    pairs, series = _meta_fields(meta_dl) if meta_dl is not None else ([], ())
    meta = fields_to_meta(pairs)

    title = ""
    authors: tuple[str, ...] = ()
    summary = notes = end_notes = None
    chapters: tuple[Chapter, ...] = ()
    chapter_href: str | None = None
    for el in children(workskin):
        if el.tag != "div":
            continue
        if el.get("id") == "chapters":
            chapters, chapter_href = _chapters(el)
        elif has_class(el, "afterword"):
            for part in children(el):
                if has_class(part, "end") and has_class(part, "notes"):
                    end_notes = _blockquote(part)
                elif part.get("id") == "series" and not series:
                    series = _series(part)
        elif has_class(el, "preface"):
            for part in children(el):
                if part.tag == "h2" and has_class(part, "title"):
                    title = text_of(part)
                elif has_class(part, "byline"):
                    authors = byline_names(part)
                elif has_class(part, "summary"):
                    summary = _blockquote(part)
                elif has_class(part, "notes"):
                    notes = _blockquote(part)
    if not title:
        raise MalformedFile(f"{shown}: AO3 work page without a title (h2.title in #workskin)")
    if not chapters:
        raise MalformedFile(f"{shown}: AO3 work page without chapter text (#chapters in #workskin)")
    host, work_id = _site(doc, chapter_href)
    return Work(
        title=title,
        authors=authors,
        summary=summary,
        notes=notes,
        end_notes=end_notes,
        **meta.work_fields(series=series),
        ao3_id=work_id,
        url=work_url(host, work_id),
        source_format=SOURCE_FORMAT,
        chapters=chapters,
    )
