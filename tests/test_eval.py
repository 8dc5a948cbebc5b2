"""The evaluation harness on a small shared folder written for this test, and its helpers."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from ficshelf.errors import InputError
from ficshelf.evaluate import run
from ficshelf.evaluate.__main__ import main
from ficshelf.evaluate.data import chapters_from_text, unwrap
from ficshelf.evaluate.inference_metrics import freeform_score
from ficshelf.evaluate.litbank import detokenize
from ficshelf.evaluate.match import GoldChar, assign, is_generic_tag, norm, tag_names
from ficshelf.evaluate.scores import _main_miss_reason, aggregate, span_prf
from ficshelf.understand.analysis import Character
from ficshelf.understand.document import Document

STORY = """Hollis Varga kept bees behind the chapel. Every morning Hollis walked the rows with a smoker and a notebook, and every morning Pim Ostrow came to watch.

"You'll get stung," Hollis said.

"I never do," said Pim. She sat on the wall and swung her legs. "Hollis, why do they dance?"

Hollis laughed and told her about the sun and the flowers, and Pim listened the way she always did, with her whole face. When the bell rang, Pim ran home, and Hollis went back to the hives."""

OTHER = """Dorran Lisk ran the night ferry for thirty years. Dorran knew every light on the water.

One winter a girl named Sefa Moor rode the ferry every night. "Where are you going?" Dorran asked her.

"Across," Sefa said. Dorran laughed. Sefa did not.

On the last night of winter, Sefa left a letter on the bench, and Dorran read it by the wheelhouse lamp."""


def _first_person_excerpt(coref: Path) -> None:
    """A LitBank-style excerpt told in the first person by Wren, whom Osric calls by name,
    with its coreference chains (brat mentions, tsv chains)."""
    text = ("I came home on the ferry . I was tired . “ Wren , you look terrible , ” said Osric .\n"
            "I laughed . I hugged him . “ Come on , Wren , ” he said .\n"
            "I followed him up the hill . I was glad . I slept . I woke . I ate . I sang .\n")
    marks: list[tuple[str, int, str, str]] = []  # kind, start, surface, chain
    for token in re.finditer(r"\S+", text):
        word, at = token.group(), token.start()
        if word == "I":
            marks.append(("PRON_PER", at, "I", "Wren-0"))
        elif word in ("Wren", "Osric"):
            marks.append(("PROP_PER", at, word, f"{word}-{int(word == 'Osric')}"))
    (coref / "tsv").mkdir(parents=True, exist_ok=True)
    (coref / "brat" / "d2_brat.txt").write_text(text, encoding="utf-8")
    (coref / "brat" / "d2_brat.ann").write_text("".join(
        f"T{i}\t{kind} {a} {a + len(w)}\t{w}\n" for i, (kind, a, w, _c) in enumerate(marks)),
        encoding="utf-8")
    (coref / "tsv" / "d2_brat.ann").write_text("".join(
        f"COREF\tT{i}\t{c}\n" for i, (*_rest, c) in enumerate(marks)), encoding="utf-8")


def _shared(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    seeds = shared / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "000_mine.txt").write_text("Work Header\n\nBees\n\nWork Text:\n\n" + STORY + "\n",
                                        encoding="utf-8")
    gold = {"works": {"000_mine.txt": {
        "title": "Bees",
        "characters": {"main": {"Hollis Varga": ["Hollis", "Hollis Varga"], "Pim Ostrow": ["Pim"]},
                       "mentioned": {}},
        "not_characters": ["Chapel"],
        "pov": {"person": "third", "reader_insert": False},
        "tense": {"any_of": ["past"]},
    }}}
    (seeds / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    corpus = shared / "corpus"
    (corpus / "fanfic").mkdir(parents=True)
    works = [
        {"id": "x:1", "title": "Bees", "text": "Chapter 1: One\n\n" + STORY, "fandoms": ["Original Work"],
         "characters": ["Hollis Varga", "Pim Ostrow", "Original Characters"], "freeforms": ["POV Third Person"],
         "relationships": ["Hollis Varga & Pim Ostrow", "Hollis Varga/Unknown"]},
        {"id": "x:2", "title": "Ferry", "text": OTHER, "fandoms": ["Original Work"],
         "characters": ["Dorran Lisk (Original Work)", "Sefa Moor"], "freeforms": [], "relationships": []},
        {"id": "x:3", "title": "Not in the splits", "text": OTHER, "fandoms": [], "characters": [],
         "freeforms": [], "relationships": []},
    ]
    (corpus / "fanfic" / "works.jsonl").write_text("\n".join(json.dumps(w) for w in works), encoding="utf-8")
    (corpus / "novels").mkdir()
    novel = {"id": "n:1", "title": "Ferry", "narrative_person": 3, "text": OTHER.replace(". ", ".\n", 3),
             "characters": [{"name": "Dorran Lisk", "aliases": ["Dorran", "Dorran Lisk"], "category": "major"},
                            {"name": "Sefa Moor", "aliases": ["Sefa", "Sefa Moor"], "category": "major"},
                            {"name": "_group", "aliases": ["_group"], "category": "minor"}]}
    (corpus / "novels" / "novels.jsonl").write_text(json.dumps(novel), encoding="utf-8")
    brat = corpus / "litbank" / "coref" / "brat"
    brat.mkdir(parents=True)
    text = "“ Sefa , wait , ” Dorran said .\nBut Sefa did not wait , and Dorran watched her go .\n"
    spans = [(text.index("Sefa"), text.index("Sefa") + 4), (text.index("Dorran"), text.index("Dorran") + 6)]
    second = text.index("Sefa did")
    spans.append((second, second + 4))
    (brat / "d1_brat.txt").write_text(text, encoding="utf-8")
    (brat / "d1_brat.ann").write_text("".join(
        f"T{i}\tPROP_PER {a} {b}\t{text[a:b]}\n" for i, (a, b) in enumerate(spans)), encoding="utf-8")
    _first_person_excerpt(corpus / "litbank" / "coref")
    splits = {"about": "test", "fanfic": {"dev": ["x:1"], "test": ["x:2"]},
              "novels": {"dev": [], "test": ["n:1"]}, "litbank": {"dev": ["d1"], "test": ["d2"]},
              "seeds": {"dev": ["000_mine.txt"], "test": []}}
    (corpus / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    return shared


def test_run_reports_per_dataset_and_split(tmp_path: Path) -> None:
    out = io.StringIO()
    report = run(_shared(tmp_path), canon=False, details=True, out=out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(report))
    seeds = report["seeds"]["text_only"]
    assert seeds["dev"]["main_recall"] == 1.0 and seeds["dev"]["main_precision"] == 1.0
    assert seeds["dev"]["pov_accuracy"] == 1.0 and seeds["dev"]["tense_accuracy"] == 1.0
    assert seeds["dev"]["not_characters_reported"] == 0
    fanfic = report["fanfic"]["text_only"]
    assert set(fanfic["works"]) == {"dev", "test"}  # x:3 is in no split: never read
    assert [r["id"] for r in fanfic["works"]["test"]] == ["x:2"]
    assert fanfic["test"]["main_recall"] == 1.0 and fanfic["dev"]["pov_accuracy"] == 1.0
    novels = report["novels"]["text_only"]
    assert "dev" not in novels and novels["test"]["main_recall"] == 1.0
    lit = report["litbank"]["pipeline"]["dev"]
    assert lit["gold"] == 3 and lit["exact"]["recall"] == 1.0  # the second "Dorran" is not gold
    assert lit["exact"]["precision"] == 0.75
    # the narrator others call "Wren" is named, and rightly (LitBank's chain of the I's)
    assert report["litbank"]["narrators"] == {"test": {
        "first_person": 1, "gold_named": 1, "named": 1, "named_right": 1,
        "precision": 1.0, "recall": 1.0}}
    assert report["canon"].startswith("unavailable")


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--shared", str(_shared(tmp_path)), "--datasets", "seeds", "--no-canon"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert set(data) == {"shared", "canon", "seeds", "test_and_seeds",
                         "seeds_all_relationships_found"}
    assert set(data["seeds"]) == {"text_only"}


def test_each_work_is_analysed_once_and_scored_for_every_layer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ficshelf.understand.pipeline import Pipeline

    calls: list[int] = []
    real = Pipeline.run

    def counting(self: Pipeline, doc: Document) -> Document:
        calls.append(len(doc.texts))
        return real(self, doc)

    monkeypatch.setattr(Pipeline, "run", counting)
    report = run(_shared(tmp_path), datasets=("seeds", "fanfic", "novels"), canon=False,
                 details=True, quiet=True)
    assert len(calls) == 4  # one seed, two fan-fiction works in the splits, one novel
    seed = report["seeds"]["text_only"]["works"]["dev"][0]
    # characters, POV and tense next to relationships, fandom and rating: one record
    assert {"main_tp", "pov_ok", "tense_ok", "relationships", "fandom", "rating"} <= set(seed)
    assert seed["relationships"]["pair"] == {"tp": 0, "fp": 0, "fn": 0, "precision": None,
                                             "recall": None, "f1": None}
    novel = report["novels"]["text_only"]["works"]["test"][0]
    assert "relationships" not in novel and novel["pov_ok"]
    dev = report["fanfic"]["text_only"]["dev"]
    kind = dev["relationships_kind"]
    assert dev["main_recall"] == 1.0 and kind["tp"] + kind["fn"] == 1
    assert dev["relationships_unscorable_tags"] == 1  # "Unknown" is nobody the text can name
    assert dev["fandom_top1"]["n"] == 0  # no canon base: the fandom is not judged
    # the author's "POV Third Person" is no tag ficshelf suggests: nothing to find
    assert dev["freeforms"]["works"] == 1 and dev["freeforms"]["possible"] == 0
    assert report["test_and_seeds"]["text_only"]["relationships_pair"]["fn"] == 0


def test_freeform_suggestions_are_scored_against_the_gold_in_any_wording() -> None:
    got = freeform_score(["Angst", "Happy Ending", "Pining", "Fluff"],
                         ["Angst with a Happy Ending", "Mutual Pining", "Slow Burn", "Hurt/Comfort"])
    assert got["matched"] == ["Angst", "Happy Ending", "Pining"]  # not Fluff
    # of ficshelf's own tags, those the gold states, and those it suggested
    assert sorted(got["possible"]) == ["Angst", "Happy Ending", "Hurt/Comfort", "Pining"]
    assert sorted(got["found"]) == ["Angst", "Happy Ending", "Pining"]
    # a text that stops before the work ends: its ending is not the work's
    cut = freeform_score(["Sad Ending", "Angst"], ["Angst", "Unhappy Ending"], endings=False)
    assert cut["predicted"] == ["Angst"] and cut["possible"] == ["Angst"]
    assert freeform_score(["Sad Ending"], ["Unhappy Ending"])["matched"] == ["Sad Ending"]


def test_unknown_data_set_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown data set"):
        run(_shared(tmp_path), datasets=("seeds", "poems"), canon=False, quiet=True)


def test_matching_helpers() -> None:
    assert norm("the Black Widow") == "black widow"
    assert tag_names("Fen'Harel | Solas") == ["Fen'Harel", "Solas"]
    assert tag_names("CT-7567 | Rex") == ["Rex"]
    assert is_generic_tag("Original Female Character(s)") and not is_generic_tag("Pim Ostrow")
    gold = [GoldChar(name="Ada Quill", aliases=()), GoldChar(name="Bram Quill", aliases=("Bram",))]
    # a distinctive given name decides; a shared surname alone does not
    assert assign([["Ada"], ["Bram Quill"], ["Quill"], ["Nobody"]], gold) == [0, 1, None, None]


def test_span_scores_and_totals() -> None:
    assert span_prf([(0, 4), (10, 14)], [(0, 4), (11, 14), (20, 22)]) == {
        "gold": 2, "pred": 3, "exact": 1, "overlap": 2}
    totals = aggregate([{"main_tp": 1, "main_gold": 2, "main_pred": 1, "main_pred_correct": 1,
                         "pov_ok": True}, {"main_tp": 2, "main_gold": 2, "main_pred": 3,
                                           "main_pred_correct": 2, "pov_ok": False}])
    assert totals["main_recall"] == 0.75 and totals["main_precision"] == 0.75
    assert totals["pov_accuracy"] == 0.5 and totals["pov_judged"] == 2


def test_a_missed_main_character_is_reported_with_the_reason() -> None:
    # gold 0, 1, 2 are the prominent tagged people the predictions were matched to
    preds = [Character(name="Ada Quill", mentions=40, role="main"),
             Character(name="Bram Ode", mentions=10, role="secondary"),
             Character(name="Cy Lund", mentions=20, role="secondary")]
    match = [0, 1, 2]
    assert _main_miss_reason(preds, match, 1) == "named too rarely for main"  # 10 < 0.3 * 40
    assert _main_miss_reason(preds, match, 2) == "too narrow a spread or only in dialogue"
    assert _main_miss_reason(preds, [0, None, 2], 1) == "not in the cast"
    totals = aggregate([{"missed_main_why": ["not in the cast"]},
                        {"missed_main_why": ["not in the cast", "named too rarely for main"]}])
    assert totals["main_missed_by_reason"] == {"named too rarely for main": 1, "not in the cast": 2}


def test_text_preparation() -> None:
    chapters = chapters_from_text("Intro.\n\nChapter 1: A\n\nOne.\n\nChapter 2\n\nTwo.")
    assert [(c.number, c.text) for c in chapters] == [(1, "Intro.\n\nOne."), (2, "Two.")]
    assert unwrap("a b\nc d.\n\nE f.") == "a b c d.\n\nE f."
    text = "“ Hi , Pim , ” he said .\nShe left ."
    clean, where = detokenize(text)
    assert clean == "“Hi, Pim,” he said.\nShe left."
    i = clean.index("Pim")
    assert text[where[i]:where[i + 2] + 1] == "Pim"
