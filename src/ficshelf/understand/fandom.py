"""Fandoms: which canon the story's people and places come from, ranked, with evidence.

Two kinds of signal, both looked up in the canon base (``ficshelf.canon``):

* characters: every name and alias of the ``characters`` layer that names a
  canon character. A name counts for each fandom it can belong to, divided by
  the number of such fandoms (a name unique to one fandom counts fully, "John"
  counts a little everywhere); a full name counts more than one word, a
  common given name less; the character's mentions count logarithmically and
  main characters more than those only mentioned.
* setting words: the fandoms' keywords found in the text (one trie-regex pass
  over the lower-cased chapters; a keyword written with capitals must appear
  with them), each distinct word counted once, shared words divided.

The ranked list keeps fandoms close to the best one; when nothing reaches
``MIN_SCORE``, the work is ``Original Work``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ficshelf.canon import CanonBase, Fandom, load_canon
from ficshelf.understand.analysis import Character
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, passage
from ficshelf.understand.keys import CHARACTERS
from ficshelf.understand.lexicons import lowered, trie_pattern
from ficshelf.understand.names import nickname_groups

__all__ = [
    "FANDOMS",
    "MIN_SCORE",
    "ORIGINAL_WORK",
    "FandomComponent",
    "FandomGuess",
    "Fandoms",
    "rank_fandoms",
]

FANDOMS = "fandoms"
ORIGINAL_WORK = "Original Work"
MIN_SCORE = 1.5             # below this, no fandom: Original Work
KEEP_SHARE = 0.5            # later fandoms need this share of the best score
MAX_FANDOMS = 3
KEYWORD_WEIGHT = 0.6        # per distinct capitalised keyword (lower-case ones: half)
_ROLE = {"main": 1.0, "secondary": 0.7, "mentioned": 0.4}


@dataclass(frozen=True, kw_only=True, slots=True)
class FandomGuess:
    tag: str
    confidence: float
    score: float
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "confidence": self.confidence, "score": self.score,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Fandoms:
    """The ``fandoms`` layer, best first (``Original Work`` alone when none scores)."""

    items: tuple[FandomGuess, ...] = ()

    def __iter__(self) -> Iterator[FandomGuess]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def top(self) -> str:
        return self.items[0].tag if self.items else ORIGINAL_WORK

    def to_dict(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.items]


@dataclass(frozen=True, slots=True)
class _Keywords:
    pattern: re.Pattern[str]
    owners: Mapping[str, tuple[tuple[str, tuple[Fandom, ...]], ...]]  # lower -> (as written, fandoms)


@functools.cache
def _keywords(canon: CanonBase) -> _Keywords:
    owners: dict[str, list[tuple[str, tuple[Fandom, ...]]]] = {}
    for fandom in canon.all_fandoms():
        for word in fandom.keywords:
            low = word.lower().replace("’", "'")
            fandoms = tuple(canon.fandoms_with_keyword(word))
            entries = owners.setdefault(low, [])
            if all(w != word for w, _ in entries):
                entries.append((word, fandoms))
    pattern = re.compile(r"(?<![\w'’])" + trie_pattern(owners) + r"(?![\w'’])")
    return _Keywords(pattern=pattern, owners={k: tuple(v) for k, v in owners.items()})


def _alias_weight(alias: str) -> float:
    words = alias.split()
    if len(words) >= 2:
        return 1.0
    return 0.3 if alias.casefold() in nickname_groups() else 0.5


def _character_scores(chars: Sequence[Character], canon: CanonBase
                      ) -> tuple[dict[str, float], dict[str, list[tuple[float, Character]]]]:
    scores: dict[str, float] = {}
    who: dict[str, list[tuple[float, Character]]] = {}
    for ch in chars:
        if ch.name in ("Reader", "Narrator") or ch.mentions <= 0:
            continue
        best: dict[str, float] = {}
        names = [ch.name, *ch.aliases[:10]]
        if ch.canon:
            names.append(ch.canon)
        for alias in names:
            found = canon.characters_named(alias)
            if not found:
                continue
            fandoms = {f.tag for f, c in found if not (len(alias.split()) == 1
                                                      and c.is_ambiguous(alias))}
            if not fandoms:
                continue
            w = _alias_weight(alias) / len(fandoms)
            for f, _c in found:
                if f.tag in fandoms and w > best.get(f.tag, 0.0):
                    best[f.tag] = w
        factor = math.log2(1 + ch.mentions) * _ROLE.get(ch.role, 0.4)
        for tag, w in best.items():
            s = w * factor
            scores[tag] = scores.get(tag, 0.0) + s
            who.setdefault(tag, []).append((s, ch))
    return scores, who


def _keyword_scores(doc: Document, layer: CueLayer | None, canon: CanonBase
                    ) -> tuple[dict[str, float], dict[str, list[tuple[int, int, int]]]]:
    kw = _keywords(canon)
    found: dict[str, tuple[int, int, int, tuple[Fandom, ...], bool]] = {}
    for ci, text in enumerate(doc.texts):
        low = layer.chapters[ci].lowered if layer is not None else lowered(text)
        for m in kw.pattern.finditer(low):
            key = m.group().replace("’", "'")
            for written, fandoms in kw.owners.get(key, ()):
                capital = written != written.lower()
                if capital and text[m.start():m.end()].replace("’", "'") != written:
                    continue
                if written not in found:
                    found[written] = (ci, m.start(), m.end(), fandoms, capital)
                break
    scores: dict[str, float] = {}
    where: dict[str, list[tuple[int, int, int]]] = {}
    for ci, s, e, fandoms, capital in found.values():
        w = KEYWORD_WEIGHT * (1.0 if capital else 0.5) / len(fandoms)
        for f in fandoms:
            scores[f.tag] = scores.get(f.tag, 0.0) + w
            where.setdefault(f.tag, []).append((ci, s, e))
    return scores, where


def rank_fandoms(doc: Document, chars: Sequence[Character], *, canon: CanonBase | None = None,
                 layer: CueLayer | None = None) -> Fandoms:
    base = canon if canon is not None else load_canon()
    char_scores, who = _character_scores(chars, base)
    kw_scores, where = _keyword_scores(doc, layer, base)
    totals = {t: char_scores.get(t, 0.0) + kw_scores.get(t, 0.0)
              for t in set(char_scores) | set(kw_scores)}
    ranked = sorted(totals, key=lambda t: (-totals[t], t))
    ranked = [t for t in ranked if totals[t] >= MIN_SCORE]
    if not ranked:
        return Fandoms(items=(FandomGuess(tag=ORIGINAL_WORK, confidence=0.5, score=0.0),))
    best = totals[ranked[0]]
    keep = [t for t in ranked if totals[t] >= KEEP_SHARE * best][:MAX_FANDOMS]
    total = sum(totals[t] for t in ranked) + 1.0
    out: list[FandomGuess] = []
    for tag in keep:
        evidence: list[Evidence] = []
        for _s, ch in sorted(who.get(tag, []), key=lambda x: -x[0])[:2]:
            evidence.extend(ch.evidence[:1])
        for ci, s, e in where.get(tag, [])[:2]:
            evidence.append(passage(doc.texts[ci], doc.numbers[ci], s, e))
        out.append(FandomGuess(tag=tag, confidence=round(totals[tag] / total, 2),
                               score=round(totals[tag], 2), evidence=tuple(evidence)))
    return Fandoms(items=tuple(out))


@dataclass(frozen=True, slots=True)
class FandomComponent:
    """Ranked fandoms from canon character names and setting words, with evidence."""

    canon: CanonBase | None = field(default=None, repr=False)
    name: str = "fandoms"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({CHARACTERS, CUE_LAYER})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({FANDOMS})

    def __call__(self, doc: Document) -> dict[str, object]:
        return {FANDOMS: rank_fandoms(doc, doc.get(CHARACTERS), canon=self.canon,
                                      layer=doc.need(CUE_LAYER, CueLayer))}


fandoms = FandomComponent()
