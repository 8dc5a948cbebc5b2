"""Full-text helpers for the SQLite store: index text, FTS5 expressions, snippets.

Quote-insensitive matching without a second copy of the text: the index reads
the stored text through ``index_text``, which swaps each apostrophe for a rare
combining mark. FTS5's ``unicode61`` tokenizer (``remove_diacritics 2``) keeps
combining marks inside a token and then drops them, so "don’t", "don't" and
"dont" all index as ``dont``, while ``snippet()`` output (taken from the same
text) can be turned back into the text as written by ``snippet_html``.

>>> index_text("Don‘t Go Where I Can’t Follow") != "Don‘t Go Where I Can’t Follow"
True
>>> snippet_html("\\x02" + (index_text("Don‘t") or "") + "\\x03 go… <b>")
'<mark>Don‘t</mark> go… &lt;b&gt;'
>>> fts_expression(("dont", "go where", "drag*"))
'"dont" AND "go where" AND "drag" *'
"""

from __future__ import annotations

import html
import json
import re
from typing import Final

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "fts_expression",
    "index_text",
    "meta_text",
    "snippet_html",
]

# Apostrophe -> combining mark the tokenizer removes. The marks chosen are rare in
# real text (double grave, inverted breve and marks below); a text that already
# holds one shows it as an apostrophe in a snippet, never in the stored work.
_MARKS: Final = {
    "'": "\u030f", "’": "\u0311", "‘": "\u0324", "‛": "\u0325", "`": "\u032d", "´": "\u032e",
    "ʼ": "\u0330",
}
_BACK: Final = str.maketrans({mark: apostrophe for apostrophe, mark in _MARKS.items()})
#: Snippet delimiters: control characters that ``index_text`` removes from the text.
MARK_OPEN: Final = "\x02"
MARK_CLOSE: Final = "\x03"
_SPACES = re.compile(r"\s+")
_WORDISH = re.compile(r"\w")


def index_text(*parts: object) -> str | None:
    """The text the index sees: non-empty parts joined by newlines, apostrophes
    turned into dropped combining marks, snippet delimiters removed."""
    text = "\n".join(p for p in parts if isinstance(p, str) and p)
    if not text:
        return None
    if MARK_OPEN in text or MARK_CLOSE in text:
        text = text.replace(MARK_OPEN, " ").replace(MARK_CLOSE, " ")
    for apostrophe, mark in _MARKS.items():
        if apostrophe in text:
            text = text.replace(apostrophe, mark)
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


def snippet_html(snippet: str) -> str:
    """FTS5 ``snippet()`` output (delimited by ``MARK_OPEN``/``MARK_CLOSE``) as
    safe HTML: the text escaped, matches in ``<mark>``, apostrophes restored."""
    text = html.escape(_SPACES.sub(" ", snippet.translate(_BACK)).strip(), quote=True)
    return text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


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
