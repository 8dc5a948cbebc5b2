"""Loaders for the evaluation data in ``../shared`` (read only; nothing is copied).

Each loader yields ``Case`` values: a ``Work`` built from the data set's text,
the split it belongs to (``splits.json``: tune on ``dev`` only; ``test`` works
are read only here, by the evaluation), and the data set's own gold answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficshelf.errors import FicshelfError
from ficshelf.model import Chapter, Tags, Work

__all__ = [
    "Case",
    "LitbankDoc",
    "chapters_from_text",
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


def load_litbank(shared: Path) -> Iterator[LitbankDoc]:
    """LitBank excerpts with their proper-name person mentions (coreference layer)."""
    splits = load_splits(shared).get("litbank", {})
    folder = shared / "corpus" / "litbank" / "coref" / "brat"
    for ann in sorted(folder.glob("*_brat.ann")):
        doc_id = ann.name[: -len("_brat.ann")]
        split = splits.get(doc_id)
        if split is None:
            continue
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        spans = tuple(sorted({(int(a), int(b)) for a, b in _ANN.findall(
            ann.read_text(encoding="utf-8"))}))
        yield LitbankDoc(doc_id, split, text, spans)
