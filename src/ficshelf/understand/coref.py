"""Who each he/she/him/her/his/hers in the narration is: references to people, in order.

The ``people`` layer holds where each person is *named* (and where a
reader-insert says "you" or an unnamed narrator says "I"). This component
adds the third-person pronouns of the narration, each resolved to a person
with a small salience model, one left-to-right pass per chapter:

- candidates are the people referred to (named or by a resolved pronoun)
  earlier in the same scene and not too far back, most recent first, whose
  gender agrees with the pronoun (a person of unknown gender fits any);
- a subject pronoun (he, she) prefers the subject of its own or the previous
  sentence (the first person referred to in it): "Ann waved at Bea. She
  smiled." is Ann; a subordinate clause the sentence opens with has a subject
  of its own ("Later, when Dace had gone home, Orrin wiped his hands" is
  Orrin's sentence, and "his hands" are Orrin's); when neither fits, the one
  the sentence before already calls by a pronoun, if only one ("Mira handed him a
  canteen. He drank" is the one handed it), else the one who was a sentence's
  subject last, within ``SUBJECT_REACH`` characters of narration ("Corwin sat
  down. “…” Mira took the box from Tamsin. “…” He grinned." is Corwin, not
  Tamsin, though Tamsin was named last; further back, the one named last:
  "Corin … found Tamsin on the step. “Master Corin,” she said" is Tamsin, not
  Mira, the subject two paragraphs back); that subject is chosen even when
  nothing has told its gender yet, over someone known to be of the pronoun's gender whom nothing since the sentence
  before refers to ("Nora comes and leans on me. “So,” she says." is Nora, not
  Mrs. Pell of two paragraphs back), and its gender is learned;
- an object pronoun (him, her) is not the subject of its own clause when
  someone else fits: "Ann kissed her" is not Ann, but in "Ann ordered, and the
  waiter ignored her" (a conjunction, a semicolon or a colon and a new subject
  begin a clause) it may be;
  it prefers the subject of the sentence before (of its last clause, when it has
  several), to the one named last: in "Tamsin sat by the fire and read the letter
  Oswin had left. Mira brought him a blanket." it is Tamsin (not when that
  subject only owns it: "Oswin's letter lay open"); kept from a subject of its
  gender, it teaches the one it goes to no gender ("Ann wanted Quill to notice
  her" says nothing of Quill's);
- a possessive (his, her) before a part of the body after a verb of touch or
  a preposition ("took his hand", "leaned into her shoulder") is an object,
  but not one held out or up ("held out her hand");
  elsewhere it is the subject's own ("she shook her head", "he kissed his
  wife"), even when nothing has told the subject's gender yet and someone
  else of the pronoun's gender is in reach ("Eliza had never liked the
  Thornburys, but her brother Tom did", not "Cal, her brother, waved"); a
  reflexive is the subject.

A person is a candidate only within ``REACH`` characters of narration of their
last reference (a chain of pronouns keeps them in reach; the dialogue between does not
count, so a long speech leaves the people around it in reach). One the work names only
once is a passer-by: past the paragraph of their last reference they are out
of reach whenever someone known to be of the pronoun's gender is in it
("Somewhere above, Joker was telling EDI a joke." does not take the next
paragraph's "He stopped fiddling with the console" from Garrus). On LitBank's
dev excerpts (hand-made coreference; ``tests/test_understand_relationships.py``)
a resolved pronoun is in its gold chain's person 78.8% of the time at ``REACH``
400 (2,847 of 3,612). The history, newest first:

- preferring the one the sentence before calls by a pronoun changed none of them
  (and gained three speakers and one addressee on the dialogue benchmark);
- ``SUBJECT_REACH`` 200 lost five, all in an excerpt of Ulysses, whose dialogue has
  no quotation marks (2,852 before; 2,830 at 150, 2,847 at 250 and 300), and gained
  ten speakers and seventeen addressees on the dialogue benchmark;
- an object kept from its subject teaching no gender: 2,852 (2,825 before);
- a hand held out being one's own: 2,825 (2,827 of 3,596 before);
- reach counted in narration: 2,827 of 3,596 (2,751 of 3,501 before; at 300, 450
  and 500 characters of narration 2,729, 2,824 and 2,835 right, at 78.5%, 78.0%
  and 77.2%);

- earlier: 2,731 before objects preferred the sentence before's subject, 2,728
  without the passer-by rule, 2,698 of 3,502 before the last-subject rule and the
  gender votes of ``people.fallback_gender`` that skip other people's pronouns.

"The last name of a compatible gender" is right 70.2% of the time; 59% of the
pronouns whose chain has a name are resolved to the right person.

Names inside dialogue are kept as references (vocatives, people talked
about) but do not make anyone the subject of a sentence. Pronouns inside
dialogue are left to the dialogue's speaker and addressee (``interactions``).

>>> from ficshelf.understand.run import run
>>> from ficshelf.understand.people import build_people
>>> t = ("Ann met Ben at the gate. Ann knew she was late. Ben laughed, and he waved. "
...      "She kissed him. Ben took her hand; Ann shook her head.")
>>> doc = run(Document.from_texts(t))
>>> refs = resolve_pronouns(doc, build_people(doc))
>>> [(t[s:e], who) for s, e, who in refs.chapters[0].spans()][3:]
[('she', 0), ('Ben', 1), ('he', 1), ('She', 0), ('him', 1), ('Ben', 1), ('her', 0), ('Ann', 0), ('her', 0)]
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ficshelf.understand.document import Document
from ficshelf.understand.keys import NARRATION
from ficshelf.understand.lexicons import word_start_pattern
from ficshelf.understand.people import PEOPLE, People
from ficshelf.understand.pipeline import component
from ficshelf.understand.pov import teller_at

__all__ = [
    "CLAUSE",
    "NAME",
    "OBJECT",
    "POSSESSIVE",
    "REFERENCES",
    "REFLEXIVE",
    "SPOKEN",
    "SUBJECT",
    "ChapterRefs",
    "References",
    "coref",
    "resolve_pronouns",
    "sentence_breaks",
]

REFERENCES = "references"

# reference forms
NAME = 0          # the person named (or the Reader's "you", the Narrator's "I") in narration
SUBJECT = 1       # he, she
OBJECT = 2        # him, her (as an object)
POSSESSIVE = 3    # his, her (before a noun), hers
REFLEXIVE = 4     # himself, herself
SPOKEN = 5        # the person named inside dialogue

REACH = 400       # characters back to the person's last reference (see the module docstring)
SUBJECT_REACH = 200  # characters of narration back to where the last subject was one
_BLANK = re.compile(r"[ ]{3,}")  # dialogue blanked out of the narration
RECENT = 8        # people kept in the salience list

_PRONOUN = re.compile(word_start_pattern(
    [w for w in ("he", "him", "his", "himself", "her", "hers", "herself", "she")
     for w in (w, w.capitalize())] + ["HE", "HIM", "HIS", "SHE", "HER"]) + r"\b")
_FORMS = {"he": ("m", SUBJECT), "him": ("m", OBJECT), "his": ("m", POSSESSIVE),
          "himself": ("m", REFLEXIVE), "she": ("f", SUBJECT), "her": ("f", OBJECT),
          "hers": ("f", POSSESSIVE), "herself": ("f", REFLEXIVE)}
# a sentence ends at a line break or at . ! ? … (and closing quotes) before a space
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=\n)|[.!?…]*[\"”’)]*\s)")
# "her" is an object when the next word is not one a noun phrase starts with
_HER_OBJECT = re.compile(
    r"[ ]*(?:[,.;:!?…)\"”’—–-]|$|\n|(?:to|in|on|and|as|with|at|from|for|up|down|back|close|"
    r"closer|again|away|off|out|over|into|onto|against|tight|tighter|gently|softly|hard|"
    r"before|after|until|when|while|because|but|or|so|too|that|if|then|there|here|now|a|an|"
    r"the|by|through|around|about|like|once|twice|instead|anyway|properly|slowly|quickly|"
    r"fiercely|deeply|firmly|tightly|himself|herself|is|was|had|has|would|could|did|does|"
    r"all|both|more|less|good|well|alone|goodbye|hello|something|nothing|everything|"
    r"anything|what|why|how|who|which|where|this|these|those|it)\b)")
# before a possessive: a verb of touch or look, or a preposition, makes it someone else's
_OBJECT_CONTEXT = re.compile(
    r"\b(?:kiss(?:ed|es|ing)?|touch(?:ed|es|ing)?|took|take[sn]?|taking|held|hold(?:s|ing)?|"
    r"grab(?:bed|s|bing)?|catch(?:es|ing)?|caught|squeez(?:ed|es|ing|e)|stroke[ds]?|stroking|cup(?:ped|s|ping)?|"
    r"brush(?:ed|es|ing)?|caress(?:ed|es|ing)?|clasp(?:ed|s|ing)?|gripp?(?:ed|s|ing)?|"
    r"rubb?(?:ed|s|ing)?|pat(?:ted|s|ting)?|nuzzl(?:ed|es|ing|e)|lick(?:ed|s|ing)?|"
    r"bit|bite[sn]?|biting|kissing|searched|met|meeting|into|against|onto|on|at|to|from|"
    r"with|toward|towards|across|over|under|beside|behind|near|along|in|around|through|"
    r"for|of|about)[ ]+(?:[a-z]+[ ]+)?$")

# after a possessive, a part of the body touched or looked at is someone else's
_BODY = re.compile(
    r"[ ]+(?:\w+[ ]+)?(?:hand|hands|cheek|cheeks|lips|mouth|neck|shoulder|shoulders|hair|face|"
    r"forehead|brow|temple|arm|arms|back|waist|hip|hips|fingers|finger|knuckles|jaw|chest|"
    r"throat|wrist|wrists|palm|palms|knee|knees|thigh|thighs|nose|ear|ears|skin|side|"
    r"head|eyes|body|collarbone|chin|nape|spine|leg|legs)\b")

# a clause of its own: a conjunction (or a semicolon, or a colon: "she watched them: Ann
# reading, Ben on the floor") with a new subject after it ("Ann
# ordered, and the waiter ignored her", "she cried, and I held her hand"), not a
# second verb of the same subject ("Ann smiled and kissed her")
CLAUSE = re.compile(
    r"(?:[;:]|,?[ ](?:and|but|or|so|yet|while|because|when|until|though|although|since|"
    r"whereas))[ ](?=(?:the|a|an|this|that|my|our|your|their|its|I|he|she|we|they|you|it|"
    r"someone|somebody|everyone|nobody|[A-Z][A-Za-z]+)\b)")

# a sentence that opens with a subordinate clause ("Later, when Haymitch has gone home,
# Peeta wipes his hands"): its subject comes after the clause's comma
_FRONTED = re.compile(
    r"[ \n]*(?:[A-Z][a-z]+,[ ]+)?(?:[Ww]hen|[Ww]hile|[Aa]fter|[Bb]efore|[Oo]nce|[Ss]ince|"
    r"[Aa]lthough|[Tt]hough|[Ii]f|[Bb]ecause|[Uu]ntil|[Ww]henever|[Aa]s[ ]soon[ ]as)[ ]")

# ... but what one holds "in his hands" or "with her fingers" one holds oneself
_HELD_IN = re.compile(r"\b(?:in|with)[ ]+$")
# ... and what one holds out or up ("held out her hand", "raised up his arms") is one's own
_HELD_OUT = re.compile(r"\b(?:out|up)[ ]+$")
_HOLDING = re.compile(r"[ ]+(?:\w+[ ]+)?(?:hand|hands|arms|fingers|palm|palms|fist|fists)\b")


@dataclass(frozen=True, slots=True)
class ChapterRefs:
    """References of one chapter, sorted by offset: ``pos[i]``..``ends[i]`` is ``who[i]``
    in ``form[i]`` (``NAME``, ``SUBJECT``, ``OBJECT``, ``POSSESSIVE``, ``REFLEXIVE``,
    ``SPOKEN``); ``breaks``: where the chapter's sentences end."""

    pos: tuple[int, ...]
    ends: tuple[int, ...]
    who: tuple[int, ...]
    form: tuple[int, ...]
    breaks: tuple[int, ...] = ()

    def sentence(self, pos: int, size: int) -> tuple[int, int]:
        """``[start, end)`` of the sentence holding ``pos`` (``size``: the chapter's length)."""
        k = bisect.bisect_right(self.breaks, pos)
        return (self.breaks[k - 1] if k > 0 else 0,
                self.breaks[k] if k < len(self.breaks) else size)

    def ends_between(self, lo: int, hi: int) -> bool:
        """Whether a sentence ends in ``(lo, hi]``."""
        k = bisect.bisect_right(self.breaks, lo)
        return k < len(self.breaks) and self.breaks[k] <= hi

    def between(self, lo: int, hi: int) -> range:
        """Indices of the references starting in ``[lo, hi)``."""
        return range(bisect.bisect_left(self.pos, lo), bisect.bisect_left(self.pos, hi))

    def spans(self) -> Iterator[tuple[int, int, int]]:
        return iter(zip(self.pos, self.ends, self.who, strict=True))


@dataclass(frozen=True, slots=True)
class References:
    """The ``references`` layer: one ``ChapterRefs`` per chapter."""

    chapters: tuple[ChapterRefs, ...]

    def resolved(self) -> int:
        """How many pronouns were resolved to a person (all chapters)."""
        return sum(1 for ch in self.chapters for f in ch.form if f not in (NAME, SPOKEN))


def sentence_breaks(text: str) -> tuple[int, ...]:
    """Where each sentence of ``text`` ends (the offset after its end).

    >>> sentence_breaks("Hi. “Yes!” she said.\\nNo")
    (4, 11, 21)
    """
    return tuple(m.end() for m in _SENTENCE_END.finditer(text))


def _resolve_chapter(narr: str, breaks: tuple[int, ...], pos: Sequence[int], ends: Sequence[int], who: Sequence[int],
                     scenes: Sequence[tuple[int, int]], genders: Sequence[str | None],
                     persons: int, specials: frozenset[int],
                     tellers: Sequence[tuple[int, int, int]] = (), narrator: int = -1,
                     passers: frozenset[int] = frozenset()) -> ChapterRefs:
    scene_starts = [s for s, _e in scenes]
    out: list[tuple[int, int, int, int]] = []
    recent: list[int] = []                 # most recent first
    last = [-1 << 40] * persons            # last reference offset per person
    near = [-1 << 40] * persons            # ... in narration alone (``_blanks``)
    subject_of: dict[int, int] = {}        # sentence id -> its subject
    subject_last: dict[int, int] = {}      # person -> where (in narration) they were a subject last
    owned: set[int] = set()                # sentence ids whose first name only owns ("Oswin's")
    scene = -1
    fronted: dict[int, int] = {}           # sentence id -> where its opening clause ends
    learned = list(genders)                # genders, and those learned from a pronoun
    blank_ends, blanked = _blanks(narr)    # reach is counted in narration, not dialogue
    unheaded = specials - {w for _s, _e, w in tellers} - {narrator}
    events: list[tuple[int, int, int, int, str]] = [
        (p, e, w, NAME, "") for p, e, w in zip(pos, ends, who, strict=True)]
    for m in _PRONOUN.finditer(narr):
        g, form = _FORMS[m.group().lower()]
        events.append((m.start(), m.end(), -1, form, g))
    events.sort(key=lambda t: (t[0], t[1]))
    for p, e, w, form, g in events:
        at = p - blanked[bisect.bisect_right(blank_ends, p)]  # where, in narration alone
        k = bisect.bisect_right(scene_starts, p) - 1
        if k != scene:
            scene = k
            recent.clear()
            subject_of.clear()
            owned.clear()
            subject_last.clear()
        sid = bisect.bisect_right(breaks, p)
        if sid not in fronted:
            fronted[sid] = _fronted_end(narr, breaks[sid - 1] if sid > 0 else 0,
                                        breaks[sid] if sid < len(breaks) else len(narr))
        front = p < fronted[sid]
        key = ~sid if front else sid       # an opening clause's subject is not the sentence's
        if w >= 0:
            if narr[p] == " ":  # inside dialogue, the narrator's name too ("Wren, wake up")
                out.append((p, e, w, SPOKEN))
                continue
            if key not in subject_of and narr.startswith(("'s", "’s"), e):
                owned.add(key)  # "Oswin's letter lay open": not Oswin's sentence
            if subject_of.setdefault(key, w) == w and not front:
                subject_last[w] = at
        else:
            if g == "f" and form == OBJECT and _HER_OBJECT.match(narr, e) is None:
                form = POSSESSIVE
            clause = before = None
            if form == OBJECT or (form == POSSESSIVE and _BODY.match(narr, e) is not None):
                # only an object's choice asks for its clause (see ``_choose``), and for
                # the subject of the sentence before's last clause
                clause = _clause_subject(narr, breaks[sid - 1] if sid > 0 else 0, p, out)
                if sid > 0:
                    before = _clause_subject(narr, breaks[sid - 2] if sid > 1 else 0,
                                             breaks[sid - 1], out)
                    if before is None and sid - 1 not in owned:
                        before = subject_of.get(sid - 1)
            blocked = specials
            if tellers:  # narrators of other sections are people like any other here
                blocked = unheaded | {teller_at(tellers, p, narrator)}
            if passers:
                # one named once in the work is a passer-by: past the paragraph they
                # were last referred to in, the pronoun is someone else's who fits it
                away = {w for w in recent if w in passers and narr.find("\n", last[w], p) >= 0}
                if away and any(w not in away and w not in blocked
                                and at - near[w] <= REACH
                                and learned[w] == g for w in recent):
                    blocked = blocked | away
            w = _choose(narr, p, e, g, form, sid, recent, last, subject_of, subject_last,
                        learned, blocked, clause, front, before,
                        breaks[sid - 2] if sid > 1 else 0, out, breaks, near, at)
            if w < 0:
                continue
            if form == SUBJECT and subject_of.setdefault(key, w) == w and not front:
                subject_last[w] = at
        out.append((p, e, w, form))
        last[w] = p
        near[w] = at
        if recent and recent[0] == w:
            continue
        if w in recent:
            recent.remove(w)
        recent.insert(0, w)
        del recent[RECENT:]
    return ChapterRefs(pos=tuple(o[0] for o in out), ends=tuple(o[1] for o in out),
                       who=tuple(o[2] for o in out), form=tuple(o[3] for o in out),
                       breaks=breaks)


def _blanks(narr: str) -> tuple[list[int], list[int]]:
    """Where each run of blanked dialogue (``_BLANK``) in the narration ends, and how many
    blanked characters come before each run's end (one more item, from 0): ``pos`` less
    ``sums[bisect_right(ends, pos)]`` is where ``pos`` is in the narration alone.

    >>> ends, sums = _blanks("Ann sat.      Ann ran.")
    >>> ends, sums, 14 - sums[bisect.bisect_right(ends, 14)]
    ([14], [0, 6], 8)
    """
    spans = [m.span() for m in _BLANK.finditer(narr)]
    return [e for _s, e in spans], [0, *itertools.accumulate(e - s for s, e in spans)]


def _fronted_end(narr: str, start: int, end: int) -> int:
    """Where the subordinate clause a sentence opens with ends (its comma), or -1.

    >>> t = "Later, when Ann has gone home, Ben sits down. Ben sits."
    >>> _fronted_end(t, 0, 45), _fronted_end(t, 45, len(t))
    (29, -1)
    """
    m = _FRONTED.match(narr, start, end)
    if m is None:
        return -1
    return narr.find(",", m.end(), end)


def _clause_subject(narr: str, start: int, p: int,
                    refs: Sequence[tuple[int, int, int, int]]) -> int | None:
    """The subject of the clause a pronoun at ``p`` is in, when a new clause began after
    the sentence's start at ``start`` (``CLAUSE``): the person referred to right after
    the conjunction, or -1 when that is no one ("the waiter"); None when the clause is
    the sentence's first.

    >>> t = "Ann ordered, and the waiter ignored her. Ann smiled, and Ben kissed her."
    >>> refs = [(0, 3, 0, NAME), (41, 44, 0, NAME), (57, 60, 1, NAME)]
    >>> _clause_subject(t, 0, t.index("her."), refs), _clause_subject(t, 41, 68, refs)
    (-1, 1)
    >>> _clause_subject("Ann smiled and kissed her.", 0, 22, refs) is None
    True
    """
    b = -1
    for m in CLAUSE.finditer(narr, start, p):
        b = m.end()
    if b < 0:
        return None
    i = bisect.bisect_left(refs, (b, -1, -1, -1))
    if i < len(refs) and refs[i][0] == b and refs[i][3] in (NAME, SUBJECT):
        return refs[i][2]
    return -1


def _echoed(refs: Sequence[tuple[int, int, int, int]], breaks: Sequence[int], sid: int
            ) -> set[int]:
    """Whom the sentence before sentence ``sid`` calls "him", "her" or "his" (object and
    possessive pronouns among ``refs``, the references so far)."""
    out: set[int] = set()
    if sid <= 0 or sid > len(breaks):
        return out
    lo, hi = breaks[sid - 2] if sid > 1 else 0, breaks[sid - 1]
    for pp, _ee, ww, ff in reversed(refs):
        if pp < lo:
            break
        if pp < hi and ff in (OBJECT, POSSESSIVE):
            out.add(ww)
    return out


def _choose(narr: str, p: int, e: int, g: str, form: int, sid: int, recent: Sequence[int],
            last: Sequence[int], subject_of: dict[int, int], subject_last: dict[int, int],
            genders: list[str | None], specials: frozenset[int], clause: int | None = None,
            front: bool = False, before: int | None = None, since: int = -1,
            refs: Sequence[tuple[int, int, int, int]] = (), breaks: Sequence[int] = (),
            near: Sequence[int] | None = None, at: int = -1) -> int:
    """The person a pronoun at ``p`` refers to, or -1. A person of unknown gender who is
    the only one a pronoun can be takes its gender from then on (``genders`` is updated).
    ``clause``: the subject of the pronoun's own clause when it is not the sentence's
    first (``_clause_subject``); ``subject_last``: per person, where in the scene they
    were a sentence's subject last; ``near``: per person, where they were last referred
    to, and ``at``: where the pronoun is, both in narration alone (``_blanks``;
    without them, offsets in the text); ``refs``: the references so far, and ``breaks``
    the sentences' ends, to tell whom the sentence before calls "him" or "her";
    ``front``: the pronoun is in the subordinate clause the sentence opens with, whose
    subject is kept apart (under ``~sid``)."""
    if near is None:  # no narration offsets: distances in the text
        near, at = last, p
    asked = form  # the pronoun's own form (a possessive may be settled as a subject)
    cands = [w for w in recent if at - near[w] <= REACH and w not in specials
             and genders[w] in (g, None)]
    key = ~sid if front else sid
    here = subject_of.get(key)
    # whom an object is not: the subject of its own clause ("Ann ordered, and the waiter
    # ignored her" may be Ann)
    doer = here if clause is None else (clause if clause >= 0 else None)
    touched = (form == POSSESSIVE and here is not None and _BODY.match(narr, e) is not None
               and _OBJECT_CONTEXT.search(narr, max(0, p - 40), p) is not None
               and _HELD_OUT.search(narr, max(0, p - 5), p) is None
               and not (_HELD_IN.search(narr, max(0, p - 6), p) is not None
                        and _HOLDING.match(narr, e) is not None))
    teach = True
    if form == OBJECT or touched:
        # an object is not its clause's subject ("Ann kissed her")
        others = [w for w in cands if w != doer]
        if others:
            # kept from a subject of its gender, it says nothing of the other's gender
            teach = not (doer in cands and genders[doer] == g)
            cands = others
    if not cands:
        return -1
    if teach and len(cands) == 1 and genders[cands[0]] is None:
        genders[cands[0]] = g
    # the subject's own, though its gender is not known yet ("Eliza had never liked the
    # Thornburys, but her brother Tom did"); not in an apposition ("Cal, her brother")
    own = (form in (POSSESSIVE, REFLEXIVE) and not touched and here in cands
           and narr[max(0, p - 2):p] != ", ")
    known = [w for w in cands if genders[w] == g or (own and w == here)]
    if form == SUBJECT and known and since >= 0 and len(known) < len(cands):
        # the subject of this or the sentence before, whose gender is not known yet, over
        # one of the pronoun's gender not referred to since ("Nora comes and leans on me.
        # “So,” she says." is Nora, though Mrs. Pell is known to be a woman)
        for s in (sid, ~sid, sid - 1) if not front else (key, sid - 1):
            subj = subject_of.get(s)
            if subj is not None and subj in cands:
                if genders[subj] is None and all(last[w] < since for w in known):
                    genders[subj] = g
                    return subj
                break
    if known:
        cands = known
    if form == REFLEXIVE:
        return here if here in cands else cands[0]
    if form == POSSESSIVE:
        if here is not None and not touched:
            return here if here in cands else cands[0]
        form = OBJECT if touched else SUBJECT
    if form == OBJECT:
        others = [w for w in cands if w != doer]
        if before in others:
            return before
        return others[0] if others else cands[0]
    # a subject: its sentence's subject so far, else the previous sentence's, else the
    # one who was a sentence's subject last ("Gojo sits down. “…” Nobara takes the bag
    # from Itadori. “…” He tilts his head" is Gojo)
    # (after an opening clause, that clause's subject comes next: "When Ann came home,
    # she cried")
    for s in (sid, ~sid, sid - 1) if not front else (key, sid - 1):
        subj = subject_of.get(s)
        if subj is not None and subj in cands:
            return subj
    echoed = _echoed(refs, breaks, sid) if asked == SUBJECT else set()
    if echoed:  # "Mira handed him a canteen. He drank": the one already a pronoun
        pick = [w for w in cands if w in echoed]
        if len(pick) == 1:
            return pick[0]
    def lately(w: int) -> int:
        was = subject_last.get(w, -1)
        return was if was >= 0 and at - was <= SUBJECT_REACH else -1
    return max(cands, key=lately)


def resolve_pronouns(doc: Document, people: People) -> References:
    """Named references and resolved narration pronouns, per chapter."""
    narrations: Sequence[str] = doc.get(NARRATION) if doc.has(NARRATION) else doc.texts
    genders = [p.gender for p in people.persons]
    specials = frozenset(p.index for p in people.persons if p.special is not None)
    passers = frozenset(p.index for p in people.persons if p.mentions <= 1 and p.special is None)
    chapters: list[ChapterRefs] = []
    for ci, ev in enumerate(people.chapters):
        narr = narrations[ci]
        scenes = ev.scenes or ((0, len(narr)),)
        chapters.append(_resolve_chapter(narr, sentence_breaks(doc.texts[ci]), ev.pos, ev.ends,
                                         ev.who, scenes, genders,
                                         len(people.persons), specials,
                                         people.sections[ci] if people.sections else (),
                                         people.narrator, passers))
    return References(chapters=tuple(chapters))


@component(name="coref", needs=(PEOPLE, NARRATION), provides=(REFERENCES,))
def coref(doc: Document) -> dict[str, object]:
    """Every narration pronoun (he, she, him, her, his, hers) resolved to a person."""
    return {REFERENCES: resolve_pronouns(doc, doc.need(PEOPLE, People))}
