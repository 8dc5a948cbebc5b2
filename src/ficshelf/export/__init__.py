"""Exporters write a ``Work`` as a file: EPUB 3, HTML, plain text or ficshelf JSON.

Each format is one module with ``NAME``, ``SUFFIX``, ``MEDIA_TYPE`` and
``export(work) -> bytes``, registered in ``EXPORTERS``. Every format re-imports:
EPUB and HTML follow AO3's download layout, text follows a copied AO3 page, and
JSON is ``model.work_to_dict``.

>>> from ficshelf.model import Chapter, Work
>>> export_work(Work(title="Hi", chapters=(Chapter(number=1, text="Hello."),)), "txt").decode().splitlines()[:3]
['Hi', '', 'Stats: Words: 1 Chapters: 1/?']
"""

from __future__ import annotations

from types import ModuleType
from typing import Protocol, cast

from ficshelf.errors import ExportError
from ficshelf.export import epub, html, json, txt
from ficshelf.model import Work

__all__ = ["EXPORTERS", "Exporter", "export_work", "suffix_for"]


class Exporter(Protocol):
    NAME: str
    SUFFIX: str
    MEDIA_TYPE: str

    def export(self, work: Work) -> bytes: ...


def _as_exporter(module: ModuleType) -> Exporter:
    return cast(Exporter, module)


EXPORTERS: dict[str, Exporter] = {m.NAME: _as_exporter(m) for m in (epub, html, txt, json)}


def _exporter(fmt: str) -> Exporter:
    try:
        return EXPORTERS[fmt.lower().lstrip(".")]
    except KeyError:
        raise ExportError(f"cannot export as {fmt!r}; choose one of: {', '.join(EXPORTERS)}") from None


def export_work(work: Work, fmt: str) -> bytes:
    """The work in format ``fmt`` ("epub", "html", "txt" or "json")."""
    exporter = _exporter(fmt)
    if not work.chapters:
        raise ExportError(f"{work.title!r} has no chapters to export; re-import it with its text")
    return exporter.export(work)


def suffix_for(fmt: str) -> str:
    """The file suffix for a format (".epub" ...)."""
    return _exporter(fmt).SUFFIX
