"""AO3-style search: the ``Query`` value and the inline syntax parser.

The store executes queries (``Store.search``); this package only describes them.
"""

from __future__ import annotations

from ficshelf.search.query import (
    CLOSED_KINDS,
    SORTS,
    TAG_KINDS,
    Query,
    TextTerms,
    format_query,
    normalize_language,
    parse_query,
    split_tag,
    text_terms,
)

__all__ = [
    "CLOSED_KINDS",
    "SORTS",
    "TAG_KINDS",
    "Query",
    "TextTerms",
    "format_query",
    "normalize_language",
    "parse_query",
    "split_tag",
    "text_terms",
]
