"""Library-wide reader preferences kept beside the library: saved filters and the tag blocklist.

They live in ``web-prefs.json`` in the library folder (the store's user data is
per work; these belong to the whole library). Writes are atomic (a temporary
file renamed over the old one) and serialised by a lock, so the web app's
threads never see half a file.

A blocked tag is written ``kind:Tag`` (``freeform:Major Character Death``) or
without a kind to block it whatever its type. Blocked works are hidden from
listings, searches, "more like this" and OPDS unless the reader asks to see them.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     prefs = Prefs(d)
...     prefs.block("freeform:Angst")
...     prefs.save_filter("Short fluff", "inc=freeform%3AFluff&words_to=1000")
...     again = Prefs(d)
...     again.blocklist(), [f.name for f in again.filters()]
(('freeform:Angst',), ['Short fluff'])
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ficshelf.errors import InputError, StoreError
from ficshelf.search.query import split_tag
from ficshelf.text import fold_for_match

__all__ = ["PREFS_FILE", "Prefs", "SavedFilter", "tag_matches_block"]

PREFS_FILE: Final = "web-prefs.json"
_MAX_NAME: Final = 80
_MAX_QUERY: Final = 4000
_MAX_ITEMS: Final = 500


@dataclass(frozen=True, slots=True)
class SavedFilter:
    """A named library view: the query string of the library page."""

    name: str
    query: str


def _block_key(entry: str) -> tuple[str | None, str]:
    kind, name = split_tag(entry)
    return kind, fold_for_match(name)


def tag_matches_block(kind: str, tag: str, blocked: Sequence[str]) -> bool:
    """True when a tag of ``kind`` named ``tag`` is on the blocklist.

    >>> tag_matches_block("freeform", "angst", ("Angst",)), tag_matches_block("fandom", "Angst", ("freeform:Angst",))
    (True, False)
    """
    key = fold_for_match(tag)
    for entry in blocked:
        bkind, bname = _block_key(entry)
        if bname == key and (bkind is None or bkind == kind):
            return True
    return False


class Prefs:
    """Saved filters and blocklist of one library folder."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / PREFS_FILE
        self._lock = threading.Lock()
        self._data = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"filters": [], "blocklist": []}
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read the web preferences ({exc.strerror or exc})"
                             ) from exc
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise StoreError(f"{self.path} is not valid JSON ({exc}); fix or delete the file") from exc
        if not isinstance(data, dict):
            raise StoreError(f"{self.path} should hold a JSON object; fix or delete the file")
        filters = [f for f in data.get("filters") or () if isinstance(f, dict)
                   and isinstance(f.get("name"), str) and isinstance(f.get("query"), str)]
        blocklist = [b for b in data.get("blocklist") or () if isinstance(b, str) and b.strip()]
        return {"filters": filters, "blocklist": blocklist}

    def _write(self) -> None:
        text = json.dumps(self._data, ensure_ascii=False, indent=2)
        fd, tmp = tempfile.mkstemp(prefix=".web-prefs-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise StoreError(f"{self.path}: cannot save the web preferences ({exc.strerror or exc})"
                             ) from exc

    # --- blocklist ------------------------------------------------------------------

    def blocklist(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._data["blocklist"])

    def block(self, entry: str) -> None:
        """Add a tag (``kind:Tag`` or ``Tag``) to the blocklist."""
        kind, name = split_tag(entry)
        name = " ".join(name.split())
        if not name:
            raise InputError("give the tag to block, e.g. freeform:Major Character Death")
        if len(name) > _MAX_NAME * 3:
            raise InputError("that tag is too long to block; tags are at most 240 characters")
        clean = f"{kind}:{name}" if kind else name
        with self._lock:
            keys = {_block_key(b) for b in self._data["blocklist"]}
            if _block_key(clean) in keys:
                return
            if len(keys) >= _MAX_ITEMS:
                raise InputError(f"the blocklist holds {_MAX_ITEMS} tags already; unblock some first")
            self._data["blocklist"].append(clean)
            self._write()

    def unblock(self, entry: str) -> None:
        key = _block_key(entry)
        with self._lock:
            before = len(self._data["blocklist"])
            self._data["blocklist"] = [b for b in self._data["blocklist"] if _block_key(b) != key]
            if len(self._data["blocklist"]) != before:
                self._write()

    # --- saved filters --------------------------------------------------------------

    def filters(self) -> tuple[SavedFilter, ...]:
        with self._lock:
            return tuple(SavedFilter(f["name"], f["query"]) for f in self._data["filters"])

    def save_filter(self, name: str, query: str) -> None:
        """Save (or replace, by name) a library view."""
        name = " ".join(name.split())
        if not name:
            raise InputError("give the saved filter a name")
        if len(name) > _MAX_NAME:
            raise InputError(f"a saved filter's name is at most {_MAX_NAME} characters")
        query = query.lstrip("?")
        if len(query) > _MAX_QUERY:
            raise InputError("that filter is too long to save")
        with self._lock:
            kept = [f for f in self._data["filters"] if f["name"].casefold() != name.casefold()]
            if len(kept) >= _MAX_ITEMS:
                raise InputError(f"{_MAX_ITEMS} filters are saved already; delete some first")
            kept.append({"name": name, "query": query})
            self._data["filters"] = kept
            self._write()

    def delete_filter(self, name: str) -> None:
        with self._lock:
            before = len(self._data["filters"])
            self._data["filters"] = [f for f in self._data["filters"]
                                     if f["name"].casefold() != name.strip().casefold()]
            if len(self._data["filters"]) != before:
                self._write()
