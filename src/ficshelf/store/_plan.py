"""How a ``Query`` becomes SQL for the SQLite store (the shapes were chosen by
profiling a 100,000-work library; see ``ficshelf.bench``).

A plan holds the conditions; ``Plan.sql`` writes them for one of three drives:

- ``"fts"``: start from the full-text matches (ranking by best match, finding
  the matches of a text query). Tag conditions become ``+rowid IN (...)``: the ``+`` keeps
  SQLite from handing FTS5 one rowid at a time, which re-runs the match per
  rowid (measured 3-8 s instead of 6-18 ms).
- ``"drive"``: start from the works of the rarest included tag (``IN``), test
  the other tags per work: against a tag's works gathered once (``IN``) when
  it is at most three times as common as the driver, else through the
  ``(work_id, tag_id)`` key (``EXISTS``); measured at 100,000 works, testing
  44,000 works against a 1,800-work tag took 5 ms one way and 20 the other.
  Finding or counting the matches of tag conditions alone never reads
  ``works`` (``Plan.ids_sql``, ``Plan.count_sql``: 33 -> 3 ms for a common
  tag less a rare one).
- ``"scan"``: walk the sort column's index and probe every condition per work,
  stopping at the page's end; cheap when many works match (0.4 ms against
  17 ms for the page of two common tags), hopeless when few do. ``choose_page``
  picks it when the works to walk are fewer than the works that match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ficshelf.search.query import Query, normalize_language, split_tag, text_terms
from ficshelf.store._fts import fts_expression

__all__ = ["BM25", "Plan", "Resolver", "TagCondition", "choose_page", "in_list", "make_plan",
           "order_by"]

#: Tag ids meaning one tag (synonyms included), each with its number of works.
Resolver = Callable[[str | None, str], list[tuple[int, int]]]

#: Best-match rank: bm25 with column weights (title, creators, summary, notes,
#: tags, body). Written out rather than FTS5's configured ``rank``, which is
#: slower per row (measured 25 vs 43 ms over 40,000 matches).
BM25: Final = "bm25(search_index, 10.0, 5.0, 4.0, 1.0, 3.0, 1.0)"

# Sort columns and their index; NOT NULL columns can walk the index both ways,
# nullable ones only descending (NULLs sort first in an ascending index).
_SORTS: Final = {
    "title": ("title_key", "works_title", False), "author": ("author_key", "works_author", False),
    "published": ("published", "works_published", True),
    "updated": ("updated", "works_updated", True), "words": ("words", "works_words", False),
    "kudos": ("kudos", "works_kudos", True), "hits": ("hits", "works_hits", True),
    "bookmarks": ("bookmarks", "works_bookmarks", True),
    "comments": ("comments", "works_comments", True),
}
_RANGE_COLUMNS: Final = ("words", "kudos", "hits", "bookmarks", "comments", "published", "updated")


def in_list(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


@dataclass(frozen=True, slots=True)
class TagCondition:
    """Works carrying (or, ``negate``, not carrying) any of ``ids``."""

    ids: tuple[int, ...]
    uses: int
    negate: bool = False

    def tags_sql(self) -> str:
        if len(self.ids) == 1:
            return f"tag_id = {int(self.ids[0])}"
        return f"tag_id IN ({in_list(self.ids)})"

    def as_in(self, idx: str) -> str:
        return f"{idx} {'NOT IN' if self.negate else 'IN'} (SELECT work_id FROM work_tags WHERE {self.tags_sql()})"

    def as_exists(self, idx: str) -> str:
        return (f"{'NOT EXISTS' if self.negate else 'EXISTS'} (SELECT 1 FROM work_tags t "
                f"WHERE t.work_id = {idx} AND t.{self.tags_sql()})")

    def probe(self, idx: str, driven: int) -> str:
        """The condition for ``driven`` works to test one by one: against this tag's
        works gathered once (``IN``: about 0.12 us a work gathered, 0.02 a test)
        or through the ``(work_id, tag_id)`` key (``EXISTS``: about 0.4 us a test)."""
        return self.as_in(idx) if self.uses < 3 * driven else self.as_exists(idx)


@dataclass(slots=True)
class Plan:
    tags: list[TagCondition] = field(default_factory=list)
    works: list[str] = field(default_factory=list)
    work_params: list[Any] = field(default_factory=list)
    match: str | None = None
    unmatch: str | None = None  # excluded words with no included ones
    empty: bool = False

    @property
    def unfiltered(self) -> bool:
        return self.match is None and self.unmatch is None and not self.tags and not self.works

    @property
    def ranked(self) -> bool:
        return self.match is not None

    def sql(self, drive: str, *, index: str | None = None) -> tuple[str, str, str, list[Any]]:
        """``(id expression, FROM clause, WHERE clause, parameters)`` for a drive."""
        params: list[Any] = []
        conds: list[str] = []
        if drive == "fts" and self.match is not None:
            if self.works:
                idx, source = "w.id", "search_index JOIN works w ON w.id = search_index.rowid"
            else:
                idx, source = "search_index.rowid", "search_index"
            conds.append("search_index MATCH ?")
            params.append(self.match)
            conds += [t.as_in("+" + idx) for t in self.tags]
        else:
            idx = "w.id"
            source = f"works w INDEXED BY {index}" if index else "works w"
            tags = sorted(self.tags, key=lambda t: (t.negate, t.uses))
            driver = None
            if drive == "drive" and self.match is None and tags and not tags[0].negate:
                driver = tags[0]
                conds.append(driver.as_in(idx))
                conds += [t.probe(idx, driver.uses) for t in tags[1:]]
            else:
                conds += [t.as_exists(idx) for t in tags]
            if self.match is not None:
                conds.append("w.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)")
                params.append(self.match)
        conds += self.works
        params += self.work_params
        if self.unmatch is not None:
            conds.append(f"{idx} NOT IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)")
            params.append(self.unmatch)
        return idx, source, (" WHERE " + " AND ".join(conds) if conds else ""), params


    def _tag_only(self) -> list[TagCondition] | None:
        """The tag conditions, rarest included first, when there is nothing else."""
        if self.match is None and self.unmatch is None and not self.works and self.tags:
            return sorted(self.tags, key=lambda t: (t.negate, t.uses))
        return None

    def ids_sql(self) -> tuple[str, list[Any]]:
        """A statement giving the ids of the matching works, once each. With tag
        conditions only, it reads the tag index alone: the rarest included tag's
        works, each tested against the other tags (``TagCondition.probe``)."""
        tags = self._tag_only()
        if tags is None:
            idx, source, where, params = self.sql("fts" if self.ranked else "drive")
            return f"SELECT {idx} FROM {source}{where}", params
        if tags[0].negate:
            return ("SELECT w.id FROM works w WHERE "
                    + " AND ".join(t.as_in("w.id") for t in tags), [])
        driver = tags[0]
        conds = [f"d.{driver.tags_sql()}", *(t.probe("d.work_id", driver.uses) for t in tags[1:])]
        distinct = "" if len(driver.ids) == 1 else "DISTINCT "
        return f"SELECT {distinct}d.work_id FROM work_tags d WHERE {' AND '.join(conds)}", []

    def count_sql(self) -> tuple[str, list[Any]]:
        """A statement counting the matching works; with exclusions only, the
        library less the works carrying them."""
        tags = self._tag_only()
        if tags is not None and tags[0].negate:
            ids = in_list(sorted({i for t in tags for i in t.ids}))
            return ("SELECT (SELECT count(*) FROM works) - (SELECT count(DISTINCT work_id) "
                    f"FROM work_tags WHERE tag_id IN ({ids}))", [])
        sql, params = self.ids_sql()
        return f"SELECT count(*) FROM ({sql})", params


def make_plan(q: Query, resolve: Resolver) -> Plan:
    p = Plan()
    for tag in q.include:
        found = resolve(*split_tag(tag))
        if not found:
            p.empty = True
            return p
        p.tags.append(TagCondition(tuple(i for i, _ in found), sum(u for _, u in found)))
    excluded = sorted({pair for tag in q.exclude for pair in resolve(*split_tag(tag))})
    if excluded:
        p.tags.append(TagCondition(tuple(i for i, _ in excluded), sum(u for _, u in excluded),
                                   negate=True))
    for kind, members in (("warning", q.warnings), ("category", q.categories)):
        if members:
            found = sorted({pair for m in members for pair in resolve(kind, m.value)})
            if not found:
                p.empty = True
                return p
            p.tags.append(TagCondition(tuple(i for i, _ in found), sum(u for _, u in found)))
    if q.ratings:
        p.works.append(f"w.rating IN ({','.join('?' * len(q.ratings))})")
        p.work_params.extend(r.value for r in q.ratings)
    if q.language is not None:
        p.works.append("w.language_key = ?")
        p.work_params.append(normalize_language(q.language))
    for name in ("complete", "single_chapter"):
        flag = getattr(q, name)
        if flag is not None:
            p.works.append(f"w.{name} = ?")
            p.work_params.append(int(flag))
    for name in _RANGE_COLUMNS:
        lo, hi = getattr(q, name)
        for bound, op in ((lo, ">="), (hi, "<=")):
            if bound is not None:
                p.works.append(f"w.{name} {op} ?")
                p.work_params.append(bound.isoformat() if hasattr(bound, "isoformat") else bound)
    terms = text_terms(q.text)
    positive = fts_expression(terms.include)
    negative = fts_expression(terms.exclude, joiner="OR")
    if positive is not None:
        p.match = positive if negative is None else f"({positive}) NOT ({negative})"
    else:
        p.unmatch = negative
    return p


def order_by(q: Query, plan: Plan, idx: str) -> str:
    """The ORDER BY of a page sorted by a column (best match without words to
    rank by is newest update first; a ranked page is made by ``_search``)."""
    column, _index, nullable = _SORTS["updated" if q.sort == "best" else q.sort]
    direction = "DESC" if q.descending else "ASC"
    # Descending, NULLs come last anyway; written plainly so the index can serve the order.
    nulls = " NULLS LAST" if nullable and not q.descending else ""
    return f"w.{column} {direction}{nulls}, {idx} {direction}"


def choose_page(q: Query, plan: Plan, *, total: int, library: int) -> tuple[str, str | None]:
    """The drive for a page sorted by a column, and the index to walk for ``"scan"``."""
    _column, index, nullable = _SORTS["updated" if q.sort == "best" else q.sort]
    if nullable and not q.descending:
        return "drive", None
    wanted = q.page * q.per_page
    # Walking the index visits about wanted * library / total works; collecting
    # every match and sorting visits total. Walk when that is clearly fewer.
    if plan.unfiltered or wanted * library < total * total // 2:
        return "scan", index
    return "drive", None
