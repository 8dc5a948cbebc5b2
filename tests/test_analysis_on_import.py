"""Analysis runs on import, is kept with the work, and shows under ``inferred`` in its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ficshelf.benchsuite import bench_import
from ficshelf.cli import cli
from ficshelf.library import import_bytes
from ficshelf.model import Chapter, Work, work_to_dict
from ficshelf.store import open_library
from ficshelf.understand.stored import ANALYSIS_KEY, analysis_version, stored_analysis

STORY = (
    "Maren Holt found the letter under the door. “You came back,” Tobias said from the stairs.\n\n"
    "Maren turned. “I said I would, Tobias.” She kissed him then, slow and sure, and he laughed "
    "against her mouth.\n\n"
    "Later Tobias held her hand by the window. “I love you,” he said, and Maren believed him."
)


def _json(work: Work) -> bytes:
    return json.dumps(work_to_dict(work)).encode()


def test_import_stores_the_analysis(library: Path) -> None:
    work = Work(title="The Letter", chapters=(Chapter(number=1, text=STORY),))
    with open_library(library) as store:
        outcome = import_bytes(store, _json(work), filename="letter.json")
        assert outcome.status == "added" and outcome.analysis_error is None
        stored = store.get(outcome.work_id or 0)
        entry = store.get_user_data(stored.id or 0)[ANALYSIS_KEY]
        assert entry["version"] == analysis_version()
        data = stored_analysis(store, stored)
        assert data is not None
        names = {c["name"] for c in data["characters"]}
        assert {"Maren Holt", "Tobias"} <= names
        assert any(r["kind"] == "romantic" for r in data["relationships"])


def test_changed_text_invalidates_the_stored_analysis(library: Path) -> None:
    work = Work(title="The Letter", ao3_id="555", chapters=(Chapter(number=1, text=STORY),))
    with open_library(library) as store:
        first = import_bytes(store, _json(work), filename="a.json")
        longer = Work(title="The Letter", ao3_id="555",
                      chapters=(Chapter(number=1, text=STORY), Chapter(number=2, text="Morning came.")))
        second = import_bytes(store, _json(longer), filename="b.json")
        assert second.work_id == first.work_id and second.status == "updated"
        current = store.get(second.work_id or 0)
        assert len(current.chapters) == 2
        assert stored_analysis(store, current) is not None  # re-analysed for the new text


def test_show_json_has_inferred(tmp_path: Path, library: Path) -> None:
    src = tmp_path / "letter.json"
    src.write_bytes(_json(Work(title="The Letter", chapters=(Chapter(number=1, text=STORY),))))
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(src), "--library", str(library)]).exit_code == 0
    shown = json.loads(runner.invoke(cli, ["show", "1", "--json", "--library", str(library)]).output)
    assert {"characters", "pov", "tense", "relationships", "arc"} <= set(shown["inferred"])


def test_no_analyze_flag_skips_it(tmp_path: Path, library: Path) -> None:
    src = tmp_path / "letter.json"
    src.write_bytes(_json(Work(title="The Letter", chapters=(Chapter(number=1, text=STORY),))))
    result = CliRunner().invoke(cli, ["import", "--no-analyze", str(src), "--library", str(library)])
    assert result.exit_code == 0
    with open_library(library) as store:
        assert ANALYSIS_KEY not in store.get_user_data(1)


def test_bench_import_reports_rates() -> None:
    report = bench_import(n=4, words=600)
    assert report["works"] == 4 and report["formats"] == ["ao3-html"]
    for part in ("parse", "parse_and_store", "parse_analyse_and_store"):
        assert report[part]["works_per_second"] > 0


def test_parallel_analysis_keeps_each_works_current_analysis(tmp_path: Path, library: Path) -> None:
    """Two captures of one work in one batch: the analysis kept is the merged text's."""
    from ficshelf.library import import_paths

    first = Work(title="The Letter", ao3_id="777", chapters=(Chapter(number=1, text=STORY),))
    second = Work(title="The Letter", ao3_id="777",
                  chapters=(Chapter(number=2, text="Tobias woke first. Maren was still asleep."),))
    other = Work(title="Another", chapters=(Chapter(number=1, text=STORY.replace("Maren", "Ilse")),))
    for name, work in (("a.json", first), ("b.json", second), ("c.json", other)):
        (tmp_path / name).write_bytes(_json(work))
    with open_library(library) as store:
        report = import_paths(store, [tmp_path], jobs=2)
        assert [o.status for o in report.outcomes] == ["added", "updated", "added"]
        assert all(o.analysis_error is None for o in report.outcomes)
        for wid in {o.work_id for o in report.outcomes}:
            work = store.get(wid or 0)
            assert stored_analysis(store, work) is not None, work.title
        merged = store.get(report.outcomes[0].work_id or 0)
        assert [c.number for c in merged.chapters] == [1, 2]


def test_a_users_own_canon_file_changes_the_analysis_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fandom added in $FICSHELF_HOME/canon changes what the analysis finds, so the
    analyses stored before it must not be taken as current."""
    plain, custom = tmp_path / "plain", tmp_path / "custom"
    (custom / "canon").mkdir(parents=True)
    (custom / "canon" / "mine.toml").write_text(
        '[fandom]\ntag = "My Saga"\n\n[[characters]]\ntag = "Maren Holt"\nnames = ["Maren"]\n'
        'gender = "f"\npronouns = "she"\n', encoding="utf-8")
    monkeypatch.setenv("FICSHELF_HOME", str(plain))
    without = analysis_version()
    monkeypatch.setenv("FICSHELF_HOME", str(custom))
    assert analysis_version() != without
    monkeypatch.delenv("FICSHELF_HOME")
    assert analysis_version().split("+")[0] == without.split("+")[0]  # the same ficshelf
