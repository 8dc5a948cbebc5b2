"""Cut a document into the parts between anchors (table-of-contents targets).

A table of contents may point into the middle of a file (``book.html#filepos3553``,
``text.xhtml#ch2``). ``split_at_anchors`` returns one container per part: the
content before the first anchor, then the content from each anchor to the next.
Elements that contain an anchor are opened up (their children are distributed);
every other element is copied whole, so the result never shares nodes with the
input.

>>> from lxml import html
>>> body = html.fromstring('<div><p>front</p><a id="a"></a><p>one</p><div><h2 id="b">Two</h2><p>two</p></div></div>')
>>> [p.text_content() for p in split_at_anchors(body, ["a", "b"])]
['front', 'one', 'Twotwo']
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from lxml import html

__all__ = ["anchor_id", "anchors_in_order", "append_text", "new_container", "split_at_anchors"]


def new_container() -> Any:
    """An empty ``div`` in lxml's HTML element family (so ``text_content`` etc. work on what it holds)."""
    return html.Element("div")


def anchor_id(el: Any) -> str | None:
    """The id (or old-style ``name``) an element can be linked to by."""
    if not isinstance(el.tag, str):
        return None
    value = el.get("id") or el.get("name")
    return str(value) if value else None


def append_text(container: Any, text: str | None) -> None:
    if not text:
        return
    if len(container):
        last = container[-1]
        last.tail = (last.tail or "") + text
    else:
        container.text = (container.text or "") + text


def split_at_anchors(root: Any, anchors: Sequence[str]) -> list[Any]:
    """``len(found) + 1`` containers: before the first anchor, then one per anchor found, in document order.

    Anchors not present in the document are skipped (the result is shorter);
    the first occurrence of an id wins.
    """
    wanted = {a for a in anchors if a}
    inside: set[Any] = set()
    for el in root.iter():
        if anchor_id(el) in wanted:
            for parent in el.iterancestors():
                inside.add(parent)
    parts = [new_container()]
    seen: set[str] = set()

    def walk(el: Any) -> None:
        append_text(parts[-1], el.text)
        for child in el:
            if not isinstance(child.tag, str):
                append_text(parts[-1], child.tail)
                continue
            aid = anchor_id(child)
            if aid in wanted and aid not in seen:
                seen.add(aid)
                parts.append(new_container())
            if child in inside:
                walk(child)
                append_text(parts[-1], child.tail)
            else:
                parts[-1].append(copy.deepcopy(child))

    walk(root)
    return parts


def anchors_in_order(root: Any, anchors: Sequence[str]) -> list[str]:
    """The ``anchors`` present in ``root``, each once, in document order (the order ``split_at_anchors`` cuts)."""
    wanted = {a for a in anchors if a}
    out: list[str] = []
    for el in root.iter():
        aid = anchor_id(el)
        if aid in wanted:
            wanted.discard(aid)
            out.append(aid)
    return out
