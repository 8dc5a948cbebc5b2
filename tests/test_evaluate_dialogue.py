"""The dialogue benchmark: speakers and addressees against the hand-made gold."""

from __future__ import annotations

import json

from ficshelf.evaluate.dialogue import DEFAULT_DIR, score_dialogue, score_story
from ficshelf.understand.document import Document
from ficshelf.understand.run import default_pipeline

STORY = """Corin found Tamsin on the bridge. Tamsin was leaning over the railing.

“If you jump,” Corin said, “I'm not fishing you out.”

“You came all this way, Corin,” Tamsin said."""


def test_each_line_scores_right_wrong_missing_or_false() -> None:
    """A line credited to the gold's person is ``ok``; to someone else ``wrong``; a gold
    name the cast does not hold ("the ferryman") with an answer is ``false``."""
    doc = default_pipeline().run(Document.from_texts(STORY))
    gold = [
        {"quote": "“If you jump,”", "speaker": "Corin", "addressee": "Tamsin"},
        {"quote": "“I'm not fishing you out.”", "speaker": "Tamsin", "addressee": None},
        {"quote": "“You came all this way, Corin,”", "speaker": "the ferryman",
         "addressee": "Corin"},
    ]
    rec = score_story(doc, gold)
    assert rec["unaligned"] == 0
    assert rec["speaker"] == {"ok": 1, "wrong": 1, "none": 0, "false": 1}
    assert rec["addressee"] == {"ok": 2, "wrong": 0, "none": 0, "false": 1}
    assert {(e["quote"], e["role"], e["verdict"]) for e in rec["errors"]} == {
        ("“I'm not fishing you out.”", "speaker", "wrong"),
        ("“I'm not fishing you out.”", "addressee", "false"),
        ("“You came all this way, Corin,”", "speaker", "false")}


def test_a_gold_line_the_dialogue_layer_cuts_otherwise_is_unaligned() -> None:
    doc = default_pipeline().run(Document.from_texts(STORY))
    rec = score_story(doc, [{"quote": "“If you jump, I'm not fishing you out.”",
                             "speaker": "Corin", "addressee": "Tamsin"}])
    assert rec["unaligned"] == 1
    assert rec["speaker"]["none"] == 1


def test_speakers_and_addressees_hold_on_the_hand_made_gold() -> None:
    """Measured at d8e190b: speakers recall 0.928, precision 0.933; addressees recall
    0.865, precision 0.826 (1,992 lines); with lines said to several said to no one, the
    addressees' precision 0.839; at a6e885d speakers 0.943 / 0.942, addressees 0.886 /
    0.850; at 686546e speakers 0.950 / 0.949,
    addressees 0.894 / 0.857. A change to the turn rules must not fall below these floors."""
    gold = json.loads((DEFAULT_DIR / "turns.json").read_text(encoding="utf-8"))
    assert len(gold) == 107
    report = score_dialogue()
    assert report["lines"] == 1992 and report["unaligned"] == 0
    assert report["speaker"]["recall"] >= 0.94
    assert report["speaker"]["precision"] >= 0.94
    assert report["addressee"]["recall"] >= 0.88
    assert report["addressee"]["precision"] >= 0.845
