"""FanFicFare EPUBs to a ``Work``.

FanFicFare (``fanficfare/writers/writer_epub.py``) writes ``OEBPS/title_page.xhtml``
(body class ``fff_titlepage``): an ``<h3>`` with the title linked to the story and
"by" the author links, then one ``<b>Label:</b> value<br />`` line per entry of
its ``titlepage_entries`` setting (or a two-column table when
``titlepage_use_table`` is on). Chapters are ``OEBPS/file0001.xhtml``... (body class
``fff_chapter``) that open with ``<h3 class="fff_chapter_title">``; the chapter's
original title is also in ``<meta name="chapterorigtitle">``. The OPF carries
``dc:contributor`` "FanFicFare [...]", the story URL as ``dc:source`` and, as
``dc:subject``, each genre/category/character/relationship tag on its own.

Labels are FanFicFare's defaults (``defaults.ini``): for AO3 stories "Category"
holds the fandoms and "Genre" the additional tags plus AO3's categories. List
values are joined with ", ", so a tag that contains a comma is found again with
the ``dc:subject`` list (``split_with_known``).

>>> split_with_known("Angst, Hurt, Comfort, Fluff", {"Hurt, Comfort", "Angst", "Fluff"})
['Angst', 'Hurt, Comfort', 'Fluff']
"""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3book import chapter_number_title
from ficshelf.importers._ao3dom import clean, text_of, work_url, work_url_parts
from ficshelf.importers._epubcontainer import EpubBook
from ficshelf.importers._genericepub import description_text, drop_title_heading, source_url
from ficshelf.importers._htmltext import element_to_text, inner_html, sanitize_html
from ficshelf.importers._segments import new_container
from ficshelf.model import ArchiveWarning, Category, Chapter, Rating, SeriesRef, Stats, Tags, Work

__all__ = ["SOURCE_FORMAT", "is_fanficfare", "read_fanficfare", "split_with_known", "title_page_fields"]

SOURCE_FORMAT = "fanficfare-epub"

_SERIES = re.compile(r"^(.*?)\s*\[(\d+)\]\s*$")
_SERIES_ID = re.compile(r"/series/(\d+)")
_INT = re.compile(r"\d[\d,.\s]*")
_FRONT = frozenset({"title_page", "toc_page", "log_page", "cover"})
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%m/%d/%Y", "%d.%m.%Y")


def _key(label: str) -> str:
    return re.sub(r"[^a-z]", "", label.casefold())


def split_with_known(value: str, known: Collection[str]) -> list[str]:
    """Split a ", "-joined list, keeping together runs of pieces that form a known tag."""
    pieces = [p.strip() for p in value.split(", ")]
    pieces = [p for p in pieces if p]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        j = len(pieces)
        while j > i + 1 and ", ".join(pieces[i:j]) not in known:
            j -= 1
        out.append(", ".join(pieces[i:j]))
        i = j
    return out


def is_fanficfare(book: EpubBook) -> bool:
    """True for an EPUB written by FanFicFare (or its predecessor FanFictionDownLoader)."""
    md = book.metadata
    marks = ("fanficfare", "fanficdownloader", "fanfictiondownloader")
    if any(any(m in c.casefold() for m in marks) for c in md.contributors):
        return True
    if any(v.casefold().startswith(marks) for _, v in md.identifiers):
        return True
    page = _title_page_path(book)
    if page is None:
        return False
    body = book.body(page)
    return "fff_titlepage" in (body.get("class") or "").split()


def _title_page_path(book: EpubBook) -> str | None:
    for item in book.spine:
        stem = posixpath.splitext(posixpath.basename(item.path))[0]
        if item.idref == "title_page" or stem == "title_page":
            return item.path
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class _Field:
    label: str
    text: str
    el: Any  # the value's markup, in a container


def _value_nodes(b: Any) -> Iterator[Any]:
    sib = b.getnext()
    while sib is not None:
        if isinstance(sib.tag, str) and (sib.tag == "br" or (sib.tag == "b" and clean(text_of(sib)).endswith(":"))):
            return
        yield sib
        sib = sib.getnext()


def title_page_fields(body: Any) -> list[_Field]:
    """The ``<b>Label:</b> value<br/>`` (or table) entries of a FanFicFare title page."""
    out: list[_Field] = []
    for b in body.iter("b", "strong"):
        label = clean(text_of(b))
        if not label.endswith(":") or len(label) > 60:
            continue
        box = new_container()
        box.text = b.tail or ""
        parent = b.getparent()
        if parent is not None and parent.tag == "td" and b.getnext() is None and not clean(b.tail):
            cell = parent.getnext()  # table layout: the value is the next cell
            if cell is not None:
                box.text = cell.text or ""
                for child in cell:
                    box.append(_copy(child))
        else:
            for node in _value_nodes(b):
                box.append(_copy(node))
        out.append(_Field(label=label[:-1].strip(), text=element_to_text(box), el=box))
    return out


def _copy(el: Any) -> Any:
    return copy.deepcopy(el)


def _int(text: str) -> int | None:
    m = _INT.search(text)
    if not m:
        return None
    digits = re.sub(r"\D", "", m.group(0))
    return int(digits) if digits else None


def _date(text: str) -> dt.date | None:
    t = clean(text)
    if not t:
        return None
    try:
        return dt.date.fromisoformat(t[:10])
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


@dataclass(slots=True)
class _Collected:
    rating: Rating | None = None
    warnings: list[ArchiveWarning] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def add(self, target: list[Any], values: list[Any]) -> None:
        for v in values:
            if v and v not in target:
                target.append(v)

    def tags(self) -> Tags:
        return Tags(rating=self.rating, warnings=tuple(self.warnings), categories=tuple(self.categories),
                    fandoms=tuple(self.fandoms), relationships=tuple(self.relationships),
                    characters=tuple(self.characters), freeforms=tuple(self.freeforms))


def _ao3_warning(value: str) -> ArchiveWarning | None:
    """An AO3 archive warning written out in full; other sites' warnings ("Violence") stay free tags."""
    w: ArchiveWarning | None = ArchiveWarning.try_parse(value)
    if w is None:
        return None
    names = {_key(w.value)} | ({"choosenottousearchivewarnings"} if w is ArchiveWarning.CHOSE_NOT_TO_WARN else set())
    return w if _key(value) in names else None


def _categorized(values: list[str]) -> tuple[list[Category], list[str]]:
    cats: list[Category] = []
    rest: list[str] = []
    for v in values:
        c = Category.try_parse(v)
        if c is not None:
            cats.append(c)
        else:
            rest.append(v)
    return cats, rest


def _series(f: _Field) -> tuple[SeriesRef, ...]:
    refs: list[SeriesRef] = []
    links = list(f.el.iter("a"))
    items = [(text_of(a), a.get("href") or "") for a in links] or [(f.text, "")]
    for text, href in items:
        m = _SERIES.match(text)
        title, part = (m.group(1), int(m.group(2))) if m else (text, None)
        sid = _SERIES_ID.search(href)
        if clean(title):
            refs.append(SeriesRef(title=clean(title), part=part, ao3_id=sid.group(1) if sid else None))
    return tuple(refs)


def _collect(fields: list[_Field], known: set[str]) -> _Collected:
    c = _Collected()
    for f in fields:
        k = _key(f.label)
        values = split_with_known(f.text, known)
        if k in {"category", "categories", "fandom", "fandoms"}:
            cats, rest = _categorized(values)
            c.add(c.categories, cats)
            c.add(c.fandoms, rest)
        elif k in {"genre", "genres", "ao3categories", "freeformtags", "freefromtags", "additionaltags", "tags", "extratags"}:
            cats, rest = _categorized(values)
            c.add(c.categories, cats)
            c.add(c.freeforms, rest)
        elif k in {"characters", "character"}:
            c.add(c.characters, values)
        elif k in {"relationships", "relationship", "pairing", "pairings", "ships"}:
            c.add(c.relationships, values)
        elif k in {"rating", "ratings"}:
            c.rating = c.rating or next((r for r in (Rating.try_parse(v) for v in values) if r is not None), None)
        elif k in {"warnings", "warning", "archivewarnings", "archivewarning"}:
            for v in values:
                w = _ao3_warning(v)
                if w is not None:
                    c.add(c.warnings, [w])
                else:
                    c.add(c.freeforms, [v])
        elif k == "status":
            low = f.text.casefold()
            c.info["complete"] = True if "complete" in low else False if ("progress" in low or "wip" in low) else None
        elif k in {"published", "datepublished"}:
            c.info["published"] = _date(f.text)
        elif k in {"updated", "dateupdated", "completed"}:
            c.info["updated"] = _date(f.text)
        elif k in {"chapters", "chapterstotalchapters", "numchapters"}:
            posted, _, expected = f.text.partition("/")
            c.info["chapters"] = _int(posted)
            c.info["expected"] = _int(expected) if expected.strip() not in {"", "?"} else None
        elif k in {"words", "numwords", "wordcount"}:
            c.info["words"] = _int(f.text)
        elif k in {"kudos", "hits", "bookmarks", "comments"}:
            c.info[k] = _int(f.text)
        elif k == "language":
            c.info["language"] = clean(f.text) or None
        elif k in {"series", "additionalseries"}:
            c.info.setdefault("series", []).extend(_series(f))
        elif k in {"summary", "description"}:
            c.info["summary"] = f.text.strip() or None
        elif k in {"storyurl", "url"}:
            c.info["url"] = clean(f.text) or None
    return c


def _chapter_title(doc: Any, body: Any) -> str | None:
    head = doc.find("head")
    if head is not None:
        for m in head.iter("meta"):
            if m.get("name") == "chapterorigtitle" and clean(m.get("content")):
                return clean(m.get("content"))
    for h in body.iter("h3", "h2", "h1"):
        return text_of(h) or None
    return None


def _chapters(book: EpubBook, title_page: str | None) -> list[Chapter]:
    out: list[Chapter] = []
    for item in book.text_documents():
        stem = posixpath.splitext(posixpath.basename(item.path))[0]
        if item.path == title_page or item.idref in _FRONT or stem in _FRONT or not item.linear:
            continue
        doc = book.document(item.path)
        body = book.body(item.path)
        box = new_container()
        inner = copy.deepcopy(body)
        inner.tag = "div"
        inner.attrib.clear()
        box.append(inner)
        heading = next(iter(box.iter("h3", "h2", "h1")), None)
        shown = text_of(heading) if heading is not None else None
        drop_title_heading(box, shown)
        text = element_to_text(box)
        if not text.strip():
            continue
        _, title = chapter_number_title(_chapter_title(doc, body) or shown, len(out) + 1)
        out.append(Chapter(number=len(out) + 1, title=title, text=text, html=sanitize_html(inner_html(box)) or None))
    return out


def read_fanficfare(book: EpubBook) -> Work:
    """Build a ``Work`` from a FanFicFare EPUB's title page, OPF and chapter files."""
    md = book.metadata
    title_page = _title_page_path(book)
    fields: list[_Field] = []
    h3_title: str | None = None
    h3_authors: list[str] = []
    h3_url: str | None = None
    if title_page is not None:
        body = book.body(title_page)
        fields = title_page_fields(body)
        h3 = next(iter(body.iter("h3")), None)
        if h3 is not None:
            links = list(h3.iter("a"))
            if links:
                h3_title, h3_url = text_of(links[0]) or None, links[0].get("href")
                h3_authors = [text_of(a) for a in links[1:] if text_of(a)]
    c = _collect(fields, set(md.subjects))
    chapters = _chapters(book, title_page)
    if not chapters:
        raise MalformedFile(f"{book.filename}: a FanFicFare EPUB without chapter text")
    info = c.info
    url = info.get("url") or source_url(book) or h3_url
    host, work_id = work_url_parts(url)
    is_ao3 = bool(work_id) and (host or "").endswith("archiveofourown.org")
    count = info.get("chapters")
    complete = info.get("complete")
    expected = info.get("expected")
    if expected is None and complete and count is not None:
        expected = count
    stats = Stats(kudos=info.get("kudos"), hits=info.get("hits"), bookmarks=info.get("bookmarks"),
                  comments=info.get("comments"))
    return Work(
        title=md.title or h3_title or posixpath.splitext(book.filename)[0],
        authors=md.creators or tuple(h3_authors),
        summary=info.get("summary") or description_text(md.description),
        language=info.get("language") or md.language,
        published=info.get("published"),
        updated=info.get("updated"),
        complete=complete,
        chapter_count=count,
        chapters_expected=expected,
        words=info.get("words"),
        series=tuple(info.get("series") or ()),
        stats=stats,
        tags=c.tags(),
        ao3_id=work_id if is_ao3 else None,
        url=work_url(host, work_id) if is_ao3 else url,
        source_format=SOURCE_FORMAT,
        chapters=tuple(chapters),
    )
