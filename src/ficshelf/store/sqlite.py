"""The SQLite library store: one file, WAL, FTS5, versioned schema.

Every write is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``); ``add_many``
groups works into batch transactions with a savepoint per work, so one bad work
is rolled back alone. The connection may be shared between threads (the web
app's worker pool); a lock serialises its use.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from ficshelf.errors import FicshelfError, InputError, SchemaError, StoreError, WorkNotFound
from ficshelf.model import ArchiveWarning, Category, Chapter, Rating, Work, merge_works
from ficshelf.search.query import Query
from ficshelf.store._fts import index_text, meta_text
from ficshelf.store._records import (
    archive_host,
    chapter_rows,
    meta_json,
    tag_key,
    tag_pairs,
    text_fingerprint,
    work_columns,
    work_from_row,
)
from ficshelf.store._schema import migrate
from ficshelf.store._search import Facets, library_facet_counts, run_search
from ficshelf.store.base import TAG_KINDS, AddResult, SearchResult

__all__ = ["DB_NAME", "SqliteStore"]

DB_NAME: Final = "library.sqlite3"
_CLOSED_SETS: Final[dict[str, Any]] = {"rating": Rating, "warning": ArchiveWarning,
                                       "category": Category}

_WORK_COLUMNS: Final = (
    "archive_host", "ao3_id", "title", "title_key", "author_key", "rating", "language_key",
    "complete", "single_chapter", "chapter_count", "words", "kudos", "hits", "bookmarks",
    "comments", "published", "updated",
)
_INSERT_WORK: Final = (
    f"INSERT INTO works ({', '.join(_WORK_COLUMNS)}, source, added_at, changed_at) "
    f"VALUES ({', '.join('?' * len(_WORK_COLUMNS))}, ?, ?, ?)"
)
_UPDATE_WORK: Final = (
    f"UPDATE works SET {', '.join(c + ' = ?' for c in _WORK_COLUMNS)}, "
    "source = coalesce(?, source), changed_at = ? WHERE id = ?"
)
_FTS_COLUMNS: Final = "title, creators, summary, notes, tags, body"
_INDEX: Final = (f"INSERT INTO search_index (rowid, {_FTS_COLUMNS}) "
                 f"SELECT id, {_FTS_COLUMNS} FROM search_source WHERE id = ?")
_UNINDEX: Final = (f"INSERT INTO search_index (search_index, rowid, {_FTS_COLUMNS}) "
                   f"SELECT 'delete', id, {_FTS_COLUMNS} FROM search_source WHERE id = ?")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _connect(target: str) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=30.0)
    conn.create_function("ficshelf_index_text", -1, index_text, deterministic=True)
    conn.create_function("ficshelf_meta_text", 2, meta_text, deterministic=True)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
    conn.execute("PRAGMA mmap_size = 268435456")
    if target != ":memory:":
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # pragma: no cover - e.g. a read-only folder
            raise StoreError(f"{target}: cannot switch the library to WAL mode ({mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class SqliteStore:
    """A library in one SQLite file (``path``), or in memory (``":memory:"``, tests)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        try:
            self._conn = _connect(self.path)
        except sqlite3.Error as exc:
            if "not a database" in str(exc):
                raise SchemaError(f"{self.path} is not a ficshelf library (not an SQLite "
                                  "database); point --library at another folder") from exc
            raise StoreError(f"{self.path}: cannot open the library ({exc}); check the folder "
                             "exists and is writable") from exc
        try:
            self.schema_version = migrate(self._conn, where=self.path)
        except BaseException:
            self._conn.close()
            raise
        self._lock = threading.RLock()
        self._depth = 0
        self._tag_cache: dict[tuple[str, str], int] = {}
        self._writes = 0  # commits by this store, for the facet cache
        self._library_facets: tuple[tuple[int, int], Facets] | None = None
        self._closed = False

    # --- lifecycle ----------------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        with self._lock:
            self._closed = True
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A transaction, or a savepoint inside one; rolled back on any exception."""
        with self._lock:
            depth = self._depth
            self._conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT s{depth}")
            self._depth += 1
            try:
                yield self._conn
            except BaseException:
                self._depth = depth
                self._tag_cache.clear()
                if depth == 0:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                else:
                    self._conn.execute(f"ROLLBACK TO s{depth}")
                    self._conn.execute(f"RELEASE s{depth}")
                raise
            self._depth = depth
            self._conn.execute("COMMIT" if depth == 0 else f"RELEASE s{depth}")
            self._writes += 1

    # --- adding -------------------------------------------------------------------

    def add(self, work: Work, *, source: str | None = None) -> AddResult:
        try:
            with self._write():
                return self._add(work, source)
        except FicshelfError:
            raise
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise StoreError(f"cannot store {work.title!r}: {exc}; nothing was written") from exc

    def add_many(self, works: Iterable[Work | tuple[Work, str | None]], *,
                 batch_size: int = 500) -> list[AddResult | StoreError]:
        """Store many works, ``batch_size`` per transaction and a savepoint per work:
        a work that fails is rolled back alone and reported as a ``StoreError``."""
        results: list[AddResult | StoreError] = []
        batch: list[tuple[Work, str | None]] = []

        def flush() -> None:
            with self._write():
                for work, source in batch:
                    try:
                        with self._write():
                            results.append(self._add(work, source))
                    except (FicshelfError, sqlite3.Error, ValueError, TypeError) as exc:
                        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                            raise
                        results.append(exc if isinstance(exc, StoreError) else StoreError(
                            f"cannot store {work.title!r}: {exc}; nothing was written for it"))
            batch.clear()

        for item in works:
            batch.append(item if isinstance(item, tuple) else (item, None))
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return results

    def _find_same(self, work: Work, fingerprint: str | None) -> int | None:
        c = self._conn
        if work.ao3_id:
            row = c.execute("SELECT id FROM works WHERE archive_host = ? AND ao3_id = ?",
                            (archive_host(work.url), work.ao3_id)).fetchone()
            if row:
                return int(row[0])
        if fingerprint:
            row = c.execute(
                "SELECT w.id, w.ao3_id FROM fingerprints f JOIN works w ON w.id = f.work_id "
                "WHERE f.fingerprint = ?", (fingerprint,)).fetchone()
            # Same text under two different AO3 ids is two works (a repost, say).
            if row and (row[1] is None or not work.ao3_id):
                return int(row[0])
        return None

    def _add(self, work: Work, source: str | None) -> AddResult:
        c = self._conn
        fingerprint = text_fingerprint(work.full_text)
        existing = self._find_same(work, fingerprint)
        now = _now()
        if existing is None:
            cols = work_columns(work)
            cur = c.execute(_INSERT_WORK, [cols[k] for k in _WORK_COLUMNS] + [source, now, now])
            work_id = int(cur.lastrowid or 0)
            c.execute("INSERT INTO work_meta (work_id, meta) VALUES (?, ?)", (work_id, meta_json(work)))
            self._write_body(work_id, work, fingerprint)
            return AddResult(work_id, "added")
        old = self._load(existing)
        merged = merge_works(old, dataclasses.replace(work, id=existing))
        if merged == old:
            if fingerprint:
                c.execute("INSERT OR IGNORE INTO fingerprints VALUES (?, ?)", (fingerprint, existing))
            if source is not None:
                c.execute("UPDATE works SET source = ? WHERE id = ?", (source, existing))
            return AddResult(existing, "unchanged")
        c.execute(_UNINDEX, (existing,))
        cols = work_columns(merged)
        c.execute(_UPDATE_WORK, [cols[k] for k in _WORK_COLUMNS] + [source, now, existing])
        c.execute("UPDATE work_meta SET meta = ? WHERE work_id = ?", (meta_json(merged), existing))
        c.execute("DELETE FROM chapters WHERE work_id = ?", (existing,))
        c.execute("DELETE FROM work_tags WHERE work_id = ?", (existing,))
        if fingerprint:
            c.execute("INSERT OR IGNORE INTO fingerprints VALUES (?, ?)", (fingerprint, existing))
        self._write_body(existing, merged, text_fingerprint(merged.full_text))
        return AddResult(existing, "updated")

    def _write_body(self, work_id: int, work: Work, fingerprint: str | None) -> None:
        """Chapters, tags, fingerprint and full-text entry of a stored works row."""
        c = self._conn
        c.executemany("INSERT INTO chapters VALUES (?, ?, ?, ?, ?, ?, ?, ?)", chapter_rows(work_id, work))
        c.executemany("INSERT INTO work_tags (work_id, kind, tag_id) VALUES (?, ?, ?)",
                      [(work_id, kind, self._tag_id(kind, name)) for kind, name in tag_pairs(work)])
        if fingerprint:
            c.execute("INSERT OR IGNORE INTO fingerprints VALUES (?, ?)", (fingerprint, work_id))
        c.execute(_INDEX, (work_id,))

    def _tag_id(self, kind: str, name: str) -> int:
        key = tag_key(name)
        cached = self._tag_cache.get((kind, key))
        if cached is not None:
            return cached
        c = self._conn
        row = c.execute("SELECT id FROM tags WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if row is None:
            syn = c.execute("SELECT canonical_key FROM synonyms WHERE key = ?", (key,)).fetchone()
            canon = str(syn[0]) if syn else key
            cur = c.execute("INSERT INTO tags (kind, name, key, canon_key) VALUES (?, ?, ?, ?)",
                            (kind, name, key, canon))
            tag_id = int(cur.lastrowid or 0)
            if canon == key:
                c.execute("UPDATE tags SET canon_id = id WHERE id = ?", (tag_id,))
            else:
                self._link_canonical()
        else:
            tag_id = int(row[0])
        self._tag_cache[(kind, key)] = tag_id
        return tag_id

    def _link_canonical(self) -> None:
        """Point tags whose ``canon_id`` is unset at their canonical tag's row (same
        kind), creating that row (no uses, named as in ``set_synonym``) if needed."""
        c = self._conn
        c.execute(
            "INSERT OR IGNORE INTO tags (kind, name, key, canon_key) "
            "SELECT DISTINCT t.kind, coalesce(s.canonical, t.canon_key), t.canon_key, t.canon_key "
            "FROM tags t LEFT JOIN synonyms s ON s.canonical_key = t.canon_key "
            "WHERE t.canon_id IS NULL AND t.canon_key <> t.key")
        c.execute("UPDATE tags SET canon_id = (SELECT x.id FROM tags x WHERE x.kind = tags.kind "
                  "AND x.key = tags.canon_key) WHERE canon_id IS NULL")

    # --- reading ------------------------------------------------------------------

    def _load(self, work_id: int) -> Work:
        c = self._conn
        row = c.execute("SELECT meta FROM work_meta WHERE work_id = ?", (work_id,)).fetchone()
        if row is None:
            raise WorkNotFound(f"no work with id {work_id} in the library; "
                               "`ficshelf list` shows the ids")
        chapters = tuple(
            Chapter(number=n, title=t, summary=s, notes=no, end_notes=en, text=tx, html=h)
            for n, t, s, no, en, tx, h in c.execute(
                "SELECT number, title, summary, notes, end_notes, text, html FROM chapters "
                "WHERE work_id = ? ORDER BY number", (work_id,))
        )
        return work_from_row(work_id, str(row[0]), chapters)

    def get(self, work_id: int) -> Work:
        with self._lock:
            return self._load(work_id)

    def _require(self, work_id: int) -> None:
        if self._conn.execute("SELECT 1 FROM works WHERE id = ?", (work_id,)).fetchone() is None:
            raise WorkNotFound(f"no work with id {work_id} in the library; "
                               "`ficshelf list` shows the ids")

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM works").fetchone()[0])

    def delete(self, work_id: int) -> None:
        with self._write() as c:
            self._require(work_id)
            c.execute(_UNINDEX, (work_id,))
            c.execute("DELETE FROM works WHERE id = ?", (work_id,))

    # --- search -------------------------------------------------------------------

    def _resolve(self, kind: str | None, name: str) -> list[tuple[int, int]]:
        """``(id, works)`` of every tag that means ``name`` (synonyms applied), of one kind or any.
        Ratings, warnings and categories accept AO3's other spellings (``rating:teen``)."""
        closed = _CLOSED_SETS.get(kind or "")
        member = closed.try_parse(name) if closed is not None else None
        key = tag_key(member.value if member is not None else name)
        c = self._conn
        syn = c.execute("SELECT canonical_key FROM synonyms WHERE key = ?", (key,)).fetchone()
        canon = str(syn[0]) if syn else key
        if kind is None:
            rows = c.execute("SELECT id, uses FROM tags WHERE canon_key = ?", (canon,))
        else:
            rows = c.execute("SELECT id, uses FROM tags WHERE canon_key = ? AND kind = ?",
                             (canon, kind))
        return [(int(r[0]), int(r[1])) for r in rows]

    def _whole_library_facets(self) -> Facets:
        """The whole library's facets, cached until this store or another
        connection commits a change."""
        key = (self._writes, int(self._conn.execute("PRAGMA data_version").fetchone()[0]))
        if self._library_facets is None or self._library_facets[0] != key:
            self._library_facets = (key, library_facet_counts(self._conn))
        return self._library_facets[1]

    def search(self, query: Query) -> SearchResult:
        with self._lock:
            try:
                return run_search(self._conn, query, resolve=self._resolve,
                                  library_facets=self._whole_library_facets)
            except sqlite3.OperationalError as exc:
                raise StoreError(f"search failed ({exc}); if the index is damaged run "
                                 "`ficshelf reindex`") from exc

    def tags(self, kind: str | None = None, prefix: str = "", limit: int = 50
             ) -> list[tuple[str, str, int]]:
        if kind is not None and kind not in TAG_KINDS:
            raise InputError(f"tag kind {kind!r} is unknown; use one of: {', '.join(TAG_KINDS)}")
        where = ["t.uses > 0"]
        params: list[Any] = []
        if kind is not None:
            where.append("t.kind = ?")
            params.append(kind)
        pre = tag_key(prefix) if prefix.strip() else ""
        if pre:
            where.append("t.canon_id IN (SELECT canon_id FROM tags WHERE substr(key, 1, ?) = ?)")
            params.extend([len(pre), pre])
        n = max(0, limit)
        with self._lock:
            c = self._conn
            rows = c.execute(
                "SELECT k.kind, k.name, k.key, t.canon_id, sum(t.uses), count(*) FROM tags t "
                f"JOIN tags k ON k.id = t.canon_id WHERE {' AND '.join(where)} "
                "GROUP BY t.canon_id ORDER BY 5 DESC, k.key LIMIT ?", [*params, n + 50]).fetchall()
            found: list[tuple[int, str, str, str]] = []
            for k_kind, k_name, k_key, canon_id, uses, members in rows:
                if members > 1:  # a work may carry two synonyms of one tag
                    uses = c.execute("SELECT count(DISTINCT wt.work_id) FROM work_tags wt JOIN tags t "
                                     "ON t.id = wt.tag_id WHERE t.canon_id = ?", (canon_id,)).fetchone()[0]
                found.append((int(uses), str(k_key), str(k_kind), str(k_name)))
        found.sort(key=lambda f: (-f[0], f[1], f[2]))
        return [(k_kind, k_name, uses) for uses, _key, k_kind, k_name in found[:n]]

    # --- synonyms -----------------------------------------------------------------

    def set_synonym(self, tag: str, canonical: str) -> None:
        tk, ck = tag_key(tag), tag_key(canonical)
        if not tk or not ck:
            raise InputError("a synonym needs a tag and a canonical tag, both non-empty")
        with self._write() as c:
            row = c.execute("SELECT canonical, canonical_key FROM synonyms WHERE key = ?",
                            (ck,)).fetchone()
            display, ck = (str(row[0]), str(row[1])) if row else (canonical.strip(), ck)
            if ck == tk:
                raise InputError(f"{tag!r} cannot be a synonym of {canonical!r}: that would make "
                                 "it a synonym of itself")
            c.execute("INSERT OR REPLACE INTO synonyms (key, tag, canonical, canonical_key) "
                      "VALUES (?, ?, ?, ?)", (tk, tag.strip(), display, ck))
            c.execute("UPDATE synonyms SET canonical = ?, canonical_key = ? WHERE canonical_key = ?",
                      (display, ck, tk))
            c.execute("UPDATE tags SET canon_key = ?, canon_id = NULL WHERE canon_key = ? OR key = ?",
                      (ck, tk, tk))
            self._link_canonical()

    def remove_synonym(self, tag: str) -> None:
        tk = tag_key(tag)
        with self._write() as c:
            if c.execute("DELETE FROM synonyms WHERE key = ?", (tk,)).rowcount == 0:
                raise InputError(f"{tag!r} is not a synonym; `ficshelf synonyms list` shows them")
            c.execute("UPDATE tags SET canon_key = key, canon_id = NULL WHERE key = ?", (tk,))
            self._link_canonical()

    def synonyms(self) -> dict[str, str]:
        with self._lock:
            return {str(t): str(c) for t, c in
                    self._conn.execute("SELECT tag, canonical FROM synonyms ORDER BY key")}

    # --- derived data ---------------------------------------------------------------

    def rebuild_index(self) -> None:
        """Rebuild tags, fingerprints and the full-text index from the stored works."""
        with self._write() as c:
            c.execute("DELETE FROM work_tags")
            c.execute("DELETE FROM fingerprints")
            c.execute("UPDATE tags SET uses = 0, canon_id = NULL, canon_key = coalesce("
                      "(SELECT canonical_key FROM synonyms s WHERE s.key = tags.key), key)")
            self._link_canonical()
            self._tag_cache.clear()
            texts = c.execute("SELECT work_id, text FROM chapters ORDER BY work_id, number")
            pending = next(texts, None)
            for work_id, meta in c.execute("SELECT work_id, meta FROM work_meta ORDER BY work_id"):
                parts: list[str] = []
                while pending is not None and pending[0] <= work_id:
                    if pending[0] == work_id:
                        parts.append(str(pending[1]))
                    pending = next(texts, None)
                work = work_from_row(int(work_id), str(meta))
                c.executemany("INSERT INTO work_tags (work_id, kind, tag_id) VALUES (?, ?, ?)",
                              [(work_id, k, self._tag_id(k, n)) for k, n in tag_pairs(work)])
                fingerprint = text_fingerprint("\n\n".join(parts))
                if fingerprint:
                    c.execute("INSERT OR IGNORE INTO fingerprints VALUES (?, ?)",
                              (fingerprint, work_id))
            c.execute("INSERT INTO search_index (search_index) VALUES ('rebuild')")

    def optimize(self) -> None:
        """Merge the full-text index into one segment and refresh the planner's
        statistics (worth running after a large import)."""
        with self._write() as c:
            c.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
        with self._lock:
            self._conn.execute("ANALYZE")

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and truncate it (the
        library is then one file on disk; SQLite also does this by itself)."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_check(self) -> None:
        """Raise SchemaError when the database or the full-text index is damaged."""
        with self._lock:
            result = self._conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise SchemaError(f"{self.path} is damaged ({result}); restore a backup")
            try:
                self._conn.execute(
                    "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                raise SchemaError(f"{self.path}: the search index does not match the works "
                                  f"({exc}); run `ficshelf reindex`") from exc

    # --- user data ------------------------------------------------------------------

    def get_user_data(self, work_id: int) -> dict[str, Any]:
        with self._lock:
            self._require(work_id)
            return {str(k): json.loads(v) for k, v in self._conn.execute(
                "SELECT key, value FROM user_data WHERE work_id = ? ORDER BY key", (work_id,))}

    def set_user_data(self, work_id: int, key: str, value: Any) -> None:
        """Set one item of the reader's data for a work (``None`` removes it)."""
        if value is None:
            payload = None
        else:
            try:
                payload = json.dumps(value, ensure_ascii=False)
            except (TypeError, ValueError) as exc:
                raise InputError(f"user data {key!r} must be JSON-like (text, numbers, lists, "
                                 f"dicts): {exc}") from exc
        with self._write() as c:
            self._require(work_id)
            if payload is None:
                c.execute("DELETE FROM user_data WHERE work_id = ? AND key = ?", (work_id, key))
            else:
                c.execute("INSERT OR REPLACE INTO user_data (work_id, key, value) VALUES (?, ?, ?)",
                          (work_id, key, payload))


def library_file(directory: str | os.PathLike[str]) -> Path:
    """The database file of a library directory."""
    return Path(directory) / DB_NAME
