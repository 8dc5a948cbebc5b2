"""Text copied from an AO3 work page (select all, copy, paste into a file).

A copy holds, top to bottom, any of these (parts may be missing)::

    Actions / Entire Work / Chapter Index / Download / EPUB ...     page chrome (dropped)
    Work Header                                                     a hidden landmark
    Rating: / Archive Warning: / ... / Language: / Series: / Stats:  the tag block
    Title
    creator(s)
    Summary: ...  Notes: ...  (See the end of the work for more notes.)
    Work Text:                                  a one-chapter work, or for each chapter:
    Chapter 2: Title / Summary: / Notes: / Chapter Text
    the text (an epigraph at its top belongs to it)
    Notes:                                      chapter and work end notes
    Actions / ↑ Top / ← Previous Chapter / Kudos (12) / Comments (3) ...   footer (dropped)

Labels may carry their values on the same line ("Rating: Mature",
"Fandom: A, B") or on the lines that follow, one per line. Paragraphs may be
separated by blank lines or by single newlines (see ``_textlines``). A browser
copies an empty paragraph (``<p>&nbsp;</p>``, the usual scene break) as a run of
2b+1 blank lines where b is the paragraph separator (b = 1: three blank lines,
b = 0: one); a shorter extra gap comes from a stray ``<br>`` or a line lost in
the copy and stays an ordinary paragraph break.

>>> work = parse(b"Work Header\\n\\nTea\\n\\nWork Text:\\n\\nIt was hot.\\n\\n\\n\\nIt cooled.\\n", filename="t.txt")
>>> work.title, work.chapters[0].text
('Tea', 'It was hot.\\n\\n* * *\\n\\nIt cooled.')
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ficshelf.errors import MalformedFile
from ficshelf.importers._ao3meta import Meta, field_for_label, fields_to_meta
from ficshelf.importers._textlines import (
    decode_text,
    detect_baseline,
    lines_to_text,
    looks_like_markup,
    split_lines,
    title_from_filename,
)
from ficshelf.model import Chapter, SeriesRef, Work
from ficshelf.text import normalize_space

__all__ = ["NAME", "parse", "sniff"]

NAME = "ao3-text"

_WORK_TEXT = re.compile(r"^Work Text\s*:?$", re.I)
_CHAPTER_TEXT = re.compile(r"^Chapter Text\s*:?$", re.I)
_WORK_HEADER = re.compile(r"^Work Header\s*:?$", re.I)
_CHAPTER_HEAD = re.compile(r"^Chapter\s+(?P<number>\d{1,4})(?:\s*:\s*(?P<title>.*))?$", re.I)
_TAG_LABEL = re.compile(
    r"^(?P<label>Ratings?|Archive Warnings?|Warnings?|Categor(?:y|ies)|Fandoms?|Relationships?"
    r"|Characters?|Additional Tags|Language|Series|Collections?|Stats)\s*:\s*(?P<rest>.*)$",
    re.I,
)
_STAT_LINE = re.compile(
    r"^(?:(?:Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits)\s*:\s*"
    r"[\d,./?\-]*\s*)+$|^\d[\d,./?\-]*$|^\?$",
    re.I,
)
_SERIES_NAV = re.compile(
    r"←\s*Previous Work|Next Work\s*→|Previous Work|Next Work|Series this work belongs to:?|[«»∙]",
    re.I,
)
_SERIES_PART = re.compile(r"\bPart\s+\d+\s+of\b", re.I)
# "Summary:"/"Notes:" need their colon (a title may be the word "Notes"); AO3 download-style
# "Chapter Summary"/"Chapter Notes" headings may come without one.
_BLOCK_LABEL = re.compile(
    r"^(?:(?P<label>Summary|Notes|Chapter Summary|Chapter Notes|Author'?s Notes?)\s*:\s*(?P<rest>.*)"
    r"|(?P<bare>Chapter Summary|Chapter Notes|Author'?s Notes?)\s*)$",
    re.I,
)
_POSTED = re.compile(r"^Posted originally on the Archive of Our Own at (?P<url>https?://\S+?)\.?$", re.I)
_WORK_ID = re.compile(r"/works/(\d+)")
_BARE_LABEL = re.compile(r"^(?P<label>Summary|Notes)$", re.I)  # a copied AO3 download's headings
_HINT = re.compile(
    r"^\(?\s*See the end of the (?P<scope>work|chapter) for (?:more )?(?:notes|other works)[^()]{0,60}\.?\s*\)?$", re.I
)
_END_NOTES = re.compile(
    r"^(?:(?P<chapter>Chapter End Notes)\s*:?|(?P<work>(?:Work )?End Notes)\s*:?|(?P<plain>Notes)\s*:)$",
    re.I,
)
# Footer and toolbar lines. A strong one is chrome on its own; a weak one only
# next to other chrome (a story may have a paragraph that reads "Share").
_STRONG_CHROME = re.compile(
    r"^(?:↑\s*Top|Top\s*↑|←\s*Previous Chapter|Next Chapter\s*→|←\s*Previous Work|Next Work\s*→"
    r"|(?:Kudos|Comments|Bookmarks?|Hits)\s*\(\s*\d[\d,]*\s*\)|Leave Kudos|Kudos\s*♥|Post Comment"
    r"|Hide Comments(?:\s*\(\s*\d[\d,]*\s*\))?|Chapter Management|Full-Page Index"
    r"|(?:Hide|Show) Creator'?s Style|.+ left kudos on this work!?|Comments? (?:are )?disabled.*"
    r"|Sorry! We couldn't save this comment.*|Series this work belongs to:?|Works inspired by this one:?"
    r"|Please drop by the Archive and comment to let the creator know if you enjoyed their work!?)$",
    re.I,
)
_WEAK_CHROME = re.compile(
    r"^(?:Actions|Work Header|Entire Work|Chapter Index|Share|Download|AZW3|EPUB|MOBI|PDF|HTML"
    r"|Comments|Kudos|Bookmark|Bookmarks|Subscribe|Unsubscribe|Mark for Later|Mark as Read"
    r"|Edit|Edit Tags|Edit Work|Add Chapter|Delete|Delete Work|Edit Chapter|Delete Chapter"
    r"|Reorder Chapters|Top|Previous Chapter|Next Chapter|Reply|Thread|Parent Thread|Note:"
    r"|Guest name|Guest email|Comment|Comment as .+|\d[\d,]* characters left"
    r"|Plain text with limited HTML.*|All fields are required.*|\d{1,4}\.\s.+\s2\.\s.+|Preface|Afterword)$",
    re.I,
)

_SNIFF_MARKERS = re.compile(r"^(?:Work Text\s*:|Chapter Text|Work Header)\s*$", re.I | re.M)
_SNIFF_RATING = re.compile(r"^Ratings?\s*:", re.M)
_SNIFF_WARNING = re.compile(r"^Archive Warnings?\s*:", re.M)
_SNIFF_STATS = re.compile(r"^(?:Stats|Words|Language)\s*:", re.M)


def sniff(head: bytes, *, filename: str) -> bool:
    """AO3 page text: its landmarks ("Work Text:", "Chapter Text", "Work Header") or an AO3 tag block."""
    text = decode_text(head, partial=True)
    if looks_like_markup(text) or text.lstrip().startswith("---"):
        return False
    if _SNIFF_MARKERS.search(text):
        return True
    return bool(_SNIFF_RATING.search(text) and _SNIFF_WARNING.search(text) and _SNIFF_STATS.search(text))


def _chrome(line: str) -> bool:
    return bool(_STRONG_CHROME.match(line) or _WEAK_CHROME.match(line))


def _structural(line: str) -> bool:
    return bool(
        _WORK_TEXT.match(line)
        or _CHAPTER_TEXT.match(line)
        or _CHAPTER_HEAD.match(line)
        or _BLOCK_LABEL.match(line)
        or _HINT.match(line)
    )


# --- the tag block and the preface -------------------------------------------------


def _split_tags(kind: str | None, values: Sequence[str]) -> list[str]:
    if kind in {"stats", "series", "language", "rating"}:
        return [v for v in values if v]
    # AO3 tags cannot contain commas, so a comma always separates two tags.
    return [t.strip() for v in values for t in v.split(",") if t.strip()]


def _tag_block(st: Sequence[str], i: int, end: int) -> tuple[list[tuple[str, list[str]]], int]:
    """Labelled fields from ``st[i]`` on; returns them and the index after the block."""
    fields: list[tuple[str, list[str]]] = []
    values: list[str] = []
    kind: str | None = None
    while i < end:
        s = st[i]
        if not s:
            i += 1
            continue
        m = _TAG_LABEL.match(s)
        if m:
            values = []
            fields.append((m["label"], values))
            kind = field_for_label(m["label"])
            if m["rest"].strip():
                values.append(m["rest"].strip())
            i += 1
            continue
        if kind is None or _structural(s):
            break
        if kind == "stats":
            if not _STAT_LINE.match(s):
                break
        elif kind == "series":
            if not (_SERIES_PART.search(s) or not _SERIES_NAV.sub("", s).strip()):
                break
        elif kind in {"rating", "language"} and values:
            break
        values.append(s)
        i += 1
    typed = []
    for label, vals in fields:
        k = field_for_label(label)
        if k == "series":
            vals = [normalize_space(_SERIES_NAV.sub(" ", v)) for v in vals]
        typed.append((label, _split_tags(k, vals)))
    return typed, i


@dataclass(kw_only=True)
class _Preface:
    title: str | None = None
    authors: tuple[str, ...] = ()
    fields: list[tuple[str, list[str]]] = field(default_factory=list)
    blocks: list[tuple[str, list[str]]] = field(default_factory=list)  # label, its raw lines
    hints: set[str] = field(default_factory=set)
    url: str | None = None
    end: int = 0  # index after the last line the preface used


def _blocks(st: Sequence[str], raw: Sequence[str], i: int, end: int, pre: _Preface, *,
            one_paragraph: bool) -> int:
    """Summary/Notes blocks and end-note hints from ``st[i:end]``."""
    current: list[str] | None = None
    while i < end:
        s = st[i]
        hint = _HINT.match(s) if s else None
        label = _BLOCK_LABEL.match(s) if s else None
        bare = _BARE_LABEL.match(s) if s and one_paragraph and not label else None
        if hint:
            pre.hints.add(hint["scope"].lower())
            current = None
        elif label:
            current = []
            pre.blocks.append((label["label"] or label["bare"], current))
            if (label["rest"] or "").strip():
                current.append(label["rest"])
        elif bare:
            current = []
            pre.blocks.append((bare["label"], current))
        elif current is not None:
            if not s and one_paragraph and current:
                current = None
            elif not s or not _chrome(s):
                current.append(raw[i])
        elif s and not _chrome(s) and one_paragraph:
            break
        i += 1
    return i


def _preface(st: Sequence[str], raw: Sequence[str], lo: int, hi: int, *,
             one_paragraph: bool = False) -> _Preface:
    pre = _Preface()
    headers = [i for i in range(lo, hi) if _WORK_HEADER.match(st[i])]
    if headers:
        start = headers[-1] + 1
    else:
        anchor = next((i for i in range(lo, hi) if _TAG_LABEL.match(st[i]) or _BLOCK_LABEL.match(st[i])), hi)
        chrome = [i for i in range(lo, anchor) if st[i] and _chrome(st[i])]
        start = chrome[-1] + 1 if chrome else lo
    i = start
    header: list[str] = []
    while i < hi and not (_BLOCK_LABEL.match(st[i]) or _HINT.match(st[i])
                          or (one_paragraph and _BARE_LABEL.match(st[i]))):
        s = st[i]
        if _TAG_LABEL.match(s):  # AO3 puts the tags above the title; a hand-made file may not
            fields, i = _tag_block(st, i, hi)
            pre.fields.extend(fields)
            continue
        posted = _POSTED.match(s)
        if posted:
            pre.url = posted["url"]
        elif s and not _chrome(s) and not (header and s == header[0]):  # a download repeats its title
            if one_paragraph and len(header) >= 2:
                break
            header.append(s)
        i += 1
    if header:
        pre.title = header[0]
    if len(header) > 1:
        byline = re.sub(r"^by\s+", "", header[1], flags=re.I)
        pre.authors = tuple(a.strip() for a in byline.split(",") if a.strip())
    pre.end = _blocks(st, raw, i, hi, pre, one_paragraph=one_paragraph)
    return pre


# --- chapter regions ----------------------------------------------------------------


def _footer_start(st: Sequence[str], lo: int, hi: int) -> int:
    filled = [i for i in range(lo, hi) if st[i]]
    for n, i in enumerate(filled):
        s = st[i]
        if _STRONG_CHROME.match(s):
            while n > 0 and _WEAK_CHROME.match(st[filled[n - 1]]):
                n -= 1
            return filled[n]
        if _WEAK_CHROME.match(s):
            after = filled[n + 1 : n + 3]
            if not after or any(_chrome(st[j]) for j in after):
                return i
    return hi


@dataclass(kw_only=True)
class _Region:
    number: int | None
    title: str | None
    text: tuple[int, int]
    preface: _Preface | None = None
    end_notes: tuple[int, int] | None = None
    work_end_notes: tuple[int, int] | None = None


def _split_end_notes(st: Sequence[str], region: _Region, *, last: bool, many_chapters: bool,
                     work_hints: set[str]) -> None:
    lo, hi = region.text
    labels = [(i, m) for i in range(lo, hi) if st[i] and (m := _END_NOTES.match(st[i]))]
    if not labels:
        return
    chapter_hint = region.preface is not None and "chapter" in region.preface.hints
    work_hint = "work" in work_hints
    last_i, last_m = labels[-1]
    if last_m["chapter"]:
        as_work = False
    elif last_m["work"]:
        as_work = True
    else:
        as_work = last and ((work_hint and not chapter_hint) or (not chapter_hint and not many_chapters))
    if as_work and last and len(labels) > 1:
        prev_i, prev_m = labels[-2]
        if prev_m["chapter"] or (prev_m["plain"] and (chapter_hint or last_m["work"])):
            region.end_notes = (prev_i + 1, last_i)
            region.work_end_notes = (last_i + 1, hi)
            region.text = (lo, prev_i)
            return
    if as_work:
        region.work_end_notes = (last_i + 1, hi)
    else:
        region.end_notes = (last_i + 1, hi)
    region.text = (lo, last_i)


def _regions(st: Sequence[str], raw: Sequence[str]) -> tuple[int, list[_Region], _Preface | None]:
    """Where the work preface ends, each chapter's text lines, and (without landmarks) the preface read."""
    n = len(st)
    markers = [i for i, s in enumerate(st) if _CHAPTER_TEXT.match(s)]
    if not markers:
        markers = [i for i, s in enumerate(st) if _WORK_TEXT.match(s)][:1]
    regions: list[_Region] = []
    if markers:
        heads: list[int | None] = []
        for k, m in enumerate(markers):
            floor = markers[k - 1] + 1 if k else 0
            heads.append(next((i for i in range(m - 1, floor - 1, -1) if _CHAPTER_HEAD.match(st[i])), None))
        for k, m in enumerate(markers):
            head = heads[k]
            if k + 1 < len(markers):
                nxt = heads[k + 1]
                end = nxt if nxt is not None else markers[k + 1]
            else:
                end = n
            hm = _CHAPTER_HEAD.match(st[head]) if head is not None else None
            preface = _preface(st, raw, head + 1, m) if head is not None else None
            regions.append(_Region(
                number=int(hm["number"]) if hm else None,
                title=(hm["title"] or "").strip() or None if hm else None,
                text=(m + 1, end),
                preface=preface,
            ))
        return (heads[0] if heads[0] is not None else markers[0]), regions, None
    # No landmarks: a preface paragraph by paragraph, then text split at chapter headings.
    pre = _preface(st, raw, 0, n, one_paragraph=True)
    heads2 = [i for i in range(pre.end, n) if _CHAPTER_HEAD.match(st[i])]
    bounds = [pre.end, *heads2, n] if not heads2 or heads2[0] != pre.end else [*heads2, n]
    for a, b in itertools.pairwise(bounds):
        hm = _CHAPTER_HEAD.match(st[a])
        chapter_pre = None
        start = a
        if hm:
            chapter_pre = _Preface()
            start = _blocks(st, raw, a + 1, b, chapter_pre, one_paragraph=True)
        regions.append(_Region(
            number=int(hm["number"]) if hm else None,
            title=(hm["title"] or "").strip() or None if hm else None,
            text=(start, b),
            preface=chapter_pre,
        ))
    if len(regions) > 1 and regions[0].number is None:
        # before the first heading of a copied download: preface leftovers (translations,
        # "inspired by" lines), kept with the work's notes
        lead = regions.pop(0)
        if any(st[i] for i in range(*lead.text)):
            pre.blocks.append(("Notes", list(raw[lead.text[0]:lead.text[1]])))
    return pre.end, regions, pre


# --- the work -------------------------------------------------------------------------


def _block_text(lines: Sequence[str] | None, *, baseline: int) -> str | None:
    if lines is None:
        return None
    return lines_to_text(lines, baseline=baseline, scene_gap=2 * baseline + 1) or None


def _lines(raw: Sequence[str], rng: tuple[int, int] | None) -> list[str] | None:
    return None if rng is None else list(raw[rng[0]:rng[1]])


def _preface_texts(pre: _Preface | None, baseline: int) -> tuple[str | None, str | None]:
    if pre is None:
        return None, None
    summary: list[str] = []
    notes: list[str] = []
    for label, lines in pre.blocks:
        text = _block_text(lines, baseline=baseline)
        if text:
            (summary if "summary" in label.casefold() else notes).append(text)
    return ("\n\n".join(summary) or None), ("\n\n".join(notes) or None)


def parse(data: bytes, *, filename: str) -> Work:
    text = decode_text(data)
    raw = split_lines(text)
    st = [normalize_space(line) for line in raw]
    preamble_end, regions, read = _regions(st, raw)
    pre = read if read is not None else _preface(st, raw, 0, preamble_end)
    meta: Meta = fields_to_meta(pre.fields)
    last_index = len(regions) - 1
    many = len(regions) > 1 or (meta.chapter_count or 0) > 1
    for k, region in enumerate(regions):
        lo, hi = region.text
        region.text = (lo, _footer_start(st, lo, hi))
        _split_end_notes(st, region, last=k == last_index, many_chapters=many, work_hints=pre.hints)
    text_lines = [raw[i] for r in regions for i in range(*r.text)]
    baseline = detect_baseline(text_lines)
    gap = 2 * baseline + 1
    chapters: list[Chapter] = []
    work_end_notes: str | None = None
    for k, region in enumerate(regions):
        body = lines_to_text([raw[i] for i in range(*region.text)], baseline=baseline, scene_gap=gap)
        summary, notes = _preface_texts(region.preface, baseline)
        if region.work_end_notes is not None:
            work_end_notes = _block_text(_lines(raw, region.work_end_notes), baseline=baseline)
        chapters.append(Chapter(
            number=region.number or (chapters[-1].number + 1 if chapters else k + 1),
            text=body,
            title=region.title,
            summary=summary,
            notes=notes,
            end_notes=_block_text(_lines(raw, region.end_notes), baseline=baseline),
        ))
    shown = filename.rsplit("/", 1)[-1] or "the input"
    if not any(c.text for c in chapters):
        raise MalformedFile(
            f"{shown}: AO3 page text without the work's text; copy the whole page, "
            "including the 'Work Text:' or 'Chapter Text' line and what follows it"
        )
    summary, notes = _preface_texts(pre, baseline)
    series = meta.series
    if not series:
        series = tuple(SeriesRef(title=v) for label, vals in pre.fields
                       if field_for_label(label) == "series" for v in vals if v and not _SERIES_PART.search(v))
    work_id = _WORK_ID.search(pre.url or "")
    return Work(
        title=pre.title or title_from_filename(filename),
        url=pre.url,
        ao3_id=work_id.group(1) if work_id else None,
        authors=pre.authors,
        chapters=tuple(chapters),
        summary=summary,
        notes=notes,
        end_notes=work_end_notes,
        **meta.work_fields(series=series),
        source_format=NAME,
    )
