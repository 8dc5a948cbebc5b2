"""Every claim carries evidence: chapter number and offsets that quote the text exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, need_shared
from ficshelf.importers import parse_path
from ficshelf.model import Chapter, Work
from ficshelf.understand import Analysis, Evidence, analyze, passage

CHAPTERS = (
    "Tamsin Rook kept the lighthouse alone. “Storm’s coming,” Tamsin said to the gulls.\n\n"
    "Her brother Edric arrived on Tuesday. Edric brought bread and bad news.",
    "Tamsin read the letter twice. “Edric, who sent this?”\n\n"
    "“Nobody you know,” Edric said, and he looked away.",
)


def _all_evidence(a: Analysis) -> list[Evidence]:
    out = [e for c in a.characters for e in c.evidence]
    if a.pov is not None:
        out += list(a.pov.evidence)
    if a.tense is not None:
        out += list(a.tense.evidence)
    return out


def _check(work: Work, a: Analysis) -> int:
    by_number = {c.number: c.text for c in work.chapters}
    evs = _all_evidence(a)
    for ev in evs:
        assert ev.chapter in by_number
        assert by_number[ev.chapter][ev.start:ev.end] == ev.text
        assert ev.text.strip()
    return len(evs)


def test_evidence_quotes_the_chapter_text_exactly() -> None:
    # chapter numbers that do not start at 1 (a saved chapter page) are kept
    work = Work(title="t", chapters=tuple(Chapter(number=n, text=t)
                                           for n, t in zip((4, 5), CHAPTERS, strict=True)))
    a = analyze(work)
    assert _check(work, a) >= 5
    tamsin = a.character("Tamsin")
    assert tamsin is not None and tamsin.evidence
    assert {e.chapter for e in _all_evidence(a)} <= {4, 5}


def test_seed_evidence_quotes_the_text_exactly() -> None:
    for path in sorted(need_shared(SEEDS).glob("*.txt")):
        work = parse_path(path)
        assert _check(work, analyze(work)) > 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .!?\n“”", min_size=1, max_size=300), st.data())
def test_passage_always_contains_the_hit(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    ev = passage(text, 1, start, end)
    assert text[ev.start:ev.end] == ev.text
    assert ev.start <= start and ev.end >= end


# Two names for one man, and two words for the narrator, in one sentence each;
# a setting word and a character's name in the same sentence.
REPEATS = (
    "Bucky Barnes found me on the roof of the Tower, and I let him sit beside me. "
    "Bucky said nothing for a while. “Sam called,” he said at last. “Steve wants us back.”\n\n"
    "Steve Rogers was waiting in the kitchen of Avengers Tower. Steve Rogers always waited. "
    "“Buck,” Steve said, and he kissed him, and Bucky kissed him back. I looked away. "
    "Bucky Barnes loved him; Steve loved Bucky. That was how it was."
)


def _evidence_lists(data: object) -> list[list[dict[str, object]]]:
    """Every ``evidence`` list in an analysis's JSON, at any depth."""
    out: list[list[dict[str, object]]] = []
    if isinstance(data, dict):
        if isinstance(data.get("evidence"), list):
            out.append(data["evidence"])
        for value in data.values():
            out += _evidence_lists(value)
    elif isinstance(data, list):
        for value in data:
            out += _evidence_lists(value)
    return out


def test_no_claim_quotes_the_same_passage_twice() -> None:
    a = analyze(Work(title="t", chapters=(Chapter(number=1, text=REPEATS),)))
    lists = _evidence_lists(a.to_dict())
    # the narrator, Bucky and the fandom all have evidence
    assert len([e for e in lists if e]) >= 4
    for evidence in lists:
        keys = [(e["chapter"], e["start"], e["end"]) for e in evidence]
        assert len(keys) == len(set(keys)), evidence
    bucky = a.character("Bucky")
    assert bucky is not None and len(bucky.evidence) >= 2
