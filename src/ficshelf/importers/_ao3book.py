"""AO3's download layout, format-neutral: a preface plus a stream of events, assembled into a ``Work``.

AO3's EPUB, MOBI, AZW3 and PDF downloads are all renderings of the HTML
download (otwarchive ``app/views/downloads``), so they share one shape::

    preface     title, "Posted originally on the Archive of Our Own at <work URL>",
                labelled fields (Rating:, Archive Warning:, ..., Series:, Stats:),
                h1 title, "by" author line, Summary / Notes
    chapters    per chapter: heading ("Chapter 2: Title"), Chapter Summary / Chapter Notes,
                the text, Chapter End Notes
    afterword   End Notes, works inspired by this one

Each format's reader finds the preface fields and turns the rest into a flat
list of events (``Heading``, ``Label``, ``Quote``, ``Content``); ``assemble``
builds the ``Work`` from them, so the rules (which notes belong where, how a
chapter heading becomes a title, what AO3's stats say) live in one place.

>>> events = [Label("Summary"), Quote(Block(text="A tale.")), Heading("Chapter 1: Start", kind="chapter"),
...           Content(Block(text="Once.")), Label("Chapter End Notes"), Quote(Block(text="Thanks!")),
...           Heading("Chapter 2", kind="chapter"), Content(Block(text="Twice."))]
>>> w = assemble(Preface(title="T", authors=("a",), fields=(("Stats:", ("Words: 2 Chapters: 2/2",)),)),
...              events, source_format="test")
>>> w.summary, [(c.number, c.title, c.end_notes) for c in w.chapters], w.words, w.complete
('A tale.', [(1, 'Start', 'Thanks!'), (2, None, None)], 2, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3dom import clean, text_of, work_url, work_url_parts
from ficshelf.importers._ao3meta import field_for_label, fields_to_meta
from ficshelf.importers.ao3_download import series_from_links
from ficshelf.model import Chapter, SeriesRef, Work

__all__ = [
    "AO3_TAG_FIELDS",
    "Block",
    "Content",
    "Event",
    "Fallback",
    "Heading",
    "Label",
    "Preface",
    "Quote",
    "assemble",
    "chapter_number_title",
    "field_values",
    "is_field_label",
    "label_key",
    "work_link",
]

AO3_TAG_FIELDS = frozenset(
    {"rating", "warnings", "categories", "fandoms", "relationships", "characters", "freeforms", "collections"}
)

_CHAPTER_HEADING = re.compile(r"^Chapter\s+(\d+)\s*(?:[:.]\s*(.*))?$", re.S | re.I)
_WORK_LINK = re.compile(r"/works/\d+")
_LABELS = {
    "summary": "summary",
    "notes": "notes",
    "chaptersummary": "chapter_summary",
    "chapternotes": "chapter_notes",
    "chapterendnotes": "chapter_end_notes",
    "endnotes": "end_notes",
}


def label_key(text: str) -> str | None:
    """The kind of an AO3 notes label paragraph, or None when the text is not one.

    >>> label_key("Chapter End Notes"), label_key(" Notes "), label_key("Notes on a scandal")
    ('chapter_end_notes', 'notes', None)
    """
    return _LABELS.get(re.sub(r"[^a-z]", "", text.casefold())) if len(text) < 40 else None


def is_field_label(text: str) -> bool:
    """True for AO3's preface field labels ("Rating:", "Archive Warnings:", "Stats:" ...)."""
    t = clean(text)
    return t.endswith(":") and len(t) < 40 and field_for_label(t) is not None


def field_values(label: str, el: Any) -> tuple[tuple[str, ...], tuple[SeriesRef, ...]]:
    """The values of one labelled field held by ``el`` (a ``dd`` or MOBI's ``blockquote``).

    Tag fields give one value per link (a tag may contain a comma); Series gives
    ``SeriesRef``s from the series links; the rest give the text.
    """
    name = field_for_label(label)
    if name in AO3_TAG_FIELDS:
        links = [text_of(a) for a in el.iter("a")]
        values = [v for v in links if v] or [v for v in text_of(el).split(", ") if v]
        return tuple(values), ()
    if name == "series":
        return (text_of(el),), series_from_links(el)
    return (text_of(el),), ()


def work_link(el: Any) -> str | None:
    """The first AO3 work address linked inside ``el``."""
    for a in el.iter("a"):
        href = a.get("href") or ""
        if _WORK_LINK.search(href):
            return href
    return None


def chapter_number_title(heading: str | None, fallback_number: int) -> tuple[int, str | None]:
    """AO3 chapter heading to (number, title): "Chapter 3: Home" -> (3, "Home"); "Chapter 2" -> (2, None).

    >>> chapter_number_title("Chapter 3: Home", 1), chapter_number_title("Prologue", 1), chapter_number_title(None, 4)
    ((3, 'Home'), (1, 'Prologue'), (4, None))
    """
    head = clean(heading)
    if not head:
        return fallback_number, None
    m = _CHAPTER_HEADING.match(head)
    if m:
        n = int(m.group(1))
        return (n if n >= fallback_number else fallback_number), (clean(m.group(2)) or None)
    return fallback_number, head


@dataclass(frozen=True, kw_only=True, slots=True)
class Block:
    """Plain text (ficshelf's paragraph convention) and, when the source had markup, sanitized HTML."""

    text: str
    html: str | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    kind: Literal["preface", "chapter", "hidden", "afterword"] = "chapter"


@dataclass(frozen=True, slots=True)
class Label:
    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    block: Block


@dataclass(frozen=True, slots=True)
class Content:
    block: Block


Event = Heading | Label | Quote | Content


@dataclass(frozen=True, kw_only=True, slots=True)
class Preface:
    """What the preface says: title, authors, labelled fields and the work's address."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    series: tuple[SeriesRef, ...] = ()
    work_url: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Fallback:
    """Package metadata to use where the AO3 layout says nothing (an OPF's dc: fields)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    summary: str | None = None


@dataclass(slots=True)
class _Draft:
    number: int
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    body: Block | None = None


@dataclass(slots=True)
class _State:
    chapters: list[_Draft] = field(default_factory=list)
    pending: _Draft | None = None
    label: str | None = None
    after: bool = False
    work: dict[str, str] = field(default_factory=dict)


def _next_number(state: _State) -> int:
    last = state.chapters[-1].number if state.chapters else 0
    return last + 1


def _on_quote(state: _State, block: Block) -> None:
    key, state.label = state.label, None
    text = block.text.strip()
    if key is None or not text:
        return
    started = bool(state.chapters) or state.pending is not None
    if key in {"summary", "notes"} and not started:
        state.work.setdefault(key, text)
    elif key in {"summary", "notes", "chapter_summary", "chapter_notes"} and not state.after:
        if state.pending is None:
            state.pending = _Draft(number=_next_number(state))
        attr = "summary" if key.endswith("summary") else "notes"
        if getattr(state.pending, attr) is None:
            setattr(state.pending, attr, text)
    elif key == "chapter_end_notes" and state.chapters and state.chapters[-1].end_notes is None:
        state.chapters[-1].end_notes = text
    elif key == "end_notes":
        state.work.setdefault("end_notes", text)


def _run(events: Iterable[Event]) -> _State:
    state = _State()
    for ev in events:
        if isinstance(ev, Heading):
            state.label = None
            if ev.kind == "afterword":
                state.after = True
            elif ev.kind == "preface":
                continue
            elif not state.after:
                number, title = chapter_number_title(ev.text, _next_number(state))
                state.pending = _Draft(number=number, title=None if ev.kind == "hidden" else title)
        elif isinstance(ev, Label):
            state.label = label_key(ev.text)
        elif isinstance(ev, Quote):
            _on_quote(state, ev.block)
        elif isinstance(ev, Content) and not state.after:
            state.label = None
            draft = state.pending or _Draft(number=_next_number(state))
            state.pending = None
            if draft.body is None:
                draft.body = ev.block
            state.chapters.append(draft)
    return state


def assemble(preface: Preface, events: Sequence[Event], *, source_format: str, fallback: Fallback | None = None,
             filename: str = "") -> Work:
    """Build the ``Work`` from a preface and the event stream of an AO3 download."""
    fb = fallback or Fallback()
    shown = filename or "the input"
    state = _run(events)
    chapters = tuple(
        Chapter(number=d.number, title=d.title, summary=d.summary, notes=d.notes, end_notes=d.end_notes,
                text=d.body.text if d.body else "", html=d.body.html if d.body else None)
        for d in state.chapters
    )
    if not chapters:
        raise MalformedFile(f"{shown}: an AO3 download without chapter text; the file may be truncated")
    title = clean(preface.title) or clean(fb.title)
    if not title:
        raise MalformedFile(f"{shown}: an AO3 download without a title")
    meta = fields_to_meta(preface.fields)
    host, work_id = work_url_parts(preface.work_url)
    return Work(
        title=title,
        authors=preface.authors or fb.authors,
        summary=state.work.get("summary") or fb.summary,
        notes=state.work.get("notes"),
        end_notes=state.work.get("end_notes"),
        **meta.work_fields(language=meta.language or fb.language, series=preface.series or meta.series),
        ao3_id=work_id,
        url=work_url(host, work_id),
        source_format=source_format,
        chapters=chapters,
    )
