"""Per-work scoring against each data set's gold, and totals per split.

Every per-work record keeps its counts (``tp``/``fp``/``fn`` style) so that
totals are micro-averages over the split, and lists what was missed, so a
reader can see why a figure is what it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ficshelf.evaluate.data import Case
from ficshelf.evaluate.match import (
    GoldChar,
    assign,
    count_name,
    gold_from_seed,
    match_people,
    norm,
    shared_words,
    tag_names,
    tagged_cast,
)
from ficshelf.understand.analysis import Analysis, Character
from ficshelf.understand.cast import Cluster
from ficshelf.understand.characters import MAIN_SHARE

__all__ = [
    "aggregate",
    "alias_purity",
    "score_fanfic",
    "score_novel",
    "score_seed",
    "span_prf",
]


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _names(c: Character) -> list[str]:
    names = [c.name, *c.aliases]
    if c.canon:  # "Mordred (Merlin)": the name, not the fandom that disambiguates it
        names += tag_names(c.canon)
    if c.name == "Narrator":
        names += ["Narr", "Narrator"]
    return names


def alias_purity(preds: Sequence[Character], gold: Sequence[GoldChar]) -> tuple[int, int]:
    """(aliases in their cluster's majority gold character, aliases owned by one gold character)."""
    owner: dict[str, set[int]] = {}
    for gi, g in enumerate(gold):
        for a in (g.name, *g.aliases):
            owner.setdefault(norm(a), set()).add(gi)
    pure = total = 0
    for c in preds:
        votes: Counter[int] = Counter()
        for a in c.aliases:
            gs = owner.get(norm(a), set())
            if len(gs) == 1:
                votes[next(iter(gs))] += 1
        if votes:
            pure += votes.most_common(1)[0][1]
            total += sum(votes.values())
    return pure, total


def _prf_counts(gold_main: set[int], pred_main_match: Sequence[int | None]) -> dict[str, Any]:
    matched = {g for g in pred_main_match if g is not None}
    return {
        "main_tp": len(gold_main & matched),
        "main_gold": len(gold_main),
        "main_pred": len(pred_main_match),
        "main_pred_correct": sum(1 for g in pred_main_match if g is not None and g in gold_main),
    }


def score_seed(case: Case, a: Analysis) -> dict[str, Any]:
    gold = gold_from_seed(case.gold["characters"])
    preds = list(a.characters)
    match = match_people([_names(c) for c in preds], gold)
    gold_main = {i for i, g in enumerate(gold) if g.role == "main"}
    mains = [m for c, m in zip(preds, match, strict=True) if c.role == "main"]
    rec: dict[str, Any] = _prf_counts(gold_main, mains)
    found_any = {m for m in match if m is not None}
    rec["any_tp"] = len(found_any)
    rec["any_gold"] = len(gold)
    # every listed alias the text itself writes (in any case: "sergeant", "the Soldier")
    text = case.work.full_text
    missing: list[str] = []
    alias_hit = alias_total = 0
    for gi in sorted(gold_main):
        g = gold[gi]
        pred_i = next((i for i, m in enumerate(match) if m == gi), None)
        have = {norm(x) for x in _names(preds[pred_i])} if pred_i is not None else set()
        for alias in g.aliases:
            if not re.search(rf"(?i)\b{re.escape(alias)}\b", text):
                continue
            alias_total += 1
            if norm(alias) in have:
                alias_hit += 1
            else:
                missing.append(f"{g.name}: {alias}")
    rec["alias_hit"], rec["alias_total"], rec["alias_missing"] = alias_hit, alias_total, missing
    nots = {norm(n) for n in case.gold.get("not_characters") or ()}
    rec["not_characters_reported"] = sorted({a_ for c in preds for a_ in _names(c)
                                             if norm(a_) in nots})
    rec["purity_pure"], rec["purity_total"] = alias_purity(preds, gold)
    pov = case.gold.get("pov") or {}
    rec["pov_ok"] = a.pov is not None and a.pov.person == pov.get("person")
    rec["reader_ok"] = a.pov is not None and a.pov.reader_insert == bool(pov.get("reader_insert"))
    tense_ok = (case.gold.get("tense") or {}).get("any_of") or []
    rec["tense_ok"] = a.tense is not None and a.tense.value in tense_ok
    rec["predicted"] = {"main": [c.name for c in preds if c.role == "main"],
                        "pov": a.pov.person if a.pov else None,
                        "reader_insert": a.pov.reader_insert if a.pov else None,
                        "tense": a.tense.value if a.tense else None}
    rec["missed_main"] = [gold[i].name for i in sorted(gold_main - set(mains))]
    return rec


_POV_TAG = re.compile(r"(?i)\b(first|second|third)[ -]person\b")
_READER_TAG = re.compile(r"(?i)\breader\b|\bx reader\b|\byou\b")


def score_fanfic(case: Case, a: Analysis) -> dict[str, Any]:
    """Gold = the people the author's tags name, a proxy for the cast
    (``match.tagged_cast``: character tags, and the members of relationship tags).

    Fair to a text-only reader: a tagged character counts for recall only if
    the text names it (``findable``); the main-cast proxy is the tagged
    characters the text names at least 3 times and at least 30% as often as
    the most named tagged character (``prominent``), counting every place the
    text writes one of the person's names (``match.count_name``). A name word two tagged
    people share ("Hale" of Peter and Derek Hale) does not count for either. Predicted main characters
    are correct when they match a tagged person (group tags such as "Original
    Characters" are left out; ``Reader`` matches a reader tag). Matching refuses
    a shared surname alone (``match.match_people``).
    """
    gold = tagged_cast(case.gold["characters"], case.gold.get("relationships") or ())
    reader_gold = any(_READER_TAG.search(t) for t in case.gold["characters"]) or any(
        re.search(r"(?i)reader[- ]insert|\bx reader\b", f) for f in case.gold["freeforms"])
    text = case.work.full_text
    shared = shared_words(gold)  # "Stilinski" alone is not the Sheriff's mention
    counts = [count_name(text, g.aliases, shared=shared) for g in gold]
    top = max(counts, default=0)
    findable = {i for i, n in enumerate(counts) if n >= 1}
    prominent = {i for i, n in enumerate(counts) if n >= 3 and n >= 0.3 * top}
    preds = [c for c in a.characters if c.name not in ("Reader", "Narrator")]
    match = match_people([_names(c) for c in preds], gold)
    main_match = [m for c, m in zip(preds, match, strict=True) if c.role == "main"]
    major_match = {m for c, m in zip(preds, match, strict=True)
                   if c.role in ("main", "secondary") and m is not None}
    any_match = {m for m in match if m is not None}
    rec: dict[str, Any] = {
        "tags": len(gold), "findable": len(findable), "prominent": len(prominent),
        "main_tp": len(prominent & set(m for m in main_match if m is not None)),
        "main_gold": len(prominent),
        "major_tp": len(prominent & major_match),
        "any_tp": len(findable & any_match), "any_gold": len(findable),
    }
    reader_pred = any(c.name == "Reader" and c.role == "main" for c in a.characters)
    if gold or reader_gold:
        rec["main_pred"] = len(main_match) + (1 if reader_pred else 0)
        rec["main_pred_correct"] = sum(1 for m in main_match if m is not None) + (
            1 if reader_pred and reader_gold else 0)
    else:
        rec["main_pred"] = rec["main_pred_correct"] = 0
    rec["reader_gold"] = reader_gold
    rec["reader_ok"] = a.pov is not None and a.pov.reader_insert == reader_gold
    pov_tags = {m.group(1).lower() for f in case.gold["freeforms"] for m in _POV_TAG.finditer(f)}
    if len(pov_tags) == 1:
        rec["pov_gold"] = pov_tags.pop()
        rec["pov_ok"] = a.pov is not None and a.pov.person == rec["pov_gold"]
    rec["predicted"] = {"main": [c.name for c in a.characters if c.role == "main"],
                        "pov": a.pov.person if a.pov else None,
                        "reader_insert": a.pov.reader_insert if a.pov else None,
                        "tense": a.tense.value if a.tense else None}
    rec["missed_main"] = [gold[i].name for i in sorted(prominent - set(main_match))]
    rec["missed_main_why"] = [_main_miss_reason(preds, match, i)
                              for i in sorted(prominent - set(main_match))]
    rec["wrong_main"] = [c.name for c, m in zip(preds, match, strict=True)
                         if c.role == "main" and m is None]
    return rec


def _main_miss_reason(preds: Sequence[Character], match: Sequence[int | None], gold_index: int
                      ) -> str:
    """Why a prominent tagged character is not a predicted main one, for the report.

    The role rule (``characters.assign_roles``) also asks for spread across the text
    and mentions in the narration, which the ``Analysis`` does not keep; a character
    named often enough but not main failed one of those two.
    """
    found = [c for c, m in zip(preds, match, strict=True) if m == gold_index]
    if not found:
        return "not in the cast"
    c = max(found, key=lambda c: c.mentions)
    top = max(p.mentions for p in preds)
    if c.mentions < max(3, MAIN_SHARE * top):
        return "named too rarely for main"
    return "too narrow a spread or only in dialogue"


def score_novel(case: Case, a: Analysis) -> dict[str, Any]:
    """Gold = the novel's hand-made character list (major/intermediate/minor)."""
    gold = [GoldChar(name=c["name"], aliases=tuple(c.get("aliases") or ()),
                     role=c.get("category") or "minor")
            for c in case.gold["characters"] if not str(c["name"]).startswith("_")]
    preds = list(a.characters)
    match = assign([_names(c) for c in preds], gold, token_match=False)
    majors = {i for i, g in enumerate(gold) if g.role == "major"}
    upper = {i for i, g in enumerate(gold) if g.role in ("major", "intermediate")}
    mains = [m for c, m in zip(preds, match, strict=True) if c.role == "main"]
    rec: dict[str, Any] = _prf_counts(majors, mains)
    rec["main_pred_lenient"] = sum(1 for m in mains if m is not None and m in upper)
    rec["purity_pure"], rec["purity_total"] = alias_purity(preds, gold)
    person = {1: "first", 2: "second", 3: "third"}.get(case.gold.get("narrative_person") or 0)
    rec["pov_gold"] = person
    rec["pov_ok"] = a.pov is not None and a.pov.person == person
    rec["reader_ok"] = a.pov is not None and not a.pov.reader_insert
    rec["tense_ok"] = a.tense is not None and a.tense.value == "past"
    rec["predicted"] = {"main": [c.name for c in preds if c.role == "main"],
                        "pov": a.pov.person if a.pov else None,
                        "tense": a.tense.value if a.tense else None}
    rec["missed_main"] = [gold[i].name for i in sorted(majors - set(mains))]
    rec["wrong_main"] = [c.name for c, m in zip(preds, match, strict=True)
                         if c.role == "main" and (m is None or m not in upper)]
    return rec


def span_prf(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]
             ) -> dict[str, int]:
    """Exact-span and overlap (one-to-one) matches between gold and predicted spans."""
    g, p = set(gold), set(pred)
    exact = len(g & p)
    used: set[tuple[int, int]] = set()
    overlap = 0
    ps = sorted(p)
    for a, b in sorted(g):
        for q in ps:
            if q[0] >= b:
                break
            if q[1] > a and q not in used:
                used.add(q)
                overlap += 1
                break
    return {"gold": len(g), "pred": len(p), "exact": exact, "overlap": overlap}


def cluster_spans(people: Iterable[Cluster]) -> list[tuple[int, int]]:
    return [(s, e) for c in people for _ci, s, e in c.mentions()]


def aggregate(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Micro-averaged figures over a split's records."""
    def tot(key: str) -> int:
        return sum(int(r.get(key) or 0) for r in records)

    out: dict[str, Any] = {"works": len(records)}
    if any("main_gold" in r for r in records):
        out["main_recall"] = _ratio(tot("main_tp"), tot("main_gold"))
        out["main_precision"] = _ratio(tot("main_pred_correct"), tot("main_pred"))
    if any("main_pred_lenient" in r for r in records):
        out["main_precision_lenient"] = _ratio(tot("main_pred_lenient"), tot("main_pred"))
    if any("major_tp" in r for r in records):
        out["main_or_secondary_recall"] = _ratio(tot("major_tp"), tot("main_gold"))
    if any("any_gold" in r for r in records):
        out["any_role_recall"] = _ratio(tot("any_tp"), tot("any_gold"))
    if any("alias_total" in r for r in records):
        out["alias_recall"] = _ratio(tot("alias_hit"), tot("alias_total"))
    if any("purity_total" in r for r in records):
        out["alias_purity"] = _ratio(tot("purity_pure"), tot("purity_total"))
    for key in ("pov_ok", "reader_ok", "tense_ok"):
        judged = [r for r in records if key in r]
        if judged:
            out[key.replace("_ok", "_accuracy")] = _ratio(sum(1 for r in judged if r[key]),
                                                          len(judged))
            out[key.replace("_ok", "_judged")] = len(judged)
    if any("missed_main_why" in r for r in records):
        out["main_missed_by_reason"] = dict(sorted(Counter(
            why for r in records for why in r.get("missed_main_why") or ()).items()))
    if any("not_characters_reported" in r for r in records):
        out["not_characters_reported"] = sum(len(r["not_characters_reported"]) for r in records)
    return out
