"""Loaders for the evaluation data in ``../shared`` (read only; nothing is copied).

Each loader yields ``Case`` values: a ``Work`` built from the data set's text,
the split it belongs to (``splits.json``: tune on ``dev`` only; ``test`` works
are read only here, by the evaluation), and the data set's own gold answers.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficshelf.errors import FicshelfError
from ficshelf.model import Chapter, Tags, Work

__all__ = [
    "NARRATOR_PRONOUNS",
    "Case",
    "LitbankDoc",
    "chapters_from_text",
    "litbank_narrator",
    "load_fanfic",
    "load_litbank",
    "load_novels",
    "load_seeds",
    "load_splits",
    "seed_text_fallback",
    "unwrap",
]


@dataclass(frozen=True, slots=True)
class Case:
    """One work to analyse, with its gold answers as the data set gives them."""

    dataset: str
    id: str
    split: str
    work: Work
    gold: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True, slots=True)
class LitbankDoc:
    id: str
    split: str
    text: str
    people: tuple[tuple[int, int], ...]  # PROP_PER spans (start, end)
    #: The first-person narrator's proper names (the coreference chain that holds
    #: most of the I/me/my outside quotes); () for an unnamed narrator, None when
    #: the excerpt has no first-person narrator (or no coreference chains).
    narrator: tuple[str, ...] | None = None


def load_splits(shared: Path) -> dict[str, dict[str, str]]:
    """data set -> item id -> "dev" | "test"."""
    raw = json.loads((shared / "corpus" / "splits.json").read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for name, parts in raw.items():
        if not isinstance(parts, dict):
            continue
        out[name] = {item: split for split, items in parts.items() for item in items}
    return out


_WORK_TEXT = re.compile(r"^(?:Work Text:|Chapter Text)\s*$", re.MULTILINE)


def seed_text_fallback(raw: str, *, title: str = "") -> Work:
    """A work from text copied off an AO3 page: everything after "Work Text:" or
    "Chapter Text" (used when the ao3-text importer cannot read the file)."""
    m = _WORK_TEXT.search(raw)
    body = raw[m.end():] if m else raw
    body = re.sub(r"\n{3,}", "\n\n", body.strip().replace("\r\n", "\n"))
    return Work(title=title or "untitled", chapters=(Chapter(number=1, text=body),))


def load_seeds(shared: Path) -> Iterator[Case]:
    """The seed works with ``gold.json``; read with the importers when they can."""
    from ficshelf.importers import parse_path

    seeds = shared / "seeds"
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))["works"]
    splits = load_splits(shared).get("seeds", {})
    for name, answers in sorted(gold.items()):
        path = seeds / name
        note = "importer"
        try:
            work = parse_path(path)
            if not any(c.text.strip() for c in work.chapters):
                raise ValueError("no chapter text")
        except (FicshelfError, ValueError) as exc:
            work = seed_text_fallback(path.read_text(encoding="utf-8"), title=answers.get("title") or "")
            note = f"fallback reader ({type(exc).__name__})"
        yield Case("seeds", name, splits.get(name, "dev"), work, answers, note)


_CHAPTER_LINE = re.compile(r"^Chapter (\d+)(?::[^\n]*)?$", re.MULTILINE)


def chapters_from_text(text: str) -> tuple[Chapter, ...]:
    """Split a corpus text at its "Chapter N: title" lines (one chapter if none)."""
    marks = list(_CHAPTER_LINE.finditer(text))
    if not marks:
        return (Chapter(number=1, text=text.strip()),)
    chapters = []
    head = text[: marks[0].start()].strip()
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[m.end():end].strip()
        if i == 0 and head:
            body = head + "\n\n" + body
        chapters.append(Chapter(number=int(m.group(1)), text=body))
    return tuple(chapters)


def _records(shared: Path, dataset: str, filename: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(split, record)`` for each record of ``corpus/<dataset>/<filename>`` in a split."""
    splits = load_splits(shared).get(dataset, {})
    with (shared / "corpus" / dataset / filename).open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            split = splits.get(d["id"])
            if split is not None:
                yield split, d


def load_fanfic(shared: Path) -> Iterator[Case]:
    """The fan-fiction corpus; gold = the record's fields (the authors' own tags,
    rating, warnings, ``text_scope``...), the text left out. The ``Work`` carries
    the authors' tags as the archive gives them; the harness analyses the text alone."""
    for split, d in _records(shared, "fanfic", "works.jsonl"):
        tags = Tags(fandoms=tuple(d.get("fandoms") or ()),
                    relationships=tuple(d.get("relationships") or ()),
                    characters=tuple(d.get("characters") or ()),
                    freeforms=tuple(d.get("freeforms") or ()))
        work = Work(title=d.get("title") or "", chapters=chapters_from_text(d["text"]),
                    tags=tags)
        gold = {k: v for k, v in d.items() if k != "text"}
        for key in ("characters", "freeforms", "relationships", "fandoms"):
            gold[key] = list(d.get(key) or [])
        yield Case("fanfic", d["id"], split, work, gold)


def load_novels(shared: Path) -> Iterator[Case]:
    """Public-domain novels with hand-made character lists (``narrative_person``)."""
    for split, d in _records(shared, "novels", "novels.jsonl"):
        text = unwrap(d["text"])
        work = Work(title=d.get("title") or "", chapters=(Chapter(number=1, text=text),))
        yield Case("novels", d["id"], split, work, {
            "characters": d.get("characters") or [],
            "narrative_person": d.get("narrative_person"),
        })


_WRAP = re.compile(r"(?<=\S)[ \t]*\n(?![ \t]*\n)[ \t]*(?=\S)")


def unwrap(text: str) -> str:
    r"""Join hard-wrapped lines (Project Gutenberg) into ficshelf's paragraph form:
    paragraphs separated by a blank line, no line breaks inside a paragraph.

    >>> unwrap("It was a\nfine day.\n\nShe left.")
    'It was a fine day.\n\nShe left.'
    """
    return _WRAP.sub(" ", text.replace("\r\n", "\n"))


_ANN = re.compile(r"^T\d+\tPROP_PER (\d+) (\d+)\t", re.MULTILINE)
_MENTION = re.compile(r"^(T\d+)\t(\w+) (\d+) (\d+)\t(.*)$", re.MULTILINE)
_CHAIN = re.compile(r"^COREF\t(T\d+)\t(\S+)$", re.MULTILINE)
_QUOTE = re.compile(r"[“”\"]")
_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})
NARRATOR_PRONOUNS = 10  # first-person pronouns outside quotes that make a narrator


def litbank_narrator(text: str, ann: str, chains: str, *, least: int = NARRATOR_PRONOUNS
                     ) -> tuple[str, ...] | None:
    r"""The narrator's proper names from LitBank's coreference: the chain with the
    most first-person pronouns outside quotation marks (at least ``least``),
    and the ``PROP_PER`` mentions in it.

    >>> text = "I am Pip . “ Pip , ” said Joe . I ran ."
    >>> ann = "T1\tPRON_PER 0 1\tI\nT2\tPROP_PER 5 8\tPip\nT3\tPROP_PER 13 16\tPip\n"
    >>> ann += "T4\tPRON_PER 32 33\tI\n"
    >>> chains = "COREF\tT1\tPip-1\nCOREF\tT2\tPip-1\nCOREF\tT4\tPip-1"
    >>> litbank_narrator(text, ann, chains, least=2), litbank_narrator(text, ann, chains)
    (('Pip',), None)
    """
    inside: list[tuple[int, bool]] = []  # quote mark offset, inside quotes after it
    state = False
    for m in _QUOTE.finditer(text):
        state = m.group() == "“" or (m.group() == '"' and not state)
        inside.append((m.start(), state))
    starts = [p for p, _ in inside]
    chain = dict(_CHAIN.findall(chains))
    first: dict[str, int] = {}
    names: dict[str, list[str]] = {}
    for tid, kind, a, _b, surface in _MENTION.findall(ann):
        c = chain.get(tid)
        if c is None:
            continue
        if kind == "PROP_PER":
            names.setdefault(c, []).append(surface)
        elif kind == "PRON_PER" and surface.lower() in _FIRST_PERSON:
            k = bisect.bisect_right(starts, int(a)) - 1
            if k < 0 or not inside[k][1]:
                first[c] = first.get(c, 0) + 1
    if not first:
        return None
    best = max(first, key=lambda c: first[c])
    if first[best] < least:
        return None
    return tuple(dict.fromkeys(names.get(best, ())))


def load_litbank(shared: Path) -> Iterator[LitbankDoc]:
    """LitBank excerpts with their proper-name person mentions and first-person
    narrator (coreference layer)."""
    splits = load_splits(shared).get("litbank", {})
    folder = shared / "corpus" / "litbank" / "coref" / "brat"
    for ann in sorted(folder.glob("*_brat.ann")):
        doc_id = ann.name[: -len("_brat.ann")]
        split = splits.get(doc_id)
        if split is None:
            continue
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        marks = ann.read_text(encoding="utf-8")
        spans = tuple(sorted({(int(a), int(b)) for a, b in _ANN.findall(marks)}))
        tsv = ann.parent.parent / "tsv" / ann.name
        narrator = (litbank_narrator(text, marks, tsv.read_text(encoding="utf-8"))
                    if tsv.exists() else None)
        yield LitbankDoc(doc_id, split, text, spans, narrator)
