"""AO3 pages that do not hold a work: say what the page is and how to get the real one.

People save the page they are looking at, and on AO3 that is often not the work:
the adult-content warning, the log-in page a registered-users-only work sends
logged-out readers to, a tag or search listing, a series page or a work's
chapter index. ``raise_not_a_work`` names the page by what AO3 itself marks it
with (the class of ``#main``, e.g. ``works-show``, ``sessions-new``,
``works-index``, ``series-show``, ``works-navigate``, and the blocks inside it)
and raises the matching ``NotAWork`` error.
"""

from __future__ import annotations

from typing import Any, NoReturn

from lxml import etree

from ficshelf.errors import (
    AdultContentGate,
    ChapterIndexPage,
    ListingPage,
    LoginRequired,
    NotAWork,
    SeriesPage,
)
from ficshelf.importers._ao3dom import has_class, select, text_of, work_url, work_url_parts

__all__ = ["raise_not_a_work"]

_MAIN = etree.XPath("//*[@id='main']")
_TITLE = etree.XPath("//title")


def _heading(main: Any) -> str:
    for el in main.iter("h2"):
        text = text_of(el)
        if text:
            return text
    return ""


def _blurb_work(main: Any) -> tuple[str, str | None]:
    """Title and address of the first work blurb on the page (the gated work)."""
    for li in main.iter("li"):
        if not (has_class(li, "work") and has_class(li, "blurb")):
            continue
        for a in li.iter("a"):
            host, wid = work_url_parts(a.get("href"))
            if wid:
                return text_of(a), work_url(host, wid)
    return "", None


def _has(main: Any, tag: str, *classes: str) -> bool:
    return any(all(has_class(el, c) for c in classes) for el in main.iter(tag))


def raise_not_a_work(doc: Any, *, shown: str) -> NoReturn:
    """Raise the ``NotAWork`` error that describes this AO3 page."""
    mains = select(_MAIN, doc)
    main = mains[0] if mains else doc
    kind = set((main.get("class") or "").split())
    heading = _heading(main)

    if any(has_class(el, "caution") for el in main.iter("p")) or "adult content" in heading.casefold():
        title, url = _blurb_work(main)
        what = f' for "{title}"' if title else ""
        where = f"open {url}" if url else "open the work"
        raise AdultContentGate(
            f"{shown}: this is AO3's adult-content warning{what}, not the work; {where}, click 'Proceed' "
            "(now 'Yes, Continue') or add ?view_adult=true to the address, and save the page again"
        )
    if "sessions-new" in kind or main.find(".//*[@id='signin']") is not None or (
        kind & {"session", "sessions"}
    ):
        raise LoginRequired(
            f"{shown}: this is AO3's log-in page, not the work (it is shown to registered users only); "
            "log in to AO3, open the work and save the page again (or use its Download → HTML)"
        )
    if "works-navigate" in kind or _has(main, "ol", "chapter", "index"):
        raise ChapterIndexPage(
            f"{shown}: this is a work's chapter index ({heading or 'Chapter Index'}), not its text; "
            "open the work, choose 'Entire Work' and save that page (or use Download → HTML)"
        )
    if "series-show" in kind or _has(main, "dl", "series", "meta"):
        name = f' "{heading}"' if heading else ""
        raise SeriesPage(
            f"{shown}: this is the AO3 series page{name}, which lists works but holds none of their text; "
            "import the works themselves (save each work's page or download it)"
        )
    if any(k.endswith("-index") or k.endswith("-search") for k in kind) or _has(main, "ol", "index", "group"):
        name = f" ({heading})" if heading else ""
        raise ListingPage(
            f"{shown}: this is an AO3 listing of many works{name}, not one work; "
            "open a work and save its page, or use its Download → HTML"
        )
    titles = select(_TITLE, doc)
    name = text_of(titles[0]) if titles else heading
    detail = f" ({name})" if name else ""
    raise NotAWork(
        f"{shown}: this AO3 page{detail} does not hold a work; open the work itself and save its page, "
        "or use its Download → HTML"
    )

