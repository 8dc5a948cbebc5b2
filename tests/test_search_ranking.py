"""Best match over large result sets: only the newest ``Query.rank_limit``
matches are ranked (FTS5 scores every match to find the best few, about a
microsecond each at 100,000 works), they come first, the others follow newest
first. Checked against the full ranking (``rank_limit=None``) of the same
store, through paging, filters and facets, in the inline syntax and on the
library page."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from browser.webfixtures import fake_analyzer, own_works
from ficshelf.errors import QueryError
from ficshelf.search import Query, format_query, parse_query
from ficshelf.search.query import RANK_LIMIT
from ficshelf.store import SqliteStore, open_library
from ficshelf.store.base import Hit
from ficshelf.synth import SynthOptions, synth_works
from ficshelf.web.app import create_app

OPTIONS = SynthOptions(fandoms=6, authors=50, min_words=40, median_words=90, max_words=200,
                       rare_words=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    lib = open_library(tmp_path_factory.mktemp("ranking"))
    lib.add_many(list(synth_works(240, seed=4, options=OPTIONS)), batch_size=120)
    yield lib
    lib.close()


def ids(hits: tuple[Hit, ...]) -> list[int]:
    return [h.work.id or 0 for h in hits]


def check_window(store: SqliteStore, q: Query, limit: int) -> bool:
    """``q`` with ``rank_limit=limit`` against the same query ranking every match;
    True when more than ``limit`` matched."""
    full = store.search(dataclasses.replace(q, rank_limit=None, per_page=1000))
    got = store.search(dataclasses.replace(q, rank_limit=limit, per_page=1000))
    assert got.total == full.total == len(full.hits)
    matches = ids(full.hits)
    assert full.ranked_only is None
    if len(matches) <= limit:
        assert got.ranked_only is None and got.hits == full.hits
        return False
    assert got.ranked_only == limit
    newest = set(sorted(matches, reverse=True)[:limit])
    ranked, rest = got.hits[:limit], got.hits[limit:]
    # the newest matches, in the order (and with the scores) the full ranking gives them
    assert ids(ranked) == [i for i in matches if i in newest]
    scores = {h.work.id: h.score for h in full.hits}
    assert [h.score for h in ranked] == pytest.approx([scores[h.work.id] for h in ranked])
    # then the rest, newest first, unscored
    assert ids(rest) == sorted(set(matches) - newest, reverse=True)
    assert all(h.score is None for h in rest)
    return True


def test_default_limit() -> None:
    assert Query().rank_limit == RANK_LIMIT >= 1000


def test_common_word_ranks_only_the_newest_matches(store: SqliteStore) -> None:
    q = Query(text="the", facets=False)
    assert store.search(q).total > 100  # "the" is in (nearly) every synthetic work
    assert check_window(store, q, 40)
    assert check_window(store, Query(text="the", descending=False, facets=False), 25)


def test_window_with_filters_excluded_words_and_phrases(store: SqliteStore) -> None:
    fandom = store.tags(kind="fandom", limit=1)[0][1]
    assert check_window(store, Query(text="the and", include=(f"fandom:{fandom}",), facets=False), 10)
    assert check_window(store, Query(text="the -door", words=(60, None), facets=False), 15)
    assert check_window(store, Query(text='"of the"', complete=True, facets=False), 5)


def test_fewer_matches_than_the_limit_are_all_ranked(store: SqliteStore) -> None:
    full = store.search(Query(text="the", per_page=1000, rank_limit=None, facets=False))
    rare = store.search(Query(text="the", per_page=1000, rank_limit=full.total, facets=False))
    assert rare.ranked_only is None and rare.hits == full.hits
    scores = [h.score or 0.0 for h in full.hits]
    assert scores == sorted(scores, reverse=True) and all(h.score for h in full.hits)


def test_pages_across_the_window_edge_give_every_match_once(store: SqliteStore) -> None:
    whole = store.search(Query(text="the", per_page=1000, rank_limit=30, facets=False))
    paged: list[int] = []
    page = 1
    while True:
        result = store.search(Query(text="the", per_page=7, page=page, rank_limit=30, facets=False))
        assert result.total == whole.total and result.ranked_only == 30
        if not result.hits:
            break
        paged += ids(result.hits)
        page += 1
    assert paged == ids(whole.hits)
    assert len(paged) == len(set(paged)) == whole.total
    assert page - 1 == -(-whole.total // 7)


def test_facets_do_not_change_the_page(store: SqliteStore) -> None:
    plain = store.search(Query(text="the she", rank_limit=20, page=2, facets=False))
    faceted = store.search(Query(text="the she", rank_limit=20, page=2, facets=True))
    assert faceted.hits == plain.hits and faceted.total == plain.total
    assert faceted.ranked_only == plain.ranked_only == 20
    assert sum(n for _, n in faceted.facets["rating"]) == plain.total


def test_inline_syntax() -> None:
    assert parse_query("dragons rank:all").rank_limit is None
    assert parse_query("dragons rank:2k").rank_limit == 2000
    assert parse_query("dragons").rank_limit == RANK_LIMIT
    for q in (Query(text="x", rank_limit=None), Query(text="x", rank_limit=7), Query(text="x")):
        assert parse_query(format_query(q)).rank_limit == q.rank_limit
    assert format_query(Query(text="x")) == "x"
    for bad in ("rank:0", "rank:some", "-rank:all", "rank>5"):
        with pytest.raises(QueryError):
            parse_query(bad)
    with pytest.raises(QueryError):
        Query(rank_limit=0)


def test_library_page_says_when_only_the_newest_are_ranked(library: Path) -> None:
    with open_library(library) as lib:
        for work in own_works():
            lib.add(work)
    with TestClient(create_app(library, analysis="off", analyzer=fake_analyzer)) as client:
        all_works = client.get("/", params={"q": "the rank:all"})
        assert all_works.status_code == 200
        total = all_works.context["result"].total
        assert total >= 2 and "ranked-note" not in all_works.text
        r = client.get("/", params={"q": "the rank:1"})
        assert r.status_code == 200
        assert r.context["result"].ranked_only == 1
        assert (f"Best match ranks the 1 most recently added of these {total} works"
                in r.text)
        assert 'href="?q=the+rank%3A1+rank%3Aall"' in r.text  # rank:all wins: the last one given
        again = client.get("/", params={"q": "the rank:1 rank:all"})
        assert "ranked-note" not in again.text
        assert again.context["result"].total == total
