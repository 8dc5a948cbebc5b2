"""What is particular to the SQLite store: pragmas, migrations, transactions, the index."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from ficshelf.errors import SchemaError, StoreError
from ficshelf.model import Chapter, Tags, Work
from ficshelf.search import Query, parse_query
from ficshelf.store import DB_NAME, SqliteStore, default_library_dir, open_library
from ficshelf.store._schema import MIGRATIONS, SCHEMA_VERSION, Migration, migrate


def work(title: str, text: str, **kw: object) -> Work:
    return Work(title=title, chapters=(Chapter(number=1, text=text),), **kw)  # type: ignore[arg-type]


def raw(library: Path) -> sqlite3.Connection:
    return sqlite3.connect(library / DB_NAME)


def test_new_library_is_wal_with_foreign_keys_at_the_newest_schema(library: Path) -> None:
    with open_library(library) as s:
        c = s._conn
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
        assert s.schema_version == SCHEMA_VERSION
    assert (library / DB_NAME).exists()


def test_library_folder_is_created(tmp_path: Path) -> None:
    with open_library(tmp_path / "a" / "b") as s:
        assert s.count() == 0
    assert (tmp_path / "a" / "b" / DB_NAME).exists()


def test_library_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_library(f)


def test_default_library_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FICSHELF_HOME", str(tmp_path / "home"))
    assert default_library_dir() == tmp_path / "home"
    monkeypatch.delenv("FICSHELF_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_library_dir() == tmp_path / "xdg" / "ficshelf"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert default_library_dir() == tmp_path / "user" / ".local" / "share" / "ficshelf"


def test_newer_schema_is_refused(library: Path) -> None:
    open_library(library).close()
    with raw(library) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaError, match="newer ficshelf"):
        open_library(library)


def test_other_sqlite_files_and_garbage_are_refused(library: Path) -> None:
    with raw(library) as c:
        c.execute("CREATE TABLE something_else (x)")
    with pytest.raises(SchemaError, match="not a ficshelf library"):
        open_library(library)
    (library / DB_NAME).write_bytes(b"this is not a database at all, not even close" * 100)
    with pytest.raises(SchemaError, match="not a ficshelf library"):
        open_library(library)


def test_failed_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    first = Migration(1, "0001_a.sql", "PRAGMA application_id = 1718182771;\nCREATE TABLE a (x);")
    broken = Migration(2, "0002_b.sql", "CREATE TABLE b (y);\nINSERT INTO nowhere VALUES (1);")
    with pytest.raises(SchemaError, match=r"0002_b\.sql failed"):
        migrate(conn, where="x", migrations=(first, broken))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema")}
    assert "a" in names and "b" not in names
    fixed = Migration(2, "0002_b.sql", "CREATE TABLE b (y);")
    assert migrate(conn, where="x", migrations=(first, fixed)) == 2
    assert migrate(conn, where="x", migrations=(first, fixed)) == 2


def test_a_failure_mid_add_rolls_everything_back(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = open_library(library)
    s.add(work("Before", "Text that was there before the failure."))
    original = SqliteStore._write_body

    def failing(self: SqliteStore, work_id: int, w: Work, fingerprint: str | None) -> None:
        original(self, work_id, w, fingerprint)  # everything is written ...
        raise sqlite3.OperationalError("disk I/O error (simulated)")  # ... then it fails

    monkeypatch.setattr(SqliteStore, "_write_body", failing)
    with pytest.raises(StoreError, match="nothing was written"):
        s.add(work("Doomed", "Words that must not stay anywhere.",
                   tags=Tags(fandoms=("Doomed Fandom",))))
    monkeypatch.setattr(SqliteStore, "_write_body", original)
    c = s._conn
    assert s.count() == 1
    assert c.execute("SELECT count(*) FROM chapters").fetchone()[0] == 1
    assert c.execute("SELECT count(*) FROM work_tags").fetchone()[0] == 0
    assert c.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
    assert s.search(parse_query("anywhere")).total == 0
    s.integrity_check()
    # The tag cache was reset with the rollback: the tag can be created again.
    s.add(work("Later", "Fine this time.", tags=Tags(fandoms=("Doomed Fandom",))))
    assert s.search(parse_query('fandom:"Doomed Fandom"')).total == 1
    s.close()


def test_full_text_index_stays_consistent_through_updates_and_deletes(library: Path) -> None:
    with open_library(library) as s:
        ids = [s.add(work(f"Work {i}", f"Story {i} with apples and pears, don’t forget.",
                          ao3_id=str(i), tags=Tags(fandoms=(f"F{i % 3}",), freeforms=("Fruit",))
                          )).id for i in range(20)]
        for i in range(0, 20, 3):
            s.add(Work(title=f"Work {i}", ao3_id=str(i), summary="now with a summary",
                       chapters=(Chapter(number=2, text=f"A second chapter for {i}."),)))
        for wid in ids[::4]:
            s.delete(wid)
        s.integrity_check()
        assert s.search(parse_query("apples")).total == 15
        assert s.search(parse_query('"second chapter"')).total == 5  # 0,3,6,9,12,15,18 minus deleted 0,12
        s.rebuild_index()
        s.integrity_check()
        assert s.search(parse_query("apples")).total == 15
        # The index holds no copy of the text: its content is the stored works.
        tables = {r[0] for r in s._conn.execute("SELECT name FROM sqlite_schema")}
        assert "search_index_content" not in tables
        assert s.search(Query(include=("fandom:F1",))).total == 5  # 1,4,7,10,13,16,19 minus 4, 16


def test_damaged_index_is_reported(library: Path) -> None:
    with open_library(library) as s:
        s.add(work("One", "alpha beta gamma"))
        # Change the stored text behind the index's back.
        s._conn.execute("UPDATE chapters SET text = 'delta epsilon'")
        with pytest.raises(SchemaError, match="reindex"):
            s.integrity_check()
        s.rebuild_index()
        s.integrity_check()
        assert s.search(parse_query("delta")).total == 1
        assert s.search(parse_query("alpha")).total == 0


def test_two_connections_see_each_others_commits(library: Path) -> None:
    with open_library(library) as a, open_library(library) as b:
        a.add(work("Shared", "seen from the other side"))
        assert b.count() == 1
        assert b.search(parse_query("other side")).total == 1


def test_searches_from_many_threads(library: Path) -> None:
    with open_library(library) as s:
        s.add_many([work(f"T{i}", f"thread text number {i} and more") for i in range(50)])
        errors: list[BaseException] = []

        def run() -> None:
            try:
                for _ in range(20):
                    assert s.search(Query(text="thread", per_page=5)).total == 50
                    assert s.search(Query(include=("tag:none",))).total == 0
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []


def test_memory_store_for_quick_use() -> None:
    with SqliteStore(":memory:") as s:
        s.add(work("In memory", "nothing touches the disk"))
        assert s.search(parse_query("disk")).total == 1


def test_a_version_1_library_is_migrated_with_its_works(library: Path) -> None:
    """Open a library written at schema 1 (the JSON inside works) with today's code."""
    conn = sqlite3.connect(library / DB_NAME, isolation_level=None)
    from ficshelf.store._fts import index_text, meta_text
    from ficshelf.store._records import meta_json, work_columns

    conn.create_function("ficshelf_index_text", -1, index_text, deterministic=True)
    conn.create_function("ficshelf_meta_text", 2, meta_text, deterministic=True)
    assert migrate(conn, where="v1", migrations=MIGRATIONS[:1]) == 1
    old = work("Written Long Ago", "An old story about a lighthouse.", authors=("elder",),
               tags=Tags(fandoms=("Old Fandom",)))
    cols = {**work_columns(old), "meta": meta_json(old)}
    conn.execute(f"INSERT INTO works ({', '.join(cols)}, added_at, changed_at) "
                 f"VALUES ({', '.join('?' * len(cols))}, 'then', 'then')", list(cols.values()))
    conn.execute("INSERT INTO chapters (work_id, number, text) VALUES (1, 1, ?)", (old.chapters[0].text,))
    conn.execute("INSERT INTO search_index (rowid, title, creators, summary, notes, tags, body) "
                 "SELECT id, title, creators, summary, notes, tags, body FROM search_source")
    conn.close()
    with open_library(library) as s:
        assert s.schema_version == SCHEMA_VERSION >= 2
        got = s.get(1)
        assert got.title == old.title and got.authors == ("elder",) and got.chapters == old.chapters
        assert [h.work.title for h in s.search(parse_query("lighthouse")).hits] == [old.title]
        s.integrity_check()
        cols_now = {r[1] for r in s._conn.execute("PRAGMA table_info(works)")}
        assert "meta" not in cols_now
        assert s.add(work("New", "A new story.")).status == "added"


def test_whole_library_facets_follow_every_change(library: Path) -> None:
    with open_library(library) as a, open_library(library) as b:
        a.add(work("One", "first text", tags=Tags(fandoms=("Alpha",))))
        assert dict(a.search(Query()).facets["fandoms"]) == {"Alpha": 1}
        a.add(work("Two", "second text", tags=Tags(fandoms=("Beta",))))  # this store writes
        assert dict(a.search(Query()).facets["fandoms"]) == {"Alpha": 1, "Beta": 1}
        b.add(work("Three", "third text", tags=Tags(fandoms=("Beta",))))  # another connection writes
        assert dict(a.search(Query()).facets["fandoms"]) == {"Alpha": 1, "Beta": 2}
        a.set_synonym("Alpha", "Beta")
        assert dict(a.search(Query()).facets["fandoms"]) == {"Beta": 3}
