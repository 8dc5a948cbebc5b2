"""The ficshelf web app: ``create_app(library_dir) -> Starlette``.

Server-rendered pages (Jinja2) that work without JavaScript, a JSON API under
``/api/`` and an OPDS catalog under ``/opds``, all thin shells over the store,
the search ``Query``, the importers and the exporters. Safety rules live in
``ficshelf.web.security``; run it with ``ficshelf serve``.

>>> import tempfile
>>> from starlette.testclient import TestClient
>>> with tempfile.TemporaryDirectory() as d:
...     app = create_app(d, analysis="off")
...     with TestClient(app) as client:
...         page = client.get("/")
...     page.status_code, "Content-Security-Policy" in page.headers
(200, True)
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from ficshelf.errors import FicshelfError, InputError, StoreError, WorkNotFound
from ficshelf.model import Work
from ficshelf.store import Store, open_library
from ficshelf.web import (
    api,
    opds,
    routes_import,
    routes_library,
    routes_reader,
    routes_settings,
    routes_work,
)
from ficshelf.web.context import SimilarService, WebContext, error_response, make_templates
from ficshelf.web.facets import FacetMode, FacetService
from ficshelf.web.inferred import AnalysisMode, AnalysisService
from ficshelf.web.prefs import Prefs
from ficshelf.web.security import (
    DEFAULT_MAX_UPLOAD,
    SecurityMiddleware,
    SecurityOptions,
    load_secret,
)
from ficshelf.web.timing import TimedStore

__all__ = ["create_app"]

log = logging.getLogger(__name__)
_STATIC = Path(__file__).parent / "static"


def _routes() -> list[Route | Mount]:
    return [
        *routes_library.ROUTES,
        *routes_work.ROUTES,
        *routes_reader.ROUTES,
        *routes_import.ROUTES,
        *routes_settings.ROUTES,
        *api.ROUTES,
        *opds.ROUTES,
        Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
    ]


def _status_for(exc: FicshelfError) -> int:
    if isinstance(exc, WorkNotFound):
        return 404
    if isinstance(exc, InputError):
        return 400
    return 500


async def _ficshelf_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FicshelfError)
    status = _status_for(exc)
    if status >= 500:
        log.error("%s %s: %s", request.method, request.url.path, exc)
    return error_response(request, status, str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "There is no page at this address.",
                405: "This address does not accept that kind of request."}
    text = exc.detail if exc.detail and exc.status_code not in messages else messages.get(
        exc.status_code, str(exc.detail))
    return error_response(request, exc.status_code, text)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "Something went wrong inside ficshelf; the details are "
                                        "in the server's log.")


def create_app(library_dir: str | os.PathLike[str], *, password: str | None = None,
               max_upload: int = DEFAULT_MAX_UPLOAD, analysis: AnalysisMode = "background",
               analyzer: Any = "default", per_page: int = 20,
               similar_background: bool = True, facets: FacetMode = "auto") -> Starlette:
    """The web app over the library in ``library_dir`` (created if missing).

    ``password``: required on every request when set. ``max_upload``: largest
    request body in bytes. ``analysis``: ``background`` (analyse works as they
    are viewed, in a worker thread), ``inline`` (on the spot) or ``off``;
    ``analyzer`` replaces ``understand.analyze`` (a ``Work -> dict`` callable).
    ``facets``: how the sidebar's tag counts are computed (``ficshelf.web.facets``):
    ``inline``, ``background`` or ``auto`` (inline up to 20,000 works).
    """
    folder = Path(library_dir).expanduser()
    raw_store = open_library(folder)
    store = cast(Store, TimedStore(raw_store))
    if password is not None and not password.strip():
        raw_store.close()
        raise InputError("the password is empty; give a real one or none at all")
    secret = load_secret(folder)
    similar = SimilarService(store, folder, background=similar_background)

    def analysed(work: Work, data: Mapping[str, Any]) -> None:
        similar.update(work, data)

    ctx = WebContext(
        library_dir=folder, store=store, prefs=Prefs(folder),
        analysis=AnalysisService(store, mode=analysis, analyzer=analyzer, on_ready=analysed),
        similar=similar, facets=FacetService(store, folder, mode=facets),
        templates=make_templates(), secret=secret, password=password,
        max_upload=max_upload, per_page=per_page,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        similar.start()
        ctx.facets.start()
        try:
            yield
        finally:
            ctx.facets.close()
            ctx.analysis.stop()
            similar.save()
            store.close()

    def render_refusal(scope: Scope, status: int, message: str) -> Response:
        return error_response(Request(scope), status, message)

    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(SecurityMiddleware,
                               options=SecurityOptions(secret=secret, password=password,
                                                       max_upload=max_upload),
                               render_error=render_refusal)],
        exception_handlers={FicshelfError: _ficshelf_error, HTTPException: _http_error,
                            StoreError: _ficshelf_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.web = ctx
    app.state.secret = secret
    app.state.max_upload = max_upload
    app.state.error_response = error_response
    return app
