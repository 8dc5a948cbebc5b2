"""EPUB 3 export, valid per epubcheck, laid out like AO3's own EPUB so it re-imports with its tags.

The archive holds ``mimetype`` (first, stored), ``META-INF/container.xml``, and in
``OEBPS/``: ``content.opf`` (package 3.0: dc:identifier, title, language,
creators, ``dcterms:modified``, description, subjects, series), ``nav.xhtml``,
``style.css``, ``titlepage.xhtml`` (AO3's preface: labelled tag list, title, byline,
summary, notes), one ``chapter-NNN.xhtml`` per chapter (heading, chapter summary
and notes, the text from ``Chapter.html`` when present else from the text's
paragraphs, chapter end notes) and ``afterword.xhtml`` for the work's end notes.
The output is deterministic for a given work (fixed zip timestamps, an identifier
derived from the work), except that ``dcterms:modified`` is the export time when
the work carries no dates. A work without authors gets no byline and no
``dc:creator`` rather than an invented name.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from html import escape

from lxml import etree

from ficshelf.errors import ExportError
from ficshelf.export._common import (
    chapter_heading,
    labelled_block,
    language_code,
    preface_rows,
    text_to_html,
    xml_safe,
)
from ficshelf.export._xhtml import xhtml_fragment
from ficshelf.model import Chapter, Work

__all__ = ["MEDIA_TYPE", "NAME", "SUFFIX", "export"]

NAME = "epub"
SUFFIX = ".epub"
MEDIA_TYPE = "application/epub+zip"

_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_NS_UUID = uuid.UUID("5d6f2a4e-8f3b-4c1e-9a57-3c1f0b7e2d64")  # ficshelf's namespace for work ids

_CSS = """\
.toc-heading { display: none; }
body { font-family: serif; line-height: 1.4; margin: 0 1em; }
h1, h2 { text-align: center; }
.message, .byline { text-align: center; }
dl.tags dt { font-weight: bold; margin-top: 0.5em; }
dl.tags dd { margin-left: 2em; }
blockquote.userstuff { margin: 0.5em 2em; font-style: italic; }
hr { margin: 1.5em 25%; }
p.scene-break, .center, .align-center { text-align: center; }
.align-right { text-align: right; }
.big { font-size: larger; }
"""


def _e(text: str) -> str:
    return escape(xml_safe(text), quote=True)


def _document(title: str, body: str, *, lang: str, epub_ns: bool = False) -> str:
    ns = ' xmlns:epub="http://www.idpf.org/2007/ops"' if epub_ns else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"{ns} xml:lang="{lang}" lang="{lang}">\n'
        f"<head>\n<meta charset=\"utf-8\"/>\n<title>{_e(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _labelled(label: str, text: str | None) -> str:
    return labelled_block(label, text, indent="")


def _preface(work: Work) -> str:
    rows = preface_rows(work, indent="")
    byline = f'<div class="byline">by {_e(", ".join(work.authors))}</div>\n' if work.authors else ""
    message = f"<b>{_e(work.title)}</b>"
    if work.url and "archiveofourown.org/works/" in work.url:
        message += (f'<br/>\nPosted originally on the Archive of Our Own at '
                    f'<a href="{_e(work.url)}">{_e(work.url)}</a>.')
    return (
        '<div id="preface">\n'
        '<h2 class="toc-heading">Preface</h2>\n'
        f'<p class="message">{message}</p>\n'
        '<div class="meta">\n<dl class="tags">\n' + "\n".join(rows) + "\n</dl>\n"
        f"<h1>{_e(work.title)}</h1>\n"
        + byline
        + _labelled("Summary", work.summary)
        + _labelled("Notes", work.notes)
        + "</div>\n</div>"
    )


def _chapter_body(chapter: Chapter) -> str:
    if chapter.html:
        body = xhtml_fragment(chapter.html)
        if body:
            return body
    return text_to_html(chapter.text)


def _chapter(chapter: Chapter) -> str:
    meta = (
        '<div class="meta group">\n'
        f'<h2 class="heading">{_e(chapter_heading(chapter))}</h2>\n'
        + _labelled("Chapter Summary", chapter.summary)
        + _labelled("Chapter Notes", chapter.notes)
        + "</div>\n"
    )
    end = ""
    if chapter.end_notes:
        end = (f'<div class="meta" id="endnotes{chapter.number}">\n'
               + _labelled("Chapter End Notes", chapter.end_notes) + "</div>\n")
    return (f'<div id="chapters" class="userstuff">\n{meta}'
            f'<div class="userstuff">\n{_chapter_body(chapter)}\n</div>\n{end}</div>')


def _afterword(work: Work) -> str:
    return ('<div id="afterword">\n<h2 class="toc-heading">Afterword</h2>\n'
            f'<div id="endnotes">\n{_labelled("End Notes", work.end_notes)}</div>\n</div>')


def _identifier(work: Work) -> str:
    if work.ao3_id:
        key = f"ao3:{work.ao3_id}"
    elif work.url:
        key = work.url
    else:
        key = "\x1f".join([work.title, *work.authors, *(c.text[:200] for c in work.chapters[:1])])
    return f"urn:uuid:{uuid.uuid5(_NS_UUID, key)}"


def _modified(work: Work, when: dt.datetime | None) -> str:
    if when is None:
        day = work.updated or work.published
        when = (dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day
                else dt.datetime.now(dt.UTC))
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _opf(work: Work, files: list[tuple[str, str, str]], *, lang: str, modified: str) -> str:
    meta = [
        f'<dc:identifier id="bookid">{_e(_identifier(work))}</dc:identifier>',
        f"<dc:title>{_e(work.title)}</dc:title>",
        f"<dc:language>{_e(lang)}</dc:language>",
    ]
    for n, author in enumerate(work.authors, start=1):
        meta.append(f'<dc:creator id="creator{n}">{_e(author)}</dc:creator>')
        meta.append(f'<meta refines="#creator{n}" property="role" scheme="marc:relators">aut</meta>')
    if work.summary:
        meta.append(f"<dc:description>{_e(work.summary)}</dc:description>")
    if work.published:
        meta.append(f"<dc:date>{work.published.isoformat()}</dc:date>")
    if work.url:
        meta.append(f"<dc:source>{_e(work.url)}</dc:source>")
    t = work.tags
    subjects = [*(c.value for c in t.categories), *t.fandoms, *t.relationships, *t.characters, *t.freeforms]
    if t.rating:
        subjects.insert(0, t.rating.value)
    meta.extend(f"<dc:subject>{_e(s)}</dc:subject>" for s in dict.fromkeys(subjects))
    for n, s in enumerate(work.series, start=1):
        meta.append(f'<meta property="belongs-to-collection" id="series{n}">{_e(s.title)}</meta>')
        meta.append(f'<meta refines="#series{n}" property="collection-type">series</meta>')
        if s.part is not None:
            meta.append(f'<meta refines="#series{n}" property="group-position">{s.part}</meta>')
    meta.append(f'<meta property="dcterms:modified">{modified}</meta>')
    meta.append('<meta name="generator" content="ficshelf"/>')
    manifest = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
                '<item id="css" href="style.css" media-type="text/css"/>']
    manifest += [f'<item id="{fid}" href="{href}" media-type="application/xhtml+xml"/>' for fid, href, _ in files]
    spine = [f'<itemref idref="{fid}"/>' for fid, _, _ in files]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="{lang}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(meta) + "\n</metadata>\n"
        "<manifest>\n" + "\n".join(manifest) + "\n</manifest>\n"
        "<spine>\n" + "\n".join(spine) + "\n</spine>\n</package>\n"
    )


def _nav(work: Work, files: list[tuple[str, str, str]], *, lang: str) -> str:
    items = "\n".join(f'<li><a href="{href}">{_e(label)}</a></li>' for _, href, label in files)
    body = (f'<nav epub:type="toc" id="toc">\n<h1>{_e(work.title)}</h1>\n<ol>\n{items}\n</ol>\n</nav>')
    return _document(work.title, body, lang=lang, epub_ns=True)


_CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles>\n<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>\n'
    "</rootfiles>\n</container>\n"
)


def _check_xml(name: str, text: str) -> None:
    try:
        etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError as exc:  # a bug in this module, not in the work
        raise ExportError(f"EPUB export produced malformed {name} ({exc}); please report this work") from exc


def export(work: Work, *, modified: dt.datetime | None = None) -> bytes:
    """The work as EPUB 3 bytes."""
    if not work.chapters:
        raise ExportError(f"{work.title!r} has no chapters to export; re-import the work with its text")
    lang = language_code(work.language)
    docs: list[tuple[str, str, str, str]] = []  # id, href, nav label, content
    docs.append(("preface", "titlepage.xhtml", "Preface", _document(work.title, _preface(work), lang=lang)))
    for n, ch in enumerate(work.chapters, start=1):
        label = ch.title or chapter_heading(ch)  # a reader's TOC (and a generic EPUB reader) shows the title
        docs.append((f"chapter{n:03d}", f"chapter-{n:03d}.xhtml", label, _document(label, _chapter(ch), lang=lang)))
    if work.end_notes:
        docs.append(("afterword", "afterword.xhtml", "Afterword",
                     _document("Afterword", _afterword(work), lang=lang)))
    files = [(fid, href, label) for fid, href, label, _ in docs]
    opf = _opf(work, files, lang=lang, modified=_modified(work, modified))
    nav = _nav(work, files, lang=lang)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        def put(name: str, data: str, *, stored: bool = False) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data.encode("utf-8"))

        put("mimetype", MEDIA_TYPE, stored=True)
        put("META-INF/container.xml", _CONTAINER)
        for name, text in (("OEBPS/content.opf", opf), ("OEBPS/nav.xhtml", nav)):
            _check_xml(name, text)
            put(name, text)
        put("OEBPS/style.css", _CSS)
        for _, href, _, content in docs:
            _check_xml(href, content)
            put(f"OEBPS/{href}", content)
    return buf.getvalue()
