"""The seed works against ``seeds/gold.json`` (read from ../shared, never copied).

For every seed: every main character is found as a main character with its
aliases, no ``not_characters`` is reported, and POV, reader-insert and tense
are right. With the canon base every alias gold.json lists that the text writes
is required, epithets and codenames too ("the Soldier", "sergeant", "the Black
Widow"). Text only, an alias is required when the text itself ties it to the
character's usual name (a word of a full name it writes, or a nickname of it, or
a lineage: "Clint, son of Edith"); codenames, epithets and given names the text
never ties ("James" for a "Bucky" the text never calls "James Barnes") need the
canon base.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import SEEDS, need_shared
from ficshelf.evaluate.data import load_seeds
from ficshelf.evaluate.match import assign, gold_from_seed, norm
from ficshelf.understand import Analysis, analyze
from ficshelf.understand.names import given_compatible


def _canon() -> Any:
    from ficshelf.canon import load_canon

    return load_canon()  # the canon base ships in the package: a failure to load is a failure


def _cases() -> list[Any]:
    need_shared(SEEDS / "gold.json")
    return list(load_seeds(SEEDS.parent))


def _count(text: str, alias: str, *, any_case: bool = False) -> int:
    flags = re.IGNORECASE if any_case else 0
    return len(re.findall(rf"(?<!\w){re.escape(alias)}(?!\w)", text, flags))


def _linked(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return True
    return len(wa) == 1 and len(wb) == 1 and given_compatible(a, b)


def _required(text: str, aliases: list[str], titles: set[str], *, canon: bool) -> set[str]:
    if canon:
        return {a for a in aliases if _count(text, a, any_case=True)}
    present = [a for a in aliases if a[:1].isupper() and _count(text, a)]
    lineage = {a for a in present if ", " in a}
    names = [a for a in present if norm(a) not in titles and a not in lineage]
    if not names:
        return lineage
    primary = max(names, key=lambda a: _count(text, a))
    keep = {primary}
    grew = True
    while grew:
        grew = False
        for a in names:
            if a not in keep and any(_linked(a, k) for k in keep):
                keep.add(a)
                grew = True
    return keep | lineage


def _check(case: Any, a: Analysis, *, canon: bool, titles: dict[str, set[str]]) -> list[str]:
    problems: list[str] = []
    gold = gold_from_seed(case.gold["characters"])
    preds = list(a.characters)
    match = assign([[c.name, *c.aliases, *([c.canon] if c.canon else [])] for c in preds], gold)
    text = case.work.full_text
    for gi, g in enumerate(gold):
        if g.role != "main":
            continue
        found = [p for p, m in zip(preds, match, strict=True) if m == gi]
        if not found or found[0].role != "main":
            problems.append(f"main character {g.name} not found as main")
            continue
        if canon and found[0].canon is None and g.name != "Reader":
            problems.append(f"{g.name} not linked to a canon tag")
        have = {norm(x) for x in (found[0].name, *found[0].aliases)}
        need = _required(text, list(g.aliases), titles.get(g.name, set()), canon=canon)
        missing = sorted(x for x in need if norm(x) not in have)
        if missing:
            problems.append(f"{g.name}: aliases not found {missing}")
    nots = {norm(n) for n in case.gold.get("not_characters") or ()}
    reported = sorted({x for c in preds for x in (c.name, *c.aliases) if norm(x) in nots})
    if reported:
        problems.append(f"not characters reported: {reported}")
    pov = case.gold["pov"]
    if a.pov is None or a.pov.person != pov["person"] or a.pov.reader_insert != pov["reader_insert"]:
        problems.append(f"pov {a.pov and (a.pov.person, a.pov.reader_insert)} != {pov}")
    if a.tense is None or a.tense.value not in case.gold["tense"]["any_of"]:
        problems.append(f"tense {a.tense and a.tense.value} not in {case.gold['tense']['any_of']}")
    return problems


def _titles(canon: Any) -> dict[str, set[str]]:
    """Gold character -> its codenames and titles per the canon base (e.g. "Captain America")."""
    out: dict[str, set[str]] = {}
    for fandom in canon.all_fandoms():
        for ch in fandom.characters:
            out.setdefault(ch.tag, set()).update(norm(t) for t in ch.titles)
    return out


def test_seeds_text_only() -> None:
    titles = _titles(_canon())
    problems = {}
    for case in _cases():
        p = _check(case, analyze(case.work), canon=False, titles=titles)
        if p:
            problems[case.id] = p
    assert problems == {}


def test_seeds_with_canon() -> None:
    canon = _canon()
    problems = {}
    for case in _cases():
        a = analyze(case.work, canon=canon)
        p = _check(case, a, canon=True, titles=_titles(canon))
        if p:
            problems[case.id] = p
    assert problems == {}


def test_gold_file_is_read_from_shared_not_copied() -> None:
    gold = json.loads(need_shared(SEEDS / "gold.json").read_text(encoding="utf-8"))
    assert len(gold["works"]) == 4
    repo = Path(__file__).resolve().parents[1]
    assert not list(repo.glob("tests/**/gold.json"))
