"""The library's filter form as URL parameters, and back to a ``Query``.

Every state of the library page is a GET URL, so it can be bookmarked, shared
and saved as a named filter. The JSON API and OPDS search take the same
parameters. AO3's semantics: every included tag must be present (AND), any
excluded tag drops a work (OR); ratings, warnings and categories ticked in the
include list are any-of, like AO3's check boxes.

=============  ==============================================================
``q``          AO3's inline syntax and full-text words (``ficshelf.search``)
``inc``        a tag to include, ``kind:Tag`` (repeat)
``exc``        a tag to exclude, ``kind:Tag`` (repeat)
``other_inc``  more tags to include, comma-separated (any kind)
``other_exc``  more tags to exclude, comma-separated (any kind)
``rating``     include this rating (repeat: any of them)
``warning``    include this archive warning (repeat: any of them)
``category``   include this category (repeat: any of them)
``words_from`` ``words_to``   word-count range
``date_from``  ``date_to``    date updated range (YYYY-MM-DD, YYYY-MM or YYYY)
``complete``   ``T`` complete only, ``F`` works in progress only
``lang``       language (name or code)
``sort``       best, title, author, published, updated, words, kudos, hits...
``order``      ``desc`` or ``asc`` (default: the sort's natural direction)
``page``       ``per_page``
``blocked``    ``show``: do not hide works with blocked tags
=============  ==============================================================

>>> f = parse_filters([("inc", "fandom:Sherlock (TV)"), ("exc", "freeform:Angst"), ("words_to", "5k"),
...                    ("q", "dragons complete:true"), ("sort", "kudos")], blocklist=("Gore",))
>>> f.query.include, f.query.exclude, f.query.words, f.query.complete, f.query.sort
(('fandom:Sherlock (TV)',), ('freeform:Angst', 'tag:Gore'), (None, 5000), True, 'kudos')
>>> f.url(page=2)
'?q=dragons+complete%3Atrue&inc=fandom%3ASherlock+%28TV%29&exc=freeform%3AAngst&words_to=5k&sort=kudos&page=2'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from ficshelf.errors import QueryError
from ficshelf.model import ArchiveWarning, Category, Rating
from ficshelf.search.query import (
    DEFAULT_PER_PAGE,
    NATURAL_DESCENDING,
    SORTS,
    Query,
    parse_query,
    split_tag,
)

__all__ = [
    "FILTER_KEYS",
    "PER_PAGE_CHOICES",
    "SORT_LABELS",
    "Filters",
    "parse_filters",
]

#: Parameter names in the order URLs are written.
FILTER_KEYS: Final = ("q", "inc", "exc", "other_inc", "other_exc", "rating", "warning", "category",
                      "words_from", "words_to", "date_from", "date_to", "complete", "lang", "sort",
                      "order", "per_page", "blocked", "page")
_MULTI: Final = frozenset({"inc", "exc", "rating", "warning", "category"})
PER_PAGE_CHOICES: Final = (10, 20, 50, 100)
_MAX_PER_PAGE: Final = 200
_MAX_PAGE: Final = 100_000
_MAX_VALUE: Final = 500
SORT_LABELS: Final = {
    "best": "Best Match", "updated": "Date Updated", "published": "Date Posted", "title": "Title",
    "author": "Creator", "words": "Word Count", "kudos": "Kudos", "hits": "Hits",
    "bookmarks": "Bookmarks", "comments": "Comments",
}
_NUMBER = re.compile(r"^\s*(\d[\d,_]*)(?:\.(\d+))?\s*([kK])?\s*$")
_DATE = re.compile(r"^\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?$")


@dataclass(frozen=True, slots=True)
class Filters:
    """Parsed parameters: the ``Query`` to run and the cleaned parameters for links."""

    query: Query
    params: tuple[tuple[str, str], ...]
    show_blocked: bool = False

    def values(self, key: str) -> list[str]:
        return [v for k, v in self.params if k == key]

    def value(self, key: str, default: str = "") -> str:
        for k, v in self.params:
            if k == key:
                return v
        return default

    def has(self, key: str, value: str) -> bool:
        return (key, value) in self.params

    def url(self, **changes: Any) -> str:
        """This state's query string with some parameters replaced (``None`` drops one;
        a list sets a repeated one). Any change but ``page`` goes back to page 1."""
        params = [(k, v) for k, v in self.params if k not in changes]
        if "page" not in changes:
            params = [(k, v) for k, v in params if k != "page"]
        for key, value in changes.items():
            if value is None or value == "":
                continue
            if isinstance(value, list | tuple):
                params.extend((key, str(v)) for v in value)
            else:
                params.append((key, str(value)))
        if ("page", "1") in params:
            params.remove(("page", "1"))
        return "?" + urlencode(_ordered(params)) if params else "?"

    def without(self, key: str, value: str) -> str:
        """The query string with one value of a parameter removed."""
        params = [(k, v) for k, v in self.params if not (k == key and v == value) and k != "page"]
        return "?" + urlencode(params) if params else "?"

    def with_added(self, key: str, value: str) -> str:
        params = [(k, v) for k, v in self.params if k != "page"]
        if (key, value) not in params:
            params.append((key, value))
        return "?" + urlencode(_ordered(params))

    @property
    def is_filtered(self) -> bool:
        return any(k not in {"sort", "order", "per_page", "page", "blocked"} for k, _ in self.params)

    @property
    def saved_query(self) -> str:
        """The query string to save as a named filter (no page number)."""
        return urlencode([(k, v) for k, v in self.params if k != "page"])


def _ordered(params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    rank = {k: i for i, k in enumerate(FILTER_KEYS)}
    return sorted(params, key=lambda kv: rank.get(kv[0], len(rank)))


def _number(raw: str, label: str) -> int:
    m = _NUMBER.match(raw)
    if m is None:
        raise QueryError(f"{label} {raw!r} is not a number; write it like 1000, 1,000 or 10k")
    whole = int(m.group(1).replace(",", "").replace("_", ""))
    frac = float("0." + m.group(2)) if m.group(2) else 0.0
    return round((whole + frac) * (1000 if m.group(3) else 1))


def _date(raw: str, label: str, *, end: bool) -> dt.date:
    if not _DATE.match(raw.strip()):
        raise QueryError(f"{label} {raw!r} is not a date; write it as YYYY-MM-DD, YYYY-MM or YYYY")
    q = parse_query(f"updated:{raw.strip()}")
    lo, hi = q.updated
    day = hi if end else lo
    assert day is not None
    return day


def _split_other(raw: str) -> list[str]:
    return [t.strip() for t in raw.split(",") if t.strip()]


def _closed(cls: Any, raw: str, label: str) -> Any:
    member = cls.try_parse(raw)
    if member is None:
        raise QueryError(f"{raw!r} is not an AO3 {label}; use one of: "
                         + ", ".join(m.value for m in cls))
    return member


def _clean(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, raw in pairs:
        if key not in FILTER_KEYS:
            continue
        value = raw.strip()
        if not value or len(value) > _MAX_VALUE:
            continue
        if key not in _MULTI:
            if key in seen:
                continue
            seen.add(key)
        if (key, value) not in out:
            out.append((key, value))
    return out


def parse_filters(pairs: Iterable[tuple[str, str]] | Mapping[str, Sequence[str]], *,
                  blocklist: Sequence[str] = (), per_page: int = DEFAULT_PER_PAGE,
                  facets: bool = True) -> Filters:
    """Turn request parameters into ``Filters``; ``QueryError`` names the bad one.

    Blocked tags are added to the exclusions unless ``blocked=show``.
    """
    if isinstance(pairs, Mapping):
        pairs = [(k, v) for k, vs in pairs.items() for v in vs]
    params = _clean(pairs)
    get = dict((k, v) for k, v in reversed(params))  # first value wins
    include: list[str] = [v for k, v in params if k == "inc"]
    exclude: list[str] = [v for k, v in params if k == "exc"]
    include += _split_other(get.get("other_inc", ""))
    exclude += _split_other(get.get("other_exc", ""))
    for tag in (*include, *exclude):
        if not split_tag(tag)[1]:
            raise QueryError(f"{tag!r} is not a tag")
    show_blocked = get.get("blocked") == "show"
    if not show_blocked:
        for entry in blocklist:
            kind, name = split_tag(entry)
            exclude.append(f"{kind or 'tag'}:{name}")
    ratings = tuple(_closed(Rating, v, "rating") for k, v in params if k == "rating")
    warnings = tuple(_closed(ArchiveWarning, v, "warning") for k, v in params if k == "warning")
    categories = tuple(_closed(Category, v, "category") for k, v in params if k == "category")
    words = (_number(get["words_from"], "words from") if "words_from" in get else None,
             _number(get["words_to"], "words to") if "words_to" in get else None)
    updated = (_date(get["date_from"], "date from", end=False) if "date_from" in get else None,
               _date(get["date_to"], "date to", end=True) if "date_to" in get else None)
    complete = {"T": True, "F": False}.get(get.get("complete", "").upper()[:1])
    sort = get.get("sort", "best").lower()
    if sort not in SORTS:
        raise QueryError(f"sort {sort!r} is unknown; use one of: {', '.join(SORTS)}")
    order = get.get("order", "").lower()
    descending = {"desc": True, "asc": False}.get(order, NATURAL_DESCENDING[sort])
    try:
        page = min(_MAX_PAGE, max(1, int(get.get("page", "1"))))
        size = min(_MAX_PER_PAGE, max(1, int(get.get("per_page", str(per_page)))))
    except ValueError:
        raise QueryError("page and per_page must be whole numbers") from None
    base = Query(include=tuple(dict.fromkeys(include)), exclude=tuple(dict.fromkeys(exclude)),
                 ratings=ratings, warnings=warnings, categories=categories,
                 language=get.get("lang"), complete=complete, words=words, updated=updated,
                 sort=sort, descending=descending, page=page, per_page=size, facets=facets)
    query = parse_query(get.get("q", ""), base=base)
    if "q" in get and "sort" not in get and (query.sort, query.descending) != (sort, descending):
        pass  # the inline sort: wins when no sort parameter was given
    elif "sort" in get:
        query = dataclasses.replace(query, sort=sort, descending=descending)
    return Filters(query=query, params=tuple(params), show_blocked=show_blocked)
