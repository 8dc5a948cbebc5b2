"""Who says each line, and to whom: the ``interactions`` turns against a hand-made gold.

The gold (``tests/data/dialogue``) is our own writing: 107 short stories in as many
fandoms and styles (third person, first person, reader-inserts, chat logs), each line
of dialogue attributed by hand to its speaker and addressee, as a reader would judge
them, by annotators who read each story whole and did not see the program's answers.
``turns.json`` maps each story
(``stories/<key>.txt``) to its lines in order: ``{"quote", "speaker", "addressee"}``,
where a name is one the story uses, ``"you"`` the reader of a second-person story,
``"I"`` the narrator of a first-person one, and ``null`` nobody (a sign, a word quoted
in narration) or, for an addressee, a group or no one in particular.

A gold name is matched to the person of the cast that the text names so (any of the
person's written names, else a word of one); ``"you"`` and ``"I"`` to the reader and
the narrator of that passage. A gold name the cast does not hold ("the old cook")
counts as nobody. Each line scores as ``ok`` (the right person), ``wrong`` (someone
else), ``none`` (a gold person, no answer) or ``false`` (an answer where the gold has
none); recall is ``ok`` over the gold's persons, precision ``ok`` over the answers.

Lines are aligned by their text, in order: a gold line the dialogue layer no longer
cuts the same way counts as ``unaligned`` (and as a miss).

``python -m ficshelf.evaluate.dialogue [DIR] [--errors]`` prints the JSON report.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ficshelf.importers import parse_path
from ficshelf.understand.document import Document
from ficshelf.understand.interactions import INTERACTIONS, Interactions
from ficshelf.understand.people import PEOPLE, People
from ficshelf.understand.pipeline import Pipeline

__all__ = ["DEFAULT_DIR", "main", "match_name", "score_dialogue", "score_story"]

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "tests" / "data" / "dialogue"
ROLES = ("speaker", "addressee")


def _norm(name: str) -> str:
    return re.sub(r"[^\w ]", "", re.sub(r"\(.*?\)", "", name).casefold()).strip()


def _written_names(doc: Document, people: People) -> list[set[str]]:
    """Each person's names as the text writes them, and their display names."""
    names: list[set[str]] = [set() for _ in people.persons]
    for ci, ev in enumerate(people.chapters):
        text = doc.texts[ci]
        for s, e, who in zip(ev.pos, ev.ends, ev.who, strict=True):
            names[who].add(_norm(text[s:e]))
    for person in people.persons:
        names[person.index].update(_norm(n) for n in (person.name, person.text_name,
                                                      person.canon or "") if n)
    return names


def match_name(name: str | None, people: People, names: Sequence[set[str]], ci: int = 0,
               pos: int = 0) -> list[int]:
    """The people a gold name stands for (``[]``: no one the cast holds).

    >>> from ficshelf.understand.people import PersonRef
    >>> ps = People(persons=(PersonRef(index=0, name="Nakahara Chuuya", text_name="Chuuya"),
    ...                      PersonRef(index=1, name="Dazai Osamu", text_name="Dazai")),
    ...             chapters=())
    >>> names = [{"chuuya", "nakahara chuuya"}, {"dazai"}]
    >>> match_name("Chuuya", ps, names), match_name("Osamu Dazai", ps, names)
    ([0], [1])
    >>> match_name("the old cook", ps, names), match_name(None, ps, names)
    ([], [])
    """
    if name is None:
        return []
    if name == "you":  # the reader, or the named character a second-person story is about
        return [p.index for p in people.persons if p.special == "reader"] or [
            i for i, ns in enumerate(names) if "you" in ns]
    if name == "I":
        n = people.narrator_at(ci, pos) if people.sections else people.narrator
        return [n] if n >= 0 else [p.index for p in people.persons if p.special == "narrator"]
    key = _norm(name)
    exact = [i for i, ns in enumerate(names) if key in ns]
    if exact:
        return exact
    words = set(key.split())
    return [i for i, ns in enumerate(names) if any(words & set(n.split()) for n in ns)]


def score_story(doc: Document, gold: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts per role for one analysed story, and its errors."""
    people: People = doc.get(PEOPLE)
    graph: Interactions = doc.get(INTERACTIONS)
    names = _written_names(doc, people)
    turns = [(ci, s, e, sp, ad) for ci, ch in enumerate(graph.chapters)
             for s, e, sp, ad in ch.turns()]
    counts: dict[str, Any] = {r: dict.fromkeys(("ok", "wrong", "none", "false"), 0) for r in ROLES}
    counts["lines"] = len(gold)
    counts["unaligned"] = 0
    errors: list[dict[str, Any]] = []
    k = 0
    for line in gold:
        j = k
        while j < len(turns) and doc.texts[turns[j][0]][turns[j][1]:turns[j][2]] != line["quote"]:
            j += 1
        if j == len(turns):
            counts["unaligned"] += 1
            for role in ROLES:
                if match_name(line[role], people, names):
                    counts[role]["none"] += 1
            continue
        k = j + 1
        ci, s, _e, sp, ad = turns[j]
        for role, ours in zip(ROLES, (sp, ad), strict=True):
            want = match_name(line[role], people, names, ci, s)
            if not want:
                verdict = "false" if ours >= 0 else None
            elif ours < 0:
                verdict = "none"
            else:
                verdict = "ok" if ours in want else "wrong"
            if verdict is None:
                continue
            counts[role][verdict] += 1
            if verdict != "ok":
                errors.append({"quote": line["quote"][:80], "role": role, "verdict": verdict,
                               "gold": line[role],
                               "ours": people.persons[ours].name if ours >= 0 else None})
    counts["errors"] = errors
    return counts


def _rates(c: Mapping[str, int]) -> dict[str, Any]:
    gold = c["ok"] + c["wrong"] + c["none"]
    answered = c["ok"] + c["wrong"] + c["false"]
    return {**c, "recall": round(c["ok"] / gold, 4) if gold else None,
            "precision": round(c["ok"] / answered, 4) if answered else None}


def score_dialogue(root: Path = DEFAULT_DIR, *, pipeline: Pipeline | None = None,
                   errors: bool = False) -> dict[str, Any]:
    """The report over every story of ``root`` (``turns.json`` and ``stories/``)."""
    if pipeline is None:
        from ficshelf.canon import load_canon
        from ficshelf.understand.run import default_pipeline

        pipeline = default_pipeline(canon=load_canon())
    gold = json.loads((root / "turns.json").read_text(encoding="utf-8"))
    totals: dict[str, dict[str, int]] = {r: dict.fromkeys(("ok", "wrong", "none", "false"), 0)
                                         for r in ROLES}
    lines = unaligned = 0
    per_story: dict[str, Any] = {}
    for key, story in sorted(gold.items()):
        works = parse_path(root / "stories" / f"{key}.txt")
        work = works[0] if isinstance(works, list) else works
        rec = score_story(pipeline.run(Document.from_work(work)), story)
        lines += rec["lines"]
        unaligned += rec["unaligned"]
        for role in ROLES:
            for v, n in rec[role].items():
                totals[role][v] += n
        if errors and rec["errors"]:
            per_story[key] = rec["errors"]
    report: dict[str, Any] = {"stories": len(gold), "lines": lines, "unaligned": unaligned,
                              **{role: _rates(totals[role]) for role in ROLES}}
    if errors:
        report["errors"] = per_story
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ficshelf.evaluate.dialogue",
                                     description="Score speakers and addressees of dialogue.")
    parser.add_argument("root", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--errors", action="store_true", help="list every line scored wrong")
    args = parser.parse_args(argv)
    json.dump(score_dialogue(args.root, errors=args.errors), sys.stdout, indent=1,
              ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
