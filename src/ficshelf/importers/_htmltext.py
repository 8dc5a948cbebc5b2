"""Story markup to ficshelf text, and markup sanitizing. Shared by every HTML-based importer.

``element_to_text`` walks an lxml element and writes paragraphs separated by a
blank line. Inside a paragraph a single ``<br>`` is a line break, two in a row a
paragraph break and three or more (a common AO3 habit) a scene break;
``<hr>`` is a scene break; block elements end paragraphs.

>>> from lxml import html
>>> el = html.fragment_fromstring("<div><p>One<br>two</p><p>Three<br><br><br><br>Four</p><hr/><p>Five</p></div>")
>>> print(element_to_text(el))
One
two
<BLANKLINE>
Three
<BLANKLINE>
* * *
<BLANKLINE>
Four
<BLANKLINE>
* * *
<BLANKLINE>
Five
"""

from __future__ import annotations

import codecs
import re
from html import escape
from typing import Any

import nh3
from lxml import etree, html

from ficshelf.text import SCENE_BREAK

__all__ = ["element_to_text", "html_to_text", "inner_html", "parse_html", "sanitize_html"]

_BLOCK = frozenset({
    "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "pre", "table", "tr", "section", "article", "header", "footer", "aside", "center", "figure",
    "figcaption", "details", "summary", "address", "main", "nav",
})
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg"})


class _Writer:
    """Collects text as paragraphs; counts consecutive <br>."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.line: list[str] = []
        self.lines: list[str] = []
        self.brs = 0

    def text(self, s: str | None) -> None:
        if not s:
            return
        if self.brs and s.strip():
            self._apply_brs()
        self.line.append(s)

    def br(self) -> None:
        self.brs += 1

    def _apply_brs(self) -> None:
        n, self.brs = self.brs, 0
        if n == 1:
            self._end_line()
        elif n == 2:
            self.end_paragraph()
        else:
            self.end_paragraph()
            self.scene_break()

    def _end_line(self) -> None:
        if not self.line:
            return
        s = "".join(self.line)
        self.line = []
        if "\u200b" in s:  # zero-width space: str.split() does not see it as space
            s = s.replace("\u200b", " ")
        s = " ".join(s.split())  # collapse and strip, much faster than a regex here
        if s:
            self.lines.append(s)

    def end_paragraph(self) -> None:
        self._end_line()
        if self.lines:
            self.paragraphs.append("\n".join(self.lines))
            self.lines = []

    def block_end(self) -> None:
        # trailing <br>s at the end of a block: a run of 3+ still marks a break
        n, self.brs = self.brs, 0
        self.end_paragraph()
        if n >= 3:
            self.scene_break()

    def scene_break(self) -> None:
        if self.paragraphs and self.paragraphs[-1] != SCENE_BREAK:
            self.paragraphs.append(SCENE_BREAK)

    def result(self) -> str:
        self.block_end()
        while self.paragraphs and self.paragraphs[-1] == SCENE_BREAK:
            self.paragraphs.pop()
        return "\n\n".join(self.paragraphs)


def _walk(el: Any, w: _Writer) -> None:
    tag = el.tag
    if tag == "br":  # the commonest element in AO3 text: fast path
        w.brs += 1
        if el.tail:
            w.text(el.tail)
        return
    if not isinstance(tag, str):
        # comments and processing instructions: keep only their tail
        w.text(el.tail)
        return
    if "}" in tag:  # XHTML (EPUB) namespaces
        tag = tag.rsplit("}", 1)[1]
    tag = tag.lower()
    if tag in _SKIP:
        w.text(el.tail)
        return
    if tag == "br":
        w.br()
        w.text(el.tail)
        return
    if tag == "hr":
        w.block_end()
        w.scene_break()
        w.text(el.tail)
        return
    block = tag in _BLOCK
    if block:
        w.block_end()
    w.text(el.text)
    for child in el:
        _walk(child, w)
    if block:
        w.block_end()
    w.text(el.tail)


def element_to_text(el: Any) -> str:
    """Plain text of an element's content (its own tail excluded).

    Lines come out already collapsed and stripped (the ``normalize_space``
    contract), so no second pass over the text is needed.
    """
    w = _Writer()
    w.text(el.text)
    for child in el:
        _walk(child, w)
    return w.result()


def parse_html(data: bytes | str) -> Any:
    """Parse a whole HTML document with lxml, honouring a declared charset, else UTF-8."""
    if isinstance(data, bytes):
        parser = html.HTMLParser(encoding=_sniff_encoding(data))
        return html.document_fromstring(data, parser=parser)
    return html.document_fromstring(data)


_BOM_UTF8 = b"\xef\xbb\xbf"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
# Saved pages are often re-encoded to UTF-8 while keeping an old "iso-8859-1" declaration.
_LATIN = frozenset({"iso-8859-1", "latin-1", "latin1", "l1", "cp1252", "windows-1252", "us-ascii", "ascii"})


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sniff_encoding(data: bytes) -> str:
    """The encoding to read ``data`` with: BOM, then a declared charset, then UTF-8, else cp1252.

    >>> _sniff_encoding('<meta charset="iso-8859-1"><p>caf\u00e9</p>'.encode("utf-8"))
    'utf-8'
    >>> _sniff_encoding('<meta charset="iso-8859-1"><p>caf\u00e9</p>'.encode("latin-1"))
    'iso-8859-1'
    >>> _sniff_encoding(b'<meta charset="no-such-codec"><p>plain</p>')
    'utf-8'
    """
    if data.startswith(_BOM_UTF8):
        return "utf-8"
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "replace").lower()
        try:
            name = codecs.lookup(enc).name
        except LookupError:
            name = ""
        if name == "utf-8":
            return "utf-8"
        if name and not (enc in _LATIN and not data.isascii() and _is_utf8(data)):
            return enc
    return "utf-8" if _is_utf8(data) else "cp1252"


def html_to_text(data: bytes | str) -> str:
    doc = parse_html(data)
    body = doc.find("body")
    return element_to_text(body if body is not None else doc)


def inner_html(el: Any) -> str:
    """The markup inside an element (its own tag and tail excluded).

    >>> from lxml import html
    >>> inner_html(html.fragment_fromstring("<div>a &amp; <b>b</b> c</div>"))
    'a &amp; <b>b</b> c'
    """
    parts = [escape(el.text, quote=False) if el.text else ""]
    for child in el:
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts).strip()


# AO3's allow-list (otwarchive config: sanitizer) is the model: text-level
# markup, lists, tables, images by URL; no scripts, styles, forms or frames.
_TAGS = {
    "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center", "cite",
    "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
}
_ATTRS = {
    "*": {"align", "dir", "lang", "title", "class"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}


def sanitize_html(markup: str) -> str:
    """Allow-list sanitizing: no scripts, styles, event handlers, frames, or non-http(s) URLs.

    >>> sanitize_html('<p onclick="x()">Hi<script>bad()</script> <a href="javascript:x">l</a></p>')
    '<p>Hi <a rel="nofollow">l</a></p>'
    """
    return nh3.clean(
        markup,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow",
        strip_comments=True,
    )
