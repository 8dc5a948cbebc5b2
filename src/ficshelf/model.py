"""The work model: AO3's work, chapters, series, stats and typed tags. No I/O.

Values are frozen dataclasses with keyword-only fields. Ratings, archive
warnings and categories are AO3's closed sets; fandoms, relationships,
characters and additional ("freeform") tags are kept as written.

>>> Rating.parse("Teen And Up Audiences") is Rating.TEEN
True
>>> ArchiveWarning.parse("Choose Not To Use Archive Warnings") is ArchiveWarning.CHOSE_NOT_TO_WARN
True
>>> Category.parse("m/m") is Category.MM
True
>>> relationship_kind("Steve Rogers/Bucky Barnes"), relationship_kind("Clint Barton & Natasha Romanoff")
('romantic', 'platonic')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ficshelf.text import count_words

__all__ = [
    "ArchiveWarning",
    "Category",
    "Chapter",
    "Rating",
    "SeriesRef",
    "Stats",
    "Tags",
    "Work",
    "merge_works",
    "relationship_kind",
    "relationship_members",
    "work_from_dict",
    "work_to_dict",
]


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9/]+", "", label.casefold())


class _ClosedSet(enum.StrEnum):
    """A closed AO3 tag set; ``parse`` accepts AO3's spellings old and new."""

    @classmethod
    def _aliases(cls) -> Mapping[str, str]:
        return {}

    @classmethod
    def parse(cls, label: str) -> Any:
        k = _key(label)
        for member in cls:
            if _key(member.value) == k:
                return member
        alias = cls._aliases().get(k)
        if alias is not None:
            return cls(alias)
        raise ValueError(f"{label!r} is not one of AO3's {cls.__name__} values")

    @classmethod
    def try_parse(cls, label: str) -> Any:
        try:
            return cls.parse(label)
        except ValueError:
            return None


class Rating(_ClosedSet):
    NOT_RATED = "Not Rated"
    GENERAL = "General Audiences"
    TEEN = "Teen And Up Audiences"
    MATURE = "Mature"
    EXPLICIT = "Explicit"

    @classmethod
    def _aliases(cls) -> Mapping[str, str]:
        return {"general": "General Audiences", "teen": "Teen And Up Audiences", "g": "General Audiences",
                "t": "Teen And Up Audiences", "m": "Mature", "e": "Explicit", "notrated": "Not Rated",
                "unrated": "Not Rated"}


class ArchiveWarning(_ClosedSet):
    CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
    NONE_APPLY = "No Archive Warnings Apply"
    VIOLENCE = "Graphic Depictions Of Violence"
    MAJOR_CHARACTER_DEATH = "Major Character Death"
    RAPE_NONCON = "Rape/Non-Con"
    UNDERAGE = "Underage Sex"

    @classmethod
    def _aliases(cls) -> Mapping[str, str]:
        return {
            "choosenottousearchivewarnings": "Creator Chose Not To Use Archive Warnings",
            "creatorchosenottousearchivewarnings": "Creator Chose Not To Use Archive Warnings",
            "underage": "Underage Sex",
            "noncon": "Rape/Non-Con",
            "violence": "Graphic Depictions Of Violence",
            "mcd": "Major Character Death",
        }


class Category(_ClosedSet):
    GEN = "Gen"
    FM = "F/M"
    MM = "M/M"
    FF = "F/F"
    MULTI = "Multi"
    OTHER = "Other"


@dataclass(frozen=True, kw_only=True, slots=True)
class Tags:
    """A work's typed tags, in the order the author gave them."""

    rating: Rating | None = None
    warnings: tuple[ArchiveWarning, ...] = ()
    categories: tuple[Category, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    freeforms: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.rating or self.warnings or self.categories or self.fandoms
                    or self.relationships or self.characters or self.freeforms)


@dataclass(frozen=True, kw_only=True, slots=True)
class Chapter:
    """One chapter. ``text`` is plain text (see ``ficshelf.text``); ``html`` the
    sanitized markup when the source had markup, for faithful reading."""

    number: int
    text: str
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    html: str | None = None

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True, kw_only=True, slots=True)
class SeriesRef:
    title: str
    part: int | None = None
    ao3_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Stats:
    kudos: int | None = None
    hits: int | None = None
    bookmarks: int | None = None
    comments: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Work:
    """A work as AO3 models it.

    ``chapter_count``/``chapters_expected``/``words`` are what the source states
    (AO3's "Chapters: 3/?" and "Words: 7,526"); ``chapters`` holds only the
    chapters actually present, which may be fewer (a saved chapter page).
    ``words`` falls back to ficshelf's own count of the text when unstated.
    """

    title: str
    chapters: tuple[Chapter, ...]
    authors: tuple[str, ...] = ()
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    language: str | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    complete: bool | None = None
    chapter_count: int | None = None
    chapters_expected: int | None = None
    words: int | None = None
    series: tuple[SeriesRef, ...] = ()
    stats: Stats = field(default_factory=Stats)
    tags: Tags = field(default_factory=Tags)
    ao3_id: str | None = None
    url: str | None = None
    source_format: str | None = None
    id: int | None = None

    @property
    def text_words(self) -> int:
        """ficshelf's own AO3-rule count over the chapters present."""
        return sum(c.words for c in self.chapters)

    @property
    def full_text(self) -> str:
        return "\n\n".join(c.text for c in self.chapters)

    def with_defaults(self) -> Work:
        """Fill what can be derived: words, chapter_count, chapter numbering."""
        words = self.words if self.words is not None else self.text_words
        count = self.chapter_count if self.chapter_count is not None else len(self.chapters)
        return dataclasses.replace(self, words=words, chapter_count=count)


_ROMANTIC = re.compile(r"\s*/\s*")
_PLATONIC = re.compile(r"\s+&\s+")


def relationship_kind(tag: str) -> Literal["romantic", "platonic"] | None:
    """AO3 writes romantic pairings with "/" and platonic ones with " & "."""
    if "/" in tag:
        return "romantic"
    if " & " in tag:
        return "platonic"
    return None


def relationship_members(tag: str) -> tuple[str, ...]:
    """The characters of a relationship tag, "|" alternate names left joined.

    >>> relationship_members("Tony Stark/Steve Rogers")
    ('Tony Stark', 'Steve Rogers')
    """
    parts = _ROMANTIC.split(tag) if "/" in tag else _PLATONIC.split(tag)
    return tuple(p.strip() for p in parts if p.strip())


# --- merging ---------------------------------------------------------------------


def _pick(new: Any, old: Any) -> Any:
    return new if new not in (None, "", (), []) else old


def _capture_key(work: Work) -> tuple[dt.date, int]:
    return (work.updated or work.published or dt.date.min, work.chapter_count or len(work.chapters))


def merge_works(old: Work, new: Work) -> Work:
    """Combine two captures of one work (pages of it, or a re-import).

    The later capture (by its updated date, then posted chapter count; ``new``
    on a tie) wins where it states something, so importing an old saved page
    after a newer download does not roll the metadata back. Chapters are the
    union by number, the later capture's text replacing the earlier one's.
    ``old.id`` is kept.
    """
    later, earlier = (new, old) if _capture_key(new) >= _capture_key(old) else (old, new)
    by_number: dict[int, Chapter] = {c.number: c for c in earlier.chapters}
    for c in later.chapters:
        if c.number in by_number and not c.text.strip():
            continue
        by_number[c.number] = c
    chapters = tuple(by_number[n] for n in sorted(by_number))
    merged = {}
    for f in dataclasses.fields(Work):
        if f.name in {"chapters", "id"}:
            continue
        merged[f.name] = _pick(getattr(later, f.name), getattr(earlier, f.name))
    if later.tags.is_empty():
        merged["tags"] = earlier.tags
    if later.stats == Stats():
        merged["stats"] = earlier.stats
    return Work(**merged, chapters=chapters, id=old.id if old.id is not None else new.id)


# --- JSON ------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def work_to_dict(work: Work, *, include_text: bool = True, include_html: bool = False) -> dict[str, Any]:
    """The work as JSON-ready data with the model's field names."""
    tags = work.tags
    return {
        "id": work.id,
        "ao3_id": work.ao3_id,
        "url": work.url,
        "title": work.title,
        "authors": list(work.authors),
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "published": work.published.isoformat() if work.published else None,
        "updated": work.updated.isoformat() if work.updated else None,
        "complete": work.complete,
        "chapter_count": work.chapter_count,
        "chapters_expected": work.chapters_expected,
        "words": work.words,
        "series": [{"title": s.title, "part": s.part, "ao3_id": s.ao3_id} for s in work.series],
        "stats": dataclasses.asdict(work.stats),
        "tags": {
            "rating": tags.rating.value if tags.rating else None,
            "warnings": [w.value for w in tags.warnings],
            "categories": [c.value for c in tags.categories],
            "fandoms": list(tags.fandoms),
            "relationships": list(tags.relationships),
            "characters": list(tags.characters),
            "freeforms": list(tags.freeforms),
        },
        "source_format": work.source_format,
        "chapters": [
            {
                "number": c.number,
                "title": c.title,
                "summary": c.summary,
                "notes": c.notes,
                "end_notes": c.end_notes,
                "words": c.words,
                **({"text": c.text} if include_text else {}),
                **({"html": c.html} if include_html else {}),
            }
            for c in work.chapters
        ],
    }


def _strs(values: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in (values or ()))


def work_from_dict(data: Mapping[str, Any]) -> Work:
    """Inverse of ``work_to_dict`` (chapter text must be present)."""
    t = data.get("tags") or {}
    tags = Tags(
        rating=Rating.parse(t["rating"]) if t.get("rating") else None,
        warnings=tuple(ArchiveWarning.parse(w) for w in t.get("warnings") or ()),
        categories=tuple(Category.parse(c) for c in t.get("categories") or ()),
        fandoms=_strs(t.get("fandoms")),
        relationships=_strs(t.get("relationships")),
        characters=_strs(t.get("characters")),
        freeforms=_strs(t.get("freeforms")),
    )
    stats = Stats(**{k: v for k, v in (data.get("stats") or {}).items() if k in {"kudos", "hits", "bookmarks", "comments"}})
    return Work(
        id=data.get("id"),
        ao3_id=data.get("ao3_id"),
        url=data.get("url"),
        title=str(data.get("title") or ""),
        authors=_strs(data.get("authors")),
        summary=data.get("summary"),
        notes=data.get("notes"),
        end_notes=data.get("end_notes"),
        language=data.get("language"),
        published=_date(data.get("published")),
        updated=_date(data.get("updated")),
        complete=data.get("complete"),
        chapter_count=data.get("chapter_count"),
        chapters_expected=data.get("chapters_expected"),
        words=data.get("words"),
        series=tuple(SeriesRef(title=s["title"], part=s.get("part"), ao3_id=s.get("ao3_id"))
                     for s in data.get("series") or ()),
        stats=stats,
        tags=tags,
        source_format=data.get("source_format"),
        chapters=tuple(
            Chapter(number=int(c.get("number") or i + 1), text=c.get("text") or "", title=c.get("title"),
                    summary=c.get("summary"), notes=c.get("notes"), end_notes=c.get("end_notes"),
                    html=c.get("html"))
            for i, c in enumerate(data.get("chapters") or ())
        ),
    )
