"""AO3 HTML: "Download → HTML" files, saved work and chapter pages, and the pages that are not works.

``sniff`` accepts HTML that AO3 (or another archive running its software,
otwarchive) produced: a download (``div#preface`` + ``div#chapters``, "Posted
originally on the ..."), or any saved page of the site (``#workskin``,
``dl.work.meta``, the ``/images/ao3_logos/`` header, the site-skin
stylesheets under ``/stylesheets/skins/``). Other HTML is left to later importers.

``parse`` reads, in this order:

1. a saved work or chapter page (``ao3_page``; ``source_format`` "ao3-page");
2. a download (``ao3_download``; ``source_format`` "ao3-html");
3. any other page of an AO3-software site: raises the ``NotAWork`` error that
   says what the page is (adult-content gate, log-in page, listing, series,
   chapter index) and how to save the work instead (``_ao3notwork``);
4. HTML from anywhere else, when asked for explicitly (``format="ao3-html"``):
   one chapter, titled from ``<title>`` or the first ``<h1>`` (else the file
   name), ``source_format`` "html". ``sniff`` never claims such files, so the
   automatic detection does not send them here.

The document is parsed once with lxml; each reader looks its regions up once
and then walks only inside them.
"""

from __future__ import annotations

import os
import re
from typing import Any

from lxml import etree

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3dom import has_class, select, story_body, text_of
from ficshelf.importers._ao3notwork import raise_not_a_work
from ficshelf.importers._htmltext import parse_html
from ficshelf.importers.ao3_download import download_regions, work_from_download
from ficshelf.importers.ao3_page import find_work_page, work_from_page
from ficshelf.model import Chapter, Work

__all__ = ["GENERIC_FORMAT", "NAME", "generic_work", "is_ao3_html", "parse", "sniff"]

NAME = "ao3-html"
GENERIC_FORMAT = "html"

_HEAD_CHECK = 64 * 1024
_STARTS_AS_MARKUP = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<", re.S)
_AO3_MARKERS = re.compile(
    rb"""id\s*=\s*["']workskin["']"""
    rb"""|class\s*=\s*["']work meta group"""
    rb"""|/images/ao3_logos/"""
    rb"""|/stylesheets/skins/skin_\d+_"""  # otwarchive's site-skin files, linked early in <head>
    rb"""|Posted originally on the""",
    re.I,
)
_DOWNLOAD_PREFACE = re.compile(rb"""<div\b[^>]*\sid\s*=\s*["']preface["']""", re.I)
_DOWNLOAD_CHAPTERS = re.compile(rb"""<div\b[^>]*\sid\s*=\s*["']chapters["']""", re.I)
_TITLE_OR_H1 = etree.XPath("(//title | //h1)")


def is_ao3_html(head: bytes) -> bool:
    """True when the first bytes of a file are HTML made by AO3's software.

    >>> is_ao3_html(b'<html><body><div id="workskin"></div></body></html>')
    True
    >>> is_ao3_html(b'<html><body><div id="preface"><dl></dl></div><div id="chapters">x</div></body></html>')
    True
    >>> is_ao3_html(b'<html><body><div class="p" id="preface"></div><div class="u" id="chapters"></div></body></html>')
    True
    >>> is_ao3_html(b'<html><body><h1>My blog</h1><p>I read fics on the Archive of Our Own.</p></body></html>')
    False
    >>> is_ao3_html(b'export const page = `<div id="workskin">`')
    False
    """
    head = head[:_HEAD_CHECK]
    if not _STARTS_AS_MARKUP.match(head):
        return False
    if _AO3_MARKERS.search(head):
        return True
    return bool(_DOWNLOAD_PREFACE.search(head) and _DOWNLOAD_CHAPTERS.search(head))


def sniff(head: bytes, *, filename: str) -> bool:
    return is_ao3_html(head)


def parse(data: bytes, *, filename: str) -> Work:
    shown = os.path.basename(filename) or "the input"
    try:
        doc = parse_html(data)
    except (etree.ParserError, LookupError) as exc:
        raise MalformedFile(f"{shown}: not readable as HTML ({exc})") from exc
    page = find_work_page(doc)
    if page is not None:
        return work_from_page(doc, page, filename=shown)
    regions = download_regions(doc)
    if regions is not None:
        return work_from_download(regions, filename=shown)
    if is_ao3_html(data):
        raise_not_a_work(doc, shown=shown)
    return generic_work(doc, filename=filename)


def generic_work(doc: Any, *, filename: str) -> Work:
    """Any HTML page as a one-chapter work (the fallback for non-AO3 HTML)."""
    shown = os.path.basename(filename) or "the input"
    title = ""
    title_el = None
    for el in select(_TITLE_OR_H1, doc):
        title = text_of(el)
        if title:
            title_el = el
            break
    body = doc.find("body")
    if body is None:
        body = doc
    if title_el is not None and title_el.tag == "h1":
        title_el.drop_tree()
    elif title_el is not None:
        first_h1 = body.find(".//h1")
        if first_h1 is not None and text_of(first_h1) == title:
            first_h1.drop_tree()
    for el in list(body.iter("nav", "header", "footer")):
        if not has_class(el, "userstuff"):
            el.drop_tree()
    content = story_body(body)
    if not content.text:
        raise MalformedFile(f"{shown}: HTML without any text")
    if not title:
        title = os.path.splitext(shown)[0] or "Untitled"
    return Work(
        title=title,
        chapters=(Chapter(number=1, text=content.text, html=content.html),),
        source_format=GENERIC_FORMAT,
    )
