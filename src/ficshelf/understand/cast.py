"""From name forms to people: which capitalised forms are names, and which name one person.

1. A form is a proper name when it is capitalised where capitals are not
   automatic (mid-sentence), or, seen only at sentence starts, never written in
   lower case and backed by a dialogue tag, a vocative or a title.
2. Forms are clustered: full names that agree (same surname spelling family and
   compatible given names, or a nickname of a middle name: "Bucky Barnes" and
   "James Buchanan Barnes"), then titled forms ("Mr. Darcy"), then single words,
   which join the cluster holding that word (or a nickname of its given name;
   a given name named less often than its nickname joins the nickname's cluster).
   A word shared by several clusters goes to the clearly most frequent one, to
   the only one that is a person, or, mention by mention, to the one named last
   before it (it is still listed as unresolved); used far more often than all of
   them, it names a person of its own. Different given names with one surname,
   and "Mr." with "Mrs." or "Miss", are never merged.
3. A cluster is a person when person cues (dialogue tags, vocatives, titles,
   body-part possessives, human verbs) outweigh place/thing cues ("in X",
   "the X", "of X"). A word nobody says or is called that the text writes in
   lower case at least twice as often ("First Wife", "Stories") is a thing.

>>> from ficshelf.understand.mentions import scan_names
>>> t = ("James Buchanan Barnes was born in Brooklyn. Bucky Barnes grinned. "
...      "“Hey,” Steve said to Bucky. James nodded. Tony Stark and Howard Stark argued. "
...      "Later, Stark left.")
>>> cast = build_cast(scan_names((t,), ([(66, 72)],)))
>>> sorted(c.name for c in cast.people)
['Howard Stark', 'James Buchanan Barnes', 'Steve', 'Tony Stark']
>>> sorted(cast.by_name("Bucky").aliases)
['Bucky', 'Bucky Barnes', 'James', 'James Buchanan Barnes']
>>> cast.unresolved
('Stark',)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field

from ficshelf.canon import HONORIFIC_SUFFIX
from ficshelf.understand.mentions import FormKey, FormStats, NameScan, capital_key
from ficshelf.understand.names import (
    FEMALE_TITLES,
    MALE_TITLES,
    TITLES,
    given_compatible,
    is_full_given_name,
    is_given_name,
    nickname_groups,
    nickname_listed,
    surname_key,
    title_gender,
)

__all__ = ["Cast", "Cluster", "add_capitals", "build_cast", "is_proper"]

_GENDERED_CLASSES = {"Mr": "m", "Mrs": "f", "Miss": "f"}
_GENDERED_TITLES = MALE_TITLES | FEMALE_TITLES | frozenset(_GENDERED_CLASSES)


@dataclass(slots=True)
class Cluster:
    """One person (or one named thing, before the person test)."""

    forms: list[FormKey] = field(default_factory=list)
    stats: list[FormStats] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    givens: set[str] = field(default_factory=set)     # first words of full names, bare words
    middles: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)   # surname keys
    fulls: list[tuple[str, ...]] = field(default_factory=list)
    canon: str | None = None          # AO3 canonical tag, when linked to a canon base
    canon_name: str | None = None     # its display form (the tag without disambiguator)
    canon_gender: str | None = None
    epithets: list[str] = field(default_factory=list)  # "the sergeant": a description, no name

    @property
    def total(self) -> int:
        return sum(s.total for s in self.stats)

    @property
    def gender(self) -> str | None:
        if self.canon_gender in ("m", "f"):
            return self.canon_gender
        gs = {g for g in (title_gender(t) or _GENDERED_CLASSES.get(t) for t in self.titles) if g}
        return gs.pop() if len(gs) == 1 else None

    @property
    def aliases(self) -> list[str]:
        """Surface forms, most frequent first."""
        seen: dict[str, int] = {}
        for s in self.stats:
            seen[s.surface] = seen.get(s.surface, 0) + s.total
        return sorted(seen, key=lambda a: (-seen[a], a))

    @property
    def name(self) -> str:
        """The full name the text leans on most (its words' own mentions count), else
        the most frequent form; a description ("the Senator") only when there is no name."""
        if self.canon_name:
            return self.canon_name
        singles: dict[str, int] = {}
        for (title, toks), s in zip(self.forms, self.stats, strict=True):
            if len(toks) == 1 and not title:
                singles[toks[0]] = singles.get(toks[0], 0) + s.total
        best: tuple[int, int, int, int, str] | None = None
        described = all(s.surface.startswith("the ") for s in self.stats)
        for (title, toks), s in zip(self.forms, self.stats, strict=True):
            if s.surface.startswith("the ") and not described:
                continue  # "the Senator": a name is shown before a description
            full = 1 if len(toks) > 1 else 0
            weight = s.total + (sum(singles.get(t, 0) for t in toks) if full else 0)
            # a name before a chat handle in lower case ("Steve", not "capsicle")
            proper = 0 if s.surface[:1].islower() and not described else 1
            cand = (proper, full, weight, len(toks) + (1 if title else 0), s.surface)
            if best is None or cand[:4] > best[:4]:
                best = cand
        return best[4] if best else ""

    def cue(self, attr: str) -> int:
        return sum(int(getattr(s, attr)) for s in self.stats)

    @property
    def strong(self) -> int:
        return sum(s.strong for s in self.stats)

    @property
    def weak(self) -> int:
        aux = sum(s.aux + s.coord for s in self.stats) if self.total >= 2 else 0
        return sum(s.verb + s.social + s.possessive + s.address for s in self.stats) + aux

    @property
    def locative(self) -> float:
        """Place and thing cues: "in X", "the X" (and, half as much, "of X"; not for a
        full name that opens with a given name: "the hut of Matthew Maule")."""
        return sum(s.locative + s.article + (0 if len(toks) > 1 and is_full_given_name(toks[0])
                                             else s.of / 2)
                   for (_, toks), s in zip(self.forms, self.stats, strict=True))

    @property
    def placed(self) -> int:
        """Strong place and thing cues only: "in X", "the X" (not "of X")."""
        return sum(s.locative + s.article for s in self.stats)

    @property
    def article(self) -> int:
        return sum(s.article for s in self.stats)

    def mentions(self) -> list[tuple[int, int, int]]:
        out = [m for s in self.stats for m in s.mentions]
        out.sort()
        return out

    def add(self, key: FormKey, st: FormStats) -> None:
        title, toks = key
        self.forms.append(key)
        self.stats.append(st)
        self.tokens.update(toks)
        if title:
            self.titles.add(title)
        if len(toks) > 1:
            self.fulls.append(toks)
            self.givens.add(toks[0])
            self.middles.update(toks[1:-1])
            self.surnames.add(surname_key(toks[-1]))
        elif title:
            self.surnames.add(surname_key(toks[0]))
        else:
            self.givens.add(toks[0])

    def merge(self, other: Cluster) -> None:
        for k, s in zip(other.forms, other.stats, strict=True):
            self.add(k, s)
        self.epithets += [e for e in other.epithets if e not in self.epithets]


class _GivenIndex:
    """Given (and middle) names of clusters, looked up through nickname rules quickly."""

    def __init__(self) -> None:
        self.by_name: dict[str, set[int]] = {}
        self.by_prefix: dict[str, set[str]] = {}
        self.by_suffix: dict[str, set[str]] = {}
        self.by_group: dict[int, set[str]] = {}
        self.groups = nickname_groups()

    def add(self, name: str, cid: int) -> None:
        key = name.casefold()
        if key not in self.by_name:
            self.by_name[key] = set()
            self.by_prefix.setdefault(key[:3], set()).add(key)
            for k in range(4, len(key)):
                self.by_suffix.setdefault(key[-k:], set()).add(key)
            for g in self.groups.get(key, ()):
                self.by_group.setdefault(g, set()).add(key)
        self.by_name[key].add(cid)

    def compatible(self, word: str, *, shorter: bool = False) -> set[int]:
        """Clusters with a given name compatible with ``word`` (longer than it, if ``shorter``)."""
        key = word.casefold()
        out: set[int] = set()
        for c in self._candidates(key):
            if nickname_listed(key, c) or (
                    (not shorter or len(c) > len(key)) and given_compatible(key, c)):
                out |= self.by_name[c]
        return out

    def shortened(self, word: str) -> set[int]:
        """Clusters with a given name that shortens ``word`` ("Nat" for "Natasha")."""
        key = word.casefold()
        return {i for c in self._candidates(key) if len(c) < len(key) and given_compatible(key, c)
                for i in self.by_name[c]}

    def _candidates(self, key: str) -> set[str]:
        cands = set(self.by_prefix.get(key[:3], ())) | self.by_suffix.get(key, set())
        for g in self.groups.get(key, ()):
            cands |= self.by_group.get(g, set())
        return cands


@dataclass(frozen=True, slots=True)
class Cast:
    """People found in the text, most mentioned first; names that stayed ambiguous."""

    people: tuple[Cluster, ...]
    others: tuple[Cluster, ...]          # proper names judged not to be people
    unresolved: tuple[str, ...]          # e.g. a surname shared by two people
    groups: tuple[Cluster, ...] = ()     # families named by a plural: "the Musgroves"

    def by_name(self, name: str) -> Cluster | None:
        for c in self.people:
            if c.name == name or name in c.aliases:
                return c
        return None


#: Endings of abstract nouns ("Reality", "Happiness", "Silence" is left to the text).
_ABSTRACT = re.compile(r"..(?:ity|ness|ment|tion|sion|ship|hood|ism)$")


def is_proper(key: FormKey, st: FormStats, lower: Mapping[str, int], *,
              lexicon: Container[str] = (),
              forms: Mapping[FormKey, FormStats] | None = None) -> bool:
    """Whether a form is used as a proper name (see the module docstring).

    ``lower`` counts lower-case words of the text ("rain" makes "Rain" at a
    sentence start a common word). A multi-word form seen only at sentence
    starts is a name unless a later word of it is a common word: one the text
    writes in lower case more often than it capitalises it mid-sentence (the
    single-word ``forms``): "Hello There" is no name, "Hatake Kakashi" is one
    though a hasty author wrote "kakashi" a few times.

    >>> from ficshelf.understand.mentions import scan_names
    >>> t = ("“Hatake Kakashi.” He nodded. Later, Rin saw Kakashi. So did Obito and "
    ...      "Kakashi. Then kakashi left.")
    >>> scan = scan_names((t,), ([],))
    >>> key = ("", ("Hatake", "Kakashi"))
    >>> is_proper(key, scan.forms[key], scan.lower, forms=scan.forms)
    True
    >>> is_proper(key, scan.forms[key], scan.lower)
    False
    """
    title, toks = key
    if title:
        return True
    mid = st.mid
    if len(toks) > 1:
        return mid >= 1 or st.strong >= 1 or st.weak >= 1 or not any(
            _common(t, lower, forms) for t in toks[1:])
    low = lower.get(toks[0].lower(), 0)
    if mid >= 2:
        return True
    if mid == 1:
        return low == 0 or st.strong >= 1 or (low <= 1 and st.weak >= 1)
    if low:
        return False
    if is_full_given_name(toks[0]):
        return True  # a given name in its own right, never written in lower case
    if mid == 0 and st.tag == 0 and _ABSTRACT.search(toks[0]) and not is_given_name(toks[0]):
        return False  # "Reality pulls her back": an abstract noun opening sentences
    if st.strong - st.address >= 1 or st.tag >= 1:
        return True
    if st.verb >= 3 and 2 * st.verb >= st.total:
        return True  # never lower-case, and again and again it nods, smiles, walks
    if st.verb >= 1 and st.weak >= 2 and st.total >= 2:
        return True  # never lower-case, and each time it knows, was, did: someone
    return st.weak >= 1 and toks[0].casefold() in lexicon


def _common(word: str, lower: Mapping[str, int], forms: Mapping[FormKey, FormStats] | None
            ) -> bool:
    """Whether the text uses ``word`` as a common word: written in lower case, and
    not more often capitalised mid-sentence (``forms``, when given)."""
    low = lower.get(word.lower(), 0)
    if not low or forms is None:
        return low > 0
    own = forms.get(("", (word,)))
    return own is None or own.mid < low


def _title_ok(a: set[str], b: set[str]) -> bool:
    """Titles that cannot name one person: Mr vs Mrs vs Miss, or opposite genders."""
    ca = {_GENDERED_CLASSES.get(t, "") for t in a} - {""}
    cb = {_GENDERED_CLASSES.get(t, "") for t in b} - {""}
    ka = {t for t in a if t in _GENDERED_CLASSES}
    kb = {t for t in b if t in _GENDERED_CLASSES}
    if ka and kb and ka != kb:
        return False
    ga = {title_gender(t) for t in a} - {None}
    gb = {title_gender(t) for t in b} - {None}
    return not (ca and cb and ca != cb) and not (ga and gb and ga != gb)


def _full_compatible(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    if x == y:
        return True
    if set(x) == set(y):  # "Uzumaki Naruto" / "Naruto Uzumaki"
        return True
    if surname_key(x[-1]) != surname_key(y[-1]):
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    # with the surname agreeing, two spellings of one given name are enough (Natalia/Natasha)
    if given_compatible(short[0], long_[0]) or nickname_listed(short[0], long_[0], variants=True):
        return True
    # a nickname of a middle name: "Bucky Barnes" / "James Buchanan Barnes"
    return len(short) == 2 and any(given_compatible(short[0], m) for m in long_[1:-1])


OWN_NAME = 3  # a shared word this many times as frequent as its owners is a person of its own


def build_cast(scan: NameScan, *, min_person_mentions: int = 1) -> Cast:
    """Cluster the proper name forms of a scan and keep the people."""
    lexicon = nickname_groups().keys()
    forms = []
    maybe = []
    for k, s in scan.forms.items():
        if is_proper(k, s, scan.lower, lexicon=lexicon, forms=scan.forms):
            forms.append((k, s))
        elif len(k[1]) == 1 and not k[0]:
            maybe.append((k, s))
    forms.sort(key=lambda kv: (-kv[1].total, kv[0]))
    clusters: list[Cluster] = []
    by_surname: dict[str, list[int]] = {}
    by_token: dict[str, set[int]] = {}
    givens = _GivenIndex()

    def put(cid: int, key: FormKey, st: FormStats) -> None:
        c = clusters[cid]
        c.add(key, st)
        title, toks = key
        for t in toks:
            by_token.setdefault(t, set()).add(cid)
        if len(toks) > 1:
            sk = surname_key(toks[-1])
            if cid not in by_surname.setdefault(sk, []):
                by_surname[sk].append(cid)
            for t in toks[:-1]:
                givens.add(t, cid)
        elif title:
            sk = surname_key(toks[0])
            if cid not in by_surname.setdefault(sk, []):
                by_surname[sk].append(cid)
        else:
            givens.add(toks[0], cid)

    def new(key: FormKey, st: FormStats) -> None:
        clusters.append(Cluster())
        put(len(clusters) - 1, key, st)

    # 1. full names
    for key, st in forms:
        title, toks = key
        if len(toks) < 2:
            continue
        home = None
        pool = list(by_surname.get(surname_key(toks[-1]), ()))
        pool += [i for i in by_token.get(toks[0], ()) if i not in pool]
        for cid in pool:
            c = clusters[cid]
            if _title_ok(c.titles, {title} if title else set()) and any(
                    _full_compatible(toks, f) for f in c.fulls):
                home = cid
                break
        if home is None:
            new(key, st)
        else:
            put(home, key, st)

    # 2. titled single words ("Mr. Darcy", "Lady Russell", "Sir Walter"). A gendered
    # title joins a full name only if that person already bears the same title.
    for key, st in forms:
        title, toks = key
        if len(toks) != 1 or not title:
            continue
        word = toks[0]
        ids = set(by_surname.get(surname_key(word), ())) | by_token.get(word, set())
        cands = [i for i in ids if clusters[i].fulls and _title_ok(clusters[i].titles, {title})
                 and (surname_key(word) in clusters[i].surnames or word in clusters[i].givens)]
        same_title = [i for i in cands if title in clusters[i].titles]
        if len(same_title) == 1:
            put(same_title[0], key, st)
            continue
        if len(cands) == 1 and title not in _GENDERED_TITLES:
            put(cands[0], key, st)
            continue
        same = [i for i in ids if not clusters[i].fulls and title in clusters[i].titles]
        if not same and is_given_name(word) and title not in _GENDERED_CLASSES:
            # "Uncle Ferdinand", "Commander Ferdinand" beside "Lord Ferdinand": one person
            # under several titles, when the word is a given name and no title sets them
            # apart; "Mr."/"Mrs." go with a surname a family shares (Captain and Mrs. Harville)
            same = [i for i in ids if not clusters[i].fulls and clusters[i].titles
                    and not clusters[i].titles & _GENDERED_CLASSES.keys()
                    and word in clusters[i].tokens and _title_ok(clusters[i].titles, {title})]
            same = same if len(same) == 1 else []
        if same:
            put(same[0], key, st)
        else:
            new(key, st)

    maybe_set: set[tuple[FormKey, int]] = set()
    # 3. single words; a word seen only at sentence starts still joins a full name
    # that holds it ("Bucky" beside "Bucky Barnes") or, used to name someone in
    # dialogue, the person whose given name it shortens ("Tasha,")
    for key, st in maybe:
        forms.append((key, st))
        maybe_set.add((key, id(st)))
    forms.sort(key=lambda kv: (-kv[1].total, kv[0]))
    unresolved: list[str] = []
    pending: list[tuple[FormKey, FormStats, list[int]]] = []
    groups: list[Cluster] = []
    for key, st in forms:
        title, toks = key
        if len(toks) != 1 or title:
            continue
        word = toks[0]
        if _is_plural_of_known(word, by_token):
            group = Cluster()  # "the Musgroves": a family, not one person
            group.add(key, st)
            groups.append(group)
            continue
        exact = list(by_token.get(word, ()))
        if (key, id(st)) in maybe_set:
            exact = [i for i in exact if clusters[i].fulls]
            if not exact and st.strong + st.tag + st.address >= 1:
                exact = list(givens.compatible(word, shorter=True))
            if len(exact) != 1:
                continue
        if not exact:
            # a nickname joins a longer given name ("Nat" -> "Natasha")
            exact = list(givens.compatible(word, shorter=True))
        if not exact:
            # ... and a name joins its nickname when the nickname, named more often, came
            # first: one bare nickname, no full name, no other name it could shorten; the
            # name named twice or with a person's cue, never a thing's ("the Gilberta
            # company" is not Gil)
            exact = [i for i in givens.shortened(word) if not clusters[i].fulls
                     and all(given_compatible(word, g) for g in clusters[i].givens)]
            if len(exact) != 1 or st.article + st.locative > 0 or (
                    st.total < 2 and st.strong + st.weak == 0):
                exact = []
        if not exact:
            new(key, st)
            continue
        if len(exact) > 1:
            exact.sort(key=lambda i: (-clusters[i].total, i))
            if clusters[exact[0]].total < 2 * clusters[exact[1]].total:
                pending.append((key, st, exact))
                continue
        put(exact[0], key, st)

    people: list[Cluster] = []
    others: list[Cluster] = []
    is_person = [_is_person(c, min_person_mentions) and not _named_thing(c, scan.lower)
                 for c in clusters]
    # a word two clusters share names the one that is a person, when only one is
    for key, st, owners in pending:
        persons = [i for i in owners if is_person[i]]
        if st.total > OWN_NAME * sum(clusters[i].total for i in owners):
            # far more often on its own than any full name it might shorten: a third
            # person of that name ("Mary" beside "Lady Mary Grierson", "Lady Mary Maclean")
            alone = Cluster()
            alone.add(key, st)
            clusters.append(alone)
            is_person.append(_is_person(alone, min_person_mentions, strict=True))
        elif len(persons) == 1:
            clusters[persons[0]].add(key, st)
        elif persons:
            _share_out(key, st, [clusters[i] for i in persons])
            unresolved.append(key[1][0])
        else:
            unresolved.append(key[1][0])
    for c, person in zip(clusters, is_person, strict=True):
        (people if person else others).append(c)
    _join_handles(people, others, scan)
    add_capitals(people, scan)
    people.sort(key=lambda c: (-c.total, c.name))
    others.sort(key=lambda c: (-c.total, c.name))
    return Cast(people=tuple(people), others=tuple(others), unresolved=tuple(unresolved),
                groups=tuple(groups))


def _join_handles(people: list[Cluster], others: list[Cluster], scan: NameScan) -> None:
    """A chat handle joins the person the others call it by ("tinman", answered "Tony.",
    is Tony), when one name clearly leads (twice as often as any other); the person is
    one then, even if the name alone looked weak, and a name no cluster holds (said only
    in replies) joins the handle."""
    for handle, names in scan.handles.items():
        ranked = names.most_common(2)
        if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
            continue
        name = ranked[0][0]
        key: FormKey = ("", (handle,))
        home = next((c for c in people if key in c.forms), None)
        if home is None or any(len(toks) == 1 and toks[0] != name and toks[0][0].isupper()
                               for _t, toks in home.forms):
            continue
        target = next((c for c in (*people, *others) if c is not home and any(
            toks[0] == name for _t, toks in c.forms)), None)
        if target is None:
            named: FormKey = ("", (name,))
            if named in scan.forms and named not in home.forms:
                home.add(named, scan.forms[named])
            continue
        target.merge(home)
        people.remove(home)
        if target in others:
            others.remove(target)
            people.append(target)


def _share_out(key: FormKey, st: FormStats, owners: Sequence[Cluster]) -> None:
    """Each mention of a word several people share ("Syme" of "Mr. Syme" and
    "Gabriel Syme") goes to the one named last before it (or, at the start, first
    after it): the reader's reading of a bare surname."""
    marks = sorted((pos, oi) for oi, c in enumerate(owners) for pos in
                   ((ci, s) for ci, s, _e in c.mentions()))
    if not marks:
        return
    parts: dict[int, FormStats] = {}
    for ci, s, e in st.mentions:
        k = bisect.bisect_left(marks, ((ci, s), -1))
        oi = marks[k - 1][1] if k > 0 else marks[0][1]
        part = parts.get(oi)
        if part is None:
            part = parts[oi] = FormStats(surface=st.surface)
        part.total += 1
        part.mentions.append((ci, s, e))
    for oi, part in parts.items():
        owners[oi].add(key, part)


def add_capitals(people: Sequence[Cluster], scan: NameScan, *,
                 only: Container[FormKey] | None = None) -> None:
    """Count "TOM" as a mention of the person the text otherwise calls "Tom" (and
    "TOM-KUN", with an honorific), and the names in a heading in capitals ("LETTER II
    MR. VILLARS TO LADY HOWARD") as mentions of the people it names: the longest run of
    words, from each word on, that is a name form of one person (with its title, or
    without it). With ``only``, just those forms (ones that joined a cluster later)."""
    if not scan.capitals:
        return
    home: dict[FormKey, tuple[Cluster, FormStats] | None] = {}
    for c in people:
        for key, st in zip(c.forms, c.stats, strict=True):
            if only is not None and key not in only:
                continue
            prev = home.get(key, (c, st))
            home[key] = (c, st) if prev is not None and prev[0] is c else None
    extra: dict[tuple[int, FormKey], FormStats] = {}
    for run, ci, start in scan.capitals:
        words = run.split(" ")
        offsets = [start]
        for w in words[:-1]:
            offsets.append(offsets[-1] + len(w) + 1)
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + 4), i, -1):
                key = capital_key(words[i:j])
                if len(key[1][-1]) < 2:
                    continue
                hit = home.get(key)
                if hit is None and key[0] and ("", key[1]) in home:
                    hit = home[("", key[1])]
                    if hit is not None and not _title_ok(hit[0].titles, {key[0]}):
                        hit = None
                if hit is None and j == i + 1 and not key[0] \
                        and (cut := HONORIFIC_SUFFIX.search(key[1][0])) is not None:
                    hit = home.get(("", (key[1][0][:cut.start()],)))  # "RUKIA-CHAN"
                if hit is None and not key[0] and len(key[1]) == 2:
                    # "JOHN WARWICK" for the "Warwick" of the text, a given name before it
                    hit = home.get(("", key[1][1:]))
                    if hit is not None and not (is_given_name(key[1][0]) and all(
                            given_compatible(key[1][0], f[0]) for f in hit[0].fulls)):
                        hit = None
                if hit is None:
                    continue
                cluster, usual = hit
                form = extra.get((id(cluster), key))
                if form is None:
                    form = extra[(id(cluster), key)] = FormStats(surface=usual.surface)
                    cluster.add(key, form)
                form.total += 1
                end = offsets[j - 1] + len(words[j - 1].rstrip("."))
                form.mentions.append((ci, offsets[i], end))
                i = j
                break
            else:
                i += 1


def _is_plural_of_known(word: str, by_token: Mapping[str, object]) -> bool:
    if len(word) < 4 or not word.endswith("s"):
        return False
    if word[:-1] in by_token:
        return True
    return word.endswith("es") and word[:-2] in by_token


_PLACE_TITLES = frozenset({"St", "Saint"})
COMMON_HEAD = 2  # lower-case uses of a last word that make a capitalised phrase a thing
COMMON_WORD = 2  # times as often in lower case as capitalised: a single word is a thing


def _named_thing(c: Cluster, lower: Mapping[str, int]) -> bool:
    """A capitalised phrase whose head is a common word of the text and that nobody
    speaks or is spoken to: "the Archduke Conference", "Spring Prayer", "Animal
    Control". Every form of two words or more has such a head (not a title: "the
    Dark Lord") and opens with no given name ("Jon Snow", "Tony Stark" do); a
    single-word form is a common word too ("Spring"); there is no title.
    """
    if c.titles or c.cue("tag") or c.cue("vocative"):
        return False
    if all(len(toks) == 1 for _title, toks in c.forms):
        # "Wife", "Stories": one word the text writes in lower case far more often
        # (twice as often as capitalised), never a given name, never said or addressed
        return c.strong == 0 and not any(is_given_name(g) for g in c.givens) and all(
            lower.get(toks[0].lower(), 0) >= COMMON_WORD * c.total for _title, toks in c.forms)
    phrases = 0
    for _title, toks in c.forms:
        if lower.get(toks[-1].lower(), 0) < COMMON_HEAD:
            return False
        if len(toks) > 1:
            if is_given_name(toks[0]) or toks[-1] in TITLES:
                return False
            phrases += 1
    return phrases > 0


def _is_person(c: Cluster, min_mentions: int, *, strict: bool = False) -> bool:
    if c.total < min_mentions:
        return False
    if c.cue("oath") >= c.total:
        return False  # only ever sworn by: "Oh, Neptune!", "oh Merlin"
    strong, weak, loc = c.strong, c.weak, c.locative
    if c.titles - _PLACE_TITLES:
        return True
    # "St." names churches, towns and streets more often than saints: its title is no
    # person cue, the other cues decide
    strong -= sum(st.titled for (title, _), st in zip(c.forms, c.stats, strict=True)
                  if title in _PLACE_TITLES)
    speech = c.cue("tag") + c.cue("vocative")
    if any(is_given_name(g) for g in c.givens):
        weak += min(c.total, 3)  # a known given name ("Anne") leans towards a person
    if c.article >= 0.25 * c.total and c.total >= 4 and speech < 2:
        return False  # "the Jedi", "the Avengers": a group or a thing
    if strong == 0:
        return (weak >= 1 and loc == 0) or weak >= 3 * max(loc, 1)
    if strict:  # "X was", "X and" follow places as often as people
        weak -= c.cue("aux") + c.cue("coord")
    return 2 * strong + weak > loc
