"""People the text never names, only describes: "the Invisible Man", "the stranger", "the vampire".

A definite description is a person of the story when it acts like one: it
says things and does what people do ("said the stranger", "the vampire
moaned", "the Mock Turtle sighed"), again and again. Two shapes are looked for,
in one regular-expression pass per chapter:

* capitalised: "the" and one to three capitalised words ("the Invisible Man",
  "the White Rabbit", "the High Bishop"), a title the text gives someone in
  place of a name; not one whose first word is a courtesy title ("the Miss
  Musgroves" are a family) or that ends in a plural. A title alone ("the
  Duchess", "the Queen") is one when nobody of the cast bears it (else it is
  that person's: ``titled_epithets``) and it is not God's ("the Lord");
* lower case: "the" and one noun of ``PERSON_NOUNS``, kinds of people and
  creatures a story may leave unnamed ("the stranger", "the vampire",
  "the merman"); never ranks and relations ("the king", "the doctor", "the
  mother"), which mostly describe someone the text also names. It must also
  be named at least ``LOWER_SHARE`` as often as the most named person: a
  description used as a name carries a story, one used in passing describes
  a named person.

Each must be written at least ``MIN_MENTIONS`` times, ``MIN_SUBJECT`` of them
as the one who speaks or acts, and must not already be a name or epithet of a
person in the cast ("the Doctor" of Doctor Who is linked by the canon base,
``canonlink``).
A title alone, capitalised ("the Senator", "the Captain's ship"), names the one
person of the cast who bears it, if only one does (``titled_epithets``); its
mentions join that person's. A capitalised description that ends another one,
and only that one, is the same person ("the Rabbit" and "the White Rabbit"). The person found is a
cluster like any named one (display name the description as the text writes
it mid-sentence, mention offsets, verb cues),
appended to the cast under ``STORY_CAST``, so roles, gender, pronoun
resolution and relationships treat it as they treat everyone else. The
``cast`` layer itself (names only) is left as it was.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ficshelf.understand.cast import Cast, Cluster
from ficshelf.understand.document import Document
from ficshelf.understand.keys import CAST, STORY_CAST
from ficshelf.understand.lexicons import trie_pattern
from ficshelf.understand.mentions import FormStats
from ficshelf.understand.names import HUMAN_VERBS, PERSON_NOUNS, SPEECH_VERBS, TITLES

__all__ = ["LOWER_SHARE", "MIN_MENTIONS", "MIN_SUBJECT", "Descriptions", "acts", "describe_people",
           "titled_epithets"]

MIN_MENTIONS = 5
MIN_SUBJECT = 2
LOWER_SHARE = 0.3


_CAPITAL = r"(?P<cap>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})"
_LOWER = r"(?P<low>" + trie_pattern(sorted(PERSON_NOUNS)) + r")"
#: "[Tt](?<!\\w[Tt])he": "the" at a word's start, its first letter first (no \\b before it):
#: re skips ahead to a "T" or "t" in C, twice as fast over a chapter.
_DESCRIPTION = re.compile(r"[Tt](?<!\w[Tt])he (?:" + _CAPITAL + "|" + _LOWER + r")\b(?![-'’])")
_NEXT_WORD = re.compile(r"[ ]+(?:[a-z]+ly[ ]+)?([a-z]+)")
_PREV_WORD = re.compile(r"([a-z]+),?[ ]+$")


@dataclass(slots=True)
class _Found:
    surface: str = ""
    capital: bool = False
    subject: int = 0
    mentions: list[tuple[int, int, int]] = field(default_factory=list)


def acts(text: str, s: int, e: int) -> bool:
    """The description speaks or acts here: "said the stranger", "the stranger
    nodded", "the stranger slowly turned"."""
    nxt = _NEXT_WORD.match(text, e, min(len(text), e + 30))
    if nxt is not None and nxt.group(1) in HUMAN_VERBS:
        return True
    prev = _PREV_WORD.search(text, max(0, s - 20), s)
    return prev is not None and prev.group(1) in SPEECH_VERBS


def _known(cast: Cast) -> set[str]:
    """Names and epithets of the cast's people, lower case, without "the"."""
    out: set[str] = set()
    for c in cast.people:
        out.update(a.casefold().removeprefix("the ") for a in c.aliases)
        out.update(e.casefold().removeprefix("the ") for e in c.epithets)
    return out


def _plural(words: str) -> bool:
    last = words.rsplit(" ", 1)[-1]
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


_DIVINE = frozenset({"Father", "Mother", "Lord"})  # "the Father", "the Lord": God, often
_TITLE_ALONE = re.compile(r"[Tt](?<!\w[Tt])he (?P<title>" + trie_pattern(sorted(
    t for t in TITLES if t[:1].isupper() and len(t) > 3 and t not in _DIVINE)) + r")\b(?![-]|[ ][A-Z])")


def titled_epithets(texts: Sequence[str], cast: Cast) -> dict[int, FormStats]:
    """Mentions of a title alone ("the Senator", "the Captain's ship") that name the
    one person of the cast who bears it ("Senator Amidala", "Captain Rex"), by that
    person's index in ``cast.people``. A title two people bear ("the General" beside
    General Skywalker and General Kenobi), or written in lower case ("the senator":
    any senator), names nobody.

    >>> from ficshelf.understand.cast import build_cast
    >>> from ficshelf.understand.mentions import scan_names
    >>> t = "Senator Vell waved. Ivo bowed to the Senator. The Senator's aide frowned."
    >>> cast = build_cast(scan_names((t,), ((),)))
    >>> [(cast.people[i].name, st.total) for i, st in titled_epithets([t], cast).items()]
    [('Senator Vell', 2)]
    """
    holders: dict[str, list[int]] = {}
    for i, c in enumerate(cast.people):
        for title in c.titles:
            holders.setdefault(title, []).append(i)
    out: dict[int, FormStats] = {}
    for ci, text in enumerate(texts):
        for m in _TITLE_ALONE.finditer(text):
            owners = holders.get(m.group("title"), [])
            if len(owners) != 1:
                continue
            st = out.get(owners[0])
            if st is None:
                st = out[owners[0]] = FormStats(surface="the " + m.group("title"))
            st.total += 1
            st.mentions.append((ci, m.start(), m.end()))
            if acts(text, m.start(), m.end()):
                st.verb += 1
    return out


def describe_people(texts: Sequence[str], cast: Cast) -> list[Cluster]:
    """The described people of ``texts`` (see the module docstring), most mentioned
    first.

    >>> t = ("The stranger came at dusk. “A room,” said the stranger. The stranger "
    ...      "nodded to Mrs. Hall, and the stranger went up. Later the stranger "
    ...      "smiled. The horse slept.")
    >>> [(c.name, c.total) for c in describe_people([t], Cast((), (), ()))]
    [('the stranger', 5)]
    >>> t = ("“Late!” said the White Rabbit, and the Rabbit ran. The White Rabbit "
    ...      "sighed. “Oh,” said the Rabbit. The Rabbit hurried on.")
    >>> [c.aliases for c in describe_people([t], Cast((), (), ()))]
    [['the Rabbit', 'the White Rabbit']]
    """
    found: dict[str, _Found] = {}
    held = {t for c in cast.people for t in c.titles}
    for ci, text in enumerate(texts):
        for m in _DESCRIPTION.finditer(text):
            words = m.group("cap") or m.group("low")
            capital = m.group("cap") is not None
            if capital and (_plural(words) or (words.split(" ", 1)[0] in TITLES and (
                    " " in words or words in _DIVINE or words in held))):
                continue  # "the Doctor" alone may be a person: one nobody is called
            key = words.casefold()
            f = found.get(key)
            if f is None:
                f = found[key] = _Found(capital=capital)
            if not f.surface and text[m.start()] == "t":  # as written mid-sentence
                f.surface = text[m.start():m.end()]
            f.mentions.append((ci, m.start(), m.end()))
            if acts(text, m.start(), m.end()):
                f.subject += 1
    # "the Rabbit" is the "White Rabbit" when only one longer description ends with it
    owner: dict[str, str] = {}
    caps = [k for k, f in found.items() if f.capital]
    for k in caps:
        longer = [o for o in caps if o.endswith(" " + k)]
        if len(longer) == 1:
            owner[k] = longer[0]
    known = _known(cast)
    top = max((c.total for c in cast.people), default=0)
    out: list[Cluster] = []
    for key, f in found.items():
        if key in owner or key in known:
            continue
        parts = [(key, f), *((k, found[k]) for k, o in owner.items() if o == key)]
        n = sum(len(g.mentions) for _, g in parts)
        if n < MIN_MENTIONS or sum(g.subject for _, g in parts) < MIN_SUBJECT:
            continue
        if not f.capital and n < LOWER_SHARE * top:
            continue
        c = Cluster()
        for k, g in parts:
            surface = g.surface or f"the {k}"
            c.forms.append(("", tuple(surface.split())))
            c.stats.append(FormStats(total=len(g.mentions), verb=g.subject, surface=surface,
                                     mentions=g.mentions))
        out.append(c)
    out.sort(key=lambda c: (-c.total, c.name))
    return out


@dataclass(frozen=True, slots=True)
class Descriptions:
    """The descriptions component: ``cast`` (or ``canon_cast``) -> ``story_cast``."""

    cast_key: str = CAST
    name: str = "descriptions"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({self.cast_key})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({STORY_CAST})

    def __call__(self, doc: Document) -> dict[str, object]:
        cast: Cast = doc.need(self.cast_key, Cast)
        extra = describe_people(doc.texts, cast)
        titled = titled_epithets(doc.texts, cast)
        if not extra and not titled:
            return {STORY_CAST: cast}
        named = list(cast.people)
        for i, st in titled.items():  # a copy: the ``cast`` layer stays as it was
            c = named[i] = copy.copy(named[i])
            c.forms = [*c.forms, ("", ("the", st.surface.split()[-1]))]
            c.stats = [*c.stats, st]
        people = sorted((*named, *extra), key=lambda c: (-c.total, c.name))
        return {STORY_CAST: Cast(people=tuple(people), others=cast.others,
                                 unresolved=cast.unresolved, groups=cast.groups)}
