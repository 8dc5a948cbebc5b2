"""One pass per chapter over the lower-cased text for every cue of ``lexicons.CUES``.

The ``cues`` component lower-cases each chapter once (same offsets) and runs
the single trie regex of ``lexicons.cue_regex()``; every hit is filed under
each category its phrase belongs to, as sorted ``starts``/``ends`` lists.
Later components (relationships, rating, freeforms, arc) only bisect these
lists: none of them scans the text for words again.

>>> doc = Document.from_texts("He kissed her. “Fuck,” she said, and Dick laughed.")
>>> layer = scan_cues(doc)
>>> ch = layer.chapters[0]
>>> [doc.texts[0][s:e] for s, e in ch.spans("romantic_kiss")]
['kissed']
>>> [doc.texts[0][s:e] for s, e in ch.spans("profanity")]
['Fuck']
>>> ch.count("profanity", 0, 10), ch.count("profanity", 10)
(0, 1)
>>> seen = scan_chapter("He could not make out the words. They made out on the sofa.")
>>> seen.count("romantic_kiss")
1
>>> couple = scan_chapter("John broke up the fight, engaged in a staring contest. "
...                       "He should break up with Sarah; they were engaged to be married.")
>>> couple.count("romantic_couple")
3
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ficshelf.understand.document import Document
from ficshelf.understand.lexicons import (
    CASE_SENSITIVE,
    NOT_FOLLOWED_BY,
    NOT_PRECEDED_BY,
    cue_key,
    cue_regex,
    cue_table,
    lowered,
)
from ficshelf.understand.pipeline import component

__all__ = ["CUE_LAYER", "ChapterCues", "CueLayer", "cues", "scan_chapter", "scan_cues"]

CUE_LAYER = "cues"

_EMPTY: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ChapterCues:
    """Cue hits of one chapter: per category, sorted start and end offsets."""

    lowered: str
    starts: Mapping[str, tuple[int, ...]]
    ends: Mapping[str, tuple[int, ...]]
    words: int

    def count(self, cat: str, lo: int = 0, hi: int | None = None) -> int:
        """Hits of ``cat`` starting in ``[lo, hi)``."""
        s = self.starts.get(cat, _EMPTY)
        if lo == 0 and hi is None:
            return len(s)
        a = bisect.bisect_left(s, lo)
        b = len(s) if hi is None else bisect.bisect_left(s, hi)
        return b - a

    def spans(self, cat: str, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of the hits of ``cat`` starting in ``[lo, hi)``."""
        s = self.starts.get(cat, _EMPTY)
        e = self.ends.get(cat, _EMPTY)
        a = 0 if lo == 0 else bisect.bisect_left(s, lo)
        b = len(s) if hi is None else bisect.bisect_left(s, hi)
        for i in range(a, b):
            yield s[i], e[i]


@dataclass(frozen=True, slots=True)
class CueLayer:
    """The ``cues`` layer: one ``ChapterCues`` per chapter."""

    chapters: tuple[ChapterCues, ...]
    totals: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def words(self) -> int:
        return sum(c.words for c in self.chapters)

    def total(self, cat: str) -> int:
        return self.totals.get(cat, 0)


def _word_estimate(text: str) -> int:
    """Words as separators + 1 per non-empty text (C-speed; close to AO3's count for prose)."""
    if not text.strip():
        return 0
    return text.count(" ") + text.count("\n") - text.count("\n\n") - text.count("  ") + 1


def scan_chapter(text: str) -> ChapterCues:
    """Every cue hit of one chapter."""
    low = lowered(text)
    table = cue_table()
    starts: dict[str, list[int]] = {}
    ends: dict[str, list[int]] = {}
    for m in cue_regex().finditer(low):
        key = m.group()
        cats = table.get(key)
        if cats is None:
            key = cue_key(key)
            cats = table.get(key)
            if cats is None:  # pragma: no cover - the regex only matches table phrases
                continue
        s, e = m.span()
        if key in CASE_SENSITIVE and not text[s].islower():
            continue
        if low.startswith(": ", e) and (s == 0 or low[s - 1] == "\n"):
            continue  # a chat speaker's handle ("widow: It's in the vent")
        after = NOT_FOLLOWED_BY.get(key)
        if after is not None and after.match(low, e):
            continue
        before = NOT_PRECEDED_BY.get(key)
        if before is not None and before.search(low, max(0, s - 40), s):
            continue
        for cat in cats:
            lst = starts.get(cat)
            if lst is None:
                starts[cat] = [s]
                ends[cat] = [e]
            else:
                lst.append(s)
                ends[cat].append(e)
    return ChapterCues(
        lowered=low,
        starts=MappingProxyType({k: tuple(v) for k, v in starts.items()}),
        ends=MappingProxyType({k: tuple(v) for k, v in ends.items()}),
        words=_word_estimate(text),
    )


def scan_cues(doc: Document) -> CueLayer:
    chapters = tuple(scan_chapter(t) for t in doc.texts)
    totals: dict[str, int] = {}
    for ch in chapters:
        for cat, s in ch.starts.items():
            totals[cat] = totals.get(cat, 0) + len(s)
    return CueLayer(chapters=chapters, totals=MappingProxyType(totals))


@component(name="cues", provides=(CUE_LAYER,))
def cues(doc: Document) -> dict[str, object]:
    """Cue-word hits of every category (one regex pass per chapter)."""
    return {CUE_LAYER: scan_cues(doc)}
