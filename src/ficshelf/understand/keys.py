"""Names of the document layers the default components read and write.

>>> CAST, CANON_CAST
('cast', 'canon_cast')
"""

from __future__ import annotations

__all__ = [
    "CANON_CAST",
    "CAST",
    "CHARACTERS",
    "DIALOGUE",
    "NAME_SCAN",
    "NARRATION",
    "POV",
    "SCENES",
    "STORY_CAST",
    "TENSE",
]

DIALOGUE = "dialogue"        # per chapter: [(start, end)] of quoted passages
NARRATION = "narration"      # per chapter: the text with dialogue blanked (same offsets)
SCENES = "scenes"            # per chapter: [(start, end)] between scene breaks
NAME_SCAN = "name_scan"      # mentions.NameScan
CAST = "cast"                # cast.Cast: alias clusters that are people
CANON_CAST = "canon_cast"    # cast.Cast linked to a canon base (canonical tags, codenames)
STORY_CAST = "story_cast"    # cast.Cast with the people named only by a description
POV = "pov"                  # analysis.PointOfView
TENSE = "tense"              # analysis.Tense
CHARACTERS = "characters"    # tuple[analysis.Character, ...]
