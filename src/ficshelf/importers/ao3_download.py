"""AO3's "Download → HTML" file (and the same markup inside AO3's EPUB/MOBI) to a ``Work``.

The download has three regions (otwarchive ``app/views/downloads``)::

    div#preface    p.message (title, work address), div.meta: dl.tags (dt label / dd links),
                   h1 title, div.byline, <p>Summary</p><blockquote>, <p>Notes</p><blockquote>
    div#chapters   one chapter: div.userstuff
                   several: per chapter div.meta.group (h2 "Chapter N: Title", "Chapter Summary",
                   "Chapter Notes"), div.userstuff, div.meta#endnotesN ("Chapter End Notes")
    div#afterword  div#endnotes ("End Notes"), works inspired by this one

``download_regions`` finds them in a parsed document; ``work_from_download``
builds the ``Work``. Both are public so the ebook importers can reuse them on
the XHTML inside AO3's EPUB and MOBI files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3dom import (
    block_text,
    byline_names,
    chapter_heading,
    children,
    clean,
    has_class,
    select,
    story_body,
    text_of,
    work_url,
    work_url_parts,
)
from ficshelf.importers._ao3meta import Meta, field_for_label, fields_to_meta
from ficshelf.model import Chapter, SeriesRef, Work

__all__ = ["SOURCE_FORMAT", "DownloadRegions", "download_regions", "series_from_links", "work_from_download"]

SOURCE_FORMAT = "ao3-html"

_REGIONS = etree.XPath("//div[@id='preface' or @id='chapters' or @id='afterword']")
_PART_OF = re.compile(r"Part\s+(\d+)\s+of\s*(?:the\s*)?$", re.I)
_SERIES_ID = re.compile(r"/series/(\d+)")
_TAG_FIELDS = frozenset(
    {"rating", "warnings", "categories", "fandoms", "relationships", "characters", "freeforms", "collections"}
)


@dataclass(frozen=True, slots=True)
class DownloadRegions:
    preface: Any
    chapters: Any
    afterword: Any | None


def download_regions(doc: Any) -> DownloadRegions | None:
    """The preface, chapters and afterword of an AO3 download, or None if it is not one."""
    found: dict[str, Any] = {}
    for el in select(_REGIONS, doc):
        found.setdefault(str(el.get("id")), el)
    if "preface" not in found or "chapters" not in found:
        return None
    if found["preface"].find(".//dl") is None:
        return None
    return DownloadRegions(found["preface"], found["chapters"], found.get("afterword"))


def series_from_links(dd: Any) -> tuple[SeriesRef, ...]:
    """Series from "Part 1 of <a href=".../series/15213">Title</a>, Part 2 of <a>...</a>".

    >>> from lxml import html
    >>> dd = html.fragment_fromstring('<dd>Part 1 of <a href="/series/9">A, B</a>, Part 3 of the <a href="/series/7">C</a> series</dd>')
    >>> series_from_links(dd)
    (SeriesRef(title='A, B', part=1, ao3_id='9'), SeriesRef(title='C', part=3, ao3_id='7'))
    """
    refs: list[SeriesRef] = []
    for a in dd.iter("a"):
        m = _SERIES_ID.search(a.get("href") or "")
        if m is None:
            continue
        prev = a.getprevious()
        before = (prev.tail if prev is not None else a.getparent().text) or ""
        part = _PART_OF.search(clean(before))
        refs.append(SeriesRef(title=text_of(a), part=int(part.group(1)) if part else None, ao3_id=m.group(1)))
    return tuple(refs)


def _labelled_fields(dl: Any) -> tuple[Meta, tuple[SeriesRef, ...]]:
    pairs: list[tuple[str, list[str]]] = []
    series: tuple[SeriesRef, ...] = ()
    label = ""
    for el in children(dl):
        if el.tag == "dt":
            label = text_of(el)
            continue
        if el.tag != "dd" or not label:
            continue
        name = field_for_label(label)
        if name in _TAG_FIELDS:
            links = [text_of(a) for a in el.iter("a")]
            pairs.append((label, links or text_of(el).split(", ")))
        elif name == "series":
            series = series_from_links(el)
            pairs.append((label, [text_of(el)]))
        else:
            pairs.append((label, [text_of(el)]))
    meta = fields_to_meta(pairs)
    return meta, series or meta.series


def _labelled_blocks(container: Any) -> dict[str, str]:
    """``<p>Summary</p><blockquote>`` pairs inside a preface or chapter meta block."""
    out: dict[str, str] = {}
    label = ""
    for el in children(container):
        if el.tag == "p" and not el.get("class"):
            label = text_of(el).casefold()
        elif el.tag == "blockquote" and label:
            text = block_text(el)
            if text:
                key = "summary" if "summary" in label else "end_notes" if "end" in label else "notes"
                out[key] = text
            label = ""
    return out


@dataclass(slots=True)
class _Pending:
    number: int
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    text: str = ""
    html: str | None = None

    def build(self) -> Chapter:
        return Chapter(number=self.number, title=self.title, summary=self.summary, notes=self.notes,
                       end_notes=self.end_notes, text=self.text, html=self.html)


def _chapter_head(meta_group: Any, fallback_number: int) -> _Pending:
    heading = meta_group.find("h2")
    number, title = chapter_heading(text_of(heading) if heading is not None else "")
    pending = _Pending(number=number if number is not None else fallback_number, title=title)
    blocks = _labelled_blocks(meta_group)
    pending.summary = blocks.get("summary")
    pending.notes = blocks.get("notes")
    return pending


def _chapters(region: Any) -> tuple[Chapter, ...]:
    done: list[Chapter] = []
    current: _Pending | None = None
    for el in children(region):
        if el.tag != "div":
            continue
        if has_class(el, "userstuff"):
            if current is None or current.html is not None:
                if current is not None:
                    done.append(current.build())
                current = _Pending(number=len(done) + 1)
            body = story_body(el)
            current.text, current.html = body.text, body.html
        elif has_class(el, "meta") and has_class(el, "group"):
            if current is not None:
                done.append(current.build())
            current = _chapter_head(el, len(done) + 1)
        elif has_class(el, "meta") and (el.get("id") or "").startswith("endnotes") and current is not None:
            current.end_notes = _labelled_blocks(el).get("end_notes") or block_text(el.find("blockquote"))
    if current is not None:
        done.append(current.build())
    return tuple(done)


def work_from_download(regions: DownloadRegions, *, filename: str = "") -> Work:
    """Build the ``Work`` held by an AO3 download's three regions."""
    meta_block = next((el for el in children(regions.preface) if has_class(el, "meta")), None)
    if meta_block is None:
        raise MalformedFile(f"{filename or 'the input'}: AO3 download without its preface block (div.meta)")
    meta = Meta()
    series: tuple[SeriesRef, ...] = ()
    title = ""
    authors: tuple[str, ...] = ()
    for el in children(meta_block):
        if el.tag == "dl":
            meta, series = _labelled_fields(el)
        elif el.tag == "h1":
            title = text_of(el)
        elif has_class(el, "byline"):
            authors = byline_names(el)
    blocks = _labelled_blocks(meta_block)

    host, work_id = None, None
    message = next((el for el in children(regions.preface) if has_class(el, "message")), None)
    if message is not None:
        for a in message.iter("a"):
            host, work_id = work_url_parts(a.get("href"))
            if work_id:
                break
        if not title:
            b = message.find("b")
            title = text_of(b) if b is not None else ""
    if not title:
        raise MalformedFile(f"{filename or 'the input'}: AO3 download without a title")

    end_notes = None
    if regions.afterword is not None:
        for el in regions.afterword.iter("div"):
            if el.get("id") == "endnotes":
                end_notes = _labelled_blocks(el).get("end_notes") or block_text(el.find("blockquote"))
                break

    chapters = _chapters(regions.chapters)
    if not chapters:
        raise MalformedFile(f"{filename or 'the input'}: AO3 download without chapter text")
    return Work(
        title=title,
        authors=authors,
        summary=blocks.get("summary"),
        notes=blocks.get("notes"),
        end_notes=end_notes,
        **meta.work_fields(series=series),
        ao3_id=work_id,
        url=work_url(host, work_id),
        source_format=SOURCE_FORMAT,
        chapters=chapters,
    )
