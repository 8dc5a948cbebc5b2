"""PDF importer: AO3's PDF downloads (Chromium prints of the HTML download), and plain PDFs.

AO3's PDF is its HTML download printed by Chromium, page-broken before the
title page, each chapter and the afterword:

    page 1   title, "Posted originally on the Archive of Our Own at <URL>",
             "Rating: Teen And Up Audiences" ... "Stats: Published: ... Words: 4,559 Chapters: 1/1"
             (a value that wraps continues on the next line, in the value column)
    then     the title (large), "by" author, Summary / Notes with their text indented
    then     per chapter: heading "Chapter 2: Title" (large; none for a one-chapter work),
             Chapter Summary / Notes, the text, Chapter End Notes
    last     End Notes, "Please drop by the Archive and comment ..."

The reader cuts at what it can see: the large title, the first page left part
empty after it (the text of a one-chapter work starts on a fresh page), each
chapter heading, and the afterword's first line.

Tag values are split where the PDF drew them apart: each AO3 tag is a link, so
the link annotations on a field's lines give the tags exactly (decoded from
``/tags/<name>``), and the ", " between tags is its own piece of text. Only when
neither is available are values split on ", " (ambiguous for tags with commas).
``/Keywords`` holds the same tags comma-joined, so it cannot settle that
ambiguity; it serves as a check that a field was read at all. ``/Title`` and
``/Author`` are fallbacks for the title page.

>>> ao3_tag_from_uri("https://archiveofourown.org/tags/Hurt*s*Comfort")
'Hurt/Comfort'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from urllib.parse import unquote, urlsplit

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3book import (
    AO3_TAG_FIELDS,
    Block,
    Content,
    Event,
    Fallback,
    Heading,
    Label,
    Preface,
    Quote,
    assemble,
    is_field_label,
    label_key,
)
from ficshelf.importers._ao3dom import clean
from ficshelf.importers._ao3meta import field_for_label, parse_series
from ficshelf.importers._pdflayout import Layout, measure, paragraphs_text
from ficshelf.importers._pdflines import Line, Link, PdfText, read_pdf_text
from ficshelf.model import Chapter, SeriesRef, Work

__all__ = ["NAME", "ao3_tag_from_uri", "parse", "sniff"]

NAME = "pdf"

_POSTED = re.compile(r"^Posted originally on the\s", re.I)
_SEE_END = re.compile(r"^See the end of the (?:work|chapter) for (?:more )?notes\.?$", re.I)
_AFTER = re.compile(r"^(?:Please drop by the Archive and comment|Works inspired by this one)", re.I)
_TAG_PATH = re.compile(r"/tags/([^/?#]+)")
_SERIES_PATH = re.compile(r"/series/(\d+)")
_WORK_PATH = re.compile(r"/works/\d+")
_AO3_ESCAPES = (("*s*", "/"), ("*a*", "&"), ("*d*", "."), ("*q*", "?"), ("*h*", "#"))
_QUOTE_INDENT = 15.0  # points: AO3's blockquote indent is 40px (30pt); chapter text sits 12.75pt in


def sniff(head: bytes, *, filename: str) -> bool:
    return b"%PDF-" in head[:1024] or filename.lower().endswith(".pdf")


def ao3_tag_from_uri(uri: str) -> str | None:
    """The tag name in an AO3 tag address (AO3 writes "/" as "*s*", "." as "*d*" ...)."""
    m = _TAG_PATH.search(urlsplit(uri).path)
    if not m:
        return None
    name = unquote(m.group(1))
    for code, char in _AO3_ESCAPES:
        name = name.replace(code, char)
    return clean(name) or None


def parse(data: bytes, *, filename: str) -> Work:
    shown = os.path.basename(filename) or "the PDF"
    if b"%PDF-" not in data[:1024]:
        raise MalformedFile(f"{shown}: not a PDF (no %PDF header); the file is damaged or mislabelled")
    doc = read_pdf_text(data, filename=shown)
    if not doc.lines:
        raise MalformedFile(f"{shown}: the PDF has no text layer (a scan?); ficshelf cannot read it")
    layout = measure(doc.lines)
    if _is_ao3(doc):
        return _ao3_work(doc, layout, shown)
    return _generic_work(doc, layout, shown)


# --- AO3 --------------------------------------------------------------------------


def _is_ao3(doc: PdfText) -> bool:
    head = [ln for ln in doc.lines if ln.page <= 1]
    if any(_POSTED.match(ln.text) for ln in head):
        return True
    return sum(1 for ln in head if ln.frags and is_field_label(ln.frags[0].text)) >= 3


def _label_of(line: Line) -> str | None:
    first = next((f.text.strip() for f in line.frags if f.text.strip()), "")
    return first if is_field_label(first) else None


def _value_tokens(lines: Sequence[Line], label: str) -> tuple[str, list[str]]:
    """The field's text and its values as drawn apart (", " pieces separate values)."""
    tokens: list[str] = []
    cur = ""
    skipped = False
    for ln in lines:
        if cur:
            cur += " "
        for f in ln.frags:
            if not skipped and f.text.strip() == label:
                skipped = True
                continue
            if f.text.strip() == ",":
                tokens.append(clean(cur))
                cur = ""
            else:
                cur += f.text
    tokens.append(clean(cur))
    tokens = [t for t in tokens if t]
    return clean(", ".join(tokens)), tokens


def _links_on(doc: PdfText, lines: Sequence[Line]) -> list[Link]:
    found = [lk for lk in doc.links if any(lk.on_line(ln) for ln in lines)]
    return sorted(found, key=lambda lk: (lk.page, -lk.y1, lk.x0))


def _field(doc: PdfText, label: str, lines: Sequence[Line]) -> tuple[tuple[str, ...], tuple[SeriesRef, ...]]:
    text, tokens = _value_tokens(lines, label)
    name = field_for_label(label)
    if name in AO3_TAG_FIELDS:
        linked = [t for t in (ao3_tag_from_uri(lk.uri) for lk in _links_on(doc, lines)) if t]
        if linked and clean(", ".join(linked)) == text:
            return tuple(linked), ()
        if len(tokens) > 1 or "," not in text:
            return tuple(tokens), ()
        return tuple(v for v in text.split(", ") if v), ()
    if name == "series":
        refs = parse_series(text)
        ids = [m.group(1) for m in (_SERIES_PATH.search(lk.uri) for lk in _links_on(doc, lines)) if m]
        if len(ids) == len(refs):
            refs = tuple(SeriesRef(title=r.title, part=r.part, ao3_id=i) for r, i in zip(refs, ids, strict=True))
        return (text,), refs
    return (text,), ()


def _fields(doc: PdfText, lines: Sequence[Line]) -> tuple[list[tuple[str, tuple[str, ...]]], tuple[SeriesRef, ...], int]:
    """Labelled fields at the start of ``lines``; also how many lines they used."""
    fields: list[tuple[str, tuple[str, ...]]] = []
    series: tuple[SeriesRef, ...] = ()
    groups: list[tuple[str, list[Line]]] = []
    used = 0
    for i, ln in enumerate(lines):
        label = _label_of(ln)
        if label is not None:
            groups.append((label, [ln]))
        elif groups and ln.x > groups[-1][1][0].x + 20:
            groups[-1][1].append(ln)
        elif groups:
            break
        else:
            continue
        used = i + 1
    for label, group in groups:
        values, refs = _field(doc, label, group)
        fields.append((label, values))
        series = series or refs
    return fields, series, used


def _work_uri(doc: PdfText) -> str | None:
    return next((lk.uri for lk in doc.links if lk.page <= 1 and _WORK_PATH.search(lk.uri)), None)


def _byline(line: Line) -> tuple[str, ...]:
    text = line.text
    if not text.casefold().startswith("by "):
        return ()
    _, tokens = _value_tokens([line], "")
    if tokens and tokens[0].casefold().startswith("by "):
        tokens[0] = tokens[0][3:]
    names = [clean(t) for t in tokens if clean(t)]
    return tuple(names) if names else tuple(n.strip() for n in text[3:].split(", ") if n.strip())


def _gap(a: Line, b: Line) -> float:
    return a.y - b.y if a.page == b.page else 0.0


def _quote_events(lines: Sequence[Line], layout: Layout, *, content: bool) -> Iterator[Event]:
    """Labels with their indented text; with ``content``, everything else is story text."""
    i = 0
    body: list[Line] = []
    while i < len(lines):
        ln = lines[i]
        if label_key(ln.text) is not None and not layout.is_heading(ln):
            if body:
                yield Content(Block(text=paragraphs_text(body, layout)))
                body = []
            yield Label(ln.text)
            j = i + 1
            quote: list[Line] = []
            while j < len(lines) and lines[j].x >= ln.x + _QUOTE_INDENT and not layout.is_small(lines[j]) \
                    and not layout.is_heading(lines[j]) and label_key(lines[j].text) is None \
                    and not _AFTER.match(lines[j].text):
                if not content and quote and _gap(quote[-1], lines[j]) > 3 * layout.pitch:
                    break  # preface/afterword: an indented list after the notes (translations) is no note
                quote.append(lines[j])
                j += 1
            if quote:
                yield Quote(Block(text=paragraphs_text(quote, layout)))
            i = j
            continue
        if _SEE_END.match(ln.text) or (layout.is_small(ln) and _SEE_END.match(ln.text)):
            i += 1
            continue
        if _AFTER.match(ln.text):
            break
        if content:
            body.append(ln)
        i += 1
    if body:
        yield Content(Block(text=paragraphs_text(body, layout)))


def _is_afterword_start(line: Line) -> bool:
    return label_key(line.text) == "end_notes" or bool(_AFTER.match(line.text))


def _title_page_end(lines: Sequence[Line], start: int, layout: Layout) -> int:
    """Where the title page (title, byline, Summary, Notes) ends: the first forced page break or heading."""
    for i in range(start + 1, len(lines)):
        ln, prev = lines[i], lines[i - 1]
        if layout.is_heading(ln) or _is_afterword_start(ln):
            return i
        if ln.page != prev.page and not layout.page_full(prev):
            return i
    return len(lines)


def _body_events(lines: Sequence[Line], layout: Layout, *, title: str | None) -> list[Event]:
    """Chapters (cut at their headings; one hidden chapter when there are none) and the afterword."""
    after = next((i for i, ln in enumerate(lines) if _is_afterword_start(ln)), len(lines))
    chapter_lines, afterword = lines[:after], lines[after:]
    events: list[Event] = []
    has_headings = any(layout.is_heading(ln) for ln in chapter_lines)
    i = 0
    while i < len(chapter_lines):
        heading: list[str] = []
        while i < len(chapter_lines) and layout.is_heading(chapter_lines[i]):
            heading.append(chapter_lines[i].text)
            i += 1
        j = i
        while j < len(chapter_lines) and not layout.is_heading(chapter_lines[j]):
            j += 1
        if heading:
            events.append(Heading(" ".join(heading), kind="chapter"))
        elif not has_headings:
            events.append(Heading(title or "", kind="hidden"))
        events.extend(_quote_events(chapter_lines[i:j], layout, content=True))
        i = j
    if afterword:
        events.append(Heading("Afterword", kind="afterword"))
        events.extend(e for e in _quote_events(afterword, layout, content=False) if not isinstance(e, Content))
    return events


def _ao3_work(doc: PdfText, layout: Layout, shown: str) -> Work:
    lines = doc.lines
    message_title = lines[0].text if lines[0].bold else None
    h1 = next((i for i, ln in enumerate(lines) if i > 0 and layout.is_heading(ln)), None)
    if h1 is None:
        raise MalformedFile(f"{shown}: an AO3 PDF without its title page; the file may be truncated")
    fields, series, _ = _fields(doc, [ln for ln in lines[:h1] if not _POSTED.match(ln.text)])
    title = lines[h1].text
    end = _title_page_end(lines, h1, layout)
    authors: tuple[str, ...] = ()
    pre_lines: list[Line] = []
    for ln in lines[h1 + 1:end]:
        if not authors and ln.text.casefold().startswith("by "):
            authors = _byline(ln)
        else:
            pre_lines.append(ln)
    events: list[Event] = list(_quote_events(pre_lines, layout, content=False))
    events.extend(_body_events(lines[end:], layout, title=title))
    info = doc.info
    fallback = Fallback(title=clean(info.get("Title")) or message_title,
                        authors=tuple(a.strip() for a in info.get("Author", "").split(", ") if a.strip()))
    preface = Preface(title=title or message_title, authors=authors, fields=tuple(fields), series=series,
                      work_url=_work_uri(doc))
    return assemble(preface, events, source_format="ao3-pdf", fallback=fallback, filename=shown)


# --- any other PDF --------------------------------------------------------------------


def _generic_work(doc: PdfText, layout: Layout, shown: str) -> Work:
    chapters: list[Chapter] = []
    title: str | None = None
    body: list[Line] = []

    def flush() -> None:
        text = paragraphs_text(body, layout)
        if text.strip():
            chapters.append(Chapter(number=len(chapters) + 1, title=title, text=text))

    for ln in doc.lines:
        if layout.is_heading(ln) and len(ln.text) <= 200:
            if body:
                flush()
                body = []
                title = ln.text
            else:
                title = f"{title} {ln.text}" if title else ln.text
            continue
        body.append(ln)
    flush()
    if not chapters:
        raise MalformedFile(f"{shown}: the PDF holds no running text ficshelf can read")
    info = doc.info
    work_title = clean(info.get("Title")) or (chapters[0].title if len(chapters) == 1 else None) or os.path.splitext(shown)[0]
    return Work(
        title=work_title,
        authors=tuple(a.strip() for a in info.get("Author", "").split(", ") if a.strip()),
        source_format="pdf",
        chapters=tuple(chapters),
    )
