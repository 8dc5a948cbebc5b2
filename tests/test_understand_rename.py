"""Names are found by how the text uses them, not from a list: replace every name of a
story's characters with invented ones, consistently, and the same cast and POV come out."""

from __future__ import annotations

import re

from conftest import SEEDS, need_shared
from ficshelf.importers import parse_path
from ficshelf.model import Chapter, Work
from ficshelf.understand import Analysis, analyze
from test_understand_characters import FIRST, HALES, PELLOWS, READER

_CONSONANTS = "bcdfgjlmnpqrstvwxz"
_SHIFTED = "zxwvtsrqpnmljgfdcb"  # a fixed permutation; "h", "k" and "y" stay (nickname endings)
_TABLE = str.maketrans(_CONSONANTS + _CONSONANTS.upper(), _SHIFTED + _SHIFTED.upper())


def invent(name: str) -> str:
    """The same letters' shapes, other consonants: "Jory Hale" -> "Nodh Hamy"-like."""
    return name.translate(_TABLE)


def _name_words(a: Analysis) -> set[str]:
    words: set[str] = set()
    for c in a.characters:
        if c.name in ("Reader", "Narrator"):
            continue
        for alias in (c.name, *c.aliases):
            words.update(w for w in re.findall(r"[^\W\d_][\w'’-]*", alias)
                         if w[:1].isupper() and w not in {"Mr", "Mrs", "Miss", "Ms", "Dr"})
    return words


def _pattern(words: set[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])(" + "|".join(
        re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w])")


def _rename_text(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: invent(m.group(1)), text)


def _rename(work: Work, pattern: re.Pattern[str]) -> Work:
    return Work(title=work.title, chapters=tuple(
        Chapter(number=c.number, text=_rename_text(c.text, pattern)) for c in work.chapters))


def _mains(a: Analysis) -> list[str]:
    return [c.name for c in a.characters if c.role == "main"]


def _same_cast(work: Work) -> None:
    before = analyze(work)
    words = _name_words(before)
    assert words
    pattern = _pattern(words)
    renamed = _rename(work, pattern)
    assert all(invent(w) != w for w in words if len(set(w.lower()) - set("aeiouhky")) > 0)
    after = analyze(renamed)
    assert before.pov is not None and after.pov is not None
    assert (after.pov.person, after.pov.reader_insert) == (before.pov.person, before.pov.reader_insert)
    expected = {_rename_text(n, pattern) for n in _mains(before)}
    got = set()
    for c in after.characters:
        if c.role == "main":
            got |= {c.name, *c.aliases}
    assert expected <= got, (expected, _mains(after))
    assert len(_mains(after)) == len(_mains(before))


def test_invented_names_keep_the_cast_of_written_stories() -> None:
    # (not NICKNAMES: "Jim" for "James" comes from the nickname list, and no invented
    # pair of names can keep that tie)
    for text in (HALES, PELLOWS, READER, FIRST):
        _same_cast(Work(title="t", chapters=(Chapter(number=1, text=text),)))


def test_invented_names_keep_the_cast_of_the_seeds() -> None:
    for path in sorted(need_shared(SEEDS).glob("*.txt")):
        _same_cast(parse_path(path))
