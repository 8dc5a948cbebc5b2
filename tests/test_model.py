"""The work model: closed sets, merging captures, JSON round trips."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ficshelf.model import (
    ArchiveWarning,
    Category,
    Chapter,
    Rating,
    Stats,
    Tags,
    Work,
    merge_works,
    work_from_dict,
    work_to_dict,
)


def _w(**kw: object) -> Work:
    base: dict[str, object] = {"title": "Tidewater", "chapters": (Chapter(number=1, text="One."),)}
    base.update(kw)
    return Work(**base)  # type: ignore[arg-type]


def test_closed_sets_accept_old_spellings() -> None:
    assert ArchiveWarning.parse("Choose Not To Use Archive Warnings") is ArchiveWarning.CHOSE_NOT_TO_WARN
    assert ArchiveWarning.parse("Underage") is ArchiveWarning.UNDERAGE
    assert Rating.parse("teen and up audiences") is Rating.TEEN
    assert Category.try_parse("Slash") is None


def test_merge_adds_chapters_and_keeps_id() -> None:
    old = _w(id=7, chapter_count=3, chapters=(Chapter(number=1, text="A."),))
    new = _w(chapter_count=3, chapters=(Chapter(number=2, text="B."), Chapter(number=3, text="C.")))
    merged = merge_works(old, new)
    assert merged.id == 7
    assert [c.number for c in merged.chapters] == [1, 2, 3]


def test_merge_keeps_later_capture_metadata_whatever_the_order() -> None:
    early = _w(updated=dt.date(2020, 1, 1), chapter_count=3, words=3000, stats=Stats(kudos=5),
               chapters=(Chapter(number=1, text="A."),))
    late = _w(updated=dt.date(2020, 3, 1), chapter_count=5, words=5000, stats=Stats(kudos=9),
              chapters=(Chapter(number=5, text="E."),))
    for a, b in ((early, late), (late, early)):
        m = merge_works(a, b)
        assert (m.chapter_count, m.words, m.stats.kudos) == (5, 5000, 9)
        assert [c.number for c in m.chapters] == [1, 5]


def test_merge_does_not_drop_tags_when_new_has_none() -> None:
    old = _w(tags=Tags(fandoms=("Harbour Tales",)))
    assert merge_works(old, _w()).tags.fandoms == ("Harbour Tales",)


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)


@given(
    title=_text.filter(str.strip),
    authors=st.lists(_text, max_size=3),
    fandoms=st.lists(_text, max_size=3),
    rating=st.none() | st.sampled_from(list(Rating)),
    warnings=st.lists(st.sampled_from(list(ArchiveWarning)), max_size=3, unique=True),
    texts=st.lists(_text, min_size=1, max_size=4),
    published=st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
)
def test_json_round_trip(title: str, authors: list[str], fandoms: list[str], rating: Rating | None,
                         warnings: list[ArchiveWarning], texts: list[str], published: dt.date | None) -> None:
    work = Work(
        title=title,
        authors=tuple(authors),
        published=published,
        tags=Tags(rating=rating, warnings=tuple(warnings), fandoms=tuple(fandoms)),
        chapters=tuple(Chapter(number=i + 1, text=t, title=f"Part {i}") for i, t in enumerate(texts)),
    )
    assert work_from_dict(work_to_dict(work)) == work


_CJK_SAMPLE = "僕のヒーロー日本語テキストก漢字ｱ"


def _words_by_hand(text: str) -> int:
    """Reference word count: each CJK (or Thai) character is a word, and so is each run
    of other letters, digits or underscores."""
    cjk = {ch for ch in text if ch in _CJK_SAMPLE}
    words, in_word = 0, False
    for ch in text:
        if ch in cjk:
            words, in_word = words + 1, False
        elif ch.isalnum() or ch == "_":
            words, in_word = words + (not in_word), True
        else:
            in_word = False
    return words


@given(st.text(alphabet=st.sampled_from(list("ab é_1 .,;!\n\t") + list(_CJK_SAMPLE)), max_size=60))
def test_word_count_matches_a_count_by_hand(text: str) -> None:
    from ficshelf.text import count_words

    assert count_words(text) == _words_by_hand(text)


_HORIZONTAL = " \t\u00a0\u2003\u200a\u200b\u202f\u205f\u3000"


def _spaces_by_hand(text: str) -> str:
    """Reference: each line's runs of horizontal white space become one space, each
    line is stripped, and so is the whole."""
    lines = []
    for line in text.split("\n"):
        out: list[str] = []
        for ch in line:
            if ch in _HORIZONTAL:
                if not out or out[-1] != " ":
                    out.append(" ")
            else:
                out.append(ch)
        lines.append("".join(out).strip())
    return "\n".join(lines).strip()


@given(st.text(alphabet=st.sampled_from(list(_HORIZONTAL) + list("ab.\n")), max_size=40))
def test_normalize_space_matches_a_rewrite_by_hand(text: str) -> None:
    from ficshelf.text import normalize_space

    assert normalize_space(text) == _spaces_by_hand(text)
