"""Matching predicted characters with gold ones, by names and aliases.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "GoldChar",
    "assign",
    "is_generic_tag",
    "norm",
    "tag_names",
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
    ("Original Characters", "The Hale Pack", "The Argents")."""
    return bool(_GENERIC.search(tag) or _GROUP.match(tag.strip()))


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
