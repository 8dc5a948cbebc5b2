"""AO3-style search over the SQLite store: a ``Query`` becomes SQL here.

Shape of every search (profiled at 100,000 works, see ``ficshelf.bench``):

- filters are conditions on ``works`` (one row per work, indexed sort columns);
  each included tag is an ``id IN (SELECT work_id FROM work_tags WHERE tag_id IN
  (...))`` semi-join on the ``(tag_id, work_id)`` index, every excluded tag one
  ``NOT IN``; synonyms are resolved to tag ids in Python first;
- full text drives the query from the FTS5 index (``search_index MATCH ?``) and
  ranks by its configured bm25 when sorting by best match;
- scores (bm25) and snippets are made for the page's rows only; snippets come
  from ``search.snippet`` over the text as written (FTS5's ``snippet()`` is
  quadratic in the matches of a work: seconds on a long work with a common word);
- facets count ``work_tags`` rows of the matching works, collected once in a
  temporary table, then merge synonymous tags; with no filter at all they come
  from the per-tag use counts kept by triggers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ficshelf.search.query import Query, normalize_language, split_tag, text_terms
from ficshelf.search.snippet import make_snippet
from ficshelf.store._fts import fts_expression
from ficshelf.store._records import work_from_row
from ficshelf.store.base import FACET_KEYS, KIND_OF_FACET, Hit, SearchResult

__all__ = ["FACET_LIMIT", "canonical_display", "group_tags", "run_search"]

#: Most tags listed per facet (the closed sets are always listed whole).
FACET_LIMIT: Final = 50

Resolver = Callable[[str | None, str], list[int]]

_SORT_COLUMNS: Final = {
    "title": "w.title_key", "author": "w.author_key", "published": "w.published",
    "updated": "w.updated", "words": "w.words", "kudos": "w.kudos", "hits": "w.hits",
    "bookmarks": "w.bookmarks", "comments": "w.comments",
}
_RANGE_COLUMNS: Final = ("words", "kudos", "hits", "bookmarks", "comments")
_DATE_COLUMNS: Final = ("published", "updated")


@dataclass(slots=True)
class _Plan:
    """Conditions of a search. ``ids`` conditions need only the work's id (tags,
    excluded words) and are written with ``{id}``; ``works`` conditions need its
    row in ``works w``. ``match`` is the FTS5 expression, if any."""

    ids: list[str] = field(default_factory=list)
    id_params: list[Any] = field(default_factory=list)
    works: list[str] = field(default_factory=list)
    work_params: list[Any] = field(default_factory=list)
    match: str | None = None
    empty: bool = False

    @property
    def unfiltered(self) -> bool:
        return self.match is None and not self.ids and not self.works

    def sql(self, *, need_works: bool) -> tuple[str, str, str, list[Any]]:
        """``(id expression, FROM clause, WHERE clause, parameters)``; the works
        table is joined only when a condition or the sort needs it."""
        if self.match is None:
            idx, source = "w.id", "works w"
        elif need_works or self.works:
            idx, source = "w.id", "search_index JOIN works w ON w.id = search_index.rowid"
        else:
            idx, source = "search_index.rowid", "search_index"
        conds = (["search_index MATCH ?"] if self.match is not None else [])
        conds += [c.format(id=idx) for c in self.ids] + self.works
        params = ([self.match] if self.match is not None else []) + self.id_params + self.work_params
        return idx, source, (" WHERE " + " AND ".join(conds) if conds else ""), params


def _in_list(ids: Sequence[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def _tag_subquery(ids: Sequence[int]) -> str:
    if len(ids) == 1:
        return f"SELECT work_id FROM work_tags WHERE tag_id = {int(ids[0])}"
    return f"SELECT work_id FROM work_tags WHERE tag_id IN ({_in_list(ids)})"


def _plan(q: Query, resolve: Resolver) -> _Plan:
    p = _Plan()
    for tag in q.include:
        kind, name = split_tag(tag)
        ids = resolve(kind, name)
        if not ids:
            p.empty = True
            return p
        p.ids.append(f"{{id}} IN ({_tag_subquery(ids)})")
    excluded: list[int] = []
    for tag in q.exclude:
        kind, name = split_tag(tag)
        excluded.extend(resolve(kind, name))
    if excluded:
        p.ids.append(f"{{id}} NOT IN ({_tag_subquery(sorted(set(excluded)))})")
    if q.ratings:
        p.works.append(f"w.rating IN ({','.join('?' * len(q.ratings))})")
        p.work_params.extend(r.value for r in q.ratings)
    for kind, members in (("warning", q.warnings), ("category", q.categories)):
        if members:
            ids = sorted({i for m in members for i in resolve(kind, m.value)})
            if not ids:
                p.empty = True
                return p
            p.ids.append(f"{{id}} IN ({_tag_subquery(ids)})")
    if q.language is not None:
        p.works.append("w.language_key = ?")
        p.work_params.append(normalize_language(q.language))
    if q.complete is not None:
        p.works.append("w.complete = ?")
        p.work_params.append(int(q.complete))
    if q.single_chapter is not None:
        p.works.append("w.single_chapter = ?")
        p.work_params.append(int(q.single_chapter))
    for name in (*_RANGE_COLUMNS, *_DATE_COLUMNS):
        lo, hi = getattr(q, name)
        if lo is not None:
            p.works.append(f"w.{name} >= ?")
            p.work_params.append(lo.isoformat() if hasattr(lo, "isoformat") else lo)
        if hi is not None:
            p.works.append(f"w.{name} <= ?")
            p.work_params.append(hi.isoformat() if hasattr(hi, "isoformat") else hi)
    terms = text_terms(q.text)
    positive = fts_expression(terms.include)
    negative = fts_expression(terms.exclude, joiner="OR")
    if positive is not None:
        p.match = positive if negative is None else f"({positive}) NOT ({negative})"
    elif negative is not None:
        p.ids.append("{id} NOT IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)")
        p.id_params.append(negative)
    return p


def _order(q: Query, plan: _Plan, idx: str) -> str:
    desc = "DESC" if q.descending else "ASC"
    if q.sort == "best" and plan.match is not None:
        # bm25 ranks are negative: the best match comes first in ascending order.
        return f"search_index.rank {'ASC' if q.descending else 'DESC'}, {idx} DESC"
    column = _SORT_COLUMNS["updated" if q.sort == "best" else q.sort]
    return f"{column} {desc} NULLS LAST, {idx} {desc}"


def _ranked_by_text(q: Query, plan: _Plan) -> bool:
    return q.sort == "best" and plan.match is not None


def run_search(conn: sqlite3.Connection, q: Query, *, resolve: Resolver) -> SearchResult:
    """Execute a query: one page of hits, the total, and facets if asked."""
    plan = _plan(q, resolve)
    facets: dict[str, tuple[tuple[str, int], ...]] = {}
    if plan.empty:
        if q.facets:
            facets = {key: () for key in FACET_KEYS}
        return SearchResult(total=0, hits=(), facets=facets, page=q.page, per_page=q.per_page)
    idx, source, where, params = plan.sql(need_works=False)
    if q.facets and not plan.unfiltered:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.search_hits")
        total = conn.execute(f"INSERT INTO temp.search_hits (id) SELECT {idx} FROM {source}{where}",
                             params).rowcount
        facets = _facets(conn, scoped=True)
    else:
        total = int(conn.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0])
        if q.facets:
            facets = _facets(conn, scoped=False)
    offset = (q.page - 1) * q.per_page
    page_ids: list[int] = []
    if offset < total:
        idx, source, where, params = plan.sql(need_works=not _ranked_by_text(q, plan))
        page_ids = [int(r[0]) for r in conn.execute(
            f"SELECT {idx} FROM {source}{where} ORDER BY {_order(q, plan, idx)} LIMIT ? OFFSET ?",
            [*params, q.per_page, offset])]
    metas = {int(wid): str(meta) for wid, meta in conn.execute(
        f"SELECT work_id, meta FROM work_meta WHERE work_id IN ({_in_list(page_ids)})")}
    rows = [(wid, metas[wid]) for wid in page_ids if wid in metas]
    scores: dict[int, float] = {}
    snippets: dict[int, str | None] = {}
    if plan.match is not None and rows:
        scores = {int(wid): -float(rank) for wid, rank in conn.execute(
            "SELECT rowid, rank FROM search_index WHERE search_index MATCH ? "
            f"AND rowid IN ({_in_list(page_ids)})", (plan.match,))}
        snippets = _snippets(conn, rows, text_terms(q.text).include)
    hits = tuple(
        Hit(work=work_from_row(wid, meta), snippet=snippets.get(wid), score=scores.get(wid))
        for wid, meta in rows
    )
    return SearchResult(total=total, hits=hits, facets=facets, page=q.page, per_page=q.per_page)


def _snippets(conn: sqlite3.Connection, rows: Sequence[tuple[int, str]],
              terms: tuple[str, ...]) -> dict[int, str | None]:
    """Snippets for the page's works, from their text as written (see
    ``search.snippet`` for why FTS5's ``snippet()`` is not used)."""
    ids = _in_list([r[0] for r in rows])
    bodies: dict[int, tuple[str, str]] = {
        int(wid): (body or "", notes or "") for wid, body, notes in conn.execute(
            "SELECT work_id, group_concat(text, char(10) || char(10)), "
            "group_concat(concat_notes, char(10)) FROM ("
            "  SELECT work_id, text, coalesce(title, '') || char(10) || coalesce(summary, '') "
            "  || char(10) || coalesce(notes, '') || char(10) || coalesce(end_notes, '') AS concat_notes"
            f"  FROM chapters WHERE work_id IN ({ids}) ORDER BY work_id, number"
            ") GROUP BY work_id")
    }
    out: dict[int, str | None] = {}
    for wid, meta in rows:
        data = json.loads(meta)
        body, chapter_notes = bodies.get(int(wid), ("", ""))
        tags = data.get("tags") or {}
        tag_names = [v for vs in tags.values() for v in (vs if isinstance(vs, list) else [vs]) if v]
        fields = [body, data.get("summary"), "\n".join(filter(None, (
            data.get("notes"), data.get("end_notes"), chapter_notes))), data.get("title"),
            " · ".join(tag_names), ", ".join(data.get("authors") or ())]
        out[int(wid)] = make_snippet(fields, terms)
    return out


# --- facets -----------------------------------------------------------------------


@dataclass(slots=True)
class _Group:
    kind: str
    canon_key: str
    count: int = 0
    members: int = 0
    name: str = ""
    name_weight: int = -1


def group_tags(rows: Iterable[tuple[str, str, str, str, int]],
               display: dict[str, str]) -> dict[tuple[str, str], _Group]:
    """Merge ``(kind, key, name, canon_key, count)`` rows of individual tags into
    canonical tags; ``count`` is summed (exact unless a work has two synonyms
    of one tag: callers recount groups with several members)."""
    groups: dict[tuple[str, str], _Group] = {}
    for kind, key, name, canon_key, count in rows:
        g = groups.get((kind, canon_key))
        if g is None:
            g = groups[(kind, canon_key)] = _Group(kind, canon_key)
        g.count += int(count)
        g.members += 1
        weight = 1 << 40 if key == canon_key else int(count)
        if weight > g.name_weight:
            g.name, g.name_weight = name, weight
    for g in groups.values():
        if g.name_weight < 1 << 40 and g.canon_key in display:
            g.name = display[g.canon_key]
    return groups


def canonical_display(conn: sqlite3.Connection) -> dict[str, str]:
    """Canonical tag names as the user wrote them in ``set_synonym``."""
    return {str(k): str(v) for k, v in conn.execute("SELECT canonical_key, canonical FROM synonyms")}


def _facets(conn: sqlite3.Connection, *, scoped: bool) -> dict[str, tuple[tuple[str, int], ...]]:
    if scoped:
        rows = conn.execute(
            "SELECT t.kind, t.key, t.name, t.canon_key, count(*) FROM temp.search_hits h "
            "JOIN work_tags wt ON wt.work_id = h.id JOIN tags t ON t.id = wt.tag_id GROUP BY wt.tag_id"
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT kind, key, name, canon_key, uses FROM tags WHERE uses > 0").fetchall()
    groups = group_tags(rows, canonical_display(conn))
    scope = "JOIN temp.search_hits h ON h.id = wt.work_id " if scoped else ""
    for g in groups.values():
        if g.members > 1:
            g.count = int(conn.execute(
                f"SELECT count(DISTINCT wt.work_id) FROM work_tags wt {scope}"
                "JOIN tags t ON t.id = wt.tag_id WHERE t.kind = ? AND t.canon_key = ?",
                (g.kind, g.canon_key)).fetchone()[0])
    by_kind: dict[str, list[_Group]] = {}
    for g in groups.values():
        if g.count > 0:
            by_kind.setdefault(g.kind, []).append(g)
    out: dict[str, tuple[tuple[str, int], ...]] = {}
    for key in FACET_KEYS:
        kind = KIND_OF_FACET[key]
        items = sorted(by_kind.get(kind, ()), key=lambda g: (-g.count, g.name.casefold(), g.name))
        limit = None if kind in {"rating", "warning", "category"} else FACET_LIMIT
        out[key] = tuple((g.name, g.count) for g in items[:limit])
    return out
