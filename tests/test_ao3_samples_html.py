"""Every HTML file in ../shared/corpus/ao3-samples imports with its metadata or raises its own error.

The expected values are what each file shows (its tag block, byline, stats and
chapter headings); the stories stay in ../shared and are only read from there.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest

from conftest import SAMPLES, need_shared
from ficshelf.errors import (
    AdultContentGate,
    ChapterIndexPage,
    ListingPage,
    LoginRequired,
    NotAWork,
    SeriesPage,
)
from ficshelf.importers import detect, parse_bytes
from ficshelf.model import Rating, SeriesRef, Work
from ficshelf.text import SCENE_BREAK, count_words, paragraphs

NOT_WORKS: dict[str, type[NotAWork]] = {
    "nianeyna-explicitWorkLoggedOut.html": AdultContentGate,
    "nianeyna-lockedWorkLoggedOut.html": LoginRequired,
    "FujoWebDev-tags-Sherlock_Holmes-works.html": ListingPage,
    "FujoWebDev-series-2270465-index.html": SeriesPage,
    "FujoWebDev-works-43703871-navigate.html": ChapterIndexPage,
}

# file -> fields as the file shows them. "chapters": (number, title) of the chapters present.
WORKS: dict[str, dict[str, Any]] = {
    "FujoWebDev-works-168768-index.html": dict(
        title="Fill", authors=("Anonymous",), rating=Rating.TEEN, fandoms=("Homestuck",),
        chapters=[(1, None)], counts=(1, 1, 447), ao3_id="168768", source_format="ao3-page"),
    "FujoWebDev-works-17793689-index.html": dict(
        title="Nobody Expects the Dragon Age Inquisition", authors=("enigmalea",), rating=Rating.MATURE,
        chapters=[(1, "The Guild")], counts=(14, None, 70561), ao3_id="17793689",
        series=(SeriesRef(title="Thedas Unveiled", part=1, ao3_id="1285256"),)),
    "FujoWebDev-works-17793689-chapters-42035519.html": dict(
        title="Nobody Expects the Dragon Age Inquisition", authors=("enigmalea",),
        chapters=[(2, "The College of Enchanters: New Haven")], counts=(14, None, 70561), ao3_id="17793689",
        series=(SeriesRef(title="Thedas Unveiled", part=1, ao3_id="1285256"),)),
    "FujoWebDev-works-23824891-index.html": dict(
        title="Sister Dearest", authors=("Anonymous (orphan_account)", "Butterfly_Dream", "orphan_account"),
        rating=Rating.EXPLICIT, chapters=[(1, "Sister Dearest")], counts=(3, 3, 19312), ao3_id="23824891"),
    "FujoWebDev-works-29046888-index.html": dict(
        title="waiting//wishing", authors=("KBstories",),
        fandoms=("僕のヒーローアカデミア | Boku no Hero Academia | My Hero Academia",),
        chapters=[(1, "Plans")], counts=(7, 7, 36352), ao3_id="29046888",
        series=(SeriesRef(title="first impressions", part=2, ao3_id="2126586"),)),
    "FujoWebDev-works-4491333-index.html": dict(
        title="[VID] Drop Dead Gorgeous", authors=("astolat",), fandoms=("Smallville",),
        chapters=[(1, None)], counts=(1, 1, 6), ao3_id="4491333",
        series=(SeriesRef(title="Astolat Vids", part=11, ao3_id="298827"),
                SeriesRef(title="Smallville works", part=8, ao3_id="303489"))),
    "nianeyna-htmlTest.html": dict(
        title="My Aim Is Steady And True", authors=("nianeyna",), rating=Rating.TEEN,
        fandoms=("Final Fantasy XIV",), chapters=[(1, None)], counts=(1, 1, 4559), ao3_id="23009290",
        source_format="ao3-html", has=("summary", "notes", "end_notes")),
    "nianeyna-unlockedWorkNoSkin.html": dict(
        title="My Aim Is Steady And True", authors=("nianeyna",), rating=Rating.TEEN,
        chapters=[(1, None)], counts=(1, 1, 4559), ao3_id="23009290", source_format="ao3-page",
        has=("summary", "notes", "end_notes")),
    "nianeyna-incompleteWork.html": dict(
        title="Fire and Feather", authors=("nianeyna",), rating=Rating.GENERAL,
        fandoms=("Valdemar Series - Mercedes Lackey",),
        chapters=[(1, "Festival"), (2, "Riversong K'Vala"), (3, "Conversations")], counts=(3, None, 7526),
        ao3_id="218676", has=("summary", "notes", "end_notes")),
    "nianeyna-workInSeries.html": dict(
        title="The World on His Wrist", authors=("bendingsignpost",), fandoms=("Sherlock (TV)",),
        chapters=[(1, "Prologue"), (2, None), (3, "Part 2"), (4, "Part 3"), (5, "Part 4"), (6, "Part 5"),
                  (7, "Part 6"), (8, "Epilogue")],
        counts=(8, 8, 31623), ao3_id="334557",
        series=(SeriesRef(title="Watches 'Verse", part=1, ao3_id="15213"),)),
    "nianeyna-multipleSeries.html": dict(
        title="Permablocking Specific Tags - Site Skin", authors=("Eli0t",), rating=Rating.GENERAL,
        chapters=[(1, None)], counts=(3, 3, 2232), ao3_id="41214669",
        series=(SeriesRef(title="AO3 Skins", part=1, ao3_id="3078150"),
                SeriesRef(title=":has() selector", part=1, ao3_id="3078153"))),
    "nianeyna-unlockedWork.html": dict(
        title="so I open the window to hear sounds of people", authors=("oriflamme",),
        chapters=[(1, None)], counts=(1, 1, 5688), ao3_id="41822007",
        series=(SeriesRef(title="it's about the bones 👌", part=3, ao3_id="3196530"),)),
}

# Lines AO3 puts around a work's text; none may appear as a paragraph of chapter text.
CHROME = {"chapter text", "work text:", "notes:", "summary:", "chapter notes", "chapter end notes",
          "end notes", "chapter summary", "afterword", "preface"}
JUMP = re.compile(r"see the end of the (chapter|work) for", re.I)


def sample_files() -> list[str]:
    if not SAMPLES.exists():
        return sorted(NOT_WORKS) + sorted(WORKS)
    return sorted(p.name for p in SAMPLES.glob("*.html"))


@functools.cache
def load(name: str) -> Work:
    path = need_shared(SAMPLES / name)
    return parse_bytes(path.read_bytes(), filename=str(path))


def test_every_sample_file_has_an_expectation() -> None:
    need_shared(SAMPLES)
    assert set(sample_files()) == set(NOT_WORKS) | set(WORKS)


@pytest.mark.parametrize("name", sample_files())
def test_sample_is_sniffed_as_ao3_html(name: str) -> None:
    data = need_shared(SAMPLES / name).read_bytes()
    assert detect(data, filename=name) == "ao3-html"


@pytest.mark.parametrize("name", sorted(NOT_WORKS))
def test_page_that_is_not_a_work_raises_its_error(name: str) -> None:
    path = need_shared(SAMPLES / name)
    with pytest.raises(NotAWork) as info:
        parse_bytes(path.read_bytes(), filename=str(path))
    assert type(info.value) is NOT_WORKS[name]
    assert str(info.value).startswith(f"{name}: this is ")


@pytest.mark.parametrize("name", sorted(WORKS))
def test_work_metadata_as_the_file_shows_it(name: str) -> None:
    want = WORKS[name]
    work = load(name)
    assert work.title == want["title"]
    assert work.authors == want["authors"]
    if "rating" in want:
        assert work.tags.rating is want["rating"]
    if "fandoms" in want:
        assert work.tags.fandoms == want["fandoms"]
    assert [(c.number, c.title) for c in work.chapters] == want["chapters"]
    assert (work.chapter_count, work.chapters_expected, work.words) == want["counts"]
    assert work.ao3_id == want["ao3_id"]
    assert work.url == f"https://archiveofourown.org/works/{want['ao3_id']}"
    assert work.series == want.get("series", ())
    if "source_format" in want:
        assert work.source_format == want["source_format"]
    for field in want.get("has", ()):
        assert getattr(work, field), f"{field} missing"
    assert work.tags.warnings and work.tags.fandoms and work.language == "English"


@pytest.mark.parametrize("name", sorted(WORKS))
def test_text_starts_and_ends_with_the_work(name: str) -> None:
    work = load(name)
    for chapter in work.chapters:
        paras = paragraphs(chapter.text)
        assert paras, f"chapter {chapter.number} has no text"
        assert paras[0] != SCENE_BREAK and paras[-1] != SCENE_BREAK  # no break from markup at either end
        for p in paras:
            assert p.strip().casefold() not in CHROME, f"chrome {p!r} in chapter {chapter.number}"
        assert not JUMP.search(chapter.text)
        assert chapter.html and "landmark" not in chapter.html


@pytest.mark.parametrize("name", sorted(WORKS))
def test_own_word_count_matches_ao3_when_all_chapters_are_present(name: str) -> None:
    work = load(name)
    assert work.words is not None
    if work.chapter_count == len(work.chapters):
        assert abs(work.text_words - work.words) <= max(2, 0.02 * work.words)
    else:  # a page showing some chapters: its text is part of the work
        assert 0 < work.text_words < work.words


def test_download_and_saved_page_of_one_work_agree() -> None:
    download, page = load("nianeyna-htmlTest.html"), load("nianeyna-unlockedWorkNoSkin.html")
    assert (download.title, download.authors, download.tags) == (page.title, page.authors, page.tags)
    assert (download.summary, download.notes, download.end_notes) == (page.summary, page.notes, page.end_notes)
    assert (download.words, download.published, download.ao3_id) == (page.words, page.published, page.ao3_id)
    assert " ".join(download.full_text.split()) == " ".join(page.full_text.split())
    assert count_words(download.full_text) == count_words(page.full_text)


def test_download_chapter_notes_stay_out_of_the_text() -> None:
    work = load("nianeyna-incompleteWork.html")
    two = work.chapters[1]
    assert two.notes and two.end_notes
    assert two.notes not in two.text and two.end_notes not in two.text
    assert work.end_notes and work.end_notes not in work.full_text

