"""A work's page: AO3's metadata box, what ficshelf inferred beside the author's
tags with evidence, the arc and cast pictures, "more like this", exports.

``?evidence=<claim>`` shows that claim's passages, each with its words
highlighted at the exact offsets the analysis gave (no JavaScript needed; the
site script fetches ``/works/{id}/evidence/{claim}`` instead of reloading).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ficshelf.errors import ExportError
from ficshelf.model import Work, relationship_kind, relationship_members
from ficshelf.web.claims import ROWS, Claim, Passage, agrees, claims_from_analysis
from ficshelf.web.context import error_response, render, web
from ficshelf.web.inferred import Inferred
from ficshelf.web.prefs import tag_matches_block
from ficshelf.web.render import Mark, paragraph_spans, render_text
from ficshelf.web.security import csrf_protected
from ficshelf.web.svg import arc_chart, cast_graph

__all__ = ["ROUTES", "author_rows", "evidence_excerpt", "load_work", "similar_for"]

_EXPORTS: Final = (("epub", "EPUB"), ("html", "HTML"), ("txt", "Text"), ("json", "JSON"))
_CLAIM_KEY: Final = re.compile(r"^[a-z]+(?:-\d{1,4})?$")
_GRAPH_NODES: Final = 12


def load_work(request: Request) -> Work:
    return web(request).store.get(int(request.path_params["work_id"]))


def author_rows(work: Work) -> dict[str, tuple[tuple[str, str], ...]]:
    """The author's tags by row: ``(kind, tag)`` pairs."""
    t = work.tags
    return {
        "rating": (("rating", t.rating.value),) if t.rating else (),
        "warnings": tuple(("warning", w.value) for w in t.warnings),
        "categories": tuple(("category", c.value) for c in t.categories),
        "fandoms": tuple(("fandom", x) for x in t.fandoms),
        "relationships": tuple(("relationship", x) for x in t.relationships),
        "characters": tuple(("character", x) for x in t.characters),
        "freeforms": tuple(("freeform", x) for x in t.freeforms),
        "style": (),
    }


def blocked_tags(work: Work, blocklist: Sequence[str]) -> list[str]:
    return [tag for rows in author_rows(work).values() for kind, tag in rows
            if tag_matches_block(kind, tag, blocklist)]


def evidence_excerpt(text: str, passage: Passage, anchor: str | None = None) -> Markup:
    """The paragraph(s) holding a passage, the passage itself in ``<mark>``."""
    if passage.start is None or passage.end is None:
        return Markup("<p>") + passage.text + Markup("</p>")
    spans = [s for s in paragraph_spans(text) if s[1] > passage.start and s[0] < passage.end]
    if not spans:
        return Markup("<p>") + passage.text + Markup("</p>")
    lo, hi = spans[0][0], spans[-1][1]
    html = render_text(text[lo:hi], [Mark(passage.start - lo, passage.end - lo, anchor)])
    return Markup(re.sub(r'<p id="p\d+"', "<p", str(html)))


def _texts(work: Work) -> dict[int, str]:
    return {c.number: c.text for c in work.chapters}


def _graph(work: Work, data: Mapping[str, Any] | None) -> tuple[Markup | None, str]:
    """The cast picture from the analysis, else from the author's tags."""
    nodes: list[tuple[str, float, str]] = []
    edges: list[tuple[str, str, str]] = []
    source = "inferred"
    chars = data.get("characters") if data else None
    if isinstance(chars, Sequence) and chars:
        for c in chars[:_GRAPH_NODES]:
            if isinstance(c, Mapping) and isinstance(c.get("name"), str):
                mentions = c.get("mentions")
                weight = float(mentions) if isinstance(mentions, int | float) else 1.0
                nodes.append((str(c.get("name")), weight, str(c.get("role") or "mentioned")))
        aliases: dict[str, str] = {}
        for c in chars:
            if isinstance(c, Mapping) and isinstance(c.get("name"), str):
                for a in [c.get("name"), c.get("canon"), *(c.get("aliases") or ())]:
                    if isinstance(a, str):
                        aliases.setdefault(a.casefold(), str(c["name"]))
        rels = data.get("relationships") if data else None
        if isinstance(rels, Sequence) and "relationships" in (data or {}):
            pairs = [_pair(r) for r in rels if isinstance(r, Mapping)]
        else:  # no relationship analysis yet: the author's pairings, where the cast matches
            source = "mixed"
            pairs = [(list(relationship_members(tag)), relationship_kind(tag) or "romantic")
                     for tag in work.tags.relationships]
        for members, kind in pairs:
            names = [_cast_name(m, aliases) for m in members]
            if source == "mixed" and not all(n in aliases.values() for n in names):
                continue
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    edges.append((names[i], names[j], kind))
        known = {n for n, _, _ in nodes}
        for a, b, _ in edges:
            for name in (a, b):
                if name not in known and len(nodes) < _GRAPH_NODES + 4:
                    nodes.append((name, 1.0, "mentioned"))
                    known.add(name)
    else:
        source = "tags"
        t = work.tags
        for name in t.characters[:_GRAPH_NODES]:
            nodes.append((name, 1.0, "main"))
        known = {n for n, _, _ in nodes}
        for rel in t.relationships:
            members = list(relationship_members(rel))
            kind = relationship_kind(rel) or "romantic"
            for m in members:
                if m not in known and len(nodes) < _GRAPH_NODES + 4:
                    nodes.append((m, 1.0, "main"))
                    known.add(m)
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    edges.append((members[i], members[j], kind))
    if not nodes:
        return None, source
    return cast_graph(nodes, edges), source


def _pair(r: Mapping[str, Any]) -> tuple[list[str], str]:
    members = [m for m in r.get("characters") or () if isinstance(m, str)]
    tag = str(r.get("tag") or "")
    if len(members) < 2 and tag:
        members = list(relationship_members(tag))
    return members, str(r.get("kind") or relationship_kind(tag) or "romantic")


def _cast_name(member: str, aliases: Mapping[str, str]) -> str:
    """The cast member a relationship names: by name or alias, else by one of its words."""
    key = member.casefold()
    if key in aliases:
        return aliases[key]
    for word in key.replace('"', " ").split():
        if word in aliases:
            return aliases[word]
    return member


def _arc(data: Mapping[str, Any] | None, chapters: int) -> Markup | None:
    arc = data.get("arc") if data else None
    if not isinstance(arc, Mapping):
        return None
    values = arc.get("values")
    if not isinstance(values, Sequence) or isinstance(values, str) or len(values) < 2:
        return None
    nums = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return arc_chart(nums, shape=str(arc["shape"]) if arc.get("shape") else None,
                     ending=str(arc["ending"]) if arc.get("ending") else None, chapters=chapters)


def similar_for(request: Request, work_id: int, limit: int = 8) -> tuple[list[Any], str]:
    """("more like this" hits, status) for a work."""
    ctx = web(request)
    ctx.similar.refresh_if_stale()
    index = ctx.similar.index
    if index is None:
        return [], "building" if ctx.similar.building else "unavailable"
    blocked = index.blocked_features(ctx.prefs.blocklist())
    return index.similar(work_id, limit=limit, blocked=blocked), "ready"


def _claim(claims: Sequence[Claim], key: str | None) -> Claim | None:
    if not key or not _CLAIM_KEY.match(key):
        return None
    return next((c for c in claims if c.key == key), None)


def work_page(request: Request) -> Response:
    ctx = web(request)
    work = load_work(request)
    assert work.id is not None
    blocklist = ctx.prefs.blocklist()
    blocked = blocked_tags(work, blocklist)
    if blocked and request.query_params.get("blocked") != "show":
        return render(request, "blocked.html", page_title=work.title, work=work, blocked=blocked)
    inferred: Inferred = ctx.analysis.get(work)
    data = inferred.data if inferred.status == "ready" else None
    texts = _texts(work)
    claims = claims_from_analysis(data, texts)
    by_row: dict[str, list[tuple[Claim, bool]]] = {row: [] for row, _ in ROWS}
    authors = author_rows(work)
    for claim in claims:
        by_row.setdefault(claim.row, []).append(
            (claim, agrees(claim, [t for _, t in authors.get(claim.row, ())])))
    selected = _claim(claims, request.query_params.get("evidence"))
    excerpts = [(p, evidence_excerpt(texts.get(p.chapter, ""), p, f"ev-{i}"))
                for i, p in enumerate(selected.evidence)] if selected else []
    graph, graph_source = _graph(work, data)
    similar, similar_status = similar_for(request, work.id)
    position = ctx.store.get_user_data(work.id).get("position")
    return render(
        request, "work.html", page_title=work.title, work=work, rows=ROWS, authors=authors,
        by_row=by_row, inferred=inferred, claims=claims, selected=selected, excerpts=excerpts,
        arc=_arc(data, len(work.chapters)), graph=graph, graph_source=graph_source,
        similar=similar, similar_status=similar_status, exports=_EXPORTS,
        position=position if isinstance(position, Mapping) else None,
        pending=inferred.status == "pending")


def evidence_fragment(request: Request) -> Response:
    """One claim's evidence panel (what ``?evidence=`` adds to the work page)."""
    ctx = web(request)
    work = load_work(request)
    inferred = ctx.analysis.get(work)
    data = inferred.data if inferred.status == "ready" else None
    texts = _texts(work)
    selected = _claim(claims_from_analysis(data, texts), request.path_params["claim"])
    if selected is None:
        return error_response(request, 404, "No such inferred tag for this work (it may not be "
                                            "analysed yet).")
    excerpts = [(p, evidence_excerpt(texts.get(p.chapter, ""), p, f"ev-{i}"))
                for i, p in enumerate(selected.evidence)]
    return render(request, "_evidence.html", work=work, selected=selected, excerpts=excerpts)


def _filename(work: Work, suffix: str) -> str:
    base = unicodedata.normalize("NFKD", work.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "_", base).strip("_")[:60] or f"work_{work.id}"
    return slug + suffix


def export(request: Request) -> Response:
    from ficshelf.export import EXPORTERS, export_work

    fmt = str(request.path_params["fmt"]).lower()
    if fmt not in EXPORTERS:
        return error_response(request, 404, f"ficshelf cannot export as {fmt!r}; choose one of: "
                                            + ", ".join(EXPORTERS))
    work = load_work(request)
    try:
        data = export_work(work, fmt)
    except ExportError as exc:
        return error_response(request, 422, str(exc))
    exporter = EXPORTERS[fmt]
    return Response(data, media_type=exporter.MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{_filename(work, exporter.SUFFIX)}"'})


@csrf_protected
async def analyse_now(request: Request, form: FormData) -> Response:
    from starlette.concurrency import run_in_threadpool

    ctx = web(request)
    work = await run_in_threadpool(load_work, request)
    await run_in_threadpool(ctx.analysis.compute, work)
    return RedirectResponse(f"/works/{work.id}#inferred", status_code=303)


ROUTES: Final = [
    Route("/works/{work_id:int}", work_page, name="work"),
    Route("/works/{work_id:int}/evidence/{claim}", evidence_fragment, name="evidence"),
    Route("/works/{work_id:int}/export/{fmt}", export, name="export"),
    Route("/works/{work_id:int}/analyse", analyse_now, methods=["POST"], name="analyse"),
]
