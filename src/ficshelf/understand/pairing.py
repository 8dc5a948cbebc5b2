"""Which pair of people a relationship cue is about, from references and dialogue turns.

``Attributor.pair(ci, cat, start, end)`` returns the pair a cue hit belongs to
and how sure the attribution is (a factor for its weight), or None:

- a cue inside a quoted passage belongs to the people the quote's sentence
  names, then to its speaker when it says I/me/my and to its addressee when it
  says you/your ("I love you" is speaker and addressee); a pet name is said by
  the speaker to the addressee;
- a cue in the narration belongs to the two people referred to nearest it in
  its sentence, names and resolved pronouns alike ("he kissed her"), the one
  before the cue first (the subject), and no one past a new clause when the
  cue's own clause names two ("James and Lily walked ahead, hand in hand, and
  Peter had vanished" is James and Lily); when only one is there, the other is the
  person referred to last before the sentence in the scene (preferring the one
  the first was most often together with); when none is, the two last ones;
  either way at ``CONTEXT`` of the weight;
- a relation noun ("his brother", "Ann's boyfriend", "my friend") relates its
  possessor (a name with 's, a resolved his/her, my = the speaker or narrator,
  your = the addressee or Reader) and its referent: a name right after it
  ("his brother Tobiah"), the subject of a copula ("Tobiah was his brother",
  "you're my best friend"), the addressee of a vocative ("Thanks, brother.");
  in a quote whose copula's subject is "he" or "she" ("He's my kid," Tony said),
  the latest person of the scene the pronoun fits who is neither speaker nor
  addressee, at ``UNSURE``. "kid" relates only with a possessor ("the kid" is any
  child). A plural noun names both sides ("Ann was friends with Ben", "they became
  friends"; "they" are the two people the sentence before names, when it names
  just two, else the pair of the scene most often together). When the referent
  is unknown, someone of the scene whose gender fits the noun (anyone, for "friend"
  or "cousin") stands in (the one who shares the most scenes with the possessor,
  then the one who talks with them most), at ``UNSURE`` of the weight ("his dad" so
  often names someone off the page); kin in the plural ("his brothers") stand for
  no one, friends in the plural for the people around them. ``Attribution.owner``
  is set so that the caller can drop the guess when the same possessor's noun
  recurs unnamed (``relationships.UNNAMED_KIN``); an unnamed partner ("his wife")
  is left to the caller too, and a name the cast does not hold right after the
  noun ("his boyfriend Blaise") relates no one.

>>> from ficshelf.understand.run import run
>>> t = ("Ann met Ben at the gate. Ann knew she was late. Ben laughed, and he waved.\\n\\n"
...      "“I love you,” Ben said.\\n\\nShe kissed him. Cal, her brother, waved. Cal grinned at Ann.")
>>> doc = run(Document.from_texts(t))
>>> att = Attributor.of(doc)
>>> names = [p.name for p in att.people.persons]
>>> def show(phrase):
...     s = t.index(phrase)
...     got = att.pair(0, CATEGORY[phrase], s, s + len(phrase))
...     return got and (sorted(names[w] for w in got.pair), got.factor)
>>> CATEGORY = {"love you": "romantic_love", "kissed": "romantic_kiss",
...             "brother": "platonic_sibling"}
>>> show("love you"), show("kissed"), show("brother")
((['Ann', 'Ben'], 1.0), (['Ann', 'Ben'], 1.0), (['Ann', 'Cal'], 1.0))
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ficshelf.understand.coref import (
    CLAUSE,
    POSSESSIVE,
    REFERENCES,
    SPOKEN,
    ChapterRefs,
    References,
)
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.interactions import INTERACTIONS, ChapterInteractions, Interactions
from ficshelf.understand.keys import NARRATION
from ficshelf.understand.lexicons import ENDEARMENT
from ficshelf.understand.people import PEOPLE, People

__all__ = ["CONTEXT", "RELATION_NOUNS", "UNSURE", "Attribution", "Attributor", "together_blocks",
           "vocative"]

#: Categories whose phrases are relation nouns ("brother", "friend", "boyfriend").
RELATION_NOUNS = frozenset({"platonic_sibling", "platonic_family", "platonic_friend",
                            "platonic_team", "romantic_partner"})
#: Relation nouns of kin and friends: when their referent is not named, the people of the
#: scene may stand in (a partner noun needs its people in the sentence).
PLATONIC_NOUNS = RELATION_NOUNS - {"romantic_partner"}
#: Relation nouns of kin: several of them unnamed ("his brothers") are no one of the scene.
KIN_NOUNS = frozenset({"platonic_sibling", "platonic_family"})
#: Relation nouns that relate only with a possessor ("my kid"; "the kid" is any child).
OWNED_ONLY = frozenset({"kid", "kids"})
#: Dialogue cues said by the speaker to the addressee, whoever the sentence names.
SAID_TO = frozenset({"romantic_pet", ENDEARMENT})
#: Weight factor of a relation noun with one side of it unknown.
UNSURE = 0.75
#: Weight factor of a cue whose sentence refers to fewer than two people (the scene's
#: people fill in).
CONTEXT = 0.75
REACH = 1500          # characters back for the people of a scene
BLOCK = 600           # characters: two people in one or adjacent blocks are together

_FIRST = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b")
_SECOND = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourself|Y/N)\b")
#: A cue whose object is a third person: "I'm going to marry her, Mr. Frodo" is about
#: "her", not the one spoken to.
_THIRD_OBJECT = re.compile(r"[ ]+(?:him|her|them)\b")
_ADJ = (r"(?:own|best|older|younger|big|little|baby|twin|oldest|youngest|eldest|dear|dearest|"
        r"old|closest|only|new|good|true|future|late|former|adoptive|beloved|surrogate|half|"
        r"sweet|lovely|wonderful|favourite|favorite|childhood|fake|secret|real)")
_POSSESSED = re.compile(rf"^(?:['’]s?)?[ ]+(?:{_ADJ}[ ]+){{0,2}}$")
_MY = re.compile(rf"\b(?:my|My)[ ]+(?:{_ADJ}[ ]+){{0,2}}$")
_YOUR = re.compile(rf"\b(?:your|Your)[ ]+(?:{_ADJ}[ ]+){{0,2}}$")
_COPULA = re.compile(r"(?:\b(?:is|was|were|are|be|been|being|became|become|becomes|stayed|"
                     r"remained|seemed|felt)|['’](?:s|re|m))"
                     r"(?:[ ]+(?:\w+ly|just|only|still|really|always|now|like|such|not|never|"
                     r"also|truly|all|so))*[ ]+(?:(?:an?|the|his|her|my|your|their|our|"
                     rf"\w+['’]s?)[ ]+)?(?:{_ADJ}[ ]+){{0,2}}$")
_I_AM = re.compile(r"\bI(?:['’]m|[ ]+am|[ ]+was)\b")
_YOU_ARE = re.compile(r"\b[Yy]ou(?:['’]re|[ ]+are|[ ]+were)\b")
_HE_IS = re.compile(r"\b(?:(?P<m>[Hh]e)|[Ss]he)(?:['’]s|[ ]+is|[ ]+was)\b")
_APPOSITION = re.compile(r"[ ]*,?[ ]*$")
_DENIED = re.compile(r"\b(?:not|never|no[ ]longer)\b|n['’]t\b")
_MALE_NOUNS = frozenset(["brother", "bro", "dad", "father", "son", "uncle", "nephew",
                         "grandfather", "grandson", "stepbrother", "half-brother", "husband",
                         "boyfriend"])
_FEMALE_NOUNS = frozenset(["sister", "sis", "mom", "mum", "mother", "daughter", "aunt", "niece",
                           "grandmother", "granddaughter", "stepsister", "half-sister", "wife",
                           "girlfriend"])
_NAMED_AFTER = re.compile(r"[ ]*,?[ ]+[A-Z][a-z]")
_PLURAL = re.compile(r"(?:friends|brothers|sisters|siblings|teammates|cousins|twins|partners|"
                     r"comrades|buddies|pals|lovers|boyfriends|girlfriends|husbands|wives)$")
_THEY = re.compile(r"\b(?:[Tt]hey|[Ww]e)(?:['’]re|['’]d|[ ]+(?:\w+[ ]+)?(?:are|were|became|"
                   r"become|stayed|remained|had[ ]+been|have[ ]+been|'ve[ ]+been|’ve[ ]+been))"
                   r"(?:[ ]+(?:\w+ly|just|only|still|really|always|now|all|so|such|good|best|"
                   r"close|old|true))*[ ]+$")
_WITH = re.compile(r"[ ]+(?:again[ ]+|now[ ]+|too[ ]+)?with[ ]+")
_AND = re.compile(r"[ ]*(?:,[ ]*)?and[ ]+")
_VOCATIVE_BEFORE = re.compile(r"(?:,|[\"“‘']|^)[ ]?(?:my[ ]|dear[ ]|(?:big|little|baby)[ ])?$",
                              re.IGNORECASE)
_VOCATIVE_AFTER = re.compile(r"[ ]?[,.!?…\"”’]")
#: A comma that goes on with a list ("White flour, sugar, cake, chips"), not a vocative.
_LIST_AFTER = re.compile(r",[ ]+\w+(?:[ ]\w+)?[ ]*,")


def vocative(text: str, s: int, e: int, lo: int = 0) -> bool:
    """Whether the word at ``[s, e)`` is said to someone: set off by a comma, a quote
    mark or the start of the text before ("Thanks, brother", "“Darling, ...",
    "my dear") and by punctuation after, and not an item of a list.

    >>> t = "Home early, sweetheart? White flour, sugar, cake, chips. Listen, honey, go."
    >>> [vocative(t, t.index(w), t.index(w) + len(w)) for w in ("sweetheart", "sugar", "honey")]
    [True, False, True]
    >>> t = "He fiddles with a sugar packet. Don't call me babe."
    >>> [vocative(t, t.index(w), t.index(w) + len(w)) for w in ("sugar", "babe")]
    [False, False]
    """
    return (_VOCATIVE_BEFORE.search(text, max(lo, s - 12), s) is not None
            and _VOCATIVE_AFTER.match(text, e) is not None
            and _LIST_AFTER.match(text, e) is None)


def _noun_gender(noun: str) -> str | None:
    """The gender a kinship noun gives its referent ("dad" a man), if any.

    >>> _noun_gender("little sister"), _noun_gender("dad"), _noun_gender("cousin")
    ('f', 'm', None)
    >>> _noun_gender("sister's"), _noun_gender("brother’s")
    ('f', 'm')
    """
    last = noun.rsplit(" ", 1)[-1].removesuffix("'s").removesuffix("’s")
    if last in _MALE_NOUNS:
        return "m"
    if last in _FEMALE_NOUNS:
        return "f"
    return None


def together_blocks(people: People) -> dict[tuple[int, int], int]:
    """Blocks (and block pairs) where both people of a pair are named."""
    counts: dict[tuple[int, int], int] = {}
    for ev in people.chapters:
        blocks: dict[int, set[int]] = {}
        for p, w in zip(ev.pos, ev.who, strict=True):
            blocks.setdefault(p // BLOCK, set()).add(w)
        for b, here in blocks.items():
            near = here | blocks.get(b + 1, set())
            if len(near) < 2:
                continue
            ordered = sorted(near)
            for i, x in enumerate(ordered):
                for y in ordered[i + 1:]:
                    counts[(x, y)] = counts.get((x, y), 0) + 1
    return counts


def _ordered(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _distance(ref_pos: int, ref_end: int, pos: int, end: int) -> int:
    """How far a reference is from a cue; people after the cue count double (the subject
    of "Ann kissed Ben" comes first; "married ... when Cal arrived" is someone else)."""
    if ref_end <= pos:
        return pos - ref_end
    return 2 * max(0, ref_pos - end)


class Attribution(NamedTuple):
    """A cue's pair, the factor of its weight, and (when the cue is a relation noun whose
    referent is unknown) its possessor: "his wife" is the wife of ``owner``."""

    pair: tuple[int, int]
    factor: float = 1.0
    owner: int = -1
    #: both sides named by the sentence itself and not denied: "his boyfriend Blaise",
    #: "Ann was her wife", "you're my brother" (not "he's not my boyfriend")
    stated: bool = False


@dataclass(slots=True)
class Attributor:
    """Cue hits to pairs for one analysed document (see the module docstring)."""

    texts: Sequence[str]
    narrations: Sequence[str]
    lowered: Sequence[str]
    people: People
    refs: References
    graph: Interactions
    together: Mapping[tuple[int, int], int]

    @classmethod
    def of(cls, doc: Document) -> Attributor:
        """An attributor over a document that has the ``people``, ``references``,
        ``interactions`` and ``cues`` layers."""
        people = doc.need(PEOPLE, People)
        layer = doc.need(CUE_LAYER, CueLayer)
        narrations: Sequence[str] = doc.get(NARRATION) if doc.has(NARRATION) else doc.texts
        return cls(texts=doc.texts, narrations=narrations,
                   lowered=[c.lowered for c in layer.chapters], people=people,
                   refs=doc.need(REFERENCES, References),
                   graph=doc.need(INTERACTIONS, Interactions), together=together_blocks(people))

    # --- sentences -------------------------------------------------------------------

    def _sentence(self, ci: int, pos: int, lo: int = 0, hi: int | None = None
                  ) -> tuple[int, int]:
        size = len(self.texts[ci])
        s0, s1 = self.refs.chapters[ci].sentence(pos, size)
        return max(lo, s0), min(size if hi is None else hi, s1)

    def _nearest(self, refs: ChapterRefs, lo: int, hi: int, pos: int, end: int, *,
                 spoken: bool) -> list[int]:
        """Distinct people referred to in ``[lo, hi)``, nearest the cue first."""
        idx = [i for i in refs.between(lo, hi) if (refs.form[i] == SPOKEN) == spoken]
        idx.sort(key=lambda i: _distance(refs.pos[i], refs.ends[i], pos, end))
        out: list[int] = []
        for i in idx:
            if refs.who[i] not in out:
                out.append(refs.who[i])
        return out

    def _recent(self, ci: int, pos: int, limit: int = 4) -> list[int]:
        """People referred to in the narration before ``pos`` in its scene, latest first."""
        refs = self.refs.chapters[ci]
        scenes = self.people.chapters[ci].scenes
        floor = max(0, pos - REACH)
        k = bisect.bisect_right(scenes, (pos, 1 << 62)) - 1
        if k >= 0:
            floor = max(floor, scenes[k][0])
        out: list[int] = []
        i = bisect.bisect_left(refs.pos, pos) - 1
        while i >= 0 and refs.pos[i] >= floor and len(out) < limit:
            if refs.form[i] != SPOKEN and refs.who[i] not in out:
                out.append(refs.who[i])
            i -= 1
        return out

    def _strength(self, x: int, y: int) -> int:
        return self.together.get(_ordered(x, y), 0)

    def _kin_strength(self, x: int, y: int) -> tuple[int, int]:
        """Who "his brother" most likely is: the one who shares the most scenes with him,
        then the one who talks with him most."""
        key = _ordered(x, y)
        return self.together.get(key, 0), self.graph.talk.get(key, 0)

    def _complete(self, ci: int, named: list[int], s0: int) -> tuple[int, int] | None:
        """A pair from the people of a sentence, the scene filling in who is missing."""
        if len(named) >= 2:
            return _ordered(named[0], named[1])
        context = [w for w in self._recent(ci, s0) if w not in named]
        if named:
            x = named[0]
            if not context:
                return None
            best = max(context, key=lambda w: (self._strength(x, w), -context.index(w)))
            return _ordered(x, best)
        if len(context) < 2:
            return None
        pairs = [(x, y) for i, x in enumerate(context) for y in context[i + 1:]]
        x, y = max(pairs, key=lambda p: (self._strength(*p), -pairs.index(p)))
        return _ordered(x, y)

    def _they(self, ci: int, named: list[int], s0: int) -> tuple[int, int] | None:
        """The two people "they" are when the sentence before, in the same paragraph,
        names exactly the ones this sentence is missing ("Armin followed Eren. They had
        been best friends since ..."); else None."""
        text = self.texts[ci]
        if len(named) >= 2 or s0 == 0 or "\n" in text[max(0, s0 - 2):s0]:
            return None
        refs = self.refs.chapters[ci]
        p0, _p1 = self._sentence(ci, s0 - 1)
        before = [w for w in self._nearest(refs, p0, s0, s0, s0, spoken=False)
                  if w not in named]
        people = named + before
        return _ordered(people[0], people[1]) if len(people) == 2 else None

    # --- the three kinds of cue ---------------------------------------------------------

    def pair(self, ci: int, cat: str, s: int, e: int) -> Attribution | None:
        """The pair a cue of ``cat`` at ``[s, e)`` of chapter ``ci`` is about, with a factor
        for its weight; None when no pair can be told."""
        chapter = self.graph.chapters[ci] if ci < len(self.graph.chapters) else None
        turn = chapter.turn_at(s) if chapter is not None and chapter.starts else None
        if cat in RELATION_NOUNS:
            return self._relation(ci, cat, s, e, chapter, turn)
        if turn is not None and chapter is not None:
            got = self._dialogue(ci, s, e, chapter, turn, said_to=cat in SAID_TO)
            return None if got is None else Attribution(got)
        return self._narration(ci, s, e)

    def _dialogue(self, ci: int, s: int, e: int, chapter: ChapterInteractions, turn: int,
                  *, said_to: bool) -> tuple[int, int] | None:
        qs, qe = chapter.starts[turn], chapter.ends[turn]
        sp, ad = chapter.speakers[turn], chapter.addressees[turn]
        if said_to:
            return _ordered(sp, ad) if sp >= 0 and ad >= 0 and sp != ad else None
        s0, s1 = self._sentence(ci, s, qs, qe)
        text = self.texts[ci]
        cands = self._nearest(self.refs.chapters[ci], s0, s1, s, e, spoken=True)
        if _FIRST.search(text, s0, s1) and sp >= 0:
            cands.append(sp)
        if _SECOND.search(text, s0, s1) and ad >= 0:
            cands.append(ad)
        if _THIRD_OBJECT.match(text, e):
            cands = [c for c in cands if c != ad]
        distinct = list(dict.fromkeys(cands))
        if len(distinct) >= 2:
            return _ordered(distinct[0], distinct[1])
        return None

    def _clause(self, ci: int, refs: ChapterRefs, s0: int, s1: int, s: int, e: int
                ) -> list[int]:
        """The people of the narration's sentence ``[s0, s1)`` nearest a cue; of more
        than two, those up to the next clause when two are ("James and Lily walked
        ahead, hand in hand, and Peter had vanished": Peter holds no one's hand)."""
        named = self._nearest(refs, s0, s1, s, e, spoken=False)
        m = CLAUSE.search(self.texts[ci], e, s1)
        if m is not None and len(named) > 2:
            own = self._nearest(refs, s0, m.start(), s, e, spoken=False)
            if len(own) >= 2:
                return own
        return named

    def _narration(self, ci: int, s: int, e: int) -> Attribution | None:
        s0, s1 = self._sentence(ci, s)
        refs = self.refs.chapters[ci]
        named = self._clause(ci, refs, s0, s1, s, e)
        pair = self._complete(ci, named, s0)
        if pair is None:
            return None
        return Attribution(pair, 1.0 if len(named) >= 2 else CONTEXT)

    def _reciprocal(self, refs: ChapterRefs, text: str, s0: int, s: int, e: int, *,
                    spoken: bool) -> tuple[int, int] | None:
        """The pair a plural relation noun names: the subject and the person after "with"
        ("Ann was friends with Ben"), or two people joined by "and" before a copula."""
        before = [i for i in refs.between(s0, s) if (refs.form[i] == SPOKEN) == spoken]
        if not before:
            return None
        m = _WITH.match(text, e)
        if m is not None:
            after = [i for i in refs.between(m.end(), m.end() + 2)
                     if (refs.form[i] == SPOKEN) == spoken]
            if after and refs.who[after[0]] != refs.who[before[0]]:
                return _ordered(refs.who[before[0]], refs.who[after[0]])
            return None
        if _THEY.search(text, max(s0, s - 40), s):
            # "they became friends", "we're friends": the two people of the sentence
            # (in dialogue: "we" is the speaker and the addressee)
            return None
        if len(before) >= 2 and _COPULA.search(text, max(s0, s - 40), s) \
                and _AND.fullmatch(text, refs.ends[before[0]], refs.pos[before[1]]) \
                and refs.who[before[0]] != refs.who[before[1]]:
            return _ordered(refs.who[before[0]], refs.who[before[1]])
        return None

    def _stand_in(self, ci: int, s0: int, possessor: int, gender: str | None, *,
                  partner: bool = False) -> tuple[int, int] | None:
        """The possessor and whom an unnamed relation noun most likely names: one of the
        people of the scene before ``s0`` of the noun's gender (or of none known), the one
        who shares the most scenes with the possessor, then the latest. A ``partner`` must
        be known to be of the noun's gender and have exchanged words with the possessor."""
        persons = self.people.persons
        fits = (gender,) if partner else (gender, None)
        context = [w for w in self._recent(ci, s0) if w != possessor
                   and (gender is None or persons[w].gender in fits)
                   and persons[w].special is None
                   and (not partner or self.graph.talk.get(_ordered(possessor, w), 0) > 0)]
        if not context:
            return None
        best = max(context, key=lambda w: (self._kin_strength(possessor, w), -context.index(w)))
        return _ordered(possessor, best)

    def _relation(self, ci: int, cat: str, s: int, e: int,
                  chapter: ChapterInteractions | None, turn: int | None) -> Attribution | None:
        text = self.texts[ci]
        refs = self.refs.chapters[ci]
        lo, hi = 0, len(text)
        sp = ad = -1
        if turn is not None and chapter is not None:
            lo, hi = chapter.starts[turn], chapter.ends[turn]
            sp, ad = chapter.speakers[turn], chapter.addressees[turn]
        s0, s1 = self._sentence(ci, s, lo, hi)
        narrator = self.people.narrator_at(ci, s)
        reader = -1
        for p in self.people.persons:
            if p.special in ("reader", "you"):
                reader = p.index
        window = max(s0, s - 40)
        # the possessor
        possessor = -1
        idx = [i for i in refs.between(window, s) if refs.ends[i] <= s]
        if idx and _POSSESSED.match(text[refs.ends[idx[-1]]:s]) and (
                refs.form[idx[-1]] == POSSESSIVE or text[refs.ends[idx[-1]]:s][:1] in "'’"):
            possessor = refs.who[idx[-1]]
        elif _MY.search(text, window, s):
            possessor = sp if turn is not None else narrator
        elif _YOUR.search(text, window, s):
            possessor = ad if turn is not None else reader
        if possessor < 0 and text[s:e].lower() in OWNED_ONLY:
            return None  # "the kid" is any child; "my kid", "Tony's kid" a relation
        # the referent
        referent = -1
        stated = False
        after = [i for i in refs.between(e, min(s1, e + 4))]
        if after and _APPOSITION.match(text[e:refs.pos[after[0]]]):
            referent = refs.who[after[0]]
            stated = True
        if referent < 0 and turn is not None:
            if vocative(text, s, e, lo):
                referent, possessor = ad, sp
            elif (said := _YOU_ARE.search(text, s0, s) or _I_AM.search(text, s0, s)) is not None:
                mine = said.re is _I_AM
                referent = sp if mine else ad
                possessor = (ad if mine else sp) if possessor < 0 else possessor
                stated = _DENIED.search(text, said.start(), s) is None
            elif possessor >= 0 and (said := _HE_IS.search(text, s0, s)) is not None:
                # "He's my kid," Tony said: the latest one of the scene the pronoun
                # can name, neither the speaker nor the one spoken to
                named_as = "m" if said.group("m") else "f"
                persons = self.people.persons
                scene = [w for w in self._recent(ci, lo) if w not in (sp, ad, possessor)
                         and persons[w].gender in (named_as, None) and persons[w].special is None]
                if scene and _DENIED.search(text, said.start(), s) is None:
                    return Attribution(_ordered(possessor, scene[0]), UNSURE)
        copula = _COPULA.search(text, window, s) if referent < 0 else None
        if copula is not None:
            # the subject of the copula: the person referred to last before it
            subject = [i for i in refs.between(s0, copula.start())
                       if (refs.form[i] == SPOKEN) == (turn is not None)]
            if subject and refs.who[subject[-1]] != possessor:
                referent = refs.who[subject[-1]]
                stated = _DENIED.search(text, copula.start(), s) is None
        if referent < 0:
            # "Ben, his brother, ...": a name right before the possessive phrase
            before = [i for i in refs.between(max(s0, s - 60), s) if refs.ends[i] <= s]
            if len(before) >= 2 and refs.who[before[-1]] == possessor \
                    and text[refs.ends[before[-2]]:refs.pos[before[-1]]].strip() == ",":
                referent = refs.who[before[-2]]
        if possessor >= 0 and referent >= 0 and possessor != referent:
            return Attribution(_ordered(possessor, referent), stated=stated)
        if possessor < 0 and _PLURAL.search(text, s, e):
            # "friends with Ben", "Ann and Ben were friends": the noun names both
            got = self._reciprocal(refs, text, s0, s, e, spoken=turn is not None)
            if got is None and _THEY.search(text, max(s0, s - 40), s):
                if turn is not None:
                    got = _ordered(sp, ad) if sp >= 0 and ad >= 0 and sp != ad else None
                else:
                    named = self._nearest(refs, s0, s1, s, e, spoken=False)
                    got = self._they(ci, named, s0) or self._complete(ci, named, s0)
            if got is not None:
                return Attribution(got)
        if referent < 0 and _NAMED_AFTER.match(text, e):
            return None  # "his boyfriend Blaise": someone the cast does not hold
        # one side (or both) unknown: the nearest people stand in, at a discount ("he
        # put an arm around him, the way a brother would, until JJ came": not JJ)
        named = self._nearest(refs, s0, s1, s, e, spoken=True) if turn is not None \
            else self._clause(ci, refs, s0, s1, s, e)
        if possessor >= 0 and possessor not in named:
            named.insert(0, possessor)
        if referent >= 0 and referent not in named:
            named.insert(0, referent)
        pair: tuple[int, int] | None = None
        several = turn is None and possessor >= 0 and referent < 0 \
            and _PLURAL.search(text, s, e) is not None
        if several and cat in KIN_NOUNS:
            return None  # "the sound of his brothers upstairs": kin the scene does not name
        if turn is None and cat in PLATONIC_NOUNS and possessor >= 0 and referent < 0 \
                and not several:  # "his friends": the people around him, below
            # "his dad": someone of the scene the noun can name stands in ("dad" is a man;
            # a noun of no gender, "friend" or "cousin", may be anyone's)
            pair = self._stand_in(ci, s0, possessor, _noun_gender(text[s:e].lower()))
        elif cat == "romantic_partner" and turn is not None and possessor >= 0 \
                and referent < 0 and len(named) < 2 and _DENIED.search(text, s0, s) is None:
            # "something for my boyfriend": a man of the scene the speaker has talked with
            # stands in; a wife spoken of who is not there, or a partner noun of no gender
            # ("lover"), is no one of the scene
            g = _noun_gender(text[s:e].lower())
            pair = None if g is None else self._stand_in(ci, s0, possessor, g, partner=True)
        elif len(named) >= 2:
            pair = _ordered(named[0], named[1])
        if pair is None:
            return None
        return Attribution(pair, UNSURE, possessor if referent < 0 else -1)
