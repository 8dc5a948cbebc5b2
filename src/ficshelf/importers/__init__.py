"""Importers turn bytes into a ``Work``. They never touch the store.

Each format is one module with::

    NAME: str                                   # short format name, e.g. "ao3-html"
    def sniff(head: bytes, *, filename: str) -> bool
    def parse(data: bytes, *, filename: str) -> Work

and is registered in ``IMPORTERS`` below, most specific first: the first module
whose ``sniff`` accepts the file's first bytes parses it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast

from ficshelf.errors import InputError, MalformedFile, UnsupportedFormat
from ficshelf.importers import (
    ao3_html,
    ao3_text,
    epub,
    ficshelf_json,
    mobi,
    pdf,
    plaintext,
)
from ficshelf.model import Work

__all__ = [
    "IMPORTERS",
    "SNIFF_BYTES",
    "SUPPORTED_SUFFIXES",
    "Importer",
    "detect",
    "iter_import_files",
    "parse_bytes",
    "parse_path",
]

SNIFF_BYTES = 64 * 1024


class Importer(Protocol):
    NAME: str

    def sniff(self, head: bytes, *, filename: str) -> bool: ...

    def parse(self, data: bytes, *, filename: str) -> Work: ...


def _as_importer(module: ModuleType) -> Importer:
    return cast(Importer, module)


# One explicit registry, most specific first. Binary formats go before text ones.
IMPORTERS: dict[str, Importer] = {
    m.NAME: _as_importer(m)
    for m in (
        epub,  # EPUB (AO3, FanFicFare, generic)
        mobi,  # MOBI and AZW3
        pdf,  # AO3 PDF downloads
        ficshelf_json,  # ficshelf's own JSON export
        ao3_html,  # AO3 HTML downloads, saved work and chapter pages (and the pages that are not works)
        ao3_text,  # text copied from an AO3 work page
        plaintext,  # plain text and Markdown
    )
}

SUPPORTED_SUFFIXES = frozenset(
    {".json", ".html", ".htm", ".xhtml", ".epub", ".mobi", ".azw3", ".azw", ".pdf", ".txt", ".md", ".markdown", ".text"}
)


def detect(data: bytes, *, filename: str = "") -> str:
    """The ``NAME`` of the importer that accepts these bytes, or raise ``UnsupportedFormat``."""
    head = data[:SNIFF_BYTES]
    for name, importer in IMPORTERS.items():
        if importer.sniff(head, filename=filename):
            return name
    shown = os.path.basename(filename) or "the input"
    raise UnsupportedFormat(
        f"{shown}: not a format ficshelf reads (AO3 HTML/EPUB/MOBI/AZW3/PDF downloads, "
        "saved AO3 pages, EPUB, plain text or Markdown)"
    )


def parse_bytes(data: bytes, *, filename: str = "", format: str | None = None) -> Work:
    """Parse one file's bytes with the named importer, or the one that sniffs them."""
    name = format or detect(data, filename=filename)
    try:
        importer = IMPORTERS[name]
    except KeyError:
        raise UnsupportedFormat(f"unknown format {name!r}; known: {', '.join(IMPORTERS)}") from None
    try:
        work = importer.parse(data, filename=filename)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, UnicodeDecodeError, OSError) as exc:
        shown = os.path.basename(filename) or "the input"
        raise MalformedFile(f"{shown}: could not be read as {name} ({exc})") from exc
    return work.with_defaults()


def parse_path(path: str | os.PathLike[str], *, format: str | None = None) -> Work:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror or exc})") from exc
    return parse_bytes(data, filename=str(p), format=format)


def iter_import_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named directly, and files with a supported suffix found in folders."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    f = Path(root, name)
                    if f.suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith("."):
                        yield f
        else:
            yield p
