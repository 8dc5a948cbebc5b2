"""Evaluation of the understanding pipeline against the shared data sets: one harness.

``run(shared)`` reads each data set once, respecting ``corpus/splits.json``
(rules are tuned on ``dev`` only; ``test`` works are read only here), analyses
each work ONCE per mode with the whole pipeline (core + inference components),
text only (the authors' tags are removed from the ``Work`` first), and scores
every layer from that one analysis. It returns (and prints) one JSON report
with figures per data set, mode and split:

- ``seeds``: ``seeds/gold.json`` — main-character recall/precision, alias
  recall (every listed alias the text writes) and purity, POV, reader-insert
  and tense accuracy, not-characters reported; relationships, fandom,
  categories, rating and ending (``inference_metrics``);
- ``fanfic``: the authors' character tags as a main-cast proxy (see
  ``scores.score_fanfic``), reader-insert (reader tags), POV where a
  "POV ... Person" tag says so; relationships, fandom, categories, rating,
  warnings and ending from the authors' tags;
- ``novels``: hand-made character lists (major = main), ``narrative_person``;
  tense is scored as ``past`` for every novel (all are narrated in the past:
  an assumption of this evaluation, not a label of the data set);
- ``litbank``: proper-name person mentions (``PROP_PER``), exact-span and
  overlap precision/recall/F1, next to a plain capitalisation rule; and
  first-person narrators named (``narrators``) against the coreference chains.

Modes: ``with_canon`` is the pipeline ficshelf runs on import (the packaged
canon base links names to canonical characters); ``text_only`` leaves the
canon link out, so the character layer and the relationships rest on the text
alone (fandoms are still ranked from the canon base, which is what they are).
``test_and_seeds`` pools the fan-fiction test split with the seeds for the
relationship figures, per mode.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from ficshelf.errors import InputError
from ficshelf.evaluate.data import Case, load_fanfic, load_litbank, load_novels, load_seeds
from ficshelf.evaluate.inference_metrics import aggregate_inference, relationship_totals, score_case
from ficshelf.evaluate.litbank import capitalisation_baseline, score_litbank, score_narrators
from ficshelf.evaluate.scores import aggregate, score_fanfic, score_novel, score_seed
from ficshelf.model import Tags
from ficshelf.understand.analysis import Analysis
from ficshelf.understand.document import Document
from ficshelf.understand.pipeline import Pipeline
from ficshelf.understand.run import default_pipeline, to_analysis

__all__ = ["DATASETS", "MODES", "evaluate_cases", "run"]

DATASETS = ("seeds", "fanfic", "novels", "litbank")
MODES = ("with_canon", "text_only")

Scorer = Callable[[Case, Analysis], dict[str, Any]]
_SCORERS: Mapping[str, tuple[Callable[[Path], Iterable[Case]], Scorer, bool]] = {
    # data set: loader, character scorer, whether it has inference gold
    "seeds": (load_seeds, score_seed, True),
    "fanfic": (load_fanfic, score_fanfic, True),
    "novels": (load_novels, score_novel, False),
}


def _load_canon() -> tuple[Any, str | None]:
    try:
        from ficshelf.canon import load_canon

        return load_canon(), None
    except Exception as exc:  # the canon data is another module's; report, do not fail
        return None, f"{type(exc).__name__}: {exc}"


def evaluate_cases(cases: Iterable[Case], scorer: Scorer, *, pipeline: Pipeline,
                   canon: Any = None, inference: bool = True) -> list[dict[str, Any]]:
    """Analyse each case once (text only) and score it: one record per work with the
    character figures, and (when ``inference``) relationships, fandom, categories,
    rating, warnings and ending from the same analysis."""
    records: list[dict[str, Any]] = []
    for case in cases:
        work = dataclasses.replace(case.work, tags=Tags())
        started = time.perf_counter()
        doc = pipeline.run(Document.from_work(work))
        seconds = time.perf_counter() - started
        rec: dict[str, Any] = {"id": case.id, "split": case.split,
                               **({"loader": case.note} if case.note else {})}
        rec.update(scorer(case, to_analysis(doc)))
        if inference:
            rec.update(score_case(case, doc, canon=canon))
        rec["words"] = doc.words
        rec["seconds"] = round(seconds, 4)
        records.append(rec)
    return records


def _summary(records: Sequence[Mapping[str, Any]], *, details: bool) -> dict[str, Any]:
    by_split: dict[str, list[Mapping[str, Any]]] = {}
    for r in records:
        by_split.setdefault(str(r["split"]), []).append(r)
    out: dict[str, Any] = {split: {**aggregate(recs), **aggregate_inference(recs)}
                           for split, recs in sorted(by_split.items())}
    words = sum(int(r["words"]) for r in records)
    seconds = sum(float(r["seconds"]) for r in records)
    out["words"] = words
    out["seconds"] = round(seconds, 2)
    out["words_per_second"] = round(words / seconds) if seconds > 0 else None
    if details:
        out["works"] = {split: list(recs) for split, recs in sorted(by_split.items())}
    return out


def run(shared: Path, *, datasets: Sequence[str] = DATASETS, canon: bool = True,
        details: bool = False, quiet: bool = False, out: IO[str] | None = None
        ) -> dict[str, Any]:
    """Evaluate on ``shared`` (the ``../shared`` folder) and print one JSON report
    (to ``out``, standard output by default; nothing when ``quiet``)."""
    shared = Path(shared)
    unknown = sorted(set(datasets) - set(DATASETS))
    if unknown:
        raise InputError(f"unknown data set(s): {', '.join(unknown)}; "
                         f"choose among {', '.join(DATASETS)}")
    report: dict[str, Any] = {"shared": str(shared)}
    base, problem = _load_canon() if canon else (None, "not requested")
    report["canon"] = "loaded" if base is not None else f"unavailable ({problem})"
    modes: list[tuple[str, Pipeline]] = []
    if base is not None:
        modes.append(("with_canon", default_pipeline(canon=base)))
    modes.append(("text_only", default_pipeline(canon=None)))
    pooled: dict[str, list[Mapping[str, Any]]] = {mode: [] for mode, _ in modes}
    seeds_found: dict[str, dict[str, bool]] = {}
    for name in datasets:
        if name == "litbank":
            docs = list(load_litbank(shared))
            report["litbank"] = {"pipeline": score_litbank(docs),
                                 "capitalisation_rule": score_litbank(
                                     docs, spans=capitalisation_baseline),
                                 "narrators": score_narrators(docs)}
            continue
        loader, scorer, inference = _SCORERS[name]
        cases = list(loader(shared))
        report[name] = {}
        for mode, pipe in modes:
            records = evaluate_cases(cases, scorer, pipeline=pipe, canon=base,
                                     inference=inference)
            report[name][mode] = _summary(records, details=details)
            if not inference:
                continue
            pooled[mode] += [r for r in records if name == "seeds" or r["split"] == "test"]
            if name == "seeds":
                seeds_found[mode] = {str(r["id"]): not r["relationships"]["missed"]
                                     for r in records}
    if any(pooled.values()):
        report["test_and_seeds"] = {mode: relationship_totals(recs)
                                    for mode, recs in pooled.items()}
    if seeds_found:
        report["seeds_all_relationships_found"] = seeds_found
    if not quiet:
        stream = out if out is not None else sys.stdout
        json.dump(report, stream, indent=1, ensure_ascii=False)
        stream.write("\n")
    return report
