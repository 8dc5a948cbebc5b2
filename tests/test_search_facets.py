"""Facet counts checked against brute force for result sets of every size:
a few works (each hit's tags counted), a quarter to a half of the library (one
pass over the tag index), and most of it (the works that do not match are
counted and taken from each tag's total), with synonyms merged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from ficshelf.model import Work
from ficshelf.search import Query
from ficshelf.store import SqliteStore, _search, open_library
from ficshelf.synth import SynthOptions, synth_works
from ficshelf.text import fold_for_match

OPTIONS = SynthOptions(fandoms=8, authors=60, min_words=40, median_words=90, max_words=200,
                       rare_words=300)
SYNONYMS = {"Angst": "Fluff", "Hurt/Comfort": "Fluff"}  # three tags many works carry together


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SqliteStore, dict[int, Work]]]:
    works = list(synth_works(260, seed=9, options=OPTIONS))
    store = open_library(tmp_path_factory.mktemp("facets"))
    results = store.add_many(works, batch_size=130)
    for tag, canonical in SYNONYMS.items():
        store.set_synonym(tag, canonical)
    yield store, {r.id: w for r, w in zip(results, works, strict=True)}  # type: ignore[union-attr]
    store.close()


def expected(works: list[Work]) -> dict[str, Counter[str]]:
    canon = {fold_for_match(k): v for k, v in SYNONYMS.items()}
    out: dict[str, Counter[str]] = {}
    for w in works:
        t = w.tags
        groups = {"rating": [t.rating.value] if t.rating else [],
                  "warnings": [x.value for x in t.warnings],
                  "categories": [x.value for x in t.categories], "fandoms": list(t.fandoms),
                  "relationships": list(t.relationships), "characters": list(t.characters),
                  "freeforms": list(t.freeforms)}
        for key, names in groups.items():
            # a work carrying two synonyms of one tag counts once for it
            out.setdefault(key, Counter()).update({canon.get(fold_for_match(n), n) for n in names})
    return out


def words(w: Work) -> set[str]:
    text = " ".join([w.title, *w.authors, w.summary or "", w.notes or "", w.full_text,
                     *w.tags.freeforms, *w.tags.characters, *w.tags.relationships,
                     *w.tags.fandoms])
    return set(fold_for_match(text).split())


TEXTS = ("the", "the -castle", "-door", "not", "him", "door", "arcorez", "-the")


@pytest.mark.parametrize("read_all", [True, False])
@pytest.mark.parametrize("text", TEXTS)
def test_facets_match_brute_force_at_every_size(lib: tuple[SqliteStore, dict[int, Work]],
                                                text: str, read_all: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """``read_all``: the counted tags are read back all (few, the default here)
    or only those that can reach a facet's top (many, as at 100,000 works)."""
    if not read_all:
        monkeypatch.setattr(_search, "_READ_ALL", 0)
    store, works = lib
    result = store.search(Query(text=text, facets=True, per_page=1))
    everything = store.search(Query(text=text, facets=False, per_page=1000, rank_limit=None))
    matched = [works[h.work.id or 0] for h in everything.hits]
    assert result.total == everything.total == len(matched)
    want = expected(matched)
    for key, got in result.facets.items():
        counts = dict(got)
        if len(want.get(key, {})) <= 50:
            assert counts == dict(want.get(key, {})), (text, key)
        else:  # the top 50: right counts, and nothing left out counts more
            assert len(counts) == 50
            assert all(want[key][name] == n for name, n in counts.items()), (text, key)
            assert max(n for name, n in want[key].items() if name not in counts) <= min(counts.values())


def test_the_sizes_are_covered(lib: tuple[SqliteStore, dict[int, Work]]) -> None:
    store, works = lib
    share = {text: store.search(Query(text=text, facets=False)).total / len(works) for text in TEXTS}
    assert share["the"] == 1.0  # no work left to count
    assert 0.75 < share["the -castle"] < 1 and 0.75 < share["-door"] < 1  # few left: each one's tags
    assert 0.5 < share["not"] <= 0.75  # many left: one pass over the tag index
    assert 0.25 <= share["him"] <= 0.5  # one pass over the tag index
    assert 0 < share["door"] < 0.25 and 0 < share["arcorez"] < 0.25  # each hit's tags
    assert share["-the"] == 0


def carries(w: Work, tag: str) -> bool:
    """Whether a work carries ``kind:name`` or one of its synonyms."""
    kind, _, name = tag.partition(":")
    canon = {fold_for_match(k): fold_for_match(v) for k, v in SYNONYMS.items()}
    want = canon.get(fold_for_match(name), fold_for_match(name))
    names = {"freeform": w.tags.freeforms, "fandom": w.tags.fandoms,
             "character": w.tags.characters}[kind]
    return any(canon.get(fold_for_match(n), fold_for_match(n)) == want for n in names)


@pytest.mark.parametrize(("include", "exclude"), [
    ((), ("freeform:Fluff",)),  # exclusions alone: the library less the works carrying them
    ((), ("freeform:Angst", "freeform:Romance")),
    (("freeform:Fluff",), ()),  # three synonymous tags: a work carrying two counts once
    (("freeform:Hurt/Comfort",), ("freeform:Romance",)),
    (("freeform:Romance",), ("freeform:Fluff",)),
    (("freeform:Fluff", "freeform:Romance"), ()),
])
def test_tag_counts_and_pages_match_brute_force(lib: tuple[SqliteStore, dict[int, Work]],
                                                include: tuple[str, ...],
                                                exclude: tuple[str, ...]) -> None:
    store, works = lib
    want = {i for i, w in works.items() if all(carries(w, t) for t in include)
            and not any(carries(w, t) for t in exclude)}
    assert 0 < len(want) < len(works)
    for sort in ("kudos", "title", "words"):
        result = store.search(Query(include=include, exclude=exclude, sort=sort, per_page=1000,
                                    facets=False))
        assert result.total == len(want) and {h.work.id for h in result.hits} == want
    faceted = store.search(Query(include=include, exclude=exclude, per_page=1000))
    assert faceted.total == len(want) and {h.work.id for h in faceted.hits} == want
