"""Fandoms: which canon the story's people and places come from, ranked, with evidence.

Two kinds of signal, both looked up in the canon base (``ficshelf.canon``):

* characters: every name the text uses for a character of the ``characters``
  layer (its aliases, not a canonical name a canon link gave it) that names a
  canon character. A name counts for each fandom it can belong to, divided by
  the number of such fandoms (a name unique to one fandom counts fully, "John"
  counts a little everywhere), but not for a canon character whose surname
  contradicts a full name the text gives the same person ("Tobias Marrow", also
  "Tobias", is not Criminal Minds' Tobias Hankel); a full name counts more
  than one word, a common given name less, and a name the canon marks as an everyday word or
  phrase ("Will", "Prince Charming") not at all; the character's mentions count logarithmically and
  main characters more than those only mentioned.
* setting words: the fandoms' keywords found in the text (one case-sensitive
  trie-regex pass, over the keywords whose every word the text writes, for the
  capitalised ones, which must appear as written;
  lower-case ones such as "lightsaber" are looked for only when nothing else
  names a fandom), each distinct word counted once, shared words divided;
  only the opening ``KEYWORD_BUDGET`` characters are searched.

A fandom must also have independent evidence: a full canon name (or two
characters named by one word) that account for ``MIN_SHARE`` of all character
mentions (one distinctive one-word name: twice that share), or two "proper" keywords (capitalised and never written in lower
case in the text, so "Hogwarts" counts and "Hell" does not), or the canon link's
choice: a fandom whose characters the cast was linked to qualifies. The ranked list
keeps fandoms close to the best one; when nothing qualifies, the work is
``Original Work``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ficshelf.canon import CanonBase, Fandom, Setting, canon_key, load_canon
from ficshelf.understand.analysis import Character
from ficshelf.understand.canonlink import surname_conflict
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, distinct, passage
from ficshelf.understand.keys import CHARACTERS
from ficshelf.understand.lexicons import lowered, trie_pattern
from ficshelf.understand.memo import by_identity
from ficshelf.understand.names import TITLES, nickname_groups

__all__ = [
    "FANDOMS",
    "MIN_SCORE",
    "ORIGINAL_WORK",
    "FandomComponent",
    "FandomGuess",
    "Fandoms",
    "rank_fandoms",
    "text_era",
]

FANDOMS = "fandoms"
ORIGINAL_WORK = "Original Work"
MIN_SCORE = 1.0             # below this, no fandom: Original Work
KEEP_SHARE = 0.5            # later fandoms need this share of the best score
MAX_FANDOMS = 3
KEYWORD_WEIGHT = 0.6        # per distinct capitalised keyword (lower-case ones: half,
                            # proper ones, never written in lower case in the text: double)
MAX_LOG_MENTIONS = 5.0      # a character's mentions count as log2(1 + n), at most this
MIN_SHARE = 0.2             # matched characters' share of all character mentions
KEYWORD_BUDGET = 200_000    # characters of the opening chapters searched for setting words
_ROLE = {"main": 1.0, "secondary": 0.7, "mentioned": 0.4}
TIE_SHARE = 0.9             # two adaptations of one canon this close are told apart by era
ERA_MIN = 2                 # words of today's world (or of the 1800s) that date a text


@dataclass(frozen=True, kw_only=True, slots=True)
class FandomGuess:
    tag: str
    confidence: float
    score: float
    evidence: tuple[Evidence, ...] = ()
    #: where and when the canon is set (``ficshelf.canon.SETTINGS``), when its file says
    setting: Setting | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tag": self.tag, "confidence": self.confidence,
                               "score": self.score}
        if self.setting is not None:
            out["setting"] = self.setting
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True, slots=True)
class Fandoms:
    """The ``fandoms`` layer, best first (``Original Work`` alone when none scores)."""

    items: tuple[FandomGuess, ...] = ()

    def __iter__(self) -> Iterator[FandomGuess]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def top(self) -> str:
        return self.items[0].tag if self.items else ORIGINAL_WORK

    def to_dict(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.items]


_WORD = re.compile(r"\w+")
_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True, slots=True)
class _Keywords:
    """Capitalised keywords (matched case-sensitively, as written) and lower-case ones,
    each with the words it is made of."""

    capital_owners: Mapping[str, tuple[Fandom, ...]]
    lower_owners: Mapping[str, tuple[Fandom, ...]]
    words: Mapping[str, frozenset[str]]
    #: each word -> the keywords written with it
    by_word: Mapping[str, tuple[str, ...]]

    def capital(self, present: set[str] | None = None) -> re.Pattern[str]:
        """The capitalised keywords whose words are all in ``present`` (all, if None)."""
        found = self._among(self.capital_owners, present)
        # no assertion before the trie: re then skips quickly to the possible first letters
        return re.compile(trie_pattern(found) + r"(?![\w'’])") if found else _NEVER

    def lower(self, present: set[str] | None = None) -> re.Pattern[str]:
        """The lower-case keywords whose words are all in ``present`` (all, if None)."""
        found = self._among(self.lower_owners, present)
        return re.compile(r"\b" + trie_pattern(found) + r"(?![\w'’])") if found else _NEVER

    def _among(self, owners: Mapping[str, object], present: set[str] | None) -> list[str]:
        # a keyword can match only where the text writes every word of it: one pattern
        # of the few such keywords compiles in microseconds, all 1,500 in a tenth of a second
        if present is None:
            return sorted(owners)
        return sorted({k for w in present & self.by_word.keys() for k in self.by_word[w]
                       if k in owners and self.words[k] <= present})


@by_identity
def _keywords(canon: CanonBase) -> _Keywords:
    capital: dict[str, tuple[Fandom, ...]] = {}
    lower: dict[str, tuple[Fandom, ...]] = {}
    for fandom in canon.all_fandoms():
        for word in fandom.keywords:
            word = word.replace("’", "'")
            target = lower if word == word.lower() else capital
            target.setdefault(word, tuple(canon.fandoms_with_keyword(word)))
    words = {k: frozenset(_WORD.findall(k)) for k in (*capital, *lower)}
    by_word: dict[str, list[str]] = {}
    for k, ws in words.items():
        for w in ws:
            by_word.setdefault(w, []).append(k)
    return _Keywords(capital_owners=MappingProxyType(capital),
                     lower_owners=MappingProxyType(lower), words=MappingProxyType(words),
                     by_word=MappingProxyType({w: tuple(ks) for w, ks in by_word.items()}))


def _opening(doc: Document) -> list[str]:
    """The opening ``KEYWORD_BUDGET`` characters, searched for setting words: whole
    chapters, and the start of the one that crosses it (a 400,000-word work in one
    chapter is not searched to its end)."""
    texts: list[str] = []
    budget = KEYWORD_BUDGET
    for text in doc.texts:
        if budget <= 0:
            break
        texts.append(text if len(text) <= budget else text[:budget])
        budget -= len(text)
    return texts


def _words(texts: Sequence[str]) -> set[str]:
    """Every ``\\w+`` word of ``texts`` (each distinct whitespace-separated token is split
    once: most are plain words already).

    >>> sorted(_words(["Ann's well-being, 2nd", "Ann"]))
    ['2nd', 'Ann', 'being', 's', 'well']
    """
    out: set[str] = set()
    for text in texts:
        for tok in set(text.split()):
            if tok.isalnum():
                out.add(tok)
            else:
                out.update(_WORD.findall(tok))
    return out


def _alias_weight(alias: str) -> float:
    words = alias.split()
    if len(words) >= 2:
        return 1.0
    return 0.3 if alias.casefold() in nickname_groups() else 0.5


@dataclass(slots=True)
class _Score:
    """What one fandom's canon characters and words add up to in a text."""

    characters: float = 0.0
    keywords: float = 0.0
    full_names: int = 0         # characters named by a full canon name
    singles: float = 0.0        # characters named by one word, discounted when shared
    proper_keywords: int = 0    # capitalised keywords the text never writes in lower case
    mentions: int = 0           # mentions of the characters that match
    who: list[tuple[float, Character]] = field(default_factory=list)
    where: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.characters + self.keywords


def _character_scores(chars: Sequence[Character], canon: CanonBase, scores: dict[str, _Score]
                      ) -> int:
    """Add each character's canon matches; return all named characters' mentions."""
    all_mentions = 0
    for ch in chars:
        if ch.name in ("Reader", "Narrator") or ch.mentions <= 0:
            continue
        all_mentions += ch.mentions
        best: dict[str, tuple[float, bool, float]] = {}
        # a full name the text gives refuses a canon character of another surname:
        # "Tobias Marrow" is not Tobias Hankel, though he is "Tobias" too
        fulls = [words for a in ch.aliases if len(words := a.split()) >= 2
                 and words[0].rstrip(".") not in TITLES and words[0] != "the"]
        # the names the text itself uses (a canon link may have renamed the character)
        for alias in ch.aliases[:12] or (ch.name,):
            found = [(f, c) for f, c in canon.characters_named(alias)
                     if not surname_conflict(fulls, c)]
            if not found:
                continue
            single = len(alias.split()) == 1
            fandoms = {f.tag for f, c in found if not c.is_ambiguous(alias)}
            if not fandoms:
                continue
            w = _alias_weight(alias) / len(fandoms)
            for tag in fandoms:
                if w > best.get(tag, (0.0, False, 0.0))[0]:
                    best[tag] = (w, not single, 1.0 / len(fandoms) * (
                        0.5 if alias.casefold() in nickname_groups() else 1.0))
        factor = min(MAX_LOG_MENTIONS, math.log2(1 + ch.mentions)) * _ROLE.get(ch.role, 0.4)
        for tag, (w, full, unit) in best.items():
            sc = scores.setdefault(tag, _Score())
            sc.characters += w * factor
            sc.mentions += ch.mentions
            sc.who.append((w * factor, ch))
            if full:
                sc.full_names += 1
            else:
                sc.singles += unit
    return all_mentions


def _keyword_scores(texts: Sequence[str], layer: CueLayer | None, canon: CanonBase,
                    scores: dict[str, _Score], *, present: set[str] | None,
                    capital: bool = True, lower_case: bool = False) -> None:
    """Add the setting words found in ``texts`` (``_opening``). Capitalised keywords
    are matched as written (one fast case-sensitive pass) when ``capital``; lower-case
    ones when ``lower_case``. Each pass adds only its own words, so a second, lower-case
    pass never counts a capitalised word again. Only keywords whose words are all in
    ``present`` (``_words(texts)``) are looked for; with None, every keyword: the same
    result, slower."""
    kw = _keywords(canon)
    found: dict[str, tuple[int, int, int, tuple[Fandom, ...], bool]] = {}
    sample = range(len(texts))
    cap_rx = kw.capital(present) if capital else _NEVER
    low_rx = kw.lower({w.lower() for w in present} if present is not None else None) \
        if lower_case else _NEVER
    for ci, text in zip(sample, texts, strict=True):
        for m in cap_rx.finditer(text):
            s = m.start()
            if s and (text[s - 1].isalnum() or text[s - 1] in "'’_"):
                continue
            key = m.group().replace("’", "'")
            if key not in found:
                found[key] = (ci, s, m.end(), kw.capital_owners[key], True)
        if lower_case:
            low = layer.chapters[ci].lowered[:len(text)] if layer is not None else lowered(text)
            for m in low_rx.finditer(low):
                key = m.group().replace("’", "'")
                if key not in found and key in kw.lower_owners:
                    found[key] = (ci, m.start(), m.end(), kw.lower_owners[key], False)
    lows = {ci: layer.chapters[ci].lowered[:len(texts[ci])] if layer is not None
            else lowered(texts[ci]) for ci in sample} if found else {}
    for written, (ci, s, e, fandoms, capital) in found.items():
        # "proper": the text never writes it in lower case ("Hogwarts", not "Hell"/"hell")
        proper = capital and not any(
            low.count(written.lower()) > texts[i].count(written) for i, low in lows.items())
        w = KEYWORD_WEIGHT * (1.0 if capital else 0.5) * (2.0 if proper else 1.0) / len(fandoms)
        for f in fandoms:
            sc = scores.setdefault(f.tag, _Score())
            sc.keywords += w
            sc.where.append((ci, s, e))
            if proper and len(fandoms) <= 2:
                sc.proper_keywords += 1


def _qualifies(sc: _Score, all_mentions: int) -> bool:
    """Enough independent evidence: a full canon name, two characters, or proper place words."""
    share = sc.mentions / all_mentions if all_mentions else 0.0
    if sc.full_names >= 1 and share >= MIN_SHARE:
        return True
    if sc.singles >= 1.5 and share >= MIN_SHARE:
        return True
    if sc.singles >= 1.0 and share >= 2 * MIN_SHARE:
        return True
    if sc.proper_keywords >= 2:
        return True
    return sc.proper_keywords >= 1 and (sc.full_names >= 1 or sc.singles >= 1.0)


def _linked(chars: Sequence[Character], canon: CanonBase) -> set[str]:
    """The fandoms whose characters the canon link gave the cast: it chose them."""
    found: set[str] = set()
    for key in {canon_key(ch.canon) for ch in chars if ch.canon is not None}:
        # the name index holds every tag's key: look the tags up there, not fandom by fandom
        found.update(f.tag for f, c in canon.name_index.get(key, ()) if canon_key(c.tag) == key)
    return found


def text_era(layer: CueLayer) -> Setting | None:
    """``contemporary`` when the text has phones and laptops, ``historical`` when it
    has hansoms and telegrams and nothing of today, else None."""
    modern, period = layer.total("modern_life"), layer.total("period")
    if modern >= ERA_MIN and modern > period:
        return "contemporary"
    if period >= ERA_MIN and modern == 0:
        return "historical"
    return None


def _by_era(ranked: list[str], scores: Mapping[str, _Score], base: CanonBase,
            layer: CueLayer | None) -> list[str]:
    """Two adaptations of one canon (one parent) that score alike, one set today and
    one in the past (BBC's Sherlock and Conan Doyle's), are told apart by the era the
    text's everyday things belong to: the one that fits goes first."""
    if layer is None or len(ranked) < 2 \
            or scores[ranked[1]].total < TIE_SHARE * scores[ranked[0]].total:
        return ranked
    first, second = base.fandom_by_tag(ranked[0]), base.fandom_by_tag(ranked[1])
    if first is None or second is None or first.parent is None or first.parent != second.parent \
            or first.setting == second.setting:
        return ranked
    era = text_era(layer)
    if era is not None and second.setting == era:
        return [ranked[1], ranked[0], *ranked[2:]]
    return ranked


def rank_fandoms(doc: Document, chars: Sequence[Character], *, canon: CanonBase | None = None,
                 layer: CueLayer | None = None) -> Fandoms:
    base = canon if canon is not None else load_canon()
    scores: dict[str, _Score] = {}
    all_mentions = _character_scores(chars, base, scores)
    opening = _opening(doc)
    present = _words(opening)
    _keyword_scores(opening, layer, base, scores, present=present)
    # a fandom the canon link chose qualifies: the cast carries its characters' tags
    linked = _linked(chars, base)

    def qualified() -> list[str]:
        return sorted((t for t, sc in scores.items() if t in linked
                       or (sc.total >= MIN_SCORE and _qualifies(sc, all_mentions))),
                      key=lambda t: (-scores[t].total, t))

    ranked = qualified()
    if not ranked:  # a second, slower look: lower-case setting words ("lightsaber")
        _keyword_scores(opening, layer, base, scores, present=present, capital=False,
                        lower_case=True)
        ranked = qualified()
    if not ranked:
        return Fandoms(items=(FandomGuess(tag=ORIGINAL_WORK, confidence=0.5, score=0.0),))
    ranked = _by_era(ranked, scores, base, layer)
    best = max(scores[t].total for t in ranked[:2])
    keep = [t for t in ranked if scores[t].total >= KEEP_SHARE * best][:MAX_FANDOMS]
    total = sum(sc.total for sc in scores.values()) + 1.0
    out: list[FandomGuess] = []
    for tag in keep:
        sc = scores[tag]
        # the two best characters' first passages, then two setting words', each once
        who = [ch.evidence[0] for _s, ch in sorted(sc.who, key=lambda x: -x[0])[:2] if ch.evidence]
        evidence = distinct((*who, *(passage(doc.texts[ci], doc.numbers[ci], s, e)
                                      for ci, s, e in sc.where[:2])))
        fandom = base.fandom_by_tag(tag)
        out.append(FandomGuess(tag=tag, confidence=round(sc.total / total, 2),
                               score=round(sc.total, 2), evidence=evidence,
                               setting=fandom.setting if fandom is not None else None))
    return Fandoms(items=tuple(out))


@dataclass(frozen=True, slots=True)
class FandomComponent:
    """Ranked fandoms from canon character names and setting words, with evidence."""

    canon: CanonBase | None = field(default=None, repr=False)
    name: str = "fandoms"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({CHARACTERS, CUE_LAYER})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({FANDOMS})

    def __call__(self, doc: Document) -> dict[str, object]:
        return {FANDOMS: rank_fandoms(doc, doc.get(CHARACTERS), canon=self.canon,
                                      layer=doc.need(CUE_LAYER, CueLayer))}


fandoms = FandomComponent()
