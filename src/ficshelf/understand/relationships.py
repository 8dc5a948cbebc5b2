"""Relationships: which pairs of people interact, romantically or platonically, with evidence.

The kind comes only from what a pair does and says where both are present —
never from their names. Evidence is accumulated per pair over the whole work:

- time together: blocks of text where both are named (``together``);
- interactions from the ``interactions`` layer: turns of dialogue one speaks
  to the other (``talk``) and acts of one on the other in the narration
  (``acts``: "kissed him", "leaned into her", pronouns resolved by ``coref``);
- cue weight: each relationship cue of ``lexicons.CUES`` (kisses, "I love
  you", partners and marriage, pet names, jealousy, blushing, holding hands,
  intimacy and sex; siblings, family, friends, teammates and mentors), and
  each word for a lover of the story's fandoms said to someone ("vhenan": the
  canon file's ``endearments``, a strong romantic cue), is
  credited to the pair ``pairing.Attributor`` tells: the speaker and addressee
  of a quote (not the addressee when the cue's object is a third person: "I'm
  going to marry her, Frodo"), the people referred to around a cue in the narration (names and
  resolved pronouns), the possessor and referent of a relation noun ("her
  brother Tobiah"). A relation noun whose referent is not named counts
  ``pairing.UNSURE`` of its weight, and not at all when the same person's noun
  goes unnamed ``UNNAMED_KIN`` times or more ("his dad" again and again is a
  father the story never names, not whoever stands near the words); a kinship
  noun (family, siblings) weighs less than a friendship one (kin are in most
  stories, rarely what a story is about); a partner noun whose sentence names both sides and does not deny it
  ("his boyfriend Blaise", "Ann was his wife", not "he's not my boyfriend") is
  ``DECISIVE``; the same cue again for the same pair in one passage counts
  ``REPEAT`` of its weight.

A romantic cue between two people of whom the text calls one by a kinship title
("Aunt May", "Uncle Iroh": ``names.KIN_TITLES``) is a family cue
(``platonic_family``): "I love you, you idiot" from an aunt is no romance.

A pair is kept only with real interaction (both present, or talking, several
times) and enough cue weight from at least two cues (one, if it is a
declaration of love); the weight needed grows with the work's length, except
for a central pair (one of the work's most interacting pairs: ``central``),
which needs only ``CENTRAL_ROMANTIC`` / ``CENTRAL_PLATONIC``. Romantic wins
only on romantic evidence: romantic cues outweigh platonic ones (partners call
each other friends too) when a strong one (kiss, love, partner, sex, hands,
intimacy) is among them, else they must double the platonic weight; a pair
without enough romantic weight is platonic only with platonic weight, and a pair
tied by kinship cues alone only when it is central (a family is in most stories,
rarely what one is about; friends and teammates are a tie chosen). Weak
pairs next to a much stronger one are dropped, and at most one platonic pair
is kept (the strongest): precision first. Then the work's most interacting
pair (the Reader's, in a reader-insert; when nothing between them is a cue,
the most interacting central pair that has one), if not kept yet, is added anyway:
romantic on ``CENTRAL_PAIR_ROMANTIC`` romantic weight (not counting an embrace
or a pet name, ``SHARED_GESTURES``) that wins over the platonic as any pair's
must (a jealous remark beside "you're my best friend" does not), else platonic on
any platonic weight, else not at all.

Tags follow AO3: "A/B" for romantic, "A & B" for platonic; a ship the canon
base lists keeps its written order, else canon characters keep their order in
the fandom file, others their order of first mention, and the Reader comes last.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from ficshelf.canon import CanonBase, canon_key, load_canon
from ficshelf.understand.coref import REFERENCES, References, resolve_pronouns
from ficshelf.understand.cuescan import CUE_LAYER, ChapterCues, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, passage
from ficshelf.understand.interactions import INTERACTIONS, build_interactions
from ficshelf.understand.keys import NARRATION
from ficshelf.understand.lexicons import ENDEARMENT
from ficshelf.understand.memo import by_identity
from ficshelf.understand.pairing import Attribution, Attributor
from ficshelf.understand.pairing import vocative as is_vocative
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
    "central",
    "decide",
    "fandom_endearments",
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
    ENDEARMENT: 2.0,
})
#: Cues that count only when said to someone in dialogue (pet names are also weather,
#: honey in a cake and "their princess").
VOCATIVE_ONLY = frozenset({"romantic_pet", ENDEARMENT})
#: Relation nouns that count only when they relate someone: "his sister", "Ann's friend",
#: "like a brother", "the way a brother would", "they were friends", or said to someone
#: ("Thanks, brother.").
RELATIONAL = frozenset({"platonic_sibling", "platonic_family", "platonic_friend", "platonic_team",
                        "romantic_partner"})
PLATONIC_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "platonic_sibling": 1.0, "platonic_family": 0.5, "platonic_friend": 1.5, "platonic_team": 1.0,
})
#: Cues that show a couple by themselves (a pet name or "married" may be about others).
STRONG_ROMANTIC = frozenset({"romantic_kiss", "romantic_love", "romantic_partner", "romantic_sex",
                             "romantic_hands", "romantic_intimate", ENDEARMENT})
#: Romantic cues that are no romance on their own (an embrace: "in his arms" holds a
#: child, a friend, a lover; a pet name: "sweetie" to a daughter); they add to other
#: cues but never make the central pair romantic alone (dev: three false pairs of a
#: child and a horcrux's keeper, no true one).
SHARED_GESTURES = frozenset({"romantic_embrace", "romantic_pet"})
#: One cue hit of this weight is enough (a declaration of love); otherwise two are needed.
DECISIVE = 3.0
#: A cue of the same category for the same pair within ``REPEAT_REACH`` characters of the
#: last one counts this much ("sex" six times in one paragraph is one scene, not six).
REPEAT = 0.5
REPEAT_REACH = 600
#: Romantic weight a possessor needs with someone before "his wife" is taken to be them.
PARTNER_KNOWN = 3.0
#: A kiss on the cheek, forehead, hair or hand counts this much (family kisses).
CHASTE_KISS = 0.5

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
#: Platonic cues of a tie chosen (friends, teammates), not given (kin).
CHOSEN = frozenset({"platonic_friend", "platonic_team"})
UNNAMED_KIN = 3             # "his dad" this often with no name for him: someone unnamed
CENTRAL_MIN = 3             # interactions (turns of talk, acts) a central pair has at least
CENTRAL_OF_TOP = 0.5        # of the most interacting pair's
CENTRAL_SHARE = 0.15        # of all the work's interactions
CENTRAL_ROMANTIC = 2.0      # romantic weight enough for a central pair
CENTRAL_PLATONIC = 2.0      # platonic weight enough for a central pair
#: Romantic weight enough for THE central pair (the most interacting one), kept even
#: below the thresholds: authors tag the pair a story is about (dev F1 0.28 -> 0.32).
CENTRAL_PAIR_ROMANTIC = 0.5
EVIDENCE_PER_PAIR = 3

_RELATED = re.compile(
    r"(?:\b(?:his|her|my|your|their|our|whose|two|both|like(?:[ ]an?)?|the[ ]way[ ]an?)|\w['’]s?|"
    r"(?:\b(?:are|were|was|is|be|been|being|became|become|stayed|remained)|\b(?:[Ii]|[Yy]ou|[Ww]e|"
    r"[Tt]hey)['’](?:m|re))"
    r"(?:[ ](?:best|good|close|old|just|only|still|really|all|always|now|like|such))?"
    r"(?:[ ](?:an?|the))?)"
    r"[ ]+(?:(?:own|best|older|younger|big|little|baby|twin|oldest|youngest|eldest|dear|"
    r"dearest|old|closest|only|new|good|true|future|late|former|adoptive|beloved|"
    r"surrogate|half)[ ]+){0,2}$")
_COMMON_POSSESSOR = re.compile(
    r"\b(?!(?:it|that|he|she|what|there|here|who|where|how|when|why|this|let)['’]s\b)"
    r"[a-z]+['’]s?[ ]+(?:[a-z]+[ ]+){0,2}$")
_DISAMBIG = re.compile(r"\s*\(([^()]+)\)\s*$")
_CHASTE = re.compile(r"\W+(?:(?:\w+\W+){0,3}?|(?:the|his|her|their|my|your)\W+(?:top|side|"
                     r"back|crown|tip)\W+of\W+(?:\w+\W+){0,3}?)(?:cheek|cheeks|forehead|brow|"
                     r"temple|hair|head|knuckles|hand|hands|crown|nose)\b")


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
    talk: int = 0
    acts: int = 0
    cues: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    first: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        return {"characters": list(self.characters), "kind": self.kind, "tag": self.tag,
                "confidence": self.confidence,
                "scores": {"romantic": self.romantic, "platonic": self.platonic,
                           "together": self.together, "talk": self.talk, "acts": self.acts},
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
    talk: int = 0
    acts: int = 0
    cues: dict[str, float] = field(default_factory=dict)
    hits: list[tuple[float, int, int, int, str]] = field(default_factory=list)
    last: dict[str, tuple[int, int]] = field(default_factory=dict)


def _in_dialogue(text: str, narr: str, pos: int) -> bool:
    return narr is not text and narr[pos] == " " and text[pos] != " "


def _relational(low: str, text: str, narr: str, s: int, e: int, *, vocative: bool = True
                ) -> bool:
    """Whether a relation noun at ``[s, e)`` relates someone (see ``RELATIONAL``); a
    vocative counts only when ``vocative`` ("Thanks, mate." is no partner)."""
    if low.startswith("like ", s):
        return True
    before = low[max(0, s - 40):s]
    if _RELATED.search(before):
        # "my friends' dad", "the boy's sister": the noun relates someone the text
        # does not name, not the pair around it
        return _COMMON_POSSESSOR.search(text, max(0, s - 40), s) is None
    return vocative and _in_dialogue(text, narr, s) and is_vocative(low, s, e, max(0, s - 40))


def score_pairs(doc: Document, people: People, layer: CueLayer, *,
                attributor: Attributor | None = None,
                endearments: Sequence[str] = ()) -> dict[tuple[int, int], PairScore]:
    """Cue weight, time together and interactions of every pair that has any;
    ``endearments`` are the story's fandoms' words for a lover (``ENDEARMENT`` cues)."""
    att = attributor if attributor is not None else _attributor(doc, people, layer)
    weights = {**ROMANTIC_WEIGHTS, **PLATONIC_WEIGHTS}
    scores: dict[tuple[int, int], PairScore] = {}
    for key, n in att.together.items():
        scores[key] = PairScore(together=n)
    for key, n in att.graph.talk.items():
        scores.setdefault(key, PairScore()).talk = n
    for key, n in att.graph.acts.items():
        scores.setdefault(key, PairScore()).acts = n
    if len(people.persons) < 2:
        return scores
    deferred: list[tuple[float, int, int, int, str, Attribution]] = []
    guessed: list[tuple[float, int, int, int, str, tuple[int, int], tuple[int, str]]] = []
    kin = [p.kin for p in people.persons]
    endeared = _endearment_regex(tuple(endearments)) if endearments else None
    for ci, ch in enumerate(layer.chapters):
        text = doc.texts[ci]
        narr = att.narrations[ci]
        for cat, s, e in _cue_hits(ch, weights, endeared):
            if cat in VOCATIVE_ONLY and not (_in_dialogue(text, narr, s)
                                             and is_vocative(text, s, e)):
                continue
            if cat in RELATIONAL and not _relational(ch.lowered, text, narr, s, e,
                                                     vocative=cat in PLATONIC_WEIGHTS):
                continue
            w = weights[cat]
            if cat == "romantic_kiss" and _CHASTE.match(ch.lowered, e, min(len(text), e + 40)):
                w = CHASTE_KISS
            got = att.pair(ci, cat, s, e)
            if got is None or got.pair[0] == got.pair[1]:
                continue
            if cat in ROMANTIC_WEIGHTS and (kin[got.pair[0]] or kin[got.pair[1]]):
                # the text calls one of them "Aunt"/"Uncle": love and kisses between
                # them are a family's
                cat, w = "platonic_family", PLATONIC_WEIGHTS["platonic_family"]
            if got.owner >= 0 and cat == "romantic_partner":
                deferred.append((w, ci, s, e, cat, got))
                continue
            if got.owner >= 0:
                # "his dad" whose dad the sentence does not name: a guess, kept below
                guessed.append((w * got.factor, ci, s, e, cat, got.pair,
                                (got.owner, ch.lowered[s:e])))
                continue
            if got.stated and cat == "romantic_partner":
                w = max(w, DECISIVE)  # "his boyfriend Blaise", "you're my girlfriend"
            _credit(scores, got.pair, w * got.factor, ci, s, e, cat)
    # the same relation of the same person, again and again with no name ("his dad"
    # forty times): someone the story never names, not whoever stands near it
    times = Counter(noun for *_, noun in guessed)
    for w, ci, s, e, cat, pair, noun in guessed:
        if times[noun] < UNNAMED_KIN:
            _credit(scores, pair, w, ci, s, e, cat)
    # "his wife" whose wife the sentence does not name: the partner the possessor
    # has the most romantic evidence with, if any; else the people nearest it
    for w, ci, s, e, cat, got in deferred:
        best, best_weight = got.pair, 0.0
        for pair, sc in scores.items():
            if got.owner in pair and sc.romantic > best_weight:
                best, best_weight = pair, sc.romantic
        _credit(scores, best, w if best_weight >= PARTNER_KNOWN else w * got.factor,
                ci, s, e, cat)
    return scores


def _cue_hits(ch: ChapterCues, weights: Mapping[str, float], endeared: re.Pattern[str] | None
              ) -> Iterator[tuple[str, int, int]]:
    """``(category, start, end)`` of the chapter's cue hits, category by category, then
    of the fandom's endearments."""
    for cat in weights:
        for s, e in ch.spans(cat):
            yield cat, s, e
    if endeared is not None:
        for m in endeared.finditer(ch.lowered):
            yield ENDEARMENT, m.start(), m.end()


@functools.lru_cache(maxsize=64)
def _endearment_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word matches of ``words`` (lower case; either apostrophe), longest first.

    >>> _endearment_regex(("ma vhenan", "vhenan", "cyar'ika")).findall("ma vhenan, cyar’ika")
    ['ma vhenan', 'cyar’ika']
    """
    alts = [re.escape(w).replace("'", "['’]") for w in sorted(set(words), key=len, reverse=True)]
    return re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)")


def fandom_endearments(people: People, canon: CanonBase) -> tuple[str, ...]:
    """The endearments of every fandom a person of the story is a character of."""
    tags = {p.canon for p in people.persons if p.canon}
    out: list[str] = []
    for fandom in canon.all_fandoms():
        if fandom.endearments and any(fandom.character(t) is not None for t in tags):
            out.extend(fandom.endearments)
    return tuple(out)


def _credit(scores: dict[tuple[int, int], PairScore], pair: tuple[int, int], w: float,
            ci: int, s: int, e: int, cat: str) -> None:
    sc = scores.get(pair)
    if sc is None:
        sc = scores[pair] = PairScore()
    last = sc.last.get(cat)
    if last is not None and last[0] == ci and abs(s - last[1]) < REPEAT_REACH:
        w *= REPEAT  # the same cue again in the same passage says little more
    sc.last[cat] = (ci, s)
    if cat in ROMANTIC_WEIGHTS:
        sc.romantic += w
    else:
        sc.platonic += w
    sc.cues[cat] = sc.cues.get(cat, 0.0) + w
    sc.hits.append((w, ci, s, e, cat))


def _attributor(doc: Document, people: People, layer: CueLayer) -> Attributor:
    """The document's attributor, building the references and interactions when the
    document does not have them yet."""
    if not doc.has(REFERENCES):
        doc = doc.with_layers({REFERENCES: resolve_pronouns(doc, people)})
    if not doc.has(INTERACTIONS):
        doc = doc.with_layers({INTERACTIONS: build_interactions(
            doc, people, doc.need(REFERENCES, References), layer)})
    if not doc.has(PEOPLE) or not doc.has(CUE_LAYER):
        doc = doc.with_layers({PEOPLE: people, CUE_LAYER: layer})
    return Attributor.of(doc)


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


def central(sc: PairScore, top: int, total: int) -> bool:
    """Whether a pair is one of the work's central pairs: its interactions (turns of
    talk and acts) are at least ``CENTRAL_OF_TOP`` of the most interacting pair's and
    ``CENTRAL_SHARE`` of all, and at least ``CENTRAL_MIN``."""
    n = sc.talk + sc.acts
    return n >= CENTRAL_MIN and n >= CENTRAL_OF_TOP * top and n >= CENTRAL_SHARE * total


def _outweighs(sc: PairScore) -> bool:
    """Whether a pair's romantic weight wins over its platonic weight: with a strong
    romantic cue among it, holding its own (``ROMANTIC_OVER_PLATONIC``), else doubling it."""
    strong = any(sc.cues.get(c, 0.0) >= 1.0 for c in STRONG_ROMANTIC)
    return (strong and sc.romantic >= ROMANTIC_OVER_PLATONIC * sc.platonic) \
        or sc.romantic >= 2 * sc.platonic


def _kind(sc: PairScore, words: int, *, is_central: bool = False) -> Kind | None:
    """Romantic when the romantic weight is enough and either a strong romantic cue
    is among it and it holds its own against the platonic weight, or it doubles it;
    platonic when the platonic weight is enough. A central pair needs less of either
    (``CENTRAL_ROMANTIC``, ``CENTRAL_PLATONIC``), never none."""
    r_min = threshold(ROMANTIC_MIN, words)
    p_min = threshold(PLATONIC_MIN, words)
    if is_central:
        r_min, p_min = min(r_min, CENTRAL_ROMANTIC), min(p_min, CENTRAL_PLATONIC)
    if sc.romantic >= r_min and _enough(sc, ROMANTIC_WEIGHTS) and _outweighs(sc):
        return "romantic"
    if sc.platonic >= p_min and (is_central or _enough(sc, PLATONIC_WEIGHTS)):
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


def decide(scores: Mapping[tuple[int, int], PairScore], words: int, *,
           reader: int | None = None) -> list[tuple[tuple[int, int], Kind, PairScore]]:
    """The pairs kept and their kinds, strongest first (see the module docstring)."""
    short = words < 3000
    top = max((sc.talk + sc.acts for sc in scores.values()), default=0)
    total = sum(sc.talk + sc.acts for sc in scores.values())
    candidates: list[tuple[tuple[int, int], Kind, PairScore]] = []
    for pair, sc in scores.items():
        if sc.together + sc.talk + sc.acts < (1 if short else MIN_TOGETHER):
            continue
        is_central = central(sc, top, total)
        kind = _kind(sc, words, is_central=is_central)
        if kind == "platonic" and not is_central and not any(
                sc.cues.get(c, 0.0) > 0 for c in CHOSEN):
            continue  # a family tie is what a story is about only when the pair is central
        if kind is not None:
            candidates.append((pair, kind, sc))
    top_r = max((sc.romantic for _, k, sc in candidates if k == "romantic"), default=0.0)
    top_p = max((sc.platonic for _, k, sc in candidates if k == "platonic"), default=0.0)
    kept: list[tuple[tuple[int, int], Kind, PairScore]] = []
    for pair, kind, sc in candidates:
        if (kind == "romantic" and sc.romantic >= RELATIVE_ROMANTIC * top_r) or (
                kind == "platonic" and sc.platonic >= RELATIVE_PLATONIC * top_p):
            kept.append((pair, kind, sc))
    kept.sort(key=lambda t: (t[1] != "romantic", -(t[2].romantic if t[1] == "romantic"
                                                   else t[2].platonic)))
    out: list[tuple[tuple[int, int], Kind, PairScore]] = []
    platonic = 0
    for item in kept:
        if item[1] == "platonic":
            platonic += 1
            if platonic > MAX_PLATONIC:
                continue
        out.append(item)
    cp = _central_pair(scores, reader=reader)
    if cp is not None and all(cp != p for p, _k, _s in out):
        sc = scores[cp]
        # a hug alone is what parents, friends and lovers all give
        romance = sc.romantic - sum(sc.cues.get(c, 0.0) for c in SHARED_GESTURES)
        if romance >= CENTRAL_PAIR_ROMANTIC and _outweighs(sc):
            out.append((cp, "romantic", sc))
        elif sc.platonic > 0:
            out.append((cp, "platonic", sc))
    return out


def _central_pair(scores: Mapping[tuple[int, int], PairScore], *, reader: int | None = None
                  ) -> tuple[int, int] | None:
    """The pair with the most interactions (turns of talk, acts; time together breaks
    ties), at least ``CENTRAL_MIN``; in a reader-insert, the Reader's pair. When no cue
    lies between that pair, the most interacting other ``central`` pair with one."""
    pool = [(p, sc) for p, sc in scores.items() if reader is None or reader in p] \
        or list(scores.items())
    best = max(pool, key=lambda t: (t[1].talk + t[1].acts, t[1].together), default=None)
    if best is None or best[1].talk + best[1].acts < CENTRAL_MIN:
        return None
    if not best[1].cues:
        # a pair as central that has a cue between them says more than one with none
        top = best[1].talk + best[1].acts
        total = sum(sc.talk + sc.acts for sc in scores.values())
        cued = [(p, sc) for p, sc in pool if sc.cues and central(sc, top, total)]
        if cued:
            best = max(cued, key=lambda t: (t[1].talk + t[1].acts, t[1].together))
    return best[0]


def find_relationships(doc: Document, people: People, layer: CueLayer, *,
                       canon: CanonBase | None = None) -> Relationships:
    endearments = fandom_endearments(people, canon) if canon is not None else ()
    scores = score_pairs(doc, people, layer, endearments=endearments)
    out: list[Relationship] = []
    offsets = [0]
    for t in doc.texts:
        offsets.append(offsets[-1] + len(t))
    total = max(1, offsets[-1])
    reader = next((p.index for p in people.persons if p.special in ("reader", "you")), None)
    for (x, y), kind, sc in decide(scores, layer.words, reader=reader):
        a, b = people.persons[x], people.persons[y]
        tag, members = relationship_tag(a, b, kind, people, canon=canon)
        weight = sc.romantic if kind == "romantic" else sc.platonic
        conf = (1 - math.exp(-weight / 8)) * min(1.0, 0.5 + (sc.together + sc.talk) / 10)
        first: dict[str, float] = {}
        for _w, ci, s, _e, cat in sc.hits:
            where = round((offsets[ci] + s) / total, 3)
            if cat not in first or where < first[cat]:
                first[cat] = where
        out.append(Relationship(characters=members, kind=kind, tag=tag,
                                confidence=round(conf, 2), evidence=_evidence(doc, sc, kind),
                                romantic=round(sc.romantic, 2), platonic=round(sc.platonic, 2),
                                together=sc.together, talk=sc.talk, acts=sc.acts,
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
        return frozenset({PEOPLE, CUE_LAYER, NARRATION, REFERENCES, INTERACTIONS})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({RELATIONSHIPS})

    def __call__(self, doc: Document) -> dict[str, object]:
        return {RELATIONSHIPS: find_relationships(doc, doc.need(PEOPLE, People),
                                                  doc.need(CUE_LAYER, CueLayer),
                                                  canon=self.canon)}


relationships = RelationshipsComponent()
