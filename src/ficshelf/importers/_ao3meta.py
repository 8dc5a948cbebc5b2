"""AO3 metadata as every AO3 format prints it: labelled tag lists and a stats line.

AO3's work pages, HTML/EPUB/MOBI/AZW3 downloads and PDF all carry the same
fields under the same labels ("Rating:", "Archive Warning:", "Relationships:",
"Stats:" ...). Importers collect ``(label, values)`` pairs in their own way and
hand them here, so the mapping from labels to typed tags lives in one place.

>>> m = fields_to_meta([("Rating:", ["Mature"]), ("Relationship:", ["A/B"]),
...                     ("Stats:", ["Published: 2020-03-04 Updated: 2020-04-01 Words: 4,559 Chapters: 2/?"])])
>>> m.tags.rating.value, m.tags.relationships, m.words, m.chapter_count, m.chapters_expected, m.complete
('Mature', ('A/B',), 4559, 2, None, False)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ficshelf.model import ArchiveWarning, Category, Rating, SeriesRef, Stats, Tags

__all__ = ["Meta", "field_for_label", "fields_to_meta", "parse_series", "parse_stats"]

_LABELS = {
    "rating": "rating",
    "ratings": "rating",
    "archivewarning": "warnings",
    "archivewarnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additionaltags": "freeforms",
    "additionaltag": "freeforms",
    "freeform": "freeforms",
    "freeforms": "freeforms",
    "tags": "freeforms",
    "language": "language",
    "series": "series",
    "stats": "stats",
    "collections": "collections",
    "collection": "collections",
}


def field_for_label(label: str) -> str | None:
    """The model field an AO3 label fills ("Archive Warnings:" -> "warnings"), or None."""
    return _LABELS.get(re.sub(r"[^a-z]", "", label.casefold()))


@dataclass(kw_only=True)
class Meta:
    """What the labelled fields said; importers combine it with title, authors and text."""

    tags: Tags = field(default_factory=Tags)
    language: str | None = None
    series: tuple[SeriesRef, ...] = ()
    stats: Stats = field(default_factory=Stats)
    published: dt.date | None = None
    updated: dt.date | None = None
    words: int | None = None
    chapter_count: int | None = None
    chapters_expected: int | None = None
    complete: bool | None = None
    collections: tuple[str, ...] = ()

    def work_fields(self, **overrides: Any) -> dict[str, Any]:
        """The ``Work`` keyword arguments these fields fill, with ``overrides`` on top."""
        fields: dict[str, Any] = {
            "language": self.language, "published": self.published, "updated": self.updated,
            "complete": self.complete, "chapter_count": self.chapter_count,
            "chapters_expected": self.chapters_expected, "words": self.words,
            "series": self.series, "stats": self.stats, "tags": self.tags,
        }
        fields.update(overrides)
        return fields


_STAT = re.compile(
    r"(Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits):\s*([0-9][0-9,./?\-]*|\?)",
    re.I,
)


def _int(s: str) -> int | None:
    digits = s.replace(",", "").replace(".", "").strip()
    return int(digits) if digits.isdigit() else None


def parse_stats(text: str, meta: Meta) -> None:
    """Fill dates, words, chapters and counts from an AO3 stats line ("Words: 4,559 ...")."""
    counts: dict[str, int | None] = {}
    for key, value in _STAT.findall(text):
        k = key.lower()
        if k == "published":
            meta.published = _parse_date(value)
        elif k in {"updated", "completed"}:
            meta.updated = _parse_date(value)
        elif k == "words":
            meta.words = _int(value)
        elif k == "chapters":
            posted, _, expected = value.partition("/")
            meta.chapter_count = _int(posted)
            meta.chapters_expected = None if expected.strip() in {"", "?"} else _int(expected)
            if meta.chapter_count is not None:
                meta.complete = meta.chapters_expected == meta.chapter_count
        else:
            counts[k] = _int(value)
    if counts:
        meta.stats = Stats(
            kudos=counts.get("kudos", meta.stats.kudos),
            hits=counts.get("hits", meta.stats.hits),
            bookmarks=counts.get("bookmarks", meta.stats.bookmarks),
            comments=counts.get("comments", meta.stats.comments),
        )


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


_SERIES = re.compile(r"Part\s+(\d+)\s+of\s+(.+?)(?=\s*(?:,\s*Part\s+\d+\s+of\s|$))", re.I | re.S)


def parse_series(text: str) -> tuple[SeriesRef, ...]:
    """ "Part 1 of Watches 'Verse, Part 2 of Other" -> two ``SeriesRef``s.

    Importers that see the series links should build ``SeriesRef`` themselves
    (titles may contain commas); this is for plain-text sources.
    """
    return tuple(SeriesRef(title=t.strip(), part=int(n)) for n, t in _SERIES.findall(" ".join(text.split())))


def _closed(values: Iterable[str], parse: type[Rating] | type[ArchiveWarning] | type[Category]) -> list[object]:
    out: list[object] = []
    for v in values:
        member = parse.try_parse(v)
        if member is not None and member not in out:
            out.append(member)
    return out


def fields_to_meta(pairs: Iterable[tuple[str, Sequence[str]]]) -> Meta:
    """Typed metadata from AO3's labelled fields; unknown labels are ignored.

    ``values`` are the individual tags of a field (already split; a tag may
    contain commas), or one string for Language, Series and Stats.
    """
    meta = Meta()
    tag_lists: dict[str, list[str]] = {}
    for label, values in pairs:
        name = field_for_label(label)
        if name is None:
            continue
        clean = [" ".join(v.split()) for v in values if v and v.strip()]
        if name == "stats":
            parse_stats(" ".join(clean), meta)
        elif name == "language":
            meta.language = clean[0] if clean else None
        elif name == "series":
            meta.series = parse_series(", ".join(clean))
        elif name == "collections":
            meta.collections = tuple(clean)
        else:
            tag_lists.setdefault(name, []).extend(clean)
    ratings = _closed(tag_lists.get("rating", ()), Rating)
    meta.tags = Tags(
        rating=ratings[0] if ratings else None,  # type: ignore[arg-type]
        warnings=tuple(_closed(tag_lists.get("warnings", ()), ArchiveWarning)),  # type: ignore[arg-type]
        categories=tuple(_closed(tag_lists.get("categories", ()), Category)),  # type: ignore[arg-type]
        fandoms=tuple(tag_lists.get("fandoms", ())),
        relationships=tuple(tag_lists.get("relationships", ())),
        characters=tuple(tag_lists.get("characters", ())),
        freeforms=tuple(tag_lists.get("freeforms", ())),
    )
    return meta
