"""Search checked against brute force: a synthetic library, random AO3-style
queries, and the answer worked out in Python from the works themselves."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ficshelf.bench import bench_queries, percentiles
from ficshelf.model import Work
from ficshelf.search import Query
from ficshelf.store import SqliteStore, open_library
from ficshelf.synth import FREEFORMS, SynthOptions, build_library, synth_works
from ficshelf.text import fold_for_match

N = 400
OPTIONS = SynthOptions(fandoms=25, authors=300, min_words=40, median_words=120, max_words=400,
                       rare_words=2_000)


@pytest.fixture(scope="module")
def synth_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SqliteStore, dict[int, Work]]]:
    works = list(synth_works(N, seed=7, options=OPTIONS))
    store = open_library(tmp_path_factory.mktemp("synth"))
    results = store.add_many(works, batch_size=150)
    by_id = {r.id: w for r, w in zip(results, works, strict=True)}  # type: ignore[union-attr]
    yield store, by_id
    store.close()


def tag_list(w: Work) -> list[tuple[str, str]]:
    t = w.tags
    return ([("rating", t.rating.value)] if t.rating else []) + \
        [("warning", x.value) for x in t.warnings] + [("category", x.value) for x in t.categories] + \
        [("fandom", x) for x in t.fandoms] + [("relationship", x) for x in t.relationships] + \
        [("character", x) for x in t.characters] + [("freeform", x) for x in t.freeforms]


def has_tag(w: Work, tag: str) -> bool:
    kind, _, name = tag.partition(":")
    return any(k == kind and fold_for_match(n) == fold_for_match(name) for k, n in tag_list(w))


def sort_value(w: Work, sort: str) -> Any:
    return {
        "words": w.words, "kudos": w.stats.kudos, "hits": w.stats.hits,
        "bookmarks": w.stats.bookmarks, "comments": w.stats.comments,
        "published": w.published, "updated": w.updated or w.published,
        "title": fold_for_match(w.title),
    }[sort]


def expected_order(ids: list[int], works: dict[int, Work], sort: str, descending: bool) -> list[int]:
    known = [i for i in ids if sort_value(works[i], sort) is not None]
    unknown = [i for i in ids if sort_value(works[i], sort) is None]
    known.sort(key=lambda i: (sort_value(works[i], sort), i), reverse=descending)
    unknown.sort(reverse=descending)
    return known + unknown


def random_tag_query(rng: random.Random, works: dict[int, Work]) -> Query:
    some = rng.choice(list(works.values()))
    tags = [f"{k}:{n}" for k, n in tag_list(some) if k not in {"rating"}]
    include = tuple(rng.sample(tags, min(2, len(tags))))
    excluded = f"freeform:{rng.choice(FREEFORMS[:15])}"
    exclude = () if excluded in include else (excluded,)
    lo = rng.choice([None, 100, 200])
    sort = rng.choice(["words", "kudos", "hits", "bookmarks", "published", "updated", "title"])
    return Query(include=include, exclude=exclude, words=(lo, None), sort=sort,
                 descending=rng.random() < 0.7, per_page=1000)


def test_tag_filters_ranges_and_sorts_match_brute_force(
        synth_lib: tuple[SqliteStore, dict[int, Work]]) -> None:
    store, works = synth_lib
    rng = random.Random(11)
    nonempty = 0
    for _ in range(60):
        q = random_tag_query(rng, works)
        ids = [i for i, w in works.items()
               if all(has_tag(w, t) for t in q.include) and not any(has_tag(w, t) for t in q.exclude)
               and (q.words[0] is None or (w.words or 0) >= q.words[0])]
        result = store.search(q)
        assert result.total == len(ids), q
        got = [h.work.id or 0 for h in result.hits]
        want = expected_order(ids, works, q.sort, q.descending)
        assert [sort_value(works[i], q.sort) for i in got] == [sort_value(works[i], q.sort) for i in want], q
        assert set(got) == set(want)
        nonempty += bool(ids)
    assert nonempty >= 30  # the queries are not all trivially empty


def test_facets_match_brute_force(synth_lib: tuple[SqliteStore, dict[int, Work]]) -> None:
    store, works = synth_lib
    rng = random.Random(3)
    for _ in range(15):
        q = random_tag_query(rng, works)
        q = Query(include=q.include[:1], facets=True)
        matched = [w for w in works.values() if all(has_tag(w, t) for t in q.include)]
        facets = store.search(q).facets
        assert dict(facets["rating"]) == Counter(w.tags.rating.value for w in matched if w.tags.rating)
        assert dict(facets["warnings"]) == Counter(x.value for w in matched for x in w.tags.warnings)
        assert dict(facets["categories"]) == Counter(x.value for w in matched for x in w.tags.categories)
        fandoms = Counter(x for w in matched for x in w.tags.fandoms)
        assert dict(facets["fandoms"]) == dict(fandoms.most_common(50)) or len(fandoms) > 50


_TOKEN = re.compile(r"[^\W_]+")


def tokens(w: Work) -> set[str]:
    fields = [w.title, *w.authors, w.summary or "", w.notes or "", *(n for _, n in tag_list(w)),
              *(c.text for c in w.chapters), *(c.title or "" for c in w.chapters)]
    return {t for f in fields for t in _TOKEN.findall(fold_for_match(f))}


def test_full_text_matches_brute_force(synth_lib: tuple[SqliteStore, dict[int, Work]]) -> None:
    store, works = synth_lib
    toks = {i: tokens(w) for i, w in works.items()}
    vocabulary = sorted(set().union(*toks.values()))
    rng = random.Random(5)
    for _ in range(40):
        words = rng.sample(vocabulary, rng.choice([1, 1, 2]))
        neg = rng.choice(vocabulary) if rng.random() < 0.3 else None
        text = " ".join(words) + (f" -{neg}" if neg else "")
        want = {i for i, t in toks.items() if all(x in t for x in words) and (neg is None or neg not in t)}
        result = store.search(Query(text=text, per_page=1000, facets=False))
        assert {h.work.id for h in result.hits} == want, text
        assert result.total == len(want)
        scores = [h.score or 0.0 for h in result.hits]
        assert scores == sorted(scores, reverse=True)  # best match first
        for h in result.hits:
            assert h.snippet is not None and "<mark>" in h.snippet


def test_apostrophes_fold_in_synthetic_text(synth_lib: tuple[SqliteStore, dict[int, Work]]) -> None:
    store, works = synth_lib
    with_contraction = {i for i, w in works.items() if "didn’t" in w.full_text.casefold()}
    assert with_contraction
    for spelling in ("didnt", "didn't", "didn’t", "DIDN‘T"):
        found = {h.work.id for h in store.search(Query(text=spelling, per_page=1000)).hits}
        assert with_contraction <= found, spelling


# --- the generator and the benchmark ------------------------------------------------------


def test_synthetic_works_are_deterministic_and_ao3_shaped() -> None:
    works = list(synth_works(2000, seed=1, options=SynthOptions(max_words=300, min_words=50)))
    again = list(synth_works(5, seed=1, options=SynthOptions(max_words=300, min_words=50)))
    assert works[:5] == again
    assert len({w.ao3_id for w in works}) == len(works)
    fandoms = Counter(f for w in works for f in w.tags.fandoms).most_common()
    assert fandoms[0][1] > 5 * fandoms[min(40, len(fandoms) - 1)][1]  # Zipf-like popularity
    for w in works[:200]:
        assert w.words == w.text_words
        for rel in w.tags.relationships:  # relationships come from the work's own fandom
            assert all(m in w.tags.characters for m in re.split(r"/| & ", rel))
        assert w.chapter_count == len(w.chapters)
    ratings = Counter(w.tags.rating for w in works)
    assert len(ratings) == 5 and max(ratings.values()) < 0.5 * len(works)


def test_percentiles() -> None:
    assert percentiles([5.0]) == {"p50_ms": 5.0, "p95_ms": 5.0, "p99_ms": 5.0, "max_ms": 5.0,
                                  "mean_ms": 5.0}
    p = percentiles([float(x) for x in range(1, 201)])
    assert (p["p50_ms"], p["p95_ms"], p["p99_ms"]) == (100.0, 190.0, 198.0)


def test_bench_queries_runs_on_a_small_library(tmp_path: Path) -> None:
    with open_library(tmp_path / "lib") as store:
        seen: list[int] = []
        report = build_library(store, 300, seed=2, options=OPTIONS, batch_size=100,
                               progress=seen.append)
        assert report["works"] == 300 and report["failed"] == 0 and seen == [100, 200, 300]
        out = bench_queries(store, 10, seed=1)
        ranked_one = bench_queries(store, 10, seed=1, rank_limit=1)
    assert out["works"] == 300
    assert out["rank_limit"] == 5000 and ranked_one["rank_limit"] == 1
    # the same queries; with a limit of one, every best-match query matching two works or more says so
    assert ranked_one["full_text"]["mean_results"] == out["full_text"]["mean_results"]
    assert 0 < ranked_one["full_text"]["ranked_only"] <= 10 - ranked_one["full_text"]["zero_results"]
    assert out["full_text"]["ranked_only"] == 0
    for kind in ("tag_filter", "full_text", "facets"):
        assert 0 < out[kind]["p50_ms"] <= out[kind]["p95_ms"] <= out[kind]["max_ms"]
    assert out["library_bytes"] > 0
    assert out["full_text"]["zero_results"] < 10  # queries are built from words the works hold




def test_every_page_plan_gives_the_same_page(synth_lib: tuple[SqliteStore, dict[int, Work]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The SQLite store picks how to fetch a page (walk the sort index, or collect
    the matches and sort); each way must give the same works in the same order."""
    from ficshelf.store import _plan, _search

    store, works = synth_lib
    rng = random.Random(21)
    vocabulary = sorted({t for w in list(works.values())[:30] for t in tokens(w)})
    compared = 0
    for i in range(40):
        q = random_tag_query(rng, works)
        if i % 3 == 0:
            q = Query(include=q.include[:1], sort=q.sort, descending=q.descending, per_page=7, page=2)
        if i % 4 == 1:
            q = Query(text=rng.choice(vocabulary), include=q.include[:1], sort=q.sort,
                      descending=q.descending, per_page=10)
        pages = {}
        for forced in ("scan", "drive"):
            def choose(query: Query, plan: _plan.Plan, *, total: int, library: int,
                       forced: str = forced) -> tuple[str, str | None]:
                drive, index = _plan.choose_page(query, plan, total=total, library=library)
                _column, sort_index, nullable = _plan._SORTS[
                    "updated" if query.sort == "best" else query.sort]
                if drive == "fts" or (nullable and not query.descending):
                    return drive, index  # ranked by bm25, or no index order to walk
                return ("scan", sort_index) if forced == "scan" else ("drive", None)
            monkeypatch.setattr(_search, "choose_page", choose)
            pages[forced] = [h.work.id for h in store.search(q).hits]
        assert pages["scan"] == pages["drive"], q
        compared += bool(pages["scan"])
    assert compared >= 20
