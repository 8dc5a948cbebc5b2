"""Name mentions: one regex pass per chapter over capitalised word runs.

Only candidate positions are touched (capitalised words are about a tenth of
the tokens). For each run the same match captures the lower-case word before
it, a possessive, and the next lower-case word (after an optional ``-ly``
adverb), so dialogue tags ("said Steve", "Steve asked"), possessives
("Steve's hand"), titles ("Mr. Darcy") and locatives ("in Budapest") are read
without a second pass. A word is sentence-initial when only spaces, quote
marks or brackets separate it from the paragraph start or the end of the
previous sentence.

>>> t = "“Jesus, Steve.” Bucky sighed. Mr. Darcy and Steve Rogers walked in Vellmar."
>>> forms = scan_names((t,), ([(0, 15)],))
>>> sorted((" ".join(k[1]), k[0], s.total) for k, s in forms.forms.items())
[('Bucky', '', 1), ('Darcy', 'Mr', 1), ('Steve', '', 1), ('Steve Rogers', '', 1), ('Vellmar', '', 1)]
>>> s = forms.forms[("", ("Steve",))]
>>> s.vocative, s.initial
(1, 0)
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, field

from ficshelf.canon import HONORIFIC_SUFFIX
from ficshelf.understand.names import (
    ARTICLES,
    BODY_PARTS,
    HUMAN_VERBS,
    LOCATIVE,
    MONTHS,
    NEVER_NAMES,
    PARTICLES,
    PLACE_PREFIXES,
    PLACE_WORDS,
    PLACES,
    SPEECH_VERBS,
    STOP_WORDS,
    TITLES,
    is_given_name,
    title_class,
    title_key,
)
from ficshelf.understand.segments import CHAT_LINE, CHAT_LINES

__all__ = ["UPPER", "FormKey", "FormStats", "NameScan", "capital_key", "is_upper_word",
           "letter_role", "phrase_start", "scan_names", "sentence_initial", "signed"]


def _upper_class() -> str:
    """A regex character class body with every upper-case letter of the BMP."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        ch = chr(code)
        if ch.isupper():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    parts = []
    for a, b in ranges:
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
    return "".join(parts)


UPPER = _upper_class()
_TOK = (rf"[{UPPER}][^\W_]*+(?:['’\-][{UPPER}][^\W_]*+"
        r"|(?<=[^\W\d_]{2})['’](?!(?:s|t|d|ll|re|ve|m|em|all|cause|bout|til|n)\b)[a-z][^\W_]*+"
        r")*+(?!['’]t\b)")
_ABBR = "".join(rf"|(?<=\b{a})\.[ ]" for b in ("Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Jr", "Sr", "Lt",
                                                "Col", "Gen", "Capt", "Sgt", "Prof", "Rev")
                for a in (b, b.upper()))
_PART = "|".join(sorted(PARTICLES, key=len, reverse=True))
# between name words: a space (after "Mr." or an initial), a particle ("van"), or a
# space and an elided particle that opens the next word ("Sir Pagan d'Urberville")
_SEP = rf"(?:[ ]{_ABBR}|(?<=\b[{UPPER}])\.[ ]|[ ](?:{_PART})[ ]|[ ](?=[dl]['’][{UPPER}]))"
_ELIDED = r"(?:[dl]['’])?"
_NAMES = re.compile(
    rf"(?P<name>{_TOK}(?:{_SEP}{_ELIDED}{_TOK})*)"
    r"(?P<poss>['’]s\b|(?<=s)['’](?=[ ,.;]))?"
    r"(?=[ ](?:(?:[a-z]+ly)[ ])?(?P<next>[a-z]+))?"
)
#: What may open a letter's first line before the name of whom it is to: "Dear", "My
#: dearest", "Darling" (and nothing after the name but punctuation: ``_LINE_END``).
_SALUTATION = re.compile(r"[ \t]*(?:[Mm]y[ ]+)?(?:[Dd]ear(?:est)?|[Dd]arling|"
                         r"[Bb]eloved|[Ss]weetest)[ ]+(?:(?:[Oo]ld|[Ll]ittle|[Ss]weet|[Dd]ear)[ ]+)?")
_LINE_END = re.compile(r"[ \t]*[,!:.—–-]?[ \t]*(?:\n|$)")
#: A letter's closing, on the line before the signature or before the name on its line:
#: "Yours, always,", "Love,", "All my love,", "Sincerely,", and "Your" with up to three
#: words ("Your loving sister,", "Your friend,").
_CLOSING = (r"(?:[Yy]ours|[Ll]ove|[Ll]ots[ ]of[ ]love|[Mm]uch[ ]love|[Aa]ll[ ](?:(?:of[ ])?my|our)"
            r"[ ]love|[Ww]ith[ ](?:all[ ](?:my|our)[ ])?love|[Ss]incerely|[Ff]aithfully|[Tt]ruly|"
            r"[Ee]ver[ ]yours|[Ff]orever[ ]yours|[Aa]lways[ ]yours|[Aa]ffectionately|"
            r"[Kk]ind[ ]regards|[Rr]egards|[Bb]est[ ]wishes|[Ww]armly|[Cc]heers|[Xx]oxo|"
            r"[Yy]our(?:[ ][a-z]+){1,3})")
_CLOSING_LINE = re.compile(rf"[ \t]*{_CLOSING}\b(?:[, ]+[a-z][a-z ]{{0,20}})?[,.!]?[ \t]*\n"
                           r"(?:[ \t]*\n)?[ \t]*(?:[-—–~]+[ ]*)?$")
_CLOSING_SAME = re.compile(rf"[ \t]*{_CLOSING}\b(?:[, ]+[a-z][a-z ]{{0,20}})?,[ ]+$")


def letter_role(text: str, start: int, end: int) -> str | None:
    """``"to"`` when the name at ``[start, end)`` is a letter's salutation ("Dear Wren,"
    on a line of its own), ``"from"`` when it signs one (``signed``), else None.

    >>> t = "Dear Wren,\\nThe roof leaks.\\nLove,\\nIsolde"
    >>> [letter_role(t, t.index(w), t.index(w) + len(w)) for w in ("Wren", "Isolde")]
    ['to', 'from']
    >>> letter_role(t, 0, 9)  # the mention "Dear Wren"
    'to'
    """
    if _LINE_END.match(text, end) is None:
        return None
    line = text.rfind("\n", 0, start) + 1
    opening = _SALUTATION.match(text, line, end)
    if opening is not None and opening.end() >= start:  # the mention may hold the "Dear"
        return "to"
    return "from" if signed(text, start) else None


def signed(text: str, start: int) -> bool:
    """Whether the name at ``start`` signs a letter: alone on its line after a closing
    line ("Yours, always,\\nIsolde", "Love,\\n\\n— Wren"), or after a closing on its own
    line ("Love, Wren").

    >>> t = "I miss you.\\n\\nYours, always,\\nIsolde\\n\\nLove, Wren\\n\\nOrin came."
    >>> [signed(t, t.index(w)) for w in ("Isolde", "Wren", "Orin")]
    [True, True, False]
    """
    line = text.rfind("\n", 0, start) + 1
    if _CLOSING_SAME.fullmatch(text, line, start):
        return True
    if line == 0:
        return False
    prev = text.rfind("\n", 0, line - 1) + 1          # the line before
    if prev > 0 and not text[prev:line].strip():
        prev = text.rfind("\n", 0, prev - 1) + 1      # over one blank line
    return _CLOSING_LINE.fullmatch(text, prev, start) is not None


#: "the Manor's back door", "the Burrow's side gate": a building's part, not a body's.
_BUILDING_PART = re.compile(
    r"[ ](?:doors?|gates?|gardens?|yards?|porch|steps|stairs|staircase|entrance|exit|lawn"
    r"|terrace|wall|walls|windows?|rooms?|kitchen|corridor|hall|alley|lot|office|wing)\b")
_YN = re.compile(r"[(\[{]?\b[YyLlEe]/[Nn]\b[)\]}]?")
#: Honorific suffixes ("Sakura-chan", "Hanguang-jun"): only people wear them.
_HONORIFIC = HONORIFIC_SUFFIX

_OPENERS = frozenset("\"“‘'([{«„")
_CLOSERS = frozenset("\"”’')]}»")
_SKIP = frozenset("*_~")
_ENDERS = frozenset(".!?…:\n")
_VOC_AFTER = frozenset(",.!?…—–;")
_NAMING = re.compile(r"(?:\b[Cc]all(?:s|ed)?[ ]me|\b[Nn]ame[ ](?:is|was)|\bI(?:['’]m|[ ]am)"
                     r"|(?<![^\n])(?:Statement|Diary|Journal|Testimony)[ ]of)[ ]$")
#: A pet name right after a name, before a stop: "Feyre darling, you've been...", "Harry, love".
_PET_AFTER = re.compile(r"[ ](?:darling|love|dear|dearest|sweetheart|honey|babe|baby|"
                        r"sweetie|my[ ](?:love|dear|darling))[,.!?…—–]")
_OATH = re.compile(r"(?<![^\W\d_])[Oo]h,?[ ]$")  # "Oh, Neptune!", "oh Merlin, yes"
_VOC_DASH = re.compile(r"--| --| [—–]")  # "Huckleberry -- set up", "Tom--": a dash typed
_WITH = frozenset({"with", "to", "for", "told", "asked", "kissed", "hugged", "watched",
                   "like", "behind", "beside", "than", "about", "called", "named", "love", "loved",
                   "saw", "see", "sees", "meet", "met", "tell", "thank", "thanked"})
# "... at X" after one of these looks or speaks at a person ("smiled at Ben", "rolled his
# eyes at Ben"), where "at X" alone is mostly a place ("stayed at Netherfield").
_AT_SOMEONE = frozenset([
    "look", "looks", "looked", "looking", "glance", "glances", "glanced", "glancing", "stare",
    "stares", "stared", "staring", "glare", "glares", "glared", "glaring", "gazed", "peered",
    "smile", "smiles", "smiled", "smiling", "grin", "grins", "grinned", "grinning", "beamed",
    "smirked", "winked", "wave", "waves", "waved", "waving", "nodded", "laughed", "laughing",
    "frowned", "scowled", "blinked", "squinted", "yelled", "yelling", "shouted", "shouting",
    "snapped", "growled", "hissed", "snarled", "sneered", "eyes"])
# "... to X" after one of these is a journey's end, a place ("went to Sunnyside").
_MOTION = frozenset(["went", "go", "goes", "going", "gone", "came", "come", "comes", "coming",
                     "return", "returned", "returning", "returns", "moved", "move", "moving",
                     "drove", "drive", "driving", "flew", "fly", "flying", "sailed", "sail",
                     "travelled", "traveled", "travel", "journey", "trip", "way", "back",
                     "headed", "heading", "walked", "rode", "ride", "fled", "road", "train",
                     "emigrated", "transferred", "moving", "relocated", "bound"])
# Words before a name that describe a person: "poor Tamsin", "old Edric", "dear Wenna".
_PERSONAL = frozenset(["poor", "old", "young", "little", "dear", "dearest", "darling", "sweet", "beloved", "late", "dead", "brave", "good", "kind", "cousin", "uncle", "aunt", "brother", "sister", "friend", "mother", "father", "son", "daughter", "wife", "husband", "boyfriend", "girlfriend", "fiance", "fiancé", "fiancee", "fiancée", "lover", "spouse", "partner", "sibling", "nephew", "niece", "grandmother", "grandfather", "mom", "mum", "dad"])
_AUX = frozenset(["was", "is", "had", "has", "did", "does", "would", "could", "will", "can", "should", "might", "must", "hadn", "didn", "wasn", "isn", "doesn", "couldn", "wouldn", "won", "don", "can't", "never", "always", "just", "seemed", "seems"])
#: A lower-case word (``\b[a-z]+\b``), its start tested after its first letter: ``re``
#: then skips ahead to the next lower-case letter, without a boundary test at each position.
_LOWER_WORD = re.compile(r"[a-z](?<!\w[a-z])[a-z]*\b")
# A line of three or more words, all capitalised but for small words: a heading or a
# title-case refrain ("And Uzushio Knows Her Allies."), where capitals say nothing.
_SMALL = "a|an|the|of|and|or|in|on|to|for|at|by|with|from|as|is|her|his|its|my|your|their"
_TITLE_LINE = re.compile(
    rf"(?m)^[ \t]*(?:(?:[{UPPER}][\w'’-]*|(?:{_SMALL})\b)[,:;.!?…]*[ \t]+){{2,}}"
    rf"[{UPPER}][\w'’-]*[.!?:…]*[ \t]*$")
_TWO_UPPER = re.compile(rf"[{UPPER}]{{2}}")
_MIDCAP = re.compile(rf"[{UPPER}](?<=[a-z,;] [{UPPER}])\w*")  # the capital first: re skips to it
# "of" and a proper name after a person's name: where the person is from, part of the
# phrase that names them ("Perrotin of Nice", "Sir Luke Tallant of the Colonial Office")
# "the" and an ordinal after a king's name ("Edward the Second") also belong to it.
_ORDINALS = ("First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|"
             "Twelfth")
_NAME_TAIL = re.compile(
    rf"(?:[ ]the[ ](?:{_ORDINALS})\b)?(?:[ ]of[ ](?:the[ ])?[{UPPER}][\w'’-]*(?:[ ][{UPPER}]"
    rf"[\w'’-]*)*)?(?<=\w)")
#: One word that names a company: "L-Corp", "LexCorp", "Oscorp", "Wayne-Tech".
_ORG_TOKEN = re.compile(r"(?:-(?:Corp|Inc|Tech|Industries|Co)|[a-z](?:Corp|corp))$")
_REGNAL = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
_NUMBER_AFTER = re.compile(r"[ ]\d")
_NUMBER_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?(?:[ ]of)?[ ]$")


_WHEN_BEFORE = re.compile(r"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Ll]ast|[Nn]ext|[Ee]arly|[Ll]ate|"
                          r"[Tt]hrough|[Dd]uring|[Ee]very)[ ]$")


def _dated(text: str, start: int, end: int) -> bool:
    """A month beside a number or after a word of time: "August 9", "the 3rd of May", "In
    August Agnes taught me", "since June" (not "June's")."""
    return bool(_NUMBER_AFTER.match(text, end)
                or _NUMBER_BEFORE.search(text, max(0, start - 8), start)
                or (_WHEN_BEFORE.search(text, max(0, start - 7), start)
                    and text[end:end + 1] not in ("'", "’")))

FormKey = tuple[str, tuple[str, ...]]


def is_upper_word(word: str) -> bool:
    """An all-capitals word of two letters or more (shouting, acronyms; "McBRIDE").

    >>> [is_upper_word(w) for w in ("TOM", "McBRIDE", "Mc", "I", "Tom", "K.", "MR.")]
    [True, True, False, False, False, False, True]
    """
    w = word.rstrip(".")  # an initial ("K.") is not shouting
    return len(w) > 1 and (w.isupper() or (w.startswith("Mc") and len(w) > 3
                                           and w[2:].isupper()))


@dataclass(slots=True)
class FormStats:
    """Counts for one name form (title class + name words) across the work."""

    total: int = 0
    initial: int = 0          # sentence- or dialogue-initial occurrences
    tag: int = 0              # dialogue tags: "Steve said", "asked Steve"
    vocative: int = 0         # "..., Steve." inside dialogue
    address: int = 0          # '"Steve, ...' (also "Okay, ..." at a quote's start: weak)
    answer: int = 0           # of those, a quotation that is the name alone: '"Reno."' (a reply)
    oath: int = 0             # after "oh": "Oh, Neptune!", "oh Merlin" (a god's name sworn by)
    titled: int = 0           # "Mr. Darcy"
    honorific: int = 0        # an honorific suffix: "Kakashi-sensei", "Jimin-ssi", "Wei-xiong"
    body: int = 0             # "Steve's hand"
    verb: int = 0             # followed by a human action verb ("nodded", "smiled")
    aux: int = 0              # followed by an auxiliary ("was", "had"): weak
    coord: int = 0            # "X and", "and X": weak
    social: int = 0           # "with Steve", "told Steve"
    possessive: int = 0
    locative: int = 0         # "in Budapest", "from Hydra"
    article: int = 0          # a determiner: "the Benatar", "the Jedi", "his Jeep"
    of: int = 0               # "of Hydra", "son of Edith", but also "the death of Tom": half
    surface: str = ""          # the form as first written ("Mr. Darcy")
    mentions: list[tuple[int, int, int]] = field(default_factory=list)  # (chapter index, start, end)

    @property
    def mid(self) -> int:
        return self.total - self.initial

    @property
    def strong(self) -> int:
        return self.tag + self.vocative + self.titled + self.body + self.honorific

    @property
    def weak(self) -> int:
        """Weak person cues; an auxiliary or "and" beside the name counts once the name recurs."""
        return self.verb + self.social + self.possessive + self.address + (
            self.aux + self.coord if self.total >= 2 else 0)


@dataclass(slots=True)
class NameScan:
    """Every capitalised name form found, and lower-case word counts (to test capitalisation)."""

    forms: dict[FormKey, FormStats]
    lower: Counter[str]
    reader_marks: list[tuple[int, int, int]]  # "Y/N", "(Y/N)", "[L/N]" positions
    # runs of words written in capitals ("TOM", "LETTER II MR. VILLARS TO LADY HOWARD"),
    # as (run, chapter index, start): names in them count as mentions of a person
    # already named the usual way, never on their own (``capital_key``)
    capitals: list[tuple[str, int, int]] = field(default_factory=list)
    # chat handles and the names the others call them by ("tinman" -> {"Tony": 2}),
    # from replies that address the line before (``_chat_handles``)
    handles: dict[str, Counter[str]] = field(default_factory=dict)
    # a country, state or city named alone ("France laughed"), never a name on its own:
    # only a canon that personifies it (Hetalia) makes it someone (``canonlink``)
    places: dict[FormKey, FormStats] = field(default_factory=dict)


def sentence_initial(text: str, s: int) -> bool:
    """Whether the word at ``s`` starts a sentence, a paragraph or a quotation.

    >>> t = 'He left. Anna stayed, and “Bram said so.” Then Cal, Dov.'
    >>> [sentence_initial(t, t.index(w)) for w in ("Anna", "Bram", "Cal", "Dov")]
    [True, True, False, False]
    """
    return _initial(text, s)


def _initial(text: str, s: int) -> bool:
    j = s - 1
    adjacent = True
    while j >= 0:
        c = text[j]
        if c == " " or c == "\t":
            adjacent = False
            j -= 1
            continue
        if c in _SKIP:
            j -= 1
            continue
        if c in _OPENERS:
            if adjacent:
                return True
            j -= 1  # a closing quote: look at what ends the quotation
            continue
        if c == "”" or c == "’" or c == ")" or c == "]":
            j -= 1
            adjacent = False
            continue
        return c in _ENDERS
    return True


# Words before a name that belong to the phrase naming the person: "old Cotter",
# "young Linwood", "the late Irene Adler" (a reader's, and LitBank's, mention span);
# "Dear" only opening a letter or a line ("my dear Watson" is an address, not the name).
_NAME_MODIFIERS = frozenset(["old", "young", "little", "dearest", "late", "great"])
_DETERMINERS = frozenset(["the", "this", "that"])
_CAPITAL_MODIFIERS = frozenset(["Old", "Young", "Poor", "Dear", "Dearest"])
# After a determiner, a word of adjective shape belongs to the phrase too ("the talented
# Miss Cowley", "that scurrilous Gordon Hallock"); nouns of that shape do not.
_ADJECTIVE = re.compile(r"[a-z]+(?:-[a-z]+)*(?:ed|ing|ous|ful|ive|ish|less|able|ible|ic|some|"
                        r"-looking|-year-old)")
_NOT_ADJECTIVES = frozenset(["morning", "evening", "thing", "nothing", "something", "everything",
                             "anything", "king", "ring", "wedding", "building", "meeting",
                             "feeling", "beginning", "ceiling", "spring", "string", "during",
                             "bed", "shed", "need", "seed", "speed", "weed", "music", "public"])


def phrase_start(text: str, start: int) -> int:
    """Where the noun phrase headed by the name at ``start`` begins: over the personal
    modifiers before it ("old", "young", with a determiner before them: "the late"),
    and over adjectives that follow a determiner. A bare determiner stays out.

    >>> t = "Then old Cotter came, and the talented Miss Cowley, and that Jo."
    >>> [t[phrase_start(t, t.index(w)):t.index(w)] for w in ("Cotter", "Miss", "Jo")]
    ['old ', 'the talented ', '']
    """
    kept = pos = start
    for _ in range(4):
        j = pos - 1
        if j < 1 or text[j] != " ":
            break
        k = j
        while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "-"):
            k -= 1
        word = text[k:j]
        low = word.lower()
        if not word or (word[0].isupper() and not _initial(text, k)):
            break
        if low in _DETERMINERS:
            if pos < start:
                kept = k
            break
        if low in _NAME_MODIFIERS or (word == "Dear" and (k == 0 or text[k - 1] == "\n")):
            kept = pos = k
        elif (not word[0].isupper() and low not in _NOT_ADJECTIVES
              and _ADJECTIVE.fullmatch(low)):
            pos = k  # kept only if a determiner comes before it
        else:
            break
    return kept


def _cut(w: str, *, titled: bool = False) -> bool:
    """Words that end a run of name words (after a title, a place name may be part of
    the name: "Captain America")."""
    k = title_key(w)
    return ((k in STOP_WORDS and k not in _NAME_STOPS)
            or (w in NEVER_NAMES and not (titled and w not in _NEVER_AFTER_TITLE))
            or (w in PLACES and not titled) or is_upper_word(w))


# After a title, a month, a pet name or a nationality is a surname ("Miss March",
# "Mr. Darling"); a deity or an oath is not.
_NEVER_AFTER_TITLE = frozenset(["God", "Gods", "Goddess", "Jesus", "Christ", "Lord", "Satan", "Devil", "Hell", "Heaven", "Heavens", "Damn", "Dammit", "Goddammit", "Goddamn", "Goddamnit", "Fuck", "Fucking", "Shit", "Crap", "Christ's", "Jeez", "Geez", "Gosh", "Golly", "Allah", "Buddha", "Lucifer", "Your", "Majesty", "Highness", "Lordship", "Ladyship", "Excellency", "Sir", "Sirs", "Ma'am", "Maam"])


# Words of the stop list that are given names too: capitalised inside a sentence they
# are names ("asked May", "Will Graham"); opening a question they are verbs ("Will you").
_NAME_STOPS = frozenset(["May", "Will"])
_SUBJECTS = frozenset(["i", "you", "he", "she", "it", "we", "they", "there", "this", "that",
                       "not", "one", "anyone", "someone", "somebody", "anybody", "everyone"])


def _modal(text: str, s: int, e: int) -> bool:
    """"Will you...", "May I...": the verb opening a question or a wish."""
    j = e + 1
    k = j
    while k < len(text) and text[k].isalpha():
        k += 1
    return text[e:j] == " " and text[j:k].lower() in _SUBJECTS and _initial(text, s)


def _run_end(words: list[str], i: int, *, titled: bool = False) -> int:
    n = len(words)
    e = i + 1
    while e < n and (words[e] in PARTICLES or not (_cut(words[e], titled=titled)
                                                   or title_key(words[e]) in TITLES)):
        e += 1
    while e - 1 > i and words[e - 1] in PARTICLES:
        e -= 1
    return e


def _split_run(words: list[str]) -> list[tuple[int, int, str]]:
    """Runs of name words ``(first, last+1, title)``; stop words and never-names cut runs.

    A title word starts a titled run ("Mr. Darcy"); of several titles in a row
    the last one counts ("Rev. Mr. Bunting").
    """
    runs: list[tuple[int, int, str]] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if title_key(w) in TITLES:
            j = i
            while j + 1 < n and title_key(words[j + 1]) in TITLES:
                j += 1
            if j + 1 < n and not _cut(words[j + 1], titled=True) and words[j + 1] not in PARTICLES:
                e = _run_end(words, j + 1, titled=True)
                runs.append((j + 1, e, title_class(title_key(words[j]))))
                i = e
            else:
                i = j + 1
            continue
        if _cut(w) or w in PARTICLES:
            i += 1
            continue
        e = _run_end(words, i)
        runs.append((i, e, ""))
        i = e
    return runs


def _inside(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, _BIG)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


_BIG = 1 << 62


#: Possessive determiners: what follows one is had, not someone ("his Jeep", "my Nokia").
_POSSESSIVE_DETS = frozenset({"his", "her", "my", "your", "their", "our", "its"})


def _prev_word(text: str, s: int) -> str | None:
    """The lower-case word right before ``s`` (one space between), if any."""
    j = s - 1
    if j < 1 or text[j] != " ":
        return None
    k = j
    while k > 0 and "a" <= text[k - 1] <= "z":
        k -= 1
    if k == j or (k > 0 and text[k - 1].isalnum()):
        return None
    return text[k:j]


_SKIP_SINGLE = STOP_WORDS | NEVER_NAMES | PLACES | TITLES | PLACE_PREFIXES
_PLACE_ONLY = PLACES - STOP_WORDS - NEVER_NAMES - TITLES - PLACE_PREFIXES


def scan_names(texts: Sequence[str], dialogue: Sequence[Sequence[tuple[int, int]]]) -> NameScan:
    """Scan chapter texts for capitalised name forms and their context cues.

    ``dialogue`` holds each chapter's quoted spans (vocatives count only inside them).
    """
    spans = dialogue
    forms: dict[FormKey, FormStats] = {}
    places: dict[FormKey, FormStats] = {}
    lower: Counter[str] = Counter()
    midcap: Counter[str] = Counter()
    marks: list[tuple[int, int, int]] = []
    for text in texts:
        lower.update(_LOWER_WORD.findall(text))
        midcap.update(_MIDCAP.findall(text))
    skip_single = _SKIP_SINGLE
    capitals: list[tuple[str, int, int]] = []
    for ci, text in enumerate(texts):
        if "/N" in text or "/n" in text:
            marks.extend((ci, m.start(), m.end()) for m in _YN.finditer(text))
        headings = [m.span() for m in _TITLE_LINE.finditer(text)]
        chapter_spans = spans[ci]
        for m in _NAMES.finditer(text):
            name, poss_s, nxt = m.groups()
            letter = len(name) == 1 and name not in _NOT_LETTERS
            if name.isupper() and not letter and not _initials(name, skip_single):
                if len(name) > 1:
                    capitals.append((name, ci, m.start()))
                continue
            target = forms
            if " " not in name:
                s = m.start()
                if name in _PLACE_ONLY:
                    target = places
                elif (name in skip_single and (name not in _NAME_STOPS or _modal(
                        text, s, m.end("name")))) or (len(name) < 2 and not letter):
                    continue
                if name in MONTHS and _dated(text, s, m.end("name")):
                    continue
                if headings and _inside(headings, s):
                    continue
                words = [name]
                runs = [(0, 1, "")]
            else:
                s = m.start()
                if headings and _inside(headings, s):
                    continue
                words = name.split(" ")
                if _TWO_UPPER.search(name) and any(is_upper_word(w) for w in words):
                    _capital_runs(words, s, ci, capitals)
                # "New York", "Port Burdock": a place ("New" left alone by "New Orleans" too)
                # "Southern States", "the English Court": a place word after a word
                # that cannot be a name is no name on its own either
                all_runs = _split_run(words)
                runs = [r for r in all_runs if r[2] or (
                    words[r[0]] not in PLACE_PREFIXES
                    and not (r[0] > 0 and r[1] - r[0] == 1 and words[r[0]] in PLACE_WORDS))]
                if not runs:
                    if len(all_runs) != 1 or all_runs[0][2]:
                        continue
                    # "San Lang", "North Italy": a place name, kept aside for a canon
                    # that names a person so
                    runs = all_runs
                    target = places
                # "Poor Alice", "Eventually Sherlock" at a sentence start; "Tim Smiled"
                a0, b0, t0 = runs[0]
                if a0 == 0 and not t0 and b0 >= 2:
                    w0 = words[0]
                    if (((w0.endswith(("ly", "ing")) and not midcap[w0])
                            or lower[w0.lower()] > midcap[w0]) and _initial(text, s)) \
                            or w0 in _CAPITAL_MODIFIERS:
                        runs[0] = (1, b0, t0)  # "Young Draco": "young" is no part of the name
                a0, b0, t0 = runs[0]
                if not t0 and words[a0] in MONTHS:
                    at = s + sum(len(w) + 1 for w in words[:a0])
                    if _dated(text, at, at + len(words[a0])):
                        # "In August Agnes taught me", "On May 3": the month is a date
                        runs[0] = (a0 + 1, b0, t0)
                        runs = [r for r in runs if r[1] > r[0]]
                        if not runs:
                            continue
                a1, b1, t1 = runs[-1]
                if b1 - a1 >= 2:
                    wl = words[b1 - 1]
                    low = wl.lower()
                    if (low.endswith(("ed", "ing", "s")) or low in HUMAN_VERBS) \
                            and lower[low] > midcap[wl]:
                        runs[-1] = (a1, b1 - 1, t1)
            offsets = []
            pos = s
            for w in words:
                offsets.append(pos)
                pos += len(w) + 1
            poss = poss_s is not None
            end_all = m.end("name")
            last_run = len(runs) - 1
            for ri, (a, b, title) in enumerate(runs):
                # a king's number is part of the mention, not of the name ("Charles II",
                # "Henry V")
                if b - a >= 2 and _REGNAL.fullmatch(words[b - 1]):
                    b -= 1
                    numeral = b
                elif b < len(words) and words[b] != "I" and _REGNAL.fullmatch(words[b]):
                    numeral = b
                else:
                    numeral = -1
                toks = tuple(w.rstrip(".") if len(w) == 2 and w.endswith(".") else w
                             for w in words[a:b])
                if (len(toks) > 1 and toks[-1] in PLACE_WORDS) \
                        or (len(toks[-1]) < 2 and not (letter and len(toks) == 1)) \
                        or _ORG_TOKEN.search(toks[-1]):
                    continue
                start = offsets[a - 1] if title else offsets[a]
                end = offsets[b - 1] + len(words[b - 1])
                key = (title, toks)
                st = target.get(key)
                if st is None:
                    st = target[key] = FormStats(surface=" ".join(words[a - 1 if title else a:b]))
                st.total += 1
                if ri == 0 and not title and _OATH.search(text, max(0, start - 5), start):
                    st.oath += 1
                first_title = a - 1
                while title and first_title > 0 and title_key(words[first_title - 1]) in TITLES:
                    first_title -= 1  # "Madame St. Aubert": the mention holds every title
                if not title and len(toks) == 1 and toks[0][-1] == "s" \
                        and text[max(0, start - 4):start] in ("the ", "The "):
                    phrase = start - 4  # "the Musgroves": a family's name holds its article
                else:
                    phrase = phrase_start(text, offsets[first_title] if title else start)
                tail = end
                if numeral >= 0:
                    tail = offsets[numeral] + len(words[numeral])
                if (tail == end_all or (ri == last_run and end == end_all)) and not poss_s \
                        and text.startswith((" of ", " the "), tail):
                    more = _NAME_TAIL.match(text, tail)  # "Edward the Second", "Perrotin of Nice"
                    if more is not None:
                        tail = more.end()
                first = a == 0 or (title and a == 1)
                if not (ri == 0 and not title and b - a == 1 and end == end_all
                        and nxt is not None and not poss and nxt not in SPEECH_VERBS
                        and nxt not in HUMAN_VERBS and nxt not in _AUX
                        and ((a == 0 and _prev_word(text, s) in ("a", "an"))
                             or (a == 1 and words[0] in ("A", "An")))):
                    # "a Stark boy", "a Lannister soldier": one of a house, no one's
                    # mention ("a Canary called out" is someone)
                    st.mentions.append((ci, phrase, tail))
                if title:
                    st.titled += 1
                elif a == 0 and _initial(text, start):
                    st.initial += 1
                if ri == 0 and (first or (a == 1 and not title)):
                    if first:
                        prev = _prev_word(text, s)
                    else:
                        # "With Gaius", "In Paris" opening a sentence: the word before,
                        # cut from the name, is read as if it were in lower case (not a
                        # determiner or a modifier: "The Mock Turtle sighed", "Old Baldy,
                        # highest of the mountains" open with a description)
                        w0 = words[0]
                        prev = w0.lower() if w0[1:].islower() and _initial(text, s) else None
                        if prev in ARTICLES or prev in _POSSESSIVE_DETS or prev in _PERSONAL:
                            prev = None
                    if prev is not None:
                        if prev in SPEECH_VERBS:
                            st.tag += 1
                        elif prev == "at" and first and _prev_word(text, s - 3) in _AT_SOMEONE:
                            st.social += 1  # "smiled at Ben", not "stayed at Netherfield"
                        elif prev in LOCATIVE:
                            if not (poss and ri == last_run and end == end_all):
                                st.locative += 1  # "into Gale's tent": into the tent
                        elif prev in ARTICLES or prev in _POSSESSIVE_DETS:
                            st.article += 1  # "the Jedi", "his Jeep"
                        elif prev == "of":
                            if _NAMING.search(text, max(0, s - 16), s) is not None:
                                st.tag += 1  # "Statement of Martin Blackwood": a name given
                            else:
                                st.of += 1
                        elif prev == "to" and first and _prev_word(text, s - 3) in _MOTION:
                            st.locative += 1  # "went to Sunnyside", not "said to Tom"
                        elif prev in _WITH or prev in _PERSONAL:
                            st.social += 1
                        elif prev == "and" or prev == "or":
                            st.coord += 1
                        elif first and _NAMING.search(text, max(0, s - 16), s) is not None:
                            st.tag += 1  # "Call me Ishmael", "my name is Pip": a name given
                if ri == last_run and end == end_all and not poss:
                    # a letter's salutation ("Dear Wren,") calls someone; its signature
                    # ("Yours, always,\nIsolde") is the name of who is writing
                    role = letter_role(text, start, end)
                    if role == "to":
                        st.vocative += 1
                    elif role == "from":
                        st.tag += 1
                if ri == last_run and end == end_all:
                    if text.startswith("-", end) and _HONORIFIC.match(text, end):
                        st.honorific += 1
                    if poss:
                        st.possessive += 1
                        if nxt is not None and nxt in BODY_PARTS and not (
                                nxt in ("back", "side")
                                and _BUILDING_PART.match(text, m.end("next"))):
                            st.body += 1
                    elif nxt is not None:
                        if nxt in SPEECH_VERBS:
                            st.tag += 1
                        elif nxt in HUMAN_VERBS:
                            st.verb += 1
                        elif nxt in _AUX:
                            st.aux += 1
                        elif nxt == "and" or nxt == "or":
                            st.coord += 1
                    after = text[end:end + 1]
                    if after == ":" and (start == 0 or text[start - 1] == "\n") \
                            and text[end + 1:end + 2] not in ("\n", ""):
                        # a chat or script speaker: "Tony: Come on" (a line that ends at
                        # the colon heads a definition or a list: "Entanglement:")
                        st.tag += 1
                    if first and (b - a == 1 or target is places) and not title and (
                            after in _VOC_AFTER or _VOC_DASH.match(text, end)
                            or _PET_AFTER.match(text, end)) \
                            and _inside(chapter_spans, start):
                        before = text[max(0, start - 2):start]
                        if before == ", ":
                            if not _listed(text, start, end):
                                st.vocative += 1
                        elif before[-1:] in _OPENERS:
                            st.address += 1
                            if text.startswith(".", end) and text[end + 1:end + 2] in _CLOSERS:
                                st.answer += 1  # "Monsters?" "Reno.": who, not whom
    for key in [k for k in forms if len(k[1]) == 1 and len(k[1][0]) == 1]:
        if not _letter_name(forms[key]):
            del forms[key]
    for key in [k for k, st in forms.items() if not st.mentions]:
        del forms[key]  # only ever one of a house ("a Stark boy")
    handles: dict[str, Counter[str]] = {}
    for ci, text in enumerate(texts):
        _chat_handles(text, ci, forms, handles)
    return NameScan(forms=forms, lower=lower, reader_marks=marks, capitals=capitals, places=places,
                    handles=handles)


# a handle: one word, as chat logs write them ("tinman", "hawk_guy")
_HANDLE = re.compile(r"[^\W\d_][\w.'’-]{1,30}")
# a reply that names the one it answers: "Tony.", "Steve, no", "love you too, steve"
# (not "it was nat", nor a name shouted in capitals)
_REPLY_NAMES = (re.compile(r"^([A-Za-z][a-z]+)(?:[.!?]*$|,[ ])"),
                re.compile(r",[ ]([A-Za-z][a-z]+)[.!?]*$"))
CHAT_HANDLE_USES = 2


def _chat_handles(text: str, ci: int, forms: dict[FormKey, FormStats],
                  handles: dict[str, Counter[str]]) -> None:
    """In a chat log (``CHAT_LINES`` or more "handle: message" lines), a handle written
    in lower case that heads at least ``CHAT_HANDLE_USES`` lines is a name form, each
    line a dialogue tag ("tinman", "capsicle"; capitalised speakers are found as names
    already). A reply by another speaker that is a given name, or opens or ends with
    one ("Tony.", "love you too, steve"), names the one it answers: the name counts in
    ``handles`` and, written in lower case, as a vocative of that name.

    >>> forms, handles = {}, {}
    >>> chat = "tinman: hi cap\\ncap: Tony.\\ntinman: bye, steve\\ncap: Bye.\\ntinman: no\\n"
    >>> _chat_handles(chat, 0, forms, handles)
    >>> sorted((k[1][0], v.total, v.tag, v.vocative) for k, v in forms.items())
    [('Steve', 1, 0, 1), ('cap', 2, 2, 0), ('tinman', 3, 3, 0)]
    >>> {h: dict(n) for h, n in handles.items()}
    {'tinman': {'Tony': 1}, 'cap': {'Steve': 1}}
    """
    chat = list(CHAT_LINE.finditer(text))
    if len(chat) < CHAT_LINES:
        return
    lines = [m for m in chat if _HANDLE.fullmatch(m.group("speaker"))]
    uses = Counter(m.group("speaker") for m in lines)
    speakers = {h for h, n in uses.items() if n >= CHAT_HANDLE_USES}
    low = {h.lower() for h in uses}
    for m in lines:
        handle = m.group("speaker")
        if handle not in speakers or not handle[0].islower():
            continue
        key: FormKey = ("", (handle,))
        st = forms.get(key)
        if st is None:
            st = forms[key] = FormStats(surface=handle)
        st.total += 1
        st.tag += 1
        st.mentions.append((ci, m.start("speaker"), m.end("speaker")))
    calls: list[tuple[str, str, int]] = []   # (handle answered, name word, where)
    for before, reply in itertools.pairwise(lines):
        them, me = before.group("speaker"), reply.group("speaker")
        if them == me or them not in speakers or reply.start() - before.end() > 2:
            continue
        for pattern in _REPLY_NAMES:
            got = pattern.search(reply.group("message"))
            if got is not None and got.group(1).lower() not in low:
                calls.append((them, got.group(1), reply.start("message") + got.start(1)))
    # a name: a given name, a person's name elsewhere, or a word two replies call one
    # handle by ("Oren, breathe." ... "Oren."; not "Language.")
    said = Counter((them, word.lower()) for them, word, _s in calls)
    for them, word, s0 in calls:
        name = word[0].upper() + word[1:].lower()
        known = forms.get(("", (name,)))
        if not (is_given_name(name) or said[them, word.lower()] >= 2
                or (known is not None and known.strong > 0)):
            continue
        handles.setdefault(them, Counter())[name] += 1
        if word[0].islower():
            st = forms.get(("", (name,)))
            if st is None:
                st = forms[("", (name,))] = FormStats(surface=name)
            st.total += 1
            st.vocative += 1
            st.mentions.append((ci, s0, s0 + len(word)))


_CAP_AFTER_COMMA = re.compile(rf",[ ]+[{UPPER}]")
_CAP_BEFORE_COMMA = re.compile(rf"(?:^|[ ])([{UPPER}][\w'’.-]*),[ ]$")


def _listed(text: str, start: int, end: int) -> bool:
    """A name between commas in a list of capitalised words ("Grimpen, Dartmoor,
    Devon"), not one addressed: a capitalised word before the comma (not one opening the
    sentence, as "Morning, Tom") or after it."""
    if _CAP_AFTER_COMMA.match(text, end):
        return True
    m = _CAP_BEFORE_COMMA.search(text, max(0, start - 40), start)
    return m is not None and not _initial(text, m.start(1))


#: One capital that is a word or a mark, not a name: "I", "A", "O Lord", "X marks".
_NOT_LETTERS = frozenset("AIOX")
#: How often a one-letter name ("L", "Q", "M") must act or speak, and the share of its
#: uses that may follow an article or a place word ("the L train", "in Q"); a letter
#: that does less is a letter ("Plan B", "a capital T", "B said nothing" once).
LETTER_ACTS = 3


def _letter_name(st: FormStats) -> bool:
    """A one-letter form is a name when it speaks or acts again and again ("L said",
    "L put seven sugar cubes", "L's eyes") and is seldom a thing ("the L", "in Q")."""
    acts = st.tag + st.verb + st.body + st.vocative + st.aux
    return acts >= LETTER_ACTS and 2 * (st.article + st.locative + st.of) <= st.total


# Two capitals that are an abbreviation or a shouted word, not someone's initials.
_NOT_INITIALS = frozenset(["US", "UK", "LA", "NY", "DC", "ID", "HQ", "AI", "PE", "ER", "OR",
                           "TV", "PM", "AM", "OK", "GO", "NO", "SO", "OC", "AU", "PS", "BS",
                           "IM", "XD", "UN", "EU", "GP", "CD", "PC", "IQ", "IV", "II", "VI",
                           "XI", "XV", "XX", "OH", "HI", "EH", "AH", "UH", "UM", "HM", "MM",
                           "SH", "PR", "RV", "DM", "CO", "VP", "MP", "MD", "GI", "PT", "HR",
                           "IT", "ME", "WE"])


def _initials(name: str, skip: Container[str]) -> bool:
    """Two capitals used as a name ("AJ", "JC", "MJ"): not an abbreviation, not a
    shouted word, not a stop word or a never-name."""
    return (len(name) == 2 and name.isalpha() and name not in _NOT_INITIALS
            and name not in skip and name.title() not in skip)


def _capital_runs(words: Sequence[str], start: int, ci: int,
                  out: list[tuple[str, int, int]]) -> None:
    """The runs of words in capitals inside a run of capitalised words."""
    pos = start
    run: list[str] = []
    run_start = start
    for w in [*words, ""]:
        if w and is_upper_word(w):
            if not run:
                run_start = pos
            run.append(w)
        elif run:
            out.append((" ".join(run), ci, run_start))
            run = []
        pos += len(w) + 1


def capital_key(words: Sequence[str]) -> FormKey:
    """The usual form of a name written in capitals.

    >>> capital_key(["MR.", "VILLARS"]), capital_key(["OLIVER", "TWIST"])
    (('Mr', ('Villars',)), ('', ('Oliver', 'Twist')))
    """
    tc = [w[:1] + w[1:].lower() if w.isupper() else
          w[:3] + w[3:].lower() if is_upper_word(w) else w for w in words]
    title = ""
    if len(tc) > 1 and title_key(tc[0]) in TITLES:
        title = title_class(title_key(tc[0]))
        tc = tc[1:]
    return title, tuple(w.rstrip(".") for w in tc)
