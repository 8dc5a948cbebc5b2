"""The inference components, in order, for the integrator to append to the core pipeline.

``COMPONENTS`` runs after the core's ``characters`` component (it needs
``characters``, ``cast``, ``pov``, ``narration`` and ``scenes``):

    cues           -> cues           (one trie-regex pass per chapter: every cue word)
    arc            -> arc            (valence series, Reagan shape, ending)
    people         -> people         (mention offsets per person, Reader/Narrator)
    coref          -> references     (narration pronouns resolved to people)
    focal          -> focal          (focal characters from names and resolved pronouns)
    interactions   -> interactions   (who talks to whom, who acts on whom)
    speakers       -> speaker_roles  (a character who speaks is more than mentioned)
    relationships  -> relationships  (pairs, romantic or platonic, AO3 tags)
    fandoms        -> fandoms        (ranked, from canon names and setting words)
    categories     -> categories     (F/M, M/M, F/F, Multi, Other, Gen)
    rating         -> rating, warnings
    freeforms      -> freeforms      (additional tags)

``PUBLIC`` lists the layers that belong under ``inferred`` in a work's JSON
(each value has ``to_dict()``); ``cues``, ``people``, ``references`` and
``interactions`` are internal; ``focal`` replaces the focal characters of ``pov``
(``run.to_analysis``), and so do ``speaker_roles`` the characters' roles.

>>> pipe = inference_pipeline()
>>> [c.name for c in pipe.components][-len(COMPONENTS):] == [c.name for c in COMPONENTS]
True
"""

from __future__ import annotations

from typing import Any

from ficshelf.canon import CanonBase
from ficshelf.understand.arc import ARC, arc
from ficshelf.understand.categories import CATEGORIES, categories
from ficshelf.understand.core import core_pipeline
from ficshelf.understand.coref import coref
from ficshelf.understand.cuescan import cues
from ficshelf.understand.document import Document
from ficshelf.understand.fandom import FANDOMS, FandomComponent
from ficshelf.understand.focal import focal
from ficshelf.understand.freeforms import FREEFORMS, freeforms
from ficshelf.understand.interactions import interactions
from ficshelf.understand.people import people
from ficshelf.understand.pipeline import Component, Pipeline
from ficshelf.understand.rating import RATING, WARNINGS, rating
from ficshelf.understand.relationships import RELATIONSHIPS, RelationshipsComponent
from ficshelf.understand.speakers import speaker_roles

__all__ = ["COMPONENTS", "PUBLIC", "components", "inference_pipeline", "inferred"]

PUBLIC: tuple[str, ...] = (RELATIONSHIPS, FANDOMS, CATEGORIES, RATING, WARNINGS, FREEFORMS, ARC)


def components(*, canon: CanonBase | None = None) -> tuple[Component, ...]:
    """The inference components; ``canon`` (default: the packaged base) names fandoms and ships."""
    return (cues, arc, people, coref, focal, interactions, speaker_roles,
            RelationshipsComponent(canon=canon),
            FandomComponent(canon=canon), categories, rating, freeforms)


COMPONENTS: tuple[Component, ...] = components()


def inference_pipeline(*, canon: CanonBase | None = None) -> Pipeline:
    """The core's default pipeline (linked to ``canon`` when given) followed by ``COMPONENTS``."""
    pipe = core_pipeline(canon=canon)
    for comp in components(canon=canon):
        pipe = pipe.add(comp)
    return pipe


def inferred(doc: Document) -> dict[str, Any]:
    """The public inference layers of an analysed document as JSON-ready data."""
    out: dict[str, Any] = {}
    for key in PUBLIC:
        if doc.has(key):
            out[key] = doc.get(key).to_dict()
    return out
