"""Who talks to whom and who acts on whom: the interaction graph of a work.

Two kinds of edges between people, counted per pair over the whole work:

- ``talk``: a quoted passage with its speaker and addressee. The speaker is
  the person of the said-tag right after the quote ("…,” she said", "said
  Ann"; not a tag that describes its speaker, "her brother called", "The
  ferryman said"; and a
  pronoun's tag yields to a quote that says who speaks, "“I am Mrs. Fenwick,”
  she said"), else the subject of the narration just before it in the
  paragraph (an action beat; not the "her" of "Her brother called", nor the
  one the line calls by name: "The light made Spock's face green. “I'm glad,
  Spock.”" is someone else's, the subject of a sentence before); but a
  second quote in a paragraph is the first one's speaker's, whoever the beat
  between them is about ("Sable could feel him looking"), unless that beat
  names someone speaking ("Sable went on"). Past
  that, the speaker is the first person the narration names after it in
  the paragraph, else the person the quote says it is ("It's Ann."). An
  untagged line that opens the paragraph right after a line of dialogue is
  the reply of the one that line called by name, else of the speaker of the
  line before it (paragraphs take turns), or the same speaker's when the
  line before runs on without a closing mark; past that, after a paragraph of
  narration, it is said by the one that paragraph's last sentence is about
  ("Sam puts a hand on his arm. / “You can't carry him.”"), else it is the reply of
  the one the line before it turned to (see below), else of whoever spoke
  before that (not when those two lines are one speaker's, and never the one
  the line calls by name). A line whose said-tag names
  someone the cast does not hold ("said the old cook", "Ayame sighed") is
  nobody's, and no turn-taking guesses past it. In a two-person exchange (a
  run of close quotes in one scene with exactly two people in it: speaking,
  called by name or spoken "to") untagged lines are filled in by turn-taking:
  a new paragraph is the other person, a second quote in a paragraph the same
  one, a line naming one of them as a vocative the other's; when only one of the
  two is ever named speaking, the other is the one the narration around the run
  refers to most, not whoever it names last ("Illumi still haunted his sleep").
  An untagged line
  left after all that, opening the paragraph right after a line said to
  someone, is that someone's reply; one that calls someone by name after a
  paragraph of narration naming one other person is that person's. The
  addressee is no one for a line said to several ("you two", "all of you",
  "Boys,", two people called by name, "said to nobody") and the line going on
  after it in its speaker's paragraph (though the one found as below may still
  answer it); else the person
  named as a vocative in the quote ("Stay, Ben.", "Dazai-san,"), else the one a said-tag
  names after "to", else the one the beat before the quote turns the speaker
  to by a look or a gesture ("she smiled at Ben", "He tilts his head toward
  you"), else the one the speaker kisses, holds or touches in that beat ("He
  kisses me. “I love you,” he says."), else, for a line going on in its speaker's
  paragraph, the one the line before was said to, else the other person of the exchange,
  else, when a paragraph of narration since the line before moved the scene on
  (it does not name the other party of that line), the person it named last,
  else the speaker of the turn just before or after, else (the speaker going on
  after a line of their own) the one that line was said to, else the person the
  narration named last before the quote in the scene.
- ``acts``: a verb of contact or attention in the narration ("kissed",
  "held", "looked at", "leaned into", "helped") with a person before it in
  its sentence (the subject) and a person right after it (the object: a
  name, "him", "her", "his hand"), pronouns resolved by ``coref``; or two
  people joined by "and" before a reciprocal verb ("Ann and Ben hugged").

Everything is read from the ``references`` layer (names and resolved
pronouns), so "he kissed her" after "Ann" and "Ben" counts for Ann and Ben.

>>> from ficshelf.understand.run import run
>>> t = ("Ann met Ben at the gate. Ann knew she was late. Ben laughed, and he waved.\\n\\n"
...      "“You’re late,” Ben said.\\n\\n“I know, Ben,” she said. She kissed him.")
>>> doc = run(Document.from_texts(t))
>>> graph, names = doc.get(INTERACTIONS), [p.name for p in doc.get(PEOPLE).persons]
>>> [(t[s + 1:e - 2], names[sp], names[ad]) for s, e, sp, ad in graph.chapters[0].turns()]
[('You’re late', 'Ben', 'Ann'), ('I know, Ben', 'Ann', 'Ben')]
>>> [(t[s:e], names[a], names[b]) for s, e, a, b in graph.chapters[0].acts]
[('met', 'Ann', 'Ben'), ('kissed', 'Ann', 'Ben')]
>>> list(graph.talk.values()), list(graph.acts.values())
([2], [2])
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ficshelf.canon import HONORIFIC_SUFFIX
from ficshelf.understand.coref import (
    NAME,
    OBJECT,
    POSSESSIVE,
    REFERENCES,
    SPOKEN,
    SUBJECT,
    ChapterRefs,
    References,
)
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.keys import DIALOGUE, NARRATION
from ficshelf.understand.lexicons import CUES, trie_pattern
from ficshelf.understand.names import SPEECH_VERBS
from ficshelf.understand.people import PEOPLE, People
from ficshelf.understand.pipeline import component

__all__ = [
    "INTERACTIONS",
    "ChapterInteractions",
    "Interactions",
    "build_interactions",
    "interactions",
]

INTERACTIONS = "interactions"

TAG_REACH = 60        # characters after a quote where its said-tag is looked for
REPLY_REACH = 900     # characters between two turns that answer each other
SUBJECT_REACH = 80    # characters before a verb where its subject is looked for
OBJECT_REACH = 30     # characters after a verb where its object is looked for
CONTEXT_REACH = 500   # characters before a quote where an addressee may have been named

_VOCATIVE_BEFORE = re.compile(r"(?:[,;]|[\"“‘']|—|–|\.\.\.|…|^)[ ]?(?:(?:my|dear|oh|hey|hi|hello|"
                              r"thanks|thank you|sorry|yes|no|okay|please|good morning|"
                              r"goodnight|good night|night|morning)[ ,]+)?$", re.IGNORECASE)
_VOCATIVE_AFTER = re.compile(r"[ ]?(?:[,.!?…;\"”’]|—|–)")
_TO = re.compile(r"\bto[ ]+$")
#: Words that say a line is said to more than one person ("you two", "all of you", "I
#: love you all.", "you absolute idiots"; not "Are you all right?", "you two minutes").
_GROUP = re.compile(
    r"\b(?:you[ ]+(?:two|three|four|both)\b(?![ ]+(?:more[ ]+)?[a-z]+s\b)"
    r"|you[ ]+(?:(?:absolute|complete|utter|stupid|little|silly|dumb|crazy|ridiculous|lovely|"
    r"bloody|fucking|beautiful|magnificent|wonderful|poor)[ ]+)?(?:guys|lot|people|kids|boys|"
    r"girls|lads|idiots|fools|children|morons|nerds|dorks|losers)\b"
    r"|you[ ]+all(?=[ ]*(?:[,.!?;…—–\"”]|$)|[ ]+(?:are|were|have|need|know|should|can|will|look|"
    r"did|do|go|get)\b)|y['’]all\b|(?:both|all|each|either|none|any)[ ]+of[ ]+you\b)")
#: A crowd called at a quote's start or end ("Boys,", "Kids!", "Okay, everyone,", "Good
#: morning, my lovely students!"; not "Friends?", "Best friends,").
_CROWD = (r"(?:everyone|everybody|guys|boys|girls|kids|children|ladies|gentlemen|folks|team|"
          r"people|lads|students|friends|gang|fellas|y['’]all)")
_CROWD_FIRST = re.compile(
    r"[\"“‘']?(?:(?:hey|oh|okay|ok|alright|all[ ]right|right|come[ ]on|good[ ]morning|"
    r"morning|hi|hello|evening|afternoon|listen(?:[ ]up)?|thanks|thank[ ]you|sorry|well|so)"
    r"[ ,]+)*(?:my[ ]+(?:[a-z]+[ ]+)?)?" + _CROWD + r"[,!]")
_CROWD_LAST = re.compile(r",[ ]+(?:my[ ]+(?:[a-z]+[ ]+)?)?" + _CROWD)
_CLOSING = ".!?,…\"”’' "
#: A said-tag that says the line is said to no one ("…,” Tony said to nobody").
_TO_NOBODY = re.compile(r"^[^\n\"“”]{0,40}?\bto[ ]+(?:nobody|no[ ]?one)\b")
#: A gesture or look that turns someone to a person: "smiled at", "tilts his head toward",
#: "turned back to" (not "feeling charitable toward", "next to", "glancing down to").
_FACING = re.compile(
    r"\b(?:(?:look|glanc|smil|grin|wink|star|glar|frown|scowl|laugh|nod|wav|beam|smirk|turn|"
    r"tilt|lean|gestur|point|jerk|shrug|blink|roll|rais|peer|squint|gaz)[a-z]*"
    r"(?:[ ]+[a-z]+){0,3}?[ ]+(?:at|towards?)|turn[a-z]*(?:[ ]+back)?[ ]+to)[ ]+$")
_SELF = re.compile(r"(?:\bI['’]m|\bI am|\b[Tt]his is|\b[Ii]t['’]s|\b[Mm]y name is|\b[Nn]ame['’]s)"
                   r"[ ]+(?:[Dd]r\.?[ ]+|[Mm]r\.?[ ]+|[Mm]s\.?[ ]+|[Mm]rs\.?[ ]+)?$")

# Verbs of contact or attention, as data: each base form with its inflections
# ("base s ed ing", irregular forms written out), grouped by the particle that must
# follow them before the person acted on ("looked at Ben", "leaned into her").
_VERBS: Mapping[str, str] = MappingProxyType({
    "": """kiss kisses kissed kissing; hug hugs hugged hugging; embrace embraces embraced
        embracing; cuddle cuddles cuddled cuddling; touch touches touched touching; hold holds
        held holding; take takes took taking; grab grabs grabbed grabbing; pull pulls pulled pulling; push pushes pushed
        pushing; squeeze squeezes squeezed squeezing; nudge nudges nudged nudging; elbow elbows
        elbowed elbowing; shove shoves shoved shoving; punch punches punched punching; slap slaps
        slapped slapping; poke pokes poked poking; tug tugs tugged tugging; stroke strokes stroked
        stroking; pat pats patted patting; cup cups cupped cupping; brush brushes brushed
        brushing; catch catches caught catching; carry carries carried carrying; help helps
        helped helping; follow follows followed following; join joins joined joining; meet meets
        met meeting; visit visits visited visiting; call calls called calling; text texts texted
        texting; tell tells told telling; ask asks asked asking; thank thanks thanked thanking;
        promise promises promised promising; hand handed handing; give gives gave giving; offer
        offers offered offering; show shows showed showing; teach teaches taught teaching; save
        saves saved saving; protect protects protected protecting; comfort comforts comforted
        comforting; reassure reassures reassured reassuring; tease teases teased teasing; watch
        watched watching; nuzzle nuzzles nuzzled nuzzling; lick licks licked licking; rescue
        rescues rescued rescuing; forgive forgives forgave forgiving""",
    "at|to": """look looks looked looking; stare stares stared staring; glance glances glanced
        glancing; smile smiles smiled smiling; grin grins grinned grinning; wink winks winked
        winking; nod nods nodded nodding; wave waves waved waving; beam beams beamed beaming;
        scowl scowls scowled scowling; glare glares glared glaring; frown frowns frowned frowning;
        laugh laughs laughed laughing; smirk smirks smirked smirking; gaze gazes gazed gazing;
        peer peers peered peering""",
    "into|against|on|onto": """lean leans leaned leant leaning; curl curls curled curling;
        snuggle snuggles snuggled snuggling; melt melts melted melting; sink sinks sank sinking;
        settle settles settled settling; press presses pressed pressing; rest rests rested
        resting""",
    "to|toward|towards": """turn turns turned turning; walk walks walked walking; run runs ran
        running; hurry hurries hurried hurrying; move moves moved moving; step steps stepped
        stepping; crawl crawls crawled crawling; come comes came coming""",
    "to": """talk talks talked talking; speak speaks spoke speaking; whisper whispers whispered
        whispering; murmur murmurs murmured murmuring; shout shouts shouted shouting; yell yells
        yelled yelling; snap snaps snapped snapping; say says said saying""",
    "with": """dance dances danced dancing; argue argues argued arguing""",
    "next to|beside|with": """sit sits sat sitting""",
})
#: Verbs two people do to each other ("Ann and Ben hugged").
_RECIPROCAL_VERBS = frozenset(["kissed", "hugged", "embraced", "cuddled", "danced", "talked",
                               "argued", "fought", "laughed", "sparred", "trained", "kiss", "hug",
                               "embrace", "cuddle", "dance", "talk", "argue", "fight"])


def _verb_table() -> dict[str, re.Pattern[str] | None]:
    """Verb form -> the particle pattern that must follow it (None: none needed)."""
    table: dict[str, re.Pattern[str] | None] = {}
    for particles, forms in _VERBS.items():
        after = re.compile(rf"[ ]+(?:up[ ]+|down[ ]+|over[ ]+|back[ ]+)?(?:{particles})\b") \
            if particles else None
        for form in forms.replace(";", " ").split():
            table[form] = after
    return table


_VERB_TABLE = _verb_table()
_VERB = re.compile(r"\b" + trie_pattern(sorted(set(_VERB_TABLE) | _RECIPROCAL_VERBS)) + r"\b")
_AND_BEFORE = re.compile(r"[ ]+and[ ]+$")
_ADVERB_BEFORE = re.compile(r"[ ]+(?:[a-z]+ly[ ]+)?$")


@dataclass(frozen=True, slots=True)
class ChapterInteractions:
    """One chapter's turns (quoted passages with speaker and addressee, -1 when unknown)
    and acts (``(start, end, subject, object)`` of a verb)."""

    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    speakers: tuple[int, ...] = ()
    addressees: tuple[int, ...] = ()
    acts: tuple[tuple[int, int, int, int], ...] = ()

    def turns(self) -> Iterator[tuple[int, int, int, int]]:
        return iter(zip(self.starts, self.ends, self.speakers, self.addressees, strict=True))

    def turn_at(self, pos: int) -> int | None:
        """The index of the quoted passage holding ``pos``, if any."""
        k = bisect.bisect_right(self.starts, pos) - 1
        if k >= 0 and pos < self.ends[k]:
            return k
        return None


def _empty() -> Mapping[tuple[int, int], int]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Interactions:
    """The ``interactions`` layer: per chapter turns and acts, and counts per pair
    (``(x, y)`` with ``x < y``)."""

    chapters: tuple[ChapterInteractions, ...] = ()
    talk: Mapping[tuple[int, int], int] = field(default_factory=_empty)
    acts: Mapping[tuple[int, int], int] = field(default_factory=_empty)

    def count(self, pair: tuple[int, int]) -> int:
        return self.talk.get(pair, 0) + self.acts.get(pair, 0)

    @property
    def total(self) -> int:
        return sum(self.talk.values()) + sum(self.acts.values())


def _pair(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _narration_ref(refs: ChapterRefs, lo: int, hi: int, *, last: bool = False) -> int:
    """The index of the first (or last) narration reference starting in ``[lo, hi)``, or -1."""
    rng = refs.between(lo, hi)
    order = reversed(rng) if last else iter(rng)
    for i in order:
        if refs.form[i] != SPOKEN:
            return i
    return -1


def _speakers(text: str, narr: str, spans: Sequence[tuple[int, int]], refs: ChapterRefs,
              breaks: Sequence[int], vocatives: Sequence[int]) -> tuple[list[int], set[int]]:
    """Each quote's speaker (-1 when unknown), and the quotes whose said-tag is someone's
    the cast does not hold."""
    out: list[int] = []
    unnamed: set[int] = set()
    for qi, (s, e) in enumerate(spans):
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        if line_end < 0:
            line_end = len(text)
        nxt = spans[qi + 1][0] if qi + 1 < len(spans) else len(text)
        prev_end = spans[qi - 1][1] if qi > 0 else 0
        speaker = -1
        # a second quote in the paragraph is its first one's speaker's, unless a beat
        # names someone speaking (“…” Stiles says. Derek hums. “…” is all Stiles's;
        # “But Uther?” … Morgana continues. “He will never bend.” is Morgana's)
        same = out[-1] if qi > 0 and prev_end >= line_start else -1
        # the said-tag right after the quote, unless it describes its speaker ("her
        # brother called": not hers); a pronoun's yields to a quote saying who it is
        # ("“I am Mrs. Fenwick,” she said" before the text knows her)
        i = _narration_ref(refs, e, min(e + TAG_REACH, line_end, nxt))
        if i >= 0 and nxt < line_end and _LEADS_IN.search(text, e, nxt) is not None:
            # "Naruto said, “Show-off,” and Sasuke said, “Dobe,”": the tag after the
            # quote leads into the next one; this one's is the tag before it, if any
            j = _tag_before(text, refs, max(line_start, prev_end), s)
            if j >= 0:
                i = j
        if i >= 0 and not refs.ends_between(e, refs.pos[i]) \
                and _DESCRIBED_TAG.match(text, e) is None:
            speaker = refs.who[i]
            named = _self_named(text, refs, s, e) if refs.form[i] != NAME else -1
            if named >= 0:
                speaker = named
        if speaker < 0:
            # the subject of the sentence just before the quote, in its paragraph
            subject = _sentence_subject(refs, breaks, max(line_start, prev_end), s,
                                        vocatives[qi])
            if subject >= 0 and (same < 0 or (refs.form[subject] == NAME
                                              and _SPEAKS.match(text, refs.ends[subject]))) \
                    and not _relative(text, refs, subject):
                speaker = refs.who[subject]
        if speaker < 0:
            speaker = same
        if speaker < 0 and i >= 0 and _relative(text, refs, i) \
                and _DESCRIBED_TAG.match(text, e) is not None:
            speaker = _kin_tag(text, refs, breaks, line_start, refs.who[i])
        if speaker < 0 and _told_by_someone(text, e, refs):
            unnamed.add(qi)  # "said the old cook": someone no one can guess
            out.append(-1)
            continue
        if speaker < 0:
            i = _narration_ref(refs, e, min(line_end, nxt))
            if i >= 0:
                speaker = refs.who[i]
        if speaker < 0 and qi > 0:
            speaker = _reply(text, spans, qi, line_start, out, vocatives)
        if speaker < 0 and not text[line_start:s].strip() and qi >= 2 and out[-1] >= 0 \
                and s - spans[qi - 1][1] <= REPLY_REACH \
                and _narration_between(text, spans[qi - 1][1], s):
            speaker = _last_subject(text, refs, breaks, max(0, _paragraph_before(text, line_start)),
                                    line_start, vocatives[qi])
        if speaker < 0 and qi >= 2 and s - spans[qi - 1][1] <= REPLY_REACH and out[-1] >= 0:
            # untagged lines of an exchange alternate: the reply of the one the line
            # before turned to, after narration, else of the one who spoke before it
            if not _narration_between(text, spans[qi - 1][1], s) and out[-2] != out[-1]:
                speaker = _turned_to(text, refs, spans[qi - 2][1], spans[qi - 1][0], out[-1],
                                     out[-2])
            if speaker < 0 and out[-2] >= 0 and out[-2] != out[-1]:
                speaker = out[-2]
            if speaker == vocatives[qi]:
                speaker = -1  # no one calls themselves by name
        out.append(speaker)
    return out, unnamed


def _sentence_subject(refs: ChapterRefs, breaks: Sequence[int], lo: int, hi: int,
                      called: int) -> int:
    """The reference the last sentence of the narration ``[lo, hi)`` is about (its first
    narration reference), or -1. No one calls themselves by name: a sentence about
    ``called`` gives way to the one before it ("Kirk looked at him. The storm light made
    Spock's face green. “I'm glad you came, Spock.”" is Kirk's)."""
    j = _narration_ref(refs, lo, hi, last=True)
    while j >= 0:
        k = bisect.bisect_right(breaks, refs.pos[j])
        sentence_start = max(lo, breaks[k - 1] if k > 0 else 0)
        first = _narration_ref(refs, sentence_start, hi)
        subject = first if first >= 0 else j
        if refs.who[subject] != called:
            return subject
        j = _narration_ref(refs, lo, sentence_start, last=True)
    return -1


def _relative(text: str, refs: ChapterRefs, i: int) -> bool:
    """Reference ``i`` is the possessive of a relation noun: "Her brother called"."""
    return refs.form[i] == POSSESSIVE and _RELATIVE.match(text, refs.ends[i]) is not None


def _last_subject(text: str, refs: ChapterRefs, breaks: Sequence[int], lo: int, hi: int,
                  called: int) -> int:
    """The person the last sentence of the narration ``[lo, hi)`` is about, other than
    ``called`` and not a relative ("Her brother"); or -1."""
    subject = _sentence_subject(refs, breaks, lo, hi, called)
    return refs.who[subject] if subject >= 0 and not _relative(text, refs, subject) else -1


def _kin_tag(text: str, refs: ChapterRefs, breaks: Sequence[int], line_start: int, whose: int
             ) -> int:
    """The speaker of a line tagged by a relative ("“So,” her sister said."): the one
    the last sentence of the paragraph before is about, when that is not the relative's
    own ("Alex called that night while Kara did the dishes."), else -1."""
    before = _paragraph_before(text, line_start)
    if before < 0:
        return -1
    who = _last_subject(text, refs, breaks, before, line_start, whose)
    return who if who != whose else -1


def _narration_between(text: str, lo: int, hi: int) -> bool:
    """Whether a whole paragraph lies between ``lo`` and ``hi``."""
    first = text.find("\n", lo, hi)
    return first >= 0 and bool(text[first:text.rfind("\n", lo, hi)].strip())


def _turned_to(text: str, refs: ChapterRefs, lo: int, hi: int, speaker: int, before: int
               ) -> int:
    """The person the narration between two quotes ``[lo, hi)`` named last, other than
    ``speaker`` (of the quote at ``hi``), when a whole paragraph of narration lies between
    them and does not name ``before`` (the other party of the quote at ``lo``): the scene
    has moved on, and the speaker turns to whoever it brought in (“…,” Bull said. /
    Solas healed the cut. / “Thank you,” Cassandra said.); else -1.
    """
    if before < 0 or not _narration_between(text, lo, hi):
        return -1
    first = text.find("\n", lo, hi)
    found = -1
    for i in reversed(refs.between(first, hi)):
        if refs.form[i] == SPOKEN:
            continue
        if refs.who[i] == before:
            return -1
        if found < 0 and refs.who[i] != speaker:
            found = refs.who[i]
    return found


def _paragraph_before(text: str, line_start: int) -> int:
    """Where the paragraph before the one starting at ``line_start`` starts (blank lines
    skipped), or -1."""
    j = line_start - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return -1 if j < 0 else text.rfind("\n", 0, j) + 1


#: A said-tag whose speaker is described, not named: "one of the hunters says", "the
#: boy answered", "said the dark lord" (someone the turn-taking cannot know).
_DESCRIBED_TAG = re.compile(
    r"[ ]*(?:(?:(?:[Oo]ne|[Ss]ome|[Ee]ach|[Ee]ither) of )?(?:[Tt]he|[Aa]|[Aa]n|[Hh]is|[Hh]er|[Tt]heir|"
    r"[Aa]nother)"
    r"(?:[ ]+[a-z]+){1,3}[ ]+(?:" + trie_pattern(sorted(SPEECH_VERBS)) + r")\b"
    r"|(?:" + trie_pattern(sorted(SPEECH_VERBS)) + r")[ ]+(?:the|a|an|one)[ ])")


#: A verb of speech (words, not a hum, a groan or a laugh) after its subject ("Morgana
#: continues, shaking her head.").
#: narration that ends in a said-verb and a comma or colon: it leads into the quote after it
_LEADS_IN = re.compile(r"\b(?:" + trie_pattern(sorted(SPEECH_VERBS)) + r")[,:][ ]*$")


def _tag_before(text: str, refs: ChapterRefs, lo: int, s: int) -> int:
    """The reference of the one a said-tag right before a quote names ("and Naruto said,
    “…”"), or -1."""
    if _LEADS_IN.search(text, lo, s) is None:
        return -1
    for j in reversed(refs.between(lo, s)):
        if refs.form[j] in (NAME, SUBJECT) and _SPEAKS.match(text, refs.ends[j]):
            return j
    return -1


_SPEAKS = re.compile(r"[ ]+(?:\w+ly[ ]+)?(?:" + trie_pattern((
    "says", "said", "asks", "asked", "adds", "added", "continues", "continued", "goes on",
    "went on", "replies", "replied", "answers", "answered", "explains", "explained", "tells",
    "told", "speaks", "spoke", "whispers", "whispered", "murmurs", "murmured", "insists",
    "insisted", "repeats", "repeated")) + r")\b")


#: A relation noun after a possessive: "her brother", "his dad" is someone else.
_RELATIVE = re.compile(r"[ ]+(?:" + trie_pattern(sorted(
    p for cat in ("platonic_sibling", "platonic_family", "platonic_friend", "platonic_team",
                  "romantic_partner") for p in CUES[cat] if " " not in p)) + r")\b")


#: A said-tag or beat of a capitalised name ("Uzushio hummed").
_NAMED_TAG = re.compile(r"[ ]*[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?[ ]+(?:[a-z]+ly[ ]+)?[a-z]+ed\b")


def _told_by_someone(text: str, e: int, refs: ChapterRefs | None = None) -> bool:
    """The quote ending at ``e`` is followed by a said-tag of someone unnamed (or, given
    the ``refs``, of a name that no person of the cast holds: "Uzushio hummed")."""
    if _DESCRIBED_TAG.match(text, e) is not None:
        return True
    if refs is None:
        return False
    m = _NAMED_TAG.match(text, e)
    return m is not None and _narration_ref(refs, e, m.end()) < 0


def _reply(text: str, spans: Sequence[tuple[int, int]], qi: int, line_start: int,
           speakers: Sequence[int], vocatives: Sequence[int]) -> int:
    """The speaker of an untagged quote that opens the paragraph right after a line of
    dialogue: the one that line called by name ("“You came, Harrington,” Eddie said." /
    "“I said I would.”" is Harrington's), else the speaker of the dialogue line before
    that one, when the two lines before were two people's (paragraphs take turns)."""
    prev = qi - 1
    prev_start = _paragraph_before(text, line_start)
    if spans[prev][0] < prev_start or speakers[prev] < 0:
        return -1  # narration between, or the line before has no known speaker
    sp = speakers[prev]
    if text[spans[prev][1] - 1] not in "\"”’'":
        return sp  # a speech that runs on into a new paragraph
    first = prev
    while first > 0 and spans[first - 1][0] >= prev_start:
        first -= 1
    called = {vocatives[q] for q in range(first, qi)} - {-1, sp}
    if len(called) == 1:
        return called.pop()
    if first == 0 or called:
        return -1
    before = first - 1
    if spans[before][0] < _paragraph_before(text, prev_start) or _told_by_someone(
            text, spans[before][1]):
        return -1
    other = speakers[before]
    return other if other >= 0 and other != sp else -1


def _calling(text: str, refs: ChapterRefs, spans: Sequence[tuple[int, int]], qi: int,
             called: int) -> int:
    """The speaker of an untagged line that opens its paragraph, calls someone by name
    and follows a paragraph of narration: the one other person that paragraph names
    ("… he dropped his jacket over Marco's shoulders." / "“Jean.”" is Marco's), or of
    several, the one its last sentence is about; or -1."""
    s = spans[qi][0]
    line_start = text.rfind("\n", 0, s) + 1
    before = _paragraph_before(text, line_start)
    if text[line_start:s].strip() or before < 0 or (qi > 0 and spans[qi - 1][1] > before):
        return -1
    named = {refs.who[i] for i in refs.between(before, line_start) if refs.form[i] != SPOKEN}
    named.discard(called)
    if len(named) > 1:
        # several: the one its last sentence is about ("Robin slid into the back seat,
        # kicked Dustin's chair, and leaned forward." / "“Four dollars, Steve.”")
        subject = _last_subject(text, refs, refs.breaks, before, line_start, called)
        return subject if subject in named else -1
    return named.pop() if named else -1


def _called(text: str, refs: ChapterRefs, s: int, e: int, speaker: int) -> Iterator[int]:
    """The people a quote calls by name (vocatives), in order."""
    for i in refs.between(s, e):
        if refs.form[i] != SPOKEN or refs.who[i] == speaker:
            continue
        p, q = refs.pos[i], refs.ends[i]
        if (m := HONORIFIC_SUFFIX.match(text, q)) is not None:
            q = m.end()  # "“Dazai-san,” Atsushi called."
        if _VOCATIVE_BEFORE.search(text, max(s, p - 20), p) and _VOCATIVE_AFTER.match(text, q):
            yield refs.who[i]


def _to_group(text: str, low: str, s: int, e: int, called: Sequence[int], speaker: int
              ) -> bool:
    """Whether a quote is said to more than one person: it says so ("you two", "all of
    you"), calls a crowd ("Boys,", "Good morning, my lovely students!") or two people by
    name ("Spock, with me. Bones, meet us there."), or its said-tag says it is said to
    nobody.

    ``low`` is the text in lower case, ``called`` the people the quote calls by name.

    >>> [bool(_GROUP.search(q.lower())) for q in ("Are you two finished?", "Good work, all "
    ...  "of you,", "You absolute idiots.", "I love you all.", "Are you all right?", "I'll "
    ...  "give you two minutes.", "Do you have kids?")]
    [True, True, True, True, False, False, False]
    >>> [_to_group(q, q.lower(), 0, len(q), (), -1) for q in ("“Boys,", "“Kids!", "“Okay, "
    ...  "everyone, sit.", "“Good morning, my lovely students!”", "“Friends?", "“Best "
    ...  "friends,", "“Like people,", "“Thanks, guys,”")]
    [True, True, True, True, False, False, False, True]
    """
    if len(called) > 1 and len(set(called) - {speaker}) > 1:
        return True
    quote = low[s:e]
    if ("you" in quote or "all" in quote) and _GROUP.search(quote):
        return True
    if _CROWD_FIRST.match(quote):
        return True
    core = quote.rstrip(_CLOSING)
    comma = core.rfind(",")
    return (comma >= 0 and _CROWD_LAST.fullmatch(core, comma) is not None) \
        or _TO_NOBODY.match(text, e) is not None


def _told(text: str, refs: ChapterRefs, s: int, e: int, speaker: int) -> int:
    """The person a said-tag names after "to" ("…,” Ann said to Ben", "and then, to Ben,
    “…”"), or -1."""
    for lo, hi in ((e, min(len(text), e + TAG_REACH)), (max(0, s - 30), s)):
        for i in refs.between(lo, hi):
            if refs.form[i] == SPOKEN or refs.who[i] == speaker or refs.ends[i] > hi:
                continue
            if _TO.search(text, max(lo, refs.pos[i] - 6), refs.pos[i]):
                return refs.who[i]
    return -1


def _faced(text: str, refs: ChapterRefs, lo: int, s: int, speaker: int) -> int:
    """The person the beat before a quote (narration from ``lo``, in its paragraph) turns
    the speaker to: the last one named (or "him", "her") right after "toward", "at" or
    "turned to" ("He tilts his head toward you.", "she smiled at Ben"), or -1; not "at
    his side", "next to him".

    >>> [bool(_FACING.search(t)) for t in ("tilted her head toward ", "smiled at ",
    ...  "turned back to ", "feeling charitable toward ", "next to ", "glancing down to ")]
    [True, True, True, False, False, False]
    """
    for i in reversed(refs.between(lo, s)):
        if refs.form[i] not in (NAME, OBJECT) or refs.who[i] == speaker:
            continue
        if _FACING.search(text, max(lo, refs.pos[i] - 40), refs.pos[i]):
            return refs.who[i]
    return -1


_TENDER = re.compile(r"(?i)(?:kiss|hug|embrac|cuddl|touch|hold|held|squeez|strok|cup|"
                     r"nuzzl|caress|brush)")


def _acted_on(text: str, found: Sequence[tuple[int, int, int, int]], starts: Sequence[int],
              lo: int, s: int, speaker: int) -> int:
    """The one the speaker last acts on in the beat before a quote (``[lo, s)``): "He
    leans down and kisses me. “I love you,” he says." is said to the one kissed; or -1."""
    for i in range(bisect.bisect_left(starts, s) - 1, bisect.bisect_left(starts, lo) - 1, -1):
        if found[i][2] == speaker and found[i][3] != speaker \
                and _TENDER.match(text, found[i][0]) is not None:
            return found[i][3]
    return -1


def _reciprocal(text: str, refs: ChapterRefs, vs: int,
                found: list[tuple[int, int, int, int]]) -> bool:
    """"Ann and Ben hugged": two people joined by "and" right before the verb."""
    j = _narration_ref(refs, max(0, vs - 40), vs, last=True)
    if j < 1 or refs.form[j] == SPOKEN or _ADVERB_BEFORE.fullmatch(text, refs.ends[j], vs) is None:
        return False
    i = j - 1
    if refs.form[i] == SPOKEN or _AND_BEFORE.fullmatch(text, refs.ends[i], refs.pos[j]) is None:
        return False
    a, b = refs.who[i], refs.who[j]
    if a == b:
        return False
    found.append((vs, vs + 1, a, b))
    return True


def _self_named(text: str, refs: ChapterRefs, s: int, e: int) -> int:
    """The person a quote says it is ("I'm Ann", "It's Ann.", "This is Ann"), or -1."""
    for i in refs.between(s, e):
        if refs.form[i] == SPOKEN and _SELF.search(text, max(s, refs.pos[i] - 16), refs.pos[i]):
            return refs.who[i]
    return -1


def _exchanges(text: str, spans: Sequence[tuple[int, int]], speakers: list[int],
               vocatives: Sequence[int], refs: ChapterRefs, scene_starts: Sequence[int],
               unnamed: Container[int] = ()) -> dict[int, int]:
    """Two-person exchanges: a run of quotes (close together, one scene) in which exactly
    two people take part (speaking, called by name, or spoken "to"). Untagged lines are
    filled in by turn-taking (a new paragraph is the other person, a second quote in a
    paragraph the same one; a line naming one of them as a vocative is the other's; a line
    someone ``unnamed`` says breaks the chain); returns, per quote of such a run, the other
    person."""
    partners: dict[int, int] = {}
    n = len(spans)
    start = 0
    while start < n:
        end = start + 1
        scene = bisect.bisect_right(scene_starts, spans[start][0])
        while end < n and spans[end][0] - spans[end - 1][1] <= REPLY_REACH \
                and bisect.bisect_right(scene_starts, spans[end][0]) == scene:
            end += 1
        run = range(start, end)
        start = end
        people = {speakers[q] for q in run if speakers[q] >= 0}
        people |= {vocatives[q] for q in run if vocatives[q] >= 0}
        people |= {_told(text, refs, *spans[q], speakers[q]) for q in run} - {-1}
        if len(people) < 2:
            # the ones the narration of the run refers to most (the last named breaks a
            # tie): not whoever it names last ("Illumi still haunted his sleep")
            lo = max(spans[run[0]][0] - CONTEXT_REACH,
                     scene_starts[scene - 1] if scene > 0 else 0)
            seen: Counter[int] = Counter()
            latest: dict[int, int] = {}
            for i in refs.between(lo, spans[run[-1]][1]):
                if refs.form[i] != SPOKEN and refs.who[i] not in people:
                    seen[refs.who[i]] += 1
                    latest[refs.who[i]] = i
            for w in sorted(seen, key=lambda w: (-seen[w], -latest[w]))[:2 - len(people)]:
                people.add(w)
        if len(people) != 2:
            continue
        a, b = sorted(people)
        for q in run:
            if speakers[q] < 0 and vocatives[q] in (a, b):
                speakers[q] = b if vocatives[q] == a else a
        for order in (run, reversed(run)):
            prev = -1
            for q in order:
                if speakers[q] >= 0 or q in unnamed:
                    prev = q
                    continue
                if prev < 0 or speakers[prev] < 0:
                    continue
                lo, hi = sorted((spans[prev][1], spans[q][0]))
                same_paragraph = "\n" not in text[lo:hi]
                speakers[q] = speakers[prev] if same_paragraph else (
                    b if speakers[prev] == a else a)
                prev = q
        for q in run:
            if speakers[q] in (a, b):
                partners[q] = b if speakers[q] == a else a
    return partners


def _chapter(text: str, narr: str, low: str, spans: Sequence[tuple[int, int]],
             refs: ChapterRefs, scenes: Sequence[tuple[int, int]],
             talk: dict[tuple[int, int], int], acts: dict[tuple[int, int], int]
             ) -> ChapterInteractions:
    breaks = refs.breaks
    scene_starts = [a for a, _b in scenes] or [0]
    called = [list(_called(text, refs, s, e, -1)) for s, e in spans]
    vocatives = [c[0] if c else -1 for c in called]
    speakers, told = _speakers(text, narr, spans, refs, breaks, vocatives)
    for qi, (s, e) in enumerate(spans):
        if speakers[qi] < 0:
            speakers[qi] = _self_named(text, refs, s, e)
    unnamed = {qi for qi in told if speakers[qi] < 0}
    for qi in range(len(spans)):
        if speakers[qi] < 0 and vocatives[qi] >= 0 and qi not in unnamed:
            speakers[qi] = _calling(text, refs, spans, qi, vocatives[qi])
    partners = _exchanges(text, spans, speakers, vocatives, refs, scene_starts, unnamed)
    found: list[tuple[int, int, int, int]] = []
    for m in _VERB.finditer(low):
        vs, ve = m.span()
        if narr[vs] == " ":
            continue  # inside dialogue
        word = m.group()
        if word in _RECIPROCAL_VERBS and _reciprocal(text, refs, vs, found):
            continue
        if word not in _VERB_TABLE:
            continue
        particle = _VERB_TABLE[word]
        if particle is not None:
            pm = particle.match(low, ve)
            if pm is None:
                continue
            ve = pm.end()
        k = bisect.bisect_right(breaks, vs)
        sentence_start = breaks[k - 1] if k > 0 else 0
        subj = _narration_ref(refs, max(sentence_start, vs - SUBJECT_REACH), vs, last=True)
        obj = _narration_ref(refs, ve, ve + OBJECT_REACH)
        if subj < 0 or obj < 0:
            continue
        if refs.ends_between(ve, refs.pos[obj]):
            continue
        a, b = refs.who[subj], refs.who[obj]
        if a != b:
            found.append((vs, ve, a, b))
    found.sort()
    act_starts = [f[0] for f in found]
    addressees: list[int] = []
    repliers: list[int] = []  # the one each line was said to, or one of them
    group: set[int] = set()
    counted: set[tuple[int, int]] = set()
    for qi, (s, e) in enumerate(spans):
        sp = speakers[qi]
        line_start = text.rfind("\n", 0, s) + 1
        if sp < 0 and qi > 0 and qi not in unnamed and qi - 1 not in unnamed \
                and repliers[qi - 1] >= 0 \
                and not text[line_start:s].strip() \
                and spans[qi - 1][0] >= _paragraph_before(text, line_start) \
                and text[spans[qi - 1][1] - 1] in "\"”’'" and text[e - 2] != ",":
            # an untagged line right after a line said to someone is their reply (not
            # one whose said-tag names nobody known: "“Fine,” she snaps.")
            sp = speakers[qi] = repliers[qi - 1]
        ad = -1
        if sp >= 0:
            ad = vocatives[qi] if vocatives[qi] != sp else -1
            if ad < 0:
                ad = _told(text, refs, s, e, sp)
            if ad < 0:
                ad = _faced(text, refs, max(line_start, spans[qi - 1][1] if qi > 0 else 0),
                            s, sp)
            if ad < 0:
                # the beat before the quote in its paragraph, or, for a quote that opens
                # its paragraph, the narration paragraph before it ("Sora kissed him back.
                # / “I love you,” Sora said.")
                beat = line_start if text[line_start:s].strip() \
                    else max(0, _paragraph_before(text, line_start))
                ad = _acted_on(text, found, act_starts,
                               max(beat, spans[qi - 1][1] if qi > 0 else 0), s, sp)
            if ad < 0 and qi > 0 and speakers[qi - 1] == sp and repliers[qi - 1] >= 0 \
                    and "\n" not in text[spans[qi - 1][1]:s]:
                # a line going on in the paragraph is said to the one the line before was
                # ("“Nezuko,” Tanjiro said softly. “We're here.”")
                ad = repliers[qi - 1]
            if ad < 0:
                ad = partners.get(qi, -1)
            if ad < 0 and qi > 0:
                # the one the line before was said by, or said to when it was the speaker's
                before = speakers[qi - 1] if speakers[qi - 1] != sp else addressees[qi - 1]
                ad = _turned_to(text, refs, spans[qi - 1][1], s, sp, before)
            scene = bisect.bisect_right(scene_starts, s)
            for qj in (qi - 1, qi + 1):
                if ad >= 0 or not 0 <= qj < len(spans):
                    continue
                other = speakers[qj]
                gap = s - spans[qj][1] if qj < qi else spans[qj][0] - e
                if other >= 0 and other != sp and gap <= REPLY_REACH \
                        and bisect.bisect_right(scene_starts, spans[qj][0]) == scene:
                    ad = other
            if ad < 0 and qi > 0 and speakers[qi - 1] == sp and s - spans[qi - 1][1] <= REPLY_REACH \
                    and bisect.bisect_right(scene_starts, spans[qi - 1][0]) == scene:
                ad = addressees[qi - 1]  # the speaker goes on to the one they spoke to
            if ad < 0:
                floor = max(s - CONTEXT_REACH, scene_starts[scene - 1] if scene > 0 else 0)
                for i in reversed(refs.between(floor, s)):
                    if refs.who[i] != sp and refs.form[i] != SPOKEN:
                        ad = refs.who[i]
                        break
        repliers.append(ad)
        if sp >= 0 and (_to_group(text, low, s, e, called[qi], sp) or (
                qi - 1 in group and speakers[qi - 1] == sp and vocatives[qi] < 0
                and "\n" not in text[spans[qi - 1][1]:s])):
            # said to several, and so is the line going on in its paragraph; one of
            # them (the one found above) may still be the one who answers
            group.add(qi)
            ad = -1
        addressees.append(ad)
        if sp >= 0 and ad >= 0 and sp != ad:
            key = (line_start, sp)
            if key not in counted:  # one turn per speaker and paragraph
                counted.add(key)
                pair = _pair(sp, ad)
                talk[pair] = talk.get(pair, 0) + 1
    for _vs, _ve, a, b in found:
        pair = _pair(a, b)
        acts[pair] = acts.get(pair, 0) + 1
    return ChapterInteractions(starts=tuple(s for s, _e in spans), ends=tuple(e for _s, e in spans),
                               speakers=tuple(speakers), addressees=tuple(addressees),
                               acts=tuple(found))


def build_interactions(doc: Document, people: People, refs: References,
                       layer: CueLayer) -> Interactions:
    """Turns and acts of every chapter, and the counts per pair."""
    narrations: Sequence[str] = doc.get(NARRATION) if doc.has(NARRATION) else doc.texts
    dialogue: Sequence[Sequence[tuple[int, int]]] = (
        doc.get(DIALOGUE) if doc.has(DIALOGUE) else [[] for _ in doc.texts])
    talk: dict[tuple[int, int], int] = {}
    acts: dict[tuple[int, int], int] = {}
    chapters: list[ChapterInteractions] = []
    if len(people.persons) < 2:
        return Interactions(chapters=tuple(ChapterInteractions() for _ in doc.texts))
    for ci, text in enumerate(doc.texts):
        chapters.append(_chapter(text, narrations[ci], layer.chapters[ci].lowered, dialogue[ci],
                                 refs.chapters[ci], people.chapters[ci].scenes, talk, acts))
    return Interactions(chapters=tuple(chapters), talk=MappingProxyType(talk),
                        acts=MappingProxyType(acts))


@component(name="interactions", needs=(PEOPLE, REFERENCES, CUE_LAYER, DIALOGUE, NARRATION),
           provides=(INTERACTIONS,))
def interactions(doc: Document) -> dict[str, object]:
    """Who talks to whom (speaker and addressee of each quote) and who acts on whom."""
    return {INTERACTIONS: build_interactions(doc, doc.need(PEOPLE, People),
                                             doc.need(REFERENCES, References),
                                             doc.need(CUE_LAYER, CueLayer))}

