"""Library operations shared by the CLI and the web app: importing files into a store.

An import is one transaction per file: a file that fails to parse or store is
reported and leaves nothing behind, while every other file is kept.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ficshelf.errors import FicshelfError
from ficshelf.importers import iter_import_files, parse_bytes
from ficshelf.model import Work
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


def _parse_and_store(store: Store, data: bytes, *, filename: str, source: str | None
                     ) -> tuple[ImportOutcome, Work | None]:
    shown = source or filename
    try:
        work = parse_bytes(data, filename=filename)
        result = store.add(work, source=shown)
    except FicshelfError as exc:
        return ImportOutcome(source=shown, status="rejected", error=str(exc)), None
    outcome = ImportOutcome(source=shown, status=result.status, work_id=result.id, title=work.title)
    return outcome, store.get(result.id)


def _analysis_failed(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def import_bytes(store: Store, data: bytes, *, filename: str, source: str | None = None,
                 analyze: bool = True) -> ImportOutcome:
    """Parse and store one file's bytes; errors become a rejected outcome, never an exception.

    With ``analyze`` the stored work (after merging with an earlier capture) is
    analysed and the analysis kept with it. A failure of the analysis is noted
    on the outcome; the work stays imported.
    """
    outcome, stored = _parse_and_store(store, data, filename=filename, source=source)
    if analyze and stored is not None:
        from ficshelf.understand.stored import analyze_and_store

        try:
            analyze_and_store(store, stored)
        except Exception as exc:  # a bug in the analysis must not lose the import
            outcome = dataclasses.replace(outcome, analysis_error=_analysis_failed(exc))
    return outcome


def import_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_file: Callable[[ImportOutcome], None] | None = None,
    analyze: bool = True,
    jobs: int = 1,
) -> ImportReport:
    """Import files and folders (recursively, supported suffixes) into the store.

    Files are parsed and stored one at a time, in order. With ``analyze`` and
    ``jobs > 1`` the analyses run in that many worker processes while later
    files are parsed, and are kept with their works as they finish; ``on_file``
    is called for each file once it is stored (and analysed, with ``jobs=1``).
    """
    report = ImportReport()
    pool = None
    pending: dict[Any, tuple[int, Work]] = {}
    if analyze and jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        from ficshelf.understand.stored import analyze_work, stored_analysis

        pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        for path in iter_import_files(paths):
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                outcome = ImportOutcome(source=str(path), status="rejected",
                                        error=f"{path}: cannot read the file ({exc.strerror or exc})")
            else:
                if pool is None:
                    outcome = import_bytes(store, data, filename=str(path), source=str(path),
                                           analyze=analyze)
                else:
                    outcome, stored = _parse_and_store(store, data, filename=str(path), source=str(path))
                    if stored is not None and stored_analysis(store, stored) is None:
                        pending[pool.submit(analyze_work, stored)] = (len(report.outcomes), stored)
            report.outcomes.append(outcome)
            if on_file is not None:
                on_file(outcome)
        if pool is not None:
            _collect(store, report, pending)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return report


def _collect(store: Store, report: ImportReport, pending: dict[Any, tuple[int, Work]]) -> None:
    """Keep each finished analysis with its work (in the main process: the store is not shared)."""
    from concurrent.futures import as_completed

    from ficshelf.understand.stored import save_analysis

    for future in as_completed(pending):
        index, work = pending[future]
        try:
            data = future.result()
            current = store.get(work.id or 0)
            if [c.text for c in current.chapters] != [c.text for c in work.chapters]:
                continue  # a later file of the batch changed the work: its own analysis is kept
            save_analysis(store, work, data)
        except Exception as exc:  # a bug in the analysis must not lose the import
            report.outcomes[index] = dataclasses.replace(report.outcomes[index],
                                                         analysis_error=_analysis_failed(exc))


def collect_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The files an import of ``paths`` would read, for progress bars."""
    return list(iter_import_files(paths))
