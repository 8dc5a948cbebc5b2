"""The four seed works (text copied from AO3 work pages) against ``seeds/gold.json``.

Expected starts and ends are derived here from each file itself (the line after
its last "Work Text:"/"Chapter Text" landmark, its last line that is not page
chrome), never pasted from the stories, which belong to their authors.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS, need_shared
from ficshelf.importers import detect, parse_path
from ficshelf.importers._textlines import title_from_filename
from ficshelf.model import Work
from ficshelf.text import SCENE_BREAK, fold_for_match, is_scene_break, paragraphs

GOLD = SEEDS / "gold.json"
_NAMES = sorted(json.loads(GOLD.read_text(encoding="utf-8"))["works"]) if GOLD.exists() else ["(no seeds)"]

# Footer words a copied AO3 page may end with; none is part of a story.
_CHROME_END = re.compile(r"^(?:Actions|↑ Top|Kudos.*|Comments.*|Bookmark|Share|Leave Kudos|.*left kudos.*)$")
_LANDMARK = re.compile(r"^(?:Work Text:|Chapter Text)\s*$")


@cache
def _gold() -> dict[str, Any]:
    works: dict[str, Any] = json.loads(need_shared(GOLD).read_text(encoding="utf-8"))["works"]
    return works


@cache
def _work(name: str) -> Work:
    return parse_path(need_shared(SEEDS / name))


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in (SEEDS / name).read_text(encoding="utf-8").splitlines()]


def _words(s: str) -> list[str]:
    return s.split()


@pytest.mark.parametrize("name", _NAMES)
def test_seed_is_sniffed_as_ao3_page_text(name: str) -> None:
    path = need_shared(SEEDS / name)
    assert detect(path.read_bytes(), filename=str(path)) == "ao3-text"


@pytest.mark.parametrize("name", _NAMES)
def test_seed_title_summary_and_chapter_titles(name: str) -> None:
    gold, work = _gold()[name], _work(name)
    if gold["title"] is None:
        # no title in the text: the file name stands in, and no line of the text was taken for one
        assert work.title == title_from_filename(name)
        assert work.title not in _lines(name)
    else:
        assert work.title == gold["title"]
    assert work.summary == gold["summary"]
    assert [c.title for c in work.chapters] == [c["title"] for c in gold["chapters"]]
    assert work.source_format == "ao3-text"


@pytest.mark.parametrize("name", _NAMES)
def test_seed_text_starts_and_ends_where_the_work_does(name: str) -> None:
    work = _work(name)
    lines = _lines(name)
    landmarks = [i for i, ln in enumerate(lines) if _LANDMARK.match(ln)]
    assert landmarks, "every seed has a Work Text:/Chapter Text landmark"
    first = next(ln for ln in lines[landmarks[-1] + 1 :] if ln)
    last = next(ln for ln in reversed(lines) if ln and not _CHROME_END.match(ln))
    text_start = work.chapters[0].text
    text_end = work.chapters[-1].text
    head, tail = _words(first)[:12], _words(last)[-12:]
    assert _words(text_start)[: len(head)] == head
    assert _words(text_end)[-len(tail) :] == tail
    for chrome in ("Work Header", "Work Text:", "Chapter Text", "Summary:"):
        assert chrome not in work.full_text.splitlines()


@pytest.mark.parametrize("name", _NAMES)
def test_seed_word_count_is_near_gold(name: str) -> None:
    gold, work = _gold()[name], _work(name)
    approx = gold["words_approx"]
    assert abs(work.text_words - approx) <= 0.05 * approx, (work.text_words, approx)


def _blank_runs(lines: list[str]) -> list[int]:
    runs, n, started = [], 0, False
    for ln in lines:
        if ln:
            if started and n:
                runs.append(n)
            started, n = True, 0
        else:
            n += 1
    return runs


@pytest.mark.parametrize("name", _NAMES)
def test_seed_paragraphs_follow_the_model_convention(name: str) -> None:
    work = _work(name)
    lines = _lines(name)
    start = max(i for i, ln in enumerate(lines) if _LANDMARK.match(ln)) + 1
    body = lines[start:]
    text = work.chapters[-1].text
    assert "\n\n\n" not in text and not text.startswith("\n") and not text.endswith("\n")
    paras = paragraphs(text)
    breaks = [p for p in paras if is_scene_break(p)]
    runs = _blank_runs(body)
    if not runs:
        # one paragraph per line, no blank line anywhere: every line is a paragraph, no scene breaks
        assert len(paras) == sum(1 for ln in body if ln)
        assert not breaks
    else:
        # a blank line between paragraphs; an empty paragraph (3+ blank lines) is a scene break,
        # a stray double blank (a lost line or a trailing <br>) is not
        assert len(breaks) == sum(1 for r in runs if r >= 3)
        assert all(p == SCENE_BREAK for p in breaks)


def test_a_seed_with_double_blank_gaps_keeps_them_as_plain_paragraph_breaks() -> None:
    name = "000_a48cddb19a27db49.txt"
    need_shared(SEEDS / name)
    lines = _lines(name)
    assert 2 in _blank_runs(lines), "this seed has 2-line gaps mid-dialogue; the check below needs one"
    work = _work(name)
    # the paragraph before each 2-line gap is followed by an ordinary paragraph, not a break
    body_paras = paragraphs(work.chapters[0].text)
    for i, ln in enumerate(lines[:-3]):
        if ln and not lines[i + 1] and not lines[i + 2] and lines[i + 3]:
            k = next(j for j, p in enumerate(body_paras) if p.startswith(ln[:40]))
            assert not is_scene_break(body_paras[k + 1])


def test_seed_title_with_curly_quote_is_kept_but_found_by_plain_search() -> None:
    name = "003_567d664ef21af73c.txt"
    need_shared(SEEDS / name)
    work = _work(name)
    assert work.title == _gold()[name]["title"]  # kept as written
    key = fold_for_match(work.title)
    assert "dont go where" in key
    assert fold_for_match("don't go where") in key


def test_seeds_parse_from_paths(tmp_path: Path) -> None:
    """A seed copied under another name keeps its own title (it comes from the text, not the name)."""
    name = "001_862e91b8e47b5736.txt"
    need_shared(SEEDS / name)
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(need_shared(SEEDS / name).read_bytes())
    assert parse_path(copy).title == _gold()[name]["title"]
