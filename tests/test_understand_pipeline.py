"""The pipeline: declared needs and outputs are checked, documents stay immutable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from ficshelf.errors import AnalysisError
from ficshelf.model import Chapter, Work
from ficshelf.understand import (
    Document,
    Pipeline,
    analyze,
    component,
    core_pipeline,
    default_pipeline,
    run,
)
from ficshelf.understand.analysis import analysis_from_dict
from ficshelf.understand.keys import CAST, CHARACTERS, DIALOGUE, NARRATION, POV, TENSE

STORY = (
    "Mira Vance crossed the yard at dusk. “You’re late,” Oren said.\n\n"
    "Mira shrugged. “The ferry was slow, Oren.” She set her bag down.\n\n"
    "* * *\n\n"
    "Later, Oren watched Mira sleep by the fire, and he thought about the river."
)


def _work(*texts: str) -> Work:
    return Work(title="t", chapters=tuple(Chapter(number=i + 1, text=t) for i, t in enumerate(texts)))


@component(name="one", provides=("a",))
def _one(doc: Document) -> dict[str, int]:
    return {"a": 1}


@component(name="two", needs=("a",), provides=("b",))
def _two(doc: Document) -> dict[str, int]:
    return {"b": doc.get("a") + 1}


def test_order_is_checked_before_running_and_names_the_component() -> None:
    with pytest.raises(AnalysisError, match="'two' needs 'a'"):
        Pipeline((_two, _one))


def test_a_key_provided_twice_is_refused() -> None:
    @component(name="again", provides=("a",))
    def again(doc: Document) -> dict[str, int]:
        return {"a": 2}

    with pytest.raises(AnalysisError, match="'again' provides 'a'"):
        Pipeline((_one, again))


def test_a_component_must_return_exactly_what_it_declares() -> None:
    @component(name="liar", provides=("c",))
    def liar(doc: Document) -> Mapping[str, Any]:
        return {"d": 1}

    with pytest.raises(AnalysisError, match="'liar' returned"):
        Pipeline((liar,)).run(Document.from_texts("x"))


def test_run_adds_layers_to_a_new_document() -> None:
    doc = Document.from_texts("x")
    out = Pipeline((_one, _two)).run(doc)
    assert out.get("b") == 2
    assert not doc.has("a")  # the input is untouched
    with pytest.raises(AnalysisError, match="no 'zzz' layer"):
        out.get("zzz")


def test_add_inserts_after_a_named_component() -> None:
    @component(name="mid", needs=("a",), provides=("m",))
    def mid(doc: Document) -> dict[str, int]:
        return {"m": 0}

    p = Pipeline((_one, _two)).add(mid, after="one")
    assert p.names == ("one", "mid", "two")
    with pytest.raises(AnalysisError):
        p.add(mid, after="nope")


def test_default_pipeline_shape() -> None:
    p = core_pipeline()
    assert p.names == ("segment", "names", "cast", "descriptions", "pov", "tense",
                       "characters")
    whole = default_pipeline()
    assert whole.names[: len(p.names)] == p.names
    assert {"relationships", "fandoms", "categories", "rating", "warnings", "freeforms", "arc"} <= whole.provides
    assert {DIALOGUE, NARRATION, CAST, POV, TENSE, CHARACTERS} <= p.provides
    rows = p.describe()
    assert rows[0] == {"name": "segment", "needs": [], "provides": ["dialogue", "narration", "scenes"]}


def test_analysis_json_shape_and_round_trip() -> None:
    a = analyze(_work(STORY))
    d = a.to_dict()
    assert {"characters", "pov", "tense", "relationships", "fandoms", "arc"} <= set(d)
    names = {c["name"]: c for c in d["characters"]}
    assert names["Mira Vance"]["role"] == "main"
    assert set(names["Mira Vance"]) >= {"name", "aliases", "mentions", "role", "evidence"}
    assert d["pov"]["person"] == "third" and d["pov"]["reader_insert"] is False
    assert d["tense"]["value"] == "past"
    assert analysis_from_dict(d).to_dict() == d


def test_pipeline_is_a_pure_function_of_the_text() -> None:
    w = _work(STORY, STORY.replace("Mira", "Mira"))
    assert analyze(w) == analyze(w)
    doc = run(w)
    assert doc.texts == (w.chapters[0].text, w.chapters[1].text)
