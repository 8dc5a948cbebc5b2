"""The AO3 HTML importer on small AO3-shaped snippets written for these tests.

The markup copies the shape of AO3's pages and downloads (otwarchive's view
templates); the words, titles, names and tags are invented here.
"""

from __future__ import annotations

import pytest

from ficshelf.errors import (
    AdultContentGate,
    ChapterIndexPage,
    ListingPage,
    LoginRequired,
    MalformedFile,
    NotAWork,
    SeriesPage,
    UnsupportedFormat,
)
from ficshelf.importers import ao3_html, detect, parse_bytes
from ficshelf.model import ArchiveWarning, Category, Rating, SeriesRef, Work
from ficshelf.text import SCENE_BREAK, paragraphs

# --- builders ------------------------------------------------------------------------

HEADER = (
    '<div id="header" class="region"><h1 class="heading"><a href="/"><span>Archive of Our Own</span>'
    '<img alt="Archive of Our Own" class="logo" src="/images/ao3_logos/logo_42.png" /></a></h1></div>'
)


def tag_dd(kind: str, *names: str) -> str:
    items = "".join(f'<li><a class="tag" href="/tags/{n}/works">{n}</a></li>' for n in names)
    return f'<dt class="{kind} tags">{kind.title()}:</dt><dd class="{kind} tags"><ul class="commas">{items}</ul></dd>'


def stats_dd(**values: str) -> str:
    labels = {"published": "Published", "status": "Updated", "words": "Words", "chapters": "Chapters",
              "comments": "Comments", "kudos": "Kudos", "bookmarks": "Bookmarks", "hits": "Hits"}
    inner = "".join(f'<dt class="{k}">{labels[k]}:</dt><dd class="{k}">{v}</dd>' for k, v in values.items())
    return f'<dt class="stats">Stats:</dt><dd class="stats"><dl class="stats">{inner}</dl></dd>'


META = (
    '<dl class="work meta group">'
    + tag_dd("rating", "General Audiences")
    + tag_dd("warning", "No Archive Warnings Apply")
    + tag_dd("category", "Gen", "F/F")
    + tag_dd("fandom", "Lighthouse Keepers (Original Setting)")
    + tag_dd("relationship", "Maren/Ottoline", "Maren & the Cat")
    + tag_dd("character", "Maren", "Ottoline", "The Cat")
    + tag_dd("freeform", "Storms, Mostly", "Found Family")
    + '<dt class="language">Language:</dt><dd class="language" lang="en">English</dd>'
    + "{series}{stats}</dl>"
)


def work_page(*, chapters: str, preface: str = "", afterword: str = "", series: str = "",
              stats: str | None = None, byline: str = '<a rel="author" href="/users/quill/pseuds/quill">quill</a>',
              head: str = "", main_class: str = "works-show region", work_id: str = "9001") -> bytes:
    if stats is None:
        stats = stats_dd(published="2021-05-01", words="1,000", chapters="1/1", kudos="12", hits="340")
    meta = META.format(series=series, stats=stats)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8" />{head}
<title>The Lamp Room - quill - Lighthouse Keepers [Archive of Our Own]</title></head>
<body><div id="outer" class="wrapper">{HEADER}
<div id="main" class="{main_class}">
<ul class="work navigation actions"><li class="share"><a href="/works/{work_id}/share">Share</a></li></ul>
{meta}
<div id="workskin">
  <div class="preface group">
    <h2 class="title heading">
      The Lamp Room
    </h2>
    <h3 class="byline heading">{byline}</h3>
    {preface}
  </div>
  <div id="chapters" {'role="article"' if 'Work Text' in chapters else ''}>{chapters}</div>
  {afterword}
</div></div></div></body></html>""".encode()


def chapter_div(number: int, body: str, *, title: str = "", notes: str = "", end_notes: str = "",
                summary: str = "", work_id: str = "9001") -> str:
    heading = f'<a href="/works/{work_id}/chapters/{700 + number}">Chapter {number}</a>' + (f": {title}" if title else "")
    parts = [f'<div class="chapter" id="chapter-{number}"><div class="chapter preface group">',
             f'<h3 class="title">{heading}</h3>']
    if summary:
        parts.append(f'<div id="summary" class="summary module"><h3 class="heading">Summary:</h3>'
                     f'<blockquote class="userstuff"><p>{summary}</p></blockquote></div>')
    if notes or end_notes:
        parts.append('<div id="notes" class="notes module"><h3 class="heading">Notes:</h3>')
        if notes:
            parts.append(f'<blockquote class="userstuff"><p>{notes}</p></blockquote>')
        if end_notes:
            parts.append(f'<p class="jump">(See the end of the chapter for <a href="#chapter_{number}_endnotes">'
                         "more notes</a>.)</p>")
        parts.append("</div>")
    parts.append("</div>")
    parts.append(f'<div class="userstuff module" role="article"><h3 class="landmark heading" id="work">'
                 f"Chapter Text</h3>{body}</div>")
    if end_notes:
        parts.append(f'<div class="chapter preface group"><div class="end notes module" '
                     f'id="chapter_{number}_endnotes"><h3 class="heading">Notes:</h3>'
                     f'<blockquote class="userstuff"><p>{end_notes}</p></blockquote></div></div>')
    parts.append("</div>")
    return "".join(parts)


WORK_TEXT = ('<h3 class="landmark heading" id="work">Work Text:</h3><div class="userstuff">'
             "<p>The lamp had to be wound every four hours.</p><p>Maren wound it anyway, out of spite.</p></div>")


def download(*, chapters: str, preface_extra: str = "", dl_extra: str = "", afterword: str = "",
             stats: str = "Published: 2020-01-02\n Completed: 2020-02-03\n Words: 2,345\n Chapters: 2/2") -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8" /><title>The Lamp Room - quill</title></head>
<body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>The Lamp Room</b><br />
    Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at
    <a href="https://archiveofourown.org/works/9001">https://archiveofourown.org/works/9001</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="https://archiveofourown.org/tags/Mature">Mature</a></dd>
      <dt>Archive Warnings:</dt><dd><a href="x">Graphic Depictions Of Violence</a>, <a href="y">Major Character Death</a></dd>
      <dt>Categories:</dt><dd><a href="x">F/F</a>, <a href="y">Multi</a></dd>
      <dt>Fandom:</dt><dd><a href="x">Lighthouse Keepers (Original Setting)</a></dd>
      <dt>Relationship:</dt><dd><a href="x">Maren/Ottoline</a></dd>
      <dt>Additional Tags:</dt><dd><a href="x">Storms, Mostly</a>, <a href="y">Found Family</a></dd>
      <dt>Language:</dt><dd>English</dd>
      {dl_extra}
      <dt>Stats:</dt><dd>
        {stats}
      </dd>
    </dl>
    <h1>The Lamp Room</h1>
    <div class="byline">by <a rel="author" href="https://archiveofourown.org/users/quill/pseuds/quill">quill</a>,
      <a rel="author" href="https://archiveofourown.org/users/tern/pseuds/Gull">Gull (tern)</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>Two keepers, one lamp, no patience.</p></blockquote>
    <p>Notes</p>
    <blockquote class="userstuff"><p>Written on a ferry.</p></blockquote>
    <div class="endnote-link">See the end of the work for <a href="#endnotes">more notes</a></div>
    {preface_extra}
  </div>
</div>
<div id="chapters" class="userstuff">{chapters}</div>
<div id="afterword"><h2 class="toc-heading">Afterword</h2>
  <div class="meta"><div id="endnotes"><p>End Notes</p>
    <blockquote class="userstuff"><p>Thanks for reading to the end.</p></blockquote></div></div>
  {afterword}
  <p class="message">Please <a href="https://archiveofourown.org/works/9001/comments/new">drop by the Archive and comment</a></p>
</div>
</body></html>""".encode()


def download_chapter(number: int, title: str, body: str, *, notes: str = "", end_notes: str = "",
                     summary: str = "") -> str:
    parts = [f'<div class="meta group"><h2 class="heading">Chapter {number}: {title}</h2>']
    if summary:
        parts.append(f'<p>Chapter Summary</p><blockquote class="userstuff"><p>{summary}</p></blockquote>')
    if notes or end_notes:
        parts.append("<p>Chapter Notes</p>")
        if notes:
            parts.append(f'<blockquote class="userstuff"><p>{notes}</p></blockquote>')
        if end_notes:
            parts.append(f'<div class="endnote-link">See the end of the chapter for <a href="#endnotes{number}">'
                         "more notes</a></div>")
    parts.append("</div>")
    parts.append(f'<!--chapter content--><div class="userstuff">{body}</div><!--/chapter content-->')
    if end_notes:
        parts.append(f'<div class="meta" id="endnotes{number}"><p>Chapter End Notes</p>'
                     f'<blockquote class="userstuff"><p>{end_notes}</p></blockquote></div>')
    return "".join(parts)


def imported(data: bytes, name: str = "snippet.html") -> Work:
    return parse_bytes(data, filename=name)


# --- text: line breaks, scene breaks, chrome ----------------------------------------


def test_br_runs_line_paragraph_and_scene_breaks() -> None:
    body = ("<p>Gale at dusk.<br />The glass rattled.<br /><br />Maren counted the waves."
            "<br />\n <br />\n <br />\n <br />Morning came grey.</p>")
    work = imported(work_page(chapters=WORK_TEXT.replace(
        "<p>The lamp had to be wound every four hours.</p><p>Maren wound it anyway, out of spite.</p>", body)))
    assert paragraphs(work.chapters[0].text) == [
        "Gale at dusk.\nThe glass rattled.",
        "Maren counted the waves.",
        SCENE_BREAK,
        "Morning came grey.",
    ]


def test_hr_is_a_scene_break_and_never_starts_or_ends_text() -> None:
    body = "<hr /><p>Before the storm.</p><hr /><p>After it.</p><hr />"
    work = imported(work_page(chapters=WORK_TEXT.replace(
        "<p>The lamp had to be wound every four hours.</p><p>Maren wound it anyway, out of spite.</p>", body)))
    assert paragraphs(work.chapters[0].text) == ["Before the storm.", SCENE_BREAK, "After it."]


def test_work_text_chrome_is_not_in_the_text() -> None:
    work = imported(work_page(chapters=WORK_TEXT))
    (chapter,) = work.chapters
    assert chapter.number == 1 and chapter.title is None
    assert chapter.text == "The lamp had to be wound every four hours.\n\nMaren wound it anyway, out of spite."
    assert "Work Text" not in (chapter.html or "")


def test_chapter_notes_and_landmark_are_kept_out_of_chapter_text() -> None:
    chapters = chapter_div(
        1, "<p>Ottoline arrived with the supply boat.</p><p>She brought oranges.</p>",
        title="Supplies", summary="Someone new.", notes="A short one.", end_notes="Oranges are real.",
    )
    work = imported(work_page(chapters=chapters))
    (chapter,) = work.chapters
    assert chapter.text == "Ottoline arrived with the supply boat.\n\nShe brought oranges."
    assert (chapter.title, chapter.summary, chapter.notes, chapter.end_notes) == (
        "Supplies", "Someone new.", "A short one.", "Oranges are real.")
    for chrome in ("Chapter Text", "Notes:", "See the end of the chapter", "more notes"):
        assert chrome not in chapter.text


def test_chapter_html_is_sanitized_markup_of_the_text_only() -> None:
    body = '<p onclick="steal()">Keep <em>this</em>.<script>alert(1)</script></p><p><a href="javascript:x">link</a></p>'
    work = imported(work_page(chapters=chapter_div(1, body)))
    html = work.chapters[0].html or ""
    assert "<em>this</em>" in html
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert "Chapter Text" not in html


# --- work page metadata --------------------------------------------------------------


def test_work_page_tags_stats_id_and_address() -> None:
    work = imported(work_page(chapters=WORK_TEXT))
    assert work.title == "The Lamp Room"
    assert work.authors == ("quill",)
    assert work.tags.rating is Rating.GENERAL
    assert work.tags.warnings == (ArchiveWarning.NONE_APPLY,)
    assert work.tags.categories == (Category.GEN, Category.FF)
    assert work.tags.fandoms == ("Lighthouse Keepers (Original Setting)",)
    assert work.tags.relationships == ("Maren/Ottoline", "Maren & the Cat")
    assert work.tags.characters == ("Maren", "Ottoline", "The Cat")
    assert work.tags.freeforms == ("Storms, Mostly", "Found Family")  # a comma inside one tag
    assert work.language == "English"
    assert (work.words, work.chapter_count, work.chapters_expected, work.complete) == (1000, 1, 1, True)
    assert (work.stats.kudos, work.stats.hits, work.stats.bookmarks) == (12, 340, None)
    assert (work.ao3_id, work.url) == ("9001", "https://archiveofourown.org/works/9001")
    assert work.source_format == "ao3-page"


def test_missing_stats_fall_back_to_own_counts() -> None:
    work = imported(work_page(chapters=WORK_TEXT, stats=""))
    assert work.published is None and work.stats.kudos is None
    assert work.words == work.text_words == 16
    assert work.chapter_count == 1 and work.chapters_expected is None


def test_several_series_with_parts_ids_and_a_comma_in_a_title() -> None:
    series = (
        '<dt class="series">Series:</dt><dd class="series">'
        '<span class="series"><a class="previous" href="/works/1">← Previous Work</a>'
        '<span class="position">Part 2 of <a href="/series/31">Tides, Etc.</a></span>'
        '<a class="next" href="/works/3">Next Work →</a></span>, '
        '<span class="series"><span class="position">Part 1 of the <a href="/series/47">Keepers</a> series</span></span>'
        "</dd>"
    )
    work = imported(work_page(chapters=WORK_TEXT, series=series))
    assert work.series == (
        SeriesRef(title="Tides, Etc.", part=2, ao3_id="31"),
        SeriesRef(title="Keepers", part=1, ao3_id="47"),
    )


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ('<a rel="author" href="/users/quill/pseuds/quill">quill</a>, '
         '<a rel="author" href="/users/tern/pseuds/Gull">Gull (tern)</a>', ("quill", "Gull (tern)")),
        ("\n    Anonymous\n  ", ("Anonymous",)),
        ('<a rel="author" href="/users/orphan_account/pseuds/Wick">Wick (orphan_account)</a>, '
         '<a rel="author" href="/users/orphan_account/pseuds/orphan_account">orphan_account</a>',
         ("Wick (orphan_account)", "orphan_account")),
    ],
)
def test_bylines_co_creators_anonymous_and_orphaned(byline: str, authors: tuple[str, ...]) -> None:
    assert imported(work_page(chapters=WORK_TEXT, byline=byline)).authors == authors


def test_chapter_page_holds_one_chapter_of_many() -> None:
    stats = stats_dd(published="2022-01-01", status="2022-03-01", words="30,100", chapters="14/?")
    work = imported(work_page(chapters=chapter_div(2, "<p>The second night was calmer.</p>", title="Calm"),
                              stats=stats, main_class="chapters-show region"))
    assert [(c.number, c.title) for c in work.chapters] == [(2, "Calm")]
    assert (work.chapter_count, work.chapters_expected, work.complete, work.words) == (14, None, False, 30100)


def test_entire_work_page_and_work_summary_notes_end_notes() -> None:
    preface = ('<div class="summary module"><h3 class="heading">Summary:</h3><blockquote class="userstuff">'
               "<p>Two keepers.</p><p>One lamp.</p></blockquote></div>"
               '<div class="notes module"><h3 class="heading">Notes:</h3><blockquote class="userstuff">'
               '<p>For the ferry crew.</p></blockquote><p class="jump">(See the end of the work for '
               '<a href="#work_endnotes">more notes</a>.)</p></div>')
    afterword = ('<div class="afterword preface group"><div id="work_endnotes" class="end notes module">'
                 '<h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>The end, truly.</p></blockquote>'
                 "</div></div>")
    chapters = chapter_div(1, "<p>First.</p>", title="One") + chapter_div(2, "<p>Second.</p>")
    work = imported(work_page(chapters=chapters, preface=preface, afterword=afterword,
                              stats=stats_dd(words="2", chapters="2/2")))
    assert work.summary == "Two keepers.\n\nOne lamp."
    assert work.notes == "For the ferry crew."
    assert work.end_notes == "The end, truly."
    assert [(c.number, c.title, c.text) for c in work.chapters] == [(1, "One", "First."), (2, None, "Second.")]


def test_another_archive_keeps_its_own_address() -> None:
    head = '<meta property="og:url" content="https://fic.example.net/works/77/">'
    work = imported(work_page(chapters=WORK_TEXT, head=head, work_id="77"))
    assert (work.ao3_id, work.url) == ("77", "https://fic.example.net/works/77")


def test_work_id_from_kudos_form_when_no_share_link() -> None:
    page = work_page(chapters=WORK_TEXT).replace(b'<li class="share"><a href="/works/9001/share">Share</a></li>', b"")
    page = page.replace(b"</div></div></div></body>",
                        b'<form id="new_kudo" action="/kudos"><input id="kudo_commentable_id" value="4242" />'
                        b"</form></div></div></div></body>")
    assert imported(page).ao3_id == "4242"


def test_work_page_without_title_is_malformed() -> None:
    page = work_page(chapters=WORK_TEXT).replace(b"The Lamp Room\n", b"")
    with pytest.raises(MalformedFile, match="title"):
        imported(page)


# --- downloads ------------------------------------------------------------------------


def test_download_preface_chapters_and_afterword() -> None:
    chapters = download_chapter(1, "Wind", "<p>The wind came first.</p>", summary="Weather.",
                                notes="Short.", end_notes="Longer later.") + download_chapter(
        2, "Rain", "<p>Then the rain.<br /><br /><br />Then nothing.</p>")
    series = ('<dt>Series:</dt><dd>Part 3 of <a href="https://archiveofourown.org/series/31">Tides, Etc.</a>, '
              'Part 1 of <a href="https://archiveofourown.org/series/47">Keepers</a></dd>')
    work = imported(download(chapters=chapters, dl_extra=series))
    assert work.source_format == "ao3-html"
    assert work.title == "The Lamp Room"
    assert work.authors == ("quill", "Gull (tern)")
    assert work.tags.rating is Rating.MATURE
    assert work.tags.warnings == (ArchiveWarning.VIOLENCE, ArchiveWarning.MAJOR_CHARACTER_DEATH)
    assert work.tags.categories == (Category.FF, Category.MULTI)
    assert work.tags.freeforms == ("Storms, Mostly", "Found Family")
    assert work.series == (SeriesRef(title="Tides, Etc.", part=3, ao3_id="31"),
                           SeriesRef(title="Keepers", part=1, ao3_id="47"))
    assert (work.summary, work.notes, work.end_notes) == ("Two keepers, one lamp, no patience.",
                                                           "Written on a ferry.", "Thanks for reading to the end.")
    assert str(work.published) == "2020-01-02" and str(work.updated) == "2020-02-03"
    assert (work.words, work.chapter_count, work.chapters_expected, work.complete) == (2345, 2, 2, True)
    assert (work.ao3_id, work.url) == ("9001", "https://archiveofourown.org/works/9001")
    one, two = work.chapters
    assert (one.number, one.title, one.summary, one.notes, one.end_notes) == (1, "Wind", "Weather.", "Short.",
                                                                              "Longer later.")
    assert one.text == "The wind came first."
    assert (two.number, two.title) == (2, "Rain")
    assert paragraphs(two.text) == ["Then the rain.", SCENE_BREAK, "Then nothing."]


def test_single_chapter_download() -> None:
    chapters = ('<h2 class="toc-heading">The Lamp Room</h2><div class="userstuff">'
                "<p>Only one night, told once.</p></div>")
    work = imported(download(chapters=chapters, stats="Published: 2020-01-02 Words: 5 Chapters: 1/1"))
    assert [(c.number, c.title, c.text) for c in work.chapters] == [(1, None, "Only one night, told once.")]
    assert work.complete is True and work.updated is None


def test_unfinished_download_with_unknown_total() -> None:
    work = imported(download(chapters=download_chapter(1, "Wind", "<p>x</p>"),
                             stats="Published: 2020-01-02 Updated: 2020-03-04 Words: 1 Chapters: 1/?"))
    assert (work.chapter_count, work.chapters_expected, work.complete) == (1, None, False)


# --- pages that are not works ---------------------------------------------------------


def site_page(main_class: str, main: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8" /><title>Page | Archive of Our Own</title></head>'
            f'<body><div id="outer">{HEADER}<div id="main" class="{main_class}">{main}</div></div></body></html>'
            ).encode()


GATE = site_page(
    "works-show region",
    '<h2 class="landmark heading">Adult Content Warning</h2><p class="caution">This work could have adult '
    'content.</p><ul class="actions"><li><a href="/works/555?view_adult=true">Proceed</a></li></ul>'
    '<ol class="work index group"><li class="work blurb group" id="work_555"><div class="header module">'
    '<h4 class="heading"><a href="/works/555">Night Shift</a> by <a rel="author" href="/users/x">x</a></h4>'
    "</div></li></ol>",
)
LOGIN = site_page(
    "sessions-new system session region",
    '<div class="flash"></div><div id="signin"><p>Sorry! This work is only available to registered users.</p>'
    '<form action="/users/login" method="post"><input name="user[login]" /></form></div>',
)
LISTING = site_page(
    "works-index filtered region",
    '<h2 class="heading">1 - 20 of 300 Works in Lighthouses</h2><ol class="work index group">'
    '<li class="work blurb group"><h4 class="heading"><a href="/works/1">One</a></h4></li></ol>',
)
SERIES = site_page(
    "series-show region",
    '<h2 class="heading">Keepers</h2><div class="wrapper"><dl class="series meta group"><dt>Creator:</dt>'
    '<dd>quill</dd></dl></div><ul class="series work index group"><li class="work blurb group">'
    '<h4 class="heading"><a href="/works/1">One</a></h4></li></ul>',
)
NAVIGATE = site_page(
    "works-navigate region",
    '<h2 class="heading">Chapter Index for <a href="/works/9">The Lamp Room</a> by quill</h2>'
    '<ol class="chapter index group"><li><a href="/works/9/chapters/1">1. Wind</a></li></ol>',
)


@pytest.mark.parametrize(
    ("page", "error", "words"),
    [
        (GATE, AdultContentGate, ("adult", "Proceed", "view_adult=true", "save the page again",
                                  "https://archiveofourown.org/works/555", "Night Shift")),
        (LOGIN, LoginRequired, ("log-in page", "log in", "save the page again")),
        (LISTING, ListingPage, ("listing", "1 - 20 of 300 Works in Lighthouses", "save its page")),
        (SERIES, SeriesPage, ("series page", "Keepers", "import the works themselves")),
        (NAVIGATE, ChapterIndexPage, ("chapter index", "Entire Work")),
    ],
)
def test_pages_that_are_not_works_raise_their_own_error(page: bytes, error: type[NotAWork],
                                                        words: tuple[str, ...]) -> None:
    assert ao3_html.sniff(page[:65536], filename="p.html")
    with pytest.raises(error) as info:
        imported(page, "saved.html")
    message = str(info.value)
    assert message.startswith("saved.html: ")
    assert "\n" not in message
    for w in words:
        assert w in message


def test_other_ao3_page_is_not_a_work() -> None:
    page = site_page("users-show region", '<h2 class="heading">quill</h2><p>Profile.</p>')
    with pytest.raises(NotAWork, match="does not hold a work"):
        imported(page)


# --- sniffing and the generic fallback ------------------------------------------------

BLOG = (b"<!DOCTYPE html><html><head><title>Harbour Notes</title></head><body><nav>Home | About</nav>"
        b"<h1>Harbour Notes</h1><p>I read fan fiction on the Archive of Our Own.</p><p>Today: gulls.</p>"
        b"</body></html>")


def test_sniff_takes_ao3_files_and_leaves_other_html() -> None:
    assert ao3_html.sniff(work_page(chapters=WORK_TEXT), filename="a.html")
    assert ao3_html.sniff(download(chapters="<div class='userstuff'>x</div>"), filename="a.html")
    assert not ao3_html.sniff(BLOG, filename="blog.html")
    skinned = (b'<html><head><link rel="stylesheet" href="/stylesheets/skins/skin_1_default/1_site_screen_.css" />'
               b"</head><body><p>x</p></body></html>")
    assert ao3_html.sniff(skinned, filename="page.html")
    assert not ao3_html.sniff(b"export const page = `" + work_page(chapters=WORK_TEXT), filename="page.ts")
    assert not ao3_html.sniff(b"Just some words about workskin.", filename="notes.txt")
    assert detect(work_page(chapters=WORK_TEXT), filename="a.html") == "ao3-html"
    try:
        other = detect(BLOG, filename="blog.html")
    except UnsupportedFormat:  # no other importer takes it (yet): also fine
        other = None
    assert other != "ao3-html"


def test_other_html_asked_for_explicitly_is_one_chapter_titled_from_the_page() -> None:
    work = parse_bytes(BLOG, filename="blog.html", format="ao3-html")
    assert work.title == "Harbour Notes"
    assert work.source_format == "html"
    (chapter,) = work.chapters
    assert chapter.text == "I read fan fiction on the Archive of Our Own.\n\nToday: gulls."


def test_other_html_without_title_takes_the_file_name() -> None:
    work = parse_bytes(b"<html><body><p>Plain words.</p></body></html>", filename="/x/my story.html",
                       format="ao3-html")
    assert work.title == "my story"


@pytest.mark.parametrize("data", [b"", b"   ", b"<html><body></body></html>"])
def test_empty_input_is_malformed(data: bytes) -> None:
    with pytest.raises(MalformedFile):
        parse_bytes(data, filename="empty.html", format="ao3-html")


def test_stale_latin_declaration_on_utf8_bytes_is_read_as_utf8() -> None:
    page = work_page(chapters=WORK_TEXT.replace("out of spite", "out of spite — and café"))
    page = page.replace(b'<meta charset="utf-8" />', b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    assert "out of spite — and café" in imported(page).chapters[0].text
