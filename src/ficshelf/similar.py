""""More like this": works that share fandom, pairing, tags and style.

Each work is a sparse TF-IDF vector of its features: its tags by type
(fandoms, relationships, characters, additional tags, rating, warnings,
categories, each type with its own weight) and a few style numbers written as
tokens (length band, chapter count band, complete or not, language, and point
of view and tense once the work has been analysed). Similarity is the cosine
of two vectors.

The index is computed once per library (``build_index``, reading the works
through the ``Store`` interface), saved beside it (``similar-index.json.gz``)
and kept up to date as works are added (``SimilarIndex.add``). A query walks
the posting lists of the work's rarer features only (a feature shared by a
large share of the library cannot single out similar works, and would make a
query touch most of the library), then scores the best candidates exactly.
So a query costs a few thousand dictionary updates, not a scan of 100,000
works, and results are cached until the index changes.

>>> from ficshelf.model import Chapter, Tags, Work
>>> def w(i, fandom, ship, *tags):
...     return Work(id=i, title=f"W{i}", chapters=(Chapter(number=1, text="x"),), words=1000,
...                 tags=Tags(fandoms=(fandom,), relationships=(ship,), freeforms=tags))
>>> index = SimilarIndex.build([w(1, "A", "X/Y", "Fluff"), w(2, "A", "X/Y", "Fluff"),
...                             w(3, "A", "P/Q", "Angst"), w(4, "B", "M/N", "Fluff")])
>>> [hit.doc.id for hit in index.similar(1, limit=3)]
[2, 3, 4]
>>> index.similar(1, limit=1)[0].shared[:2]
('Relationship: X/Y', 'Fandom: A')
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ficshelf.model import Work
from ficshelf.search.query import Query, normalize_language, split_tag
from ficshelf.store.base import Store
from ficshelf.text import fold_for_match

__all__ = [
    "INDEX_FILE",
    "KIND_WEIGHTS",
    "DocInfo",
    "SimilarHit",
    "SimilarIndex",
    "build_index",
    "iter_library",
    "work_features",
]

INDEX_FILE: Final = "similar-index.json.gz"
_FORMAT: Final = 1

#: Feature prefixes, their display names and weights (a shared pairing says
#: more than a shared rating).
KIND_WEIGHTS: Final = {
    "f": ("Fandom", 1.5), "r": ("Relationship", 2.0), "c": ("Character", 1.0),
    "t": ("Tag", 1.0), "R": ("Rating", 0.4), "W": ("Warning", 0.3), "C": ("Category", 0.6),
    "s": ("Style", 0.5), "L": ("Language", 1.2),
}
_TAG_PREFIX: Final = {"fandom": "f", "relationship": "r", "character": "c", "freeform": "t",
                      "rating": "R", "warning": "W", "category": "C"}
_TAG_KINDS: Final = frozenset("frct")
_MAX_POSTINGS: Final = 30_000
_RERANK: Final = 400
_CACHE: Final = 4096


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What a "more like this" list shows about a work, without loading it."""

    id: int
    title: str
    authors: tuple[str, ...]
    fandoms: tuple[str, ...]
    words: int
    rating: str | None
    complete: bool | None


@dataclass(frozen=True, slots=True)
class SimilarHit:
    doc: DocInfo
    score: float
    shared: tuple[str, ...]


def _length_band(words: int) -> str:
    for limit, name in ((1_000, "drabble"), (5_000, "short"), (20_000, "medium"),
                        (60_000, "long"), (150_000, "novel")):
        if words < limit:
            return name
    return "epic"


def work_features(work: Work, style: Mapping[str, Any] | None = None) -> list[str]:
    """Feature tokens of a work (``prefix:display name``), tags first.

    >>> from ficshelf.model import Chapter, Tags
    >>> work_features(Work(title="t", chapters=(), words=800, chapter_count=1, complete=True,
    ...                    language="English", tags=Tags(fandoms=("Sherlock (TV)",))))
    ['f:Sherlock (TV)', 's:length drabble', 's:one chapter', 's:complete', 'L:en']
    """
    t = work.tags
    out: list[str] = []
    out += [f"f:{x}" for x in t.fandoms]
    out += [f"r:{x}" for x in t.relationships]
    out += [f"c:{x}" for x in t.characters]
    out += [f"t:{x}" for x in t.freeforms]
    if t.rating is not None:
        out.append(f"R:{t.rating.value}")
    out += [f"W:{w.value}" for w in t.warnings]
    out += [f"C:{c.value}" for c in t.categories]
    words = work.words if work.words is not None else work.text_words
    out.append(f"s:length {_length_band(words)}")
    chapters = work.chapter_count or len(work.chapters) or 1
    out.append("s:one chapter" if chapters == 1 else
               "s:few chapters" if chapters <= 5 else "s:many chapters")
    if work.complete is not None:
        out.append("s:complete" if work.complete else "s:in progress")
    if work.language:
        out.append(f"L:{normalize_language(work.language)}")
    if style:
        pov = style.get("pov")
        if isinstance(pov, Mapping) and pov.get("person"):
            out.append(f"s:{pov['person']} person")
            if pov.get("reader_insert"):
                out.append("s:reader-insert")
        tense = style.get("tense")
        if isinstance(tense, Mapping) and tense.get("value"):
            out.append(f"s:{tense['value']} tense")
    return list(dict.fromkeys(out))


def _key(feature: str) -> str:
    prefix, _, name = feature.partition(":")
    return f"{prefix}:{fold_for_match(name)}"


def _info(work: Work) -> DocInfo:
    return DocInfo(id=int(work.id or 0), title=work.title, authors=tuple(work.authors),
                   fandoms=tuple(work.tags.fandoms), words=int(work.words or 0),
                   rating=work.tags.rating.value if work.tags.rating else None,
                   complete=work.complete)


class SimilarIndex:
    """Inverted index of work features; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._vocab: dict[str, int] = {}
        self._names: list[str] = []
        self._postings: list[array[int]] = []
        self._docs: dict[int, DocInfo] = {}
        self._features: dict[int, array[int]] = {}
        self._norms: dict[int, float] = {}
        self._norm_n = 0
        self._cache: OrderedDict[tuple[int, int, frozenset[int]], list[SimilarHit]] = OrderedDict()
        self.generation = 0

    # --- building -------------------------------------------------------------------

    @classmethod
    def build(cls, works: Iterable[Work],
              style: Callable[[int], Mapping[str, Any] | None] | None = None) -> SimilarIndex:
        index = cls()
        for work in works:
            index.add(work, style(work.id) if style is not None and work.id is not None else None)
        return index

    def _feature_id(self, feature: str) -> int:
        key = _key(feature)
        fid = self._vocab.get(key)
        if fid is None:
            fid = self._vocab[key] = len(self._names)
            self._names.append(feature)
            self._postings.append(array("I"))
        return fid

    def add(self, work: Work, style: Mapping[str, Any] | None = None) -> None:
        """Add a work, or replace its entry."""
        if work.id is None:
            raise ValueError("only stored works (with an id) can be indexed")
        self._add(_info(work), work_features(work, style))

    def _add(self, info: DocInfo, features: Sequence[str]) -> None:
        with self._lock:
            if info.id in self._docs:
                self._remove(info.id)
            ids = array("I", sorted({self._feature_id(f) for f in features}))
            for fid in ids:
                self._postings[fid].append(info.id)
            self._docs[info.id] = info
            self._features[info.id] = ids
            self._changed()

    def _remove(self, work_id: int) -> None:
        for fid in self._features.pop(work_id, array("I")):
            with contextlib.suppress(ValueError):  # postings and features agree
                self._postings[fid].remove(work_id)
        self._docs.pop(work_id, None)
        self._norms.pop(work_id, None)

    def remove(self, work_id: int) -> None:
        with self._lock:
            self._remove(work_id)
            self._changed()

    def set_style(self, work_id: int, work: Work, style: Mapping[str, Any]) -> None:
        """Refresh a work's style features once it has been analysed."""
        self.add(work, style)

    def _changed(self) -> None:
        self.generation += 1
        self._cache.clear()

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, work_id: object) -> bool:
        return work_id in self._docs

    def doc(self, work_id: int) -> DocInfo | None:
        return self._docs.get(work_id)

    # --- scoring --------------------------------------------------------------------

    def _weight(self, fid: int, n: int) -> float:
        df = len(self._postings[fid])
        prefix = self._names[fid].partition(":")[0]
        kind_weight = KIND_WEIGHTS.get(prefix, ("", 1.0))[1]
        return kind_weight * (math.log((n + 1) / (df + 1)) + 1.0)

    def _norm(self, work_id: int, n: int) -> float:
        if abs(n - self._norm_n) > max(10, self._norm_n // 50):
            self._norms.clear()
            self._norm_n = n
        norm = self._norms.get(work_id)
        if norm is None:
            norm = math.sqrt(sum(self._weight(f, n) ** 2 for f in self._features[work_id])) or 1.0
            self._norms[work_id] = norm
        return norm

    def blocked_features(self, blocklist: Sequence[str]) -> frozenset[int]:
        """Feature ids of blocked tags (``kind:Tag`` or any kind)."""
        out: set[int] = set()
        for entry in blocklist:
            kind, name = split_tag(entry)
            folded = fold_for_match(name)
            prefixes = [_TAG_PREFIX[kind]] if kind in _TAG_PREFIX else list(_TAG_PREFIX.values())
            for p in prefixes:
                fid = self._vocab.get(f"{p}:{folded}")
                if fid is not None:
                    out.add(fid)
        return frozenset(out)

    def similar(self, work_id: int, *, limit: int = 8,
                blocked: frozenset[int] = frozenset()) -> list[SimilarHit]:
        """The works most like ``work_id`` (best first), none with a blocked feature."""
        key = (work_id, limit, blocked)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
            hits = self._similar(work_id, limit, blocked)
            self._cache[key] = hits
            if len(self._cache) > _CACHE:
                self._cache.popitem(last=False)
            return hits

    def _similar(self, work_id: int, limit: int, blocked: frozenset[int]) -> list[SimilarHit]:
        mine = self._features.get(work_id)
        if mine is None:
            return []
        n = len(self._docs)
        weights = {f: self._weight(f, n) for f in mine}
        cap = max(50, n // 20)
        partial: dict[int, float] = {}
        touched = 0
        by_rarity = sorted(mine, key=lambda f: len(self._postings[f]))
        for i, fid in enumerate(by_rarity):
            plist = self._postings[fid]
            if i > 0 and (len(plist) > cap or touched + len(plist) > _MAX_POSTINGS):
                break
            w2 = weights[fid] ** 2
            for doc in plist[:_MAX_POSTINGS]:
                partial[doc] = partial.get(doc, 0.0) + w2
            touched += len(plist)
        partial.pop(work_id, None)
        best = sorted(partial, key=lambda d: partial[d], reverse=True)[:_RERANK]
        qnorm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scored: list[tuple[float, int]] = []
        for doc in best:
            feats = self._features[doc]
            if blocked and any(f in blocked for f in feats):
                continue
            if not any(f in weights and self._names[f][0] in _TAG_KINDS for f in feats):
                continue  # sharing only a language or a length band is not "like this"
            dot = sum(weights[f] ** 2 for f in feats if f in weights)
            scored.append((dot / (qnorm * self._norm(doc, n)), doc))
        scored.sort(key=lambda sd: (-sd[0], sd[1]))
        hits: list[SimilarHit] = []
        for score, doc in scored[:limit]:
            shared = sorted((f for f in self._features[doc] if f in weights),
                            key=lambda f: -weights[f])
            hits.append(SimilarHit(self._docs[doc], round(score, 4),
                                   tuple(self._display(f) for f in shared[:6])))
        return hits

    def _display(self, fid: int) -> str:
        prefix, _, name = self._names[fid].partition(":")
        return f"{KIND_WEIGHTS.get(prefix, ('Tag', 1.0))[0]}: {name}"

    # --- files ----------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index (gzipped JSON) atomically."""
        with self._lock:
            data = {
                "format": _FORMAT,
                "features": self._names,
                "docs": [[d.id, d.title, list(d.authors), list(d.fandoms), d.words, d.rating,
                          d.complete, list(self._features[d.id])] for d in self._docs.values()],
            }
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, target)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SimilarIndex:
        """Read an index written by ``save`` (ValueError when it is not one)."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"{path} is not a ficshelf similarity index of format {_FORMAT}")
        index = cls()
        names = [str(n) for n in data["features"]]
        for name in names:
            index._feature_id(name)
        for wid, title, authors, fandoms, words, rating, complete, fids in data["docs"]:
            info = DocInfo(int(wid), str(title), tuple(authors), tuple(fandoms), int(words),
                           rating, complete)
            ids = array("I", sorted(int(f) for f in fids))
            for fid in ids:
                index._postings[fid].append(info.id)
            index._docs[info.id] = info
            index._features[info.id] = ids
        index._changed()
        return index


def iter_library(store: Store, *, batch: int = 1000) -> Iterator[Work]:
    """Every stored work's metadata (no chapter text), in id-stable batches."""
    page = 1
    while True:
        result = store.search(Query(sort="published", descending=False, page=page,
                                    per_page=batch, facets=False))
        yield from (h.work for h in result.hits)
        if page >= result.pages or not result.hits:
            return
        page += 1


def build_index(store: Store, *,
                style: Callable[[int], Mapping[str, Any] | None] | None = None) -> SimilarIndex:
    """Index every work of a store."""
    return SimilarIndex.build(iter_library(store), style)
