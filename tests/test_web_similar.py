""""More like this" (``ficshelf.similar``): ranking, blocking, persistence,
incremental updates, and query cost on a synthetic library."""

from __future__ import annotations

import time
from pathlib import Path

from ficshelf.model import Chapter, Tags, Work
from ficshelf.similar import SimilarIndex, build_index, work_features
from ficshelf.store import open_library
from ficshelf.synth import SynthOptions, synth_works


def work(i: int, fandom: str, ship: str | None, *tags: str, words: int = 1200,
         language: str = "English") -> Work:
    return Work(id=i, title=f"Work {i}", chapters=(Chapter(number=1, text="text"),), words=words,
                chapter_count=1, complete=True, language=language,
                tags=Tags(fandoms=(fandom,), relationships=(ship,) if ship else (),
                          characters=tuple(ship.split("/")) if ship else (), freeforms=tags))


def library() -> list[Work]:
    return [
        work(1, "Harbour Tales", "Mara/Tobias", "Slow Burn", "Fluff"),
        work(2, "Harbour Tales", "Mara/Tobias", "Slow Burn"),           # same pairing
        work(3, "Harbour Tales", "Ines/Mara", "Fluff"),                 # same fandom, one tag
        work(4, "Verrin", "Ilse/Rook", "Slow Burn", "Fluff"),           # tags only
        work(5, "Verrin", "Ilse/Rook", "Angst"),                        # nothing shared
        work(6, "Harbour Tales", "Mara/Tobias", "Slow Burn", "Fluff", language="Deutsch"),
    ]


def test_ranking_prefers_pairing_then_fandom_then_tags() -> None:
    index = SimilarIndex.build(library())
    ranked = [h.doc.id for h in index.similar(1, limit=10)]
    assert ranked[:2] == [2, 6] or ranked[:2] == [6, 2]
    assert ranked.index(3) < ranked.index(4)
    assert 5 not in ranked  # shares no tag at all: not "like this"
    best = index.similar(1, limit=1)[0]
    assert best.shared[0] == "Relationship: Mara/Tobias"
    assert 0 < best.score <= 1


def test_language_counts() -> None:
    index = SimilarIndex.build(library())
    ranked = [h.doc.id for h in index.similar(1, limit=10)]
    assert ranked.index(2) < ranked.index(6)  # same story shape, but work 6 is in German


def test_blocked_tags_are_left_out() -> None:
    index = SimilarIndex.build(library())
    blocked = index.blocked_features(["relationship:Mara/Tobias"])
    ids = [h.doc.id for h in index.similar(1, limit=10, blocked=blocked)]
    assert 2 not in ids and 6 not in ids and 3 in ids
    assert index.blocked_features(["Fluff"]) and not index.blocked_features(["Nothing Like It"])


def test_add_replace_remove_and_cache() -> None:
    index = SimilarIndex.build(library())
    first = index.similar(3, limit=3)
    assert index.similar(3, limit=3) is first  # cached
    index.add(work(7, "Harbour Tales", "Ines/Mara", "Fluff"))
    assert index.similar(3, limit=1)[0].doc.id == 7  # the cache was dropped
    index.add(work(7, "Verrin", None, "Angst"))  # replaced, not duplicated
    assert len(index) == 7 and 7 not in [h.doc.id for h in index.similar(3, limit=10)]
    index.remove(7)
    assert 7 not in index and len(index) == 6


def test_style_features_from_analysis() -> None:
    feats = work_features(work(1, "F", None), {"pov": {"person": "second", "reader_insert": True},
                                               "tense": {"value": "present"}})
    assert {"s:second person", "s:reader-insert", "s:present tense"} <= set(feats)


def test_save_and_load(tmp_path: Path) -> None:
    index = SimilarIndex.build(library())
    path = tmp_path / "similar.json.gz"
    index.save(path)
    again = SimilarIndex.load(path)
    assert len(again) == len(index)
    assert [(h.doc.id, h.score) for h in again.similar(1)] == [(h.doc.id, h.score) for h in index.similar(1)]
    path.write_bytes(b"not gzip")
    try:
        SimilarIndex.load(path)
    except (OSError, ValueError):
        pass
    else:
        raise AssertionError("a damaged index file must not load")


def test_built_from_a_store_and_fast_on_a_synthetic_library(tmp_path: Path) -> None:
    opts = SynthOptions(fandoms=40, authors=500, min_words=20, max_words=60, median_words=40,
                        rare_words=200)
    with open_library(tmp_path / "lib") as store:
        store.add_many(synth_works(3000, seed=5, options=opts))
        index = build_index(store)
        assert len(index) == 3000
        ids = list(range(1, 3001, 30))
        started = time.perf_counter()
        results = [index.similar(i, limit=8) for i in ids]
        per_query = (time.perf_counter() - started) / len(ids)
        assert per_query < 0.05, per_query
        # the nearest works share the fandom far more often than chance would
        same = total = 0
        for i, hits in zip(ids, results, strict=True):
            fandoms = set(index.doc(i).fandoms)  # type: ignore[union-attr]
            for h in hits[:3]:
                total += 1
                same += bool(fandoms & set(h.doc.fandoms))
        assert total and same / total > 0.8, same / total
