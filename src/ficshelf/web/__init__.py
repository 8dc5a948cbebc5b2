"""The ficshelf web app: a reading site over the library, a JSON API and an OPDS catalog.

``create_app(library_dir, *, password=None) -> Starlette`` (``ficshelf.web.app``);
``ficshelf serve`` runs it with uvicorn. Pages are rendered on the server and
work without JavaScript; ``static/site.js`` only enhances them.

    app.py          create_app: routes, middleware, error pages, lifespan
    security.py     CSP and other headers, CSRF, upload limit, password, bind check
    params.py       the library's filter parameters <-> search Query
    routes_*.py     library, work page, reader, import, settings and login
    api.py          JSON API (+ openapi.py, its OpenAPI description)
    opds.py         OPDS 1.2 catalog and OpenSearch
    inferred.py     analyses computed lazily and kept with the works
    claims.py       analysis JSON -> claims with checked evidence passages
    facets.py       sidebar tag counts, cached and counted off the page's path
    render.py       chapter text and markup -> safe HTML, evidence marks
    svg.py          arc chart and cast picture
    prefs.py        saved filters and tag blocklist (web-prefs.json)
    timing.py       Server-Timing breakdown
    bench.py        page latency benchmark (python -m ficshelf.web.bench)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["create_app"]


def create_app(library_dir: str | os.PathLike[str], **options: Any) -> Starlette:
    """See ``ficshelf.web.app.create_app`` (imported lazily, so importing
    ``ficshelf.web.bench`` or ``ficshelf.web.security`` stays light)."""
    from ficshelf.web.app import create_app as make

    return make(library_dir, **options)
