"""Highlighted snippets: the passage of a work that best shows why it matched.

Matching follows the full-text index's rules: case, accents and apostrophes are
ignored (``dont`` marks "Don’t", ``laton`` marks "latón"), words match whole
(``drag*`` marks words starting with "drag"), and a phrase matches its words in
order with only spaces or punctuation between them. The output is safe HTML:
the text escaped, each match in ``<mark>``...``</mark>``.

Why not FTS5's ``snippet()``: it scores every pair of matches, so its cost
grows with the square of the matches in a work; on a real 2.4 MB work and the
query "the" it took about six seconds for one snippet. This is linear (one
regular-expression scan, stopped early) and reads the text as written.

>>> make_snippet(["Salt and Smoke", "Ilse didn’t <b>cook</b>; she made soup."], ("didnt", "soup"))
'Ilse <mark>didn’t</mark> &lt;b&gt;cook&lt;/b&gt;; she made <mark>soup</mark>.'
>>> make_snippet(["Las manzanas de latón"], ("laton",))
'Las manzanas de <mark>latón</mark>'
>>> make_snippet(["dragons, dragonflies and drag"], ("dragon*",))
'<mark>dragons</mark>, <mark>dragonflies</mark> and drag'
>>> make_snippet(["nothing here"], ("absent",)) is None
True
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

__all__ = ["SNIPPET_WORDS", "make_snippet", "term_pattern"]

#: About how many words a snippet shows.
SNIPPET_WORDS: Final = 32
_MAX_MATCHES: Final = 5_000
_APOSTROPHES: Final = "'’‘‛`´ʼ"
_APOS_CLASS: Final = f"[{re.escape(_APOSTROPHES)}]"
_APOS: Final = _APOS_CLASS + "?"
_WORD_CHAR: Final = r"[^\W_]"
_TOKEN = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


@functools.cache
def _variants() -> dict[str, str]:
    """Each ASCII letter with the accented letters that fold to it (Latin ranges)."""
    found: dict[str, set[str]] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0].casefold()
        if len(base) == 1 and base.isascii() and base.isalpha() and base != ch.casefold():
            found.setdefault(base, set()).add(ch.casefold())
    return {b: "".join(sorted(v)) for b, v in found.items()}


def _char(ch: str) -> str:
    extra = _variants().get(ch, "")
    return f"[{re.escape(ch + extra)}]" if extra else re.escape(ch)


def _word(word: str, *, prefix: bool, start: str = "") -> str:
    """A word's pattern: apostrophes allowed between its letters, accents folded;
    ``start`` (a zero-width check) goes right after the first letter."""
    body = _char(word[0]) + start + "".join(_APOS + _char(c) for c in word[1:])
    return body + (rf"(?:{_APOS}{_WORD_CHAR})*" if prefix else "")


# The start-of-word check sits after the first letter (a lookbehind over it and
# the one or two characters before), so the scan only runs it where a first
# letter matched: about three times faster than checking at every position.
_START: Final = rf"(?<!{_WORD_CHAR}.)(?<!{_WORD_CHAR}{_APOS_CLASS}.)"


def term_pattern(term: str) -> str | None:
    """A regular expression for one folded term (a word, a phrase, or either
    ending in ``*`` for a prefix), or None when it has no word in it.

    >>> bool(re.fullmatch(term_pattern("go where") or "", "Go — WHERE", re.I | re.S))
    True
    >>> re.findall(term_pattern("dont") or "", "dont don’t idont don’ts", re.I | re.S)
    ['dont', 'don’t']
    """
    prefix = term.endswith("*")
    words = _TOKEN.findall(unicodedata.normalize("NFKC", term.rstrip("*")).casefold())
    if not words:
        return None
    parts = [_word(w, prefix=prefix and i == len(words) - 1, start=_START if i == 0 else "")
             for i, w in enumerate(words)]
    end = "" if prefix else rf"(?!{_APOS}{_WORD_CHAR})"
    return r"[\W_]+".join(parts) + end


@functools.lru_cache(maxsize=256)
def _compile(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = [p for p in (term_pattern(t) for t in terms) if p is not None]
    if not patterns:
        return None
    return re.compile("|".join(f"(?P<t{i}>{p})" for i, p in enumerate(patterns)),
                      re.IGNORECASE | re.DOTALL)


def _scan(text: str, pattern: re.Pattern[str], width: int
          ) -> tuple[list[tuple[int, int, str]], tuple[int, int, int]]:
    """The matches in ``text`` (at most ``_MAX_MATCHES``) and the span of at
    most ``width`` characters holding the most distinct terms, earliest on ties:
    (first match index, last match index, distinct terms). The scan stops at
    the first span holding every term: no later one can hold more, and the
    earliest wins (a common word's snippet need not read a whole novel)."""
    wanted = len(pattern.groupindex)
    matches: list[tuple[int, int, str]] = []
    best = (0, 0, 0)
    counts: dict[str, int] = {}
    lo = 0
    for m in pattern.finditer(text):
        start, name = m.start(), m.lastgroup or ""
        matches.append((start, m.end(), name))
        counts[name] = counts.get(name, 0) + 1
        while start - matches[lo][0] > width:
            gone = matches[lo][2]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            lo += 1
        if len(counts) > best[2]:
            best = (lo, len(matches) - 1, len(counts))
            if best[2] == wanted:
                break
        if len(matches) >= _MAX_MATCHES:
            break
    return matches, best


def _expand(text: str, start: int, end: int, words: int) -> tuple[int, int]:
    """Grow [start, end) to about ``words`` words, centred on the matches."""
    inside = len(_TOKEN.findall(text, start, end))
    spare = max(0, words - inside)
    before = spare // 3
    scan_from = max(0, start - 20 * before)
    starts = [m.start() for m in _TOKEN.finditer(text, scan_from, start)] if before else []
    if before and len(starts) >= before:
        left = starts[-before]
    elif before and scan_from == 0:
        left = 0
    else:
        left = starts[0] if starts else start
    right = end
    for m in _TOKEN.finditer(text, end):
        if spare - before <= 0:
            break
        right = m.end()
        spare -= 1
    if not _TOKEN.search(text, right):
        right = len(text)
    return left, right


def make_snippet(fields: Sequence[str | None], terms: Sequence[str], *,
                 words: int = SNIPPET_WORDS) -> str | None:
    """The best passage of ``fields`` (tried in order; the first with the most
    distinct terms wins) as safe HTML, or None when no term occurs."""
    pattern = _compile(tuple(terms))
    if pattern is None:
        return None
    width = words * 6
    best: tuple[str, list[tuple[int, int, str]], tuple[int, int, int]] | None = None
    for text in fields:
        if not text:
            continue
        matches, window = _scan(text, pattern, width)
        if matches and (best is None or window[2] > best[2][2]):
            best = (text, matches, window)
            if window[2] == len(pattern.groupindex):
                break  # no later field can hold more terms
    if best is None:
        return None
    text, matches, (lo, hi, _n) = best
    left, right = _expand(text, matches[lo][0], matches[hi][1], words)
    out: list[str] = ["…"] if left > 0 else []
    pos = left
    # The scan may have stopped at the window's last match: mark from a fresh one.
    for m in pattern.finditer(text, matches[lo][0]):
        start, end = m.span()
        if start >= right:
            break
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:max(pos, right)]))
    if right < len(text):
        out.append("…")
    return _SPACE.sub(" ", "".join(out)).strip()
