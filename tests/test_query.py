"""The Query value and AO3's inline search syntax (``ficshelf.search``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficshelf.errors import QueryError
from ficshelf.model import ArchiveWarning, Category, Rating
from ficshelf.search import (
    Query,
    format_query,
    normalize_language,
    parse_query,
    split_tag,
    text_terms,
)


def test_empty_query_is_the_default() -> None:
    assert parse_query("") == Query()
    assert parse_query("   \t ") == Query()


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("words>1000", "words", (1001, None)),
        ("words<500", "words", (None, 499)),
        ("words>=1000", "words", (1000, None)),
        ("words<=500", "words", (None, 500)),
        ("words:1000-5000", "words", (1000, 5000)),
        ("words:1,000-5k", "words", (1000, 5000)),
        ("words:>1000", "words", (1001, None)),
        ("word_count:<10k", "words", (None, 9999)),
        ("words:1000", "words", (1000, 1000)),
        ("words:-500", "words", (None, 500)),
        ("words:500-", "words", (500, None)),
        ("kudos:10-100", "kudos", (10, 100)),
        ("hits>100", "hits", (101, None)),
        ("bookmarks_count>=3", "bookmarks", (3, None)),
        ("comments<2", "comments", (None, 1)),
        ("words>1000 words<5000", "words", (1001, 4999)),
        ("words>1000 words>2000", "words", (2001, None)),
    ],
)
def test_number_filters(text: str, field: str, expected: tuple[int | None, int | None]) -> None:
    assert getattr(parse_query(text), field) == expected


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("published>2020-01-01", "published", (dt.date(2020, 1, 2), None)),
        ("published<2020-01-01", "published", (None, dt.date(2019, 12, 31))),
        ("published>=2020-01-01", "published", (dt.date(2020, 1, 1), None)),
        ("published:2020", "published", (dt.date(2020, 1, 1), dt.date(2020, 12, 31))),
        ("updated:2021-02", "updated", (dt.date(2021, 2, 1), dt.date(2021, 2, 28))),
        ("updated>2020", "updated", (dt.date(2021, 1, 1), None)),
        ("updated<=2020-06", "updated", (None, dt.date(2020, 6, 30))),
        ("published:2019-05-01..2020-01-31", "published", (dt.date(2019, 5, 1), dt.date(2020, 1, 31))),
        ("published:2019-2020", "published", (dt.date(2019, 1, 1), dt.date(2020, 12, 31))),
        ("revised_at:2020-01-01-2020-12-31", "updated", (dt.date(2020, 1, 1), dt.date(2020, 12, 31))),
    ],
)
def test_date_filters(text: str, field: str, expected: tuple[dt.date | None, dt.date | None]) -> None:
    assert getattr(parse_query(text), field) == expected


def test_tags_include_and_exclude() -> None:
    q = parse_query('fandom:"Sherlock (TV)" tag:"Hurt/Comfort" relationship:A/B -tag:Angst '
                    '-character:"Jane Doe" freeform:Fluff additional:Crack')
    assert q.include == ("fandom:Sherlock (TV)", "tag:Hurt/Comfort", "relationship:A/B",
                         "freeform:Fluff", "freeform:Crack")
    assert q.exclude == ("tag:Angst", "character:Jane Doe")
    assert q.text == ""


def test_closed_sets_are_any_of_and_accept_ao3_spellings() -> None:
    q = parse_query('rating:"Teen And Up Audiences" rating:e warning:"No Archive Warnings Apply" '
                    'warning:mcd category:m/m category:"F/F" rating:teen')
    assert q.ratings == (Rating.TEEN, Rating.EXPLICIT)
    assert q.warnings == (ArchiveWarning.NONE_APPLY, ArchiveWarning.MAJOR_CHARACTER_DEATH)
    assert q.categories == (Category.MM, Category.FF)


def test_negated_closed_set_becomes_an_excluded_tag() -> None:
    q = parse_query("-rating:explicit -warning:underage")
    assert q.exclude == ("rating:Explicit", "warning:Underage Sex")
    assert q.ratings == ()


def test_flags_language_and_sort() -> None:
    q = parse_query("complete:true single_chapter:no language:en sort:>words")
    assert (q.complete, q.single_chapter, q.language) == (True, False, "en")
    assert (q.sort, q.descending) == ("words", True)
    assert parse_query("-complete:true").complete is False
    assert parse_query("complete:all").complete is None
    assert (parse_query("sort:<title").sort, parse_query("sort:<title").descending) == ("title", False)
    assert parse_query("sort:title").descending is False
    assert parse_query("sort:kudos").descending is True
    assert parse_query("sort:<kudos").descending is False
    assert parse_query("sort:kudos_count").sort == "kudos"
    assert parse_query("sort:_score").sort == "best"


def test_text_keeps_words_phrases_and_exclusions_in_order() -> None:
    q = parse_query('dragons "slow burn" words>10 -angst -"bad end" Re:Zero drag*')
    assert q.text == 'dragons "slow burn" -angst -"bad end" Re:Zero drag*'
    assert text_terms(q.text).include == ("dragons", "slow burn", "re:zero", "drag*")
    assert text_terms(q.text).exclude == ("angst", "bad end")


def test_typographic_quotes_work_like_straight_ones() -> None:
    q = parse_query("fandom:“Sherlock (TV)” “slow burn”")
    assert q.include == ("fandom:Sherlock (TV)",)
    assert q.text == '"slow burn"'


def test_text_terms_fold_apostrophes_and_case() -> None:
    assert text_terms("Don’t go WHERE").include == ("dont", "go", "where")
    assert text_terms("don't").include == text_terms("don‘t").include == text_terms("dont").include
    assert text_terms('!!! "..." -').include == ()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("words>lots", "'words>lots' (at character 1)"),
        ("dragons kudos:ten", "'kudos:ten' (at character 9)"),
        ('fandom:"Sherlock', "quote is not closed"),
        ('"slow burn', "quote is not closed"),
        ("wrods>1000", "'wrods' is not a field"),
        ("rating:purple", "not an AO3 rating"),
        ("category:x/y", "not an AO3 category"),
        ("sort:popularity", "unknown sort 'popularity'"),
        ("complete:maybe", "expected true or false"),
        ("published>2020-13-01", "not a real date"),
        ("published>yesterday", "expected a date"),
        ("fandom:", "give a value"),
        ('tag:""', "value is empty"),
        ("-words>5", "cannot be negated"),
        ("fandom>x", "use name:value"),
        ("sort:>=words", "sort:>key"),
    ],
)
def test_bad_syntax_names_the_token(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(text)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_parse_adds_to_a_base_query() -> None:
    base = Query(text="dragons", include=("fandom:X",), words=(100, 5000), sort="kudos")
    q = parse_query("tag:Fluff words>1000 knights", base=base)
    assert q.text == "dragons knights"
    assert q.include == ("fandom:X", "tag:Fluff")
    assert q.words == (1001, 5000)
    assert q.sort == "kudos"


def test_query_validates_its_fields() -> None:
    with pytest.raises(QueryError, match="sort"):
        Query(sort="popularity")
    with pytest.raises(QueryError, match="page"):
        Query(page=0)
    with pytest.raises(QueryError, match="per_page"):
        Query(per_page=0)
    with pytest.raises(QueryError, match="rating"):
        Query(ratings=("Purple",))  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="not a tag"):
        Query(include=("fandom:  ",))
    assert Query(ratings=("teen", Rating.TEEN)).ratings == (Rating.TEEN,)  # type: ignore[arg-type]


def test_split_tag_and_language() -> None:
    assert split_tag("fandom:Sherlock (TV)") == ("fandom", "Sherlock (TV)")
    assert split_tag("Character: Jane") == ("character", "Jane")
    assert split_tag("Hurt/Comfort") == (None, "Hurt/Comfort")
    assert split_tag("Re:Zero") == (None, "Re:Zero")
    assert normalize_language("English") == normalize_language("en") == "en"
    assert normalize_language("Español") == normalize_language("es")
    assert normalize_language("Português brasileiro") == "pt-br"


# --- round trip: format_query(parse_query(s)) parses back to the same query -----------

_names = st.text(alphabet=st.sampled_from("abcXYZ /&()-'é"), min_size=1, max_size=12).filter(
    lambda s: s.strip() and not s.strip().startswith("-"))
_words = st.text(alphabet=st.sampled_from("abcdefgh’'"), min_size=1, max_size=8).filter(
    lambda s: s[0] not in "-")
_ints = st.integers(min_value=0, max_value=10**7)
_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


def _ordered(r: tuple[Any, Any]) -> bool:
    return r[0] is None or r[1] is None or bool(r[0] <= r[1])


def _range(values: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, Any]]:
    return st.tuples(st.none() | values, st.none() | values).filter(_ordered)


@st.composite
def queries(draw: st.DrawFn) -> Query:
    kinds = st.sampled_from(["fandom", "relationship", "character", "freeform", "tag"])
    words = draw(st.lists(_words, max_size=3))
    phrases = draw(st.lists(st.lists(_words, min_size=2, max_size=3).map(" ".join), max_size=2))
    text = " ".join([*words, *(f'"{p}"' for p in phrases)])
    include = tuple(f"{k}:{n.strip()}" for k, n in draw(st.lists(st.tuples(kinds, _names), max_size=3)))
    exclude = tuple(f"{k}:{n.strip()}" for k, n in draw(st.lists(st.tuples(kinds, _names), max_size=2)))
    sort = draw(st.sampled_from(["best", "title", "author", "published", "updated", "words", "kudos"]))
    return Query(
        text=text, include=include, exclude=exclude,
        ratings=tuple(dict.fromkeys(draw(st.lists(st.sampled_from(list(Rating)), max_size=2)))),
        warnings=tuple(dict.fromkeys(draw(st.lists(st.sampled_from(list(ArchiveWarning)), max_size=2)))),
        categories=tuple(dict.fromkeys(draw(st.lists(st.sampled_from(list(Category)), max_size=2)))),
        language=draw(st.none() | st.sampled_from(["en", "English", "fr"])),
        complete=draw(st.none() | st.booleans()), single_chapter=draw(st.none() | st.booleans()),
        words=draw(_range(_ints)), kudos=draw(_range(_ints)), hits=draw(_range(_ints)),
        published=draw(_range(_dates)), updated=draw(_range(_dates)),
        sort=sort, descending=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None)
@given(queries())
def test_format_then_parse_gives_the_query_back(q: Query) -> None:
    back = parse_query(format_query(q))
    assert back == dataclasses.replace(q, text=" ".join(q.text.split()))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_input_parses_or_raises_query_error(text: str) -> None:
    try:
        q = parse_query(text)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(q, Query)
