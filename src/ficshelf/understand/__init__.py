"""Understanding a story from its text alone: characters, point of view, tense, with evidence.

``analyze(work)`` runs the default pipeline and returns an ``Analysis`` (frozen;
``to_dict()`` is the ``inferred`` JSON). The pipeline is a checked sequence of
small components (``pipeline.Pipeline``), each a pure function of the
``Document`` that declares the layers it needs and provides:

    segment     -> dialogue, narration, scenes
    names       -> name_scan      (capitalised forms and context cues)
    cast        -> cast           (alias clusters that are people)
    [canon]     -> canon_cast     (only with a canon base: canonical tags, codenames)
    descriptions -> story_cast    (adds people named only by a description: "the stranger")
    pov         -> pov            (person, reader-insert, focal characters)
    tense       -> tense
    characters  -> characters     (roles, gender, Reader/Narrator, evidence)

then the inference components (``inference.COMPONENTS``): cues, arc, people,
relationships, fandoms, categories, rating and warnings, freeforms. Their
public layers appear in the JSON next to the core's.
"""

from __future__ import annotations

from ficshelf.understand.analysis import (
    Analysis,
    Character,
    PointOfView,
    Tense,
    analysis_from_dict,
)
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, passage
from ficshelf.understand.pipeline import Component, Pipeline, component
from ficshelf.understand.run import analyze, core_pipeline, default_pipeline, run, to_analysis

__all__ = [
    "Analysis",
    "Character",
    "Component",
    "Document",
    "Evidence",
    "Pipeline",
    "PointOfView",
    "Tense",
    "analysis_from_dict",
    "analyze",
    "component",
    "core_pipeline",
    "default_pipeline",
    "passage",
    "run",
    "to_analysis",
]
