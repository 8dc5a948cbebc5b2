"""What every exporter writes the same way: AO3's labelled fields, headings, paragraphs.

>>> from ficshelf.model import Chapter, Tags, Rating, Work
>>> w = Work(title="T", chapters=(Chapter(number=1, text="a"),), tags=Tags(rating=Rating.TEEN, fandoms=("X", "Y")))
>>> tag_fields(w)[:2]
[('Rating:', ['Teen And Up Audiences']), ('Fandoms:', ['X', 'Y'])]
>>> chapter_heading(Chapter(number=2, text="", title="Home")), language_code("Français"), language_code(None)
('Chapter 2: Home', 'fr', 'und')
>>> text_to_html("One\\nline.\\n\\n* * *\\n\\n~~~\\n\\nTwo & three.")
'<p>One<br/>line.</p>\\n<hr/>\\n<p class="scene-break">~~~</p>\\n<p>Two &amp; three.</p>'
"""

from __future__ import annotations

import re
from html import escape

from ficshelf.model import Chapter, Work
from ficshelf.text import SCENE_BREAK, is_scene_break, paragraphs

__all__ = [
    "chapter_heading",
    "language_code",
    "series_text",
    "stats_line",
    "tag_fields",
    "text_to_html",
    "xml_safe",
]


def _label(singular: str, plural: str, n: int) -> str:
    return f"{singular if n == 1 else plural}:"


def tag_fields(work: Work) -> list[tuple[str, list[str]]]:
    """AO3's tag block as (label, values), in AO3's order, with AO3's singular/plural labels."""
    t = work.tags
    out: list[tuple[str, list[str]]] = []
    if t.rating:
        out.append(("Rating:", [t.rating.value]))
    for singular, plural, values in (
        ("Archive Warning", "Archive Warnings", [w.value for w in t.warnings]),
        ("Category", "Categories", [c.value for c in t.categories]),
        ("Fandom", "Fandoms", list(t.fandoms)),
        ("Relationship", "Relationships", list(t.relationships)),
        ("Character", "Characters", list(t.characters)),
        ("Additional Tags", "Additional Tags", list(t.freeforms)),
    ):
        if values:
            out.append((_label(singular, plural, len(values)), values))
    return out


def series_text(work: Work) -> str | None:
    if not work.series:
        return None
    return ", ".join(f"Part {s.part} of {s.title}" if s.part else s.title for s in work.series)


def stats_line(work: Work) -> str:
    """ "Published: 2020-03-04 Updated: 2020-04-01 Words: 4,559 Chapters: 2/?" as AO3 prints it."""
    parts: list[str] = []
    if work.published:
        parts.append(f"Published: {work.published.isoformat()}")
    if work.updated:
        parts.append(f"{'Completed' if work.complete else 'Updated'}: {work.updated.isoformat()}")
    words = work.words if work.words is not None else work.text_words
    parts.append(f"Words: {words:,}")
    count = work.chapter_count if work.chapter_count is not None else len(work.chapters)
    expected = work.chapters_expected
    if expected is None and work.complete:
        expected = count
    parts.append(f"Chapters: {count}/{expected if expected is not None else '?'}")
    s = work.stats
    for name, value in (("Comments", s.comments), ("Kudos", s.kudos), ("Bookmarks", s.bookmarks), ("Hits", s.hits)):
        if value is not None:
            parts.append(f"{name}: {value:,}")
    return " ".join(parts)


def chapter_heading(chapter: Chapter) -> str:
    """AO3's chapter heading: "Chapter 3: Title" or "Chapter 3"."""
    return f"Chapter {chapter.number}: {chapter.title}" if chapter.title else f"Chapter {chapter.number}"


# AO3's language names (as its pages print them) to BCP 47 tags.
_LANGUAGES = {
    "english": "en", "español": "es", "spanish": "es", "français": "fr", "french": "fr",
    "deutsch": "de", "german": "de", "italiano": "it", "italian": "it", "русский": "ru",
    "russian": "ru", "português brasileiro": "pt-BR", "português europeu": "pt-PT",
    "portuguese": "pt", "中文-普通话 國語": "zh", "中文": "zh", "chinese": "zh", "日本語": "ja",
    "japanese": "ja", "한국어": "ko", "korean": "ko", "polski": "pl", "polish": "pl",
    "nederlands": "nl", "dutch": "nl", "svenska": "sv", "swedish": "sv", "suomi": "fi",
    "dansk": "da", "norsk": "no", "türkçe": "tr", "turkish": "tr", "tiếng việt": "vi",
    "bahasa indonesia": "id", "čeština": "cs", "magyar": "hu", "українська": "uk",
    "العربية": "ar", "עברית": "he", "ไทย": "th", "català": "ca", "ελληνικά": "el",
    "filipino": "fil", "română": "ro", "hrvatski": "hr", "latina": "la",
}
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def language_code(language: str | None) -> str:
    """A BCP 47 tag for the work's language ("und" when unknown)."""
    if not language:
        return "und"
    lang = language.strip()
    code = _LANGUAGES.get(lang.casefold())
    if code:
        return code
    return lang if _BCP47.match(lang) else "und"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the control characters XML cannot hold."""
    return _XML_BAD.sub("", text)


def _esc(text: str) -> str:
    return escape(xml_safe(text), quote=False)


def text_to_html(text: str) -> str:
    """Model text to paragraphs: line breaks as ``<br/>``, ``SCENE_BREAK`` as ``<hr/>``,
    an author's own separator kept as written in a ``p.scene-break``."""
    out: list[str] = []
    for para in paragraphs(text):
        p = para.strip()
        if p == SCENE_BREAK:
            out.append("<hr/>")
        elif is_scene_break(p):
            out.append(f'<p class="scene-break">{_esc(p)}</p>')
        else:
            out.append("<p>" + "<br/>".join(_esc(line) for line in p.split("\n")) + "</p>")
    return "\n".join(out)


def attr_escape(text: str) -> str:
    """Text escaped for XHTML content and attribute values."""
    return escape(xml_safe(text), quote=True)


def labelled_block(label: str, text: str | None, *, indent: str = "") -> str:
    """AO3's "Summary"/"Notes" block: a label paragraph and a userstuff blockquote."""
    if not text:
        return ""
    return (f'{indent}<p>{attr_escape(label)}</p>\n'
            f'{indent}<blockquote class="userstuff">\n{text_to_html(text)}\n{indent}</blockquote>\n')


def preface_rows(work: Work, *, indent: str = "") -> list[str]:
    """The ``<dt>``/``<dd>`` pairs of AO3's preface ``dl.tags``: tags, language, series, stats."""
    rows: list[tuple[str, str]] = [
        (label, ", ".join(f'<a class="tag">{attr_escape(v)}</a>' for v in values))
        for label, values in tag_fields(work)
    ]
    if work.language:
        rows.append(("Language:", attr_escape(work.language)))
    series = series_text(work)
    if series:
        rows.append(("Series:", attr_escape(series)))
    rows.append(("Stats:", attr_escape(stats_line(work))))
    return [f"{indent}<dt>{attr_escape(label)}</dt>\n{indent}<dd>{value}</dd>" for label, value in rows]
