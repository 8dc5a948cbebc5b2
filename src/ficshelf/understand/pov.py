"""Point of view from pronoun counts outside dialogue; reader-insert; focal characters.

First person (I/me/my), second (you/your, "Y/N") and third (he/she) pronouns
are counted over the narration (quoted dialogue blanked). Second person about
an unnamed "you" (or any "Y/N") is a reader-insert; "you" who is named in the
narration ("You are Steve Rogers") is not, nor a "you" others call by a canon
character's name the narration never uses ("“Tony,” she says. “You didn't
sleep.”"; ``called_by_name``). A first-person narrator is named
when the narration or the narrator's own line says the name ("My name is Pip",
"“I'm Pip,” I said") or others call the narrator by a name the narration hardly
uses, or call it and the narrator answers (``named_narrator``); sections
headed by who tells them ("SIMON", "Bella's POV") have their own narrators
(``narrator_sections``). Focal
characters are those most named in the narration of each scene, weighted by
scene length.

>>> pov_counts("I woke. My head hurt. He smiled at me.")
{'first': 3, 'second': 0, 'third': 1, 'plural': 0, 'you_character': 0}
>>> decide_person({'first': 3, 'second': 0, 'third': 1, 'plural': 0})
('first', 0.75)
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from types import MappingProxyType
from typing import TypeVar

from ficshelf.understand.analysis import Person, PointOfView
from ficshelf.understand.cast import Cast, Cluster
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, passage
from ficshelf.understand.keys import CAST, DIALOGUE, NAME_SCAN, NARRATION, POV, SCENES
from ficshelf.understand.lexicons import trie_pattern, word_start_pattern
from ficshelf.understand.mentions import UPPER, NameScan, letter_role
from ficshelf.understand.names import BODY_PARTS, SPEECH_VERBS
from ficshelf.understand.segments import in_narration

__all__ = [
    "FIRST_SHARE",
    "SECOND_SHARE",
    "PovComponent",
    "called_by_name",
    "decide_person",
    "first_person_by_narrator",
    "focal_characters",
    "letter_sections",
    "make_pov",
    "named_narrator",
    "named_you",
    "narrator_sections",
    "pov",
    "pov_counts",
    "section_owner",
    "teller_at",
    "you_as_character",
]

SECOND_SHARE = 0.25
FIRST_SHARE = 0.3

_FIRST = re.compile(word_start_pattern(("I", "me", "Me", "my", "My", "mine", "Mine", "myself", "Myself"))
                    + r"\b")
_SECOND = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourself|[Yy]ourselves|YOU)\b")
_THIRD = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")
_PLURAL = re.compile(r"\b(?:[Ww]e|[Uu]s|[Oo]ur|[Oo]urs|[Oo]urselves)\b")
_PATTERNS = {"first": _FIRST, "second": _SECOND, "third": _THIRD}
_NAMED_YOU = re.compile(  # the first letter first (no \b): re skips ahead to it in C
    rf"[Yy](?<!\w[Yy])(?:ou(?:['’]re| are| were)|our name(?:['’]s| is| was))[ ]+(?:[a-z]+[ ]+)?"
    rf"(?P<name>[{UPPER}][\w'’-]+)")


#: The narration gives the narrator's name: "My name is Pip", "I'm Eli", "Call me
#: Ishmael", "he called me Darkie", "I, Allan Quatermain, ...", or a line opens the
#: account as someone's: "Statement of Jonathan Sims, regarding ...", "Diary of ...".
#: The name may follow a title ("I am Captain Carter"): each of the two words is tried.
_NAMED_ME = re.compile(  # the first letter first, then where it stands: re skips to it in C
    r"[MmICcSDJT](?:(?<=[MmICc])(?<!\w[MmICc])|(?<=[SDJT])(?<![^\n][SDJT]))"  # a word's, a line's start
    rf"(?:(?<=[Mm])y[ ](?:[a-z]+[ ])?name(?:['’]s|[ ]is|[ ]was)|(?<=I)(?:['’]m|[ ]am)|"
    rf"(?<=[Cc])all(?:s|ed)?[ ]me|(?<=I)[ ]called[ ]myself|(?<=I),|"
    rf"(?<=S)tatement[ ]of|(?<=D)iary[ ]of|(?<=J)ournal[ ]of|(?<=T)estimony[ ]of)[ ]+"
    rf"(?P<name>[{UPPER}][\w'’-]*(?:\.?[ ][{UPPER}][\w'’-]*)?)")
NARRATOR_VOCATIVES = 2      # others call the narrator by name at least this often
NARRATOR_NARRATION = 0.2    # ... and the narration ("I") names them at most this share
YOU_VOCATIVES = 1           # the same for the "you" of a second-person story


_ACTIONS = ("nod|smile|grin|frown|shrug|sigh|laugh|wince|blink|swallow|flinch|stare|glance|"
            "turn|walk|step|stand|sit|kneel|lean|hug|kiss|roll|raise|lift|shake|whisper|mutter|"
            "murmur|mumble|gasp|cry|sob|blush|giggle|moan|groan|smirk|bite|lick|wake|sleep|"
            "breathe|shiver|tremble|run|jump|grab|pull|push|squeeze|hold|touch|feel|hear|see|"
            "watch|stumble|lie|lay|climb|open|close|reach|pause|hesitate|freeze|tense|relax|"
            "stiffen|chuckle|scream|yell|shout|snort|huff|pout|ask|answer|reply|say|tell|"
            "catch|limp|grip|drop|carry|follow|wait")
_VERB_FORMS = rf"(?:{_ACTIONS})(?:s|es|ed|d)?|stood|sat|knelt|rolled|shook|ran|held|felt|heard|saw|woke|slept|froze|bit|said|told|lay|laid|cried|replied|caught|took"
_BODY = "|".join(sorted(BODY_PARTS))
# "you" as a person in the story: your body, your own actions
_YOU_CHARACTER = re.compile(
    rf"[Yy](?<!\w[Yy])(?:our[ ]+(?:[a-z]+[ ]+)?(?:{_BODY})|ou[ ]+(?:[a-z]+ly[ ]+)?(?:{_VERB_FORMS}))\b")


def you_as_character(narration: str) -> int:
    """How often the narration's "you" has a body or acts like a character."""
    return len(_YOU_CHARACTER.findall(narration))


#: Each pronoun -> its person. The regex opens with the first letters
#: (``word_start_pattern``): ``re`` skips to them in C.
_PERSON = {
    **dict.fromkeys(("I", "me", "my", "mine", "myself"), "first"),
    **dict.fromkeys(("you", "your", "yours", "yourself", "yourselves"), "second"),
    **dict.fromkeys(("he", "him", "his", "himself", "she", "her", "hers", "herself"), "third"),
    **dict.fromkeys(("we", "us", "our", "ours", "ourselves"), "plural"),
}
_PERSON.update({w[0].upper() + w[1:]: p for w, p in _PERSON.items()})
_PERSON["YOU"] = "second"
_ALL = re.compile(word_start_pattern(_PERSON) + r"\b")


def pov_counts(narration: str) -> dict[str, int]:
    """Pronoun counts of one narration text (one regex pass); "you" as a character is
    counted only where "you" is frequent enough to matter."""
    counts = {"first": 0, "second": 0, "third": 0, "plural": 0}
    for word, n in Counter(_ALL.findall(narration)).items():
        counts[_PERSON[word]] += n
    first, second, third = counts["first"], counts["second"], counts["third"]
    you = you_as_character(narration) if second >= 0.1 * (first + second + third) and second else 0
    return {**counts, "you_character": you}


def decide_person(counts: Mapping[str, int]) -> tuple[Person, float]:
    """The grammatical person of the narration and the share of its pronouns."""
    f, s, t = counts["first"], counts["second"], counts["third"]
    total = f + s + t
    if total == 0:
        return "third", 0.0
    if s / total >= SECOND_SHARE and s >= f:
        return "second", s / total
    if f / total >= FIRST_SHARE:
        return "first", f / total
    return "third", t / total


def named_you(narrations: Sequence[str], cast: Cast) -> Cluster | None:
    """The character the narration calls "you" by name ("You are Steve Rogers"), if any."""
    hits: Counter[int] = Counter()
    index = {tok: i for i, c in enumerate(cast.people) for tok in c.tokens}
    for narr in narrations:
        for m in _NAMED_YOU.finditer(narr):
            i = index.get(m.group("name"))
            if i is not None:
                hits[i] += 1
    if not hits:
        return None
    return cast.people[hits.most_common(1)[0][0]]


def named_narrator(doc: Document, cast: Cast) -> Cluster | None:
    """The first-person narrator's name, when the text gives it.

    Either the narration says it ("My name is Pip", "Call me Ishmael", "they
    called me Darkie"), or other characters call the narrator by it in dialogue
    ("Hey, Eli.", "“Eli, love”") at least ``NARRATOR_VOCATIVES`` times while the
    narration, which says "I", seldom names them (at most ``NARRATOR_NARRATION``
    of their mentions): everyone else the narrator talks to is named when they
    act. Of several such people, the one called most often; none on a tie. A line
    of the narrator's own that gives the name ("“I'm Eli,” I said") counts as the
    narration saying it. Failing those, the one called by name at least
    ``NARRATOR_VOCATIVES`` times in lines the narrator answers at once (``_answered``),
    then a character of the canon base called once whom the narration never names.
    """
    narrations: Sequence[str] = doc.get(NARRATION)
    index = {tok: i for i, c in enumerate(cast.people) for tok in c.tokens}
    said: Counter[int] = Counter()
    for narr in narrations:
        for m in _NAMED_ME.finditer(narr):
            for word in re.split(r"\.?[ ]", m.group("name")):
                i = index.get(word)
                if i is not None:
                    said[i] += 1
                    break
    mine = _narrator_lines(doc)
    said.update(_self_named(doc, index, mine))
    if said:
        return cast.people[said.most_common(1)[0][0]]
    called = called_by_name(doc, cast, NARRATOR_VOCATIVES)
    if called is not None:
        return called
    ranked = _answered(doc, cast, mine).most_common(2)
    if ranked and ranked[0][1] >= NARRATOR_VOCATIVES and (
            len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return cast.people[ranked[0][0]]
    return called_by_name(doc, cast, 1, canon=True, silent=True)


_SPEECH = trie_pattern(sorted(SPEECH_VERBS))
#: The narrator's said-tag right after a quote (“…,” I answered) or before it in its
#: paragraph (I said, “…”).
_MY_TAG_AFTER = re.compile(rf"[ ]*,?[ ]*I[ ]+(?:[a-z]+ly[ ]+)?(?:{_SPEECH})\b")
_MY_TAG_BEFORE = re.compile(rf"\bI[ ]+(?:[a-z]+ly[ ]+)?(?:{_SPEECH})[ ]*[,:]?[ ]*$")
_QUOTE_MARKS = " \t\n\"“”‘’'.,!?…—–-"
REPLY_GAP = 300   # characters between a call and the narrator's answer, at most


def _narrator_lines(doc: Document) -> list[list[bool]]:
    """Per chapter, per quote: whether it is the narrator's, by a said-tag of "I" right
    after it (“…,” I answered) or before it in its paragraph (I said, “…”)."""
    spans_by_chapter: Sequence[Sequence[tuple[int, int]]] = doc.get(DIALOGUE)
    mine: list[list[bool]] = []
    for text, spans in zip(doc.texts, spans_by_chapter, strict=True):
        flags = []
        for k, (s, e) in enumerate(spans):
            lo = max(text.rfind("\n", 0, s) + 1, spans[k - 1][1] if k else 0)
            flags.append(_MY_TAG_AFTER.match(text, e) is not None
                         or _MY_TAG_BEFORE.search(text[lo:s]) is not None)
        mine.append(flags)
    return mine


def _self_named(doc: Document, index: Mapping[str, int], mine: Sequence[Sequence[bool]]
                ) -> Counter[int]:
    """By cast index: the narrator's own lines that give their name ("“I'm Eli,” I
    said", "I said, “My name is Eli.”"). A line of the narrator's that is a name alone
    does not: "“Spiky,” I say" calls someone, and "“Reno.”" answers who did it."""
    found: Counter[int] = Counter()
    spans_by_chapter: Sequence[Sequence[tuple[int, int]]] = doc.get(DIALOGUE)
    for ci, (text, spans) in enumerate(zip(doc.texts, spans_by_chapter, strict=True)):
        for k, (s, e) in enumerate(spans):
            if not mine[ci][k]:
                continue
            for m in _NAMED_ME.finditer(text[s:e].strip(_QUOTE_MARKS)):
                i = next((index[w] for w in re.split(r"\.?[ ]", m.group("name")) if w in index),
                         None)
                if i is not None:
                    found[i] += 1
    return found


def _answered(doc: Document, cast: Cast, mine: Sequence[Sequence[bool]]) -> Counter[int]:
    """By cast index: calls by name in a line (“I wonder when you'll do anything,
    Rudolf?” said Rose.) that the narrator's next line, soon after, answers (“My dear
    Rose,” I answered.): whoever is called and answers by "I" is the narrator."""
    found: Counter[int] = Counter()
    spans_by_chapter: Sequence[Sequence[tuple[int, int]]] = doc.get(DIALOGUE)
    starts = [[s for s, _e in spans] for spans in spans_by_chapter]
    for i, c in enumerate(cast.people[:30]):
        for ci, s, e in c.mentions():
            spans = spans_by_chapter[ci]
            k = bisect.bisect_right(starts[ci], s) - 1
            if k < 0 or s >= spans[k][1] or mine[ci][k] or k + 1 >= len(spans):
                continue
            if not mine[ci][k + 1] or spans[k + 1][0] - spans[k][1] > REPLY_GAP:
                continue
            text = doc.texts[ci]
            before = text[spans[k][0]:s].rstrip(" ")
            after = text[e:e + 3].lstrip(" ")[:1]
            if after and after in ",.!?" and (before.endswith(",") or not before.strip(
                    _QUOTE_MARKS)):
                found[i] += 1
    return found


_POV_WORD = r"(?:POV|P\.O\.V\.?|PoV|Pov|pov|[Pp]oint of [Vv]iew)"
#: A line of its own that says who tells what follows: "SIMON", "~Draco~", "Bella's
#: POV", "POV: Harry", "(Jack's P.O.V.)", "EPOV" (an initial and "POV").
_HEAD_LINE = re.compile(r"(?m)^[ \t]*(?P<line>[^\n]{1,48}?)[ \t]*$")
_HEAD_DECOR = " \t~*_=#-–—[](){}<>|:.•·+"
_HEAD_NAME = re.compile(
    rf"(?:{_POV_WORD}[ ]*[:\-–—]?[ ]*)?(?P<name>[^\W\d_][\w'’ .-]{{0,30}}?)(?:['’]s)?"
    rf"(?:[ ]*[-–—:,(]?[ ]*(?P<pov>{_POV_WORD}))?")
_INITIAL_POV = re.compile(rf"(?P<initial>[{UPPER}])[ ]?{_POV_WORD}")
_HEAD_POV = re.compile(_POV_WORD)
SECTION_FIRST = 2   # first-person words a section under a bare name must hold
_STOPS = (".", "!", "?", "…")


def narrator_sections(doc: Document, cast: Cast) -> list[tuple[int, int, int, Cluster]]:
    """Sections of a first-person story headed by who tells them, as (chapter index,
    start, end, narrator): each runs from its heading to the next one or the chapter's
    end. A heading is a line of its own holding one character's name, decorated or
    not, with or without "POV" ("SIMON", "~Draco~", "Bella's POV", "EPOV"). A bare name
    counts only when the text has two or more of them for two or more people (alternating
    narrators, as in Carry On), not ending a sentence ("Draco." alone is a beat of the
    story), not after a letter's closing ("Yours,") and only when its section says "I"
    at least ``SECTION_FIRST`` times; a heading with "POV" always.
    """
    people = cast.people[:30]
    index: dict[str, set[int]] = {}
    for i, c in enumerate(people):
        for _title, toks in c.forms:
            index.setdefault(" ".join(toks).casefold(), set()).add(i)
        for tok in c.tokens:
            index.setdefault(tok.casefold(), set()).add(i)
        if c.canon_name:
            index.setdefault(c.canon_name.casefold(), set()).add(i)
    heads: list[tuple[int, int, int, int, bool]] = []   # chapter, start, end, who, explicit
    for ci, text in enumerate(doc.texts):
        for m in _HEAD_LINE.finditer(text):
            core = m.group("line").strip(_HEAD_DECOR)
            if not core or not core[0].isalpha():
                continue
            who: set[int] = set()
            explicit = _HEAD_POV.search(core) is not None
            init = _INITIAL_POV.fullmatch(core)
            if init is not None:
                who = {i for i, c in enumerate(people[:6]) if c.name[:1] == init["initial"]}
            else:
                hm = _HEAD_NAME.fullmatch(core)
                if hm is not None:
                    who = index.get(hm["name"].strip(" .").casefold(), set())
            if len(who) != 1:
                continue
            if not explicit and (
                    m.group("line").rstrip(_HEAD_DECOR.replace(".", "")).endswith(_STOPS)
                    or text[max(0, m.start() - 80):m.start()].rstrip().endswith(",")):
                continue  # "Draco.": a beat of the story; "Yours,\n\nMatthias": a signature
            heads.append((ci, m.start(), m.end(), next(iter(who)), explicit))
    bare = [h for h in heads if not h[4]]
    if len(bare) < 2 or len({h[3] for h in bare}) < 2:
        heads = [h for h in heads if h[4]]
    narrations: Sequence[str] = doc.get(NARRATION)
    out: list[tuple[int, int, int, Cluster]] = []
    for k, (ci, _s, e, teller, explicit) in enumerate(heads):
        end = heads[k + 1][1] if k + 1 < len(heads) and heads[k + 1][0] == ci else len(
            doc.texts[ci])
        if explicit or len(_FIRST.findall(narrations[ci], e, end)) >= SECTION_FIRST:
            out.append((ci, e, end, people[teller]))
    return out


#: Share of a work's text that letters must cover for it to be told in letters.
LETTERS_SHARE = 0.5


def letter_sections(doc: Document, cast: Cast) -> list[tuple[int, int, int, Cluster,
                                                              Cluster | None]]:
    """The letters of an epistolary story, as (chapter index, start, end, writer,
    addressee): each one signed by someone of the cast ("Yours, always,\\nIsolde"),
    running from its salutation ("Dear Wren,", whose name is the addressee) or, without
    one, from the end of the letter before (or the chapter's start) to its signature's
    line. The "I" of a letter is its writer, its "you" the addressee.
    """
    narrations: Sequence[str] = doc.get(NARRATION)
    marks: list[list[tuple[int, int, str, Cluster]]] = [[] for _ in doc.texts]
    named: dict[int, list[tuple[int, int]]] = {}  # by cluster: (chapter, start) in narration
    for c in cast.people[:30]:
        for ci, s, e in c.mentions():
            role = letter_role(doc.texts[ci], s, e)
            if role is not None:
                marks[ci].append((s, e, role, c))
            elif narrations[ci][s] != " ":
                named.setdefault(id(c), []).append((ci, s))
    out: list[tuple[int, int, int, Cluster, Cluster | None]] = []
    for ci, found in enumerate(marks):
        text = doc.texts[ci]
        start, to = 0, None
        for s, e, role, c in sorted(found, key=itemgetter(0)):
            if role == "to":
                start, to = text.rfind("\n", 0, s) + 1, c
                continue
            end = text.find("\n", e)
            end = len(text) if end < 0 else end
            # no one writes of themselves by name: a signer the letter's narration names
            # did not write it ("Tamsin comes down in my jumper. / Yours, / Tamsin")
            own = named.get(id(c), [])
            k = bisect.bisect_left(own, (ci, start))
            if not (k < len(own) and own[k] < (ci, s)):
                out.append((ci, start, end, c, to if to is not c else None))
            start, to = end, None
    return out


T = TypeVar("T")


def teller_at(spans: Sequence[tuple[int, int, T]], pos: int, default: T) -> T:
    """The teller of the span (start, end, teller), sorted and apart, that holds ``pos``,
    else ``default``.

    >>> teller_at([(0, 5, "Simon"), (9, 20, "Baz")], 12, "Narrator")
    'Baz'
    >>> teller_at([(0, 5, "Simon"), (9, 20, "Baz")], 7, "Narrator")
    'Narrator'
    """
    k = bisect.bisect_right(spans, pos, key=itemgetter(0)) - 1
    return spans[k][2] if k >= 0 and pos < spans[k][1] else default


def section_owner(sections: Sequence[tuple[int, int, int, str]], default: str | None
                  ) -> Callable[[int, int], str | None]:
    """Who says "I" at (chapter index, offset): the narrator of the section it lies in,
    else ``default``."""
    by_chapter: dict[int, list[tuple[int, int, str | None]]] = {}
    for ci, s, e, name in sections:
        by_chapter.setdefault(ci, []).append((s, e, name))

    def owner(ci: int, pos: int) -> str | None:
        spans = by_chapter.get(ci)
        return teller_at(spans, pos, default) if spans else default
    return owner


def first_person_by_narrator(narrations: Sequence[str],
                             sections: Sequence[tuple[int, int, int, str]],
                             default: str | None) -> Counter[str | None]:
    """First-person words of the narration ("I", "me", "my"), by who says them: the
    narrator of their section, else ``default``."""
    owner = section_owner(sections, default)
    return Counter(owner(ci, m.start()) for ci, narr in enumerate(narrations)
                   for m in _FIRST.finditer(narr))


def called_by_name(doc: Document, cast: Cast, least: int, *, canon: bool = False,
                   silent: bool = False) -> Cluster | None:
    """The one others call by name in dialogue (vocatives, at least ``least`` times)
    while the narration seldom names them (at most ``NARRATOR_NARRATION`` of their
    mentions; ``silent``: never): the narrator's "I" or the "you" of a second-person
    story (``canon``: only a character of the canon base, since "Oh, Neptune!" is no
    one). A quotation that is a name alone ('"Reno."') answers who rather than
    calls whom, and does not count. Of several, the one called most often; none on
    a tie."""
    called: list[tuple[int, Cluster]] = []
    for c in cast.people[:30]:
        if canon and c.canon is None:
            continue
        n = sum(st.vocative + st.address - st.answer for st in c.stats)
        if n >= least and in_narration(doc, c.mentions()) <= (0 if silent else max(
                1, NARRATOR_NARRATION * c.total)):
            called.append((n, c))
    called.sort(key=lambda nc: -nc[0])
    if not called or (len(called) > 1 and called[1][0] == called[0][0]):
        return None
    return called[0][1]


def focal_characters(doc: Document, cast: Cast, *, limit: int = 3) -> list[Cluster]:
    """Characters most named in each scene's narration, weighted by scene length."""
    narrations: Sequence[str] = doc.get(NARRATION)
    scenes: Sequence[Sequence[tuple[int, int]]] = doc.get(SCENES)
    weight: Counter[int] = Counter()
    total = 0
    starts = [[a for a, _ in sc] for sc in scenes]
    per_scene: dict[tuple[int, int], Counter[int]] = {}
    for i, c in enumerate(cast.people[:30]):
        for ci, s, _e in c.mentions():
            narr = narrations[ci]
            if narr[s] != doc.texts[ci][s]:
                continue  # inside dialogue
            k = bisect.bisect_right(starts[ci], s) - 1
            per_scene.setdefault((ci, k), Counter())[i] += 1
    for ci, sc in enumerate(scenes):
        for k, (a, b) in enumerate(sc):
            total += b - a
            counts = per_scene.get((ci, k))
            if counts:
                (best, n), = counts.most_common(1)
                if n >= 2:
                    weight[best] += b - a
    if not weight or total == 0:
        return list(cast.people[:1])
    top = weight.most_common()
    keep = [cast.people[i] for i, w in top if w >= 0.2 * total or w >= 0.5 * top[0][1]]
    return keep[:limit]


def make_pov(doc: Document, cast: Cast, scan: NameScan) -> PointOfView:
    narrations: Sequence[str] = doc.get(NARRATION)
    counts: Counter[str] = Counter(
        {"first": 0, "second": 0, "third": 0, "plural": 0, "you_character": 0})
    for narr in narrations:
        counts.update(pov_counts(narr))
    counts["second"] += len(scan.reader_marks)
    person, share = decide_person(counts)
    narrator: str | None = None
    narrators: tuple[str, ...] = ()
    sections: tuple[tuple[int, int, int, str], ...] = ()
    addressed: tuple[tuple[int, int, int, str], ...] = ()
    reader_marks = len(scan.reader_marks)
    named = named_you(narrations, cast) if person == "second" else None
    if named is None and person == "second" and not reader_marks:
        # "“Tony,” she says. “You didn't sleep.”": the "you" others call by the name of
        # a canon character the narration never names
        named = called_by_name(doc, cast, YOU_VOCATIVES, canon=True)
    # a "you" without a body or actions is the reader of a guide or a letter, not a character
    you_story = counts["you_character"] >= max(3, 0.02 * counts["second"])
    reader_insert = reader_marks > 0 or (person == "second" and named is None and you_story)
    letters = letter_sections(doc, cast) if person != "third" else []
    in_letters = sum(e - s for _ci, s, e, _w, _to in letters)
    if letters and in_letters >= LETTERS_SHARE * sum(len(t) for t in doc.texts) \
            and counts["first"] and not reader_marks:
        # told in letters: each letter's "I" is who signs it, its "you" whom it is to
        person, reader_insert = "first", False
        sections = tuple((ci, s, e, w.name) for ci, s, e, w, _to in letters)
        addressed = tuple((ci, s, e, to.name) for ci, s, e, _w, to in letters
                          if to is not None)
        ranked = [n for n, _ in first_person_by_narrator(narrations, sections, None)
                  .most_common() if n is not None]
        narrator = ranked[0] if ranked else sections[0][3]
        narrators = tuple(ranked) or (narrator,)
        focal = list(narrators[:3])
    elif person == "second":
        focal = [named.name] if named is not None else (["Reader"] if reader_insert else [])
    elif person == "first":
        me = named_narrator(doc, cast)
        narrator = "Narrator" if me is None else me.name
        sections = tuple((ci, s, e, c.name) for ci, s, e, c in narrator_sections(doc, cast))
        if sections:
            told = first_person_by_narrator(narrations, sections, None)
            outside = told.pop(None, 0)
            if outside > max(2, 0.1 * counts["first"]):
                told[narrator] += outside
            ranked = [n for n, _ in told.most_common() if n is not None]
            if outside <= max(2, 0.1 * counts["first"]):
                narrator = ranked[0]  # the sections hold (nearly) all of the story
            narrators = tuple(ranked)
        else:
            narrators = (narrator,)
        focal = list(narrators[:3]) if sections else [narrator]
    else:
        focal = [c.name for c in focal_characters(doc, cast)]
        if reader_insert:
            focal = ["Reader", *focal][:3]
    evidence: list[Evidence] = []
    if person in _PATTERNS:
        pattern = _PATTERNS[person]
        for ci, narr in enumerate(narrations):
            for m in pattern.finditer(narr):
                ev = passage(doc.texts[ci], doc.numbers[ci], m.start(), m.end())
                if not evidence or evidence[-1].start != ev.start:
                    evidence.append(ev)
                if len(evidence) >= 3:
                    break
            if len(evidence) >= 3:
                break
    for ci, s, e in scan.reader_marks[:2]:
        evidence.append(passage(doc.texts[ci], doc.numbers[ci], s, e))
    return PointOfView(person=person, reader_insert=reader_insert, focal=tuple(focal),
                       narrator=narrator, narrators=narrators, sections=sections,
                       addressed=addressed,
                       confidence=share, counts=MappingProxyType(dict(counts)),
                       evidence=tuple(evidence))


@dataclass(frozen=True, slots=True)
class PovComponent:
    """Person, reader-insert and focal characters of the narration."""

    cast_key: str = CAST
    name: str = "pov"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({DIALOGUE, NARRATION, SCENES, NAME_SCAN, self.cast_key})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({POV})

    def __call__(self, doc: Document) -> dict[str, object]:
        return {POV: make_pov(doc, doc.need(self.cast_key, Cast), doc.need(NAME_SCAN, NameScan))}


pov = PovComponent()
