"""Narrative tense from per-sentence votes of narration verbs (dialogue left out).

One regex pass over each chapter's narration finds finite verbs: forms of
*be/have/do* ("was", "is", "hadn't"), and a verb after a subject pronoun or a
name ("she tilts", "he walked", "you watch"). Each verb votes past or present;
each sentence takes its majority; the work is ``past`` or ``present`` when
that share of voting sentences reaches ``DOMINANT``, else ``mixed``.

>>> tense_of("She walks in. He is there. They smile.")
('present', 0, 3)
>>> tense_of("She walked in. He was there. They smiled. Then he says hi.")
('past', 3, 1)
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

from ficshelf.understand.analysis import Tense, TenseValue
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, passage
from ficshelf.understand.keys import NARRATION, TENSE
from ficshelf.understand.mentions import UPPER
from ficshelf.understand.names import STOP_WORDS
from ficshelf.understand.pipeline import component
from ficshelf.understand.segments import sample_windows

__all__ = ["DOMINANT", "SAMPLE_CHARS", "TENSE", "tense", "tense_of", "tense_votes"]

DOMINANT = 0.7
SAMPLE_CHARS = 400_000      # about 70,000 words of narration

_ADVERBS = ("never|always|just|still|only|also|then|now|even|finally|already|suddenly|quickly|"
            "slowly|quietly|softly|simply|really|barely|almost|nearly|gently|immediately|instantly|"
            "silently|carefully|absently|briefly|abruptly|instead|too|all|both|both|merely|"
            r"\w+ly")
#: The lookahead lists the first letters a vote can start with, before the word boundary:
#: most positions fail on it at once, without trying the alternatives (as ``pov._ALL``).
_VOTES = re.compile(
    rf"(?=[adhistwy{UPPER}])"
    r"\b(?:(?P<past>was|were|had|did|wasn['’]t|weren['’]t|hadn['’]t|didn['’]t)"
    r"|(?P<pres>is|are|am|does|has|isn['’]t|aren['’]t|doesn['’]t|hasn['’]t|don['’]t)"
    rf"|(?P<subj>[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Ww]e|I|[Yy]ou|[{UPPER}]\w+)"
    rf"(?=[ ]+(?:(?:{_ADVERBS})[ ]+)?(?P<verb>[a-z]+(?:['’]t)?)\b))\b"
)
_SENT_END = re.compile(r"[.!?…\n](?:(?<=\n)|[.!?…]*[\"”’)*_]*(?=\s))")  # one class first: fast

_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})
_SINGULAR = frozenset({"he", "she", "it"})
_PAST_AUX = frozenset({"was", "were", "had", "did", "wasn't", "weren't", "hadn't", "didn't",
                       "wasn’t", "weren’t", "hadn’t", "didn’t"})
_PRES_AUX = frozenset({"is", "are", "am", "does", "has", "isn't", "aren't", "doesn't", "hasn't",
                       "don't", "isn’t", "aren’t", "doesn’t", "hasn’t", "don’t", "do", "have"})
_NEUTRAL = frozenset(["would", "could", "should", "might", "must", "will", "can", "may", "shall", "wouldn't", "couldn't", "shouldn't", "won't", "can't", "mustn't", "wouldn’t", "couldn’t", "shouldn’t", "won’t", "can’t", "mustn’t", "to", "and", "or", "but", "nor", "so", "yet", "for", "of", "in", "on", "at", "by", "with", "from", "as", "than", "that", "this", "the", "a", "an", "no", "not", "who", "whom", "which", "what", "when", "where", "while", "if", "though", "because", "all", "both", "each", "too", "also", "both", "either", "neither", "one", "ones", "alone", "together", "here", "there", "again", "once", "twice", "back", "up", "down", "out", "off", "away", "over", "around", "about", "into", "onto", "like", "just", "even", "own", "self", "myself", "yourself", "himself", "herself", "itself", "themselves", "ourselves", "let", "used", "ought", "need", "dare", "got", "get", "gets", "seem", "seems", "seemed"])
_ED_NOT_PAST = frozenset(["need", "needs", "bed", "red", "seed", "speed", "shed", "bleed", "breed", "feed", "proceed", "succeed", "exceed", "greed", "weed", "indeed", "hundred", "naked", "wicked", "sacred", "kindred", "ragged", "rugged", "jagged", "crooked", "beloved", "learned", "wretched", "embed", "bred", "fled", "led", "sped", "wed", "shred"]) - {"bred", "fled", "led", "sped", "wed", "shed"}
_IRREGULAR_PAST = frozenset(["was", "were", "had", "did", "said", "went", "came", "saw", "took", "made", "knew", "thought", "felt", "told", "left", "got", "gave", "found", "stood", "sat", "ran", "began", "brought", "held", "kept", "heard", "meant", "became", "seemed", "left", "lost", "spoke", "wrote", "drove", "rode", "rose", "fell", "flew", "grew", "threw", "drew", "wore", "tore", "swore", "bore", "broke", "chose", "froze", "woke", "shook", "forgot", "forgave", "hid", "bit", "slid", "caught", "taught", "fought", "bought", "sought", "brought", "thought", "spent", "sent", "lent", "bent", "built", "dealt", "dreamt", "leapt", "slept", "swept", "wept", "crept", "knelt", "felt", "smelt", "spelt", "meant", "shot", "lit", "led", "fled", "sped", "bled", "fed", "slept", "sank", "sang", "rang", "drank", "shrank", "swam", "struck", "stuck", "strung", "swung", "hung", "clung", "flung", "slung", "spun", "won", "wound", "ground", "found", "bound", "sold", "told", "understood", "withstood", "overcame", "became", "forbade", "sprang", "stank"])
_NOT_PRESENT_S = frozenset(["is", "was", "has", "his", "this", "its", "us", "as", "yes", "thus", "plus", "always", "perhaps", "towards", "afterwards", "sometimes", "besides", "nevertheless", "whereas", "unless", "less", "across", "nervous", "anxious", "famous", "serious", "various", "obvious", "previous", "curious", "glorious", "gorgeous", "jealous", "ridiculous", "conscious", "unconscious", "dangerous", "enormous", "tremendous", "generous", "numerous", "precious", "delicious", "hilarious", "furious", "cautious", "anonymous", "continuous", "does", "goes"])


def _classify(subj: str | None, verb: str) -> int:
    """+1 past, -1 present, 0 no vote, for a subject and the word after it."""
    v = verb
    if v in _NEUTRAL:
        return 0
    if v in _IRREGULAR_PAST or (v.endswith("ed") and len(v) > 3 and v not in _ED_NOT_PAST):
        return 1
    if v in _PRES_AUX or v in ("does", "goes"):
        return -1
    if subj is None:
        return 0
    s = subj.lower()
    if s in _SINGULAR or s not in _PRONOUNS:
        if v.endswith("s") and not v.endswith("ss") and len(v) > 2 and v not in _NOT_PRESENT_S:
            return -1
        return 0
    # I / you / we / they + a bare verb
    if v.endswith("ing") or v.endswith("ly") or v.endswith("'t") or v.endswith("’t"):
        return 0
    return -1


def tense_votes(narration: str, start: int = 0, end: int | None = None
                ) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """Sentence ends, and ``(sentence index, vote)`` for each voting verb
    (in ``narration[start:end]``; offsets stay the chapter's)."""
    stop = len(narration) if end is None else end
    ends = [m.end() for m in _SENT_END.finditer(narration, start, stop)]
    votes: list[tuple[int, int]] = []
    pos: list[int] = []
    for m in _VOTES.finditer(narration, start, stop):
        kind = m.lastgroup
        if kind == "past":
            v = 1
        elif kind == "pres":
            v = -1
        else:
            subj = m.group("subj")
            if subj[0].isupper() and subj not in ("I",) and subj.lower() not in _PRONOUNS \
                    and subj in STOP_WORDS:
                continue
            v = _classify(subj, m.group("verb"))
            if v == 0:
                continue
        s = bisect.bisect_right(ends, m.start())
        votes.append((s, v))
        pos.append(m.start())
    return ends, pos, votes


def _sentence_tally(votes: Sequence[tuple[int, int]]) -> dict[int, int]:
    tally: Counter[int] = Counter()
    for s, v in votes:
        tally[s] += v
    return {s: (1 if t > 0 else -1) for s, t in tally.items() if t != 0}


def tense_of(narration: str) -> tuple[TenseValue, int, int]:
    """``(value, past sentences, present sentences)`` of one narration text."""
    _, _, votes = tense_votes(narration)
    sents = _sentence_tally(votes)
    past = sum(1 for v in sents.values() if v > 0)
    present = len(sents) - past
    return _decide(past, present), past, present


def _decide(past: int, present: int) -> TenseValue:
    n = past + present
    if n == 0:
        return "past"
    share = past / n
    if share >= DOMINANT:
        return "past"
    if share <= 1 - DOMINANT:
        return "present"
    return "mixed"


@component(name="tense", needs=(NARRATION,), provides=(TENSE,))
def tense(doc: Document) -> dict[str, object]:
    """Past, present or mixed narration, with example sentences as evidence.

    Long works are read in evenly spread windows (``SAMPLE_CHARS`` in all):
    tense is a property of the whole narration, and a sample of that size
    decides it as well as the whole text does, at a fraction of the cost.
    """
    past = present = 0
    examples: dict[int, list[Evidence]] = {1: [], -1: []}
    narrations: Sequence[str] = doc.get(NARRATION)
    for ci, a, b in sample_windows([len(n) for n in narrations], budget=SAMPLE_CHARS,
                                    window=20_000):
        _ends, pos, votes = tense_votes(narrations[ci], a, b)
        sents = _sentence_tally(votes)
        for v in sents.values():
            if v > 0:
                past += 1
            else:
                present += 1
        for (s, v), p in zip(votes, pos, strict=True):
            if sents.get(s) == v and len(examples[v]) < 3:
                ev = passage(doc.texts[ci], doc.numbers[ci], p, p + 1)
                if not examples[v] or examples[v][-1].start != ev.start:
                    examples[v].append(ev)
    value = _decide(past, present)
    if value == "past":
        evidence = examples[1][:3]
    elif value == "present":
        evidence = examples[-1][:3]
    else:
        evidence = examples[1][:2] + examples[-1][:2]
    return {TENSE: Tense(value=value, past=past, present=present, evidence=tuple(evidence))}
