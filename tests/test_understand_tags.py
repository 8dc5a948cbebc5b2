"""Fandoms, categories, rating, warnings and freeform tags, each with exact evidence."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficshelf.canon import load_canon
from ficshelf.evaluate.inference_metrics import (
    category_score,
    ending_from_freeforms,
    fandom_top1,
)
from ficshelf.model import ArchiveWarning, Category, Rating
from ficshelf.understand.cuescan import scan_chapter
from ficshelf.understand.document import Document
from ficshelf.understand.evidence import Evidence
from ficshelf.understand.inference import PUBLIC, inference_pipeline
from ficshelf.understand.lexicons import cue_regex, cue_table, trie_pattern
from ficshelf.understand.pipeline import Pipeline
from inference_stories import (
    APART,
    BATTLE,
    COFFEE,
    EXPLICIT,
    FIRST_PERSON,
    FRIENDSHIP,
    MULTI,
    READER,
    ROMANCE,
    SAD,
    SIBLINGS,
    rename,
)


@functools.cache
def _pipeline() -> Pipeline:
    return inference_pipeline()


@functools.cache
def _run(text: str) -> Document:
    return _pipeline().run(Document.from_texts(text))


def _evidence_ok(doc: Document, evs: tuple[Evidence, ...]) -> bool:
    return all(doc.texts[doc.numbers.index(e.chapter)][e.start:e.end] == e.text for e in evs)


_PRONOUNS = {"he": "she", "He": "She", "him": "her", "his": "her", "His": "Her",
             "himself": "herself", "man": "woman"}


def _as_woman(text: str) -> str:
    return re.sub(r"\b(" + "|".join(_PRONOUNS) + r")\b", lambda m: _PRONOUNS[m.group()], text)


# --- fandoms ------------------------------------------------------------------------

_HP = """Harry Potter ran across the Great Hall with Hermione Granger close behind him.

"Slow down," Hermione said. "Harry, the library isn't going anywhere."

Ron Weasley was already at the Gryffindor table, buttering toast. Harry sat down beside Ron and stole a slice, and Ron complained about it, and Hermione rolled her eyes at both of them.

After breakfast the three of them walked down to Hagrid's hut. Harry told Ron about the letter. Hermione read it twice and frowned."""

_PLACES = """Wren Abernathy had never seen a castle before she came to Hogwarts. The Sorting Hat put her in Hufflepuff, and on her first weekend she wandered down Diagon Alley with her aunt, buying quills.

"You'll like it here," her aunt said, and Wren did."""


def test_fandom_from_canon_names_and_places() -> None:
    hp = load_canon().fandom_by_tag("Harry Potter")
    assert hp is not None
    fandoms = _run(_HP).get("fandoms")
    assert fandoms.top == hp.tag
    assert fandoms.items[0].evidence and _evidence_ok(_run(_HP), fandoms.items[0].evidence)
    assert 0 < fandoms.items[0].confidence <= 1
    # an invented cast in a named setting: proper keywords decide
    assert _run(_PLACES).get("fandoms").top == hp.tag


@pytest.mark.parametrize("text", [ROMANCE, FRIENDSHIP, SAD])
def test_invented_people_are_an_original_work(text: str) -> None:
    assert _run(text).get("fandoms").top == "Original Work"


def test_common_words_do_not_make_a_fandom() -> None:
    text = ("Ilse said the job was hell. Anders said it was a miracle they had finished, and "
            "that heaven knew the effort it took. Ilse laughed at him.")
    assert _run(text).get("fandoms").top == "Original Work"


def test_a_name_the_canon_marks_as_an_everyday_phrase_is_no_fandom() -> None:
    """A canon name marked ambiguous ("Prince Charming", Once Upon a Time's David
    Nolan) is an everyday phrase in a story about invented people, in two words as
    in one."""
    text = ("Sibyl called him Prince Charming. Prince Charming, she told her brother Tobiah, "
            "would come back for her. Tobiah laughed. “Prince Charming has a name,” Tobiah "
            "said, and Sibyl said that Prince Charming did not need one. Prince Charming "
            "never came. Sibyl waited all the same, and Tobiah said nothing more.")
    assert _run(text).get("fandoms").top == "Original Work"


def test_one_setting_word_is_no_fandom() -> None:
    """One capitalised word a fandom uses ("the Titans", "the Council") is not
    enough: the second, lower-case pass must not count it a second time (it did, and
    a Teen Titans story became Attack on Titan, a Twin Peaks one Arcane)."""
    for text in ("Mira left the Titans after the war. Oskar said she was right to go, and "
                 "Mira laughed, and the two of them rode out of the city that night.",
                 "Oskar waits outside after the Council leaves. Mira finds him there, and "
                 "they walk home through the rain without a word."):
        assert _run(text).get("fandoms").top == "Original Work"


# Holmes and Watson by the fire: the names alone fit Conan Doyle's stories and the
# BBC's series alike; the everyday things of the text tell the era.
_BAKER_STREET = (
    "Sherlock Holmes stood at the window of Baker Street. “{thing},” said John Watson, "
    "and Holmes turned. “Then we go at once, Watson.” Holmes took his coat. Watson "
    "followed him down the stairs, and {ride}. Mrs Hudson watched them go. “Mind the "
    "weather, Dr Watson,” said Mrs Hudson, and Holmes laughed.")


def test_two_adaptations_of_one_canon_are_told_apart_by_the_era_of_the_text() -> None:
    acd = load_canon().fandom_by_tag("Sherlock Holmes - Arthur Conan Doyle")
    bbc = load_canon().fandom_by_tag("Sherlock (TV)")
    assert acd is not None and bbc is not None and acd.parent == bbc.parent
    victorian = _BAKER_STREET.format(thing="A telegram, Holmes, from Lestrade",
                                     ride="they took a hansom in the gaslight")
    today = _BAKER_STREET.format(thing="Lestrade texted, Sherlock, and he rang my phone",
                                 ride="they took a taxi past the subway")
    neither = _BAKER_STREET.format(thing="Lestrade is asking for you, Holmes",
                                   ride="they went out into the rain")
    tops = [[f.tag for f in _run(t).get("fandoms").items[:2]] for t in (victorian, today, neither)]
    # both are ranked every time; only the order changes
    assert all(sorted(t) == sorted([acd.tag, bbc.tag]) for t in tops), tops
    assert tops[0][0] == acd.tag and _run(victorian).get("fandoms").items[0].setting == "historical"
    assert tops[1][0] == bbc.tag and tops[2][0] == bbc.tag


# Merlin and Arthur in today's London: a fantasy canon with phones in it.
_MERLIN_TODAY = (
    "Merlin's phone buzzed at six. Arthur Pendragon had texted him again: coffee, now. "
    "Merlin groaned, found his jeans, and took the subway across town with his laptop "
    "under one arm. Arthur was waiting outside the office with two cups and his car keys. "
    "“You're late,” Arthur said. “You texted me at six,” Merlin said. “Six, Arthur.” Gwen "
    "laughed at them from the door. Morgana sent a photo of the pair of them to the group "
    "chat before lunch, and Merlin turned his phone face down and did not look at it. "
    "That night Arthur ordered pizza and they watched television until Merlin fell asleep "
    "on his shoulder, and Arthur let him.")


def test_the_things_of_today_in_a_fantasy_canon_make_a_modern_au() -> None:
    modern = "Alternate Universe - Modern Setting"
    doc = _run(_MERLIN_TODAY)
    assert doc.get("fandoms").top == "Merlin (TV)"
    assert doc.get("fandoms").items[0].setting == "fantasy"
    assert modern in _tags(_MERLIN_TODAY)
    tag = next(t for t in doc.get("freeforms") if t.tag == modern)
    assert tag.evidence and _evidence_ok(doc, tag.evidence)
    # the same story in Camelot, with no phones: canon's own setting
    camelot = (_MERLIN_TODAY.replace("phone buzzed", "door banged")
               .replace("texted him again: coffee, now", "sent for him again")
               .replace("his jeans", "his boots").replace("took the subway", "ran")
               .replace("his laptop", "a book").replace("the office", "the stables")
               .replace("his car keys", "a sword").replace("texted me", "sent for me")
               .replace("a photo of the pair of them to the group chat", "a servant")
               .replace("turned his phone face down", "shut the door")
               .replace("ordered pizza", "sent for supper")
               .replace("watched television", "talked"))
    assert modern not in _tags(camelot)
    # the same things of today in a canon set today are no AU
    teen_wolf = (_MERLIN_TODAY.replace("Arthur Pendragon", "Derek Hale")
                 .replace("Arthur", "Derek").replace("Merlin", "Stiles")
                 .replace("Gwen", "Scott McCall").replace("Morgana", "Lydia Martin"))
    assert _run(teen_wolf).get("fandoms").top == "Teen Wolf (TV)"
    assert modern not in _tags(teen_wolf)


def _keyword_found(doc: Document, *, prefilter: bool) -> dict[str, tuple[float, int]]:
    from ficshelf.understand.fandom import _keyword_scores, _opening, _words

    scores: dict[str, Any] = {}
    texts = _opening(doc)
    _keyword_scores(texts, None, load_canon(), scores, lower_case=True,
                    present=_words(texts) if prefilter else None)
    return {t: (round(sc.keywords, 6), sc.proper_keywords) for t, sc in scores.items()}


def test_keyword_prefilter_finds_what_every_keyword_finds() -> None:
    """Only keywords whose words the text writes are compiled; what is found is the
    same as with the whole keyword list, on our stories and every fan-fiction work."""
    from conftest import FANFIC, SHARED, need_shared
    from ficshelf.evaluate.data import load_fanfic

    need_shared(FANFIC)
    docs = [Document.from_texts(t) for t in (_HP, _PLACES, ROMANCE, BATTLE)]
    docs += [Document.from_work(c.work) for c in load_fanfic(SHARED)]
    found = 0
    for doc in docs:
        fast = _keyword_found(doc, prefilter=True)
        assert fast == _keyword_found(doc, prefilter=False)
        found += bool(fast)
    assert found >= 10


def test_keywords_are_searched_in_the_opening_of_a_long_chapter() -> None:
    from ficshelf.understand.fandom import KEYWORD_BUDGET

    filler = "Wren walked on and on. " * (KEYWORD_BUDGET // 23 + 10)
    assert _keyword_found(Document.from_texts("Wren came to Hogwarts. " + filler),
                          prefilter=True)
    assert not _keyword_found(Document.from_texts(filler + "Wren came to Hogwarts."),
                              prefilter=True)


# --- categories ---------------------------------------------------------------------


def _cats(text: str) -> set[Category]:
    return set(_run(text).get("categories").tags)


def test_categories_from_romantic_pairs_and_genders() -> None:
    assert _cats(ROMANCE) == {Category.FM}
    assert _cats(APART) == {Category.MM}
    assert _cats(_as_woman(ROMANCE)) == {Category.FF}
    assert {Category.FM, Category.MULTI} <= _cats(MULTI)
    assert _cats(FRIENDSHIP) == _cats(SIBLINGS) == {Category.GEN}


def test_reader_insert_category_convention() -> None:
    cats = _run(READER).get("categories")
    assert cats.tags == (Category.FM,)
    assert cats.items[0].note and "Reader" in cats.items[0].note
    male = READER + '\n\n"Morning, sir," Caspian tells you the next day, grinning.'
    assert set(_run(male).get("categories").tags) == {Category.MM}


def test_categories_do_not_depend_on_names() -> None:
    renamed = rename(ROMANCE, {"Tamsin": "Idrel", "Oriel": "Saoirse", "Hale": "Oonagh"})
    assert _cats(renamed) == {Category.FM}


# --- rating and warnings -------------------------------------------------------------


@pytest.mark.parametrize(("text", "rating"), [
    (FRIENDSHIP, Rating.GENERAL),
    (ROMANCE, Rating.GENERAL),  # kisses and "I love you": content for all ages
    (EXPLICIT, Rating.EXPLICIT),
    (BATTLE, Rating.MATURE),
])
def test_rating(text: str, rating: Rating) -> None:
    guess = _run(text).get("rating")
    assert guess.tag is rating
    assert guess.tag is not Rating.NOT_RATED
    if rating is not Rating.GENERAL:
        assert guess.evidence and _evidence_ok(_run(text), guess.evidence)


def test_profanity_raises_the_rating() -> None:
    swearing = FRIENDSHIP.replace('"You\'re late," Ruan said', '"You\'re fucking late," Ruan said')
    swearing = swearing.replace("Ruan snorted", "\"Shit,\" Ruan snorted")
    assert _run(swearing).get("rating").tag is Rating.TEEN


def test_warnings() -> None:
    assert _run(ROMANCE).get("warnings").tags == (ArchiveWarning.NONE_APPLY,)
    sad = _run(SAD).get("warnings")
    assert ArchiveWarning.MAJOR_CHARACTER_DEATH in sad.tags
    (mcd,) = [w for w in sad if w.tag is ArchiveWarning.MAJOR_CHARACTER_DEATH]
    assert mcd.evidence and _evidence_ok(_run(SAD), mcd.evidence)
    assert any("died" in e.text or "dying" in e.text for e in mcd.evidence)
    assert ArchiveWarning.VIOLENCE in _run(BATTLE).get("warnings").tags
    # a minor character dying is not a Major Character Death
    assert ArchiveWarning.MAJOR_CHARACTER_DEATH not in _run(BATTLE).get("warnings").tags


_PARTS = [ROMANCE, FRIENDSHIP, SIBLINGS, SAD, BATTLE, EXPLICIT, COFFEE, READER]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=3))
def test_warnings_are_never_the_authors_choice(parts: list[str]) -> None:
    doc = _pipeline().run(Document.from_texts(*parts))
    tags = doc.get("warnings").tags
    assert tags
    assert ArchiveWarning.CHOSE_NOT_TO_WARN not in tags
    assert (ArchiveWarning.NONE_APPLY in tags) == (len(tags) == 1 and tags[0] is
                                                    ArchiveWarning.NONE_APPLY)
    for key in PUBLIC:
        value = doc.get(key)
        for ev in getattr(value, "evidence", ()) or ():
            assert doc.texts[doc.numbers.index(ev.chapter)][ev.start:ev.end] == ev.text


# --- freeforms -----------------------------------------------------------------------


def _tags(text: str) -> set[str]:
    return set(_run(text).get("freeforms").tags)


def test_freeforms() -> None:
    assert {"Reader-Insert", "Second Person"} <= _tags(READER)
    assert "First Person" in _tags(FIRST_PERSON)
    assert {"Nightmares", "Alternate Universe - Coffee Shop"} <= _tags(COFFEE)
    assert {"Sad Ending", "Character Death", "Angst"} <= _tags(SAD)
    assert "Happy Ending" in _tags(ROMANCE)
    assert "Love Confessions" in _tags(ROMANCE)
    # conservative: a short friendship story gets no mood or romance tags
    assert not _tags(FRIENDSHIP) & {"Angst", "Fluff", "Humor", "Love Confessions", "Pining",
                                    "Established Relationship", "Reader-Insert"}


def test_a_confession_of_anything_but_love_is_no_love_confession() -> None:
    text = ROMANCE
    for phrase in ("I love you too", "I love you", "I'm in love with you",
                   "in love with you", "love you too"):
        text = text.replace(phrase, "I trust you")
    assert "Love Confessions" not in _tags(text)
    text += "\n\n“I ate the last biscuit,” she confessed. He confessed that he knew."
    assert "Love Confessions" not in _tags(text)


def test_a_theme_must_recur_through_the_work_not_once_in_a_long_while() -> None:
    """Nightmares written three times in a few hundred words are a theme; the same three
    spread through a long work (here forty thousand words of filler) are not."""
    filler = "\n\n".join(["The rain went on over the harbour and the boats rocked at their "
                           "moorings while the gulls argued on the roofs."] * 1600)
    assert "Nightmares" in _tags(COFFEE)
    assert "Nightmares" not in _tags(COFFEE + "\n\n" + filler)


def test_platonic_soulmates_are_friends_not_a_soulmate_story() -> None:
    """Two friends who call themselves "platonic soulmates" are friends: no Soulmates tag,
    and the phrase is a friendship cue, not a romantic one."""
    talk = ("\n\n“Best friends,” Wren said. “Platonic soulmates. We've been over this.”"
            "\n\n“Platonic soulmates,” Joss agreed.")
    ch = scan_chapter(talk)
    assert ch.count("soulmate") == ch.count("romantic_intimate") == 0
    assert ch.count("platonic_friend") == 3
    assert "Soulmates" not in _tags(FRIENDSHIP + talk)
    assert "Soulmates" in _tags(FRIENDSHIP + talk.replace("Platonic soulmates", "Soulmates"))


@pytest.mark.parametrize("text", [READER, COFFEE, SAD, ROMANCE, MULTI])
def test_freeform_evidence_is_exact(text: str) -> None:
    doc = _run(text)
    for tag in doc.get("freeforms"):
        assert tag.evidence, tag.tag
        assert _evidence_ok(doc, tag.evidence)
        assert 0 < tag.confidence <= 1


# --- cue scanning --------------------------------------------------------------------


def test_cue_case_and_longest_phrase() -> None:
    ch = scan_chapter("Dick Grayson laughed. “What a dick,” she said. I'm in love with you.")
    assert ch.count("profanity") == 1
    assert ch.count("romantic_love") == 1 and ch.count("confession") == 1
    for s, e in ch.spans("romantic_love"):
        assert ch.lowered[s:e] == "i'm in love with you"
    # a codename is no mourning: "the Widow" is Natasha, "a widow" grieves
    ch = scan_chapter("The Widow dropped from the vent. Since the war she was a widow.")
    assert ch.count("grief") == 1
    # a chat speaker's handle is no cue either
    ch = scan_chapter("widow: It's in the vent.\nhawk: are you a widow now?")
    assert ch.count("grief") == 1


@pytest.mark.parametrize(("text", "couple"), [
    ("They broke up last May.", True),
    ("She broke up with him at the party.", True),
    ("Tony and Pepper had broken up.", True),
    ("The meeting broke up after midnight.", False),
    ("The party had finally broken up by then.", False),
    ("The crowd broke up and went home.", False),
    ("Steve broke up the fight.", False),
    ("They made out the words on the sign.", False),
    ("They made out in the car.", True),
])
def test_a_gathering_that_breaks_up_is_no_couple(text: str, couple: bool) -> None:
    assert (scan_chapter(text).count("romantic_couple") + scan_chapter(text).count(
        "romantic_kiss") > 0) is couple


@pytest.mark.parametrize(("text", "love"), [
    ("He did not tell her he loved her. Not then.", True),
    ("She loved him, and he knew it.", True),
    ("He loved her so much it hurt.", True),
    ("He loves him more than anything.", True),
    ("She loved her job.", False),
    ("He loved her cooking best.", False),
    ("He loved her for it.", False),
    ("She loved him like a brother.", False),
    ("He loved him as a son.", False),
])
def test_he_loved_her_is_a_lover_s_love_unless_the_words_say_otherwise(text: str,
                                                                      love: bool) -> None:
    assert (scan_chapter(text).count("romantic_love") > 0) is love


@pytest.mark.parametrize(("text", "close"), [
    ("I lean my forehead against his.", True),
    ("She rested her forehead against his, and he sighed.", True),
    ("They stood with their foreheads together.", True),
    ("His hand finds my waist.", True),
    ("He put a hand on her waist to steady her.", True),
    ("He rested his forehead against his folded hands.", False),
    ("She pressed her forehead to his shoulder.", False),
    ("A sword hung at his waist.", False),
])
def test_foreheads_touching_and_a_hand_at_the_waist_are_romantic(text: str, close: bool) -> None:
    ch = scan_chapter(text)
    assert (ch.count("romantic_intimate") + ch.count("romantic_embrace") > 0) is close


_WORD = st.text(alphabet="abcde", min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.sets(_WORD, min_size=1, max_size=30), _WORD)
def test_trie_pattern_matches_exactly_its_words(words: set[str], probe: str) -> None:
    pattern = re.compile(trie_pattern(words))
    assert (pattern.fullmatch(probe) is not None) == (probe in words)
    for w in words:
        assert pattern.fullmatch(w)


def test_every_cue_phrase_is_found_by_the_cue_regex() -> None:
    regex = cue_regex()
    for phrase in cue_table():
        m = regex.search(f"and {phrase} and")
        assert m is not None and m.group() == phrase, phrase


# --- evaluation helpers ----------------------------------------------------------------


def test_fandom_top1_uses_canon_aliases() -> None:
    canon = load_canon()
    mcu = canon.fandom_by_tag("MCU")
    assert mcu is not None
    assert fandom_top1(mcu.tag, ["Captain America (Movies)"], canon) == (True, True)
    assert fandom_top1("Original Work", ["Original Work"], canon) == (True, True)
    assert fandom_top1(mcu.tag, ["Some Fandom Nobody Lists"], canon) == (False, False)


def test_category_score_and_endings_from_tags() -> None:
    assert category_score(["F/M"], ["F/M"]) == {"exact": True, "first_in_gold": True}
    assert category_score(["M/M", "Multi"], ["F/M", "M/M"]) == {"exact": False,
                                                                 "first_in_gold": True}
    assert ending_from_freeforms(["Fluff", "Happy Ending"]) == "happy"
    assert ending_from_freeforms(["Tragedy", "Character Death"]) == "sad"
    assert ending_from_freeforms(["Bittersweet Ending"]) == "bittersweet"
    assert ending_from_freeforms(["Angst"]) is None
