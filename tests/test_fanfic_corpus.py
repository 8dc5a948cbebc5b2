"""Every work of ../shared/corpus/fanfic imported from its raw files matches the corpus record.

``works.jsonl`` holds one record per work (tags as AO3 shows them, AO3's counts,
the chapters present in the raw files, and the normaliser's text); ``raw/``
holds the original files under ``<source_repo with "/" as "__">/<path>``. The
pages of one work are merged with ``model.merge_works``.

One raw file is not HTML: ``bartosz-dude__archive3-reader/assets/testHtml2.ts`` is a
TypeScript module that wraps a saved page in a template string. The HTML
importer reads HTML files, so only records whose files are all ``.html``/``.htm``
are checked here (chosen by file type, ``HTML_SUFFIXES``, whatever their title);
``test_only_non_html_records_are_left_out`` pins which ones are left out.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import FANFIC, need_shared
from ficshelf.importers import parse_bytes
from ficshelf.model import Chapter, Work, merge_works

RAW = FANFIC / "raw"
RECORDS_FILE = FANFIC / "works.jsonl"
HTML_SUFFIXES = frozenset({".html", ".htm"})


def load_records() -> list[dict[str, Any]]:
    if not RECORDS_FILE.exists():
        return []
    lines = RECORDS_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


RECORDS = load_records()


def is_html_record(record: dict[str, Any]) -> bool:
    return all(Path(p).suffix.lower() in HTML_SUFFIXES for p in record["source_paths"])


PARAMS = [pytest.param(r, id=r["id"]) for r in RECORDS if is_html_record(r)] \
    or [pytest.param(None, id="works.jsonl-missing")]


def raw_path(record: dict[str, Any], source_path: str) -> Path:
    return RAW / str(record["source_repo"]).replace("/", "__") / source_path


def capture_order(work: Work) -> tuple[dt.date, int]:
    """Pages of one work may be saved at different times (one when 3 chapters were up, one
    at 5): merge the oldest capture first so the newest one's metadata wins."""
    return (work.updated or work.published or dt.date.min, work.chapter_count or 0)


@functools.cache
def import_record(record_id: str) -> Work:
    record = next(r for r in RECORDS if r["id"] == record_id)
    paths = [raw_path(record, p) for p in record["source_paths"]]
    for p in paths:
        need_shared(p)
    works = sorted((parse_bytes(p.read_bytes(), filename=str(p)) for p in paths), key=capture_order)
    return functools.reduce(merge_works, works)


@pytest.fixture(params=PARAMS)
def record(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.param is None:
        need_shared(RECORDS_FILE)
    value: dict[str, Any] = request.param
    return value


def test_corpus_is_present_and_complete() -> None:
    need_shared(RECORDS_FILE)
    assert len(RECORDS) >= 40
    for r in RECORDS:
        for p in r["source_paths"]:
            assert raw_path(r, p).exists(), f"{r['id']}: {p} missing under raw/"


def test_only_non_html_records_are_left_out() -> None:
    """The one raw file that is not HTML is a TypeScript module wrapping a page: the only
    record this file does not check. A new non-HTML record shows up here."""
    need_shared(RECORDS_FILE)
    left_out = [r for r in RECORDS if not is_html_record(r)]
    assert [p for r in left_out for p in r["source_paths"]] == ["assets/testHtml2.ts"]
    assert len(PARAMS) == len(RECORDS) - 1


def test_tags_and_byline(record: dict[str, Any]) -> None:
    work = import_record(record["id"])
    assert work.title == record["title"]
    assert list(work.authors) == record["authors"]
    tags = work.tags
    assert (tags.rating.value if tags.rating else None) == record["rating"]
    assert [w.value for w in tags.warnings] == record["warnings"]
    assert [c.value for c in tags.categories] == record["categories"]
    assert list(tags.fandoms) == record["fandoms"]
    assert list(tags.relationships) == record["relationships"]
    assert list(tags.characters) == record["characters"]
    assert list(tags.freeforms) == record["freeforms"]
    assert work.language == record["language"]


def test_counts_dates_and_address(record: dict[str, Any]) -> None:
    work = import_record(record["id"])
    assert work.chapter_count == record["chapters"]
    assert work.chapters_expected == record["chapters_total"]
    assert work.words == record["words"]
    assert len(work.chapters) == record["chapters_in_text"]
    assert work.complete == record["complete"]
    assert (work.published.isoformat() if work.published else None) == record["published"]
    assert (work.updated.isoformat() if work.updated else None) == record["status_date"]
    assert work.ao3_id == record["ao3_work_id"]
    assert work.url == record["url"]


def test_series(record: dict[str, Any]) -> None:
    work = import_record(record["id"])
    if not record["series"]:
        assert work.series == ()
        return
    assert work.series
    for ref in work.series:
        assert f"Part {ref.part} of" in record["series"]
        assert ref.title in record["series"]
        assert ref.ao3_id and ref.ao3_id.isdigit()


def test_own_word_count_of_a_full_text(record: dict[str, Any]) -> None:
    work = import_record(record["id"])
    if record["text_scope"] != "full":
        assert 0 < work.text_words < record["words"]
        return
    assert abs(work.text_words - record["words"]) <= 0.02 * record["words"]


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _heading(chapter: Chapter) -> str:
    """How the corpus normaliser heads a chapter in its text ("Chapter 2: Title")."""
    return f"Chapter {chapter.number}" + (f": {chapter.title}" if chapter.title else "")


def test_text_starts_and_ends_where_the_work_does(record: dict[str, Any]) -> None:
    work = import_record(record["id"])
    theirs = record["text"]
    first = work.chapters[0]
    head, _, rest = theirs.partition("\n\n")
    if head == _heading(first):
        theirs = rest
    mine = _key(work.full_text)
    theirs_key = _key(theirs)
    assert mine[:80] == theirs_key[:80]
    assert mine[-80:] == theirs_key[-80:]
