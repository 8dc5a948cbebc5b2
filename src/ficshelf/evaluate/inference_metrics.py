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
``unscorable``, not in recall. A tag whose members the analysed text does not
all name (``findable``: a pairing of chapters the corpus did not keep, a
creature the text never names) is counted in ``unfindable`` and is neither
rewarded nor penalised, the rule the character scores use for tagged
characters. A tag of three or more people is one gold item,
found by any predicted pair inside it. Tags that name the same pair twice
(aliases: "Merlin/Arthur Pendragon" and "Merlin/Arthur Pendragon (Merlin)")
are one item.

Names are matched through aliases (``ficshelf.evaluate.match.assign``): the
predicted character's name, canonical tag and the names the text used, against
the tag's names (and, for seeds, the aliases gold lists). A work whose author
tagged neither characters nor relationships has no relationship gold: its
predicted pairs are listed as "not judged" and counted nowhere.

Additional tags (``freeforms``) are scored against the seeds'
``freeforms_reasonable`` and the fan-fiction authors' own tags (works whose author gave
none are not judged): ``precision`` is the share of suggested tags that the gold has
in some wording (``freeform_matches``: "Happy Ending" in "Angst with a Happy Ending",
"Pining" in "Mutual Pining", "Sad Ending" as "Unhappy Ending"), a lower bound, since
authors tag what they think of, not everything that is true; ``recall`` is the share
of ficshelf's own tags (``freeforms.TAGS``) that the gold states and ficshelf suggested.
A text that stops before its work ends has its ending tags left out on both sides.

Figures are micro-averages per data set and split: ``pair`` ignores the kind,
``kind`` requires it. ``pair_strict``/``kind_strict`` (``relationships_*_strict`` in
the totals) count EVERY author relationship tag as gold: unfindable tags are required,
unscorable ones ("Harry Potter/Unknown", "Everyone & Everyone") are misses, and the
pairs predicted for a work whose author tagged no one are false positives (for the
seeds, whose gold a careful reader made, the strict figure is the current one).
Each missed gold item also gets a reason (``miss_reasons``), counted per split in
``relationships_missed_by_reason``. Tune on ``dev`` works and seeds only. The harness
(``ficshelf.evaluate.run``) analyses each work once and calls ``score_case``
next to the character scorers of ``ficshelf.evaluate.scores``.

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

import bisect
import dataclasses
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ficshelf.canon import CanonBase, canon_key
from ficshelf.evaluate.data import Case
from ficshelf.evaluate.match import (
    GoldChar,
    GoldRelationship,
    count_name,
    match_people,
    norm,
    parse_relationship_tag,
    shared_words,
    tag_names,
    tagged_cast,
)
from ficshelf.understand.analysis import Character
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.freeforms import FREEFORMS
from ficshelf.understand.freeforms import TAGS as FREEFORM_TAGS
from ficshelf.understand.keys import CHARACTERS
from ficshelf.understand.people import PEOPLE, People
from ficshelf.understand.relationships import (
    PLATONIC_WEIGHTS,
    RELATIONSHIPS,
    ROMANTIC_WEIGHTS,
    PairScore,
    score_pairs,
)

__all__ = [
    "PRF",
    "aggregate_inference",
    "category_score",
    "ending_from_freeforms",
    "fandom_top1",
    "findable",
    "freeform_matches",
    "freeform_score",
    "miss_reasons",
    "relationship_counts",
    "relationship_totals",
    "score_case",
]

_ENDINGS = (
    (re.compile(r"(?i)\bbittersweet\b"), "bittersweet"),
    (re.compile(r"(?i)\b(?:open|ambiguous|unresolved) ending\b"), "open"),
    (re.compile(r"(?i)\bhappy ending\b|\bhopeful ending\b|\bhappily ever after\b"), "happy"),
    (re.compile(r"(?i)\bsad ending\b|\btragedy\b|\bunhappy ending\b"), "sad"),
)


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


#: AO3 wordings of one of ficshelf's tags that share none of its words.
FREEFORM_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "Sad Ending": ("Unhappy Ending", "Bad Ending", "Tragedy"),
    "Reader-Insert": ("Reader",),
    "Humor": ("Humour", "Comedy"),
    "Grief/Mourning": ("Grief", "Mourning", "Grieving"),
    "Alternate Universe - College/University": ("College", "University"),
}


def _words(tag: str) -> list[str]:
    words = re.findall(r"[a-z0-9']+", tag.casefold())
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]


def freeform_matches(tag: str, gold: Iterable[str]) -> list[str]:
    """The gold tags that say ``tag`` (its words in a row, plurals aside, or a synonym's).

    >>> freeform_matches("Happy Ending", ["Angst with a Happy Ending", "Fluff"])
    ['Angst with a Happy Ending']
    >>> freeform_matches("Love Confessions", ["Love Confession"])
    ['Love Confession']
    >>> freeform_matches("Sad Ending", ["Unhappy Ending"])
    ['Unhappy Ending']
    >>> freeform_matches("Angst", ["Angst-free"]), freeform_matches("Fluff", ["Fluffy"])
    (['Angst-free'], [])
    """
    wanted = [_words(t) for t in (tag, *FREEFORM_SYNONYMS.get(tag, ()))]
    out: list[str] = []
    for g in gold:
        have = _words(g)
        if any(w and any(have[i:i + len(w)] == w for i in range(len(have) - len(w) + 1))
               for w in wanted):
            out.append(g)
    return out


ENDING_TAGS = frozenset({"Happy Ending", "Sad Ending"})


def freeform_score(predicted: Sequence[str], gold: Sequence[str], *, endings: bool = True
                   ) -> dict[str, Any]:
    """Suggested tags the gold has, and of ficshelf's tags (``freeforms.TAGS``) those
    the gold states (``possible``) and ficshelf suggested (``found``);
    without ``endings`` (a text that stops before the work ends) the ending tags on
    either side are not judged."""
    if not endings:
        predicted = [t for t in predicted if t not in ENDING_TAGS]
        gold = [g for g in gold if not any(freeform_matches(t, [g]) for t in ENDING_TAGS)]
    matched = [t for t in predicted if freeform_matches(t, gold)]
    possible = [t for t in FREEFORM_TAGS if freeform_matches(t, gold)]
    found = [t for t in possible if t in predicted]
    return {"predicted": list(predicted), "gold": list(gold), "matched": matched,
            "possible": possible, "found": found}


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
            # "Mordred (Merlin)": the name, not the fandom that disambiguates it
            names = [*tag_names(p.name), p.text_name]
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
        [[*names.get(n, tag_names(n) or [n])] for n in pred_people], people), strict=True))
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
            "gold_items": len(required_items), "gold_people": people,
            "missed_items": [(unique[i][0], unique[i][1]) for i in required_items
                             if i not in found_kind]}


#: Why a required gold relationship was missed, in the order they are tested.
MISS_REASONS = ("member not in the cast", "no cue near the pair", "cues near the pair credited "
                "to others", "cues of the other kind only", "other kind predicted",
                "too little evidence")
#: Characters around a cue within which both people of a pair must be named for it to
#: be "near" them.
NEAR = 300


def miss_reasons(doc: Document, counts: Mapping[str, Any]) -> list[str]:
    """Why each missed gold relationship of ``relationship_counts`` was missed: a
    member the cast does not hold; no relationship cue credited to the pair, and
    none of its kind in the text within ``NEAR`` characters of both names; no cue
    credited though some are near both (credited to other pairs); cues only of
    the other kind; the pair predicted with the other kind; or cue weight of the
    right kind too small to keep. (A tag of three or more people is judged by its
    strongest pair.) One reason per missed item, in the order of ``missed``. This
    measures where the misses come from; it changes no score."""
    missed: Sequence[tuple[tuple[int, ...], str]] = counts.get("missed_items") or ()
    if not missed or not (doc.has(PEOPLE) and doc.has(CUE_LAYER)):
        return [MISS_REASONS[0]] * len(missed)
    out: list[str] = []
    people = doc.need(PEOPLE, People)
    names = _pred_names(doc)
    assigned = match_people([names.get(p.name, [p.name]) for p in people.persons],
                            counts["gold_people"])
    where: dict[int, int] = {}
    for i, a in enumerate(assigned):
        if a is not None:
            where.setdefault(a, i)
    layer = doc.need(CUE_LAYER, CueLayer)
    scores = score_pairs(doc, people, layer)
    kept = {frozenset(r.characters): r.kind for r in doc.get(RELATIONSHIPS)} \
        if doc.has(RELATIONSHIPS) else {}
    persons = [p.name for p in people.persons]
    for ids, kind in missed:
        if any(g not in where for g in ids):
            out.append(MISS_REASONS[0])
            continue
        members = [where[g] for g in ids]
        pairs = [(x, y) for i, x in enumerate(members) for y in members[i + 1:] if x != y]
        if not pairs:  # two gold names matched one person of the cast
            out.append(MISS_REASONS[0])
            continue
        x, y = max(pairs, key=lambda p: _weight(scores.get(_key(*p)), kind))
        sc = scores.get(_key(x, y))
        if sc is None or sc.romantic + sc.platonic <= 0:
            out.append(MISS_REASONS[2 if _cue_near(people, layer, kind, x, y) else 1])
        elif _weight(sc, kind) <= 0:
            out.append(MISS_REASONS[3])
        elif kept.get(frozenset((persons[x], persons[y]))):
            out.append(MISS_REASONS[4])
        else:
            out.append(MISS_REASONS[5])
    return out


def _cue_near(people: People, layer: CueLayer, kind: str, x: int, y: int) -> bool:
    """Whether a cue of ``kind`` lies within ``NEAR`` characters of a mention of each."""
    weights = ROMANTIC_WEIGHTS if kind == "romantic" else PLATONIC_WEIGHTS
    for ci, ch in enumerate(layer.chapters):
        if ci >= len(people.chapters):
            break
        ev = people.chapters[ci]
        for cat in weights:
            for s, e in ch.spans(cat):
                lo = bisect.bisect_left(ev.pos, s - NEAR)
                hi = bisect.bisect_right(ev.pos, e + NEAR)
                here = set(ev.who[lo:hi])
                if x in here and y in here:
                    return True
    return False


def _key(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _weight(sc: PairScore | None, kind: str) -> float:
    if sc is None:
        return 0.0
    return sc.romantic if kind == "romantic" else sc.platonic


def findable(rel: GoldRelationship, text: str, *, shared: Container[str] = frozenset()) -> bool:
    """Whether the text names every member of a gold relationship (the Reader is
    "you", always there): a pairing the analysed text never names, such as one
    of a later chapter the corpus did not keep, cannot be found from it.

    >>> findable(parse_relationship_tag("Ann Lee/Reader"), "Lee smiled at you.")
    True
    >>> findable(parse_relationship_tag("Ann Lee & Bea Cho"), "Ann waved.")
    False
    """
    return all(member == ("Reader",) or count_name(text, member, shared=shared) >= 1
               for member in rel.members)


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


def _seed_aliases(gold: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for role in ("main", "mentioned"):
        for name, aliases in (gold.get("characters", {}).get(role) or {}).items():
            out[name] = list(aliases)
    return out


def score_case(case: Case, doc: Document, *, canon: CanonBase | None = None) -> dict[str, Any]:
    """Score one analysed work's inference layers against its data set's gold.

    ``doc`` must hold the inference layers. The record keeps the counts (so
    ``aggregate_inference`` can micro-average them) and what was predicted and
    missed. Without a canon base the fandom is not judged (``correct`` is None).
    """
    g = case.gold
    rels = [r.to_dict() for r in doc.get("relationships")] if doc.has("relationships") else []
    names = _pred_names(doc)
    unscorable = unfindable = 0
    warnings_gold: list[str] | None = None
    full = True  # the text is the whole work (its ending is the work's)
    if case.dataset == "seeds":
        gold_rels = []
        for key, ok in (("relationships", False), ("relationships_also_acceptable", True)):
            for r in g.get(key) or ():
                gold_rels.append(GoldRelationship(
                    members=tuple((n,) for n in r["characters"]), kind=r["kind"], acceptable=ok,
                    tag=("/" if r["kind"] == "romantic" else " & ").join(r["characters"])))
        counts = relationship_counts(rels, names, gold_rels, gold_aliases=_seed_aliases(g))
        ending_gold = list((g.get("ending") or {}).get("any_of") or [])
        freeforms_gold = list(g.get("freeforms_reasonable") or [])
        rating_gold = list((g.get("rating") or {}).get("any_of") or [])
    else:
        gold_rels = []
        text = case.work.full_text
        shared = shared_words(tagged_cast(g.get("characters") or (), g.get("relationships") or ()))
        for tag in g.get("relationships") or ():
            parsed = parse_relationship_tag(tag)
            if parsed is None:
                unscorable += 1
            elif not findable(parsed, text, shared=shared):
                unfindable += 1
                gold_rels.append(dataclasses.replace(parsed, acceptable=True))
            else:
                gold_rels.append(parsed)
        # an author who tagged no one at all said nothing about the work's pairings:
        # its predicted pairs are listed but not counted (like its main characters)
        judged = bool(g.get("relationships") or g.get("characters"))
        counts = relationship_counts(rels if judged else [], names, gold_rels)
        strict = relationship_counts(
            rels, names, [dataclasses.replace(r, acceptable=False) for r in gold_rels])
        strict["pair"].fn += unscorable
        strict["kind"].fn += unscorable
        if not judged:
            counts["predicted"] = [{"tag": r.get("tag"), "kind": r["kind"], "status": "not judged"}
                                   for r in rels]
        freeforms_gold = list(g.get("freeforms") or [])
        full = g.get("text_scope") == "full"
        end = ending_from_freeforms(g.get("freeforms") or ()) if full else None
        ending_gold = [end] if end else []
        rating_gold = [g["rating"]] if g.get("rating") and g["rating"] != "Not Rated" else []
        ws = list(g.get("warnings") or ())
        warnings_gold = None if not ws or any("Chose Not" in w for w in ws) else ws
    if case.dataset == "seeds":
        strict = counts
    fandoms_gold = list(g.get("fandoms") or [])
    cats_gold = list(g.get("categories") or [])
    top = doc.get("fandoms").top if doc.has("fandoms") else "Original Work"
    cats = [c.value for c in doc.get("categories").tags] if doc.has("categories") else []
    ending = doc.get("arc").ending if doc.has("arc") else None
    rating_ = doc.get("rating").tag.value if doc.has("rating") else None
    warnings_ = sorted(w.value for w in doc.get("warnings").tags) if doc.has("warnings") else []
    fandom_ok, covered = fandom_top1(top, fandoms_gold, canon) if canon is not None else (None, False)
    suggested = list(doc.get(FREEFORMS).tags) if doc.has(FREEFORMS) else []
    return {
        "relationships": {"pair": counts["pair"].to_dict(), "kind": counts["kind"].to_dict(),
                          "missed_why": miss_reasons(doc, counts),
                          "pair_strict": strict["pair"].to_dict(),
                          "kind_strict": strict["kind"].to_dict(),
                          "predicted": counts["predicted"], "missed": counts["missed"],
                          "unscorable_tags": unscorable, "unfindable_tags": unfindable},
        "fandom": {"top": top, "gold": fandoms_gold, "correct": fandom_ok, "covered": covered},
        "categories": {"predicted": cats, "gold": cats_gold,
                       **(category_score(cats, cats_gold) if cats_gold else {})},
        "ending": {"predicted": ending, "gold": ending_gold},
        "rating": {"predicted": rating_, "gold": rating_gold},
        "warnings": {"predicted": warnings_, "gold": warnings_gold},
        "freeforms": freeform_score(suggested, freeforms_gold, endings=full)
        if freeforms_gold else None,
    }


def _prf(d: Mapping[str, Any]) -> PRF:
    return PRF(tp=int(d["tp"]), fp=int(d["fp"]), fn=int(d["fn"]))


def relationship_totals(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Micro-averaged relationship figures (pair, pair+kind) over records of ``score_case``."""
    pair, kind = PRF(), PRF()
    pair_strict, kind_strict = PRF(), PRF()
    strict_seen = False
    unscorable = unfindable = 0
    reasons: dict[str, int] = dict.fromkeys(MISS_REASONS, 0)
    for r in records:
        rel = r["relationships"]
        pair.add(_prf(rel["pair"]))
        kind.add(_prf(rel["kind"]))
        if "kind_strict" in rel:
            strict_seen = True
            pair_strict.add(_prf(rel["pair_strict"]))
            kind_strict.add(_prf(rel["kind_strict"]))
        unscorable += int(rel["unscorable_tags"])
        unfindable += int(rel.get("unfindable_tags", 0))
        for reason in rel.get("missed_why") or ():
            reasons[reason] = reasons.get(reason, 0) + 1
    out: dict[str, Any] = {"relationships_pair": pair.to_dict(),
                           "relationships_kind": kind.to_dict(),
                           "relationships_missed_by_reason": reasons,
                           "relationships_unscorable_tags": unscorable,
                           "relationships_unfindable_tags": unfindable}
    if strict_seen:
        out["relationships_pair_strict"] = pair_strict.to_dict()
        out["relationships_kind_strict"] = kind_strict.to_dict()
    return out


def _acc(values: Sequence[bool]) -> dict[str, Any]:
    return {"n": len(values), "accuracy": round(sum(values) / len(values), 4) if values else None}


def aggregate_inference(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Micro-averaged inference figures over one split's ``score_case`` records
    (records without a ``relationships`` entry are skipped)."""
    recs = [r for r in records if "relationships" in r]
    if not recs:
        return {}
    fandom = [bool(r["fandom"]["correct"]) for r in recs if r["fandom"]["correct"] is not None]
    covered = [bool(r["fandom"]["correct"]) for r in recs if r["fandom"]["covered"]]
    cats = [r["categories"] for r in recs if r["categories"]["gold"]]
    free = [r["freeforms"] for r in recs if r.get("freeforms")]
    suggested = sum(len(f["predicted"]) for f in free)
    matched = sum(len(f["matched"]) for f in free)
    possible = sum(len(f["possible"]) for f in free)
    found = sum(len(f["found"]) for f in free)
    return {
        **relationship_totals(recs),
        "fandom_top1": _acc(fandom),
        "fandom_top1_covered": _acc(covered),
        "category_exact": _acc([bool(c["exact"]) for c in cats]),
        "category_first_in_gold": _acc([bool(c["first_in_gold"]) for c in cats]),
        "ending": _acc([r["ending"]["predicted"] in r["ending"]["gold"]
                        for r in recs if r["ending"]["gold"]]),
        "rating": _acc([r["rating"]["predicted"] in r["rating"]["gold"]
                        for r in recs if r["rating"]["gold"]]),
        "warnings_exact": _acc([sorted(r["warnings"]["gold"]) == list(r["warnings"]["predicted"])
                                for r in recs if r["warnings"]["gold"] is not None]),
        "freeforms": {"works": len(free), "suggested": suggested, "matched": matched,
                      "precision": round(matched / suggested, 4) if suggested else None,
                      "possible": possible, "found": found,
                      "recall": round(found / possible, 4) if possible else None},
    }
