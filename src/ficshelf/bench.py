"""Query benchmarks over a library (a synthetic one by default).

``bench_queries(store, n)`` times ``n`` varied queries of each kind with
``time.perf_counter`` around ``Store.search`` (what the CLI and the web call):

- ``tag_filter``: two included tags, one excluded tag and a sort (no facets);
- ``full_text``: words, two-word AND, phrases, prefixes and names taken from
  stored works, one in four with a fandom filter, ranked by best match or a sort;
- ``facets``: the same two kinds of queries with facet counts, and now and then
  the whole library's facets.

Each kind is warmed up with a few queries that are not counted. Figures are
wall-clock milliseconds (p50, p95, p99, max, mean), with the process's CPU time
(p50, p95: less disturbed by other programs on the machine), per query shape,
the three slowest queries, the library's size on disk and the load average.
Best-match queries rank at most ``Query.rank_limit`` matches (the newest) unless
``--rank-limit all`` asks for every match to be ranked; ``ranked_only`` says how
many of the timed queries had more matches than that.

Command line (builds the synthetic library first when the folder is empty)::

    python -m ficshelf.bench --works 100000 --library bench-out/library-100k
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from ficshelf.search.query import RANK_LIMIT, Query, format_query
from ficshelf.store.base import Store
from ficshelf.synth import VOCABULARY

__all__ = ["bench_queries", "library_bytes", "main", "percentiles"]

_WARMUP: Final = 5
_COMMON: Final = frozenset(VOCABULARY[:120])
_WORD: Final = re.compile(r"[^\W\d_]{3,}")
_SORTS: Final = ("kudos", "updated", "words", "hits", "published", "title", "bookmarks")


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max/mean of millisecond samples (nearest-rank percentiles).

    >>> percentiles([float(i) for i in range(1, 101)])["p95_ms"]
    95.0
    >>> percentiles([])
    {}
    """
    if not samples:
        return {}
    ordered = sorted(samples)

    def rank(p: int) -> float:
        index = -(-len(ordered) * p // 100) - 1  # nearest rank, 1-based -> 0-based
        return ordered[max(0, min(len(ordered) - 1, index))]

    return {"p50_ms": round(rank(50), 2), "p95_ms": round(rank(95), 2), "p99_ms": round(rank(99), 2),
            "max_ms": round(ordered[-1], 2), "mean_ms": round(statistics.fmean(ordered), 2)}


def library_bytes(store: Store) -> int | None:
    """Bytes on disk of a file-backed store (database, WAL and shared memory files)."""
    path = getattr(store, "path", None)
    if not path or path == ":memory:":
        return None
    return sum(p.stat().st_size for p in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm"))
               if p.exists())


class _Queries:
    """Varied queries built from what the library holds (its tags and texts).

    Full-text words are drawn uniformly from the distinct words of 40 stored
    works (the 120 commonest words of ``synth.VOCABULARY`` left out, as nobody
    searches for "the"), so they range from words in most works to words in a
    handful; phrases are 2-3 adjacent words of a work with at least one such word.
    """

    def __init__(self, store: Store, rng: random.Random, *,
                 rank_limit: int | None = RANK_LIMIT) -> None:
        self.rng = rng
        self.rank_limit = rank_limit
        self.fandoms = [t for _, t, _ in store.tags(kind="fandom", limit=40)]
        self.freeforms = [t for _, t, _ in store.tags(kind="freeform", limit=80)]
        self.relationships = [t for _, t, _ in store.tags(kind="relationship", limit=300)]
        if not (self.fandoms and self.freeforms):
            raise ValueError("the library has no fandom or freeform tags to build queries from")
        sample = store.search(Query(sort="kudos", per_page=200, facets=False)).hits
        words: set[str] = set()
        phrases: list[str] = []
        self.names: list[str] = []
        for hit in rng.sample(list(sample), min(40, len(sample))):
            text = store.get(hit.work.id or 0).full_text
            tokens = [t.lower() for t in _WORD.findall(text[:30_000])]
            words.update(t for t in tokens if t not in _COMMON)
            for _ in range(10):
                i = rng.randrange(max(1, len(tokens) - 3))
                phrase = tokens[i:i + rng.choice((2, 3))]
                if any(t not in _COMMON for t in phrase):
                    phrases.append(" ".join(phrase))
            self.names.extend(c.split()[0] for c in hit.work.tags.characters[:3])
        if not words:
            raise ValueError("the library's works have no text to build full-text queries from")
        self.words = sorted(words)
        self.phrases = phrases or self.words

    def tag_filter(self) -> tuple[str, Query]:
        rng = self.rng
        shape = rng.random()
        if shape < 0.4:
            label = "fandom+freeform"
            include = (f"fandom:{rng.choice(self.fandoms)}", f"freeform:{rng.choice(self.freeforms[:30])}")
        elif shape < 0.7:
            label = "freeform+freeform"
            a, b = rng.sample(self.freeforms[:40], 2)
            include = (f"freeform:{a}", f"freeform:{b}")
        else:
            label = "fandom+relationship"
            include = (f"fandom:{rng.choice(self.fandoms[:10])}",
                       f"relationship:{rng.choice(self.relationships[:60] or self.freeforms)}")
        exclude = (f"freeform:{rng.choice([f for f in self.freeforms[:40] if f not in include])}",)
        sort = rng.choice(_SORTS)
        return label, Query(include=include, exclude=exclude, sort=sort,
                            descending=sort != "title" or rng.random() < 0.3, facets=False)

    def full_text(self) -> tuple[str, Query]:
        rng = self.rng
        shape = rng.random()
        if shape < 0.35:
            label, text = "word", rng.choice(self.words)
        elif shape < 0.55:
            label, text = "two words", f"{rng.choice(self.words)} {rng.choice(self.words)}"
        elif shape < 0.75:
            label, text = "phrase", f'"{rng.choice(self.phrases)}"'
        elif shape < 0.85:
            label, text = "prefix", rng.choice([w for w in self.words if len(w) >= 5])[:4] + "*"
        else:
            label, text = "name", rng.choice(self.names or self.words)
        include = (f"fandom:{rng.choice(self.fandoms)}",) if rng.random() < 0.25 else ()
        if include:
            label += " +fandom"
        sort = "best" if rng.random() < 0.7 else rng.choice(_SORTS)
        return label, Query(text=text, include=include, sort=sort, facets=False,
                            rank_limit=self.rank_limit)

    def facets(self) -> tuple[str, Query]:
        roll = self.rng.random()
        if roll < 0.1:
            return "whole library", Query(sort="updated")
        label, base = self.tag_filter() if roll < 0.55 else self.full_text()
        kind = "tags" if roll < 0.55 else "text"
        return f"{kind}: {label}", dataclasses.replace(base, facets=True)


def _time(store: Store, make: Callable[[], tuple[str, Query]], n: int) -> dict[str, Any]:
    for _ in range(_WARMUP):
        store.search(make()[1])
    wall: list[float] = []
    cpu: list[float] = []
    totals: list[int] = []
    windowed = 0
    shapes: dict[str, list[float]] = {}
    slowest: list[tuple[float, str]] = []
    for _ in range(n):
        label, q = make()
        t0, c0 = time.perf_counter(), time.process_time()
        result = store.search(q)
        ms = (time.perf_counter() - t0) * 1000
        cpu.append((time.process_time() - c0) * 1000)
        wall.append(ms)
        totals.append(result.total)
        windowed += result.ranked_only is not None
        shapes.setdefault(label.split(":")[0], []).append(ms)
        slowest.append((ms, format_query(q)))
    slowest.sort(reverse=True)
    return {
        **percentiles(wall),
        "cpu": {k: v for k, v in percentiles(cpu).items() if k in {"p50_ms", "p95_ms"}},
        "mean_results": round(statistics.fmean(totals), 1),
        "zero_results": sum(1 for t in totals if t == 0),
        "ranked_only": windowed,
        "by_shape": {k: {"n": len(v), **{m: x for m, x in percentiles(v).items()
                                          if m in {"p50_ms", "p95_ms"}}}
                     for k, v in sorted(shapes.items())},
        "slowest": [f"{ms:.0f} ms  {text}" for ms, text in slowest[:3]],
    }


def bench_queries(store: Store, n_queries: int = 200, *, seed: int = 0,
                  rank_limit: int | None = RANK_LIMIT) -> dict[str, Any]:
    """Time ``n_queries`` queries of each kind; milliseconds per ``Store.search`` call."""
    rng = random.Random(seed)
    queries = _Queries(store, rng, rank_limit=rank_limit)
    out: dict[str, Any] = {"works": store.count(), "queries_per_kind": n_queries,
                           "warmup_per_kind": _WARMUP, "rank_limit": rank_limit}
    for name, make in (("tag_filter", queries.tag_filter), ("full_text", queries.full_text),
                       ("facets", queries.facets)):
        out[name] = _time(store, make, n_queries)
    checkpoint = getattr(store, "checkpoint", None)
    if checkpoint is not None:  # measure the library, not a write-ahead log waiting to be merged
        checkpoint()
    out["library_bytes"] = library_bytes(store)
    with contextlib.suppress(OSError):  # not on every platform
        out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main(argv: list[str] | None = None) -> int:
    """Build (if empty) a synthetic library and print the query benchmark as JSON."""
    from ficshelf.store import open_library
    from ficshelf.synth import build_library

    ap = argparse.ArgumentParser(prog="python -m ficshelf.bench", description=__doc__.split("\n")[0])
    ap.add_argument("--works", type=int, default=100_000, help="synthetic works to build (default 100000)")
    ap.add_argument("--library", type=Path, default=None,
                    help="library folder (default bench-out/library-<works>)")
    ap.add_argument("--queries", type=int, default=200, help="timed queries per kind (default 200)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rank-limit", default=str(RANK_LIMIT),
                    help=f"most matches best match ranks (default {RANK_LIMIT}; 'all': every one)")
    args = ap.parse_args(argv)
    rank_limit = None if args.rank_limit == "all" else int(args.rank_limit)
    folder = args.library or Path("bench-out") / f"library-{args.works}"
    report: dict[str, Any] = {}
    with open_library(folder) as store:
        have = store.count()
        if have == 0:
            def progress(done: int) -> None:
                print(f"\rbuilding: {done:,}/{args.works:,}", end="", file=sys.stderr, flush=True)

            report["build"] = build_library(store, args.works, seed=args.seed, progress=progress)
            print(file=sys.stderr)
            t0 = time.perf_counter()
            optimize = getattr(store, "optimize", None)
            if optimize is not None:
                optimize()
            report["build"]["optimize_seconds"] = round(time.perf_counter() - t0, 1)
        elif have != args.works:
            print(f"{folder} holds {have:,} works, not {args.works:,}: give another --library",
                  file=sys.stderr)
            return 2
        report["queries"] = bench_queries(store, args.queries, seed=args.seed,
                                          rank_limit=rank_limit)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
