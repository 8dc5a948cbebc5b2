"""Full-text helpers for the SQLite store: the text the index sees, FTS5 expressions.

Quote-insensitive matching without a second copy of the text: the index reads
the stored works through the ``search_source`` view, which passes text through
``index_text`` (registered as the SQL function ``ficshelf_index_text``). It
deletes apostrophes, so "don’t", "don't" and "dont" all index as ``dont``; the
``unicode61`` tokenizer (``remove_diacritics 2``) folds case and accents. Query
terms are folded the same way (``search.text_terms``). Snippets are made from
the text as written (``search.snippet``).

>>> index_text("Don‘t Go Where I Can’t Follow", None, "it's")
'Dont Go Where I Cant Follow\\nits'
>>> fts_expression(("dont", "go where", "drag*"))
'"dont" AND "go where" AND "drag" *'
"""

from __future__ import annotations

import json
import re
from typing import Final

__all__ = ["APOSTROPHES", "fts_expression", "index_text", "meta_text"]

#: Characters deleted before indexing (the same set ``text.fold_for_match`` deletes).
APOSTROPHES: Final = "'’‘‛`´ʼ"
_WORDISH = re.compile(r"\w")


def index_text(*parts: object) -> str | None:
    """The text the index sees: non-empty parts joined by newlines, apostrophes deleted."""
    text = "\n".join(p for p in parts if isinstance(p, str) and p)
    if not text:
        return None
    for apostrophe in APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "")
    return text


def meta_text(meta: object, part: object) -> str | None:
    """``index_text`` of the authors (``part="authors"``) or of every tag name
    (``part="tags"``) in a work's JSON (``works.meta``)."""
    if not isinstance(meta, str):
        return None
    data = json.loads(meta)
    if part == "authors":
        return index_text(*(data.get("authors") or ()))
    if part == "tags":
        tags = data.get("tags") or {}
        names: list[str] = []
        for value in tags.values():
            if isinstance(value, str):
                names.append(value)
            elif isinstance(value, list):
                names.extend(v for v in value if isinstance(v, str))
        return index_text(*names)
    raise ValueError(f"meta_text: unknown part {part!r}")


def _term(term: str) -> str | None:
    prefix = term.endswith("*")
    body = term.rstrip("*").strip()
    if not _WORDISH.search(body):
        return None
    quoted = '"' + body.replace('"', '""') + '"'
    return quoted + " *" if prefix else quoted


def fts_expression(terms: tuple[str, ...], *, joiner: str = "AND") -> str | None:
    """An FTS5 expression for folded terms (``search.text_terms``): each term a
    quoted string (so no user input is FTS5 syntax), a trailing ``*`` kept as a
    prefix search; None when no term has a word in it."""
    parts = [p for p in (_term(t) for t in terms) if p is not None]
    if not parts:
        return None
    return f" {joiner} ".join(parts)
