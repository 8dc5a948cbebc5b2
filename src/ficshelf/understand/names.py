"""Name knowledge that does not depend on any fandom: word lists, titles, nicknames.

Word lists say which capitalised words are never character names (function
words, days, months, deities used in exclamations, pet names, interjections,
nationalities) and which words around a name hint at a person (dialogue verbs,
human actions, body parts) or at a place or organisation.

Given names are compared with the BookNLP nickname list (``data/aliases.txt``,
MIT) and a few spelling rules (``given_compatible``); surnames with
``surname_key`` (transliteration and feminine forms).

>>> given_compatible("Jim", "James"), given_compatible("Nat", "Natasha")
(True, True)
>>> given_compatible("Tasha", "Natasha"), given_compatible("Bucky", "Buchanan")
(True, True)
>>> given_compatible("Tony", "Howard"), given_compatible("Mary", "Martha")
(False, False)
>>> given_compatible("Henry", "Henrietta"), given_compatible("Horses", "Horsham")
(False, False)
>>> surname_key("Romanoff") == surname_key("Romanova")
True
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = [
    "ARTICLES",
    "BODY_PARTS",
    "FEMALE_TITLES",
    "HUMAN_VERBS",
    "KIN_TITLES",
    "LOCATIVE",
    "MALE_TITLES",
    "MONTHS",
    "NEVER_NAMES",
    "PARTICLES",
    "PERSON_NOUNS",
    "PLACES",
    "PLACE_PREFIXES",
    "PLACE_WORDS",
    "SPEECH_VERBS",
    "STOP_WORDS",
    "TITLES",
    "given_compatible",
    "is_full_given_name",
    "is_given_name",
    "nickname_groups",
    "nickname_listed",
    "surname_key",
    "title_gender",
    "title_key",
]


def _words(text: str) -> frozenset[str]:
    """The words of ``text``, each with an apostrophe also with a curly one ("Ma’am")."""
    words = text.split()
    return frozenset(words + [w.replace("'", "’") for w in words if "'" in w])


# Capitalised only because they start a sentence or a line of dialogue: never names.
STOP_WORDS = _words("""
I I'm I'd I've I'll Im Ive Id Me My Mine Myself We Us Our Ours Ourselves You Your Yours Yourself
Yourselves He Him His Himself She Her Hers Herself It Its Itself They Them Their Theirs Themselves
One Ones Someone Somebody Something Anyone Anybody Anything Everyone Everybody Everything Noone Nobody
Nothing None Each Every Either Neither Both All Any Some Many Much Most More Few Several Such Other
Others Another Same A An The This That These Those There Here Where When Why How What Which Who Whom
Whose Whoever Whatever Whenever Wherever However Whether And But Or Nor So Yet For If Then Than Else
Though Although Because Since Unless Until Till While Whilst As At By In Into On Onto Upon Of Off Out
Over Under Up Down To From With Within Without About Above Below Across After Afterwards Against Along
Amid Among Around Before Behind Beneath Beside Besides Between Beyond During Except Inside Near Next
Outside Past Through Throughout Toward Towards Via Is Are Am Was Were Be Been Being Do Does Did Done
Doing Have Has Had Having Can Could May Might Must Shall Should Will Would Not No Yes Yeah Yep Nope
Nah Okay OK Ok Oh Ah Aha Eh Uh Um Umm Hmm Hm Huh Ha Haha Heh Hey Hi Hello Bye Goodbye Goodnight
Wow Whoa Woah Ooh Oops Ouch Ow Ugh Argh Well Please Thanks Thank Sorry Alright All-right Sure Fine
Right Good Great Now Just Only Also Even Still Already Almost Always Never Ever Often Sometimes
Soon Later Again Once Twice Maybe Perhaps Probably Really Very Too Quite Rather Instead Anyway
Anyways Besides Otherwise Meanwhile Finally Suddenly Slowly Quickly Quietly Softly Gently Carefully
Instead Together Apart Away Back Home Today Tonight Tomorrow Yesterday Everywhere Somewhere Nowhere
Let Lets Let's Don't Dont Can't Cant Won't Wont Didn't Didnt Isn't Isnt Aren't Wasn't Weren't
Doesn't Haven't Hasn't Hadn't Couldn't Wouldn't Shouldn't Mustn't It's Its That's Thats There's
What's Whats Here's Who's He's She's You're Youre We're They're I'd You'd He'd She'd We'd They'd
You'll He'll She'll We'll They'll You've We've They've Ain't Gonna Wanna Gotta Y'know Dunno
First Second Third Last Another Every Chapter Part Prologue Epilogue Interlude Book Volume End
Author Note Notes Summary Warning Warnings Disclaimer Translation Edit Update Beta Fin Work Text
Mr Mrs Ms Mx Miss Dr Sir Madam Madame Ma'am Maam Mister Missus Lady Lord Master Mistress
Misses Messrs Mesdames Esq Hullo Hallo Halloa Alas Ahem Pshaw Bah Hurrah Hooray Yay Pray
Unlike Like Despite Whereas Regarding Concerning Including Excluding Versus
Wait Stop Look Listen Hurry Shut Leave Tell Give Keep Move Stay Calm Relax Breathe Remember
Forget Imagine Shh Shhh Psst Hush Yikes Welp Whatever Seriously Honestly Obviously
""")

# Never character names, even capitalised mid-sentence.
NEVER_NAMES = _words("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March July
September October November December Christmas Easter Halloween Thanksgiving Hanukkah
Valentine Valentine's Xmas
God Gods Goddess Jesus Christ Lord Satan Devil Hell Heaven Heavens Damn Dammit Goddammit Goddamn
Goddamnit Fuck Fucking Shit Crap Christ's Jeez Geez Gosh Golly Allah Buddha Lucifer
Doll Dolly Baby Babe Babes Sweetheart Sweetie Sweety Honey Hun Hon Darling Darlin Love Lovely Dear
Dearest Sugar Pumpkin Princess Prince Kitten Sunshine Handsome Beautiful Gorgeous Pet Petal
Kid Kiddo Buddy Pal Mate Dude Bro Sis Man Boy Girl Boys Girls Guys Guy Folks Sir Sirs Ma'am Maam
People Men Women Kids Children Ladies Gentlemen Humans Parents Friends Adults Teenagers
Mom Mommy Mum Mummy Mama Momma Mother Dad Daddy Papa Father Grandma Grandpa Granny Nana Auntie
Uncle Aunt Brother Sister Son Daughter Cousin Captain Sergeant Sarge Doctor Doc Professor Agent
Detective Inspector Officer Lieutenant Colonel General Commander Major Private Corporal Admiral
Chief Boss Director Coach Nurse Miss Mister Madam Madame Mrs Mr Ms Dr Lady Lord King Queen Sire
Majesty Highness Lordship Ladyship Excellency Your
Sensei Senpai Sempai Shishou Kouhai Sama Dono Kaa Ka Kaachan Kaasan Okaa Okaasan Tou Touchan
Tousan Otou Otousan Nii Niisan Nee Neesan Onii Oniisan Onee Oneesan Aniki Aneki Jiji Jiisan
Ojii Ojiisan Baa Baachan Obaa Obaasan Eomma Umma Oppa Hyung Noona Unnie
English American British French German Russian Italian Spanish Chinese Japanese Korean Irish
Scottish Welsh Indian African European Asian Latin Greek Jewish Catholic Christian Muslim Soviet
Canadian Australian Mexican Dutch Swedish Norwegian Polish Arabic Hebrew Portuguese Brazilian
Roman Egyptian Persian Turkish Hindi Elvish Dwarvish Mandarin Cantonese Western Eastern Northern
Southern Earth Moon Sun Internet TV OK AM PM Mars Venus
Google Googled Amazon Facebook Twitter Instagram Tumblr YouTube Youtube Netflix Wikipedia Starbucks
McDonald's McDonalds Walmart Microsoft Skype Snapchat TikTok Discord Reddit Spotify Uber eBay
iPhone iPad iPod Xbox PlayStation Nintendo Hulu Pinterest WhatsApp Gmail Yahoo Pepsi Coke
""")

# Months that are also given names ("May", "June"): a date when a number stands beside them.
MONTHS = _words("April May June August")

# Continents, countries, states and large cities: never characters.
PLACES = _words("""
Africa America Americas Antarctica Asia Australia Europe Oceania Arctic Atlantic Pacific Mediterranean
Afghanistan Albania Algeria Argentina Armenia Austria Azerbaijan Bangladesh Belgium Bolivia Bosnia
Brazil Bulgaria Cambodia Cameroon Canada Chile China Colombia Congo Croatia Cuba Cyprus Czechia
Denmark Ecuador Egypt England Estonia Ethiopia Finland France Germany Ghana Greece Guatemala
Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan
Kazakhstan Kenya Korea Kosovo Kuwait Laos Latvia Lebanon Libya Lithuania Luxembourg Madagascar
Malaysia Mali Malta Mexico Moldova Monaco Mongolia Montenegro Morocco Mozambique Myanmar Namibia
Nepal Netherlands Nicaragua Niger Nigeria Norway Pakistan Palestine Panama Paraguay Peru
Philippines Poland Portugal Qatar Romania Russia Rwanda Scotland Senegal Serbia Singapore Slovakia
Slovenia Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tanzania Thailand Tunisia Turkey
Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe Britain Prussia
Persia Siberia Bavaria Burgundy Normandy Brittany Provence Tuscany Sicily Sardinia Flanders Bohemia
Hungary Holland Scandinavia Arabia Mesopotamia Babylon Byzantium Constantinople Istanbul
Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Hawaii Idaho
Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota
Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah
Vermont Wisconsin Wyoming Manhattan Brooklyn Queens Bronx Harlem Hollywood
London Paris Rome Berlin Vienna Madrid Lisbon Moscow Petersburg Prague Budapest Warsaw Athens
Dublin Edinburgh Glasgow Belfast Cardiff Oxford Cambridge Manchester Liverpool Birmingham Bristol
Brighton Bath York Kyoto Tokyo Osaka Beijing Shanghai Seoul Delhi Mumbai Bombay Calcutta Cairo
Baghdad Tehran Jerusalem Damascus Beirut Chicago Boston Seattle Atlanta
Miami Detroit Philadelphia Baltimore Pittsburgh Orleans Francisco Angeles Vegas
Toronto Montreal Vancouver Ottawa Quebec Melbourne Venice Milan Naples Geneva
Zurich Amsterdam Brussels Copenhagen Stockholm Oslo Helsinki Hamburg Munich Frankfurt Marseilles
Lyon Versailles Calais Dover Sussex Surrey Essex Yorkshire Cornwall Somerset
Somersetshire Wiltshire Hampshire Derbyshire Lancashire Westminster Kensington Soho
""")

TITLES = _words("""
Mr Mrs Ms Mx Miss Dr Doctor Sir Dame Lady Lord Master Mistress Madam Madame Mme Mlle Mademoiselle
Monsieur Herr Frau Fraulein Senor Senora Senorita Signor Signora Don Dona Captain Capt Sergeant Sgt
Lieutenant Lt Colonel Col Major General Gen Admiral Commander Corporal Private Agent Detective
Inspector Officer Constable Professor Prof Father Mother Brother Sister Reverend Rev Saint St Aunt
Auntie Uncle Grandma Grandpa Granny King Queen Prince Princess Duke Duchess Count Countess Baron
Baroness Earl Emperor Empress Chief Judge Coach Nurse Mister Missus Archduke Archbishop Bishop
Pope Cardinal Abbot Sheriff Deputy Marshal Director Principal Headmaster Headmistress Ser Dame
Chancellor Minister Secretary President Senator Governor Mayor Ambassador Consul Esq
""")

#: Titles that make the person someone's relative ("Aunt May", "Uncle Iroh"); not
#: "Father", "Sister" or "Brother", which name priests, nuns and monks as often.
KIN_TITLES = _words("Aunt Auntie Uncle Grandma Grandpa Granny Gran Nana Grandmother Grandfather")

MALE_TITLES = _words("""Mr Sir Lord Master Monsieur Herr Senor Signor Don Father Brother Uncle Grandpa
King Prince Duke Count Baron Earl Emperor Archduke Mister Abbot Ser""")
FEMALE_TITLES = _words("""Mrs Ms Miss Dame Lady Mistress Madam Madame Mme Mlle Mademoiselle Frau
Fraulein Senora Senorita Signora Dona Mother Sister Aunt Auntie Grandma Granny Queen Princess Duchess
Countess Baroness Empress Missus""")

# Title words that stand for a distinct person when the surname is shared:
# "Mr. Bennet" and "Mrs. Bennet" (and "Miss Bennet") are never merged.
_TITLE_CLASS = {
    "Mr": "Mr", "Mister": "Mr", "Monsieur": "Mr", "Herr": "Mr", "Senor": "Mr", "Signor": "Mr",
    "Mrs": "Mrs", "Missus": "Mrs", "Madame": "Mrs", "Mme": "Mrs", "Frau": "Mrs", "Senora": "Mrs",
    "Signora": "Mrs", "Miss": "Miss", "Ms": "Miss", "Mlle": "Miss", "Mademoiselle": "Miss",
    "Fraulein": "Miss", "Senorita": "Miss", "Madam": "Mrs",
}

PARTICLES = _words("de De van Van von Von der Der den du Du da Da di Di del Del della la La le Le "
                   "bin ibn al el zu ter ten dos das do Do y")

#: Kinds of people and creatures a story may leave unnamed. Ranks, professions
#: and relations are left out: "the king" and "the doctor" mostly describe
#: someone the text also names. So are plain animals ("the wolf", "the horse").
PERSON_NOUNS = _words("""
stranger visitor newcomer intruder traveller traveler wanderer stowaway captive prisoner
hostage assassin mercenary thief burglar pirate bandit outlaw hitman vigilante
vampire werewolf lycan merman mermaid merperson siren selkie minotaur centaur satyr faun
demon incubus succubus angel orc ogre troll goblin elf fae faerie fairy pixie dryad nymph
naga lamia gargoyle golem harpy kitsune shapeshifter changeling wendigo ghoul ghost
spectre specter wraith revenant zombie alien android robot cyborg monster creature beast
witch wizard warlock sorcerer sorceress mage necromancer spellcaster
""")

SPEECH_VERBS = _words("""
said says say asked asks ask replied replies reply answered answers whispered whispers murmured
murmurs muttered mutters mumbled mumbles shouted shouts yelled yells snapped snaps called calls
cried cries added adds continued continues began begins insisted insists pleaded pleads repeated
repeats admitted admits agreed agrees breathed breathes demanded demands explained explains growled
growls hissed hisses huffed huffs laughed laughs lied lies offered offers protested protests
remarked remarks responded responds sighed sighs snarled snarls sneered sneers sobbed sobs
stammered stammers stated states teased teases told tells urged urges warned warns whined whines
grumbled grumbles grunted grunts chuckled chuckles scoffed scoffs exclaimed exclaims gasped gasps
barked barks croaked croaks drawled drawls interrupted interrupts joked jokes quipped quips
retorted retorts sang sings screamed screams shrieked shrieks spat spits stuttered stutters
suggested suggests wondered wonders promised promises confessed confesses announced announces
instructed instructs ordered orders commanded commands corrected corrects echoed echoes prompted
prompts pressed presses noted notes observed observes conceded concedes countered counters
murmered wheezed rasped purred groaned groans moaned moans hummed hums sniffed sniffs
""")

HUMAN_VERBS = SPEECH_VERBS | _words("""
nodded nods smiled smiles grinned grins frowned frowns shrugged shrugs sighed laughed winced winces
blinked blinks swallowed swallows flinched flinches hesitated hesitates paused pauses glanced glances
stared stares looked looks turned turns walked walks stepped steps reached reaches stood stands sat
sits knelt kneels leaned leans hugged hugs kissed kisses rolled rolls raised raises lifted lifts
shook shakes thought thinks knew knows felt feels wanted wants decided decides realized realizes
realised realises remembered remembers tried tries watched watches waited waits pulled pulls
pushed pushes grabbed grabs took takes gave gives went goes came comes ran runs left leaves
opened opens closed closes smirked smirks scowled scowls blushed blushes exhaled exhales inhaled
inhales tensed tenses relaxed relaxes squeezed squeezes touched touches held holds hums wiped wipes
woke wakes slept sleeps ate eats drank drinks cleared clears rubbed rubs tilted tilts crossed
crosses leaned snorted snorts rolled cocked cocks arched arches furrowed furrows narrowed narrows
bit bites licked licks chewed chews noticed notices stopped stops started starts moved moves
hated hates loved loves liked likes needed needs missed misses hoped hopes wished wishes
""")

BODY_PARTS = _words("""
eyes eye face hand hands voice mouth lips hair head arm arms shoulder shoulders heart chest fingers
finger jaw gaze smile neck back cheek cheeks brow brows forehead nose ear ears hip hips leg legs knee
knees feet foot body skin breath lap throat tongue teeth wrist wrists palm palms thumb grip touch
expression tone laugh words name gaze mind mother father brother sister wife husband son daughter
friend friends room bed shirt jacket phone side fist fists
""")

# Words before a name that usually introduce a place or a thing, not a person.
LOCATIVE = _words("in at from into near across toward towards through around inside outside "
                  "throughout within via onto")
ARTICLES = _words("the a an")

# Last words of multi-word proper nouns that name places, organisations or things.
PLACE_WORDS = _words("""
Street St Road Rd Avenue Ave Drive Boulevard Square Place Way City Town Village County State
States Kingdom Empire Republic Federation Union Province District Island Islands Isle Mountain
Mountains Mount Hills Valley River Lake Sea Ocean Bay Coast Beach Forest Woods
Garden Gardens Hall Manor Castle Palace Tower Towers Temple Cathedral Abbey Chapel
School Academy University College Institute Hospital Station Airport Bridge Inn Hotel Bar Pub
Cafe Restaurant Shop Store Market Mall Museum Library Center Centre Building Office Prison Tavern
Council Ministry Department Agency Bureau Company Corporation Corp Inc Industries Enterprises Bank
Order Guild Society Club Team Squad Army Navy Corps Force Forces Guard Guards Legion Division
Regiment Brigade Battalion Fleet Alliance Initiative Avengers Ship Base Headquarters HQ Tower
Room Wing Quarter Quarters District Prefecture Kingdom Realm Lands Desert Plains Cave Caves Falls
Port Harbor Harbour Gates Walls Hollow Heights Springs Farm
Ranch Estate Crescent Terrace Stadium Gables Grange Grove Green Moor Heath Downs Abbey Priory Arena Theatre Theater Studio Studios Bakery
Diner Motel Hotel Lodge Camp Compound Facility Lab Laboratory Labs Hq Station Academy High Elementary
Day Night War Wars Games Cup Festival Ball Party Dance Prom Week Year Era Age Day Act Law
""")


# First words that make a run a place name ("New York", "Port Burdock", "St. James's").
PLACE_PREFIXES = _words("New Port Fort Mount Mt Lake Cape San Santa Los Las Glen United North South "
                        "East West Upper Lower Great")


def title_key(word: str) -> str:
    """The canonical spelling of a title word: "Mr." and "Mr" -> "Mr"."""
    return word.rstrip(".")


def title_gender(title: str) -> str | None:
    t = title_key(title)
    if t in MALE_TITLES:
        return "m"
    if t in FEMALE_TITLES:
        return "f"
    return None


def title_class(title: str) -> str:
    """Titles that mark distinct people sharing a surname (Mr/Mrs/Miss); others as written."""
    t = title_key(title)
    return _TITLE_CLASS.get(t, t)


@lru_cache(maxsize=1)
def _nickname_table() -> tuple[dict[str, frozenset[int]], frozenset[str], tuple[str, ...]]:
    groups: dict[str, set[int]] = {}
    heads: list[str] = []
    text = resources.files("ficshelf").joinpath("data", "aliases.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        names = [n.strip().casefold() for n in line.split("\t") if n.strip()]
        if not names:
            continue
        heads.append(names[0])
        for n in names:
            groups.setdefault(n, set()).add(len(heads) - 1)
    return {k: frozenset(v) for k, v in groups.items()}, frozenset(heads), tuple(heads)


def nickname_groups() -> dict[str, frozenset[int]]:
    """Lower-cased given name -> ids of the nickname rows it appears in (BookNLP's list)."""
    return _nickname_table()[0]


def is_given_name(name: str) -> bool:
    """A name of the nickname list (about 2,400 English given names and short forms)."""
    return name.casefold() in _nickname_table()[0]


def is_full_given_name(name: str) -> bool:
    """A name that heads a row of the nickname list (a given name in its own right)."""
    return name.casefold() in _nickname_table()[1]


_DIMINUTIVE_ENDINGS = ("ie", "ey", "y", "i")


@lru_cache(maxsize=65536)
def nickname_listed(a: str, b: str, *, variants: bool = False) -> bool:
    """One name heads a row of the nickname list and the other is listed in it
    (with ``variants``, any two names of one row: Natalia and Natasha)."""
    x, y = a.casefold(), b.casefold()
    groups, _heads, row_heads = _nickname_table()
    gx, gy = groups.get(x), groups.get(y)
    if gx and gy:
        for row in gx & gy:
            if variants or row_heads[row] in (x, y):
                return True
    return False


PREFIX_REST = 7  # letters a name may run on past a nickname that opens it


@lru_cache(maxsize=65536)
def given_compatible(a: str, b: str) -> bool:
    """True when two given names can name one person (equal, or nickname and name).

    Rules: the same name; a row of the nickname list that one of them heads and
    the other is listed in (James: Jim, Jimmy); or, unless the shorter one is a
    given name in its own right (it heads a row: "Jane", "Henry"), a prefix of
    at least three letters that leaves at most ``PREFIX_REST`` more (Nat/Natasha,
    Max/Maximilian; not Gil/Gilessenmeyer), a tail of at least four
    (Tasha/Natasha, Bella/Isabella), or a short diminutive in -y/-ie whose stem
    opens the other name (Bucky/Buchanan).
    """
    x, y = a.casefold(), b.casefold()
    if x == y or nickname_listed(x, y):
        return True
    heads = _nickname_table()[1]
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if len(short) < 3 or len(short) == len(long_) or short in heads:
        return False
    if long_.startswith(short):
        return len(long_) - len(short) <= PREFIX_REST
    if len(short) >= 4 and long_.endswith(short):
        return True
    if len(short) <= 6:
        for ending in _DIMINUTIVE_ENDINGS:
            if short.endswith(ending):
                stem = short[: -len(ending)]
                # "bucky" -> "buck": "buc" opens "buchanan", and "k" sounds as its "c"/"ch"
                return (len(stem) >= 3 and len(long_) >= len(stem) + 2
                        and long_.startswith(stem[:3])
                        and (stem[3:4] == long_[3:4] or (stem[3:4] == "k" and long_[3:4] == "h")))
    return False


_SURNAME_FORMS = (("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("off", "ov"), ("ff", "v"),
                  ("skaya", "sky"), ("ska", "ski"), ("sky", "ski"))


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    """A key equal for spelling variants of one surname (Romanoff, Romanov, Romanova)."""
    s = name.casefold().replace("’", "'")
    for tail, repl in _SURNAME_FORMS:
        if s.endswith(tail) and len(s) - len(tail) >= 3:
            return s[: -len(tail)] + repl
    return s
