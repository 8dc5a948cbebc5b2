"""One work, every format: AO3's HTML download, saved page, EPUB, MOBI, AZW3 and PDF agree.

AO3 work 23009290 is in ../shared in six captures; works 218676 and 334557 as
HTML download and EPUB. Each capture is imported through the registry
(``parse_bytes``) and reduced to what every format must carry the same: title,
authors, typed tags, AO3's stated counts and dates, notes, chapter numbers and
titles, and the text. Text is compared with all white space removed (a PDF or
MOBI lays paragraphs out differently); notes with white space collapsed.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest

from conftest import SAMPLES, need_shared
from ficshelf.importers import parse_bytes
from ficshelf.model import Work

_WS = re.compile(r"\s+")

ONE_WORK = {  # AO3 23009290
    "html": "nianeyna-htmlTest.html",
    "page": "nianeyna-unlockedWorkNoSkin.html",
    "epub": "nianeyna-epubTest.epub",
    "mobi": "nianeyna-mobiTest.mobi",
    "azw3": "nianeyna-azw3Test.azw3",
    "pdf": "nianeyna-pdfTest.pdf",
}
PAIRS = [  # (HTML download, EPUB) of the same work
    ("nianeyna-incompleteWork.html", "nianeyna-incompleteWork.epub"),
    ("nianeyna-workInSeries.html", "nianeyna-workInSeries.epub"),
]


@functools.cache
def load(name: str) -> Work:
    path = need_shared(SAMPLES / name)
    return parse_bytes(path.read_bytes(), filename=str(path))


def _collapse(s: str | None) -> str | None:
    return _WS.sub(" ", s).strip() if s else None


def _squeeze(s: str) -> str:
    return _WS.sub("", s)


def signature(work: Work) -> dict[str, Any]:
    """What every capture of a work must carry the same (no stats: a saved page adds kudos and hits)."""
    return {
        "title": work.title,
        "authors": work.authors,
        "tags": work.tags,
        "ao3_id": work.ao3_id,
        "url": work.url,
        "language": work.language,
        "series": work.series,
        "counts": (work.chapter_count, work.chapters_expected, work.words, work.complete),
        "dates": (work.published, work.updated),
        "notes": tuple(_collapse(x) for x in (work.summary, work.notes, work.end_notes)),
        "chapters": [
            (c.number, c.title, _collapse(c.summary), _collapse(c.notes), _collapse(c.end_notes))
            for c in work.chapters
        ],
    }


def texts(work: Work) -> list[str]:
    return [_squeeze(c.text) for c in work.chapters]


@pytest.mark.parametrize("fmt", [f for f in ONE_WORK if f != "html"])
def test_each_format_matches_the_html_download(fmt: str) -> None:
    reference = load(ONE_WORK["html"])
    other = load(ONE_WORK[fmt])
    assert signature(other) == signature(reference)
    assert texts(other) == texts(reference)


@pytest.mark.parametrize("fmt", ["mobi", "azw3", "pdf"])
def test_each_ebook_matches_the_epub(fmt: str) -> None:
    """Ebook to ebook, without the HTML importer in the loop."""
    epub = load(ONE_WORK["epub"])
    other = load(ONE_WORK[fmt])
    assert signature(other) == signature(epub)
    assert texts(other) == texts(epub)


@pytest.mark.parametrize("fmt", ["epub", "mobi", "azw3", "pdf"])
def test_ebook_text_keeps_the_paragraphs_of_the_download(fmt: str) -> None:
    """Stronger than the white-space-free comparison: the same paragraphs, line for line."""
    reference = load(ONE_WORK["html"])
    other = load(ONE_WORK[fmt])
    assert [c.text for c in other.chapters] == [c.text for c in reference.chapters]


@pytest.mark.parametrize("html_name,epub_name", PAIRS, ids=[p[1] for p in PAIRS])
def test_download_pairs_agree(html_name: str, epub_name: str) -> None:
    reference = load(html_name)
    epub = load(epub_name)
    assert signature(epub) == signature(reference)
    assert texts(epub) == texts(reference)
    assert [c.text for c in epub.chapters] == [c.text for c in reference.chapters]
    assert [c.html for c in epub.chapters] == [c.html for c in reference.chapters]  # calibre's classes gone


def test_source_formats_are_told_apart() -> None:
    formats = {fmt: load(name).source_format for fmt, name in ONE_WORK.items()}
    assert formats == {"html": "ao3-html", "page": "ao3-page", "epub": "ao3-epub", "mobi": "ao3-mobi",
                       "azw3": "ao3-azw3", "pdf": "ao3-pdf"}
