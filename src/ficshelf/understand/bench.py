"""Speed of the understanding pipeline, next to a plain regex tokenisation of the same text.

``words_per_second(texts)`` times the whole default pipeline on one core (this
process, no threads) over each text as a work, and in the same run
``re.findall(r"\\w+", text)`` over the same texts, so the two figures share a
machine and a moment. Words are counted with ``re.findall(r"\\w+")`` for both.
Rates use CPU time of this process (``time.process_time``), best of ``repeat``
runs, so other programs on the machine do not lower them; wall-clock figures
are reported beside them.

``python -m ficshelf.understand.bench [--shared PATH] [--split dev] [--canon] [--components]``
prints the figures for the fan-fiction corpus's works of that split, and for its
longest work alone (time and peak memory of analysing it); ``--components``
adds the CPU seconds of each component (``component_seconds``).

>>> r = words_per_second(["Ann smiled at Ben. “Hi, Ben,” she said."] * 3, repeat=1)
>>> sorted(r)
['pipeline_cpu_seconds', 'pipeline_wall_seconds', 'pipeline_words_per_second', 'pipeline_words_per_second_wall', 'ratio_to_tokenizer', 'texts', 'tokenizer_cpu_seconds', 'tokenizer_words_per_second', 'words']
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ficshelf.model import Chapter, Work
from ficshelf.understand.document import Document
from ficshelf.understand.pipeline import Pipeline
from ficshelf.understand.run import analyze, default_pipeline

__all__ = ["analyze_one", "component_seconds", "main", "words_per_second"]

_WORD = re.compile(r"\w+")


def _works(texts: Sequence[str | Sequence[str]]) -> list[Work]:
    works = []
    for t in texts:
        chapters = [t] if isinstance(t, str) else list(t)
        works.append(Work(title="bench", chapters=tuple(
            Chapter(number=i + 1, text=c) for i, c in enumerate(chapters))))
    return works


def words_per_second(texts: Sequence[str | Sequence[str]], *, repeat: int = 3,
                     pipeline: Pipeline | None = None) -> dict[str, Any]:
    """Best-of-``repeat`` timings of the pipeline and of a ``\\w+`` tokenisation.

    Each item of ``texts`` is a work: a string (one chapter) or a list of chapters.
    """
    works = _works(texts)
    flat = [c.text for w in works for c in w.chapters]
    words = sum(len(_WORD.findall(t)) for t in flat)
    pipe = pipeline or default_pipeline()
    for w in works[:1]:
        analyze(w, pipeline=pipe)  # warm caches (nickname table, compiled patterns)
    best = {"pipe_cpu": float("inf"), "pipe_wall": float("inf"),
            "tok_cpu": float("inf"), "tok_wall": float("inf")}
    for _ in range(max(1, repeat)):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        for t in flat:
            _WORD.findall(t)
        best["tok_wall"] = min(best["tok_wall"], time.perf_counter() - w0)
        best["tok_cpu"] = min(best["tok_cpu"], time.process_time() - c0)
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        for w in works:
            analyze(w, pipeline=pipe)
        best["pipe_wall"] = min(best["pipe_wall"], time.perf_counter() - w0)
        best["pipe_cpu"] = min(best["pipe_cpu"], time.process_time() - c0)

    def rate(seconds: float) -> int | None:
        return round(words / seconds) if seconds > 0 else None

    return {
        "texts": len(works),
        "words": words,
        "pipeline_cpu_seconds": round(best["pipe_cpu"], 4),
        "pipeline_wall_seconds": round(best["pipe_wall"], 4),
        "pipeline_words_per_second": rate(best["pipe_cpu"]),
        "pipeline_words_per_second_wall": rate(best["pipe_wall"]),
        "tokenizer_cpu_seconds": round(best["tok_cpu"], 4),
        "tokenizer_words_per_second": rate(best["tok_cpu"]),
        "ratio_to_tokenizer": round(best["pipe_cpu"] / best["tok_cpu"], 1)
        if best["tok_cpu"] > 0 else None,
    }


def component_seconds(texts: Sequence[str | Sequence[str]], *, repeat: int = 3,
                      pipeline: Pipeline | None = None) -> dict[str, float]:
    """CPU seconds each component of the pipeline takes over ``texts`` (best of
    ``repeat``), in pipeline order: where the time goes, before any optimising.

    >>> sorted(component_seconds(["Ann met Ben. Ben smiled."], repeat=1))[:3]
    ['arc', 'cast', 'categories']
    """
    pipe = pipeline or default_pipeline()
    docs = [Document.from_work(w) for w in _works(texts)]
    best = {c.name: float("inf") for c in pipe.components}
    for _ in range(max(1, repeat)):
        spent = dict.fromkeys(best, 0.0)
        for doc in docs:
            for comp in pipe.components:
                c0 = time.process_time()
                out = comp(doc)
                spent[comp.name] += time.process_time() - c0
                doc = doc.with_layers(out)
        best = {k: min(v, spent[k]) for k, v in best.items()}
    return {k: round(v, 4) for k, v in best.items()}


def analyze_one(chapters: Sequence[str]) -> dict[str, Any]:
    """Seconds (wall and CPU), peak traced Python memory and the process's peak
    resident size (MB) of analysing one work."""
    work = _works([list(chapters)])[0]
    words = sum(len(_WORD.findall(c)) for c in chapters)
    analyze(work)  # warm caches
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    analyze(work)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    gc.collect()
    tracemalloc.start()
    analyze(work)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"words": words, "chapters": len(chapters), "wall_seconds": round(seconds, 3),
            "cpu_seconds": round(cpu, 3), "peak_traced_mb": round(peak / 2**20, 1),
            "max_rss_mb": _max_rss_mb()}


def _max_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not on this platform
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss / (2**20 if sys.platform == "darwin" else 2**10), 1)


def main(argv: list[str] | None = None) -> int:
    from ficshelf.evaluate.data import load_fanfic

    here = Path(__file__).resolve().parents[3]
    parser = argparse.ArgumentParser(prog="python -m ficshelf.understand.bench")
    parser.add_argument("--shared", type=Path, default=here.parent / "shared")
    parser.add_argument("--split", default="dev", choices=("dev", "test", "all"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--canon", action="store_true", help="with the canon component")
    parser.add_argument("--components", action="store_true",
                        help="CPU seconds per component too")
    args = parser.parse_args(argv)
    pipe = None
    if args.canon:
        from ficshelf.canon import load_canon

        pipe = default_pipeline(canon=load_canon())
    cases = [c for c in load_fanfic(args.shared) if args.split == "all" or c.split == args.split]
    texts = [[ch.text for ch in c.work.chapters] for c in cases]
    report: dict[str, Any] = {"corpus": f"fanfic/{args.split}", "canon": args.canon,
                              "all_works": words_per_second(texts, repeat=args.repeat,
                                                            pipeline=pipe)}
    if texts:
        longest = max(texts, key=lambda t: sum(len(c) for c in t))
        report["longest_work"] = analyze_one(longest)
        report["longest_work_rate"] = words_per_second([longest], repeat=args.repeat,
                                                       pipeline=pipe)
    if args.components:
        report["components_cpu_seconds"] = component_seconds(texts, repeat=args.repeat,
                                                             pipeline=pipe)
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
