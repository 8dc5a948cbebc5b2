"""Characters: the name scan and cast components, then roles, gender, Reader and Narrator.

Roles come from how much and how widely a character is named: ``main``
characters hold a large share of the name mentions (relative to the most
named one) across much of the text, and the narration itself names them
(not only other characters' talk); ``secondary`` ones recur, ``mentioned``
ones are named in passing. A reader-insert's "you" is the character
``Reader`` (also written "Y/N"); an unnamed first-person narrator is
``Narrator``, a named one has "I" among their aliases; both drive the story, so
both are ``main``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ficshelf.understand.analysis import Character, PointOfView, Role
from ficshelf.understand.cast import Cast, Cluster, build_cast
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, distinct, passage
from ficshelf.understand.keys import CAST, CHARACTERS, DIALOGUE, NAME_SCAN, NARRATION, POV
from ficshelf.understand.mentions import NameScan, scan_names
from ficshelf.understand.names import BODY_PARTS
from ficshelf.understand.pipeline import component
from ficshelf.understand.pov import first_person_by_narrator, section_owner
from ficshelf.understand.segments import in_narration

__all__ = [
    "MAIN_NARRATION",
    "MAIN_SHARE",
    "ROLE_ORDER",
    "SECONDARY_SHARE",
    "SHORT_TEXT",
    "CharactersComponent",
    "assign_roles",
    "build_characters",
    "cast",
    "characters",
    "guess_gender",
    "names",
]


MAIN_SHARE = 0.3        # of the most named character's mentions
MAIN_SPREAD = 0.3       # of the text's tenths holding a mention
MAIN_NARRATION = 2      # mentions outside dialogue
SHORT_TEXT = 6000       # characters (about a thousand words): spread says little below
SECONDARY_SHARE = 0.1
#: The order characters are listed in, by role.
ROLE_ORDER = {"main": 0, "secondary": 1, "mentioned": 2}
SECONDARY_SPREAD = 0.2
BLOCKS = 10


@component(name="names", needs=(DIALOGUE,), provides=(NAME_SCAN,))
def names(doc: Document) -> dict[str, object]:
    """Capitalised name forms with their context cues (one regex pass per chapter)."""
    return {NAME_SCAN: scan_names(doc.texts, doc.get(DIALOGUE))}


@component(name="cast", needs=(NAME_SCAN,), provides=(CAST,))
def cast(doc: Document) -> dict[str, object]:
    """Name forms clustered into people (aliases), places and things set aside."""
    return {CAST: build_cast(doc.need(NAME_SCAN, NameScan))}


def _spread(doc: Document, mentions: Sequence[tuple[int, int, int]]) -> float:
    """Share of the text's tenths (by characters, across chapters) that name the character."""
    sizes = [len(t) for t in doc.texts]
    offsets = [0]
    for n in sizes:
        offsets.append(offsets[-1] + n)
    total = offsets[-1] or 1
    blocks = {min(BLOCKS - 1, (offsets[ci] + s) * BLOCKS // total) for ci, s, _ in mentions}
    return len(blocks) / BLOCKS


def assign_roles(doc: Document, people: Sequence[Cluster], *, focal: Sequence[str] = ()
                 ) -> list[Role]:
    """``main``/``secondary``/``mentioned`` for each cluster (same order).

    Main: a focal character of the narration, or one named at least
    ``MAIN_SHARE`` as often as the most named one, at least ``MAIN_NARRATION``
    times outside dialogue (talked about only in others' speech is not being in
    the story), across ``MAIN_SPREAD`` of the text (not in a text under
    ``SHORT_TEXT`` characters, where a tenth is a paragraph).
    """
    if not people:
        return []
    top = max(c.total for c in people)
    short = sum(len(t) for t in doc.texts) < SHORT_TEXT
    roles: list[Role] = []
    for c in people:
        n = c.total
        ms = c.mentions()
        spread = _spread(doc, ms)
        if (c.name in focal and n >= 2) or (
                n >= 3 and n >= MAIN_SHARE * top and (short or spread >= MAIN_SPREAD)
                and in_narration(doc, ms) >= MAIN_NARRATION):
            roles.append("main")
        elif n >= 3 and (n >= SECONDARY_SHARE * top or spread >= SECONDARY_SPREAD):
            roles.append("secondary")
        else:
            roles.append("mentioned")
    return roles


_MALE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself)\b")
_FEMALE = re.compile(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")
_BODY = "|".join(sorted(BODY_PARTS))
# "Steve shook his head", "Ann cleared her throat", "Ann, she said": the possessive
# after the character's own verb, or a pronoun resuming the name, is the character's.
_OWN = re.compile(
    r"[ ]+(?:[a-z]+ly[ ]+)?[a-z]+[ ]+(?:(?P<m>his|himself)|(?P<f>herself|her(?=[ ]+"
    rf"(?:[a-z]+[ ]+)?(?:{_BODY})\b)))\b"
    r"|,[ ]+(?:(?P<m2>he)|(?P<f2>she))\b")


def guess_gender(doc: Document, c: Cluster, *, sample: int = 200) -> str | None:
    """"m"/"f" from titles, else from possessives after the character's own verbs."""
    g = c.gender
    if g is not None:
        return g
    narrations: Sequence[str] = doc.get(NARRATION)
    ms = c.mentions()
    if len(ms) > sample:
        step = len(ms) / sample
        ms = [ms[int(i * step)] for i in range(sample)]
    m = f = 0
    for ci, _s, e in ms:
        hit = _OWN.match(narrations[ci], e)
        if hit is None:
            continue
        if hit.group("m") or hit.group("m2"):
            m += 1
        else:
            f += 1
    if m >= 2 and m >= 3 * f:
        return "m"
    if f >= 2 and f >= 3 * m:
        return "f"
    return None


def _evidence(doc: Document, c: Cluster, *, limit: int = 3) -> tuple[Evidence, ...]:
    """The first mention, then the first mention of other names for the character,
    each passage once ("Bucky Barnes" is the first "Bucky" and the first "Barnes")."""
    def firsts() -> Iterator[Evidence]:
        seen: set[str] = set()
        for (ci, s, e), surface in sorted((st.mentions[0], st.surface) for st in c.stats
                                          if st.mentions):
            if surface not in seen:
                seen.add(surface)
                yield passage(doc.texts[ci], doc.numbers[ci], s, e)
    return distinct(firsts(), limit)


def _first_hits(doc: Document, pattern: re.Pattern[str], *, limit: int = 2,
                where: Callable[[int, int], bool] | None = None) -> tuple[Evidence, ...]:
    """The first passages of the narration where ``pattern`` is found (at a place
    ``where`` accepts), each once."""
    return distinct((passage(doc.texts[ci], doc.numbers[ci], m.start(), m.end())
                     for ci, narr in enumerate(doc.get(NARRATION))
                     for m in pattern.finditer(narr)
                     if where is None or where(ci, m.start())), limit)


def _told_by(owner: Callable[[int, int], str | None], name: str, ci: int, pos: int) -> bool:
    return owner(ci, pos) == name


_YOU = re.compile(r"\b[Yy]ou(?:rs?|rself)?\b")
_ME = re.compile(r"\bI\b|\b[Mm](?:e|y|yself)\b")
#: "Clint, son of Edith", "Arya, daughter of Eddard": a name and its lineage, one epithet.
_LINEAGE = re.compile(r", (?:son|daughter|child|heir) of ")
_LINEAGE_NAME = re.compile(r"\b([A-Z][\w'’-]+)$")
_LINEAGE_OF = re.compile(r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?")


def lineage_epithets(texts: Sequence[str], aliases: Sequence[Sequence[str]]
                     ) -> list[tuple[str, ...]]:
    """Each person's lineage epithets ("Clint, son of Edith"), by the name they open with.

    >>> lineage_epithets(["“Clint, son of Edith.” And Nat."], [("Clint", "Barton"), ("Nat",)])
    [('Clint, son of Edith',), ()]
    """
    owner = {a: i for i, names in enumerate(aliases) for a in names}
    found: list[dict[str, None]] = [{} for _ in aliases]
    for text in texts:
        for m in _LINEAGE.finditer(text):  # the literal first: C-speed over long texts
            name = _LINEAGE_NAME.search(text, max(0, m.start() - 40), m.start())
            of = _LINEAGE_OF.match(text, m.end())
            i = owner.get(name.group(1)) if name is not None else None
            if i is not None and name is not None and of is not None:
                found[i][text[name.start():of.end()]] = None
    return [tuple(f) for f in found]


def build_characters(doc: Document, cast_: Cast, pov_: PointOfView, scan: NameScan
                     ) -> tuple[Character, ...]:
    people = list(cast_.people)
    roles = assign_roles(doc, people, focal=pov_.focal)
    out: list[Character] = []
    if pov_.reader_insert:
        marks = sorted({doc.texts[ci][s:e] for ci, s, e in scan.reader_marks})
        you = pov_.counts.get("second", 0)
        ev = tuple(passage(doc.texts[ci], doc.numbers[ci], s, e) for ci, s, e in scan.reader_marks[:2])
        out.append(Character(name="Reader", aliases=("you", *marks), mentions=you, role="main",
                             evidence=ev or _first_hits(doc, _YOU)))
    # who says "I", and how often: one narrator, or one for each section a name heads
    told: Counter[str | None] = Counter(
        {pov_.narrator: pov_.counts.get("first", 0)} if pov_.narrator else {})
    owner = None
    if pov_.sections:
        told = first_person_by_narrator(doc.get(NARRATION), pov_.sections, pov_.narrator)
        owner = section_owner(pov_.sections, pov_.narrator)
    if pov_.narrator == "Narrator":
        out.append(Character(name="Narrator", aliases=("I",), mentions=told["Narrator"],
                             role="main", evidence=_first_hits(doc, _ME)))
    aliases = [c.aliases for c in people]
    epithets = lineage_epithets(doc.texts, aliases)
    for i, (c, role) in enumerate(zip(people, roles, strict=True)):
        gender = guess_gender(doc, c) if i < 40 else c.gender
        if c.name in told or c.name == pov_.you_name:
            # a narrator, named ("I" is one more alias), or the named "you"
            word, pattern, count = ("I", _ME, told[c.name]) if c.name in told else (
                "you", _YOU, pov_.counts.get("second", 0))
            where = None
            if owner is not None and word == "I":
                where = functools.partial(_told_by, owner, c.name)
            out.append(Character(name=c.name, aliases=(word, *aliases[i], *c.epithets, *epithets[i]),
                                 mentions=c.total + count, role="main", gender=gender,
                                 canon=c.canon, evidence=distinct(
                                     (*_first_hits(doc, pattern, limit=1, where=where),
                                      *_evidence(doc, c)))))
            continue
        out.append(Character(name=c.name, aliases=(*aliases[i], *c.epithets, *epithets[i]),
                             mentions=c.total, role=role,
                             gender=gender, canon=c.canon, evidence=_evidence(doc, c)))
    first = {"Reader", "Narrator", pov_.narrator, pov_.you_name, *pov_.narrators}
    out.sort(key=lambda ch: (ROLE_ORDER[ch.role],
                             -ch.mentions if ch.name not in first else -10**9))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CharactersComponent:
    """Characters with aliases, roles, gender and evidence (Reader and Narrator included)."""

    cast_key: str = CAST
    name: str = "characters"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({POV, NARRATION, NAME_SCAN, self.cast_key})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({CHARACTERS})

    def __call__(self, doc: Document) -> dict[str, object]:
        return {CHARACTERS: build_characters(doc, doc.need(self.cast_key, Cast),
                                             doc.need(POV, PointOfView),
                                             doc.need(NAME_SCAN, NameScan))}


characters = CharactersComponent()

