"""Link clusters to a canon knowledge base: AO3 tags, merged aliases, codenames.

Runs only when a ``CanonBase`` is given. The fandom is chosen from the text:
the fandom whose characters the most clusters name, when the evidence is clear
(a full name; a titled surname and a second character; three characters; see
``choose_fandoms``). Each cluster then takes the canon character its names point to;
a name shared by several canon characters ("James") goes to the one another
cluster already claims, or to the one a listed ship joins to a character already
linked ("Peter" beside Tony Stark is Peter Parker); a family's surname that is
also a word ("Spring") goes to the one of the family the story has. A full name the text gives
refuses a canon character whose surname (or given name) it contradicts: "Harry
Evans" is neither Harry Potter nor Lily Evans. Clusters that reach one canon character are merged
("Bucky" and "James"), and capitalised forms that are that character's names
or titles ("Captain America", "Black Widow") join as aliases when the text
uses them. A character whose name is a title with "the" ("the Doctor", "the
Master") is read from the text itself, since no name form holds a bare title.
Epithets are taken only with this canon evidence.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ficshelf.canon import CanonBase, CanonCharacter, Fandom, bare_tag, canon_key
from ficshelf.understand.cast import Cast, Cluster, add_capitals
from ficshelf.understand.descriptions import acts
from ficshelf.understand.document import Document
from ficshelf.understand.keys import CANON_CAST, CAST, NAME_SCAN
from ficshelf.understand.mentions import FormKey, FormStats, NameScan
from ficshelf.understand.names import (
    TITLES,
    given_compatible,
    is_given_name,
    surname_key,
    title_gender,
)

__all__ = ["CanonLike", "CanonLink", "choose_fandoms", "link_cast", "rank_epithets",
           "surname_conflict", "tagged_fandoms"]

CanonLike = CanonBase
_MAX_CLUSTERS = 80

# How strongly a form names a canon character: a name the canon marks as also an
# everyday word ("Will", "Sans") that the text also writes in lower case, or only
# capitalised; a common given name alone ("James"), another one-word name, a title
# before the character's surname ("Agent Romanoff", "Mrs. Miller"), a full name or
# full title.
AMBIGUOUS_WORD, AMBIGUOUS_NAME, COMMON, WEAK, TITLED, FULL = -3, -2, -1, 0, 1, 2
Candidate = tuple[Fandom, CanonCharacter, int, int]   # fandom, character, strength, mentions


def _surnames(char: CanonCharacter) -> set[str]:
    """The character's surnames: last words of its full names, never a first word
    ("Darcy" is Darcy Lewis's given name, "Lewis" her surname)."""
    firsts: set[str] = set()
    lasts: set[str] = set()
    for name in (char.bare_tag, *char.names):
        parts = name.replace('"', " ").split()
        if len(parts) > 1:
            firsts.add(surname_key(parts[0]))
            lasts.add(surname_key(parts[-1]))
    return lasts - firsts


def _link(c: Cluster, ch: CanonCharacter) -> None:
    """Make ``c`` the story's ``ch``."""
    c.canon, c.canon_name, c.canon_gender = ch.tag, ch.bare_tag, ch.gender


def _gender_conflict(title: str, char: CanonCharacter) -> bool:
    """A title of one gender before a character of the other ("Mr. Darcy" is not
    Darcy Lewis), unless the canon gives the character that title ("Ser Brienne").

    >>> brienne = CanonCharacter(tag="Brienne of Tarth", names=("Brienne",),
    ...                          titles=("Ser Brienne",), gender="f")
    >>> _gender_conflict("Ser", brienne), _gender_conflict("Mr", brienne)
    (False, True)
    """
    g = title_gender(title) if title else None
    return g is not None and char.gender in ("m", "f") and g != char.gender \
        and not any(t.split(" ", 1)[0].rstrip(".") == title for t in char.titles)


def _lookup(canon: CanonBase, key: FormKey, st: FormStats, lower: Mapping[str, int] | None = None
            ) -> list[tuple[Fandom, CanonCharacter, int]]:
    """Canon characters a form can name, with how strongly (``AMBIGUOUS_WORD`` to ``FULL``).

    A name the canon marks as an everyday word is looked up only when ``lower``
    (the text's lower-case word counts) is given: ``AMBIGUOUS_NAME`` when the
    text never writes it (or, for a phrase, any of its words) in lower case ("Sans",
    "Papyrus" in an Undertale story), else ``AMBIGUOUS_WORD`` ("Will", "Hope").
    """
    title, toks = key
    text = " ".join(toks)
    out: list[tuple[Fandom, CanonCharacter, int]] = []
    seen: set[int] = set()
    for probe in ((st.surface, text) if title else (text,)):
        for fandom, char in canon.characters_named(probe):
            if id(char) in seen:
                continue
            seen.add(id(char))
            if _gender_conflict(title, char):
                continue
            # a full name, or a title before the character's surname ("Agent Romanoff");
            # a title before a given name ("Miss Josie", "Uncle Ben", "Mr. Darcy" for
            # Darcy Lewis) says little about the fandom
            ambiguous = char.is_ambiguous(probe)
            if ambiguous and not title:
                if lower is None:
                    continue
                # the lower-case counts are of single words: a phrase ("Prince
                # Charming") is a name only when none of its words is written in lower case
                written = any(lower.get(t.lower(), 0) for t in toks)
                out.append((fandom, char, AMBIGUOUS_WORD if written else AMBIGUOUS_NAME))
                continue
            if len(toks) == 1 and is_given_name(toks[0]):
                strong = COMMON
            elif ambiguous:
                strong = WEAK
            elif len(toks) > 1:
                strong = FULL
            elif title and surname_key(toks[0]) in _surnames(char):
                strong = TITLED
            else:
                strong = WEAK
            out.append((fandom, char, strong))
    return out


def choose_fandoms(cands: Sequence[list[Candidate]],
                   keywords: Counter[str] | None = None, *, by_tag: dict[str, Fandom] | None = None,
                   common: Sequence[bool] = (), totals: Sequence[int] = ()) -> list[Fandom]:
    """Fandoms the text names clearly, best first.

    Each cluster votes once for each fandom with a character it may name.
    ``common[i]`` says cluster ``i`` is named only by common given names ("Jane",
    "Peter"), which stories of any fandom use: they count, but a fandom also needs
    distinctive evidence of its own: a full name, a name that is no common given
    name ("Bucky", "Thor"), or a setting keyword. A full name written twice is enough
    alone; written once ("Mr. Mark Twain" on a novel's title page) it is one more name.
    A title before a surname ("Agent Romanoff") is strong evidence when the text also
    names a setting word, or another of the fandom's characters by a name that is no
    common given name (or two more characters): "Mrs. Miller" alone is anyone's
    neighbour, and "Judge Miller" with "Buck" is a dog's story. A name
    that is also an everyday word (``AMBIGUOUS_NAME``: "Sans", "Papyrus") counts
    like a common given name, never as a fandom's own character. Two
    names are enough when they name two of the fandom's characters, one of them
    no other fandom's and the other by a name that is no common given name ("Kay"
    and "Cassian" in a Rogue One story, though another fandom has a Cassian).
    ``keywords`` counts distinct setting keywords of each fandom seen in the text
    ("Hydra", "Hogwarts"); each adds one vote, at most two in all. With ``totals``
    (each cluster's mentions, the clusters most named first), a fandom whose three
    characters are the text's three most named people is clear whatever names they go
    by (Dean, Sam and Bobby), when no other fandom's are (``_lead_cast``); so is one of
    which four names name three characters, whatever names they are ("Lena", "Angela",
    "Mercy" and "Winston": common given names, and one everyday word, that together are
    no chance meeting; it chooses a fandom for no novel or LitBank excerpt of either
    split).
    """
    score: Counter[str] = Counter()
    strong: Counter[str] = Counter()
    full: Counter[str] = Counter()
    distinct: Counter[str] = Counter()
    only: dict[str, set[str]] = {}   # canon characters of clusters that name one fandom only
    named: dict[str, set[str]] = {}  # canon characters any cluster may name
    sure: dict[str, set[str]] = {}   # ... by a name that is not a common given name
    tags: dict[str, Fandom] = dict(by_tag or {})
    for i, cl in enumerate(cands):
        fandoms = {f.tag for f, _, _, _ in cl}
        written: Counter[tuple[str, str]] = Counter()  # mentions of each candidate, all forms
        for f, ch, _s, n in cl:
            written[f.tag, ch.tag] += n
        for f, _, _s, _ in cl:
            tags[f.tag] = f
        if len(fandoms) == 1 and any(s > AMBIGUOUS_NAME for _, _, s, _ in cl):
            only.setdefault(next(iter(fandoms)), set()).update(ch.tag for _, ch, _, _ in cl)
        for f, ch, _s, _ in cl:
            named.setdefault(f.tag, set()).add(ch.tag)
        for tag in fandoms:
            score[tag] += 1
            best = max(s for f, _, s, _ in cl if f.tag == tag)
            strong[tag] += best > WEAK
            # a full name the text writes only once ("Mr. Mark Twain" on a title page)
            # is one more name, not the fandom's signature
            full[tag] += any(written[tag, ch.tag] >= 2
                             for f, ch, s, _ in cl if f.tag == tag and s == FULL)
            if best > COMMON and not (i < len(common) and common[i]):
                distinct[tag] += 1
                sure.setdefault(tag, set()).update(ch.tag for f, ch, s, _ in cl
                                                   if f.tag == tag and s > COMMON)
    kw: Counter[str] = Counter()
    for tag, n in (keywords or Counter()).items():
        kw[tag] = min(n, 2)
        score[tag] += kw[tag]
    ranked = sorted(score, key=lambda t: (-(score[t] + strong[t]), t))

    def clear(t: str) -> bool:
        """Enough for fandom ``t``: common given names ("Peter", "Jane") alone never are."""
        names, chars = score[t] - kw[t], named.get(t, set())
        # a full name; a titled surname with a setting word, or with a second character
        # named by no common given name, or with two more characters
        if full[t] or (strong[t] and (kw[t] or len(sure.get(t, set())) >= 2
                                      or len(chars) >= 3)):
            return True
        if distinct[t] < 1 and kw[t] < 2 and not (names >= CROWD_NAMES and len(chars) >= 3):
            # common given names and a stray place name
            return False
        mine = only.get(t, set())
        return (
            # three names for three characters ("Lady Agatha", "Aunt Agatha" and "Parker" are two)
            (names >= 3 and len(chars) >= 3)
            # two and a setting word, or two characters no other fandom has, or one that
            # no other fandom has and one by no common given name ("Kay" and "Cassian")
            or (names >= 2 and (kw[t] >= 1 or len(mine) >= 2
                                or (bool(mine) and bool(sure.get(t, set()) - mine))))
            or (names >= 1 and kw[t] >= 2))

    lead = _lead_cast(cands, totals)
    keep = [t for t in ranked if t in tags and (clear(t) or t == lead)]
    if not keep:
        return []
    best = score[keep[0]] + strong[keep[0]]
    return [tags[t] for t in keep if score[t] + strong[t] >= max(3, best // 2)][:2] or [
        tags[keep[0]]]


#: Names (clusters) of one fandom's characters, at least three of them, that choose it
#: even when every one is a common given name.
CROWD_NAMES = 4
LEAD = 3  # the text's most named people that, all one fandom's characters, name it


def _lead_cast(cands: Sequence[list[Candidate]], totals: Sequence[int]) -> str | None:
    """The one fandom with three different characters among the names of the text's
    three most named people (each named at least three times), if only one has.

    Common given names alone rarely meet it by chance: the novels and LitBank
    excerpts of the dev split have at most two of their most named people in any one
    fandom, while a Supernatural story's Dean, Sam and Bobby are all three.

    >>> f, g = Fandom(tag="F"), Fandom(tag="G")
    >>> a, b, c = (CanonCharacter(tag=t, names=(t,)) for t in "ABC")
    >>> _lead_cast([[(f, a, COMMON, 9)], [(f, b, COMMON, 5), (g, b, COMMON, 5)],
    ...             [(f, c, COMMON, 3)]], [9, 5, 3])
    'F'
    >>> _lead_cast([[(f, a, COMMON, 9)], [(f, a, COMMON, 5)], [(f, c, COMMON, 3)]], [9, 5, 3])
    """
    top = [i for i in range(min(len(cands), len(totals), LEAD)) if totals[i] >= LEAD]
    if len(top) < LEAD:
        return None
    found: list[str] = []
    for tag in sorted({f.tag for i in top for f, _c, _s, _n in cands[i]}):
        chars = [{ch.tag for f, ch, _s, _n in cands[i] if f.tag == tag} for i in top]
        if all(chars) and any(len(set(pick)) == LEAD for pick in itertools.product(*chars)):
            found.append(tag)
    return found[0] if len(found) == 1 else None


def _surname_conflict(c: Cluster, ch: CanonCharacter) -> bool:
    """The text gives the person a surname that none of the canon character's names
    holds ("King Arthur Pendragon" is not Arthur Weasley; "Frederick Wentworth" is
    not Frederick Chilton). Only when both sides have full names.

    >>> from ficshelf.understand.mentions import FormStats
    >>> c = Cluster()
    >>> c.add(("", ("Arthur", "Pendragon")), FormStats(total=1))
    >>> _surname_conflict(c, CanonCharacter(tag="Arthur Weasley", names=("Arthur Weasley",)))
    True
    >>> _surname_conflict(c, CanonCharacter(tag="Arthur Pendragon (Merlin)", names=("Arthur",)))
    False
    >>> o = Cluster()
    >>> o.add(("", ("Obi", "Wan")), FormStats(total=1))
    >>> _surname_conflict(o, CanonCharacter(tag="Obi-Wan Kenobi", names=("Obi-Wan Kenobi",)))
    False
    >>> w = Cluster()
    >>> w.add(("", ("Black", "Widow")), FormStats(total=1))
    >>> _surname_conflict(w, CanonCharacter(tag="Natasha Romanov", names=("Natasha Romanov",),
    ...                                     titles=("the Black Widow",)))
    False
    """
    return surname_conflict(c.fulls, ch)


def surname_conflict(fulls: Sequence[Sequence[str]], ch: CanonCharacter) -> bool:
    """Whether the full names a text gives one person (their words) hold a surname none
    of the canon character's names holds (see ``_surname_conflict``)."""
    titles = {canon_key(t).removeprefix("the ") for t in ch.titles}
    fulls = [f for f in fulls if canon_key(" ".join(f)) not in titles]  # "Black Widow"
    if not fulls:
        return False
    words: set[str] = set()
    full = False
    for name in (ch.bare_tag, *ch.names):
        parts = name.replace('"', " ").split()
        if len(parts) > 1:
            full = True
        # "Obi Wan" writes Obi-Wan's given name in two words
        words.update(surname_key(w) for part in parts for w in {part, *part.split("-")})
    return full and not any(surname_key(f[-1]) in words for f in fulls)


def _given_conflict(c: Cluster, ch: CanonCharacter) -> bool:
    """The text gives the person a full name whose given name is none of the canon
    character's ("Harry Evans" is not Lily Evans, whatever surname they share). Only
    when every full name of the cluster opens with a given name.

    >>> from ficshelf.understand.mentions import FormStats
    >>> c = Cluster()
    >>> c.add(("", ("Harry", "Evans")), FormStats(total=1))
    >>> lily = CanonCharacter(tag="Lily Evans Potter", names=("Lily Evans", "Lily"))
    >>> _given_conflict(c, lily)
    True
    >>> j = Cluster()
    >>> j.add(("", ("Jim", "Kirk")), FormStats(total=1))
    >>> _given_conflict(j, CanonCharacter(tag="James T. Kirk", names=("James Kirk",)))
    False
    """
    titles = {canon_key(t).removeprefix("the ") for t in ch.titles}
    givens = [f[0] for f in c.fulls if canon_key(" ".join(f)) not in titles]
    if not givens or not all(is_given_name(g) for g in givens):
        return False
    words = {w for name in (ch.bare_tag, *ch.names)
             for w in name.replace('"', " ").replace("-", " ").split()}
    return not any(given_compatible(g, w) for g in givens for w in words)


def _candidates(c: Cluster, canon: CanonBase, lower: Mapping[str, int] | None = None
                ) -> list[Candidate]:
    """The canon characters the cluster's forms may name (ambiguous names too when
    ``lower`` is given, see ``_lookup``)."""
    found: list[Candidate] = []
    titles = {t for t, _ in c.forms if t}
    for key, st in zip(c.forms, c.stats, strict=True):
        found.extend((f, ch, strong, st.total) for f, ch, strong in _lookup(canon, key, st, lower)
                     if not _surname_conflict(c, ch) and not _given_conflict(c, ch)
                     and not any(_gender_conflict(t, ch) for t in titles))
    return found


_THE_NAME = re.compile(r"[Tt](?<!\w[Tt])he ([A-Z][a-z]+)\b(?!-[a-z]|[ ][A-Z])")


def _title_names(texts: Sequence[str], canon: CanonBase, fandoms: set[str],
                 chars: dict[str, CanonCharacter], merged: dict[str, Cluster],
                 out: list[Cluster]) -> None:
    """A chosen fandom's character whose name is a title with "the" ("the Doctor",
    "the Master"): no name form holds it, so its mentions are read from the text. Named
    at least twice, once speaking or acting, it joins the cluster linked to that character,
    or becomes one (only one character of the chosen fandoms may bear the name)."""
    owners: dict[str, list[CanonCharacter]] = {}
    for f in canon.all_fandoms():
        if f.tag in fandoms:
            for ch in f.characters:
                for name in ch.names:
                    parts = name.split()
                    if len(parts) == 2 and parts[0] == "the" and parts[1][:1].isupper():
                        owners.setdefault(parts[1], []).append(ch)
    if not owners:
        return
    found: dict[str, FormStats] = {}
    for ci, text in enumerate(texts):
        for m in _THE_NAME.finditer(text):
            word = m.group(1)
            if len(owners.get(word, ())) != 1:
                continue
            st = found.get(word)
            if st is None:
                st = found[word] = FormStats(surface="the " + word)
            st.total += 1
            st.mentions.append((ci, m.start(), m.end()))
            if acts(text, m.start(), m.end()):
                st.verb += 1
    for word, st in found.items():
        ch = owners[word][0]
        if st.total < 2 or not st.verb or any(word in c.tokens for c in out):
            continue  # "the Warden" where "Warden" is a name form already
        home = _home(ch, merged, chars, out)
        home.forms.append(("", ("the", word)))
        home.stats.append(st)


def _distinctive(c: Cluster, canon: CanonBase) -> bool:
    """Every form of the cluster names a canon character by more than a common given
    name ("Oikawa", "Kenobi"; not "Jordan", which is a place too)."""
    return all(any(strong >= WEAK for _f, _ch, strong in _lookup(canon, key, st))
               for key, st in zip(c.forms, c.stats, strict=True))


def _acts(st: FormStats) -> bool:
    """The form acts like a person at least once: a dialogue tag, a call, a title, a
    body, an honorific, a human verb or an auxiliary after it ("At the Temple,
    Amethyst was"), the last two only where capitals are not automatic ("Hope was all
    they had left." is a word)."""
    said = st.strong + st.address
    return said > 0 or (st.mid > 0 and st.verb + st.aux > 0)


def _common(c: Cluster) -> bool:
    """Named only by common given names ("Jane", "Peter"), with or without a title:
    names stories of any fandom use."""
    return all(len(toks) == 1 and is_given_name(toks[0]) for _, toks in c.forms)


def _weights(found: Sequence[Candidate], fandoms: set[str],
             chars: dict[str, CanonCharacter]) -> dict[str, int]:
    """Mention weight of each canon character; full names and titles decide when present.
    Names that are also everyday words alone link only to the one character of the
    fandoms they can name ("Robin" is one of five in DC: none of them)."""
    w: dict[str, int] = {}
    strong: set[str] = set()
    everyday_only = True
    for f, ch, is_strong, n in found:
        if f.tag in fandoms:
            chars[ch.tag] = ch
            w[ch.tag] = w.get(ch.tag, 0) + n
            if is_strong > WEAK:
                strong.add(ch.tag)
            everyday_only = everyday_only and is_strong <= AMBIGUOUS_NAME
    if strong:
        w = {t: v for t, v in w.items() if t in strong}
    elif everyday_only and len(w) > 1:
        return {}
    return w


def _choose(w: dict[str, int], claimed: Counter[str],
            partners: Mapping[str, frozenset[str]] | None = None) -> str | None:
    """The canon character a cluster names: the only one, the one other clusters
    claim (the most named of those, if clearly), a clearly heavier one, or else
    the only one a listed ship joins to a character already claimed ("Peter" beside
    Tony Stark is Peter Parker, of "Peter Parker & Tony Stark", not Peter Quill).

    >>> _choose({"Peter Parker": 5, "Peter Quill": 5}, Counter({"Tony Stark": 9}),
    ...         {"peter parker": frozenset({"tony stark"})})
    'Peter Parker'
    >>> _choose({"Peter Parker": 5, "Peter Quill": 5}, Counter({"Gamora": 9}),
    ...         {"peter parker": frozenset({"tony stark"})}) is None
    True
    """
    if not w:
        return None
    if len(w) == 1:
        return next(iter(w))
    mine = sorted((t for t in w if t in claimed), key=lambda t: -claimed[t])
    if len(mine) == 1:
        return mine[0]
    if len(mine) > 1:
        return mine[0] if claimed[mine[0]] >= 2 * claimed[mine[1]] else None
    ranked = sorted(w, key=lambda t: -w[t])
    if w[ranked[0]] >= 2 * w[ranked[1]]:
        return ranked[0]
    if partners:
        others = {canon_key(t) for t in claimed}
        shipped = [t for t in w if partners.get(canon_key(t), frozenset()) & others]
        if len(shipped) == 1:
            return shipped[0]
    return None


def _family(c: Cluster, found: Sequence[Candidate], fandoms: set[str],
            claimed: Counter[str]) -> str | None:
    """A surname alone that is also an everyday word, shared by a canon family
    ("Spring": Charlie's and Tori's, and a season), names the one of them the story
    already has, when it has one: "Oi, Spring" beside Charlie is Charlie. Only while
    the text never writes the word in lower case (``AMBIGUOUS_NAME``)."""
    words = {toks for _title, toks in c.forms}
    if len(words) != 1 or len(toks := next(iter(words))) != 1:
        return None
    key = surname_key(toks[0])
    tags = {ch.tag for f, ch, strong, _n in found
            if f.tag in fandoms and strong == AMBIGUOUS_NAME and key in _surnames(ch)}
    present = [t for t in tags if t in claimed]
    return present[0] if len(tags) >= 2 and len(present) == 1 else None


def _titled_owners(out: list[Cluster], merged: dict[str, Cluster],
                   chars: dict[str, CanonCharacter], canon: CanonBase,
                   fandoms: set[str]) -> None:
    """A title and a surname the canon gives one character of the chosen fandoms
    ("Sheriff Stilinski", "Chief Yagami", "Mr. Weasley") name that character, though
    the cast put the form with another of the family ("Stiles Stilinski", "Light
    Yagami") or left it unlinked. The form moves to that character's cluster (made if
    the story has none yet), unless its own cluster's character bears it too ("Mr.
    Stark" stays Tony's). An unlinked cluster moves only when the form is all it has."""
    for c in list(out):
        moves: list[tuple[int, CanonCharacter]] = []
        for fi, ((title, _toks), st) in enumerate(zip(c.forms, c.stats, strict=True)):
            if not title:
                continue
            owners = {ch.tag: ch for f, ch in canon.characters_named(st.surface)
                      if f.tag in fandoms}
            if len(owners) == 1 and c.canon not in owners:
                moves.append((fi, next(iter(owners.values()))))
        if not moves or (c.canon is None and len(c.forms) > 1):
            continue
        moved = {fi for fi, _ in moves}
        if c.canon is not None:
            kept = Cluster()
            for fi, (key, st) in enumerate(zip(c.forms, c.stats, strict=True)):
                if fi not in moved:
                    kept.add(key, st)
            kept.canon, kept.canon_name, kept.canon_gender = c.canon, c.canon_name, c.canon_gender
            kept.epithets = c.epithets
            out[out.index(c)] = merged[c.canon] = kept
        else:
            out.remove(c)
        for fi, ch in moves:
            _home(ch, merged, chars, out).add(c.forms[fi], c.stats[fi])


def _home(ch: CanonCharacter, merged: dict[str, Cluster], chars: dict[str, CanonCharacter],
          out: list[Cluster]) -> Cluster:
    """The cluster linked to canon character ``ch``; a new, empty one when the story has
    none yet."""
    home = merged.get(ch.tag)
    if home is None:
        chars[ch.tag] = ch
        home = merged[ch.tag] = Cluster()
        _link(home, ch)
        out.append(home)
    return home


def _partners(fandoms: set[str], canon: CanonBase) -> dict[str, frozenset[str]]:
    """For each character of the chosen fandoms, the characters a listed ship joins it to
    (canon keys)."""
    out: dict[str, set[str]] = {}
    for tag in fandoms:
        fandom = canon.fandom_by_tag(tag)
        for ship in fandom.ships if fandom is not None else ():
            keys = [canon_key(c) for c in ship.characters]
            for k in keys:
                out.setdefault(k, set()).update(o for o in keys if o != k)
    return {k: frozenset(v) for k, v in out.items()}


def tagged_fandoms(tags: Sequence[str], canon: CanonBase) -> list[Fandom]:
    """The canon fandoms an author's fandom tags name (by tag, alias or parent).

    >>> from ficshelf.canon import load_canon
    >>> [f.tag for f in tagged_fandoms(["Captain America (Movies)"], load_canon())]
    ['Marvel Cinematic Universe']
    >>> tagged_fandoms(["Pride and Prejudice - Jane Austen"], load_canon())
    []
    """
    out: list[Fandom] = []
    for tag in tags:
        found = canon.fandom_by_tag(tag) or canon.fandom_by_tag(bare_tag(tag))
        hits = [found] if found is not None else [
            f for f in canon.all_fandoms() if f.parent and canon_key(f.parent) == canon_key(tag)]
        out.extend(f for f in hits if f not in out)
    return out


def link_cast(cast: Cast, scan: NameScan, canon: CanonBase, *,
              work_fandoms: Sequence[str] = (), texts: Sequence[str] = ()) -> Cast:
    """A new cast whose clusters carry canon tags, merged where they name one character.

    The fandoms come from the work's own fandom tags when it has some (a work
    tagged only with fandoms the base does not know links nobody: "Darcy" in a
    Regency romance is not Marvel's Darcy Lewis), else from the text
    (``choose_fandoms``). Clusters set aside as not people join when they name
    a canon character of the chosen fandom unambiguously (a name used only in
    dialogue, say): one that another cluster claims, or, with no place cue ("in X",
    "the X") and by more than a common given name, one nobody claims yet.
    """
    people = list(cast.people[:_MAX_CLUSTERS])
    rest = list(cast.people[_MAX_CLUSTERS:])
    others = list(cast.others)
    # a person's name that is also an everyday word links once other names chose the
    # fandom; it helps choose it only when the text never writes the word in lower case
    cands = [_candidates(c, canon, scan.lower) for c in people]
    if work_fandoms:
        fandoms = {f.tag for f in tagged_fandoms(work_fandoms, canon)}
    else:
        keywords: Counter[str] = Counter()
        by_tag: dict[str, Fandom] = {}
        for key in scan.forms:
            for f in canon.fandoms_with_keyword(" ".join(key[1])):
                keywords[f.tag] += 1
                by_tag[f.tag] = f
        voting = [[cd for cd in cl if cd[2] != AMBIGUOUS_WORD] for cl in cands]
        fandoms = {f.tag for f in choose_fandoms(voting, keywords, by_tag=by_tag,
                                                 common=[_common(c) for c in people],
                                                 totals=[c.total for c in people])}
    if not fandoms:
        return cast
    chars: dict[str, CanonCharacter] = {}
    weights = [_weights(found, fandoms, chars) for found in cands]
    other_weights = [_weights(_candidates(c, canon), fandoms, chars) for c in others]
    choice: list[str | None] = [None] * len(people)
    claimed: Counter[str] = Counter()
    partners = _partners(fandoms, canon)
    order = sorted(range(len(people)), key=lambda i: (len(weights[i]) != 1, -people[i].total))
    for i in order:
        tag = _choose(weights[i], claimed, partners)
        if tag is not None:
            choice[i] = tag
            claimed[tag] += people[i].total
    for i in order:
        if choice[i] is None and not weights[i]:
            choice[i] = _family(people[i], cands[i], fandoms, claimed)
    kept_others: list[Cluster] = []
    for c, w in zip(others, other_weights, strict=True):
        tag = _choose({t: v for t, v in w.items() if t in claimed}, claimed) if w else None
        if tag is None and len(w) == 1 and not c.placed and _distinctive(c, canon):
            tag = next(iter(w))  # "imitation of Oikawa": a name only this fandom's person has
        if tag is None and not w and not c.placed and all(_acts(st) for st in c.stats):
            # "At the Temple, Amethyst was sitting on the roof": an everyday word the canon
            # lists as ambiguous, never written in lower case, that acts like a person
            # each time it is named
            amb = {ch.tag: ch for f, ch, strong, _n in _candidates(c, canon, scan.lower)
                   if f.tag in fandoms and strong == AMBIGUOUS_NAME}
            if len(amb) == 1:
                tag, chars[tag] = next(iter(amb.items()))
        if tag is not None:
            people.append(c)
            choice.append(tag)
        else:
            kept_others.append(c)
    merged: dict[str, Cluster] = {}
    out: list[Cluster] = []
    for c, tag in zip(people, choice, strict=True):
        fresh = Cluster()
        fresh.merge(c)
        if tag is None:
            out.append(fresh)
            continue
        home = merged.get(tag)
        if home is None:
            ch = chars[tag]
            _link(fresh, ch)
            merged[tag] = fresh
            out.append(fresh)
        else:
            home.merge(fresh)
    _titled_owners(out, merged, chars, canon, fandoms)
    # names and titles the text uses that were not proper forms on their own ("the Widow")
    used = {k for c in out for k in c.forms} | {k for c in rest for k in c.forms} | {
        k for c in kept_others for k in c.forms}
    joined: set[FormKey] = set()  # forms no cluster held when capitals were counted
    for key, st in scan.forms.items():
        if key in used:
            continue
        # an everyday word the canon lists as ambiguous only when the text never writes
        # it in lower case and it acts like a person ("Amethyst was sitting", not "Hope
        # was all they had left.", see ``_acts``)
        found = [ch for f, ch, strong in _lookup(canon, key, st, scan.lower)
                 if f.tag in fandoms and strong != AMBIGUOUS_WORD
                 and (strong != AMBIGUOUS_NAME or _acts(st))]
        home = next((merged[ch.tag] for ch in found if ch.tag in merged), None)
        if home is not None:
            home.add(key, st)
            joined.add(key)
        elif len(found) == 1:
            # a name of one of the fandom's people and no one else's, though the text
            # only opens sentences with it ("Hunk made pancakes.", "“Feyre darling,
            # you...”"): that person
            _home(found[0], merged, chars, out).add(key, st)
            joined.add(key)
    # a place the canon personifies ("France laughed", "said America" in Hetalia): its
    # character, when the text has it speak, act or be spoken to
    for key, st in scan.places.items():
        if st.strong + st.address + st.verb == 0:
            continue
        found = [ch for f, ch, strong in _lookup(canon, key, st, scan.lower)
                 if f.tag in fandoms and strong != AMBIGUOUS_WORD]
        if len(found) != 1:
            continue
        _home(found[0], merged, chars, out).add(key, st)
        joined.add(key)
    add_capitals(out, scan, only=joined)  # "RUKIA!" for the "Rukia" that joined here
    if texts:
        _title_names(texts, canon, fandoms, chars, merged, out)
    # a setting keyword of the fandom ("Hydra", "Hogwarts") is not a person
    for c in list(out):
        if c.canon is None and any(f.tag in fandoms for key in c.forms
                                   for f in canon.fandoms_with_keyword(" ".join(key[1]))):
            out.remove(c)
            kept_others.append(c)
    linked = {t: chars[t] for t in merged}
    if texts and any(_ranks(ch) for ch in linked.values()):
        # characters of the fandom the text names, in the cast or not ("Uther," once):
        # a rank they share with a linked one is not the linked one's alone
        named: dict[str, CanonCharacter] = {}
        for key, st in scan.forms.items():
            found = [ch for f, ch, _s in _lookup(canon, key, st) if f.tag in fandoms]
            if len(found) == 1:
                named[found[0].tag] = found[0]
        for tag, epithet in rank_epithets(linked, texts, named=named.values()).items():
            merged[tag].epithets.append(epithet)
    out.sort(key=lambda c: (-c.total, c.name))
    return Cast(people=tuple(out) + tuple(rest), others=tuple(kept_others),
                unresolved=cast.unresolved, groups=cast.groups)


def _ranks(ch: CanonCharacter) -> list[str]:
    """The ranks a character's titles put before a name ("Sergeant Barnes": "sergeant")."""
    out = []
    for title in ch.titles:
        words = title.split()
        if len(words) > 1 and words[0].isalpha() and len(words[0]) > 3 and words[0] in TITLES:
            out.append(words[0].lower())
    return out


def rank_epithets(linked: Mapping[str, CanonCharacter], texts: Sequence[str], *,
                  named: Iterable[CanonCharacter] = ()) -> dict[str, str]:
    """The rank each linked character alone holds in canon ("Sergeant Barnes", "Agent
    Coulson"), as the text describes them with it in lower case ("the sergeant"). A
    character the text ``named`` (in the cast or not) holds its ranks too: with King
    Uther named, "the king" is not King Arthur.

    >>> bucky = CanonCharacter(tag="Bucky", names=("Bucky",), titles=("Sergeant Barnes",))
    >>> steve = CanonCharacter(tag="Steve", names=("Steve",), titles=("Captain Rogers",))
    >>> sam = CanonCharacter(tag="Sam", names=("Sam",), titles=("Captain Wilson",))
    >>> text = ["The sergeant's medals. The captain came."]
    >>> rank_epithets({"Bucky": bucky, "Steve": steve}, text)
    {'Steve': 'the captain', 'Bucky': 'the sergeant'}
    >>> rank_epithets({"Bucky": bucky, "Steve": steve}, text, named=[sam])
    {'Bucky': 'the sergeant'}
    """
    owners: dict[str, set[str]] = {}
    holders = dict(linked)
    for ch in named:
        holders.setdefault(ch.tag, ch)
    for tag, ch in holders.items():
        for rank in _ranks(ch):
            owners.setdefault(rank, set()).add(tag)
    out: dict[str, str] = {}
    for rank, tags in sorted(owners.items()):
        if len(tags) != 1 or not tags <= linked.keys():
            continue
        phrase = re.compile(rf"\b[Tt]he {rank}\b")  # lower case: a description, not "Sergeant"
        if any(phrase.search(t) for t in texts):
            out.setdefault(next(iter(tags)), f"the {rank}")
    return out


@dataclass(frozen=True, slots=True)
class CanonLink:
    """The canon component: ``cast`` -> ``canon_cast``."""

    canon: CanonBase = field(repr=False)
    name: str = "canon"

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({CAST, NAME_SCAN})

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({CANON_CAST})

    def __call__(self, doc: Document) -> dict[str, object]:
        tags = doc.work.tags.fandoms if doc.work is not None else ()
        return {CANON_CAST: link_cast(doc.need(CAST, Cast), doc.need(NAME_SCAN, NameScan),
                                      self.canon, work_fandoms=tags, texts=doc.texts)}
