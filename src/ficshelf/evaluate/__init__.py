"""Evaluation of the understanding pipeline against the shared data sets.

``run(shared)`` analyses every data set, respecting ``corpus/splits.json``
(rules are tuned on ``dev`` only; ``test`` works are read only here), and
returns (and prints) one JSON report with figures per data set and split:

- ``seeds``: ``seeds/gold.json`` — main-character recall/precision, alias
  recall (capitalised aliases the text writes) and purity, POV,
  reader-insert and tense accuracy, not-characters reported;
- ``fanfic``: the authors' character tags as a main-cast proxy (see
  ``scores.score_fanfic``), reader-insert (reader tags), POV where a
  "POV ... Person" tag says so;
- ``novels``: hand-made character lists (major = main), ``narrative_person``;
  tense is scored as ``past`` for every novel (all are narrated in the past:
  an assumption of this evaluation, not a label of the data set);
- ``litbank``: proper-name person mentions (``PROP_PER``), exact-span and
  overlap precision/recall/F1, next to a plain capitalisation rule.

Seeds, fan fiction and novels are scored text-only and, when the canon base
loads, with canon linking as well.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from ficshelf.evaluate.data import Case, load_fanfic, load_litbank, load_novels, load_seeds
from ficshelf.evaluate.litbank import capitalisation_baseline, score_litbank
from ficshelf.evaluate.scores import aggregate, score_fanfic, score_novel, score_seed
from ficshelf.understand import analyze
from ficshelf.understand.analysis import Analysis

__all__ = ["DATASETS", "evaluate_cases", "run"]

DATASETS = ("seeds", "fanfic", "novels", "litbank")


def _load_canon() -> tuple[Any, str | None]:
    try:
        from ficshelf.canon import load_canon

        return load_canon(), None
    except Exception as exc:  # the canon data is another module's; report, do not fail
        return None, f"{type(exc).__name__}: {exc}"


def evaluate_cases(cases: Iterable[Case], scorer: Callable[[Case, Analysis], dict[str, Any]], *,
                   canon: Any = None, details: bool = True) -> dict[str, Any]:
    """Analyse and score each case; totals per split (and the per-work records)."""
    by_split: dict[str, list[dict[str, Any]]] = {}
    words = 0
    started = time.perf_counter()
    for case in cases:
        a = analyze(case.work, canon=canon)
        rec = scorer(case, a)
        rec = {"id": case.id, **({"loader": case.note} if case.note else {}), **rec}
        words += case.work.text_words
        by_split.setdefault(case.split, []).append(rec)
    seconds = time.perf_counter() - started
    out: dict[str, Any] = {split: aggregate(recs) for split, recs in sorted(by_split.items())}
    out["words"] = words
    out["seconds"] = round(seconds, 2)
    if details:
        out["works"] = {split: recs for split, recs in sorted(by_split.items())}
    return out


def run(shared: Path, *, datasets: Sequence[str] = DATASETS, canon: bool = True,
        details: bool = False, quiet: bool = False, out: IO[str] | None = None
        ) -> dict[str, Any]:
    """Evaluate on ``shared`` (the ``../shared`` folder) and print one JSON report
    (to ``out``, standard output by default; nothing when ``quiet``)."""
    shared = Path(shared)
    report: dict[str, Any] = {"shared": str(shared)}
    base, problem = _load_canon() if canon else (None, "not requested")
    report["canon"] = "loaded" if base is not None else f"unavailable ({problem})"
    modes: list[tuple[str, Any]] = [("text_only", None)]
    if base is not None:
        modes.append(("with_canon", base))
    scorers: dict[str, tuple[Callable[[Path], Iterable[Case]],
                             Callable[[Case, Analysis], dict[str, Any]]]] = {
        "seeds": (load_seeds, score_seed),
        "fanfic": (load_fanfic, score_fanfic),
        "novels": (load_novels, score_novel),
    }
    for name in datasets:
        if name == "litbank":
            docs = list(load_litbank(shared))
            report["litbank"] = {"pipeline": score_litbank(docs),
                                 "capitalisation_rule": score_litbank(
                                     docs, spans=capitalisation_baseline)}
            continue
        loader, scorer = scorers[name]
        cases = list(loader(shared))
        report[name] = {mode: evaluate_cases(cases, scorer, canon=cb, details=details)
                        for mode, cb in modes}
    if not quiet:
        stream = out if out is not None else sys.stdout
        json.dump(report, stream, indent=1, ensure_ascii=False)
        stream.write("\n")
    return report
