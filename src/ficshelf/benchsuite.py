"""The benchmark command (``ficshelf bench``): every speed figure the project promises, as JSON.

- ``import``: AO3 HTML downloads of about 5,000 words (synthetic works written
  out by ficshelf's own AO3-shaped HTML exporter), parsed on one core
  (works/second), then parsed and stored into a fresh library one transaction
  each, then parsed, analysed and stored (what ``ficshelf import`` does).
- ``queries``: a synthetic library (default 100,000 works, built once into a
  folder and reused), two included tags + one excluded tag + a sort, full-text
  queries and facets: p50/p95/p99 in milliseconds, and the library's size on disk.
- ``understand``: words per CPU-second of the whole analysis pipeline on the
  dev fan-fiction works next to a plain ``\\w+`` tokenisation of the same text in
  the same run, and one long work (the longest dev work) with its memory.

Timings are taken inside the process with ``time.perf_counter``/``process_time``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["bench_import", "bench_understand", "run"]


def _download_files(n: int, words: int, *, seed: int) -> list[bytes]:
    from ficshelf.export import export_work
    from ficshelf.synth import SynthOptions, synth_works

    options = SynthOptions(min_words=int(words * 0.9), max_words=int(words * 1.1), median_words=words,
                           words_sigma=0.05)
    return [export_work(w, "html") for w in synth_works(n, seed=seed, options=options)]


def bench_import(*, n: int = 200, words: int = 5_000, seed: int = 1,
                 analyze: bool = True) -> dict[str, Any]:
    """Works per second: parse only, parse + store, and parse + analyse + store."""
    from ficshelf.importers import parse_bytes
    from ficshelf.store import open_library

    files = _download_files(n, words, seed=seed)
    parse_bytes(files[0], filename="warm.html")
    out: dict[str, Any] = {"works": n, "target_words": words}
    t0, c0 = time.perf_counter(), time.process_time()
    parsed = [parse_bytes(data, filename=f"w{i}.html") for i, data in enumerate(files)]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out["mean_words"] = round(sum(w.words or 0 for w in parsed) / len(parsed))
    out["formats"] = sorted({w.source_format or "?" for w in parsed})
    out["parse"] = {"seconds": round(wall, 3), "works_per_second": round(n / wall, 1),
                    "works_per_cpu_second": round(n / cpu, 1) if cpu else None}
    with tempfile.TemporaryDirectory(prefix="ficshelf-bench-") as tmp:
        with open_library(Path(tmp) / "store") as store:
            t0 = time.perf_counter()
            for i, data in enumerate(files):
                store.add(parse_bytes(data, filename=f"w{i}.html"))
            wall = time.perf_counter() - t0
        out["parse_and_store"] = {"seconds": round(wall, 3), "works_per_second": round(n / wall, 1)}
        if analyze:
            from ficshelf.library import import_bytes

            with open_library(Path(tmp) / "analysed") as store:
                t0 = time.perf_counter()
                for i, data in enumerate(files):
                    import_bytes(store, data, filename=f"w{i}.html", analyze=True)
                wall = time.perf_counter() - t0
            out["parse_analyse_and_store"] = {"seconds": round(wall, 3),
                                              "works_per_second": round(n / wall, 1)}
    return out


def bench_queries(*, works: int = 100_000, library: Path | None = None, queries: int = 200,
                  seed: int = 0, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Query latency over a synthetic library, built into ``library`` when it is empty."""
    from ficshelf.bench import bench_queries as run_queries
    from ficshelf.store import open_library
    from ficshelf.synth import build_library

    folder = library or Path("bench-out") / f"library-{works}"
    out: dict[str, Any] = {"library": str(folder)}
    with open_library(folder) as store:
        have = store.count()
        if have == 0:
            def tick(done: int) -> None:
                if progress is not None:
                    progress(f"building the synthetic library: {done:,}/{works:,} works")

            out["build"] = build_library(store, works, seed=seed, progress=tick)
            optimize = getattr(store, "optimize", None)
            if optimize is not None:
                optimize()
        elif have != works:
            raise SystemExit(f"{folder} holds {have:,} works, not {works:,}: pass another --bench-dir")
        out.update(run_queries(store, queries, seed=seed))
    return out


def bench_understand(shared: Path, *, repeat: int = 3) -> dict[str, Any]:
    """Whole-pipeline words/second on the dev fan fiction, and the longest dev work alone."""
    from ficshelf.canon import load_canon
    from ficshelf.evaluate.data import load_fanfic
    from ficshelf.understand import default_pipeline
    from ficshelf.understand.bench import analyze_one, words_per_second

    pipe = default_pipeline(canon=load_canon())
    cases = [c for c in load_fanfic(shared) if c.split == "dev"]
    texts = [[ch.text for ch in c.work.chapters] for c in cases]
    out: dict[str, Any] = {"corpus": "fanfic/dev", "all_works": words_per_second(texts, repeat=repeat,
                                                                                  pipeline=pipe)}
    if texts:
        longest = max(texts, key=lambda t: sum(len(c) for c in t))
        out["longest_work"] = analyze_one(longest)
    return out


def run(*, shared: Path, works: int, bench_dir: Path | None, queries: int, parts: tuple[str, ...],
        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    report: dict[str, Any] = {"python": sys.version.split()[0]}
    if "import" in parts:
        if progress:
            progress("import: 200 AO3 HTML downloads of ~5,000 words")
        report["import"] = bench_import()
    if "queries" in parts:
        report["queries"] = bench_queries(works=works, library=bench_dir, queries=queries, progress=progress)
    if "understand" in parts:
        if progress:
            progress("understand: whole pipeline over the dev fan fiction")
        report["understand"] = bench_understand(shared)
    return report


