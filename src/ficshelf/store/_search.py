"""AO3-style search over the SQLite store: run a plan (``_plan``), make facets.

- best match (a text query sorted by relevance): the matches are scored (bm25)
  into a temporary table, newest first, at most ``Query.rank_limit`` + 1 of
  them; that one pass gives the page and, when it saw every match, the total
  (see ``_best_match``);
- other text queries, and any query with facets: the matching ids go into a
  temporary table once (``Plan.ids_sql``), which gives the total, the facets
  and the page (walking a sort index or sorting the matches: ``choose_page``);
- tag and column filters without facets: one counting statement
  (``Plan.count_sql``, on the tag index alone when it can) and one for the page;
- the page's JSON is read from ``work_meta`` for those works only;
- scores are bm25 when sorting by best match (None otherwise); snippets come
  from ``search.snippet`` over the page's text as written (FTS5's ``snippet()``
  scores every pair of matches: seconds on a long work with a common word);
- facets count ``work_tags`` rows of the matching works (or of the others,
  when most match) and merge synonymous tags; with no filter at all they come
  from the per-tag counts kept by triggers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Final

from ficshelf.search.query import Query, text_terms
from ficshelf.search.snippet import make_snippet
from ficshelf.store._plan import BM25, Plan, Resolver, choose_page, in_list, make_plan, order_by
from ficshelf.store._records import work_from_row
from ficshelf.store.base import FACET_KEYS, KIND_OF_FACET, TAG_KINDS, Hit, SearchResult

__all__ = ["FACET_LIMIT", "Facets", "library_facet_counts", "run_search"]

#: Most tags listed per facet (the closed sets are always listed whole).
FACET_LIMIT: Final = 50
#: Tags counted for a result set up to which all are read back and ranked.
_READ_ALL: Final = 3_000


Facets = dict[str, tuple[tuple[str, int], ...]]


def run_search(conn: sqlite3.Connection, q: Query, *, resolve: Resolver,
               library_facets: Callable[[], Facets] | None = None) -> SearchResult:
    """Execute a query: one page of hits, the total, and facets if asked
    (``library_facets`` gives the whole library's, e.g. from a cache)."""
    plan = make_plan(q, resolve)
    facets: Facets = {}
    if plan.empty:
        if q.facets:
            facets = {key: () for key in FACET_KEYS}
        return SearchResult(total=0, hits=(), facets=facets, page=q.page, per_page=q.per_page)
    best = plan.ranked and q.sort == "best"
    total: int | None = None
    if q.facets and not plan.unfiltered:
        total = _fill_hits(conn, plan)
        facets = _facets(conn, scoped=True, total=total)
    elif q.facets:
        facets = library_facets() if library_facets is not None else library_facet_counts(conn)
    ranked_only: int | None = None
    if best:
        page, total, ranked_only = _best_match(conn, q, plan, total)
    elif total is not None or plan.ranked:
        # A text query's matches are found once, for the count and the page.
        if total is None:
            total = _fill_hits(conn, plan)
        page = _sorted_page(conn, q, plan, total, hits=True)
    else:
        sql, params = plan.count_sql()
        total = int(conn.execute(sql, params).fetchone()[0])
        page = _sorted_page(conn, q, plan, total, hits=False)
    ids = in_list([wid for wid, _ in page])
    metas = {int(wid): str(meta) for wid, meta in conn.execute(
        f"SELECT work_id, meta FROM work_meta WHERE work_id IN ({ids})")}
    rows = [(wid, metas[wid]) for wid, _ in page if wid in metas]
    snippets = _snippets(conn, rows, text_terms(q.text).include) if plan.ranked and rows else {}
    hits = tuple(
        Hit(work=work_from_row(wid, metas[wid]), snippet=snippets.get(wid), score=score)
        for wid, score in page if wid in metas
    )
    return SearchResult(total=total, hits=hits, facets=facets, page=q.page, per_page=q.per_page,
                        ranked_only=ranked_only)


def _fill_hits(conn: sqlite3.Connection, plan: Plan) -> int:
    """Put the ids of the matching works in ``temp.search_hits``; their number."""
    sql, params = plan.ids_sql()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_hits")
    return int(conn.execute(f"INSERT INTO temp.search_hits (id) {sql}", params).rowcount)


def _sorted_page(conn: sqlite3.Connection, q: Query, plan: Plan, total: int, *,
                 hits: bool) -> list[tuple[int, float | None]]:
    """The page of a search sorted by a column (``_plan.choose_page`` picks how),
    from the plan's conditions or (``hits``) from ``temp.search_hits``."""
    offset = (q.page - 1) * q.per_page
    if offset >= total:
        return []
    library = int(conn.execute("SELECT coalesce(max(id), 0) FROM works").fetchone()[0])
    drive, index = choose_page(q, plan, total=total, library=library)
    order = order_by(q, plan, "w.id")
    params: list[Any]
    if not hits:
        idx, source, where, params = plan.sql(drive, index=index)
        sql = f"SELECT {idx} FROM {source}{where} ORDER BY {order}"
    elif drive == "scan":
        sql, params = (f"SELECT w.id FROM works w INDEXED BY {index} WHERE w.id IN temp.search_hits "
                       f"ORDER BY {order}"), []
    else:
        sql, params = (f"SELECT w.id FROM temp.search_hits h CROSS JOIN works w ON w.id = h.id "
                       f"ORDER BY {order}"), []
    return [(int(r[0]), None) for r in conn.execute(f"{sql} LIMIT ? OFFSET ?",
                                                      [*params, q.per_page, offset])]


def _best_match(conn: sqlite3.Connection, q: Query, plan: Plan, total: int | None
                ) -> tuple[list[tuple[int, float | None]], int, int | None]:
    """The page of a best-match search, the total, and how many were ranked
    when not all of them (``SearchResult.ranked_only``).

    One pass over the matches, newest first, scores them (bm25) into a
    temporary table, stopping after ``q.rank_limit`` + 1: ranking is what costs
    (about a microsecond a match, and FTS5 cannot rank the top few without
    scoring every match), counting is cheap. When that many match, the newest
    ``rank_limit`` are ranked and the rest follow, newest first. The pass also
    gives the total when all the matches were scored, which saves a phrase
    query one of its passes over the index.
    """
    idx, source, where, params = plan.sql("fts")
    limit = q.rank_limit
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS ranked_hits (id INTEGER PRIMARY KEY, score REAL)")
    conn.execute("DELETE FROM temp.ranked_hits")
    window = "" if limit is None else " LIMIT ?"
    scored = conn.execute(
        f"INSERT INTO temp.ranked_hits (id, score) SELECT {idx}, {BM25} FROM {source}{where} "
        f"ORDER BY search_index.rowid DESC{window}",
        [*params, limit + 1] if limit is not None else params).rowcount
    ranked_only: int | None = None
    low = 0
    if limit is not None and scored > limit:
        ranked_only = limit
        low = int(conn.execute("SELECT min(id) FROM temp.ranked_hits").fetchone()[0])
        conn.execute("DELETE FROM temp.ranked_hits WHERE id = ?", (low,))
        if total is None:
            sql, count_params = plan.count_sql()
            total = int(conn.execute(sql, count_params).fetchone()[0])
    else:
        total = scored
    offset = (q.page - 1) * q.per_page
    # bm25 is lower for a better match; ties go to the newer work.
    order = "score ASC, id DESC" if q.descending else "score DESC, id DESC"
    page: list[tuple[int, float | None]] = [
        (int(wid), -float(score)) for wid, score in conn.execute(
            f"SELECT id, score FROM temp.ranked_hits ORDER BY {order} LIMIT ? OFFSET ?",
            (q.per_page, offset))]
    if ranked_only is not None and len(page) < q.per_page and offset + len(page) < total:
        skip = max(0, offset - ranked_only)
        page += [(int(r[0]), None) for r in conn.execute(
            f"SELECT {idx} FROM {source}{where} AND search_index.rowid <= ? "
            "ORDER BY search_index.rowid DESC LIMIT ? OFFSET ?",
            [*params, low, q.per_page - len(page), skip])]
    return page, total, ranked_only


def _snippets(conn: sqlite3.Connection, rows: Sequence[tuple[int, str]],
              terms: tuple[str, ...]) -> dict[int, str | None]:
    """Snippets for the page's works, from their text as written (see
    ``search.snippet`` for why FTS5's ``snippet()`` is not used)."""
    ids = in_list([r[0] for r in rows])
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

_CLOSED: Final = ("rating", "warning", "category")


def library_facet_counts(conn: sqlite3.Connection) -> Facets:
    """Facets of the whole library (from the per-tag counts kept by triggers)."""
    return _facets(conn, scoped=False)


def _tag_counts(table: str, *, small: bool) -> str:
    """SQL counting, per tag id, the works whose ids are in ``table``: each
    work's tags through the ``(work_id, tag_id)`` key (``small`` sets), or one
    pass over the ``(tag_id, work_id)`` index probing the set (large ones; it
    is in tag order already, so no sorting)."""
    if small:
        return (f"SELECT wt.tag_id AS tag_id, count(*) AS n FROM {table} h "
                "CROSS JOIN work_tags wt ON wt.work_id = h.id GROUP BY wt.tag_id")
    return (f"SELECT wt.tag_id AS tag_id, count(*) AS n FROM work_tags wt INDEXED BY "
            f"work_tags_tag WHERE wt.work_id IN {table} GROUP BY wt.tag_id")


def _floor(conn: sqlite3.Connection, kind: str, join: str, n: str, grouped: str) -> int | None:
    """A count that ``FACET_LIMIT`` tags of ``kind`` (without synonyms) reach or
    pass: the ``FACET_LIMIT``-th best count among its most used tags. No tag
    used fewer times can make the top (a tag's count is at most its uses);
    None when too few tags of the kind are counted to tell."""
    row = conn.execute(
        f"SELECT n FROM (SELECT {n} AS n FROM tags t INDEXED BY tags_kind_uses {join} "
        f"WHERE t.kind = ? AND t.uses > 0 AND t.canon_id = t.id AND t.id NOT IN ({grouped}) "
        "ORDER BY t.uses DESC LIMIT ?) ORDER BY n DESC LIMIT 1 OFFSET ?",
        (kind, 4 * FACET_LIMIT, FACET_LIMIT - 1)).fetchone()
    return int(row[0]) if row is not None and int(row[0]) > 0 else None


def _facets(conn: sqlite3.Connection, *, scoped: bool, total: int = 0) -> Facets:
    """Tag counts per facet over ``temp.search_hits`` (``scoped``, ``total`` ids)
    or the library.

    Counting goes by tag id (``_tag_counts``, into ``temp.facet_counts``); when
    most of the library matches, the works that do not are counted instead and
    taken from each tag's total (``tags.uses``): a common word's 99,000 matches
    cost what its 1,000 non-matches do. Only the tags that can reach a facet's
    top are read back (``_floor``), and ranked here. Synonyms are summed into
    their canonical tag (``tags.canon_id``); a canonical tag with several member
    tags counted is recounted exactly (a work may carry two of them).
    """
    if not scoped:
        join, n = "", "t.uses"
    else:
        library = int(conn.execute("SELECT count(*) FROM works").fetchone()[0])
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS facet_counts "
                     "(tag_id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        conn.execute("DELETE FROM temp.facet_counts")
        if total * 2 > library:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_misses (id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM temp.search_misses")
            misses = conn.execute("INSERT INTO temp.search_misses (id) SELECT id FROM works "
                                  "WHERE id NOT IN temp.search_hits").rowcount
            counts = _tag_counts("temp.search_misses", small=misses * 4 < library)
            join, n = "LEFT JOIN temp.facet_counts c ON c.tag_id = t.id", "t.uses - coalesce(c.n, 0)"
        else:
            counts = _tag_counts("temp.search_hits", small=total * 4 < library)
            join, n = "JOIN temp.facet_counts c ON c.tag_id = t.id", "c.n"
        counted = conn.execute(f"INSERT INTO temp.facet_counts (tag_id, n) {counts}").rowcount
        if join.startswith("JOIN") and counted <= _READ_ALL:
            join = "CROSS JOIN tags t ON t.id = c.tag_id"  # few: read them all, from the counts
    grouped = ("SELECT canon_id FROM tags WHERE canon_key IN (SELECT canonical_key FROM synonyms) "
               "AND canon_id <> id")
    if join.startswith("CROSS"):
        rows = conn.execute(f"SELECT t.kind, t.key, t.name, t.canon_id, {n} FROM temp.facet_counts c "
                            f"{join}").fetchall()
    else:
        keep = [f"t.kind IN ({', '.join(repr(k) for k in _CLOSED)})", f"t.canon_id IN ({grouped})"]
        for kind in TAG_KINDS:
            if kind not in _CLOSED:
                floor = _floor(conn, kind, join, n, grouped)
                keep.append(f"(t.kind = '{kind}'" + (f" AND t.uses >= {floor})" if floor else ")"))
        rows = conn.execute(f"SELECT t.kind, t.key, t.name, t.canon_id, {n} FROM tags t {join} "
                            f"WHERE t.uses > 0 AND ({' OR '.join(keep)})").fetchall()
    canonical = {int(r[0]) for r in conn.execute(grouped)}
    found: dict[str, list[tuple[int, str, str]]] = {}
    groups: dict[int, list[int]] = {}  # canonical tag id -> counts of its member tags
    for kind, key, name, cid, count in rows:
        if count <= 0:
            continue
        if cid in canonical:
            groups.setdefault(int(cid), []).append(int(count))
        else:
            found.setdefault(str(kind), []).append((int(count), str(key), str(name)))
    within = " AND wt.work_id IN temp.search_hits" if scoped else ""
    for cid, members in groups.items():
        count = members[0] if len(members) == 1 else conn.execute(
            "SELECT count(DISTINCT wt.work_id) FROM tags t JOIN work_tags wt INDEXED BY "
            f"work_tags_tag ON wt.tag_id = t.id WHERE t.canon_id = ?{within}", (cid,)).fetchone()[0]
        kind, key, name = conn.execute("SELECT kind, key, name FROM tags WHERE id = ?",
                                       (cid,)).fetchone()
        found.setdefault(str(kind), []).append((int(count), str(key), str(name)))
    out: Facets = {}
    for facet in FACET_KEYS:
        kind = KIND_OF_FACET[facet]
        items = sorted(found.get(kind, ()), key=lambda item: (-item[0], item[1]))
        limit = None if kind in _CLOSED else FACET_LIMIT
        out[facet] = tuple((name, n) for n, _key, name in items[:limit])
    return out
