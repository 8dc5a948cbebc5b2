"""Tag counts for the filter sidebar, off the page's critical path.

Counting every tag over a large result set is the slowest part of a library
page (hundreds of milliseconds at 100,000 works, against a few for the page of
results itself). So the page asks for its results without facets, and the
counts come from here:

- a cache keyed by everything in the query that changes the result set (not
  the page, sort or page size) and by the library's version (its size plus a
  counter bumped by the web app's imports), so paging and re-sorting reuse them;
- on a miss, in ``background`` mode, a worker *process* (its own SQLite
  connection, its own interpreter: no lock or GIL shared with the pages)
  computes them, and the page shows the whole library's counts meanwhile,
  labelled as such; the site script swaps in the counts for the results when
  they are ready (``/facets``), and a reload shows them without it;
- in ``inline`` mode (small libraries, tests) they are computed on the spot.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

from ficshelf.search.query import Query
from ficshelf.store.base import Store

__all__ = ["FacetMode", "FacetService", "Facets", "facet_key"]

log = logging.getLogger(__name__)

Facets = Mapping[str, tuple[tuple[str, int], ...]]
FacetMode = Literal["inline", "background", "auto"]
AUTO_INLINE_LIMIT: Final = 20_000
_CACHE: Final = 512
_UNFILTERED: Final = Query(facets=True, per_page=1)

# --- the worker process ------------------------------------------------------------

_worker_store: Any = None


def _worker_init(folder: str) -> None:
    global _worker_store
    from ficshelf.store import open_library

    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # background work: the pages come first
    _worker_store = open_library(folder)


def _worker_facets(query: Query) -> dict[str, tuple[tuple[str, int], ...]]:
    result = _worker_store.search(query)
    return {k: tuple((str(t), int(n)) for t, n in v) for k, v in result.facets.items()}


# --- the service ---------------------------------------------------------------------


def facet_key(query: Query) -> Query:
    """The part of a query facets depend on (page, sort and size do not matter,
    nor how much of a best-match search is ranked: one work is, the least there is).

    >>> facet_key(Query(text="x", page=3, sort="title")) == facet_key(Query(text="x", rank_limit=None))
    True
    """
    return dataclasses.replace(query, page=1, per_page=1, sort="best", descending=True,
                               facets=True, rank_limit=1)


class FacetService:
    def __init__(self, store: Store, folder: Path, *, mode: FacetMode = "auto") -> None:
        self.store = store
        self.folder = folder
        self.mode: Literal["inline", "background"] = "inline" if mode == "inline" else "background"
        self._auto = mode == "auto"
        self.generation = 0
        self._lock = threading.Lock()
        self._cache: OrderedDict[Query, tuple[tuple[int, int], Facets]] = OrderedDict()
        self._running: set[Query] = set()
        self._next: Query | None = None
        self._wake = threading.Event()
        self._done = threading.Condition(self._lock)
        self._dispatcher: threading.Thread | None = None
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._closed = False

    def start(self) -> None:
        if self._auto:
            self.mode = "inline" if self.store.count() <= AUTO_INLINE_LIMIT else "background"
        if self.mode == "background":
            self.request(_UNFILTERED)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def changed(self) -> None:
        """The web app changed the library (an import): cached counts are stale."""
        with self._lock:
            self.generation += 1

    def _version(self) -> tuple[int, int]:
        return self.store.count(), self.generation

    def cached(self, query: Query) -> Facets | None:
        key = facet_key(query)
        version = self._version()
        with self._lock:
            hit = self._cache.get(key)
            if hit is None or hit[0] != version:
                return None
            self._cache.move_to_end(key)
            return hit[1]

    def _put(self, key: Query, version: tuple[int, int], facets: Facets) -> None:
        with self._lock:
            self._cache[key] = (version, facets)
            self._cache.move_to_end(key)
            while len(self._cache) > _CACHE:
                self._cache.popitem(last=False)

    def compute(self, query: Query) -> Facets:
        """Count now, on the app's own connection, and cache."""
        key = facet_key(query)
        version = self._version()
        facets = self.store.search(key).facets
        self._put(key, version, facets)
        return facets

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init, initargs=(os.fspath(self.folder),))
        return self._pool

    def request(self, query: Query) -> None:
        """Have the worker process count these results. One count runs at a time;
        of the requests that arrive meanwhile only the newest waits (a reader who
        has moved on does not need the counts of the page they left)."""
        if self._closed:
            return
        key = facet_key(query)
        with self._lock:
            if key in self._running or self._next == key:
                return
            self._next = key
            if self._dispatcher is None:
                self._dispatcher = threading.Thread(target=self._dispatch, name="ficshelf-facets",
                                                    daemon=True)
                self._dispatcher.start()
        self._wake.set()

    def _dispatch(self) -> None:
        while not self._closed:
            self._wake.wait()
            with self._lock:
                key, self._next = self._next, None
                self._wake.clear()
                if key is not None:
                    self._running.add(key)
            if key is None:
                continue
            try:
                version = self._version()
                facets = self._executor().submit(_worker_facets, key).result()
            except Exception as exc:  # a failed count leaves the library-wide ones showing
                if not self._closed:
                    log.warning("facet counting failed: %s", exc)
            else:
                self._put(key, version, facets)
            finally:
                with self._lock:
                    self._running.discard(key)
                    self._done.notify_all()

    def lookup(self, query: Query) -> tuple[Facets | None, Literal["results", "library", "none"]]:
        """Counts for the sidebar: the results' (computed inline or cached), else
        the whole library's while the results' are counted in the background."""
        found = self.cached(query)
        if found is not None:
            return found, "results"
        if self.mode == "inline":
            return self.compute(query), "results"
        self.request(query)
        library = self.cached(_UNFILTERED)
        if library is not None:
            return library, "library"
        return None, "none"

    def wait(self, query: Query, timeout: float = 30.0) -> Facets | None:
        """Block until the background counts for a query are in (tests, benchmarks)."""
        key = facet_key(query)
        deadline = time.monotonic() + timeout
        with self._done:
            while (key in self._running or self._next == key) and time.monotonic() < deadline:
                self._done.wait(timeout=max(0.0, deadline - time.monotonic()))
        return self.cached(query)
