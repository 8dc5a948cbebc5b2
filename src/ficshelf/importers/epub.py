"""EPUB importer: AO3's EPUB downloads, FanFicFare EPUBs and any other EPUB 2/3.

The archive is read with ``zipfile`` + lxml (``_epubcontainer``). Then, most
specific first:

- AO3 (calibre-built from AO3's HTML download): the preface's labelled fields give
  typed tags, stats and series; chapters, notes and end notes follow AO3's layout
  (``_ao3xhtml`` + ``_ao3book``);
- FanFicFare: its title page's labelled entries and one file per chapter (``_fanficfare``);
- anything else: OPF metadata and the spine, titled by the table of contents (``_genericepub``).

AZW3 files unpack to an EPUB and come through ``parse_epub`` too (see ``mobi``).
"""

from __future__ import annotations

import posixpath

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3book import Fallback, assemble
from ficshelf.importers._ao3xhtml import is_calibre_ao3, read_calibre_ao3
from ficshelf.importers._epubcontainer import EpubBook, is_zip, open_epub
from ficshelf.importers._fanficfare import is_fanficfare, read_fanficfare
from ficshelf.importers._genericepub import description_text, read_generic_epub
from ficshelf.model import Work

__all__ = ["NAME", "parse", "parse_book", "parse_epub", "sniff"]

NAME = "epub"

_EPUB_MIME = b"application/epub+zip"


def sniff(head: bytes, *, filename: str) -> bool:
    """An EPUB's zip magic with its ``mimetype`` entry, or any file named ``.epub`` (broken ones included)."""
    if is_zip(head) and _EPUB_MIME in head[:200]:
        return True
    return filename.lower().endswith(".epub")


def parse(data: bytes, *, filename: str) -> Work:
    return parse_epub(data, filename=filename)


def parse_epub(data: bytes, *, filename: str = "", kind: str = "epub") -> Work:
    """Parse EPUB bytes; ``kind`` names the container it came in ("epub", or "azw3" for unpacked AZW3)."""
    shown = posixpath.basename(filename) or "the EPUB"
    if not is_zip(data[:4]):
        raise MalformedFile(f"{shown}: not an EPUB (no zip archive inside); the file is damaged or mislabelled")
    book = open_epub(data, filename=filename)
    try:
        return parse_book(book, kind=kind)
    finally:
        book.archive.close()


def parse_book(book: EpubBook, *, kind: str = "epub") -> Work:
    """The ``Work`` in an opened EPUB, read the AO3, FanFicFare or generic way."""
    roots = [book.body(d.path) for d in book.text_documents() if book.has(d.path) and "nav" not in d.properties]
    # ficshelf's own EPUB export writes AO3's preface layout; an untagged work has
    # too few labelled fields for the AO3 test, so the generator meta vouches for it.
    if is_calibre_ao3(roots) or book.metadata.meta.get("generator") == "ficshelf":
        preface, events = read_calibre_ao3(roots)
        md = book.metadata
        fallback = Fallback(title=md.title, authors=md.creators, language=md.language,
                            summary=description_text(md.description))
        return assemble(preface, events, source_format=f"ao3-{kind}", fallback=fallback, filename=book.filename)
    if is_fanficfare(book):
        return read_fanficfare(book)
    return read_generic_epub(book, source_format=kind)
