"""The reader: one chapter or the whole work, remembered position, themes.

Positions are saved per work and chapter in the work's user data
(``position``: the last place read; ``positions``: the place in each chapter)
as a block number (``pN`` ids on paragraphs) and a fraction into that block.
The site script posts them as the reader scrolls (CSRF-checked); ``?pos=12.5``
and ``#p12`` jump to a place without any script.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Final

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ficshelf.errors import InputError
from ficshelf.model import Chapter, Work
from ficshelf.web.claims import claims_from_analysis
from ficshelf.web.context import FONT_SIZES, THEMES, error_response, render, safe_next, web
from ficshelf.web.render import Mark, render_markup, render_text
from ficshelf.web.routes_work import blocked_tags, load_work
from ficshelf.web.security import csrf_protected

__all__ = ["ROUTES", "chapter_body", "parse_pos"]

_POS: Final = re.compile(r"^(\d{1,6})(?:\.(\d{1,4}))?$")
_MAX_BLOCK: Final = 1_000_000


def parse_pos(raw: str | None) -> tuple[int, float] | None:
    """``"12.5"`` -> ``(12, 0.5)``: block 12, halfway into it.

    >>> parse_pos("12.5"), parse_pos("3"), parse_pos("x")
    ((12, 0.5), (3, 0.0), None)
    """
    if not raw:
        return None
    m = _POS.match(raw.strip())
    if m is None:
        return None
    return int(m.group(1)), float("0." + m.group(2)) if m.group(2) else 0.0


def _fmt_pos(block: int, offset: float) -> str:
    return f"{block}.{round(offset * 1000):03d}".rstrip("0").rstrip(".") if offset else str(block)


def chapter_body(chapter: Chapter, *, marks: list[Mark] | None = None, prefix: str = "") -> Markup:
    """A chapter's text for reading: its markup when it has some and nothing is
    highlighted, else its paragraphs (where evidence offsets apply)."""
    if chapter.html and not marks:
        body = render_markup(chapter.html)
    else:
        body = render_text(chapter.text, marks or ())
    if prefix:
        body = Markup(re.sub(r' id="p(\d+)"', rf' id="{prefix}p\1"', str(body)))
    return body


def _chapter_index(work: Work, number: int) -> int | None:
    for i, c in enumerate(work.chapters):
        if c.number == number:
            return i
    return None


def _marks(request: Request, work: Work, chapter: Chapter) -> tuple[list[Mark], str | None]:
    key = request.query_params.get("evidence")
    if not key:
        return [], None
    ctx = web(request)
    inferred = ctx.analysis.get(work)
    if inferred.status != "ready":
        return [], None
    claims = claims_from_analysis(inferred.data, {c.number: c.text for c in work.chapters})
    claim = next((c for c in claims if c.key == key), None)
    if claim is None:
        return [], None
    marks = [Mark(p.start, p.end, f"ev-{i}") for i, p in enumerate(claim.evidence)
             if p.chapter == chapter.number and p.start is not None and p.end is not None]
    return marks, claim.label


def _saved(data: Mapping[str, Any], chapter: int) -> str | None:
    positions = data.get("positions")
    if isinstance(positions, Mapping):
        p = positions.get(str(chapter))
        if isinstance(p, Mapping) and isinstance(p.get("block"), int):
            return _fmt_pos(int(p["block"]), float(p.get("offset") or 0.0))
    return None


def read_start(request: Request) -> Response:
    """Continue where the reader left off (or start at the first chapter);
    ``?chapter=N`` (the chapter menu without JavaScript) goes to that chapter."""
    ctx = web(request)
    work = load_work(request)
    if not work.chapters:
        return error_response(request, 404, "This work has no chapter text to read; re-import it "
                                            "from a download that includes the text.")
    wanted = request.query_params.get("chapter", "")
    if wanted.isdigit() and _chapter_index(work, int(wanted)) is not None:
        return RedirectResponse(f"/works/{work.id}/read/{int(wanted)}", status_code=303)
    pos = ctx.store.get_user_data(int(work.id or 0)).get("position")
    if isinstance(pos, Mapping) and isinstance(pos.get("chapter"), int) and \
            _chapter_index(work, int(pos["chapter"])) is not None:
        block = int(pos.get("block") or 0)
        where = _fmt_pos(block, float(pos.get("offset") or 0.0))
        return RedirectResponse(f"/works/{work.id}/read/{pos['chapter']}?pos={where}#p{block}",
                                status_code=303)
    return RedirectResponse(f"/works/{work.id}/read/{work.chapters[0].number}", status_code=303)


def _gate(request: Request, work: Work) -> Response | None:
    blocked = blocked_tags(work, web(request).prefs.blocklist())
    if blocked and request.query_params.get("blocked") != "show":
        return render(request, "blocked.html", page_title=work.title, work=work, blocked=blocked)
    return None


def read_chapter(request: Request) -> Response:
    ctx = web(request)
    work = load_work(request)
    gate = _gate(request, work)
    if gate is not None:
        return gate
    number = int(request.path_params["chapter"])
    index = _chapter_index(work, number)
    if index is None:
        return error_response(request, 404, f"{work.title!r} has no chapter {number} in this "
                                            "library; pick one from the chapter list.")
    chapter = work.chapters[index]
    marks, marked = _marks(request, work, chapter)
    saved = _saved(ctx.store.get_user_data(int(work.id or 0)), number)
    prev_ch = work.chapters[index - 1] if index > 0 else None
    next_ch = work.chapters[index + 1] if index + 1 < len(work.chapters) else None
    pos = request.query_params.get("pos")
    return render(request, "reader.html", page_title=f"{work.title} — Chapter {number}",
                  work=work, chapter=chapter, chapters=[chapter], whole=False,
                  bodies={chapter.number: chapter_body(chapter, marks=marks)},
                  prev_ch=prev_ch, next_ch=next_ch, marked=marked,
                  pos=pos if parse_pos(pos) else (saved or ""), saved=saved,
                  reader_class="reader")


def read_all(request: Request) -> Response:
    work = load_work(request)
    gate = _gate(request, work)
    if gate is not None:
        return gate
    if not work.chapters:
        return error_response(request, 404, "This work has no chapter text to read.")
    bodies = {c.number: chapter_body(c, prefix=f"c{c.number}-") for c in work.chapters}
    return render(request, "reader.html", page_title=f"{work.title} — Entire Work", work=work,
                  chapter=None, chapters=list(work.chapters), whole=True, bodies=bodies,
                  prev_ch=None, next_ch=None, marked=None, pos="", saved=None,
                  reader_class="reader whole")


@csrf_protected
async def save_position(request: Request, form: FormData) -> Response:
    """Remember the place read: ``chapter``, ``block`` and ``offset`` (0-1) or ``pos``."""
    ctx = web(request)
    work_id = int(request.path_params["work_id"])
    try:
        chapter = int(str(form.get("chapter") or ""))
        pos = parse_pos(str(form.get("pos") or "")) if form.get("pos") else None
        if pos is None:
            block = int(str(form.get("block") or "0"))
            offset = float(str(form.get("offset") or "0"))
        else:
            block, offset = pos
    except ValueError:
        raise InputError("a reading position needs a chapter number, a block number and an "
                         "offset between 0 and 1") from None
    if not (0 <= block <= _MAX_BLOCK and 0.0 <= offset <= 1.0):
        raise InputError("a reading position needs a block from 0 and an offset between 0 and 1")
    work = await run_in_threadpool(ctx.store.get, work_id)
    if _chapter_index(work, chapter) is None:
        raise InputError(f"{work.title!r} has no chapter {chapter}")

    def write() -> None:
        store = ctx.store
        data = store.get_user_data(work_id)
        positions = data.get("positions")
        positions = dict(positions) if isinstance(positions, Mapping) else {}
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        entry = {"block": block, "offset": round(offset, 4), "at": at}
        positions[str(chapter)] = entry
        store.set_user_data(work_id, "positions", positions)
        store.set_user_data(work_id, "position", {"chapter": chapter, **entry})

    await run_in_threadpool(write)
    if "application/json" in request.headers.get("accept", "") or request.headers.get("x-csrf-token"):
        return JSONResponse({"saved": True, "chapter": chapter, "pos": _fmt_pos(block, offset)})
    return RedirectResponse(f"/works/{work_id}/read/{chapter}?pos={_fmt_pos(block, offset)}#p{block}",
                            status_code=303)


@csrf_protected
async def set_prefs(request: Request, form: FormData) -> Response:
    """Theme and font size, kept in cookies; back to the page the form was on."""
    theme = str(form.get("theme") or request.cookies.get("theme") or "light")
    if theme not in THEMES:
        theme = "light"
    try:
        font = int(str(form.get("font") or request.cookies.get("font") or "3"))
    except ValueError:
        font = 3
    step = str(form.get("step") or "")
    if step == "bigger":
        font += 1
    elif step == "smaller":
        font -= 1
    font = min(max(font, FONT_SIZES[0]), FONT_SIZES[-1])
    if request.headers.get("x-csrf-token"):
        response: Response = JSONResponse({"theme": theme, "font": font})
    else:
        response = RedirectResponse(safe_next(str(form.get("next") or "")), status_code=303)
    year = 365 * 24 * 3600
    response.set_cookie("theme", theme, max_age=year, samesite="lax", httponly=False)
    response.set_cookie("font", str(font), max_age=year, samesite="lax", httponly=False)
    return response


ROUTES: Final = [
    Route("/works/{work_id:int}/read", read_start, name="read"),
    Route("/works/{work_id:int}/read/all", read_all, name="read_all"),
    Route("/works/{work_id:int}/read/{chapter:int}", read_chapter, name="read_chapter"),
    Route("/works/{work_id:int}/position", save_position, methods=["POST"], name="position"),
    Route("/prefs", set_prefs, methods=["POST"], name="prefs"),
]
