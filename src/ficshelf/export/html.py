"""One self-contained HTML file shaped like AO3's "Download → HTML" (so AO3-aware readers take it).

The layout follows otwarchive's download view: ``div#preface`` (``p.message``,
``div.meta`` with the labelled ``dl.tags``, ``h1`` title, ``div.byline``,
``<p>Summary</p><blockquote>`` and Notes), ``div#chapters`` (per chapter a
``div.meta.group`` with ``h2.heading`` "Chapter N: Title" and its Chapter
Summary/Notes, the text in ``div.userstuff``, and ``div.meta#endnotesN`` with
Chapter End Notes) and ``div#afterword`` (End Notes). The style sheet is inline;
nothing is loaded from elsewhere.
"""

from __future__ import annotations

from html import escape

from ficshelf.export._common import (
    chapter_heading,
    labelled_block,
    language_code,
    preface_rows,
    text_to_html,
    xml_safe,
)
from ficshelf.importers._htmltext import sanitize_html
from ficshelf.model import Chapter, Work

__all__ = ["MEDIA_TYPE", "NAME", "SUFFIX", "export"]

NAME = "html"
SUFFIX = ".html"
MEDIA_TYPE = "text/html; charset=utf-8"

_CSS = """\
body { max-width: 42em; margin: 2em auto; padding: 0 1em; font-family: Georgia, serif; line-height: 1.5; }
p.message { text-align: center; }
.meta h1 { font-size: 1.5em; text-align: center; }
.meta h2 { font-size: 1.25em; text-align: center; }
.meta .byline { text-align: center; }
.meta dl.tags { border: 1px solid; padding: 1em; }
.meta dt { font-weight: bold; }
.meta dd { margin: 0 0 0.5em 2em; }
.toc-heading { display: none; }
hr { margin: 2em 30%; }
p.scene-break { text-align: center; }
"""


def _e(text: str) -> str:
    return escape(xml_safe(text), quote=True)


def _labelled(label: str, text: str | None) -> str:
    return labelled_block(label, text, indent="  ")


def _preface(work: Work) -> str:
    rows = preface_rows(work, indent="      ")
    message = f"<b>{_e(work.title)}</b>"
    if work.url and "archiveofourown.org/works/" in work.url:
        message += (f'<br/>\n    Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a>'
                    f' at <a href="{_e(work.url)}">{_e(work.url)}</a>.')
    else:
        message += "<br/>\n    Exported by ficshelf."
    return (
        '<div id="preface">\n  <h2 class="toc-heading">Preface</h2>\n'
        f'  <p class="message">\n    {message}\n  </p>\n'
        '  <div class="meta">\n    <dl class="tags">\n' + "\n".join(rows) + "\n    </dl>\n"
        f"    <h1>{_e(work.title)}</h1>\n"
        + (f'    <div class="byline">by {_e(", ".join(work.authors))}</div>\n' if work.authors else "")
        + _labelled("Summary", work.summary)
        + _labelled("Notes", work.notes)
        + "  </div>\n</div>\n"
    )


def _body(chapter: Chapter) -> str:
    if chapter.html:
        markup = sanitize_html(chapter.html)
        if markup.strip():
            return markup
    return text_to_html(chapter.text)


def _chapter(chapter: Chapter, position: int) -> str:
    out = (
        '<div class="meta group">\n'
        f'  <h2 class="heading">{_e(chapter_heading(chapter))}</h2>\n'
        + _labelled("Chapter Summary", chapter.summary)
        + _labelled("Chapter Notes", chapter.notes)
        + "</div>\n"
        f'<div class="userstuff">\n{_body(chapter)}\n</div>\n'
    )
    if chapter.end_notes:
        out += (f'<div class="meta" id="endnotes{position}">\n'
                + _labelled("Chapter End Notes", chapter.end_notes) + "</div>\n")
    return out


def export(work: Work) -> bytes:
    """The work as one HTML document (UTF-8)."""
    lang = language_code(work.language)
    head_title = " - ".join(x for x in (work.title, ", ".join(work.authors), ", ".join(work.tags.fandoms[:1])) if x)
    chapters = "".join(_chapter(c, n) for n, c in enumerate(work.chapters, start=1))
    afterword = ""
    if work.end_notes:
        afterword = ('<div id="afterword">\n  <h2 class="toc-heading">Afterword</h2>\n'
                     f'  <div class="meta">\n<div id="endnotes">\n{_labelled("End Notes", work.end_notes)}</div>\n'
                     "  </div>\n</div>\n")
    doc = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{_e(head_title)}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n"
        + _preface(work)
        + f'<div id="chapters" class="userstuff">\n{chapters}</div>\n'
        + afterword
        + "</body>\n</html>\n"
    )
    return doc.encode("utf-8")
