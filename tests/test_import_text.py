"""The ``ao3-text`` and ``text`` importers on page copies and files written for these tests.

Every story sentence below was written for this file; the page chrome mirrors
what a browser copies from an AO3 work page.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252" to make mojibake with)
import pytest

from conftest import FANFIC, SHARED, need_shared
from ficshelf.errors import MalformedFile
from ficshelf.importers import ao3_text, detect, parse_bytes, plaintext
from ficshelf.importers._htmltext import element_to_text, parse_html
from ficshelf.model import ArchiveWarning, Category, Rating, SeriesRef, Stats
from ficshelf.text import SCENE_BREAK

# --- a chapter page, copied with every bit of chrome (blank-line paragraphs) ----------------

CHAPTER_PAGE = """\
Actions

Entire Work

← Previous Chapter

Next Chapter →

Chapter Index

1. Fog 2. The Lamp 3. Morning

Full-Page Index

Comments

Share

Download

AZW3

EPUB

MOBI

PDF

HTML

Work Header

Rating:

Teen And Up Audiences

Archive Warning:

No Archive Warnings Apply

Category:

Gen

Fandom:

Sherlock Holmes - Arthur Conan Doyle

Characters:

Sherlock Holmes

John Watson

Mrs. Hudson

Additional Tags:

Fog

Rain

Tea, Lamplight

Language:

English

Series:

← Previous Work Part 2 of Baker Street Weather Next Work →

Stats:

Published:

2021-03-01

Updated:

2021-04-11

Words:

2,310

Chapters:

2/3

Comments:

4

Kudos:

57

Bookmarks:

3

Hits:

812

The Lamp in the Window

lanternjaw

Chapter 2: The Lamp

Summary:

Watson keeps a lamp lit for someone who is late.

Notes:

Thank you for reading the first part!

(See the end of the chapter for more notes.)

Chapter Text

The lamp had been burning since six, and the oil was low.

Watson trimmed the wick twice, and twice told himself that he was not waiting.
He was reading. The book lay open on his knee at the same page it had shown an hour before.



At a quarter past eleven the street door banged.

"You kept it lit," said Holmes from the stair, shaking rain from his hat.

"The room was dark," said Watson. "That is all."

Notes:

Next chapter on Sunday, weather permitting.

Actions

↑ Top

← Previous Chapter

Next Chapter →

Comments (4)

Kudos

someone_kind, another_reader, and 12 more users as well as 40 guests left kudos on this work!

Comments

Post Comment

Note:

All fields are required. Your email address will not be published.

Guest name

Guest email

Comment

10000 characters left
"""


def _parse(text: str, name: str = "page.txt") -> object:
    return ao3_text.parse(text.encode("utf-8"), filename=name)


def test_chapter_page_metadata() -> None:
    work = ao3_text.parse(CHAPTER_PAGE.encode(), filename="lamp.txt")
    assert work.title == "The Lamp in the Window"
    assert work.authors == ("lanternjaw",)
    t = work.tags
    assert t.rating is Rating.TEEN
    assert t.warnings == (ArchiveWarning.NONE_APPLY,)
    assert t.categories == (Category.GEN,)
    assert t.fandoms == ("Sherlock Holmes - Arthur Conan Doyle",)
    assert t.characters == ("Sherlock Holmes", "John Watson", "Mrs. Hudson")
    assert t.freeforms == ("Fog", "Rain", "Tea", "Lamplight")
    assert work.language == "English"
    assert work.series == (SeriesRef(title="Baker Street Weather", part=2),)
    assert (work.published, work.updated) == (dt.date(2021, 3, 1), dt.date(2021, 4, 11))
    assert (work.words, work.chapter_count, work.chapters_expected, work.complete) == (2310, 2, 3, False)
    assert work.stats == Stats(kudos=57, hits=812, bookmarks=3, comments=4)
    assert work.summary is None  # the summary on a chapter page is the chapter's


def test_chapter_page_chapter_and_notes() -> None:
    work = ao3_text.parse(CHAPTER_PAGE.encode(), filename="lamp.txt")
    [ch] = work.chapters
    assert (ch.number, ch.title) == (2, "The Lamp")
    assert ch.summary == "Watson keeps a lamp lit for someone who is late."
    assert ch.notes == "Thank you for reading the first part!"
    assert ch.end_notes == "Next chapter on Sunday, weather permitting."
    assert work.end_notes is None
    paras = ch.text.split("\n\n")
    assert paras[0] == "The lamp had been burning since six, and the oil was low."
    assert paras[1].count("\n") == 1  # a line break inside a paragraph stays a line break
    assert paras[2] == SCENE_BREAK  # an empty paragraph (three blank lines)
    assert paras[-1] == '"The room was dark," said Watson. "That is all."'
    for chrome in ("Actions", "Kudos", "Comments (4)", "Post Comment", "Notes:", "Chapter Text"):
        assert chrome not in ch.text


# --- a whole work copied, paragraphs on single lines, labels with values on the same line ------

ENTIRE_WORK = """\
Work Header
Rating: Mature
Archive Warning: Graphic Depictions Of Violence, Major Character Death
Category: F/M, Multi
Fandom: Original Work
Relationship: Captain Ysolde Marr/The Navigator, Ysolde Marr & Quartermaster Bell
Characters: Ysolde Marr, The Navigator, Quartermaster Bell
Additional Tags: Ships, Storms, Found Family, Ambiguous Ending
Language: English
Stats: Published: 2022-08-09 Completed: 2022-09-30 Words: 1,020 Chapters: 2/2 Kudos: 9 Hits: 120
Salt and Compass
tidewriter, second_mate
Summary:
A ship, a storm, and a map that keeps changing.
It is mostly about the map.
Notes:
This began as a dare.
(See the end of the work for more notes.)
Chapter Management
Edit Chapter
Chapter 1: The Chart
Chapter Text
"The sea does not keep promises. Only maps do, and only sometimes."
— a saying on the lower decks
The chart on the captain's table had a new island on it every morning, drawn in a hand nobody aboard admitted to.
Ysolde studied it over cold coffee and decided, as she did every morning, to sail around it.
~
By noon the island was real, and the navigator was smiling.
Notes:
The saying is mine; blame me.
Chapter 2: The Storm
Summary:
Weather, finally.
Chapter Text
The storm came up from the south like a door slammed in a far room.
***
When it passed, the new island was gone from the chart, and so was the navigator.
Bell swore she heard someone whistling below the waterline.
Chapter End Notes:
Thanks for sailing along.
End Notes:
A longer sequel may happen, one day.
Actions
Kudos (9)
Bookmark
Comments (2)
"""


def test_entire_work_with_single_newline_paragraphs() -> None:
    work = ao3_text.parse(ENTIRE_WORK.encode(), filename="salt.txt")
    assert work.title == "Salt and Compass"
    assert work.authors == ("tidewriter", "second_mate")
    assert work.summary == "A ship, a storm, and a map that keeps changing.\n\nIt is mostly about the map."
    assert work.notes == "This began as a dare."
    assert work.end_notes == "A longer sequel may happen, one day."
    t = work.tags
    assert t.rating is Rating.MATURE
    assert t.warnings == (ArchiveWarning.VIOLENCE, ArchiveWarning.MAJOR_CHARACTER_DEATH)
    assert t.categories == (Category.FM, Category.MULTI)
    assert t.relationships == ("Captain Ysolde Marr/The Navigator", "Ysolde Marr & Quartermaster Bell")
    assert work.complete is True and work.updated == dt.date(2022, 9, 30)
    one, two = work.chapters
    assert [(c.number, c.title) for c in work.chapters] == [(1, "The Chart"), (2, "The Storm")]
    # the epigraph belongs to the text; each line is its own paragraph; "~" is kept as written
    p1 = one.text.split("\n\n")
    assert p1[0].startswith('"The sea does not keep promises.')
    assert p1[1] == "— a saying on the lower decks"
    assert "~" in p1 and SCENE_BREAK not in p1
    assert p1[-1] == "By noon the island was real, and the navigator was smiling."
    assert one.end_notes == "The saying is mine; blame me."
    assert two.summary == "Weather, finally."
    p2 = two.text.split("\n\n")
    assert p2[1] == "***"
    assert p2[-1] == "Bell swore she heard someone whistling below the waterline."
    assert two.end_notes == "Thanks for sailing along."
    for chrome in ("Chapter Management", "Edit Chapter", "Kudos (9)", "Bookmark"):
        assert chrome not in work.full_text


# --- only the work text, tags on the same line, no stats -------------------------------------

WORK_TEXT_ONLY = """\
Rating: General Audiences
Fandom: Original Work
Language: English
Seven Kinds of Quiet
by hushmoth

Work Text:

The first kind of quiet is the house before anyone wakes.


The second is a tea cup set down very carefully.

The third is harder to describe.
"""


def test_work_text_only_with_same_line_tags_and_byline() -> None:
    work = ao3_text.parse(WORK_TEXT_ONLY.encode(), filename="quiet.txt")
    assert work.title == "Seven Kinds of Quiet"
    assert work.authors == ("hushmoth",)
    assert work.tags.rating is Rating.GENERAL and work.language == "English"
    [ch] = work.chapters
    # two blank lines between blank-line paragraphs: a stray gap, not a scene break
    assert ch.text.split("\n\n") == [
        "The first kind of quiet is the house before anyone wakes.",
        "The second is a tea cup set down very carefully.",
        "The third is harder to describe.",
    ]


def test_single_newline_text_blank_line_is_a_scene_break() -> None:
    text = "Work Text:\n" + "\n".join(
        [
            "A long first paragraph that goes on for a while, as copied paragraphs do when they are one line.",
            "A second paragraph, also long enough to look like prose rather than a line of verse in a poem.",
            "",
            "After the break the story picks up again with another long paragraph of ordinary prose here.",
            "And a closing paragraph that is long as well, so that the copy reads as one line per paragraph.",
        ]
    )
    work = ao3_text.parse(text.encode(), filename="x.txt")
    assert work.chapters[0].text.split("\n\n")[2] == SCENE_BREAK
    assert len(work.chapters[0].text.split("\n\n")) == 5


def test_a_story_line_that_looks_like_a_button_is_kept() -> None:
    text = "Work Text:\n\nShe hovered over the button.\n\nShare\n\nShe did not press it, and went to bed.\n"
    work = ao3_text.parse(text.encode(), filename="x.txt")
    assert "Share" in work.chapters[0].text.split("\n\n")
    assert work.chapters[0].text.endswith("went to bed.")


def test_ao3_text_without_work_text_is_malformed() -> None:
    with pytest.raises(MalformedFile, match="Work Text"):
        ao3_text.parse(b"Work Header\n\nA Title\n\nWork Text:\n\nActions\n\nKudos (2)\n", filename="x.txt")


# --- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [CHAPTER_PAGE, ENTIRE_WORK, WORK_TEXT_ONLY])
def test_sniff_takes_ao3_page_text(text: str) -> None:
    assert ao3_text.sniff(text.encode(), filename="a.txt")
    assert detect(text.encode(), filename="a.txt") == "ao3-text"


@pytest.mark.parametrize(
    "text",
    [
        "Rain on the Roof\n\nIt rained. Rating: none of your business.\n",
        "---\ntitle: A\nrating: Mature\n---\n\nWork Text:\n\nStill markdown.\n",
        "<html><body><p>Work Text:</p></body></html>",
        "Rating: Mature\nArchive Warning: No Archive Warnings Apply\n\nJust a header, no stats.\n",
    ],
)
def test_sniff_leaves_other_text_alone(text: str) -> None:
    assert not ao3_text.sniff(text.encode(), filename="a.txt")


# --- plain text and Markdown -------------------------------------------------------------------

MARKDOWN = """\
---
title: "The Orchard Keeper: A Winter Story"
authors: [pipandpear, Wren Ash]
fandom: Original Work
rating: General Audiences
warnings: No Archive Warnings Apply
categories: Gen
relationships:
  - Oda & Tamsin
characters: [Oda, Tamsin]
tags: Orchards, Winter, Grandparents
language: English
series: Part 1 of Four Seasons
published: 2024-01-15
summary: |
  An old woman teaches her grandchild to prune trees.

  Nobody is in a hurry.
notes: Written on a train.
---

# The Orchard Keeper: A Winter Story

## Cold Hands

Oda pruned the *oldest* tree first, because it complained the least.

Tamsin held the ladder and __counted__ the cuts out loud.



By dusk the pile of branches was taller than the child.

## Thaw

* * *

The buds came in March, as Oda had promised.
"""


def test_markdown_front_matter_and_chapters() -> None:
    work = plaintext.parse(MARKDOWN.encode(), filename="orchard.md")
    assert work.title == "The Orchard Keeper: A Winter Story"
    assert work.authors == ("pipandpear", "Wren Ash")
    t = work.tags
    assert t.fandoms == ("Original Work",) and t.rating is Rating.GENERAL
    assert t.warnings == (ArchiveWarning.NONE_APPLY,) and t.categories == (Category.GEN,)
    assert t.relationships == ("Oda & Tamsin",)
    assert t.characters == ("Oda", "Tamsin")
    assert t.freeforms == ("Orchards", "Winter", "Grandparents")
    assert work.language == "English"
    assert work.series == (SeriesRef(title="Four Seasons", part=1),)
    assert work.published == dt.date(2024, 1, 15)
    assert work.summary == "An old woman teaches her grandchild to prune trees.\n\nNobody is in a hurry."
    assert work.notes == "Written on a train."
    assert work.source_format == "markdown"
    one, two = work.chapters
    assert (one.title, two.title) == ("Cold Hands", "Thaw")
    assert one.text.split("\n\n") == [
        "Oda pruned the *oldest* tree first, because it complained the least.",  # emphasis kept
        "Tamsin held the ladder and __counted__ the cuts out loud.",
        SCENE_BREAK,  # two or more blank lines in a hand-written file
        "By dusk the pile of branches was taller than the child.",
    ]
    assert two.text == "The buds came in March, as Oda had promised."  # a leading break is dropped


def test_plain_text_header_lines_and_chapter_lines() -> None:
    text = (
        "Title: Lantern Street\nAuthor: mossgate\nFandom: Original Work\nRating: Teen\n"
        "Tags: Ghosts, Cozy\n\nChapter One: The Shop\n\nThe shop sold lanterns and nothing else.\n\n"
        "Chapter Two\n\nThe ghost bought one.\n"
    )
    work = plaintext.parse(text.encode(), filename="lantern.txt")
    assert work.title == "Lantern Street" and work.authors == ("mossgate",)
    assert work.tags.rating is Rating.TEEN and work.tags.freeforms == ("Ghosts", "Cozy")
    assert [(c.number, c.title, c.text) for c in work.chapters] == [
        (1, "The Shop", "The shop sold lanterns and nothing else."),
        (2, None, "The ghost bought one."),
    ]
    assert work.source_format == "text"


def test_heading_title_byline_and_first_short_line() -> None:
    md = plaintext.parse(b"# Paper Boats\n\nby fold_and_float\n\nThey sank, mostly.\n", filename="b.md")
    assert (md.title, md.authors, md.chapters[0].text) == ("Paper Boats", ("fold_and_float",), "They sank, mostly.")
    txt = plaintext.parse(b"Paper Boats\n\nThey sank, mostly.\n\nOne did not.\n", filename="b.txt")
    assert txt.title == "Paper Boats"
    assert txt.chapters[0].text == "They sank, mostly.\n\nOne did not."


def test_title_line_right_over_its_byline() -> None:
    """The usual head of a saved story: the title, then "by Author" on the next line."""
    work = plaintext.parse(b"The Long Road\nby Wenna Marsh\n\nIt rained.\n\nPell walked.\n",
                           filename="road.txt")
    assert (work.title, work.authors) == ("The Long Road", ("Wenna Marsh",))
    assert work.chapters[0].text == "It rained.\n\nPell walked."
    # hard-wrapped prose whose second line starts with "by" is the story, not a title
    prose = plaintext.parse(b"Ann walked home\nby the river and over the bridge\nto the mill.\n\n"
                            b"It rained.\n", filename="mill.txt")
    assert prose.title == "mill" and prose.authors == ()
    assert prose.chapters[0].text.startswith("Ann walked home")


def test_a_first_line_of_dialogue_is_no_title() -> None:
    text = 'Mirei said it first. "You\'re late again."\n\nHaru shrugged.\n'
    work = plaintext.parse(text.encode(), filename="late.txt")
    assert work.title == "late"
    assert work.chapters[0].text.startswith("Mirei said it first.")


def test_untitled_reader_insert_takes_the_file_name() -> None:
    text = (
        "You wake up before the alarm, which has never happened once in your life.\n\n"
        '"Y/N," he calls from the kitchen, "the kettle is on."\n\n'
        "You decide that today, you will not be late.\n"
    )
    work = plaintext.parse(text.encode(), filename="/tmp/kettle_morning.txt")
    assert work.title == "kettle morning"
    assert work.chapters[0].text.startswith("You wake up before the alarm")
    assert len(work.chapters[0].text.split("\n\n")) == 3


_STORY = "Café “Noël”\n\nShe ordered crème brûlée, naïvely.\n"


@pytest.mark.parametrize(
    "data",
    [
        _STORY.encode("utf-8"),
        codecs.BOM_UTF8 + _STORY.encode("utf-8"),
        _STORY.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + _STORY.encode("utf-16-be"),
        _STORY.encode("cp1252"),
        _STORY.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"),  # mojibake
        _STORY.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16be-bom", "cp1252", "mojibake", "crlf"],
)
def test_encodings(data: bytes) -> None:
    work = parse_bytes(data, filename="cafe.txt")
    assert work.title == "Café “Noël”"
    assert work.chapters[0].text == "She ordered crème brûlée, naïvely."


def test_plaintext_sniff() -> None:
    assert plaintext.sniff(b"Anything readable.", filename="a.txt")
    assert plaintext.sniff(b"Anything readable.", filename="")
    assert not plaintext.sniff(b"<!DOCTYPE html><html><body>x</body></html>", filename="a.txt")
    assert not plaintext.sniff(b"Readable", filename="a.epub")
    assert not plaintext.sniff(bytes(range(256)) * 4, filename="a.txt")
    assert detect(MARKDOWN.encode(), filename="orchard.md") == "text"


def test_empty_text_is_malformed() -> None:
    with pytest.raises(MalformedFile, match="no text"):
        plaintext.parse(b" \n\n \n", filename="empty.txt")


# --- simulated copies of real saved AO3 pages (development split only) -----------------------


def _dev_single_page_works() -> list[tuple[dict[str, object], Path]]:
    splits = need_shared(SHARED / "corpus" / "splits.json")
    dev = set(json.loads(splits.read_text(encoding="utf-8"))["fanfic"]["dev"])
    manifest = need_shared(FANFIC / "raw" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    raw_by_source = {(cols[1], cols[2]): FANFIC / "raw" / cols[0] for cols in (ln.split("\t") for ln in manifest)}
    out = []
    for line in (FANFIC / "works.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if not row or row["id"] not in dev or row.get("format") != "ao3_work_page":
            continue
        sources = row.get("source_paths") or [row["source_path"]]
        raw = raw_by_source.get((row["source_repo"], sources[0]))
        if len(sources) == 1 and raw is not None and raw.suffix == ".html":
            out.append((row, raw))
    return out


def test_simulated_copies_of_saved_dev_pages() -> None:
    """Each saved AO3 page (dev split) rendered to text the way a browser copies it (landmark
    headings included, blocks on their own lines) imports with the page's metadata and text length."""
    works = _dev_single_page_works()
    assert len(works) >= 10
    for row, raw in works:
        doc = parse_html(raw.read_bytes())
        body = doc.find("body")
        copied = element_to_text(body if body is not None else doc).encode("utf-8")
        assert ao3_text.sniff(copied[:65536], filename="copy.txt"), row["id"]
        work = ao3_text.parse(copied, filename="copy.txt")
        assert work.title == row["title"], row["id"]
        assert list(work.authors) == row["authors"], row["id"]
        assert (work.tags.rating.value if work.tags.rating else None) == row["rating"], row["id"]
        for kind in ("fandoms", "relationships", "characters", "freeforms"):
            assert list(getattr(work.tags, kind)) == row[kind], (row["id"], kind)
        words = int(str(row["text_words"]))
        assert abs(work.text_words - words) <= 0.02 * words, (row["id"], work.text_words, words)


_REPAIR_CASES = [
    "Plain prose, nothing to fix.\nA second line.",
    "Don’t go where I can’t follow.".encode().decode("sloppy-windows-1252"),
    "Café, naïve, Zoë".encode().decode("latin-1"),
    "Don’t".encode().decode("mac_roman"),
    "a\x00b\x07c \x1b[31mred\x1b[0m \ufeffbom \u206aformat",
    "nbsp\xa0here and C1 \x85 \x93quoted\x94",
    "line\u2028break\u2029para",
    "Привет, мир — Ελληνικά",
    "ok line\nbad line: â€œquotedâ€\u009d\nok again",
    "replacement \ufffd and lossy \ufffd\ufffd",
]


@pytest.mark.parametrize("text", _REPAIR_CASES)
def test_repair_is_ftfy_on_every_line_that_needs_it(text: str) -> None:
    import ftfy

    from ficshelf.importers._textlines import ftfy_config, repair

    assert repair(text) == ftfy.fix_text(text, ftfy_config())


def test_repair_is_ftfy_on_the_corpus_texts() -> None:
    import ftfy

    from ficshelf.importers._textlines import ftfy_config, repair

    need_shared(FANFIC / "works.jsonl")
    checked = 0
    with (FANFIC / "works.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            text = str(json.loads(line).get("text") or "")
            if text:
                assert repair(text) == ftfy.fix_text(text, ftfy_config())
                checked += 1
    assert checked >= 10


def test_authors_notes_and_disclaimers_in_the_text_are_notes() -> None:
    """A story saved from a site that puts the author's notes in the chapter text:
    the notes are the work's or the chapter's notes, not the story (nothing is lost)."""
    one = (
        "Disclaimer: I don't own the lighthouse. The sea does.\n\n"
        "A/N: My first story, please be kind!!\n\n~*~*~\n\n"
        "Oda lit the lamp at dusk.\n\nThe ships came in.\n\n~*~*~\n\n"
        "A/N: Should I write more?? Let me know!\n\nAlso thanks to my beta."
    )
    work = plaintext.parse(one.encode(), filename="lamp.txt")
    assert work.notes == ("Disclaimer: I don't own the lighthouse. The sea does.\n\n"
                          "My first story, please be kind!!")
    assert work.chapters[0].text == "Oda lit the lamp at dusk.\n\nThe ships came in."
    # a plain "A/N:" label goes, as it does under a title; "Disclaimer:" is what it says
    assert work.end_notes == "Should I write more?? Let me know!\n\nAlso thanks to my beta."
    assert work.with_defaults().words == 10
    many = (
        "The Lamp\n\nChapter 1\n\n(A/N: thanks for reading!)\n\nOda lit the lamp.\n\n"
        "The ships came in.\n\nChapter 2\n\nThe storm broke.\n\nOda's note said A/N: nothing.\n\n"
        "**Author's Note:** the end, sorry it was short.\n\n"
        "Chapter 3\n\nA/N: no chapter this week, sorry!\n"
    )
    work = plaintext.parse(many.encode(), filename="lamp.txt")
    first, second, third = work.chapters
    assert (first.notes, first.text, first.end_notes) == (
        "(A/N: thanks for reading!)", "Oda lit the lamp.\n\nThe ships came in.", None)
    assert (second.notes, second.text, second.end_notes) == (
        None, "The storm broke.\n\nOda's note said A/N: nothing.",
        "**Author's Note:** the end, sorry it was short.")
    # a chapter that is only a note stays a chapter with its text
    assert (third.notes, third.text) == (None, "A/N: no chapter this week, sorry!")
