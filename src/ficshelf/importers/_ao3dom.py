"""Small lxml helpers shared by the AO3 HTML readers (downloads and saved pages).

Everything here works on an already parsed tree and looks only inside the
element it is given, so callers can find a region once and stay inside it.

>>> from lxml import html
>>> el = html.fragment_fromstring('<div class="userstuff module"><h3 class="landmark heading">Chapter Text</h3><p>Hi.</p></div>')
>>> has_class(el, "userstuff"), has_class(el, "user")
(True, False)
>>> body = story_body(el)
>>> body.text, body.html
('Hi.', '<p>Hi.</p>')
>>> work_url_parts("https://archiveofourown.org/works/123/chapters/456")
('archiveofourown.org', '123')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ficshelf.importers._htmltext import element_to_text, inner_html, sanitize_html

__all__ = [
    "AO3_HOST",
    "StoryBody",
    "block_text",
    "byline_names",
    "chapter_heading",
    "children",
    "clean",
    "drop_chrome",
    "has_class",
    "select",
    "story_body",
    "text_of",
    "work_url",
    "work_url_parts",
]

AO3_HOST = "archiveofourown.org"

_WS = re.compile(r"\s+")
_CHAPTER_HEADING = re.compile(r"^Chapter\s+(\d+)\s*(?::\s*(.*))?$", re.S)
_BY = re.compile(r"^by\s+", re.I)
# /works/123, /works/123/chapters/4, /downloads/123/Title.html, https://host/works/123/
_WORK_PATH = re.compile(r"(?:^|/)(?:works|downloads)/(\d+)(?=/|$|\?|#)")


def clean(s: str | None) -> str:
    """Collapse white space runs to one space and strip.

    >>> clean("  Chapter\\n   2 ")
    'Chapter 2'
    """
    return _WS.sub(" ", s).strip() if s else ""


def select(xpath: Any, node: Any) -> list[Any]:
    """The nodes or strings a compiled ``etree.XPath`` finds (an empty list for scalar results)."""
    result = xpath(node)
    return result if isinstance(result, list) else []


def has_class(el: Any, name: str) -> bool:
    """True when ``name`` is one of the element's classes."""
    value = el.get("class")
    return bool(value) and name in value.split()


def children(el: Any) -> Iterator[Any]:
    """Element children only (comments and processing instructions skipped)."""
    for child in el:
        if isinstance(child.tag, str):
            yield child


def text_of(el: Any) -> str:
    """The element's text on one line (images' alt text ignored)."""
    return clean(el.text_content())


def block_text(el: Any | None) -> str | None:
    """Multi-paragraph text of a summary or notes block, or None when empty."""
    if el is None:
        return None
    text = element_to_text(el)
    return text or None


def chapter_heading(text: str) -> tuple[int | None, str | None]:
    """(number, title) from AO3's "Chapter N: Title" heading; (None, text) for anything else.

    >>> chapter_heading("Chapter 12: The Long Way: Round")
    (12, 'The Long Way: Round')
    >>> chapter_heading("Chapter 3"), chapter_heading("Prologue"), chapter_heading("")
    ((3, None), (None, 'Prologue'), (None, None))
    """
    text = clean(text)
    m = _CHAPTER_HEADING.match(text)
    if m:
        return int(m.group(1)), clean(m.group(2)) or None
    return None, text or None


def byline_names(el: Any) -> tuple[str, ...]:
    """Creators as the byline writes them: its author links, else its text ("by Anonymous").

    >>> from lxml import html
    >>> byline_names(html.fragment_fromstring('<div>by <a rel="author" href="/u/a">A (b)</a>, <a rel="author" href="/u/c">c</a></div>'))
    ('A (b)', 'c')
    >>> byline_names(html.fragment_fromstring('<h3> Anonymous </h3>'))
    ('Anonymous',)
    """
    names = [text_of(a) for a in el.iter("a") if a.get("rel") == "author"]
    if names:
        return tuple(n for n in names if n)
    text = _BY.sub("", text_of(el))
    return tuple(n.strip() for n in text.split(", ") if n.strip())


def drop_chrome(el: Any) -> None:
    """Remove AO3's landmark headings ("Chapter Text", "Work Text:") directly inside ``el``.

    The heading's tail text (normally white space) is kept in place.
    """
    for child in list(children(el)):
        if child.tag in {"h3", "h2", "h4"} and has_class(child, "landmark"):
            child.drop_tree()


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryBody:
    text: str
    html: str


def story_body(el: Any) -> StoryBody:
    """Plain text and sanitized markup of a story-text element, AO3 chrome removed."""
    drop_chrome(el)
    return StoryBody(text=element_to_text(el), html=sanitize_html(inner_html(el)))


def work_url_parts(url: str | None) -> tuple[str | None, str | None]:
    """(host, work id) from an AO3-style work, chapter or download address.

    >>> work_url_parts("/works/77/share")
    (None, '77')
    >>> work_url_parts("https://superlove.sayitditto.net/works/1269/")
    ('superlove.sayitditto.net', '1269')
    >>> work_url_parts("https://archiveofourown.org/series/5")
    ('archiveofourown.org', None)
    """
    if not url:
        return None, None
    parts = urlsplit(unquote(url.strip()))
    host = parts.hostname or None
    m = _WORK_PATH.search(parts.path)
    return host, (m.group(1) if m else None)


def work_url(host: str | None, work_id: str | None) -> str | None:
    """The canonical address of a work on an AO3-software archive.

    >>> work_url(None, "42")
    'https://archiveofourown.org/works/42'
    """
    if not work_id:
        return None
    return f"https://{host or AO3_HOST}/works/{work_id}"
