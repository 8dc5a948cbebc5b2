"""Caching by object identity, for indexes built once per canon base.

``functools.cache`` hashes its argument; a ``CanonBase`` is a frozen dataclass
holding every fandom, so hashing it walks the whole base on every call.
``by_identity`` keys on ``id()`` instead (and keeps the object alive, so the
id cannot be reused while cached).

>>> calls = []
>>> @by_identity
... def size(x: tuple[int, ...]) -> int:
...     calls.append(x)
...     return len(x)
>>> t = (1, 2, 3)
>>> size(t), size(t), len(calls)
(3, 3, 1)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["by_identity"]

A = TypeVar("A")
R = TypeVar("R")


def by_identity(func: Callable[[A], R]) -> Callable[[A], R]:
    """Memoise a one-argument function on the argument's identity."""
    cache: dict[int, tuple[A, R]] = {}

    @functools.wraps(func)
    def wrapper(arg: A) -> R:
        hit = cache.get(id(arg))
        if hit is not None and hit[0] is arg:
            return hit[1]
        value = func(arg)
        if len(cache) > 8:
            cache.clear()
        cache[id(arg)] = (arg, value)
        return value

    return wrapper
