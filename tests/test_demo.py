"""The bundled demo works: they parse, they vary, they round-trip through every demo format."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import FANFIC, SEEDS, need_shared
from ficshelf.demo import DEMO_FORMATS, demo_files, demo_sources, demo_works
from ficshelf.importers import detect, parse_path
from ficshelf.model import Category


def test_every_demo_parses_as_markdown_with_ao3_metadata() -> None:
    works = demo_works()
    assert 4 <= len(works) <= 6
    for work in works:
        assert work.title and work.authors and work.summary
        assert work.source_format == "markdown"
        assert work.tags.rating is not None and work.tags.fandoms and work.tags.warnings
        assert work.language == "English" and work.published is not None
        assert 300 <= work.text_words <= 1500, (work.title, work.text_words)
        assert all(c.text for c in work.chapters)


def test_demos_are_a_mix() -> None:
    works = demo_works()
    assert any(w.tags.fandoms == ("Original Work",) for w in works)
    assert sum(1 for w in works if w.tags.fandoms != ("Original Work",) and w.tags.relationships) >= 2
    assert any(len(w.chapters) > 1 and all(c.title for c in w.chapters) for w in works)
    assert any(w.notes and w.end_notes for w in works)
    assert len({c for w in works for c in w.tags.categories}) >= 3
    assert Category.GEN in {c for w in works for c in w.tags.categories}
    # a second-person reader-insert: tagged so, and written so
    reader = [w for w in works if "Reader-Insert" in w.tags.freeforms]
    assert reader
    words = re.findall(r"[a-z]+", reader[0].full_text.casefold())
    assert words.count("you") + words.count("your") > 0.03 * len(words)


def test_demo_files_vary_in_format_and_all_import(tmp_path: Path) -> None:
    paths = demo_files(tmp_path / "demo")
    assert len(paths) == len(demo_sources())
    suffixes = {p.suffix for p in paths}
    assert {".epub", ".html", ".md"} <= suffixes and len(suffixes) >= 4
    formats = {detect(p.read_bytes(), filename=str(p)) for p in paths}
    assert {"epub", "ao3-html", "ao3-text", "text"} <= formats
    originals = {w.title: w for w in demo_works()}
    for path in paths:
        work = parse_path(path)
        want = originals[work.title]
        assert work.authors == want.authors, path.name
        assert work.tags == want.tags, path.name
        assert work.summary == want.summary, path.name
        assert [(c.title, c.text) for c in work.chapters] == [(c.title, c.text) for c in want.chapters], path.name


def test_every_demo_has_a_format() -> None:
    assert {name for name, _ in demo_sources()} == set(DEMO_FORMATS)


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_demo_prose_shares_no_passage_with_the_shared_stories() -> None:
    """The demos are our own writing: no run of eight words in common with the seeds or the fanfic corpus."""
    ours: set[tuple[str, ...]] = set()
    for work in demo_works():
        ours |= _shingles(work.full_text)
    theirs: set[tuple[str, ...]] = set()
    for seed in sorted(need_shared(SEEDS).glob("*.txt")):
        theirs |= _shingles(seed.read_text(encoding="utf-8"))
    works = need_shared(FANFIC / "works.jsonl")
    for line in works.read_text(encoding="utf-8").splitlines():
        if line.strip():
            theirs |= _shingles(str(json.loads(line).get("text") or ""))
    assert theirs, "the shared texts were read"
    assert not ours & theirs
