"""Characters from text alone: names, alias clusters, roles, Reader and Narrator.

Every story here was written for these tests.
"""

from __future__ import annotations

import pytest

from ficshelf.canon import CanonBase, CanonCharacter, Fandom, Ship
from ficshelf.model import Chapter, Work
from ficshelf.understand import Analysis, analyze
from ficshelf.understand.canonlink import AMBIGUOUS_NAME, COMMON, FULL, TITLED, WEAK, choose_fandoms
from ficshelf.understand.cast import Cast
from ficshelf.understand.fandom import Fandoms
from ficshelf.understand.names import given_compatible, surname_key

HALES = """Corin Hale had built the workshop with his own hands, and his son Jory Hale had grown up under its rafters. Everyone in Brackenford knew the Hale workshop.

Jory was twelve when he first fixed a clock by himself. "Not bad," Corin said, turning it over. "Not bad at all, Jory."

By twenty, Jory had outgrown his father's bench. Jory Hale left for the coast on a Monday in March, and Corin did not see him off.

Years later, Hale was a name the harbour guilds respected. Jory kept his father's old hammer above the door. When a letter came from Brackenford, Jory read it standing up. Hale had always read bad news standing up.

"He's sick," Jory told Wenna Marsh, who ran the harbour office. Wenna put down her pen.

"Then go," Wenna said. "Go home, Jory."

Jory went. Corin was thinner than he remembered, sitting by the cold forge. Jory sat beside him, and for a long time neither spoke."""

PELLOWS = """Mr. Pellow came down to breakfast late, as he always did on Sundays. Mrs. Pellow had already finished her tea.

"You will be late for church, Mr. Pellow," she said.

"God forbid," said Mr. Pellow, and he buttered his toast. "Jesus, Martha, it is barely nine."

Mrs. Pellow folded her newspaper. In Lisbourne the bells were ringing. Mrs. Pellow stood, and Mr. Pellow sighed, and they walked to church together through Lisbourne, where Mr. Pellow tipped his hat to nobody in particular.

"Oh, honey," Mrs. Pellow said at the church door. "Baby, your collar."

Martha Pellow straightened her husband's collar. Still, he was late."""

NICKNAMES = """James Tolliver Crane had not been called James since the army. At the depot they called him Tolly, and his sister called him Jim.

"Jim," Natasha Crane said, leaning in the doorway. "You have a visitor."

Jim looked up from the engine. Tolly Crane was not a man who liked visitors. "Who?"

"Nobody you know," said Nat. She grinned. Natasha always grinned when she knew something he did not.

Jim wiped his hands. "Nat, if this is another of your friends from the choir..."

Natasha only laughed, and Jim followed her out into the yard."""

READER = """You wake before the alarm, the way you always do when Kestrel is home. The other side of the bed is warm. You can hear him in the kitchen, humming something tuneless over the kettle.

"Morning, Y/N," he says when you shuffle in. He hands you a mug without being asked, and you wrap both hands around it.

"You're up early," you tell him.

Kestrel shrugs. His hair is still wet from the shower. "Couldn't sleep. Thought I'd make you breakfast before the drive."

You smile into your coffee. Outside, the rain has stopped, and the light through the window turns his face gold. You reach for his hand across the table, and Kestrel laces his fingers through yours.

"Come back safe," you say.

"Always, sweetheart," Kestrel says, and he kisses your knuckles."""

FIRST = """I never meant to stay in Harrowgate. I came for a week, to sort out my aunt's books, and I meant to leave on the Friday train.

Then I met Pell. She ran the bookshop on the corner, and she talked me into a cup of tea, and then into another. "You can't sell those," Pell said, when I showed her the boxes. "Half of them are first editions."

I laughed at her. I remember that. I laughed, and she looked at me as if I were a child who had broken something.

"Fine," I said. "Then you buy them."

Pell bought them. It took her three months to pay, a little every Friday, and by the time the last payment came I had stopped looking at train times. My aunt would have liked her, I think. My aunt liked people who argued."""

#: First person; others call the narrator Wren, the narration never does.
CALLED = """The ferry smells of diesel and wet rope. My brother is waiting on the pier in our father's old coat.

"Wren," Osric says. "You look terrible."

"Hi, Osric."

He hugs me anyway, and I let him. Over his shoulder I can see the lighthouse, and I tell myself I am not looking for anyone.

"Tavi's back," Osric says. "He took over the light. He keeps asking about you, Wren."

I say nothing. I follow him up the hill, and I think about Tavi the whole way.

That night I walk out to the light. Tavi is sitting on the iron stairs, and he has a mug of tea. "Hey, Wren," he says. "I missed you."

"I missed you too." I kiss him before either of us can think better of it, and Tavi kisses me back like he has waited ten years to do it."""

#: First person; the narrator says "Ivo," to a friend the narration names too.
CALLING = """I found Ivo at the station, reading the departures board as if it owed him money.

"Ivo," I said. "We missed it."

Ivo shrugged. "There's another at six."

"Ivo, it's five past six."

He laughed, and I laughed, and Ivo bought us both a coffee while we waited for the seven."""

NAMED_YOU = """You are Tam Harrow, and you have been awake for thirty hours. The station hums around you. You check the gauges again, though you know what they will say.

Ilse calls you from the lower deck. "Tam, the pressure's dropping."

You are already moving. You take the ladder two rungs at a time, your boots ringing on the metal, your heart loud in your ears. Ilse is waiting at the hatch with her hand on the wheel.

"On three," you tell her. Your voice is steady. You are proud of that, later."""

GUIDE = """Before you start, make sure you have a backup of your library. You can make one from the settings page.

Next, open the export menu. You will see three options; choose the second one. If you want to keep your tags, tick the box below it. You can change this later.

When the export finishes, you can close the window. Your file will be in the downloads folder. If something goes wrong, you can always restore the backup you made in the first step."""


def _analyze(*texts: str) -> Analysis:
    return analyze(Work(title="t", chapters=tuple(
        Chapter(number=i + 1, text=t) for i, t in enumerate(texts))))


def _names(a: Analysis) -> set[str]:
    return {n for c in a.characters for n in (c.name, *c.aliases)}


def test_different_given_names_with_one_surname_stay_apart() -> None:
    a = _analyze(HALES)
    jory, corin = a.character("Jory Hale"), a.character("Corin Hale")
    assert jory is not None and corin is not None and jory is not corin
    assert "Corin" not in jory.aliases and "Jory" not in corin.aliases
    # the bare surname goes to the clearly most named owner of it
    assert "Hale" in jory.aliases
    assert jory.role == "main"
    assert a.character("Wenna Marsh") is not None
    assert "Brackenford" not in _names(a) and "Monday" not in _names(a) and "March" not in _names(a)


def test_bare_surname_of_two_equal_owners_stays_unresolved() -> None:
    text = ("Ada Quill met Bram Quill at the gate. Ada smiled and Bram frowned. "
            "Ada Quill said nothing. Bram Quill said less. Quill waved at them both.")
    a = _analyze(text)
    assert a.character("Ada Quill") is not None and a.character("Bram Quill") is not None
    assert not any("Quill" in c.aliases for c in a.characters)


def test_a_full_name_said_only_at_sentence_starts_joins_a_name_the_author_sometimes_lowercases(
        ) -> None:
    # the full name is only ever said alone in a quote (a sentence start), and the
    # author wrote "tovrin" in lower case twice: still a name, far more often
    # capitalised mid-sentence, so "Halvard" joins Tovrin instead of standing apart
    text = ("The new teacher walked in. \u201cHalvard Tovrin.\u201d He sat down. "
            "Mira watched Tovrin closely. Later, Tovrin smiled at Mira, and tovrin left. "
            "\u201cHalvard Tovrin,\u201d she wrote. Then she asked Tovrin about the test, "
            "and tovrin shrugged. Halvard said nothing more. Mira thanked Tovrin.")
    a = _analyze(text)
    tovrin = a.character("Tovrin")
    assert tovrin is not None
    assert {"Halvard Tovrin", "Halvard"} <= set(tovrin.aliases) | {tovrin.name}


def test_mr_and_mrs_are_different_people() -> None:
    a = _analyze(PELLOWS)
    mr, mrs = a.character("Mr. Pellow"), a.character("Mrs. Pellow")
    assert mr is not None and mrs is not None and mr is not mrs
    assert mr.gender == "m" and mrs.gender == "f"
    assert {mr.role, mrs.role} == {"main"}


def test_exclamations_pet_names_places_and_days_are_not_characters() -> None:
    names = {n.casefold() for n in _names(_analyze(PELLOWS))}
    for word in ("god", "jesus", "honey", "baby", "lisbourne", "sundays", "oh", "still"):
        assert word not in names


def test_a_company_in_one_word_is_not_a_character() -> None:
    """ "L-Corp", "LexCorp", "Oscorp": the company is the place Lena works, not a person."""
    text = ("Kara brought lunch to L-Corp on Thursday. Lena was at L-Corp all day, and "
            "L-Corp's lawyers were at the door. “Lena,” Kara said. LexCorp called, and Oscorp "
            "called twice; Oscorp always called twice. Lena laughed at Kara.")
    people = [c.name for c in _cast_of(text).people]
    assert people == ["Lena", "Kara"] or people == ["Kara", "Lena"], people


def test_nicknames_and_short_forms_join_the_full_name() -> None:
    a = _analyze(NICKNAMES)
    james = a.character("James Tolliver Crane")
    assert james is not None
    assert {"Jim", "Tolly", "Tolly Crane"} <= set(james.aliases)  # list nickname; middle name
    natasha = a.character("Natasha Crane")
    assert natasha is not None and {"Nat", "Natasha"} <= set(natasha.aliases)
    assert natasha is not james


def test_nickname_rules() -> None:
    assert given_compatible("Jim", "James") and given_compatible("Nat", "Natasha")
    assert given_compatible("Tasha", "Natasha") and given_compatible("Bucky", "Buchanan")
    assert not given_compatible("Henry", "Henrietta")  # a name of its own
    assert not given_compatible("Tony", "Howard")
    assert given_compatible("Max", "Maximilian")
    assert not given_compatible("Gil", "Gilessenmeyer")  # too long for a nickname it opens
    assert surname_key("Romanoff") == surname_key("Romanov") == surname_key("Romanova")


def test_a_nickname_named_more_often_than_the_name_it_shortens_still_joins_it() -> None:
    # the more frequent form gets its cluster first; the rarer full given name must
    # join it, not stand as a second person
    cast = _cast_of("Ivo waved. Then Deb ran. Later Deb sat. Deb slept. So Deb woke. "
                    "Ivo saw Deborah there. Ivo hugged Deborah. Ivo smiled.")
    (deb,) = [c for c in cast.people if "Deb" in c.aliases]
    assert set(deb.aliases) == {"Deb", "Deborah"}
    # a thing that opens with the nickname ("the Gilberta company") stays apart
    cast = _cast_of("Gil waved. Then Gil ran. Later Gil sat. Gil slept. So Gil woke. "
                    "Gil wrote to the Gilberta company. Ivo sold the Gilberta company a pin.")
    (gil,) = [c for c in cast.people if "Gil" in c.aliases]
    assert gil.aliases == ["Gil"]


def test_one_given_name_under_several_titles_is_one_person() -> None:
    cast = _cast_of("Lord Edmund rode in. Lord Edmund sat. Lord Edmund read the letter. "
                    "Commander Edmund gave the order. Uncle Edmund, the children cried. "
                    "Edmund smiled at them. Edmund left.")
    (edmund,) = [c for c in cast.people if "Edmund" in c.tokens]
    assert {"Lord Edmund", "Commander Edmund", "Uncle Edmund", "Edmund"} <= set(edmund.aliases)
    # a surname under "Mrs." is a family's, whatever the husband's rank
    cast = _cast_of("Captain Harwood came in. Captain Harwood sat down. Mrs. Harwood "
                    "poured the tea. Mrs. Harwood smiled. Captain Harwood thanked her.")
    assert sorted(c.name for c in cast.people if "Harwood" in c.tokens) == [
        "Captain Harwood", "Mrs. Harwood"]


def test_reader_insert_is_the_character_reader() -> None:
    a = _analyze(READER)
    assert a.pov is not None and a.pov.person == "second" and a.pov.reader_insert
    reader = a.characters[0]
    assert reader.name == "Reader" and reader.role == "main" and "Y/N" in reader.aliases
    kestrel = a.character("Kestrel")
    assert kestrel is not None and kestrel.role == "main"
    assert "sweetheart" not in {n.casefold() for n in _names(a)}
    assert a.tense is not None and a.tense.value == "present"


def test_unnamed_first_person_narrator() -> None:
    a = _analyze(FIRST)
    assert a.pov is not None and a.pov.person == "first" and not a.pov.reader_insert
    assert a.characters[0].name == "Narrator" and a.characters[0].role == "main"
    assert a.character("Pell") is not None
    assert "Harrowgate" not in _names(a)  # "in Harrowgate": a place
    assert a.tense is not None and a.tense.value == "past"


def test_a_first_person_narrator_others_call_by_name_is_that_character() -> None:
    a = _analyze(CALLED)
    assert a.pov is not None and a.pov.person == "first" and a.pov.narrator == "Wren"
    wren = a.character("Wren")
    assert wren is not None and wren.role == "main" and "I" in wren.aliases
    assert a.character("Narrator") is None
    from ficshelf.understand.document import Document
    from ficshelf.understand.inference import inference_pipeline

    doc = inference_pipeline().run(Document.from_texts(CALLED))
    # "I kiss him": the narrator's kiss is Wren's
    assert [(set(r.characters), r.kind) for r in doc.get("relationships")] == [
        ({"Tavi", "Wren"}, "romantic")]


@pytest.mark.parametrize("says", ["My name is Wren.", "Everyone calls me Wren.",
                                  "I, Wren of the Ferry House, set this down.",
                                  "Statement of Wren, regarding the ferry.\n\nIt began."])
def test_a_first_person_narrator_who_gives_their_name_is_that_character(says: str) -> None:
    a = _analyze(f"{says} I was born by the sea, and Wren is what I answer to.\n\n{FIRST}")
    assert a.pov is not None and a.pov.narrator == "Wren"
    assert a.character("Narrator") is None and a.character("Pell") is not None


@pytest.mark.parametrize("says", ["“I'm Odile,” I said. “I'm here about the books.”",
                                  "I said, “My name is Odile. I'm here about the books.”"])
def test_a_narrator_who_says_their_own_name_in_dialogue_is_that_character(says: str) -> None:
    a = _analyze(f"The shop bell rang when I pushed the door. A woman looked up from the "
                 f"counter.\n\n“Can I help you?”\n\n{says}\n\n{FIRST}")
    assert a.pov is not None and a.pov.narrator == "Odile"
    assert a.character("Narrator") is None and a.character("Pell") is not None


#: First person; the narrator shares a name with the grandfather the narration talks
#: about, so the narration names "Anselm" often, but the narrator answers to it.
NAMESAKE = """My grandfather Anselm built the mill with his own hands. Anselm was a hard man, and the village still tells stories about him: Anselm and the flood, Anselm and the bishop. I was named for him, which I have never quite forgiven.

“When are you going to do something with your life, Anselm?” my aunt asked one morning over breakfast.

“When the mill pays,” I answered, and she laughed at me.

The mill did not pay. Anselm had built it for a river that moved, and the river had moved away.

“Anselm, the roof is leaking again,” my aunt called from the stairs a week later.

“I know,” I said. “I'll see to it.”

I saw to it. I have been seeing to it for nine years."""


def test_a_narrator_who_answers_when_called_by_name_is_that_character() -> None:
    a = _analyze(NAMESAKE)
    assert a.pov is not None and a.pov.person == "first" and a.pov.narrator == "Anselm"
    assert a.character("Narrator") is None


def test_a_name_alone_in_the_narrators_quote_calls_someone_else() -> None:
    a = _analyze("“Ivo,” I said, and he looked up from the departures board.\n\n"
                 "“We missed it.”\n\nIvo shrugged. I laughed at him, and I bought us both "
                 "a coffee while I waited with him for the seven. I was tired.")
    assert a.pov is not None and a.pov.narrator == "Narrator"


def test_a_name_the_narrator_gives_once_is_the_narrators() -> None:
    a = _analyze("Call me Corvin. Some years ago I went to sea, because I was poor and I "
                 "was tired of the shore, and I have never been sorry.")
    assert a.pov is not None and a.pov.narrator == "Corvin"
    assert [(c.name, c.role) for c in a.characters] == [("Corvin", "main")]


def test_a_title_alone_names_the_one_person_who_bears_it() -> None:
    a = _analyze("Senator Vell stepped off the shuttle. Ivo bowed to the Senator. The Senator "
                 "smiled at him, and the Senator's aide frowned. The Senator said nothing. "
                 "General Oss and General Brin waited. The General nodded.")
    vell = a.character("the Senator")
    assert vell is not None and vell.name == "Senator Vell"  # a name, not the description
    assert vell.mentions == 5
    # two generals: "the General" is neither
    assert all("the General" not in c.aliases for c in a.characters)


def test_a_name_before_a_typed_dash_in_a_quote_is_said_to_someone() -> None:
    cast = _cast_of("“Sit up straight, Huck -- and stop that,” said Miss Watson. "
                    "“Don't, Huck--I mean it.” Huck sat up.")
    (huck,) = [c for c in cast.people if "Huck" in c.aliases]
    assert sum(st.vocative for st in huck.stats) == 2


def test_a_friend_the_narrator_calls_by_name_is_not_the_narrator() -> None:
    a = _analyze(CALLING)
    assert a.pov is not None and a.pov.person == "first" and a.pov.narrator == "Narrator"
    assert a.characters[0].name == "Narrator" and a.character("Ivo") is not None


def test_second_person_about_a_named_character_is_not_a_reader_insert() -> None:
    a = _analyze(NAMED_YOU)
    assert a.pov is not None and a.pov.person == "second" and not a.pov.reader_insert
    assert a.pov.focal == ("Tam Harrow",)
    assert a.character("Reader") is None


WORKSHOP = """You wake at three with your hand flat on your chest, counting.

The engine in your ribs hums. You know it hums; you built it. Marisol Vane is asleep beside you with one arm over her face, and you do not wake her. You go down to the workshop instead and rebuild a gauntlet you have already rebuilt twice.

At seven, Marisol comes down the stairs with two mugs. She hands you one and sits on the bench, which she knows you hate.

"Edric," she says. "You didn't sleep."

"I slept. Briefly."

She looks at you over her mug. "Come back to bed for an hour, Edric."

You take her hand. You always do."""


def test_second_person_that_others_call_by_a_canon_name_is_that_character() -> None:
    """"“Edric,” she says. “You didn't sleep.”": the "you" is Edric, a canon character
    the narration never names, not a Reader; "you" is one of his aliases, and he is
    main. Without the canon base the story stays a reader-insert (an unknown name
    called out, "Oh, Neptune!", may be anyone's)."""
    work = Work(title="t", chapters=(Chapter(number=1, text=WORKSHOP),))
    a = analyze(work, canon=_tiny_canon())
    assert a.pov is not None and a.pov.person == "second" and not a.pov.reader_insert
    edric = a.character("Edric Vane")
    assert edric is not None and edric.role == "main" and "you" in edric.aliases
    assert a.character("Reader") is None
    plain = _analyze(WORKSHOP)
    assert plain.pov is not None and plain.pov.reader_insert


def test_you_of_a_guide_is_not_a_reader_insert() -> None:
    a = _analyze(GUIDE)
    assert a.pov is not None and not a.pov.reader_insert
    assert a.character("Reader") is None


def test_a_you_who_catches_a_hand_and_limps_is_a_reader_insert() -> None:
    """The "you" of a short second-person scene has few actions; catching a hand,
    limping and taking a cup are some of them (a guide's "you" does none of these)."""
    text = ("You are the last one in the mess hall, which is how you like it. Orla Fenn "
            "drops into the seat across from you and steals your biscuit. Orla grins. "
            "“You were limping today,” Dace Lorn says. “You should have come to me.”\n\n"
            "You limp to the counter and you take the cup she holds out. Later, at your "
            "door, Dace hesitates. You catch her hand. “Stay,” you say, and she does.")
    a = _analyze(text)
    assert a.pov is not None and a.pov.person == "second" and a.pov.reader_insert
    assert a.character("Reader") is not None


def test_roles_follow_share_and_spread() -> None:
    filler = "The wind moved through the wheat and the river went on. "
    chapters = []
    for i in range(6):
        body = filler * 20
        body += "Orla Fenn walked the field. Orla counted the sheaves. Dace watched Orla. "
        if i == 2:
            body += "A letter from Corvin arrived and went unread. "
        chapters.append(body)
    a = _analyze(*chapters)
    roles = {c.name: c.role for c in a.characters}
    assert roles["Orla Fenn"] == "main"
    assert roles["Dace"] in ("main", "secondary")
    assert roles.get("Corvin") in (None, "mentioned")


def _tiny_canon(*, with_spire: bool = False) -> CanonBase:
    keep = (CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric")),
            CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Marisol", "Sol")))
    grove = (CanonCharacter(tag="Rose Ashgrove (Grove)", names=("Rose Ashgrove", "Rose")),)
    spire = (CanonCharacter(tag="Quillon Ash (Spire)", names=("Quillon Ash", "Quillon")),)
    return CanonBase.build([Fandom.build(tag="Keep", characters=keep),
                            Fandom.build(tag="Grove", characters=grove),
                            *([Fandom.build(tag="Spire", characters=spire)] if with_spire else [])])


def test_canon_link_refuses_a_surname_the_text_contradicts() -> None:
    text = ("Edric Vane rode out at dawn. “Hold the gate,” Edric said to Marisol Vane. "
            "Marisol nodded. Then Edric Thorne, the smith, said nothing. Edric Thorne "
            "hammered on. “Edric,” Marisol said.")
    a = analyze(Work(title="t", chapters=(Chapter(number=1, text=text),)), canon=_tiny_canon())
    thorne = a.character("Edric Thorne")
    assert thorne is not None and thorne.canon is None  # not Edric Vane: another surname
    marisol = a.character("Marisol")
    assert marisol is not None and marisol.canon == "Marisol Vane (Keep)"


def test_a_title_before_a_given_name_does_not_choose_a_fandom() -> None:
    text = ("Old Rose kept the lighthouse. “Tea, Miss Rose?” the boy asked. Rose smiled "
            "and Rose poured. Rose said the sea was calm.")
    a = analyze(Work(title="t", chapters=(Chapter(number=1, text=text),)), canon=_tiny_canon())
    assert a.characters and all(c.canon is None for c in a.characters)


@pytest.mark.parametrize(("also_in_grove", "linked"),
                         [("", True), ("Kay", False), ("Quillon", True)])
def test_two_one_word_names_of_one_fandom_choose_it(also_in_grove: str, linked: bool) -> None:
    """Two of a fandom's characters, each named by one word, choose the fandom when
    one name is no other fandom's and the other no common given name ("Kay" and
    "Cassian", Cassian being a character of another fandom too); a common given name
    shared with another fandom ("Kay" in Grove too) is not enough."""
    spire = (CanonCharacter(tag="Quillon Ash (Spire)", names=("Quillon Ash", "Quillon")),
             CanonCharacter(tag="Kay Holt (Spire)", names=("Kay Holt", "Kay")))
    grove = {"": (CanonCharacter(tag="Rose Ash (Grove)", names=("Rose",)),),
             "Kay": (CanonCharacter(tag="Kay Moss (Grove)", names=("Kay Moss", "Kay")),),
             "Quillon": (CanonCharacter(tag="Quillon Moss (Grove)", names=("Quillon",)),),
             }[also_in_grove]
    canon = CanonBase.build([Fandom.build(tag="Spire", characters=spire),
                             Fandom.build(tag="Grove", characters=grove)])
    text = ("Kay climbed the stair. “Wait,” Quillon said, and Kay waited. Quillon held "
            "the lamp while Kay read the map. “North,” Kay said. Quillon nodded.")
    a = analyze(_work(text), canon=canon)
    tags = {c.name: c.canon for c in a.characters}
    if linked:
        assert tags == {"Kay Holt": "Kay Holt (Spire)", "Quillon Ash": "Quillon Ash (Spire)"}
    else:
        assert set(tags) == {"Kay", "Quillon"} and set(tags.values()) == {None}


def test_one_word_names_of_people_the_text_gives_other_surnames_choose_no_fandom() -> None:
    """"Tobias Marrow" and his sister "Elizabeth Marrow", called "Beth", are not the
    Spire's Tobias Hale and Beth Crane, though "Tobias" and "Beth" are their names:
    the work is Original Work. Named by the first names alone they would choose it."""
    spire = (CanonCharacter(tag="Tobias Hale (Spire)", names=("Tobias Hale", "Tobias")),
             CanonCharacter(tag="Beth Crane (Spire)", names=("Beth Crane", "Beth")))
    canon = CanonBase.build([Fandom.build(tag="Spire", characters=spire)])
    text = ("Elizabeth Marrow scraped the ice off the step. Tobias Marrow came out of the "
            "kitchen. “Beth,” Tobias said, “the coach is early.” Beth looked up. “It is, "
            "Tobias.” Tobias swore, and Beth laughed at him, and Tobias went to get the "
            "horses while Beth held the door. “Four rooms,” Beth said. Tobias groaned.")
    a = analyze(_work(text), canon=canon)
    assert a.extra["fandoms"].top == "Original Work"
    bare = text.replace("Elizabeth Marrow", "Beth").replace("Tobias Marrow", "Tobias")
    b = analyze(_work(bare), canon=canon)
    assert b.extra["fandoms"].top == "Spire"


@pytest.mark.parametrize(("second", "linked"),
                         [("", False), (" Edric came too. Edric took the bread.", True)])
def test_a_titled_surname_alone_does_not_choose_a_fandom(second: str, linked: bool) -> None:
    """"Mrs. Vane" may be anyone's neighbour: a titled surname chooses the fandom only
    with a second of its characters (or a setting word)."""
    text = ("Mrs. Vane kept the shop on the corner. “Bread?” Mrs. Vane asked. The boy "
            "nodded, and Mrs. Vane wrapped a loaf. Mrs. Vane counted the coins." + second)
    keep = (CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric"), gender="m"),
            CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Marisol", "Vane"),
                           gender="f"))
    a = analyze(_work(text), canon=CanonBase.build([Fandom.build(tag="Keep", characters=keep)]))
    vane = a.character("Mrs. Vane")
    assert vane is not None and (vane.canon is not None) is linked


@pytest.mark.parametrize(("again", "linked"),
                         [("", False), (" Quillon Ash had sailed her once.", True)])
def test_a_full_name_written_once_does_not_choose_a_fandom(again: str, linked: bool) -> None:
    """A canon character's full name written once ("Mr. Mark Twain" on a novel's title
    page) is one more name, not the fandom's signature; written again, it is."""
    text = ("Wenna Marsh rowed out at dawn. “Nets,” Wenna said to Pell, and Pell hauled. "
            "Pell laughed at the gulls. The boat had been built by Mr. Quillon Ash. Wenna "
            "steered home, and Pell slept." + again)
    a = analyze(_work(text), canon=_tiny_canon(with_spire=True))
    quillon = next(c for c in a.characters if "Mr. Quillon Ash" in c.aliases)
    assert (quillon.canon == "Quillon Ash (Spire)") is linked


def test_a_titled_surname_needs_a_distinctive_second_name() -> None:
    """"Judge Vane" and "Buck" in a novel about a dog: a titled surname and a second
    character named only by a common given name or an everyday word are not a fandom's
    story; a second name that is neither is."""
    marisol = CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Vane"))
    buck = CanonCharacter(tag="Buck Thorn (Keep)", names=("Buck Thorn", "Buck"))
    edric = CanonCharacter(tag="Edric Thorn (Keep)", names=("Edric Thorn", "Edric"))
    keep = Fandom.build(tag="Keep", characters=(marisol, buck, edric))
    other = CanonCharacter(tag="Buck Moss (Grove)", names=("Buck Moss", "Buck"))
    grove = Fandom.build(tag="Grove", characters=(other,))
    judge = [(keep, marisol, TITLED, 3)]
    assert choose_fandoms([judge, [(keep, buck, AMBIGUOUS_NAME, 16)]], common=[False, True]) == []
    assert choose_fandoms([judge, [(keep, buck, COMMON, 16), (grove, other, COMMON, 16)]],
                          common=[False, True]) == []
    assert choose_fandoms([judge, [(keep, edric, WEAK, 4)]], common=[False, False]) == [keep]
    # a name written once in full is no more than a name
    assert choose_fandoms([[(keep, edric, FULL, 1)]]) == []
    assert choose_fandoms([[(keep, edric, FULL, 1), (keep, edric, WEAK, 3)]]) == [keep]


def test_four_common_names_of_three_of_a_fandom_s_characters_choose_it() -> None:
    """Common given names alone choose no fandom, but four names for three of one
    fandom's characters ("Lena", "Angela", "Mercy", "Winston") are no chance meeting."""
    lena = CanonCharacter(tag="Lena Ox (Watch)", names=("Lena Ox", "Lena"))
    angela = CanonCharacter(tag="Angela Zed (Watch)", names=("Angela Zed", "Angela"),
                            titles=("Mercy",))
    winston = CanonCharacter(tag="Winston (Watch)", names=("Winston",))
    watch = Fandom.build(tag="Watch", characters=(lena, angela, winston))
    three = [[(watch, lena, COMMON, 2)], [(watch, angela, COMMON, 3)],
             [(watch, winston, COMMON, 1)]]
    assert choose_fandoms(three, common=[True] * 3) == []
    mercy = [(watch, angela, AMBIGUOUS_NAME, 1)]
    assert choose_fandoms([*three, mercy], common=[True] * 4) == [watch]
    # four names for two characters are not enough
    assert choose_fandoms([*three[:2], mercy, [(watch, lena, COMMON, 1)]],
                          common=[True] * 4) == []


def _road_canon() -> CanonBase:
    road = (CanonCharacter(tag="Walter Pike", names=("Walter Pike", "Walter", "Walt")),
            CanonCharacter(tag="Henry Pike", names=("Henry Pike", "Henry", "Hank")),
            CanonCharacter(tag="Martha Greer", names=("Martha Greer", "Martha")))
    hall = (CanonCharacter(tag="Walter Bell (Hall)", names=("Walter Bell", "Walter")),)
    return CanonBase.build([Fandom.build(tag="Road", characters=road),
                            Fandom.build(tag="Hall", characters=hall)])


@pytest.mark.parametrize(("third", "linked"), [("Martha", True), ("Ivo", False)])
def test_a_fandom_whose_characters_are_the_three_most_named_people(third: str,
                                                                   linked: bool) -> None:
    """Common given names alone choose no fandom, unless the text's three most named
    people are three of one fandom's characters (Dean, Sam and Bobby)."""
    text = (f"Walter parked the truck. “You're sulking,” Henry said. Walter shrugged. "
            f"“{third} called,” Henry said. “{third} thinks it's a ghost.” Walter laughed. "
            f"In the morning {third} called again. “Boys,” {third} said. Henry made coffee "
            f"and Walter drank it. “Told you,” Walter said, and Henry grinned.")
    a = analyze(Work(title="t", chapters=(Chapter(number=1, text=text),)), canon=_road_canon())
    walter = a.character("Walter") or a.character("Walter Pike")
    assert walter is not None
    assert (walter.canon == "Walter Pike") is linked
    if linked:
        assert a.character("Martha Greer") is not None


def test_three_names_for_two_characters_do_not_choose_a_fandom() -> None:
    """"Lady Agatha", "Aunt Agatha" and "Parker" in a Victorian novel name two of a
    modern fandom's characters at most: three names must name three characters."""
    agatha = CanonCharacter(tag="Agatha Reed (Tower)", names=("Agatha Reed", "Agatha"))
    parker = CanonCharacter(tag="Peter Parkhurst (Tower)", names=("Peter Parkhurst", "Parkhurst"))
    mina = CanonCharacter(tag="Mina Stroud (Tower)", names=("Mina Stroud", "Mina"))
    other = CanonCharacter(tag="Agatha Bell (Hall)", names=("Agatha Bell", "Agatha"))
    tower = Fandom.build(tag="Tower", characters=(agatha, parker, mina))
    hall = Fandom.build(tag="Hall", characters=(other,))
    lady = [(tower, agatha, COMMON, 12), (hall, other, COMMON, 12)]   # "Lady Agatha"
    aunt = [(tower, agatha, COMMON, 3), (hall, other, COMMON, 3)]     # "Aunt Agatha"
    butler = [(tower, parker, WEAK, 3)]                                # "Parkhurst"
    common = [True, True, False]
    assert choose_fandoms([lady, aunt, butler], common=common) == []
    assert choose_fandoms([lady, aunt, butler, [(tower, mina, WEAK, 2)]],
                          common=[*common, False]) == [tower]


def test_the_fandom_the_canon_link_chose_is_reported() -> None:
    """Two invented people carry the story; a canon character named once in full makes
    it a story of that fandom, though too few mentions are his for the fandom layer's
    own bar."""
    text = ("Mara Venn and Tobin Crest crossed the bridge. “Slow,” Mara said. Tobin "
            "laughed at Mara. Quillon Ash had built it, and Quillon Ash was long dead. Mara "
            "shrugged, and "
            "Tobin said that Mara never listened. Mara said that Tobin never stopped "
            "talking. Tobin agreed with Mara; Mara agreed with Tobin.")
    a = analyze(_work(text), canon=_tiny_canon(with_spire=True))
    quillon = a.character("Quillon Ash")
    assert quillon is not None and quillon.canon == "Quillon Ash (Spire)"
    fandoms = a.extra["fandoms"]
    assert isinstance(fandoms, Fandoms) and fandoms.top == "Spire"


@pytest.mark.parametrize("suffix", ["-sensei", "-chan", "-nii-san", "-hyung", "-xiong"])
def test_an_honorific_suffix_marks_a_person(suffix: str) -> None:
    """"Kakashi-sensei", "Yoongi-hyung": only people wear an honorific, so a name with
    one is someone even when nothing else in the text says so."""
    text = (f"Haru ran up the hill with the bread. Toriko{suffix} was reading under the "
            f"cedar, as always. Nobody had ever seen Toriko{suffix} hurry. Haru sat down and "
            "waited, and Haru ate the heel of the loaf.")
    a = _analyze(text)
    toriko = a.character("Toriko")
    assert toriko is not None and toriko.mentions == 2
    # a hyphenated lower-case word after a name is no honorific ("Toriko-style")
    plain = _analyze(text.replace(suffix, "-style"))
    assert plain.character("Toriko") is None


def test_a_chat_speaker_is_a_person_but_a_heading_term_is_not() -> None:
    """"Ivo: you there?" is someone speaking; "Entanglement:" alone on its line heads
    a definition (an author's glossary before the story)."""
    glossary = ("Entanglement:\n\nWhen two particles share one state.\n\n"
                "Decoherence:\n\nWhen the world gets in.\n\n")
    chat = "\n\n".join(f"{n}: you there?" for n in ("Ivo", "Sela", "Ivo", "Sela"))
    a = _analyze(glossary + chat + "\n\nSela laughed, and Ivo put the phone away.")
    names = {c.name for c in a.characters}
    assert {"Ivo", "Sela"} <= names
    assert not names & {"Entanglement", "Decoherence"}


def test_initials_are_names_but_abbreviations_and_shouting_are_not() -> None:
    text = ("AJ woke first. “Morning,” JC said, and AJ laughed at him. The TV was still on. "
            "“NO!” AJ shouted at the screen, and JC threw a pillow at AJ. They watched the "
            "news from the US until JC fell asleep again.")
    a = _analyze(text)
    names = {c.name for c in a.characters}
    assert {"AJ", "JC"} <= names
    assert not names & {"TV", "NO", "US"}


def test_a_mention_spans_the_phrase_that_names_the_person() -> None:
    from ficshelf.understand.cast import Cast
    from ficshelf.understand.document import Document
    from ficshelf.understand.keys import CAST
    from ficshelf.understand.run import core_pipeline

    text = ("Old Garrow mended nets by the harbour. “Morning,” said young Pell Ardent. "
            "Garrow nodded. Madame St. Ives watched the talented Miss Quarry sing. "
            "“You're late, Pell,” Garrow said, and Pell laughed. The Ardents had always lived "
            "by the sea.")
    doc = core_pipeline().run(Document.from_texts(text))
    cast = doc.need(CAST, Cast)
    spans = {text[s:e] for c in (*cast.people, *cast.groups) for _ci, s, e in c.mentions()}
    assert {"Old Garrow", "young Pell Ardent", "Madame St. Ives",
            "the talented Miss Quarry", "The Ardents"} <= spans
    assert "Garrow" in spans and "Pell" in spans  # bare names stay bare
    assert "Ardents" not in {c.name for c in cast.people}  # a family is not a person


REGENCY = """Harriet had not meant to walk so far. The lane behind Netherby House ran down to the river, and she followed it until her boots were grey with dust.

"Miss Ashby," said a voice behind her. She turned. Mr. Darcy stood at the stile, hat in hand, looking as though the meeting pained him.

"Mr. Darcy," Harriet said. "I did not know you walked here."

"I walk wherever my aunt is not," Darcy said, and for a moment she almost liked him.

They went on together. Darcy spoke of the harvest and of his sister Clemency. At the gate Darcy bowed. "Good day, Miss Ashby."

"Good day," Harriet said. Jane would laugh at her, she thought, when she told her. Jane laughed at everything Darcy did."""

LAB = """Darcy had the lab to herself by nine. Jane came in at ten with two coffees and a stack of printouts.

"You slept here again," Jane said.

"I supervised the equipment," Darcy said. She took the coffee and Jane laughed. Darcy leaned in to look."""


def _work(text: str, *fandoms: str) -> Work:
    from ficshelf.model import Tags

    return Work(title="t", chapters=(Chapter(number=1, text=text),), tags=Tags(fandoms=fandoms))


def test_a_shared_first_name_links_no_other_fandoms_character() -> None:
    from ficshelf.canon import load_canon

    canon = load_canon()
    # "Mr. Darcy" is a man and "Darcy" his surname: not Marvel's Darcy Lewis, whose
    # given name it is; "Jane" alone is any Jane
    for tags in ((), ("Pride and Prejudice - Jane Austen",), ("Original Work",)):
        a = analyze(_work(REGENCY, *tags), canon=canon)
        assert a.character("Darcy") is not None
        assert all(c.canon is None for c in a.characters), tags
    # the author's fandom tag is evidence enough for first names
    a = analyze(_work(LAB, "Marvel Cinematic Universe"), canon=canon)
    darcy = a.character("Darcy Lewis")
    assert darcy is not None and darcy.canon == "Darcy Lewis"
    # a work tagged with a fandom the base does not know links nobody
    a = analyze(_work(LAB, "Some Unknown Fandom"), canon=canon)
    assert all(c.canon is None for c in a.characters)


def test_a_title_of_the_other_gender_refuses_a_canon_character() -> None:
    keep = (CanonCharacter(tag="Sol Vane (Keep)", names=("Sol Vane", "Sol"), gender="f"),
            CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric"), gender="m"))
    canon = CanonBase.build([Fandom.build(tag="Keep", characters=keep)])
    text = ("Edric Vane rode out at dawn. “Hold the gate,” Edric said. Mr. Sol nodded, "
            "and Mr. Sol held it. “Sol,” Edric said, “bar it too.” Sol barred it.")
    a = analyze(_work(text), canon=canon)
    edric = a.character("Edric Vane")
    assert edric is not None and edric.canon == "Edric Vane (Keep)"
    sol = a.character("Sol")
    assert sol is not None and sol.canon is None  # "Mr." Sol is not the Keep's Sol


def _cast_of(*texts: str) -> Cast:
    from ficshelf.understand.document import Document
    from ficshelf.understand.keys import CAST
    from ficshelf.understand.run import core_pipeline

    return core_pipeline().run(Document.from_texts(*texts)).need(CAST, Cast)


def _spans(text: str) -> set[str]:
    cast = _cast_of(text)
    return {text[s:e] for c in (*cast.people, *cast.groups) for _ci, s, e in c.mentions()}


def test_saints_places_and_dates_are_not_people() -> None:
    text = ("Orrin Tamsk sailed from St. Kellan in May. On May 3 the ship reached St. Avel, "
            "and Orrin wrote to his sister from St. Avel. “We land at St. Kellan on June 9,” "
            "Orrin said. Orrin counted the days until August 14.")
    names = {c.name for c in _cast_of(text).people}
    assert "Orrin Tamsk" in names
    assert not names & {"St. Kellan", "St. Avel", "May", "June", "August"}


def test_a_month_after_a_word_of_time_is_no_part_of_a_name() -> None:
    """"In August Agnes taught me" names Agnes, not "August Agnes"; a month after "in",
    "since" or "until" is a date, but "June's" is someone's."""
    text = ("Agnes Farrow came in May. In August Agnes taught me the glass, and Agnes sang. "
            "Since June Agnes had kept the lamp. June Pell laughed at her. June's boat was "
            "late, and June waved.")
    names = {c.name for c in _cast_of(text).people}
    assert "Agnes Farrow" in names and "June Pell" in names
    assert not names & {"August Agnes", "June Agnes", "May", "August"}
    agnes = next(c for c in _cast_of(text).people if c.name == "Agnes Farrow")
    assert agnes.total == 4


def test_may_and_will_inside_a_sentence_are_names() -> None:
    text = ("“Will you stop?” asked May. Will Harrow laughed. “May I?” he said, and took the "
            "oar. May watched Will row. Later Will said May was right, and May smiled.")
    names = {n for c in _cast_of(text).people for n in (c.name, *c.aliases)}
    assert {"May", "Will Harrow", "Will"} <= names


def test_a_list_of_places_in_a_quotation_is_no_vocative() -> None:
    text = ("Tessaly read the label aloud. “Brannock, Velt, Orsmoor, Dunhallow.” Tessaly "
            "frowned. “Brannock, Velt, Orsmoor, Dunhallow,” she read again.")
    names = {c.name for c in _cast_of(text).people}
    assert not names & {"Velt", "Orsmoor", "Dunhallow"}


def test_names_in_capitals_count_for_the_person() -> None:
    text = ("LETTER II. MR. VELLOW TO LADY HARTWIN\n\nMadam, Mr. Vellow begs leave to write. "
            "Lady Hartwin had asked him, and Mr. Vellow said he would. Lady Hartwin smiled.")
    spans = _spans(text)
    assert {"MR. VELLOW", "LADY HARTWIN", "Mr. Vellow", "Lady Hartwin"} <= spans


def test_a_mention_holds_a_kings_number_and_where_he_is_from() -> None:
    text = ("In the reign of Aldric II the tax was doubled, and Aldric the Second was hated "
            "for it. Then Corwen of Mardale said so. “Corwen,” said Aldric, “hold your "
            "tongue.” And Corwen bowed to Aldric.")
    spans = _spans(text)
    assert {"Aldric II", "Aldric the Second", "Corwen of Mardale"} <= spans


def test_titles_before_a_month_and_a_full_given_name_at_sentence_starts() -> None:
    text = ("Miss July kept the school. Harriet, her sister, kept the house. Miss July "
            "said the roof leaked, and Miss July was right.")
    names = {c.name for c in _cast_of(text).people}
    assert {"Miss July", "Harriet"} <= names


def test_a_shared_surname_goes_to_the_one_named_last() -> None:
    text = ("Mr. Quarle opened the shop at eight. “Tea,” said Mr. Quarle. At nine Tobin Quarle "
            "came down the stairs, and Tobin Quarle said nothing. “Late again,” Quarle said. "
            "Tobin Quarle smiled at him.")
    cast = _cast_of(text)
    tobin = next(c for c in cast.people if c.name == "Tobin Quarle")
    assert "Quarle" in tobin.aliases  # "Quarle said" right after Tobin Quarle is named


def test_a_character_only_talked_about_is_not_main() -> None:
    text = ("Lisbet fed the goats. “Has Haddon come back?” Lisbet asked. “Haddon went north,” "
            "Per said. “Haddon will be gone a month. Haddon always is.” Lisbet sighed, and Per "
            "went back to the fence. Lisbet fed the goats again. Per mended the fence.")
    roles = {c.name: c.role for c in _analyze(text).characters}
    assert roles["Lisbet"] == "main" and roles["Per"] == "main"
    assert roles["Haddon"] != "main"  # named four times, all in others' speech


def test_a_name_far_more_frequent_than_its_full_names_is_a_person_of_its_own() -> None:
    text = ("Lady Mary Venn called at noon, and Lady Mary Holt at one. Mary did not see them. "
            "“Tell them I am out,” Mary said. Mary sat by the fire. Mary read, and Mary slept, "
            "and when Mary woke the callers had gone. Mary laughed, and Mary rang for tea.")
    cast = _cast_of(text)
    mary = cast.by_name("Mary")
    assert mary is not None and mary.name == "Mary" and mary.total == 8


def test_a_capitalised_event_whose_head_is_a_common_word_is_not_a_person() -> None:
    text = ("Wren hated the Spring Prayer. Every spring the prayer ran long, and this prayer "
            "would too. Wren sighed. Spring Prayer came at noon. Tamsin laughed. Spring Prayer "
            "took an hour, and Tamsin sang while Wren knelt. After Spring Prayer, Tamsin went "
            "home. Spring Prayer had ended.")
    names = {c.name for c in _analyze(text).characters}
    assert {"Wren", "Tamsin"} <= names
    assert not any("Prayer" in n for n in names)


def test_a_sentence_opening_preposition_is_no_part_of_a_name() -> None:
    text = ("Unlike Sarah, Joss never slept late. Sarah laughed at him. “Up,” Sarah said. "
            "Joss groaned, and Sarah pulled the blanket away.")
    sarah = next(c for c in _analyze(text).characters if c.name == "Sarah")
    assert "Unlike Sarah" not in sarah.aliases


def test_a_website_is_not_a_character() -> None:
    text = ("Kit looked it up on Google. Google said nothing useful, so Kit ordered the book "
            "from Amazon. “Again?” Mo asked. Kit shrugged at Mo.")
    names = {c.name for c in _analyze(text).characters}
    assert "Kit" in names and "Google" not in names and "Amazon" not in names


def test_a_lineage_epithet_is_an_alias() -> None:
    text = ("“Clint, son of Edith,” the voice said. Clint froze. Natasha took his hand. "
            "Clint looked at Natasha, and Natasha looked back.")
    clint = next(c for c in _analyze(text).characters if c.name == "Clint")
    assert "Clint, son of Edith" in clint.aliases


_FIRST_WIFE = (
    ("Tomas had a wife once, and a wife is a comfort, said his mother, who was a "
     "wife herself and thought every man should have a wife. ") * 3
    + ("The old First Wife of Arden was gone. Ilse would be First Wife of the duchy "
       "now, and the First Wife was the one who kept the keys. ") * 2
    + "“Come in,” Tomas said to Ilse. Ilse nodded and sat by the fire. " * 2)
_WAIT = ("Ilse woke in the dark. Wait. Trees? She was thinking, Wait a minute, how did I "
         "get here. “Wait. You have no idea?” Tomas said. “Listen, Ilse. Stay here.” "
         "Ilse nodded. “Wait,” she said, and Tomas waited. ") * 2
_KA_SAN = ("“Sorry, Ren, Ka-san made us bentos,” Toma said. Ren ran to Sensei, and Sensei "
           "smiled. Toma laughed. “Wait until Tou-san and Ka-san see,” Ren said. Ren went to "
           "Jiji, and Jiji nodded. Ren grinned at Toma, and Jiji smiled. ") * 3
_JEEP = ("Tomas drove his Jeep to the lake. Ilse said his Jeep was a wreck. “It's my "
         "Jeep,” Tomas said, and he patted his Jeep, and his Jeep was hot. Ilse laughed "
         "at him. ") * 2

_HALL = ("Tomas ran to the Hall's back door in the rain. Ilse opened it and laughed at him. "
         "“You're soaked,” Ilse said, and Tomas shook his head. ") * 2

_PEOPLE = ("“People say a lot of things,” Tomas said. Ilse laughed at him. “Kids say more,” "
           "Ilse said, and Tomas shook his head. ") * 2


@pytest.mark.parametrize(("text", "people", "things"), [
    # a common noun capitalised in a title ("First Wife") that the text writes in lower
    # case far more often, and that nobody says or is called
    pytest.param(_FIRST_WIFE, {"Tomas", "Ilse"}, {"Wife"}, id="lower-case-word"),
    # an order or an interjection capitalised mid-sentence ("thinking, Wait a minute")
    pytest.param(_WAIT, {"Ilse", "Tomas"}, {"Wait", "Listen", "Stay"}, id="imperatives"),
    # honorifics and kin words of other languages, as "Mom" and "Professor" are not names
    pytest.param(_KA_SAN, {"Ren", "Toma"}, {"Ka", "Sensei", "Jiji"}, id="honorifics"),
    # what someone has ("his Jeep"), however often the story names it
    pytest.param(_JEEP, {"Tomas", "Ilse"}, {"Jeep"}, id="possessed"),
    # a building's back door is no body part ("Steve's back" is)
    pytest.param(_HALL, {"Tomas", "Ilse"}, {"Hall"}, id="building-part"),
    # a plural for people in general opening a line, before a speech verb
    pytest.param(_PEOPLE, {"Tomas", "Ilse"}, {"People", "Kids"}, id="people-in-general"),
])
def test_words_that_are_no_one(text: str, people: set[str], things: set[str]) -> None:
    names = _names(_analyze(text))
    assert people <= names
    assert not things & names


# --- people named only by a description -------------------------------------------

STRANGER = """The stranger came to the inn at dusk, wrapped to the eyes. “A room,” said the stranger, and Wenna Hollis gave him the room over the stable.

The stranger nodded and went up. Wenna watched the stairs. The horse in the yard stamped; the horse wanted its supper.

In the morning the stranger asked for coffee and paid in gold. Wenna said nothing. The stranger smiled at her, and Wenna did not like the smile.

By evening the village talked of nothing else. “He came from the coast,” Wenna said. The stranger sighed at his window and drew the curtain. The king's men rode through at night, and the king was far away."""

WONDERLAND = """“I'm late!” said the White Rabbit, and the Rabbit ran past Ottilie Fane. Ottilie followed.

The Mock Turtle sighed deeply. “Once,” said the Mock Turtle, “I was a real Turtle.” Ottilie waited. The Mock Turtle wept, and the White Rabbit hurried by again.

“Sit,” said the Rabbit. The Mock Turtle began again. The Rabbit nodded. The Wardens of the Keep sat in rows, and the Wardens were silent."""


def test_a_person_the_text_only_describes_is_a_character() -> None:
    a = _analyze(STRANGER)
    stranger = a.character("the stranger")
    assert stranger is not None and stranger.role == "main" and stranger.mentions == 6
    assert stranger.evidence and "The stranger" in stranger.evidence[0].text
    # an animal, a rank, a plural are not people; the named character stays
    names = {c.name for c in a.characters}
    assert "Wenna Hollis" in names
    assert not names & {"the horse", "the king"}


def test_capitalised_descriptions_and_their_short_forms() -> None:
    a = _analyze(WONDERLAND)
    rabbit = a.character("the White Rabbit") or a.character("the Rabbit")
    assert rabbit is not None and set(rabbit.aliases) >= {"the White Rabbit", "the Rabbit"}
    # the name layer may already hold "Mock Turtle" (a person here): one person either way
    assert sum(1 for c in a.characters if any("Turtle" in n for n in (c.name, *c.aliases))) == 1
    assert not {c.name for c in a.characters} & {"the Wardens", "the Wardens of the Keep"}


def test_descriptions_leave_the_name_layer_alone_and_never_copy_a_name() -> None:
    from ficshelf.understand.cast import Cluster
    from ficshelf.understand.descriptions import describe_people
    from ficshelf.understand.document import Document
    from ficshelf.understand.mentions import FormStats
    from ficshelf.understand.run import run

    doc = run(Document.from_texts(STRANGER))
    assert "the stranger" not in {c.name for c in doc.get("cast").people}  # names only
    assert "the stranger" in {c.name for c in doc.get("story_cast").people}
    # someone the cast already calls "the Stranger" is not found a second time
    named = Cluster()
    named.add(("", ("Stranger",)), FormStats(total=9, surface="Stranger"))
    assert describe_people([STRANGER], Cast((named,), (), ())) == []


def _hollow() -> CanonBase:
    """A fandom whose names include everyday words: "Sable", "Tinder", and "Beacon",
    the title of two of its people."""
    chars = (CanonCharacter(tag="Grimsby Tallow (Hollow)", names=("Grimsby Tallow", "Grimsby")),
             CanonCharacter(tag="Sable Marsh (Hollow)", names=("Sable Marsh", "Sable"),
                            titles=("Beacon",), ambiguous=("Sable", "Beacon")),
             CanonCharacter(tag="Tinder (Hollow)", names=("Tinder",), ambiguous=("Tinder",)),
             CanonCharacter(tag="Oren Vale (Hollow)", names=("Oren Vale",), titles=("Beacon",),
                            ambiguous=("Beacon",)))
    return CanonBase.build([Fandom.build(tag="Hollow", characters=chars)])


_HOLLOW = ("Grimsby lit the lamp. “Late again,” said Sable, and Tinder laughed at her. "
           "Grimsby shrugged at Tinder. Sable poured the tea while Grimsby and Tinder "
           "argued. “Enough,” Sable said. Then came Beacon, wet from the rain. “Evening,” said "
           "Beacon, and Tinder waved at Beacon. ")


@pytest.mark.parametrize(("extra", "linked"), [
    # never written in lower case: "Sable" and "Tinder" are names, and with Grimsby
    # they name three of Hollow's people
    ("", {"Grimsby Tallow", "Sable Marsh", "Tinder"}),
    # the words in lower case too: one plain name is no fandom
    ("Her sable coat hung by the dry tinder.", set()),
    # a full name chooses the fandom; then the everyday words link all the same
    ("Her sable coat hung by the dry tinder. Grimsby Tallow slept.",
     {"Grimsby Tallow", "Sable Marsh", "Tinder"}),
])
def test_a_name_that_is_an_everyday_word_links_once_the_fandom_is_chosen(
        extra: str, linked: set[str]) -> None:
    a = analyze(_work(_HOLLOW + extra), canon=_hollow())
    got = {c.name for c in a.characters if c.canon}
    assert got == linked
    # "Beacon" is the title of two of Hollow's people: neither, though the text names one
    beacon = a.character("Beacon")
    assert beacon is not None and beacon.canon is None


def test_a_phrase_that_is_everyday_words_is_a_name_only_when_none_is_lower_case() -> None:
    from ficshelf.understand.canonlink import AMBIGUOUS_NAME, AMBIGUOUS_WORD, _lookup
    from ficshelf.understand.mentions import FormStats

    charm = CanonCharacter(tag="Prince Charming (Hollow)", names=("Prince Charming",),
                           ambiguous=("Prince Charming",))
    canon = CanonBase.build([Fandom.build(tag="Hollow", characters=(charm,))])
    key, st = ("", ("Prince", "Charming")), FormStats(surface="Prince Charming", total=3)
    assert _lookup(canon, key, st) == []  # without the text's lower-case words: never
    assert [s for _, _, s in _lookup(canon, key, st, {"prince": 0})] == [AMBIGUOUS_NAME]
    assert [s for _, _, s in _lookup(canon, key, st, {"charming": 2})] == [AMBIGUOUS_WORD]


@pytest.mark.parametrize(("partner", "linked"), [("Edric Vane", "Pell Crane (Keep)"),
                                                  ("Marisol Vane", "Pell Orr (Keep)"),
                                                  ("Rook Tallow", None)])
def test_a_shared_given_name_goes_to_the_one_a_listed_ship_joins_to_the_cast(
        partner: str, linked: str | None) -> None:
    """Two canon characters are called "Pell": beside Edric Vane the text's Pell is the
    one a listed ship joins to Edric; beside someone neither is shipped with, neither."""
    keep = (CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric")),
            CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Marisol")),
            CanonCharacter(tag="Rook Tallow (Keep)", names=("Rook Tallow", "Rook")),
            CanonCharacter(tag="Pell Crane (Keep)", names=("Pell Crane", "Pell")),
            CanonCharacter(tag="Pell Orr (Keep)", names=("Pell Orr", "Pell")))
    ships = (Ship(tag="Edric Vane & Pell Crane (Keep)", kind="platonic",
                  characters=("Edric Vane (Keep)", "Pell Crane (Keep)")),
             Ship(tag="Marisol Vane/Pell Orr (Keep)", kind="romantic",
                  characters=("Marisol Vane (Keep)", "Pell Orr (Keep)")))
    canon = CanonBase.build([Fandom.build(tag="Keep", characters=keep, ships=ships)])
    given = partner.split()[0]
    text = (f"{partner} rode out at dawn. “Hold the gate,” {given} said to Pell. Pell "
            f"nodded, and Pell held it. “Bar it too,” {given} said. Pell barred it, and "
            f"{given} rode on.")
    a = analyze(_work(text, "Keep"), canon=canon)
    pell = a.character("Pell") or next(c for c in a.characters if "Pell" in c.aliases)
    assert pell.canon == linked


def test_a_full_name_with_another_given_name_is_not_the_canon_character_of_its_surname() -> None:
    """ "Nell Vane", a name the story gives its hero, shares a surname with the canon's
    Marisol Vane: Nell is not Marisol, and Marisol is still herself."""
    text = ("Nell came through the door at noon. “Your name is Nell Vane now,” the old man "
            "said, “a cousin of Marisol Vane.” Nell nodded. “Sit,” Marisol said, and she "
            "watched Nell all evening. “Eat,” said Marisol. Nell watched the fire, and "
            "Marisol smiled at her. Nell ate, and Nell slept, and at dawn Nell rode out "
            "with the old man. Nell did not look back. “Keep up, Vane,” the old man said, "
            "and Nell did.")
    keep = (CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Marisol", "Vane")),)
    a = analyze(_work(text, "Keep"), canon=CanonBase.build([Fandom.build(tag="Keep",
                                                                         characters=keep)]))
    nell = next(c for c in a.characters if "Nell" in c.aliases)
    assert nell.canon is None
    marisol = next(c for c in a.characters if "Marisol" in c.aliases)
    assert marisol.canon == "Marisol Vane (Keep)" and "Nell" not in marisol.aliases


CHAT = """[group chat: the flat]

kettleboy: who ate my leftovers
kettleboy: i know one of you did
moonmoth: Language.
kettleboy: leftovers is not a swear word, rosalind
owlet: it was the cat
kettleboy: WE DON'T HAVE A CAT
moonmoth: Oren, breathe.
owlet: lol
kettleboy: fine

[private chat: kettleboy, moonmoth]

moonmoth: You okay? You seemed off today.
kettleboy: i'm fine
moonmoth: Oren.
kettleboy: ok i'm not fine. i miss you when you're on nights
moonmoth: I'm coming home early. I love you, you know.
kettleboy: love you too, rosalind
"""


def test_chat_handles_are_people_and_join_the_names_the_others_call_them() -> None:
    """In a chat log, lower-case handles are speakers; a handle answered by a name
    ("Oren.", "love you too, rosalind") is that person, shown by the name."""
    a = _analyze(CHAT)
    oren = a.character("Oren")
    rosalind = a.character("Rosalind")
    assert oren is not None and "kettleboy" in oren.aliases
    assert rosalind is not None and "moonmoth" in rosalind.aliases
    owlet = a.character("owlet")
    assert owlet is not None and owlet.canon is None
    rels = a.to_dict()["relationships"]
    assert [(r["tag"], r["kind"]) for r in rels] == [("Oren/Rosalind", "romantic")]


@pytest.mark.parametrize(("said", "joins"), [
    ("“Crane can shout all he likes,” Edric said, in a poor imitation of Crane.", True),
    ("They rode in Crane for a week, and the walls of Crane were grey.", False),  # a place
])
def test_a_name_set_aside_joins_the_only_canon_character_it_names(said: str, joins: bool
                                                                  ) -> None:
    """Named twice with no person cue, "Crane" is set aside; once the fandom is chosen,
    a name only one of its characters has (and no common given name) is that character,
    unless the text puts it as a place."""
    keep = (CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric")),
            CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Marisol")),
            CanonCharacter(tag="Tobin Crane (Keep)", names=("Tobin Crane", "Crane")))
    canon = CanonBase.build([Fandom.build(tag="Keep", characters=keep)])
    text = ("Edric Vane rode out at dawn. “Hold the gate,” Edric said to Marisol Vane. "
            "Marisol nodded and Edric smiled. " + said + " Marisol laughed at Edric.")
    assert "Crane" not in _names(_analyze(text))  # no canon: not a person
    a = analyze(_work(text), canon=canon)
    crane = a.character("Tobin Crane")
    assert (crane is not None) == joins
    if crane is not None:
        assert crane.aliases == ("Crane",) and crane.role == "mentioned"


_DUCHESS = ("The Duchess came down at noon. “Tea,” said the Duchess, and Ottilie poured it. "
            "The Duchess frowned at the cup. Ottilie waited. The Duchess sighed and drank, "
            "and the Duchess smiled at last. The Duke was away.")


def test_a_title_alone_that_nobody_bears_is_a_person() -> None:
    """"the Duchess", never with a name, acting again and again, is someone; beside
    "Duchess Mira" it is Mira; "the Duke" named once is no one."""
    duchess = _analyze(_DUCHESS).character("the Duchess")
    assert duchess is not None and duchess.mentions == 5
    assert "the Duke" not in _names(_analyze(_DUCHESS))
    held = _analyze("Duchess Mira Vell rode in. Mira waved. " + _DUCHESS)
    assert "the Duchess" not in {c.name for c in held.characters}
    mira = held.character("Duchess Mira Vell")
    assert mira is not None and "the Duchess" in mira.aliases


@pytest.mark.parametrize(("warden_of", "linked"), [((), True), (("two",), False)])
def test_a_canon_name_that_is_a_title_is_read_from_the_text(warden_of: tuple[str, ...],
                                                             linked: bool) -> None:
    """A fandom's character called "the Professor" and nothing else (as Doctor Who's "the
    Doctor"): a title, so no name form holds it, yet the canon link finds it; not when
    another character of the chosen fandoms is "the Professor" too."""
    keep = [CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric")),
            CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Marisol")),
            CanonCharacter(tag="The Professor (Keep)", names=("the Professor",))]
    canon = CanonBase.build([Fandom.build(tag="Keep", characters=tuple(
        keep + [CanonCharacter(tag="Old Professor (Keep)", names=("the Professor",))
                for _ in warden_of]))])
    text = ("Edric Vane rode out at dawn. “Hold the gate,” the Professor said to Marisol "
            "Vane. Marisol nodded. The Professor's horse stamped, and the Professor laughed "
            "at Edric.")
    assert "Professor" not in _names(analyze(_work(text)))  # a title: no name form
    a = analyze(_work(text), canon=canon)
    prof = a.character("The Professor")
    assert (prof is not None) == linked
    if prof is not None:
        assert prof.canon == "The Professor (Keep)" and prof.mentions == 3
        assert prof.aliases == ("the Professor",)


def test_a_rank_is_not_a_linked_character_s_when_another_holder_is_named() -> None:
    """"the king" is King Edric's only while no other king of his fandom is named: once
    the text names King Aldous ("Aldous," once, in a quote), it is no one's alias."""
    edric = CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric"),
                           titles=("King Edric", "Prince Edric"))
    aldous = CanonCharacter(tag="Aldous Vane (Keep)", names=("Aldous Vane", "Aldous"),
                            titles=("King Aldous",))
    maud = CanonCharacter(tag="Maud Rook (Keep)", names=("Maud Rook", "Maud"))
    canon = CanonBase.build([Fandom.build(tag="Keep", characters=(edric, aldous, maud))])
    base = ("Edric Vane rode out of the keep at dawn, and Maud Rook rode beside him. "
            "“You are quiet,” Maud said. Edric shrugged. “{who}” he said. "
            "The king had been at him for days about the treaty. Maud nodded, and Edric "
            "rode on. The prince did not speak again until noon.")
    aliases: dict[str, set[str]] = {}
    for who in ("The treaty.", "Aldous."):
        a = analyze(Work(title="t", chapters=(Chapter(number=1, text=base.format(who=who)),)),
                    canon=canon)
        found = a.character("Edric Vane")
        assert found is not None
        aliases[who] = set(found.aliases)
    assert "the king" in aliases["The treaty."]
    assert "the king" not in aliases["Aldous."] and "the prince" in aliases["Aldous."]


GUSU = """Wei Wuxian lay in the grass by the cold spring and watched the clouds. Lan Wangji sat beside him with a book he was not reading.

"Lan Er-gege," Wei Wuxian said. "Hanguang-jun. Are you listening?"

Lan Wangji turned a page. "Mn."

Footsteps came up the path. "Hanguang-jun," a junior called. "Lan Qiren asks for you."

Wei Wuxian sighed, and Lan Wangji helped him to his feet, and Wei Wuxian kept hold of his hand."""


def test_a_title_with_an_honorific_suffix_is_the_canon_character_it_names() -> None:
    """"Hanguang-jun" and "Lan Er-gege" are Lan Wangji's, not two more people."""
    from ficshelf.canon import load_canon

    work = Work(title="t", chapters=(Chapter(number=1, text=GUSU),))
    chars = {c.name: c for c in analyze(work, canon=load_canon()).characters}
    lan = chars["Lan Zhan | Lan Wangji"]
    assert {"Hanguang", "Lan Er"} <= set(lan.aliases)
    assert not {"Hanguang", "Lan Er"} & set(chars)


def test_a_family_surname_that_is_a_word_names_the_one_of_the_family_present() -> None:
    """"Wren" is Sorrel's and Hollis's surname and a bird: alone it names no one, but
    beside Sorrel (and no Hollis) "Oi, Wren" is Sorrel. Called "Sorrel" once and
    "Wren" once, the first-person narrator is Sorrel Wren; with Hollis in the story
    too, "Wren" stays nobody's."""
    fam = (CanonCharacter(tag="Sorrel Wren (Vale)", names=("Sorrel Wren", "Sorrel", "Wren"),
                          gender="m", ambiguous=frozenset({"Wren"})),
           CanonCharacter(tag="Hollis Wren (Vale)", names=("Hollis Wren", "Hollis", "Wren"),
                          gender="f", ambiguous=frozenset({"Wren"})),
           CanonCharacter(tag="Tamsin Oake (Vale)", names=("Tamsin Oake", "Tamsin"), gender="f"))
    canon = CanonBase.build([Fandom.build(tag="Vale", characters=fam)])
    text = ("I am late again, and Tamsin is waiting at the gate. “You're late, "
            "Sorrel,” Tamsin says. I shrug. Tamsin laughs at me.\n\nBy the lockers Bram Kettle "
            "looks up. “Oi, Wren, you lost?” I ignore him. Tamsin walks me to class, and I "
            "watch Tamsin the whole way.")
    a = analyze(_work(text, "Vale"), canon=canon)
    assert a.pov is not None and a.pov.narrator == "Sorrel Wren"
    sorrel = a.character("Sorrel Wren")
    assert sorrel is not None and "Wren" in sorrel.aliases
    both = text + " Hollis comes home late. Hollis eats cold toast, and Hollis sleeps."
    b = analyze(_work(both, "Vale"), canon=canon)
    assert not any("Wren" in c.aliases and c.canon is not None for c in b.characters)


def test_a_character_who_speaks_is_more_than_mentioned() -> None:
    """Named twice but heard in three turns (one of them untagged, in the exchange):
    ``secondary`` in the analysis, listed before those only mentioned; named twice
    and heard once: ``mentioned``."""
    talk = ("Ann Vale walked into the shop. Ann looked at the shelves. The clock ticked."
            "\n\n\"Tea?\" Odo asked.\n\n\"Yes,\" Ann said.\n\n\"Milk?\"\n\n\"No.\"\n\n"
            "\"Sugar?\" Odo asked.\n\nAnn paid and waved to Mrs. Bolt across the street. "
            "Mrs. Bolt waved back.")
    a = _analyze(talk)
    roles = {c.name: c.role for c in a.characters}
    assert roles["Odo"] == "secondary" and roles["Mrs. Bolt"] == "mentioned"
    order = [c.name for c in a.characters]
    assert order.index("Odo") < order.index("Mrs. Bolt")
    silent = talk.replace("\"Sugar?\" Odo asked.", "Odo smiled.").replace(
        "\"Milk?\"\n\n\"No.\"\n\n", "")
    b = _analyze(silent)
    assert {c.name: c.role for c in b.characters}["Odo"] == "mentioned"
    # a canon character whose tag holds its fandom ("Odo (Shop)") is "Odo" in the list
    shop = (CanonCharacter(tag="Odo (Shop)", names=("Odo",), gender="m"),
            CanonCharacter(tag="Ann Vale (Shop)", names=("Ann Vale", "Ann"), gender="f"))
    linked = analyze(_work(talk), canon=CanonBase.build([Fandom.build(tag="Shop",
                                                                      characters=shop)]))
    odo = linked.character("Odo")
    assert odo is not None and odo.canon == "Odo (Shop)" and odo.role == "secondary"


def test_a_one_letter_name_that_speaks_and_acts_is_a_character() -> None:
    """"Q" who speaks and acts again and again is a person; a letter that is a thing
    ("plan B", "the letter B", once "B said") is not."""
    text = ("Q put the kettle on. “You're late,” Q said, and Wren shrugged. Q poured two "
            "cups. Wren looked at Q's hands, which shook. “Plan B, then,” Q said. Wren "
            "nodded at Q.")
    names = {c.name for c in _analyze(text).characters}
    assert {"Q", "Wren"} <= names
    assert "B" not in names
    once = ("Wren wrote the letter B on the board. Plan B was the only plan. “B said "
            "nothing,” Wren said, and Tamsin laughed at Wren.")
    names = {c.name for c in _analyze(once).characters}
    assert "Wren" in names and "B" not in names


def test_a_title_the_canon_gives_one_of_a_family_names_that_one() -> None:
    """"Sheriff Vane" is Edric's title in the canon, not Marisol's, though the cast puts
    it with "Marisol Vane" (one surname, a title that says no gender)."""
    keep = (CanonCharacter(tag="Edric Vane (Keep)", names=("Edric Vane", "Edric"),
                           titles=("Sheriff Vane",), gender="m"),
            CanonCharacter(tag="Marisol Vane (Keep)", names=("Marisol Vane", "Marisol", "Vane"),
                           gender="f"))
    canon = CanonBase.build([Fandom.build(tag="Keep", characters=keep)])
    text = ("Marisol Vane rode out at dawn. “Hold the gate,” Marisol said. Sheriff Vane was "
            "asleep in the tower, and Marisol let him sleep. Sheriff Vane snored. Marisol "
            "laughed and rode on.")
    a = analyze(_work(text, "Keep"), canon=canon)
    marisol = a.character("Marisol Vane")
    assert marisol is not None and "Sheriff Vane" not in marisol.aliases
    edric = a.character("Edric Vane")
    assert edric is not None and edric.aliases == ("Sheriff Vane",)
    assert edric.canon == "Edric Vane (Keep)"


def test_an_apostrophe_inside_a_name_keeps_the_name_whole() -> None:
    """ "Teal'c" is one name, as "O'Neill" is; a contraction ("Jack's", "Jack'd"), a
    one-letter elision ("C'mon", "D'you") and "Ma’am" with a curly apostrophe are not."""
    text = ("Teal'c raised an eyebrow. Jack O'Neill looked at Teal'c and laughed. \"C'mon,\" "
            "Jack said. \"D'you want to go?\" Teal'c said, \"Indeed.\" Jack'd known he would. "
            "Teal'c's staff was on Jack's shoulder. “Ma’am,” Teal'c said to Vala Mal, and "
            "Vala said, “Ma’am yourself, Teal'c.” Jack waved at Vala. “Please, Ma’am, sit,” "
            "Jack said.")
    names = _names(_analyze(text))
    assert "Teal'c" in names and "Teal" not in names
    assert not names & {"C'mon", "C", "D'you", "D", "Ma’am", "Ma", "Jack'd"}


def test_a_name_after_a_or_an_before_a_noun_is_one_of_a_house_not_a_person() -> None:
    """ "a Marrow boy", "an Oakes soldier": someone of the house, not the Marrow of the
    story; "a Linnet called out" is someone all the same."""
    text = ("Tamsin Marrow watched the yard. A Marrow boy ran past her with a sword, and an "
            "Oakes soldier laughed at him. Tamsin sighed. Jory Pell came out of the hall, and "
            "Tamsin waved at Jory. Jory said nothing. Then a Linnet called out from the wall, "
            "and Jory looked up at the Linnet.")
    from ficshelf.understand.mentions import scan_names

    a = _analyze(text)
    tamsin = a.character("Tamsin Marrow") or a.character("Tamsin")
    assert tamsin is not None and "Marrow" not in tamsin.aliases
    assert "Oakes" not in _names(a)
    forms = scan_names((text,), ((),)).forms
    assert ("", ("Marrow",)) not in forms and ("", ("Oakes",)) not in forms
    assert len(forms["", ("Linnet",)].mentions) == 2


def test_a_first_person_narrator_called_once_by_a_canon_name_is_that_character() -> None:
    """ "“Feyla darling, you have been...”" is the one time the text names the narrator:
    a name of the fandom's, at a sentence start but said to someone (a pet name after
    it), that the narration never uses, is the narrator's; without the canon it is no
    one, since one call is too few."""
    court = (CanonCharacter(tag="Feyla Archer (Court)", names=("Feyla Archer", "Feyla"),
                            gender="f"),
             CanonCharacter(tag="Rhysen (Court)", names=("Rhysen", "Rhys"), gender="m"),
             CanonCharacter(tag="Amrel Vey (Court)", names=("Amrel Vey", "Amrel"), gender="f"))
    canon = CanonBase.build([Fandom.build(tag="Court", characters=court)])
    text = ("I stand on the balcony and watch the river. Rhysen comes up behind me.\n\n"
            "“You're brooding,” Rhys says. “That's my job.”\n\n"
            "I do not turn around. I can feel him at the edge of my mind.\n\n"
            "“Feyla darling, you have been thinking at that star for an hour.” He leans on "
            "the railing beside me. “Tell me.”\n\n"
            "So I tell him about my sister, and Rhysen listens. “Amrel will know,” I say. "
            "Rhysen laughs, and Amrel, when she comes up the stairs, laughs too. I kiss him.")
    a = analyze(_work(text), canon=canon)
    me = a.character("Feyla Archer")
    assert me is not None and "I" in me.aliases and me.canon == "Feyla Archer (Court)"
    assert a.character("Narrator") is None
    bare = analyze(_work(text))
    assert bare.character("Narrator") is not None and bare.character("Feyla") is None


def test_a_name_given_as_an_answer_is_not_a_call_to_the_narrator() -> None:
    """ '"Trouble?" "Vesk."' names who caused it, not whom Corran speaks to: only the
    one real call ("Okay, Mirela.") picks the first-person narrator, where the answer,
    counted as a call, made a tie of one each and no narrator at all."""
    crew = (CanonCharacter(tag="Mirela Dane (Ash)", names=("Mirela Dane", "Mirela"), gender="f"),
            CanonCharacter(tag="Corran Vale (Ash)", names=("Corran Vale", "Corran"), gender="m"),
            CanonCharacter(tag="Vesk (Ash)", names=("Vesk",), gender="m"))
    canon = CanonBase.build([Fandom.build(tag="Ash", characters=crew)])
    text = ("I lock the shop at nine and wait. Corran is late again.\n\n"
            "He comes in at midnight with a cut on his lip. Corran sits at the counter.\n\n"
            "“Trouble?” I ask.\n\n"
            "“Vesk.” He shrugs. “He wanted to talk.”\n\n"
            "I pour him water and he drinks it. Corran looks at me for a long time.\n\n"
            "“Okay,” Corran says at last. “Okay, Mirela.”")
    me = analyze(_work(text), canon=canon).character("Mirela Dane")
    assert me is not None and "I" in me.aliases
    from ficshelf.understand.mentions import scan_names
    from ficshelf.understand.segments import dialogue_spans
    st = scan_names((text,), (dialogue_spans(text),)).forms["", ("Vesk",)]
    assert st.address == 1 and st.answer == 1


def test_a_place_word_before_a_possessive_name_governs_the_thing_possessed() -> None:
    """ "went into Orlan's tent" goes into the tent: no place cue for Orlan, as "slept in
    Brellin" is one for Brellin."""
    from ficshelf.understand.mentions import scan_names

    text = "Dace went into Orlan's tent at dusk. Later they slept in Brellin."
    forms = scan_names((text,), ((),)).forms
    assert forms["", ("Orlan",)].locative == 0 and forms["", ("Orlan",)].possessive == 1
    assert forms["", ("Brellin",)].locative == 1


def test_a_word_that_opens_a_sentence_before_a_name_is_read_as_its_cue() -> None:
    """ "With Gaius" and "In Brellin" opening a sentence are read like "with Gaius" and
    "in Brellin": the cut-off capitalised word is the cue it would be in lower case (but
    not an article)."""
    from ficshelf.understand.mentions import scan_names

    text = "With Gaius that night, Dace ate. In Brellin it rained. The Mock Turtle came."
    forms = scan_names((text,), ((),)).forms
    assert forms["", ("Gaius",)].social == 1 and forms["", ("Gaius",)].locative == 0
    assert forms["", ("Brellin",)].locative == 1
    # an article is left alone: "The Mock Turtle" opens with a description
    assert forms["", ("Mock", "Turtle")].article == 0


def test_a_name_after_words_that_open_sentences_is_a_person() -> None:
    """Tobin's person cues are half at sentence starts ("With Tobin ...", "For Tobin ..."),
    against one place cue ("the pull at Tobin"): read as cues, they make him someone one
    is with, not a place."""
    text = ("Oriel woke early and went down to the yard. Her hands shook.\n\n"
            "With Tobin that night, she ate in silence. Tobin's fear had worn at her "
            "for weeks, and the pull at Tobin from every side was plain.\n\n"
            "For Tobin, she said nothing. Oriel walked on alone, and at dawn she "
            "slept.\n\nShe thought about Tobin again at noon, and she smiled.")
    names = {c.name for c in analyze(_work(text)).characters}
    assert "Tobin" in names


def test_an_everyday_word_a_canon_names_someone_by_joins_once_when_it_acts() -> None:
    """ "At the gate, Garnet was waiting": a gem the canon lists as an ambiguous name,
    named once and set aside as a thing, is that character when the text never writes
    the word in lower case and the name acts like a person; a text with "a garnet ring"
    keeps it a thing, and so does one where it does not act ("past Garnet")."""
    gems = (CanonCharacter(tag="Garnet (Shards)", names=("Garnet",), gender="f",
                           ambiguous=("Garnet",)),
            CanonCharacter(tag="Tovan Reyes (Shards)", names=("Tovan Reyes", "Tovan"),
                           gender="m"),
            CanonCharacter(tag="Ilse Marr (Shards)", names=("Ilse Marr", "Ilse"), gender="f"))
    canon = CanonBase.build([Fandom.build(tag="Shards", characters=gems)])
    story = ("Tovan Reyes ran up the beach. Ilse Marr followed him, laughing. “Slow down,” "
             "Ilse said. Tovan grinned at her. At the gate, Garnet was waiting for them both. "
             "Ilse waved, and Tovan laughed.")
    assert analyze(_work(story), canon=canon).character("Garnet") is not None
    ring = story + " Ilse turned the garnet ring on her finger."
    assert analyze(_work(ring), canon=canon).character("Garnet") is None
    still = story.replace("Garnet was waiting for them both", "they ran past Garnet")
    assert analyze(_work(still), canon=canon).character("Garnet") is None


def test_a_name_only_ever_sworn_by_is_no_one() -> None:
    """ "Oh, Oberon!" and "oh Oberon, yes" again and again call on a god, not a person."""
    text = ("Wren laughed at Cole. “Oh, Oberon! Stop it,” Wren said. Cole kept tickling. "
            "“Oh Oberon, please,” Wren gasped. Cole grinned. “Oh, Oberon!” Wren said.")
    names = _names(_analyze(text))
    assert "Oberon" not in names and {"Wren", "Cole"} <= names


def test_a_place_the_canon_personifies_is_a_character_when_it_acts() -> None:
    """In a canon where nations are people, "said Iceland" and "Iceland laughed" make
    a character; without such a canon, or when the place is only a place ("sailed to
    Sweden"), there is none."""
    nations = tuple(CanonCharacter(tag=f"{land} (Nations)", names=(land, human), gender="m",
                                   ambiguous=(land,))
                    for land, human in (("Norway", "Lukas Bondevik"),
                                        ("Denmark", "Mathias Kohler"),
                                        ("Iceland", "Emil Steilsson"),
                                        ("Sweden", "Berwald Oxenstierna")))
    canon = CanonBase.build([Fandom.build(tag="Nations", characters=nations)])
    text = ("Lukas Bondevik poured the coffee. Mathias Kohler took a cup. “More sugar,” said "
            "Iceland. Iceland laughed at him, and Mathias Kohler sulked. Lukas Bondevik "
            "drank his coffee. In the summer they sailed to Sweden.")
    a = analyze(_work(text), canon=canon)
    tags = {c.canon for c in a.characters}
    assert "Iceland (Nations)" in tags and "Sweden (Nations)" not in tags
    iceland = a.character("Iceland")
    assert iceland is not None and iceland.mentions == 2
    assert {c.name for c in analyze(_work(text)).characters}.isdisjoint({"Iceland", "Sweden"})


def test_a_canon_name_that_opens_like_a_place_is_that_character() -> None:
    """"San Rafa" reads like "San Diego", and is no one in other stories; where the
    canon lists it among a character's names and the text says it to someone, it is
    that character's alias."""
    orin = CanonCharacter(tag="Orin Vale", names=("Orin Vale", "Orin", "San Rafa"), gender="m")
    tavi = CanonCharacter(tag="Tavi Mor", names=("Tavi Mor", "Tavi"), gender="m")
    canon = CanonBase.build([Fandom.build(tag="Lanterns", characters=(orin, tavi))])
    text = ("Tavi Mor sat on the steps of the shrine. Orin Vale came up the path. "
            "“San Rafa,” Tavi said, and smiled. “You came.” Orin sat beside him. "
            "Tavi never knew what to say to San Rafa. Later they flew to San Diego.")
    a = analyze(_work(text), canon=canon)
    orin_c = a.character("Orin Vale")
    assert orin_c is not None and "San Rafa" in orin_c.aliases
    assert all("San Diego" not in c.aliases for c in a.characters)
    assert all("San Rafa" not in c.aliases for c in analyze(_work(text)).characters)


def test_a_canon_name_that_only_opens_sentences_is_that_character() -> None:
    """"Brakk made pancakes." is the one time the text names Brakk: capitals at a
    sentence start say nothing alone, but the name is one only this fandom's
    character has. A name the canon marks as an everyday word ("Hope") stays no one,
    and so does the name without the canon."""
    crew = (CanonCharacter(tag="Kell Varo", names=("Kell Varo", "Kell"), gender="m"),
            CanonCharacter(tag="Lanz Ortega", names=("Lanz Ortega", "Lanz"), gender="m"),
            CanonCharacter(tag="Brakk (Crew)", names=("Brakk",), gender="m"),
            CanonCharacter(tag="Hope (Crew)", names=("Hope",), gender="f", ambiguous=("Hope",)))
    canon = CanonBase.build([Fandom.build(tag="Crew", characters=crew)])
    text = ("Kell Varo found Lanz Ortega on the deck at three in the morning. “Can't sleep?” "
            "said Lanz. Kell sat down beside him, and Lanz handed him a cup. Hope was all "
            "they had left. Kell kissed him.\n\nBrakk made pancakes in the morning. Lanz ate "
            "six of them, and Kell laughed at him.")
    a = analyze(_work(text), canon=canon)
    brakk = a.character("Brakk")
    assert brakk is not None and brakk.canon == "Brakk (Crew)" and brakk.role == "mentioned"
    assert a.character("Hope") is None
    assert analyze(_work(text)).character("Brakk") is None


def test_someone_smiled_at_is_a_person_and_somewhere_stayed_at_a_place() -> None:
    """"at X" is mostly where someone is ("stayed at Netherfield"), but after a look or a
    gesture it is at whom ("smiled at Ben")."""
    text = ("Ann Vell met Ben Orris by the gate. Ann laughed, and she waved at Ben. Cal "
            "Dunmore came too, and he smiled at Ben. Ben took a step back. They stayed at "
            "Netherfield for a week, and at Netherfield it rained.")
    names = {c.name for c in analyze(_work(text)).characters}
    assert "Ben Orris" in names and "Netherfield" not in names


def test_a_name_shouted_in_capitals_counts_for_a_canon_name_that_joined_late() -> None:
    """"Mirei slides the door open" and "Mirei stops" open sentences, so the name joins
    the cast from the canon; "MIREI!" and "MIREI-CHAN!" count as her mentions too (an
    honorific on a shouted name as well), and so she is main."""
    house = (CanonCharacter(tag="Sato Kaito", names=("Sato Kaito", "Kaito"), gender="m"),
             CanonCharacter(tag="Aoi Mirei", names=("Aoi Mirei", "Mirei"), gender="f"),
             CanonCharacter(tag="Sato Hana", names=("Sato Hana", "Hana"), gender="f"))
    canon = CanonBase.build([Fandom.build(tag="Closet", characters=house)])
    text = ("Mirei slides the closet door open. “Kaito, your sister is cooking.”\n\n"
            "“So?” said Kaito.\n\n“So I want curry.”\n\n“MIREI.”\n\n"
            "Kaito glares at the ceiling. Hana calls them down, and Kaito "
            "sighs. Mirei stops at the door and looks back at Kaito.\n\n"
            "Downstairs Hana shrieks “MIREI-CHAN!” with joy, and Kaito follows them down.")
    a = analyze(_work(text), canon=canon)
    mirei = a.character("Aoi Mirei")
    assert mirei is not None and mirei.mentions == 4 and mirei.role == "main"
