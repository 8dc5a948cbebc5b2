"""The CLI in-process: import, list, show, search, export, errors, --json field names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ficshelf.cli import cli, main
from ficshelf.model import (
    ArchiveWarning,
    Category,
    Chapter,
    Rating,
    Tags,
    Work,
    work_to_dict,
)


def _work(title: str, *, fandom: str, rel: str, freeforms: tuple[str, ...], words: int, ao3_id: str) -> Work:
    body = " ".join(["The lighthouse keeper counted gulls"] * (words // 5))
    return Work(
        title=title,
        authors=("quillfeather",),
        summary=f"A story about {fandom.lower()}.",
        ao3_id=ao3_id,
        tags=Tags(
            rating=Rating.TEEN,
            warnings=(ArchiveWarning.NONE_APPLY,),
            categories=(Category.MM,),
            fandoms=(fandom,),
            relationships=(rel,),
            characters=tuple(rel.split("/")),
            freeforms=freeforms,
        ),
        chapters=(Chapter(number=1, title="Gulls", text=body + "\n\n“Don’t go where the tide went,” she said."),),
    )


WORKS = [
    _work("Salt and Signal", fandom="Harbour Tales", rel="Ada Quill/Bess Marlow", freeforms=("Fluff",), words=1200, ao3_id="901"),
    _work("Low Water", fandom="Harbour Tales", rel="Ada Quill/Bess Marlow", freeforms=("Angst",), words=300, ao3_id="902"),
    _work("Kite Season", fandom="Orchard Songs", rel="Tam Reed/Wil Ashe", freeforms=("Fluff", "Angst"), words=2500, ao3_id="903"),
]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for i, w in enumerate(WORKS):
        (d / f"w{i}.json").write_text(json.dumps(work_to_dict(w)), encoding="utf-8")
    return d


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def imported(files: Path, library: Path) -> None:
    result = run("import", str(files), "--library", str(library))
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output


def test_import_list_show_json(files: Path, library: Path) -> None:
    imported(files, library)
    out = run("list", "--library", str(library), "--json")
    data = json.loads(out.output)
    assert data["total"] == 3
    assert {w["title"] for w in data["works"]} == {w.title for w in WORKS}
    wid = next(w["id"] for w in data["works"] if w["title"] == "Kite Season")
    shown = json.loads(run("show", str(wid), "--library", str(library), "--json").output)
    for key in ("id", "ao3_id", "title", "authors", "summary", "notes", "end_notes", "language", "published",
                "updated", "complete", "chapter_count", "chapters_expected", "words", "series", "stats"):
        assert key in shown
    assert set(shown["tags"]) >= {"rating", "warnings", "categories", "fandoms", "relationships", "characters",
                                  "freeforms"}
    assert shown["tags"]["relationships"] == ["Tam Reed/Wil Ashe"]
    assert shown["chapters"][0]["title"] == "Gulls"
    assert shown["chapters"][0]["text"].endswith("she said.")


def test_reimport_updates_in_place(files: Path, library: Path) -> None:
    imported(files, library)
    again = run("import", str(files), "--library", str(library))
    assert again.exit_code == 0
    assert "0 added" in again.output
    assert json.loads(run("list", "--library", str(library), "--json").output)["total"] == 3


def test_search_include_and_exclude(files: Path, library: Path) -> None:
    imported(files, library)

    def titles(*args: str) -> set[str]:
        out = run("search", *args, "--library", str(library), "--json")
        assert out.exit_code == 0, out.output
        return {w["title"] for w in json.loads(out.output)["works"]}

    assert titles("--tag", "Fluff") == {"Salt and Signal", "Kite Season"}
    assert titles("--tag", "Fluff", "--tag", "Harbour Tales") == {"Salt and Signal"}
    assert titles("--exclude", "Angst") == {"Salt and Signal"}
    assert titles("words>1000") == {"Salt and Signal", "Kite Season"}
    assert titles("dont go where", "words<500") == {"Low Water"}


def test_search_sort_by_words(files: Path, library: Path) -> None:
    imported(files, library)
    out = json.loads(run("search", "--sort", "words", "--library", str(library), "--json").output)
    assert [w["title"] for w in out["works"]] == ["Kite Season", "Salt and Signal", "Low Water"]


def test_bad_file_is_reported_and_others_kept(files: Path, library: Path) -> None:
    (files / "broken.epub").write_bytes(b"PK\x03\x04 this is not really a zip")
    result = run("import", str(files), "--library", str(library))
    assert result.exit_code == 1
    assert "3 added" in result.output and "1 rejected" in result.output
    assert "broken.epub" in result.output


def test_errors_are_one_line(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["show", "424242", "--library", str(library)])
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("ficshelf: error:") and "\n" not in err


def test_export_json_round_trip(files: Path, library: Path, tmp_path: Path) -> None:
    imported(files, library)
    wid = json.loads(run("list", "--library", str(library), "--json").output)["works"][0]["id"]
    out = tmp_path / "w.json"
    assert run("export", str(wid), "--format", "json", "-o", str(out), "--library", str(library)).exit_code == 0
    analyzed = json.loads(run("analyze", str(out), "--json").output)
    assert analyzed["format"] == "ficshelf-json"
    assert analyzed["title"] in {w.title for w in WORKS}


def test_heavy_readers_load_only_when_a_file_needs_them() -> None:
    """Start-up of every command: pypdf, KindleUnpack (and its logger) and ftfy are
    imported when a PDF, a Kindle book or a text in need of repair is read."""
    import subprocess
    import sys

    code = ("import sys, ficshelf.importers, ficshelf.understand.stored; "
            "print(sorted(m for m in ('pypdf', 'mobi', 'loguru', 'ftfy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_canon_lists_the_fandoms_and_checks_a_users_files(tmp_path: Path) -> None:
    listed = CliRunner().invoke(cli, ["canon", "--json"], catch_exceptions=False)
    rows = json.loads(listed.output)
    assert len(rows) >= 30 and any(r["tag"] == "Marvel Cinematic Universe" for r in rows)
    assert {r["tag"]: r["setting"] for r in rows}["Merlin (TV)"] == "fantasy"
    good = tmp_path / "mine.toml"
    good.write_text('[fandom]\ntag = "Tidewatch Saga"\n\n[[characters]]\ntag = "Maren Holt"\n'
                    'names = ["Maren"]\ngender = "f"\npronouns = "she"\n', encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace('"f"', '"female"')
                   .replace("Tidewatch Saga", "Other Saga"), encoding="utf-8")
    clash = tmp_path / "clash.toml"
    clash.write_text(good.read_text(encoding="utf-8").replace(
        'tag = "Tidewatch Saga"', 'tag = "Third Saga"\naliases = ["MCU"]'), encoding="utf-8")
    ok = CliRunner().invoke(cli, ["canon", str(good)], catch_exceptions=False)
    assert ok.exit_code == 0
    assert "ok" in ok.output and "Tidewatch Saga (1 character, 0 ships; adds a fandom)" in ok.output
    good.write_text(good.read_text(encoding="utf-8").replace(
        '[fandom]\n', '[fandom]\nsetting = "historical"\n'), encoding="utf-8")
    dated = CliRunner().invoke(cli, ["canon", str(good)], catch_exceptions=False)
    assert "Tidewatch Saga (historical; 1 character, 0 ships; adds a fandom)" in dated.output
    checked = CliRunner().invoke(cli, ["canon", "--json", str(good), str(bad), str(clash)],
                                 catch_exceptions=False)
    assert checked.exit_code == 1
    results = json.loads(checked.output)
    assert [r["ok"] for r in results] == [True, False, False]
    assert "gender 'female' is not one of" in results[1]["error"]
    assert "'MCU' is already used by 'Marvel Cinematic Universe'" in results[2]["error"]


def test_analyze_names_every_narrator_of_a_story_told_in_turns(tmp_path: Path) -> None:
    me = "I make the tea. I burn the toast, and Tamsin laughs at me. I laugh too."
    you = "Wren burns the toast again. I eat it anyway. I tell Wren it is perfect."
    story = tmp_path / "turns.txt"
    story.write_text("Toast\n\nWREN\n\n" + me + "\n\nTAMSIN\n\n" + you + "\n\nWREN\n\n" + me + "\n",
                     encoding="utf-8")
    out = run("analyze", str(story)).output
    assert "first person, narrated by Wren and Tamsin" in out
