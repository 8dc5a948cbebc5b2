"""The understanding pipeline: small components that declare what they need and add.

Each component has a ``name``, the layer keys it ``needs`` and the keys it
``provides``, and is a pure function of the document: it returns a mapping of
exactly its ``provides`` keys, and the pipeline adds them to a new document.
Like spaCy's ``Language`` (``pipe_analysis``), the order is checked before
anything runs, so a mis-assembled pipeline fails at once and names the
component whose need is unmet.

>>> @component(name="count", provides=("n",))
... def count(doc: Document) -> dict[str, int]:
...     return {"n": len(doc.texts)}
>>> @component(name="double", needs=("n",), provides=("n2",))
... def double(doc: Document) -> dict[str, int]:
...     return {"n2": doc.get("n") * 2}
>>> Pipeline((count, double)).run(Document.from_texts("a", "b")).get("n2")
4
>>> Pipeline((double, count))
Traceback (most recent call last):
...
ficshelf.errors.AnalysisError: component 'double' needs 'n', which no earlier component provides (earlier: none)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ficshelf.errors import AnalysisError
from ficshelf.understand.document import Document

__all__ = ["Component", "FunctionComponent", "Pipeline", "component"]


@runtime_checkable
class Component(Protocol):
    """A pipeline step: a pure function of the document with declared inputs and outputs."""

    @property
    def name(self) -> str: ...

    @property
    def needs(self) -> frozenset[str]: ...

    @property
    def provides(self) -> frozenset[str]: ...

    def __call__(self, doc: Document) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class FunctionComponent:
    """A component made from a plain function (see ``component``)."""

    name: str
    needs: frozenset[str]
    provides: frozenset[str]
    func: Callable[[Document], Mapping[str, Any]]

    def __call__(self, doc: Document) -> Mapping[str, Any]:
        return self.func(doc)


def component(*, name: str, needs: Iterable[str] = (), provides: Iterable[str]
              ) -> Callable[[Callable[[Document], Mapping[str, Any]]], FunctionComponent]:
    """Declare a function as a component: ``@component(name=..., needs=..., provides=...)``."""

    def wrap(func: Callable[[Document], Mapping[str, Any]]) -> FunctionComponent:
        return FunctionComponent(name=name, needs=frozenset(needs), provides=frozenset(provides),
                                 func=func)

    return wrap


@dataclass(frozen=True, slots=True)
class Pipeline:
    """An ordered, checked sequence of components."""

    components: tuple[Component, ...]

    def __init__(self, components: Sequence[Component] | Iterable[Component]) -> None:
        object.__setattr__(self, "components", tuple(components))
        self.check()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components)

    @property
    def provides(self) -> frozenset[str]:
        out: set[str] = set()
        for c in self.components:
            out |= c.provides
        return frozenset(out)

    def check(self, *, given: Iterable[str] = ()) -> None:
        """Raise ``AnalysisError`` if a component needs a key no earlier one provides."""
        have: dict[str, str] = {k: "(given)" for k in given}
        seen: set[str] = set()
        for c in self.components:
            if c.name in seen:
                raise AnalysisError(f"component {c.name!r} appears twice in the pipeline")
            seen.add(c.name)
            for key in sorted(c.needs):
                if key not in have:
                    earlier = ", ".join(n for n in seen if n != c.name) or "none"
                    raise AnalysisError(
                        f"component {c.name!r} needs {key!r}, which no earlier component "
                        f"provides (earlier: {earlier})")
            for key in sorted(c.provides):
                if key in have:
                    raise AnalysisError(f"component {c.name!r} provides {key!r}, already provided "
                                        f"by {have[key]!r}")
                have[key] = c.name

    def describe(self) -> list[dict[str, Any]]:
        """One row per component: name, needs, provides (like spaCy's ``analyze_pipes``)."""
        return [{"name": c.name, "needs": sorted(c.needs), "provides": sorted(c.provides)}
                for c in self.components]

    def add(self, comp: Component, *, after: str | None = None) -> Pipeline:
        """A new pipeline with ``comp`` appended, or inserted after the named component."""
        items = list(self.components)
        if after is None:
            items.append(comp)
        else:
            if after not in self.names:
                raise AnalysisError(f"no component named {after!r} in the pipeline")
            items.insert(self.names.index(after) + 1, comp)
        return Pipeline(items)

    def run(self, doc: Document) -> Document:
        self.check(given=doc.layers.keys())
        for c in self.components:
            out = c(doc)
            keys = set(out)
            if keys != c.provides:
                missing = sorted(c.provides - keys)
                extra = sorted(keys - c.provides)
                raise AnalysisError(f"component {c.name!r} returned {sorted(keys)}; declared "
                                    f"{sorted(c.provides)} (missing {missing}, undeclared {extra})")
            doc = doc.with_layers(out)
        return doc
