"""Plain-text lines to ficshelf chapter text. Shared by the ``text`` and ``ao3-text`` importers.

Text arrives in two shapes. Most files separate paragraphs with one blank line
(*baseline* 1) and break lines inside a paragraph with a single newline; text
copied by some browsers and apps puts every paragraph on one line with no blank
line between (*baseline* 0). ``detect_baseline`` tells them apart and
``lines_to_text`` writes the model's convention (paragraphs separated by one
blank line, see ``ficshelf.text``) from either.

A scene break is a run of blank lines at least ``scene_gap`` long (written as
``text.SCENE_BREAK``) or an author's separator line ("***", "~", "-x-x-"), kept as
written. A Markdown hard break (a line ending in two spaces) always keeps the
next line in the same paragraph.

>>> print(lines_to_text(["One.", "", "", "", "Two", "~~~", "Three."], baseline=1, scene_gap=3))
One.
<BLANKLINE>
* * *
<BLANKLINE>
Two
<BLANKLINE>
~~~
<BLANKLINE>
Three.
>>> decode_text("Don’t".encode("utf-8").decode("cp1252").encode("utf-8"))
'Don’t'
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from ficshelf.text import SCENE_BREAK, is_scene_break, normalize_space

__all__ = [
    "decode_text",
    "detect_baseline",
    "is_blank",
    "lines_to_text",
    "looks_binary",
    "looks_like_markup",
    "split_lines",
    "title_from_filename",
]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

@functools.cache
def ftfy_config() -> Any:
    """ftfy's settings here: fix mojibake and line breaks, but keep the author's
    quotes, widths and ligatures. ftfy is imported on the first text that needs it
    (a clean text never does)."""
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        normalization=None,
        explain=False,
    )


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, *, partial: bool = False) -> str:
    """Bytes to text: BOMs (UTF-8/16/32), UTF-8, UTF-16 without BOM, else cp1252; mojibake fixed.

    ``partial`` tolerates a multi-byte character cut off at the end (a file's head).

    >>> decode_text(b"\\xef\\xbb\\xbfCaf\\xc3\\xa9"), decode_text(b"caf\\xe9 \\x93hi\\x94")
    ('Café', 'café “hi”')
    >>> decode_text("Ünïcode".encode("utf-16"))
    'Ünïcode'
    """
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):], name
            break
    if encoding is None:
        encoding = _utf16_without_bom(data)
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if partial and exc.start >= len(data) - 3 and exc.reason.startswith("unexpected end"):
                text = data[: exc.start].decode("utf-8", errors="replace")
            else:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair(text)


#: Characters ftfy acts on with ``ftfy_config()``: controls and format characters it removes,
#: C1 controls, no-break spaces, the Latin-1 letters UTF-8 lead bytes become when read
#: as Latin-1/cp1252/MacRoman ("Ã©", "â€™", "‚Äô"), Cyrillic and Greek (other
#: single-byte code pages), surrogates, replacement characters, odd line breaks.
_SUSPECT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\xa0\xc2-\xf4\u0370-\u04ff"
                      "\u2028\u2029\u206a-\u206f\ud800-\udfff\ufeff\ufff9-\ufffd]")


def repair(text: str) -> str:
    r"""ftfy's repair, line by line and only on lines holding a character it could act
    on (a line of plain prose, most of a long text, is left as it is: ftfy reads each
    line apart anyway, and checking 2 MB of clean text costs it most of a second).

    >>> repair("plain line\ncaf\u00c3\u00a9 line")
    'plain line\ncafé line'
    """
    if _SUSPECT.search(text) is None:
        return text
    import ftfy

    config = ftfy_config()
    return "\n".join(ftfy.fix_text(line, config) if _SUSPECT.search(line) else line
                     for line in text.split("\n"))


_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")


def split_lines(text: str) -> list[str]:
    """Lines, whatever the line-break convention."""
    return _LINE_BREAKS.sub("\n", text).split("\n")


_INVISIBLE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]*")


def is_blank(line: str) -> bool:
    """True for empty lines and lines of spaces, non-breaking or zero-width spaces."""
    return _INVISIBLE.fullmatch(line) is not None


def _hard_break(raw: str) -> bool:
    return raw.endswith("  ") and not is_blank(raw)


def _gaps(lines: Sequence[str]) -> list[tuple[int, int, int]]:
    """(previous line index, next line index, blank lines between) for non-blank neighbours."""
    out: list[tuple[int, int, int]] = []
    prev: int | None = None
    for i, line in enumerate(lines):
        if is_blank(line):
            continue
        if prev is not None:
            out.append((prev, i, i - prev - 1))
        prev = i
    return out


def detect_baseline(lines: Sequence[str]) -> int:
    """0 when paragraphs are separated by single newlines, else 1 (by a blank line).

    Single newlines win when they outnumber blank-line separations and the lines
    are paragraph-long (text hard-wrapped at ~72 columns or verse has short lines),
    or when the text has no blank line at all.

    >>> detect_baseline(["A long paragraph " * 8, "Another long one " * 8, "A third " * 20])
    0
    >>> detect_baseline(["Roses are red,", "violets are blue,", "", "sugar is sweet"])
    1
    """
    zero = one = 0
    for prev, nxt, gap in _gaps(lines):
        if gap == 0:
            if _hard_break(lines[prev]) or is_scene_break(lines[prev]) or is_scene_break(lines[nxt]):
                continue
            zero += 1
        elif gap == 1:
            one += 1
    if zero <= one:
        return 1
    if one == 0:
        return 0
    filled = [len(line.strip()) for line in lines if not is_blank(line)]
    long_share = sum(1 for n in filled if n > 90) / len(filled)
    return 0 if long_share >= 0.25 else 1


def lines_to_text(lines: Sequence[str], *, baseline: int, scene_gap: int) -> str:
    """Model text from raw lines (see the module docstring for the rules)."""
    paragraphs: list[str] = []
    current: list[str] = []
    blank_run = 0
    prev_raw: str | None = None

    def end_paragraph() -> None:
        if current:
            paragraphs.append("\n".join(current))
            current.clear()

    def add_break(separator: str) -> None:
        end_paragraph()
        if not paragraphs:
            return
        last = paragraphs[-1]
        if last == SCENE_BREAK or is_scene_break(last):
            if last == SCENE_BREAK and separator != SCENE_BREAK:
                paragraphs[-1] = separator  # the author's own separator wins
            return
        paragraphs.append(separator)

    for raw in lines:
        if is_blank(raw):
            blank_run += 1
            continue
        line = normalize_space(raw)
        if blank_run >= scene_gap:
            add_break(SCENE_BREAK)
        elif blank_run > 0 or (baseline == 0 and prev_raw is not None and not _hard_break(prev_raw)):
            end_paragraph()
        blank_run = 0
        prev_raw = raw
        if is_scene_break(line):
            add_break(line)
            prev_raw = None
            continue
        current.append(line)
    end_paragraph()
    while paragraphs and is_scene_break(paragraphs[-1]):
        paragraphs.pop()
    while paragraphs and is_scene_break(paragraphs[0]):
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


_MARKUP = re.compile(r"<(?:!doctype|html|head|body|div|p|span|br|table|\?xml)\b", re.I)


def looks_like_markup(text: str) -> bool:
    """True when the text is an HTML/XML document rather than prose."""
    head = text.lstrip()[:4096]
    return head.startswith("<") and _MARKUP.search(head) is not None


_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1A} | {0x7F}


def looks_binary(data: bytes) -> bool:
    """True when bytes are clearly not text: control bytes (NUL ...) outside UTF-16/32 text.

    >>> looks_binary(b"plain words\\n"), looks_binary("words".encode("utf-16")), looks_binary(bytes(range(64)))
    (False, False, True)
    """
    sample = data[:8192]
    if not sample or any(sample.startswith(bom) for bom, _ in _BOMS) or _utf16_without_bom(sample):
        return False
    bad = sum(1 for b in sample if b in _CONTROL_BYTES)
    return bad > max(2, len(sample) // 100)


_STEM_SPACE = re.compile(r"[_\s]+")


def title_from_filename(filename: str) -> str:
    """A title for a work whose text names none: the file name without suffix.

    >>> title_from_filename("/tmp/my_untitled_fic.txt"), title_from_filename("")
    ('my untitled fic', 'Untitled')
    """
    stem = PurePath(filename).stem if filename else ""
    return _STEM_SPACE.sub(" ", stem).strip() or "Untitled"
