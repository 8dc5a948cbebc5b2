"""The document the understanding pipeline works on.

A ``Document`` is the work's chapter texts plus named layers that components
add (``layers``). It is immutable: ``with_layers`` returns a new document.
Offsets in every layer are offsets into ``texts[i]`` (the chapter's
``Chapter.text``), and evidence names chapters by ``numbers[i]``.

>>> from ficshelf.model import Chapter, Work
>>> doc = Document.from_work(Work(title="t", chapters=(Chapter(number=1, text="Hi."),)))
>>> doc.texts, doc.numbers, doc.words
(('Hi.',), (1,), 1)
>>> doc.with_layers({"x": 1}).get("x")
1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from ficshelf.errors import AnalysisError
from ficshelf.model import Work
from ficshelf.text import count_words

__all__ = ["Document"]

T = TypeVar("T")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Document:
    """Chapter texts (``texts``), their numbers, and the layers added so far."""

    texts: tuple[str, ...]
    numbers: tuple[int, ...]
    work: Work | None = None
    layers: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @classmethod
    def from_work(cls, work: Work) -> Document:
        texts = tuple(c.text for c in work.chapters)
        numbers = tuple(c.number for c in work.chapters)
        return cls(texts=texts, numbers=numbers, work=work)

    @classmethod
    def from_texts(cls, *texts: str) -> Document:
        """A document of plain chapter texts numbered from 1 (tests, benchmarks)."""
        return cls(texts=tuple(texts), numbers=tuple(range(1, len(texts) + 1)))

    @property
    def words(self) -> int:
        return sum(count_words(t) for t in self.texts)

    def has(self, key: str) -> bool:
        return key in self.layers

    def get(self, key: str) -> Any:
        try:
            return self.layers[key]
        except KeyError:
            raise AnalysisError(f"the document has no {key!r} layer yet; "
                                "add the component that provides it earlier in the pipeline") from None

    def need(self, key: str, kind: type[T]) -> T:
        """The layer ``key``, checked to be a ``kind``."""
        value = self.get(key)
        if not isinstance(value, kind):
            raise AnalysisError(f"layer {key!r} holds {type(value).__name__}, expected {kind.__name__}")
        return value

    def with_layers(self, new: Mapping[str, Any]) -> Document:
        merged = dict(self.layers)
        merged.update(new)
        return Document(texts=self.texts, numbers=self.numbers, work=self.work,
                        layers=MappingProxyType(merged))
