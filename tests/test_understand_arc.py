"""The emotional arc: VADER valence with negation, Reagan et al.'s shapes, the ending."""

from __future__ import annotations

import functools
import math
import random
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, SHARED, need_shared
from ficshelf.model import Chapter, Work
from ficshelf.understand import arc as arc_module
from ficshelf.understand.arc import SHAPES, Arc, build_arc, shape_of, valence_hits
from ficshelf.understand.cuescan import scan_cues
from ficshelf.understand.document import Document
from ficshelf.understand.inference import components, inference_pipeline
from ficshelf.understand.lexicons import NEGATORS, VALENCE_EXCLUDED, lowered, valence_lexicon
from ficshelf.understand.pipeline import Pipeline
from ficshelf.understand.run import default_pipeline
from inference_stories import (
    BITTERSWEET,
    COFFEE,
    FRIENDSHIP,
    MULTI,
    READER,
    ROMANCE,
    SAD,
    SIBLINGS,
)


@functools.cache
def _pipeline() -> Pipeline:
    return inference_pipeline()


def _arc(*texts: str) -> Arc:
    doc = Document.from_texts(*texts)
    return build_arc(doc, scan_cues(doc))


# --- valence -------------------------------------------------------------------------


def test_lexicon_is_vaders_without_function_words() -> None:
    lex = valence_lexicon()
    assert len(lex) > 7000
    assert lex["happy"] > 2 and lex["dead"] < -2
    assert not VALENCE_EXCLUDED & set(lex)
    assert ":)" not in lex  # emoticons are not words


def test_negation_within_three_words() -> None:
    low = "she was happy. she was not happy. he never was very happy. no, she was happy."
    pos, vals = valence_hits(low)
    words = [low[p:low.index(" ", p) if " " in low[p:] else len(low)].strip(".,") for p in pos]
    assert words == ["happy", "happy", "happy", "happy"]
    plain = vals[0]
    assert vals[1] == pytest.approx(plain * -0.74)
    assert vals[2] == pytest.approx(plain * -0.74)      # never ... within three words
    assert vals[3] == pytest.approx(plain)              # "No," answers: not a negation


def test_negation_stops_at_the_sentence_and_after_three_words() -> None:
    _, vals = valence_hits("he did not. happy days.")
    assert vals == [pytest.approx(valence_lexicon()["happy"])]
    _, far = valence_hits("not one of the four was happy")
    assert far == [pytest.approx(valence_lexicon()["happy"])]
    _, curly = valence_hits(lowered("She didn’t seem happy"))
    assert curly[0] < 0


def test_a_word_after_an_apostrophe_counts() -> None:
    # "y’can’t" holds the negator "can’t"; "love’s" is no lexicon word
    _, vals = valence_hits(lowered("“Y’can’t freak out, alright?”"))
    assert vals[0] == pytest.approx(valence_lexicon()["freak"] * -0.74)
    pos, _ = valence_hits("love’s labour")
    assert pos == []


@functools.cache
def _reference_regex() -> re.Pattern[str]:
    """The plain definition of a lexicon hit, one alternation of every word: it starts
    at a word boundary and ends at one not followed by an apostrophe and a letter."""
    words = set(valence_lexicon()) | NEGATORS
    forms = words | {w.replace("'", "’") for w in words}
    alternation = "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b(?!['’]\w)")


_VOCAB = ("happy", "sad", "love", "love’s", "y’can’t", "y’sad", "can't", "cannot", "not", "no",
          "don’t", "alright", "freak", "o'clock", "happy2", "_sad", "the", "Happy", "won't've",
          "hate")


@given(st.lists(st.sampled_from(_VOCAB), max_size=30),
       st.lists(st.sampled_from((" ", ", ", ". ", "\n", "—", " ‘", "’ ", "-")), min_size=30,
                max_size=30))
@settings(max_examples=200, deadline=None)
def test_valence_hits_are_where_the_plain_definition_says(words: list[str],
                                                          gaps: list[str]) -> None:
    low = lowered("".join(w + g for w, g in zip(words, gaps, strict=False)))
    pos, vals = valence_hits(low)
    expected = [m.start() for m in _reference_regex().finditer(low)
                if m.group().replace("’", "'") not in NEGATORS]
    assert pos == expected
    assert len(vals) == len(pos)


# --- shapes --------------------------------------------------------------------------


def _template(shape: str, n: int) -> list[float]:
    ts = [i / (n - 1) for i in range(n)]
    return {
        "rise": ts,
        "fall": [-t for t in ts],
        "rise-fall": [math.sin(math.pi * t) for t in ts],
        "fall-rise": [-math.sin(math.pi * t) for t in ts],
        "rise-fall-rise": [-math.cos(3 * math.pi * t) for t in ts],
        "fall-rise-fall": [math.cos(3 * math.pi * t) for t in ts],
    }[shape]


@settings(max_examples=40, deadline=None)
@given(shape=st.sampled_from(SHAPES), n=st.integers(20, 50), seed=st.integers(0, 10_000),
       scale=st.floats(0.1, 5.0), offset=st.floats(-2.0, 2.0))
def test_shapes_are_recovered_from_noisy_series(shape: str, n: int, seed: int, scale: float,
                                                offset: float) -> None:
    rng = random.Random(seed)
    series = [offset + scale * (v + rng.gauss(0, 0.1)) for v in _template(shape, n)]
    got, fit = shape_of(series)
    assert got == shape
    assert fit > 0.8


def test_series_has_twenty_to_fifty_points() -> None:
    short = _arc(ROMANCE)
    assert len(short.values) == 20
    long_text = "\n\n".join([ROMANCE, SAD, FRIENDSHIP, SIBLINGS, COFFEE] * 120)
    long_arc = _arc(long_text)
    assert len(long_arc.values) == 50
    assert all(math.isfinite(v) for v in long_arc.values)


def test_a_long_work_is_read_in_a_sample_and_its_close_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a work of over a million characters: its valence is read in SAMPLE_CHARS spread
    # over it, and the close whole; the arc still falls from the romance to the loss
    read: list[tuple[int, int]] = []
    plain = arc_module.valence_hits

    def counted(low: str, start: int = 0, end: int | None = None
                ) -> tuple[list[int], list[float]]:
        read.append((start, len(low) if end is None else end))
        return plain(low, start, end)

    monkeypatch.setattr(arc_module, "valence_hits", counted)
    text = "\n\n".join([ROMANCE, FRIENDSHIP] * 600 + [SAD] * 600)
    assert len(text) > 1_000_000
    arc = _arc(text)
    assert sum(e - s for s, e in read) < arc_module.SAMPLE_CHARS + arc_module.CLOSING_MAX
    assert read[-1][1] == len(text)  # the close is read to its last word
    assert arc.shape in ("fall", "rise-fall") and arc.ending == "sad"
    assert len(arc.values) == 50 and arc.values[0] > 0 > arc.values[-1]


def test_a_story_that_gets_worse_falls() -> None:
    arc = _arc("\n\n".join([ROMANCE, FRIENDSHIP, SAD]))
    assert arc.shape in ("fall", "rise-fall")
    assert arc.ending == "sad"


def test_no_lexicon_words() -> None:
    arc = _arc("Tables. Chairs. Windows and doors.")
    assert set(arc.values) == {0.0}
    assert arc.ending in ("happy", "sad", "bittersweet", "open")


# --- endings --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "ending"), [
    (ROMANCE, "happy"), (READER, "happy"), (MULTI, "happy"), (SAD, "sad"),
    (BITTERSWEET, "bittersweet"),
])
def test_endings(text: str, ending: str) -> None:
    doc = _pipeline().run(Document.from_texts(text))
    arc = doc.get("arc")
    assert arc.ending == ending
    # the evidence is the close of the story, quoted exactly
    assert arc.evidence
    for ev in arc.evidence:
        assert text[ev.start:ev.end] == ev.text
        assert ev.start >= len(text) * 0.6


def test_unfinished_work_ends_open() -> None:
    work = Work(title="t", complete=False, chapters=(Chapter(number=1, text=ROMANCE),))
    arc = _pipeline().run(Document.from_work(work)).get("arc")
    assert arc.ending == "open"


#: A dark story whose close is still a little dark but much less so, with no loss in it.
COMFORTED = (
    "The storm had been raging for hours and Mara was bleeding, cold, afraid and furious at "
    "everyone. The wound burned. She screamed at the pain and cursed the war, the lies, the "
    "betrayal, the terrible cold. Nobody came. She hated them all, hated the dark and the hunger "
    "and the fear.\n\nAt the gate she fell. Someone shouted. The guards were angry and rough and "
    "the stairs were brutal. She fought them, weak and desperate, and lost, and wept with rage."
    "\n\nThen Oren was there, kneeling in the mud, and he carried her inside.\n\n"
    "By morning the fever had broken. The rain was still loud on the roof and her leg was stiff "
    "and sore, but Oren sat beside the bed with a cup of tea, and she let herself sleep.")


def test_hurt_comforted_without_loss_is_not_a_sad_ending() -> None:
    arc = _arc(COMFORTED)
    assert arc.closing < 0 and arc.closing > arc.mean
    assert arc.ending == "happy"
    assert arc.confidence < 0.5
    # the same close after a brighter story is below its level: sad
    assert _arc(ROMANCE + "\n\n" + COMFORTED.split("\n\n", 1)[1]).ending != "happy"


def test_ending_reads_the_last_chapter() -> None:
    doc = _pipeline().run(Document.from_texts(SAD, ROMANCE))
    arc = doc.get("arc")
    assert arc.ending == "happy"
    assert all(ev.chapter == 2 for ev in arc.evidence)


def test_arc_json() -> None:
    data = _pipeline().run(Document.from_texts(ROMANCE)).get("arc").to_dict()
    assert set(data) >= {"values", "shape", "ending", "evidence"}
    assert data["shape"] in SHAPES
    assert 20 <= len(data["values"]) <= 50


def test_seed_endings_match_gold() -> None:
    import json

    from ficshelf.evaluate.data import load_seeds

    need_shared(SEEDS / "gold.json")
    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))["works"]
    for case in load_seeds(SHARED):
        arc = _pipeline().run(Document.from_work(case.work)).get("arc")
        assert arc.ending in gold[case.id]["ending"]["any_of"], case.id


# --- speed ---------------------------------------------------------------------------


def test_inference_components_are_fast() -> None:
    """Our components alone, on ~100k words of our stories: well above 300k words/s."""
    text = "\n\n* * *\n\n".join([ROMANCE, FRIENDSHIP, SIBLINGS, READER, SAD, COFFEE] * 90)
    doc = default_pipeline().run(Document.from_texts(*[text[i:i + 60_000]
                                                       for i in range(0, len(text), 60_000)]))
    words = doc.words
    assert words > 80_000
    best = math.inf
    for _ in range(2):
        d = doc
        t0 = time.process_time()
        for comp in components():
            d = d.with_layers(comp(d))
        best = min(best, time.process_time() - t0)
    assert words / best > 300_000, f"{words / best:.0f} words per CPU-second"


#: A short story whose closing passage is mostly a fight, and whose last lines are warm.
LAST_LINES = (
    "The village was quiet in the morning and Tessaly walked to the well with her brother. "
    "The sun was out. The bread was warm and the baker waved.\n\n"
    + "They drew water and carried it home, and her brother counted the buckets, and their "
      "mother mended a net by the door. The goats were in the field. The road ran down to "
      "the river and the river ran down to the sea, and a cart went by with turnips.\n\n" * 8 +
    "The raiders came at noon. They burned the barn and scattered the goats, and the screaming "
    "went on and on. Tessaly fought with a pitchfork, terrified, bleeding, furious; a man "
    "struck her and she fell in the mud and the pain was terrible. Her brother was hurt, "
    "his arm broken, and the smoke was choking and black and the fire would not die. "
    "It was the worst day of her life. Nobody came to help. The raiders laughed and rode away "
    "with the grain, and the village stood in the ruins.\n\n"
    "That night they sat together by the fire. Her brother squeezed her hand, and she smiled. "
    "They were alive. They were together. Their friends came with blankets and soup, and "
    "someone sang, and the children laughed. Tomorrow they would build again, and she was "
    "glad, and grateful, and at peace, and she loved them all.")


def test_the_last_lines_weigh_most_in_how_a_story_ends() -> None:
    """The closing passage is weighted toward its end: a battle in it, and then warm last
    lines, is a happy ending, not a sad one."""
    arc = _arc(LAST_LINES)
    assert arc.ending == "happy"


#: A bright story whose close is an angry, desperate kiss: dark words, no loss.
FURIOUS_KISS = (
    "The harbour was bright and the gulls were happy and Ilse laughed at everything. She loved "
    "the boats, the sun, the good bread, the fine warm wind. Her friends were kind and the days "
    "were lovely and sweet.\n\n"
    "Then Tam came back from the war. He was tired and bitter and sore, and he would not say "
    "what was wrong. They quarrelled on the quay, furious, shouting, both of them wrong.\n\n"
    "\"You idiot,\" Ilse said. \"You stupid, stubborn, impossible idiot.\"\n\n"
    "She grabbed his collar and kissed him, hard and angry and desperate, like she had been "
    "waiting years and hated every one of them.")


def test_a_dark_close_with_a_kiss_and_no_loss_is_no_sad_ending() -> None:
    """A close whose words are angry but holds a kiss and no loss reads happy (at low
    confidence), even well below a bright story's level; the same close with a death in it
    stays sad."""
    arc = _arc(FURIOUS_KISS)
    assert arc.closing < 0 and arc.closing < arc.mean
    assert arc.ending == "happy" and arc.confidence < 0.5
    dead = FURIOUS_KISS + " Then he died in her arms, and she was alone."
    assert _arc(dead).ending == "sad"
