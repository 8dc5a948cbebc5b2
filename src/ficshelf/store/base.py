"""The ``Store`` interface every library backend implements, and its result values.

The CLI and the web app talk to a ``Store`` only; SQLite is the first backend
(``ficshelf.store.sqlite``), and the contract tests in ``tests/test_store_contract.py``
are written against this protocol so another backend can join them.

Facet keys are the ``Tags`` field names (``FACET_KEYS``); tag kinds, as used by
``Store.tags(kind=...)`` and the ``fandom:``-style prefixes of ``Query.include``,
are their singular forms (``TAG_KINDS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Literal, Protocol, Self, runtime_checkable

from ficshelf.errors import StoreError
from ficshelf.model import Work
from ficshelf.search.query import TAG_KINDS, Query

__all__ = [
    "FACET_KEYS",
    "KIND_OF_FACET",
    "TAG_KINDS",
    "AddResult",
    "AddStatus",
    "Hit",
    "SearchResult",
    "Store",
]

AddStatus = Literal["added", "updated", "unchanged"]

#: Facet keys of ``SearchResult.facets``, in display order (the ``Tags`` field names).
FACET_KEYS: Final = ("rating", "warnings", "categories", "fandoms", "relationships", "characters",
                     "freeforms")
KIND_OF_FACET: Final = dict(zip(FACET_KEYS, TAG_KINDS, strict=True))


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``Store.add`` did with a work: its id, and whether it was new."""

    id: int
    status: AddStatus


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result. ``work`` carries no chapter text (``chapters == ()``);
    ``snippet`` is safe HTML with matches in ``<mark>`` when the query had text."""

    work: Work
    snippet: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of results, the total over all pages, and tag counts over the
    whole result set (``facets[key]`` is ``((tag, works), ...)``, most used first).

    ``ranked_only``: None when the order is exactly what the query asked for;
    a number when a best-match search had more matches than its
    ``Query.rank_limit``: then only that many (the most recently added matches)
    were ranked and come first, and the other matches follow, newest first,
    with no score.
    """

    total: int
    hits: tuple[Hit, ...]
    facets: Mapping[str, tuple[tuple[str, int], ...]]
    page: int
    per_page: int
    ranked_only: int | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@runtime_checkable
class Store(Protocol):
    """A library of works. Every write is one transaction."""

    def add(self, work: Work, *, source: str | None = None) -> AddResult:
        """Store a work, or merge it into the same work already stored.

        The same work is the same AO3 work (archive host and work id) or the
        same text (normalised fingerprint). A merge keeps the id and the user's
        data and adds chapters (``model.merge_works``).
        """
        ...

    def add_many(self, works: Iterable[Work | tuple[Work, str | None]], *,
                 batch_size: int = 500) -> list[AddResult | StoreError]:
        """Store many works in batched transactions; a work that fails is
        reported in its place (a ``StoreError``) and leaves nothing behind."""
        ...

    def get(self, work_id: int) -> Work:
        """The stored work with its chapters and ``id`` set; ``WorkNotFound`` if none."""
        ...

    def delete(self, work_id: int) -> None: ...

    def count(self) -> int: ...

    def search(self, query: Query) -> SearchResult: ...

    def tags(self, kind: str | None = None, prefix: str = "", limit: int = 50
             ) -> list[tuple[str, str, int]]:
        """``(kind, tag, works)`` for canonical tags, most used first; ``prefix``
        matches the start of the tag or of any of its synonyms."""
        ...

    def set_synonym(self, tag: str, canonical: str) -> None: ...

    def remove_synonym(self, tag: str) -> None: ...

    def synonyms(self) -> dict[str, str]: ...

    def rebuild_index(self) -> None:
        """Rebuild everything derived (full-text index, tag tables) from the stored works."""
        ...

    def get_user_data(self, work_id: int) -> dict[str, Any]: ...

    def set_user_data(self, work_id: int, key: str, value: Any) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
