"""What the pipeline concludes about a work, as frozen values with a JSON shape.

``Analysis.to_dict()`` is what appears under ``inferred`` in a work's JSON::

    {"characters": [{"name", "aliases", "mentions", "role", "gender"?, "evidence"}],
     "pov": {"person", "reader_insert", "focal", "confidence", "evidence"},
     "tense": {"value", "past", "present", "evidence"},
     ...}

Later components add more keys: any layer value with a ``to_dict()`` method
that the pipeline marks public is written under its layer name, and
``analysis_from_dict`` keeps keys it does not know as plain JSON.

>>> a = Analysis(characters=(Character(name="Ann", aliases=("Ann",), mentions=3, role="main"),))
>>> analysis_from_dict(a.to_dict()) == a
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Protocol, cast

from ficshelf.understand.evidence import Evidence, evidence_from_dict

__all__ = [
    "Analysis",
    "Character",
    "Jsonable",
    "Person",
    "PointOfView",
    "Role",
    "Tense",
    "TenseValue",
    "analysis_from_dict",
    "named_narrators",
]

Role = Literal["main", "secondary", "mentioned"]
Person = Literal["first", "second", "third"]
TenseValue = Literal["past", "present", "mixed"]
ROLES: tuple[Role, ...] = ("main", "secondary", "mentioned")


class Jsonable(Protocol):
    def to_dict(self) -> Any: ...


def _evs(items: Any) -> tuple[Evidence, ...]:
    return tuple(evidence_from_dict(e) for e in items or ())


@dataclass(frozen=True, kw_only=True, slots=True)
class Character:
    """A character: display name, the names the text uses, mention count, role."""

    name: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    role: Role = "mentioned"
    gender: str | None = None
    canon: str | None = None          # AO3 canonical tag, when a canon base matched
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "aliases": list(self.aliases),
                               "mentions": self.mentions, "role": self.role}
        if self.gender is not None:
            out["gender"] = self.gender
        if self.canon is not None:
            out["canon"] = self.canon
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Character:
        raw = str(d.get("role") or "mentioned")
        role: Role = "mentioned"
        for r in ROLES:
            if r == raw:
                role = r
        return cls(name=str(d["name"]), aliases=tuple(str(a) for a in d.get("aliases") or ()),
                   mentions=int(d.get("mentions") or 0), role=role,
                   gender=d.get("gender"), canon=d.get("canon"), evidence=_evs(d.get("evidence")))


@dataclass(frozen=True, kw_only=True, slots=True)
class PointOfView:
    person: Person = "third"
    reader_insert: bool = False
    focal: tuple[str, ...] = ()
    #: The character who says "I" in first-person narration: their name when the
    #: text gives it, else "Narrator"; None in second and third person.
    narrator: str | None = None
    #: Every character who says "I" somewhere, most first-person words first: more than
    #: one when sections are headed by who tells them ("SIMON", "Bella's POV").
    narrators: tuple[str, ...] = ()
    #: Those sections, as (chapter index, start, end, narrator); "I" outside them is
    #: ``narrator``'s. Not stored: the offsets serve the later components.
    sections: tuple[tuple[int, int, int, str], ...] = ()
    #: Sections whose "you" in the narration is someone of the story (a letter's
    #: addressee), as (chapter index, start, end, name). Not stored either.
    addressed: tuple[tuple[int, int, int, str], ...] = ()
    confidence: float = 0.0
    counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    evidence: tuple[Evidence, ...] = ()

    @property
    def you_name(self) -> str | None:
        """The character a second-person narration calls "you" by name (not a
        reader-insert: "“Tony,” she says. “You didn't sleep.”"), else None."""
        if self.person == "second" and not self.reader_insert and self.focal:
            return self.focal[0]
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"person": self.person, "reader_insert": self.reader_insert,
                "focal": list(self.focal), "narrator": self.narrator,
                "narrators": list(self.narrators),
                "confidence": round(self.confidence, 3),
                "counts": dict(self.counts), "evidence": [e.to_dict() for e in self.evidence]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PointOfView:
        person = str(d.get("person") or "third")
        focal = tuple(str(f) for f in d.get("focal") or ())
        narrator = d.get("narrator")
        if narrator is None and person == "first" and "Narrator" in focal:
            narrator = "Narrator"  # stored before the field existed
        narrators = tuple(str(n) for n in d.get("narrators") or ()) or (
            () if narrator is None else (str(narrator),))
        return cls(person=cast(Person, person if person in ("first", "second", "third") else "third"),
                   reader_insert=bool(d.get("reader_insert")),
                   focal=focal, narrator=None if narrator is None else str(narrator),
                   narrators=narrators,
                   confidence=float(d.get("confidence") or 0.0),
                   counts=MappingProxyType({str(k): int(v) for k, v in (d.get("counts") or {}).items()}),
                   evidence=_evs(d.get("evidence")))


def named_narrators(pov: Mapping[str, Any]) -> list[str]:
    """The narrators a stored ``pov`` names (not the unnamed ``Narrator``).

    >>> named_narrators({"narrator": "Simon Snow", "narrators": ["Simon Snow", "Baz"]})
    ['Simon Snow', 'Baz']
    >>> named_narrators({"narrator": "Narrator"}), named_narrators({"narrator": None})
    ([], [])
    """
    return [str(n) for n in pov.get("narrators") or [pov.get("narrator")]
            if n and n != "Narrator"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Tense:
    value: TenseValue = "past"
    past: int = 0
    present: int = 0
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "past": self.past, "present": self.present,
                "evidence": [e.to_dict() for e in self.evidence]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Tense:
        value = str(d.get("value") or "past")
        return cls(value=cast(TenseValue, value if value in ("past", "present", "mixed") else "mixed"),
                   past=int(d.get("past") or 0), present=int(d.get("present") or 0),
                   evidence=_evs(d.get("evidence")))


@dataclass(frozen=True, kw_only=True, slots=True)
class Analysis:
    """The pipeline's public results. ``extra`` holds later components' values."""

    characters: tuple[Character, ...] = ()
    pov: PointOfView | None = None
    tense: Tense | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def character(self, name: str) -> Character | None:
        """The character with this name or alias (case-insensitive), if any."""
        key = name.casefold()
        for c in self.characters:
            if c.name.casefold() == key or any(a.casefold() == key for a in c.aliases):
                return c
        return None

    def by_role(self, role: Role) -> tuple[Character, ...]:
        return tuple(c for c in self.characters if c.role == role)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"characters": [c.to_dict() for c in self.characters]}
        if self.pov is not None:
            out["pov"] = self.pov.to_dict()
        if self.tense is not None:
            out["tense"] = self.tense.to_dict()
        for key, value in self.extra.items():
            to_dict = getattr(value, "to_dict", None)
            out[key] = to_dict() if callable(to_dict) else value
        return out


def analysis_from_dict(data: Mapping[str, Any]) -> Analysis:
    """Inverse of ``Analysis.to_dict`` (unknown keys are kept as plain JSON in ``extra``)."""
    extra = {k: v for k, v in data.items() if k not in {"characters", "pov", "tense"}}
    return Analysis(
        characters=tuple(Character.from_dict(c) for c in data.get("characters") or ()),
        pov=PointOfView.from_dict(data["pov"]) if data.get("pov") else None,
        tense=Tense.from_dict(data["tense"]) if data.get("tense") else None,
        extra=MappingProxyType(extra),
    )
