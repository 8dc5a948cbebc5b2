"""Work <-> row conversion for the SQLite store: columns, JSON, tags, fingerprints.

>>> archive_host("https://www.archiveofourown.org/works/123"), archive_host(None)
('archiveofourown.org', 'archiveofourown.org')
>>> archive_host("http://squidgeworld.org/works/9")
'squidgeworld.org'
>>> a = text_fingerprint("Rain fell,  all night.\\n\\n* * *\\n\\nShe didn’t sleep; neither did I.")
>>> a == text_fingerprint("rain fell all night\\nshe didn't sleep neither did i") != None
True
>>> text_fingerprint("Too short to tell.") is None
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Final
from urllib.parse import urlsplit

from ficshelf.model import Chapter, Work, work_from_dict, work_to_dict
from ficshelf.search.query import normalize_language
from ficshelf.text import fold_for_match

__all__ = [
    "AO3_HOST",
    "archive_host",
    "chapter_rows",
    "meta_json",
    "tag_key",
    "tag_pairs",
    "text_fingerprint",
    "work_columns",
    "work_from_row",
]

AO3_HOST: Final = "archiveofourown.org"
_AO3_ALIASES: Final = frozenset({
    "archiveofourown.org", "archiveofourown.com", "archiveofourown.net", "ao3.org",
    "download.archiveofourown.org",
})
_WORD = re.compile(r"\w+")
_MIN_FINGERPRINT_WORDS: Final = 8


def archive_host(url: str | None) -> str:
    """The archive a work's URL points at (AO3's mirrors count as AO3); AO3 when unknown."""
    if not url:
        return AO3_HOST
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").casefold()
    except ValueError:
        return AO3_HOST
    host = host.removeprefix("www.")
    if not host or host in _AO3_ALIASES:
        return AO3_HOST
    return host


def text_fingerprint(text: str) -> str | None:
    """A hash of the text's words (NFKC, case-folded; punctuation, apostrophes and
    spacing ignored): the same story saved as HTML, EPUB or text gives the same
    fingerprint. None for texts too short to tell apart."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if len(words) < _MIN_FINGERPRINT_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def tag_key(name: str) -> str:
    """The folded key tags are matched by (case, apostrophes and spacing ignored)."""
    return fold_for_match(name)


def tag_pairs(work: Work) -> Iterator[tuple[str, str]]:
    """``(kind, name)`` for every tag of the work, closed sets included, no repeats."""
    t = work.tags
    seen: set[tuple[str, str]] = set()
    groups: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("rating", (t.rating.value,) if t.rating else ()),
        ("warning", tuple(w.value for w in t.warnings)),
        ("category", tuple(c.value for c in t.categories)),
        ("fandom", t.fandoms),
        ("relationship", t.relationships),
        ("character", t.characters),
        ("freeform", t.freeforms),
    )
    for kind, names in groups:
        for name in names:
            key = tag_key(name)
            if key and (kind, key) not in seen:
                seen.add((kind, key))
                yield kind, name.strip()


def meta_json(work: Work) -> str:
    """Everything about the work but its chapters, as the model's JSON."""
    data = work_to_dict(dataclasses.replace(work, chapters=()), include_text=False)
    data.pop("chapters")
    data.pop("id")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _single_chapter(work: Work, chapter_count: int) -> bool:
    if work.chapters_expected is not None:
        return work.chapters_expected == 1
    return chapter_count == 1 and work.complete is not False


def work_columns(work: Work) -> dict[str, Any]:
    """The works-table columns for a work (its JSON goes to ``work_meta``: ``meta_json``)."""
    chapter_count = work.chapter_count if work.chapter_count is not None else len(work.chapters)
    published = work.published.isoformat() if work.published else None
    updated = work.updated.isoformat() if work.updated else published
    return {
        "archive_host": archive_host(work.url) if work.ao3_id else None,
        "ao3_id": work.ao3_id,
        "title": work.title,
        "title_key": fold_for_match(work.title),
        "author_key": fold_for_match(work.authors[0]) if work.authors else "",
        "rating": work.tags.rating.value if work.tags.rating else None,
        "language_key": normalize_language(work.language) if work.language else None,
        "complete": None if work.complete is None else int(work.complete),
        "single_chapter": int(_single_chapter(work, chapter_count)),
        "chapter_count": chapter_count,
        "words": work.words if work.words is not None else work.text_words,
        "kudos": work.stats.kudos,
        "hits": work.stats.hits,
        "bookmarks": work.stats.bookmarks,
        "comments": work.stats.comments,
        "published": published,
        "updated": updated,
    }


def chapter_rows(work_id: int, work: Work) -> list[tuple[Any, ...]]:
    return [(work_id, c.number, c.title, c.summary, c.notes, c.end_notes, c.text, c.html)
            for c in work.chapters]


def work_from_row(work_id: int, meta: str, chapters: tuple[Chapter, ...] = ()) -> Work:
    data: dict[str, Any] = json.loads(meta)
    data["id"] = work_id
    data["chapters"] = []
    work = work_from_dict(data)
    return dataclasses.replace(work, chapters=chapters) if chapters else work
