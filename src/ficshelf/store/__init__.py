"""The library store: the only place with SQL.

``open_library(path)`` opens (creating if needed) the library in a directory;
the ``Store`` protocol is what the CLI and the web app use.

>>> import tempfile
>>> from ficshelf.model import Chapter, Work
>>> from ficshelf.search import parse_query
>>> with tempfile.TemporaryDirectory() as d, open_library(d) as store:
...     added = store.add(Work(title="Don’t Go", chapters=(Chapter(number=1, text="Rain, then snow."),)))
...     [h.work.title for h in store.search(parse_query('"dont go"')).hits], added.status
(['Don’t Go'], 'added')
"""

from __future__ import annotations

import os
from pathlib import Path

from ficshelf.errors import StoreError
from ficshelf.store.base import FACET_KEYS, TAG_KINDS, AddResult, Hit, SearchResult, Store
from ficshelf.store.sqlite import DB_NAME, SqliteStore

__all__ = [
    "DB_NAME",
    "FACET_KEYS",
    "TAG_KINDS",
    "AddResult",
    "Hit",
    "SearchResult",
    "SqliteStore",
    "Store",
    "default_library_dir",
    "open_library",
]


def default_library_dir() -> Path:
    """``$FICSHELF_HOME``, else ``$XDG_DATA_HOME/ficshelf``, else ``~/.local/share/ficshelf``."""
    home = os.environ.get("FICSHELF_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg).expanduser() / "ficshelf"
    return Path.home() / ".local" / "share" / "ficshelf"


def open_library(path: str | os.PathLike[str] | None = None) -> SqliteStore:
    """Open the library in directory ``path`` (created if missing; None: the default)."""
    directory = Path(path).expanduser() if path is not None else default_library_dir()
    if directory.exists() and not directory.is_dir():
        raise StoreError(f"{directory} is a file; a library is a folder (it holds {DB_NAME})")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the library folder {directory} "
                         f"({exc.strerror or exc}); choose another with --library") from exc
    return SqliteStore(directory / DB_NAME)
