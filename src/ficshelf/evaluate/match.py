"""Matching predicted characters and pairs with gold ones, by names and aliases; reading
AO3 character and relationship tags as gold.

>>> norm("Mr. Darcy"), norm("the Black Widow"), norm('James "Bucky" Barnes')
('mr darcy', 'black widow', 'james bucky barnes')
>>> tag_names("Sans (Undertale)"), tag_names("CC-2224 | Cody"), tag_names("Helix - Character")
(['Sans'], ['Cody'], ['Helix'])
>>> is_generic_tag("Original Characters"), is_generic_tag("Female Reader - Character")
(True, True)
>>> is_generic_tag("The Angels (Welcome to Night Vale)"), is_generic_tag("The Iron Bull (Dragon Age)")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "GoldChar",
    "GoldRelationship",
    "assign",
    "count_name",
    "gold_from_seed",
    "is_generic_tag",
    "match_people",
    "norm",
    "parse_relationship_tag",
    "shared_words",
    "tag_names",
    "tagged_cast",
    "tokens",
]

_PUNCT = re.compile(r"[^\w\s]+")
_THE = re.compile(r"^(?:the|a|an)\s+")


def norm(name: str) -> str:
    """Case, accents, punctuation and a leading article folded."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = _PUNCT.sub(" ", s.replace("’", "'").replace("'s ", " "))
    s = " ".join(s.split())
    return _THE.sub("", s)


_TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "doctor", "sir", "lady", "lord", "captain", "sergeant", "sheriff", "professor", "agent", "detective", "inspector", "officer", "madame", "mademoiselle", "monsieur", "king", "queen", "prince", "princess", "father", "mother", "aunt", "uncle", "old", "young", "little", "commander", "general", "colonel", "major"])


def tokens(name: str) -> list[str]:
    """Name words without titles or particles."""
    return [t for t in norm(name).split() if t not in _TITLES and len(t) > 1]


_DISAMBIG = re.compile(r"\s*\([^()]*\)\s*$")
_SUFFIX = re.compile(r"\s+-\s+Character$", re.IGNORECASE)
_GENERIC = re.compile(
    r"(?i)\b(?:original|characters?\b|character\(s\)|reader|you\b|ofc|omc|oc\b|everyone|"
    r"rest of|team\b|class\b|pack\b|fan child|squad|family|crew|gang|others|various|"
    r"minor|background|ensemble|cast)")


_GROUP = re.compile(r"^The\s+(?:\S+\s+)*\S+s(?:\s*\([^()]*\))?$")


def is_generic_tag(tag: str) -> bool:
    """A character tag that names a kind or group of people, not one character
    ("Original Characters", "The Hale Pack", "The Argents"). AO3's own markers of
    a character tag ("Mothman (Character)", "Vampire - Character") are not read
    as the word "character".

    >>> [is_generic_tag(t) for t in ("Mothman (Character)", "Vampire - Character",
    ...                              "Original Character(s)", "Werewolf Character(s)")]
    [False, False, True, True]
    """
    bare = _SUFFIX.sub("", re.sub(r"\s*\((?:[Cc]haracter)\)\s*$", "", tag.strip()))
    return bool(_GENERIC.search(bare) or _GROUP.match(tag.strip()))


def tag_names(tag: str) -> list[str]:
    """The names an AO3 character tag gives: disambiguators, "- Character" and
    alternatives with digits (clone numbers) dropped."""
    base = _SUFFIX.sub("", _DISAMBIG.sub("", tag)).strip()
    names = [p.strip() for p in base.split("|")]
    return [n for n in names if n and not re.search(r"\d", n)]


@dataclass(frozen=True, slots=True)
class GoldChar:
    name: str
    aliases: tuple[str, ...]
    role: str = "main"          # "main" | "mentioned" | a data set's own category


def assign(pred_aliases: Sequence[Sequence[str]], gold: Sequence[GoldChar], *,
           token_match: bool = True) -> list[int | None]:
    """For each predicted character (its names), the index of the gold character it is.

    An exact (normalised) alias match wins; otherwise, when ``token_match``, a
    name word that belongs to exactly one gold character (a distinctive given
    name or surname) decides. Ties go to the gold character with more matches.
    """
    exact: dict[str, set[int]] = {}
    owners: Counter[str] = Counter()
    gold_tokens: list[set[str]] = []
    for gi, g in enumerate(gold):
        toks: set[str] = set()
        for a in (g.name, *g.aliases):
            exact.setdefault(norm(a), set()).add(gi)
            toks.update(tokens(a))
        gold_tokens.append(toks)
        owners.update(toks)
    distinctive: dict[str, int] = {}
    for gi, toks in enumerate(gold_tokens):
        for t in toks:
            if owners[t] == 1:
                distinctive[t] = gi
    out: list[int | None] = []
    for names in pred_aliases:
        votes: Counter[int] = Counter()
        for a in names:
            for gi in exact.get(norm(a), ()):
                votes[gi] += 2
        if not votes and token_match:
            for a in names:
                for t in tokens(a):
                    gi2 = distinctive.get(t)
                    if gi2 is not None:
                        votes[gi2] += 1
        out.append(votes.most_common(1)[0][0] if votes else None)
    return out


def gold_from_seed(characters: Mapping[str, Mapping[str, Iterable[str]]]) -> list[GoldChar]:
    out = []
    for role in ("main", "mentioned"):
        for name, aliases in (characters.get(role) or {}).items():
            out.append(GoldChar(name=name, aliases=tuple(aliases), role=role))
    return out


_SPLIT = re.compile(r"\s*/\s*|\s+&\s+|\s*[♥♦♠♣]\s*")
_PREFIX = re.compile(r"(?i)^(?:past|former|implied|background|minor|mentioned|eventual|"
                     r"one-sided|unrequited|pre)[ -]+")
_PLACEHOLDER = re.compile(r"(?i)^(?:unknown|everyone|everybody|other\(s\)|others?|to be added|"
                          r"tba|anyone|no one|nobody|you)$")
_READER = re.compile(r"(?i)\breader\b|^y/n$")

@dataclass(frozen=True, slots=True)
class GoldRelationship:
    """A gold relationship: each member's names (alternatives), the kind."""

    members: tuple[tuple[str, ...], ...]
    kind: str
    acceptable: bool = False
    tag: str = ""


def parse_relationship_tag(tag: str, *, acceptable: bool = False) -> GoldRelationship | None:
    """A gold relationship from an AO3 relationship tag; None when it is not scorable."""
    text = _PREFIX.sub("", tag.strip())
    if "/" in text or "♥" in text or "♠" in text:
        kind = "romantic"
    elif "&" in text or "♦" in text or "♣" in text:
        kind = "platonic"
    else:
        return None
    # "CC-2224 | Cody/Obi-Wan" splits on "/" only outside the "|" alternatives' spaces
    parts = [p for p in _SPLIT.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    members: list[tuple[str, ...]] = []
    for part in parts:
        if _READER.search(part):
            members.append(("Reader",))
            continue
        names = tuple(tag_names(part)) or tuple(n.strip() for n in part.split("|") if n.strip())
        if not names or any(_PLACEHOLDER.match(n) for n in names) or (
                is_generic_tag(part) and not _READER.search(part)):
            return None
        members.append(names)
    return GoldRelationship(members=tuple(members), kind=kind, acceptable=acceptable, tag=tag)


def _full_tokens(names: Iterable[str]) -> list[list[str]]:
    return [t for t in (tokens(n) for n in names) if len(t) >= 2]


def match_people(pred: Sequence[Sequence[str]], gold: Sequence[GoldChar]) -> list[int | None]:
    """``match.assign``, minus matches that rest on a shared surname alone.

    "Mycroft Holmes" is not "Sherlock Holmes": when both sides have full names
    and every full name pair shares only its last word, the match is refused.
    """
    out = assign(pred, gold)
    for i, gi in enumerate(out):
        if gi is None:
            continue
        g = gold[gi]
        if any(norm(a) == norm(b) for a in pred[i] for b in (g.name, *g.aliases)):
            continue
        mine, theirs = _full_tokens(pred[i]), _full_tokens((g.name, *g.aliases))
        if mine and theirs and all((set(x) & set(y) <= {x[-1]} and x[-1] == y[-1])
                                   or not set(x) & set(y) for x in mine for y in theirs):
            out[i] = None
    return out


def _name_words(name: str) -> list[str]:
    return [w for w in name.split() if len(w) > 2 and w[0].isupper()]


def shared_words(cast: Sequence[GoldChar]) -> frozenset[str]:
    """Name words that more than one person of the cast bears ("Hale" of Peter Hale and
    Derek Hale): on its own such a word does not say which of them the text names.

    >>> sorted(shared_words([GoldChar("Peter Hale", ("Peter Hale",)),
    ...                      GoldChar("Derek Hale", ("Derek Hale", "Derek"))]))
    ['Hale']
    """
    owners: Counter[str] = Counter()
    for g in cast:
        owners.update({w for n in (g.name, *g.aliases) for w in _name_words(n)})
    return frozenset(w for w, n in owners.items() if n > 1)


def count_name(text: str, names: Iterable[str], *, shared: Container[str] = frozenset()) -> int:
    """How often the text names someone: the places where it writes one of the names or
    one of their capitalised words of three letters or more (whole words, case as
    written; a full name counts once, not once per word), leaving out words in
    ``shared`` (borne by someone else too: see ``shared_words``).

    >>> count_name("Ann Lee waved. Ann laughed. Lee did not.", ["Ann Lee"])
    3
    >>> count_name("Ann Lee waved. Lee did not. Lee left.", ["Ann Lee"], shared={"Lee"})
    1
    """
    forms = {t for n in names for t in (n, *(w for w in _name_words(n) if w not in shared))}
    if not forms:
        return 0
    alternatives = "|".join(re.escape(t) for t in sorted(forms, key=len, reverse=True))
    return sum(1 for _ in re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", text))


def tagged_cast(characters: Iterable[str], relationships: Iterable[str] = ()) -> list[GoldChar]:
    """The specific people an author's tags name, one ``GoldChar`` each (role "tagged").

    Character tags first (group tags such as "Original Characters" left out), then
    the members of relationship tags: a pairing's people are in the work even when
    the author did not tag them again as characters. A member who is someone
    already listed ("Sherlock" beside "Sherlock Holmes") is not added twice; the
    Reader is not a named person and is left to the reader-insert scores.

    >>> [g.name for g in tagged_cast(["Ann Lee (Show)", "Original Characters"],
    ...                              ["Ann/Bea Cho", "Ann Lee & Reader"])]
    ['Ann Lee', 'Bea Cho']
    """
    gold: list[GoldChar] = []
    seen: set[str] = set()

    def add(names: Sequence[str]) -> None:
        if not names or norm(names[0]) in seen:
            return
        if gold and match_people([list(names)], gold)[0] is not None:
            return
        seen.add(norm(names[0]))
        gold.append(GoldChar(name=names[0], aliases=tuple(names), role="tagged"))

    for t in characters:
        if not is_generic_tag(t):
            add(tag_names(t))
    for tag in relationships:
        parsed = parse_relationship_tag(tag)
        for member in parsed.members if parsed is not None else ():
            if member != ("Reader",):
                add(member)
    return gold
