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

import re
from collections.abc import Sequence

from ficshelf.text import is_scene_break
from ficshelf.understand.document import Document
from ficshelf.understand.keys import DIALOGUE, NARRATION, SCENES
from ficshelf.understand.pipeline import component

__all__ = [
    "DIALOGUE",
    "NARRATION",
    "SCENES",
    "blank_spans",
    "dialogue_spans",
    "scene_spans",
    "segment",
]


_DQ = "\"“”„‟«»"
_DOUBLE = re.compile(rf"[{_DQ}][^{_DQ}\n]*(?:[{_DQ}]|(?=\n)|\Z)")
_DQ_COUNT = re.compile(rf"[{_DQ}]")
_SINGLE_OPEN = re.compile(r"(?<!\w)[‘'](?=[^\W\d_])")
_SINGLE = re.compile(r"(?<!\w)[‘'](?:[^‘’'\n]|[’'](?=\w))*[’'](?!\w)")


def dialogue_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quoted passage, quote marks included.

    Double quotes (straight or curly, freely mixed, as AO3 copies often are)
    pair up within a paragraph; a quote left open runs to the paragraph's end.
    Text that quotes speech only with single quotes (‘like this’) is read that way.
    """
    doubles = len(_DQ_COUNT.findall(text))
    pattern = _DOUBLE
    if doubles < 4:
        opens = len(_SINGLE_OPEN.findall(text))
        if opens >= 3 and opens > 2 * doubles:
            pattern = _SINGLE
    return [m.span() for m in pattern.finditer(text)]


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
