"""AO3 categories from the romantic relationships and the genders of their members.

F/M, M/M, F/F per romantic pair; ``Multi`` when someone has several romantic
partners; ``Other`` when a partner's gender is outside man/woman (a canon
character with they/it pronouns); ``Gen`` when there is no romantic pair.

Gender comes from the canon base when the character is linked to it (a canon
gender outside m/f falls back to the canon pronouns: Good Omens' angel and
demon use "he"), else from the ``characters`` layer (the pronouns after the
name's mentions in the narration), else from the pronouns of the pair's own
passages when the partner's gender is known ("she kissed him": the other is a
man; see ``pair_gender``). A first-person narrator's gender is not guessed that way:
their passages say "I", and every he or she in them is the partner.

The Reader of a reader-insert has no gender in the text. AO3's convention
for reader-inserts is to tag a pairing with a man F/M (and with a woman F/F)
unless the Reader is said to be male; ficshelf follows it: a Reader is
counted as a woman unless the text speaks of "male reader" or calls the
reader "man"/"boy"/"dude"/"sir"/"mister" in a sentence that addresses "you".
That choice is stated in each such category's ``note``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ficshelf.canon import CanonBase, canon_key, load_canon
from ficshelf.model import Category
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence
from ficshelf.understand.memo import by_identity
from ficshelf.understand.people import PEOPLE, People, PersonRef
from ficshelf.understand.relationships import RELATIONSHIPS, Relationship, Relationships

__all__ = [
    "CATEGORIES",
    "READER_NOTE",
    "Categories",
    "CategoriesComponent",
    "CategoryGuess",
    "categories",
    "decide_categories",
    "pair_gender",
    "person_gender",
]

CATEGORIES = "categories"
READER_NOTE = ("the Reader's gender is not given; counted as a woman (AO3's usual tagging "
               "for reader-inserts)")
_MALE_READER = re.compile(r"(?i)\bmale reader\b|\b(?:you|your)\b[^.!?\n]{0,40}\b(?:boyfriend's|"
                          r"husband's)\b(?!\w)|[,“\"]\s*(?:man|boy|dude|sir|mister)[,.!?]"
                          r"[^.!?\n]{0,30}\byou\b")


@dataclass(frozen=True, kw_only=True, slots=True)
class CategoryGuess:
    tag: Category
    confidence: float
    relationships: tuple[str, ...] = ()
    note: str | None = None
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tag": self.tag.value, "confidence": self.confidence,
                               "relationships": list(self.relationships)}
        if self.note:
            out["note"] = self.note
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True, slots=True)
class Categories:
    items: tuple[CategoryGuess, ...] = ()

    def __iter__(self) -> Iterator[CategoryGuess]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def tags(self) -> tuple[Category, ...]:
        return tuple(c.tag for c in self.items)

    def to_dict(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self.items]


@by_identity
def _canon_pronouns(canon: CanonBase) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for fandom in canon.all_fandoms():
        for ch in fandom.characters:
            out.setdefault(canon_key(ch.tag), (ch.gender, ch.pronouns))
    return out


def person_gender(p: PersonRef, doc: Document, *, canon: CanonBase | None = None
                  ) -> tuple[str | None, str | None]:
    """``("m" | "f" | "other" | None, note)`` for a person."""
    if p.special == "reader":
        if any(_MALE_READER.search(t) for t in doc.texts):
            return "m", None
        return "f", READER_NOTE
    if p.canon:
        found = _canon_pronouns(canon if canon is not None else load_canon()).get(
            canon_key(p.canon))
        if found is not None:
            gender, pronouns = found
            if gender in ("m", "f"):
                return gender, None
            first = pronouns.split("/")[0]
            if first == "he":
                return "m", None
            if first == "she":
                return "f", None
            if gender in ("nb", "other"):
                return "other", None
    return p.gender, None


_HE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself)\b")
_SHE = re.compile(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")


def pair_gender(known: str | None, evidence: Sequence[Evidence], *, reader: bool = False
                ) -> str | None:
    """The unknown partner's gender from the pronouns of the pair's own passages.

    With a Reader ("you") the third-person pronouns are the partner's; else, with
    the known partner's gender ``g``: both he and she -> the other is not ``g``;
    only ``g``'s pronouns, repeatedly -> the other is ``g`` too.

    >>> ev = [Evidence(1, 0, 30, "She kissed him before he left.")]
    >>> pair_gender("f", ev), pair_gender(None, ev, reader=True)
    ('m', None)
    """
    m = sum(len(_HE.findall(e.text)) for e in evidence)
    f = sum(len(_SHE.findall(e.text)) for e in evidence)
    if reader or known is None:
        if m >= 2 and m >= 2 * f + 1:
            return "m"
        if f >= 2 and f >= 2 * m + 1:
            return "f"
        return None
    if known not in ("m", "f"):
        return None
    other = "f" if known == "m" else "m"
    mine, theirs = (m, f) if known == "m" else (f, m)
    if theirs >= 1 and mine >= 1:
        return other
    if mine >= 2 and theirs == 0:
        return known
    return None


def _category(g1: str, g2: str) -> Category:
    pair = {g1, g2}
    if "other" in pair:
        return Category.OTHER
    if pair == {"m"}:
        return Category.MM
    if pair == {"f"}:
        return Category.FF
    return Category.FM


def decide_categories(doc: Document, rels: Sequence[Relationship], people: People, *,
                      canon: CanonBase | None = None) -> Categories:
    romantic = [r for r in rels if r.kind == "romantic"]
    if not romantic:
        ev = tuple(e for r in rels[:2] for e in r.evidence[:1])
        return Categories(items=(CategoryGuess(
            tag=Category.GEN, confidence=0.6, evidence=ev,
            note="no romantic relationship found; evidence: the strongest platonic ones"
            if ev else "no romantic relationship found"),))
    found: dict[Category, list[Relationship]] = {}
    notes: dict[Category, str] = {}
    partners: dict[str, set[str]] = {}
    for r in romantic:
        a, b = (people.by_name(n) for n in r.characters)
        if a is None or b is None:
            continue
        partners.setdefault(a.name, set()).add(b.name)
        partners.setdefault(b.name, set()).add(a.name)
        (g1, n1), (g2, n2) = person_gender(a, doc, canon=canon), person_gender(b, doc, canon=canon)
        # (a first-person narrator is "I" in the pair's passages, a named "you" is "you":
        # their he/she is the partner)
        if g1 is None and g2 is not None and a.special not in ("narrator", "you"):
            g1 = pair_gender(g2, r.evidence, reader=b.special in ("reader", "you"))
        elif g2 is None and g1 is not None and b.special not in ("narrator", "you"):
            g2 = pair_gender(g1, r.evidence, reader=a.special in ("reader", "you"))
        if g1 is None or g2 is None:
            continue
        cat = _category(g1, g2)
        found.setdefault(cat, []).append(r)
        if n1 or n2:
            notes[cat] = n1 or n2 or ""
    multi = [n for n, ps in partners.items() if len(ps) >= 2]
    items: list[CategoryGuess] = []
    order = (Category.FM, Category.MM, Category.FF, Category.OTHER)
    for cat in order:
        rs = found.get(cat)
        if not rs:
            continue
        conf = max(r.confidence for r in rs)
        items.append(CategoryGuess(tag=cat, confidence=round(conf, 2),
                                   relationships=tuple(r.tag for r in rs), note=notes.get(cat),
                                   evidence=tuple(e for r in rs for e in r.evidence[:1])))
    if multi:
        rs = [r for r in romantic if set(r.characters) & set(multi)]
        items.append(CategoryGuess(tag=Category.MULTI, confidence=round(
            min(r.confidence for r in rs), 2), relationships=tuple(r.tag for r in rs),
            evidence=tuple(e for r in rs for e in r.evidence[:1])))
    return Categories(items=tuple(items))


@dataclass(frozen=True, slots=True)
class CategoriesComponent:
    """AO3 categories from romantic pairs and genders."""

    canon: CanonBase | None = field(default=None, repr=False)
    name: str = "categories"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({RELATIONSHIPS, PEOPLE})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({CATEGORIES})

    def __call__(self, doc: Document) -> dict[str, object]:
        rels = doc.need(RELATIONSHIPS, Relationships)
        return {CATEGORIES: decide_categories(doc, rels.items, doc.need(PEOPLE, People),
                                              canon=self.canon)}


categories = CategoriesComponent()
