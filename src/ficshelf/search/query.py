"""The search ``Query`` value and AO3's inline search syntax.

A ``Query`` says what to find (full text, tags to include and exclude,
closed-set filters, ranges) and how to show it (sort, page, facets). The store
turns it into SQL; this module has no I/O.

Inline syntax (what a reader types into one search box)::

    query    := term*                       terms are separated by white space
    term     := ["-"] (filter | phrase | word)
    filter   := NAME ":" value              fandom:"Sherlock (TV)"  complete:true
              | NAME (">"|"<"|">="|"<=") value                words>1000
              | NAME ":" (">"|"<"|">="|"<=") value            kudos:>100
    value    := '"' any text but '"' '"' | a run of non-space characters
    phrase   := '"' words '"'               "slow burn"  (full text, words in order)
    word     := a run of non-space chars    dragons  drag*  (a trailing * matches prefixes)

Filters (names are case-insensitive; AO3's own field names are accepted too):

- tags: ``tag:`` (any type), ``fandom:``, ``relationship:``, ``character:``,
  ``freeform:`` (``additional:``); several are ANDed. ``-tag:X`` (or ``-fandom:X``...)
  excludes: any one excluded tag drops a work.
- closed sets: ``rating:``, ``warning:``, ``category:`` (several of one kind are
  any-of, like AO3's check boxes; ``-rating:Explicit`` excludes).
- numbers: ``words``, ``kudos``, ``hits``, ``bookmarks``, ``comments`` with ``>``,
  ``<``, ``>=``, ``<=``, an exact ``:N`` or a range ``:N-M`` (``10k`` = 10000).
- dates: ``published``, ``updated`` with the same operators; a date is
  ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``:A..B`` or ``:A-B`` for a range.
- ``complete:true|false``, ``single_chapter:true|false``, ``language:en``.
- ``sort:words`` (the field's natural direction: title and author A-Z, others
  highest or newest first), ``sort:>words`` descending, ``sort:<title`` ascending.
- ``rank:all`` ranks every match by best match, however many (``rank:N`` ranks
  the newest N; see ``Query.rank_limit``).

A ``name:value`` whose name is not a filter is kept as text (``Re:Zero``), but
``name>value`` with an unknown name is an error. Bad syntax raises
``QueryError`` naming the token and its position.

>>> q = parse_query('dragons words>1000 sort:>kudos fandom:"Sherlock (TV)" -tag:Angst')
>>> q.text, q.words, q.sort, q.descending, q.include, q.exclude
('dragons', (1001, None), 'kudos', True, ('fandom:Sherlock (TV)',), ('tag:Angst',))
>>> parse_query('kudos:10-100 complete:true rating:teen rating:g').ratings
(<Rating.TEEN: 'Teen And Up Audiences'>, <Rating.GENERAL: 'General Audiences'>)
>>> parse_query('published>2020-01-01 -"bad end" dont').published
(datetime.date(2020, 1, 2), None)
>>> parse_query('sort:title').descending
False
>>> format_query(parse_query('words:1000-5000 "slow burn" -angst'))
'"slow burn" -angst words:1000-5000'
>>> parse_query('words>lots')
Traceback (most recent call last):
...
ficshelf.errors.QueryError: 'words>lots' (at character 1): expected a number such as 1000, 10k or 1,000
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from ficshelf.errors import QueryError
from ficshelf.model import ArchiveWarning, Category, Rating
from ficshelf.text import fold_for_match

__all__ = [
    "CLOSED_KINDS",
    "DEFAULT_PER_PAGE",
    "MAX_PER_PAGE",
    "NATURAL_DESCENDING",
    "RANK_LIMIT",
    "SORTS",
    "TAG_KINDS",
    "DateRange",
    "IntRange",
    "Query",
    "TextTerms",
    "format_query",
    "normalize_language",
    "parse_query",
    "split_tag",
    "text_terms",
]

IntRange = tuple[int | None, int | None]
DateRange = tuple[dt.date | None, dt.date | None]

SORTS: Final = ("best", "title", "author", "published", "updated", "words", "kudos", "hits",
                "bookmarks", "comments")
#: The direction a sort key takes when none is given (``sort:title`` is A-Z).
NATURAL_DESCENDING: Final = {s: s not in {"title", "author"} for s in SORTS}
#: Tag types, as written in ``include``/``exclude`` prefixes and ``Store.tags(kind=...)``.
TAG_KINDS: Final = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")
CLOSED_KINDS: Final = ("rating", "warning", "category")
DEFAULT_PER_PAGE: Final = 20
MAX_PER_PAGE: Final = 10_000
#: Best match ranks at most this many matches by default: the most recently added
#: ones when more match (ranking costs about a microsecond per match; see
#: ``Query.rank_limit``).
RANK_LIMIT: Final = 5_000


@dataclass(frozen=True, kw_only=True, slots=True)
class Query:
    """What to find and how to show it; every field has a do-nothing default.

    ``include``/``exclude`` hold tags, optionally prefixed with their type
    (``"fandom:Sherlock (TV)"``); unprefixed tags match any type. Closed-set
    filters accept members or AO3 spellings (``ratings=("Teen",)``). Ranges are
    inclusive ``(low, high)`` with ``None`` for open ends. ``sort="best"`` ranks
    by relevance when there is text and falls back to ``updated`` otherwise.

    ``rank_limit``: when more works than this match a best-match search, only
    the most recently added ``rank_limit`` of them are ranked (they come first,
    best first; the others follow, newest first; ``SearchResult.ranked_only``
    says so); ``None`` ranks every match, however many.
    """

    text: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ratings: tuple[Rating, ...] = ()
    warnings: tuple[ArchiveWarning, ...] = ()
    categories: tuple[Category, ...] = ()
    language: str | None = None
    complete: bool | None = None
    single_chapter: bool | None = None
    words: IntRange = (None, None)
    kudos: IntRange = (None, None)
    hits: IntRange = (None, None)
    bookmarks: IntRange = (None, None)
    comments: IntRange = (None, None)
    published: DateRange = (None, None)
    updated: DateRange = (None, None)
    sort: str = "best"
    descending: bool = True
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    facets: bool = True
    rank_limit: int | None = RANK_LIMIT

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "include", tuple(self.include))
        set_(self, "exclude", tuple(self.exclude))
        set_(self, "ratings", _closed(Rating, self.ratings, "rating"))
        set_(self, "warnings", _closed(ArchiveWarning, self.warnings, "warning"))
        set_(self, "categories", _closed(Category, self.categories, "category"))
        for tag in (*self.include, *self.exclude):
            if not isinstance(tag, str) or not split_tag(tag)[1]:
                raise QueryError(f"{tag!r} is not a tag: give a tag name, optionally prefixed "
                                 f"with its type (fandom:, relationship:, ...)")
        if self.sort not in SORTS:
            raise QueryError(f"sort {self.sort!r} is unknown; use one of: {', '.join(SORTS)}")
        if not isinstance(self.page, int) or self.page < 1:
            raise QueryError(f"page {self.page!r} must be a whole number from 1 up")
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page {self.per_page!r} must be between 1 and {MAX_PER_PAGE}")
        if self.rank_limit is not None and (not isinstance(self.rank_limit, int)
                                            or self.rank_limit < 1):
            raise QueryError(f"rank_limit {self.rank_limit!r} must be a whole number from 1 up, "
                             "or None to rank every match")
        for name in ("words", "kudos", "hits", "bookmarks", "comments", "published", "updated"):
            rng = getattr(self, name)
            if not (isinstance(rng, tuple) and len(rng) == 2):
                raise QueryError(f"{name} must be a (low, high) pair, got {rng!r}")

    @property
    def has_text(self) -> bool:
        """True when the full-text part has at least one word to look for."""
        terms = text_terms(self.text)
        return bool(terms.include or terms.exclude)


_C = TypeVar("_C", Rating, ArchiveWarning, Category)


def _closed(cls: type[_C], values: Any, what: str) -> tuple[_C, ...]:
    out: list[_C] = []
    for v in values:
        if isinstance(v, cls):
            member = v
        else:
            member = cls.try_parse(str(v))
            if member is None:
                raise QueryError(f"{v!r} is not an AO3 {what}; use one of: "
                                 + ", ".join(m.value for m in cls))
        if member not in out:
            out.append(member)
    return tuple(out)


def split_tag(tag: str) -> tuple[str | None, str]:
    """``"fandom:Sherlock (TV)"`` -> ``("fandom", "Sherlock (TV)")``; no known prefix -> kind None.

    >>> split_tag("Relationships: A/B"), split_tag("tag:Angst"), split_tag("Re:Zero")
    (('relationship', 'A/B'), (None, 'Angst'), (None, 'Re:Zero'))
    """
    head, sep, rest = tag.partition(":")
    if sep:
        field = _FIELD_ALIASES.get(head.strip().casefold().replace(" ", "_"))
        if field == "tag":
            return None, rest.strip()
        if field in TAG_KINDS:
            return field, rest.strip()
    return None, tag.strip()


# --- full-text terms ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextTerms:
    """Full-text terms, folded for matching. Each is one word or a phrase of
    words in order; a trailing ``*`` marks a prefix search."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


_TEXT_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_WORDISH = re.compile(r"\w")
_DQUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'})


def text_terms(text: str) -> TextTerms:
    """Split the full-text part of a query into folded terms.

    >>> text_terms('Don’t "go where" -angst drag* !!')
    TextTerms(include=('dont', 'go where', 'drag*'), exclude=('angst',))
    """
    include: list[str] = []
    exclude: list[str] = []
    for m in _TEXT_TOKEN.finditer(text.translate(_DQUOTES)):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        raw = phrase if phrase is not None else word
        folded = fold_for_match(raw)
        if not _WORDISH.search(folded):
            continue
        (exclude if neg else include).append(folded)
    return TextTerms(tuple(include), tuple(exclude))


# --- languages ------------------------------------------------------------------

_LANGUAGES: Final[dict[str, tuple[str, ...]]] = {
    "en": ("english",), "es": ("español", "spanish"), "fr": ("français", "french"),
    "de": ("deutsch", "german"), "it": ("italiano", "italian"), "pt": ("português", "portuguese"),
    "pt-br": ("português brasileiro", "brazilian portuguese"), "ru": ("русский", "russian"),
    "zh": ("中文", "中文-普通话 國語", "chinese"), "ja": ("日本語", "japanese"),
    "ko": ("한국어", "korean"), "pl": ("polski", "polish"), "nl": ("nederlands", "dutch"),
    "sv": ("svenska", "swedish"), "fi": ("suomi", "finnish"), "da": ("dansk", "danish"),
    "no": ("norsk", "norwegian"), "cs": ("čeština", "czech"), "hu": ("magyar", "hungarian"),
    "tr": ("türkçe", "turkish"), "uk": ("українська", "ukrainian"),
    "vi": ("tiếng việt", "vietnamese"), "id": ("bahasa indonesia", "indonesian"),
    "ar": ("العربية", "arabic"), "he": ("עברית", "hebrew"), "el": ("ελληνικά", "greek"),
    "ca": ("català", "catalan"), "ro": ("română", "romanian"), "th": ("ไทย", "thai"),
    "la": ("lingua latina", "latin"), "eo": ("esperanto",),
}
_LANGUAGE_KEYS: Final = {
    **{code: code for code in _LANGUAGES},
    **{name: code for code, names in _LANGUAGES.items() for name in names},
}


def normalize_language(language: str) -> str:
    """A comparable key for a language as AO3 writes it (name or code).

    >>> normalize_language("English"), normalize_language("en"), normalize_language("EN-us")
    ('en', 'en', 'en')
    >>> normalize_language("Klingon")
    'klingon'
    """
    key = " ".join(language.casefold().replace("_", "-").split())
    if key in _LANGUAGE_KEYS:
        return _LANGUAGE_KEYS[key]
    base = key.split("-")[0]
    return base if base in _LANGUAGES else key


# --- the inline parser ----------------------------------------------------------

_FIELD_ALIASES: Final = {
    **{k: k for k in ("tag", "fandom", "relationship", "character", "freeform", "rating", "warning",
                      "category", "words", "kudos", "hits", "bookmarks", "comments", "published",
                      "updated", "complete", "single_chapter", "language", "sort", "rank")},
    "tags": "tag", "fandoms": "fandom", "relationships": "relationship", "ship": "relationship",
    "characters": "character", "freeforms": "freeform", "additional": "freeform",
    "additional_tags": "freeform", "freeform_tags": "freeform", "ratings": "rating",
    "warnings": "warning", "archive_warning": "warning", "archive_warnings": "warning",
    "categories": "category", "word_count": "words", "kudos_count": "kudos", "hit_count": "hits",
    "bookmarks_count": "bookmarks", "comments_count": "comments", "created_at": "published",
    "revised_at": "updated", "date": "updated", "completion": "complete",
    "complete_only": "complete", "singlechapter": "single_chapter", "oneshot": "single_chapter",
    "language_id": "language", "lang": "language", "sort_column": "sort", "sort_by": "sort",
}
_SORT_ALIASES: Final = {
    **{s: s for s in SORTS},
    "_score": "best", "score": "best", "relevance": "best", "best_match": "best",
    "title_to_sort_on": "title", "authors_to_sort_on": "author", "authors": "author",
    "creator": "author", "created_at": "published", "revised_at": "updated", "date": "updated",
    "word_count": "words", "kudos_count": "kudos", "hit_count": "hits",
    "bookmarks_count": "bookmarks", "comments_count": "comments",
}
_NUMBER_FIELDS: Final = ("words", "kudos", "hits", "bookmarks", "comments")
_DATE_FIELDS: Final = ("published", "updated")
_TRUE: Final = frozenset({"true", "yes", "t", "y", "1", "on"})
_FALSE: Final = frozenset({"false", "no", "f", "n", "0", "off"})

_TOKEN = re.compile(
    r"""
    (?P<neg>-)?
    (?:
        (?P<field>[A-Za-z_]+)(?P<op>:[<>]=?|:|>=|<=|>|<)(?P<value>"[^"]*"?|[^\s"]+)?
      | (?P<phrase>"[^"]*"?)
      | (?P<word>[^\s"]\S*)
    )
    """,
    re.VERBOSE,
)
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d[\d,_]*(?:\.\d+)?[kK]?")
_NUM_RANGE = re.compile(rf"^(?P<lo>{_NUMBER.pattern})?\s*-\s*(?P<hi>{_NUMBER.pattern})?$")
_DATE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_DATE_RANGE = re.compile(rf"^(?P<lo>{_DATE})?\s*(?:\.\.|-|\bto\b)\s*(?P<hi>{_DATE})?$")


class _Builder:
    """Mutable state while parsing; becomes a Query at the end."""

    def __init__(self, base: Query) -> None:
        self.values: dict[str, Any] = {f.name: getattr(base, f.name) for f in dataclasses.fields(Query)}
        self.text: list[str] = [base.text] if base.text.strip() else []


def parse_query(text: str, *, base: Query | None = None) -> Query:
    """Parse AO3's inline syntax into a Query (added to ``base`` when given).

    Text terms are appended to ``base.text``, tags to ``base.include`` /
    ``base.exclude``, ranges are intersected with ``base``'s, and ``sort``,
    ``language`` and the true/false filters replace ``base``'s.
    """
    b = _Builder(base or Query())
    src = text.translate(_DQUOTES)
    pos = 0
    while True:
        space = _SPACE.match(src, pos)
        if space:
            pos = space.end()
        if pos >= len(src):
            break
        m = _TOKEN.match(src, pos)
        if m is None:  # pragma: no cover - the word branch matches any non-space
            raise QueryError(f"cannot read the query at character {pos + 1}: {src[pos:pos + 20]!r}")
        _apply(b, m, pos + 1)
        pos = m.end()
    values = b.values
    values["text"] = " ".join(b.text)
    try:
        return Query(**values)
    except QueryError:
        raise
    except (TypeError, ValueError) as exc:  # pragma: no cover - defensive
        raise QueryError(f"cannot build the query: {exc}") from exc


def _unquote(raw: str, token: str, at: int) -> str:
    if raw.startswith('"'):
        if len(raw) < 2 or not raw.endswith('"'):
            raise QueryError(f"{token!r} (at character {at}): the quote is not closed; add a closing \"")
        return raw[1:-1].strip()
    return raw


def _apply(b: _Builder, m: re.Match[str], at: int) -> None:
    token = m.group(0)
    neg = bool(m.group("neg"))
    if m.group("phrase") is not None:
        _unquote(m.group("phrase"), token, at)
        b.text.append(token)
        return
    if m.group("word") is not None:
        if token != "-":
            b.text.append(token)
        return
    name = m.group("field")
    op = m.group("op")
    field = _FIELD_ALIASES.get(name.casefold())
    if field is None:
        if op == ":":  # "Re:Zero" and the like stay text
            b.text.append(token)
            return
        raise QueryError(f"{token!r} (at character {at}): {name!r} is not a field; use one of: "
                         "words, kudos, hits, bookmarks, comments, published, updated")
    raw_value = m.group("value")
    if raw_value is None:
        raise QueryError(f"{token!r} (at character {at}): give a value after {name}{op}")
    value = _unquote(raw_value, token, at)
    if not value:
        raise QueryError(f"{token!r} (at character {at}): the value is empty")
    comparison = op.lstrip(":")
    handler = _HANDLERS[_kind_of(field)]
    handler(b, field, neg, comparison, value, token, at)


def _kind_of(field: str) -> str:
    if field in _NUMBER_FIELDS:
        return "number"
    if field in _DATE_FIELDS:
        return "date"
    if field in {"tag", "fandom", "relationship", "character", "freeform"}:
        return "tag"
    return field


def _no_neg(neg: bool, token: str, at: int) -> None:
    if neg:
        raise QueryError(f"{token!r} (at character {at}): this filter cannot be negated with '-'")


def _no_comparison(comparison: str, token: str, at: int) -> None:
    if comparison:
        raise QueryError(f"{token!r} (at character {at}): use name:value here, not {comparison}")


def _tag(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str, at: int) -> None:
    _no_comparison(comparison, token, at)
    key = "exclude" if neg else "include"
    b.values[key] = (*b.values[key], f"{field}:{value}")


def _closed_filter(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
                   at: int) -> None:
    _no_comparison(comparison, token, at)
    classes: dict[str, Any] = {"rating": Rating, "warning": ArchiveWarning, "category": Category}
    cls = classes[field]
    member = cls.try_parse(value)
    if member is None:
        raise QueryError(f"{token!r} (at character {at}): not an AO3 {field}; use one of: "
                         + ", ".join(m.value for m in cls))
    if neg:
        b.values["exclude"] = (*b.values["exclude"], f"{field}:{member.value}")
        return
    key = {"rating": "ratings", "warning": "warnings", "category": "categories"}[field]
    if member not in b.values[key]:
        b.values[key] = (*b.values[key], member)


def _number(text: str, token: str, at: int) -> int:
    t = text.replace(",", "").replace("_", "")
    scale = 1
    if t[-1:] in {"k", "K"}:
        t, scale = t[:-1], 1000
    try:
        return round(float(t) * scale)
    except ValueError:
        raise QueryError(f"{token!r} (at character {at}): expected a number such as 1000, 10k or "
                         "1,000") from None


def _intersect(old: tuple[Any, Any], lo: Any, hi: Any) -> tuple[Any, Any]:
    olo, ohi = old
    new_lo = lo if olo is None else (olo if lo is None else max(olo, lo))
    new_hi = hi if ohi is None else (ohi if hi is None else min(ohi, hi))
    return (new_lo, new_hi)


def _range_filter(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
                  at: int, *, parse_one: Callable[[str, str, int], tuple[Any, Any]],
                  step: Callable[[Any, int], Any], range_re: re.Pattern[str]) -> None:
    _no_neg(neg, token, at)
    if comparison:
        first, last = parse_one(value, token, at)
        lo, hi = {
            ">": (step(last, 1), None), ">=": (first, None),
            "<": (None, step(first, -1)), "<=": (None, last),
        }[comparison]
    else:
        try:
            lo, hi = parse_one(value, token, at)
        except QueryError:
            m = range_re.match(value)
            if m is None or not (m.group("lo") or m.group("hi")):
                raise
            lo = parse_one(m.group("lo"), token, at)[0] if m.group("lo") else None
            hi = parse_one(m.group("hi"), token, at)[1] if m.group("hi") else None
    b.values[field] = _intersect(b.values[field], lo, hi)


def _one_number(value: str, token: str, at: int) -> tuple[int, int]:
    if not _NUMBER.fullmatch(value):
        raise QueryError(f"{token!r} (at character {at}): expected a number such as 1000, 10k or "
                         "1,000")
    n = _number(value, token, at)
    return n, n


def _one_date(value: str, token: str, at: int) -> tuple[dt.date, dt.date]:
    parts = value.split("-")
    if not re.fullmatch(_DATE, value):
        raise QueryError(f"{token!r} (at character {at}): expected a date as YYYY, YYYY-MM or "
                         "YYYY-MM-DD")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        day = dt.date(year, month, int(parts[2]))
    except ValueError:
        raise QueryError(f"{token!r} (at character {at}): {value!r} is not a real date") from None
    return day, day


def _number_filter(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
                   at: int) -> None:
    _range_filter(b, field, neg, comparison, value, token, at, parse_one=_one_number,
                  step=lambda n, d: n + d, range_re=_NUM_RANGE)


def _date_filter(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
                 at: int) -> None:
    _range_filter(b, field, neg, comparison, value, token, at, parse_one=_one_date,
                  step=lambda d, n: d + dt.timedelta(days=n), range_re=_DATE_RANGE)


def _bool_value(value: str, token: str, at: int) -> bool | None:
    v = value.casefold()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    if v in {"all", "any", "either"}:
        return None
    raise QueryError(f"{token!r} (at character {at}): expected true or false")


def _bool_filter(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
                 at: int) -> None:
    _no_comparison(comparison, token, at)
    flag = _bool_value(value, token, at)
    if neg and flag is not None:
        flag = not flag
    b.values[field] = flag


def _language(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
              at: int) -> None:
    _no_neg(neg, token, at)
    _no_comparison(comparison, token, at)
    b.values["language"] = value


def _sort(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
          at: int) -> None:
    _no_neg(neg, token, at)
    direction = comparison
    if not direction and value[:1] in {"<", ">"}:
        direction, value = value[0], value[1:]
    if direction not in {"", "<", ">"}:
        raise QueryError(f"{token!r} (at character {at}): write sort:>key or sort:<key")
    key = _SORT_ALIASES.get(value.casefold())
    if key is None:
        raise QueryError(f"{token!r} (at character {at}): unknown sort {value!r}; use one of: "
                         + ", ".join(SORTS))
    b.values["sort"] = key
    b.values["descending"] = {">": True, "<": False}.get(direction, NATURAL_DESCENDING[key])


def _rank(b: _Builder, field: str, neg: bool, comparison: str, value: str, token: str,
          at: int) -> None:
    _no_neg(neg, token, at)
    _no_comparison(comparison, token, at)
    if value.casefold() == "all":
        b.values["rank_limit"] = None
        return
    if not _NUMBER.fullmatch(value) or _number(value, token, at) < 1:
        raise QueryError(f"{token!r} (at character {at}): write rank:all, or rank:N with N a "
                         "number from 1 up")
    b.values["rank_limit"] = _number(value, token, at)


_HANDLERS: Final[dict[str, Callable[[_Builder, str, bool, str, str, str, int], None]]] = {
    "tag": _tag, "rating": _closed_filter, "warning": _closed_filter, "category": _closed_filter,
    "number": _number_filter, "date": _date_filter, "complete": _bool_filter,
    "single_chapter": _bool_filter, "language": _language, "sort": _sort, "rank": _rank,
}


# --- back to text ---------------------------------------------------------------


def _quote(value: str) -> str:
    return f'"{value}"' if (not value or any(c.isspace() for c in value) or '"' in value
                            or value.startswith("-")) else value


def _fmt_value(v: Any) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _fmt_range(lo: Any, hi: Any) -> str:
    s = _fmt_value
    if lo is not None and hi is not None:
        sep = ".." if isinstance(lo, dt.date) else "-"
        return ":" + s(lo) if lo == hi else f":{s(lo)}{sep}{s(hi)}"
    if lo is not None:
        return ">=" + s(lo)
    return "<=" + s(hi)


def format_query(query: Query) -> str:
    """The query in inline syntax (``parse_query(format_query(q))`` gives ``q`` back,
    paging and the facets flag aside).

    >>> format_query(Query(text="x", include=("fandom:A B",), sort="title", descending=False))
    'x fandom:"A B" sort:<title'
    """
    parts: list[str] = [query.text.strip()] if query.text.strip() else []
    for tag in query.include:
        kind, name = split_tag(tag)
        parts.append(f"{kind or 'tag'}:{_quote(name)}")
    for tag in query.exclude:
        kind, name = split_tag(tag)
        parts.append(f"-{kind or 'tag'}:{_quote(name)}")
    for field, members in (("rating", query.ratings), ("warning", query.warnings),
                           ("category", query.categories)):
        parts.extend(f"{field}:{_quote(m.value)}" for m in members)
    if query.language is not None:
        parts.append(f"language:{_quote(query.language)}")
    for field in ("complete", "single_chapter"):
        flag = getattr(query, field)
        if flag is not None:
            parts.append(f"{field}:{'true' if flag else 'false'}")
    for field in (*_NUMBER_FIELDS, *_DATE_FIELDS):
        lo, hi = getattr(query, field)
        if lo is not None or hi is not None:
            parts.append(field + _fmt_range(lo, hi))
    if query.sort != "best" or not query.descending:
        parts.append(f"sort:{'>' if query.descending else '<'}{query.sort}")
    if query.rank_limit != RANK_LIMIT:
        parts.append(f"rank:{'all' if query.rank_limit is None else query.rank_limit}")
    return " ".join(parts)
