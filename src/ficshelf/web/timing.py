"""Where a request's time goes, for the ``Server-Timing`` header.

The security middleware opens a ``RequestTimes`` for each request; code that
calls the store (through ``TimedStore``) adds its time under ``store``. The
header then reads ``app;dur=12.30, store;dur=9.80``: the app's total and the
part spent in the library store (SQLite), so a slow page can be pinned on the
web layer or on the search underneath it.

>>> times = start_request()
>>> with timed("store"):
...     pass
>>> sorted(times)
['store']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["RequestTimes", "TimedStore", "start_request", "timed"]

RequestTimes = dict[str, float]
_TIMES: ContextVar[RequestTimes | None] = ContextVar("ficshelf_request_times", default=None)


def start_request() -> RequestTimes:
    """A fresh record for this request (shared with threads the request runs code in)."""
    times: RequestTimes = {}
    _TIMES.set(times)
    return times


@contextmanager
def timed(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        times = _TIMES.get()
        if times is not None:
            times[name] = times.get(name, 0.0) + (time.perf_counter() - start) * 1000


class TimedStore:
    """A store whose method calls are timed under ``store`` (everything else passes through)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value) or name.startswith("__"):
            return value

        def call(*args: Any, _f: Callable[..., Any] = value, **kwargs: Any) -> Any:
            with timed("store"):
                return _f(*args, **kwargs)

        return call

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self._store.close()
