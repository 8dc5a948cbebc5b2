"""The JSON API under ``/api/``: works, search, tags, import, reading position.

Search takes the library page's parameters (``ficshelf.web.params``). Errors
are ``{"error": message, "status": code}``. Requests that change data need the
CSRF token (``GET /api/session`` gives one with its cookie) or, when the
library has a password, ``Authorization: Bearer <password>``. The OpenAPI 3
description is served at ``/api/openapi.json`` (``ficshelf.web.openapi``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ficshelf.errors import InputError
from ficshelf.library import ImportOutcome
from ficshelf.model import Work, work_to_dict
from ficshelf.search.query import TAG_KINDS
from ficshelf.store.base import SearchResult
from ficshelf.web.context import error_response, web
from ficshelf.web.openapi import openapi_spec
from ficshelf.web.routes_import import import_files, import_text
from ficshelf.web.routes_library import run_filters
from ficshelf.web.routes_reader import save_position
from ficshelf.web.security import csrf_protected

__all__ = ["ROUTES", "outcome_json", "work_summary"]

_MAX_TAGS: Final = 1000


def work_summary(work: Work) -> dict[str, Any]:
    """A work's metadata as JSON (no chapter text), with its page's address."""
    data = work_to_dict(work, include_text=False)
    data.pop("chapters", None)
    data["links"] = {"page": f"/works/{work.id}", "read": f"/works/{work.id}/read",
                     "epub": f"/works/{work.id}/export/epub"}
    return data


def _result_json(result: SearchResult, *, facets: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "total": result.total, "page": result.page, "per_page": result.per_page,
        "pages": result.pages, "ranked_only": result.ranked_only,
        "works": [{**work_summary(h.work), "snippet": h.snippet, "score": h.score}
                  for h in result.hits],
    }
    if facets:
        out["facets"] = {k: [{"tag": t, "works": n} for t, n in v] for k, v in result.facets.items()}
    return out


def _search(request: Request, *, facets: bool) -> Response:
    _filters, result, error = run_filters(request, facets=facets)
    if error is not None or result is None:
        return error_response(request, 400, error or "cannot run that search")
    return JSONResponse(_result_json(result, facets=facets))


def list_works(request: Request) -> Response:
    return _search(request, facets=False)


def search(request: Request) -> Response:
    return _search(request, facets=request.query_params.get("facets", "true").lower() != "false")


def get_work(request: Request) -> Response:
    ctx = web(request)
    work = ctx.store.get(int(request.path_params["work_id"]))
    text = request.query_params.get("text", "").lower() in {"1", "true", "yes"}
    data = work_to_dict(work, include_text=text)
    data["links"] = work_summary(work)["links"]
    cached = ctx.analysis.cached(work)
    if cached is not None and cached.status == "ready":
        data["inferred"] = cached.data
    user = ctx.store.get_user_data(int(work.id or 0))
    if isinstance(user.get("position"), Mapping):
        data["position"] = user["position"]
    return JSONResponse(data)


def get_analysis(request: Request) -> Response:
    """The work's analysis; ``?compute=true`` analyses it now when not cached."""
    ctx = web(request)
    work = ctx.store.get(int(request.path_params["work_id"]))
    compute = request.query_params.get("compute", "").lower() in {"1", "true", "yes"}
    inferred = ctx.analysis.get(work, compute=True if compute else None)
    return JSONResponse({"status": inferred.status, "inferred": inferred.data,
                         "error": inferred.error})


def tags(request: Request) -> Response:
    kind = request.query_params.get("kind") or None
    if kind is not None and kind not in TAG_KINDS:
        raise InputError(f"tag kind {kind!r} is unknown; use one of: {', '.join(TAG_KINDS)}")
    try:
        limit = min(_MAX_TAGS, max(1, int(request.query_params.get("limit", "50"))))
    except ValueError:
        raise InputError("limit must be a whole number") from None
    rows = web(request).store.tags(kind=kind, prefix=request.query_params.get("prefix", ""),
                                   limit=limit)
    return JSONResponse({"tags": [{"kind": k, "tag": t, "works": n} for k, t, n in rows]})


def outcome_json(o: ImportOutcome) -> dict[str, Any]:
    return {"source": o.source, "status": o.status, "work_id": o.work_id, "title": o.title,
            "error": o.error, "link": f"/works/{o.work_id}" if o.work_id else None}


@csrf_protected
async def import_(request: Request, form: FormData) -> Response:
    """Multipart ``files`` (one or many) or ``text`` (a pasted AO3 page); or a
    JSON body ``{"text": ..., "filename": ...}``."""
    ctx = web(request)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    text = form.get("text")
    filename = str(form.get("filename") or "pasted-ao3-page.txt")
    if not files and text is None and request.headers.get("content-type", "").startswith(
            "application/json"):
        try:
            body = json.loads(await request.body())
        except ValueError:
            raise InputError("the request body is not valid JSON") from None
        if not isinstance(body, Mapping) or not isinstance(body.get("text"), str):
            raise InputError('send {"text": "...", "filename": "..."} or multipart files')
        text = body["text"]
        filename = str(body.get("filename") or filename)
    if files:
        outcomes = await import_files(ctx, files)
    elif isinstance(text, str) and text.strip():
        outcomes = [await import_text(ctx, text, filename)]
    else:
        raise InputError("nothing to import: send multipart files, or text")
    counts = {s: sum(1 for o in outcomes if o.status == s)
              for s in ("added", "updated", "unchanged", "rejected")}
    status = 200 if counts["rejected"] < len(outcomes) else 422
    return JSONResponse({"outcomes": [outcome_json(o) for o in outcomes], "counts": counts},
                        status_code=status)


def session(request: Request) -> Response:
    """The CSRF token for this client's cookie (sent back as ``X-CSRF-Token``)."""
    return JSONResponse({"csrf_token": request.state.csrf_token,
                         "header": "X-CSRF-Token", "cookie": "ficshelf_csrf"})


def status(request: Request) -> Response:
    """The library's size and whether the background indexes are ready."""
    ctx = web(request)
    similar = "ready" if ctx.similar.index is not None else (
        "building" if ctx.similar.building else "unavailable")
    return JSONResponse({"works": ctx.store.count(), "similar": similar,
                         "facets": ctx.facets.mode, "analysis": ctx.analysis.mode,
                         "password": ctx.password is not None})


def openapi(request: Request) -> Response:
    return JSONResponse(openapi_spec())


ROUTES: Final = [
    Route("/api/works", list_works, name="api_works"),
    Route("/api/works/{work_id:int}", get_work, name="api_work"),
    Route("/api/works/{work_id:int}/analysis", get_analysis, name="api_analysis"),
    Route("/api/works/{work_id:int}/position", save_position, methods=["POST"], name="api_position"),
    Route("/api/search", search, name="api_search"),
    Route("/api/tags", tags, name="api_tags"),
    Route("/api/import", import_, methods=["POST"], name="api_import"),
    Route("/api/session", session, name="api_session"),
    Route("/api/status", status, name="api_status"),
    Route("/api/openapi.json", openapi, name="api_openapi"),
]
