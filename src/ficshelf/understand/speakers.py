r"""Speakers: roles read again once dialogue is attributed; who talks is in the story.

The core's roles (``characters.assign_roles``) count names, which is all it has
before quotes are given to speakers. A character named a few times in a long
work is ``mentioned``, even when they speak line after line: the ramen cook of a
Naruto story, named seven times in 16,000 words, answers in four turns; Pepper
Potts, named twice in a story told to "you", in eight. Once ``interactions`` has
told who says each quote, a ``mentioned`` character who speaks ``SPOKEN_TURNS``
turns or more is ``secondary``: talked to and heard, not named in passing. Main
roles are not given this way: in a long work the ensemble speaks too.

>>> from ficshelf.understand.run import run
>>> t = ('Ann Vale walked into the shop. Ann looked at the shelves.\n\n"Tea?" Odo asked.'
...      '\n\n"Yes," Ann said.\n\n"Milk?"\n\n"No."\n\n"Sugar?" Odo asked.\n\nAnn paid.')
>>> doc = run(Document.from_texts(t))
>>> [(c.name, c.role) for c in doc.get("characters")], dict(doc.get(SPEAKER_ROLES))
([('Ann Vale', 'main'), ('Odo', 'mentioned')], {'Odo': 'secondary'})
"""

from __future__ import annotations

from collections import Counter
from types import MappingProxyType

from ficshelf.understand.analysis import Character
from ficshelf.understand.document import Document
from ficshelf.understand.interactions import INTERACTIONS, Interactions
from ficshelf.understand.keys import CHARACTERS
from ficshelf.understand.people import PEOPLE, People
from ficshelf.understand.pipeline import component

__all__ = ["SPEAKER_ROLES", "SPOKEN_TURNS", "speaker_roles", "spoken_turns"]

SPEAKER_ROLES = "speaker_roles"
SPOKEN_TURNS = 3    # turns of dialogue that make a character more than mentioned


def spoken_turns(people: People, graph: Interactions) -> Counter[str]:
    """How many quotes each person is the speaker of, by the character's name in
    ``inferred.characters`` ("Rhysand", whose display name is "Rhysand (ACoTaR)")."""
    turns: Counter[str] = Counter()
    for chapter in graph.chapters:
        for who in chapter.speakers:
            if who >= 0:
                turns[people.persons[who].text_name] += 1
    return turns


@component(name="speakers", needs=(CHARACTERS, PEOPLE, INTERACTIONS), provides=(SPEAKER_ROLES,))
def speaker_roles(doc: Document) -> dict[str, object]:
    """The roles that change once speakers are known (name -> role); ``run.to_analysis``
    applies them to the characters."""
    turns = spoken_turns(doc.need(PEOPLE, People), doc.need(INTERACTIONS, Interactions))
    chars: tuple[Character, ...] = doc.get(CHARACTERS)
    changed = {c.name: "secondary" for c in chars
               if c.role == "mentioned" and turns[c.name] >= SPOKEN_TURNS}
    return {SPEAKER_ROLES: MappingProxyType(changed)}
