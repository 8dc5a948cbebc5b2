"""AO3-style search over the SQLite store: run a plan (``_plan``), make facets.

- the total comes from one counting statement (or, with facets, from filling a
  temporary table with the matching ids, which the facets then count);
- the page is a second statement, shaped by ``_plan.choose_page``; the page's
  JSON is read from ``work_meta`` for those works only;
- scores are bm25 when sorting by best match (None otherwise); snippets come
  from ``search.snippet`` over the page's text as written (FTS5's ``snippet()``
  scores every pair of matches: seconds on a long work with a common word);
- facets count ``work_tags`` rows of the matching works and merge synonymous
  tags; with no filter at all they come from the per-tag counts kept by triggers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from ficshelf.search.query import Query, text_terms
from ficshelf.search.snippet import make_snippet
from ficshelf.store._plan import BM25, Resolver, choose_page, in_list, make_plan, order_by
from ficshelf.store._records import work_from_row
from ficshelf.store.base import FACET_KEYS, KIND_OF_FACET, Hit, SearchResult

__all__ = ["FACET_LIMIT", "canonical_display", "group_tags", "run_search"]

#: Most tags listed per facet (the closed sets are always listed whole).
FACET_LIMIT: Final = 50


def run_search(conn: sqlite3.Connection, q: Query, *, resolve: Resolver) -> SearchResult:
    """Execute a query: one page of hits, the total, and facets if asked."""
    plan = make_plan(q, resolve)
    facets: dict[str, tuple[tuple[str, int], ...]] = {}
    if plan.empty:
        if q.facets:
            facets = {key: () for key in FACET_KEYS}
        return SearchResult(total=0, hits=(), facets=facets, page=q.page, per_page=q.per_page)
    idx, source, where, params = plan.sql("fts" if plan.ranked else "drive")
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
    page: list[tuple[int, float | None]] = []
    if offset < total:
        library = int(conn.execute("SELECT coalesce(max(id), 0) FROM works").fetchone()[0])
        drive, index = choose_page(q, plan, total=total, library=library)
        idx, source, where, params = plan.sql(drive, index=index)
        score = BM25 if drive == "fts" else "NULL"
        page = [(int(r[0]), None if r[1] is None else -float(r[1])) for r in conn.execute(
            f"SELECT {idx}, {score} FROM {source}{where} ORDER BY {order_by(q, plan, idx)} "
            "LIMIT ? OFFSET ?", [*params, q.per_page, offset])]
    ids = in_list([wid for wid, _ in page])
    metas = {int(wid): str(meta) for wid, meta in conn.execute(
        f"SELECT work_id, meta FROM work_meta WHERE work_id IN ({ids})")}
    rows = [(wid, metas[wid]) for wid, _ in page if wid in metas]
    snippets = _snippets(conn, rows, text_terms(q.text).include) if plan.ranked and rows else {}
    hits = tuple(
        Hit(work=work_from_row(wid, metas[wid]), snippet=snippets.get(wid), score=score)
        for wid, score in page if wid in metas
    )
    return SearchResult(total=total, hits=hits, facets=facets, page=q.page, per_page=q.per_page)


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
