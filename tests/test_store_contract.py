"""Contract tests for ``ficshelf.store.Store``: every backend must pass them.

Backends are listed in ``BACKENDS`` (a factory taking an empty folder); a
PostgreSQL store joins by adding its factory. The small library below is our
own invention, written for these tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficshelf.errors import InputError, StoreError, WorkNotFound
from ficshelf.model import ArchiveWarning, Category, Chapter, Rating, SeriesRef, Stats, Tags, Work
from ficshelf.search import Query, parse_query
from ficshelf.store import AddResult, Store, open_library

Factory = Callable[[Path], Store]
BACKENDS: dict[str, Factory] = {"sqlite": lambda folder: open_library(folder)}


@pytest.fixture(params=sorted(BACKENDS))
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """A function making fresh, empty stores of one backend (closed at the end)."""
    made: list[Store] = []

    def make() -> Store:
        store = BACKENDS[request.param](tmp_path / f"lib{len(made)}")
        made.append(store)
        return store

    yield make
    for s in made:
        s.close()


@pytest.fixture
def store(new_store: Callable[[], Store]) -> Store:
    return new_store()


def ch(number: int, text: str, **kw: object) -> Chapter:
    return Chapter(number=number, text=text, **kw)  # type: ignore[arg-type]


# --- the test library ---------------------------------------------------------------

HL = "Harbour Lights (TV)"
CO = "Clockwork Orchard (Video Game)"
CO_ALL = "Clockwork Orchard - All Media Types"


def library_works() -> list[Work]:
    """Eight invented works with every kind of tag and stat the search uses."""
    return [
        Work(
            title="Don‘t Go Where I Can’t Follow", authors=("tidewatcher",), ao3_id="101",
            summary="Mara keeps the light. Ilse keeps leaving.", language="English",
            published=dt.date(2020, 3, 1), updated=dt.date(2020, 5, 1), complete=True,
            chapter_count=1, chapters_expected=1, words=1200,
            stats=Stats(kudos=50, hits=900, bookmarks=5, comments=7),
            tags=Tags(rating=Rating.TEEN, warnings=(ArchiveWarning.NONE_APPLY,),
                      categories=(Category.FF,), fandoms=(HL,),
                      relationships=("Mara Venn/Ilse Dorn",), characters=("Mara Venn", "Ilse Dorn"),
                      freeforms=("Angst", "Hurt/Comfort")),
            chapters=(ch(1, "The lighthouse keeper didn’t sleep. She counted ships instead, "
                            "and the tide counted her.\n\nShe wouldn’t say it aloud."),),
        ),
        Work(
            title="Salt and Smoke", authors=("quillfeather",), ao3_id="102",
            summary="A very small story about soup.", language="en",
            published=dt.date(2021, 1, 10), complete=True, words=300,
            stats=Stats(kudos=10, hits=100, bookmarks=1, comments=0),
            tags=Tags(rating=Rating.GENERAL, warnings=(ArchiveWarning.NONE_APPLY,),
                      categories=(Category.GEN,), fandoms=(HL,), characters=("Ilse Dorn",),
                      freeforms=("Fluff", "Hurt/Comfort")),
            chapters=(ch(1, "Ilse made soup with <b>bold</b> claims & ampersands, and too much "
                            "salt. Nobody complained about the soup."),),
        ),
        Work(
            title="The Long Way Round", authors=("tidewatcher", "quillfeather"), ao3_id="103",
            summary="Three chapters of a road that will not end.", language="English",
            published=dt.date(2019, 6, 1), updated=dt.date(2022, 2, 2), complete=False,
            chapter_count=3, chapters_expected=None, words=15000,
            stats=Stats(kudos=500, hits=12000, bookmarks=80, comments=95),
            tags=Tags(rating=Rating.MATURE, warnings=(ArchiveWarning.MAJOR_CHARACTER_DEATH,),
                      categories=(Category.FF, Category.MULTI), fandoms=(HL,),
                      relationships=("Mara Venn/Ilse Dorn",), freeforms=("Angst", "Slow Burn")),
            chapters=(ch(1, "The road north was longer than the map admitted."),
                      ch(2, "By the second week the horses had opinions."),
                      ch(3, "At the end of the road there was only more road.")),
        ),
        Work(
            title="Gears of Apple Wood", authors=("ratchet",), ao3_id="201",
            language="English", published=dt.date(2022, 8, 8), complete=True, words=4000,
            stats=Stats(kudos=75, hits=2000, bookmarks=12, comments=3),
            tags=Tags(rating=Rating.EXPLICIT, warnings=(ArchiveWarning.CHOSE_NOT_TO_WARN,),
                      categories=(Category.MM,), fandoms=(CO,),
                      relationships=("Tock/Quill",), freeforms=("hurt/comfort", "H/C")),
            chapters=(ch(1, "The clockwork orchard grew brass apples that ticked when ripe."),),
        ),
        Work(
            title="Cosecha de engranajes", authors=("ratchet",), ao3_id="202",
            language="Español", published=dt.date(2023, 1, 1), complete=True, words=800,
            stats=Stats(kudos=5, hits=50),
            tags=Tags(rating=Rating.GENERAL, warnings=(ArchiveWarning.NONE_APPLY,),
                      categories=(Category.GEN,), fandoms=(CO_ALL,), freeforms=("Fluff",)),
            chapters=(ch(1, "Las manzanas de latón hacían tictac en el huerto."),),
        ),
        Work(
            title="Crossing Currents", authors=("lanternfish",), ao3_id="301",
            language="English", published=dt.date(2024, 4, 4), complete=True, words=2500,
            tags=Tags(rating=Rating.NOT_RATED, warnings=(ArchiveWarning.VIOLENCE,),
                      categories=(Category.OTHER,), fandoms=(HL, CO),
                      characters=("Mara Venn", "Tock"), freeforms=("Crossover", "Angst")),
            chapters=(ch(1, "The lighthouse beam swept across a sea of brass apples."),),
        ),
    ]


def by_title(store: Store, q: Query) -> list[str]:
    return [h.work.title for h in store.search(dataclasses.replace(q, per_page=100)).hits]


def titles(store: Store, text: str, **kw: object) -> set[str]:
    return set(by_title(store, parse_query(text, base=Query(**kw))))  # type: ignore[arg-type]


@pytest.fixture
def lib(store: Store) -> Store:
    for w in library_works():
        assert store.add(w).status == "added"
    return store


T1, T2, T3, T4, T5, T6 = (w.title for w in library_works())


# --- add / get ------------------------------------------------------------------------

_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
_name = _text.filter(lambda s: s.strip() != "")


@st.composite
def works(draw: st.DrawFn) -> Work:
    n = draw(st.integers(min_value=0, max_value=3))
    numbers = sorted(draw(st.sets(st.integers(min_value=1, max_value=50), min_size=n, max_size=n)))
    chapters = tuple(
        Chapter(number=i, text=draw(_text), title=draw(st.none() | _text),
                summary=draw(st.none() | _text), notes=draw(st.none() | _text),
                end_notes=draw(st.none() | _text), html=draw(st.none() | _text))
        for i in numbers)
    maybe_int = st.none() | st.integers(min_value=0, max_value=10**9)
    return Work(
        title=draw(_text), chapters=chapters, authors=tuple(draw(st.lists(_name, max_size=3))),
        summary=draw(st.none() | _text), notes=draw(st.none() | _text),
        end_notes=draw(st.none() | _text), language=draw(st.none() | _name),
        published=draw(st.none() | st.dates()), updated=draw(st.none() | st.dates()),
        complete=draw(st.none() | st.booleans()), chapter_count=draw(maybe_int),
        chapters_expected=draw(maybe_int), words=draw(maybe_int),
        series=tuple(SeriesRef(title=t, part=p, ao3_id=a) for t, p, a in draw(st.lists(
            st.tuples(_name, maybe_int, st.none() | _name), max_size=2))),
        stats=Stats(kudos=draw(maybe_int), hits=draw(maybe_int), bookmarks=draw(maybe_int),
                    comments=draw(maybe_int)),
        tags=Tags(
            rating=draw(st.none() | st.sampled_from(list(Rating))),
            warnings=tuple(draw(st.lists(st.sampled_from(list(ArchiveWarning)), max_size=2, unique=True))),
            categories=tuple(draw(st.lists(st.sampled_from(list(Category)), max_size=2, unique=True))),
            fandoms=tuple(draw(st.lists(_name, max_size=2))),
            relationships=tuple(draw(st.lists(_name, max_size=2))),
            characters=tuple(draw(st.lists(_name, max_size=2))),
            freeforms=tuple(draw(st.lists(_name, max_size=3))),
        ),
        ao3_id=draw(st.none() | st.integers(min_value=1, max_value=10**8).map(str)),
        url=draw(st.none() | st.just("https://archiveofourown.org/works/1")),
        source_format=draw(st.none() | st.sampled_from(["html", "epub"])),
    )


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(work=works())
def test_add_then_get_gives_the_work_back(backend: str, work: Work) -> None:
    with tempfile.TemporaryDirectory() as d, BACKENDS[backend](Path(d)) as s:
        result = s.add(work, source="test")
        assert result.status == "added"
        got = s.get(result.id)
        assert got.id == result.id
        assert dataclasses.replace(got, id=None) == dataclasses.replace(work, id=None)
        assert s.count() == 1
        if work.ao3_id:  # the same AO3 work again changes nothing
            assert s.add(work).status == "unchanged"
            assert s.count() == 1


def test_get_unknown_raises_work_not_found(store: Store) -> None:
    with pytest.raises(WorkNotFound, match="42"):
        store.get(42)
    with pytest.raises(WorkNotFound):
        store.delete(42)
    with pytest.raises(WorkNotFound):
        store.get_user_data(42)
    with pytest.raises(WorkNotFound):
        store.set_user_data(42, "shelf", "later")


def test_update_in_place_keeps_id_and_user_data_and_adds_chapters(store: Store) -> None:
    first = Work(title="Serial", ao3_id="555", url="https://archiveofourown.org/works/555",
                 chapter_count=1, stats=Stats(kudos=3), chapters=(ch(1, "Chapter one happens here."),))
    added = store.add(first)
    store.set_user_data(added.id, "position", {"chapter": 1, "paragraph": 4})
    store.set_user_data(added.id, "shelves", ["to-read"])
    second = Work(title="Serial", ao3_id="555", url="https://www.archiveofourown.org/works/555",
                  chapter_count=2, stats=Stats(kudos=9),
                  chapters=(ch(2, "Chapter two happens later, with a twist."),))
    updated = store.add(second)
    assert updated == AddResult(added.id, "updated")
    assert store.count() == 1
    got = store.get(added.id)
    assert [c.number for c in got.chapters] == [1, 2]
    assert got.chapters[0].text == "Chapter one happens here."
    assert got.stats.kudos == 9 and got.chapter_count == 2
    assert store.get_user_data(added.id) == {"position": {"chapter": 1, "paragraph": 4},
                                             "shelves": ["to-read"]}
    assert by_title(store, parse_query("twist")) == ["Serial"]
    assert by_title(store, parse_query("kudos>5")) == ["Serial"]
    assert by_title(store, parse_query("kudos<5")) == []
    assert store.add(second).status == "unchanged"


def test_same_id_on_another_archive_is_another_work(store: Store) -> None:
    a = store.add(Work(title="A", ao3_id="7", url="https://archiveofourown.org/works/7",
                       chapters=(ch(1, "one two three"),)))
    b = store.add(Work(title="B", ao3_id="7", url="https://squidgeworld.org/works/7",
                       chapters=(ch(1, "four five six"),)))
    assert a.id != b.id and store.count() == 2


def test_dedupe_by_text_across_formats(store: Store) -> None:
    text = ("It rained for nine days, and on the tenth the river came up to the door and "
            "knocked politely.\n\nShe didn’t answer.")
    a = store.add(Work(title="Nine Days", chapters=(ch(1, text),), source_format="html"))
    # The same story from another file: other spacing, straight apostrophes, a scene-break line.
    other = "It rained for nine days,  and on the tenth the river came up to the door and knocked politely.\n* * *\nShe didn't answer."
    b = store.add(Work(title="Nine Days", authors=("drizzle",), chapters=(ch(1, other),),
                       source_format="epub"))
    assert b.id == a.id and b.status == "updated"
    assert store.count() == 1
    assert store.get(a.id).authors == ("drizzle",)
    c = store.add(Work(title="Nine Days", chapters=(ch(1, "A different story entirely, about "
                                                          "a river that never rose at all."),)))
    assert c.status == "added" and store.count() == 2


def test_same_text_under_two_ao3_ids_is_two_works(store: Store) -> None:
    text = "A story posted twice by its author, word for word the same both times around."
    a = store.add(Work(title="Twice", ao3_id="1", chapters=(ch(1, text),)))
    b = store.add(Work(title="Twice", ao3_id="2", chapters=(ch(1, text),)))
    assert a.id != b.id


def test_delete_removes_work_text_and_user_data(lib: Store) -> None:
    hit = lib.search(parse_query("lighthouse keeper")).hits[0]
    wid = hit.work.id
    assert wid is not None
    lib.set_user_data(wid, "note", "loved it")
    lib.delete(wid)
    assert lib.count() == 5
    with pytest.raises(WorkNotFound):
        lib.get(wid)
    assert titles(lib, "lighthouse keeper") == set()
    assert titles(lib, "lighthouse") == {T6}
    again = lib.add(library_works()[0])
    assert again.status == "added"
    assert lib.get_user_data(again.id) == {}


def test_user_data_set_replace_remove(lib: Store) -> None:
    wid = lib.search(Query()).hits[0].work.id
    assert wid is not None
    lib.set_user_data(wid, "rating", 5)
    lib.set_user_data(wid, "rating", 4)
    lib.set_user_data(wid, "notes", "ünïcode ✓")
    assert lib.get_user_data(wid) == {"notes": "ünïcode ✓", "rating": 4}
    lib.set_user_data(wid, "rating", None)
    assert lib.get_user_data(wid) == {"notes": "ünïcode ✓"}
    with pytest.raises(InputError):
        lib.set_user_data(wid, "bad", object())


def test_add_many_isolates_a_failing_work(store: Store) -> None:
    good = [Work(title=f"Good {i}", ao3_id=str(900 + i), chapters=(ch(1, f"Story number {i}."),))
            for i in range(5)]
    bad = Work(title="Broken", chapters=(ch(1, "bad text \ud800 here"),))
    results = store.add_many([good[0], good[1], (bad, "broken.html"), good[2], good[3], good[4]],
                             batch_size=4)
    assert [type(r) for r in results] == [AddResult] * 2 + [StoreError] + [AddResult] * 3
    assert "Broken" in str(results[2])
    assert store.count() == 5
    assert titles(store, "story") == {w.title for w in good}
    assert titles(store, "bad") == set()


def test_add_of_an_unstorable_work_writes_nothing(store: Store) -> None:
    store.add(Work(title="Kept", chapters=(ch(1, "kept text"),)))
    with pytest.raises(StoreError):
        store.add(Work(title="Broken \ud800", chapters=(ch(1, "never stored"),)))
    assert store.count() == 1
    assert titles(store, "never") == set()
    assert [t for _, t, _ in store.tags()] == []


# --- search semantics ---------------------------------------------------------------------


def test_no_query_lists_everything_newest_first(lib: Store) -> None:
    result = lib.search(Query(sort="updated"))
    assert result.total == 6
    assert all(h.work.chapters == () and h.snippet is None for h in result.hits)
    # updated, else published: T6 2024-04-04, T5 2023-01-01, T4 2022-08-08, T3 2022-02-02 ...
    assert [h.work.title for h in result.hits] == [T6, T5, T4, T3, T2, T1]


def test_included_tags_and_excluded_tags_or(lib: Store) -> None:
    assert titles(lib, f'fandom:"{HL}"') == {T1, T2, T3, T6}
    assert titles(lib, f'fandom:"{HL}" tag:Angst') == {T1, T3, T6}
    assert titles(lib, f'fandom:"{HL}" tag:Angst relationship:"Mara Venn/Ilse Dorn"') == {T1, T3}
    assert titles(lib, f'fandom:"{HL}" -tag:"Slow Burn"') == {T1, T2, T6}
    assert titles(lib, f'fandom:"{HL}" -tag:"Slow Burn" -tag:Crossover') == {T1, T2}
    assert titles(lib, "tag:Angst -fandom:\"Clockwork Orchard (Video Game)\"") == {T1, T3}
    assert titles(lib, "tag:Nonexistent") == set()
    assert titles(lib, "-tag:Nonexistent") == {T1, T2, T3, T4, T5, T6}


def test_tag_type_prefix_restricts_the_kind(lib: Store) -> None:
    assert titles(lib, 'character:"Mara Venn"') == {T1, T6}
    assert titles(lib, 'relationship:"Mara Venn"') == set()
    assert titles(lib, 'tag:"mara venn"') == {T1, T6}


def test_tags_match_case_and_apostrophe_insensitively(lib: Store) -> None:
    assert titles(lib, "tag:hurt/comfort") == titles(lib, 'tag:"HURT/COMFORT"') == {T1, T2, T4}


def test_closed_set_filters_are_any_of(lib: Store) -> None:
    assert titles(lib, "rating:general") == {T2, T5}
    assert titles(lib, "rating:general rating:teen") == {T1, T2, T5}
    assert titles(lib, "warning:mcd warning:violence") == {T3, T6}
    assert titles(lib, "category:f/f") == {T1, T3}
    assert titles(lib, "category:multi category:m/m") == {T3, T4}
    assert titles(lib, "-rating:explicit -rating:mature") == {T1, T2, T5, T6}
    assert titles(lib, "rating:general category:f/f") == set()
    # As included tags (the web's filter form), AO3's other spellings work too.
    assert by_title(lib, Query(include=("rating:teen",))) == [T1]
    assert set(by_title(lib, Query(include=("warning:mcd",), exclude=("category:gen",)))) == {T3}


def test_language_complete_single_chapter(lib: Store) -> None:
    assert titles(lib, "language:en") == {T1, T2, T3, T4, T6}
    assert titles(lib, "language:English") == titles(lib, "language:en")
    assert titles(lib, "language:es") == {T5}
    assert titles(lib, "complete:false") == {T3}
    assert titles(lib, "complete:true") == {T1, T2, T4, T5, T6}
    assert titles(lib, "single_chapter:true") == {T1, T2, T4, T5, T6}
    assert titles(lib, "single_chapter:false") == {T3}


def test_ranges(lib: Store) -> None:
    assert titles(lib, "words>1000") == {T1, T3, T4, T6}
    assert titles(lib, "words:800-2500") == {T1, T5, T6}
    assert titles(lib, "words<800") == {T2}
    assert titles(lib, "kudos>=50") == {T1, T3, T4}
    assert titles(lib, "kudos<50") == {T2, T5}  # unknown kudos (T6) match no range
    assert titles(lib, "hits:100-2000 bookmarks>1") == {T1, T4}
    assert titles(lib, "comments>0") == {T1, T3, T4}
    assert titles(lib, "published:2020") == {T1}
    assert titles(lib, "published<2020") == {T3}
    assert titles(lib, "updated>2022-02-01") == {T3, T4, T5, T6}
    assert titles(lib, "updated:2020-01-01..2021-12-31") == {T1, T2}


@pytest.mark.parametrize("sort", ["title", "author", "published", "updated", "words", "kudos",
                                  "hits", "bookmarks", "comments"])
@pytest.mark.parametrize("descending", [True, False])
def test_sorts(lib: Store, sort: str, descending: bool) -> None:
    works = library_works()

    def key(w: Work) -> object:
        return {
            "title": w.title.casefold().replace("‘", "").replace("’", ""),
            "author": w.authors[0].casefold(), "published": w.published,
            "updated": w.updated or w.published, "words": w.words,
            "kudos": w.stats.kudos, "hits": w.stats.hits, "bookmarks": w.stats.bookmarks,
            "comments": w.stats.comments,
        }[sort]

    known = sorted((w for w in works if key(w) is not None), key=key, reverse=descending)  # type: ignore[arg-type]
    unknown = [w for w in works if key(w) is None]
    got = by_title(lib, Query(sort=sort, descending=descending))
    keys = [key(next(w for w in works if w.title == t)) for t in got]
    # Known values in order, then works without the value; ties in any order.
    assert keys[:len(known)] == [key(w) for w in known]
    assert set(got[len(known):]) == {w.title for w in unknown}


def test_paging(lib: Store) -> None:
    everything = by_title(lib, Query(sort="words"))
    pages = [lib.search(Query(sort="words", per_page=4, page=p)) for p in (1, 2, 3)]
    assert [p.total for p in pages] == [6, 6, 6]
    assert [h.work.title for p in pages for h in p.hits] == everything
    assert [len(p.hits) for p in pages] == [4, 2, 0]
    assert pages[0].pages == 2


def test_full_text_words_phrases_exclusions(lib: Store) -> None:
    assert titles(lib, "lighthouse") == {T1, T6}
    assert titles(lib, "lighthouse brass") == {T6}
    assert titles(lib, '"brass apples"') == {T4, T6}
    assert titles(lib, '"apples brass"') == set()
    assert titles(lib, "lighthouse -brass") == {T1}
    assert titles(lib, "-lighthouse -road") == {T2, T4, T5}
    assert titles(lib, "lighth*") == {T1, T6}
    assert titles(lib, "light*") == {T1, T2, T3, T6}  # and the fandom "Harbour Lights (TV)"
    assert titles(lib, "soup fandom:\"Harbour Lights (TV)\" rating:general") == {T2}
    assert titles(lib, "tidewatcher") == {T1, T3}  # creators are searched
    assert titles(lib, "leaving") == {T1}  # summaries are searched
    assert titles(lib, "hurt comfort") == {T1, T2, T4}  # tags are searched
    assert titles(lib, "horses opinions") == {T3}  # any chapter
    assert titles(lib, "latón") == titles(lib, "laton") == {T5}  # accents folded


def test_quote_and_apostrophe_insensitive_matching(lib: Store) -> None:
    for q in ("dont go where", "don't go where", "Don’t go where", '"dont go where i cant follow"',
              '"don‘t go where i can\'t follow"'):
        assert titles(lib, q) == {T1}, q
    for q in ("didnt sleep", "didn't sleep", '"didn’t sleep"', "wouldnt", "wouldn't say"):
        assert titles(lib, q) == {T1}, q


def test_best_match_ranks_and_snippets_are_safe_html(lib: Store) -> None:
    result = lib.search(parse_query("soup"))
    assert [h.work.title for h in result.hits] == [T2]
    snippet = result.hits[0].snippet
    assert snippet is not None
    assert "<mark>soup</mark>" in snippet
    assert "&lt;b&gt;bold&lt;/b&gt;" in snippet and "&amp;" in snippet
    assert "<b>" not in snippet
    assert result.hits[0].score is not None and result.hits[0].score > 0
    # The title match outranks a match in the text only.
    ranked = lib.search(parse_query("lighthouse OR road")).hits
    assert ranked == ()  # every word is required: "OR" is a word like any other
    ranked = lib.search(parse_query("road")).hits
    assert ranked[0].work.title == T3


def test_snippet_shows_the_text_as_written(lib: Store) -> None:
    snippet = lib.search(parse_query("didnt sleep")).hits[0].snippet or ""
    assert "<mark>didn’t</mark>" in snippet
    assert "<mark>sleep</mark>" in snippet


def test_facets_count_the_whole_result_set(lib: Store) -> None:
    result = lib.search(Query(text="", include=(f"fandom:{HL}",), per_page=1))
    assert result.total == 4 and len(result.hits) == 1
    works = [w for w in library_works() if HL in w.tags.fandoms]
    expected = {
        "rating": Counter(w.tags.rating.value for w in works if w.tags.rating),
        "warnings": Counter(x.value for w in works for x in w.tags.warnings),
        "categories": Counter(x.value for w in works for x in w.tags.categories),
        "fandoms": Counter(x for w in works for x in w.tags.fandoms),
        "relationships": Counter(x for w in works for x in w.tags.relationships),
        "characters": Counter(x for w in works for x in w.tags.characters),
        "freeforms": Counter(x for w in works for x in w.tags.freeforms),
    }
    for key, counts in expected.items():
        assert dict(result.facets[key]) == dict(counts), key
        values = [n for _, n in result.facets[key]]
        assert values == sorted(values, reverse=True)


def test_facets_of_everything_and_of_nothing(lib: Store) -> None:
    everything = lib.search(Query())
    assert dict(everything.facets["fandoms"]) == {HL: 4, CO: 2, CO_ALL: 1}
    assert dict(everything.facets["rating"])["General Audiences"] == 2
    nothing = lib.search(parse_query("tag:Nonexistent"))
    assert nothing.total == 0 and all(v == () for v in nothing.facets.values())
    assert set(nothing.facets) == set(everything.facets)
    assert lib.search(Query(facets=False)).facets == {}


def test_synonyms_apply_to_filters_and_facets(lib: Store) -> None:
    assert titles(lib, f'fandom:"{CO}"') == {T4, T6}
    lib.set_synonym(CO_ALL, CO)
    lib.set_synonym("H/C", "Hurt/Comfort")
    assert lib.synonyms() == {CO_ALL: CO, "H/C": "Hurt/Comfort"}
    # A filter on the canonical tag finds works tagged with a synonym, and vice versa.
    assert titles(lib, f'fandom:"{CO}"') == {T4, T5, T6}
    assert titles(lib, f'fandom:"{CO_ALL}"') == {T4, T5, T6}
    assert titles(lib, f'-fandom:"{CO_ALL}"') == {T1, T2, T3}
    assert titles(lib, "tag:h/c") == {T1, T2, T4}
    facets = lib.search(Query()).facets
    assert dict(facets["fandoms"]) == {HL: 4, CO: 3}
    # T4 has both "hurt/comfort" and "H/C": counted once.
    assert dict(facets["freeforms"])["Hurt/Comfort"] == 3
    tags = {(k, t): n for k, t, n in lib.tags(kind="freeform")}
    assert tags[("freeform", "Hurt/Comfort")] == 3
    # Works added later pick the synonym up too.
    lib.add(Work(title="Late Arrival", ao3_id="999", tags=Tags(fandoms=(CO_ALL,)),
                 chapters=(ch(1, "Arrived late, as usual, with apples."),)))
    assert "Late Arrival" in titles(lib, f'fandom:"{CO}"')
    lib.remove_synonym(CO_ALL)
    assert titles(lib, f'fandom:"{CO}"') == {T4, T6}
    assert lib.synonyms() == {"H/C": "Hurt/Comfort"}
    with pytest.raises(InputError):
        lib.remove_synonym(CO_ALL)


def test_synonym_chains_and_cycles(lib: Store) -> None:
    lib.set_synonym("Angsty", "Angst")
    lib.set_synonym("Angst", "Sad Feelings")  # Angsty -> Angst -> Sad Feelings
    assert lib.synonyms() == {"Angsty": "Sad Feelings", "Angst": "Sad Feelings"}
    assert titles(lib, 'tag:"Sad Feelings"') == {T1, T3, T6}
    assert dict(lib.search(Query()).facets["freeforms"])["Sad Feelings"] == 3
    with pytest.raises(InputError):
        lib.set_synonym("Sad Feelings", "Angsty")
    with pytest.raises(InputError):
        lib.set_synonym("Fluff", "fluff")


def test_tags_listing(lib: Store) -> None:
    fandoms = lib.tags(kind="fandom")
    assert fandoms[0] == ("fandom", HL, 4)
    assert {t for _, t, _ in fandoms} == {HL, CO, CO_ALL}
    assert [t for _, t, _ in lib.tags(kind="fandom", prefix="clockwork orchard (")] == [CO]
    assert {(k, t) for k, t, _ in lib.tags(prefix="mara")} == {
        ("character", "Mara Venn"), ("relationship", "Mara Venn/Ilse Dorn")}
    assert len(lib.tags(limit=3)) == 3
    assert ("rating", "General Audiences", 2) in lib.tags(kind="rating")
    with pytest.raises(InputError):
        lib.tags(kind="colour")


def test_rebuild_index_gives_the_same_answers(lib: Store) -> None:
    lib.set_synonym("H/C", "Hurt/Comfort")
    queries = ["lighthouse", "dont go", "tag:hurt/comfort", f'fandom:"{HL}" -tag:Angst', "road"]
    before = [lib.search(parse_query(q)) for q in queries]
    lib.rebuild_index()
    after = [lib.search(parse_query(q)) for q in queries]
    assert before == after
    assert lib.tags() == lib.tags()


def test_store_is_a_context_manager_and_persists(tmp_path: Path) -> None:
    for name, factory in BACKENDS.items():
        folder = tmp_path / name
        with factory(folder) as s:
            wid = s.add(library_works()[1]).id
            s.set_user_data(wid, "k", [1, 2])
        with factory(folder) as s:
            assert s.get(wid).title == T2
            assert s.get_user_data(wid) == {"k": [1, 2]}
            assert titles(s, "soup") == {T2}


def test_snippet_marks_are_balanced_for_any_query(lib: Store) -> None:
    for q in ("the", "road", "apples", '"brass apples"', "ilse*"):
        for hit in lib.search(parse_query(q)).hits:
            s = hit.snippet or ""
            assert s.count("<mark>") == s.count("</mark>") >= 1, (q, s)
            assert not re.search(r"<(?!/?mark>)", s), s
