"""Shared helpers for the web tests: small works written for these tests (not
taken from anywhere), a deterministic stand-in analyser that follows the
``understand`` JSON contract, and a live uvicorn server in a thread.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from ficshelf.model import ArchiveWarning, Category, Chapter, Rating, Stats, Tags, Work

LIGHTHOUSE_1 = """\
The ledger lived in the drawer under the lamp, and Mara Quell wrote in it every night at nine.

Wind from the north. Two ships passed. The gulls were loud about nothing.

Tobias Fenn arrived on the supply boat with a crate of oranges and a letter nobody had asked for. "I'm the new relief keeper," he said, as if that explained the oranges.

Mara looked at him for a long moment. "The last relief keeper lasted nine days."

* * *

By the second week Tobias had learned where the stairs creaked and which window leaked when the wind turned east. He learned that Mara took her tea without sugar and her silences without comment.

"You write everything down," he said one night, watching her pen.

"Everything that matters," said Mara, and did not write him down, not yet."""

LIGHTHOUSE_2 = """\
The storm came in on a Tuesday and stayed until Friday.

They kept the lamp burning in turns, four hours each, and slept in the gaps like cats. On the third night Tobias brought her a cup of tea and sat on the step below her, close enough that their shoulders touched.

"I'm glad you stayed," Mara said, and was surprised to find it true.

He kissed her then, carefully, as if she were a page that might tear. She kissed him back.

In the morning she opened the ledger and wrote: Wind from the west. One ship passed. Tobias."""

ASHES = """\
Captain Ilse Varro buried her brother at the edge of the burning field, because there was nowhere else to do it.

The smoke did not lift for three days. Nobody in the company spoke his name, and nobody needed to.

Ilse kept his compass in her coat. It still pointed north, which felt like an insult."""

TEA = """\
Every Sunday Mara Quell took the ferry to the mainland to have tea with Ines Dalo, who had been her best friend since they were nine.

Ines talked about the bakery and the price of flour. Mara talked about the weather, which Ines said was the same as talking about nothing.

"You have a look," Ines said. "Is it the relief keeper?"

Mara laughed so hard she spilled the tea."""

STORMGLASS = """\
The stormglass on the captain's desk clouded over whenever Ilse lied.

Rook noticed it on the second day aboard and said nothing for a month.

When he finally asked, she turned the glass to the wall and poured them both a drink."""


def own_works() -> list[Work]:
    """Four small works written for the tests, AO3-shaped (word counts filled in
    as an AO3 download states them)."""
    works = [
        Work(title="The Lighthouse Keeper's Ledger", authors=("saltwriter",),
             summary="A keeper, a ledger, and a relief keeper who brings oranges.",
             language="English", published=dt.date(2021, 3, 4), updated=dt.date(2021, 4, 1),
             complete=True, chapter_count=2, chapters_expected=2, words=None,
             stats=Stats(kudos=120, hits=2400, bookmarks=15, comments=9),
             tags=Tags(rating=Rating.GENERAL, warnings=(ArchiveWarning.NONE_APPLY,),
                       categories=(Category.FM,), fandoms=("Original Work",),
                       relationships=("Mara Quell/Tobias Fenn",),
                       characters=("Mara Quell", "Tobias Fenn"),
                       freeforms=("Slow Burn", "Fluff", "Lighthouses")),
             chapters=(Chapter(number=1, title="Wind from the North", text=LIGHTHOUSE_1),
                       Chapter(number=2, title="Three Days of Weather", text=LIGHTHOUSE_2))),
        Work(title="Ashes Over Verrin", authors=("emberly",),
             summary="After the battle, a captain and a compass.", language="English",
             published=dt.date(2022, 8, 10), complete=False, chapter_count=1,
             chapters_expected=None, stats=Stats(kudos=30, hits=400),
             tags=Tags(rating=Rating.MATURE, warnings=(ArchiveWarning.MAJOR_CHARACTER_DEATH,),
                       categories=(Category.GEN,), fandoms=("Verrin Chronicles",),
                       characters=("Ilse Varro",), freeforms=("Angst", "Grief/Mourning")),
             chapters=(Chapter(number=1, text=ASHES),)),
        Work(title="Tea at the Crossing", authors=("saltwriter",),
             summary="Sundays, tea, and a best friend who notices everything.",
             language="English", published=dt.date(2021, 6, 1), complete=True, chapter_count=1,
             chapters_expected=1, stats=Stats(kudos=80, hits=900),
             tags=Tags(rating=Rating.GENERAL, warnings=(ArchiveWarning.NONE_APPLY,),
                       categories=(Category.GEN,), fandoms=("Original Work",),
                       relationships=("Mara Quell & Ines Dalo",),
                       characters=("Mara Quell", "Ines Dalo"), freeforms=("Fluff", "Friendship")),
             chapters=(Chapter(number=1, text=TEA),)),
        Work(title="Stormglass", authors=("emberly", "quillfox"),
             summary="A glass that clouds when the captain lies.", language="Deutsch",
             published=dt.date(2023, 1, 20), complete=True, chapter_count=1,
             chapters_expected=1, stats=Stats(kudos=55, hits=700),
             tags=Tags(rating=Rating.TEEN, warnings=(ArchiveWarning.CHOSE_NOT_TO_WARN,),
                       categories=(Category.FM,), fandoms=("Verrin Chronicles",),
                       relationships=("Ilse Varro/Rook",), characters=("Ilse Varro", "Rook"),
                       freeforms=("Slow Burn", "Angst")),
             chapters=(Chapter(number=1, text=STORMGLASS),)),
    ]
    return [w.with_defaults() for w in works]


def _ev(text: str, chapter: int, phrase: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {"chapter": chapter, "start": start, "end": start + len(phrase), "text": phrase}


_NAME = re.compile(r"\b(Mara|Tobias|Ilse|Rook|Ines)\b")


def fake_analyzer(work: Work) -> Mapping[str, Any]:
    """A stand-in for ``understand.analyze(work).to_dict()`` with the same JSON
    shape: characters are the capitalised names above, counted in the text, with
    the first sentence mentioning each as evidence; a romantic relationship when
    a chapter says "kissed"; an arc that falls then rises."""
    counts: dict[str, int] = {}
    first: dict[str, dict[str, Any]] = {}
    for c in work.chapters:
        for m in _NAME.finditer(c.text):
            name = m.group(1)
            counts[name] = counts.get(name, 0) + 1
            if name not in first:
                first[name] = {"chapter": c.number, "start": m.start(), "end": m.end(),
                               "text": name}
    ranked = sorted(counts, key=lambda n: -counts[n])
    data: dict[str, Any] = {
        "characters": [{"name": n, "aliases": [n], "mentions": counts[n],
                        "role": "main" if i < 2 else "secondary", "evidence": [first[n]]}
                       for i, n in enumerate(ranked)],
        "pov": {"person": "third", "reader_insert": False, "focal": ranked[:1],
                "confidence": 0.9, "evidence": []},
        "tense": {"value": "past", "past": 10, "present": 1, "evidence": []},
        "relationships": [], "freeforms": [], "fandoms": [{"tag": "Original Work",
                                                           "confidence": 0.5, "evidence": []}],
        "arc": {"values": [0.2, -0.1, -0.4, -0.2, 0.3, 0.6], "shape": "fall-rise",
                "ending": "happy", "evidence": []},
    }
    for c in work.chapters:
        if "kissed" in c.text and len(ranked) >= 2:
            sentence = next(s for s in re.split(r"(?<=[.!?])\s+", c.text) if "kissed" in s)
            data["relationships"].append({
                "characters": ranked[:2], "kind": "romantic", "tag": "/".join(ranked[:2]),
                "confidence": 0.8, "evidence": [_ev(c.text, c.number, sentence)]})
            data["freeforms"].append({"tag": "First Kiss", "confidence": 0.7,
                                      "evidence": [_ev(c.text, c.number, sentence)]})
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on 127.0.0.1 and a free port; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def sample(path: Path) -> bytes:
    return path.read_bytes()
