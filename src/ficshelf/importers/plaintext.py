"""Plain text and Markdown: ``.txt``, ``.md`` and pasted prose.

Where the metadata comes from, first found wins:

- a front matter block between ``---`` lines (YAML-like: ``title:``, ``author:``,
  ``fandom:``, ``rating:``, ``relationships:``, ``characters:``, ``tags:``,
  ``summary:`` ...; lists as ``[a, b]``, ``- a`` lines or ``a, b``; ``|``/``>``
  blocks), or the same ``Key: value`` lines at the top without the fences;
- the title from a Markdown ``# Heading``, a first short line standing alone (or
  right over a ``by Name`` line that ends its paragraph), or else the file name (so
  an untitled reader-insert post still imports);
- a ``by Name`` line under the title for the authors.

Authors' notes that sites put into the story text ("Disclaimer: I don't own
Naruto", "A/N: thanks for the reviews!!") become notes, not story: paragraphs that
open a chapter with such a label, and the last paragraphs of a chapter from such a
label on (``split_notes``); the notes of a one-chapter text are the work's.

Chapters start at ``## `` headings (``# `` when the title came from elsewhere)
or at lines like "Chapter 3", "Chapter Three: The Storm", "Prologue". Markdown
emphasis stays in the text as written. Bytes are decoded robustly (BOMs,
UTF-8/16, cp1252) and mojibake is repaired with ftfy.

>>> w = parse(b"---\\ntitle: Salt\\nfandom: Original Work\\n---\\n\\n## One\\n\\nSea.\\n\\n## Two\\n\\nShore.", filename="s.md")
>>> w.title, w.tags.fandoms, [(c.title, c.text) for c in w.chapters]
('Salt', ('Original Work',), [('One', 'Sea.'), ('Two', 'Shore.')])
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3meta import field_for_label, fields_to_meta
from ficshelf.importers._textlines import (
    decode_text,
    detect_baseline,
    is_blank,
    lines_to_text,
    looks_binary,
    looks_like_markup,
    split_lines,
    title_from_filename,
)
from ficshelf.model import Chapter, SeriesRef, Work
from ficshelf.text import is_scene_break, normalize_space

__all__ = ["NAME", "parse", "parse_front_matter", "sniff", "split_notes"]

NAME = "text"

_TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md", ".markdown", ".mdown", ".mkd"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})


def sniff(head: bytes, *, filename: str) -> bool:
    """Any readable text with a text suffix (or none) that is not an HTML/XML document."""
    if PurePath(filename).suffix.lower() not in _TEXT_SUFFIXES:
        return False
    if looks_binary(head):
        return False
    text = decode_text(head, partial=True)
    return bool(text.strip()) and not looks_like_markup(text)


# --- front matter -------------------------------------------------------------------

_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 '’_\-]{0,40}?)\s*:(?:\s+(?P<value>.*?)|\s*)$")
_ITEM = re.compile(r"^\s*[-*]\s+(?P<item>.*)$")
_FENCE = re.compile(r"^(?:---|\+\+\+)\s*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.|\+\+\+)\s*$")
_WORK_KEYS = frozenset({
    "title", "author", "authors", "creator", "creators", "by", "summary", "description", "notes",
    "note", "endnotes", "published", "updated", "date", "words", "chapters", "complete", "status",
    "url", "link", "source", "kudos", "hits", "bookmarks", "comments",
})
_LIST_FIELDS = frozenset({"warnings", "categories", "fandoms", "relationships", "characters", "freeforms",
                          "collections"})


def _norm_key(key: str) -> str:
    return re.sub(r"[^a-z]", "", key.casefold())


def _known_key(key: str) -> bool:
    k = _norm_key(key)
    return k in _WORK_KEYS or field_for_label(key) is not None


def _unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
        if value.strip()[0] == '"':
            v = v.replace('\\"', '"').replace("\\n", "\n")
    return v


def _split_list(value: str) -> list[str]:
    v = value.strip()
    if v.startswith("[") and v.endswith("]"):
        v = v[1:-1]
    return [_unquote(p) for p in v.split(",") if p.strip()]


def parse_front_matter(lines: Sequence[str]) -> dict[str, str | list[str]]:
    """``key: value`` lines, ``- item`` lists and ``|``/``>`` blocks (a forgiving YAML subset).

    >>> parse_front_matter(["title: A: B", "tags:", "  - x", "  - y", "summary: >", "  one", "  two"])
    {'title': 'A: B', 'tags': ['x', 'y'], 'summary': 'one two'}
    """
    out: dict[str, str | list[str]] = {}
    key: str | None = None
    block: str | None = None  # "|" or ">" while reading an indented block
    buf: list[str] = []

    def flush() -> None:
        nonlocal block
        if key is not None and block is not None:
            if block == "|":
                out[key] = "\n".join(buf).strip("\n")
            else:
                paras = "\n".join(buf).split("\n\n")
                out[key] = "\n\n".join(" ".join(p.split()) for p in paras).strip()
        block = None
        buf.clear()

    for raw in lines:
        if block is not None and (not raw.strip() or raw[:1].isspace()):
            buf.append(raw.strip())
            continue
        flush()
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        item = _ITEM.match(raw)
        if item and key is not None:
            current = out.get(key)
            items = current if isinstance(current, list) else []
            items.append(_unquote(item["item"]))
            out[key] = items
            continue
        m = _KEY.match(raw.strip())
        if not m:
            if key is not None and isinstance(out.get(key), str) and raw[:1].isspace():
                out[key] = f"{out[key]} {raw.strip()}".strip()
            continue
        key = m["key"].strip().casefold()
        value = (m["value"] or "").strip()
        if value in {"|", ">", "|-", ">-", "|+", ">+"}:
            block = value[0]
            continue
        if value.startswith("[") and value.endswith("]"):
            out[key] = _split_list(value)
        else:
            out[key] = _unquote(value)
    flush()
    return out


def _front_matter(lines: list[str]) -> tuple[dict[str, str | list[str]], int, bool]:
    """The metadata block at the top, the index of the first line after it, whether it was fenced."""
    i = 0
    while i < len(lines) and is_blank(lines[i]):
        i += 1
    if i < len(lines) and _FENCE.match(lines[i].strip()):
        for j in range(i + 1, min(len(lines), i + 400)):
            if _FENCE_END.match(lines[j].strip()):
                fm = parse_front_matter(lines[i + 1 : j])
                if fm:
                    return fm, j + 1, True
                break
    # Unfenced "Key: value" lines at the very top, all with keys we know.
    j = i
    while j < len(lines) and not is_blank(lines[j]):
        m = _KEY.match(lines[j].strip())
        if not ((m and _known_key(m["key"])) or (j > i and _ITEM.match(lines[j]))):
            break
        j += 1
    block = lines[i:j]
    if j > i and (j == len(lines) or is_blank(lines[j])):
        fm = parse_front_matter(block)
        keys = {_norm_key(k) for k in fm}
        if len(fm) >= 2 or "title" in keys:
            return fm, j, False
    return {}, 0, False


# --- headings and chapters ------------------------------------------------------------

_ATX = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(?:=+|-+)\s*$")
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
)
_CHAPTER_LINE = re.compile(
    r"^(?:chapter|ch\.)\s+(?P<n>\d{1,4}|[ivxlcdm]{1,8}|(?:" + _NUMBER_WORDS + r")(?:[\s-]+\w+)?)"
    r"\s*(?:[:.\-–—]\s*(?P<title>.*))?$",
    re.I,
)
_PRO_EPI = re.compile(r"^(?:prologue|epilogue|interlude)(?:\s*[:.\-–—]\s*.*)?$", re.I)
_BYLINE = re.compile(r"^(?:by|written by|author:)\s+(?P<names>.+)$", re.I)
_LABEL_LINE = re.compile(r"^(?P<label>Summary|Notes|Author'?s Notes?|A/N|Disclaimer)\s*:\s*(?P<rest>.*)$",
                         re.I)
#: An author's note or disclaimer opening a paragraph of a chapter ("A/N: thanks for
#: the reviews!!", "(A/N - ...)", "**Author's Note:**", "Disclaimer: I don't own Naruto").
_NOTE_PARAGRAPH = re.compile(r"^[(\[*_]*\s*(?:A/N|Author['’]?s\s+Notes?|Disclaimer)\b[*_]*\s*[:\-–—.)]",
                             re.I)
NOTE_TAIL = 3  # an author's note closing a chapter starts in its last paragraphs
_TITLE_END = re.compile(r"[.,;:…—\-]$|[.!?…,—–-][\"”’']$")  # a sentence or a line of dialogue
_TITLE_START = re.compile(r"^[\"“‘'—\-(\[*_>]")


def _chapter_title(heading: str) -> str | None:
    """ "Chapter 3: The Storm" -> "The Storm"; "Chapter 3" -> None; "Prologue" -> "Prologue"."""
    m = _CHAPTER_LINE.match(heading)
    if m:
        return (m["title"] or "").strip() or None
    return heading.strip() or None


@dataclass(kw_only=True)
class _Doc:
    title: str | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None
    notes: str | None = None
    markdown: bool = False
    heads: list[tuple[int, str | None]] = field(default_factory=list)  # line index, chapter title


def _standalone(lines: Sequence[str], i: int) -> bool:
    before = i == 0 or is_blank(lines[i - 1])
    after = i + 1 >= len(lines) or is_blank(lines[i + 1])
    return before and after


def _first_filled(lines: Sequence[str], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if not is_blank(lines[i])), None)


def _take_title(lines: list[str], start: int, doc: _Doc, *, have_title: bool) -> int:
    """Title (and byline) at the top of the body; returns where the body starts."""
    i = _first_filled(lines, start)
    if i is None:
        return start
    line = lines[i].strip()
    atx = _ATX.match(line)
    if atx and len(atx["hashes"]) == 1:
        doc.markdown = True
        if not have_title:
            doc.title = atx["text"] or None
        i += 1
    elif (i + 1 < len(lines) and _SETEXT.match(lines[i + 1].strip()) and lines[i + 1].strip().startswith("=")
          and len(line) <= 120):
        doc.markdown = True
        if not have_title:
            doc.title = line
        i += 2
    elif not have_title and _looks_like_title(lines, i):
        doc.title = line
        i += 1
    else:
        return start
    j = _first_filled(lines, i)
    if j is not None and (by := _BYLINE.match(lines[j].strip())) and len(lines[j]) <= 200:
        if not doc.authors:
            doc.authors = tuple(a.strip() for a in re.split(r",\s*|\s+and\s+|\s*&\s*", by["names"]) if a.strip())
        i = j + 1
    return i


def _looks_like_title(lines: Sequence[str], i: int) -> bool:
    line = lines[i].strip()
    words = line.split()
    # standing alone, or over a byline that ends the paragraph ("The Long Road" /
    # "by Wenna Marsh"; not a hard-wrapped "Ann walked home" / "by the river, and ...")
    byline = (i + 1 < len(lines) and _BYLINE.match(lines[i + 1].strip()) is not None
              and (i + 2 >= len(lines) or is_blank(lines[i + 2])))
    if not (0 < len(words) <= 12 and len(line) <= 80) or not (
            _standalone(lines, i) or (byline and (i == 0 or is_blank(lines[i - 1])))):
        return False
    if _TITLE_START.match(line) or _TITLE_END.search(line) or is_scene_break(line) or _ATX.match(line):
        return False
    if _CHAPTER_LINE.match(line) or _PRO_EPI.match(line) or _LABEL_LINE.match(line):
        return False
    # something must follow: a title over nothing is the text itself
    return _first_filled(lines, i + 1) is not None


def _labelled_blocks(lines: list[str], start: int, doc: _Doc) -> int:
    """ "Summary: ..." / "Notes: ..." paragraphs right under the title."""
    i = start
    while True:
        j = _first_filled(lines, i)
        if j is None:
            return i
        m = _LABEL_LINE.match(lines[j].strip())
        if not m:
            return i
        body: list[str] = [m["rest"]] if m["rest"].strip() else []
        k = j + 1
        if not body:  # label alone on its line: the next paragraph
            k2 = _first_filled(lines, k)
            k = k2 if k2 is not None else k
        while k < len(lines) and not is_blank(lines[k]):
            body.append(lines[k])
            k += 1
        if m["label"].casefold() == "disclaimer":  # the label is part of what it says
            body = [lines[j].strip(), *lines[j + 1:k]]
        text = lines_to_text(body, baseline=1, scene_gap=2) or None
        if m["label"].casefold() == "summary":
            doc.summary = doc.summary or text
        elif text:
            doc.notes = f"{doc.notes}\n\n{text}" if doc.notes else text
        i = k
        # the separator an author puts between the notes and the story
        after = _first_filled(lines, i)
        if after is not None and is_scene_break(lines[after]):
            i = after + 1


def split_notes(text: str) -> tuple[str | None, str, str | None]:
    """``(notes, story, end notes)`` of a chapter's text: a paragraph that opens it with
    "A/N:", "Author's Note:" or "Disclaimer:" is a note, and so is everything from
    such a paragraph among the last ``NOTE_TAIL`` to the end; the separators between
    the notes and the story go with the notes. A chapter that is nothing but notes
    is left as it is.

    >>> split_notes("A/N: my first fic!\\n\\n~*~\\n\\nIt rained.\\n\\nA/N: review pls")
    ('my first fic!', 'It rained.', 'review pls')
    >>> split_notes("It rained. A/N: was never said.")
    (None, 'It rained. A/N: was never said.', None)
    """
    paragraphs = text.split("\n\n")
    first, last = 0, len(paragraphs)
    while first < last and _NOTE_PARAGRAPH.match(paragraphs[first]):
        first += 1
    opening = paragraphs[:first]
    while first < last and is_scene_break(paragraphs[first]):
        first += 1
    tail = next((k for k in range(max(first + 1, last - NOTE_TAIL), last)
                 if _NOTE_PARAGRAPH.match(paragraphs[k])), None)
    closing: list[str] = []
    if tail is not None:
        closing, last = paragraphs[tail:], tail
        while last > first and is_scene_break(paragraphs[last - 1]):
            last -= 1
    story = paragraphs[first:last]
    if not any(not is_scene_break(p) for p in story):
        return None, text, None
    if closing:
        closing[0] = _unlabelled(closing[0])
    return ("\n\n".join(map(_unlabelled, opening)) or None, "\n\n".join(story),
            "\n\n".join(closing) or None)


def _unlabelled(paragraph: str) -> str:
    """A note without its plain "A/N:" or "Author's Note:" label, as the notes under a
    title are kept; a disclaimer keeps its word, and a decorated label its decoration.

    >>> _unlabelled("A/N: thanks!"), _unlabelled("Disclaimer: not mine."), _unlabelled("(A/N: hi)")
    ('thanks!', 'Disclaimer: not mine.', '(A/N: hi)')
    """
    m = _LABEL_LINE.match(paragraph)
    if m is None or m["label"].casefold() in ("disclaimer", "summary", "notes") or not m["rest"]:
        return paragraph
    return paragraph[m.start("rest"):]


def _find_heads(lines: Sequence[str], start: int, doc: _Doc, *, title_from_h1: bool) -> None:
    atx = [(i, m) for i in range(start, len(lines)) if (m := _ATX.match(lines[i].strip()))]
    levels = sorted({len(m["hashes"]) for _, m in atx})
    if atx and levels[0] <= 2:
        doc.markdown = True
        level = 2 if 2 in levels and (title_from_h1 or 1 not in levels) else levels[0]
        doc.heads = [(i, _chapter_title(m["text"])) for i, m in atx if len(m["hashes"]) == level]
        return
    plain = [i for i in range(start, len(lines))
             if _standalone(lines, i) and _CHAPTER_LINE.match(lines[i].strip())]
    if plain:
        extra = [i for i in range(start, len(lines))
                 if _standalone(lines, i) and _PRO_EPI.match(lines[i].strip())]
        doc.heads = [(i, _chapter_title(lines[i].strip())) for i in sorted({*plain, *extra})]


def _meta_pairs(fm: dict[str, str | list[str]]) -> list[tuple[str, list[str]]]:
    pairs: list[tuple[str, list[str]]] = []
    stats: list[str] = []
    for key, value in fm.items():
        k = _norm_key(key)
        values = value if isinstance(value, list) else [value]
        if k in {"published", "date"}:
            stats.append(f"Published: {values[0]}")
        elif k in {"updated", "words", "chapters", "kudos", "hits", "bookmarks", "comments"}:
            stats.append(f"{k.capitalize()}: {values[0]}")
        elif (f := field_for_label(key)) is not None:
            if f in _LIST_FIELDS and not isinstance(value, list):
                values = _split_list(value)
            pairs.append((key, [str(v) for v in values]))
    if stats:
        pairs.append(("Stats", [" ".join(stats)]))
    return pairs


def _fm_text(fm: dict[str, str | list[str]], *keys: str) -> str | None:
    for key, value in fm.items():
        if _norm_key(key) in keys:
            text = "\n\n".join(value) if isinstance(value, list) else value
            return text.strip() or None
    return None


def _fm_authors(fm: dict[str, str | list[str]]) -> tuple[str, ...]:
    for key, value in fm.items():
        if _norm_key(key) in {"author", "authors", "creator", "creators", "by"}:
            names = value if isinstance(value, list) else _split_list(value)
            return tuple(n.strip() for n in names if n.strip())
    return ()


def parse(data: bytes, *, filename: str) -> Work:
    lines = split_lines(decode_text(data))
    shown = PurePath(filename).name or "the input"
    if not any(not is_blank(line) for line in lines):
        raise MalformedFile(f"{shown}: the file holds no text; check that it is the right file")
    fm, start, fenced = _front_matter(lines)
    doc = _Doc(title=_fm_text(fm, "title"), authors=_fm_authors(fm),
               summary=_fm_text(fm, "summary", "description"), notes=_fm_text(fm, "notes", "note"))
    had_title = doc.title is not None
    start = _take_title(lines, start, doc, have_title=had_title)
    title_from_h1 = not had_title and doc.title is not None and doc.markdown
    start = _labelled_blocks(lines, start, doc)
    _find_heads(lines, start, doc, title_from_h1=title_from_h1 or had_title)

    heads = {h for h, _ in doc.heads}
    baseline = detect_baseline([ln for i, ln in enumerate(lines) if i >= start and i not in heads])
    gap = baseline + 1
    bounds = [h for h, _ in doc.heads]
    titles = [t for _, t in doc.heads]
    chapters: list[Chapter] = []
    if not bounds:
        chapters.append(Chapter(number=1, text=lines_to_text(lines[start:], baseline=baseline, scene_gap=gap)))
    else:
        lead = lines_to_text(lines[start:bounds[0]], baseline=baseline, scene_gap=gap)
        for n, head in enumerate(bounds):
            end = bounds[n + 1] if n + 1 < len(bounds) else len(lines)
            text = lines_to_text(lines[head + 1 : end], baseline=baseline, scene_gap=gap)
            if n == 0 and lead:  # an epigraph or opening before the first heading belongs to the text
                text = f"{lead}\n\n{text}" if text else lead
            chapters.append(Chapter(number=n + 1, text=text, title=titles[n]))
    if not any(c.text for c in chapters):
        raise MalformedFile(f"{shown}: a title but no story text; check that the whole file was saved")
    # authors' notes in the text: the chapter's own, or the work's when it has one chapter
    end_notes = _fm_text(fm, "endnotes")
    split = [split_notes(c.text) for c in chapters]
    if len(chapters) == 1:
        opening, text, closing = split[0]
        doc.notes = "\n\n".join(part for part in (doc.notes, opening) if part) or None
        end_notes = "\n\n".join(part for part in (end_notes, closing) if part) or None
        chapters = [dataclasses.replace(chapters[0], text=text)]
    else:
        chapters = [dataclasses.replace(c, text=text, notes=opening, end_notes=closing)
                    for c, (opening, text, closing) in zip(chapters, split, strict=True)]

    meta = fields_to_meta(_meta_pairs(fm))
    series = meta.series
    if not series:
        raw_series = _fm_text(fm, "series")
        if raw_series:
            series = (SeriesRef(title=raw_series),)
    complete = meta.complete
    status = (_fm_text(fm, "complete", "status") or "").casefold()
    if status:
        complete = status in {"yes", "true", "complete", "completed", "finished", "done"}
    suffix = PurePath(filename).suffix.lower()
    markdown = doc.markdown or fenced or suffix in _MARKDOWN_SUFFIXES
    return Work(
        title=normalize_space(doc.title) if doc.title else title_from_filename(filename),
        authors=doc.authors,
        chapters=tuple(chapters),
        summary=doc.summary,
        notes=doc.notes,
        end_notes=end_notes,
        **meta.work_fields(complete=complete, series=series),
        url=_fm_text(fm, "url", "link", "source"),
        source_format="markdown" if markdown else "text",
    )
