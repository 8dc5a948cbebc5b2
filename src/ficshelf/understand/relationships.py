"""Relationships: which pairs of people interact, romantically or platonically, with evidence.

The kind comes only from what a pair does and says where both are present —
never from their names. Each relationship cue of ``lexicons.CUES`` (kisses,
"I love you", partners and marriage, pet names, jealousy, blushing, holding
hands, intimacy and sex; siblings, family, friends, teammates and mentors) is
credited to one pair:

1. the people named in the cue's sentence (the Reader where a reader-insert's
   narration says "you", an unnamed narrator where it says "I"), nearest first;
2. when fewer than two are named, the people named last before it in the same
   scene fill in, preferring those whose gender fits the sentence's pronouns
   ("he kissed her" wants a man and a woman; in "Ann kissed him" the other is
   a man) and the pair most often together.

Platonic relation nouns ("his sister", "my friend") go first to the two
people named nearest them in the cue's sentence and the sentences either side;
when fewer are named they count half (a relation noun so often points to
someone outside the scene: "his dad").

A pair is kept only with real interaction (both present in the same passage
several times) and enough cue weight from at least two cues (one, if it is a
declaration of love); romantic cues outweigh platonic ones (partners call
each other friends too) when a strong one (kiss, love, partner, sex, hands,
intimacy) is among them, else they must double the platonic weight. Weak pairs next to a much
stronger one are dropped, and at most one platonic pair is kept (the strongest): precision
first. (On the dev works, 2 of the 13 platonic pairs kept before were among the authors'
tags, most of the others were a parent and a child or two siblings: present in most
stories, rarely what a story is about.)

Tags follow AO3: "A/B" for romantic, "A & B" for platonic; a ship the canon
base lists keeps its written order, else canon characters keep their order in
the fandom file, others their order of first mention, and the Reader comes last.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from ficshelf.canon import CanonBase, canon_key, load_canon
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, passage
from ficshelf.understand.keys import NARRATION
from ficshelf.understand.memo import by_identity
from ficshelf.understand.people import PEOPLE, People, PersonRef

__all__ = [
    "PLATONIC_WEIGHTS",
    "RELATIONSHIPS",
    "ROMANTIC_WEIGHTS",
    "Kind",
    "PairScore",
    "Relationship",
    "Relationships",
    "RelationshipsComponent",
    "find_relationships",
    "relationship_tag",
    "relationships",
    "score_pairs",
    "threshold",
]

RELATIONSHIPS = "relationships"
Kind = Literal["romantic", "platonic"]

ROMANTIC_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "romantic_kiss": 2.0, "romantic_love": 3.5, "romantic_partner": 2.0, "romantic_couple": 1.5,
    "romantic_pet": 1.0,
    "romantic_jealous": 1.0, "romantic_blush": 0.6, "romantic_attraction": 0.6,
    "romantic_hands": 1.5,
    "romantic_intimate": 1.2, "romantic_sex": 1.5, "romantic_embrace": 0.8,
})
#: Cues that count only inside quoted dialogue (pet names are also weather and honey).
DIALOGUE_ONLY = frozenset({"romantic_pet"})
#: Relation nouns that count only when they relate someone: "his sister", "Ann's friend",
#: "like a brother", "they were friends", or said to someone ("Thanks, brother.").
RELATIONAL = frozenset({"platonic_sibling", "platonic_family", "platonic_friend", "platonic_team",
                        "romantic_partner"})
PLATONIC_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "platonic_sibling": 2.0, "platonic_family": 1.0, "platonic_friend": 1.5, "platonic_team": 1.0,
})
#: Cues that show a couple by themselves (a pet name or "married" may be about others).
STRONG_ROMANTIC = frozenset({"romantic_kiss", "romantic_love", "romantic_partner", "romantic_sex",
                             "romantic_hands", "romantic_intimate"})
#: One cue hit of this weight is enough (a declaration of love); otherwise two are needed.
DECISIVE = 3.0
#: A relation noun whose pair is not named around it counts this much of its weight.
UNNAMED_PLATONIC = 0.5
#: A kiss on the cheek, forehead, hair or hand counts this much (family kisses).
CHASTE_KISS = 0.5

BLOCK = 600                 # characters: two people in one or adjacent blocks are together
MIN_TOGETHER = 2            # blocks together before a pair can be a relationship
ROMANTIC_MIN = 3.0          # cue weight for a romantic pair in a work of BASE_WORDS or fewer
PLATONIC_MIN = 3.0
BASE_WORDS = 5000           # longer works need more: + LONG_STEP per doubling (less if shorter)
LONG_STEP = 1.0
MIN_THRESHOLD = 2.0
ROMANTIC_OVER_PLATONIC = 0.5  # romantic wins when R >= this * P
RELATIVE_ROMANTIC = 0.25    # of the strongest romantic pair's weight
RELATIVE_PLATONIC = 0.4     # of the strongest platonic pair's weight
MAX_PLATONIC = 1
EVIDENCE_PER_PAIR = 3

_SENT_BREAK = re.compile(r"[.!?…\n]")
_HE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself)\b")
_SHE = re.compile(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")
_YOU = re.compile(r"\b(?:[Yy]ou(?:rs?|rself)?|Y/N)\b")
_ME = re.compile(r"\bI\b|\b(?:[Mm]e|[Mm]y|[Mm]yself)\b")
_RELATED = re.compile(
    r"(?:\b(?:his|her|my|your|their|our|whose|two|both|like(?:[ ]an?)?)|\w['’]s?|"
    r"\b(?:are|were|was|is|be|been|being|became|become|stayed|remained)"
    r"(?:[ ](?:best|good|close|old|just|only|still|really|all|always|now|like|such))?"
    r"(?:[ ]an?)?)"
    r"[ ]+(?:(?:own|best|older|younger|big|little|baby|twin|oldest|youngest|eldest|dear|"
    r"dearest|old|closest|only|new|good|true|future|late|former|adoptive|beloved|"
    r"surrogate|half)[ ]+){0,2}$")
_COMMON_POSSESSOR = re.compile(
    r"\b(?!(?:it|that|he|she|what|there|here|who|where|how|when|why|this|let)['’]s\b)"
    r"[a-z]+['’]s?[ ]+(?:[a-z]+[ ]+){0,2}$")
_VOCATIVE_BEFORE = re.compile(r"(?:,|[\"“‘']|^)[ ]?(?:my[ ]|dear[ ])?$")
_VOCATIVE_AFTER = re.compile(r"[ ]?[,.!?…\"”’]")
_DISAMBIG = re.compile(r"\s*\(([^()]+)\)\s*$")
_OBJECT = re.compile(r"[ ]+(?:\w+[ ]+)?(him|her)\b", re.IGNORECASE)
_CHASTE = re.compile(r"\W+(?:\w+\W+){0,3}?(?:cheek|cheeks|forehead|brow|temple|hair|head|"
                     r"knuckles|hand|hands|crown)\b")


@dataclass(frozen=True, kw_only=True, slots=True)
class Relationship:
    """A pair, its kind and AO3-style tag, with the passages that show it.

    ``cues`` is the weight of each cue category credited to the pair, ``first``
    where (0..1 through the story) each category was first seen for it.
    """

    characters: tuple[str, str]
    kind: Kind
    tag: str
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    romantic: float = 0.0
    platonic: float = 0.0
    together: int = 0
    cues: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    first: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        return {"characters": list(self.characters), "kind": self.kind, "tag": self.tag,
                "confidence": self.confidence,
                "scores": {"romantic": self.romantic, "platonic": self.platonic,
                           "together": self.together},
                "cues": dict(self.cues),
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Relationships:
    """The ``relationships`` layer: strongest first."""

    items: tuple[Relationship, ...] = ()

    def __iter__(self) -> Iterator[Relationship]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def romantic(self) -> tuple[Relationship, ...]:
        return tuple(r for r in self.items if r.kind == "romantic")

    def to_dict(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.items]


@dataclass(slots=True)
class PairScore:
    """Accumulated cue weight of one pair (mutable while scoring)."""

    romantic: float = 0.0
    platonic: float = 0.0
    together: int = 0
    cues: dict[str, float] = field(default_factory=dict)
    hits: list[tuple[float, int, int, int, str]] = field(default_factory=list)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    lo = max(0, pos - 300)
    s = lo
    for m in _SENT_BREAK.finditer(text, lo, pos):
        s = m.end()
    m2 = _SENT_BREAK.search(text, pos, min(len(text), pos + 300))
    e = m2.end() if m2 is not None else min(len(text), pos + 300)
    return s, e


def _together(people: People) -> dict[tuple[int, int], int]:
    """Blocks (and block pairs) where both people of a pair are mentioned."""
    counts: dict[tuple[int, int], int] = {}
    for ev in people.chapters:
        blocks: dict[int, set[int]] = {}
        for p, w in zip(ev.pos, ev.who, strict=True):
            blocks.setdefault(p // BLOCK, set()).add(w)
        for b, here in blocks.items():
            near = here | blocks.get(b + 1, set())
            if len(near) < 2:
                continue
            ordered = sorted(near)
            for i, x in enumerate(ordered):
                for y in ordered[i + 1:]:
                    counts[(x, y)] = counts.get((x, y), 0) + 1
    return counts


def _distance(ev_pos: int, ev_end: int, pos: int, end: int) -> int:
    """How far a mention is from a cue; names after the cue count double (the subject
    of "Ann kissed Ben" comes first; "married ... when Cal arrived" is someone else)."""
    if ev_end <= pos:
        return pos - ev_end
    return 2 * max(0, ev_pos - end)


def _named_near(people: People, ci: int, text: str, pos: int) -> tuple[int, int] | None:
    """The two people named nearest a cue in its sentence and the ones either side of it."""
    s0, s1 = _sentence(text, pos)
    lo = _sentence(text, max(0, s0 - 2))[0] if s0 > 0 else s0
    hi = _sentence(text, s1 + 1)[1] if s1 < len(text) else s1
    ev = people.chapters[ci]
    a = bisect.bisect_left(ev.pos, lo)
    b = bisect.bisect_left(ev.pos, hi)
    named: list[int] = []
    for i in sorted(range(a, b), key=lambda i: _distance(ev.pos[i], ev.ends[i], pos, pos)):
        if ev.who[i] not in named:
            named.append(ev.who[i])
            if len(named) == 2:
                return _ordered(named[0], named[1])
    return None


def _pick_pair(people: People, ci: int, text: str, narr: str, pos: int, end: int,
               together: Mapping[tuple[int, int], int]) -> tuple[int, int] | None:
    """The pair a cue at ``[pos, end)`` is about (see the module docstring), or None."""
    s0, s1 = _sentence(text, pos)
    persons = people.persons
    ev = people.chapters[ci]
    # named in the sentence, nearest to the cue first
    a = bisect.bisect_left(ev.pos, s0)
    b = bisect.bisect_left(ev.pos, s1)
    named: list[int] = []
    for i in sorted(range(a, b), key=lambda i: _distance(ev.pos[i], ev.ends[i], pos, end)):
        w = ev.who[i]
        if w not in named:
            named.append(w)
    if len(named) >= 2:
        return _ordered(named[0], named[1])
    sentence_narr = narr[s0:s1]
    genders: set[str] = set()
    if _HE.search(sentence_narr):
        genders.add("m")
    if _SHE.search(sentence_narr):
        genders.add("f")
    context = [w for w in people.recent(ci, s0) if w not in named]
    if not context:
        return None

    def fits(x: int, y: int) -> int:
        """1 when the pair's genders are the pronouns', -1 when they cannot be, else 0."""
        gx, gy = persons[x].gender, persons[y].gender
        if not genders or (gx is None and gy is None):
            return 0
        if len(genders) == 2:
            if gx is not None and gy is not None:
                return 1 if {gx, gy} == genders else -1
            return 0 if (gx or gy) in genders else -1
        g = next(iter(genders))
        return 1 if g in (gx, gy) else (0 if None in (gx, gy) else -1)

    def strength(x: int, y: int) -> int:
        return together.get(_ordered(x, y), 0)

    if named:
        x = named[0]
        obj = _OBJECT.match(narr, end)
        target = ("m" if obj.group(1).lower() == "him" else "f") if obj else None

        def other_fits(w: int) -> int:
            if target is None:
                return fits(x, w)
            g = persons[w].gender
            return 0 if g is None else (1 if g == target else -1)

        best = max(context, key=lambda w: (other_fits(w), strength(x, w), -context.index(w)))
        if other_fits(best) < 0:
            return None
        return _ordered(x, best)
    if len(context) < 2:
        return None
    pairs = [(x, y) for i, x in enumerate(context) for y in context[i + 1:]]
    x, y = max(pairs, key=lambda p: (fits(*p), strength(*p), -pairs.index(p)))
    if fits(x, y) < 0:
        return None
    return _ordered(x, y)


def _ordered(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _in_dialogue(text: str, narr: str, pos: int) -> bool:
    return narr is not text and narr[pos] == " " and text[pos] != " "


def _relational(low: str, text: str, narr: str, s: int, e: int) -> bool:
    """Whether a relation noun at ``[s, e)`` relates someone (see ``RELATIONAL``)."""
    if low.startswith("like ", s):
        return True
    before = low[max(0, s - 40):s]
    if _RELATED.search(before):
        # "my friends' dad", "the boy's sister": the noun relates someone the text
        # does not name, not the pair around it
        return _COMMON_POSSESSOR.search(text, max(0, s - 40), s) is None
    return (_in_dialogue(text, narr, s) and _VOCATIVE_BEFORE.search(before) is not None
            and _VOCATIVE_AFTER.match(low, e) is not None)


def score_pairs(doc: Document, people: People, layer: CueLayer) -> dict[tuple[int, int], PairScore]:
    """Cue weight and time together of every pair that has any."""
    weights = {**ROMANTIC_WEIGHTS, **PLATONIC_WEIGHTS}
    narrations: Sequence[str] = doc.get(NARRATION) if doc.has(NARRATION) else doc.texts
    scores: dict[tuple[int, int], PairScore] = {}
    together = _together(people)
    for key, n in together.items():
        scores[key] = PairScore(together=n)
    if len(people.persons) < 2:
        return scores
    for ci, ch in enumerate(layer.chapters):
        text = doc.texts[ci]
        narr = narrations[ci]
        for cat, weight in weights.items():
            for s, e in ch.spans(cat):
                if cat in DIALOGUE_ONLY and not _in_dialogue(text, narr, s):
                    continue
                if cat in RELATIONAL and not _relational(ch.lowered, text, narr, s, e):
                    continue
                w = weight
                if cat == "romantic_kiss" and _CHASTE.match(ch.lowered, e, min(len(text), e + 40)):
                    w = CHASTE_KISS
                picked = _named_near(people, ci, text, s) if cat in PLATONIC_WEIGHTS else None
                if picked is None:
                    picked = _pick_pair(people, ci, text, narr, s, e, together)
                    if cat in PLATONIC_WEIGHTS:
                        w *= UNNAMED_PLATONIC
                if picked is None or picked[0] == picked[1]:
                    continue
                sc = scores.get(picked)
                if sc is None:
                    sc = scores[picked] = PairScore()
                if cat in ROMANTIC_WEIGHTS:
                    sc.romantic += w
                else:
                    sc.platonic += w
                sc.cues[cat] = sc.cues.get(cat, 0.0) + w
                sc.hits.append((w, ci, s, e, cat))
    return scores


@by_identity
def _ship_index(canon: CanonBase) -> dict[tuple[frozenset[str], str], str]:
    out: dict[tuple[frozenset[str], str], str] = {}
    for fandom in canon.all_fandoms():
        for ship in fandom.ships:
            out.setdefault((frozenset(canon_key(c) for c in ship.characters), ship.kind), ship.tag)
    return out


@by_identity
def _canon_order(canon: CanonBase) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for fi, fandom in enumerate(canon.all_fandoms()):
        for ci, ch in enumerate(fandom.characters):
            out.setdefault(canon_key(ch.tag), (fi, ci))
    return out


def relationship_tag(a: PersonRef, b: PersonRef, kind: Kind, people: People, *,
                     canon: CanonBase | None = None) -> tuple[str, tuple[str, str]]:
    """The AO3-style tag and the member names in tag order."""
    joiner = "/" if kind == "romantic" else " & "
    if a.canon and b.canon:
        base = canon if canon is not None else load_canon()
        ship = _ship_index(base).get((frozenset({canon_key(a.canon), canon_key(b.canon)}), kind))
        if ship is not None:
            return ship, _ship_members(ship, a, b)
        order = _canon_order(base)
        ka, kb = order.get(canon_key(a.canon)), order.get(canon_key(b.canon))
        if ka is not None and kb is not None and ka[0] == kb[0]:
            first, second = (a, b) if ka <= kb else (b, a)
            return _join(first.name, second.name, joiner), (first.name, second.name)
    if a.special == "reader" or b.special == "reader":
        first, second = (b, a) if a.special == "reader" else (a, b)
    else:
        first, second = (a, b) if people.first_mention(a.index) <= people.first_mention(b.index) \
            else (b, a)
    return joiner.join((first.name, second.name)), (first.name, second.name)


def _join(a: str, b: str, joiner: str) -> str:
    """AO3 writes a disambiguator both tags share once, at the end.

    >>> _join("Arthur Pendragon (Merlin)", "Uther Pendragon (Merlin)", " & ")
    'Arthur Pendragon & Uther Pendragon (Merlin)'
    """
    ma, mb = _DISAMBIG.search(a), _DISAMBIG.search(b)
    if ma and mb and ma.group(1) == mb.group(1):
        return f"{a[:ma.start()]}{joiner}{b[:mb.start()]} ({ma.group(1)})"
    return joiner.join((a, b))


def _ship_members(tag: str, a: PersonRef, b: PersonRef) -> tuple[str, str]:
    ia, ib = tag.find(a.name), tag.find(b.name)
    if ia >= 0 and ib >= 0 and ib < ia:
        return b.name, a.name
    return a.name, b.name


def threshold(base: float, words: int) -> float:
    """A cue-weight threshold for a work of ``words``: ``base`` at ``BASE_WORDS``,
    ``LONG_STEP`` more per doubling, less for shorter works down to ``MIN_THRESHOLD``."""
    return max(MIN_THRESHOLD, base + LONG_STEP * math.log2(max(1, words) / BASE_WORDS))


def _enough(sc: PairScore, weights: Mapping[str, float]) -> bool:
    """Two cue hits, or one decisive one (a declaration of love)."""
    hits = [w for w, *_rest in sc.hits if _rest[3] in weights]
    return len(hits) >= 2 or any(w >= DECISIVE for w in hits)


def _kind(sc: PairScore, words: int) -> Kind | None:
    """Romantic when the romantic weight is enough and either a strong romantic cue
    is among it and it holds its own against the platonic weight, or it doubles it."""
    if sc.romantic >= threshold(ROMANTIC_MIN, words) and _enough(sc, ROMANTIC_WEIGHTS):
        strong = any(sc.cues.get(c, 0.0) >= 1.0 for c in STRONG_ROMANTIC)
        if (strong and sc.romantic >= ROMANTIC_OVER_PLATONIC * sc.platonic) \
                or sc.romantic >= 2 * sc.platonic:
            return "romantic"
    if sc.platonic >= threshold(PLATONIC_MIN, words) and _enough(sc, PLATONIC_WEIGHTS):
        return "platonic"
    return None


def _evidence(doc: Document, sc: PairScore, kind: Kind) -> tuple[Evidence, ...]:
    wanted = ROMANTIC_WEIGHTS if kind == "romantic" else PLATONIC_WEIGHTS
    hits = [h for h in sc.hits if h[4] in wanted]
    hits.sort(key=lambda h: (-h[0], h[1], h[2]))
    out: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for _w, ci, s, e, _cat in hits:
        ev = passage(doc.texts[ci], doc.numbers[ci], s, e)
        if (ci, ev.start) in seen:
            continue
        seen.add((ci, ev.start))
        out.append(ev)
        if len(out) >= EVIDENCE_PER_PAIR:
            break
    out.sort(key=lambda ev: (ev.chapter, ev.start))
    return tuple(out)


def find_relationships(doc: Document, people: People, layer: CueLayer, *,
                       canon: CanonBase | None = None) -> Relationships:
    scores = score_pairs(doc, people, layer)
    short = layer.words < 3000
    candidates: list[tuple[tuple[int, int], Kind, PairScore]] = []
    for pair, sc in scores.items():
        if sc.together < (1 if short else MIN_TOGETHER):
            continue
        kind = _kind(sc, layer.words)
        if kind is not None:
            candidates.append((pair, kind, sc))
    top_r = max((sc.romantic for _, k, sc in candidates if k == "romantic"), default=0.0)
    top_p = max((sc.platonic for _, k, sc in candidates if k == "platonic"), default=0.0)
    kept: list[tuple[tuple[int, int], Kind, PairScore]] = []
    for pair, kind, sc in candidates:
        if (kind == "romantic" and sc.romantic >= RELATIVE_ROMANTIC * top_r) or (kind == "platonic" and sc.platonic >= RELATIVE_PLATONIC * top_p):
            kept.append((pair, kind, sc))
    kept.sort(key=lambda t: (t[1] != "romantic", -(t[2].romantic if t[1] == "romantic"
                                                   else t[2].platonic)))
    out: list[Relationship] = []
    platonic = 0
    offsets = [0]
    for t in doc.texts:
        offsets.append(offsets[-1] + len(t))
    total = max(1, offsets[-1])
    for (x, y), kind, sc in kept:
        if kind == "platonic":
            platonic += 1
            if platonic > MAX_PLATONIC:
                continue
        a, b = people.persons[x], people.persons[y]
        tag, members = relationship_tag(a, b, kind, people, canon=canon)
        weight = sc.romantic if kind == "romantic" else sc.platonic
        conf = (1 - math.exp(-weight / 8)) * min(1.0, 0.5 + sc.together / 10)
        first: dict[str, float] = {}
        for _w, ci, s, _e, cat in sc.hits:
            where = round((offsets[ci] + s) / total, 3)
            if cat not in first or where < first[cat]:
                first[cat] = where
        out.append(Relationship(characters=members, kind=kind, tag=tag,
                                confidence=round(conf, 2), evidence=_evidence(doc, sc, kind),
                                romantic=round(sc.romantic, 2), platonic=round(sc.platonic, 2),
                                together=sc.together,
                                cues=MappingProxyType({k: round(v, 2) for k, v in sc.cues.items()}),
                                first=MappingProxyType(first)))
    return Relationships(items=tuple(out))


@dataclass(frozen=True, slots=True)
class RelationshipsComponent:
    """Pairs that interact, romantic or platonic, with AO3-style tags and evidence."""

    canon: CanonBase | None = field(default=None, repr=False)
    name: str = "relationships"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({PEOPLE, CUE_LAYER, NARRATION})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({RELATIONSHIPS})

    def __call__(self, doc: Document) -> dict[str, object]:
        return {RELATIONSHIPS: find_relationships(doc, doc.need(PEOPLE, People),
                                                  doc.need(CUE_LAYER, CueLayer),
                                                  canon=self.canon)}


relationships = RelationshipsComponent()
