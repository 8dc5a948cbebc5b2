"""MOBI and AZW3 importer, through the ``mobi`` package's KindleUnpack.

A Kindle book is a Palm database whose type is ``BOOKMOBI`` (bytes 60-68). The
``mobi`` package unpacks it to a folder: KF8 books (AZW3, and the KF8 half of a
combined MOBI) as an EPUB under ``mobi8/``, which goes through the EPUB importer;
MOBI 7 books as ``mobi7/book.html`` with an OPF and an NCX, read by ``_mobi7``.
Both paths understand AO3's download layout.

The unpacker needs files on disk: the bytes are written into a
``tempfile.TemporaryDirectory`` and unpacked into that same directory, so every
file it creates is removed when parsing ends, whether it succeeded or not.
(``mobi.extract`` makes its own ``mkdtemp`` directory and leaves it behind when
unpacking fails, so ``unpackBook`` is called directly.)
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

from ficshelf.errors import MalformedFile
from ficshelf.importers._mobi7 import read_mobi7
from ficshelf.importers.epub import parse_epub
from ficshelf.model import Work

__all__ = ["NAME", "is_kindle", "parse", "sniff"]

NAME = "mobi"

_SUFFIXES = (".mobi", ".azw3", ".azw", ".prc", ".kf8")
_MAGIC = (b"BOOKMOBI",)


def is_kindle(head: bytes) -> bool:
    """A Palm database of type BOOKMOBI (MOBI, AZW, AZW3)."""
    return head[60:68] in _MAGIC


def sniff(head: bytes, *, filename: str) -> bool:
    """Kindle magic bytes, or a Kindle file name (broken files are then reported, not passed on)."""
    return is_kindle(head) or filename.lower().endswith(_SUFFIXES)


def _kind(filename: str) -> str:
    return "azw3" if filename.lower().endswith((".azw3", ".azw", ".kf8")) else "mobi"


def parse(data: bytes, *, filename: str) -> Work:
    shown = os.path.basename(filename) or "the MOBI file"
    if not is_kindle(data[:68]):
        raise MalformedFile(f"{shown}: not a MOBI/AZW3 book (no BOOKMOBI header); the file is damaged or mislabelled")
    kind = _kind(filename)
    with tempfile.TemporaryDirectory(prefix="ficshelf-mobi-") as tmp:
        src = Path(tmp, "book" + (".azw3" if kind == "azw3" else ".mobi"))
        src.write_bytes(data)
        out = Path(tmp, "unpacked")
        out.mkdir()
        # KindleUnpack (and the logger it brings) loads when a book is read, not at start-up
        from mobi.kindleunpack import unpackBook

        try:
            with contextlib.redirect_stdout(io.StringIO()):
                unpackBook(str(src), str(out), epubver="A")
        except Exception as exc:  # KindleUnpack raises anything from struct.error to IndexError on bad input
            raise MalformedFile(f"{shown}: the MOBI/AZW3 book cannot be unpacked ({type(exc).__name__}: {exc}); "
                                "the file is damaged or DRM-protected") from exc
        epubs = sorted((out / "mobi8").glob("*.epub"))
        if epubs:
            return parse_epub(epubs[0].read_bytes(), filename=filename, kind="azw3" if kind == "azw3" else "mobi")
        if (out / "mobi7" / "book.html").is_file():
            return read_mobi7(out / "mobi7", kind=kind, filename=shown)
        raise MalformedFile(f"{shown}: the MOBI/AZW3 book unpacked to nothing readable (no text found)")
