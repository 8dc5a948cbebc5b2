"""Library operations shared by the CLI and the web app: importing files into a store.

An import is one transaction per file: a file that fails to parse or store is
reported and leaves nothing behind, while every other file is kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ficshelf.errors import FicshelfError
from ficshelf.importers import iter_import_files, parse_bytes
from ficshelf.store import Store

__all__ = ["ImportOutcome", "ImportReport", "import_bytes", "import_paths"]


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportOutcome:
    source: str
    status: Literal["added", "updated", "unchanged", "rejected"]
    work_id: int | None = None
    title: str | None = None
    error: str | None = None
    analysis_error: str | None = None


@dataclass(kw_only=True)
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def rejected(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "rejected"]

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("added", "updated", "unchanged", "rejected")]
        return ", ".join(parts)


def import_bytes(store: Store, data: bytes, *, filename: str, source: str | None = None,
                 analyze: bool = True) -> ImportOutcome:
    """Parse and store one file's bytes; errors become a rejected outcome, never an exception.

    With ``analyze`` the stored work (after merging with an earlier capture) is
    analysed and the analysis kept with it. A failure of the analysis is noted
    on the outcome; the work stays imported.
    """
    shown = source or filename
    try:
        work = parse_bytes(data, filename=filename)
        result = store.add(work, source=shown)
    except FicshelfError as exc:
        return ImportOutcome(source=shown, status="rejected", error=str(exc))
    analysis_error = None
    if analyze:
        from ficshelf.understand.stored import analyze_and_store

        try:
            analyze_and_store(store, store.get(result.id))
        except Exception as exc:  # a bug in the analysis must not lose the import
            analysis_error = f"{type(exc).__name__}: {exc}"
    return ImportOutcome(source=shown, status=result.status, work_id=result.id, title=work.title,
                         analysis_error=analysis_error)


def import_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_file: Callable[[ImportOutcome], None] | None = None,
    analyze: bool = True,
) -> ImportReport:
    """Import files and folders (recursively, supported suffixes) into the store."""
    report = ImportReport()
    for path in iter_import_files(paths):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            outcome = ImportOutcome(source=str(path), status="rejected",
                                    error=f"{path}: cannot read the file ({exc.strerror or exc})")
        else:
            outcome = import_bytes(store, data, filename=str(path), source=str(path), analyze=analyze)
        report.outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)
    return report


def collect_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The files an import of ``paths`` would read, for progress bars."""
    return list(iter_import_files(paths))
