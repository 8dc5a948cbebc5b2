"""An OPDS 1.2 catalog of the library, for e-reader apps.

``/opds`` is the navigation root: recent works, and works by fandom, by
relationship and by additional tag (navigation feeds of tags with their
counts, each leading to an acquisition feed). Acquisition feeds list works
with an EPUB acquisition link to the export route (and HTML and text ones),
paged with ``next``/``previous`` links; ``/opds/works`` takes the library
page's filter parameters. Search is OpenSearch (``/opds/opensearch.xml``,
``/opds/search?q=``). Blocked tags are hidden as on the pages.

Feeds are built with lxml, so every title and tag is escaped XML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final
from urllib.parse import quote, urlencode

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ficshelf.model import Work
from ficshelf.store.base import SearchResult
from ficshelf.web.context import error_response, web
from ficshelf.web.prefs import tag_matches_block
from ficshelf.web.routes_library import run_filters

__all__ = ["ACQUISITION", "NAVIGATION", "ROUTES"]

ATOM: Final = "http://www.w3.org/2005/Atom"
OPDS: Final = "http://opds-spec.org/2010/catalog"
DC: Final = "http://purl.org/dc/terms/"
OS: Final = "http://a9.com/-/spec/opensearch/1.1/"
NAVIGATION: Final = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION: Final = "application/atom+xml;profile=opds-catalog;kind=acquisition"
_NSMAP: Final = {None: ATOM, "opds": OPDS, "dc": DC, "opensearch": OS}
_BROWSE: Final = {"fandoms": ("fandom", "Fandoms"), "relationships": ("relationship", "Relationships"),
                  "tags": ("freeform", "Additional Tags"), "characters": ("character", "Characters")}
_TAG_LIMIT: Final = 500
_FORMATS: Final = (("epub", "application/epub+zip", "http://opds-spec.org/acquisition"),
                   ("html", "text/html", "http://opds-spec.org/acquisition"),
                   ("txt", "text/plain", "http://opds-spec.org/acquisition"))


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _sub(parent: etree._Element, tag: str, text: str | None = None, ns: str = ATOM,
         **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _feed(request: Request, feed_id: str, title: str, kind: str) -> etree._Element:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=_NSMAP)  # type: ignore[arg-type]
    _sub(feed, "id", f"urn:ficshelf:{feed_id}")
    _sub(feed, "title", title)
    _sub(feed, "updated", _now())
    author = _sub(feed, "author")
    _sub(author, "name", "ficshelf")
    self_href = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    _sub(feed, "link", rel="self", href=self_href, type=kind)
    _sub(feed, "link", rel="start", href="/opds", type=NAVIGATION)
    _sub(feed, "link", rel="up", href="/opds", type=NAVIGATION)
    _sub(feed, "link", rel="search", href="/opds/opensearch.xml",
         type="application/opensearchdescription+xml")
    return feed


def _xml(feed: etree._Element, media_type: str) -> Response:
    body = etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return Response(body, media_type=media_type)


def _nav_entry(feed: etree._Element, entry_id: str, title: str, href: str, content: str,
               kind: str = ACQUISITION, rel: str = "subsection") -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "title", title)
    _sub(entry, "id", f"urn:ficshelf:{entry_id}")
    _sub(entry, "updated", _now())
    _sub(entry, "content", content, type="text")
    _sub(entry, "link", rel=rel, href=href, type=kind)


def root(request: Request) -> Response:
    feed = _feed(request, "root", "ficshelf library", NAVIGATION)
    count = web(request).store.count()
    _nav_entry(feed, "recent", "Recently updated works", "/opds/works?sort=updated",
               f"All {count:,} works, newest first.", rel="http://opds-spec.org/sort/new")
    _nav_entry(feed, "popular", "Most kudos", "/opds/works?sort=kudos",
               "All works, most kudos first.", rel="http://opds-spec.org/sort/popular")
    for path, (_, label) in _BROWSE.items():
        _nav_entry(feed, f"browse:{path}", f"By {label.lower()}", f"/opds/{path}",
                   f"Works grouped by {label.lower()}.", kind=NAVIGATION)
    return _xml(feed, NAVIGATION)


def browse(request: Request) -> Response:
    what = str(request.path_params["what"])
    if what not in _BROWSE:
        return error_response(request, 404, f"no OPDS listing {what!r}; try /opds")
    kind, label = _BROWSE[what]
    ctx = web(request)
    blocklist = ctx.prefs.blocklist()
    feed = _feed(request, f"browse:{what}", f"Works by {label.lower()}", NAVIGATION)
    for _, tag, works in ctx.store.tags(kind=kind, limit=_TAG_LIMIT):
        if tag_matches_block(kind, tag, blocklist):
            continue
        href = "/opds/works?" + urlencode({"inc": f"{kind}:{tag}", "sort": "updated"})
        _nav_entry(feed, f"{kind}:{quote(tag, safe='')}", tag, href,
                   f"{works:,} work{'s' if works != 1 else ''}")
    return _xml(feed, NAVIGATION)


def _work_entry(feed: etree._Element, work: Work) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "title", work.title)
    _sub(entry, "id", work.url or f"urn:ficshelf:work:{work.id}")
    day = work.updated or work.published
    _sub(entry, "updated", f"{day.isoformat()}T00:00:00Z" if day else _now())
    for name in work.authors or ("Anonymous",):
        author = _sub(entry, "author")
        _sub(author, "name", name)
    if work.language:
        _sub(entry, "language", work.language, ns=DC)
    if work.published:
        _sub(entry, "issued", work.published.isoformat(), ns=DC)
    t = work.tags
    for scheme, values in (("fandom", t.fandoms), ("relationship", t.relationships),
                           ("character", t.characters), ("freeform", t.freeforms)):
        for v in values:
            _sub(entry, "category", term=v, label=v, scheme=f"urn:ficshelf:{scheme}")
    if t.rating:
        _sub(entry, "category", term=t.rating.value, label=t.rating.value,
             scheme="urn:ficshelf:rating")
    lines = [f"Words: {work.words or 0:,}",
             f"Chapters: {work.chapter_count or 0}/{work.chapters_expected or '?'}"]
    if t.fandoms:
        lines.insert(0, "Fandoms: " + ", ".join(t.fandoms))
    summary = (work.summary or "").strip()
    _sub(entry, "summary", "\n".join([*lines, "", summary]).strip(), type="text")
    for fmt, media, rel in _FORMATS:
        _sub(entry, "link", rel=rel, href=f"/works/{work.id}/export/{fmt}", type=media)
    _sub(entry, "link", rel="alternate", href=f"/works/{work.id}", type="text/html")


def _paging(feed: etree._Element, request: Request, result: SearchResult) -> None:
    _sub(feed, "totalResults", str(result.total), ns=OS)
    _sub(feed, "itemsPerPage", str(result.per_page), ns=OS)
    _sub(feed, "startIndex", str((result.page - 1) * result.per_page + 1), ns=OS)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def href(page: int) -> str:
        q = urlencode([*params, ("page", str(page))] if page > 1 else params)
        return request.url.path + (f"?{q}" if q else "")

    _sub(feed, "link", rel="first", href=href(1), type=ACQUISITION)
    if result.page > 1:
        _sub(feed, "link", rel="previous", href=href(result.page - 1), type=ACQUISITION)
    if result.page < result.pages:
        _sub(feed, "link", rel="next", href=href(result.page + 1), type=ACQUISITION)
    _sub(feed, "link", rel="last", href=href(result.pages), type=ACQUISITION)


def _acquisition(request: Request, feed_id: str, title: str) -> Response:
    _filters, result, error = run_filters(request, facets=False)
    if error is not None or result is None:
        return error_response(request, 400, error or "cannot run that search")
    feed = _feed(request, feed_id, title, ACQUISITION)
    _paging(feed, request, result)
    for hit in result.hits:
        _work_entry(feed, hit.work)
    return _xml(feed, ACQUISITION)


def _title(request: Request, default: str) -> str:
    tags: Sequence[str] = request.query_params.getlist("inc")
    if tags:
        return ", ".join(t.partition(":")[2] or t for t in tags)
    return default


def works(request: Request) -> Response:
    return _acquisition(request, "works:" + quote(str(request.url.query), safe=""),
                        _title(request, "Works"))


def search(request: Request) -> Response:
    q = request.query_params.get("q", "")
    return _acquisition(request, "search:" + quote(q, safe=""), f"Search: {q}" if q else "Search")


def opensearch(request: Request) -> Response:
    doc = etree.Element(f"{{{OS}}}OpenSearchDescription", nsmap={None: OS})  # type: ignore[dict-item]
    _sub(doc, "ShortName", "ficshelf", ns=OS)
    _sub(doc, "Description", "Search the ficshelf library (AO3's search syntax works)", ns=OS)
    _sub(doc, "InputEncoding", "UTF-8", ns=OS)
    _sub(doc, "OutputEncoding", "UTF-8", ns=OS)
    _sub(doc, "Url", ns=OS, type=ACQUISITION, template="/opds/search?q={searchTerms}")
    body = etree.tostring(doc, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return Response(body, media_type="application/opensearchdescription+xml")


ROUTES: Final = [
    Route("/opds", root, name="opds"),
    Route("/opds/works", works, name="opds_works"),
    Route("/opds/search", search, name="opds_search"),
    Route("/opds/opensearch.xml", opensearch, name="opds_opensearch"),
    Route("/opds/{what}", browse, name="opds_browse"),
]
