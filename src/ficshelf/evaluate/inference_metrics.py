"""Scores for the inference layers: relationships, fandom, category, ending, rating, warnings.

Gold answers:

* seeds (``seeds/gold.json``): ``relationships`` (must be found) and
  ``relationships_also_acceptable`` (neither rewarded nor penalised), fandoms,
  categories, rating (``any_of``), ending (``any_of``);
* fan-fiction corpus (``corpus/fanfic/works.jsonl``): the authors' own tags.
  Only the ``text`` field is analysed (tags removed). Ending gold comes from
  the authors' ending tags ("Happy Ending", "Angst with a Happy Ending",
  "Sad Ending", "Bittersweet Ending", "Open Ending"...), on complete texts only.

Relationship tags are parsed AO3's way ("/" romantic, "&" platonic; Homestuck's
♥/♠ romantic, ♦/♣ platonic; "past"/"implied" prefixes dropped). A tag whose
member is not a character ("Unknown", "Everyone", "Avengers Team", "Original
Character(s)", "to be added") cannot be found from any text and is counted in
``unscorable``, not in recall. A tag of three or more people is one gold item,
found by any predicted pair inside it. Tags that name the same pair twice
(aliases: "Merlin/Arthur Pendragon" and "Merlin/Arthur Pendragon (Merlin)")
are one item.

Names are matched through aliases (``ficshelf.evaluate.match.assign``): the
predicted character's name, canonical tag and the names the text used, against
the tag's names (and, for seeds, the aliases gold lists).

Figures are micro-averages per data set and split: ``pair`` ignores the kind,
``kind`` requires it. Tune on ``dev`` works and seeds only.

>>> parse_relationship_tag("Nepeta Lejion♦Equius Zahhak").kind
'platonic'
>>> parse_relationship_tag("past Harry Truman/Josie Packard").members
(('Harry Truman',), ('Josie Packard',))
>>> parse_relationship_tag("Harry Potter/Unknown") is None
True
>>> ending_from_freeforms(["Angst", "Angst with a Happy Ending"])
'happy'
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficshelf.canon import CanonBase, canon_key, load_canon
from ficshelf.evaluate.data import Case, chapters_from_text, load_seeds, load_splits
from ficshelf.evaluate.match import GoldChar, assign, is_generic_tag, norm, tag_names, tokens
from ficshelf.model import Tags, Work
from ficshelf.understand.analysis import Character
from ficshelf.understand.document import Document
from ficshelf.understand.keys import CHARACTERS

__all__ = [
    "PRF",
    "GoldRelationship",
    "category_score",
    "ending_from_freeforms",
    "evaluate_inference",
    "fandom_top1",
    "load_fanfic_cases",
    "main",
    "match_people",
    "measure_speed",
    "parse_relationship_tag",
    "relationship_counts",
    "score_case",
    "summarize",
    "summarize_records",
]

_SPLIT = re.compile(r"\s*/\s*|\s+&\s+|\s*[♥♦♠♣]\s*")
_PREFIX = re.compile(r"(?i)^(?:past|former|implied|background|minor|mentioned|eventual|"
                     r"one-sided|unrequited|pre)[ -]+")
_PLACEHOLDER = re.compile(r"(?i)^(?:unknown|everyone|everybody|other\(s\)|others?|to be added|"
                          r"tba|anyone|no one|nobody|you)$")
_READER = re.compile(r"(?i)\breader\b|^y/n$")
_ENDINGS = (
    (re.compile(r"(?i)\bbittersweet\b"), "bittersweet"),
    (re.compile(r"(?i)\b(?:open|ambiguous|unresolved) ending\b"), "open"),
    (re.compile(r"(?i)\bhappy ending\b|\bhopeful ending\b|\bhappily ever after\b"), "happy"),
    (re.compile(r"(?i)\bsad ending\b|\btragedy\b|\bunhappy ending\b"), "sad"),
)


@dataclass(frozen=True, slots=True)
class GoldRelationship:
    """A gold relationship: each member's names (alternatives), the kind."""

    members: tuple[tuple[str, ...], ...]
    kind: str
    acceptable: bool = False
    tag: str = ""


@dataclass(slots=True)
class PRF:
    """True positives, false positives, false negatives; micro P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return round(self.tp / (self.tp + self.fp), 4) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return round(self.tp / (self.tp + self.fn), 4) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None and r is None else 0.0
        return round(2 * p * r / (p + r), 4)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


def parse_relationship_tag(tag: str, *, acceptable: bool = False) -> GoldRelationship | None:
    """A gold relationship from an AO3 relationship tag; None when it is not scorable."""
    text = _PREFIX.sub("", tag.strip())
    if "/" in text or "♥" in text or "♠" in text:
        kind = "romantic"
    elif "&" in text or "♦" in text or "♣" in text:
        kind = "platonic"
    else:
        return None
    # "CC-2224 | Cody/Obi-Wan" splits on "/" only outside the "|" alternatives' spaces
    parts = [p for p in _SPLIT.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    members: list[tuple[str, ...]] = []
    for part in parts:
        if _READER.search(part):
            members.append(("Reader",))
            continue
        names = tuple(tag_names(part)) or tuple(n.strip() for n in part.split("|") if n.strip())
        if not names or any(_PLACEHOLDER.match(n) for n in names) or (
                is_generic_tag(part) and not _READER.search(part)):
            return None
        members.append(names)
    return GoldRelationship(members=tuple(members), kind=kind, acceptable=acceptable, tag=tag)


def ending_from_freeforms(freeforms: Iterable[str]) -> str | None:
    """The ending the author's tags state, if they state one."""
    found: list[str] = []
    for tag in freeforms:
        for pattern, value in _ENDINGS:
            if pattern.search(tag):
                found.append(value)
                break
    return found[0] if len(set(found)) == 1 else (found[0] if found else None)


def _pred_names(doc: Document) -> dict[str, list[str]]:
    """Display name -> every name the prediction knows for that person."""
    out: dict[str, list[str]] = {}
    chars: Sequence[Character] = doc.get(CHARACTERS) if doc.has(CHARACTERS) else ()
    by_text = {c.name: c for c in chars}
    if doc.has("people"):
        for p in doc.get("people").persons:
            names = [p.name, p.text_name]
            ch = by_text.get(p.text_name)
            if ch is not None:
                names += list(ch.aliases)
            if p.canon:
                names += tag_names(p.canon)
            if p.special == "reader":
                names += ["Reader", "you", "Y/N"]
            out[p.name] = names
    return out


def relationship_counts(predicted: Sequence[Mapping[str, Any]], names: Mapping[str, Sequence[str]],
                        gold: Sequence[GoldRelationship], *,
                        gold_aliases: Mapping[str, Sequence[str]] | None = None
                        ) -> dict[str, Any]:
    """Pair and pair+kind counts for one work, with what matched and what was missed.

    ``predicted`` holds ``{"characters": [a, b], "kind": ...}``; ``names`` maps a
    predicted name to all its names; ``gold_aliases`` adds names per gold member.
    """
    people: list[GoldChar] = []
    index: dict[str, int] = {}
    items: list[tuple[tuple[int, ...], str, bool, str]] = []
    for g in gold:
        member_ids: list[int] = []
        for alts in g.members:
            key = norm(alts[0])
            if key not in index:
                extra = tuple((gold_aliases or {}).get(alts[0], ()))
                index[key] = len(people)
                people.append(GoldChar(name=alts[0], aliases=tuple(alts[1:]) + extra))
            member_ids.append(index[key])
        items.append((tuple(member_ids), g.kind, g.acceptable, g.tag))
    # the same people and kind twice is one item
    seen: dict[tuple[frozenset[int], str], int] = {}
    unique: list[tuple[tuple[int, ...], str, bool, str]] = []
    for ids, kind, ok, tag in items:
        k = (frozenset(ids), kind)
        if k in seen or len(set(ids)) < 2:
            continue
        seen[k] = len(unique)
        unique.append((ids, kind, ok, tag))
    pred_people = sorted({n for r in predicted for n in r["characters"]})
    assigned = dict(zip(pred_people, match_people(
        [[*names.get(n, [n]), n] for n in pred_people], people), strict=True))
    pair, kind_ = PRF(), PRF()
    found_pair: set[int] = set()
    found_kind: set[int] = set()
    rows: list[dict[str, Any]] = []
    for r in predicted:
        a, b = (assigned.get(n) for n in r["characters"])
        hits = [i for i, (ids, _k, _ok, _t) in enumerate(unique)
                if a is not None and b is not None and a != b and a in ids and b in ids]
        required = [i for i in hits if not unique[i][2]]
        same_kind = [i for i in hits if unique[i][1] == r["kind"]]
        status = "fp"
        if required:
            pair.tp += 1
            found_pair.update(required)
            req_kind = [i for i in required if unique[i][1] == r["kind"]]
            if req_kind:
                kind_.tp += 1
                found_kind.update(req_kind)
                status = "tp"
            else:
                kind_.fp += 1
                status = "wrong kind"
        elif hits:
            status = "acceptable" if same_kind else "acceptable pair, other kind"
            if not same_kind:
                kind_.fp += 1
        else:
            pair.fp += 1
            kind_.fp += 1
        rows.append({"tag": r.get("tag"), "kind": r["kind"], "status": status})
    required_items = [i for i, u in enumerate(unique) if not u[2]]
    pair.fn = sum(1 for i in required_items if i not in found_pair)
    kind_.fn = sum(1 for i in required_items if i not in found_kind)
    missed = [unique[i][3] for i in required_items if i not in found_kind]
    return {"pair": pair, "kind": kind_, "predicted": rows, "missed": missed,
            "gold_items": len(required_items)}


def _full_tokens(names: Iterable[str]) -> list[list[str]]:
    return [t for t in (tokens(n) for n in names) if len(t) >= 2]


def match_people(pred: Sequence[Sequence[str]], gold: Sequence[GoldChar]) -> list[int | None]:
    """``match.assign``, minus matches that rest on a shared surname alone.

    "Mycroft Holmes" is not "Sherlock Holmes": when both sides have full names
    and every full name pair shares only its last word, the match is refused.
    """
    out = assign(pred, gold)
    for i, gi in enumerate(out):
        if gi is None:
            continue
        g = gold[gi]
        if any(norm(a) == norm(b) for a in pred[i] for b in (g.name, *g.aliases)):
            continue
        mine, theirs = _full_tokens(pred[i]), _full_tokens((g.name, *g.aliases))
        if mine and theirs and all((set(x) & set(y) <= {x[-1]} and x[-1] == y[-1])
                                   or not set(x) & set(y) for x in mine for y in theirs):
            out[i] = None
    return out


def fandom_top1(top: str, gold: Sequence[str], canon: CanonBase) -> tuple[bool, bool]:
    """(top-1 correct, the gold fandom is one the canon base knows or Original Work)."""
    covered = False
    top_key = canon_key(top)
    top_fandom = canon.fandom_by_tag(top)
    for g in gold:
        if canon_key(g) in ("original work", "no fandom"):
            covered = True
            if top_key == "original work":
                return True, True
            continue
        f = canon.fandom_by_tag(g)
        if f is None:
            if top_key == canon_key(g):
                return True, True
            continue
        covered = True
        if top_fandom is f or top_key == canon_key(f.tag) or (
                top_fandom is not None and top_fandom.parent is not None
                and canon_key(top_fandom.parent) == canon_key(g)):
            return True, True
    return False, covered


def category_score(predicted: Sequence[str], gold: Sequence[str]) -> dict[str, Any]:
    """Exact set match, and whether the first predicted category is among gold's."""
    p, g = set(predicted), set(gold)
    return {"exact": p == g, "first_in_gold": bool(predicted) and predicted[0] in g}


@dataclass(slots=True)
class _Totals:
    pair: PRF = field(default_factory=PRF)
    kind: PRF = field(default_factory=PRF)
    unscorable: int = 0
    fandom: list[bool] = field(default_factory=list)
    fandom_covered: list[bool] = field(default_factory=list)
    category_exact: list[bool] = field(default_factory=list)
    category_first: list[bool] = field(default_factory=list)
    ending: list[bool] = field(default_factory=list)
    rating: list[bool] = field(default_factory=list)
    warnings: list[bool] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    works: int = 0


def _acc(values: Sequence[bool]) -> dict[str, Any]:
    return {"n": len(values), "accuracy": round(sum(values) / len(values), 4) if values else None}


def summarize(t: _Totals) -> dict[str, Any]:
    return {
        "works": t.works,
        "relationships_pair": t.pair.to_dict(),
        "relationships_kind": t.kind.to_dict(),
        "relationships_unscorable_tags": t.unscorable,
        "fandom_top1": _acc(t.fandom),
        "fandom_top1_covered": _acc(t.fandom_covered),
        "category_exact": _acc(t.category_exact),
        "category_first_in_gold": _acc(t.category_first),
        "ending": _acc(t.ending),
        "rating": _acc(t.rating),
        "warnings_exact": _acc(t.warnings),
        "words": t.words,
        "seconds": round(t.seconds, 3),
    }


def load_fanfic_cases(shared: Path) -> Iterator[Case]:
    """Corpus works with the text only (no tags on the ``Work``); gold = every author tag."""
    splits = load_splits(shared).get("fanfic", {})
    with (shared / "corpus" / "fanfic" / "works.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            split = splits.get(d["id"])
            if split is None:
                continue
            work = Work(title="", chapters=chapters_from_text(d["text"]))
            yield Case("fanfic", d["id"], split, work, d)


def _seed_aliases(gold: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for role in ("main", "mentioned"):
        for name, aliases in (gold.get("characters", {}).get(role) or {}).items():
            out[name] = list(aliases)
    return out


def score_case(case: Case, doc: Document, *, canon: CanonBase | None = None) -> dict[str, Any]:
    """Score one analysed work against its data set's gold (JSON-ready record).

    ``doc`` must hold the inference layers. The record keeps the counts (so
    ``summarize_records`` can micro-average them) and what was predicted and missed.
    """
    base = canon if canon is not None else load_canon()
    g = case.gold
    rels = [r.to_dict() for r in doc.get("relationships")] if doc.has("relationships") else []
    names = _pred_names(doc)
    unscorable = 0
    warnings_gold: list[str] | None = None
    if case.dataset == "seeds":
        gold_rels = []
        for key, ok in (("relationships", False), ("relationships_also_acceptable", True)):
            for r in g.get(key) or ():
                gold_rels.append(GoldRelationship(
                    members=tuple((n,) for n in r["characters"]), kind=r["kind"], acceptable=ok,
                    tag=("/" if r["kind"] == "romantic" else " & ").join(r["characters"])))
        counts = relationship_counts(rels, names, gold_rels, gold_aliases=_seed_aliases(g))
        ending_gold = list((g.get("ending") or {}).get("any_of") or [])
        rating_gold = list((g.get("rating") or {}).get("any_of") or [])
    else:
        gold_rels = []
        for tag in g.get("relationships") or ():
            parsed = parse_relationship_tag(tag)
            if parsed is None:
                unscorable += 1
            else:
                gold_rels.append(parsed)
        counts = relationship_counts(rels, names, gold_rels)
        full = g.get("text_scope") == "full"
        end = ending_from_freeforms(g.get("freeforms") or ()) if full else None
        ending_gold = [end] if end else []
        rating_gold = [g["rating"]] if g.get("rating") and g["rating"] != "Not Rated" else []
        ws = list(g.get("warnings") or ())
        warnings_gold = None if not ws or any("Chose Not" in w for w in ws) else ws
    fandoms_gold = list(g.get("fandoms") or [])
    cats_gold = list(g.get("categories") or [])
    top = doc.get("fandoms").top if doc.has("fandoms") else "Original Work"
    cats = [c.value for c in doc.get("categories").tags] if doc.has("categories") else []
    ending = doc.get("arc").ending if doc.has("arc") else None
    rating_ = doc.get("rating").tag.value if doc.has("rating") else None
    warnings_ = sorted(w.value for w in doc.get("warnings").tags) if doc.has("warnings") else []
    fandom_ok, covered = fandom_top1(top, fandoms_gold, base)
    return {
        "dataset": case.dataset, "id": case.id, "split": case.split,
        "relationships": {"pair": counts["pair"].to_dict(), "kind": counts["kind"].to_dict(),
                          "predicted": counts["predicted"], "missed": counts["missed"],
                          "unscorable_tags": unscorable},
        "fandom": {"top": top, "gold": fandoms_gold, "correct": fandom_ok, "covered": covered},
        "categories": {"predicted": cats, "gold": cats_gold,
                       **(category_score(cats, cats_gold) if cats_gold else {})},
        "ending": {"predicted": ending, "gold": ending_gold},
        "rating": {"predicted": rating_, "gold": rating_gold},
        "warnings": {"predicted": warnings_, "gold": warnings_gold},
    }


def _prf(d: Mapping[str, Any]) -> PRF:
    return PRF(tp=int(d["tp"]), fp=int(d["fp"]), fn=int(d["fn"]))


def summarize_records(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Micro-averaged figures per data set and split, from ``score_case`` records.

    A record may carry ``words`` and ``seconds`` (added by ``evaluate_inference``).
    ``test_and_seeds`` pools the fan-fiction test split with the seeds (the
    figures the targets are stated for).
    """
    totals: dict[str, dict[str, _Totals]] = {}
    combined = _Totals()
    seeds_found: dict[str, bool] = {}
    for r in records:
        t = totals.setdefault(r["dataset"], {}).setdefault(r["split"], _Totals())
        pair, kind = _prf(r["relationships"]["pair"]), _prf(r["relationships"]["kind"])
        t.works += 1
        t.words += int(r.get("words", 0))
        t.seconds += float(r.get("seconds", 0.0))
        t.pair.add(pair)
        t.kind.add(kind)
        t.unscorable += int(r["relationships"]["unscorable_tags"])
        t.fandom.append(bool(r["fandom"]["correct"]))
        if r["fandom"]["covered"]:
            t.fandom_covered.append(bool(r["fandom"]["correct"]))
        if r["categories"]["gold"]:
            t.category_exact.append(bool(r["categories"]["exact"]))
            t.category_first.append(bool(r["categories"]["first_in_gold"]))
        if r["ending"]["gold"]:
            t.ending.append(r["ending"]["predicted"] in r["ending"]["gold"])
        if r["rating"]["gold"]:
            t.rating.append(r["rating"]["predicted"] in r["rating"]["gold"])
        if r["warnings"]["gold"] is not None:
            t.warnings.append(sorted(r["warnings"]["gold"]) == list(r["warnings"]["predicted"]))
        if r["dataset"] == "seeds" or r["split"] == "test":
            combined.pair.add(pair)
            combined.kind.add(kind)
        if r["dataset"] == "seeds":
            seeds_found[r["id"]] = not r["relationships"]["missed"]
    report: dict[str, Any] = {
        name: {split: summarize(t) for split, t in sorted(splits.items())}
        for name, splits in totals.items()}
    report["test_and_seeds"] = {"relationships_pair": combined.pair.to_dict(),
                                "relationships_kind": combined.kind.to_dict()}
    report["seeds_all_relationships_found"] = seeds_found
    return report


def evaluate_inference(shared: Path, *, canon: CanonBase | None = None,
                       analyze: Callable[[Work], Document] | None = None,
                       datasets: Sequence[str] = ("seeds", "fanfic"),
                       details: bool = False) -> dict[str, Any]:
    """Run the pipeline over the seeds and the fan-fiction corpus and score it per split.

    ``analyze`` turns a work into an analysed document (default: the core
    pipeline linked to the packaged canon base, then ``inference.COMPONENTS``).
    Works are analysed with their tags removed.
    """
    base = canon if canon is not None else load_canon()
    if analyze is None:
        from ficshelf.understand.inference import inference_pipeline

        pipe = inference_pipeline(canon=base)

        def analyze(work: Work) -> Document:
            return pipe.run(Document.from_work(work))

    cases: list[Case] = []
    if "seeds" in datasets:
        cases.extend(load_seeds(shared))
    if "fanfic" in datasets:
        cases.extend(load_fanfic_cases(shared))
    records: list[dict[str, Any]] = []
    for case in cases:
        work = dataclasses.replace(case.work, tags=Tags())
        t0 = time.perf_counter()
        doc = analyze(work)
        elapsed = time.perf_counter() - t0
        record = score_case(case, doc, canon=base)
        record["words"] = doc.words
        record["seconds"] = round(elapsed, 4)
        records.append(record)
    report = summarize_records(records)
    if details:
        report["works"] = records
    return report


def measure_speed(shared: Path, *, split: str = "dev", repeat: int = 3,
                  canon: CanonBase | None = None) -> dict[str, Any]:
    """Words per CPU-second of the core pipeline and of each inference component.

    Runs over the fan-fiction corpus works of ``split`` (dev by default). CPU
    time (``time.process_time``) is used so that other processes on the machine
    do not count; the inference components are timed ``repeat`` times and averaged.
    """
    from ficshelf.understand.inference import components
    from ficshelf.understand.run import core_pipeline

    base = canon if canon is not None else load_canon()
    core = core_pipeline(canon=base)
    mine = components(canon=base)
    docs: list[Document] = []
    words = 0
    core_cpu = 0.0
    for case in load_fanfic_cases(shared):
        if case.split != split:
            continue
        doc = Document.from_work(case.work)
        words += doc.words
        t0 = time.process_time()
        docs.append(core.run(doc))
        core_cpu += time.process_time() - t0
    per = {c.name: 0.0 for c in mine}
    for _ in range(repeat):
        for doc in docs:
            for comp in mine:
                t0 = time.process_time()
                out = comp(doc)
                per[comp.name] += time.process_time() - t0
                doc = doc.with_layers(out)
    per = {k: v / repeat for k, v in per.items()}
    inference_cpu = sum(per.values())

    def rate(seconds: float) -> int | None:
        return round(words / seconds) if seconds > 0 else None

    return {"split": split, "works": len(docs), "words": words,
            "core_cpu_seconds": round(core_cpu, 3), "core_words_per_second": rate(core_cpu),
            "inference_cpu_seconds": round(inference_cpu, 3),
            "inference_words_per_second": rate(inference_cpu),
            "pipeline_words_per_second": rate(core_cpu + inference_cpu),
            "components_cpu_seconds": {k: round(v, 4) for k, v in per.items()}}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ficshelf.evaluate.inference_metrics [--shared PATH] [--details] [--speed]``."""
    import argparse

    here = Path(__file__).resolve().parents[3]
    parser = argparse.ArgumentParser(prog="python -m ficshelf.evaluate.inference_metrics")
    parser.add_argument("--shared", type=Path, default=here.parent / "shared")
    parser.add_argument("--datasets", default="seeds,fanfic")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--speed", action="store_true",
                        help="words per CPU-second on the dev fan-fiction texts instead")
    args = parser.parse_args(argv)
    if args.speed:
        print(json.dumps(measure_speed(args.shared), indent=1))
        return 0
    report = evaluate_inference(args.shared, datasets=args.datasets.split(","),
                                details=args.details)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
