"""The canon knowledge base: fandoms, their characters and popular ships.

The knowledge is data, not code: one TOML file per fandom, shipped in
``ficshelf/data/canon/`` and extendable with the user's own files in
``$FICSHELF_HOME/canon/`` (the format is described in ``docs/canon-format.md``).
Every file is validated when it is read; a mistake is reported as one line that
names the file and the entry (:class:`~ficshelf.errors.InputError`).

Lookups are case-, accent- and quote-insensitive:

>>> canon = load_canon()
>>> canon.fandom_by_tag("mcu").tag
'Marvel Cinematic Universe'
>>> [(f.tag, c.tag) for f, c in canon.characters_named("the winter soldier")]
[('Marvel Cinematic Universe', 'James "Bucky" Barnes')]
>>> mcu = canon.fandom_by_tag("Marvel Cinematic Universe")
>>> mcu.relationship_tag(["Tony Stark", "Steve Rogers"], kind="romantic")
'Steve Rogers/Tony Stark'
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeAlias, cast

from ficshelf.errors import InputError
from ficshelf.model import relationship_kind, relationship_members

__all__ = [
    "GENDERS",
    "HONORIFIC_SUFFIX",
    "PRONOUNS",
    "ROLES",
    "SETTINGS",
    "CanonBase",
    "CanonCharacter",
    "Fandom",
    "Gender",
    "Role",
    "Setting",
    "Ship",
    "ShipKind",
    "bare_tag",
    "canon_cache_path",
    "canon_key",
    "check_canon_file",
    "clear_canon_cache",
    "load_canon",
    "packaged_canon_files",
    "parse_canon",
    "user_canon_dir",
]

Gender: TypeAlias = Literal["m", "f", "nb", "other", "unknown"]
Role: TypeAlias = Literal["major", "minor"]
ShipKind: TypeAlias = Literal["romantic", "platonic"]
Setting: TypeAlias = Literal["contemporary", "historical", "fantasy", "science fiction"]

GENDERS: tuple[Gender, ...] = ("m", "f", "nb", "other", "unknown")
ROLES: tuple[Role, ...] = ("major", "minor")
#: Where and when a canon is set: today's world, a real past, an invented world, the stars.
SETTINGS: tuple[Setting, ...] = ("contemporary", "historical", "fantasy", "science fiction")
#: Pronoun sets a character may use, alone or joined with "/" ("he/they").
PRONOUNS: tuple[str, ...] = ("he", "she", "they", "it", "xe", "ze", "fae", "ey", "any")

_CACHE_FORMAT = 1
_DISAMBIGUATOR = re.compile(r"\s*\(([^()]+)\)\s*$")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "‐": "-", "–": "-"})

_FANDOM_KEYS = frozenset({"tag", "aliases", "parent", "setting", "keywords", "endearments"})
_CHARACTER_KEYS = frozenset({"tag", "names", "titles", "gender", "pronouns", "role", "ambiguous"})
_SHIP_KEYS = frozenset({"tag", "kind", "characters"})
_TOP_KEYS = frozenset({"fandom", "characters", "ships"})


#: Honorific suffixes fan fiction keeps from Japanese, Korean and Chinese ("Sakura-chan",
#: "Kakashi-sensei", "Naruto-nii-san", "Yoongi-hyung", "Wei-xiong", "Hanguang-jun"): only
#: people wear them. Matched at a hyphen.
HONORIFIC_SUFFIX = re.compile(
    r"-(?:(?:o?nii|o?nee)(?:-?(?:san|chan|sama))?|san|kun|chan|chin|tan|sama|dono|sensei|senpai"
    r"|sempai|kouhai|shishou|hime|ue|taichou|ssi|nim|hyung|hyungie|noona|nuna|oppa|unnie"
    r"|eonni|sunbae|sunbaenim|ge|gege|jie|jiejie|xiong|shixiong|shijie|shidi|shimei|shizun"
    r"|shifu|daren|xiansheng|qianbei|jun|zun)(?![\w-])")


def canon_key(text: str) -> str:
    """The matching key of a name or tag: case, accents, curly quotes and spacing folded.

    >>> canon_key("  Padmé   AMIDALA ")
    'padme amidala'
    >>> canon_key("T’Challa") == canon_key("t'challa")
    True
    """
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


_key = functools.lru_cache(maxsize=1 << 16)(canon_key)


def bare_tag(tag: str) -> str:
    """A tag without AO3's trailing disambiguator.

    >>> bare_tag("Castiel (Supernatural)")
    'Castiel'
    >>> bare_tag('James "Bucky" Barnes')
    'James "Bucky" Barnes'
    """
    return _DISAMBIGUATOR.sub("", tag).strip()


def _disambiguator(tag: str) -> str | None:
    found = _DISAMBIGUATOR.search(tag)
    return found.group(1) if found else None


# --- values ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CanonCharacter:
    """One character as AO3 tags them, with the names a story may call them by."""

    tag: str
    names: tuple[str, ...]
    titles: tuple[str, ...] = ()
    gender: Gender = "unknown"
    pronouns: str = "they"
    role: Role = "minor"
    ambiguous: frozenset[str] = frozenset()

    @property
    def bare_tag(self) -> str:
        """The tag without its disambiguator: ``Merlin (Merlin)`` -> ``Merlin``."""
        return bare_tag(self.tag)

    @property
    def all_names(self) -> tuple[str, ...]:
        """Names first, then titles, as written in the file."""
        return self.names + self.titles

    def is_ambiguous(self, name: str) -> bool:
        """Whether ``name`` is also an everyday word and needs more evidence than itself."""
        key = canon_key(name)
        return any(canon_key(a) == key for a in self.ambiguous)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ship:
    """A popular relationship tag, with the character tags it joins, in the tag's order."""

    tag: str
    kind: ShipKind
    characters: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Fandom:
    """A fandom: its AO3 tag and aliases, setting keywords, characters and ships.

    ``endearments`` are the fandom's own words for a lover, said to them ("vhenan",
    "amatus", "cyar'ika"): lower case, read by ``relationships`` as a romantic cue.
    ``setting`` is where and when the canon is set (one of ``SETTINGS``), or None
    when it is mixed or unknown: a story full of phones in a fantasy canon is a
    modern AU.
    """

    tag: str
    aliases: tuple[str, ...] = field(default=(), repr=False)
    parent: str | None = None
    setting: Setting | None = None
    keywords: tuple[str, ...] = field(default=(), repr=False)
    endearments: tuple[str, ...] = field(default=(), repr=False)
    characters: tuple[CanonCharacter, ...] = field(default=(), repr=False)
    ships: tuple[Ship, ...] = field(default=(), repr=False)
    source: str = ""
    _by_tag: Mapping[str, CanonCharacter] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        *,
        tag: str,
        aliases: Sequence[str] = (),
        parent: str | None = None,
        setting: Setting | None = None,
        keywords: Sequence[str] = (),
        endearments: Sequence[str] = (),
        characters: Sequence[CanonCharacter] = (),
        ships: Sequence[Ship] = (),
        source: str = "",
    ) -> Fandom:
        """A fandom with its character index filled in."""
        by_tag = {_key(c.tag): c for c in characters}
        return cls(
            tag=tag,
            aliases=tuple(aliases),
            parent=parent,
            setting=setting,
            keywords=tuple(keywords),
            endearments=tuple(canon_key(e) for e in endearments),
            characters=tuple(characters),
            ships=tuple(ships),
            source=source,
            _by_tag=MappingProxyType(by_tag),
        )

    @property
    def names(self) -> tuple[str, ...]:
        """The fandom's tag followed by its aliases."""
        return (self.tag, *self.aliases)

    def character(self, tag: str) -> CanonCharacter | None:
        """The character with this AO3 tag (case-insensitive), if the fandom has one."""
        return self._by_tag.get(canon_key(tag))

    def relationship_tag(self, tags: Iterable[str], *, kind: ShipKind = "romantic") -> str:
        """The relationship tag joining these characters, written as AO3 writes it.

        A listed ship with the same characters and kind is returned as written;
        otherwise the names are put in AO3's usual order (alphabetical), and a
        disambiguator the characters share is written once, at the end.

        >>> fandom = load_canon().fandom_by_tag("Good Omens")
        >>> fandom.relationship_tag(["Crowley (Good Omens)", "Aziraphale (Good Omens)"])
        'Aziraphale/Crowley (Good Omens)'
        """
        members = tuple(tags)
        wanted = sorted(canon_key(t) for t in members)
        for ship in self.ships:
            if ship.kind == kind and sorted(canon_key(c) for c in ship.characters) == wanted:
                return ship.tag
        ordered = sorted(members, key=lambda t: canon_key(bare_tag(t)))
        marks = {_disambiguator(t) for t in ordered}
        joiner = "/" if kind == "romantic" else " & "
        if len(marks) == 1 and None not in marks:
            return joiner.join(bare_tag(t) for t in ordered) + f" ({marks.pop()})"
        return joiner.join(ordered)


@dataclass(frozen=True, slots=True)
class CanonBase:
    """Every fandom that was loaded, with indexes for fast lookup.

    Build one with :meth:`build` (or get the shared one with :func:`load_canon`).
    """

    fandoms: tuple[Fandom, ...] = field(repr=False)
    _fandom_index: Mapping[str, Fandom] = field(repr=False, compare=False)
    _name_index: Mapping[str, tuple[tuple[Fandom, CanonCharacter], ...]] = field(
        repr=False, compare=False
    )
    _keyword_index: Mapping[str, tuple[Fandom, ...]] = field(repr=False, compare=False)

    @classmethod
    def build(cls, fandoms: Iterable[Fandom]) -> CanonBase:
        """Index the fandoms; two fandoms that claim the same tag or alias are an error."""
        found = tuple(fandoms)
        fandom_index: dict[str, Fandom] = {}
        for fandom in found:
            for name in fandom.names:
                key = _key(name)
                other = fandom_index.get(key)
                if other is not None and other is not fandom:
                    raise InputError(
                        f"{fandom.source}: fandom name {name!r} is already used by "
                        f"{other.tag!r} ({other.source}); remove it from one of the two files"
                    )
                fandom_index[key] = fandom
        names: dict[str, list[tuple[Fandom, CanonCharacter]]] = {}
        keywords: dict[str, list[Fandom]] = {}
        for fandom in found:
            for character in fandom.characters:
                entry = (fandom, character)
                for key in _character_keys(character):  # a set: each key once per character
                    names.setdefault(key, []).append(entry)
            for word in fandom.keywords:  # validated: no keyword twice in one fandom
                keywords.setdefault(_key(word), []).append(fandom)
        return cls(
            fandoms=found,
            _fandom_index=MappingProxyType(fandom_index),
            _name_index=MappingProxyType({k: tuple(v) for k, v in names.items()}),
            _keyword_index=MappingProxyType({k: tuple(v) for k, v in keywords.items()}),
        )

    def all_fandoms(self) -> tuple[Fandom, ...]:
        """Every fandom, packaged ones first (in file-name order), then the user's."""
        return self.fandoms

    def fandom_by_tag(self, name: str) -> Fandom | None:
        """The fandom with this AO3 tag or alias (case-insensitive)."""
        return self._fandom_index.get(canon_key(name))

    def characters_named(self, name: str) -> list[tuple[Fandom, CanonCharacter]]:
        """Every character called ``name``: by tag, bare tag, any name or title.

        A title's leading "the" is optional: "Winter Soldier" finds "the Winter Soldier".
        """
        return list(self._name_index.get(canon_key(name), ()))

    def fandoms_with_keyword(self, word: str) -> list[Fandom]:
        """The fandoms whose setting keywords include ``word`` (case-insensitive)."""
        return list(self._keyword_index.get(canon_key(word), ()))

    @property
    def name_index(self) -> Mapping[str, tuple[tuple[Fandom, CanonCharacter], ...]]:
        """Every name key (see :func:`canon_key`) with the characters it may mean."""
        return self._name_index

    @property
    def keyword_index(self) -> Mapping[str, tuple[Fandom, ...]]:
        """Every setting keyword key with the fandoms it belongs to."""
        return self._keyword_index


def _character_keys(character: CanonCharacter) -> set[str]:
    """The lookup keys of a character: its tags, names and titles (a title also without
    its "the", a name also without an honorific suffix), each also with hyphens written
    as spaces ("Obi Wan" is Obi-Wan)."""
    keys = {_key(character.tag), _key(character.bare_tag)}
    for name in character.all_names:
        key = _key(name)
        keys.add(key)
        if key.startswith("the "):
            keys.add(key[4:])
        # "Hanguang-jun", "Lan Er-gege": the text's "Hanguang" and "Lan Er" with the
        # honorific after them (a short stem alone, "Ken" of "Ken-chan", is too common)
        for i, ch in enumerate(name):
            if ch == "-" and HONORIFIC_SUFFIX.fullmatch(name, i):
                stem = name[:i]
                if " " in stem.strip() or len(stem) >= 5:
                    keys.add(_key(stem))
                break
    keys.update([" ".join(k.replace("-", " ").split()) for k in keys if "-" in k])
    keys.discard("")
    return keys


# --- reading and validating one file ----------------------------------------------


def _fail(where: str, problem: str) -> InputError:
    return InputError(f"{where}: {problem}")


def _string(where: str, table: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise _fail(where, f"'{key}' is missing; add {key} = \"...\"")
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"'{key}' must be a non-empty string, not {value!r}")
    return value.strip()


def _strings(where: str, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return _keyed_strings(where, table, key)[0]


def _keyed_strings(
    where: str, table: Mapping[str, Any], key: str
) -> tuple[tuple[str, ...], set[str]]:
    """A list of non-empty strings, stripped, with their matching keys (no key twice)."""
    value = table.get(key, ())
    if not isinstance(value, list | tuple):
        raise _fail(where, f"'{key}' must be a list of non-empty strings")
    items: list[str] = []
    keys: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _fail(where, f"'{key}' must be a list of non-empty strings")
        k = _key(item)
        if k in keys:
            raise _fail(where, f"'{key}' lists {item!r} twice; remove one")
        keys.add(k)
        items.append(item.strip())
    return tuple(items), keys


def _unknown_keys(where: str, table: Mapping[str, Any], allowed: frozenset[str]) -> None:
    if allowed.issuperset(table):
        return
    extra = sorted(set(table) - allowed)
    if extra:
        raise _fail(
            where, f"unknown key {extra[0]!r}; allowed keys are {', '.join(sorted(allowed))}"
        )


def _table(where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be a table ([fandom], [[characters]] or [[ships]])")
    return cast(Mapping[str, Any], value)


def _parse_character(where: str, raw: Mapping[str, Any]) -> CanonCharacter:
    _unknown_keys(where, raw, _CHARACTER_KEYS)
    tag = cast(str, _string(where, raw, "tag", required=True))
    where = f"{where} ({tag!r})"
    names, name_keys = _keyed_strings(where, raw, "names")
    if not names:
        raise _fail(where, "'names' is empty; list at least one name the text may use")
    titles, title_keys = _keyed_strings(where, raw, "titles")
    if name_keys & title_keys:
        title = next(t for t in titles if _key(t) in name_keys)
        raise _fail(where, f"{title!r} is in both 'names' and 'titles'; keep it in one")
    gender = _string(where, raw, "gender", required=True)
    if gender not in GENDERS:
        raise _fail(where, f"gender {gender!r} is not one of {', '.join(GENDERS)}")
    pronouns = cast(str, _string(where, raw, "pronouns", required=True))
    if not all(p in PRONOUNS for p in pronouns.split("/")):
        raise _fail(
            where,
            f"pronouns {pronouns!r} must be one of {', '.join(PRONOUNS)}, or several joined by '/'",
        )
    role = _string(where, raw, "role", required=False) or "minor"
    if role not in ROLES:
        raise _fail(where, f"role {role!r} is not one of {', '.join(ROLES)}")
    ambiguous, ambiguous_keys = _keyed_strings(where, raw, "ambiguous")
    if not ambiguous_keys <= name_keys | title_keys:
        for word in ambiguous:
            if _key(word) not in name_keys | title_keys:
                raise _fail(where, f"ambiguous name {word!r} is not one of its names or titles")
    return CanonCharacter(
        tag=tag,
        names=names,
        titles=titles,
        gender=gender,
        pronouns=pronouns,
        role=role,
        ambiguous=frozenset(ambiguous),
    )


@dataclass(frozen=True, slots=True)
class _Roster:
    """A file's characters by tag key and by bare-tag key, for resolving ship members."""

    by_tag: Mapping[str, CanonCharacter]
    by_bare: Mapping[str, tuple[CanonCharacter, ...]]

    @classmethod
    def of(cls, characters: Sequence[CanonCharacter]) -> _Roster:
        by_bare: dict[str, list[CanonCharacter]] = {}
        for c in characters:
            by_bare.setdefault(_key(c.bare_tag), []).append(c)
        return cls(
            by_tag={_key(c.tag): c for c in characters},
            by_bare={k: tuple(v) for k, v in by_bare.items()},
        )

    def resolve(self, where: str, member: str) -> str:
        key = _key(member)
        exact = self.by_tag.get(key)
        if exact is not None:
            return exact.tag
        loose = self.by_bare.get(key) or self.by_bare.get(_key(bare_tag(member))) or ()
        if len(loose) == 1:
            return loose[0].tag
        if not loose:
            raise _fail(
                where, f"{member!r} is not a character tag of this fandom; add the character"
            )
        raise _fail(
            where, f"{member!r} could mean {len(loose)} characters; list them in 'characters'"
        )


def _parse_ship(where: str, raw: Mapping[str, Any], roster: _Roster) -> Ship:
    _unknown_keys(where, raw, _SHIP_KEYS)
    tag = cast(str, _string(where, raw, "tag", required=True))
    where = f"{where} ({tag!r})"
    derived = relationship_kind(tag)
    if derived is None:
        raise _fail(where, "a relationship tag joins names with '/' (romantic) or ' & ' (platonic)")
    kind = _string(where, raw, "kind", required=False) or derived
    if kind != derived:
        raise _fail(where, f"kind {kind!r} does not match the tag, which is {derived}")
    listed = _strings(where, raw, "characters")
    members = listed or relationship_members(tag)
    if len(members) < 2:
        raise _fail(where, "a relationship joins at least two characters")
    resolved = tuple(roster.resolve(where, m) for m in members)
    return Ship(tag=tag, kind=derived, characters=resolved)


def _decode(data: bytes | str, *, source: str) -> dict[str, Any]:
    """The TOML document of one canon file, or a one-line error naming the file."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise _fail(source, "is not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, f"is not valid TOML ({exc}); fix the syntax") from exc


def parse_canon(data: bytes | str, *, source: str) -> Fandom:
    """Read and validate one canon file; ``source`` names it in error messages.

    >>> fandom = parse_canon('''
    ... [fandom]
    ... tag = "Example (Web Series)"
    ... [[characters]]
    ... tag = "Ada Example"
    ... names = ["Ada"]
    ... gender = "f"
    ... pronouns = "she"
    ... ''', source="example.toml")
    >>> fandom.characters[0].role
    'minor'
    >>> parse_canon("[fandom]\\ntag = 3", source="bad.toml")
    Traceback (most recent call last):
    ...
    ficshelf.errors.InputError: bad.toml: [fandom]: 'tag' must be a non-empty string, not 3
    """
    return _validate(_decode(data, source=source), source=source)


def _validate(doc: Mapping[str, Any], *, source: str) -> Fandom:
    _unknown_keys(source, doc, _TOP_KEYS)
    if "fandom" not in doc:
        raise _fail(
            source, "the [fandom] table is missing; start the file with [fandom] and tag = ..."
        )
    head = _table(f"{source}: [fandom]", doc["fandom"])
    where = f"{source}: [fandom]"
    _unknown_keys(where, head, _FANDOM_KEYS)
    tag = cast(str, _string(where, head, "tag", required=True))
    aliases = _strings(where, head, "aliases")
    parent = _string(where, head, "parent", required=False)
    setting = _string(where, head, "setting", required=False)
    if setting is not None and setting not in SETTINGS:
        raise _fail(where, f"setting {setting!r} is not one of {', '.join(map(repr, SETTINGS))}")
    keywords = _strings(where, head, "keywords")
    endearments = _strings(where, head, "endearments")

    raw_characters = doc.get("characters", [])
    if not isinstance(raw_characters, list):
        raise _fail(source, "'characters' must be written as [[characters]] tables")
    characters: list[CanonCharacter] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_characters):
        at = f"{source}: characters[{index}]"
        character = _parse_character(at, _table(at, raw))
        key = _key(character.tag)
        if key in seen:
            raise _fail(
                at, f"tag {character.tag!r} repeats characters[{seen[key]}]; merge the two entries"
            )
        seen[key] = index
        characters.append(character)

    raw_ships = doc.get("ships", [])
    if not isinstance(raw_ships, list):
        raise _fail(source, "'ships' must be written as [[ships]] tables")
    ships: list[Ship] = []
    ship_tags: set[str] = set()
    roster = _Roster.of(characters)
    for index, raw in enumerate(raw_ships):
        at = f"{source}: ships[{index}]"
        ship = _parse_ship(at, _table(at, raw), roster)
        if _key(ship.tag) in ship_tags:
            raise _fail(at, f"ship {ship.tag!r} is listed twice; remove one")
        ship_tags.add(_key(ship.tag))
        ships.append(ship)
    return Fandom.build(
        tag=tag,
        aliases=aliases,
        parent=parent,
        setting=setting,
        keywords=keywords,
        endearments=endearments,
        characters=characters,
        ships=ships,
        source=source,
    )


# --- finding and loading every file -------------------------------------------------


def packaged_canon_files() -> list[tuple[str, bytes]]:
    """The canon files shipped with ficshelf, as (file name, bytes), in name order."""
    folder = resources.files("ficshelf").joinpath("data", "canon")
    if not folder.is_dir():
        return []
    found = [
        entry for entry in folder.iterdir() if entry.name.endswith(".toml") and entry.is_file()
    ]
    return [(entry.name, entry.read_bytes()) for entry in sorted(found, key=lambda e: e.name)]


def user_canon_dir() -> Path | None:
    """``$FICSHELF_HOME/canon`` when ``FICSHELF_HOME`` is set, else None."""
    home = os.environ.get("FICSHELF_HOME")
    return Path(home).expanduser() / "canon" if home else None


def canon_cache_path() -> Path:
    """Where parsed canon files are cached (a JSON file keyed by each file's hash).

    ``$FICSHELF_HOME/cache/canon.json`` when ``FICSHELF_HOME`` is set, else
    ``$XDG_CACHE_HOME/ficshelf/canon.json`` (``~/.cache/ficshelf/canon.json``).
    Deleting it is always safe.
    """
    home = os.environ.get("FICSHELF_HOME")
    if home:
        return Path(home).expanduser() / "cache" / "canon.json"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "ficshelf" / "canon.json"


class _DocCache:
    """Parsed TOML documents by content hash, so that unchanged files skip the TOML parser.

    Python's TOML parser is the slowest step of loading (several times slower
    than reading the same data as JSON); the cache is only an accelerator, and
    any problem reading or writing it is ignored.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.docs: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.dirty = False
        if path is None:
            return
        try:
            stored = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(stored, dict) and stored.get("format") == _CACHE_FORMAT:
            docs = stored.get("docs")
            if isinstance(docs, dict):
                self.docs = docs

    def decode(self, data: bytes, *, source: str) -> dict[str, Any]:
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        doc = self.docs.get(digest)
        if isinstance(doc, dict):
            self.used[digest] = doc
            return doc
        fresh = _decode(data, source=source)
        try:
            json.dumps(fresh)
        except (TypeError, ValueError):  # dates and times: valid TOML, not JSON
            return fresh
        self.used[digest] = fresh
        self.dirty = True
        return fresh

    def save(self) -> None:
        if self.path is None or not (self.dirty or self.used.keys() != self.docs.keys()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".canon-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"format": _CACHE_FORMAT, "docs": self.used}, out, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            return


def _read_folder(folder: Path, *, required: bool, cache: _DocCache) -> list[Fandom]:
    if not folder.is_dir():
        if required:
            raise InputError(f"{folder}: canon folder not found; create it or fix the path")
        return []
    fandoms = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(
                f"{path}: cannot be read ({exc.strerror}); check its permissions"
            ) from exc
        source = str(path)
        fandoms.append(_validate(cache.decode(data, source=source), source=source))
    return fandoms


def _merge(packaged: Sequence[Fandom], extra: Sequence[Fandom]) -> list[Fandom]:
    """The user's fandoms replace packaged ones with the same tag; others are added."""
    merged: dict[str, Fandom] = {}
    for fandom in packaged:
        key = _key(fandom.tag)
        if key in merged:
            raise InputError(
                f"{fandom.source}: fandom {fandom.tag!r} is also in {merged[key].source}; "
                "keep one of the two files"
            )
        merged[key] = fandom
    user: dict[str, Fandom] = {}
    for fandom in extra:
        key = _key(fandom.tag)
        if key in user:
            raise InputError(
                f"{fandom.source}: fandom {fandom.tag!r} is also in {user[key].source}; "
                "keep one of the two files"
            )
        user[key] = fandom
        merged[key] = fandom
    return list(merged.values())


@functools.cache
def _load(folders: tuple[tuple[Path, bool], ...], cache_path: Path | None) -> CanonBase:
    cache = _DocCache(cache_path)
    packaged = [
        _validate(cache.decode(data, source=name), source=name)
        for name, data in packaged_canon_files()
    ]
    extra: list[Fandom] = []
    for folder, required in folders:
        extra.extend(_read_folder(folder, required=required, cache=cache))
    base = CanonBase.build(_merge(packaged, extra))
    cache.save()
    return base


def load_canon(
    extra_dirs: Iterable[str | os.PathLike[str]] = (), *, use_cache: bool = True
) -> CanonBase:
    """The packaged canon, plus ``$FICSHELF_HOME/canon/*.toml`` and ``extra_dirs``.

    A user's file whose fandom tag matches a packaged fandom replaces it. The
    result is kept in memory per set of folders (call :func:`clear_canon_cache`
    after editing a file in a running process), and parsed files are kept on
    disk at :func:`canon_cache_path` unless ``use_cache`` is false.
    """
    folders: list[tuple[Path, bool]] = []
    home = user_canon_dir()
    if home is not None:
        folders.append((home.resolve(), False))
    folders.extend((Path(d).expanduser().resolve(), True) for d in extra_dirs)
    return _load(tuple(folders), canon_cache_path() if use_cache else None)


def check_canon_file(path: Path) -> tuple[Fandom, bool]:
    """Read and validate one user file as :func:`load_canon` would, together with the
    packaged fandoms: the fandom, and whether it replaces a packaged one (same tag).
    Raises ``InputError`` (one line naming the file and the entry) on any mistake,
    including a tag or alias another fandom already claims."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the path") from exc
    fandom = parse_canon(data, source=str(path))
    packaged = _load((), canon_cache_path()).all_fandoms()   # read once per process
    replaces = any(_key(f.tag) == _key(fandom.tag) for f in packaged)
    CanonBase.build(_merge(packaged, [fandom]))
    return fandom, replaces


def clear_canon_cache() -> None:
    """Forget every loaded canon so that the next :func:`load_canon` reads the files again."""
    _load.cache_clear()
