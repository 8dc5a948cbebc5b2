"""Stored chapter markup to a fragment that is valid XHTML5 inside an EPUB 3.

Importers keep ``Chapter.html`` sanitized to AO3's allow-list, which still holds
HTML 4 elements EPUB 3 rejects (``center``, ``strike``, ``big``, ``tt``,
``acronym``), presentational attributes, remote images, and whatever nesting the
source had. ``xhtml_fragment`` rewrites it: old elements renamed, unknown ones
unwrapped, attributes kept only where HTML5 allows them, images replaced by
their alt text (an EPUB may not load remote images), and content models repaired
(list items inside lists, table parts inside tables, no blocks inside inline
elements or paragraphs).

>>> xhtml_fragment('<center>Hi <strike>no</strike></center><p>A<div>B</div></p><li>x</li>')
'<div class="center">Hi <s>no</s></div><p>A</p><div>B</div><p>x</p>'
>>> xhtml_fragment('<p align="right"><img src="http://x/y.png" alt="a map"> <a href="#n" name="n">n</a></p>')
'<p class="align-right">[a map] <a>n</a></p>'
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree, html

from ficshelf.export._common import xml_safe

__all__ = ["xhtml_fragment"]

_RENAME = {"center": ("div", "center"), "strike": ("s", None), "big": ("span", "big"),
           "tt": ("code", None), "acronym": ("abbr", None)}
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark",
    "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "br",
})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "dt", "dd", "figure", "figcaption",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "summary", "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th", "ul",
})
_KEEP = _INLINE | _BLOCK
_GLOBAL_ATTRS = frozenset({"class", "title", "lang", "dir"})
_ATTRS = {
    "a": {"href"},
    "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
}
_SAFE_HREF = re.compile(r"^(?:https?://[^\s<>\"]+|mailto:[^\s<>\"]+)$", re.I)
_POSITIVE = re.compile(r"^[1-9]\d{0,3}$")
_INTEGER = re.compile(r"^-?\d{1,6}$")
_OL_TYPES = frozenset({"1", "a", "A", "i", "I"})
_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})
_TABLE_PARTS = frozenset({"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"})


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _unwrap(el: Any) -> None:
    """Replace ``el`` by its children and text (its tail kept)."""
    parent = el.getparent()
    if parent is None:
        return
    idx = parent.index(el)
    text = el.text or ""
    if idx == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[idx - 1]
        prev.tail = (prev.tail or "") + text
    children = list(el)
    tail = el.tail or ""
    for child in children:
        parent.insert(idx, child)
        idx += 1
    parent.remove(el)
    if tail:
        if children:
            children[-1].tail = (children[-1].tail or "") + tail
        elif idx == 0:
            parent.text = (parent.text or "") + tail
        else:
            prev = parent[idx - 1]
            prev.tail = (prev.tail or "") + tail


def _add_class(el: Any, name: str) -> None:
    classes = (el.get("class") or "").split()
    if name not in classes:
        el.set("class", " ".join([*classes, name]))


def _clean_attrs(el: Any, tag: str) -> None:
    allowed = _GLOBAL_ATTRS | _ATTRS.get(tag, set())
    align = (el.get("align") or "").strip().lower()
    for name in list(el.attrib):
        value = (el.get(name) or "").strip()
        keep = name in allowed and bool(value or name == "reversed")
        if keep and name == "href":
            keep = bool(_SAFE_HREF.match(value))
        elif keep and name in {"colspan", "rowspan", "span"}:
            keep = bool(_POSITIVE.match(value))
        elif keep and name == "start":
            keep = bool(_INTEGER.match(value))
        elif keep and name == "type":
            keep = value in _OL_TYPES
        elif keep and name == "scope":
            keep = value in _SCOPES
        elif keep and name == "dir":
            keep = value in {"ltr", "rtl", "auto"}
        elif keep and name == "reversed":
            el.set("reversed", "reversed")
            continue
        if not keep:
            del el.attrib[name]
    if align in {"left", "right", "center", "justify"}:
        _add_class(el, f"align-{align}")


def _has_block(el: Any) -> bool:
    return any(_tag(d) in _BLOCK for d in el.iterdescendants())


def _rename_or_unwrap(root: Any) -> None:
    for el in list(root.iterdescendants()):
        tag = _tag(el)
        if not tag:  # comments, processing instructions
            parent = el.getparent()
            if parent is not None:
                _drop_keep_tail(el)
            continue
        if tag == "img":
            alt = (el.get("alt") or "").strip()
            repl = html.Element("span")
            repl.text = f"[{alt}]" if alt else "[image]"
            repl.tail = el.tail
            el.getparent().replace(el, repl)
            _unwrap(repl)
            continue
        if tag in _RENAME:
            new, cls = _RENAME[tag]
            el.tag = new
            if cls:
                _add_class(el, cls)
            tag = new
        if tag not in _KEEP:
            _unwrap(el)
            continue
        el.tag = tag
        _clean_attrs(el, tag)


def _drop_keep_tail(el: Any) -> None:
    parent = el.getparent()
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _wrap_loose(el: Any, wrapper: str) -> None:
    """Put text and stray children of a list/dl into ``wrapper`` elements."""
    if el.text and el.text.strip():
        w = html.Element(wrapper)
        w.text, el.text = el.text, None
        el.insert(0, w)
    else:
        el.text = None
    for child in list(el):
        if child.tail and child.tail.strip():
            w = html.Element(wrapper)
            w.text, child.tail = child.tail, None
            child.addnext(w)
        else:
            child.tail = None


_TABLE_CONTAINERS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
_TABLE_CHILDREN = {
    "table": frozenset({"caption", "colgroup", "thead", "tbody", "tfoot", "tr"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
    "colgroup": frozenset({"col"}),
}


def _misplaced(el: Any, tag: str, ptag: str) -> bool:
    """A list item, definition term/description, summary or figcaption outside its proper parent."""
    if tag == "li":
        return ptag not in {"ul", "ol"}
    if tag in {"dt", "dd"}:
        return ptag != "dl"
    parent = el.getparent()
    if tag == "summary":
        return not (ptag == "details" and parent.index(el) == 0)
    if tag == "figcaption":
        return not (ptag == "figure" and parent.index(el) in {0, len(parent) - 1})
    return False


def _table_ok(table: Any) -> bool:
    """A table whose parts sit where HTML5 wants them (caption first, one thead/tfoot, rows, cells)."""
    kids = [_tag(c) for c in table]
    if "caption" in kids[1:] or kids.count("thead") > 1 or kids.count("tfoot") > 1:
        return False
    for part in table.iter():
        tag = _tag(part)
        if tag not in _TABLE_CONTAINERS:
            continue
        if (part.text or "").strip():
            return False
        for child in part:
            if _tag(child) not in _TABLE_CHILDREN[tag] or (child.tail or "").strip():
                return False
    return True


def _fix_structure(root: Any) -> None:
    for table in list(root.iter("table")):
        if _table_ok(table):
            for part in table.iter():
                if _tag(part) in _TABLE_CONTAINERS:
                    part.text = None
                    for child in part:
                        child.tail = None
        else:
            for part in [table, *(d for d in table.iterdescendants() if _tag(d) in _TABLE_PARTS)]:
                part.tag = "div"
                for a in ("colspan", "rowspan", "scope", "span"):
                    part.attrib.pop(a, None)
    # stray table parts outside a table
    for el in list(root.iterdescendants()):
        tag = _tag(el)
        parent = el.getparent()
        ptag = _tag(parent) if parent is not None else ""
        if tag in _TABLE_PARTS and not _inside(el, "table"):
            el.tag = "div"
            for a in ("colspan", "rowspan", "scope", "span"):
                el.attrib.pop(a, None)
        elif _misplaced(el, tag, ptag):
            el.tag = "p" if not _has_block(el) else "div"
        elif tag in {"rt", "rp"} and ptag != "ruby":
            el.tag = "span"
    for lst in [e for e in root.iterdescendants() if _tag(e) in {"ul", "ol"}]:
        _wrap_loose(lst, "li")
        for child in list(lst):
            if _tag(child) != "li":
                li = html.Element("li")
                child.addprevious(li)
                li.append(child)
    for dl in [e for e in root.iterdescendants() if _tag(e) == "dl"]:
        _wrap_loose(dl, "dd")
        for child in list(dl):
            if _tag(child) not in {"dt", "dd"}:
                dd = html.Element("dd")
                child.addprevious(dd)
                dd.append(child)
        if len(dl) and _tag(dl[-1]) == "dt":
            dl.append(html.Element("dd"))
    # phrasing-only containers holding blocks: unwrap the inline, turn p/h*/pre into div
    changed = True
    while changed:
        changed = False
        for el in list(root.iterdescendants()):
            tag = _tag(el)
            if not _has_block(el):
                continue
            if tag in _INLINE:
                _unwrap(el)
                changed = True
            elif tag in {"p", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "summary", "caption",
                         "figcaption"}:
                el.tag = "div"
                changed = True
    # nested links are not allowed
    for a in [e for e in root.iterdescendants() if _tag(e) == "a"]:
        if _inside(a, "a"):
            _unwrap(a)


def _inside(el: Any, tag: str) -> bool:
    return any(_tag(anc) == tag for anc in el.iterancestors())


def xhtml_fragment(markup: str) -> str:
    """Serialized XHTML (no namespace prefix; it inherits the document's) for ``markup``."""
    markup = xml_safe(markup).strip()
    if not markup:
        return ""
    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    _rename_or_unwrap(root)
    _fix_structure(root)
    for el in root.iter():
        if el is not root and isinstance(el.tag, str):
            el.tag = el.tag.lower()
    parts = [etree.tostring(child, encoding="unicode", method="xml", with_tail=True) for child in root]
    head = _escape_text(root.text or "")
    return (head + "".join(parts)).strip()


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
