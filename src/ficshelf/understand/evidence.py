"""Evidence: the exact passage of a chapter that supports a claim.

``Evidence(chapter, start, end, text)`` holds the chapter's number
(``Chapter.number``) and offsets into that chapter's ``Chapter.text``;
``text`` is always ``chapter.text[start:end]``.

>>> text = "It rained. Steve waited by the door. Then he left."
>>> ev = passage(text, 1, 11, 16)
>>> ev.text
'Steve waited by the door.'
>>> text[ev.start:ev.end] == ev.text
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_PASSAGE", "Evidence", "distinct", "evidence_from_dict", "passage"]

MAX_PASSAGE = 240


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted passage: ``chapter`` number and ``[start, end)`` offsets into its text."""

    chapter: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"chapter": self.chapter, "start": self.start, "end": self.end, "text": self.text}


def evidence_from_dict(data: Mapping[str, Any]) -> Evidence:
    return Evidence(int(data["chapter"]), int(data["start"]), int(data["end"]), str(data["text"]))


def distinct(evidence: Iterable[Evidence], limit: int | None = None) -> tuple[Evidence, ...]:
    """The passages in order, each once (two hits in one sentence widen to one
    passage), at most ``limit`` of them. Reads no further than it needs.

    >>> text = "Bucky Barnes came in. Steve looked up."
    >>> hits = [passage(text, 1, 0, 5), passage(text, 1, 6, 12), passage(text, 1, 22, 27)]
    >>> [e.text for e in distinct(hits)]
    ['Bucky Barnes came in.', 'Steve looked up.']
    >>> len(distinct(hits, limit=1))
    1
    """
    out: list[Evidence] = []
    seen: set[tuple[int, int, int]] = set()
    for ev in evidence:
        if limit is not None and len(out) >= limit:
            break
        key = (ev.chapter, ev.start, ev.end)
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return tuple(out)


# Sentence limits used to widen a hit into a readable passage.
_BEFORE = re.compile(r"[.!?…\n][\"”’)]*\s+(?=\S)")
_AFTER = re.compile(r"[.!?…][\"”’)]*(?=\s|$)|\n")


def passage(text: str, chapter: int, start: int, end: int, *, widen: bool = True,
            limit: int = MAX_PASSAGE) -> Evidence:
    """Evidence for ``text[start:end]``, widened to its sentence when ``widen``.

    The widened passage never exceeds ``limit`` characters: it is cut around the
    hit instead, so the hit itself is always inside the quoted text.
    """
    if not widen:
        return Evidence(chapter, start, end, text[start:end])
    lo = max(0, start - limit)
    s = lo
    for m in _BEFORE.finditer(text, lo, start + 1):
        if m.end() <= start:
            s = m.end()
    if s == lo and lo > 0:
        # no sentence start inside the window: start at a word
        sp = text.find(" ", lo, start)
        s = sp + 1 if sp >= 0 else start
    m2 = _AFTER.search(text, end, min(len(text), end + limit))
    e = m2.end() if m2 is not None else min(len(text), end + limit // 2)
    if e > end and text[e - 1] == "\n":
        e -= 1
    if e - s > limit:
        half = max(0, (limit - (end - start)) // 2)
        s = max(s, start - half)
        e = min(e, max(end, s + limit))
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return Evidence(chapter, s, e, text[s:e])
