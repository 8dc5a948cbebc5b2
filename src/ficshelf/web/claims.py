"""The analysis JSON (``understand``'s ``to_dict()``) as a list of claims a page can show.

Each claim has a stable ``key`` (``character-0``, ``relationship-1``, ``rating``,
``pov``...) used in ``?evidence=`` links, a label, the AO3 row it belongs to
(so the work page can put it beside the author's tags of that type), a
confidence when given, and its evidence passages checked against the chapter
texts (a passage whose offsets do not match the text is located by its quote,
or shown without a highlight).

The reader is tolerant of the JSON's shape: every component may be missing,
and list items may be strings or objects with ``tag``/``name``/``value``.

>>> claims = claims_from_analysis({"tense": {"value": "past", "evidence": [
...     {"chapter": 1, "start": 0, "end": 3, "text": "Ann"}]},
...     "freeforms": [{"tag": "Fluff", "confidence": 0.8, "evidence": []}]}, {1: "Ann walked."})
>>> [(c.key, c.row, c.label, len(c.evidence)) for c in claims]
[('freeform-0', 'freeforms', 'Fluff', 0), ('tense', 'style', 'Past tense', 1)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ficshelf.model import relationship_kind, relationship_members
from ficshelf.text import fold_for_match
from ficshelf.understand.analysis import named_narrators

__all__ = ["ROWS", "Claim", "Passage", "agrees", "claims_from_analysis"]

#: Rows of the side-by-side table, in AO3's order, then style.
ROWS: Final = (
    ("rating", "Rating"), ("warnings", "Archive Warnings"), ("categories", "Categories"),
    ("fandoms", "Fandoms"), ("relationships", "Relationships"), ("characters", "Characters"),
    ("freeforms", "Additional Tags"), ("style", "Style"),
)
_MAX_EVIDENCE: Final = 12


@dataclass(frozen=True, slots=True)
class Passage:
    """One evidence passage: chapter number, offsets into its text (``None``
    when they could not be matched) and the quoted text."""

    chapter: int
    start: int | None
    end: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Claim:
    key: str
    row: str
    label: str
    detail: str = ""
    confidence: float | None = None
    evidence: tuple[Passage, ...] = ()


def _label(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        for key in ("tag", "canon", "name", "value", "label", "category", "rating", "warning"):
            v = item.get(key)
            if isinstance(v, str) and v.strip():
                return v
        chars = item.get("characters")
        if isinstance(chars, Sequence) and not isinstance(chars, str):
            sep = " & " if item.get("kind") == "platonic" else "/"
            return sep.join(str(c) for c in chars)
    return ""


def _confidence(item: Any) -> float | None:
    if isinstance(item, Mapping):
        c = item.get("confidence")
        if isinstance(c, int | float) and not isinstance(c, bool):
            return float(c)
    return None


def _passages(item: Any, texts: Mapping[int, str]) -> tuple[Passage, ...]:
    if not isinstance(item, Mapping):
        return ()
    raw = item.get("evidence")
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return ()
    out: list[Passage] = []
    for ev in raw[:_MAX_EVIDENCE]:
        if not isinstance(ev, Mapping):
            continue
        try:
            chapter = int(ev.get("chapter") or 0)
        except (TypeError, ValueError):
            continue
        quote = str(ev.get("text") or "")
        start, end = ev.get("start"), ev.get("end")
        text = texts.get(chapter)
        ok = (isinstance(start, int) and isinstance(end, int) and text is not None
              and 0 <= start < end <= len(text))
        if ok and quote and text is not None and text[start:end] != quote:
            ok = False
        if not ok:
            found = text.find(quote) if text is not None and quote else -1
            start, end = (found, found + len(quote)) if found >= 0 else (None, None)
        elif not quote and text is not None:
            quote = text[start:end]
        if quote or start is not None:
            out.append(Passage(chapter, start, end, quote))
    return tuple(out)


def _items(value: Any) -> list[Any]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    if value is None or value == "":
        return []
    return [value]


def _pov_label(pov: Mapping[str, Any]) -> str:
    person = str(pov.get("person") or "")
    label = f"{person.capitalize()} person" if person else "Point of view"
    if pov.get("reader_insert"):
        label += " (Reader-Insert)"
    named = named_narrators(pov)
    if named:
        label += f", narrated by {' and '.join(named)}"
    return label


def claims_from_analysis(data: Mapping[str, Any] | None, texts: Mapping[int, str]) -> list[Claim]:
    """Claims in table order; ``texts`` maps chapter numbers to chapter text."""
    if not data:
        return []
    claims: list[Claim] = []

    def add_list(field: str, prefix: str, row: str) -> None:
        for i, item in enumerate(_items(data.get(field))):
            label = _label(item)
            if not label:
                continue
            detail = ""
            if isinstance(item, Mapping):
                bits = []
                if item.get("role"):
                    bits.append(str(item["role"]))
                if isinstance(item.get("mentions"), int):
                    bits.append(f"{item['mentions']} mentions")
                aliases = [a for a in _items(item.get("aliases")) if isinstance(a, str) and a != label]
                if aliases:
                    bits.append("also " + ", ".join(aliases[:6]))
                if item.get("kind") in {"romantic", "platonic"}:
                    bits.append(str(item["kind"]))
                detail = " · ".join(bits)
            claims.append(Claim(f"{prefix}-{i}", row, label, detail, _confidence(item),
                                _passages(item, texts)))

    rating = data.get("rating")
    if rating:
        claims.append(Claim("rating", "rating", _label(rating), "", _confidence(rating),
                            _passages(rating, texts)))
    add_list("warnings", "warning", "warnings")
    add_list("categories", "category", "categories")
    add_list("fandoms", "fandom", "fandoms")
    add_list("relationships", "relationship", "relationships")
    add_list("characters", "character", "characters")
    add_list("freeforms", "freeform", "freeforms")
    pov = data.get("pov")
    if isinstance(pov, Mapping):
        focal = [f for f in _items(pov.get("focal")) if isinstance(f, str)]
        claims.append(Claim("pov", "style", _pov_label(pov),
                            ("focal: " + ", ".join(focal)) if focal else "", _confidence(pov),
                            _passages(pov, texts)))
    tense = data.get("tense")
    if isinstance(tense, Mapping) and tense.get("value"):
        claims.append(Claim("tense", "style", f"{str(tense['value']).capitalize()} tense", "",
                            _confidence(tense), _passages(tense, texts)))
    arc = data.get("arc")
    if isinstance(arc, Mapping) and (arc.get("ending") or arc.get("shape")):
        label = f"{str(arc.get('ending')).capitalize()} ending" if arc.get("ending") else "Arc"
        detail = f"shape: {arc['shape']}" if arc.get("shape") else ""
        claims.append(Claim("arc", "style", label, detail, _confidence(arc), _passages(arc, texts)))
    return claims


def _words(name: str) -> set[str]:
    return {w for w in fold_for_match(name).replace('"', " ").split() if len(w) > 1}


def _same_person(short: str, full: str) -> bool:
    """"Mara" and "Mara Quell" are the same person; "Mara" and "Tamara" are not."""
    a, b = _words(short), _words(full)
    return bool(a) and (a <= b or b <= a)


def agrees(claim: Claim, author_tags: Sequence[str]) -> bool:
    """True when the author used the same tag (case, accents and apostrophes
    aside; characters by any of their names; a relationship when its members
    are the author's pairing's members, in any order).

    >>> c = Claim("relationship-0", "relationships", "Orrin/Tamsel")
    >>> agrees(c, ["Tamsel Vey/Orrin de Marle"]), agrees(c, ["Tamsel/Brannoc"])
    (True, False)
    """
    key = fold_for_match(claim.label)
    keys = {fold_for_match(t) for t in author_tags}
    if key in keys:
        return True
    if claim.row == "relationships":
        mine = list(relationship_members(claim.label))
        for tag in author_tags:
            theirs = list(relationship_members(tag))
            if (len(mine) == len(theirs) > 1
                    and (relationship_kind(tag) == relationship_kind(claim.label))
                    and all(any(_same_person(m, t) for t in theirs) for m in mine)
                    and all(any(_same_person(m, t) for m in mine) for t in theirs)):
                return True
        return False
    if claim.row == "characters":
        return any(_same_person(claim.label, t) for t in author_tags)
    return False
