"""Tense from narration verbs and point of view from pronouns, dialogue left out."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ficshelf.understand.mentions import UPPER
from ficshelf.understand.pov import decide_person, pov_counts
from ficshelf.understand.segments import blank_spans, dialogue_spans, sample_windows, scene_spans
from ficshelf.understand.tense import tense_of

PAST = ("Wren opened the gate. She walked to the well and drew water. The bucket was heavy, "
        "and she had to rest twice. Her father watched from the porch.")
PRESENT = ("Wren opens the gate. She walks to the well and draws water. The bucket is heavy, "
           "and she has to rest twice. Her father watches from the porch.")


@pytest.mark.parametrize(("text", "value"), [(PAST, "past"), (PRESENT, "present"),
                                             (PAST + " " + PRESENT, "mixed")])
def test_tense(text: str, value: str) -> None:
    assert tense_of(text)[0] == value


def test_dialogue_does_not_vote_for_tense() -> None:
    text = ('“I am tired and I want to go home,” Wren said. “It is late.” ' + PAST)
    narration = blank_spans(text, dialogue_spans(text))
    assert "tired" not in narration
    assert tense_of(narration)[0] == "past"


def test_mixed_quote_marks_and_open_quotes_pair_within_a_paragraph() -> None:
    text = '"You know they\'re here,” she says. "And you know\n\nThey left.'
    spans = dialogue_spans(text)
    assert [text[a:b] for a, b in spans] == ['"You know they\'re here,”', '"And you know']


def test_single_quote_and_dash_dialogue() -> None:
    british = "‘Come in,’ said Ama. ‘Don’t let the cat out.’ She shut the door. ‘Tea?’"
    assert len(dialogue_spans(british)) == 3
    dashes = "— Over here, Bram!\nHe came.\n— Not now.\n— Why not?\nNo answer."
    assert [dashes[a:b] for a, b in dialogue_spans(dashes)] == [
        "— Over here, Bram!", "— Not now.", "— Why not?"]


def test_chat_lines_are_dialogue() -> None:
    chat = "\n\n".join(f"{n}: you there?" for n in ("Ivo", "Sela", "Ivo", "Sela", "Ivo"))
    narration = blank_spans(chat, dialogue_spans(chat))
    assert "you" not in narration and narration.count("Ivo:") == 3


def test_scenes_split_at_breaks() -> None:
    text = "One.\n\n* * *\n\nTwo.\n\n~~~\n\nThree."
    assert [text[a:b].strip() for a, b in scene_spans(text)] == ["One.", "Two.", "Three."]


def test_person_from_pronouns_outside_dialogue() -> None:
    first = "I woke early. My sister was already up. She made me tea and I drank it."
    third = 'He woke early. "I want tea," he said. His sister made him tea and he drank it.'
    assert decide_person(pov_counts(first))[0] == "first"
    narration = blank_spans(third, dialogue_spans(third))
    assert decide_person(pov_counts(narration))[0] == "third"


def test_long_texts_are_sampled_evenly() -> None:
    windows = sample_windows([300_000, 300_000], budget=100_000, window=10_000)
    assert len(windows) == 10
    assert {ci for ci, _, _ in windows} == {0, 1}
    assert all(0 <= a < b <= 300_000 and b - a <= 10_000 for _, a, b in windows)


_FIRST = ("I", "me", "Me", "my", "My", "mine", "Mine", "myself", "Myself")
_SECOND = ("you", "You", "YOU", "your", "Your", "yours", "yourself", "yourselves")
_THIRD = ("he", "He", "him", "his", "His", "himself", "she", "She", "her", "Her", "hers",
          "herself")
_PLURAL = ("we", "We", "us", "Us", "our", "Our", "ours", "ourselves")
#: Words that are not pronouns, or only look like them: no count.
_OTHER = ("i", "ME", "HE", "Hermes", "she'd", "mysterious", "usual", "ourselves2", "mine_",
          "sheath", "owe", "you_", "hymn", "Ian", "me.", "you!", "—his—", "we'll")


@given(st.lists(st.sampled_from(_FIRST + _SECOND + _THIRD + _PLURAL + _OTHER), max_size=40),
       st.lists(st.sampled_from((" ", "  ", "\n", ", ", " \"", "—")), min_size=40,
                max_size=40))
@settings(max_examples=300, deadline=None)
def test_pov_counts_match_a_count_by_hand(words: list[str], gaps: list[str]) -> None:
    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    # by hand: each maximal run of word characters (the apostrophe splits "she'd")
    tokens = re.findall(r"\w+", text)
    got = pov_counts(text)
    assert got["first"] == sum(t in _FIRST for t in tokens)
    assert got["second"] == sum(t in _SECOND for t in tokens)
    assert got["third"] == sum(t in _THIRD for t in tokens)
    assert got["plural"] == sum(t in _PLURAL for t in tokens)


WATCHER = """The workshop was cold when Corin Ashdown came down the stairs. Bram Tolliver was already at the bench, as Bram always was, with a lamp pulled close and a clock in pieces in front of him.

Corin watched him from the doorway for a long moment. He knew that look. Bram had not slept.

"You'll ruin your eyes," Corin said.

Bram did not look up. Bram set a gear in its place, frowned at it and took it out again. Bram's hands were steady; they always were.

Corin sat down on the stool by the stove. He wondered when Bram had last eaten, and he noticed the untouched plate on the shelf, and he thought better of asking. He could tell, from the set of Bram's shoulders, that it would start a fight.

At noon Bram finally put down his tweezers. Bram rubbed his eyes. Bram said, "It runs."

Corin listened. The clock ticked. He felt something in his chest loosen, and he realised he had been holding his breath all morning."""


def test_the_focal_character_is_the_one_whose_eyes_and_thoughts_the_narration_follows(
) -> None:
    """Bram is named more often, but Corin watches, knows, wonders and listens: the
    scene is his. Counting names alone (the ``pov`` layer, before pronouns are
    resolved) gives Bram; the analysis says Corin."""
    from ficshelf.model import Chapter, Work
    from ficshelf.understand import analyze
    from ficshelf.understand.document import Document
    from ficshelf.understand.run import run

    assert run(Document.from_texts(WATCHER)).get("pov").focal[0] == "Bram Tolliver"
    a = analyze(Work(title="t", chapters=(Chapter(number=1, text=WATCHER),)))
    assert a.pov is not None and a.pov.focal[0] == "Corin Ashdown"
    assert a.to_dict()["pov"]["focal"][0] == "Corin Ashdown"


HELPER = """Maren Quill had stopped counting the boats by the time Tobiah Vance came down to the quay. Tobiah was shouting again; he always shouted when the nets came in empty.

"Three days," Tobiah said. "Three days and nothing."

Maren didn't answer. She had understood, somewhere around the second day, that the shouting was how Tobiah kept from being afraid. She couldn't have said when she had learned it.

Tobiah threw a rope onto the deck, and he kicked a bucket. He swore at the gulls. Tobiah was afraid.

She hadn't seen him like this since the winter his brother drowned. She didn't look at him. She could not bear to, and she would not pretend she could."""


def test_perceptions_behind_an_auxiliary_or_a_negation_count_for_the_focal_character(
) -> None:
    """Tobiah is named most, but Maren "had understood", "couldn't have said", "hadn't
    seen", "didn't look", "could not bear": her perceptions hide behind auxiliaries and
    negations, and they still make the scene hers."""
    from ficshelf.understand.document import Document
    from ficshelf.understand.focal import FOCAL
    from ficshelf.understand.run import run

    doc = run(Document.from_texts(HELPER))
    assert doc.get("pov").focal[0] == "Tobiah Vance"
    assert doc.get(FOCAL)[0] == "Maren Quill"


_WREN = ("I wake before Tamsin does, which is a first. I make the tea. I burn the toast. "
         "Tamsin comes down in my jumper and I pretend not to notice.")
_TAMSIN = ("Wren has burnt the toast again, and I am in love with her, and I will never "
           "say so. I eat the toast. I tell Wren it is perfect. It is not.")


def _told_in_turns(*parts: str):  # type: ignore[no-untyped-def]
    from ficshelf.model import Chapter, Work
    from ficshelf.understand import analyze

    return analyze(Work(title="t", chapters=(Chapter(number=1, text="\n\n".join(parts)),)))


def test_sections_headed_by_who_tells_them_have_their_own_narrators() -> None:
    """"WREN" and "TAMSIN" on lines of their own, taking turns: each section's "I" is
    the one its heading names, so "I am in love with her" in Tamsin's is Tamsin's, and
    there is no unnamed Narrator."""
    a = _told_in_turns("WREN", _WREN, "TAMSIN", _TAMSIN, "WREN", _WREN)
    assert a.pov is not None and a.pov.person == "first"
    assert set(a.pov.narrators) == {"Wren", "Tamsin"} and a.pov.narrator == "Wren"
    chars = {c.name: c for c in a.characters}
    assert "Narrator" not in chars
    assert "I" in chars["Wren"].aliases and "I" in chars["Tamsin"].aliases
    assert [set(r["tag"].split("/")) for r in a.to_dict()["relationships"]] == [{"Wren", "Tamsin"}]
    # a heading with "POV" counts even once, decorated or not (its name must be one the
    # story names elsewhere too: names inside headings are not counted)
    b = _told_in_turns("~ Tamsin's POV ~", _TAMSIN, "“Sorry,” Wren says, and hugs Tamsin.")
    assert b.pov is not None and b.pov.narrators == ("Tamsin",)
    assert "Narrator" not in {c.name for c in b.characters}


def test_a_name_alone_on_a_line_once_under_a_letter_or_as_a_sentence_is_no_heading() -> None:
    once = _told_in_turns("WREN", _WREN, _WREN)
    assert once.pov is not None and once.pov.narrators == ("Narrator",)
    letter = _told_in_turns(_WREN, "Yours,", "Tamsin", _TAMSIN, "Love,", "Wren", _WREN)
    assert letter.pov is not None and letter.pov.narrators == ("Narrator",)
    beats = _told_in_turns(_WREN, "Tamsin.", _TAMSIN, "Wren.", _WREN)
    assert beats.pov is not None and beats.pov.narrators == ("Narrator",)


_LETTERS = (
    "Dear Bram,", "The mill is quiet without you. I walk the towpath every evening and I "
    "count the herons. Mrs. Tull says I mope. I do not mope. I miss you, which is different.",
    "Yours, always,", "Oriel",
    "Dear Oriel,", "You mope. I can tell from here. The city is loud and grey and I hate "
    "it, and I keep your letter in my coat. I love you. I should have said so on the bridge.",
    "Love,", "Bram",
    "Dear Bram,", "Come home at midsummer. I will meet you at the bridge, and I will kiss "
    "you there, in front of Mrs. Tull and the herons and everyone.", "All my love,", "Oriel")


def test_a_story_told_in_letters_has_each_letters_writer_say_i_to_its_addressee() -> None:
    """Letters that open "Dear Bram," and are signed "Yours, always, / Oriel": the
    names are people (a salutation calls someone, a signature names who writes), each
    letter's "I" is its writer and its "you" whom it is to, so "I love you" in Bram's
    letter is Bram's to Oriel."""
    a = _told_in_turns(*_LETTERS)
    assert a.pov is not None and a.pov.person == "first" and not a.pov.reader_insert
    assert set(a.pov.narrators) == {"Oriel", "Bram"}
    chars = {c.name: c for c in a.characters}
    assert "Narrator" not in chars
    assert chars["Oriel"].role == "main" and chars["Bram"].role == "main"
    assert "I" in chars["Oriel"].aliases and "I" in chars["Bram"].aliases
    rels = a.to_dict()["relationships"]
    assert [(set(r["tag"].split("/")), r["kind"]) for r in rels] == [({"Oriel", "Bram"},
                                                                     "romantic")]


def test_salutations_call_and_signatures_name_who_writes() -> None:
    from ficshelf.understand.mentions import scan_names

    text = "\n\n".join(_LETTERS)
    forms = scan_names((text,), ((),)).forms
    assert forms["", ("Bram",)].vocative == 2 and forms["", ("Bram",)].tag == 1
    assert forms["", ("Oriel",)].vocative == 1 and forms["", ("Oriel",)].tag == 2


# --- regexes that open with their first letter (re skips ahead to it in C) ------------

_PLAIN = {
    "tense._SENT_END": r"[.!?…]+[\"”’)*_]*(?=\s)|\n",
    "mentions._LOWER_WORD": r"\b[a-z]+\b",
    "mentions._MIDCAP": rf"(?<=[a-z,;] )[{UPPER}]\w*",
    "coref._PRONOUN": r"\b(?:[Hh](?:e|im|is|imself|er|ers|erself)|[Ss]he|HE|HIM|HIS|SHE|HER)\b",
    "pov._FIRST": r"\bI\b|\b(?:[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b",
    "people._YOU": r"\b(?:[Yy]ou(?:rs?|rself)?|Y/N)\b",
    "people._ME": r"\bI\b|\b(?:[Mm]e|[Mm]y|[Mm]yself)\b",
    "descriptions._TITLE_ALONE": None,
    "descriptions._DESCRIPTION": None,
    "canonlink._THE_NAME": r"\b[Tt]he ([A-Z][a-z]+)\b(?!-[a-z]|[ ][A-Z])",
    "segments._SINGLE_OPEN": r"(?<!\w)[‘'](?=[^\W\d_])",
    "pov._NAMED_YOU": r"\b(?:[Yy]ou(?:['’]re| are| were)|[Yy]our name(?:['’]s| is| was))[ ]+"
                      rf"(?:[a-z]+[ ]+)?(?P<name>[{UPPER}][\w'’-]+)",
    "pov._NAMED_ME": r"(?:\b[Mm]y[ ](?:[a-z]+[ ])?name(?:['’]s|[ ]is|[ ]was)|\bI(?:['’]m|[ ]am)|"
                     r"\b[Cc]all(?:s|ed)?[ ]me|\bI[ ]called[ ]myself|\bI,|"
                     r"(?<![^\n])(?:Statement|Diary|Journal|Testimony)[ ]of)[ ]+"
                     rf"(?P<name>[{UPPER}][\w'’-]*(?:\.?[ ][{UPPER}][\w'’-]*)?)",
}
_FRAGMENTS = ("he", "He", "HE", "her", "hers", "Herself", "his", "him", "she", "SHE", "the", "The",
              "I", "me", "My", "mine", "myself", "you", "Your", "yourself", "Y/N", "y/N", "Ann",
              "Statement of", "call me", "Call me", "I'm", "I am", "I,", "name is", "my name's",
              "You are", "your name is", "stranger", "Captain", "x", "ahe", "_he", "1the", "'",
              "‘", "’", "-", ".", "\n", "!?", "”", ")", "*", ",", ";", "Éa", "b")


_EXAMPLE = ("He said: ‘call me Lucius, I'm Ann.’ My name is Pip. Call me Ishmael. I called "
            "myself Bo. I, Allan Quatermain. Statement of Jo Marr\nDiary of Ann. You are "
            "Steve Rogers. your name was Ann. Y/N and yourself, the Captain; The Stranger "
            "spoke to the stranger, Thea. herself, HIS, Ahe 'yo', x'y, mine, myself.")


@pytest.mark.parametrize("name", sorted(_PLAIN))
@example(parts=[_EXAMPLE], gaps=[""] * 14)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14),
       st.lists(st.sampled_from(("", " ", "  ", "\n", ", ", "-")), min_size=14, max_size=14))
@settings(max_examples=150, deadline=None)
def test_first_letter_regexes_match_their_plain_definitions(name: str, parts: list[str],
                                                             gaps: list[str]) -> None:
    import importlib

    module, attr = name.split(".")
    fast: re.Pattern[str] = getattr(importlib.import_module(f"ficshelf.understand.{module}"), attr)
    plain = _PLAIN[name]
    if plain is None:  # "the" then the rest of the same pattern
        plain = fast.pattern.replace(r"[Tt](?<!\w[Tt])he ", r"\b[Tt]he ", 1)
        assert plain != fast.pattern
    text = "".join(p + g for p, g in zip(parts, gaps, strict=False))
    assert ([(m.span(), m.groups()) for m in fast.finditer(text)]
            == [(m.span(), m.groups()) for m in re.finditer(plain, text)])
