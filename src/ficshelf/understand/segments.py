"""Dialogue, narration and scenes: whole-chapter regex passes, offsets kept.

``narration`` is the chapter text with every quoted passage (the quote marks
included) replaced by spaces, so it has the same length and offsets as the
chapter and pronoun or verb counts over it see only the narrator's words.

>>> t = 'He smiled. "I know you," she said.'
>>> spans = dialogue_spans(t)
>>> [t[a:b] for a, b in spans]
['"I know you,"']
>>> blank_spans(t, spans)
'He smiled.               she said.'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ficshelf.text import is_scene_break
from ficshelf.understand.document import Document
from ficshelf.understand.keys import DIALOGUE, NARRATION, SCENES
from ficshelf.understand.pipeline import component

__all__ = [
    "CHAT_LINE",
    "CHAT_LINES",
    "DIALOGUE",
    "NARRATION",
    "SCENES",
    "blank_spans",
    "dialogue_spans",
    "in_narration",
    "sample_windows",
    "scene_spans",
    "segment",
]


_DQ = "\"“”„‟«»"
# a quotation may run over single line breaks (hard-wrapped text), never over a blank line
_DOUBLE = re.compile(rf"[{_DQ}][^{_DQ}\n]*(?:\n(?![ \t]*\n)[^{_DQ}\n]*)*(?:[{_DQ}]|(?=\n)|\Z)")
_DQ_COUNT = re.compile(rf"[{_DQ}]")
_SINGLE_OPEN = re.compile(r"[‘'](?<!\w[‘'])(?=[^\W\d_])")  # the quote first: re skips to it
# Speech introduced by a dash, as in much European and modernist prose ("— Over here, Bram!").
_DASH_LINE = re.compile(r"(?m)(?:^[ \t]*|(?<=: ))[—―–][^\n]*")
#: A chat or script line ("Tony: Come on :)", "tinman: who took my coffee"); a chapter
#: with ``CHAT_LINES`` of them is a chat log.
CHAT_LINE = re.compile(
    r"(?m)^[ \t]*(?P<speaker>[^\W\d_][\w .'’&-]{0,30}):[ \t]+(?P<message>\S[^\n]*)$")
CHAT_LINES = 5
_SINGLE = re.compile(r"(?<!\w)[‘'](?:[^‘’'\n]|[’'](?=\w)|\n(?![ \t]*\n))*[’'](?!\w)")


def dialogue_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quoted passage, quote marks included.

    Double quotes (straight or curly, freely mixed, as AO3 copies often are)
    pair up within a paragraph; a quote left open runs to the paragraph's end.
    Text that quotes speech only with single quotes (‘like this’) is read that way,
    and text without quotes that opens speech with a dash ("— Come up!") too.
    In chat and script formats ("Tony: Come on :)" lines, five or more) the
    words after the speaker's name are dialogue too.
    """
    doubles = len(_DQ_COUNT.findall(text))
    pattern = _DOUBLE
    if doubles < 4:
        opens = len(_SINGLE_OPEN.findall(text))
        if opens >= 3 and opens > 2 * doubles:
            pattern = _SINGLE
    spans = [m.span() for m in pattern.finditer(text)]
    if doubles < 4 and len(spans) < 3:
        dashes = [m.span() for m in _DASH_LINE.finditer(text)]
        if len(dashes) >= 3:
            spans = _merge_spans(spans, dashes)
    chat = [m.span("message") for m in CHAT_LINE.finditer(text)]
    if len(chat) >= CHAT_LINES:
        spans = _merge_spans(spans, chat)
    return spans


def _merge_spans(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(a + b):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span replaced by as many spaces (offsets unchanged)."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for a, b in spans:
        parts.append(text[pos:a])
        parts.append(" " * (b - a))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


_PARA = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


def scene_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each scene: the text between scene-break paragraphs."""
    scenes: list[tuple[int, int]] = []
    start = 0
    for m in _PARA.finditer(text):
        para = m.group()
        if len(para) <= 40 and is_scene_break(para):
            if text[start:m.start()].strip():
                scenes.append((start, m.start()))
            start = m.end()
    if text[start:].strip() or not scenes:
        scenes.append((start, len(text)))
    return scenes


@component(name="segment", provides=(DIALOGUE, NARRATION, SCENES))
def segment(doc: Document) -> dict[str, object]:
    """Quoted dialogue, narration (dialogue blanked) and scenes of each chapter."""
    dialogue = tuple(dialogue_spans(t) for t in doc.texts)
    narration = tuple(blank_spans(t, d) for t, d in zip(doc.texts, dialogue, strict=True))
    scenes = tuple(scene_spans(t) for t in doc.texts)
    return {DIALOGUE: dialogue, NARRATION: narration, SCENES: scenes}


def in_narration(doc: Document, mentions: Sequence[tuple[int, int, int]]) -> int:
    """How many of the ``(chapter, start, end)`` mentions stand outside dialogue (the
    narration names the person, not only others' talk)."""
    narrations: Sequence[str] = doc.get(NARRATION)
    return sum(1 for ci, s, _e in mentions if narrations[ci][s] == doc.texts[ci][s])


def sample_windows(lengths: Sequence[int], *, budget: int, window: int
                   ) -> list[tuple[int, int, int]]:
    """``(chapter index, start, end)`` windows covering at most ``budget`` characters,
    spread evenly over the chapters (all of the text when it is shorter).

    >>> sample_windows([100, 50], budget=1000, window=10)
    [(0, 0, 100), (1, 0, 50)]
    >>> len(sample_windows([1_000_000], budget=100_000, window=10_000))
    10
    """
    total = sum(lengths)
    if total <= budget:
        return [(i, 0, n) for i, n in enumerate(lengths)]
    count = max(1, budget // window)
    step = total / count
    out: list[tuple[int, int, int]] = []
    offsets = [0]
    for n in lengths:
        offsets.append(offsets[-1] + n)
    for k in range(count):
        at = int(k * step)
        ci = bisect.bisect_right(offsets, at) - 1
        a = at - offsets[ci]
        b = min(lengths[ci], a + window)
        out.append((ci, a, b))
    return out
