"""The default pipeline and ``analyze``.

>>> from ficshelf.model import Chapter, Work
>>> text = ("Ann walked to the door. “Stay,” Ben said. Ann turned. “Why, Ben?” "
...         "she asked. Ben smiled at Ann and Ann smiled back.")
>>> a = analyze(Work(title="t", chapters=(Chapter(number=1, text=text),)))
>>> [(c.name, c.role) for c in a.characters]
[('Ann', 'main'), ('Ben', 'main')]
>>> a.pov.person, a.tense.value
('third', 'past')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ficshelf.model import Work
from ficshelf.understand import canonlink
from ficshelf.understand.analysis import Analysis, Character, PointOfView, Tense
from ficshelf.understand.characters import ROLE_ORDER
from ficshelf.understand.core import CORE_PUBLIC, core_pipeline
from ficshelf.understand.document import Document
from ficshelf.understand.focal import FOCAL
from ficshelf.understand.inference import PUBLIC as INFERENCE_PUBLIC
from ficshelf.understand.inference import inference_pipeline
from ficshelf.understand.keys import CHARACTERS, POV, TENSE
from ficshelf.understand.pipeline import Pipeline
from ficshelf.understand.speakers import SPEAKER_ROLES

__all__ = ["CORE_PUBLIC", "analyze", "core_pipeline", "default_pipeline", "public_layers", "run", "to_analysis"]

def default_pipeline(*, canon: Any = None) -> Pipeline:
    """The whole pipeline: the core, then relationships, fandoms, categories, rating,
    warnings, freeform tags and the arc (``inference.COMPONENTS``)."""
    return inference_pipeline(canon=canon)


def public_layers() -> tuple[str, ...]:
    """Every layer that appears under ``inferred``: the core's, then the inference components'."""
    return CORE_PUBLIC + INFERENCE_PUBLIC


def run(work: Work | Document, *, pipeline: Pipeline | None = None,
        canon: canonlink.CanonLike | None = None) -> Document:
    """The document with every layer the pipeline adds (for evaluation and debugging)."""
    doc = work if isinstance(work, Document) else Document.from_work(work)
    return (pipeline or default_pipeline(canon=canon)).run(doc)


def to_analysis(doc: Document, *, public: tuple[str, ...] | None = None) -> Analysis:
    public = public_layers() if public is None else public
    layers = doc.layers
    chars = layers.get(CHARACTERS, ())
    pov_ = layers.get(POV)
    focal_ = layers.get(FOCAL)
    if isinstance(pov_, PointOfView) and isinstance(focal_, tuple):
        pov_ = dataclasses.replace(pov_, focal=focal_)  # read again once pronouns are resolved
    changed = layers.get(SPEAKER_ROLES)
    if isinstance(changed, Mapping) and changed:  # read again once speakers are known
        chars = sorted((dataclasses.replace(c, role=changed[c.name]) if c.name in changed
                        else c for c in chars if isinstance(c, Character)),
                       key=lambda c: ROLE_ORDER[c.role])
    tense_ = layers.get(TENSE)
    extra: Mapping[str, Any] = MappingProxyType(
        {k: layers[k] for k in public if k in layers and k not in (CHARACTERS, POV, TENSE)})
    return Analysis(
        characters=tuple(c for c in chars if isinstance(c, Character)),
        pov=pov_ if isinstance(pov_, PointOfView) else None,
        tense=tense_ if isinstance(tense_, Tense) else None,
        extra=extra,
    )


def analyze(work: Work, *, canon: canonlink.CanonLike | None = None,
            pipeline: Pipeline | None = None) -> Analysis:
    """Run the whole pipeline (or ``pipeline``) over a work's chapter texts."""
    return to_analysis(run(work, pipeline=pipeline, canon=canon))

