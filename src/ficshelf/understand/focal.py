"""Focal characters of a third-person story: whose eyes and thoughts the narration follows.

The ``pov`` component (in the core, before pronouns are resolved) can only
count names, and a point-of-view character is named no more often than the
people they watch: in "Lavellan pretended not to see. She went to where Solas
sat." the scene is Lavellan's, and Solas is named as often. Once ``coref`` has
resolved the narration's pronouns, this component scores each person per scene:
one point per name in the narration, and ``INTERIOR`` more each time they (by
name or as a resolved he/she) are the subject of a verb of perception or
thought ("she thought", "Lavellan watched", "he could tell", "Harry keeps
glancing", "she had understood", "he didn't look"). Pronouns count only there:
between two men or two women the resolver often cannot tell which "he" is which,
and a point-of-view character's own perceptions are what give them away. The person scoring most in a scene
(at least ``MIN_SCORE``) holds it; a person holding at least ``SHARE`` of the
text (by scene length), or at least ``OF_TOP`` of the leader's, is focal, at
most ``LIMIT`` of them, leader first. A reader-insert keeps the Reader first.
First- and second-person stories keep the ``pov`` layer's answer (the narrator,
the Reader, the named "you").

On fifteen short stories of our own in big fandoms whose point-of-view
character we know, the leader is that character in 13, against 7 for the
``pov`` layer's count of names (and 10 when every resolved pronoun counts). With
three more (eighteen), and auxiliaries and negations allowed before the verb,
it is right in 16; without them, 15 (a Naruto story seen through Sakura, whose
perceptions are mostly "had understood", "did not see").

>>> from ficshelf.understand.run import run
>>> t = ("Ann looked at the sea. She had not slept. Ben came in, and he sat down. "
...      "She did not look up. Ben said nothing. She thought about the letter, and she "
...      "waited. Ben left.")
>>> doc = run(Document.from_texts(t))
>>> doc.get(FOCAL)
('Ann',)
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

from ficshelf.understand.analysis import PointOfView
from ficshelf.understand.coref import NAME, REFERENCES, SUBJECT, References
from ficshelf.understand.document import Document
from ficshelf.understand.keys import POV, SCENES
from ficshelf.understand.lexicons import trie_pattern
from ficshelf.understand.people import PEOPLE, People
from ficshelf.understand.pipeline import component

__all__ = ["FOCAL", "focal", "focal_people"]

FOCAL = "focal"
INTERIOR = 2      # points for a perception or thought, on top of the reference's own
MIN_SCORE = 2     # points a person needs in a scene to hold it
SHARE = 0.2       # of the text's length (by the scenes held) that makes a person focal
OF_TOP = 0.5      # of the leader's length that makes a person focal
LIMIT = 3


_VERBS = ("think", "thinks", "thought", "feel", "feels", "felt", "wonder", "wonders",
          "wondered", "know", "knows", "knew", "realize", "realizes", "realized", "realise",
          "realises", "realised", "notice", "notices", "noticed", "remember", "remembers",
          "remembered", "want", "wants", "wanted", "hope", "hopes", "hoped", "decide",
          "decides", "decided", "watch", "watches", "watched", "listen", "listens",
          "listened", "pretend", "pretends", "pretended", "wish", "wishes", "wished", "fear",
          "fears", "feared", "imagine", "imagines", "imagined", "understand", "understands",
          "understood", "glance", "glances", "glanced", "stare", "stares", "stared", "look",
          "looks", "looked", "see", "sees", "saw", "hear", "hears", "heard", "can't help",
          "couldn't help", "keeps glancing", "kept glancing", "could tell", "can tell",
          "could see", "can see", "could hear", "can hear", "could feel", "can feel")
_AUXILIARIES = ("had", "has", "have", "did", "does", "do", "could", "can", "would", "will",
                "might", "must", "should", "had to", "has to", "was able to", "is able to")
#: A verb of perception or thought after its subject, an auxiliary ("had understood",
#: "did not see", "couldn't hear") and an adverb allowed between.
_INTERIOR = re.compile(r"[ ]+(?:(?:(?:" + trie_pattern(_AUXILIARIES) + r")(?:n['’]t|[ ]+not)?"
                       r"|can['’]t|cannot|won['’]t)[ ]+)?"
                       r"(?:(?:\w+ly|still|already|just|suddenly|only|never|finally)[ ]+)?"
                       rf"(?:{trie_pattern(_VERBS)})\b")


def focal_people(texts: Sequence[str], people: People, refs: References,
                 scenes: Sequence[Sequence[tuple[int, int]]]) -> list[int]:
    """Indices of the focal people, leader first (see the module docstring)."""
    held: Counter[int] = Counter()
    total = 0
    for ci, chapter in enumerate(refs.chapters):
        bounds = scenes[ci] if ci < len(scenes) and scenes[ci] else [(0, 0)]
        starts = [a for a, _b in bounds]
        text = texts[ci]
        per_scene: list[Counter[int]] = [Counter() for _ in bounds]
        for pos, end, who, form in zip(chapter.pos, chapter.ends, chapter.who, chapter.form,
                                       strict=True):
            if form not in (NAME, SUBJECT):
                continue
            points = (form == NAME) + (INTERIOR if _INTERIOR.match(text, end) else 0)
            if points:
                per_scene[max(0, bisect.bisect_right(starts, pos) - 1)][who] += points
        for (a, b), counts in zip(bounds, per_scene, strict=True):
            total += b - a
            if counts:
                (who, n), = counts.most_common(1)
                if n >= MIN_SCORE:
                    held[who] += b - a
    if not held or total == 0:
        return []
    top = held.most_common()
    keep = [who for who, n in top if n >= SHARE * total or n >= OF_TOP * top[0][1]]
    return [w for w in keep if people.persons[w].special is None][:LIMIT]


@component(name="focal", needs=(POV, PEOPLE, REFERENCES, SCENES), provides=(FOCAL,))
def focal(doc: Document) -> dict[str, object]:
    """Focal characters of a third-person story: names, perceptions and thoughts."""
    pov: PointOfView = doc.need(POV, PointOfView)
    if pov.person != "third":
        return {FOCAL: pov.focal}
    people = doc.need(PEOPLE, People)
    found = [people.persons[w].text_name for w in
             focal_people(doc.texts, people, doc.need(REFERENCES, References),
                          doc.get(SCENES))]
    if not found:
        return {FOCAL: pov.focal}
    if pov.reader_insert:
        found = ["Reader", *found][:LIMIT]
    return {FOCAL: tuple(found)}
