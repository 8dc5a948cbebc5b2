"""A synthetic library for benchmarks and tests: AO3-shaped works, made up.

Nothing here comes from a real work. Fandoms, characters and authors are
generated names; tags follow AO3-like distributions (Zipf-like popularity of
fandoms and additional tags, relationships drawn from one fandom's characters,
ratings and warnings in plausible shares); word counts are log-normal; the
text is sentences drawn from a small word list of common English words
(contractions written with a typographic apostrophe) and a long tail of made-up
rarer words (standing in for the names, places and uncommon words of real
stories), with Zipf-like frequencies, and the characters' names sprinkled in,
so full-text search has realistic posting lists to work through: a few words
are in every work, most are in a few percent of them or fewer.

The stated word count of a synthetic work is its real count (AO3's rules);
texts are kept between ``min_words`` and ``max_words`` so 100,000 works stay
around a gigabyte.

>>> works = list(synth_works(3, seed=1))
>>> [w.ao3_id for w in works] == [w.ao3_id for w in synth_works(3, seed=1)]
True
>>> all(w.words == w.text_words and w.tags.fandoms for w in works)
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ficshelf.model import ArchiveWarning, Category, Chapter, Rating, Stats, Tags, Work
from ficshelf.store.base import AddResult, Store

__all__ = ["FREEFORMS", "VOCABULARY", "SynthOptions", "build_library", "rare_words", "synth_works"]

# Most frequent first: the Zipf weights follow this order.
VOCABULARY: Final = tuple(dict.fromkeys("""
the and to a of he she was it in that his her you i with on for had as at but they
said not be is him what this from were up out have all there would so one by could back
like when them just no into over if we my did your me know about then been down only
didn’t don’t it’s i’m can’t wasn’t couldn’t he’d she’d won’t that’s hand eyes face head
time way around something thought looked away again before still even through door room
more than too now here look where because after never other right felt think how who
want going get see some little long good much off turned went made come let well voice
last first against enough nothing night day moment while smile quiet under across light
behind toward another each same hair small word words pulled asked knew every almost
world feel made kind maybe though head open side hands other again heart breath shoulder
sure already anything rest slowly since without fingers tell always why need mouth body
stood softly table home floor window wall bed morning someone love left might until
better house dark cold warm soft lips sound laugh sat found keep started tried years
should tea coffee kitchen rain snow wind fire water sky stars sea city street road car
train letter book paper pen name friend brother sister mother father king queen prince
sword ship dragon magic spell castle forest river mountain village school class team
game match training mission captain doctor office phone message bag coat shirt boots
blood wound pain tired sleep dream dreams memory memories silence shadow shadows gold
silver glass stone iron wood leaf leaves flower garden bread soup wine cup plate bowl
chair couch blanket pillow lamp candle map key lock box gift ring necklace scar mark
bruise bandage kiss hug touch hold held breathe breathing whisper whispered shouted
laughed smiled frowned nodded shrugged sighed blinked swallowed grinned winced froze
waited watched listened answered reached pressed leaned stepped walked ran fell rose
stayed left returned remembered forgot wanted needed tried wondered realised noticed
careful gentle quick sudden bright pale sharp heavy empty full broken quiet loud
strange familiar impossible ridiculous stupid brilliant beautiful terrible awful fine
safe alone together tomorrow yesterday tonight today later soon once twice forever
nearly barely really very quite rather perhaps probably certainly finally suddenly
honestly exactly simply gently quietly slowly carefully anyway besides instead
somewhere nowhere everywhere everyone anyone nobody somebody everything yourself
himself herself myself themselves ourselves inside outside above below between beside
beneath beyond within along among during except near past since toward upon
autumn winter spring summer december june evening afternoon midnight dawn dusk hour
minute second week month year festival wedding funeral party dance song music piano
violin guitar letterbox bicycle lantern compass harbour tavern library tower bridge
market square alley rooftop balcony staircase corridor cellar attic garden orchard
meadow cliff shore island harbor storm thunder lightning fog mist frost ice ember ash
smoke dust salt honey sugar lemon apple cherry plum pear mint cinnamon ginger pepper
""".split()))  # noqa: SIM905 (a word list reads best as text)

_ADJECTIVES: Final = ("Silver", "Quiet", "Broken", "Golden", "Hollow", "Bright", "Last", "Lost",
                      "Crimson", "Winter", "Burning", "Gentle", "Wild", "Distant", "Paper",
                      "Glass", "Iron", "Velvet", "Salt", "Starlit", "Sleeping", "Wandering",
                      "Secret", "Small", "Endless", "Borrowed", "Second", "Northern", "Hidden")
_NOUNS: Final = ("Crown", "Harbour", "Garden", "Road", "Tide", "Lantern", "Kingdom", "Orchard",
                 "Academy", "Court", "Empire", "Station", "Circus", "Archive", "Hour", "Sky",
                 "Bridge", "Tower", "Sea", "Forest", "Choir", "Rebellion", "Heir", "Saga",
                 "Chronicles", "Frontier", "Guild", "Signal", "Compass", "Ember")
_MEDIA: Final = (" (TV)", " - All Media Types", " (Video Game)", " (Anime & Manga)", " (Movies)",
                 " (Comics)", " - Author", " (Web Series)", "", "")
_SYLLABLES: Final = ("ka", "el", "mir", "an", "dor", "ri", "sa", "ven", "lo", "tha", "is", "bel",
                     "cor", "na", "ju", "le", "ta", "mo", "rin", "ash", "ly", "qu", "ez", "ar",
                     "fen", "wyn", "os", "ha", "ni", "gal", "ro", "see", "da", "vi", "ul", "pe")
FREEFORMS: Final = (
    "Fluff", "Angst", "Hurt/Comfort", "Alternate Universe - Canon Divergence", "Slow Burn",
    "Established Relationship", "Friends to Lovers", "Enemies to Lovers", "Fluff and Angst",
    "Romance", "Happy Ending", "Humor", "Found Family", "Alternate Universe - Modern Setting",
    "Mutual Pining", "Angst with a Happy Ending", "Smut", "Domestic Fluff", "First Kiss",
    "Pining", "Hurt No Comfort", "Post-Canon", "Pre-Canon", "Canon Compliant", "Missing Scene",
    "Character Study", "Introspection", "Whump", "Sick Fic", "Nightmares", "Grief/Mourning",
    "Trauma", "Recovery", "Light Angst", "Crack", "Crack Treated Seriously", "Fake Dating",
    "Soulmates", "Soulmate AU", "Alternate Universe - Coffee Shops & Cafés", "Time Travel",
    "Fix-It", "Road Trip", "Christmas", "Halloween", "Secret Santa", "Bed Sharing",
    "Only One Bed", "Getting Together", "Love Confessions", "Minor Character Death",
    "Character Death", "Violence", "Blood and Injury", "Torture", "Dark", "Dead Dove: Do Not Eat",
    "Protective", "Jealousy", "Misunderstandings", "Miscommunication", "Secret Relationship",
    "Arranged Marriage", "Royalty", "Magic", "Alternate Universe - Fantasy", "Space Opera",
    "Alternate Universe - College/University", "Alternate Universe - High School",
    "Teacher-Student Relationship", "Sibling Bonding", "Family Feels", "Parent-Child Relationship",
    "Kid Fic", "Poetry", "Drabble", "Ficlet", "One Shot", "Prompt Fill", "Drabble Collection",
    "Epistolary", "Texting", "Social Media", "Unreliable Narrator", "Second Person",
    "Non-Linear Narrative", "Alternate Universe - Soulmates", "Canon-Typical Violence",
    "Cuddling & Snuggling", "Kissing", "Praise Kink", "Banter", "Idiots in Love",
    "Oblivious", "Emotional Hurt/Comfort", "Panic Attacks", "Anxiety", "Depression",
    "Self-Harm", "Suicidal Thoughts", "Implied/Referenced Character Death", "Ghosts", "Vampires",
    "Werewolves", "Witches", "Dragons", "Mermaids", "Fairy Tale Retelling", "Cooking", "Baking",
    "Rain", "Snow", "Stargazing", "Picnics", "Beach Day", "Dancing", "Music", "Books",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class SynthOptions:
    """Knobs for the generator (defaults give AO3-like shapes)."""

    fandoms: int = 400
    authors: int = 40_000
    min_words: int = 150
    max_words: int = 5_000
    median_words: int = 1_000
    words_sigma: float = 0.9
    first_ao3_id: int = 1_000_000
    rare_words: int = 20_000
    rare_share: float = 0.25


def _zipf_cum(n: int, exponent: float = 1.05) -> list[float]:
    return list(itertools.accumulate(1.0 / (k ** exponent) for k in range(1, n + 1)))


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


@dataclass(frozen=True, slots=True)
class _Fandom:
    name: str
    characters: tuple[str, ...]
    char_cum: tuple[float, ...]


def _fandoms(rng: random.Random, n: int) -> list[_Fandom]:
    out: list[_Fandom] = []
    seen: set[str] = set()
    while len(out) < n:
        base = f"The {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
        if rng.random() < 0.3:
            base = f"{_name(rng, 2)} {rng.choice(_NOUNS)}"
        name = base + rng.choice(_MEDIA)
        if name in seen:
            continue
        seen.add(name)
        cast = max(4, int(rng.lognormvariate(math.log(14), 0.6)))
        chars = tuple(dict.fromkeys(
            f"{_name(rng, rng.choice((1, 2, 2)))} {_name(rng, rng.choice((2, 3)))}"
            for _ in range(cast)))
        out.append(_Fandom(name, chars, tuple(_zipf_cum(len(chars), 1.1))))
    return out


def rare_words(count: int, *, seed: int = 0) -> tuple[str, ...]:
    """Made-up words for the long tail of the vocabulary (real texts have many
    words that only some works use: names, places, things)."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    vocabulary = set(VOCABULARY)
    while len(out) < count:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in vocabulary:
            out[word] = None
    return tuple(out)


class _TextMaker:
    """Words drawn Zipf-like from ``VOCABULARY`` (three words in four) and from
    ``rare_words`` (one in four); the characters' given names are sprinkled in
    (one word in fifty). A rare word of rank k is in about 1 - exp(-33/k) of
    1,400-word works: all of them for the first few, 3% at rank 1,000."""

    def __init__(self, rng: random.Random, *, rare: int, rare_share: float) -> None:
        self.rng = rng
        tail = rare_words(rare, seed=rng.randint(0, 1 << 30))
        self.vocabulary = VOCABULARY + tail
        head_cum, tail_cum = _zipf_cum(len(VOCABULARY)), _zipf_cum(len(tail)) if tail else [1.0]
        head_scale = (1 - rare_share) / head_cum[-1]
        tail_scale = rare_share / tail_cum[-1]
        self.cum = [c * head_scale for c in head_cum]
        self.cum += [self.cum[-1] + c * tail_scale for c in tail_cum[:len(tail)]]

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cum, k=n)

    def prose(self, n: int, names: Sequence[str] = ()) -> str:
        """Exactly ``n`` AO3 words in sentences and paragraphs."""
        rng = self.rng
        tokens = self.words(n)
        if names:
            for i in rng.sample(range(n), n // 50):
                tokens[i] = rng.choice(names)
        paragraphs: list[str] = []
        sentences: list[str] = []
        i = 0
        while i < n:
            length = rng.randint(3, 18)
            chunk = tokens[i:i + length]
            i += length
            s = " ".join(chunk)
            s = s[0].upper() + s[1:] + rng.choice((".", ".", ".", ".", "?", "!", "…"))
            if rng.random() < 0.2:
                s = f"“{s}”"
            sentences.append(s)
            if len(sentences) >= rng.randint(2, 7) or i >= n:
                paragraphs.append(" ".join(sentences))
                sentences = []
                if rng.random() < 0.02 and i < n:
                    paragraphs.append("* * *")
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        rng = self.rng
        pattern = rng.random()
        if pattern < 0.35:
            return f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
        words = self.words(rng.randint(2, 6))
        return " ".join(w.capitalize() for w in words)


def _dates(rng: random.Random) -> tuple[dt.date, dt.date]:
    start = dt.date(2009, 1, 1).toordinal()
    end = dt.date(2024, 12, 31).toordinal()
    published = start + int((end - start) * rng.random() ** 0.7)
    updated = published if rng.random() < 0.6 else min(end, published + int(rng.expovariate(1 / 120)))
    return dt.date.fromordinal(published), dt.date.fromordinal(updated)


_RATINGS: Final = (Rating.GENERAL, Rating.TEEN, Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED)
_RATING_CUM: Final = tuple(itertools.accumulate((24, 31, 19, 21, 5)))
_LANGS: Final = ("English",) * 90 + ("Español", "Français", "Deutsch", "Русский", "中文-普通话 國語",
                                     "Português brasileiro", "Italiano", "日本語", "Polski", "한국어")


def synth_works(n: int, *, seed: int = 0, options: SynthOptions | None = None) -> Iterator[Work]:
    """``n`` synthetic works; the same seed and options give the same works (and
    the first ``k`` of ``n`` are the ``k`` works asked for alone)."""
    opts = options or SynthOptions()
    rng = random.Random(seed)
    fandoms = _fandoms(rng, opts.fandoms)
    fandom_cum = _zipf_cum(len(fandoms), 1.0)
    authors = [f"{_name(rng, rng.randint(2, 3))}{rng.choice(('', '', str(rng.randint(1, 99))))}"
               for _ in range(opts.authors)]
    author_cum = _zipf_cum(len(authors), 0.8)
    freeform_cum = _zipf_cum(len(FREEFORMS), 0.9)
    text = _TextMaker(rng, rare=opts.rare_words, rare_share=opts.rare_share)
    mu = math.log(opts.median_words)
    for i in range(n):
        ao3_id = opts.first_ao3_id + 17 * i + rng.randrange(17)  # unique, increasing, gappy
        crossover = rng.random() < 0.08
        picked = rng.choices(fandoms, cum_weights=fandom_cum, k=2 if crossover else 1)
        picked = list(dict.fromkeys(picked))
        main = picked[0]
        characters = list(dict.fromkeys(rng.choices(main.characters, cum_weights=main.char_cum,
                                                    k=rng.randint(1, 6))))
        relationships: list[str] = []
        for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
            pair = rng.choices(main.characters, cum_weights=main.char_cum, k=2)
            if pair[0] != pair[1]:
                relationships.append(f"{pair[0]}{'/' if rng.random() < 0.75 else ' & '}{pair[1]}")
                characters.extend(c for c in pair if c not in characters)
        romantic = any("/" in r for r in relationships)
        categories = ((rng.choices((Category.MM, Category.FM, Category.FF, Category.MULTI),
                                   weights=(48, 30, 15, 7))[0],) if romantic else (Category.GEN,))
        rating = rng.choices(_RATINGS, cum_weights=_RATING_CUM)[0]
        warn_roll = rng.random()
        warnings = ((ArchiveWarning.NONE_APPLY,) if warn_roll < 0.5 else
                    (ArchiveWarning.CHOSE_NOT_TO_WARN,) if warn_roll < 0.85 else
                    tuple(dict.fromkeys(rng.choices(
                        (ArchiveWarning.VIOLENCE, ArchiveWarning.MAJOR_CHARACTER_DEATH,
                         ArchiveWarning.RAPE_NONCON, ArchiveWarning.UNDERAGE),
                        weights=(60, 30, 7, 3), k=rng.randint(1, 2)))))
        freeforms = list(dict.fromkeys(rng.choices(FREEFORMS, cum_weights=freeform_cum,
                                                   k=min(15, int(rng.expovariate(1 / 4)) + 1))))
        if rng.random() < 0.15:  # the long tail of one-off tags
            freeforms.append(f"{rng.choice(_ADJECTIVES)} {text.words(1)[0]} {rng.choice(_NOUNS)}")
        total = int(min(opts.max_words, max(opts.min_words, rng.lognormvariate(mu, opts.words_sigma))))
        n_chapters = 1 if rng.random() < 0.55 or total < 800 else min(30, 2 + int(rng.expovariate(1 / 4)))
        sizes = [total // n_chapters + (1 if i < total % n_chapters else 0) for i in range(n_chapters)]
        names = [c.split()[0] for c in characters]
        chapters = tuple(Chapter(number=i + 1, text=text.prose(size, names),
                                 title=None if n_chapters == 1 or rng.random() < 0.5 else text.title())
                         for i, size in enumerate(sizes))
        complete = n_chapters == 1 or rng.random() < 0.6
        hits = int(rng.lognormvariate(math.log(1500), 1.3))
        kudos = int(hits * rng.betavariate(2, 28))
        published, updated = _dates(rng)
        yield Work(
            title=text.title(),
            authors=tuple(dict.fromkeys(rng.choices(authors, cum_weights=author_cum,
                                                    k=1 if rng.random() < 0.93 else 2))),
            summary=text.prose(rng.randint(15, 80)),
            notes=text.prose(rng.randint(5, 40)) if rng.random() < 0.4 else None,
            language=rng.choice(_LANGS),
            published=published,
            updated=updated if n_chapters > 1 else published,
            complete=complete,
            chapter_count=n_chapters,
            chapters_expected=n_chapters if complete else rng.choice((None, n_chapters + 3)),
            words=total,
            stats=Stats(kudos=kudos, hits=hits, bookmarks=int(kudos * rng.betavariate(2, 10)),
                        comments=int(kudos * rng.betavariate(2, 14))),
            tags=Tags(rating=rating, warnings=warnings, categories=categories,
                      fandoms=tuple(f.name for f in picked), relationships=tuple(relationships),
                      characters=tuple(characters), freeforms=tuple(freeforms)),
            ao3_id=str(ao3_id),
            url=f"https://archiveofourown.org/works/{ao3_id}",
            source_format="synthetic",
            chapters=chapters,
        )


def build_library(store: Store, n: int, *, seed: int = 0, options: SynthOptions | None = None,
                  batch_size: int = 1_000,
                  progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Add ``n`` synthetic works to ``store``; return counts and seconds spent."""
    started = time.perf_counter()
    added = failed = 0
    batch: list[Work] = []
    gen_seconds = 0.0
    works = synth_works(n, seed=seed, options=options)
    while True:
        t0 = time.perf_counter()
        batch = list(itertools.islice(works, batch_size))
        gen_seconds += time.perf_counter() - t0
        if not batch:
            break
        results: Sequence[AddResult | Exception] = store.add_many(batch, batch_size=batch_size)
        added += sum(1 for r in results if isinstance(r, AddResult))
        failed += sum(1 for r in results if not isinstance(r, AddResult))
        if progress is not None:
            progress(added + failed)
    total = time.perf_counter() - started
    return {"works": added, "failed": failed, "seconds": round(total, 1),
            "generate_seconds": round(gen_seconds, 1), "store_seconds": round(total - gen_seconds, 1)}
