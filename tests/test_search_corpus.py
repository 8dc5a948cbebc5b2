"""Search over real AO3 works (``../shared/corpus/fanfic/works.jsonl``, read at test
time: the stories belong to their authors and are not copied here).

What is checked is computed from each record at run time: its own tags find it,
its rarest words find it, and its apostrophe words are found without apostrophes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FANFIC, need_shared
from ficshelf.model import ArchiveWarning, Category, Chapter, Rating, Tags, Work
from ficshelf.search import Query, parse_query
from ficshelf.store import SqliteStore, open_library
from ficshelf.text import fold_for_match


def record_work(r: dict[str, Any]) -> Work:
    return Work(
        title=r["title"], authors=tuple(r.get("authors") or ()), summary=r.get("summary"),
        language=r.get("language"), words=r.get("words"), ao3_id=r.get("ao3_work_id"),
        url=r.get("url"), complete=r.get("complete"),
        published=dt.date.fromisoformat(r["published"]) if r.get("published") else None,
        tags=Tags(
            rating=Rating.try_parse(r["rating"]) if r.get("rating") else None,
            warnings=tuple(w for w in (ArchiveWarning.try_parse(x) for x in r.get("warnings") or ())
                           if w is not None),
            categories=tuple(c for c in (Category.try_parse(x) for x in r.get("categories") or ())
                             if c is not None),
            fandoms=tuple(r.get("fandoms") or ()), relationships=tuple(r.get("relationships") or ()),
            characters=tuple(r.get("characters") or ()), freeforms=tuple(r.get("freeforms") or ()),
        ),
        chapters=(Chapter(number=1, text=r.get("text") or ""),),
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SqliteStore, list[tuple[int, Work]]]]:
    path = need_shared(FANFIC / "works.jsonl")
    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    works = [record_work(r) for r in records]
    store = open_library(tmp_path_factory.mktemp("corpus"))
    stored: list[tuple[int, Work]] = []
    for w in works:
        result = store.add(w)
        stored.append((result.id, w))
    yield store, stored
    store.close()


def test_every_work_is_stored_once(corpus: tuple[SqliteStore, list[tuple[int, Work]]]) -> None:
    store, stored = corpus
    assert store.count() == len({i for i, _ in stored})
    for wid, w in stored:
        assert store.get(wid).title == w.title


def test_each_work_is_found_by_its_own_tags(corpus: tuple[SqliteStore, list[tuple[int, Work]]]) -> None:
    store, stored = corpus
    for wid, w in stored:
        include = [f"fandom:{f}" for f in w.tags.fandoms[:1]]
        include += [f"relationship:{r}" for r in w.tags.relationships[:1]]
        include += [f"freeform:{f}" for f in w.tags.freeforms[:1]]
        if not include:
            continue
        ratings = (w.tags.rating,) if w.tags.rating else ()
        ids = {h.work.id for h in store.search(Query(include=tuple(include), ratings=ratings,
                                                       per_page=100)).hits}
        assert wid in ids, (w.title, include)
        if w.tags.freeforms:
            excluded = store.search(Query(include=tuple(include[:1]),
                                          exclude=(f"freeform:{w.tags.freeforms[0]}",), per_page=100))
            assert wid not in {h.work.id for h in excluded.hits}


_WORD = re.compile(r"[^\W\d_]{5,}")


def test_each_work_is_found_by_its_rarest_words(corpus: tuple[SqliteStore, list[tuple[int, Work]]]) -> None:
    store, stored = corpus
    docs = {wid: Counter(_WORD.findall(fold_for_match(w.full_text))) for wid, w in stored}
    df = Counter(word for c in docs.values() for word in c)
    checked = 0
    for wid, words in docs.items():
        rare = sorted(words, key=lambda x: (df[x], -words[x], x))[:2]
        if len(rare) < 2:
            continue
        result = store.search(parse_query(" ".join(rare)))
        assert wid in {h.work.id for h in result.hits}, rare
        hit = next(h for h in result.hits if h.work.id == wid)
        assert hit.snippet and "<mark>" in hit.snippet
        checked += 1
    assert checked >= len(stored) // 2


_APOSTROPHE_WORD = re.compile(r"\b([^\W\d_]+)['’‘]([^\W\d_]+)\b")


def test_apostrophe_words_are_found_without_the_apostrophe(
        corpus: tuple[SqliteStore, list[tuple[int, Work]]]) -> None:
    store, stored = corpus
    checked = 0
    for wid, w in stored:
        m = _APOSTROPHE_WORD.search(w.full_text)
        if not m:
            continue
        # The contraction next to its following word, as a phrase, written three ways.
        following = re.match(r"\s+([^\W\d_]+)", w.full_text[m.end():])
        if not following:
            continue
        plain = f"{m.group(1)}{m.group(2)} {following.group(1)}"
        straight = f"{m.group(1)}'{m.group(2)} {following.group(1)}"
        curly = f"{m.group(1)}’{m.group(2)} {following.group(1)}"
        for spelling in (plain, straight, curly):
            ids = {h.work.id for h in store.search(Query(text=f'"{spelling}"', per_page=100)).hits}
            assert wid in ids, (w.title, spelling)
        checked += 1
    assert checked >= 10


def test_facets_over_real_tags(corpus: tuple[SqliteStore, list[tuple[int, Work]]]) -> None:
    store, stored = corpus
    facets = store.search(Query()).facets
    fandoms = Counter(f for _, w in stored for f in dict.fromkeys(fold_for_match(x) for x in w.tags.fandoms))
    top = facets["fandoms"][0]
    assert top[1] == fandoms.most_common(1)[0][1]
    assert sum(n for _, n in facets["rating"]) == sum(1 for _, w in stored if w.tags.rating)
