"""Ebook importers: AO3's EPUB/MOBI/AZW3/PDF downloads from ../shared, and EPUBs/PDFs built here.

The AO3 files are read from ../shared/corpus/ao3-samples; the expected values are
what each file's preface shows (tags, stats, chapter headings). The FanFicFare,
generic EPUB and multi-chapter PDF fixtures are built in code from invented
text written for these tests.
"""

from __future__ import annotations

import functools
import io
import random
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pypdf
import pytest
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from conftest import SAMPLES, need_shared
from ficshelf.errors import MalformedFile
from ficshelf.importers import detect, parse_bytes
from ficshelf.model import ArchiveWarning, Category, Rating, SeriesRef, Work
from ficshelf.text import SCENE_BREAK, paragraphs

EBOOK_SUFFIXES = (".epub", ".mobi", ".azw3", ".pdf")

MY_AIM = dict(
    title="My Aim Is Steady And True", authors=("nianeyna",), rating=Rating.TEEN,
    warnings=(ArchiveWarning.VIOLENCE,), categories=(Category.MM,), fandoms=("Final Fantasy XIV",),
    relationships=("Honoroit Banlardois/Emmanellain de Fortemps",),
    characters=("Honoroit Banlardois", "Emmanellain de Fortemps"), freeform_count=8,
    chapters=[(1, None)], counts=(1, 1, 4559), complete=True, ao3_id="23009290",
    has=("summary", "notes", "end_notes"), series=(),
)
# file -> what its preface shows; "chapters" are (number, title) pairs
WORKS: dict[str, dict[str, Any]] = {
    "nianeyna-epubTest.epub": dict(MY_AIM, source_format="ao3-epub"),
    "nianeyna-mobiTest.mobi": dict(MY_AIM, source_format="ao3-mobi"),
    "nianeyna-azw3Test.azw3": dict(MY_AIM, source_format="ao3-azw3"),
    "nianeyna-pdfTest.pdf": dict(MY_AIM, source_format="ao3-pdf"),
    "nianeyna-incompleteWork.epub": dict(
        title="Fire and Feather", authors=("nianeyna",), rating=Rating.GENERAL,
        warnings=(ArchiveWarning.NONE_APPLY,), categories=(Category.GEN,),
        fandoms=("Valdemar Series - Mercedes Lackey",), relationships=(), characters=("Original Characters",),
        freeform_count=0, chapters=[(1, "Festival"), (2, "Riversong K'Vala"), (3, "Conversations")],
        counts=(3, None, 7526), complete=False, ao3_id="218676", has=("summary", "notes", "end_notes"),
        series=(), source_format="ao3-epub"),
    "nianeyna-workInSeries.epub": dict(
        title="The World on His Wrist", authors=("bendingsignpost",), rating=Rating.TEEN,
        warnings=(ArchiveWarning.CHOSE_NOT_TO_WARN,), categories=(Category.FM, Category.MM),
        fandoms=("Sherlock (TV)",), relationships=("Sarah Sawyer/John Watson", "Sherlock Holmes/John Watson"),
        characters=("Sherlock Holmes", "John Watson", "Jim Moriarty", "Sherlock Holmes (again)", "Sarah Sawyer"),
        freeform_count=6,
        chapters=[(1, "Prologue"), (2, None), (3, "Part 2"), (4, "Part 3"), (5, "Part 4"), (6, "Part 5"),
                  (7, "Part 6"), (8, "Epilogue")],
        counts=(8, 8, 31623), complete=True, ao3_id="334557", has=("summary",),
        series=(SeriesRef(title="Watches 'Verse", part=1, ao3_id="15213"),), source_format="ao3-epub"),
}
FORMAT_OF = {".epub": "epub", ".mobi": "mobi", ".azw3": "mobi", ".pdf": "pdf"}
JUMP = re.compile(r"see the end of the (chapter|work) for", re.I)


def sample_ebooks() -> list[str]:
    if not SAMPLES.exists():
        return sorted(WORKS)
    return sorted(p.name for p in SAMPLES.iterdir() if p.suffix.lower() in EBOOK_SUFFIXES)


@functools.cache
def load(name: str) -> Work:
    path = need_shared(SAMPLES / name)
    return parse_bytes(path.read_bytes(), filename=str(path))


# --- AO3 downloads in ../shared -------------------------------------------------------


def test_every_sample_ebook_has_an_expectation() -> None:
    need_shared(SAMPLES)
    assert set(sample_ebooks()) == set(WORKS)


@pytest.mark.parametrize("name", sample_ebooks())
def test_sample_is_sniffed_by_its_importer(name: str) -> None:
    data = need_shared(SAMPLES / name).read_bytes()
    assert detect(data, filename=name) == FORMAT_OF[Path(name).suffix]
    assert detect(data, filename="") == FORMAT_OF[Path(name).suffix]  # by content alone, too


@pytest.mark.parametrize("name", sorted(WORKS))
def test_ao3_ebook_metadata_as_its_preface_shows_it(name: str) -> None:
    want = WORKS[name]
    work = load(name)
    tags = work.tags
    assert work.title == want["title"]
    assert work.authors == want["authors"]
    assert tags.rating is want["rating"]
    assert tags.warnings == want["warnings"]
    assert tags.categories == want["categories"]
    assert tags.fandoms == want["fandoms"]
    assert tags.relationships == want["relationships"]
    assert tags.characters == want["characters"]
    assert len(tags.freeforms) == want["freeform_count"]
    assert [(c.number, c.title) for c in work.chapters] == want["chapters"]
    assert (work.chapter_count, work.chapters_expected, work.words) == want["counts"]
    assert work.complete is want["complete"]
    assert work.ao3_id == want["ao3_id"]
    assert work.url == f"https://archiveofourown.org/works/{want['ao3_id']}"
    assert work.series == want["series"]
    assert work.language == "English"
    assert work.source_format == want["source_format"]
    for name_ in want["has"]:
        assert getattr(work, name_), f"{name_} missing"


@pytest.mark.parametrize("name", sorted(WORKS))
def test_tag_types_come_from_the_preface_not_the_opf_subjects(name: str) -> None:
    work = load(name)
    closed = {c.value for c in work.tags.categories} | {w.value for w in work.tags.warnings}
    if work.tags.rating:
        closed.add(work.tags.rating.value)
    # the OPF lists rating, warnings and categories among the other subjects; none may leak into free tags
    assert not closed & set(work.tags.freeforms)
    assert "Fanworks" not in work.tags.freeforms


@pytest.mark.parametrize("name", sorted(WORKS))
def test_ao3_ebook_text_is_the_story_only(name: str) -> None:
    work = load(name)
    for chapter in work.chapters:
        paras = paragraphs(chapter.text)
        assert paras and paras[0] != SCENE_BREAK and paras[-1] != SCENE_BREAK
        assert not JUMP.search(chapter.text)
        for p in paras:
            assert p.strip().casefold() not in {"summary", "notes", "chapter notes", "end notes",
                                                "chapter end notes", "afterword", "preface"}
        if work.source_format != "ao3-pdf":
            assert chapter.html and "calibre" not in chapter.html and "<script" not in chapter.html
    assert abs(work.text_words - (work.words or 0)) <= max(2, 0.02 * (work.words or 0))


def test_incomplete_work_chapter_notes_land_on_their_chapters() -> None:
    work = load("nianeyna-incompleteWork.epub")
    one, two, three = work.chapters
    assert one.notes is None and one.end_notes is None
    assert two.notes and two.end_notes and two.notes != two.end_notes
    assert three.notes is None and three.end_notes  # its "Chapter Notes" heading links to end notes only
    assert work.end_notes and work.end_notes not in {two.end_notes, three.end_notes}
    assert work.updated is not None and work.published is not None and work.updated > work.published


def test_mobi_leaves_no_unpacked_files_behind() -> None:
    path = need_shared(SAMPLES / "nianeyna-mobiTest.mobi")
    tmp = Path(tempfile.gettempdir())
    before = {p.name for p in tmp.iterdir()}
    parse_bytes(path.read_bytes(), filename=str(path))
    with pytest.raises(MalformedFile):
        parse_bytes(path.read_bytes()[:20000], filename="cut.mobi")
    after = {p.name for p in tmp.iterdir()}
    assert not {n for n in after - before if n.startswith(("ficshelf-mobi-", "mobiex"))}


def _zip(files: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# --- FanFicFare EPUB built here -----------------------------------------------------------

FFF_OPF = """<?xml version="1.0" encoding="utf-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="fanficfare-uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:identifier id="fanficfare-uid">fanficfare-uid:archiveofourown.org-u42-s9876543</dc:identifier>
<dc:title id="id">The Clockmaker's Lantern</dc:title>
<dc:creator opf:role="aut">quill_and_kettle</dc:creator>
<dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
<dc:language>en</dc:language>
<dc:date opf:event="publication">2023-01-02</dc:date>
<dc:description>A lantern that keeps time, and the apprentice who has to wind it.</dc:description>
<dc:subject>FanFiction</dc:subject>
<dc:subject>Fluff</dc:subject>
<dc:subject>Hurt, Then Comfort</dc:subject>
<dc:subject>Invented Fandom (Novels)</dc:subject>
<dc:subject>Mira Holt</dc:subject>
<dc:subject>Orrin Vale</dc:subject>
<dc:subject>Mira Holt/Orrin Vale</dc:subject>
<dc:subject>Completed</dc:subject>
<dc:publisher>archiveofourown.org</dc:publisher>
<dc:identifier opf:scheme="URL">https://archiveofourown.org/works/9876543</dc:identifier>
<dc:source>https://archiveofourown.org/works/9876543</dc:source>
</metadata>
<manifest>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="style" href="OEBPS/stylesheet.css" media-type="text/css"/>
<item id="title_page" href="OEBPS/title_page.xhtml" media-type="application/xhtml+xml"/>
<item id="toc_page" href="OEBPS/toc_page.xhtml" media-type="application/xhtml+xml"/>
<item id="file0001" href="OEBPS/file0001.xhtml" media-type="application/xhtml+xml"/>
<item id="file0002" href="OEBPS/file0002.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx">
<itemref idref="title_page" linear="yes"/><itemref idref="toc_page" linear="yes"/>
<itemref idref="file0001" linear="yes"/><itemref idref="file0002" linear="yes"/>
</spine>
</package>"""

FFF_ENTRIES_TEXT = [
    ("Series", '<a class="serieslink" href="https://archiveofourown.org/series/5550">Lanterns of Brell [2]</a>'),
    ("Category", "Invented Fandom (Novels)"),
    ("Genre", "Fluff, Hurt, Then Comfort, F/M"),
    ("Language", "English"),
    ("Characters", "Mira Holt, Orrin Vale"),
    ("Relationships", "Mira Holt/Orrin Vale"),
    ("Status", "Completed"),
    ("Published", "2023-01-02"),
    ("Updated", "2023-02-14"),
    ("Packaged", "2024-05-01 10:11:12"),
    ("Rating", "Teen And Up Audiences"),
    ("Warnings", "No Archive Warnings Apply, Violence"),
    ("Chapters", "2"),
    ("Words", "1,234"),
    ("Publisher", "archiveofourown.org"),
    ("Summary", "<p>A lantern that keeps time.</p><p>The apprentice who has to wind it.</p>"),
]


def _fff_title_page(*, table: bool) -> str:
    if table:
        rows = "".join(f"<tr><td><b>{k}:</b></td><td>{v}</td></tr>\n" for k, v in FFF_ENTRIES_TEXT)
        block = f'<table class="full">\n{rows}</table>'
    else:
        block = "<div>\n" + "".join(f"<b>{k}:</b> {v}<br />\n" for k, v in FFF_ENTRIES_TEXT) + "</div>"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            "<title>The Clockmaker's Lantern by quill_and_kettle</title></head>"
            '<body class="fff_titlepage"><h3><a href="https://archiveofourown.org/works/9876543">'
            "The Clockmaker's Lantern</a> by "
            '<a class="authorlink" href="https://archiveofourown.org/users/quill_and_kettle">quill_and_kettle</a></h3>\n'
            f"{block}\n</body></html>")


def _fff_chapter(title: str, orig: str, paras: Sequence[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            f'<title>{title}</title><meta name="chapterorigtitle" content="{orig}" />'
            f'<meta name="chaptertitle" content="{title}" /></head><body class="fff_chapter">'
            f'<h3 class="fff_chapter_title">{title}</h3>\n{body}</body></html>')


FFF_CH1 = ["Mira wound the lantern at dusk, three turns and a half, the way the old clockmaker had shown her.",
           "It ticked once, then glowed the colour of weak tea."]
FFF_CH2 = ["By morning the glow had gone amber, and Orrin was at the door asking why the whole street smelled of cloves."]


def make_fff_epub(*, table: bool = False) -> bytes:
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                 '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
                 "</rootfiles></container>")
    return _zip({
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": container,
        "content.opf": FFF_OPF,
        "toc.ncx": '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap/></ncx>',
        "OEBPS/stylesheet.css": "body { margin: 2% }",
        "OEBPS/title_page.xhtml": _fff_title_page(table=table),
        "OEBPS/toc_page.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><body class="fff_tocpage"><h3>Table of Contents</h3>'
                                '<a href="file0001.xhtml">1. Winding</a><br /><a href="file0002.xhtml">2. Cloves</a></body></html>',
        "OEBPS/file0001.xhtml": _fff_chapter("1. Winding", "Chapter 1: Winding", FFF_CH1),
        "OEBPS/file0002.xhtml": _fff_chapter("2. Cloves", "Cloves", FFF_CH2),
    })


@pytest.mark.parametrize("table", [False, True], ids=["lines", "table"])
def test_fanficfare_epub_title_page_fields(table: bool) -> None:
    data = make_fff_epub(table=table)
    assert detect(data, filename="") == "epub"
    work = parse_bytes(data, filename="lantern.epub")
    tags = work.tags
    assert work.source_format == "fanficfare-epub"
    assert work.title == "The Clockmaker's Lantern" and work.authors == ("quill_and_kettle",)
    assert tags.fandoms == ("Invented Fandom (Novels)",)  # FanFicFare's "Category" holds AO3 fandoms
    assert tags.categories == (Category.FM,)  # AO3 categories come inside "Genre"
    # the comma tag is kept whole (dc:subject); a warning that is not AO3's stays a free tag
    assert tags.freeforms == ("Fluff", "Hurt, Then Comfort", "Violence")
    assert tags.characters == ("Mira Holt", "Orrin Vale")
    assert tags.relationships == ("Mira Holt/Orrin Vale",)
    assert tags.rating is Rating.TEEN and tags.warnings == (ArchiveWarning.NONE_APPLY,)
    assert work.complete is True and (work.chapter_count, work.chapters_expected, work.words) == (2, 2, 1234)
    assert str(work.published) == "2023-01-02" and str(work.updated) == "2023-02-14"
    assert work.series == (SeriesRef(title="Lanterns of Brell", part=2, ao3_id="5550"),)
    assert work.summary == "A lantern that keeps time.\n\nThe apprentice who has to wind it."
    assert work.language == "English"
    assert work.ao3_id == "9876543" and work.url == "https://archiveofourown.org/works/9876543"
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Winding"), (2, "Cloves")]
    assert work.chapters[0].text == "\n\n".join(FFF_CH1)  # heading left out, title page and TOC page skipped
    assert work.chapters[1].text == FFF_CH2[0]


# --- generic EPUB built here ---------------------------------------------------------------

GEN_CH1 = ["The ferry left at six whether or not anyone was aboard.", "Tamsin was aboard, barely."]
GEN_CH2A = ["Halfway across, the fog came down like a lid."]
GEN_CH2B = ["When it lifted, the far shore had moved."]
GEN_CH3 = ["Nobody on the island would admit to moving it."]
GEN_CH4 = ["Tamsin bought a map anyway, and drew the shore where she had last seen it."]


def _xhtml(body: str, title: str = "x") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
            f'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head><body>{body}</body></html>')


def _ps(paras: Sequence[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def make_generic_epub(*, epub3: bool = True) -> bytes:
    nav = _xhtml('<nav epub:type="toc"><ol><li><a href="text/ch1.xhtml">The Ferry</a></li>'
                 '<li><a href="text/ch2a.xhtml">Fog</a></li><li><a href="text/ch34.xhtml#c3">Denials</a></li>'
                 '<li><a href="text/ch34.xhtml#c4">A Map</a></li></ol></nav>')
    ncx = ('<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>'
           '<navPoint id="a"><navLabel><text>Cover</text></navLabel><content src="text/cover.xhtml"/></navPoint>'
           '<navPoint id="b"><navLabel><text>The Ferry</text></navLabel><content src="text/ch1.xhtml"/></navPoint>'
           '<navPoint id="c"><navLabel><text>Fog</text></navLabel><content src="text/ch2a.xhtml"/></navPoint>'
           '<navPoint id="d"><navLabel><text>Denials</text></navLabel><content src="text/ch34.xhtml#c3"/></navPoint>'
           '<navPoint id="e"><navLabel><text>A Map</text></navLabel><content src="text/ch34.xhtml#c4"/></navPoint>'
           "</navMap></ncx>")
    nav_item = '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>' if epub3 else ""
    opf = (f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{"3.0" if epub3 else "2.0"}" '
           'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
           '<dc:identifier id="id">urn:uuid:0000</dc:identifier><dc:title>The Moving Shore</dc:title>'
           "<dc:creator>R. Pellow</dc:creator><dc:creator>S. Amadi</dc:creator><dc:language>en-GB</dc:language>"
           "<dc:description>&lt;p&gt;An island that will not stay put.&lt;/p&gt;&lt;p&gt;A ferry that "
           "does.&lt;/p&gt;</dc:description></metadata><manifest>"
           f'{nav_item}<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
           '<item id="cover" href="text/cover.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="c2a" href="text/ch2a.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="c2b" href="text/ch2b.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="c34" href="text/ch34.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>'
           '</manifest><spine toc="ncx"><itemref idref="cover"/><itemref idref="c1"/><itemref idref="c2a"/>'
           '<itemref idref="c2b"/><itemref idref="c34"/><itemref idref="notes" linear="no"/></spine>'
           '<guide><reference type="cover" href="text/cover.xhtml" title="Cover"/></guide></package>')
    files: dict[str, str | bytes] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": ('<?xml version="1.0"?><container version="1.0" '
                                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                                   '<rootfile full-path="OPS/package.opf" media-type="application/oebps-package+xml"/>'
                                   "</rootfiles></container>"),
        "OPS/package.opf": opf,
        "OPS/toc.ncx": ncx,
        "OPS/text/cover.xhtml": _xhtml('<div><img src="../cover.jpg" alt="cover"/></div>'),
        "OPS/text/ch1.xhtml": _xhtml("<h1>The Ferry</h1>" + _ps(GEN_CH1)),
        "OPS/text/ch2a.xhtml": _xhtml("<h2>Fog</h2>" + _ps(GEN_CH2A)),
        "OPS/text/ch2b.xhtml": _xhtml(_ps(GEN_CH2B)),
        "OPS/text/ch34.xhtml": _xhtml('<section><h2 id="c3">Denials</h2>' + _ps(GEN_CH3) + '</section>'
                                      '<section><h2 id="c4">A Map</h2>' + _ps(GEN_CH4) + "</section>"),
        "OPS/text/notes.xhtml": _xhtml("<p>Footnotes nobody reads.</p>"),
    }
    if epub3:
        files["OPS/nav.xhtml"] = nav
    return _zip(files)


@pytest.mark.parametrize("epub3", [True, False], ids=["epub3-nav", "epub2-ncx"])
def test_generic_epub_chapters_from_spine_and_toc(epub3: bool) -> None:
    work = parse_bytes(make_generic_epub(epub3=epub3), filename="shore.epub")
    assert work.source_format == "epub"
    assert work.title == "The Moving Shore" and work.authors == ("R. Pellow", "S. Amadi")
    assert work.language == "en-GB"
    assert work.summary == "An island that will not stay put.\n\nA ferry that does."
    assert work.tags.is_empty() and work.ao3_id is None
    assert [c.title for c in work.chapters] == ["The Ferry", "Fog", "Denials", "A Map"]
    texts = [c.text for c in work.chapters]
    assert texts == ["\n\n".join(GEN_CH1), "\n\n".join(GEN_CH2A + GEN_CH2B), GEN_CH3[0], GEN_CH4[0]]
    assert work.chapters[0].html == "<div>" + _ps(GEN_CH1) + "</div>"
    assert work.words == sum(c.words for c in work.chapters)  # no stated count: ficshelf's own


def test_generic_epub_skips_empty_and_unparsable_documents() -> None:
    opf = ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Gaps</dc:title></metadata><manifest>'
           '<item id="a" href="a.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="b" href="b.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest>'
           '<spine><itemref idref="a"/><itemref idref="b"/><itemref idref="c"/></spine></package>')
    data = _zip({"mimetype": "application/epub+zip", "content.opf": opf, "a.xhtml": b"", "b.xhtml": b"<html><body> <p> </p> </body></html>",
                 "c.xhtml": _xhtml("<p>Only this room has a floor.</p>")})
    work = parse_bytes(data, filename="gaps.epub")
    assert [c.text for c in work.chapters] == ["Only this room has a floor."]


def test_generic_epub_without_toc_titles_chapters_by_their_heading() -> None:
    opf = ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Two Rooms</dc:title></metadata><manifest>'
           '<item id="a" href="a.html" media-type="application/xhtml+xml"/>'
           '<item id="b" href="b.html" media-type="application/xhtml+xml"/></manifest>'
           '<spine><itemref idref="a"/><itemref idref="b"/></spine></package>')
    data = _zip({"mimetype": "application/epub+zip", "content.opf": opf,  # no container.xml either
                 "a.html": "<html><body><h2>Kitchen</h2><p>Kettle on&nbsp;the hob.</p></body></html>",
                 "b.html": "<html><body><p>Untitled room, door ajar.</p></body></html>"})
    work = parse_bytes(data, filename="rooms.epub")
    assert [(c.title, c.text) for c in work.chapters] == [("Kitchen", "Kettle on the hob."),
                                                           (None, "Untitled room, door ajar.")]


# --- AO3-layout PDF built here (several chapters) -------------------------------------------

PDF_W, PDF_H, PITCH, PARA_GAP = 612.0, 792.0, 15.0, 28.0
CHAR_W = 7.2  # Courier at 12pt: every glyph is 600/1000 em


def ao3_tag_uri(tag: str) -> str:
    for char, code in (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")):
        tag = tag.replace(char, code)
    return "https://archiveofourown.org/tags/" + quote(tag)


@dataclass
class _Printer:
    """Lays text out like a browser printing AO3's download: greedy line wrapping, page breaks."""

    pages: list[list[tuple[float, float, float, str, bool]]] = field(default_factory=lambda: [[]])
    links: list[tuple[int, tuple[float, float, float, float], str]] = field(default_factory=list)
    y: float = 740.0
    bottom: float = 50.0
    zone: str = ""
    breaks: list[str] = field(default_factory=list)  # where overflow page breaks fell: zone + inside/between

    def new_page(self) -> None:
        self.pages.append([])
        self.y = 740.0

    def put(self, x: float, text: str, *, size: float = 12.0, bold: bool = False, uri: str | None = None) -> float:
        self.pages[-1].append((x, self.y, size, text, bold))
        width = len(text) * size * 0.6
        if uri:
            self.links.append((len(self.pages) - 1, (x, self.y - 3, x + width, self.y + size), uri))
        return x + width

    def advance(self, gap: float) -> None:
        self.y -= gap
        if self.y < self.bottom:
            self.breaks.append(f"{self.zone} {'inside' if gap == PITCH else 'between'}")
            self.new_page()

    def paragraph(self, text: str, *, x: float, right: float = 560.0) -> None:
        line = ""
        for word in text.split():
            trial = f"{line} {word}" if line else word
            if x + len(trial) * CHAR_W > right and line:
                self.put(x, line)
                self.advance(PITCH)
                line = word
            else:
                line = trial
        self.put(x, line)
        self.advance(PARA_GAP)

    def field(self, label: str, values: Sequence[str], *, uris: bool = True, sep_text: str = ", ") -> None:
        self.put(40, label)
        x = 150.0
        for i, v in enumerate(values):
            sep = sep_text if i < len(values) - 1 else ""
            if x + len(v + sep) * CHAR_W > 560:
                self.advance(PITCH)
                x = 150.0
            x = self.put(x, v, uri=ao3_tag_uri(v) if uris else None)
            if sep:
                x = self.put(x, sep)
        self.advance(17.25)


def pdf_ch1(fillers: int) -> list[str]:
    return [
        "The bell in the lighthouse had not rung for eleven years, which is why Ines climbed the stairs "
        "with a hammer instead of a key, counting the steps aloud so the dark would know she was coming.",
        *(f"Step {n * 20}: the rail was {'cold' if n % 2 else 'wet'} under her hand, and the window on that "
          f"landing showed {n} lights still burning in the town below{''.join([', far'] * (n % 7))}, "
          "fewer than the last time she looked." for n in range(1, fillers + 1)),
        "At the top the lamp room smelled of salt and old oil.",
        "She struck the bell once. Down in the harbour every boat turned its bow toward the sound, slowly, "
        "the way sleepers turn toward a window, and not one of their owners was awake to see it happen.",
    ]


PDF_CH2 = ["In the morning the harbourmaster wanted to know who had moved the fleet.",
           "Ines said nothing at all and kept the hammer in her coat pocket for the rest of the week."]


PDF_INFO = {"/Title": "The Lighthouse Bell", "/Author": "ink_and_oar, second_mate",
            "/Keywords": "Mature, Invented Coast Stories, Lighthouses, Hurt, Then Comfort"}


def make_ao3_pdf(fillers: int = 43) -> bytes:
    return _pdf_bytes(ao3_pdf_layout(fillers), info=PDF_INFO)


def ao3_pdf_layout(fillers: int) -> _Printer:
    pr = _Printer()
    pr.put(200, "The Lighthouse Bell", bold=True)
    pr.advance(PITCH)
    pr.put(40, "Posted originally on the Archive of Our Own at https://archiveofourown.org/works/1234567.")
    pr.links.append((0, (300, 690, 560, 740), "https://archiveofourown.org/works/1234567"))
    pr.advance(40)
    pr.field("Rating:", ["Mature"])
    pr.field("Archive Warnings:", ["Major Character Death", "Graphic Depictions Of Violence"])
    pr.field("Category:", ["F/F"])
    pr.field("Fandom:", ["Invented Coast Stories"])
    pr.field("Relationship:", ["Ines/The Harbourmaster"])
    pr.field("Characters:", ["Ines", "The Harbourmaster", "Old Keeper"])
    pr.field("Additional Tags:", ["Lighthouses", "Hurt, Then Comfort", "Bells & Whistles", "Sea Fog",
                                  "Small Town Secrets", "Magical Realism"])
    pr.links.append((0, (222, pr.y - 3, 300, pr.y + 12), "https://archiveofourown.org/series/4242"))
    pr.field("Series:", ["Part 2 of ", "Coast Cycle"], uris=False, sep_text="")
    pr.field("Stats:", ["Published: 2021-05-06 Updated: 2021-06-07 Words: 1,234 Chapters: 2/3"], uris=False)
    pr.new_page()
    pr.put(180, "The Lighthouse Bell", size=18, bold=True)
    pr.advance(30)
    x = pr.put(250, "by ")
    x = pr.put(x, "ink_and_oar", uri="https://archiveofourown.org/users/ink_and_oar/pseuds/ink_and_oar")
    x = pr.put(x, ", ")
    pr.put(x, "second_mate", uri="https://archiveofourown.org/users/second_mate/pseuds/second_mate")
    pr.advance(40)
    for label, text in (("Summary", "A bell, a harbour, a fleet that listens."), ("Notes", "Written for a prompt about sound.")):
        pr.put(40, label)
        pr.advance(40)
        pr.paragraph(text, x=70, right=530)
    pr.put(40, "See the end of the work for more notes", size=9)
    for number, title, paras in ((1, "Chapter 1: The Lighthouse", pdf_ch1(fillers)), (2, "Chapter 2", PDF_CH2)):
        pr.new_page()
        pr.put(200, title, size=15, bold=True)
        pr.advance(40)
        if number == 1:
            for label, text in (("Chapter Summary", "Ines climbs."), ("Chapter Notes", "Mind the stairs.")):
                pr.put(48, label)
                pr.advance(40)
                pr.paragraph(text, x=80, right=520)
            pr.put(48, "See the end of the chapter for more notes", size=9)
            pr.advance(30)
        pr.zone = f"chapter {number} text"
        for i, p in enumerate(paras):
            if number == 2 and i == 1:
                pr.advance(3 * PITCH)  # blank lines: a scene break
            pr.paragraph(p, x=60)
        pr.zone = ""
        if number == 1:
            pr.put(48, "Chapter End Notes")
            pr.advance(40)
            pr.paragraph("Thanks for reading this far.", x=80, right=520)
    pr.new_page()
    pr.put(40, "End Notes")
    pr.advance(40)
    pr.paragraph("The bell is real; the fleet is not.", x=70, right=530)
    pr.put(60, "Please drop by the Archive and comment to let the creator know if you enjoyed their work!")
    return pr


def _pdf_bytes(pr: _Printer, *, info: dict[str, str]) -> bytes:
    def font(base: str) -> DictionaryObject:
        return DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(base), NameObject("/FirstChar"): NumberObject(32),
            NameObject("/LastChar"): NumberObject(126),
            NameObject("/Widths"): ArrayObject([NumberObject(600)] * 95),
        })

    writer = pypdf.PdfWriter()
    for pieces in pr.pages:
        page = writer.add_blank_page(PDF_W, PDF_H)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({
            NameObject("/F1"): font("/Courier"), NameObject("/F2"): font("/Courier-Bold")})})
        ops = []
        for x, y, size, text, bold in pieces:
            esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"BT /{'F2' if bold else 'F1'} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm ({esc}) Tj ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    for number, rect, uri in pr.links:
        writer.add_annotation(number, Link(rect=rect, url=uri))
    writer.add_metadata(info)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# how the fixture's pages break with that many filler paragraphs (checked below, so the test stays meaningful)
PAGE_BREAKS = {
    43: "chapter 1 text between",  # a page ends exactly with a paragraph of the chapter
    41: " between",  # a page ends with chapter 1's end notes; chapter 2's heading opens a new page
}


@pytest.mark.parametrize("fillers", sorted(PAGE_BREAKS))
def test_ao3_pdf_with_several_chapters(fillers: int) -> None:
    layout = ao3_pdf_layout(fillers)
    assert {"chapter 1 text inside", PAGE_BREAKS[fillers]} <= set(layout.breaks)
    work = parse_bytes(_pdf_bytes(layout, info=PDF_INFO), filename="bell.pdf")
    tags = work.tags
    assert work.source_format == "ao3-pdf"
    assert work.title == "The Lighthouse Bell" and work.authors == ("ink_and_oar", "second_mate")
    assert tags.rating is Rating.MATURE
    assert tags.warnings == (ArchiveWarning.MAJOR_CHARACTER_DEATH, ArchiveWarning.VIOLENCE)
    assert tags.categories == (Category.FF,) and tags.fandoms == ("Invented Coast Stories",)
    assert tags.relationships == ("Ines/The Harbourmaster",)
    assert tags.characters == ("Ines", "The Harbourmaster", "Old Keeper")
    # six tags over two lines; "Hurt, Then Comfort" is one tag (one link), "Bells & Whistles" decoded
    assert tags.freeforms == ("Lighthouses", "Hurt, Then Comfort", "Bells & Whistles", "Sea Fog",
                              "Small Town Secrets", "Magical Realism")
    assert work.series == (SeriesRef(title="Coast Cycle", part=2, ao3_id="4242"),)
    assert (work.chapter_count, work.chapters_expected, work.words, work.complete) == (2, 3, 1234, False)
    assert work.ao3_id == "1234567"
    assert work.summary == "A bell, a harbour, a fleet that listens."
    assert work.notes == "Written for a prompt about sound."
    assert work.end_notes == "The bell is real; the fleet is not."
    one, two = work.chapters
    assert (one.number, one.title, two.number, two.title) == (1, "The Lighthouse", 2, None)
    assert (one.summary, one.notes, one.end_notes) == ("Ines climbs.", "Mind the stairs.", "Thanks for reading this far.")
    assert one.text == "\n\n".join(pdf_ch1(fillers))  # paragraphs rebuilt, also across page breaks
    assert two.text == "\n\n".join([PDF_CH2[0], SCENE_BREAK, PDF_CH2[1]])
    assert two.summary is None and two.notes is None and two.end_notes is None


def test_ao3_pdf_tags_without_link_annotations_split_on_drawn_separators() -> None:
    data = make_ao3_pdf()
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter(clone_from=reader)
    for page in writer.pages:
        if "/Annots" in page:
            del page["/Annots"]
    buf = io.BytesIO()
    writer.write(buf)
    work = parse_bytes(buf.getvalue(), filename="bell.pdf")
    # the ", " between tags is drawn as its own piece; a comma inside a tag is not
    assert work.tags.freeforms[:3] == ("Lighthouses", "Hurt, Then Comfort", "Bells & Whistles")
    assert work.tags.characters == ("Ines", "The Harbourmaster", "Old Keeper")


def test_plain_pdf_is_one_chapter_of_running_text() -> None:
    pr = _Printer()
    pr.put(60, "Notes From a Kitchen", size=16, bold=True)
    pr.advance(30)
    for p in GEN_CH1 + GEN_CH4:
        pr.paragraph(p, x=60)
    work = parse_bytes(_pdf_bytes(pr, info={"/Author": "A. Cook"}), filename="kitchen.pdf")
    assert work.source_format == "pdf" and work.tags.is_empty()
    assert work.title == "Notes From a Kitchen" and work.authors == ("A. Cook",)
    assert [c.text for c in work.chapters] == ["\n\n".join(GEN_CH1 + GEN_CH4)]


# --- corrupt input ------------------------------------------------------------------


def _noise(n: int) -> bytes:
    return random.Random(n).randbytes(n)


def _broken_inputs() -> list[tuple[str, bytes]]:
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                 '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                 '</rootfiles></container>')
    good = make_generic_epub()
    return [
        ("truncated.epub", good[: len(good) // 2]),
        ("no-opf.epub", _zip({"mimetype": "application/epub+zip", "META-INF/container.xml": container,
                              "OEBPS/ch1.xhtml": "<html><body><p>Lost.</p></body></html>"})),
        ("bad-opf.epub", _zip({"mimetype": "application/epub+zip", "META-INF/container.xml": container,
                               "OEBPS/content.opf": "<package><metadata>"})),
        ("missing-chapter.epub", _zip({"mimetype": "application/epub+zip", "META-INF/container.xml": container,
                                       "OEBPS/content.opf": OPF_ONE_MISSING})),
        ("drm.epub", _zip({"mimetype": "application/epub+zip", "META-INF/container.xml": container,
                           "META-INF/encryption.xml": ENCRYPTION, "OEBPS/content.opf": OPF_ONE_MISSING,
                           "OEBPS/ch1.xhtml": _noise(300)})),
        ("random.epub", _noise(4096)),
        ("random.mobi", _noise(4096)),
        ("magic-only.mobi", _noise(60) + b"BOOKMOBI" + _noise(4000)),
        ("empty.azw3", b""),
        ("random.pdf", _noise(4096)),
        ("truncated.pdf", make_ao3_pdf()[:1500]),
    ]


ENCRYPTION = (
    '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
    '<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
    '<enc:CipherData><enc:CipherReference URI="OEBPS/ch1.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>'
)
OPF_ONE_MISSING = (
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Gone</dc:title></metadata><manifest>'
    '<item id="c1" href="ch1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/>'
    "</spine></package>"
)


@pytest.mark.parametrize("name,data", _broken_inputs(), ids=[n for n, _ in _broken_inputs()])
def test_broken_file_is_a_one_line_malformed_file_error(name: str, data: bytes) -> None:
    with pytest.raises(MalformedFile) as info:
        parse_bytes(data, filename=f"/somewhere/{name}")
    message = str(info.value)
    assert message.startswith(f"{name}: ") and "\n" not in message and len(message) < 300
