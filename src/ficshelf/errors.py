"""Every error ficshelf raises on purpose.

Messages say what went wrong and what to do about it, in one line, so the CLI
can print them as they are and the web app can show them to a reader.

    FicshelfError
    ├── InputError                  the user's input cannot be used
    │   ├── UnsupportedFormat       no importer recognises the bytes
    │   ├── MalformedFile           a known format, but broken or truncated
    │   ├── NotAWork                a real AO3 page, but not one that holds a work
    │   │   ├── AdultContentGate    "This work could have adult content" interstitial
    │   │   ├── LoginRequired       registered-users-only work, logged-out capture
    │   │   ├── ListingPage         tag/search/bookmark listing of many works
    │   │   ├── SeriesPage          a series index
    │   │   └── ChapterIndexPage    a work's "Chapter Index" (navigate) page
    │   ├── QueryError              a search query or filter that cannot be parsed
    │   └── ExportError             an export that cannot be produced as asked
    ├── StoreError                  the library on disk
    │   ├── WorkNotFound            no work with that id
    │   └── SchemaError             the library was written by a newer ficshelf, or is damaged
    └── AnalysisError               the understanding pipeline was mis-assembled
"""

from __future__ import annotations

__all__ = [
    "AdultContentGate",
    "AnalysisError",
    "ChapterIndexPage",
    "ExportError",
    "FicshelfError",
    "InputError",
    "ListingPage",
    "LoginRequired",
    "MalformedFile",
    "NotAWork",
    "QueryError",
    "SchemaError",
    "SeriesPage",
    "StoreError",
    "UnsupportedFormat",
    "WorkNotFound",
]


class FicshelfError(Exception):
    """Base class of every error ficshelf raises on purpose."""


class InputError(FicshelfError):
    """The input (a file, a query, an option) cannot be used as given."""


class UnsupportedFormat(InputError):
    """No importer recognises the file."""


class MalformedFile(InputError):
    """The file looks like a known format but cannot be read."""


class NotAWork(InputError):
    """A page from an archive that does not hold a work's text."""


class AdultContentGate(NotAWork):
    """AO3's adult-content interstitial was saved instead of the work."""


class LoginRequired(NotAWork):
    """AO3's login page was saved instead of a registered-users-only work."""


class ListingPage(NotAWork):
    """A listing of many works (tag, search, bookmarks, user works)."""


class SeriesPage(NotAWork):
    """A series index page."""


class ChapterIndexPage(NotAWork):
    """A work's chapter index ("navigate") page."""


class QueryError(InputError):
    """A search query or filter that cannot be parsed."""


class ExportError(InputError):
    """An export that cannot be produced as asked."""


class StoreError(FicshelfError):
    """A problem with the library on disk."""


class WorkNotFound(StoreError):
    """No work with that id in the library."""


class SchemaError(StoreError):
    """The library's schema is newer than this ficshelf, or damaged."""


class AnalysisError(FicshelfError):
    """The understanding pipeline was assembled wrongly (a component's needs are unmet)."""
