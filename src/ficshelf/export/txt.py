"""Plain text in the shape of a copied AO3 work page, so the ``ao3-text`` importer reads it back.

::

    Title
    by Author One, Author Two
    Posted originally on the Archive of Our Own at https://... (only for AO3 works)

    Rating: Teen And Up Audiences
    Archive Warning: No Archive Warnings Apply
    ...
    Stats: Published: 2024-01-02 Words: 1,234 Chapters: 2/2

    Summary:
    ...
    Chapter 1: Title            (per chapter: Summary:/Notes:, then)
    Chapter Text
    the text, paragraphs separated by a blank line
    Chapter End Notes:
    ...
    End Notes:

A line break inside a paragraph is written as a Markdown hard break (two spaces
before the newline) so that it cannot be taken for a paragraph break.
"""

from __future__ import annotations

from ficshelf.export._common import chapter_heading, series_text, stats_line, tag_fields
from ficshelf.model import Chapter, Work
from ficshelf.text import paragraphs

__all__ = ["MEDIA_TYPE", "NAME", "SUFFIX", "export"]

NAME = "txt"
SUFFIX = ".txt"
MEDIA_TYPE = "text/plain; charset=utf-8"


def _text(text: str) -> str:
    return "\n\n".join(p.strip().replace("\n", "  \n") for p in paragraphs(text))


def _block(label: str, text: str | None) -> list[str]:
    return [f"{label}:", "", _text(text), ""] if text else []


def _chapter(chapter: Chapter) -> list[str]:
    lines = [chapter_heading(chapter), ""]
    lines += _block("Summary", chapter.summary)
    lines += _block("Notes", chapter.notes)
    lines += ["Chapter Text", "", _text(chapter.text), ""]
    lines += _block("Chapter End Notes", chapter.end_notes)
    return lines


def export(work: Work) -> bytes:
    """The work as UTF-8 text."""
    lines = [work.title]
    if work.authors:
        lines.append("by " + ", ".join(work.authors))
    if work.url and "archiveofourown.org/works/" in work.url:
        lines.append(f"Posted originally on the Archive of Our Own at {work.url}")
    lines.append("")
    for label, values in tag_fields(work):
        lines.append(f"{label} {', '.join(values)}")
    if work.language:
        lines.append(f"Language: {work.language}")
    series = series_text(work)
    if series:
        lines.append(f"Series: {series}")
    lines += [f"Stats: {stats_line(work)}", ""]
    lines += _block("Summary", work.summary)
    lines += _block("Notes", work.notes)
    for chapter in work.chapters:
        lines += _chapter(chapter)
    lines += _block("End Notes", work.end_notes)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
