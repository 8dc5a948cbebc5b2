"""The web app's shared state (``WebContext``) and page rendering helpers.

One ``WebContext`` per app: the open store, the library's web preferences, the
analysis cache, the "more like this" index, templates and the security
settings. Endpoints reach it with ``web(request)``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.templating import Jinja2Templates

from ficshelf.model import ArchiveWarning, Category, Rating, Work
from ficshelf.similar import INDEX_FILE, SimilarIndex, build_index
from ficshelf.store import open_library
from ficshelf.store.base import Store
from ficshelf.web.facets import FacetService
from ficshelf.web.inferred import AnalysisService
from ficshelf.web.prefs import Prefs
from ficshelf.web.render import ao3_date, plain_paragraphs

__all__ = [
    "FONT_SIZES",
    "THEMES",
    "SimilarService",
    "WebContext",
    "chapters_label",
    "error_response",
    "make_templates",
    "render",
    "required_tags",
    "safe_next",
    "tag_url",
    "wants_json",
    "web",
    "words_of",
]

log = logging.getLogger(__name__)

THEMES: Final = ("light", "dark", "sepia")
FONT_SIZES: Final = (1, 2, 3, 4, 5, 6, 7)
_TEMPLATES: Final = Path(__file__).parent / "templates"
_SYNC_BUILD_LIMIT: Final = 5000


class SimilarService:
    """The library's "more like this" index: loaded from its file, (re)built when
    missing or out of date (in the background for large libraries), updated as
    works are imported or analysed, saved after changes."""

    def __init__(self, store: Store, folder: Path, *, background: bool = True) -> None:
        self.store = store
        self.folder = folder
        self.path = folder / INDEX_FILE
        self.background = background
        self._index: SimilarIndex | None = None
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()
        self._building = False
        self.error: str | None = None

    def start(self) -> None:
        count = self.store.count()
        if self.path.exists():
            try:
                index = SimilarIndex.load(self.path)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("rebuilding %s: %s", self.path, exc)
            else:
                if len(index) == count:
                    self._index = index
                    return
        if self.background and count > _SYNC_BUILD_LIMIT:
            self._building = True
            threading.Thread(target=self._build, name="ficshelf-similar", daemon=True).start()
        else:
            self._building = True
            self._build()

    def _build(self) -> None:
        """Index every work, reading them on a connection of its own (so pages
        are not kept waiting on the app's connection meanwhile)."""
        try:
            with open_library(self.folder) as reader:
                index = build_index(reader)
            with self._lock:
                self._index = index
            self.save()
        except Exception as exc:  # the pages work without it
            log.exception("cannot build the similarity index")
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._building = False

    def refresh_if_stale(self) -> None:
        """Rebuild in the background when the library's size no longer matches the
        index (works added or deleted by the command line while serving)."""
        index = self._index
        if index is None or self._building or len(index) == self.store.count():
            return
        with self._lock:
            if self._building:
                return
            self._building = True
        threading.Thread(target=self._build, name="ficshelf-similar", daemon=True).start()

    @property
    def building(self) -> bool:
        return self._building

    @property
    def index(self) -> SimilarIndex | None:
        return self._index

    def save(self) -> None:
        index = self._index
        if index is None:
            return
        with self._save_lock:
            try:
                index.save(self.path)
            except OSError as exc:
                log.warning("cannot save %s: %s", self.path, exc)

    def update(self, work: Work, style: Mapping[str, Any] | None = None) -> None:
        index = self._index
        if index is not None and work.id is not None:
            index.add(work, style)

    def save_later(self) -> None:
        threading.Thread(target=self.save, name="ficshelf-similar-save", daemon=True).start()


@dataclass(kw_only=True)
class WebContext:
    library_dir: Path
    store: Store
    prefs: Prefs
    analysis: AnalysisService
    similar: SimilarService
    facets: FacetService
    templates: Jinja2Templates
    secret: bytes
    password: str | None
    max_upload: int
    per_page: int = 20
    extra: dict[str, Any] = field(default_factory=dict)


def web(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.web
    return ctx


def tag_url(kind: str, name: str) -> str:
    """The library filtered to one tag (what an AO3 tag link shows)."""
    return "/?inc=" + quote(f"{kind}:{name}", safe="")


def _number(value: Any) -> str:
    if value is None:
        return ""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


_RATING_CODES: Final = {Rating.GENERAL: ("G", "general"), Rating.TEEN: ("T", "teen"),
                        Rating.MATURE: ("M", "mature"), Rating.EXPLICIT: ("E", "explicit"),
                        Rating.NOT_RATED: ("", "notrated")}
_CATEGORY_CODES: Final = {Category.GEN: "gen", Category.FM: "het", Category.MM: "slash",
                          Category.FF: "femslash", Category.MULTI: "multi", Category.OTHER: "other"}


def required_tags(work: Work) -> dict[str, tuple[str, str, str]]:
    """AO3's four required-tag squares: ``(css class, symbol, description)`` each.

    >>> required_tags(Work(title="t", chapters=(), complete=True))["complete"]
    ('complete-yes', '✓', 'Complete Work')
    """
    t = work.tags
    code, cls = _RATING_CODES.get(t.rating, ("", "notrated")) if t.rating else ("", "notrated")
    rating = (f"rating-{cls}", code, t.rating.value if t.rating else "No rating")
    if not t.categories:
        category = ("category-none", "", "No category")
    elif len(t.categories) > 1:
        category = ("category-multi", "", ", ".join(c.value for c in t.categories))
    else:
        c = t.categories[0]
        symbol = {"het": "♀♂", "slash": "♂♂", "femslash": "♀♀", "gen": "○", "multi": "",
                  "other": "?"}[_CATEGORY_CODES[c]]
        category = (f"category-{_CATEGORY_CODES[c]}", symbol, c.value)
    warnings = t.warnings
    desc = ", ".join(w.value for w in warnings) or "No archive warnings given"
    if any(w not in {ArchiveWarning.NONE_APPLY, ArchiveWarning.CHOSE_NOT_TO_WARN} for w in warnings):
        warning = ("warning-yes", "!", desc)
    elif ArchiveWarning.CHOSE_NOT_TO_WARN in warnings:
        warning = ("warning-choosenotto", "?", desc)
    elif warnings:
        warning = ("warning-no", "", desc)
    else:
        warning = ("warning-unknown", "", desc)
    if work.complete:
        complete = ("complete-yes", "✓", "Complete Work")
    elif work.complete is False:
        complete = ("complete-no", "", "Work in Progress")
    else:
        complete = ("complete-unknown", "", "Completion unknown")
    return {"rating": rating, "category": category, "warning": warning, "complete": complete}


def words_of(work: Work) -> int | None:
    """The stated word count, else ficshelf's own count of the chapters present."""
    if work.words is not None:
        return work.words
    return work.text_words if work.chapters else None


def chapters_label(work: Work) -> str:
    count = work.chapter_count or len(work.chapters) or 0
    expected = work.chapters_expected
    if expected is None and work.complete:
        expected = count
    return f"{count}/{expected if expected else '?'}"


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to go back to (never another site).

    >>> safe_next("/works/3?x=1"), safe_next("//evil.example/"), safe_next("https://x.y/")
    ('/works/3?x=1', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def make_templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(
        enabled_extensions=("html", "xml"), default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["ao3_date"] = ao3_date
    env.filters["number"] = _number
    env.filters["paragraphs"] = plain_paragraphs
    env.globals["tag_url"] = tag_url
    env.globals["required_tags"] = required_tags
    env.globals["chapters_label"] = chapters_label
    env.globals["words_of"] = words_of
    env.globals["THEMES"] = THEMES
    return Jinja2Templates(env=env)


def _prefs(request: Request) -> tuple[str, int]:
    theme = request.cookies.get("theme", "light")
    if theme not in THEMES:
        theme = "light"
    try:
        font = int(request.cookies.get("font", "3"))
    except ValueError:
        font = 3
    return theme, font if font in FONT_SIZES else 3


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A page: the template with the request, CSRF token, theme and font size."""
    ctx = web(request)
    theme, font = _prefs(request)
    base = {
        "request": request,
        "csrf_token": request.state.csrf_token,
        "theme": theme,
        "font": font,
        "password_set": ctx.password is not None,
        "page_title": "",
        "search_q": "",
    }
    base.update(context)
    return ctx.templates.TemplateResponse(request, template, base, status_code=status)


_TITLES: Final = {400: "That cannot be done", 401: "Log in", 403: "Not allowed",
                  404: "Not found", 405: "Not allowed", 413: "Upload too large",
                  500: "Something went wrong"}


def wants_json(request: Request) -> bool:
    path = request.url.path
    accept = request.headers.get("accept", "")
    return path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def error_response(request: Request, status: int, message: str) -> Response:
    """An error as a page (or JSON for the API), with a one-line message."""
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    if request.url.path.startswith("/opds"):
        return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")
    try:
        return render(request, "error.html", status=status, page_title=_TITLES.get(status, "Error"),
                      code=status, message=message)
    except Exception:  # the error page itself must never fail
        log.exception("error page failed")
        return HTMLResponse(f"<!doctype html><title>{status}</title><p>{Markup.escape(message)}</p>",
                            status_code=status)
