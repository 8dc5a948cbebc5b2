"""The core pipeline: segment, names, cast, [canon link], descriptions, pov, tense, characters.

The inference components (``inference.COMPONENTS``) run after it; ``run.analyze``
runs both.
"""

from __future__ import annotations

from ficshelf.understand import canonlink
from ficshelf.understand.characters import CharactersComponent, cast, names
from ficshelf.understand.descriptions import Descriptions
from ficshelf.understand.keys import CANON_CAST, CAST, CHARACTERS, POV, STORY_CAST, TENSE
from ficshelf.understand.pipeline import Component, Pipeline
from ficshelf.understand.pov import PovComponent
from ficshelf.understand.segments import segment
from ficshelf.understand.tense import tense

__all__ = ["CORE_PUBLIC", "core_pipeline"]

# Layers of the core pipeline that appear in ``Analysis.to_dict()``.
CORE_PUBLIC: tuple[str, ...] = (CHARACTERS, POV, TENSE)


def core_pipeline(*, canon: canonlink.CanonLike | None = None) -> Pipeline:
    """segment, names, cast, [canon], descriptions, pov, tense, characters."""
    parts: list[Component] = [segment, names, cast]
    key = CAST
    if canon is not None:
        parts.append(canonlink.CanonLink(canon=canon))
        key = CANON_CAST
    parts += [Descriptions(cast_key=key), PovComponent(cast_key=STORY_CAST), tense,
              CharactersComponent(cast_key=STORY_CAST)]
    return Pipeline(parts)
