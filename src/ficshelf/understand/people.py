"""The people of a work with every mention position, for components that pair them up.

The ``characters`` layer says who is in the story; ``story_cast`` (the cast,
linked to a canon base when there is one, with the people named only by a
description) holds each person's mention offsets. This component joins the
two into one sorted event list per chapter (``pos``/``who``), so later steps
find "who is named in this sentence" or "who was named last" with a bisect
instead of scanning text.

A reader-insert's Reader is "mentioned" wherever the narration says
you/your (or Y/N); a first-person narrator (``Narrator``, or the character
the narration names as the narrator) wherever it says I/me/my.
A person whose gender the ``characters`` layer left open gets one from the
subject pronouns that follow their mentions (``fallback_gender``).

>>> from ficshelf.understand.run import run
>>> doc = run(Document.from_texts("Ann met Ben. “Hi, Ben,” Ann said. Ben smiled at Ann."))
>>> people = build_people(doc)
>>> [p.name for p in people.persons]
['Ann', 'Ben']
>>> people.named_between(0, 0, 12)
[0, 1]
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ficshelf.understand.analysis import Character, PointOfView
from ficshelf.understand.cast import Cast, Cluster
from ficshelf.understand.document import Document
from ficshelf.understand.keys import CHARACTERS, NARRATION, POV, SCENES, STORY_CAST
from ficshelf.understand.lexicons import word_start_pattern
from ficshelf.understand.names import KIN_TITLES
from ficshelf.understand.pipeline import component
from ficshelf.understand.pov import section_owner, teller_at

__all__ = ["MAX_PEOPLE", "PEOPLE", "ChapterEvents", "People", "PersonRef", "build_people",
           "fallback_gender", "people"]

PEOPLE = "people"
MAX_PEOPLE = 30

#: "reader": the unnamed "you" of a reader-insert; "narrator": whoever says "I";
#: "you": a named character the narration calls "you" (second person, no reader-insert)
Special = Literal["reader", "narrator", "you"]

_YOU = re.compile(word_start_pattern(("you", "You", "your", "Your", "yours", "Yours", "yourself",
                                      "Yourself", "Y/N")) + r"\b")
# subject forms only: an object or possessive pronoun after a name is often
# someone else's ("Oriel walked her home", "Fenna held his hand").
_SUBJECT = re.compile(r"\b(?:(?P<m>[Hh]e)|(?P<f>[Ss]he))\b")
_BOUNDARY = re.compile(r"[.!?…\n]")
_HIM = re.compile(r"\bhim\b")
# a full stop after a title is no sentence's end ("Mr. Fenwick gave Liz a bow")
_TITLE_STOP = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|St|Prof|Capt|Lt|Sgt|Col|Gen|Rev)$")
GENDER_REACH = 160          # characters after a mention searched for its pronoun
GENDER_SAMPLE = 60
FEW_MENTIONS = 8            # this few mentions: one unopposed vote decides
_ME = re.compile(word_start_pattern(("I", "me", "Me", "my", "My", "myself", "Myself")) + r"\b")


@dataclass(frozen=True, kw_only=True, slots=True)
class PersonRef:
    """One person: display name (AO3 canonical tag when linked), gender, role."""

    index: int
    name: str
    text_name: str
    canon: str | None = None
    gender: str | None = None
    role: str = "mentioned"
    special: Special | None = None
    mentions: int = 0
    kin: bool = False  # named with a kinship title: "Aunt May", "Uncle Iroh"


@dataclass(frozen=True, slots=True)
class ChapterEvents:
    """Mentions of one chapter, sorted by offset: ``pos[i]`` names ``who[i]``."""

    pos: tuple[int, ...]
    ends: tuple[int, ...]
    who: tuple[int, ...]
    scenes: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class People:
    """The ``people`` layer."""

    persons: tuple[PersonRef, ...]
    chapters: tuple[ChapterEvents, ...]
    #: who says "I": this person (-1: no one) ...
    narrator: int = -1
    #: ... but in these sections of each chapter, (start, end, person), sorted
    sections: tuple[tuple[tuple[int, int, int], ...], ...] = ()

    def narrator_at(self, ci: int, pos: int) -> int:
        """The person who says "I" at ``pos`` of chapter ``ci`` (-1: no one)."""
        spans = self.sections[ci] if ci < len(self.sections) else ()
        return teller_at(spans, pos, self.narrator) if spans else self.narrator

    def named_between(self, ci: int, lo: int, hi: int) -> list[int]:
        """Distinct people mentioned in ``[lo, hi)`` of chapter ``ci``, first mention first."""
        ev = self.chapters[ci]
        a = bisect.bisect_left(ev.pos, lo)
        b = bisect.bisect_left(ev.pos, hi)
        out: list[int] = []
        for i in range(a, b):
            w = ev.who[i]
            if w not in out:
                out.append(w)
        return out

    def recent(self, ci: int, pos: int, *, limit: int = 4, reach: int = 1500) -> list[int]:
        """Distinct people mentioned before ``pos`` in its scene (within ``reach``), latest first."""
        ev = self.chapters[ci]
        floor = max(0, pos - reach)
        k = bisect.bisect_right(ev.scenes, (pos, 1 << 62)) - 1
        if k >= 0:
            floor = max(floor, ev.scenes[k][0])
        i = bisect.bisect_left(ev.pos, pos) - 1
        out: list[int] = []
        while i >= 0 and ev.pos[i] >= floor and len(out) < limit:
            w = ev.who[i]
            if w not in out:
                out.append(w)
            i -= 1
        return out

    def first_mention(self, who: int) -> tuple[int, int]:
        """``(chapter index, offset)`` of the person's first mention (or far away)."""
        for ci, ev in enumerate(self.chapters):
            for p, w in zip(ev.pos, ev.who, strict=True):
                if w == who:
                    return ci, p
        return len(self.chapters), 0

    def by_name(self, name: str) -> PersonRef | None:
        for p in self.persons:
            if p.name == name or p.text_name == name:
                return p
        return None


KIN_SHARE = 0.25  # of a person's mentions under a kinship title: the text's "Aunt May"


def _kin(cl: Cluster) -> bool:
    """The text calls this person by a kinship title ("Aunt May", "Uncle Iroh") as a rule,
    not once in a while (Rozemyne's siblings' "Uncle Ferdinand", 3 of his 2,967 mentions)."""
    titled = sum(s.total for (title, _toks), s in zip(cl.forms, cl.stats, strict=True)
                 if title in KIN_TITLES)
    return titled > 0 and titled >= KIN_SHARE * cl.total


def _gender(ch: Character, cl: Cluster | None) -> str | None:
    if ch.gender in ("m", "f"):
        return ch.gender
    if cl is not None and cl.canon_gender in ("m", "f"):
        return cl.canon_gender
    return None


def _sentence_start(narr: str, s: int, reach: int = 300) -> int:
    """Where the sentence holding offset ``s`` starts (at most ``reach`` back).

    >>> t = "He left. Mr. Fenwick gave Liz a bow."
    >>> t[_sentence_start(t, t.index("Liz")):]
    ' Mr. Fenwick gave Liz a bow.'
    """
    lo = max(0, s - reach)
    hi = s
    while True:
        boundary = _BOUNDARY.search(narr[lo:hi][::-1])
        if boundary is None:
            return lo
        pos = hi - boundary.start() - 1
        if narr[pos] == "." and _TITLE_STOP.search(narr, max(0, pos - 5), pos):
            hi = pos
            continue
        return pos + 1


def fallback_gender(narrations: Sequence[str], mentions: Sequence[tuple[int, int, int]],
                    others: Sequence[Sequence[int]]) -> str | None:
    """"m"/"f" from the first subject pronoun (he/she) after the person's mentions.

    A vote counts only for a mention in the narration that is the first name of
    its sentence (the likely subject; "Mr." ends no sentence) and when no other
    person is named between it and the pronoun (``others``: every mention start
    per chapter, sorted; the person named again is no other), nor a "him" before
    a "he" ("Liz brought him tea. He looked up.": he is the one served).
    Two thirds of at least two votes decide (one vote, for a person named at
    most ``FEW_MENTIONS`` times).

    >>> t = "Oriel walked her home, and he stopped. Oriel smiled; he was cold."
    >>> fallback_gender([t], [(0, 0, 5), (0, 39, 44)], [[0, 39]])
    'm'
    """
    m = f = 0
    own = {(ci, s) for ci, s, _e in mentions}
    step = max(1, len(mentions) // GENDER_SAMPLE)
    for ci, s, e in mentions[::step]:
        narr = narrations[ci]
        if narr[s] == " ":
            continue  # inside dialogue
        starts = others[ci]
        k = bisect.bisect_left(starts, s)
        sentence_start = _sentence_start(narr, s)
        if k > 0 and starts[k - 1] >= sentence_start:
            continue  # someone else is named first in the sentence: not the subject
        hit = _SUBJECT.search(narr, e, min(len(narr), e + GENDER_REACH))
        if hit is None:
            continue
        j = bisect.bisect_right(starts, e)
        while j < len(starts) and starts[j] < hit.start() and (ci, starts[j]) in own:
            j += 1  # the person named again ("“That's deep, Beth.” She threw a potato")
        if j < len(starts) and starts[j] < hit.start():
            continue
        if hit.group("m") and _HIM.search(narr, e, hit.start()):
            continue  # "Liz brought him tea. He looked up.": he is the one she served
        if hit.group("m"):
            m += 1
        else:
            f += 1
    if m + f >= 2 or (m + f == 1 and len(mentions) <= FEW_MENTIONS):
        if 3 * m >= 2 * (m + f) and m > f:
            return "m"
        if 3 * f >= 2 * (m + f) and f > m:
            return "f"
    return None


def build_people(doc: Document) -> People:
    chars: Sequence[Character] = doc.get(CHARACTERS)
    cast_: Cast = doc.get(STORY_CAST)
    pov_: PointOfView | None = doc.get(POV) if doc.has(POV) else None
    narrations: Sequence[str] = doc.get(NARRATION) if doc.has(NARRATION) else doc.texts
    scenes: Sequence[Sequence[tuple[int, int]]] = (
        doc.get(SCENES) if doc.has(SCENES) else [[(0, len(t))] for t in doc.texts])
    clusters = {c.name: c for c in cast_.people}
    # someone named once is still a person a pair can hold ("his boyfriend Blaise")
    keep = [c for c in chars if c.role != "mentioned" or c.mentions >= 1]
    keep = keep[:MAX_PEOPLE]
    persons: list[PersonRef] = []
    per_chapter: list[list[tuple[int, int, int]]] = [[] for _ in doc.texts]
    narrators = set(pov_.narrators or (pov_.narrator,)) if pov_ is not None else set()
    says_i: dict[str | None, int] = {}   # each narrator's person index
    for ch in keep:
        idx = len(persons)
        if ch.name in ("Reader", "Narrator") and ch.name not in clusters:
            kind: Special = "reader" if ch.name == "Reader" else "narrator"
            if kind == "reader" and not (pov_ is not None and pov_.reader_insert):
                continue
            if kind == "reader":
                for ci, narr in enumerate(narrations):
                    per_chapter[ci].extend((m.start(), m.end(), idx) for m in _YOU.finditer(narr))
            else:
                says_i[ch.name] = idx
            persons.append(PersonRef(index=idx, name=ch.name, text_name=ch.name, role=ch.role,
                                     special=kind, mentions=ch.mentions))
            continue
        cl = clusters.get(ch.name)
        if cl is None:
            continue
        for ci, s, e in cl.mentions():
            per_chapter[ci].append((s, e, idx))
        named_narrator = ch.name in narrators
        named_you = pov_ is not None and ch.name == pov_.you_name
        if named_narrator:  # "I" is this person too (in their sections, if headed so)
            says_i[ch.name] = idx
        elif named_you:  # ... or "you"
            for ci, narr in enumerate(narrations):
                per_chapter[ci].extend((m.start(), m.end(), idx) for m in _YOU.finditer(narr))
        special: Special | None = "narrator" if named_narrator else "you" if named_you else None
        persons.append(PersonRef(index=idx, name=cl.canon or ch.name, text_name=ch.name,
                                 canon=cl.canon, gender=_gender(ch, cl), role=ch.role,
                                 special=special,
                                 mentions=ch.mentions, kin=_kin(cl)))
    narrator = -1
    sections: list[list[tuple[int, int, int]]] = [[] for _ in doc.texts]
    if says_i and pov_ is not None:
        owner = section_owner(pov_.sections, pov_.narrator)
        narrator = says_i.get(pov_.narrator, -1)
        for ci, s, e, name in pov_.sections:
            sections[ci].append((s, e, says_i.get(name, -1)))
        for ci, narr in enumerate(narrations):
            if not sections[ci] and narrator >= 0:
                per_chapter[ci].extend((m.start(), m.end(), narrator) for m in _ME.finditer(narr))
                continue
            for m in _ME.finditer(narr):
                w = says_i.get(owner(ci, m.start()))
                if w is not None:
                    per_chapter[ci].append((m.start(), m.end(), w))
    if pov_ is not None and pov_.addressed:
        # a letter's "you" is whom it is to
        index = {p.text_name: p.index for p in persons if p.special is None or
                 p.special == "narrator"}
        for ci, s, e, name in pov_.addressed:
            w = index.get(name)
            if w is not None:
                per_chapter[ci].extend((m.start(), m.end(), w)
                                       for m in _YOU.finditer(narrations[ci], s, e))
    for evs in per_chapter:
        evs.sort()
    starts = [[e[0] for e in evs] for evs in per_chapter]
    for i, p in enumerate(persons):
        if p.gender is None and p.special is None:
            cl = clusters.get(p.text_name)
            if cl is not None:
                g = fallback_gender(narrations, cl.mentions(), starts)
                if g is not None:
                    persons[i] = dataclasses.replace(p, gender=g)
    chapters: list[ChapterEvents] = []
    for ci, evs in enumerate(per_chapter):
        chapters.append(ChapterEvents(pos=tuple(e[0] for e in evs), ends=tuple(e[1] for e in evs),
                                      who=tuple(e[2] for e in evs),
                                      scenes=tuple(tuple(s) for s in scenes[ci])))  # type: ignore[misc]
    return People(persons=tuple(persons), chapters=tuple(chapters), narrator=narrator,
                  sections=tuple(tuple(sorted(spans)) for spans in sections))


@component(name="people", needs=(CHARACTERS, STORY_CAST, POV, NARRATION, SCENES),
           provides=(PEOPLE,))
def people(doc: Document) -> dict[str, object]:
    """Each character's mention offsets, merged into one sorted event list per chapter."""
    return {PEOPLE: build_people(doc)}
