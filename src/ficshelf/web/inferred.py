"""What ficshelf inferred about a work, computed lazily and cached with the work.

The analysis is kept as ``ficshelf.understand.stored`` keeps it (the work's user
data under ``inferred``, with the analyser's version and a fingerprint of the
chapter texts), so analyses made by ``ficshelf import`` are used here and the
other way round, and a work is re-analysed only when its text or the analyser
changes.
Pages never wait for it unless asked: in ``background`` mode a single worker
thread takes the works queued by page views and has them analysed in a
(lower-priority) worker process, so the analysis never holds the interpreter
the pages run in; ``inline`` computes on the spot (tests); ``off`` never
computes unless asked (the API's ``compute=true``, the "Analyse now" button).

A failure is remembered in memory (with its message), so a work that breaks the
analyser shows "analysis failed" instead of being retried on every page view;
a restart, a changed analyser or changed text retries.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import contextlib
import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ficshelf.errors import FicshelfError, WorkNotFound
from ficshelf.model import Work
from ficshelf.store.base import Store
from ficshelf.understand.stored import ANALYSIS_KEY, text_fingerprint

__all__ = [
    "ANALYSIS_KEY",
    "AnalysisMode",
    "AnalysisService",
    "Inferred",
    "default_analyzer",
]

log = logging.getLogger(__name__)

AnalysisMode = Literal["background", "inline", "off"]
Status = Literal["ready", "pending", "failed", "unavailable"]
Analyzer = Callable[[Work], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Inferred:
    """The state of a work's analysis: ``data`` when ``status == "ready"``."""

    status: Status
    data: Mapping[str, Any] | None = None
    error: str | None = None


def _version(custom: bool) -> str:
    """The analyser's version as ``understand.stored`` writes it (ficshelf's
    version and a digest of the understanding package); a stand-in analyser
    gets its own, so its results are never taken for the real ones."""
    try:
        from ficshelf.understand.stored import analysis_version

        version = analysis_version()
    except Exception:  # the understanding package may be mid-change: pages still work
        from ficshelf import __version__

        version = f"{__version__}+unknown"
    return f"{version}+custom" if custom else version


def default_analyzer() -> Analyzer | None:
    """``understand.stored.analyze_work`` (the pipeline with the packaged canon),
    or None when the understanding package cannot be imported."""
    try:
        from ficshelf.understand.stored import analyze_work
    except Exception as exc:
        log.warning("story analysis unavailable: %s", exc)
        return None
    return analyze_work


def _worker_init() -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # background work: the pages come first


def _analyse_in_worker(work: Work) -> dict[str, Any]:
    from ficshelf.understand.stored import analyze_work

    return analyze_work(work)


class AnalysisService:
    """Cached analyses of a store's works (see the module docstring)."""

    def __init__(self, store: Store, *, mode: AnalysisMode = "background",
                 analyzer: Analyzer | Literal["default"] | None = "default",
                 on_ready: Callable[[Work, Mapping[str, Any]], None] | None = None) -> None:
        self.store = store
        self.mode = mode
        self._analyzer_arg = analyzer
        self._analyzer: Analyzer | None = None
        self._loaded = False
        self._load_lock = threading.Lock()
        self.version = _version(custom=analyzer != "default")
        self.on_ready = on_ready
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._pending: set[int] = set()
        self._pending_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._failed: dict[int, tuple[str, str]] = {}
        # The real analyser runs in a worker process in background mode (CPU-heavy
        # Python must not hold the pages' interpreter); a stand-in runs in place.
        self._use_process = analyzer == "default" and mode == "background"
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    # --- the analyser, loaded on first use ----------------------------------------------

    def analyzer(self) -> Analyzer | None:
        if self._loaded:
            return self._analyzer
        with self._load_lock:
            if not self._loaded:
                arg = self._analyzer_arg
                self._analyzer = default_analyzer() if arg == "default" else arg
                self._loaded = True
        return self._analyzer

    # --- cache ------------------------------------------------------------------------

    def _stored(self, work_id: int) -> Any:
        return self.store.get_user_data(work_id).get(ANALYSIS_KEY)

    def _save(self, work_id: int, entry: dict[str, Any]) -> None:
        self.store.set_user_data(work_id, ANALYSIS_KEY, entry)

    def cached(self, work: Work) -> Inferred | None:
        """The stored analysis of this version of the work, if any."""
        if work.id is None:
            return None
        failed = self._failed.get(work.id)
        if failed is not None and failed[0] == self._fp(work):
            return Inferred("failed", error=failed[1])
        entry = self._stored(work.id)
        if not isinstance(entry, Mapping):
            return None
        if entry.get("version") != self.version or entry.get("fingerprint") != self._fp(work):
            return None
        data = entry.get("data")
        return Inferred("ready", data=data) if isinstance(data, Mapping) else None

    @staticmethod
    def _fp(work: Work) -> str:
        return text_fingerprint(c.text for c in work.chapters)

    def compute(self, work: Work) -> Inferred:
        """Analyse now and store the result (or the failure)."""
        analyzer = self.analyzer()
        if analyzer is None or work.id is None:
            return Inferred("unavailable", error="story analysis is not available in this install")
        fingerprint = self._fp(work)
        try:
            data = dict(self._run(analyzer, work))
        except Exception as exc:  # any analyser bug must not take the page down
            log.exception("analysis of work %s failed", work.id)
            error = f"{type(exc).__name__}: {exc}"
            self._failed[work.id] = (fingerprint, error)
            return Inferred("failed", error=error)
        self._failed.pop(work.id, None)
        with contextlib.suppress(WorkNotFound):
            self._save(work.id, {"version": self.version, "fingerprint": fingerprint, "data": data})
        if self.on_ready is not None:
            self.on_ready(work, data)
        return Inferred("ready", data=data)

    def _run(self, analyzer: Analyzer, work: Work) -> Mapping[str, Any]:
        if not self._use_process:
            return analyzer(work)
        with self._pool_lock:
            if self._pool is None:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_init)
            pool = self._pool
        try:
            return pool.submit(_analyse_in_worker, work).result()
        except concurrent.futures.process.BrokenProcessPool:
            with self._pool_lock:
                self._pool = None
            raise

    def get(self, work: Work, *, compute: bool | None = None) -> Inferred:
        """The analysis if cached; else computed (inline mode or ``compute=True``),
        queued (background mode) or unavailable (off)."""
        found = self.cached(work)
        if found is not None:
            return found
        if compute or (compute is None and self.mode == "inline"):
            return self.compute(work)
        if self.mode == "off" or compute is False or self.analyzer() is None:
            if self.analyzer() is None:
                return Inferred("unavailable", error="story analysis is not available in this install")
            return Inferred("unavailable")
        self.enqueue(work.id)
        return Inferred("pending")

    # --- background worker ----------------------------------------------------------------

    def enqueue(self, work_id: int | None) -> None:
        if work_id is None or self._stopped:
            return
        with self._pending_lock:
            if work_id in self._pending:
                return
            self._pending.add(work_id)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="ficshelf-analysis",
                                                daemon=True)
                self._thread.start()
        self._queue.put(work_id)

    def is_pending(self, work_id: int) -> bool:
        with self._pending_lock:
            return work_id in self._pending

    def _work(self) -> None:
        while True:
            work_id = self._queue.get()
            if work_id is None:
                return
            try:
                work = self.store.get(work_id)
                if self.cached(work) is None:
                    self.compute(work)
            except FicshelfError as exc:
                log.warning("cannot analyse work %s: %s", work_id, exc)
            except Exception:  # keep the worker alive whatever happens
                log.exception("analysis worker failed on work %s", work_id)
            finally:
                with self._pending_lock:
                    self._pending.discard(work_id)
                self._queue.task_done()

    def join(self) -> None:
        """Wait until every queued work is analysed (tests)."""
        if self._thread is not None:
            self._queue.join()

    def stop(self) -> None:
        self._stopped = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
