"""The library page: AO3-style blurbs, the filter sidebar, search, paging.

Every state is a GET URL (see ``ficshelf.web.params``). Works carrying a
blocked tag are left out unless ``blocked=show``; blocked tags are left out of
the sidebar's tag lists too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ficshelf.errors import QueryError
from ficshelf.model import ArchiveWarning, Category, Rating, Work
from ficshelf.search.query import format_query, split_tag
from ficshelf.store.base import FACET_KEYS, KIND_OF_FACET, SearchResult
from ficshelf.text import fold_for_match
from ficshelf.web.context import error_response, render, web
from ficshelf.web.facets import Facets
from ficshelf.web.params import PER_PAGE_CHOICES, SORT_LABELS, Filters, parse_filters
from ficshelf.web.prefs import tag_matches_block
from ficshelf.web.render import clean_snippet

__all__ = ["FACET_LABELS", "ROUTES", "library_page", "run_filters"]

FACET_LABELS: Final = {
    "rating": "Ratings", "warnings": "Warnings", "categories": "Categories",
    "fandoms": "Fandoms", "relationships": "Relationships", "characters": "Characters",
    "freeforms": "Additional Tags",
}
_CLOSED_PARAM: Final = {"rating": "rating", "warnings": "warning", "categories": "category"}
_SIDEBAR_TAGS: Final = 12


@dataclass(frozen=True, slots=True)
class FacetItem:
    name: str
    count: int | None   # None: ticked in the URL but not among the results' top tags
    inc_value: str      # the value an "include" tick sends (kind:Tag, or the closed-set member)
    exc_value: str      # the value an "exclude" tick sends (always kind:Tag)
    included: bool
    excluded: bool


@dataclass(frozen=True, slots=True)
class Facet:
    key: str
    kind: str
    label: str
    param: str          # where "include" ticks go: inc, rating, warning or category
    items: tuple[FacetItem, ...]


def run_filters(request: Request, *, facets: bool = True) -> tuple[Filters | None, SearchResult | None,
                                                                   str | None]:
    """Parse the request's parameters and search; a bad parameter is a message, not a crash."""
    ctx = web(request)
    try:
        filters = parse_filters(request.query_params.multi_items(), blocklist=ctx.prefs.blocklist(),
                                per_page=ctx.per_page, facets=facets)
    except QueryError as exc:
        return None, None, str(exc)
    try:
        result = ctx.store.search(filters.query)
    except QueryError as exc:
        return filters, None, str(exc)
    return filters, result, None


def _facets(filters: Filters, data: Facets, blocklist: Sequence[str]) -> list[Facet]:
    out: list[Facet] = []
    for key in FACET_KEYS:
        kind = KIND_OF_FACET[key]
        param = _CLOSED_PARAM.get(key, "inc")
        closed = param != "inc"

        def item(name: str, count: int | None, *, _kind: str = kind, _param: str = param,
                 _closed: bool = closed) -> FacetItem:
            inc = name if _closed else f"{_kind}:{name}"
            exc = f"{_kind}:{name}"
            return FacetItem(name, count, inc, exc, filters.has(_param, inc), filters.has("exc", exc))

        items: list[FacetItem] = []
        seen: set[str] = set()
        for name, count in data.get(key, ()):
            if not closed and len(items) >= _SIDEBAR_TAGS:
                break
            if not filters.show_blocked and tag_matches_block(kind, name, blocklist):
                continue
            items.append(item(name, count))
            seen.add(fold_for_match(name))
        # tags ticked in the URL stay in the list even when not among the top ones
        ticked = [v if closed else split_tag(v)[1] for v in filters.values(param)
                  if closed or split_tag(v)[0] == kind]
        ticked += [split_tag(v)[1] for v in filters.values("exc") if split_tag(v)[0] == kind]
        for name in ticked:
            if fold_for_match(name) not in seen:
                items.append(item(name, None))
                seen.add(fold_for_match(name))
        out.append(Facet(key, kind, FACET_LABELS[key], param, tuple(items)))
    return out


def _work_tags(work: Work) -> list[tuple[str, str]]:
    t = work.tags
    return [*(("warning", w.value) for w in t.warnings), *(("fandom", f) for f in t.fandoms),
            *(("relationship", r) for r in t.relationships),
            *(("character", c) for c in t.characters), *(("freeform", f) for f in t.freeforms)]


def _chips(filters: Filters) -> list[tuple[str, str]]:
    """(label, link that removes it) for every active filter."""
    chips: list[tuple[str, str]] = []
    labels = {"words_from": "Words from", "words_to": "Words to", "date_from": "Updated from",
              "date_to": "Updated to", "lang": "Language", "other_inc": "Also include",
              "other_exc": "Also exclude"}
    for key, value in filters.params:
        if key == "inc":
            chips.append((split_tag(value)[1], filters.without(key, value)))
        elif key == "exc":
            chips.append(("not " + split_tag(value)[1], filters.without(key, value)))
        elif key in {"rating", "warning", "category"}:
            chips.append((value, filters.without(key, value)))
        elif key == "complete":
            chips.append(("Complete only" if value.upper().startswith("T") else "In progress only",
                          filters.without(key, value)))
        elif key == "q":
            chips.append((f"“{value}”", filters.without(key, value)))
        elif key in labels:
            chips.append((f"{labels[key]}: {value}", filters.without(key, value)))
    return chips


def _pages(current: int, total: int) -> list[int | None]:
    """Page numbers to link, ``None`` for a gap (AO3's 1 2 … 9 10 11 … 99 100)."""
    wanted = {1, 2, total - 1, total, *range(current - 2, current + 3)}
    out: list[int | None] = []
    last = 0
    for p in sorted(x for x in wanted if 1 <= x <= total):
        if p - last > 1:
            out.append(None)
        out.append(p)
        last = p
    return out


def _heading(filters: Filters | None, result: SearchResult | None) -> str:
    if result is None:
        return "Works"
    if result.total == 0:
        return "0 Works"
    first = (result.page - 1) * result.per_page + 1
    last = min(result.total, first + len(result.hits) - 1)
    if not result.hits:
        return f"{result.total:,} Works (no works on page {result.page})"
    return f"{first:,} - {last:,} of {result.total:,} Works"


def _ranked_note(filters: Filters | None, result: SearchResult | None) -> tuple[str, str] | None:
    """(note, link to rank them all) when best match ranked only the newest matches."""
    if filters is None or result is None or result.ranked_only is None:
        return None
    return (f"Best match ranks the {result.ranked_only:,} most recently added of these "
            f"{result.total:,} works; the others follow them, newest first.",
            filters.url(q=f"{filters.value('q')} rank:all".strip()))


def _sidebar(request: Request, filters: Filters | None, data: Facets | None,
             scope: str) -> dict[str, Any]:
    """What the filter sidebar (``_filters.html``) needs."""
    ctx = web(request)
    blocklist = ctx.prefs.blocklist()
    return {
        "filters": filters,
        "facets": _facets(filters, data or {}, blocklist) if filters is not None else [],
        "facet_scope": scope,
        "facets_url": "/facets" + (filters.url() if filters is not None else "?"),
        "sorts": SORT_LABELS,
        "per_page_choices": PER_PAGE_CHOICES,
        "saved_filters": ctx.prefs.filters(),
        "inline_query": format_query(filters.query) if filters else "",
    }


def library_page(request: Request) -> Response:
    ctx = web(request)
    filters, result, error = run_filters(request, facets=False)
    blocklist = ctx.prefs.blocklist()
    data, scope = (ctx.facets.lookup(filters.query) if filters is not None and result is not None
                   else (None, "none"))
    hits = []
    if result is not None:
        show = filters is not None and filters.show_blocked
        for hit in result.hits:
            names = [tag for kind, tag in _work_tags(hit.work)
                     if show and tag_matches_block(kind, tag, blocklist)]
            hits.append((hit, names))
    context: dict[str, Any] = {
        **_sidebar(request, filters, data, scope),
        "hits": hits,
        "page_title": "Library",
        "result": result,
        "error": error,
        "chips": _chips(filters) if filters else [],
        "heading": _heading(filters, result),
        "ranked_note": _ranked_note(filters, result),
        "pages": _pages(result.page, result.pages) if result else [],
        "snippet": clean_snippet,
        "blocklist": blocklist,
        "search_q": filters.value("q") if filters else request.query_params.get("q", ""),
        "ratings": [r.value for r in Rating],
        "warnings": [w.value for w in ArchiveWarning],
        "categories": [c.value for c in Category],
        "library_size": ctx.store.count() if result is not None and not result.total else None,
    }
    return render(request, "library.html", status=400 if error else 200, **context)


def facets_fragment(request: Request) -> Response:
    """The sidebar with the counts for these results, once they are counted
    (202 and no body while the worker is still counting)."""
    ctx = web(request)
    try:
        filters = parse_filters(request.query_params.multi_items(),
                                blocklist=ctx.prefs.blocklist(), per_page=ctx.per_page,
                                facets=False)
    except QueryError as exc:
        return error_response(request, 400, str(exc))
    data = ctx.facets.cached(filters.query)
    if data is None:
        if ctx.facets.mode == "inline":
            data = ctx.facets.compute(filters.query)
        else:
            ctx.facets.request(filters.query)
            return Response(status_code=202, headers={"Retry-After": "1"})
    return render(request, "_filters.html", **_sidebar(request, filters, data, "results"))


ROUTES: Final = [Route("/", library_page, name="library"),
                  Route("/facets", facets_fragment, name="facets")]
