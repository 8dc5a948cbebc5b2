"""Importing works: upload files (one or many) or paste the text of an AO3 page.

Each file is parsed and stored on its own (``library.import_bytes``): one bad
file is reported as rejected with the importer's reason, every other one is
kept. The analysis is not run inside the upload request: new works are queued
for the background analyser (or analysed when first shown). The report says what was added, updated, unchanged or rejected. With
JavaScript the site script sends many files one at a time to ``/api/import``
and shows progress; without it the form posts them all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ficshelf.library import ImportOutcome, import_bytes
from ficshelf.web.context import WebContext, render, web
from ficshelf.web.security import csrf_protected

__all__ = ["ROUTES", "after_import", "import_files", "import_text"]

_PASTE_NAME: Final = "pasted-ao3-page.txt"


def after_import(ctx: WebContext, outcomes: Sequence[ImportOutcome]) -> None:
    """Keep "more like this" current and queue new works for analysis."""
    changed = [o.work_id for o in outcomes if o.status in {"added", "updated"} and o.work_id]
    if changed:
        ctx.facets.changed()
    for work_id in changed:
        try:
            work = ctx.store.get(work_id)
        except Exception:  # deleted meanwhile: nothing to index
            continue
        ctx.similar.update(work)
        if ctx.analysis.mode == "background":
            ctx.analysis.enqueue(work_id)
    if changed:
        ctx.similar.save_later()


async def import_files(ctx: WebContext, files: Sequence[UploadFile]) -> list[ImportOutcome]:
    outcomes: list[ImportOutcome] = []
    for upload in files:
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
        data = await upload.read()
        if not data:
            outcomes.append(ImportOutcome(source=name, status="rejected",
                                          error=f"{name}: the file is empty"))
            continue
        outcomes.append(await run_in_threadpool(import_bytes, ctx.store, data, filename=name,
                                                source=f"upload:{name}", analyze=False))
    await run_in_threadpool(after_import, ctx, outcomes)
    return outcomes


async def import_text(ctx: WebContext, text: str, filename: str = _PASTE_NAME) -> ImportOutcome:
    outcome = await run_in_threadpool(import_bytes, ctx.store, text.encode("utf-8"),
                                      filename=filename, source="pasted text", analyze=False)
    await run_in_threadpool(after_import, ctx, [outcome])
    return outcome


def _uploads(form: FormData) -> list[UploadFile]:
    return [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]


def import_form(request: Request) -> Response:
    return render(request, "import.html", page_title="Import", max_upload=web(request).max_upload)


@csrf_protected
async def upload(request: Request, form: FormData) -> Response:
    ctx = web(request)
    files = _uploads(form)
    if not files:
        return render(request, "import.html", status=400, page_title="Import",
                      max_upload=ctx.max_upload,
                      error="Choose one or more files to import (HTML, EPUB, MOBI, AZW3, PDF, "
                            "text or ficshelf JSON).")
    outcomes = await import_files(ctx, files)
    return render(request, "import_report.html", page_title="Import report", outcomes=outcomes)


@csrf_protected
async def paste(request: Request, form: FormData) -> Response:
    ctx = web(request)
    text = str(form.get("text") or "")
    if not text.strip():
        return render(request, "import.html", status=400, page_title="Import",
                      max_upload=ctx.max_upload,
                      error="Paste the text of an AO3 work page (select all on the page, copy, "
                            "paste here).")
    outcome = await import_text(ctx, text)
    return render(request, "import_report.html", page_title="Import report", outcomes=[outcome])


ROUTES: Final = [
    Route("/import", import_form, name="import"),
    Route("/import/upload", upload, methods=["POST"], name="import_upload"),
    Route("/import/paste", paste, methods=["POST"], name="import_paste"),
]
