"""Cue words as data, compiled into fast regexes.

Every list here is plain data: a category name and the words or short phrases
that signal it, written in lower case. ``cue_regex()`` joins every phrase of
every category into ONE trie-shaped regex, so a whole chapter is scanned in a
single pass (``finditer`` over the lower-cased chapter) and each hit is looked
up in ``cue_table()`` to learn its categories. A phrase may belong to several
categories ("funeral" is a death cue and a grief cue).

The valence lexicon is VADER's (Hutto & Gilbert 2014, MIT licence), read from
the ``vaderSentiment`` package's bundled ``vader_lexicon.txt``; only its word
entries are used (not its emoticons), minus a few words whose everyday
function use would swamp the signal in narrative ("like", "well", "no").

>>> m = cue_regex().search("and so we were in love with each other")
>>> m.group(), cue_table()[m.group()]
('in love with', ('romantic_love',))
>>> cue_table()["i'm in love with you"]
('confession', 'romantic_love')
>>> trie_pattern(["kiss", "kissed", "kit"])
'ki(?:ss(?:ed)?|t)'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from types import MappingProxyType

from ficshelf.errors import AnalysisError

__all__ = [
    "APOSTROPHES",
    "CASE_SENSITIVE",
    "CUES",
    "INHERITED",
    "NEGATION_SCALAR",
    "NEGATORS",
    "NOT_FOLLOWED_BY",
    "NOT_PRECEDED_BY",
    "VALENCE_EXCLUDED",
    "cue_key",
    "cue_regex",
    "cue_table",
    "lowered",
    "trie_pattern",
    "valence_lexicon",
    "word_start_pattern",
]

APOSTROPHES = "'’"
_APOS_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def _w(text: str) -> tuple[str, ...]:
    """Phrases separated by commas or new lines, stripped, lower-cased."""
    return tuple(p.strip().lower() for p in re.split(r"[,\n]", text) if p.strip())


def _fingers_through() -> tuple[str, ...]:
    """One hand's fingers through another's: "laces his fingers through yours", "threaded
    her fingers with his" (a verb, whose fingers, and through, with or between)."""
    verbs = _w("lace, laces, laced, lacing, thread, threads, threaded, threading, twine, "
               "twines, twined, twining, intertwine, intertwines, intertwined, intertwining, "
               "entwine, entwines, entwined, entwining, interlace, interlaces, interlaced, "
               "interlacing, tangle, tangles, tangled, tangling, link, links, linked, linking")
    return tuple(f"{v} {who} fingers {how}" for v in verbs
                 for who in ("his", "her", "their", "your", "my")
                 for how in ("through", "with", "between"))


#: The loves said of a pair in narration ("he loved her"): romantic cues, unless what
#: follows says otherwise (``NOT_FOLLOWED_BY``: _LOVED_AS, and _LOVED_HER for "her").
_LOVED = tuple(f"{a} {v} {b}" for v in ("loved", "loves")
               for a, b in (("he", "her"), ("she", "him"), ("he", "him"), ("she", "her")))

#: The cue category of a fandom's own word for a lover, said to them ("vhenan",
#: "amatus"): not a lexicon phrase but one of ``canon.Fandom.endearments``, scanned
#: by ``relationships`` once the story's fandom is known.
ENDEARMENT = "romantic_endearment"

# --- cue categories -----------------------------------------------------------------
# Relationship cues (see relationships.py for the weights).
CUES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    # romantic
    "romantic_kiss": _w("kiss, kissed, kisses, kissing, smooch, smooched, make out, made out, "
                        "making out, makeout, snog, snogged, snogging, lips met, mouths met, "
                        "pressed his lips, pressed her lips, pressed their lips, "
                        "pressed my lips, pressed your lips"),
    "romantic_love": _w("i love you, love you too, loves you, i'm in love, in love, in love with, "
                        "fell in love, falling in love, fallen in love, i love him, i love her, "
                        "love of my life, love of his life, love of her life, made love, "
                        "making love, lovesick") + _LOVED,
    "romantic_partner": _w("boyfriend, boyfriends, girlfriend, girlfriends, husband, husbands, "
                           "wife, wives, fiance, fiancé, fiancee, fiancée, lover, lovers, spouse, "
                           "betrothed, mate, soulmate, soul mate"),
    "romantic_couple": _w("wedding, married, marry, marrying, marriage, newlywed, newlyweds, "
                          "honeymoon, engaged, engagement ring, dating, first date, a date, "
                          "on a date, our date, anniversary, proposal, proposed, courting, "
                          "slept together, sleep together, sleeping together, in bed together, "
                          "broke up, break up, breaking up, broken up, breakup, "
                          "ex-boyfriend, ex-girlfriend, ex-husband, ex-wife, "
                          "asked him out, asked her out, ask him out, ask her out, "
                          "asked me out, ask me out, asked you out, ask you out, "
                          "go out with me, going out with, went out with, second date, "
                          "valentine"),
    "romantic_pet": _w("sweetheart, darling, doll, dollface, babe, baby girl, baby boy, "
                       "sweetie, sugar, my love, love of mine, honey, hon, princess, "
                       "my dear, dearest, beloved, sunshine, angel"),
    "romantic_jealous": _w("jealous, jealousy, possessive"),
    "romantic_blush": _w("blush, blushed, blushes, blushing, flustered"),
    "romantic_attraction": _w("gorgeous, attractive, sexy, heart skipped, heart skip, "
                              "heart fluttered, heart flutter, heart raced, heart racing, "
                              "butterflies in, breath caught, breath hitched, weak in the knees, "
                              "weak at the knees, checked him out, checking him out, "
                              "checked her out, checking her out, checking you out, "
                              "checked you out, stared at his lips, stared at her lips, "
                              "staring at his lips, staring at her lips, glanced at his lips, "
                              "glanced at her lips, shared a bed, share a bed, sharing a bed, "
                              "shares her bed, shares his bed, shared her bed, shared his bed, "
                              "feelings for, smitten, kissable, lovestruck, head over heels, "
                              "swooned, swoon, infatuated, infatuation, handsome"),
    "romantic_hands": _w("held hands, holding hands, hold hands, hand in hand, fingers laced, "
                         "fingers intertwined, fingers entwined, fingers interlaced, "
                         "laced their fingers, laces their fingers, lacing their fingers, "
                         "intertwined their fingers, intertwines their fingers, "
                         "entwined their fingers, entwines their fingers, "
                         "interlaced their fingers, interlaces their fingers, "
                         "twined their fingers, twines their fingers, laced fingers")
                      + _fingers_through(),
    "romantic_embrace": _w("around her waist, around his waist, around their waist, "
                           "around your waist, around my waist, pulled her close, pulled him close, "
                           "pulls her close, pulls him close, pulled you close, pulls you close, "
                           "in his arms, in her arms, in your arms, in my arms, in each other's arms, "
                           "wrapped in his arms, wrapped in her arms, held her close, held him close, "
                           "holds her close, holds him close, held you close, holds you close, "
                           "on her waist, on his waist, on my waist, on your waist, "
                           "found her waist, found his waist, found my waist, found your waist, "
                           "finds her waist, finds his waist, finds my waist, finds your waist"),
    "romantic_intimate": _w("cuddle, cuddled, cuddles, cuddling, snuggle, snuggled, snuggling, "
                            "nuzzle, nuzzled, nuzzling, caress, caressed, caressing, spooned, "
                            "spooning, flirt, flirted, flirting, flirty, crush on, a crush, "
                            "romantic, romance, date night, their bed, our bed, "
                            "soulmates, soul mates, foreheads together, rested their foreheads, "
                            "pressed their foreheads, forehead against hers, forehead to hers, "
                            "forehead against mine, forehead to mine, forehead against yours, "
                            "forehead to yours, forehead against his, forehead to his"),
    "romantic_sex": _w("sex, had sex, have sex, having sex, naked, undressed, moaned, moaning, "
                       "thrust, thrusting, thrusts, orgasm, arousal, aroused, erection, "
                       "foreplay, lust, lusted"),
    # platonic
    "platonic_sibling": _w("brother, brothers, sister, sisters, sibling, siblings, twin, twins, "
                           "big brother, little brother, big sister, little sister, bro, sis, "
                           "baby brother, baby sister, half-brother, half-sister, stepbrother, "
                           "stepsister, brother's, sister's"),
    "platonic_family": _w("like family, like a brother, like a sister, like a son, like a daughter, "
                          "like a father, like a mother, family, dad, father, son, daughter, mom, "
                          "mum, mother, uncle, aunt, nephew, niece, cousin, grandfather, "
                          "grandmother, grandson, granddaughter, adopted, adoptive, kid, kids"),
    "platonic_friend": _w("friend, friends, best friend, best friends, friendship, buddy, pal, "
                          "childhood friend, old friend, platonic soulmate, platonic soulmates, "
                          "platonic soul mate, platonic soul mates, platonic life partner, "
                          "platonic life partners"),
    "platonic_team": _w("teammate, teammates, squadmate, comrade, comrades, brothers in arms, "
                        "mentor, mentee, student, apprentice, padawan, protege, protégé, "
                        "teacher, sensei, partner in crime"),
    # rating and warnings
    "sex_explicit": _w("cock, cocks, dick, dicks, pussy, cunt, clit, clitoris, penis, vagina, "
                       "cum, cumming, came inside, come inside, semen, precum, pre-cum, precome, "
                       "blowjob, blow job, handjob, hand job, lube, lubed, fingered, fingering, "
                       "nipple, nipples, orgasm, orgasms, orgasmed, ejaculated, erection, "
                       "his length, her folds, fucked into, fucking into, rimming, anal, "
                       "knotted, arousal, climax, climaxed"),
    "sex_mild": _w("naked, nude, undressed, aroused, moaned, moaning, moans, made love, "
                   "making love, had sex, have sex, having sex, sex, lingerie, thrust, thrusting, "
                   "thrusts, "
                   "slept together, sleeping together, making out, made out, hickey, hickeys"),
    "profanity": _w("fuck, fucks, fucking, fucked, fucker, fuckers, motherfucker, motherfucking, "
                    "shit, shits, shitty, bullshit, bitch, bitches, bitching, bastard, bastards, "
                    "asshole, assholes, arsehole, dick, dickhead, damn, damned, goddamn, "
                    "goddamnit, dammit, crap, piss, pissed, cunt, prick, wanker, bollocks, "
                    "hell"),
    "violence": _w("blood, bloody, bloodied, bleeding, bled, bleed, stab, stabbed, stabbing, "
                   "gore, gory, corpse, corpses, entrails, guts, intestines, viscera, "
                   "decapitated, beheaded, severed, dismembered, mutilated, torture, tortured, "
                   "torturing, murder, murdered, murdering, slaughter, slaughtered, massacre, "
                   "gunshot, shot him, shot her, wound, wounds, wounded, broken bones, "
                   "slit his throat, slit her throat, snapped his neck, snapped her neck, "
                   "killed, kill, killing, beat him, beat her, beaten, punched, kicked, "
                   "bruised, bruises, screamed in pain, skull, bones cracked, brains"),
    "violence_graphic": _w("gore, gory, entrails, intestines, viscera, decapitated, beheaded, "
                           "dismembered, mutilated, disemboweled, disembowelled, eviscerated, "
                           "flayed, severed head, slit his throat, slit her throat, spurted, "
                           "blood sprayed, pool of blood, brains, torture, tortured, torturing"),
    "death": _w("died, dies, dead, death, deaths, dying, passed away, killed, funeral, grave, "
                "graves, buried, burial, corpse, his body, her body, last breath, "
                "stopped breathing, no pulse, heart stopped, murdered, lifeless, "
                "killed him, killed her, is dead, was dead, are dead, were dead"),
    "noncon": _w("rape, raped, raping, rapist, non-con, noncon, non-consensual, nonconsensual, "
                 "against her will, against his will, without consent, didn't consent, "
                 "did not consent, molested, molesting, molestation, forced himself on, "
                 "forced herself on"),
    "minor_age": _w("twelve-year-old, thirteen-year-old, fourteen-year-old, fifteen-year-old, "
                    "sixteen-year-old, seventeen-year-old, twelve years old, thirteen years old, "
                    "fourteen years old, fifteen years old, sixteen years old, "
                    "seventeen years old, underage, middle school, eighth grade, ninth grade"),
    # freeform cues
    "nightmare": _w("nightmare, nightmares, bad dream, bad dreams, night terror, night terrors, "
                    "woke up screaming, woke screaming, woke with a start, jolted awake"),
    "grief": _w("grief, grieve, grieving, grieved, mourn, mourned, mourning, funeral, eulogy, "
                "passed away, condolences, widow, widowed, widower, grave, headstone, "
                "gravestone, tombstone, memorial, bereaved"),
    "soulmate": _w("soulmate, soulmates, soul mate, soul mates, soulmark, soulmarks, soul mark, "
                   "soul marks, soul bond, soulbond, red string"),
    "coffee_shop": _w("barista, baristas, coffee shop, coffeeshop, café, cafe, latte, lattes, "
                      "espresso, cappuccino, frappuccino, macchiato"),
    "college": _w("college, campus, dorm, dorms, dormitory, roommate, semester, freshman, "
                  "sophomore, professor, lecture, lectures, finals week, midterms, midterm, "
                  "fraternity, frat, sorority, undergrad, grad school, syllabus, office hours, "
                  "tuition, dean"),
    # the world of today, absent from a fantasy, historical or starship canon (not
    # "computer", which starships have, nor "apartment", which Victorians let)
    "modern_life": _w("phone, phones, cellphone, cell phone, smartphone, iphone, mobile phone, "
                      "phone call, texted, texting, text message, text messages, laptop, "
                      "laptops, email, emails, emailed, internet, wifi, wi-fi, online, website, "
                      "googled, netflix, youtube, instagram, twitter, tiktok, facebook, "
                      "snapchat, selfie, selfies, uber, starbucks, car keys, parking lot, "
                      "highway, freeway, subway, airport, headphones, earbuds, playlist, "
                      "spotify, charger, voicemail, group chat, video game, video games, "
                      "playstation, xbox, microwave, fridge, pizza, takeout, hoodie, sneakers, "
                      "jeans, high school, tv, television, supermarket"),
    # the nineteenth century's everyday things and manners
    "period": _w("hansom, four-wheeler, brougham, landau, dog-cart, gaslight, gas-lamp, gaslit, "
                 "lamplight, telegram, telegraph, frock coat, morning coat, morning coats, "
                 "top hat, waistcoat, pocket watch, sovereigns, shilling, shillings, guineas, "
                 "governess, footman, parlour, parlourmaid, my dear fellow, upon my word, "
                 "service revolver, candlelight"),
    "comfort": _w("comforted, comforting, comfort, soothed, soothing, soothe, reassured, "
                  "reassuring, it's okay, it's alright, you're safe, i've got you, i got you, "
                  "i'm here, you're okay, held him, held her, hugged, hug, embrace, embraced, "
                  "stroked his hair, stroked her hair, rocked him, rocked her"),
    "hurt": _w("injured, injury, injuries, wounded, wound, wounds, bleeding, hospital, fever, "
               "feverish, stitches, bandage, bandages, bandaged, concussion, infirmary, medic, "
               "medbay, med bay, broken ribs, broken arm, broken leg, bruised, bruises, "
               "unconscious, passed out, limp, sick, pain, agony, panic attack, flashback, "
               "flashbacks, trauma, traumatized"),
    "domestic": _w("kitchen, breakfast, cooking, cooked, laundry, groceries, grocery, dishes, "
                   "couch, sofa, pancakes, apartment, our home, our house, making dinner, "
                   "made dinner, made breakfast, washing up, vacuum, garden, movie night"),
    "humor": _w("laughed, laughing, laugh, laughs, snorted, snorting, giggled, giggling, giggle, "
                "joke, joked, joking, jokes, chuckled, chuckling, hilarious, ridiculous, "
                "burst out laughing, cackled, teased, teasing, snickered, grinned"),
    "pining": _w("pining, pined, pine, longing, longed, yearning, yearned, yearn, unrequited, "
                 "couldn't stop thinking about, can't stop thinking about, crush on, "
                 "a crush, secretly in love, hopelessly in love, from afar"),
    "first_kiss": _w("first kiss, our first kiss, their first kiss, kissed for the first time, "
                     "kissed me for the first time, kissed him for the first time, "
                     "kissed her for the first time"),
    "confession": _w("i love you, i'm in love with you, in love with you, love you too, "
                     "i love you too, confessed his love, confessed her love, confessed their love, "
                     "confessed his feelings, confessed her feelings, confessed their feelings, "
                     "confess my feelings, confession of love, love confession"),
    "found_family": _w("found family, like family, chosen family, family isn't blood, "
                       "not by blood, family doesn't end with blood, like a family, "
                       "our little family, makeshift family, family of choice, "
                       "family we choose, family you choose"),
    "sad": _w("cried, cry, crying, cries, tears, tear-stained, sob, sobbed, sobbing, sobs, wept, "
              "weep, weeping, grief, heartbreak, heartbroken, broken-hearted, despair, alone, "
              "lonely, loneliness, ache, ached, aching, hurt, hurts, numb, empty, regret, "
              "guilt, mourning, goodbye, gone, miss you, missed him, missed her, funeral"),
    "fluff": _w("giggled, giggling, cuddled, cuddling, cuddle, snuggled, snuggling, cozy, "
                "cosy, adorable, cute, sweetly, soft, softly, warm, warmth, fondly, fond, "
                "grinned, beamed, smiled, smiling, laughed, blanket, blankets, hot chocolate, "
                "cocoa, kittens, puppy"),
    "ending_happy": _w("smiled, smiling, smile, smiles, laughed, laughing, laugh, happy, happily, "
                       "happiness, home, together, love you, i love you, kissed, kiss, safe, "
                       "married, wedding, forever, grinned, grin, joy, content, contentment, "
                       "peace, peaceful, hope, hopeful, future, promise, warm, warmth"),
    "ending_sad": _w("died, dead, death, dying, funeral, grave, buried, gone, goodbye, grief, "
                     "mourning, mourn, tears, cried, crying, sobbed, alone, lonely, empty, "
                     "never again, never see, lost, loss, miss you, ache, aching, heartbreak, "
                     "last breath, killed, wept, weep, weeping, miss him, miss her, miss them, "
                     "missed him, missed her, missed them, mourned, widow, widowed"),
    "ending_open": _w("to be continued, what happens next, for now, someday, one day, "
                      "maybe someday, who knows, wondered if, we'll see, not yet"),
})

#: Words that are cues only when written in lower case in the original text
#: ("dick" is profanity, "Dick Grayson" is a name; "Hope" may be a name; "the Widow" a
#: codename).
CASE_SENSITIVE = frozenset({"dick", "dicks", "hope", "sugar", "angel", "sunshine", "honey",
                            "princess", "doll", "knot", "grave", "crush", "cocks", "cock",
                            "guts", "pack", "clan", "home", "joy", "hon", "dean", "sis", "bro",
                            "widow"})

NEGATORS = frozenset(_w("""not, never, no, nor, none, nobody, nothing, neither, without, hardly,
barely, scarcely, cannot, can't, don't, doesn't, didn't, won't, wouldn't, couldn't, shouldn't,
isn't, aren't, wasn't, weren't, haven't, hasn't, hadn't, ain't, mustn't, needn't, cant, dont,
doesnt, didnt, wont, wouldnt, couldnt, shouldnt, isnt, arent, wasnt, werent, havent, hasnt,
hadnt, aint"""))

#: VADER's factor for a negated word.
NEGATION_SCALAR = -0.74

#: Lexicon words whose everyday function use swamps their sentiment in narrative.
VALENCE_EXCLUDED = frozenset(_w("""like, likes, liked, no, yes, please, pretty, okay, ok, well,
kind, sure, fine, haha, lol, god, hell, damn, joke, mean, mercy, miss, lmao, yeah, true, cool,
share, party, matter, huge, big, free, lol, want, wants, wanted, care, cares, number, will,
grace, united, reach, help, save, saved, play, played, funny"""))


#: Category prefixes a longer phrase inherits from the phrases inside it.
INHERITED = ("romantic_", "platonic_")


#: Phrases that are no cue when these words follow: "made out the words", "make out
#: distinct shapes" is seeing, not kissing; "made out with him", "making out again",
#: "made out a bit", "making out." are kept.
_SEEING = re.compile(r"[ ]+(?!(?:with|for|on|in|again|sessions?|and|like|until|while|behind|"
                     r"against|under|at|more|after|before|during|when|or|but|as|to|"
                     r"a (?:bit|little|lot|while))\b)[a-z]")
#: "breaking up the party", "broke up the fight", "break up into groups" end no couple.
_BREAKING = re.compile(r"[ ]+(?:the|a|an|this|that|these|those|it|into|in|fights?|his|her|"
                       r"their|our|my|your)\b")
#: "engaged in a staring contest", "engaged by the firm" is no betrothal.
_ENGAGED = re.compile(r"[ ]+(?:in|on|by|with[ ]+(?:the|a|an|his|her|their))\b")
#: "he loved her for it", "she loved him like a brother", "as a son", "the way you love a
#: friend": a love the words themselves make no romance of.
_LOVED_AS = re.compile(r"[ ,]+(?:for|like|as|the[ ]way|in[ ](?:his|her|their)[ ]own[ ]way)\b")
#: "she loved her job", "he loved her cooking": "her" before a noun is a possessive, not
#: the one loved (a word that may follow the one loved is no noun: "he loved her so").
_LOVED_HER = re.compile(
    _LOVED_AS.pattern + r"|[ ]+(?!(?:and|or|but|so|too|more|most|back|still|anyway|very|"
    r"with|now|then|even|that|because|when|enough|all|the|in|at|to|from|before|after|since|"
    r"already|always|again|desperately|dearly|deeply|madly|completely|fiercely|terribly|"
    r"truly|once|ever)\b)[a-z]")
#: "rested his forehead against his folded hands": "his" before a noun is a possessive,
#: not the other's forehead ("leaned her forehead against his." is)
_HIS_THING = re.compile(r"[ ]+(?!(?:and|or|but|as|while|for|until|when|again|too|then|so|"
                        r"once|now|gently|softly|briefly)\b)[a-z]")
#: "The meeting broke up after midnight", "the crowd had broken up": a gathering ends,
#: not a couple (searched in the 40 characters before the phrase).
_GATHERING = re.compile(r"\b(?:meeting|meetings|party|crowd|group|gathering|fight|brawl|storm|"
                        r"clouds?|ice|band|session|council|conference|class|game|huddle|camp|"
                        r"lecture|fog|mist|rally|riot|mob|dinner|lunch|feast|celebration|"
                        r"assembly|parade|signal|line|call|connection|convoy|formation|"
                        r"audience|congregation|court|committee|circle)"
                        r"(?:[ ]+(?:had|has|have|finally|eventually|soon|slowly|quickly|"
                        r"only|then|at[ ]+last))*[ ]+$")
NOT_PRECEDED_BY: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {p: _GATHERING for p in ("broke up", "break up", "breaking up", "broken up")})
NOT_FOLLOWED_BY: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {**{p: _SEEING for p in ("make out", "made out", "making out", "makes out")},
     **{p: _BREAKING for p in ("broke up", "break up", "breaking up", "broken up")},
     **{p: _LOVED_HER if p.endswith(" her") else _LOVED_AS for p in _LOVED},
     **{p: _HIS_THING for p in ("forehead against his", "forehead to his")},
     "engaged": _ENGAGED})


def cue_key(matched: str) -> str:
    """The table key of a matched phrase: curly apostrophes made straight."""
    return matched.translate(_APOS_FOLD)


def lowered(text: str) -> str:
    """``text`` lower-cased with the same length (offsets stay valid).

    A few characters change length when lower-cased ("İ"); those are left as
    they are, so every offset into the result is an offset into ``text``.

    >>> lowered("He Said İ")
    'he said İ'
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_Trie = dict[str, "_Trie"]


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for ``words``, shaped as a trie (fast in ``re``).

    Longer completions are tried first, so the longest phrase wins. A straight
    apostrophe matches a curly one too.
    """
    return _trie_regex(words, word_start=False)


def word_start_pattern(words: Iterable[str]) -> str:
    """``trie_pattern(words)`` that matches only where a word starts, as ``\\b`` before it
    would (for words that open with a letter or digit). Each first letter is followed by
    a look-behind that no word character comes before it: the pattern opens with the
    first letters, so ``re`` skips in C to the next place one of them is written, where
    a pattern opening with ``\\b`` is tried at every position (two to four times slower
    for words of a few first letters, such as pronouns).

    >>> word_start_pattern(["he", "her", "She"])
    '(?:S(?<!\\\\wS)he|h(?<!\\\\wh)e(?:r)?)'
    >>> re.findall(word_start_pattern(["he", "her"]) + r"\\b", "he her the hers her")
    ['he', 'her', 'her']
    """
    return _trie_regex(words, word_start=True)


def _trie_regex(words: Iterable[str], *, word_start: bool) -> str:
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def esc(ch: str) -> str:
        return "['’]" if ch == "'" else re.escape(ch)

    def build(node: _Trie, top: bool = False) -> str:
        alts = [esc(ch) + (rf"(?<!\w{esc(ch)})" if top and word_start else "") + build(child)
                for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(root, top=True)


@functools.cache
def cue_table() -> Mapping[str, tuple[str, ...]]:
    """Every cue phrase (straight apostrophes) -> the categories it belongs to."""
    table: dict[str, list[str]] = {}
    for cat, phrases in CUES.items():
        for p in phrases:
            cats = table.setdefault(p, [])
            if cat not in cats:
                cats.append(cat)
    # the regex takes the longest phrase, so a phrase also carries the relationship
    # categories of the shorter phrases inside it ("i'm in love with you" -> "in love"),
    # but not those of the other kind ("platonic soulmates" is no "soulmates")
    inner = [(f" {p} ", cats) for p, cats in table.items()
             if any(c.startswith(INHERITED) for c in cats)]
    for p, cats in table.items():
        if " " not in p:
            continue
        padded = f" {p} "
        kinds = {c.split("_")[0] + "_" for c in cats if c.startswith(INHERITED)}
        for q, qcats in inner:
            if q != padded and q in padded:
                cats.extend(c for c in qcats if c.startswith(INHERITED) and c not in cats
                            and (not kinds or c.split("_")[0] + "_" in kinds))
    return MappingProxyType({k: tuple(v) for k, v in table.items()})


@functools.cache
def cue_regex() -> re.Pattern[str]:
    """One regex matching every cue phrase as whole words, for lower-cased text."""
    return re.compile(r"\b" + trie_pattern(cue_table()) + r"(?![\w'’/-])")


def _read_vader() -> str:
    try:
        return resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(
            encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover - install problem
        raise AnalysisError("the valence lexicon is missing: install it with "
                            "'pip install \"vaderSentiment>=3.3.2,<4\"'") from exc


_LEX_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@functools.cache
def valence_lexicon() -> Mapping[str, float]:
    """VADER's word valences (-4..4), without emoticons and ``VALENCE_EXCLUDED``."""
    out: dict[str, float] = {}
    for line in _read_vader().splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        word = parts[0].strip()
        if not _LEX_WORD.fullmatch(word) or word in VALENCE_EXCLUDED or word in NEGATORS:
            continue
        out[word] = float(parts[1])
    return MappingProxyType(out)
