"""Rating and archive-warning estimates from cue lexicons, each with evidence.

Signals (counts from the ``cues`` layer, densities per thousand words):

* ``sex_explicit``: explicit sexual words; ``sex_mild``: nudity, moans, "had sex";
* ``profanity``; ``violence`` and ``violence_graphic`` (gore, torture);
* the death of a main character: a death cue ("died", "was dead", "killed",
  "funeral") next to the name of a ``main`` character, not hedged ("almost
  died", "nearly killed", "not dead");
* ``noncon``: rape and non-consent words; ``minor_age``: an age under
  eighteen near explicit sexual words.

The rating is the highest level whose rule fires (Explicit, Mature, Teen And
Up Audiences, else General Audiences); ``Not Rated`` is never guessed.
Warnings are AO3's closed set; "No Archive Warnings Apply" when none fires,
never "Creator Chose Not To Use Archive Warnings" (that is the author's choice).
Thresholds are conservative: a warning needs repeated, specific evidence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ficshelf.model import ArchiveWarning, Rating
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, distinct, passage
from ficshelf.understand.people import PEOPLE, People
from ficshelf.understand.pipeline import component

__all__ = [
    "RATING",
    "WARNINGS",
    "RatingGuess",
    "WarningGuess",
    "Warnings",
    "estimate",
    "main_character_deaths",
    "rating",
    "signals",
]

RATING = "rating"
WARNINGS = "warnings"

EXPLICIT_MIN = 6            # explicit words for Explicit ...
EXPLICIT_DENSITY = 0.4      # ... and per thousand words; or, in a short work,
EXPLICIT_FEW = 3            # this many at
EXPLICIT_DENSE = 2.0        # this density
MATURE_EXPLICIT = 2
MATURE_MILD = 6
MATURE_GRAPHIC = 3
MATURE_PROFANITY_DENSITY = 8.0
MATURE_PROFANITY_MIN = 10   # (and at least this many)
TEEN_PROFANITY = 2
TEEN_VIOLENCE = 4
TEEN_DEATH = 3
GRAPHIC_MIN = 4             # graphic violence words for the violence warning ...
GRAPHIC_VIOLENCE_MIN = 25   # ... with this many violence words in all, or
GRAPHIC_VIOLENCE_DENSITY = 15.0  # this many per thousand words
MCD_MIN = 3                 # death cues about one main character (2 in a short work)
SHORT_WORK = 3000           # words
NONCON_MIN = 2
UNDERAGE_REACH = 1500       # characters between an age under 18 and explicit words

_HEDGE = re.compile(r"(?:almost|nearly|practically|could have|could've|would have|would've|"
                    r"might have|might've|not|never|n't|thought|believed|believe|assumed|"
                    r"should|would|could|might|if|pretend(?:ed|ing)? to be|playing|play|"
                    r"faked?|presumed)\b[^.!?\n]{0,25}$")
_KILLING = ("kill", "murder")
_PASSIVE = re.compile(r"\b(?:was|were|been|be|got|get|is|are)\s+$")
_BREAK = re.compile(r"[.!?\n]")


@dataclass(frozen=True, kw_only=True, slots=True)
class RatingGuess:
    tag: Rating
    confidence: float
    signals: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag.value, "confidence": self.confidence,
                "signals": dict(self.signals), "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, kw_only=True, slots=True)
class WarningGuess:
    tag: ArchiveWarning
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tag": self.tag.value, "confidence": self.confidence}
        if self.note:
            out["note"] = self.note
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True, slots=True)
class Warnings:
    items: tuple[WarningGuess, ...] = ()

    def __iter__(self) -> Iterator[WarningGuess]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def tags(self) -> tuple[ArchiveWarning, ...]:
        return tuple(w.tag for w in self.items)

    def to_dict(self) -> list[dict[str, Any]]:
        return [w.to_dict() for w in self.items]


def signals(layer: CueLayer) -> dict[str, float]:
    """Counts of the rating cues and densities per thousand words."""
    words = max(1, layer.words)
    out: dict[str, float] = {"words": float(layer.words)}
    for cat in ("sex_explicit", "sex_mild", "profanity", "violence", "violence_graphic",
                "death", "noncon", "minor_age"):
        out[cat] = float(layer.total(cat))
    out["explicit_per_1000"] = round(1000 * out["sex_explicit"] / words, 2)
    out["profanity_per_1000"] = round(1000 * out["profanity"] / words, 2)
    return out


def _evidence(doc: Document, layer: CueLayer, cats: Sequence[str], limit: int = 2
              ) -> tuple[Evidence, ...]:
    """The first passages with a cue of ``cats``, each once (two cues, one sentence)."""
    return distinct((passage(doc.texts[ci], doc.numbers[ci], s, e)
                     for cat in cats for ci, ch in enumerate(layer.chapters)
                     for s, e in ch.spans(cat)), limit)


def main_character_deaths(doc: Document, layer: CueLayer, people: People
                          ) -> dict[int, list[tuple[int, int, int]]]:
    """Death cues about each main character: ``person -> [(chapter index, start, end)]``.

    For "died", "was dead", "funeral", "body"... the character is named within
    40 characters before the cue ("Steve died", "Steve's funeral"); for a
    killing verb the victim is named right after it ("killed Steve") or before
    a passive ("Steve was killed"); a killer named before "killed" is not the
    one who dies. Hedged cues do not count ("almost died", "believed he died",
    "should be dead"), nor a name in another sentence.

    >>> from ficshelf.understand.people import ChapterEvents, PersonRef
    >>> from ficshelf.understand.cuescan import scan_cues
    >>> t = "Ann killed the guard. Later Ben died. Nobody believed Ann died."
    >>> doc = Document.from_texts(t)
    >>> ppl = People(persons=(PersonRef(index=0, name="Ann", text_name="Ann", role="main"),
    ...                       PersonRef(index=1, name="Ben", text_name="Ben", role="main")),
    ...              chapters=(ChapterEvents(pos=(0, 28, 53), ends=(3, 31, 56), who=(0, 1, 0),
    ...                                      scenes=((0, len(t)),)),))
    >>> {ppl.persons[w].name: len(h) for w, h in main_character_deaths(doc, scan_cues(doc), ppl).items()}
    {'Ben': 1}
    """
    mains = {p.index for p in people.persons if p.role == "main" and p.special is None}
    out: dict[int, list[tuple[int, int, int]]] = {}
    if not mains:
        return out
    for ci, ch in enumerate(layer.chapters):
        ev = people.chapters[ci]
        low = ch.lowered
        for s, e in ch.spans("death"):
            if _HEDGE.search(low, max(0, s - 40), s):
                continue
            word = low[s:e]
            killing = word.startswith(_KILLING)
            passive = killing and _PASSIVE.search(low, max(0, s - 12), s) is not None
            a = bisect.bisect_left(ev.pos, s - 40)
            b = bisect.bisect_left(ev.pos, e + 25)
            for i in range(a, b):
                w = ev.who[i]
                if w not in mains:
                    continue
                before = ev.pos[i] < s
                if killing and before and not passive:
                    continue  # the killer
                if not killing and not before and not word.startswith(("death", "funeral")):
                    continue  # "died ... Ann" names someone else
                between = low[ev.ends[i]:s] if before else low[e:ev.pos[i]]
                if _BREAK.search(between):
                    continue
                out.setdefault(w, []).append((ci, s, e))
                break
    return out


def _underage(layer: CueLayer) -> list[tuple[int, int, int]]:
    hits: list[tuple[int, int, int]] = []
    for ci, ch in enumerate(layer.chapters):
        explicit = ch.starts.get("sex_explicit", ())
        for s, e in ch.spans("minor_age"):
            i = bisect.bisect_left(explicit, s - UNDERAGE_REACH)
            if i < len(explicit) and explicit[i] <= s + UNDERAGE_REACH:
                hits.append((ci, s, e))
    return hits


def estimate(doc: Document, layer: CueLayer, people: People) -> tuple[RatingGuess, Warnings]:
    sig = signals(layer)
    words = max(1, layer.words)
    per_k = 1000 / words
    warnings: list[WarningGuess] = []
    # warnings
    graphic, violence = sig["violence_graphic"], sig["violence"]
    if graphic >= GRAPHIC_MIN and (violence >= GRAPHIC_VIOLENCE_MIN
                                   or violence * per_k >= GRAPHIC_VIOLENCE_DENSITY):
        warnings.append(WarningGuess(
            tag=ArchiveWarning.VIOLENCE, confidence=round(min(0.9, 0.4 + 0.05 * graphic), 2),
            evidence=_evidence(doc, layer, ("violence_graphic",), 3)))
    deaths = main_character_deaths(doc, layer, people)
    need = MCD_MIN if layer.words >= SHORT_WORK else MCD_MIN - 1
    dead = {w: hits for w, hits in deaths.items() if len(hits) >= need}
    if dead:
        ev = distinct((passage(doc.texts[ci], doc.numbers[ci], s, e)
                       for hits in dead.values() for ci, s, e in hits[:2]), 3)
        warnings.append(WarningGuess(tag=ArchiveWarning.MAJOR_CHARACTER_DEATH,
                                     confidence=0.5, evidence=ev))
    if sig["noncon"] >= NONCON_MIN:
        warnings.append(WarningGuess(tag=ArchiveWarning.RAPE_NONCON, confidence=0.5,
                                     evidence=_evidence(doc, layer, ("noncon",), 3)))
    under = _underage(layer)
    if len(under) >= 2 and sig["sex_explicit"] >= EXPLICIT_FEW:
        ev = distinct((passage(doc.texts[ci], doc.numbers[ci], s, e) for ci, s, e in under), 3)
        warnings.append(WarningGuess(tag=ArchiveWarning.UNDERAGE, confidence=0.4, evidence=ev))
    if not warnings:
        warnings.append(WarningGuess(
            tag=ArchiveWarning.NONE_APPLY, confidence=0.6,
            note="no warning's cues reached their thresholds (see the rating's signals)"))
    # rating
    explicit, mild = sig["sex_explicit"], sig["sex_mild"]
    profanity = sig["profanity"]
    serious = {w.tag for w in warnings} & {ArchiveWarning.RAPE_NONCON, ArchiveWarning.UNDERAGE,
                                           ArchiveWarning.VIOLENCE}
    cats: tuple[str, ...]
    if (explicit >= EXPLICIT_MIN and explicit * per_k >= EXPLICIT_DENSITY) or (
            explicit >= EXPLICIT_FEW and explicit * per_k >= EXPLICIT_DENSE):
        tag, conf, cats = Rating.EXPLICIT, min(0.9, 0.5 + explicit / 60), ("sex_explicit",)
    elif (explicit >= MATURE_EXPLICIT or mild >= MATURE_MILD or graphic >= MATURE_GRAPHIC
          or (profanity >= MATURE_PROFANITY_MIN and profanity * per_k >= MATURE_PROFANITY_DENSITY)
          or serious):
        tag, conf = Rating.MATURE, 0.5
        cats = ("sex_explicit", "sex_mild", "violence_graphic", "profanity")
    elif (profanity >= TEEN_PROFANITY or violence >= TEEN_VIOLENCE or sig["death"] >= TEEN_DEATH
          or mild >= 1):
        # a kiss is General Audiences content ("unlikely to be disturbing to anyone")
        tag, conf = Rating.TEEN, 0.5
        cats = ("profanity", "violence", "death", "sex_mild")
    else:
        tag, conf, cats = Rating.GENERAL, 0.5, ()
    evidence = _evidence(doc, layer, cats, 3) if cats else ()
    guess = RatingGuess(tag=tag, confidence=round(conf, 2), signals=MappingProxyType(sig),
                        evidence=evidence)
    return guess, Warnings(items=tuple(warnings))


@component(name="rating", needs=(CUE_LAYER, PEOPLE), provides=(RATING, WARNINGS))
def rating(doc: Document) -> dict[str, object]:
    """Rating and archive warnings from cue counts, with evidence."""
    guess, warns = estimate(doc, doc.need(CUE_LAYER, CueLayer), doc.need(PEOPLE, People))
    return {RATING: guess, WARNINGS: warns}
