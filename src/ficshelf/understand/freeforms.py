"""Additional ("freeform") tags: conservative rules over cues, the arc and the relationships.

Every tag needs specific, repeated evidence (precision first) and quotes it.
Rules, with densities per thousand words:

* point of view: ``Reader-Insert``, ``Second Person``, ``First Person`` (the ``pov`` layer);
* endings: ``Happy Ending`` / ``Sad Ending`` (the arc's ending, when confident);
* mood: ``Angst`` (sadness words dense and a low valence), ``Fluff`` (soft, warm
  words dense, a positive valence, little violence), ``Humor`` (laughter dense);
* ``Hurt/Comfort``: injury and comfort words both recur;
* romance, only with a romantic relationship: ``Established Relationship``
  (partner words for the pair from the first pages), ``First Kiss``,
  ``Love Confessions`` (a declaration of love: "confessed" alone confesses
  anything), ``Friends to Lovers`` (friend cues for the pair before
  its romantic ones), ``Pining``;
* ``Nightmares``, ``Grief/Mourning`` (and ``Pining``: themes, so they must recur
  through the work, not be named three times in 400,000 words), ``Character Death`` (a main character's
  death, see ``rating``), ``Found Family`` (said in words, with platonic pairs),
  ``Domestic``, ``Soulmates``;
* settings: ``Alternate Universe - Coffee Shop``, ``Alternate Universe -
  College/University`` (several distinct setting words, repeated);
  ``Alternate Universe - Modern Setting``: the things of today's world (phones,
  laptops, texting, the subway) recur in a story whose canon, by its canon file's
  ``setting``, is an invented world, the past or the stars.

Not attempted (it needs knowledge of canon events that the canon base does not
hold): ``Canon Divergence``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ficshelf.model import ArchiveWarning
from ficshelf.understand.analysis import PointOfView
from ficshelf.understand.arc import ARC, Arc
from ficshelf.understand.cuescan import CUE_LAYER, CueLayer
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence, passage
from ficshelf.understand.fandom import FANDOMS, Fandoms
from ficshelf.understand.keys import POV
from ficshelf.understand.pipeline import component
from ficshelf.understand.rating import WARNINGS, Warnings
from ficshelf.understand.relationships import RELATIONSHIPS, Relationships

__all__ = ["FREEFORMS", "TAGS", "FreeformGuess", "Freeforms", "freeforms", "suggest_freeforms"]

FREEFORMS = "freeforms"
#: Every tag the rules below can suggest.
TAGS = ("Reader-Insert", "Second Person", "First Person", "Happy Ending", "Sad Ending", "Angst",
        "Fluff", "Humor", "Hurt/Comfort", "Established Relationship", "First Kiss",
        "Love Confessions", "Friends to Lovers", "Pining", "Nightmares", "Grief/Mourning",
        "Character Death", "Found Family", "Domestic", "Soulmates",
        "Alternate Universe - Coffee Shop", "Alternate Universe - College/University",
        "Alternate Universe - Modern Setting")

ANGST_SAD = 4.0             # sadness words per thousand ...
ANGST_MEAN = 0.1            # ... and a mean valence below this
FLUFF_SOFT = 5.0
FLUFF_MEAN = 0.2
FLUFF_MAX_VIOLENCE = 1.0
HUMOR_LAUGH = 6.0
MOOD_MIN = 8                # hits before a mood density means anything (short texts)
HURT_MIN, COMFORT_MIN = 4, 3
HURT_DENSITY, COMFORT_DENSITY = 1.5, 0.8
ESTABLISHED_BY = 0.15       # share of the story
NIGHTMARES_MIN = 2
GRIEF_MIN = 3
TOPIC_DENSITY = 0.1         # per thousand words: a few funerals in 400,000 words are no theme
DOMESTIC_DENSITY = 2.0
SOULMATE_MIN = 2
SETTING_MIN, SETTING_DISTINCT = 5, 3
MODERN_DENSITY = 0.5        # things of today per thousand words, in a canon set elsewhere
PINING_MIN = 3


@dataclass(frozen=True, kw_only=True, slots=True)
class FreeformGuess:
    tag: str
    confidence: float
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "confidence": self.confidence,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Freeforms:
    items: tuple[FreeformGuess, ...] = ()

    def __iter__(self) -> Iterator[FreeformGuess]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(f.tag for f in self.items)

    def to_dict(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.items]


def _hits(doc: Document, layer: CueLayer, cat: str, limit: int = 2, *,
          spread: bool = True) -> tuple[Evidence, ...]:
    """Evidence for ``cat``: the first hit and, when ``spread``, one from later on."""
    found = [(ci, s, e) for ci, ch in enumerate(layer.chapters) for s, e in ch.spans(cat)]
    if not found:
        return ()
    picks = [found[0]]
    if spread and limit > 1 and len(found) > 1:
        step = max(1, (len(found) - 1) // (limit - 1))
        picks += found[step::step][: limit - 1]
    return tuple(passage(doc.texts[ci], doc.numbers[ci], s, e) for ci, s, e in picks[:limit])


def _distinct(layer: CueLayer, cat: str) -> int:
    seen: set[str] = set()
    for ch in layer.chapters:
        for s, e in ch.spans(cat):
            seen.add(ch.lowered[s:e])
    return len(seen)


def suggest_freeforms(doc: Document, layer: CueLayer, arc_: Arc, rels: Relationships,
                      pov_: PointOfView | None, warnings: Warnings,
                      fandoms: Fandoms | None = None) -> Freeforms:
    words = max(1, layer.words)
    per_k = 1000 / words

    def dense(cat: str) -> float:
        return layer.total(cat) * per_k

    def recurs(cat: str, least: int) -> bool:
        """A theme: at least ``least`` hits, and not thinned out over a long work."""
        return layer.total(cat) >= least and dense(cat) >= TOPIC_DENSITY

    out: list[FreeformGuess] = []

    def add(tag: str, conf: float, evidence: Sequence[Evidence]) -> None:
        assert tag in TAGS, tag
        out.append(FreeformGuess(tag=tag, confidence=round(conf, 2), evidence=tuple(evidence)))

    if pov_ is not None:
        if pov_.reader_insert:
            add("Reader-Insert", 0.9, pov_.evidence[:2])
        if pov_.person == "second":
            add("Second Person", min(0.9, pov_.confidence), pov_.evidence[:2])
        elif pov_.person == "first":
            add("First Person", min(0.9, pov_.confidence), pov_.evidence[:2])
    if arc_.ending == "happy" and arc_.confidence >= 0.6:
        add("Happy Ending", arc_.confidence, arc_.evidence)
    elif arc_.ending == "sad" and arc_.confidence >= 0.5:
        add("Sad Ending", arc_.confidence, arc_.evidence)
    if layer.total("sad") >= MOOD_MIN and dense("sad") >= ANGST_SAD and arc_.mean < ANGST_MEAN:
        add("Angst", min(0.9, 0.4 + 0.05 * dense("sad")), _hits(doc, layer, "sad", 3))
    if (layer.total("fluff") >= MOOD_MIN and dense("fluff") >= FLUFF_SOFT
            and arc_.mean >= FLUFF_MEAN
            and dense("violence") < FLUFF_MAX_VIOLENCE):
        add("Fluff", min(0.9, 0.4 + 0.04 * dense("fluff")), _hits(doc, layer, "fluff", 3))
    if layer.total("humor") >= MOOD_MIN and dense("humor") >= HUMOR_LAUGH:
        add("Humor", min(0.8, 0.3 + 0.05 * dense("humor")), _hits(doc, layer, "humor", 3))
    if (layer.total("hurt") >= HURT_MIN and layer.total("comfort") >= COMFORT_MIN
            and dense("hurt") >= HURT_DENSITY and dense("comfort") >= COMFORT_DENSITY):
        add("Hurt/Comfort", 0.6, _hits(doc, layer, "hurt", 1) + _hits(doc, layer, "comfort", 1))
    romantic = rels.romantic()
    if romantic:
        first_partner = min((r.first.get(c, 1.0) for r in romantic
                             for c in ("romantic_partner", "romantic_couple")), default=1.0)
        partner_weight = sum(r.cues.get("romantic_partner", 0.0) + r.cues.get("romantic_couple", 0.0)
                             for r in romantic)
        if first_partner <= ESTABLISHED_BY and partner_weight >= 3.0:
            add("Established Relationship", 0.5, romantic[0].evidence[:2])
        if layer.total("first_kiss"):
            add("First Kiss", 0.7, _hits(doc, layer, "first_kiss", 1))
        if layer.total("confession"):
            add("Love Confessions", 0.5, _hits(doc, layer, "confession", 2))
        for r in romantic:
            friend = r.first.get("platonic_friend")
            if (friend is not None and r.cues.get("platonic_friend", 0.0) >= 3.0
                    and friend < r.first.get("romantic_kiss", r.first.get("romantic_love", 1.0))):
                add("Friends to Lovers", 0.5, r.evidence[:2])
                break
        if recurs("pining", PINING_MIN):
            add("Pining", 0.5, _hits(doc, layer, "pining", 2))
    if recurs("nightmare", NIGHTMARES_MIN):
        add("Nightmares", 0.7, _hits(doc, layer, "nightmare", 2))
    if recurs("grief", GRIEF_MIN):
        add("Grief/Mourning", 0.6, _hits(doc, layer, "grief", 2))
    death = [w for w in warnings if w.tag is ArchiveWarning.MAJOR_CHARACTER_DEATH]
    if death:
        add("Character Death", death[0].confidence, death[0].evidence)
    platonic = [r for r in rels if r.kind == "platonic"]
    if layer.total("found_family") and len(platonic) >= 2:
        add("Found Family", 0.5, _hits(doc, layer, "found_family", 2))
    if layer.total("domestic") >= MOOD_MIN // 2 and dense("domestic") >= DOMESTIC_DENSITY \
            and (romantic or platonic) \
            and dense("violence") < FLUFF_MAX_VIOLENCE:
        add("Domestic", 0.5, _hits(doc, layer, "domestic", 2))
    if layer.total("soulmate") >= SOULMATE_MIN:
        add("Soulmates", 0.7, _hits(doc, layer, "soulmate", 2))
    if layer.total("coffee_shop") >= SETTING_MIN and _distinct(layer, "coffee_shop") >= SETTING_DISTINCT:
        add("Alternate Universe - Coffee Shop", 0.6, _hits(doc, layer, "coffee_shop", 2))
    if layer.total("college") >= SETTING_MIN and _distinct(layer, "college") >= SETTING_DISTINCT:
        add("Alternate Universe - College/University", 0.5, _hits(doc, layer, "college", 2))
    setting = fandoms.items[0].setting if fandoms else None
    if setting in ("fantasy", "historical", "science fiction") \
            and layer.total("modern_life") >= SETTING_MIN \
            and _distinct(layer, "modern_life") >= SETTING_DISTINCT \
            and dense("modern_life") >= MODERN_DENSITY:
        add("Alternate Universe - Modern Setting", 0.5, _hits(doc, layer, "modern_life", 2))
    return Freeforms(items=tuple(out))


@component(name="freeforms", needs=(CUE_LAYER, ARC, RELATIONSHIPS, POV, WARNINGS, FANDOMS),
           provides=(FREEFORMS,))
def freeforms(doc: Document) -> dict[str, object]:
    """Additional tags with confidence and evidence (conservative rules)."""
    pov_ = doc.get(POV)
    return {FREEFORMS: suggest_freeforms(
        doc, doc.need(CUE_LAYER, CueLayer), doc.need(ARC, Arc),
        doc.need(RELATIONSHIPS, Relationships), pov_ if isinstance(pov_, PointOfView) else None,
        doc.need(WARNINGS, Warnings), doc.need(FANDOMS, Fandoms))}
