"""Versioned schema migrations for the SQLite store.

Each file ``migrations/NNNN_name.sql`` moves the schema from version NNNN-1 to
NNNN; ``PRAGMA user_version`` records where a library is. ``migrate`` applies the
missing steps on open, each in its own transaction (a failed step leaves the
library at the previous version), and refuses a library newer than this code.

>>> [m.version for m in MIGRATIONS][:1]
[1]
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from typing import Final

from ficshelf.errors import SchemaError

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION", "Migration", "migrate", "split_sql"]

APPLICATION_ID: Final = 0x66696373  # "fics"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def _load() -> tuple[Migration, ...]:
    folder = resources.files("ficshelf.store").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda mig: mig.version)
    if [mig.version for mig in found] != list(range(1, len(found) + 1)):
        raise SchemaError("ficshelf's schema migrations are not numbered 1, 2, 3...; "
                          "reinstall ficshelf")
    return tuple(found)


MIGRATIONS: Final = _load()
SCHEMA_VERSION: Final = len(MIGRATIONS)


def split_sql(script: str) -> list[str]:
    """Complete SQL statements of a script (triggers kept whole).

    >>> split_sql("CREATE TABLE a(x);\\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\\n SELECT 1;\\nEND;")
    ['CREATE TABLE a(x);', 'CREATE TRIGGER t AFTER INSERT ON a BEGIN\\n SELECT 1;\\nEND;']
    """
    statements: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlite3.complete_statement(joined):
            statements.append(joined.strip())
            buf = []
    if "".join(buf).strip():
        statements.append("\n".join(buf).strip())
    return statements


def migrate(conn: sqlite3.Connection, *, where: str,
            migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the library up to the newest schema; return the version it is at.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    target = len(migrations)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app = int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{where} is not a ficshelf library ({exc}); point --library at "
                          "another folder") from exc
    if version > target:
        raise SchemaError(f"{where} was written by a newer ficshelf (schema {version}, this one "
                          f"knows up to {target}); upgrade ficshelf to open it")
    if version > 0 and app != APPLICATION_ID:
        raise SchemaError(f"{where} is an SQLite file but not a ficshelf library; point --library "
                          "at another folder")
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        if tables:
            raise SchemaError(f"{where} already holds tables that are not a ficshelf library; "
                              "point --library at another folder")
    while version < target:
        step = migrations[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while this one waited for the lock.
            now = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if now == version:
                for statement in split_sql(step.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step.version}")
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise SchemaError(f"{where}: schema step {step.name} failed ({exc}); the library is "
                                  f"unchanged at schema {version}") from exc
            raise
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return version
