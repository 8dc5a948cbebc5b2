"""Speed is a requirement: words per second on one core, linear in the text, bounded memory.

The text is generated here (invented names, template sentences).
"""

from __future__ import annotations

import random
import time
import tracemalloc

from ficshelf.model import Chapter, Work
from ficshelf.understand import analyze
from ficshelf.understand.bench import words_per_second

NAMES = ["Oswin Tarrow", "Liss", "Maren Holt", "Teodor", "Quill", "Ysolde Varr", "Brannock"]
PLACES = ["Kelmarsh", "the mill", "Doverry", "the north road"]
NARRATION = [
    "{a} crossed the yard and looked at {b}.",
    "{a} had not slept, and {b} knew it.",
    "The rain came down over {p} for most of the afternoon.",
    "{a} shook his head and turned back to the window.",
    "In {p}, nobody asked questions of strangers.",
    "She waited by the door while {a} counted the coins twice.",
    "It was late when {b} finally came home from {p}.",
]
DIALOGUE = [
    "“We leave at dawn, {b},” {a} said.",
    "“Not without the horses,” said {a}.",
    "“{b}, listen to me. Nobody in {p} will help us.”",
    "“Fine,” {a} muttered. “Have it your way.”",
]


def _text(words: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    chapters: list[str] = []
    while sum(len(c.split()) for c in chapters) < words:
        paras = []
        for _ in range(60):
            sents = []
            for _ in range(rng.randint(2, 5)):
                pool = DIALOGUE if rng.random() < 0.3 else NARRATION
                a, b = rng.sample(NAMES, 2)
                sents.append(rng.choice(pool).format(a=a, b=b, p=rng.choice(PLACES)))
            paras.append(" ".join(sents))
            if rng.random() < 0.05:
                paras.append("* * *")
        chapters.append("\n\n".join(paras))
    return chapters


def _work(chapters: list[str]) -> Work:
    return Work(title="t", chapters=tuple(Chapter(number=i + 1, text=c) for i, c in enumerate(chapters)))


def test_words_per_second_on_one_core() -> None:
    report = words_per_second([_text(60_000)], repeat=2)
    assert report["words"] >= 50_000
    # the target is 300,000 words/s; measured with CPU time so other programs on the
    # machine do not count; a slow machine still clears half of it
    assert report["pipeline_words_per_second"] >= 150_000, report
    assert report["ratio_to_tokenizer"] < 60, report


def test_time_grows_linearly_and_memory_stays_small() -> None:
    small, large = _work(_text(20_000, seed=1)), _work(_text(80_000, seed=2))
    analyze(small)

    def cpu(work: Work) -> float:
        best = float("inf")
        for _ in range(2):
            t0 = time.process_time()
            analyze(work)
            best = min(best, time.process_time() - t0)
        return best

    ratio = cpu(large) / cpu(small)
    assert ratio < 7, ratio  # four times the words: no quadratic step
    tracemalloc.start()
    analyze(large)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 60 * 2**20, peak / 2**20


def test_analysis_of_generated_text_is_sane() -> None:
    a = analyze(_work(_text(20_000)))
    assert a.pov is not None and a.pov.person == "third"
    assert a.tense is not None and a.tense.value == "past"
    mains = {c.name for c in a.characters if c.role == "main"}
    assert mains and mains <= set(NAMES)
    assert not any(c.name in ("Kelmarsh", "Doverry") for c in a.characters)
